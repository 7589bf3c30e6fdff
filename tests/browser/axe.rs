//! Accessibility checks with axe-core (vendored in `static/vendor/axe/`, loaded from
//! the app's own origin, so the page's `script-src 'self'` policy admits it).

use serde_json::{Value, json};

use crate::browser::Browser;

/// The WCAG 2.0 and 2.1 A/AA rules.
const TAGS: [&str; 4] = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

/// Adds a `<script src>` for axe to the current page and waits for `window.axe`.
const INJECT: &str = r#"
const done = arguments[arguments.length - 1];
if (window.axe) { done('loaded'); return; }
const script = document.createElement('script');
script.src = '/static/vendor/axe/axe.min.js';
script.onload = () => done(window.axe ? 'loaded' : 'loaded, but no window.axe');
script.onerror = () => done('could not load /static/vendor/axe/axe.min.js (run scripts/vendor-assets)');
document.head.appendChild(script);
"#;

/// Runs axe on the whole document; answers the violations, trimmed to what a
/// failure message needs.
/// Each node also says which of the selectors in `arguments[1]` it matches.
const RUN: &str = r#"
const [tags, selectors, done] = [arguments[0], arguments[1], arguments[arguments.length - 1]];
const matching = target => selectors.filter(s => {
  try { const e = document.querySelector(target[0]); return !!e && e.matches(s); } catch (_) { return false; }
});
axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})
  .then(r => done(r.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
    nodes: v.nodes.map(n => ({target: n.target, html: n.html, summary: n.failureSummary,
      matches: matching(n.target)})),
  }))))
  .catch(e => done({error: String(e)}));
"#;

/// Runs axe's WCAG 2.1 A/AA rules on the current page and panics listing every
/// violation (rule id, help, and each offending node) that `known` does not excuse.
///
/// `known` is for problems already reported and awaiting a template fix; each use must
/// carry the comment "known issue reported to lead". An entry is a rule id, excusing
/// the rule on the whole page, or a rule id, a space and a CSS selector, excusing it
/// only on the elements that match, e.g. `"color-contrast td.h7"`. An entry that no
/// longer excuses anything also panics, so the allowlist shrinks as soon as the fix
/// lands.
pub async fn assert_accessible(browser: &Browser, page: &str, known: &[&str]) {
    let loaded = browser
        .client
        .execute_async(INJECT, vec![])
        .await
        .unwrap_or_else(|e| panic!("inject axe into {page}: {e}"));
    assert_eq!(loaded, json!("loaded"), "axe on {page}");
    let known: Vec<(&str, Option<&str>)> = known
        .iter()
        .map(|k| match k.split_once(' ') {
            Some((rule, selector)) => (rule, Some(selector.trim())),
            None => (*k, None),
        })
        .collect();
    let selectors: Vec<&str> = known.iter().filter_map(|(_, s)| *s).collect();
    let result = browser
        .client
        .execute_async(RUN, vec![json!(TAGS), json!(selectors)])
        .await
        .unwrap_or_else(|e| panic!("run axe on {page}: {e}"));
    assert!(
        result.get("error").is_none(),
        "axe failed on {page}: {result}"
    );
    let excuses = |rule: &str, node: &Value, (id, selector): &(&str, Option<&str>)| {
        *id == rule
            && selector.is_none_or(|s| {
                node["matches"]
                    .as_array()
                    .is_some_and(|m| m.contains(&json!(s)))
            })
    };
    let mut unexpected = Vec::new();
    let mut used = vec![false; known.len()];
    for violation in result.as_array().cloned().unwrap_or_default() {
        let rule = violation["id"].as_str().unwrap_or_default().to_owned();
        let mut left = violation.clone();
        let nodes = violation["nodes"].as_array().cloned().unwrap_or_default();
        left["nodes"] = Value::Array(
            nodes
                .into_iter()
                .filter(|node| {
                    let by = known.iter().position(|k| excuses(&rule, node, k));
                    by.inspect(|i| used[*i] = true).is_none()
                })
                .collect(),
        );
        if left["nodes"].as_array().is_some_and(|n| !n.is_empty()) {
            unexpected.push(left);
        }
    }
    assert!(
        unexpected.is_empty(),
        "{} accessibility violation(s) on {page}:\n{}",
        unexpected.len(),
        unexpected
            .iter()
            .map(describe)
            .collect::<Vec<_>>()
            .join("\n")
    );
    let fixed: Vec<_> = known
        .iter()
        .zip(used)
        .filter(|(_, used)| !used)
        .map(|((rule, selector), _)| format!("{rule} {}", selector.unwrap_or_default()))
        .collect();
    assert!(
        fixed.is_empty(),
        "axe no longer finds {fixed:?} on {page}: remove them from its allowlist"
    );
}

/// One violation as text: `rule (impact): help <url>` then one line per node.
fn describe(violation: &Value) -> String {
    let mut out = format!(
        "- {} ({}): {} <{}>",
        violation["id"].as_str().unwrap_or("?"),
        violation["impact"].as_str().unwrap_or("?"),
        violation["help"].as_str().unwrap_or("?"),
        violation["helpUrl"].as_str().unwrap_or("?"),
    );
    for node in violation["nodes"].as_array().into_iter().flatten() {
        out.push_str(&format!(
            "\n    at {} {}\n       {}",
            node["target"],
            node["html"].as_str().unwrap_or_default(),
            node["summary"]
                .as_str()
                .unwrap_or_default()
                .replace('\n', "\n       "),
        ));
    }
    out
}
