//! `GET/POST /s/{token}`: show the form (with current answers), save, thank.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};

use crate::db::DbPool;
use crate::domain::adkar::Element;
use crate::domain::likert::LABELS;
use crate::domain::survey_body::form_fields_to_answers;
use crate::domain::survey_submission::{Submission, read_submission, validate_submission};
use crate::domain::survey_token::{SurveyKeys, SurveyToken};
use crate::error::{AppError, FieldError};
use crate::services::survey_link_save::{LinkSave, answered_ids, save_first_answer};
use crate::services::survey_response::{
    QuestionCache, SurveyView, find_target, load_survey, save_or_edit, survey_view,
};
use crate::web::Page;
use crate::web::csrf::CsrfForm;

fn closes_label(closes_at: chrono::DateTime<chrono::Utc>) -> String {
    closes_at.format("%A %-d %B %Y, %H:%M UTC").to_string()
}

/// Renders the form with `shown` answers and `errors`; a 404/410 page for bad links.
fn render_form(
    page: &Page,
    view: &SurveyView,
    shown: &Submission,
    errors: &[FieldError],
    status: StatusCode,
) -> Result<HttpResponse, AppError> {
    let elements: Vec<_> = Element::ALL
        .iter()
        .enumerate()
        .map(|(i, element)| {
            let questions: Vec<_> = view
                .questions
                .iter()
                .filter(|q| q.element() == *element)
                .map(|q| serde_json::json!({"id": q.id, "text": q.text, "value": shown.answers.get(&q.id).map(|v| v.value())}))
                .collect();
            serde_json::json!({
                "name": element.as_str(), "label": element.label(), "part": i + 1,
                "questions": questions, "comment": shown.comments.get(element).cloned().unwrap_or_default(),
            })
        })
        .collect();
    let mut ctx = page.context();
    ctx.insert("initiative", &view.initiative);
    ctx.insert("wave", &view.wave);
    ctx.insert("closes", &closes_label(view.closes_at));
    ctx.insert("elements", &elements);
    ctx.insert("labels", &LABELS);
    ctx.insert("question_count", &view.questions.len());
    ctx.insert("consent_text", &view.consent_text);
    ctx.insert("opted_in", &shown.champion_opt_in);
    ctx.insert("answered_before", &view.current.is_some());
    ctx.insert("errors", errors);
    page.render_with_status(status, "survey/answer.html", &ctx)
}

fn link_problem(page: &Page, error: AppError) -> Result<HttpResponse, AppError> {
    let (status, title, message) = match &error {
        AppError::UnknownLink => (
            StatusCode::NOT_FOUND,
            "This link is not valid",
            "Check that you opened the whole link from your email. If it still does not work, ask the change team for a new one.",
        ),
        AppError::Gone(_) => (
            StatusCode::GONE,
            "This survey has closed",
            "Thank you for your interest. Answers are no longer accepted for this survey.",
        ),
        _ => return Err(error),
    };
    let mut ctx = page.context();
    ctx.insert("title", title);
    ctx.insert("message", message);
    page.render_with_status(status, "survey/unavailable.html", &ctx)
}

/// Shows the form, filled with the person's saved answers if any.
#[tracing::instrument(name = "Show survey", skip_all)]
pub async fn show(
    page: Page,
    pool: web::Data<DbPool>,
    keys: web::Data<SurveyKeys>,
    cache: web::Data<QuestionCache>,
    token: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let Some(token) = SurveyToken::parse(&token) else {
        return link_problem(&page, AppError::UnknownLink);
    };
    let mut conn = pool.get().await?;
    match load_survey(&mut conn, &keys, &cache, &token).await {
        Ok(view) => {
            let shown = view.current.clone().unwrap_or_default();
            render_form(&page, &view, &shown, &[], StatusCode::OK)
        }
        Err(e) => link_problem(&page, e),
    }
}

/// Saves the answers and thanks; the form again with messages when something is wrong.
#[tracing::instrument(name = "Submit survey", skip_all)]
pub async fn submit(
    page: Page,
    pool: web::Data<DbPool>,
    keys: web::Data<SurveyKeys>,
    cache: web::Data<QuestionCache>,
    token: web::Path<String>,
    CsrfForm(fields): CsrfForm<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    let Some(token) = SurveyToken::parse(&token) else {
        return link_problem(&page, AppError::UnknownLink);
    };
    let mut conn = pool.get().await?;
    let (answers, comments, opt_in) = form_fields_to_answers(&fields);
    let named = answered_ids(&answers).unwrap_or_default();
    let first = save_first_answer(&mut conn, &keys, &cache, &token, &named, |ids| {
        validate_submission(ids, &answers, &comments, opt_in).ok()
    })
    .await;
    let answered_before = match first {
        Ok(LinkSave::Saved(first)) => {
            let saved = &first.saved_to;
            return thanks(
                &page,
                &saved.initiative,
                saved.closes_at,
                &first.submission,
                first.questions.len(),
            );
        }
        Ok(LinkSave::AlreadyAnswered) => true,
        Ok(LinkSave::NotSaved) => false,
        Err(e) => return link_problem(&page, e),
    };
    let target = match find_target(&mut conn, &token).await {
        Ok(target) => target,
        Err(e) => return link_problem(&page, e),
    };
    let questions = cache.get(&mut conn, target.template_id).await?;
    let ids: Vec<i64> = questions.iter().map(|q| q.id).collect();
    let (submission, errors) = read_submission(&ids, &answers, &comments, opt_in);
    if !errors.is_empty() {
        // The form again with what the person entered, not their saved answers.
        let view = survey_view(&mut conn, &keys, &token, target, questions).await?;
        return render_form(
            &page,
            &view,
            &submission,
            &errors,
            StatusCode::UNPROCESSABLE_ENTITY,
        );
    }
    let saved = save_or_edit(
        &mut conn,
        &keys,
        &token,
        &target,
        &questions,
        &submission,
        answered_before,
    )
    .await;
    if let Err(e) = saved {
        return link_problem(&page, e);
    }
    thanks(
        &page,
        &target.initiative,
        target.closes_at,
        &submission,
        questions.len(),
    )
}

/// The thank-you page after a save.
fn thanks(
    page: &Page,
    initiative: &str,
    closes_at: chrono::DateTime<chrono::Utc>,
    submission: &Submission,
    question_count: usize,
) -> Result<HttpResponse, AppError> {
    let mut ctx = page.context();
    ctx.insert("initiative", initiative);
    ctx.insert("closes", &closes_label(closes_at));
    ctx.insert("answered", &submission.answers.len());
    ctx.insert("question_count", &question_count);
    ctx.insert("opted_in", &submission.champion_opt_in);
    page.render("survey/thanks.html", &ctx)
}
