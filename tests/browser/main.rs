//! End-to-end browser tests: the real app in-process (fresh database, port 0), driven
//! through chromedriver by headless Chromium, with axe-core accessibility checks.
//!
//! Needs Debian's `chromium` and `chromium-driver` (scripts/test installs them; the
//! paths come from `CHANGEREADY_CHROMEDRIVER` and `CHANGEREADY_CHROMIUM`, default
//! `/usr/bin/…`) and `DATABASE_URL`, like the API tests. With
//! `CHANGEREADY_SCREENSHOTS=1` the journeys also write `docs/screenshots/*.png`.

mod app;
mod axe;
mod browser;
mod chromedriver;
mod employee;
mod page;
mod practitioner;
mod reflow;
mod results;
mod setup;
mod sponsor;
mod waves;
