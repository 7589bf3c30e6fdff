//! Importing the organisation: API, page upload and CLI; all or nothing.

use serde_json::Value;

use crate::helpers::{TestApp, spawn_app};

pub(crate) const ORG: &str = "email,name,team,manager_email,location\n\
ada@example.org,Ada Lovelace,Ops/Service Desk,grace@example.org,Leeds\n\
Grace@Example.org,Grace Hopper,Ops,,London\n\
alan@example.org,Alan Turing,Ops/Network/Core,grace@example.org,\n\
linus@example.org,Linus T,Finance,,\n";

pub(crate) async fn counts(app: &TestApp) -> (i64, i64, i64) {
    use changeready::db::schema::{people, teams};
    use diesel::prelude::*;
    use diesel_async::RunQueryDsl;
    let mut conn = app.db().await;
    let people_n: i64 = people::table
        .count()
        .get_result(&mut conn)
        .await
        .expect("count");
    let active: i64 = people::table
        .filter(people::active.eq(true))
        .count()
        .get_result(&mut conn)
        .await
        .expect("count");
    let teams_n: i64 = teams::table
        .count()
        .get_result(&mut conn)
        .await
        .expect("count");
    (people_n, active, teams_n)
}

#[tokio::test]
async fn an_import_creates_people_and_every_team_of_their_paths() {
    let app = spawn_app().await;
    let key = app.api_key("practitioner").await;

    let response = app.put_people(&key, ORG, false).await;

    assert_eq!(response.status().as_u16(), 200);
    let body: Value = response.json().await.expect("json");
    assert_eq!(
        body,
        serde_json::json!({"created": 4, "updated": 0, "deactivated": 0, "teams_created": 5})
    );
    let teams: Vec<Value> = app
        .client
        .get(format!("{}/api/v1/teams", app.address))
        .bearer_auth(&key)
        .send()
        .await
        .expect("GET")
        .json()
        .await
        .expect("json");
    let ops = teams.iter().find(|t| t["path"] == "Ops").expect("Ops");
    assert_eq!(ops["people"], 3, "Ops counts its whole subtree");
    assert_eq!(ops["parent_id"], Value::Null);
    let core = teams
        .iter()
        .find(|t| t["path"] == "Ops/Network/Core")
        .expect("Core");
    let network = teams
        .iter()
        .find(|t| t["path"] == "Ops/Network")
        .expect("Network");
    assert_eq!(core["parent_id"], network["id"]);
    assert_eq!(core["name"], "Core");
}

#[tokio::test]
async fn a_re_import_of_the_same_file_changes_nothing() {
    let app = spawn_app().await;
    let key = app.api_key("admin").await;
    app.put_people(&key, ORG, false).await;
    let before = counts(&app).await;

    let body: Value = app
        .put_people(&key, ORG, true)
        .await
        .json()
        .await
        .expect("json");

    assert_eq!(
        body,
        serde_json::json!({"created": 0, "updated": 0, "deactivated": 0, "teams_created": 0})
    );
    assert_eq!(counts(&app).await, before);
}

#[tokio::test]
async fn people_are_matched_by_email_whatever_its_case() {
    let app = spawn_app().await;
    let key = app.api_key("admin").await;
    app.put_people(&key, ORG, false).await;

    let body: Value = app
        .put_people(
            &key,
            "email,name,team\nADA@example.ORG,Ada King,Finance\n",
            false,
        )
        .await
        .json()
        .await
        .expect("json");

    assert_eq!(body["created"], 0);
    assert_eq!(body["updated"], 1);
    assert_eq!(counts(&app).await.0, 4);
}

#[tokio::test]
async fn deactivate_missing_deactivates_only_people_not_in_the_file() {
    let app = spawn_app().await;
    let key = app.api_key("admin").await;
    app.put_people(&key, ORG, false).await;

    let body: Value = app
        .put_people(&key, "email,name,team,manager_email,location\nada@example.org,Ada Lovelace,Ops/Service Desk,grace@example.org,Leeds\n", true)
        .await
        .json()
        .await
        .expect("json");

    assert_eq!(body["deactivated"], 3);
    assert_eq!(counts(&app).await, (4, 1, 5));
    let back: Value = app
        .put_people(&key, ORG, false)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(back["updated"], 3, "listed again: reactivated");
}

#[tokio::test]
async fn each_kind_of_bad_row_is_reported_with_its_line_and_field_and_nothing_changes() {
    let app = spawn_app().await;
    let key = app.api_key("admin").await;
    app.put_people(&key, ORG, false).await;
    let before = counts(&app).await;
    let good = "ok@example.org,Ok Person,Ops\n";
    let cases: Vec<(&str, Vec<u8>, u64, &str)> = vec![
        (
            "missing column",
            b"email,name\nx@example.org,X\n".to_vec(),
            1,
            "team",
        ),
        (
            "bad email",
            format!("email,name,team\n{good}not-an-email,X,Ops\n").into_bytes(),
            3,
            "email",
        ),
        (
            "empty name",
            format!("email,name,team\n{good}x@example.org,  ,Ops\n").into_bytes(),
            3,
            "name",
        ),
        (
            "empty team segment",
            format!("email,name,team\n{good}x@example.org,X,Ops//Desk\n").into_bytes(),
            3,
            "team",
        ),
        (
            "duplicate email",
            format!("email,name,team\n{good}OK@example.org,Again,Ops\n").into_bytes(),
            3,
            "email",
        ),
        (
            "bad UTF-8",
            [
                b"email,name,team\n".to_vec(),
                good.as_bytes().to_vec(),
                b"x@example.org,Bad \xff\xfe name,Ops\n".to_vec(),
            ]
            .concat(),
            3,
            "name",
        ),
        (
            "wrong delimiter",
            b"email;name;team\nx@example.org;X;Ops\n".to_vec(),
            1,
            "header",
        ),
        (
            "wrong field count",
            format!("email,name,team\n{good}x@example.org,X\n").into_bytes(),
            3,
            "row",
        ),
    ];
    for (case, csv, line, field) in cases {
        let response = app
            .client
            .put(format!(
                "{}/api/v1/people?deactivate_missing=true",
                app.address
            ))
            .bearer_auth(&key)
            .header("Content-Type", "text/csv")
            .body(csv)
            .send()
            .await
            .expect("PUT");
        assert_eq!(response.status().as_u16(), 422, "{case}");
        let body: Value = response.json().await.expect("json");
        let errors = body["errors"].as_array().expect("errors array");
        assert!(
            errors.iter().any(|e| e["line"] == line
                && e["field"] == field
                && e["message"].as_str().is_some_and(|m| !m.is_empty())),
            "{case}: {body}"
        );
        assert_eq!(counts(&app).await, before, "{case}: nothing changed");
    }
}

#[tokio::test]
async fn every_error_of_a_file_is_reported_at_once() {
    let app = spawn_app().await;
    let key = app.api_key("admin").await;

    let body: Value = app
        .put_people(
            &key,
            "email,name,team\nbad,X,Ops\nx@example.org,,Ops\ny@example.org,Y,/\n",
            false,
        )
        .await
        .json()
        .await
        .expect("json");

    let lines: Vec<i64> = body["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .filter_map(|e| e["line"].as_i64())
        .collect();
    assert_eq!(lines, vec![2, 3, 4]);
}

#[tokio::test]
async fn an_import_body_that_is_not_csv_is_415() {
    let app = spawn_app().await;
    let key = app.api_key("admin").await;

    let response = app
        .client
        .put(format!("{}/api/v1/people", app.address))
        .bearer_auth(&key)
        .header("Content-Type", "application/json")
        .body("{}")
        .send()
        .await
        .expect("PUT");

    assert_eq!(response.status().as_u16(), 415);
}
