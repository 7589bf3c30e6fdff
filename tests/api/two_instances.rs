//! Two `serve` processes on one database: migrations once, no lost or doubled
//! responses, each invitation email sent once; and no secret in their logs.

use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::faults_checks::links;
use crate::helpers::PASSWORD;
use crate::process::{
    Server, admin_key, connect, count, create_initiative, draft_wave_of, launch, put_people,
    wait_healthy,
};
use crate::smtp::SmtpSink;

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
    let key = admin_key(&db_url);
    let client = reqwest::Client::new();
    let mut csv = String::from("email,name,team\n");
    for i in 0..40 {
        csv.push_str(&format!("t{i:02}@example.org,T{i},Team {}\n", i % 4));
    }
    put_people(&client, &a.address, &key, &csv).await;
    // The initiative through one instance, its wave through the other.
    let initiative = create_initiative(&client, &b.address, &key).await;
    let wave = draft_wave_of(&client, &a.address, &key, initiative).await;
    let (ra, rb) = tokio::join!(
        launch(&client, &a.address, &key, wave),
        launch(&client, &b.address, &key, wave)
    );
    let mut statuses = [
        ra.expect("launch").status().as_u16(),
        rb.expect("launch").status().as_u16(),
    ];
    statuses.sort_unstable();
    assert_eq!(statuses, [202, 409], "one launch wins");

    let mut conn = connect(&db_url).await;
    let tokens = links(&mut conn, wave).await;
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
        .get(format!("{}/api/v1/waves/{wave}", b.address))
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
    let stored = count(&mut conn, "SELECT count(*) AS n FROM responses").await;
    assert_eq!(stored, 40);

    let deadline = Instant::now() + Duration::from_secs(60);
    while sink.messages().len() < 40 && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    let per_recipient = sink.per_recipient();
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
