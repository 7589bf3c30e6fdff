//! Two `serve` processes on one database: migrations once, no lost or doubled
//! responses, each invitation email sent once; and no secret in their logs.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::helpers::{PASSWORD, test_settings};
use crate::process::{Server, cli, wait_healthy};
use crate::smtp::{SmtpSink, recipient};

#[tokio::test]
async fn two_instances_share_one_database_without_losing_or_doubling_anything() {
    let sink = SmtpSink::start(&[]);
    let (db_url, _) = crate::helpers::fresh_empty_database().await;
    // Both start on an empty database at once: migrations run once, under the lock.
    let (a, b) = (
        Server::start(&db_url, &sink.url()),
        Server::start(&db_url, &sink.url()),
    );
    wait_healthy(&a.address).await;
    wait_healthy(&b.address).await;
    cli(
        &db_url,
        &[
            "user",
            "add",
            "--email",
            "ops@example.org",
            "--name",
            "Ops",
            "--role",
            "admin",
        ],
    );
    let key = cli(
        &db_url,
        &["api-key", "create", "--email", "ops@example.org"],
    );
    let client = reqwest::Client::new();
    let mut csv = String::from("email,name,team\n");
    for i in 0..40 {
        csv.push_str(&format!("t{i:02}@example.org,T{i},Team {}\n", i % 4));
    }
    let put = client
        .put(format!("{}/api/v1/people", a.address))
        .bearer_auth(&key)
        .header("Content-Type", "text/csv")
        .body(csv)
        .send()
        .await
        .expect("PUT");
    assert_eq!(put.status().as_u16(), 200);
    let initiative: Value = client
        .post(format!("{}/api/v1/initiatives", b.address))
        .bearer_auth(&key)
        .json(&json!({"name": "Two"}))
        .send()
        .await
        .expect("POST")
        .json()
        .await
        .expect("json");
    let closes = (chrono::Utc::now() + chrono::Duration::days(2)).to_rfc3339();
    let wave: Value = client
        .post(format!(
            "{}/api/v1/initiatives/{}/waves",
            a.address, initiative["id"]
        ))
        .bearer_auth(&key)
        .json(&json!({"name": "W", "closes_at": closes}))
        .send()
        .await
        .expect("POST")
        .json()
        .await
        .expect("json");
    let launch_a = client
        .post(format!("{}/api/v1/waves/{}/launch", a.address, wave["id"]))
        .bearer_auth(&key)
        .send();
    let launch_b = client
        .post(format!("{}/api/v1/waves/{}/launch", b.address, wave["id"]))
        .bearer_auth(&key)
        .send();
    let (ra, rb) = tokio::join!(launch_a, launch_b);
    let mut statuses = [
        ra.expect("launch").status().as_u16(),
        rb.expect("launch").status().as_u16(),
    ];
    statuses.sort_unstable();
    assert_eq!(statuses, [202, 409], "one launch wins");

    let keys = changeready::domain::survey_token::SurveyKeys::new(
        test_settings(&db_url).application.secret,
    );
    let mut conn =
        <diesel_async::AsyncPgConnection as diesel_async::AsyncConnection>::establish(&db_url)
            .await
            .expect("db");
    #[derive(diesel::QueryableByName)]
    struct Inv {
        #[diesel(sql_type = diesel::sql_types::Uuid)]
        id: uuid::Uuid,
    }
    let invitations: Vec<Inv> =
        diesel_async::RunQueryDsl::load(diesel::sql_query("SELECT id FROM invitations"), &mut conn)
            .await
            .expect("invitations");
    let tokens: Vec<String> = invitations
        .iter()
        .map(|i| keys.token_for(i.id).expose().to_owned())
        .collect();
    let first = tokens[0].clone();
    let survey: Value = client
        .get(format!("{}/api/v1/survey/{first}", a.address))
        .send()
        .await
        .expect("GET")
        .json()
        .await
        .expect("json");
    let answers: serde_json::Map<String, Value> = survey["questions"]
        .as_array()
        .expect("questions")
        .iter()
        .map(|q| (q["id"].to_string(), json!(4)))
        .collect();
    // Every link answered twice at once, once through each instance.
    let posts = tokens.iter().flat_map(|t| {
        [&a.address, &b.address].map(|addr| {
            let (client, body, url) = (
                client.clone(),
                json!({"answers": answers}),
                format!("{addr}/api/v1/survey/{t}"),
            );
            tokio::spawn(async move {
                client
                    .post(url)
                    .json(&body)
                    .send()
                    .await
                    .expect("POST")
                    .status()
                    .as_u16()
            })
        })
    });
    let results = futures_util::future::join_all(posts).await;
    assert!(results.iter().all(|r| *r.as_ref().expect("task") == 200));
    let status: Value = client
        .get(format!("{}/api/v1/waves/{}", b.address, wave["id"]))
        .bearer_auth(&key)
        .send()
        .await
        .expect("GET")
        .json()
        .await
        .expect("json");
    assert_eq!(
        (status["invited"].as_i64(), status["responded"].as_i64()),
        (Some(40), Some(40)),
        "none lost, none doubled"
    );
    #[derive(diesel::QueryableByName)]
    struct N {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        n: i64,
    }
    let stored: N = diesel_async::RunQueryDsl::get_result(
        diesel::sql_query("SELECT count(*) AS n FROM responses"),
        &mut conn,
    )
    .await
    .expect("count");
    assert_eq!(stored.n, 40);

    let deadline = Instant::now() + Duration::from_secs(60);
    while sink.messages().len() < 40 && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    let mut per_recipient: HashMap<String, usize> = HashMap::new();
    for m in sink.messages() {
        *per_recipient.entry(recipient(&m)).or_default() += 1;
    }
    assert_eq!(per_recipient.len(), 40);
    assert!(
        per_recipient.values().all(|n| *n == 1),
        "each invitation email once across both workers"
    );

    let logs = a.stop() + &b.stop();
    assert!(logs.contains("HTTP request"), "logs were captured");
    assert!(
        !logs.contains(&first) && tokens.iter().all(|t| !logs.contains(t.as_str())),
        "no survey token in the logs"
    );
    assert!(
        !logs.contains(PASSWORD) && !logs.contains(&key),
        "no password or API key in the logs"
    );
    assert!(
        !logs.contains("t00@example.org"),
        "no email address in the logs"
    );
}
