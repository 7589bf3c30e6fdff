//! A first answer saved straight from its link: one statement, no lookup before it.
//!
//! The answers name their statements, and statements belong to one frozen template
//! (cached), so the submission can be validated and scored before the link is looked
//! up; the save statement then checks that the link's wave was sent with that template.
//! Anything else (answers that name no template or another one, invalid answers) is
//! left to the full path, which looks the link up first and gives the precise answer;
//! so are edits, which then skip the first-save attempt.

use std::collections::BTreeMap;
use std::sync::Arc;

use diesel_async::AsyncPgConnection;

use crate::db::models::survey_template::SurveyQuestion;
use crate::domain::survey_submission::Submission;
use crate::domain::survey_token::{SurveyKeys, SurveyToken};
use crate::error::AppError;
use crate::services::survey_first_save::{FirstSave, FirstSaveLink, SavedTo, save_first_response};
use crate::services::survey_response::count_submission;
use crate::services::survey_stored_form::StoredForm;
use crate::services::survey_target::QuestionCache;

/// What the one-statement path did.
pub enum LinkSave {
    /// The first answer was saved.
    Saved(FirstAnswer),
    /// The link has answered before: look it up and replace the answers
    /// ([`crate::services::survey_response::edit_for_target`]).
    AlreadyAnswered,
    /// Not tried, or the answers are not for this link's wave: take the full path.
    NotSaved,
}

/// A first answer that was saved.
pub struct FirstAnswer {
    /// The wave it was saved to.
    pub saved_to: SavedTo,
    /// The statements of the wave.
    pub questions: Arc<Vec<SurveyQuestion>>,
    /// What was saved.
    pub submission: Submission,
}

/// The question ids named by a body's answers, if every key is a number.
pub fn answered_ids<V>(answers: &BTreeMap<String, V>) -> Option<Vec<i64>> {
    answers.keys().map(|k| k.parse().ok()).collect()
}

/// Saves the first answer of `token` in one statement when `question_ids` are statements
/// of one frozen template and `validate` accepts the submission against that template's
/// statements; see [`LinkSave`]. 404 and 410 for unknown and closed links.
pub async fn save_first_answer(
    conn: &mut AsyncPgConnection,
    keys: &SurveyKeys,
    cache: &QuestionCache,
    token: &SurveyToken,
    question_ids: &[i64],
    validate: impl FnOnce(&[i64]) -> Option<Submission>,
) -> Result<LinkSave, AppError> {
    let Some((template_id, questions)) = cache.template_of(conn, question_ids).await? else {
        return Ok(LinkSave::NotSaved);
    };
    let ids: Vec<i64> = questions.iter().map(|q| q.id).collect();
    let Some(submission) = validate(&ids) else {
        return Ok(LinkSave::NotSaved);
    };
    let stored = StoredForm::of(&questions, &submission)?;
    let link = FirstSaveLink {
        token_hash: &token.hash(),
        template_id,
        seal: &keys.answered_seal(token),
    };
    let outcome = save_first_response(
        conn,
        &link,
        &keys.response_key(token),
        &stored.values(None),
        submission.champion_opt_in,
    )
    .await?;
    match outcome {
        FirstSave::Inserted(saved_to) => {
            count_submission();
            Ok(LinkSave::Saved(FirstAnswer {
                saved_to,
                questions,
                submission,
            }))
        }
        FirstSave::UnknownLink => Err(AppError::UnknownLink),
        FirstSave::WaveClosed => Err(AppError::Gone("this survey has closed".into())),
        FirstSave::AlreadyAnswered => Ok(LinkSave::AlreadyAnswered),
        FirstSave::OtherTemplate => Ok(LinkSave::NotSaved),
    }
}
