//! Importing and browsing people through the pages.

use crate::helpers::{TestApp, spawn_app};
use crate::people_import::{ORG, counts};

async fn upload(app: &TestApp, csv: &'static str) -> (u16, String) {
    let token = app.csrf_token().await;
    let form = reqwest::multipart::Form::new()
        .text("csrf_token", token)
        .part(
            "file",
            reqwest::multipart::Part::bytes(csv.as_bytes()).file_name("org.csv"),
        );
    let response = app.post_import(form).await;
    (
        response.status().as_u16(),
        response.text().await.expect("body"),
    )
}

#[tokio::test]
async fn a_page_upload_imports_and_shows_what_changed() {
    let app = spawn_app().await;
    app.login_as("practitioner").await;

    let (status, body) = upload(&app, ORG).await;

    assert_eq!(status, 200);
    assert!(body.contains("4 created"), "{body}");
    let teams = app.get("/teams").await.text().await.expect("body");
    assert!(teams.contains("Service Desk"));
    let people = app.get("/people?q=ada").await.text().await.expect("body");
    assert!(people.contains("Ada Lovelace") && !people.contains("Alan Turing"));
}

#[tokio::test]
async fn a_bad_page_upload_lists_every_error_and_imports_nothing() {
    let app = spawn_app().await;
    app.login_as("practitioner").await;

    let (status, body) = upload(&app, "email,name,team\nbad,X,Ops\nx@example.org,,Ops\n").await;

    assert_eq!(status, 422);
    assert!(body.contains("Nothing was imported: 2 problems"), "{body}");
    assert_eq!(counts(&app).await, (0, 0, 0));
}

#[tokio::test]
async fn the_people_list_pages_through_large_organisations() {
    let app = spawn_app().await;
    let key = app.api_key("admin").await;
    let mut csv = String::from("email,name,team\n");
    for i in 0..120 {
        csv.push_str(&format!("p{i:03}@example.org,Person {i:03},Big/Team\n"));
    }
    app.put_people(&key, &csv, false).await;
    app.login_as("practitioner").await;

    let first = app.get("/people").await.text().await.expect("body");
    let third = app.get("/people?page=3").await.text().await.expect("body");

    assert!(first.contains("120 people; page 1 of 3"), "{first}");
    assert!(first.contains("Person 000") && !first.contains("Person 050"));
    assert!(third.contains("Person 119") && !third.contains("Next page"));
}
