//! The one list of `/api/v1` routes. [`configure`] registers it and [`api_v1_routes`]
//! reads it, so a route cannot be served without the OpenAPI test seeing it.

use actix_web::http::Method;
use actix_web::{FromRequest, Handler, HttpRequest, Responder, Route, web};

use super::{
    champions, initiative_edit, initiatives, openapi, people, results, survey, teams, waves,
};
use crate::error::{AppError, FieldError};

/// One route of the table: method, full path, handler.
pub struct ApiRoute {
    method: &'static str,
    path: &'static str,
    route: Route,
    upload: bool,
}

impl ApiRoute {
    fn new<F, Args>(method: (&'static str, Method), path: &'static str, handler: F) -> Self
    where
        F: Handler<Args>,
        Args: FromRequest + 'static,
        F::Output: Responder + 'static,
    {
        Self {
            method: method.0,
            path,
            route: web::method(method.1).to(handler),
            upload: false,
        }
    }

    /// Takes bodies up to the upload limit rather than the default one.
    fn upload(mut self) -> Self {
        self.upload = true;
        self
    }
}

fn get<F, Args>(path: &'static str, handler: F) -> ApiRoute
where
    F: Handler<Args>,
    Args: FromRequest + 'static,
    F::Output: Responder + 'static,
{
    ApiRoute::new(("GET", Method::GET), path, handler)
}

fn post<F, Args>(path: &'static str, handler: F) -> ApiRoute
where
    F: Handler<Args>,
    Args: FromRequest + 'static,
    F::Output: Responder + 'static,
{
    ApiRoute::new(("POST", Method::POST), path, handler)
}

fn patch<F, Args>(path: &'static str, handler: F) -> ApiRoute
where
    F: Handler<Args>,
    Args: FromRequest + 'static,
    F::Output: Responder + 'static,
{
    ApiRoute::new(("PATCH", Method::PATCH), path, handler)
}

fn put<F, Args>(path: &'static str, handler: F) -> ApiRoute
where
    F: Handler<Args>,
    Args: FromRequest + 'static,
    F::Output: Responder + 'static,
{
    ApiRoute::new(("PUT", Method::PUT), path, handler)
}

/// Every `/api/v1` route, in registration order: the answering routes first, as they
/// carry most requests (see `routes::configure`).
fn table() -> Vec<ApiRoute> {
    vec![
        get("/api/v1/survey/{token}", survey::show),
        post("/api/v1/survey/{token}", survey::submit),
        put("/api/v1/people", people::put_people).upload(),
        get("/api/v1/teams", teams::list_teams),
        get("/api/v1/initiatives", initiatives::list),
        post("/api/v1/initiatives", initiatives::create),
        get("/api/v1/initiatives/{id}", initiative_edit::show),
        patch("/api/v1/initiatives/{id}", initiative_edit::update),
        post("/api/v1/initiatives/{id}/waves", initiatives::create_wave),
        get("/api/v1/waves/{id}", waves::show),
        post("/api/v1/waves/{id}/launch", waves::launch),
        post("/api/v1/waves/{id}/close", waves::close),
        get("/api/v1/waves/{id}/results", results::results),
        get("/api/v1/waves/{id}/results.csv", results::results_csv),
        get("/api/v1/waves/{id}/hotspots", results::hotspots),
        get("/api/v1/waves/{id}/champions", champions::show),
        post("/api/v1/waves/{id}/champions/assign", champions::assign),
        get("/api/v1/openapi.json", openapi::openapi_json),
    ]
}

/// Every `(method, path)` served under `/api/v1`, e.g. `("GET", "/api/v1/teams")`; paths
/// are written as in the OpenAPI document (`{id}` for a parameter).
pub fn api_v1_routes() -> Vec<(&'static str, &'static str)> {
    table().iter().map(|r| (r.method, r.path)).collect()
}

/// A malformed path parameter (say, a non-numeric id) names nothing: JSON 404, like
/// an id that does not exist, instead of actix's plain-text one.
fn path_error(_: actix_web::error::PathError, _: &HttpRequest) -> actix_web::Error {
    AppError::NotFound.into()
}

/// A malformed query string is invalid input: JSON 422 like a bad body, not a text 400.
fn query_error(err: actix_web::error::QueryPayloadError, _: &HttpRequest) -> actix_web::Error {
    AppError::Validation(vec![FieldError::new("query", err.to_string())]).into()
}

/// Registers the table: one resource per path (so a wrong method answers 405), each
/// answering malformed paths and queries in JSON; uploads may be `max_upload_bytes`.
pub fn configure(cfg: &mut web::ServiceConfig, max_upload_bytes: usize) {
    let mut by_path: Vec<(&'static str, Vec<ApiRoute>)> = Vec::new();
    for route in table() {
        match by_path.iter_mut().find(|(path, _)| *path == route.path) {
            Some((_, routes)) => routes.push(route),
            None => by_path.push((route.path, vec![route])),
        }
    }
    for (path, routes) in by_path {
        let mut resource = web::resource(path)
            .app_data(web::PathConfig::default().error_handler(path_error))
            .app_data(web::QueryConfig::default().error_handler(query_error));
        if routes.iter().any(|r| r.upload) {
            resource = resource.app_data(web::PayloadConfig::new(max_upload_bytes));
        }
        for route in routes {
            resource = resource.route(route.route);
        }
        cfg.service(resource);
    }
}
