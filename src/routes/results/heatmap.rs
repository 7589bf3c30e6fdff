//! Turns computed results into rows and cells for the heatmap templates.

use std::collections::HashMap;

use serde::Serialize;

use crate::domain::adkar::Element;
use crate::scoring::{ElementFigure, SuppressionReason, TeamResult, WaveResults, at_most, round2};

/// Colours for the barrier bar: the five elements, then ready (colour-blind-safe set).
const BAR_COLOURS: [&str; 6] = [
    "#b35806", "#e08214", "#fdb863", "#8073ac", "#542788", "#1b7837",
];

/// One heatmap cell.
#[derive(Debug, Serialize)]
pub struct Cell {
    /// Mean rounded to 2 decimals (1 shown).
    pub mean: Option<f64>,
    /// Responses with a score.
    pub n: i64,
    /// Colour bucket 0..=8 (1.0 → 0, 5.0 → 8).
    pub bucket: usize,
    /// ≤ 3.0: a barrier, marked with a pattern and a symbol besides the colour.
    pub low: bool,
    /// Change since the previous wave, when both are shown.
    pub delta: Option<f64>,
    /// The mean with one decimal, as printed.
    pub text: Option<String>,
    /// The change as printed: "▲ +0.4", "▼ -0.6" or "= 0.0".
    pub delta_text: Option<String>,
}

fn delta_text(delta: f64) -> String {
    let shown = format!("{delta:+.1}");
    match shown.as_str() {
        "+0.0" | "-0.0" => "= 0.0".to_owned(),
        s if delta > 0.0 => format!("▲ {s}"),
        s => format!("▼ {s}"),
    }
}

/// One stacked-bar segment.
#[derive(Debug, Serialize)]
pub struct Segment {
    /// Element name or "ready".
    pub label: String,
    /// Percentage of responses.
    pub percent: i64,
    /// x position in the 100-wide SVG.
    pub x: f64,
    /// Width in the 100-wide SVG.
    pub width: f64,
    /// Fill colour.
    pub colour: &'static str,
}

/// One heatmap row.
#[derive(Debug, Serialize)]
pub struct Row {
    /// Team id (none for the organisation).
    pub team_id: Option<i64>,
    /// Name shown.
    pub name: String,
    /// Full path.
    pub path: String,
    /// Indentation.
    pub depth: usize,
    /// Invited (subtree).
    pub invited: i64,
    /// Responded (subtree).
    pub responded: i64,
    /// Response rate in percent.
    pub rate: i64,
    /// Why figures are hidden, when they are.
    pub hidden: Option<&'static str>,
    /// The five cells.
    pub cells: Vec<Cell>,
    /// Barrier distribution.
    pub bar: Vec<Segment>,
    /// Most frequent barrier.
    pub primary_barrier: Option<&'static str>,
    /// Has child teams.
    pub has_children: bool,
    /// Marked as a hotspot team.
    pub hotspot_team: bool,
}

fn bucket(mean: f64) -> usize {
    ((mean - 1.0) * 2.0).round().clamp(0.0, 8.0) as usize
}

fn cells(elements: &[ElementFigure; 5], previous: Option<&[ElementFigure; 5]>) -> Vec<Cell> {
    elements
        .iter()
        .enumerate()
        .map(|(i, f)| Cell {
            mean: f.mean.map(round2),
            n: f.n,
            bucket: f.mean.map_or(4, bucket),
            low: f.mean.is_some_and(|m| at_most(m, 3.0)),
            delta: match (f.mean, previous.and_then(|p| p[i].mean)) {
                (Some(now), Some(before)) => Some(round2(now - before)),
                _ => None,
            },
            text: f.mean.map(|m| format!("{m:.1}")),
            delta_text: match (f.mean, previous.and_then(|p| p[i].mean)) {
                (Some(now), Some(before)) => Some(delta_text(now - before)),
                _ => None,
            },
        })
        .collect()
}

fn bar(barriers: &[i64; 6]) -> Vec<Segment> {
    let total: i64 = barriers.iter().sum();
    if total == 0 {
        return Vec::new();
    }
    let mut x = 0.0;
    barriers
        .iter()
        .enumerate()
        .filter(|(_, n)| **n > 0)
        .map(|(i, n)| {
            let width = *n as f64 * 100.0 / total as f64;
            let segment = Segment {
                label: Element::from_index(i)
                    .map_or("ready", Element::as_str)
                    .to_owned(),
                percent: (*n * 100 + total / 2) / total,
                x,
                width,
                colour: BAR_COLOURS[i],
            };
            x += width;
            segment
        })
        .collect()
}

fn hidden(reason: Option<SuppressionReason>) -> &'static str {
    match reason {
        Some(SuppressionReason::Differencing) => {
            "hidden so that a smaller group cannot be worked out"
        }
        _ => "hidden: fewer responses than the minimum group size",
    }
}

/// Rows for `results`: the organisation, then teams within `scope` (a team's subtree,
/// or all) down to `max_depth` levels below it.
pub fn heatmap_rows(
    results: &WaveResults,
    previous: Option<&WaveResults>,
    hotspot_teams: &[i64],
    scope: Option<i64>,
    max_depth: usize,
) -> Vec<Row> {
    let before: HashMap<i64, &TeamResult> = previous
        .map(|p| p.teams.iter().map(|t| (t.team_id, t)).collect())
        .unwrap_or_default();
    let mut rows = Vec::new();
    let org = &results.org;
    rows.push(Row {
        team_id: None,
        name: "Whole organisation".into(),
        path: String::new(),
        depth: 0,
        invited: org.invited,
        responded: org.responded,
        rate: crate::scoring::rate_percent(org.invited, org.responded),
        hidden: org
            .suppressed
            .then_some("hidden: fewer responses than the minimum group size"),
        cells: org
            .elements
            .as_ref()
            .map(|e| cells(e, previous.and_then(|p| p.org.elements.as_ref())))
            .unwrap_or_default(),
        bar: org.barriers.as_ref().map(bar).unwrap_or_default(),
        primary_barrier: org.primary_barrier.map(Element::as_str),
        has_children: !results.teams.is_empty(),
        hotspot_team: false,
    });
    let scope_team = scope.and_then(|id| results.team(id));
    let base_depth = scope_team.map_or(0, |t| t.depth);
    let prefix = scope_team.map(|t| format!("{}/", t.path));
    for (i, team) in results.teams.iter().enumerate() {
        let inside = match (scope_team, &prefix) {
            (Some(s), Some(p)) => team.team_id == s.team_id || team.path.starts_with(p.as_str()),
            _ => true,
        };
        if !inside || team.depth > base_depth + max_depth {
            continue;
        }
        let has_children = results
            .teams
            .get(i + 1)
            .is_some_and(|next| next.parent_id == Some(team.team_id));
        let previous = before.get(&team.team_id).and_then(|t| t.elements.as_ref());
        rows.push(Row {
            team_id: Some(team.team_id),
            name: team.name.clone(),
            path: team.path.clone(),
            depth: team.depth - base_depth + 1,
            invited: team.invited,
            responded: team.responded,
            rate: crate::scoring::rate_percent(team.invited, team.responded),
            hidden: team.suppressed.then(|| hidden(team.suppression_reason)),
            cells: team
                .elements
                .as_ref()
                .map(|e| cells(e, previous))
                .unwrap_or_default(),
            bar: team.barriers.as_ref().map(bar).unwrap_or_default(),
            primary_barrier: team.primary_barrier.map(Element::as_str),
            has_children,
            hotspot_team: hotspot_teams.contains(&team.team_id),
        });
    }
    rows
}
