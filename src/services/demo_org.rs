//! What the demo contains: a fictional organisation, synthetic answers with clear
//! patterns, and a timeline. Generated from fixed seeds, so every load looks the same,
//! and written through the real import and answering paths.

use std::collections::{HashMap, HashSet};

use anyhow::Context;
use diesel::QueryableByName;
use diesel::sql_types::{Array, BigInt, Integer, Text, Uuid as SqlUuid};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use uuid::Uuid;

use crate::db::models::survey_template::{SurveyQuestion, SurveyTemplate};
use crate::db::models::wave::Wave;
use crate::domain::adkar::Element;
use crate::domain::likert::Likert;
use crate::domain::people_csv::parse_people_csv;
use crate::domain::survey_submission::Submission;
use crate::domain::survey_token::SurveyKeys;
use crate::scoring::response::score_response;
use crate::services::import_people::{ImportSummary, import_people};
use crate::services::survey_response::save_response;

/// Every demo person's email ends with `@` and this; it marks them as demo data.
pub const DEMO_DOMAIN: &str = "demo.example";
/// The top-level team holding every demo team.
pub const ROOT_TEAM: &str = "Demo Corp";
/// Team that never understood why (low Awareness in every wave).
pub const ACCOUNTS: &str = "Demo Corp/Finance/Accounts";
/// Team whose Desire fell after wave 1.
pub const SERVICE_DESK: &str = "Demo Corp/IT/Service Desk";
/// Team ready everywhere but Reinforcement.
pub const FIELD_SUPPORT: &str = "Demo Corp/Operations/Field Support";
/// Team short of time and practice (low Ability in every wave).
pub const WAREHOUSE_NORTH: &str = "Demo Corp/Operations/Logistics/Warehouse North";
/// The demo initiative's description; it says that it is demo data.
pub const DESCRIPTION: &str = "DEMO DATA: a fictional organisation; remove it with \
    `changeready demo --remove`. Demo Corp replaces its ageing helpdesk tool and shared \
    mailboxes with one IT service management platform: a self-service portal, one ticket \
    queue for incidents and requests, and a formal change-approval process. Wave 1 ran \
    before go-live, wave 2 after it, and wave 3 is open now.";
/// The waves: (name, launched this many days ago, days open); only the last is still open.
pub const WAVES: [(&str, i32, i32); 3] = [
    ("Wave 1: before go-live", 70, 14),
    ("Wave 2: after go-live", 35, 14),
    ("Wave 3: bedding in", 3, 14),
];

const SEED: u64 = 0x00de_0c0a_2026;
/// At most this many ready respondents volunteer as champions per wave.
const MAX_CHAMPIONS_PER_WAVE: usize = 15;
const FIRST: &str = "Olivia Amelia Isla Ava Mia Ivy Lily Rosie Grace Freya Emily Sophie Ella \
    Chloe Hannah Zara Priya Aisha Mei Lucia Noah Oliver George Arthur Leo Harry Oscar Jack Jacob \
    Thomas Samuel Daniel Ethan Joseph Adam Ravi Omar Mateo Kofi Tomasz";
const LAST: &str = "Smith Jones Taylor Brown Williams Wilson Johnson Davies Patel Robinson \
    Wright Thompson Evans Walker White Roberts Green Hall Wood Jackson Clarke Khan Hughes Edwards \
    Turner Hill Moore Cooper Ward Morris King Watson Baker Harris Lewis Young Allen Mitchell Nowak";
const CITIES: [&str; 3] = ["Leeds", "Bristol", "Glasgow"];
/// `path below Demo Corp:headcount`; the first person of a team leads it.
const TEAMS: &str = "Executive Office:4|IT:2|IT/Service Desk:28|IT/Infrastructure:2|\
    IT/Infrastructure/Network:13|IT/Infrastructure/Cloud Platform:13|\
    IT/Infrastructure/Data Centre:4|IT/Applications:2|IT/Applications/Business Apps:22|\
    IT/Applications/Integration:8|IT/Security:6|Finance:2|Finance/Accounts:20|Finance/Payroll:7|\
    Finance/Procurement:12|Finance/Internal Audit:3|Operations:3|Operations/Field Support:34|\
    Operations/Logistics:4|Operations/Logistics/Warehouse North:26|\
    Operations/Logistics/Warehouse South:26|Operations/Logistics/Transport:18|\
    Operations/Facilities:9|Operations/Health and Safety:3|HR:2|HR/People Services:16|\
    HR/Recruitment:6|HR/Learning:4|Customer Service:3|Customer Service/Contact Centre:48|\
    Customer Service/Contact Centre/Complaints:8|Customer Service/Account Management:20|\
    Customer Service/Field Sales:18|Legal and Compliance:5";
/// Comments per element: what people say when it scores low `||` when it scores well.
const COMMENTS: [&str; 5] = [
    "Nobody has explained why the old tool has to go.|It feels like change for the sake of \
     change.|I heard about this from a supplier before I heard it from us.|I still don't know \
     what problem this solves for our team.||The town hall made the reasons clear.|The outage \
     figures convinced me we need this.",
    "We were promised fewer tickets and got more screens to fill in.|I'm worried this is a \
     first step to outsourcing the desk.|Another tool, same workload, nobody asked us.|My \
     concerns went into a form and disappeared.||Happy to help make this work.|The \
     self-service portal will save our customers a lot of calls.",
    "The training was a slide deck, not the real system.|I don't know who approves a change \
     request now.|The job aids are out of date already.||The sandbox sessions were really \
     useful.|The quick reference card is on my desk and I use it daily.",
    "No time to practise between shifts.|I still can't log in to the new portal from the \
     warehouse terminals.|Floor support left after week one.|The handheld scanners don't work \
     with the new forms.||The floor walkers sorted my questions within minutes.|I can do most \
     of my work in the new system now.",
    "People still use the old spreadsheet and nobody says anything.|Nobody measures whether we \
     actually use it.|Managers ask for updates by email, so the tickets don't matter.|Good work \
     with the new process goes unnoticed.||Our manager reviews the portal dashboard every \
     Monday.|The old shared mailbox has been switched off, which helps.",
];

/// The demo organisation as a people CSV (`email,name,team,manager_email,location,external_id`).
pub fn org_csv() -> String {
    let mut rng = StdRng::seed_from_u64(SEED);
    let first: Vec<&str> = FIRST.split_whitespace().collect();
    let last: Vec<&str> = LAST.split_whitespace().collect();
    let mut used = HashSet::new();
    // Team path → its lead's email; a team's first person leads it.
    let mut leads: HashMap<&str, String> = HashMap::new();
    let mut csv = String::from("email,name,team,manager_email,location,external_id\n");
    for (t, team) in TEAMS.split('|').enumerate() {
        let (path, size) = team.rsplit_once(':').unwrap_or((team, "0"));
        // Division heads report to the chief executive, who leads the Executive Office.
        let parent = path.rsplit_once('/').map_or("Executive Office", |p| p.0);
        let above = leads.get(parent).cloned();
        for _ in 0..size.parse::<usize>().unwrap_or(0) {
            let (f, l) = loop {
                let pair = (pick(&mut rng, &first), pick(&mut rng, &last));
                if used.insert(pair) {
                    break pair;
                }
            };
            let email = format!("{}.{}@{DEMO_DOMAIN}", f.to_lowercase(), l.to_lowercase());
            let manager = leads.get(path).cloned().or(above.clone());
            leads.entry(path).or_insert_with(|| email.clone());
            // Real HR exports miss some managers; the demo does too.
            let manager = manager.filter(|_| rng.gen_bool(0.93)).unwrap_or_default();
            let home = rng.gen_bool(0.8).then_some(CITIES[t % 3]);
            let city = home.unwrap_or_else(|| pick(&mut rng, &CITIES));
            let id = used.len();
            let row = format!("{email},{f} {l},{ROOT_TEAM}/{path},{manager},{city},DC{id:05}\n");
            csv.push_str(&row);
        }
    }
    csv
}

/// Imports [`org_csv`] through the same path as an uploaded file.
pub async fn import_org(conn: &mut AsyncPgConnection) -> anyhow::Result<ImportSummary> {
    let rows = parse_people_csv(org_csv().as_bytes())
        .map_err(|e| anyhow::anyhow!("the demo organisation is invalid: {e:?}"))?;
    let imported = import_people(conn, &rows, false, &|_| {}).await;
    imported.context("importing the demo organisation")
}

fn pick<'a>(rng: &mut StdRng, list: &[&'a str]) -> &'a str {
    list.choose(rng).copied().unwrap_or("Alex")
}

/// Target mean per element (A-D-K-A-R) for a team in wave 0, 1 or 2: most teams
/// improve from wave to wave; four teams show one clear problem each.
pub fn target_means(team_path: &str, wave: usize) -> [f64; 5] {
    let w = wave.min(2) as f64;
    // A small, stable per-team offset so that ordinary teams differ a little.
    let hash = team_path
        .bytes()
        .fold(7u32, |h, b| h.wrapping_mul(31) ^ u32::from(b));
    let offset = f64::from(hash % 7) * 0.08 - 0.24;
    let (base, gain) = ([3.6, 3.4, 2.9, 2.8, 2.7], [0.2, 0.25, 0.5, 0.5, 0.35]);
    let mut means: [f64; 5] = std::array::from_fn(|i| base[i] + gain[i] * w + offset);
    match team_path {
        ACCOUNTS => means[0] = 2.35,
        SERVICE_DESK => means[1] = if wave == 0 { 4.1 } else { 2.6 },
        FIELD_SUPPORT => means = [4.4, 4.3, 4.2, 4.2, 2.5],
        WAREHOUSE_NORTH => means[3] = 2.5 + 0.05 * w,
        _ => {}
    }
    means
}

/// Share of a team's invitees who answer a wave (70–85 %).
pub fn response_rate(team_path: &str, wave: usize) -> f64 {
    0.70 + ((team_path.len() * 7 + wave * 3) % 16) as f64 / 100.0
}

/// The answers one person of `team_path` gives in `wave` (noise ±1 around the team's
/// targets, some items skipped, a few comments), and whether they are ready (no element
/// at or below 3.0), which lets them volunteer as a champion.
pub fn synthetic_answers(
    rng: &mut StdRng,
    team_path: &str,
    wave: usize,
    questions: &[SurveyQuestion],
) -> (Submission, bool) {
    let means = target_means(team_path, wave);
    let mood: f64 = rng.gen_range(-0.4..=0.4);
    let mut submission = Submission::default();
    let mut scored = Vec::new();
    for q in questions {
        if rng.gen_bool(0.04) {
            continue;
        }
        let raw = means[q.element().index()] + mood + rng.gen_range(-1.0..=1.0);
        if let Ok(likert) = Likert::new((raw.round() as i64).clamp(1, 5)) {
            submission.answers.insert(q.id, likert);
            scored.push((q.element(), likert));
        }
    }
    let scores = score_response(&scored);
    for element in Element::ALL {
        if !rng.gen_bool(0.06) {
            continue;
        }
        let comments = COMMENTS[element.index()];
        let (low, high) = comments.split_once("||").unwrap_or_default();
        let well = scores.elements[element.index()].is_some_and(|s| s > 3.0);
        let choices: Vec<&str> = if well { high } else { low }.split('|').collect();
        if let Some(text) = choices.choose(rng) {
            submission.comments.insert(element, (*text).to_owned());
        }
    }
    (submission, scores.barrier.is_none())
}

#[derive(QueryableByName)]
struct Invitee {
    #[diesel(sql_type = SqlUuid)]
    id: Uuid,
    #[diesel(sql_type = Text)]
    path: String,
}

/// Answers the open wave `wave_id` (the demo's wave `index`) for a realistic share of
/// its invitees, each through their own link, as a respondent would.
pub async fn answer_wave(
    conn: &mut AsyncPgConnection,
    keys: &SurveyKeys,
    rng: &mut StdRng,
    wave_id: i64,
    index: usize,
) -> anyhow::Result<()> {
    let template = Wave::find(conn, wave_id).await?.template_id;
    let template = template.context("the wave is not launched")?;
    let questions = SurveyTemplate::questions(conn, template).await?;
    let mut invitees: Vec<Invitee> = diesel::sql_query(
        "SELECT i.id, t.path FROM invitations i JOIN teams t ON t.id = i.team_id \
         JOIN people p ON p.id = i.person_id WHERE i.wave_id = $1 ORDER BY p.email",
    )
    .bind::<BigInt, _>(wave_id)
    .load(conn)
    .await?;
    // Answers arrive in no particular order; the demo should not suggest otherwise.
    invitees.shuffle(rng);
    let mut champions = 0;
    for invitee in invitees.iter() {
        if !rng.gen_bool(response_rate(&invitee.path, index)) {
            continue;
        }
        let (mut submission, ready) = synthetic_answers(rng, &invitee.path, index, &questions);
        if ready && champions < MAX_CHAMPIONS_PER_WAVE && rng.gen_bool(0.3) {
            submission.champion_opt_in = true;
            champions += 1;
        }
        let token = keys.token_for(invitee.id);
        let saved = save_response(conn, keys, &token, &questions, &submission).await;
        saved.context("answering a demo survey")?;
    }
    Ok(())
}

/// Moves the waves to their place in [`WAVES`] so trends and "previous wave" work,
/// spreads the answer days over each wave, and marks every demo email as sent.
pub async fn backdate(
    conn: &mut AsyncPgConnection,
    initiative_id: i64,
    wave_ids: &[i64],
) -> anyhow::Result<()> {
    let (ago, span): (Vec<i32>, Vec<i32>) = WAVES.iter().map(|w| (w.1, w.2)).unzip();
    // last_reminder_day = 7: both reminder days count as done, so none is ever queued.
    diesel::sql_query(
        "UPDATE waves w SET launched_at = now() - make_interval(days => u.ago), \
           closes_at = now() + make_interval(days => u.span - u.ago), \
           closed_at = CASE WHEN w.status = 'closed' \
             THEN now() + make_interval(days => u.span - u.ago) END, \
           created_at = now() - make_interval(days => u.ago + 2), last_reminder_day = 7 \
         FROM unnest($1::int8[], $2::int4[], $3::int4[]) AS u(id, ago, span) WHERE w.id = u.id",
    )
    .bind::<Array<BigInt>, _>(wave_ids)
    .bind::<Array<Integer>, _>(&ago)
    .bind::<Array<Integer>, _>(&span)
    .execute(conn)
    .await?;
    // The people are fictional: their emails are marked sent so no worker ever tries them.
    diesel::sql_query(
        "WITH w AS (SELECT id, launched_at AS l, LEAST(closes_at, now()) - launched_at AS d \
           FROM waves WHERE initiative_id = $1), \
         r AS (UPDATE responses t SET answered_on = (w.l + random() * w.d)::date \
           FROM w WHERE t.wave_id = w.id), \
         i AS (UPDATE invitations t SET answered_on = (w.l + random() * w.d)::date \
           FROM w WHERE t.wave_id = w.id AND t.answered), \
         s AS (UPDATE answered_seals t SET answered_on = (w.l + random() * w.d)::date \
           FROM w WHERE t.wave_id = w.id), \
         c AS (UPDATE champion_optins t SET opted_in_on = (w.l + random() * w.d)::date \
           FROM w WHERE t.wave_id = w.id) \
         UPDATE email_outbox o SET status = 'sent', attempts = 1, sent_at = w.l, created_at = w.l \
         FROM w WHERE o.wave_id = w.id AND o.status = 'queued'",
    )
    .bind::<BigInt, _>(initiative_id)
    .execute(conn)
    .await?;
    Ok(())
}
