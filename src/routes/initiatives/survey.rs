//! `/initiatives/{id}/survey`: the statements the initiative's next waves will use.
//! The default template is shared and frozen; "customise" gives the initiative its own
//! copy to edit. Launched waves keep the frozen copy they were sent with.

use actix_web::{HttpResponse, web};
use diesel_async::AsyncConnection;
use serde::Deserialize;

use crate::auth::CurrentUser;
use crate::db::DbPool;
use crate::db::models::initiative::Initiative;
use crate::db::models::survey_template::{DEFAULT_TEMPLATE_ID, SurveyTemplate};
use crate::domain::adkar::Element;
use crate::error::AppError;
use crate::services::access::require_read;
use crate::web::Page;
use crate::web::csrf::{CsrfForm, CsrfOnly};
use crate::web::flash::redirect_with_flash;

/// A statement's new wording, or a new statement.
#[derive(Debug, Deserialize)]
pub struct ItemForm {
    #[serde(default)]
    element: String,
    text: String,
}

/// Shows the statements.
#[tracing::instrument(name = "Show survey statements", skip_all, fields(initiative_id = *id))]
pub async fn show(
    user: CurrentUser,
    page: Page,
    pool: web::Data<DbPool>,
    id: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let mut conn = pool.get().await?;
    require_read(&mut conn, &user, *id).await?;
    let initiative = Initiative::find(&mut conn, *id).await?;
    let template_id = initiative.template_id.unwrap_or(DEFAULT_TEMPLATE_ID);
    let template = SurveyTemplate::find(&mut conn, template_id).await?;
    let questions = SurveyTemplate::questions(&mut conn, template_id).await?;
    let elements: Vec<_> = Element::ALL
        .iter()
        .map(|e| serde_json::json!({"name": e.as_str(), "label": e.label(), "questions": questions.iter().filter(|q| q.element() == *e).collect::<Vec<_>>()}))
        .collect();
    let mut ctx = page.context();
    ctx.insert("initiative", &initiative);
    ctx.insert("template", &template);
    ctx.insert("elements", &elements);
    ctx.insert(
        "editable",
        &(!template.frozen && user.role().is_staff_operator()),
    );
    page.render("initiatives/survey.html", &ctx)
}

fn back(id: i64, message: &str) -> HttpResponse {
    redirect_with_flash(&format!("/initiatives/{id}/survey"), message)
}

async fn own_template(
    conn: &mut diesel_async::AsyncPgConnection,
    id: i64,
) -> Result<i64, AppError> {
    Initiative::find(conn, id)
        .await?
        .template_id
        .ok_or_else(|| AppError::Conflict("customise the statements first".into()))
}

/// Gives the initiative its own editable copy of the default statements.
#[tracing::instrument(name = "Customise survey", skip_all, fields(initiative_id = *id))]
pub async fn customise(
    user: CurrentUser,
    pool: web::Data<DbPool>,
    id: web::Path<i64>,
    _f: CsrfForm<CsrfOnly>,
) -> Result<HttpResponse, AppError> {
    user.require_operator()?;
    let mut conn = pool.get().await?;
    let initiative = Initiative::find(&mut conn, *id).await?;
    if initiative.template_id.is_some() {
        return Ok(back(*id, "This initiative already has its own statements."));
    }
    conn.transaction(async |conn| {
        let copy = SurveyTemplate::copy(conn, DEFAULT_TEMPLATE_ID, &initiative.name, false).await?;
        Initiative::set_template(conn, initiative.id, copy).await
    })
    .await?;
    Ok(back(
        *id,
        "You can now edit the statements. Waves already launched keep theirs.",
    ))
}

fn check_text(text: &str) -> Result<&str, &'static str> {
    let text = text.trim();
    if text.is_empty() || text.chars().count() > 500 {
        Err("A statement must be 1 to 500 characters; nothing was changed.")
    } else {
        Ok(text)
    }
}

/// Changes a statement's wording.
#[tracing::instrument(name = "Edit survey statement", skip_all)]
pub async fn edit_item(
    user: CurrentUser,
    pool: web::Data<DbPool>,
    path: web::Path<(i64, i64)>,
    CsrfForm(form): CsrfForm<ItemForm>,
) -> Result<HttpResponse, AppError> {
    user.require_operator()?;
    let (id, item) = path.into_inner();
    let text = match check_text(&form.text) {
        Ok(text) => text,
        Err(message) => return Ok(back(id, message)),
    };
    let mut conn = pool.get().await?;
    let template = own_template(&mut conn, id).await?;
    if SurveyTemplate::set_text(&mut conn, template, item, text).await? == 0 {
        return Err(AppError::NotFound);
    }
    Ok(back(id, "Statement saved."))
}

/// Adds a statement to an element.
#[tracing::instrument(name = "Add survey statement", skip_all, fields(initiative_id = *id))]
pub async fn add_item(
    user: CurrentUser,
    pool: web::Data<DbPool>,
    id: web::Path<i64>,
    CsrfForm(form): CsrfForm<ItemForm>,
) -> Result<HttpResponse, AppError> {
    user.require_operator()?;
    let Some(element) = Element::parse(&form.element) else {
        return Ok(back(
            *id,
            "Choose the ADKAR element the statement belongs to.",
        ));
    };
    let text = match check_text(&form.text) {
        Ok(text) => text,
        Err(message) => return Ok(back(*id, message)),
    };
    let mut conn = pool.get().await?;
    let template = own_template(&mut conn, *id).await?;
    SurveyTemplate::add_item(&mut conn, template, element, text).await?;
    Ok(back(*id, "Statement added."))
}

/// Asks once before a statement is removed: the statement and a button that removes it.
#[tracing::instrument(name = "Confirm removing a survey statement", skip_all)]
pub async fn confirm_remove(
    user: CurrentUser,
    page: Page,
    pool: web::Data<DbPool>,
    path: web::Path<(i64, i64)>,
) -> Result<HttpResponse, AppError> {
    user.require_operator()?;
    let (id, item) = path.into_inner();
    let mut conn = pool.get().await?;
    let initiative = Initiative::find(&mut conn, id).await?;
    let template = own_template(&mut conn, id).await?;
    let question = SurveyTemplate::questions(&mut conn, template)
        .await?
        .into_iter()
        .find(|q| q.id == item)
        .ok_or(AppError::NotFound)?;
    let mut ctx = page.context();
    ctx.insert("initiative", &initiative);
    ctx.insert("q", &question);
    ctx.insert("element", question.element().label());
    page.render("initiatives/survey_remove.html", &ctx)
}

/// Removes a statement.
#[tracing::instrument(name = "Remove survey statement", skip_all)]
pub async fn remove_item(
    user: CurrentUser,
    pool: web::Data<DbPool>,
    path: web::Path<(i64, i64)>,
    _f: CsrfForm<CsrfOnly>,
) -> Result<HttpResponse, AppError> {
    user.require_operator()?;
    let (id, item) = path.into_inner();
    let mut conn = pool.get().await?;
    let template = own_template(&mut conn, id).await?;
    if SurveyTemplate::remove_item(&mut conn, template, item).await? == 0 {
        return Err(AppError::NotFound);
    }
    Ok(back(id, "Statement removed."))
}
