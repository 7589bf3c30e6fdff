//! `GET/POST /api/v1/survey/{token}`: the JSON twin of the answering page.

use std::collections::BTreeMap;

use actix_web::{HttpResponse, web};
use serde::Serialize;
use utoipa::ToSchema;

use super::error_responses as err;
use crate::db::DbPool;
use crate::domain::adkar::Element;
use crate::domain::json_object::JsonObject;
use crate::domain::survey_body::SurveyAnswersJson;
use crate::domain::survey_token::{SurveyKeys, SurveyToken};
use crate::error::AppError;
use crate::services::survey_link_save::{LinkSave, answered_ids, save_first_answer};
use crate::services::survey_response::{QuestionCache, find_target, load_survey, save_or_edit};

fn parse_token(raw: &str) -> Result<SurveyToken, AppError> {
    SurveyToken::parse(raw).ok_or(AppError::UnknownLink)
}

/// The answer scale, always 1 to 5.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = Scale)]
pub struct ScaleJson {
    #[schema(minimum = 1, maximum = 1)]
    min: u8,
    #[schema(minimum = 5, maximum = 5)]
    max: u8,
}

/// One statement to rate.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = Question)]
pub struct QuestionJson<'a> {
    /// The key of its answer in `answers`.
    id: i64,
    #[schema(value_type = Element)]
    element: &'a str,
    text: &'a str,
}

/// What the person saved before.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = SavedAnswers)]
pub struct SavedJson<'a> {
    /// Question id → 1..=5; skipped questions are absent.
    #[schema(schema_with = saved_answers_schema)]
    answers: BTreeMap<String, u8>,
    /// Element → comment.
    #[schema(value_type = BTreeMap<Element, String>)]
    comments: BTreeMap<&'a str, &'a String>,
    champion_opt_in: bool,
}

fn saved_answers_schema() -> utoipa::openapi::Schema {
    use utoipa::openapi::{ObjectBuilder, Type};
    let key = ObjectBuilder::new()
        .schema_type(Type::String)
        .pattern(Some("^[0-9]+$"));
    let value = ObjectBuilder::new()
        .schema_type(Type::Integer)
        .minimum(Some(1))
        .maximum(Some(5));
    ObjectBuilder::new()
        .schema_type(Type::Object)
        .property_names(Some(key))
        .additional_properties(Some(value))
        .description(Some("Question id → 1..=5; skipped questions are absent."))
        .into()
}

/// The survey behind a link.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = Survey)]
pub struct SurveyJson<'a> {
    /// The wave's name.
    wave: &'a str,
    /// The initiative's name.
    initiative: &'a str,
    /// RFC 3339.
    #[schema(format = DateTime)]
    closes_at: String,
    scale: ScaleJson,
    /// A-D-K-A-R order.
    questions: Vec<QuestionJson<'a>>,
    /// What ticking the change-champion box agrees to.
    consent_text: &'a str,
    /// The earlier answers; null before the first save.
    #[schema(required = true)]
    answers: Option<SavedJson<'a>>,
}

/// 200 body of a save.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = SurveySaved)]
pub struct SavedReplyJson {
    /// Always true.
    saved: bool,
    /// Answers may be replaced until then (RFC 3339).
    #[schema(format = DateTime)]
    closes_at: String,
}

/// The questions and the caller's current answers.
#[utoipa::path(
    get,
    path = "/api/v1/survey/{token}",
    tag = "survey",
    params(("token" = String, Path, description = "The token of the invitation link",
        pattern = "^[A-Za-z0-9_-]{43}$")),
    responses(
        (status = 200, description = "The survey", body = SurveyJson),
        (status = 404, response = err::NotFound),
        (status = 410, response = err::Gone),
        (status = 503, response = err::Unavailable),
    )
)]
#[tracing::instrument(name = "Show survey via API", skip_all)]
pub async fn show(
    pool: web::Data<DbPool>,
    keys: web::Data<SurveyKeys>,
    cache: web::Data<QuestionCache>,
    token: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let token = parse_token(&token)?;
    let mut conn = pool.get().await?;
    let view = load_survey(&mut conn, &keys, &cache, &token).await?;
    let answers = view.current.as_ref().map(|c| SavedJson {
        answers: c
            .answers
            .iter()
            .map(|(k, v)| (k.to_string(), v.value()))
            .collect(),
        comments: c.comments.iter().map(|(k, v)| (k.as_str(), v)).collect(),
        champion_opt_in: c.champion_opt_in,
    });
    Ok(HttpResponse::Ok().json(SurveyJson {
        wave: &view.wave,
        initiative: &view.initiative,
        closes_at: view.closes_at.to_rfc3339(),
        scale: ScaleJson { min: 1, max: 5 },
        questions: view
            .questions
            .iter()
            .map(|q| QuestionJson {
                id: q.id,
                element: &q.element,
                text: &q.text,
            })
            .collect(),
        consent_text: &view.consent_text,
        answers,
    }))
}

/// Saves the answers; saving again before the close replaces them.
#[utoipa::path(
    post,
    path = "/api/v1/survey/{token}",
    tag = "survey",
    params(("token" = String, Path, description = "The token of the invitation link",
        pattern = "^[A-Za-z0-9_-]{43}$")),
    request_body = SurveyAnswersJson,
    responses(
        (status = 200, description = "Saved", body = SavedReplyJson),
        (status = 404, response = err::NotFound),
        (status = 410, response = err::Gone),
        (status = 413, response = err::PayloadTooLarge),
        (status = 415, response = err::UnsupportedMediaType),
        (status = 422, response = err::Unprocessable),
        (status = 503, response = err::Unavailable),
    )
)]
#[tracing::instrument(name = "Submit survey via API", skip_all)]
pub async fn submit(
    pool: web::Data<DbPool>,
    keys: web::Data<SurveyKeys>,
    cache: web::Data<QuestionCache>,
    token: web::Path<String>,
    body: web::Json<JsonObject<SurveyAnswersJson>>,
) -> Result<HttpResponse, AppError> {
    let token = parse_token(&token)?;
    let body = body.into_inner().0;
    let mut conn = pool.get().await?;
    let named = answered_ids(&body.answers).unwrap_or_default();
    let answered_before = match save_first_answer(&mut conn, &keys, &cache, &token, &named, |ids| {
        body.validate(ids).ok()
    })
    .await?
    {
        LinkSave::Saved(first) => return Ok(saved_reply(first.saved_to.closes_at)),
        LinkSave::AlreadyAnswered => true,
        LinkSave::NotSaved => false,
    };
    let target = find_target(&mut conn, &token).await?;
    let questions = cache.get(&mut conn, target.template_id).await?;
    let ids: Vec<i64> = questions.iter().map(|q| q.id).collect();
    let submission = body.validate(&ids).map_err(AppError::Validation)?;
    save_or_edit(
        &mut conn,
        &keys,
        &token,
        &target,
        &questions,
        &submission,
        answered_before,
    )
    .await?;
    Ok(saved_reply(target.closes_at))
}

fn saved_reply(closes_at: chrono::DateTime<chrono::Utc>) -> HttpResponse {
    HttpResponse::Ok().json(SavedReplyJson {
        saved: true,
        closes_at: closes_at.to_rfc3339(),
    })
}
