//! Resistance hotspots (rules.md §5).

use std::collections::HashMap;

use serde::Serialize;

use crate::domain::adkar::Element;
use crate::scoring::at_most;
use crate::scoring::playbook::Playbook;
use crate::scoring::response::BARRIER_MAX;
use crate::scoring::results::{TeamResult, WaveResults};

/// How far below the organisation, or the previous wave, counts as a hotspot.
pub const GAP: f64 = 0.5;

/// Why a (team, element) is a hotspot.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum HotspotReason {
    /// Mean ≤ 3.0.
    Low,
    /// Mean ≤ the organisation's mean − 0.5.
    BelowOrg,
    /// Mean ≤ the previous wave's mean for this team − 0.5.
    Declining,
}

/// One element of one unsuppressed team that needs attention.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Hotspot {
    /// The team.
    pub team_id: i64,
    /// Its full path.
    pub path: String,
    /// The element.
    pub element: Element,
    /// The team's mean for the element, unrounded.
    pub mean: f64,
    /// Responses with a score for the element.
    pub n: i64,
    /// At least one reason.
    pub reasons: Vec<HotspotReason>,
    /// The team has a hotspot and no descendant team has one.
    pub hotspot_team: bool,
    /// Suggested interventions for the element.
    pub interventions: Vec<String>,
}

/// Hotspots of `current`, compared with the organisation and with `previous`
/// (the initiative's wave launched last before it), sorted by mean, then path.
pub fn find_hotspots(
    current: &WaveResults,
    previous: Option<&WaveResults>,
    playbook: &Playbook,
) -> Vec<Hotspot> {
    let org_means: [Option<f64>; 5] = match (&current.org.elements, current.org.suppressed) {
        (Some(elements), false) => elements.map(|f| f.mean),
        _ => [None; 5],
    };
    let earlier: HashMap<i64, &TeamResult> = previous
        .map(|wave| {
            wave.teams
                .iter()
                .filter(|t| !t.suppressed)
                .map(|t| (t.team_id, t))
                .collect()
        })
        .unwrap_or_default();

    let mut found = Vec::new();
    let mut has_hotspot = vec![false; current.teams.len()];
    for (pos, team) in current.teams.iter().enumerate() {
        let Some(elements) = team.elements.filter(|_| !team.suppressed) else {
            continue;
        };
        let before = earlier.get(&team.team_id).and_then(|t| t.elements);
        for element in Element::ALL {
            let figure = elements[element.index()];
            let Some(mean) = figure.mean else { continue };
            let mut reasons = Vec::new();
            if at_most(mean, BARRIER_MAX) {
                reasons.push(HotspotReason::Low);
            }
            if org_means[element.index()].is_some_and(|org| at_most(mean, org - GAP)) {
                reasons.push(HotspotReason::BelowOrg);
            }
            let was = before.and_then(|b| b[element.index()].mean);
            if was.is_some_and(|was| at_most(mean, was - GAP)) {
                reasons.push(HotspotReason::Declining);
            }
            if !reasons.is_empty() {
                has_hotspot[pos] = true;
                found.push((pos, element, mean, figure.n, reasons));
            }
        }
    }

    let deepest = deepest_places(&current.teams, &has_hotspot);
    let mut hotspots: Vec<Hotspot> = found
        .into_iter()
        .map(|(pos, element, mean, n, reasons)| Hotspot {
            team_id: current.teams[pos].team_id,
            path: current.teams[pos].path.clone(),
            element,
            mean,
            n,
            reasons,
            hotspot_team: deepest[pos],
            interventions: playbook.for_element(element).to_vec(),
        })
        .collect();
    // Team id and element only break exact ties, to keep the order stable.
    hotspots.sort_by(|a, b| {
        a.mean
            .total_cmp(&b.mean)
            .then_with(|| a.path.cmp(&b.path))
            .then_with(|| a.team_id.cmp(&b.team_id))
            .then_with(|| a.element.cmp(&b.element))
    });
    hotspots
}

/// Teams flagged as hotspot teams, by id, each once.
pub fn hotspot_team_ids(hotspots: &[Hotspot]) -> Vec<i64> {
    let mut ids: Vec<i64> = hotspots
        .iter()
        .filter(|h| h.hotspot_team)
        .map(|h| h.team_id)
        .collect();
    ids.sort_unstable();
    ids.dedup();
    ids
}

/// Per team (in the results' depth-first order): it has a hotspot and no
/// descendant does.
fn deepest_places(teams: &[TeamResult], has_hotspot: &[bool]) -> Vec<bool> {
    let mut below = vec![false; teams.len()];
    // Ancestors of the current team: in depth-first order a team's ancestors are
    // the nearest earlier entries with smaller depths.
    let mut ancestors: Vec<usize> = Vec::new();
    for (pos, team) in teams.iter().enumerate() {
        while ancestors
            .last()
            .is_some_and(|&a| teams[a].depth >= team.depth)
        {
            ancestors.pop();
        }
        if has_hotspot[pos] {
            // Once an ancestor is marked, all above it already are.
            for &a in ancestors.iter().rev() {
                if below[a] {
                    break;
                }
                below[a] = true;
            }
        }
        ancestors.push(pos);
    }
    (0..teams.len())
        .map(|pos| has_hotspot[pos] && !below[pos])
        .collect()
}

#[cfg(test)]
mod tests {
    use super::HotspotReason::{BelowOrg, Declining, Low};
    use super::*;
    use crate::domain::adkar::Element::*;
    use crate::scoring::fixtures::team;
    use crate::scoring::results::compute_results;

    const SALES: Option<(i64, &str)> = Some((1, "Sales"));

    fn current() -> WaveResults {
        compute_results(
            &[
                team(1, None, "Sales", 0, [4.0; 5]),
                team(2, SALES, "West", 5, [2.0, 4.2, 4.0, 4.0, 4.0]),
                team(3, SALES, "East", 5, [3.6, 4.2, 4.0, 4.0, 4.0]),
                team(4, None, "Ops", 5, [4.4, 3.4, 4.0, 4.0, 4.0]),
            ],
            5,
        )
    }

    fn previous() -> WaveResults {
        // West (2) is too small, so East is differenced away: neither can decline
        // (East's knowledge fell 4.6 → 4.0); Sales' and Ops' 4.0s can.
        compute_results(
            &[
                team(1, None, "Sales", 0, [4.0; 5]),
                team(2, SALES, "West", 2, [4.0, 4.0, 5.0, 4.0, 4.0]),
                team(3, SALES, "East", 5, [4.0, 4.0, 4.6, 4.0, 4.0]),
                team(4, None, "Ops", 5, [4.0, 4.0, 4.5, 4.0, 4.0]),
            ],
            5,
        )
    }

    fn summary(hotspots: &[Hotspot]) -> Vec<(i64, Element, Vec<HotspotReason>, bool)> {
        hotspots
            .iter()
            .map(|h| (h.team_id, h.element, h.reasons.clone(), h.hotspot_team))
            .collect()
    }

    #[test]
    fn hotspots_follow_the_three_reasons_and_sort_by_mean_then_path() {
        let previous = previous();
        assert_eq!(previous.team(3).map(|t| t.suppressed), Some(true));
        let hotspots = find_hotspots(&current(), Some(&previous), &Playbook::default());
        assert_eq!(
            summary(&hotspots),
            [
                (2, Awareness, vec![Low, BelowOrg], true),
                (1, Awareness, vec![Low, BelowOrg, Declining], false),
                (4, Desire, vec![BelowOrg, Declining], true),
                (4, Knowledge, vec![Declining], true),
                (1, Knowledge, vec![Declining], false),
            ]
        );
        assert_eq!(hotspots[1].mean, 2.8);
        assert_eq!(
            (hotspots[0].path.as_str(), hotspots[0].n),
            ("Sales/West", 5)
        );
        assert_eq!(
            hotspots[2].interventions,
            Playbook::default().for_element(Desire)
        );
        assert_eq!(hotspot_team_ids(&hotspots), [2, 4]);
    }

    #[test]
    fn without_a_previous_wave_nothing_declines() {
        let hotspots = find_hotspots(&current(), None, &Playbook::default());
        assert_eq!(hotspots.len(), 3);
        assert!(hotspots.iter().all(|h| !h.reasons.contains(&Declining)));
    }

    #[test]
    fn suppressed_teams_and_a_suppressed_org_give_no_hotspots() {
        let results = compute_results(&[team(1, None, "Ops", 4, [1.0; 5])], 5);
        assert!(find_hotspots(&results, None, &Playbook::default()).is_empty());
    }

    #[test]
    fn reasons_serialise_in_snake_case() -> Result<(), serde_json::Error> {
        let json = serde_json::to_string(&[Low, BelowOrg, Declining])?;
        assert_eq!(json, r#"["low","below_org","declining"]"#);
        Ok(())
    }
}
