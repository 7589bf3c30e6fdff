//! Anonymity: which teams' figures are hidden (rules.md §4).

use serde::Serialize;

use crate::scoring::tree::Tree;

/// Why a team's figures are hidden.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SuppressionReason {
    /// Its subtree has fewer than k responses (or none at all).
    TooFewResponses,
    /// Hidden so that figures shown elsewhere cannot be subtracted to reveal a
    /// group smaller than k.
    Differencing,
}

/// Which figures of one wave may be shown.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Suppression {
    /// The organisation root is hidden.
    pub org: bool,
    /// Per team (input position): why it is hidden, `None` = shown.
    pub teams: Vec<Option<SuppressionReason>>,
}

/// Applies rules §4 given each team's own (`own`) and subtree (`subtree`) response
/// counts and the organisation's `total`. The hidden set is closed downwards: a
/// hidden team's descendants are hidden too, so "subtree minus shown children"
/// stays exact arithmetic for everyone who sees the figures.
pub(crate) fn suppress(
    tree: &Tree,
    own: &[i64],
    subtree: &[i64],
    total: i64,
    k: i64,
) -> Suppression {
    // A group with no responses has nothing to show, whatever k is.
    let too_few = |count: i64| count < k || count <= 0;
    let mut teams: Vec<Option<SuppressionReason>> = subtree
        .iter()
        .map(|&count| too_few(count).then_some(SuppressionReason::TooFewResponses))
        .collect();
    // Counts only grow up the tree, so this is a no-op on sound data.
    for &i in &tree.order {
        if let (Some(p), None) = (tree.parent[i], teams[i]) {
            teams[i] = teams[p];
        }
    }

    // Top-down: differencing at T only hides T's direct children (and their
    // subtrees), which changes no R already settled above T.
    let mut pass = Differencing {
        tree,
        subtree,
        k,
        teams,
    };
    pass.settle(&tree.roots, 0);
    for &i in &tree.order {
        if pass.teams[i].is_none() {
            pass.settle(&tree.children[i], own[i]);
        }
    }
    Suppression {
        org: too_few(total),
        teams: pass.teams,
    }
}

struct Differencing<'a> {
    tree: &'a Tree,
    subtree: &'a [i64],
    k: i64,
    teams: Vec<Option<SuppressionReason>>,
}

impl Differencing<'_> {
    /// Hides the smallest shown child subtrees (ties: name) until the responses
    /// not covered by a shown child, R, are 0 or at least k.
    fn settle(&mut self, children: &[usize], own: i64) {
        let mut uncovered = children
            .iter()
            .filter(|&&c| self.teams[c].is_some())
            .fold(own, |sum, &c| sum.saturating_add(self.subtree[c]));
        while 0 < uncovered && uncovered < self.k {
            // `children` are in name order and min_by_key keeps the first minimum.
            let smallest = children
                .iter()
                .copied()
                .filter(|&c| self.teams[c].is_none())
                .min_by_key(|&c| self.subtree[c]);
            let Some(child) = smallest else { break };
            self.hide_subtree(child);
            uncovered = uncovered.saturating_add(self.subtree[child]);
        }
    }

    fn hide_subtree(&mut self, top: usize) {
        let mut stack = vec![top];
        while let Some(i) = stack.pop() {
            self.teams[i].get_or_insert(SuppressionReason::Differencing);
            stack.extend(self.tree.children[i].iter().copied());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::SuppressionReason::{Differencing, TooFewResponses};
    use super::*;
    use crate::scoring::fixtures::team;
    use crate::scoring::results::{WaveResults, compute_results};

    const FOURS: [f64; 5] = [4.0; 5];

    fn reason(results: &WaveResults, id: i64) -> Option<SuppressionReason> {
        results.team(id).and_then(|t| t.suppression_reason)
    }

    #[test]
    fn a_subtree_below_k_is_suppressed_but_keeps_its_counts() {
        let teams = [
            team(1, None, "Ops", 4, FOURS),
            team(2, None, "Sales", 0, FOURS),
        ];
        let results = compute_results(&teams, 5);
        let ops = results.team(1).expect("ops");
        assert_eq!((ops.invited, ops.responded, ops.suppressed), (5, 4, true));
        assert_eq!(ops.suppression_reason, Some(TooFewResponses));
        assert_eq!(
            (ops.elements, ops.barriers, ops.primary_barrier),
            (None, None, None)
        );
        assert_eq!(
            reason(&results, 2),
            Some(TooFewResponses),
            "no responses at all"
        );
        assert!(results.org.suppressed, "4 in all is below k");
        assert_eq!((results.org.responded, results.org.elements), (4, None));
    }

    #[test]
    fn parent_members_left_alone_hide_the_smaller_child() {
        // 2 direct members + children of 5 and 6: showing both children would
        // reveal the 2 as 13 - 5 - 6, so the 5 go; R becomes 2 + 5 = 7.
        let teams = [
            team(1, None, "Sales", 2, FOURS),
            team(2, Some((1, "Sales")), "North", 6, FOURS),
            team(3, Some((1, "Sales")), "South", 5, FOURS),
        ];
        let results = compute_results(&teams, 5);
        assert_eq!(reason(&results, 1), None);
        assert_eq!(reason(&results, 2), None);
        assert_eq!(reason(&results, 3), Some(Differencing));
    }

    #[test]
    fn equal_children_are_hidden_by_name_order() {
        let teams = [
            team(1, None, "Sales", 1, FOURS),
            team(2, Some((1, "Sales")), "Beta", 5, FOURS),
            team(3, Some((1, "Sales")), "Alpha", 5, FOURS),
        ];
        let results = compute_results(&teams, 5);
        assert_eq!(reason(&results, 3), Some(Differencing), "Alpha comes first");
        assert_eq!(reason(&results, 2), None);
    }

    #[test]
    fn the_org_root_differences_its_top_level_teams() {
        // Ops (4) is hidden for size, so Finance (7) and Sales (9) would give it
        // away as 20 - 7 - 9: the smaller, Finance, goes too.
        let teams = [
            team(1, None, "Sales", 9, FOURS),
            team(2, None, "Ops", 4, FOURS),
            team(3, None, "Finance", 7, FOURS),
        ];
        let results = compute_results(&teams, 5);
        assert!(!results.org.suppressed);
        assert_eq!(reason(&results, 2), Some(TooFewResponses));
        assert_eq!(reason(&results, 3), Some(Differencing));
        assert_eq!(reason(&results, 1), None);
    }

    #[test]
    fn a_differenced_child_takes_its_whole_subtree_with_it() {
        let teams = [
            team(1, None, "Sales", 1, FOURS),
            team(2, Some((1, "Sales")), "North", 3, FOURS),
            team(3, Some((2, "Sales/North")), "Inside", 5, FOURS),
            team(4, Some((1, "Sales")), "South", 9, FOURS),
        ];
        let results = compute_results(&teams, 5);
        assert_eq!(
            reason(&results, 2),
            Some(Differencing),
            "North (8) < South (9)"
        );
        assert_eq!(
            reason(&results, 3),
            Some(Differencing),
            "Inside goes with North"
        );
        assert_eq!(reason(&results, 4), None);
        assert_eq!(reason(&results, 1), None, "R = 1 + 8 = 9");
    }

    #[test]
    fn a_shown_team_whose_members_are_all_in_children_needs_nothing_hidden() {
        let teams = [
            team(1, None, "Sales", 0, FOURS),
            team(2, Some((1, "Sales")), "North", 5, FOURS),
            team(3, Some((1, "Sales")), "South", 5, FOURS),
        ];
        let results = compute_results(&teams, 5);
        assert!(results.teams.iter().all(|t| !t.suppressed));
    }

    #[test]
    fn any_k_is_handled_without_panicking() {
        let teams = [
            team(1, None, "Sales", 0, FOURS),
            team(2, Some((1, "Sales")), "North", 2, FOURS),
        ];
        for k in [i64::MIN, -3, 0, 1, 3, i64::MAX] {
            let results = compute_results(&teams, k);
            assert_eq!(results.min_group_size, k);
            let north_shown = !results.team(2).is_some_and(|t| t.suppressed);
            assert_eq!(north_shown, k <= 2, "k = {k}");
        }
        assert!(compute_results(&[], 5).org.suppressed);
    }
}
