//! `kill -9` of the app mid-launch and mid-submissions: after a restart there is no
//! partial launch, no half-written response, no lost acknowledged answer and no lost
//! email.

use std::time::{Duration, Instant};

use diesel_async::SimpleAsyncConnection;
use futures_util::StreamExt;

use crate::faults_checks::{answers_for, assert_responses_whole, assert_stats_match_recount};
use crate::helpers::fresh_database;
use crate::process::{
    Server, admin_key, connect, count, draft_wave, launch, launch_held_mid_way, people_csv,
    put_people, wait_healthy,
};
use crate::smtp::SmtpSink;

const PEOPLE: i64 = 2000;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kill9_mid_launch_leaves_no_partial_launch_and_every_invitation_is_mailed_once() {
    let sink = SmtpSink::start(&[]);
    let (db_url, _) = fresh_database().await;
    // No worker in the process that is killed: the email test covers a kill mid-send.
    let mut first = Server::start_with(&db_url, &["--no-worker"], &[]);
    wait_healthy(&first.address).await;
    let key = admin_key(&db_url);
    let client = reqwest::Client::new();
    put_people(
        &client,
        &first.address,
        &key,
        &people_csv(PEOPLE as usize, 40),
    )
    .await;
    let wave = draft_wave(&client, &first.address, &key).await;
    let mut conn = connect(&db_url).await;
    let templates_before = count(&mut conn, "SELECT count(*) AS n FROM survey_templates").await;

    // Hold one team so the launch stops mid-way (template frozen, invitations pending).
    let (mut blocker, launching) =
        launch_held_mid_way(&db_url, &client, &first.address, &key, wave).await;
    first.kill9();
    blocker
        .batch_execute("ROLLBACK")
        .await
        .expect("release the team");
    assert!(
        launching.await.expect("task").is_err(),
        "the killed launch got no answer"
    );

    let env = [
        ("SMTP_URL", sink.url()),
        ("APP_EMAIL__LEASE_SECS", "3".to_owned()),
        ("APP_EMAIL__RATE_PER_SECOND", "10000".to_owned()),
    ];
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let second = Server::start_with(&db_url, &[], &env);
    wait_healthy(&second.address).await;
    let status = format!("SELECT count(*) AS n FROM waves WHERE id = {wave} AND status = 'draft'");
    let invited = format!("SELECT count(*) AS n FROM invitations WHERE wave_id = {wave}");
    let queued = format!("SELECT count(*) AS n FROM email_outbox WHERE wave_id = {wave}");
    let stats = format!("SELECT count(*) AS n FROM wave_team_stats WHERE wave_id = {wave}");
    let templates = "SELECT count(*) AS n FROM survey_templates";
    assert_eq!(count(&mut conn, &status).await, 1, "still a draft");
    assert_eq!(count(&mut conn, &invited).await, 0, "no invitation kept");
    assert_eq!(count(&mut conn, &queued).await, 0, "no email queued");
    assert_eq!(count(&mut conn, &stats).await, 0, "no figures kept");
    assert_eq!(
        count(&mut conn, templates).await,
        templates_before,
        "no frozen survey kept"
    );

    // Launched again, it invites everyone once and each gets exactly one email.
    let relaunch = launch(&client, &second.address, &key, wave)
        .await
        .expect("launch");
    assert_eq!(relaunch.status().as_u16(), 202);
    assert_eq!(count(&mut conn, &invited).await, PEOPLE);
    assert_eq!(count(&mut conn, &queued).await, PEOPLE, "one email each");
    let unsent = format!(
        "SELECT count(*) AS n FROM email_outbox WHERE wave_id = {wave} AND status <> 'sent'"
    );
    let deadline = Instant::now() + Duration::from_secs(240);
    while count(&mut conn, &unsent).await > 0 {
        assert!(Instant::now() < deadline, "every invitation sent");
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    let per_recipient = sink.per_recipient();
    assert_eq!(per_recipient.len() as i64, PEOPLE, "nobody is missed");
    assert!(per_recipient.values().all(|n| *n == 1), "nobody twice");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kill9_mid_submissions_leaves_every_response_whole_and_the_counts_exact() {
    let (db_url, _) = fresh_database().await;
    let mut first = Server::start_with(&db_url, &["--no-worker"], &[]);
    wait_healthy(&first.address).await;
    let key = admin_key(&db_url);
    let client = reqwest::Client::new();
    put_people(&client, &first.address, &key, &people_csv(400, 8)).await;
    let wave = draft_wave(&client, &first.address, &key).await;
    let launched = launch(&client, &first.address, &key, wave)
        .await
        .expect("launch");
    assert_eq!(launched.status().as_u16(), 202);
    let mut conn = connect(&db_url).await;
    let links = crate::faults_checks::links(&mut conn, wave).await;
    let questions = crate::faults_checks::questions(&mut conn, wave).await;

    // Every link answered once, 24 at a time, while the process is killed.
    let (address, all, q) = (first.address.clone(), links.clone(), questions.clone());
    let submitting = tokio::spawn(async move {
        let posts = all.into_iter().enumerate().map(|(i, token)| {
            let (client, body) = (client.clone(), answers_for(&q, i));
            let url = format!("{address}/api/v1/survey/{token}");
            async move {
                let status = client.post(url).json(&body).send().await;
                (token, status.map(|r| r.status().as_u16()).ok())
            }
        });
        futures_util::stream::iter(posts)
            .buffer_unordered(24)
            .collect::<Vec<_>>()
            .await
    });
    let saved = format!("SELECT count(*) AS n FROM responses WHERE wave_id = {wave}");
    let deadline = Instant::now() + Duration::from_secs(120);
    while count(&mut conn, &saved).await < 100 {
        assert!(Instant::now() < deadline, "submissions under way");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    first.kill9();
    let results = submitting.await.expect("task");
    let acknowledged: Vec<&String> = results
        .iter()
        .filter(|(_, status)| *status == Some(200))
        .map(|(token, _)| token)
        .collect();
    assert!(
        acknowledged.len() < links.len(),
        "killed mid-submissions ({} of {} acknowledged)",
        acknowledged.len(),
        links.len()
    );
    assert!(
        results.iter().all(|(_, s)| s.is_none() || *s == Some(200)),
        "only answers or broken connections, never an error status"
    );

    let second = Server::start_with(&db_url, &["--no-worker"], &[]);
    wait_healthy(&second.address).await;
    for token in &acknowledged {
        assert!(
            crate::faults_checks::is_stored(&mut conn, token).await,
            "an acknowledged answer is stored"
        );
    }
    assert_responses_whole(&mut conn, wave).await;
    assert_stats_match_recount(&mut conn, wave).await;

    // Every link answers again (first saves and edits alike) and the counts stay exact.
    let client = reqwest::Client::new();
    let again = links.iter().enumerate().map(|(i, token)| {
        let (client, body) = (client.clone(), answers_for(&questions, i + 1));
        let url = format!("{}/api/v1/survey/{token}", second.address);
        async move {
            client
                .post(url)
                .json(&body)
                .send()
                .await
                .map(|r| r.status().as_u16())
        }
    });
    let statuses: Vec<_> = futures_util::stream::iter(again)
        .buffer_unordered(8)
        .collect()
        .await;
    assert!(
        statuses.iter().all(|s| matches!(s, Ok(200))),
        "{statuses:?}"
    );
    assert_eq!(
        assert_responses_whole(&mut conn, wave).await,
        links.len() as i64,
        "one response per link"
    );
    assert_stats_match_recount(&mut conn, wave).await;
}
