//! Rules §4 differencing, per element. Skipped statements make an element's count
//! differ from the team's responses, so hiding whole teams (`suppression`) is not
//! enough: a team's knowledge mean less its shown children's could still be the answers
//! of one person. The same rule, applied to each element's counts: for every shown mean
//! (a team's or the organisation's), let R = its count less its children's shown
//! counts; while 0 < R < k, hide the mean of the child subtree with the fewest answers
//! (ties: name), throughout that subtree.

use crate::scoring::results::WaveResults;
use crate::scoring::tree::ResultLinks;

/// Applies the rule to `results` (teams depth-first, children by name).
pub(crate) fn hide_element_remainders(results: &mut WaveResults) {
    let k = results.min_group_size;
    let ResultLinks { children, top, .. } = ResultLinks::of(&results.teams);
    for e in 0..5 {
        let org_count = results.org.elements.and_then(|f| f[e].mean.map(|_| f[e].n));
        hide_under(results, org_count, &top, &children, e, k);
        // Depth-first order: a parent decides before its children are looked at.
        for i in 0..results.teams.len() {
            let count = shown_count(results, i, e);
            hide_under(results, count, &children[i], &children, e, k);
        }
    }
}

fn shown_count(results: &WaveResults, i: usize, e: usize) -> Option<i64> {
    results.teams[i]
        .elements
        .and_then(|f| f[e].mean.map(|_| f[e].n))
}

fn hide_under(
    results: &mut WaveResults,
    count: Option<i64>,
    kids: &[usize],
    children: &[Vec<usize>],
    e: usize,
    k: i64,
) {
    let Some(count) = count else { return };
    loop {
        let shown: Vec<(i64, usize)> = kids
            .iter()
            .filter_map(|&c| shown_count(results, c, e).map(|n| (n, c)))
            .collect();
        let rest = count - shown.iter().map(|(n, _)| n).sum::<i64>();
        if rest == 0 || rest >= k {
            return;
        }
        let smallest = shown.iter().min_by(|(a, i), (b, j)| {
            a.cmp(b)
                .then_with(|| results.teams[*i].name.cmp(&results.teams[*j].name))
        });
        let Some(&(_, child)) = smallest else { return };
        hide_subtree(results, child, children, e);
    }
}

fn hide_subtree(results: &mut WaveResults, i: usize, children: &[Vec<usize>], e: usize) {
    if let Some(figures) = results.teams[i].elements.as_mut() {
        figures[e].mean = None;
    }
    for &c in &children[i] {
        hide_subtree(results, c, children, e);
    }
}

#[cfg(test)]
mod tests {
    use crate::scoring::fixtures::team;
    use crate::scoring::results::compute_results;

    #[test]
    fn a_parents_mean_less_a_childs_never_leaves_fewer_than_k_answers() {
        // Sales' own five answered everything but knowledge, which one of them answered;
        // North (under Sales) answered everything.
        let mut sales = team(1, None, "Sales", 5, [4.0; 5]);
        sales.element_n[2] = 1;
        sales.element_sum[2] = 1.0;
        let north = team(2, Some((1, "Sales")), "North", 5, [4.0; 5]);
        let results = compute_results(&[sales, north], 5);

        let elements = |id| results.team(id).and_then(|t| t.elements).expect("shown");
        assert_eq!(elements(1)[2].mean, Some(21.0 / 6.0), "Sales: 6 answers");
        assert_eq!(
            elements(2)[2].mean,
            None,
            "North hidden: Sales less North is one person"
        );
        assert_eq!(elements(2)[2].n, 5, "its count stays");
        assert_eq!(elements(2)[0].mean, Some(4.0), "other elements untouched");
    }
}
