//! `GET /api/v1/openapi.json`: the OpenAPI 3.1 document of every `/api/v1` route,
//! generated from the handlers' `#[utoipa::path]` and the types they send and take.

use std::sync::LazyLock;

use actix_web::HttpResponse;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use super::error_responses as err;
use super::{champions, initiative_edit, initiatives, people, results, survey, teams, waves};

/// The document. api.md is the contract; this describes it as the code serves it.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "changeready API",
        description = "Change-readiness surveys, results and champions. Calls other than \
            `/api/v1/survey/{token}` and this document send `Authorization: Bearer KEY` \
            (`changeready api-key create`) and act with that user's role.",
    ),
    paths(
        people::put_people,
        teams::list_teams,
        initiatives::list,
        initiatives::create,
        initiative_edit::show,
        initiative_edit::update,
        initiatives::create_wave,
        waves::show,
        waves::launch,
        waves::close,
        results::results,
        results::results_csv,
        results::hotspots,
        champions::show,
        champions::assign,
        survey::show,
        survey::submit,
        openapi_json,
    ),
    components(
        schemas(crate::error::ErrorBody, people::CsvErrorsJson),
        responses(
            err::Unauthorized,
            err::Forbidden,
            err::NotFound,
            err::Conflict,
            err::Gone,
            err::PayloadTooLarge,
            err::UnsupportedMediaType,
            err::Unprocessable,
            err::PeopleUnprocessable,
            err::Unavailable,
        )
    ),
    modifiers(&BearerAuth),
    tags(
        (name = "people", description = "Importing the organisation"),
        (name = "teams", description = "The team tree"),
        (name = "initiatives", description = "Initiatives and their waves"),
        (name = "waves", description = "Launching, closing and following a wave"),
        (name = "results", description = "Figures of a wave (k-anonymous)"),
        (name = "champions", description = "Change champions of a wave"),
        (name = "survey", description = "Answering, with the link from the invitation (no key)"),
        (name = "meta", description = "This document"),
    )
)]
pub struct ApiDoc;

/// Adds the `bearer` scheme the operations' `security` refers to.
struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some(
                        "An API key from `changeready api-key create --email E`.",
                    ))
                    .build(),
            ),
        );
    }
}

/// The document as JSON, built once (plain data: serialising it cannot fail).
static DOCUMENT: LazyLock<String> = LazyLock::new(|| {
    ApiDoc::openapi()
        .to_json()
        .expect("the OpenAPI document serialises")
});

/// This OpenAPI document.
#[utoipa::path(
    get,
    path = "/api/v1/openapi.json",
    tag = "meta",
    responses((status = 200, description = "The OpenAPI 3.1 document", body = Object))
)]
pub async fn openapi_json() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("application/json")
        .body(document())
}

/// The document as JSON text.
pub fn document() -> &'static str {
    DOCUMENT.as_str()
}
