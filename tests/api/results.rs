//! Results, CSV, hotspots and the results pages, with the anonymity rules applied.

use serde_json::{Value, json};

use crate::helpers::{TestApp, spawn_app};

/// Answers for the listed people: awareness `a`, everything else `rest`.
pub(crate) async fn answer(app: &TestApp, wave: i64, emails: &[&str], a: i64, rest: i64) {
    for email in emails {
        let token = app.link_of(wave, email).await;
        let status = app
            .answer_all(&token, |e| if e == "awareness" { a } else { rest })
            .await
            .status();
        assert_eq!(status.as_u16(), 200);
    }
}

pub(crate) const DESK: [&str; 6] = [
    "d1@example.org",
    "d2@example.org",
    "d3@example.org",
    "d4@example.org",
    "d5@example.org",
    "d6@example.org",
];

#[tokio::test]
async fn results_follow_the_rules_for_roll_up_suppression_and_barriers() {
    let app = spawn_app().await;
    let (key, wave) = app.open_wave().await;
    answer(&app, wave, &DESK, 2, 4).await;
    answer(&app, wave, &["n1@example.org", "n2@example.org"], 5, 5).await;
    answer(&app, wave, &["o1@example.org"], 4, 4).await;

    let results: Value = app
        .get_json(&key, &format!("/api/v1/waves/{wave}/results"))
        .await
        .json()
        .await
        .expect("json");

    assert_eq!(results["min_group_size"], 5);
    assert_eq!(results["org"]["responded"], 9);
    assert_eq!(results["org"]["barriers"]["awareness"], 6);
    assert_eq!(results["org"]["barriers"]["ready"], 3);
    assert_eq!(
        results["org"]["elements"]["awareness"],
        json!({"n": 9, "mean": 2.89})
    );
    let team = |path: &str| crate::wave_helpers::team_entry(&results, path);
    let network = team("Ops/Network");
    assert_eq!(
        (
            network["suppressed"].as_bool(),
            network["responded"].as_i64()
        ),
        (Some(true), Some(2))
    );
    assert!(network.get("elements").is_none() && network.get("barriers").is_none());
    // Ops (9 = 1 direct + 6 Desk + 2 Network): R = 1 + 2 = 3 < 5, so its smallest shown
    // child (Desk, 6) is hidden too: otherwise Ops − Desk would expose 3 people.
    let desk = team("Ops/Desk");
    assert_eq!(desk["suppressed"], true, "{results}");
    assert!(desk.get("elements").is_none());
    assert_eq!(desk["responded"], 6, "counts stay visible");
    let ops = team("Ops");
    assert_eq!(ops["suppressed"], false);
    assert_eq!(ops["elements"]["awareness"]["mean"], 2.89);
    assert_eq!(ops["primary_barrier"], "awareness");
    assert_eq!(
        team("Finance")["suppressed"],
        true,
        "no responses: nothing to show"
    );
}

#[tokio::test]
async fn hotspots_name_the_team_the_element_the_reasons_and_what_to_do() {
    let app = spawn_app().await;
    let (key, wave) = app.open_wave().await;
    answer(&app, wave, &DESK, 2, 4).await;

    let hotspots: Vec<Value> = app
        .get_json(&key, &format!("/api/v1/waves/{wave}/hotspots"))
        .await
        .json()
        .await
        .expect("json");

    let desk = hotspots
        .iter()
        .find(|h| h["path"] == "Ops/Desk" && h["element"] == "awareness")
        .expect("Desk awareness hotspot");
    assert_eq!(desk["reasons"], json!(["low"]));
    assert_eq!(desk["hotspot_team"], true);
    assert!(
        desk["interventions"]
            .as_array()
            .is_some_and(|i| !i.is_empty())
    );
    assert!(hotspots.iter().all(|h| h["mean"].as_f64().is_some()));
}

#[tokio::test]
async fn the_csv_export_has_one_row_per_team_and_element_and_hides_small_groups() {
    let app = spawn_app().await;
    let (key, wave) = app.open_wave().await;
    answer(&app, wave, &DESK, 3, 4).await;

    let csv = app
        .get_json(&key, &format!("/api/v1/waves/{wave}/results.csv"))
        .await
        .text()
        .await
        .expect("csv");

    let lines: Vec<&str> = csv.lines().collect();
    assert!(lines[0].starts_with("team_id,path,invited,responded,suppressed,element,n,mean"));
    let teams = 5; // Ops, Ops/Desk, Ops/Network, Finance, and the organisation row
    assert_eq!(lines.len(), 1 + teams * 5);
    let finance: Vec<&&str> = lines.iter().filter(|l| l.contains(",Finance,")).collect();
    assert_eq!(finance.len(), 5);
    assert!(
        finance
            .iter()
            .all(|l| l.contains(",true,") && l.ends_with(",,,,")),
        "{finance:?}"
    );
    assert!(
        lines
            .iter()
            .any(|l| l.contains(",Ops/Desk,") && l.contains(",awareness,6,3.00,6,"))
    );
}

#[tokio::test]
async fn the_results_page_shows_the_heatmap_and_comments_only_for_large_enough_teams() {
    let app = spawn_app().await;
    let (_, wave) = app.open_wave().await;
    for email in DESK {
        let token = app.link_of(wave, email).await;
        let questions = app.questions(&token).await;
        let answers: serde_json::Map<String, Value> = questions
            .iter()
            .map(|(id, _)| (id.to_string(), json!(2)))
            .collect();
        let body = json!({"answers": answers, "comments": {"knowledge": format!("Need training <script>{email}</script>")}});
        app.client
            .post(format!("{}/api/v1/survey/{token}", app.address))
            .json(&body)
            .send()
            .await
            .expect("POST");
    }
    let token = app.link_of(wave, "n1@example.org").await;
    app.client
        .post(format!("{}/api/v1/survey/{token}", app.address))
        .json(&json!({"answers": {}, "comments": {"desire": "secret network remark"}}))
        .send()
        .await
        .expect("POST");
    // Enough others around Network (Ops direct members, the rest of Network) that Desk
    // stays shown: Ops's residual group is 5.
    answer(
        &app,
        wave,
        &[
            "n2@example.org",
            "n3@example.org",
            "o1@example.org",
            "o2@example.org",
        ],
        4,
        4,
    )
    .await;
    app.login_as("practitioner").await;
    let mut conn = app.db().await;
    use diesel_async::RunQueryDsl;
    #[derive(diesel::QueryableByName)]
    struct Id {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        id: i64,
    }
    let desk: Id = diesel::sql_query("SELECT id FROM teams WHERE path = 'Ops/Desk'")
        .get_result(&mut conn)
        .await
        .expect("desk");
    let network: Id = diesel::sql_query("SELECT id FROM teams WHERE path = 'Ops/Network'")
        .get_result(&mut conn)
        .await
        .expect("network");

    let page = app
        .get(&format!("/waves/{wave}/results"))
        .await
        .text()
        .await
        .expect("body");
    let desk_page = app
        .get(&format!("/waves/{wave}/results?team={}", desk.id))
        .await
        .text()
        .await
        .expect("body");
    let network_page = app
        .get(&format!("/waves/{wave}/results?team={}", network.id))
        .await
        .text()
        .await
        .expect("body");
    let report = app.get(&format!("/waves/{wave}/report")).await;

    assert!(
        page.contains("class=\"heatmap\"")
            && page.contains("hidden: fewer responses than the minimum group size")
    );
    assert!(page.contains("Resistance hotspots"));
    assert!(
        desk_page.contains("Need training &lt;script&gt;"),
        "comments shown, escaped"
    );
    assert!(!desk_page.contains("<script>d1"));
    assert!(
        !network_page.contains("secret network remark"),
        "a team under k shows no comments"
    );
    assert!(network_page.contains("Comments are not shown for this team"));
    assert!(!page.contains("secret network remark"));
    assert_eq!(report.status().as_u16(), 200);
    assert!(
        report
            .text()
            .await
            .expect("body")
            .contains("readiness report")
    );
}
