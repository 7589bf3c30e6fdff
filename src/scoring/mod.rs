//! Pure scoring: element scores and barrier points of one response, roll-up over
//! the team tree, anonymity suppression, hotspots and the intervention playbook
//! (rules.md §2, §3, §4, §5, §7). No IO: the caller loads aggregates and renders.

pub mod aggregate;
pub mod champions;
mod element_differencing;
pub mod hotspots;
pub mod location_differencing;
pub mod playbook;
pub mod response;
pub mod results;
pub mod suppression;
mod tree;

pub use aggregate::{ElementFigure, TeamAggregate, primary_barrier};
pub use hotspots::{Hotspot, HotspotReason, find_hotspots, hotspot_team_ids};
pub use playbook::Playbook;
pub use response::{BARRIER_MAX, READY_SLOT, ResponseScores, barrier_index, score_response};
pub use results::{OrgResult, TeamResult, WaveResults, compute_results};
pub use suppression::SuppressionReason;

// Means are sums of fractions divided by counts, so a mean that is exactly 3.0 or
// exactly 0.5 below another can come out one ulp too high. The tolerance is far
// below any difference the survey scale can produce in practice.
const TOLERANCE: f64 = 1e-9;

/// `x ≤ limit`, tolerating floating-point noise in `x` (rules' "≤" comparisons).
pub fn at_most(x: f64, limit: f64) -> bool {
    x <= limit + TOLERANCE
}

/// Rounds to 2 decimals for display; non-finite values come back unchanged.
pub fn round2(x: f64) -> f64 {
    let rounded = (x * 100.0).round() / 100.0;
    if rounded.is_finite() { rounded } else { x }
}

/// Share of invited people who responded, `None` when nobody was invited.
pub fn response_rate(invited: i64, responded: i64) -> Option<f64> {
    // i64 → f64 is exact for any head count this product will see.
    (invited > 0).then(|| responded as f64 / invited as f64)
}

/// The response rate as a whole percentage, rounded to the nearest (half up); 0 when
/// nobody was invited. One rounding for every page, so a team and its wave agree.
pub fn rate_percent(invited: i64, responded: i64) -> i64 {
    response_rate(invited, responded).map_or(0, |r| (r * 100.0).round() as i64)
}

/// Hand-built aggregates for the unit tests.
#[cfg(test)]
pub(crate) mod fixtures {
    use super::TeamAggregate;

    /// `n` ready responses whose element scores average `means`; the path is
    /// the name prefixed with `parent_path/` when given.
    pub fn team(
        id: i64,
        parent: Option<(i64, &str)>,
        name: &str,
        n: i64,
        means: [f64; 5],
    ) -> TeamAggregate {
        let path = parent.map_or(name.to_owned(), |(_, p)| format!("{p}/{name}"));
        let mut team = TeamAggregate::new(id, parent.map(|(p, _)| p), name, path);
        team.invited = n + 1;
        team.responded = n;
        team.element_n = [n; 5];
        team.element_sum = means.map(|m| m * n as f64);
        team.barriers = [0, 0, 0, 0, 0, n];
        team
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round2_rounds_half_away_from_zero_and_keeps_non_finite_values() {
        assert_eq!(round2(3.456), 3.46);
        assert_eq!(round2(3.454), 3.45);
        assert_eq!(round2(-1.125), -1.13);
        assert_eq!(round2(4.0), 4.0);
        assert!(round2(f64::NAN).is_nan());
        assert_eq!(round2(f64::INFINITY), f64::INFINITY);
        assert_eq!(round2(f64::MAX), f64::MAX);
    }

    #[test]
    fn at_most_absorbs_floating_point_noise_only() {
        let three_ish = (10.0 / 3.0 + 8.0 / 3.0) / 2.0;
        assert!(at_most(three_ish, 3.0));
        assert!(at_most(3.5000000000000004, 3.5));
        assert!(!at_most(3.0001, 3.0));
    }

    #[test]
    fn response_rate_needs_invitations() {
        assert_eq!(response_rate(0, 0), None);
        assert_eq!(response_rate(4, 3), Some(0.75));
    }

    #[test]
    fn rate_percent_rounds_to_the_nearest_whole_percent() {
        assert_eq!(rate_percent(6, 1), 17);
        assert_eq!(rate_percent(12, 1), 8);
        assert_eq!(rate_percent(8, 1), 13);
        assert_eq!(rate_percent(3, 2), 67);
        assert_eq!(rate_percent(0, 0), 0);
        assert_eq!(rate_percent(7, 7), 100);
    }
}
