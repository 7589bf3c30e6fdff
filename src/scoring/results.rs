//! Results of one wave: subtree roll-up per team and for the organisation, with
//! anonymity applied (rules.md §3, §4).

use serde::Serialize;

use crate::domain::adkar::Element;
use crate::scoring::aggregate::{ElementFigure, Tally, TeamAggregate, primary_barrier};
use crate::scoring::suppression::{SuppressionReason, suppress};
use crate::scoring::tree::Tree;

/// Everything the results page, CSV and API show for one wave.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WaveResults {
    /// k: no group smaller than this is ever shown.
    pub min_group_size: i64,
    /// The organisation as a whole (the virtual root).
    pub org: OrgResult,
    /// One entry per team, depth-first, children by name.
    pub teams: Vec<TeamResult>,
}

impl WaveResults {
    /// The entry of one team.
    pub fn team(&self, team_id: i64) -> Option<&TeamResult> {
        self.teams.iter().find(|t| t.team_id == team_id)
    }
}

/// Figures of the whole organisation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OrgResult {
    /// People invited.
    pub invited: i64,
    /// Responses.
    pub responded: i64,
    /// Fewer than k responses: figures hidden.
    pub suppressed: bool,
    /// Per element (A-D-K-A-R); `None` when suppressed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub elements: Option<[ElementFigure; 5]>,
    /// Responses per barrier point, slot 5 = ready; `None` when suppressed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub barriers: Option<[i64; 6]>,
    /// Most frequent barrier point; `None` when suppressed or all ready.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub primary_barrier: Option<Element>,
}

/// Figures of one team's subtree (the team and all its descendants).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TeamResult {
    /// The team.
    pub team_id: i64,
    /// Its parent team as given; `None` for a top-level team.
    pub parent_id: Option<i64>,
    /// Display name.
    pub name: String,
    /// Full path from the top.
    pub path: String,
    /// Depth in the tree, top level = 0.
    pub depth: usize,
    /// People invited in the subtree; shown even when suppressed.
    pub invited: i64,
    /// Responses in the subtree; shown even when suppressed.
    pub responded: i64,
    /// Figures hidden for anonymity.
    pub suppressed: bool,
    /// Why the figures are hidden.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub suppression_reason: Option<SuppressionReason>,
    /// Per element (A-D-K-A-R); `None` when suppressed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub elements: Option<[ElementFigure; 5]>,
    /// Responses per barrier point, slot 5 = ready; `None` when suppressed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub barriers: Option<[i64; 6]>,
    /// Most frequent barrier point; `None` when suppressed or all ready.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub primary_barrier: Option<Element>,
}

/// Rolls each team's own aggregate up its subtree and applies anonymity with
/// minimum group size `k` (validated elsewhere; any value is handled).
pub fn compute_results(teams: &[TeamAggregate], k: i64) -> WaveResults {
    let tree = Tree::build(teams);
    let mut tallies: Vec<Tally> = teams.iter().map(Tally::of).collect();
    for &i in tree.order.iter().rev() {
        if let Some(p) = tree.parent[i] {
            let child = tallies[i].clone();
            tallies[p].add(&child);
        }
    }
    let mut total = Tally::default();
    for &top in &tree.roots {
        total.add(&tallies[top]);
    }

    let own: Vec<i64> = teams.iter().map(|t| t.responded).collect();
    let subtree: Vec<i64> = tallies.iter().map(|t| t.responded).collect();
    let hidden = suppress(&tree, &own, &subtree, total.responded, k);

    let (elements, barriers, primary) = figures(&total, hidden.org, k);
    let org = OrgResult {
        invited: total.invited,
        responded: total.responded,
        suppressed: hidden.org,
        elements,
        barriers,
        primary_barrier: primary,
    };
    let teams = tree
        .order
        .iter()
        .map(|&i| {
            let team = &teams[i];
            let reason = hidden.teams[i];
            let (elements, barriers, primary) = figures(&tallies[i], reason.is_some(), k);
            TeamResult {
                team_id: team.team_id,
                parent_id: team.parent_id,
                name: team.name.clone(),
                path: team.path.clone(),
                depth: tree.depth[i],
                invited: tallies[i].invited,
                responded: tallies[i].responded,
                suppressed: reason.is_some(),
                suppression_reason: reason,
                elements,
                barriers,
                primary_barrier: primary,
            }
        })
        .collect();
    let mut results = WaveResults {
        min_group_size: k,
        org,
        teams,
    };
    crate::scoring::element_differencing::hide_element_remainders(&mut results);
    results
}

type Figures = (
    Option<[ElementFigure; 5]>,
    Option<[i64; 6]>,
    Option<Element>,
);

fn figures(tally: &Tally, suppressed: bool, k: i64) -> Figures {
    if suppressed {
        return (None, None, None);
    }
    // An element answered by fewer than k (the others skipped all its statements) would
    // show the mean of a group smaller than k: its count stays, its mean does not.
    let elements = tally.elements().map(|figure| ElementFigure {
        mean: figure.mean.filter(|_| figure.n >= k),
        ..figure
    });
    (
        Some(elements),
        Some(tally.barriers),
        primary_barrier(&tally.barriers),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::adkar::Element::*;
    use crate::scoring::fixtures::team;
    use proptest::prelude::*;

    #[test]
    fn an_element_answered_by_fewer_than_k_shows_its_count_and_no_mean() {
        let mut ops = team(1, None, "Ops", 5, [4.0; 5]);
        ops.element_n[2] = 1;
        ops.element_sum[2] = 1.25;
        let results = compute_results(&[ops], 5);
        let elements = results.team(1).and_then(|t| t.elements).expect("shown");
        assert_eq!(elements[2], ElementFigure { n: 1, mean: None });
        assert_eq!(elements[0].mean, Some(4.0), "the others are shown");
        assert_eq!(results.org.elements.expect("org")[2].mean, None);
    }

    #[test]
    fn figures_cover_the_whole_subtree_in_depth_first_name_order() {
        let mut sales = team(1, None, "Sales", 3, [4.0, 2.0, 3.0, 4.0, 5.0]);
        sales.barriers = [0, 3, 0, 0, 0, 0];
        let mut north = team(2, Some((1, "Sales")), "North", 3, [2.0, 4.0, 4.0, 4.0, 5.0]);
        north.barriers = [3, 0, 0, 0, 0, 0];
        north.element_n[2] = 0;
        north.element_sum[2] = 0.0;
        let mut ops = team(3, None, "Ops", 4, [5.0; 5]);
        ops.barriers = [0, 1, 0, 0, 0, 3];
        let results = compute_results(&[sales, north, ops], 3);

        let order: Vec<(i64, usize)> = results.teams.iter().map(|t| (t.team_id, t.depth)).collect();
        assert_eq!(order, [(3, 0), (1, 0), (2, 1)]);

        let sales = results.team(1).expect("sales");
        assert_eq!(
            (sales.invited, sales.responded, sales.suppressed),
            (8, 6, false)
        );
        let elements = sales.elements.expect("shown");
        assert_eq!(
            elements[0],
            ElementFigure {
                n: 6,
                mean: Some(3.0)
            }
        );
        assert_eq!(
            elements[2],
            ElementFigure {
                n: 3,
                mean: Some(3.0)
            },
            "North skipped it"
        );
        assert_eq!(sales.barriers, Some([3, 3, 0, 0, 0, 0]));
        assert_eq!(
            sales.primary_barrier,
            Some(Awareness),
            "tie goes to the earlier element"
        );
        assert_eq!(
            results.team(2).and_then(|t| t.primary_barrier),
            Some(Awareness)
        );

        assert_eq!((results.org.invited, results.org.responded), (13, 10));
        let org = results.org.elements.expect("shown");
        assert_eq!(
            org[1],
            ElementFigure {
                n: 10,
                mean: Some(3.8)
            }
        );
        assert_eq!(results.org.barriers, Some([3, 4, 0, 0, 0, 3]));
        assert_eq!(results.org.primary_barrier, Some(Desire));
    }

    #[test]
    fn all_ready_has_no_primary_barrier() {
        let results = compute_results(&[team(1, None, "Ops", 5, [4.5; 5])], 5);
        assert_eq!(results.org.primary_barrier, None);
        assert_eq!(results.teams[0].primary_barrier, None);
        assert_eq!(results.teams[0].barriers, Some([0, 0, 0, 0, 0, 5]));
    }

    #[test]
    fn suppressed_entries_serialise_without_figures() -> Result<(), serde_json::Error> {
        let results = compute_results(&[team(7, None, "Ops", 2, [4.0; 5])], 5);
        let json = serde_json::to_value(&results.teams[0])?;
        assert_eq!(json["suppression_reason"], "too_few_responses");
        assert_eq!(json["responded"], 2);
        assert!(json.get("elements").is_none() && json.get("barriers").is_none());
        assert!(json.get("primary_barrier").is_none());
        Ok(())
    }

    proptest! {
        #[test]
        fn any_input_and_any_k_give_every_team_once(
            parents in prop::collection::vec(prop::option::of(0i64..50), 0..30),
            counts in prop::collection::vec(-3i64..9, 30),
            k in any::<i64>(),
        ) {
            // Missing parents, self-parents, cycles and negative counts: bad data
            // must still list every team once and never panic.
            let specs = parents.iter().zip(counts).enumerate();
            let teams: Vec<TeamAggregate> = specs.map(|(i, (p, n))| {
                let mut t = TeamAggregate::new(i as i64, *p, format!("T{}", i % 4), "");
                t.responded = n;
                t
            }).collect();
            let wave = compute_results(&teams, k);
            let mut ids: Vec<i64> = wave.teams.iter().map(|t| t.team_id).collect();
            ids.sort_unstable();
            prop_assert_eq!(ids, (0..parents.len() as i64).collect::<Vec<_>>());
            let playbook = crate::scoring::Playbook::default();
            let _ = crate::scoring::find_hotspots(&wave, Some(&wave), &playbook);
        }
    }
}
