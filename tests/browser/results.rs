//! Reading the results pages as a person sees them: the heatmap table as rows and
//! cells, and what the printed one-pager keeps.

use serde::Deserialize;
use serde_json::{Value, json};

use crate::browser::Browser;

/// The heatmap's element columns, in ADKAR order.
pub const ELEMENTS: [&str; 5] = [
    "Awareness",
    "Desire",
    "Knowledge",
    "Ability",
    "Reinforcement",
];

/// One row of `table.heatmap`.
#[derive(Debug, Deserialize)]
pub struct Row {
    /// The row header without its badge, e.g. `Desk`.
    pub name: String,
    /// Coloured element cells (`td.cell`): 5 when shown, 0 when hidden.
    pub cells: usize,
    /// The text standing in for hidden figures.
    pub hidden: Option<String>,
    /// Marked as a hotspot team.
    pub hotspot: bool,
}

/// `table.heatmap`: its column headers and rows.
#[derive(Debug, Deserialize)]
pub struct Heatmap {
    /// Every `thead` column header, `Team` first.
    pub columns: Vec<String>,
    /// Every body row, the organisation first.
    pub rows: Vec<Row>,
}

impl Heatmap {
    /// The row named `name`; panics listing the rows there are.
    pub fn row(&self, name: &str) -> &Row {
        self.rows
            .iter()
            .find(|r| r.name == name)
            .unwrap_or_else(|| {
                let names: Vec<&str> = self.rows.iter().map(|r| r.name.as_str()).collect();
                panic!("no heatmap row {name:?}; rows: {names:?}")
            })
    }
}

const READ_HEATMAP: &str = r#"
const table = document.querySelector('table.heatmap');
const name = th => { const c = th.cloneNode(true); c.querySelectorAll('.badge').forEach(b => b.remove());
  return c.textContent.trim(); };
return {
  columns: [...table.tHead.rows[0].cells].map(c => c.textContent.trim()),
  rows: [...table.tBodies[0].rows].map(r => ({
    name: name(r.cells[0]),
    cells: r.querySelectorAll('td.cell').length,
    hidden: r.querySelector('td.hidden-cell')?.textContent.trim() ?? null,
    hotspot: r.classList.contains('hotspot-row'),
  })),
};
"#;

/// Waits for `table.heatmap` and reads it; checks that its columns are the team, the
/// five elements in order, the barriers and the response rate, and that every row
/// shows either five element cells or says why its figures are hidden.
pub async fn read_heatmap(browser: &Browser) -> Heatmap {
    browser.find("table.heatmap tbody tr").await;
    let value = browser.js(READ_HEATMAP, vec![]).await;
    let heatmap: Heatmap =
        serde_json::from_value(value.clone()).unwrap_or_else(|e| panic!("{e}: {value}"));
    let mut expected = vec!["Team"];
    expected.extend(ELEMENTS);
    expected.extend(["Where people are stuck", "Response rate"]);
    assert_eq!(heatmap.columns, expected, "heatmap columns");
    for row in &heatmap.rows {
        match &row.hidden {
            None => assert_eq!(row.cells, 5, "shown row {row:?}"),
            Some(text) => assert!(
                row.cells == 0 && text.starts_with("hidden"),
                "hidden row {row:?}"
            ),
        }
    }
    heatmap
}

/// The address of the heatmap's link to the team named `name`.
pub async fn team_link(browser: &Browser, name: &str) -> String {
    let href = browser
        .js(
            "return [...document.querySelectorAll('table.heatmap tbody th a')] \
             .find(a => a.textContent.trim() === arguments[0])?.getAttribute('href') ?? null;",
            vec![json!(name)],
        )
        .await;
    href.as_str()
        .unwrap_or_else(|| panic!("no heatmap link to {name:?}"))
        .to_owned()
}

/// Scrolls so that the heatmap, with the filters above it, starts at the top of the
/// viewport.
pub async fn scroll_to_heatmap(browser: &Browser) {
    browser
        .js(
            "const start = document.querySelector('form.inline-filters') \
               ?? document.querySelector('table.heatmap'); \
             window.scrollTo(0, window.scrollY + start.getBoundingClientRect().top - 16);",
            vec![],
        )
        .await;
}

/// Where each part of the page is displayed (`display`, `none` when hidden), under the
/// media type the browser emulates now.
const DISPLAYS: &str = r#"
const shown = s => { const e = document.querySelector(s); return e ? getComputedStyle(e).display : null; };
return {
  print: matchMedia('print').matches,
  nav: shown('body > header nav[aria-label=Main]'),
  header: shown('body > header'),
  footer: shown('body > footer'),
  no_print: shown('.report .no-print'),
  report: shown('article.report'),
  heatmap: shown('table.heatmap'),
};
"#;

/// Renders the current page (the one-pager) as for printing, through DevTools media
/// emulation, and checks that the site navigation, header, footer and the on-screen
/// hints are not printed while the report and its heatmap are; back to screen after.
pub async fn assert_print_keeps_only_the_report(browser: &Browser) {
    let screen = browser.js(DISPLAYS, vec![]).await;
    assert_eq!(screen["print"], json!(false), "on screen: {screen}");
    assert_ne!(screen["nav"], json!("none"), "on screen: {screen}");
    browser.emulate_media("print").await;
    let print = browser.js(DISPLAYS, vec![]).await;
    browser.emulate_media("").await;
    let hidden = |part: &str| print[part] == json!("none");
    let shown = |part: &str| !matches!(&print[part], Value::Null) && !hidden(part);
    assert_eq!(print["print"], json!(true), "print media emulated: {print}");
    for part in ["nav", "header", "footer", "no_print"] {
        assert!(hidden(part), "{part} is printed: {print}");
    }
    for part in ["report", "heatmap"] {
        assert!(shown(part), "{part} is not printed: {print}");
    }
}
