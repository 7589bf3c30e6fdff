//! Answering a survey through a private link: loading the form and saving answers.
//! See docs/privacy.md: the save never writes or locks the invitation row, and the
//! response is stored under HMAC(server key, token) with a random id and the day only.

use std::sync::Arc;

use crate::db::prepared::KeepPrepared;
use chrono::{NaiveDate, Utc};
use diesel::sql_types::{BigInt, Bool, Double, Nullable};
use diesel::{OptionalExtension, QueryableByName};
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};

use crate::db::models::response;
use crate::db::models::survey_template::{SurveyQuestion, SurveyTemplate};
use crate::domain::survey_submission::Submission;
use crate::domain::survey_token::{SurveyKeys, SurveyToken};
use crate::error::AppError;
use crate::scoring::response::ResponseScores;
use crate::services::survey_first_save::{FirstSave, FirstSaveLink, save_first_response};
use crate::services::survey_stored_form::StoredForm;
use crate::services::survey_target::InvitationRow;
pub use crate::services::survey_target::{QuestionCache, SurveyTarget, find_target};

/// What the answering page shows.
pub struct SurveyView {
    /// The wave's name.
    pub wave: String,
    /// When the wave closes.
    pub closes_at: chrono::DateTime<Utc>,
    /// Its initiative's name.
    pub initiative: String,
    /// The statements, A-D-K-A-R order.
    pub questions: Arc<Vec<SurveyQuestion>>,
    /// The champion consent text.
    pub consent_text: String,
    /// The person's saved answers, if they answered before.
    pub current: Option<Submission>,
}

/// Loads the form for a link: 404 for an unknown link, 410 once the wave has closed.
pub async fn load_survey(
    conn: &mut AsyncPgConnection,
    keys: &SurveyKeys,
    cache: &QuestionCache,
    token: &SurveyToken,
) -> Result<SurveyView, AppError> {
    let target = find_target(conn, token).await?;
    let questions = cache.get(conn, target.template_id).await?;
    survey_view(conn, keys, token, target, questions).await
}

/// The form for a link already looked up, with its (cached) statements.
pub async fn survey_view(
    conn: &mut AsyncPgConnection,
    keys: &SurveyKeys,
    token: &SurveyToken,
    target: SurveyTarget,
    questions: Arc<Vec<SurveyQuestion>>,
) -> Result<SurveyView, AppError> {
    let consent_text = SurveyTemplate::find(conn, target.template_id)
        .await?
        .consent_text;
    let stored = response::find_by_key(conn, &keys.response_key(token)).await?;
    let opted_in =
        is_opted_in(conn, target.invitation.wave_id, target.invitation.person_id).await?;
    Ok(SurveyView {
        wave: target.wave_name,
        closes_at: target.closes_at,
        initiative: target.initiative,
        questions,
        consent_text,
        current: stored.map(|s| s.submission(opted_in)),
    })
}

async fn is_opted_in(
    conn: &mut AsyncPgConnection,
    wave_id: i64,
    person_id: i64,
) -> Result<bool, AppError> {
    #[derive(QueryableByName)]
    struct Flag {
        #[diesel(sql_type = Bool)]
        b: bool,
    }
    let flag: Flag = diesel::sql_query(
        "SELECT EXISTS (SELECT 1 FROM champion_optins WHERE wave_id = $1 AND person_id = $2) AS b",
    )
    .bind::<BigInt, _>(wave_id)
    .bind::<BigInt, _>(person_id)
    .prepared()
    .get_result(conn)
    .await?;
    Ok(flag.b)
}

/// [`save_for_target`] for a link not looked up yet.
pub async fn save_response(
    conn: &mut AsyncPgConnection,
    keys: &SurveyKeys,
    token: &SurveyToken,
    questions: &[SurveyQuestion],
    submission: &Submission,
) -> Result<(), AppError> {
    let target = find_target(conn, token).await?;
    save_for_target(conn, keys, token, &target, questions, submission).await
}

/// Saves (or replaces) the answers of a link and updates the team's running figures,
/// in one transaction. Exactly one response per link, also under concurrent saves.
pub async fn save_for_target(
    conn: &mut AsyncPgConnection,
    keys: &SurveyKeys,
    token: &SurveyToken,
    target: &SurveyTarget,
    questions: &[SurveyQuestion],
    submission: &Submission,
) -> Result<(), AppError> {
    let invitation = &target.invitation;
    let stored = StoredForm::of(questions, submission)?;
    let values = stored.values(invitation.location.as_deref());
    let response_key = keys.response_key(token);
    let link = FirstSaveLink {
        token_hash: &token.hash(),
        template_id: target.template_id,
        seal: &keys.answered_seal(token),
    };
    match save_first_response(
        conn,
        &link,
        &response_key,
        &values,
        submission.champion_opt_in,
    )
    .await?
    {
        FirstSave::Inserted(_) => {
            count_submission();
            return Ok(());
        }
        FirstSave::WaveClosed => return Err(AppError::Gone("this survey has closed".into())),
        FirstSave::UnknownLink => return Err(AppError::UnknownLink),
        FirstSave::OtherTemplate => {
            return Err(AppError::Unexpected(anyhow::anyhow!(
                "the wave's template changed after it was looked up"
            )));
        }
        FirstSave::AlreadyAnswered => {}
    }
    replace_response(conn, invitation, &response_key, &stored, submission).await
}

/// [`save_for_target`], or straight to the edit when the one-statement path already
/// found that the link has answered (`answered_before`).
pub async fn save_or_edit(
    conn: &mut AsyncPgConnection,
    keys: &SurveyKeys,
    token: &SurveyToken,
    target: &SurveyTarget,
    questions: &[SurveyQuestion],
    submission: &Submission,
    answered_before: bool,
) -> Result<(), AppError> {
    if answered_before {
        edit_for_target(conn, keys, token, target, questions, submission).await
    } else {
        save_for_target(conn, keys, token, target, questions, submission).await
    }
}

/// Replaces the answers of a link that has answered before (its first save found a
/// response): [`save_for_target`] without trying a first save.
async fn edit_for_target(
    conn: &mut AsyncPgConnection,
    keys: &SurveyKeys,
    token: &SurveyToken,
    target: &SurveyTarget,
    questions: &[SurveyQuestion],
    submission: &Submission,
) -> Result<(), AppError> {
    let stored = StoredForm::of(questions, submission)?;
    let response_key = keys.response_key(token);
    replace_response(conn, &target.invitation, &response_key, &stored, submission).await
}

/// An edit: replaces the answers and their contribution to the team's figures, in one
/// transaction.
async fn replace_response(
    conn: &mut AsyncPgConnection,
    invitation: &InvitationRow,
    response_key: &[u8],
    stored: &StoredForm,
    submission: &Submission,
) -> Result<(), AppError> {
    let (scores, today) = (&stored.scores, stored.today);
    let values = stored.values(invitation.location.as_deref());
    conn.transaction(async |conn| {
        // KEY SHARE on the wave (not the invitation) orders this save before or after a close.
        let open: Option<StatusRow> = diesel::sql_query("SELECT status = 'open' AND closes_at > now() AS open FROM waves WHERE id = $1 FOR KEY SHARE")
            .bind::<BigInt, _>(invitation.wave_id)
            .prepared().get_result(conn)
            .await
            .optional()?;
        if !open.is_some_and(|o| o.open) {
            return Err(AppError::Gone("this survey has closed".into()));
        }
        // The first save found the link's response, and responses are never deleted.
        let old = response::find_by_key_for_update(conn, response_key).await?;
        response::update_response(conn, response_key, &values).await?;
        crate::db::models::wave_team_stats::add_response(conn, invitation.wave_id, invitation.team_id, Some(&old.scores()), scores).await?;
        record_champion_choice(conn, invitation, submission.champion_opt_in, scores, today).await?;
        Ok(())
    })
    .await?;
    count_submission();
    Ok(())
}

/// Counts a saved submission in the metrics.
pub(crate) fn count_submission() {
    if let Some(m) = crate::metrics::METRICS.as_ref() {
        m.responses_submitted.inc();
    }
}

#[derive(QueryableByName)]
struct StatusRow {
    #[diesel(sql_type = Bool)]
    open: bool,
}

async fn record_champion_choice(
    conn: &mut AsyncPgConnection,
    invitation: &InvitationRow,
    opted_in: bool,
    scores: &ResponseScores,
    today: NaiveDate,
) -> Result<(), AppError> {
    if !opted_in {
        // Withdrawing consent also takes them off the teams they were matched to (the
        // teams are then open again), unless a practitioner nominated them as well.
        diesel::sql_query(
            "WITH gone AS (DELETE FROM champion_optins WHERE wave_id = $1 AND person_id = $2 RETURNING person_id) \
             DELETE FROM champion_assignments a USING gone WHERE a.wave_id = $1 AND a.person_id = gone.person_id \
               AND NOT EXISTS (SELECT 1 FROM champion_nominations n WHERE n.wave_id = $1 AND n.person_id = gone.person_id)",
        )
            .bind::<BigInt, _>(invitation.wave_id)
            .bind::<BigInt, _>(invitation.person_id)
            .prepared()
            .execute(conn)
            .await?;
        return Ok(());
    }
    diesel::sql_query(
        "INSERT INTO champion_optins (wave_id, person_id, consent_version, score_awareness, score_desire, \
           score_knowledge, score_ability, score_reinforcement, opted_in_on) \
         SELECT $1, $2, st.consent_version, $3, $4, $5, $6, $7, $8 FROM waves w \
         JOIN survey_templates st ON st.id = w.template_id WHERE w.id = $1 \
         ON CONFLICT (wave_id, person_id) DO UPDATE SET score_awareness = excluded.score_awareness, \
           score_desire = excluded.score_desire, score_knowledge = excluded.score_knowledge, \
           score_ability = excluded.score_ability, score_reinforcement = excluded.score_reinforcement",
    )
    .bind::<BigInt, _>(invitation.wave_id)
    .bind::<BigInt, _>(invitation.person_id)
    .bind::<Nullable<Double>, _>(scores.elements[0])
    .bind::<Nullable<Double>, _>(scores.elements[1])
    .bind::<Nullable<Double>, _>(scores.elements[2])
    .bind::<Nullable<Double>, _>(scores.elements[3])
    .bind::<Nullable<Double>, _>(scores.elements[4])
    .bind::<diesel::sql_types::Date, _>(today)
    .prepared().execute(conn)
    .await?;
    Ok(())
}
