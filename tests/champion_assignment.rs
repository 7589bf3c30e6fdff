//! Tests for `scoring::champions` (rules §6): distances, hand-made cases, and a
//! brute-force comparison on small random instances.

use changeready::scoring::champions::{
    AssignedTeam, Assignment, Candidate, TeamTree, assign_champions, assign_with_overrides,
    readiness_micros,
};
use proptest::prelude::*;

fn cand(email: &str, team_id: i64, readiness: Option<f64>) -> Candidate {
    let email = email.to_owned();
    Candidate {
        email,
        team_id,
        readiness,
    }
}

/// Candidates from `(email, team, readiness)`, readiness 0.0 meaning a nominee.
fn people(rows: &[(&str, i64, f64)]) -> Vec<Candidate> {
    (rows.iter())
        .map(|&(e, t, r)| cand(e, t, (r > 0.0).then_some(r)))
        .collect()
}

/// A tree from `(team, parent)` rows, parent 0 meaning none.
fn tree_of(rows: &[(i64, i64)]) -> TeamTree {
    let row = |&(t, p): &(i64, i64)| (t, (p != 0).then_some(p));
    TeamTree::new(&rows.iter().map(row).collect::<Vec<_>>())
}

/// 1 ─┬─ 2 ─── 4
///    └─ 3 ─── 5      6 (top-level)
fn tree() -> TeamTree {
    tree_of(&[(1, 0), (2, 1), (3, 1), (4, 2), (5, 3), (6, 0)])
}

fn names(a: Assignment) -> Vec<(i64, String)> {
    let name = |t: AssignedTeam| (t.team_id, t.champion_email);
    a.assignments.into_iter().map(name).collect()
}

/// The `(team, champion)` pairs of the best assignment in `tree()`.
fn best(cands: &[Candidate], hotspots: &[i64], max_teams: u32) -> Vec<(i64, String)> {
    names(assign_champions(&tree(), cands, hotspots, max_teams))
}

fn pairs(rows: &[(i64, &str)]) -> Vec<(i64, String)> {
    rows.iter().map(|&(t, e)| (t, e.to_owned())).collect()
}

#[test]
fn distances_follow_the_tree_through_the_organisation_root() {
    let t = tree();
    assert_eq!(t.distance(4, 4), Some(0)); // same team
    assert_eq!((t.distance(2, 4), t.distance(4, 2)), (Some(1), Some(1))); // parent, child
    assert_eq!(t.distance(2, 3), Some(2)); // siblings
    assert_eq!(t.distance(1, 6), Some(2)); // two top-level teams
    assert_eq!(t.distance(4, 5), Some(4)); // cousins
    assert_eq!((t.distance(4, 6), t.distance(4, 99)), (Some(4), None));
}

#[test]
fn parent_cycles_are_left_out_and_unknown_parents_are_top_level() {
    let t = tree_of(&[(1, 2), (2, 1), (3, 3), (4, 42), (5, 1), (6, 0), (4, 6)]);
    assert_eq!((t.distance(1, 2), t.distance(3, 3)), (None, None));
    assert_eq!((t.distance(5, 6), t.distance(4, 6)), (None, Some(2))); // 4's first row counts
}

#[test]
fn beats_a_greedy_pass_on_total_distance() {
    // Greedy in team order gives 1 its nearest champion x (1 edge), leaving y for 4
    // (4 edges): 5 in all. The optimum is 1 <- y (2 edges), 4 <- x (1 edge): 3.
    let cands = people(&[("x@o", 2, 0.0), ("y@o", 6, 0.0)]);
    let a = assign_champions(&tree(), &cands, &[1, 4], 1);
    assert_eq!(best(&cands, &[1, 4], 1), pairs(&[(1, "y@o"), (4, "x@o")]));
    assert_eq!((a.total_distance, a.uncovered.len()), (3, 0));
}

#[test]
fn scarce_champions_cover_the_nearest_teams() {
    // Every champion in the tree reaches every team there, so coverage is limited by
    // slots (and by teams outside the tree); the slots go where they cost least.
    let cands = people(&[("x@o", 4, 0.0), ("gone@o", 77, 5.0)]);
    let a = assign_champions(&tree(), &cands, &[5, 2, 99], 1);
    assert_eq!(best(&cands, &[5, 2, 99], 1), pairs(&[(2, "x@o")]));
    assert_eq!((a.total_distance, a.uncovered), (1, vec![5, 99]));
}

#[test]
fn capacity_is_respected() {
    let cands = people(&[("x@o", 2, 4.0)]);
    let a = assign_champions(&tree(), &cands, &[5, 4, 1, 4], 2);
    assert_eq!(
        best(&cands, &[5, 4, 1], 2),
        pairs(&[(1, "x@o"), (4, "x@o")])
    );
    assert_eq!((a.total_distance, a.uncovered), (2, vec![5]));
    let none = assign_champions(&tree(), &cands, &[4], 0);
    assert_eq!((none.assignments.len(), none.uncovered), (0, vec![4]));
}

#[test]
fn readiness_breaks_distance_ties() {
    let cands = people(&[("a@o", 2, 0.0), ("b@o", 2, 3.5), ("c@o", 2, 4.0)]);
    assert_eq!(best(&cands, &[4], 1), pairs(&[(4, "c@o")]));
    // A nearer champion still wins over a readier one.
    let near = people(&[("z@o", 4, 0.0), ("c@o", 2, 5.0)]);
    assert_eq!(best(&near, &[4], 1), pairs(&[(4, "z@o")]));
}

#[test]
fn smaller_email_breaks_remaining_ties() {
    let cands = people(&[("b@o", 1, 4.0), ("a@o", 1, 4.0)]);
    assert_eq!(best(&cands, &[3, 2], 1), pairs(&[(2, "a@o"), (3, "b@o")]));
    // Of candidates sharing an email, the first counts.
    let cands = people(&[("b@o", 1, 0.0), ("a@o", 1, 0.0), ("a@o", 6, 0.0)]);
    assert_eq!(best(&cands, &[2], 1), pairs(&[(2, "a@o")]));
}

#[test]
fn overrides_are_kept_and_use_capacity() {
    let cands = people(&[("x@o", 4, 0.0), ("y@o", 6, 0.0)]);
    let (x, ghost) = (Some("x@o".to_owned()), Some("ghost@o".to_owned()));
    let overrides = [(5, x), (2, None), (1, ghost), (6, None)];
    let a = assign_with_overrides(&tree(), &cands, &[1, 2, 4, 5], 1, &overrides);
    assert_eq!((&a.uncovered, a.total_distance), (&vec![4], 6));
    assert_eq!(names(a), pairs(&[(1, "y@o"), (5, "x@o")]));
}

/// Teams, hotspots, candidates, capacity, overrides as `(team, candidate index)`.
type Instance = (
    Vec<(i64, Option<i64>)>,
    Vec<i64>,
    Vec<Candidate>,
    u32,
    Vec<(i64, Option<usize>)>,
);

/// Tries every assignment of the free teams (none, or any candidate in reach) and keeps the
/// smallest (uncovered teams, total distance, minus total readiness, email ranks by team).
fn brute_force((_, hot, cands, cap, overrides): &Instance, tree: &TeamTree) -> Assignment {
    let mut order: Vec<usize> = (0..cands.len()).collect();
    order.sort_by(|&a, &b| cands[a].email.cmp(&cands[b].email));
    let rank = |c: usize| order.iter().position(|&o| o == c).unwrap_or(usize::MAX);
    let dist = |c: usize, t: i64| tree.distance(cands[c].team_id, t);
    let mut free = hot.clone();
    free.sort_unstable();
    free.dedup();
    let mut pinned = std::collections::BTreeMap::new(); // the last valid override counts
    for &(t, c) in overrides.iter().filter(|o| free.contains(&o.0)) {
        if c.is_none_or(|c| dist(c, t).is_some()) {
            pinned.insert(t, c);
        }
    }
    free.retain(|t| !pinned.contains_key(t));
    let mut pins = vec![0; cands.len()];
    pinned.values().flatten().for_each(|&c| pins[c] += 1);
    let (mut best, mut choice) = (None, vec![0; free.len()]); // 0: none, i + 1: candidate i
    loop {
        let (mut used, mut ok) = (pins.clone(), true);
        let (mut covered, mut total, mut ready, mut ranks) = (0, 0, 0, Vec::new());
        for (&t, &ch) in free.iter().zip(&choice) {
            ranks.push(if ch == 0 { usize::MAX } else { rank(ch - 1) });
            if ch > 0 {
                used[ch - 1] += 1;
                ok &= dist(ch - 1, t).is_some();
                (covered, total) = (covered + 1, total + dist(ch - 1, t).unwrap_or(0));
                ready -= readiness_micros(cands[ch - 1].readiness);
            }
        }
        ok &= (0..cands.len()).all(|c| used[c] <= (*cap).max(pins[c]));
        let key = (free.len() - covered, total, ready, ranks);
        if ok && best.as_ref().is_none_or(|(k, _)| key < *k) {
            best = Some((key, choice.clone()));
        }
        let Some(i) = (0..choice.len()).find(|&i| choice[i] < cands.len()) else {
            break;
        };
        choice[i] += 1;
        choice[..i].iter_mut().for_each(|c| *c = 0);
    }
    let best = best.map(|b| b.1).unwrap_or_default();
    let mut out = Assignment::default();
    let chosen = free
        .iter()
        .zip(&best)
        .map(|(&t, &ch)| (t, ch.checked_sub(1)));
    for (team_id, c) in pinned.into_iter().chain(chosen) {
        let Some(c) = c else {
            out.uncovered
                .extend(free.contains(&team_id).then_some(team_id));
            continue;
        };
        let (champion_email, distance) = (cands[c].email.clone(), dist(c, team_id).unwrap_or(0));
        out.total_distance += u64::from(distance);
        out.assignments.push(AssignedTeam {
            team_id,
            champion_email,
            distance,
        });
    }
    out.assignments.sort_by_key(|a| a.team_id);
    out.uncovered.sort_unstable();
    out
}

/// Up to 7 teams (ids 100, 99, ...; random parents, so cycles too), hotspots and up to five
/// candidates on them or on the unknown id after them, unique emails, overrides.
fn instance() -> impl Strategy<Value = Instance> {
    let ready = [0.0, 1.0, 3.0, 3.0, 10.0 / 3.0, 5.0].map(|r| (r > 0.0).then_some(r));
    let sizes = move |n: usize| {
        let parents = prop::collection::vec(prop::option::of(0..n), n);
        let cand = (0..3u8, 0..=n, prop::sample::select(ready.to_vec()));
        let over = prop::collection::vec((0..=n, prop::option::of(0..5usize)), 0..=3);
        let hot = prop::collection::vec(0..=n, 1..=6);
        let people = prop::collection::vec(cand, 0..=5);
        (parents, hot, people, 0u32..=3, over)
    };
    (1usize..=7)
        .prop_flat_map(sizes)
        .prop_map(|(parents, hot, cands, cap, over)| {
            let id = |i: usize| 100 - i as i64;
            let team = |(i, p): (usize, &Option<usize>)| (id(i), p.map(id));
            let teams = parents.iter().enumerate().map(team).collect();
            let email = |i: usize, l: u8| format!("{}{i}@o", (b'a' + l) as char);
            let person = |(i, &(l, t, r)): (usize, &(u8, usize, _))| cand(&email(i, l), id(t), r);
            let cands: Vec<Candidate> = cands.iter().enumerate().map(person).collect();
            let valid = |o: &(usize, Option<usize>)| o.1.is_none_or(|c| c < cands.len());
            let kept = over.into_iter().filter(valid);
            let over = kept.map(|(t, c)| (id(t), c)).collect();
            (teams, hot.into_iter().map(id).collect(), cands, cap, over)
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]
    #[test]
    fn matches_brute_force(instance in instance()) {
        let (teams, hot, cands, cap, over) = &instance;
        let tree = TeamTree::new(teams);
        let email = |c: &Option<usize>| c.map(|c| cands[c].email.clone());
        let named: Vec<(i64, Option<String>)> = over.iter().map(|(t, c)| (*t, email(c))).collect();
        let expected = brute_force(&instance, &tree);
        prop_assert_eq!(assign_with_overrides(&tree, cands, hot, *cap, &named), expected);
        let plain = (teams.clone(), hot.clone(), cands.clone(), *cap, Vec::new());
        prop_assert_eq!(assign_champions(&tree, cands, hot, *cap), brute_force(&plain, &tree));
    }
}

/// Times the benchmark size (500 hotspots, 2,000 candidates, 3,000 teams), then the same
/// with nominees only, all from 40 teams (many ties): `cargo test --release --test
/// champion_assignment -- --ignored --nocapture`.
#[test]
#[ignore]
fn benchmark_500_hotspots_2000_candidates_3000_teams() {
    let mut seed = 0x2545_f491_4f6c_dd1d_u64;
    let mut next = |n: u64| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed % n
    };
    let teams: Vec<_> = (0..3000)
        .map(|i| (i, (i >= 8).then(|| next(i as u64) as i64)))
        .collect();
    let cands: Vec<Candidate> = (0..2000)
        .map(|i| {
            let r = (next(3) > 0).then(|| 1.0 + next(4_000_000) as f64 / 1e6);
            cand(&format!("p{:04}-{i}@o", next(10_000)), next(3000) as i64, r)
        })
        .collect();
    let mut hot: Vec<i64> = Vec::new();
    while hot.len() < 500 {
        hot.push(1000 + next(2000) as i64);
        hot.sort_unstable();
        hot.dedup();
    }
    let tree = TeamTree::new(&teams);
    let ties: Vec<_> = cands
        .iter()
        .map(|c| cand(&c.email, c.team_id % 40, None))
        .collect();
    for (name, cands) in [("benchmark", &cands), ("ties", &ties)] {
        let start = std::time::Instant::now();
        let a = assign_champions(&tree, cands, &hot, 2);
        let (took, covered) = (start.elapsed(), a.assignments.len());
        println!(
            "{name}: {covered} teams covered, distance {}, {took:?}",
            a.total_distance
        );
        assert!(a.uncovered.is_empty());
    }
}
