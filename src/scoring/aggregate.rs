//! Per-team sums of one wave and the figures derived from them (rules.md §3).

use serde::Serialize;

use crate::domain::adkar::Element;
use crate::scoring::response::{READY_SLOT, ResponseScores, barrier_index};

/// One team's own direct members' responses in one wave (not its subtree).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TeamAggregate {
    /// The team.
    pub team_id: i64,
    /// Its parent team; `None` for a top-level team.
    pub parent_id: Option<i64>,
    /// Display name; siblings are ordered by it.
    pub name: String,
    /// Full path from the top, e.g. `Sales/North`.
    pub path: String,
    /// Direct members invited.
    pub invited: i64,
    /// Responses of direct members; equals the sum of `barriers`.
    pub responded: i64,
    /// Per element (A-D-K-A-R): responses with a score for it.
    pub element_n: [i64; 5],
    /// Per element: sum of those responses' element scores.
    pub element_sum: [f64; 5],
    /// Responses per barrier point: slots 0..5 the elements, 5 = ready.
    pub barriers: [i64; 6],
}

impl TeamAggregate {
    /// A team with no invitations and no responses yet.
    pub fn new(
        team_id: i64,
        parent_id: Option<i64>,
        name: impl Into<String>,
        path: impl Into<String>,
    ) -> TeamAggregate {
        TeamAggregate {
            team_id,
            parent_id,
            name: name.into(),
            path: path.into(),
            invited: 0,
            responded: 0,
            element_n: [0; 5],
            element_sum: [0.0; 5],
            barriers: [0; 6],
        }
    }

    /// Counts one response of a direct member.
    pub fn add_response(&mut self, scores: &ResponseScores) {
        self.responded = self.responded.saturating_add(1);
        for (i, score) in scores.elements.iter().enumerate() {
            if let Some(score) = score {
                self.element_n[i] = self.element_n[i].saturating_add(1);
                self.element_sum[i] += score;
            }
        }
        let slot = barrier_index(scores.barrier);
        self.barriers[slot] = self.barriers[slot].saturating_add(1);
    }
}

/// Responses with a score for one element, and the mean of those scores.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ElementFigure {
    /// Responses with a score for the element.
    pub n: i64,
    /// Mean of their element scores, unrounded; `None` when `n` is 0.
    pub mean: Option<f64>,
}

impl ElementFigure {
    /// The figure of `n` scores adding up to `sum`.
    pub fn from_sum(n: i64, sum: f64) -> ElementFigure {
        // i64 → f64 is exact for any response count this product will see.
        let mean = (n > 0).then(|| sum / n as f64);
        ElementFigure { n, mean }
    }
}

/// The element most often the barrier point (ties: earlier in A-D-K-A-R order);
/// `None` when every response is ready or there are none.
pub fn primary_barrier(barriers: &[i64; 6]) -> Option<Element> {
    let mut best: Option<(Element, i64)> = None;
    for element in Element::ALL {
        let count = barriers[element.index()];
        if count > 0 && best.is_none_or(|(_, top)| count > top) {
            best = Some((element, count));
        }
    }
    best.map(|(element, _)| element)
}

/// Sums over a set of teams (a subtree or the whole organisation).
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Tally {
    pub invited: i64,
    pub responded: i64,
    pub element_n: [i64; 5],
    pub element_sum: [f64; 5],
    pub barriers: [i64; 6],
}

impl Tally {
    /// The sums of one team's own members.
    pub fn of(team: &TeamAggregate) -> Tally {
        Tally {
            invited: team.invited,
            responded: team.responded,
            element_n: team.element_n,
            element_sum: team.element_sum,
            barriers: team.barriers,
        }
    }

    /// Adds another set of teams' sums to these.
    pub fn add(&mut self, other: &Tally) {
        self.invited = self.invited.saturating_add(other.invited);
        self.responded = self.responded.saturating_add(other.responded);
        for i in 0..5 {
            self.element_n[i] = self.element_n[i].saturating_add(other.element_n[i]);
            self.element_sum[i] += other.element_sum[i];
        }
        for slot in 0..=READY_SLOT {
            self.barriers[slot] = self.barriers[slot].saturating_add(other.barriers[slot]);
        }
    }

    /// Per-element figures, in A-D-K-A-R order.
    pub fn elements(&self) -> [ElementFigure; 5] {
        std::array::from_fn(|i| ElementFigure::from_sum(self.element_n[i], self.element_sum[i]))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::adkar::Element::*;

    #[test]
    fn add_response_counts_scores_and_barrier_slots() {
        let mut team = TeamAggregate::new(1, None, "Sales", "Sales");
        team.add_response(&ResponseScores {
            elements: [Some(4.0), Some(2.5), None, Some(5.0), Some(3.0)],
            barrier: Some(Desire),
        });
        team.add_response(&ResponseScores {
            elements: [Some(5.0), Some(4.0), Some(4.0), None, None],
            barrier: None,
        });
        assert_eq!(team.responded, 2);
        assert_eq!(team.element_n, [2, 2, 1, 1, 1]);
        assert_eq!(team.element_sum, [9.0, 6.5, 4.0, 5.0, 3.0]);
        assert_eq!(team.barriers, [0, 1, 0, 0, 0, 1]);
    }

    #[test]
    fn element_figure_has_no_mean_without_scores() {
        assert_eq!(ElementFigure::from_sum(0, 0.0).mean, None);
        assert_eq!(ElementFigure::from_sum(4, 14.0).mean, Some(3.5));
    }

    #[test]
    fn primary_barrier_is_the_most_frequent_with_ties_to_the_earlier_element() {
        assert_eq!(primary_barrier(&[1, 3, 0, 3, 0, 9]), Some(Desire));
        assert_eq!(primary_barrier(&[0, 0, 2, 0, 2, 0]), Some(Knowledge));
        assert_eq!(primary_barrier(&[0, 0, 0, 0, 1, 0]), Some(Reinforcement));
        assert_eq!(primary_barrier(&[0, 0, 0, 0, 0, 7]), None, "all ready");
        assert_eq!(primary_barrier(&[0; 6]), None, "no responses");
    }
}
