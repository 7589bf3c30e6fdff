//! Scores of one response: element scores and the barrier point (rules.md §2).

use serde::Serialize;

use crate::domain::adkar::Element;
use crate::domain::likert::Likert;
use crate::scoring::at_most;

/// An element score at or below this is a barrier (Prosci: a 3 or lower).
pub const BARRIER_MAX: f64 = 3.0;

/// Slot of `ready` in a 6-slot barrier count; slots 0..5 are the elements.
pub const READY_SLOT: usize = 5;

/// Element scores of one response and its barrier point.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ResponseScores {
    /// Mean of each element's answered items, in A-D-K-A-R order; `None` when
    /// no item of that element was answered.
    pub elements: [Option<f64>; 5],
    /// First element, in A-D-K-A-R order, scoring ≤ 3.0; `None` = ready.
    pub barrier: Option<Element>,
}

/// Scores one response from its answered items (skipped items are simply absent).
pub fn score_response(answers: &[(Element, Likert)]) -> ResponseScores {
    let mut sums = [0u64; 5];
    let mut counts = [0u64; 5];
    for (element, answer) in answers {
        sums[element.index()] += u64::from(answer.value());
        counts[element.index()] += 1;
    }
    // Integer sums divided once keep a mean of exactly 3 at exactly 3.0 (the
    // casts are exact below 2^53 items).
    let elements: [Option<f64>; 5] =
        std::array::from_fn(|i| (counts[i] > 0).then(|| sums[i] as f64 / counts[i] as f64));
    ResponseScores {
        elements,
        barrier: barrier_point(&elements),
    }
}

/// First element, in A-D-K-A-R order, whose score is ≤ 3.0; elements without a
/// score are passed over. `None` = ready.
pub fn barrier_point(elements: &[Option<f64>; 5]) -> Option<Element> {
    Element::ALL
        .into_iter()
        .find(|e| elements[e.index()].is_some_and(|score| at_most(score, BARRIER_MAX)))
}

/// Slot of a barrier point in a 6-slot count: 0..5 the elements, 5 = ready.
pub fn barrier_index(barrier: Option<Element>) -> usize {
    barrier.map_or(READY_SLOT, Element::index)
}

#[cfg(test)]
mod tests {
    use super::*;
    use Element::*;

    fn answers(items: &[(Element, i64)]) -> Vec<(Element, Likert)> {
        items
            .iter()
            .filter_map(|&(e, v)| Likert::new(v).ok().map(|l| (e, l)))
            .collect()
    }

    #[test]
    fn element_score_is_the_mean_of_answered_items() {
        let scores = score_response(&answers(&[
            (Awareness, 4),
            (Awareness, 5),
            (Awareness, 3),
            (Desire, 2),
            (Ability, 5),
            (Ability, 4),
        ]));
        assert_eq!(
            scores.elements,
            [Some(4.0), Some(2.0), None, Some(4.5), None]
        );
    }

    #[test]
    fn barrier_is_the_first_element_at_or_below_three() {
        let scores = score_response(&answers(&[
            (Awareness, 4),
            (Desire, 3),
            (Knowledge, 1),
            (Reinforcement, 2),
        ]));
        assert_eq!(scores.barrier, Some(Desire));
    }

    #[test]
    fn a_mean_of_exactly_three_is_a_barrier() {
        let scores = score_response(&answers(&[(Awareness, 2), (Awareness, 4), (Awareness, 3)]));
        assert_eq!(scores.elements[0], Some(3.0));
        assert_eq!(scores.barrier, Some(Awareness));
    }

    #[test]
    fn elements_without_a_score_are_passed_over() {
        let scores = score_response(&answers(&[(Desire, 5), (Knowledge, 3), (Knowledge, 4)]));
        assert_eq!(scores.elements[0], None);
        assert_eq!(scores.barrier, None, "3.5 is above 3.0");
        let scores = score_response(&answers(&[(Reinforcement, 1)]));
        assert_eq!(scores.barrier, Some(Reinforcement));
    }

    #[test]
    fn no_answers_means_no_scores_and_ready() {
        let scores = score_response(&[]);
        assert_eq!(scores.elements, [None; 5]);
        assert_eq!(scores.barrier, None);
    }

    #[test]
    fn barrier_index_puts_ready_in_the_sixth_slot() {
        assert_eq!(barrier_index(Some(Awareness)), 0);
        assert_eq!(barrier_index(Some(Reinforcement)), 4);
        assert_eq!(barrier_index(None), READY_SLOT);
    }
}
