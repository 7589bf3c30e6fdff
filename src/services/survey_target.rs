//! Finding what a survey link points at, in one query, and the statements of frozen
//! templates, cached: the hot path of every saved answer.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use crate::db::prepared::KeepPrepared;
use chrono::Utc;
use diesel::sql_types::{BigInt, Bool, Bytea, Nullable};
use diesel::{OptionalExtension, QueryableByName};
use diesel_async::{AsyncPgConnection, RunQueryDsl};

use crate::db::models::survey_template::{SurveyQuestion, SurveyTemplate};
use crate::domain::survey_token::SurveyToken;
use crate::error::AppError;

/// The invitation behind a link (read, never written, by a save).
#[derive(QueryableByName)]
pub(crate) struct InvitationRow {
    #[diesel(sql_type = BigInt)]
    pub(crate) wave_id: i64,
    #[diesel(sql_type = BigInt)]
    pub(crate) person_id: i64,
    #[diesel(sql_type = BigInt)]
    pub(crate) team_id: i64,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
    pub(crate) location: Option<String>,
}

/// What saving through a link needs, read in one query.
pub struct SurveyTarget {
    pub(crate) invitation: InvitationRow,
    /// The wave's frozen template.
    pub template_id: i64,
    /// The wave's close time.
    pub closes_at: chrono::DateTime<Utc>,
    /// The wave's name.
    pub wave_name: String,
    /// The initiative's name.
    pub initiative: String,
}

#[derive(QueryableByName)]
struct TargetRow {
    #[diesel(embed)]
    invitation: InvitationRow,
    #[diesel(sql_type = Bool)]
    open: bool,
    #[diesel(sql_type = Nullable<BigInt>)]
    template_id: Option<i64>,
    #[diesel(sql_type = diesel::sql_types::Timestamptz)]
    closes_at: chrono::DateTime<Utc>,
    #[diesel(sql_type = diesel::sql_types::Text)]
    wave_name: String,
    #[diesel(sql_type = diesel::sql_types::Text)]
    initiative: String,
}

/// The invitation, wave and initiative behind a link: 404 unknown, 410 closed.
pub async fn find_target(
    conn: &mut AsyncPgConnection,
    token: &SurveyToken,
) -> Result<SurveyTarget, AppError> {
    let row: TargetRow = diesel::sql_query(
        "SELECT i.wave_id, i.person_id, i.team_id, i.location, \
           w.status = 'open' AND w.closes_at > now() AS open, w.template_id, w.closes_at, w.name AS wave_name, ini.name AS initiative \
         FROM invitations i JOIN waves w ON w.id = i.wave_id JOIN initiatives ini ON ini.id = w.initiative_id \
         WHERE i.token_hash = $1",
    )
    .bind::<Bytea, _>(token.hash())
    .prepared().get_result(conn)
    .await
    .optional()?
    .ok_or(AppError::UnknownLink)?;
    match (row.open, row.template_id) {
        (true, Some(template_id)) => Ok(SurveyTarget {
            invitation: row.invitation,
            template_id,
            closes_at: row.closes_at,
            wave_name: row.wave_name,
            initiative: row.initiative,
        }),
        _ => Err(AppError::Gone("this survey has closed".into())),
    }
}

/// Statements of frozen templates, kept in memory: they never change once a wave is
/// launched. Also indexed by statement id, so answers name their template.
#[derive(Default)]
pub struct QuestionCache {
    by_template: RwLock<HashMap<i64, Arc<Vec<SurveyQuestion>>>>,
    template_of_question: RwLock<HashMap<i64, i64>>,
}

impl QuestionCache {
    /// The statements of a (frozen) template.
    pub async fn get(
        &self,
        conn: &mut AsyncPgConnection,
        template_id: i64,
    ) -> Result<Arc<Vec<SurveyQuestion>>, AppError> {
        if let Some(found) = self
            .by_template
            .read()
            .ok()
            .and_then(|m| m.get(&template_id).cloned())
        {
            return Ok(found);
        }
        let questions = Arc::new(SurveyTemplate::questions(conn, template_id).await?);
        if let Ok(mut index) = self.template_of_question.write() {
            index.extend(questions.iter().map(|q| (q.id, template_id)));
        }
        if let Ok(mut map) = self.by_template.write() {
            map.insert(template_id, questions.clone());
        }
        Ok(questions)
    }

    /// The frozen template all of `question_ids` belong to, with its statements; `None`
    /// when there are none, or they are not all statements of one frozen template.
    pub async fn template_of(
        &self,
        conn: &mut AsyncPgConnection,
        question_ids: &[i64],
    ) -> Result<Option<(i64, Arc<Vec<SurveyQuestion>>)>, AppError> {
        let Some(&first) = question_ids.first() else {
            return Ok(None);
        };
        let known = self
            .template_of_question
            .read()
            .ok()
            .and_then(|index| index.get(&first).copied());
        let template_id = match known {
            Some(id) => id,
            None => match frozen_template_of(conn, first).await? {
                Some(id) => id,
                None => return Ok(None),
            },
        };
        let questions = self.get(conn, template_id).await?;
        let all_in = question_ids
            .iter()
            .all(|id| questions.iter().any(|q| q.id == *id));
        Ok(all_in.then_some((template_id, questions)))
    }
}

#[derive(QueryableByName)]
struct TemplateId {
    #[diesel(sql_type = BigInt)]
    template_id: i64,
}

/// The template of a statement, if that template is frozen (sent with a wave).
async fn frozen_template_of(
    conn: &mut AsyncPgConnection,
    question_id: i64,
) -> Result<Option<i64>, AppError> {
    let row: Option<TemplateId> = diesel::sql_query(
        "SELECT i.template_id FROM survey_items i JOIN survey_templates t ON t.id = i.template_id \
         WHERE i.id = $1 AND t.frozen",
    )
    .bind::<BigInt, _>(question_id)
    .get_result(conn)
    .await
    .optional()?;
    Ok(row.map(|r| r.template_id))
}
