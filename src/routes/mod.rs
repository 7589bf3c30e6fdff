//! HTTP routes: one module per resource, one function per action.

pub mod account;
pub mod admin;
pub mod api;
pub mod api_docs;
pub mod auth;
pub mod champions;
pub mod dev_outbox;
pub mod health;
pub mod home;
pub mod initiatives;
pub mod people;
pub mod results;
pub mod survey;
pub mod teams;
pub mod waves;

use actix_web::web;

/// Registers every route (`/api/v1` from its table in `api::v1::routes`).
/// `max_upload_bytes` bounds the CSV import bodies.
///
/// Routes are matched in registration order, a regex per `{param}` pattern tried, so the
/// answering routes (every employee's, the bulk of all traffic) come first.
pub fn configure(cfg: &mut web::ServiceConfig, static_dir: &str, max_upload_bytes: usize) {
    let upload_limit = web::PayloadConfig::new(max_upload_bytes);
    cfg.service(
        web::resource("/s/{token}")
            .route(web::get().to(survey::answer::show))
            .route(web::post().to(survey::answer::submit)),
    )
    .configure(|cfg| api::v1::routes::configure(cfg, max_upload_bytes))
    .route("/health", web::get().to(health::health))
    .route("/metrics", web::get().to(crate::metrics::export))
    .route("/", web::get().to(home::home))
    .route("/docs/api", web::get().to(api_docs::show))
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
            .app_data(upload_limit)
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
        web::resource("/initiatives")
            .route(web::get().to(initiatives::index::index))
            .route(web::post().to(initiatives::index::create)),
    )
    .service(
        web::resource("/initiatives/{id}")
            .route(web::get().to(initiatives::show::show))
            .route(web::post().to(initiatives::show::update)),
    )
    .route(
        "/initiatives/{id}/waves",
        web::post().to(initiatives::show::create_wave),
    )
    .route(
        "/initiatives/{id}/survey",
        web::get().to(initiatives::survey::show),
    )
    .route(
        "/initiatives/{id}/survey/customise",
        web::post().to(initiatives::survey::customise),
    )
    .route(
        "/initiatives/{id}/survey/items",
        web::post().to(initiatives::survey::add_item),
    )
    .route(
        "/initiatives/{id}/survey/items/{item}",
        web::post().to(initiatives::survey::edit_item),
    )
    .service(
        web::resource("/initiatives/{id}/survey/items/{item}/remove")
            .route(web::get().to(initiatives::survey::confirm_remove))
            .route(web::post().to(initiatives::survey::remove_item)),
    )
    .route("/waves/{id}", web::get().to(waves::show::show))
    .route("/waves/{id}/launch", web::post().to(waves::show::launch))
    .route("/waves/{id}/close", web::post().to(waves::show::close))
    .route("/waves/{id}/results", web::get().to(results::show::show))
    .route("/waves/{id}/report", web::get().to(results::report::report))
    .route(
        "/waves/{id}/emails/retry",
        web::post().to(waves::emails::retry),
    )
    .route(
        "/waves/{id}/emails/resend",
        web::post().to(waves::emails::resend),
    )
    .route("/dev/outbox", web::get().to(dev_outbox::index))
    .route(
        "/waves/{id}/champions",
        web::get().to(champions::page::show),
    )
    .route(
        "/waves/{id}/champions/assign",
        web::post().to(champions::actions::propose_form),
    )
    .route(
        "/waves/{id}/champions/override",
        web::post().to(champions::actions::override_form),
    )
    .route(
        "/waves/{id}/champions/reset",
        web::post().to(champions::actions::reset_form),
    )
    .route(
        "/waves/{id}/champions/nominate",
        web::post().to(champions::actions::nominate_form),
    )
    .route(
        "/waves/{id}/champions/remove",
        web::post().to(champions::actions::remove_form),
    )
    .route(
        "/waves/{id}/champions/confirm",
        web::post().to(champions::actions::confirm_form),
    )
    .service(
        web::scope("/static")
            .wrap(crate::web::headers::static_cache_headers())
            .service(actix_files::Files::new("", static_dir).use_etag(true)),
    );
}
