//! Who sees which results, and the location filter.

use serde_json::{Value, json};

use crate::helpers::spawn_app;
use crate::results::{DESK, answer};

/// The test organisation with locations: Ops's own two, Desk's first three and Network
/// in Leeds; the rest of Desk and Finance in Lyon.
const LOCATED_ORG: &str = "email,name,team,location\n\
    o1@example.org,O1,Ops,Leeds\no2@example.org,O2,Ops,Leeds\n\
    d1@example.org,D1,Ops/Desk,Leeds\nd2@example.org,D2,Ops/Desk,Leeds\nd3@example.org,D3,Ops/Desk,Leeds\n\
    d4@example.org,D4,Ops/Desk,Lyon\nd5@example.org,D5,Ops/Desk,Lyon\nd6@example.org,D6,Ops/Desk,Lyon\n\
    n1@example.org,N1,Ops/Network,Leeds\nn2@example.org,N2,Ops/Network,Leeds\nn3@example.org,N3,Ops/Network,Leeds\n\
    f1@example.org,F1,Finance,Lyon\n";

const LEEDS: [&str; 8] = [
    "o1@example.org",
    "o2@example.org",
    "d1@example.org",
    "d2@example.org",
    "d3@example.org",
    "n1@example.org",
    "n2@example.org",
    "n3@example.org",
];

#[tokio::test]
async fn a_sponsor_sees_only_their_initiatives_results() {
    let app = spawn_app().await;
    let (_, wave) = app.open_wave().await;
    let (_, other_initiative, other_draft) = app.draft_wave(json!({})).await;
    let _ = other_draft;
    let email = app.login_as("sponsor").await;
    let key = app.api_key("sponsor").await;

    let page = app.get(&format!("/waves/{wave}/results")).await;
    let api = app
        .get_json(&key, &format!("/api/v1/waves/{wave}/results"))
        .await;
    assert_eq!(
        page.status().as_u16(),
        404,
        "IDOR: another initiative's wave"
    );
    assert_eq!(api.status().as_u16(), 404);
    assert_eq!(
        app.get(&format!("/initiatives/{other_initiative}"))
            .await
            .status()
            .as_u16(),
        404
    );

    let mut conn = app.db().await;
    use diesel_async::RunQueryDsl;
    diesel::sql_query(format!("INSERT INTO initiative_members (initiative_id, user_id, member_role) SELECT w.initiative_id, u.id, 'sponsor' FROM waves w, users u WHERE w.id = {wave} AND u.email = '{email}'"))
        .execute(&mut conn)
        .await
        .expect("sponsor");
    assert_eq!(
        app.get(&format!("/waves/{wave}/results"))
            .await
            .status()
            .as_u16(),
        200
    );
    assert_eq!(
        app.get(&format!("/waves/{wave}/report"))
            .await
            .status()
            .as_u16(),
        200
    );
    let list = app.get("/initiatives").await.text().await.expect("body");
    assert_eq!(
        list.matches("href=\"/initiatives/").count(),
        1,
        "only the sponsored initiative is listed"
    );
}

#[tokio::test]
async fn the_location_filter_applies_k_to_the_smaller_group_and_to_what_the_full_view_leaves() {
    let app = spawn_app().await;
    let key = app.api_key("admin").await;
    let csv = LOCATED_ORG;
    app.put_people(&key, csv, false).await;
    let (_, _, wave) = app.draft_wave(json!({})).await;
    app.put_people(&key, csv, false).await;
    app.post_json(&key, &format!("/api/v1/waves/{wave}/launch"), &json!({}))
        .await;
    answer(&app, wave, &DESK, 2, 4).await;
    answer(
        &app,
        wave,
        &[
            "n1@example.org",
            "n2@example.org",
            "n3@example.org",
            "o1@example.org",
            "o2@example.org",
        ],
        4,
        4,
    )
    .await;

    let leeds: Value = app
        .get_json(
            &key,
            &format!("/api/v1/waves/{wave}/results?location=Leeds"),
        )
        .await
        .json()
        .await
        .expect("json");
    let lyon: Value = app
        .get_json(&key, &format!("/api/v1/waves/{wave}/results?location=Lyon"))
        .await
        .json()
        .await
        .expect("json");

    assert_eq!(leeds["org"]["responded"], 8);
    let team = |r: &Value, path: &str| {
        r["teams"]
            .as_array()
            .expect("teams")
            .iter()
            .find(|t| t["path"] == path)
            .cloned()
            .expect(path)
    };
    // Ops in all less Ops in Leeds would be Lyon's 3 answers: hidden in the Leeds view.
    assert_eq!(team(&leeds, "Ops")["suppressed"], true);
    assert!(team(&leeds, "Ops").get("elements").is_none());
    assert_eq!(
        leeds["org"]["suppressed"], true,
        "the same for the organisation"
    );
    assert_eq!(
        team(&leeds, "Ops/Desk")["suppressed"],
        true,
        "3 in Leeds: under k"
    );
    assert_eq!(lyon["org"]["responded"], 3);
    assert_eq!(
        lyon["org"]["suppressed"], true,
        "the whole Lyon group is under k"
    );
    assert!(lyon["org"].get("elements").is_none());
    app.login_as("practitioner").await;
    let page = app
        .get(&format!("/waves/{wave}/results?location=Lyon"))
        .await
        .text()
        .await
        .expect("body");
    assert!(
        page.contains("Only people in <strong>Lyon</strong>") && !page.contains("class=\"num cell"),
        "nothing shown for Lyon"
    );
}

#[tokio::test]
async fn an_element_only_one_person_answered_shows_its_count_but_no_mean() {
    let app = crate::helpers::spawn_app().await;
    let (key, wave) = app.open_wave().await;
    for i in 1..=6 {
        let token = app.link_of(wave, &format!("d{i}@example.org")).await;
        // d1 alone answers knowledge (with 1s); the others skip all its statements.
        let value = |e: &str| if e == "knowledge" { 1 } else { 4 };
        let answers: serde_json::Map<String, serde_json::Value> = app
            .questions(&token)
            .await
            .into_iter()
            .filter(|(_, element)| i == 1 || element != "knowledge")
            .map(|(id, element)| (id.to_string(), serde_json::json!(value(&element))))
            .collect();
        let saved = app
            .post_survey(&token, &serde_json::json!({"answers": answers}))
            .await;
        assert_eq!(saved.status().as_u16(), 200);
    }
    let results: serde_json::Value = app
        .get_json(&key, &format!("/api/v1/waves/{wave}/results"))
        .await
        .json()
        .await
        .expect("json");
    let desk = results["teams"]
        .as_array()
        .expect("teams")
        .iter()
        .find(|t| t["path"] == "Ops/Desk")
        .expect("Desk")
        .clone();
    assert_eq!(
        desk["elements"]["knowledge"],
        serde_json::json!({"n": 1, "mean": null}),
        "{desk}"
    );
    assert_eq!(desk["elements"]["awareness"]["mean"], 4.0);
    let hotspots = app
        .get_json(&key, &format!("/api/v1/waves/{wave}/hotspots"))
        .await
        .text()
        .await
        .expect("body");
    assert!(
        !hotspots.contains("knowledge"),
        "no hotspot from one person: {hotspots}"
    );
    app.login_as("practitioner").await;
    let page = app
        .get(&format!("/waves/{wave}/results"))
        .await
        .text()
        .await
        .expect("page");
    assert!(
        page.contains("too few answers to show (1)"),
        "the heatmap says why"
    );
}

#[tokio::test]
async fn the_location_view_compares_with_the_previous_wave_at_that_location() {
    let app = spawn_app().await;
    let key = app.api_key("admin").await;
    let (_, initiative, first) = app.draft_wave(json!({})).await;
    app.put_people(&key, LOCATED_ORG, false).await;
    app.post_json(&key, &format!("/api/v1/waves/{first}/launch"), &json!({}))
        .await;
    answer(&app, first, &LEEDS, 5, 5).await;
    let closes = (chrono::Utc::now() + chrono::Duration::days(14)).to_rfc3339();
    let second: Value = app
        .post_json(
            &key,
            &format!("/api/v1/initiatives/{initiative}/waves"),
            &json!({"name": "Wave 2", "closes_at": closes}),
        )
        .await
        .json()
        .await
        .expect("json");
    let second = second["id"].as_i64().expect("wave id");
    app.post_json(&key, &format!("/api/v1/waves/{second}/launch"), &json!({}))
        .await;
    // Awareness 5 -> 4 in Leeds: not low, not below the (Leeds) organisation; declining.
    answer(&app, second, &LEEDS, 4, 5).await;

    app.login_as("practitioner").await;
    let page = app
        .get(&format!("/waves/{second}/results?location=Leeds"))
        .await
        .text()
        .await
        .expect("page");
    assert!(
        page.contains("<strong>Ops</strong>: Awareness"),
        "a hotspot for Ops"
    );
    assert!(
        page.contains("down 0.5 or more since the previous wave"),
        "declining"
    );
}
