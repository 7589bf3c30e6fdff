//! Rules §4 across views: a location view and the unfiltered view of the same wave may
//! not be subtracted to show a smaller group (Sales 7 less Sales in Leeds 5 = York's 2).
//! A team's figures in a location view are shown only when every location group of its
//! subtree (and the people without a location) has no responses or at least k; an
//! element's mean only when the same holds for that element's answers. Then any
//! difference between views is a union of such groups: 0 or at least k.

use std::collections::HashMap;

use crate::scoring::SuppressionReason;
use crate::scoring::results::WaveResults;
use crate::scoring::tree::ResultLinks;

/// Responses of one team's own members from one location (`None`: no location).
#[derive(Debug, Clone, PartialEq)]
pub struct LocationGroup {
    /// The team (its own members, not its subtree).
    pub team_id: i64,
    /// The location as imported.
    pub location: Option<String>,
    /// Responses.
    pub responded: i64,
    /// Responses with a score, per element.
    pub n: [i64; 5],
}

type Groups = HashMap<Option<String>, (i64, [i64; 5])>;

/// Hides, in a location view, what the unfiltered view would let anyone subtract.
pub fn hide_cross_view_remainders(view: &mut WaveResults, groups: &[LocationGroup]) {
    let k = view.min_group_size;
    let index: HashMap<i64, usize> = view
        .teams
        .iter()
        .enumerate()
        .map(|(i, t)| (t.team_id, i))
        .collect();
    let links = ResultLinks::of(&view.teams);
    let mut subtree: Vec<Groups> = vec![Groups::new(); view.teams.len()];
    for g in groups {
        if let Some(&i) = index.get(&g.team_id) {
            add(&mut subtree[i], &g.location, g.responded, &g.n);
        }
    }
    let mut org = Groups::new();
    // Depth-first order: children come after their parent, so add them up backwards.
    for i in (0..view.teams.len()).rev() {
        let own = std::mem::take(&mut subtree[i]);
        for (location, (responded, n)) in &own {
            match links.parent[i] {
                Some(p) => add(&mut subtree[p], location, *responded, n),
                None => add(&mut org, location, *responded, n),
            }
        }
        subtree[i] = own;
    }
    for (i, team) in view.teams.iter_mut().enumerate() {
        if team.suppressed {
            continue;
        }
        if small(&subtree[i], k, |(responded, _)| *responded) {
            team.suppressed = true;
            team.suppression_reason = Some(SuppressionReason::Differencing);
            (team.elements, team.barriers, team.primary_barrier) = (None, None, None);
        } else if let Some(figures) = team.elements.as_mut() {
            for (e, figure) in figures.iter_mut().enumerate() {
                if small(&subtree[i], k, |(_, n)| n[e]) {
                    figure.mean = None;
                }
            }
        }
    }
    if !view.org.suppressed {
        if small(&org, k, |(responded, _)| *responded) {
            view.org.suppressed = true;
            (
                view.org.elements,
                view.org.barriers,
                view.org.primary_barrier,
            ) = (None, None, None);
        } else if let Some(figures) = view.org.elements.as_mut() {
            for (e, figure) in figures.iter_mut().enumerate() {
                if small(&org, k, |(_, n)| n[e]) {
                    figure.mean = None;
                }
            }
        }
    }
}

fn add(groups: &mut Groups, location: &Option<String>, responded: i64, n: &[i64; 5]) {
    let entry = groups.entry(location.clone()).or_insert((0, [0; 5]));
    entry.0 += responded;
    for (total, add) in entry.1.iter_mut().zip(n) {
        *total += add;
    }
}

fn small(groups: &Groups, k: i64, count: impl Fn(&(i64, [i64; 5])) -> i64) -> bool {
    groups.values().map(count).any(|c| c > 0 && c < k)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scoring::compute_results;
    use crate::scoring::fixtures::team;

    fn group(location: &str, responded: i64, n: [i64; 5]) -> LocationGroup {
        LocationGroup {
            team_id: 1,
            location: Some(location.into()),
            responded,
            n,
        }
    }

    /// Sales's Leeds view (five answers) beside its other location groups.
    fn leeds_view(others: &[LocationGroup]) -> WaveResults {
        let mut view = compute_results(&[team(1, None, "Sales", 5, [4.0; 5])], 5);
        let mut groups = vec![group("Leeds", 5, [5; 5])];
        groups.extend_from_slice(others);
        hide_cross_view_remainders(&mut view, &groups);
        view
    }

    #[test]
    fn a_view_is_hidden_when_the_full_view_less_it_leaves_fewer_than_k() {
        let view = leeds_view(&[group("York", 2, [2; 5])]);
        let sales = view.team(1).expect("sales");
        assert!(sales.suppressed && sales.elements.is_none());
        assert_eq!(
            sales.suppression_reason,
            Some(SuppressionReason::Differencing)
        );
        assert!(view.org.suppressed);

        let view = leeds_view(&[group("York", 5, [5; 5])]);
        assert!(
            !view.team(1).expect("sales").suppressed,
            "York is k: nothing to hide"
        );
    }

    #[test]
    fn an_elements_mean_is_hidden_when_its_answers_elsewhere_are_fewer_than_k() {
        let view = leeds_view(&[group("York", 5, [5, 5, 2, 5, 5])]);
        let elements = view.team(1).and_then(|t| t.elements).expect("shown");
        assert_eq!(elements[2].mean, None, "knowledge: York's 2 answers");
        assert_eq!(elements[0].mean, Some(4.0));
    }
}
