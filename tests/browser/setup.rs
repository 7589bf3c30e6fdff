//! A browser that cannot start fails the test at once, saying why.

use crate::chromedriver::{Chromedriver, binary_from};

#[test]
#[should_panic(
    expected = "install Debian's `chromium-driver` (scripts/test does) or set CHANGEREADY_CHROMEDRIVER"
)]
fn a_missing_chromedriver_fails_naming_the_package_to_install() {
    binary_from(
        Some("/nonexistent/chromedriver".into()),
        "CHANGEREADY_CHROMEDRIVER",
        "/usr/bin/chromedriver",
        "chromium-driver",
    );
}

#[test]
#[should_panic(expected = "chromedriver exited")]
fn a_chromedriver_that_exits_at_start_fails_instead_of_hanging() {
    let dir = tempfile::tempdir().expect("temp dir");
    Chromedriver::start(std::path::Path::new("/bin/false"), dir.path());
}
