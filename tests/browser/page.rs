//! What a person does on a page: go, find, read, type, press keys. Every wait polls
//! with a timeout and fails naming what it waited for.

use std::future::Future;
use std::time::{Duration, Instant};

use fantoccini::Locator;
use fantoccini::actions::{InputSource, KeyAction, KeyActions};
use fantoccini::elements::Element;
use fantoccini::key::Key;
use serde_json::{Value, json};

use crate::browser::Browser;

/// How long an element or a text may take to appear.
pub const WAIT: Duration = Duration::from_secs(10);

/// Polls `check` every 50 ms until it returns `Some`, or panics after [`WAIT`] with
/// `what` and the last value seen.
pub async fn eventually<T, F, Fut>(what: &str, mut check: F) -> T
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, String>>,
{
    let started = Instant::now();
    loop {
        match check().await {
            Ok(value) => return value,
            Err(last) if started.elapsed() > WAIT => {
                panic!("timed out after {WAIT:?} waiting for {what}; last seen: {last}")
            }
            Err(_) => tokio::time::sleep(Duration::from_millis(50)).await,
        }
    }
}

impl Browser {
    /// Opens `path` of the app.
    pub async fn goto(&self, path: &str) {
        let url = format!("{}{path}", self.base);
        self.client
            .goto(&url)
            .await
            .unwrap_or_else(|e| panic!("open {url}: {e}"));
    }

    /// The path of the current URL, e.g. `/waves/3`.
    pub async fn path(&self) -> String {
        self.client
            .current_url()
            .await
            .expect("current URL")
            .path()
            .to_owned()
    }

    /// Waits for the current path to match `matches`, and returns it.
    pub async fn wait_for_path(&self, what: &str, matches: impl Fn(&str) -> bool) -> String {
        eventually(what, || async {
            let path = self.path().await;
            if matches(&path) { Ok(path) } else { Err(path) }
        })
        .await
    }

    /// The first element matching the CSS `selector`, waiting for it.
    pub async fn find(&self, selector: &str) -> Element {
        let found = self
            .client
            .wait()
            .at_most(WAIT)
            .for_element(Locator::Css(selector))
            .await;
        match found {
            Ok(element) => element,
            Err(e) => panic!("no `{selector}` on {}: {e}", self.path_or_unknown().await),
        }
    }

    async fn path_or_unknown(&self) -> String {
        match self.client.current_url().await {
            Ok(url) => url.to_string(),
            Err(_) => "(unknown page)".into(),
        }
    }

    /// The visible text of `selector`.
    pub async fn text(&self, selector: &str) -> String {
        self.find(selector)
            .await
            .text()
            .await
            .expect("element text")
    }

    /// Waits until the text of `selector` contains `needle`; returns the whole text.
    pub async fn wait_for_text(&self, selector: &str, needle: &str) -> String {
        let what = format!("`{selector}` to contain {needle:?}");
        eventually(&what, || async {
            let text = match self.client.find(Locator::Css(selector)).await {
                Ok(element) => element.text().await.unwrap_or_default(),
                Err(_) => format!("(no `{selector}` on {})", self.path_or_unknown().await),
            };
            if text.contains(needle) {
                Ok(text)
            } else {
                Err(text)
            }
        })
        .await
    }

    /// Types `text` into the field `selector` (after clearing it).
    pub async fn fill(&self, selector: &str, text: &str) {
        let field = self.find(selector).await;
        field.clear().await.expect("clear field");
        field
            .send_keys(text)
            .await
            .unwrap_or_else(|e| panic!("type into `{selector}`: {e}"));
    }

    /// Clicks `selector`.
    pub async fn click(&self, selector: &str) {
        self.find(selector)
            .await
            .click()
            .await
            .unwrap_or_else(|e| panic!("click `{selector}`: {e}"));
    }

    /// Runs `script` (a function body; `arguments` are `args`) and returns its value.
    pub async fn js(&self, script: &str, args: Vec<Value>) -> Value {
        self.client
            .execute(script, args)
            .await
            .unwrap_or_else(|e| panic!("script failed: {e}\n{script}"))
    }

    /// Presses `keys` one after another on whatever has the focus, as a keyboard does.
    pub async fn press(&self, keys: &[Key]) {
        let mut actions = KeyActions::new("keyboard".into());
        for key in keys {
            let value = char::from(*key);
            actions = actions
                .then(KeyAction::Down { value })
                .then(KeyAction::Up { value });
        }
        self.client
            .perform_actions(actions)
            .await
            .expect("press keys");
    }

    /// What has the focus: `{tag, type, name, value, checked, id, text}`.
    pub async fn focused(&self) -> Value {
        self.js(
            "const e = document.activeElement; \
             return e ? {tag: e.tagName.toLowerCase(), type: e.type || null, name: e.name || null, \
             value: e.value ?? null, checked: !!e.checked, id: e.id || null, \
             text: (e.innerText || '').trim()} : null;",
            vec![],
        )
        .await
    }

    /// Presses Tab until the focused element satisfies `wanted`, at most `max` times;
    /// returns it. Panics listing what received the focus on the way.
    pub async fn tab_until(
        &self,
        what: &str,
        max: usize,
        wanted: impl Fn(&Value) -> bool,
    ) -> Value {
        let mut seen = Vec::new();
        for _ in 0..max {
            self.press(&[Key::Tab]).await;
            let focused = self.focused().await;
            if wanted(&focused) {
                return focused;
            }
            seen.push(focused);
        }
        panic!(
            "{what} not reached with {max} Tab presses; the focus went to: {}",
            json!(seen)
        )
    }
}
