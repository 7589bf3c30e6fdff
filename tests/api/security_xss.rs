//! Stored and reflected XSS: payloads in names, team paths, locations, initiatives,
//! waves, statements, comments, nominations, key labels and rejected form input come
//! back escaped on every staff page.

use crate::helpers::{PASSWORD, TestApp, login_client, spawn_app, spawn_client};
use crate::security_xss_data::{
    ODD_EMAIL, XssWorld, assert_escaped, build, desk_path, name_of, network_path, payload,
    team_payload,
};

async fn page(app: &TestApp, client: &reqwest::Client, path: &str) -> String {
    let response = client
        .get(format!("{}{path}", app.address))
        .send()
        .await
        .expect("GET");
    assert_eq!(response.status().as_u16(), 200, "GET {path}");
    response.text().await.expect("body")
}

/// Each staff page with the stored values it must show (escaped).
fn staff_pages(w: &XssWorld) -> Vec<(String, Vec<String>)> {
    let (ini, wave) = (w.initiative, w.wave);
    let (team_a, team_b) = (team_payload("TEAMA"), team_payload("TEAMB"));
    let search = serde_urlencoded::to_string([("q", payload("SEARCH")), ("team", desk_path())])
        .expect("query");
    let location =
        serde_urlencoded::to_string([("team", w.desk.to_string()), ("location", payload("LOC"))])
            .expect("query");
    let champion_page = vec![
        payload("INI"),
        payload("WAVE"),
        name_of("n1"),
        name_of("f1"),
        payload("REASON"),
        desk_path(),
        network_path(),
    ];
    vec![
        ("/".into(), vec![]),
        (
            "/people".into(),
            vec![
                name_of("d1"),
                name_of("o1"),
                ODD_EMAIL.into(),
                desk_path(),
                payload("LOC"),
            ],
        ),
        (
            format!("/people?{search}"),
            vec![payload("SEARCH"), desk_path()],
        ),
        ("/teams".into(), vec![team_a.clone(), team_b.clone()]),
        ("/initiatives".into(), vec![payload("INI"), payload("DESC")]),
        (
            format!("/initiatives/{ini}"),
            vec![
                payload("INI"),
                payload("DESC"),
                payload("WAVE"),
                payload("WAVE2"),
                payload("USER"),
                team_a.clone(),
            ],
        ),
        (
            format!("/initiatives/{ini}/survey"),
            vec![payload("INI"), payload("STMT")],
        ),
        (
            format!("/waves/{wave}"),
            vec![payload("INI"), payload("WAVE"), team_a.clone()],
        ),
        (
            format!("/waves/{wave}/results"),
            vec![
                payload("INI"),
                payload("WAVE"),
                team_a.clone(),
                payload("LOC"),
            ],
        ),
        (
            format!("/waves/{wave}/results?team={}", w.desk),
            vec![desk_path(), payload("COMMENT")],
        ),
        (
            format!("/waves/{wave}/results?{location}"),
            vec![desk_path(), payload("LOC")],
        ),
        (
            format!("/waves/{wave}/report"),
            vec![payload("INI"), payload("WAVE"), payload("WAVE2"), team_a],
        ),
        (format!("/waves/{wave}/champions"), champion_page),
        ("/admin/users".into(), vec![payload("USER")]),
        ("/account/api-keys".into(), vec![payload("LABEL")]),
        ("/dev/outbox".into(), vec![ODD_EMAIL.into()]),
    ]
}

#[tokio::test]
async fn stored_payloads_come_back_escaped_on_every_staff_page() {
    let app = spawn_app().await;
    let world = build(&app).await;
    let key = app
        .post_form("/account/api-keys", &[("label", &payload("LABEL"))])
        .await;
    assert_eq!(key.status().as_u16(), 200);

    for (path, shown) in staff_pages(&world) {
        let html = page(&app, &app.client, &path).await;
        let shown: Vec<&str> = shown.iter().map(String::as_str).collect();
        assert_escaped(&format!("{path} (admin)"), &html, &shown);
    }

    let sponsor = spawn_client(&app);
    assert_eq!(
        login_client(&app, &sponsor, &world.sponsor, PASSWORD).await,
        303
    );
    let (ini, wave) = (world.initiative, world.wave);
    for (path, shown) in [
        ("/".to_owned(), vec![payload("USER")]),
        (
            "/initiatives".to_owned(),
            vec![payload("INI"), payload("DESC")],
        ),
        (
            format!("/initiatives/{ini}"),
            vec![payload("INI"), payload("WAVE"), payload("USER")],
        ),
        (
            format!("/waves/{wave}/results?team={}", world.desk),
            vec![desk_path(), payload("COMMENT")],
        ),
        (
            format!("/waves/{wave}/report"),
            vec![payload("INI"), payload("WAVE")],
        ),
    ] {
        let html = page(&app, &sponsor, &path).await;
        let shown: Vec<&str> = shown.iter().map(String::as_str).collect();
        assert_escaped(&format!("{path} (sponsor)"), &html, &shown);
    }
}

async fn rejected(response: reqwest::Response, what: &str, shown: &[&str]) {
    let status = response.status().as_u16();
    assert!((400..500).contains(&status), "{what}: {status}");
    assert_escaped(what, &response.text().await.expect("body"), shown);
}

#[tokio::test]
async fn rejected_form_input_is_echoed_escaped() {
    let app = spawn_app().await;
    let (bad, text) = (payload("BAD"), payload("TEXT"));

    let login = app.login(&bad, "wrong password 123").await;
    rejected(login, "the sign-in form", &[&bad]).await;

    app.login_as("admin").await;
    let initiative = app
        .post_form("/initiatives", &[("name", ""), ("description", &text)])
        .await;
    rejected(initiative, "the new initiative form", &[&text]).await;
    let user = app
        .post_form(
            "/admin/users",
            &[
                ("email", &bad),
                ("name", &text),
                ("role", &bad),
                ("password", "x"),
            ],
        )
        .await;
    rejected(user, "the new user form", &[&bad, &text]).await;
    let created = app
        .post_form("/initiatives", &[("name", "Plain"), ("description", "")])
        .await;
    let id = crate::security_xss_data::id_in_location(&created);
    let fields = [
        ("name", text.as_str()),
        ("closes_at", &bad),
        ("min_group_size", "5"),
        ("reminder_days", ""),
        ("sponsor_message", &bad),
    ];
    let wave = app
        .post_form(&format!("/initiatives/{id}/waves"), &fields)
        .await;
    rejected(wave, "the new wave form", &[&text, &bad]).await;

    let path = format!("{bad}//x");
    let csv = format!(
        "email,name,team\nx@example.org,X,\"{}\"\n",
        path.replace('"', "\"\"")
    );
    let token = app.csrf_token().await;
    let upload = reqwest::multipart::Form::new()
        .text("csrf_token", token)
        .text("file", csv);
    let import = app.post_import(upload).await;
    rejected(import, "the import form's errors", &[&path]).await;
}
