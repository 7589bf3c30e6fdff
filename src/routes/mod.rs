//! HTTP routes: one module per resource, one function per action.

pub mod account;
pub mod admin;
pub mod api;
pub mod auth;
pub mod health;
pub mod home;
pub mod people;
pub mod teams;

use actix_web::web;

/// Registers every route. `max_upload_bytes` bounds the CSV import bodies.
pub fn configure(cfg: &mut web::ServiceConfig, static_dir: &str, max_upload_bytes: usize) {
    let upload_limit = web::PayloadConfig::new(max_upload_bytes);
    cfg.route("/health", web::get().to(health::health))
        .route("/", web::get().to(home::home))
        .service(
            web::resource("/login")
                .route(web::get().to(auth::login::login_form))
                .route(web::post().to(auth::login::login)),
        )
        .route("/logout", web::post().to(auth::logout::logout))
        .route("/teams", web::get().to(teams::index::index))
        .route("/people", web::get().to(people::list::list))
        .service(
            web::resource("/people/import")
                .app_data(upload_limit.clone())
                .route(web::get().to(people::import::import_form))
                .route(web::post().to(people::import::import_upload)),
        )
        .service(
            web::resource("/admin/users")
                .route(web::get().to(admin::users::index))
                .route(web::post().to(admin::users::create)),
        )
        .route(
            "/admin/users/{id}/active",
            web::post().to(admin::users::set_active),
        )
        .route(
            "/admin/users/{id}/password",
            web::post().to(admin::users::reset_password),
        )
        .service(
            web::resource("/account/api-keys")
                .route(web::get().to(account::api_keys::index))
                .route(web::post().to(account::api_keys::create)),
        )
        .route(
            "/account/api-keys/{id}/revoke",
            web::post().to(account::api_keys::revoke),
        )
        .service(
            web::scope("/api/v1")
                .service(
                    web::resource("/people")
                        .app_data(upload_limit)
                        .route(web::put().to(api::v1::people::put_people)),
                )
                .route("/teams", web::get().to(api::v1::teams::list_teams)),
        )
        .service(
            web::scope("/static")
                .wrap(crate::web::headers::static_cache_headers())
                .service(actix_files::Files::new("", static_dir).use_etag(true)),
        );
}
