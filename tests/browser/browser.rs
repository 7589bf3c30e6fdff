//! A headless Chromium session through chromedriver, with its own profile directory;
//! DevTools commands for the viewport, the media type and screenshots.

use std::time::Duration;

use fantoccini::{Client, ClientBuilder};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::{Value, json};

use crate::chromedriver::{Chromedriver, START_TIMEOUT, binary};

/// Chromium's flags: headless, and nothing that reaches for the network.
const CHROMIUM_FLAGS: [&str; 9] = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
];

/// The viewport a journey runs in, emulated through the DevTools protocol (with
/// `prefers-reduced-motion: reduce`, so styles settle at once).
#[derive(Debug, Clone, Copy)]
pub enum Viewport {
    /// 390×844 CSS pixels, mobile, as a current phone.
    Phone,
    /// 1280×900 CSS pixels.
    Desktop,
}

/// A headless Chromium session with its own profile directory and chromedriver.
pub struct Browser {
    /// The WebDriver client.
    pub client: Client,
    /// Base URL of the app under test, e.g. `http://127.0.0.1:PORT`.
    pub base: String,
    session: String,
    // Dropped in this order: chromedriver (and Chromium) first, then the profile.
    driver: Chromedriver,
    _profile: tempfile::TempDir,
}

impl Browser {
    /// Starts chromedriver and Chromium (`CHANGEREADY_CHROMEDRIVER`, `CHANGEREADY_CHROMIUM`,
    /// default `/usr/bin/…`) in `viewport`, for the app at `base`.
    pub async fn start(base: &str, viewport: Viewport) -> Browser {
        let driver_path = binary(
            "CHANGEREADY_CHROMEDRIVER",
            "/usr/bin/chromedriver",
            "chromium-driver",
        );
        let chromium = binary("CHANGEREADY_CHROMIUM", "/usr/bin/chromium", "chromium");
        let profile = tempfile::Builder::new()
            .prefix("cr-chromium-")
            .tempdir()
            .expect("profile dir");
        let mut driver = Chromedriver::start(&driver_path, profile.path());
        let mut args: Vec<String> = CHROMIUM_FLAGS.iter().map(|f| (*f).to_owned()).collect();
        args.push(format!(
            "--user-data-dir={}",
            profile.path().join("profile").display()
        ));
        let capabilities = json!({
            "browserName": "chrome",
            "goog:chromeOptions": {"binary": chromium, "args": args},
            "timeouts": {"pageLoad": 20_000, "script": 20_000, "implicit": 0},
        });
        let serde_json::Value::Object(capabilities) = capabilities else {
            unreachable!("an object literal")
        };
        let mut builder = ClientBuilder::new(HttpConnector::new());
        builder.capabilities(capabilities);
        let url = driver.url();
        let connect = builder.connect(&url);
        let client = match tokio::time::timeout(START_TIMEOUT, connect).await {
            Ok(Ok(client)) => client,
            Ok(Err(e)) => panic!("Chromium did not start: {e}\n{}", driver.log_tail()),
            Err(_) => panic!(
                "Chromium did not start in {START_TIMEOUT:?}\n{}",
                driver.log_tail()
            ),
        };
        let session = client
            .session_id()
            .await
            .expect("session id")
            .expect("a session");
        driver.session = Some(session.clone());
        let browser = Browser {
            client,
            base: base.to_owned(),
            session,
            driver,
            _profile: profile,
        };
        let (width, height, mobile) = match viewport {
            Viewport::Phone => (390, 844, true),
            Viewport::Desktop => (1280, 900, false),
        };
        browser.set_viewport(width, height, mobile).await;
        browser.emulate_media("").await;
        browser
    }

    /// Emulates a viewport of `width`×`height` CSS pixels (`mobile`: a phone's
    /// meta-viewport handling and scrollbars).
    pub async fn set_viewport(&self, width: u32, height: u32, mobile: bool) {
        let metrics =
            json!({"width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile});
        self.cdp("Emulation.setDeviceMetricsOverride", metrics)
            .await;
    }

    /// Emulates the CSS media type `media` (`"print"`, or `""` for the screen), always
    /// with `prefers-reduced-motion: reduce`, so no transition delays a style or a
    /// screenshot.
    pub async fn emulate_media(&self, media: &str) {
        let reduce = json!([{"name": "prefers-reduced-motion", "value": "reduce"}]);
        self.cdp(
            "Emulation.setEmulatedMedia",
            json!({"media": media, "features": reduce}),
        )
        .await;
    }

    /// Runs a DevTools protocol command through chromedriver's `goog/cdp/execute`.
    pub async fn cdp(&self, cmd: &str, params: Value) -> Value {
        let url = format!(
            "{}/session/{}/goog/cdp/execute",
            self.driver.url(),
            self.session
        );
        let response = reqwest::Client::new()
            .post(url)
            .json(&json!({"cmd": cmd, "params": params}))
            .timeout(Duration::from_secs(30))
            .send()
            .await
            .unwrap_or_else(|e| panic!("CDP {cmd}: {e}"));
        let status = response.status();
        let body: Value = response
            .json()
            .await
            .unwrap_or_else(|e| panic!("CDP {cmd}: {e}"));
        assert!(status.is_success(), "CDP {cmd} answered {status}: {body}");
        body["value"].clone()
    }

    /// A PNG of what the viewport shows now (not the whole page: a phone-length survey
    /// would be a picture many screens tall).
    pub async fn viewport_png(&self) -> Vec<u8> {
        use base64::Engine;
        let shot = self
            .cdp("Page.captureScreenshot", json!({"format": "png"}))
            .await;
        let data = shot["data"].as_str().expect("screenshot data");
        base64::engine::general_purpose::STANDARD
            .decode(data)
            .expect("base64 PNG")
    }

    /// Writes [`Self::viewport_png`] to `docs/screenshots/{name}` when
    /// `CHANGEREADY_SCREENSHOTS=1`; otherwise nothing, so test runs leave the tree alone.
    pub async fn save_screenshot(&self, name: &str) {
        if std::env::var("CHANGEREADY_SCREENSHOTS").as_deref() != Ok("1") {
            return;
        }
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/screenshots");
        std::fs::create_dir_all(&dir).expect("create docs/screenshots");
        std::fs::write(dir.join(name), self.viewport_png().await).expect("write screenshot");
    }

    /// Ends the session cleanly (the drop does the same, bluntly, after a panic).
    pub async fn close(mut self) {
        let _ = self.client.clone().close().await;
        self.driver.session = None;
    }
}
