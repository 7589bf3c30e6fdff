//! `GET/POST /api/v1/survey/{token}`: the JSON twin of the answering page.

use std::collections::BTreeMap;

use actix_web::{HttpResponse, web};

use crate::db::DbPool;
use crate::domain::survey_body::SurveyAnswersJson;
use crate::domain::survey_token::{SurveyKeys, SurveyToken};
use crate::error::AppError;
use crate::services::survey_response::{QuestionCache, find_target, load_survey, save_for_target};

fn parse_token(raw: &str) -> Result<SurveyToken, AppError> {
    SurveyToken::parse(raw).ok_or(AppError::NotFound)
}

/// The questions and the caller's current answers.
#[tracing::instrument(name = "Show survey via API", skip_all)]
pub async fn show(
    pool: web::Data<DbPool>,
    keys: web::Data<SurveyKeys>,
    token: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let token = parse_token(&token)?;
    let mut conn = pool.get().await?;
    let view = load_survey(&mut conn, &keys, &token).await?;
    let questions: Vec<_> = view
        .questions
        .iter()
        .map(|q| serde_json::json!({"id": q.id, "element": q.element, "text": q.text}))
        .collect();
    let answers = view.current.as_ref().map(|c| {
        serde_json::json!({
            "answers": c.answers.iter().map(|(k, v)| (k.to_string(), v.value())).collect::<BTreeMap<_, _>>(),
            "comments": c.comments.iter().map(|(k, v)| (k.as_str(), v)).collect::<BTreeMap<_, _>>(),
            "champion_opt_in": c.champion_opt_in,
        })
    });
    Ok(HttpResponse::Ok().json(serde_json::json!({
        "wave": view.wave.name,
        "initiative": view.initiative,
        "closes_at": view.wave.closes_at.to_rfc3339(),
        "scale": {"min": 1, "max": 5},
        "questions": questions,
        "consent_text": view.consent_text,
        "answers": answers,
    })))
}

/// Saves or replaces the caller's answers: one lookup, cached statements, one transaction.
#[tracing::instrument(name = "Submit survey via API", skip_all)]
pub async fn submit(
    pool: web::Data<DbPool>,
    keys: web::Data<SurveyKeys>,
    cache: web::Data<QuestionCache>,
    token: web::Path<String>,
    body: web::Json<SurveyAnswersJson>,
) -> Result<HttpResponse, AppError> {
    let token = parse_token(&token)?;
    let mut conn = pool.get().await?;
    let target = find_target(&mut conn, &token).await?;
    let questions = cache.get(&mut conn, target.template_id).await?;
    let ids: Vec<i64> = questions.iter().map(|q| q.id).collect();
    let submission = body.validate(&ids).map_err(AppError::Validation)?;
    save_for_target(&mut conn, &keys, &token, &target, &questions, &submission).await?;
    Ok(HttpResponse::Ok()
        .json(serde_json::json!({"saved": true, "closes_at": target.closes_at.to_rfc3339()})))
}
