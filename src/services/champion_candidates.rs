//! Champion candidates of a wave (rules §6): respondents who opted in, with their
//! eligibility and readiness, and people a practitioner nominated.

use std::collections::BTreeMap;

use diesel::QueryableByName;
use diesel::sql_types::{BigInt, Double, Nullable, Text};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use serde::Serialize;

use crate::scoring::{BARRIER_MAX, at_most};

/// A candidate as the champions page and API show them.
#[derive(Debug, Clone, Serialize)]
pub struct ChampionCandidate {
    /// Person id.
    pub person_id: i64,
    /// Email (identifies the champion).
    pub email: String,
    /// Name.
    pub name: String,
    /// Team at launch (nominees not invited: their current team).
    pub team_id: i64,
    /// Team path.
    pub team_path: String,
    /// `opt_in` or `nominated`.
    pub source: &'static str,
    /// May be assigned.
    pub eligible: bool,
    /// Mean of desire, knowledge and ability (opt-ins only).
    pub readiness: Option<f64>,
    /// Why a practitioner nominated them.
    pub reason: Option<String>,
}

/// Eligibility and readiness of an opt-in from their five element scores: eligible when
/// no score is ≤ 3.0; readiness is the mean of the desire, knowledge and ability scores.
pub fn opt_in_eligibility(scores: [Option<f64>; 5]) -> (bool, Option<f64>) {
    let eligible = scores.iter().flatten().all(|s| !at_most(*s, BARRIER_MAX));
    let parts: Vec<f64> = scores[1..4].iter().flatten().copied().collect();
    let readiness = (!parts.is_empty()).then(|| parts.iter().sum::<f64>() / parts.len() as f64);
    (eligible, readiness)
}

#[derive(QueryableByName)]
struct Row {
    #[diesel(sql_type = BigInt)]
    person_id: i64,
    #[diesel(sql_type = Text)]
    email: String,
    #[diesel(sql_type = Text)]
    name: String,
    #[diesel(sql_type = BigInt)]
    team_id: i64,
    #[diesel(sql_type = Text)]
    team_path: String,
    #[diesel(sql_type = Text)]
    source: String,
    #[diesel(sql_type = Nullable<Double>)]
    a: Option<f64>,
    #[diesel(sql_type = Nullable<Double>)]
    d: Option<f64>,
    #[diesel(sql_type = Nullable<Double>)]
    k: Option<f64>,
    #[diesel(sql_type = Nullable<Double>)]
    ab: Option<f64>,
    #[diesel(sql_type = Nullable<Double>)]
    r: Option<f64>,
    #[diesel(sql_type = Nullable<Text>)]
    reason: Option<String>,
}

/// Every candidate of a wave, by email. A person both opted in and nominated counts as
/// an opt-in when eligible that way, else as a nominee.
pub async fn load_candidates(
    conn: &mut AsyncPgConnection,
    wave_id: i64,
) -> diesel::QueryResult<Vec<ChampionCandidate>> {
    let rows: Vec<Row> = diesel::sql_query(
        "SELECT p.id AS person_id, p.email, p.name, i.team_id, t.path AS team_path, 'opt_in' AS source, \
           o.score_awareness AS a, o.score_desire AS d, o.score_knowledge AS k, o.score_ability AS ab, \
           o.score_reinforcement AS r, NULL AS reason \
         FROM champion_optins o JOIN people p ON p.id = o.person_id \
         JOIN invitations i ON i.wave_id = o.wave_id AND i.person_id = o.person_id JOIN teams t ON t.id = i.team_id \
         WHERE o.wave_id = $1 AND p.active \
         UNION ALL \
         SELECT p.id, p.email, p.name, COALESCE(i.team_id, p.team_id), t.path, 'nominated', NULL, NULL, NULL, NULL, NULL, n.reason \
         FROM champion_nominations n JOIN people p ON p.id = n.person_id \
         LEFT JOIN invitations i ON i.wave_id = n.wave_id AND i.person_id = n.person_id \
         JOIN teams t ON t.id = COALESCE(i.team_id, p.team_id) WHERE n.wave_id = $1 AND p.active",
    )
    .bind::<BigInt, _>(wave_id)
    .load(conn)
    .await?;
    let mut by_person: BTreeMap<String, ChampionCandidate> = BTreeMap::new();
    for row in rows {
        let (eligible, readiness, source) = if row.source == "opt_in" {
            let (eligible, readiness) = opt_in_eligibility([row.a, row.d, row.k, row.ab, row.r]);
            (eligible, readiness, "opt_in")
        } else {
            (true, None, "nominated")
        };
        let candidate = ChampionCandidate {
            person_id: row.person_id,
            email: row.email.clone(),
            name: row.name,
            team_id: row.team_id,
            team_path: row.team_path,
            source,
            eligible,
            readiness,
            reason: row.reason,
        };
        let merged = match by_person.remove(&row.email) {
            Some(old) => stronger_claim(old, candidate),
            None => candidate,
        };
        by_person.insert(row.email, merged);
    }
    Ok(by_person.into_values().collect())
}

/// One person both volunteered and was nominated: an eligible opt-in (it carries a
/// readiness) over a nomination (eligible without one) over an ineligible opt-in,
/// whatever order the rows came in; a nomination's reason is kept.
fn stronger_claim(a: ChampionCandidate, b: ChampionCandidate) -> ChampionCandidate {
    let rank = |c: &ChampionCandidate| match (c.source, c.eligible) {
        ("opt_in", true) => 2,
        ("nominated", _) => 1,
        _ => 0,
    };
    let reason = a.reason.clone().or_else(|| b.reason.clone());
    let mut kept = if rank(&b) > rank(&a) { b } else { a };
    kept.reason = reason;
    kept
}

#[cfg(test)]
mod tests {
    use super::*;

    fn claim(source: &'static str, eligible: bool, reason: Option<&str>) -> ChampionCandidate {
        ChampionCandidate {
            person_id: 1,
            email: "p@example.org".into(),
            name: "P".into(),
            team_id: 1,
            team_path: "Ops".into(),
            source,
            eligible,
            readiness: eligible.then_some(4.0).filter(|_| source == "opt_in"),
            reason: reason.map(str::to_owned),
        }
    }

    #[test]
    fn volunteering_and_a_nomination_merge_the_same_way_in_either_order() {
        let nominated = || claim("nominated", true, Some("Super-user"));
        let unready = || claim("opt_in", false, None);
        let ready = || claim("opt_in", true, None);
        for (a, b) in [(nominated(), unready()), (unready(), nominated())] {
            let kept = stronger_claim(a, b);
            assert_eq!(
                (kept.source, kept.eligible),
                ("nominated", true),
                "still eligible"
            );
        }
        for (a, b) in [(nominated(), ready()), (ready(), nominated())] {
            let kept = stronger_claim(a, b);
            assert_eq!((kept.source, kept.readiness), ("opt_in", Some(4.0)));
            assert_eq!(
                kept.reason.as_deref(),
                Some("Super-user"),
                "the reason stays"
            );
        }
    }

    #[test]
    fn an_opt_in_with_any_score_of_three_or_less_is_not_eligible() {
        assert_eq!(
            opt_in_eligibility([Some(4.0), Some(4.5), Some(4.0), Some(3.5), Some(4.0)]),
            (true, Some(4.0))
        );
        assert!(!opt_in_eligibility([Some(4.0), Some(4.5), Some(4.0), Some(3.5), Some(3.0)]).0);
        assert_eq!(
            opt_in_eligibility([Some(4.0), None, None, None, Some(4.0)]),
            (true, None)
        );
    }
}
