//! How the CSRF test reaches each scanned form: the data whose ids replace the Tera
//! expressions of actions and field names, and a value for every field.

use serde_json::json;

use crate::helpers::{PASSWORD, TestApp};
use crate::security_csrf_scan::{ScannedForm, id_of, substitute};
use crate::wave_helpers::ORG;

/// Ids that exist in the test's data.
pub struct World {
    admin: String,
    other_user: i64,
    own_key: i64,
    /// Uses the default (frozen) statements; has a draft and an open wave.
    initiative: i64,
    /// Has its own, editable statements.
    custom: i64,
    item: i64,
    draft: i64,
    open: i64,
    token: String,
    question: i64,
    desk: i64,
    person: i64,
}

impl World {
    /// Signs the client in as an admin and makes the data every form needs.
    pub async fn build(app: &TestApp) -> World {
        let admin = app.login_as("admin").await;
        let (key, initiative, draft) = app.draft_wave(json!({})).await;
        let closes = (chrono::Utc::now() + chrono::Duration::days(9)).to_rfc3339();
        let wave = app
            .post_json(
                &key,
                &format!("/api/v1/initiatives/{initiative}/waves"),
                &json!({"name": "Open wave", "closes_at": closes}),
            )
            .await;
        assert_eq!(wave.status().as_u16(), 201);
        let open = wave.json::<serde_json::Value>().await.expect("json")["id"]
            .as_i64()
            .expect("id");
        let launch = app
            .post_json(&key, &format!("/api/v1/waves/{open}/launch"), &json!({}))
            .await;
        assert_eq!(launch.status().as_u16(), 202);
        let custom = app
            .post_json(&key, "/api/v1/initiatives", &json!({"name": "Custom"}))
            .await
            .json::<serde_json::Value>()
            .await
            .expect("json")["id"]
            .as_i64()
            .expect("id");
        let customise = app
            .post_form(&format!("/initiatives/{custom}/survey/customise"), &[])
            .await;
        assert_eq!(customise.status().as_u16(), 303);
        let created = app
            .post_form("/account/api-keys", &[("label", "mine")])
            .await;
        assert_eq!(created.status().as_u16(), 200);
        let other = app.add_user("sponsor").await;
        let token = app.link_of(open, "f1@example.org").await;
        let question = app.questions(&token).await[0].0;
        World {
            other_user: id_of(app, &format!("SELECT id FROM users WHERE email = '{other}'")).await,
            own_key: id_of(app, &format!("SELECT k.id FROM api_keys k JOIN users u ON u.id = k.user_id WHERE u.email = '{admin}'")).await,
            item: id_of(app, &format!("SELECT s.id FROM survey_items s JOIN initiatives i ON i.template_id = s.template_id WHERE i.id = {custom} ORDER BY s.id LIMIT 1")).await,
            desk: id_of(app, "SELECT id FROM teams WHERE path = 'Ops/Desk'").await,
            person: id_of(app, "SELECT id FROM people WHERE email = 'f1@example.org'").await,
            admin,
            initiative,
            custom,
            draft,
            open,
            token,
            question,
        }
    }
}

/// Values by name.
type Named = Vec<(&'static str, String)>;

/// How the test submits one form.
struct Case {
    /// Values of the Tera expressions in the action and the field names.
    vars: Named,
    /// A value for every field, by its name in the template.
    values: Named,
    /// The URL, for a form that posts to its own page.
    own_url: Option<String>,
    /// Sent by a signed-out browser (the sign-in form); else by the signed-in admin.
    anonymous: bool,
}

fn case(w: &World, key: &str) -> Option<Case> {
    let s = |v: &str| v.to_owned();
    let (ini, custom) = (
        ("initiative.id", w.initiative.to_string()),
        ("initiative.id", w.custom.to_string()),
    );
    let (draft, open) = (
        ("wave.id", w.draft.to_string()),
        ("wave.id", w.open.to_string()),
    );
    let closes = (chrono::Utc::now() + chrono::Duration::days(30))
        .format("%Y-%m-%d")
        .to_string();
    let (vars, values): (Named, Named) = match key {
        "/login" => {
            return Some(Case {
                vars: vec![],
                values: vec![("email", w.admin.clone()), ("password", s(PASSWORD))],
                own_url: None,
                anonymous: true,
            });
        }
        "/logout" => (vec![], vec![]),
        "/admin/users" => (
            vec![],
            vec![
                ("email", s("added@example.org")),
                ("name", s("Added")),
                ("role", s("practitioner")),
                ("password", s(PASSWORD)),
            ],
        ),
        "/admin/users/{u.id}/active" => (
            vec![("u.id", w.other_user.to_string())],
            vec![("active", s("0"))],
        ),
        "/admin/users/{u.id}/password" => (vec![("u.id", w.other_user.to_string())], vec![]),
        "/account/api-keys" => (vec![], vec![("label", s("CI"))]),
        "/account/api-keys/{k.id}/revoke" => (vec![("k.id", w.own_key.to_string())], vec![]),
        "/initiatives" => (
            vec![],
            vec![("name", s("Another")), ("description", s("Why"))],
        ),
        "/initiatives/{initiative.id}" => (
            vec![ini],
            vec![
                ("name", s("Renamed")),
                ("description", s("Why")),
                ("member", w.other_user.to_string()),
            ],
        ),
        "/initiatives/{initiative.id}/waves" => (
            vec![ini],
            vec![
                ("name", s("Wave 3")),
                ("closes_at", closes),
                ("min_group_size", s("5")),
                ("reminder_days", s("3, 7")),
                ("sponsor_message", s("Hi")),
                ("team_id", w.desk.to_string()),
            ],
        ),
        "/initiatives/{initiative.id}/survey/customise" => (vec![ini], vec![]),
        "/initiatives/{initiative.id}/survey/items/{q.id}" => (
            vec![custom, ("q.id", w.item.to_string())],
            vec![("text", s("Reworded"))],
        ),
        "/initiatives/{initiative.id}/survey/items/{q.id}/remove" => {
            (vec![custom, ("q.id", w.item.to_string())], vec![])
        }
        "/initiatives/{initiative.id}/survey/items" => (
            vec![custom, ("element.name", s("desire"))],
            vec![("element", s("desire")), ("text", s("Added statement"))],
        ),
        "/people/import" => (
            vec![],
            vec![("file", s(ORG)), ("deactivate_missing", s("1"))],
        ),
        "/waves/{wave.id}/launch" => (vec![draft], vec![("confirm", s("1"))]),
        "/waves/{wave.id}/emails/retry" => (vec![open], vec![]),
        "/waves/{wave.id}/emails/resend" => (vec![open], vec![("email", s("f1@example.org"))]),
        "/waves/{wave.id}/close" => (vec![open], vec![("confirm", s("1"))]),
        "/waves/{wave.id}/champions/assign" => {
            (vec![open], vec![("max_teams_per_champion", s("2"))])
        }
        "/waves/{wave.id}/champions/override" => (
            vec![open, ("t.team_id", w.desk.to_string())],
            vec![("team_id", w.desk.to_string()), ("person", s("none"))],
        ),
        "/waves/{wave.id}/champions/confirm" | "/waves/{wave.id}/champions/reset" => {
            (vec![open], vec![("confirm", s("1"))])
        }
        "/waves/{wave.id}/champions/remove" => {
            (vec![open], vec![("person_id", w.person.to_string())])
        }
        "/waves/{wave.id}/champions/nominate" => (
            vec![open],
            vec![("email", s("f1@example.org")), ("reason", s("Respected"))],
        ),
        "survey/answer.html (posts to itself)" => {
            let vars = vec![
                ("q.id", w.question.to_string()),
                ("element.name", s("desire")),
            ];
            let values = vec![
                ("q_{q.id}", s("4")),
                ("comment_{element.name}", s("More training")),
                ("champion_opt_in", s("1")),
            ];
            return Some(Case {
                vars,
                values,
                own_url: Some(format!("/s/{}", w.token)),
                anonymous: false,
            });
        }
        _ => return None,
    };
    Some(Case {
        vars,
        values,
        own_url: None,
        anonymous: false,
    })
}

/// A scanned form with its concrete URL and fields.
pub struct Planned {
    /// `<template> form posting to <action>`, for messages.
    pub name: String,
    /// Concrete URL.
    pub url: String,
    /// Every field but the token, with a value.
    pub fields: Vec<(String, String)>,
    /// Sent as `multipart/form-data`.
    pub multipart: bool,
    /// Sent by a signed-out browser.
    pub anonymous: bool,
}

/// The URL and fields the test submits for `form`, or why it cannot.
pub fn plan(w: &World, form: &ScannedForm) -> Result<Planned, String> {
    let key = form.key();
    let case = case(w, &key).ok_or("the test does not know how to reach it: add it to `case`")?;
    let url = match (&form.action, case.own_url) {
        (Some(action), _) => substitute(action, &case.vars)?,
        (None, Some(url)) => url,
        (None, None) => {
            return Err("it posts to its own page, whose URL the test does not know".into());
        }
    };
    let mut fields = Vec::new();
    for name in &form.fields {
        let value = case
            .values
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.clone());
        let value = value.ok_or_else(|| format!("the test has no value for its field `{name}`"))?;
        fields.push((substitute(name, &case.vars)?, value));
    }
    let name = format!("{} form posting to {key}", form.template);
    Ok(Planned {
        name,
        url,
        fields,
        multipart: form.multipart,
        anonymous: case.anonymous,
    })
}
