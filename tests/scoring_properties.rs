//! Property tests of the scoring engine on random team trees (rules.md §2–§5):
//! every figure is checked against a direct, slow computation over raw responses.

use std::collections::{HashMap, HashSet};

use proptest::prelude::*;

use changeready::domain::adkar::Element;
use changeready::domain::likert::Likert;
use changeready::scoring::{
    ElementFigure, Hotspot, HotspotReason, Playbook, ResponseScores, SuppressionReason,
    TeamAggregate, WaveResults, barrier_index, compute_results, find_hotspots, score_response,
};

/// 20 items, 4 per element in A-D-K-A-R order; `None` = skipped.
type RawAnswers = Vec<Option<u8>>;

/// Waves, by index: the current one and the previous one.
const NOW: usize = 0;
const BEFORE: usize = 1;

#[derive(Debug, Clone)]
struct Team {
    id: i64,
    parent: Option<i64>,
    name: String,
    path: String,
    not_answered: i64,
    responses: [Vec<ResponseScores>; 2],
}

#[derive(Debug, Clone)]
struct Org {
    teams: Vec<Team>,
    k: [i64; 2],
}

fn answers(raw: &RawAnswers) -> Vec<(Element, Likert)> {
    let given = raw.iter().enumerate();
    let given = given.filter_map(|(i, v)| Some((Element::from_index(i / 4)?, (*v)?)));
    let likert = |v: u8| Likert::new(v.into()).ok();
    given.filter_map(|(e, v)| Some((e, likert(v)?))).collect()
}

fn raw_answers() -> impl Strategy<Value = RawAnswers> {
    prop::collection::vec(prop::option::weighted(0.8, 1u8..=5), 20)
}

fn responses() -> impl Strategy<Value = Vec<ResponseScores>> {
    let all = prop::collection::vec(raw_answers(), 0..7);
    let scored = |raw: &RawAnswers| score_response(&answers(raw));
    all.prop_map(move |all| all.iter().map(scored).collect())
}

fn org() -> impl Strategy<Value = Org> {
    let team = (any::<u32>(), 0u8..4, 0u8..6, 0i64..3);
    let team = (team, [responses(), responses()]);
    let specs = prop::collection::vec(team, 1..40);
    (specs, [3i64..8, 3i64..8]).prop_flat_map(|(specs, k)| {
        let mut teams: Vec<Team> = Vec::new();
        for (i, ((pick, top, name, not_answered), responses)) in specs.into_iter().enumerate() {
            // Parents come earlier, so the tree has no cycles; 1 in 4 is top-level.
            let parent = (i > 0 && top > 0).then(|| pick as usize % i);
            let name = format!("T{name}");
            let path = parent.map_or(name.clone(), |p| format!("{}/{name}", teams[p].path));
            let (id, parent) = (100 + i as i64, parent.map(|p| 100 + p as i64));
            teams.push(Team {
                id,
                parent,
                name,
                path,
                not_answered,
                responses,
            });
        }
        // The engine must not depend on the input order.
        (Just(teams).prop_shuffle(), Just(k)).prop_map(|(teams, k)| Org { teams, k })
    })
}

fn results(org: &Org, wave: usize) -> WaveResults {
    let aggregates = org.teams.iter().map(|t| {
        let mut agg = TeamAggregate::new(t.id, t.parent, t.name.clone(), t.path.clone());
        t.responses[wave].iter().for_each(|r| agg.add_response(r));
        agg.invited = agg.responded + t.not_answered;
        agg
    });
    compute_results(&aggregates.collect::<Vec<_>>(), org.k[wave])
}

/// Ids of `id` and all its descendants, by walking every team's parent chain.
fn subtree_ids(org: &Org, id: i64) -> HashSet<i64> {
    let parent: HashMap<i64, Option<i64>> = org.teams.iter().map(|t| (t.id, t.parent)).collect();
    let under = |mut at: Option<i64>| {
        while at.is_some_and(|a| a != id) {
            at = at.and_then(|a| parent.get(&a).copied().flatten());
        }
        at.is_some()
    };
    let ids = org.teams.iter().map(|t| t.id);
    ids.filter(|&id| under(Some(id))).collect()
}

type Means = Option<[ElementFigure; 5]>;
type Counts = Option<[i64; 6]>;
/// Invited, responded, element figures, barrier counts and primary barrier.
type Figures = (i64, i64, Means, Counts, Option<Element>);

/// The figures of a set of teams, computed naively from their raw responses.
fn direct_figures(org: &Org, ids: &HashSet<i64>) -> Figures {
    let teams: Vec<&Team> = org.teams.iter().filter(|t| ids.contains(&t.id)).collect();
    let responses: Vec<&ResponseScores> = teams.iter().flat_map(|t| &t.responses[NOW]).collect();
    let invited = teams.iter().map(|t| t.not_answered).sum::<i64>() + responses.len() as i64;
    let elements = std::array::from_fn(|i| {
        let scores: Vec<f64> = responses.iter().filter_map(|r| r.elements[i]).collect();
        let n = scores.len() as i64;
        // Rules §4: an element's mean over fewer than k respondents is not shown.
        let mean = (n > 0 && n >= org.k[NOW]).then(|| scores.iter().sum::<f64>() / n as f64);
        ElementFigure { n, mean }
    });
    let mut barriers = [0i64; 6];
    for r in &responses {
        barriers[barrier_index(r.barrier)] += 1;
    }
    // Most frequent barrier, the earliest element on ties, none when all ready.
    let top = barriers[..5].iter().copied().max().unwrap_or(0);
    let primary = barriers[..5].iter().position(|&c| c == top && c > 0);
    let primary = primary.and_then(Element::from_index);
    let (n, elements, barriers) = (responses.len() as i64, Some(elements), Some(barriers));
    (invited, n, elements, barriers, primary)
}

/// Counts always match; figures, when shown, match up to rounding.
fn check_figures(got: Figures, want: Figures) -> Result<(), TestCaseError> {
    prop_assert_eq!((got.0, got.1), (want.0, want.1), "invited, responded");
    if got.2.is_none() {
        return Ok(());
    }
    let pairs = got.2.iter().flatten().zip(want.2.iter().flatten());
    for (g, w) in pairs {
        prop_assert_eq!(g.n, w.n);
        // A shown mean is right; one may be hidden by per-element differencing (checked
        // in check_anonymity).
        let close = match (g.mean, w.mean) {
            (Some(a), Some(b)) => (a - b).abs() < 1e-9,
            (Some(_), None) => false,
            (None, _) => true,
        };
        prop_assert!(close, "mean {:?} vs {:?}", g.mean, w.mean);
    }
    prop_assert_eq!(got.3, want.3, "barriers");
    prop_assert_eq!(got.4, want.4, "primary barrier");
    Ok(())
}

/// Rules §5 written out the slow way, on top of already computed results.
fn reference_hotspots(org: &Org, now: &WaveResults, before: &WaveResults) -> Vec<Hotspot> {
    use HotspotReason::{BelowOrg, Declining, Low};
    let at_most = |x: f64, limit: f64| x <= limit + 1e-9;
    let org_means = now.org.elements.filter(|_| !now.org.suppressed);
    let mut list = Vec::new();
    for team in now.teams.iter().filter(|t| !t.suppressed) {
        let earlier = before.teams.iter().find(|t| t.team_id == team.team_id);
        let earlier = earlier.filter(|t| !t.suppressed).and_then(|t| t.elements);
        for (i, figure) in team.elements.into_iter().flatten().enumerate() {
            let (Some(element), Some(m)) = (Element::from_index(i), figure.mean) else {
                continue;
            };
            let (org, was) = (org_means.map(|e| e[i].mean), earlier.map(|e| e[i].mean));
            let mut reasons = Vec::new();
            reasons.extend(at_most(m, 3.0).then_some(Low));
            reasons.extend(
                org.flatten()
                    .filter(|&o| at_most(m, o - 0.5))
                    .map(|_| BelowOrg),
            );
            reasons.extend(
                was.flatten()
                    .filter(|&w| at_most(m, w - 0.5))
                    .map(|_| Declining),
            );
            if !reasons.is_empty() {
                list.push(Hotspot {
                    team_id: team.team_id,
                    path: team.path.clone(),
                    element,
                    mean: m,
                    n: figure.n,
                    reasons,
                    hotspot_team: false,
                    interventions: Playbook::default().for_element(element).to_vec(),
                });
            }
        }
    }
    let with_hotspot: HashSet<i64> = list.iter().map(|h| h.team_id).collect();
    for h in &mut list {
        let below = subtree_ids(org, h.team_id);
        let mut deeper = below.iter().filter(|id| **id != h.team_id);
        h.hotspot_team = !deeper.any(|id| with_hotspot.contains(id));
    }
    list.sort_by(|a, b| {
        let key = |h: &Hotspot| (h.path.clone(), h.team_id, h.element);
        a.mean.total_cmp(&b.mean).then_with(|| key(a).cmp(&key(b)))
    });
    list
}

/// Brute force over the results: every shown team has ≥ k responses and, for it
/// and the org root, its responses minus its shown children's are 0 or ≥ k.
fn check_anonymity(wave: &WaveResults, k: i64) -> Result<(), TestCaseError> {
    let shown_children = |parent: Option<i64>| -> i64 {
        let shown = wave
            .teams
            .iter()
            .filter(|t| !t.suppressed && t.parent_id == parent);
        shown.map(|t| t.responded).sum()
    };
    let by_id: HashMap<i64, _> = wave.teams.iter().map(|t| (t.team_id, t)).collect();
    let elements = wave
        .teams
        .iter()
        .filter_map(|t| t.elements)
        .chain(wave.org.elements);
    for figure in elements.flatten() {
        prop_assert!(
            figure.mean.is_none() || figure.n >= k,
            "a mean over {} < k",
            figure.n
        );
    }
    // Per element: a shown mean less its children's shown means covers 0 or ≥ k answers.
    let shown_n =
        |f: Option<[ElementFigure; 5]>, e: usize| f.and_then(|f| f[e].mean.map(|_| f[e].n));
    for e in 0..5 {
        let under = |parent: Option<i64>| -> i64 {
            let kids = wave.teams.iter().filter(|t| t.parent_id == parent);
            kids.filter_map(|t| shown_n(t.elements, e)).sum()
        };
        for team in &wave.teams {
            if let Some(n) = shown_n(team.elements, e) {
                let rest = n - under(Some(team.team_id));
                prop_assert!(
                    rest == 0 || rest >= k,
                    "{} element {e}: {rest} uncovered",
                    team.path
                );
            }
        }
        if let Some(n) = shown_n(wave.org.elements, e) {
            let rest = n - under(None);
            prop_assert!(rest == 0 || rest >= k, "org element {e}: {rest} uncovered");
        }
    }
    for team in wave.teams.iter().filter(|t| !t.suppressed) {
        prop_assert!(team.responded >= k, "{} is too small", team.path);
        let rest = team.responded - shown_children(Some(team.team_id));
        prop_assert!(rest == 0 || rest >= k, "{}: {} uncovered", team.path, rest);
        let parent = team.parent_id.and_then(|p| by_id.get(&p));
        prop_assert!(parent.is_none_or(|p| !p.suppressed), "not closed downwards");
    }
    if !wave.org.suppressed {
        prop_assert!(wave.org.responded >= k);
        let rest = wave.org.responded - shown_children(None);
        prop_assert!(rest == 0 || rest >= k, "org: {} uncovered", rest);
    }
    for team in &wave.teams {
        let too_few = team.suppression_reason == Some(SuppressionReason::TooFewResponses);
        prop_assert_eq!(too_few, team.responded < k, "{}", team.path);
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn no_shown_figure_reveals_a_group_smaller_than_k(org in org()) {
        check_anonymity(&results(&org, NOW), org.k[NOW])?;
        check_anonymity(&results(&org, BEFORE), org.k[BEFORE])?;
    }

    #[test]
    fn suppressed_entries_carry_no_figures(org in org()) {
        let wave = results(&org, NOW);
        for t in wave.teams.iter().filter(|t| t.suppressed) {
            prop_assert_eq!((t.elements, t.barriers, t.primary_barrier), (None, None, None));
            prop_assert!(t.suppression_reason.is_some());
        }
        if wave.org.suppressed {
            let o = &wave.org;
            prop_assert_eq!((o.elements, o.barriers, o.primary_barrier), (None, None, None));
        }
    }

    #[test]
    fn roll_ups_equal_a_direct_computation_over_each_subtree(org in org()) {
        let wave = results(&org, NOW);
        prop_assert_eq!(wave.teams.len(), org.teams.len());
        let all: HashSet<i64> = org.teams.iter().map(|t| t.id).collect();
        let o = &wave.org;
        let got = (o.invited, o.responded, o.elements, o.barriers, o.primary_barrier);
        check_figures(got, direct_figures(&org, &all))?;
        for t in &wave.teams {
            let got = (t.invited, t.responded, t.elements, t.barriers, t.primary_barrier);
            check_figures(got, direct_figures(&org, &subtree_ids(&org, t.team_id)))?;
        }
    }

    #[test]
    fn hotspots_equal_the_slow_reference(org in org()) {
        let (now, before) = (results(&org, NOW), results(&org, BEFORE));
        let got = find_hotspots(&now, Some(&before), &Playbook::default());
        prop_assert_eq!(&got, &reference_hotspots(&org, &now, &before));
    }

    #[test]
    fn score_response_matches_a_naive_reading_of_rule_2(raw in raw_answers()) {
        let scores = score_response(&answers(&raw));
        let naive: Vec<Option<f64>> = raw.chunks(4).map(|items| {
            let given: Vec<f64> = items.iter().flatten().map(|&v| f64::from(v)).collect();
            (!given.is_empty()).then(|| given.iter().sum::<f64>() / given.len() as f64)
        }).collect();
        prop_assert_eq!(scores.elements.to_vec(), naive.clone());
        let barrier = naive.iter().position(|s| s.is_some_and(|s| s <= 3.0));
        prop_assert_eq!(scores.barrier, barrier.and_then(Element::from_index));
    }
}
