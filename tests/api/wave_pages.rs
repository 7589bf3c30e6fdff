//! The practitioner's pages: initiative, wave form, launch, wave page, email actions.

use diesel::QueryableByName;
use diesel_async::RunQueryDsl;

use crate::helpers::spawn_app;

#[derive(QueryableByName)]
struct N {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    n: i64,
}

fn location(response: &reqwest::Response) -> String {
    response
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned()
}

#[tokio::test]
async fn a_practitioner_creates_an_initiative_and_a_wave_and_launches_it_from_the_pages() {
    let app = spawn_app().await;
    let key = app.api_key("admin").await;
    app.put_people(&key, crate::wave_helpers::ORG, false).await;
    app.login_as("practitioner").await;

    let created = app
        .post_form(
            "/initiatives",
            &[
                ("name", "New ITSM <b>platform</b>"),
                ("description", "Why we change"),
            ],
        )
        .await;
    assert_eq!(created.status().as_u16(), 303);
    let initiative_url = location(&created);
    let page = app.get(&initiative_url).await.text().await.expect("body");
    assert!(
        page.contains("New ITSM &lt;b&gt;platform&lt;&#x2F;b&gt;"),
        "escaped"
    );

    let bad = app
        .post_form(
            &format!("{initiative_url}/waves"),
            &[
                ("name", "Wave 1"),
                ("closes_at", "2099-01-31"),
                ("min_group_size", "2"),
                ("reminder_days", "3, 7"),
            ],
        )
        .await;
    assert_eq!(bad.status().as_u16(), 422);
    assert!(
        bad.text()
            .await
            .expect("body")
            .contains("min_group_size: must be at least 3")
    );
    let wave = app
        .post_form(
            &format!("{initiative_url}/waves"),
            &[
                ("name", "Wave 1"),
                ("closes_at", "2099-01-31"),
                ("min_group_size", ""),
                ("reminder_days", "3, 7"),
            ],
        )
        .await;
    assert_eq!(wave.status().as_u16(), 303, "an empty k is the default");
    #[derive(diesel::QueryableByName)]
    struct K {
        #[diesel(sql_type = diesel::sql_types::Integer)]
        min_group_size: i32,
    }
    let k: K = diesel_async::RunQueryDsl::get_result(
        diesel::sql_query("SELECT min_group_size FROM waves ORDER BY id DESC LIMIT 1"),
        &mut app.db().await,
    )
    .await
    .expect("k");
    assert_eq!(k.min_group_size, 5);
    let wave_url = location(&wave);
    assert!(
        app.get(&wave_url)
            .await
            .text()
            .await
            .expect("body")
            .contains("Launch wave")
    );

    let launched = app
        .post_form(&format!("{wave_url}/launch"), &[("confirm", "1")])
        .await;
    assert_eq!(launched.status().as_u16(), 303);
    let page = app.get(&wave_url).await.text().await.expect("body");
    assert!(page.contains("Wave launched: 12 people invited"), "flash");
    assert!(page.contains("0 of 12 invited have answered"));
    assert!(page.contains("12 waiting"), "sending progress");
    let again = app
        .post_form(&format!("{wave_url}/launch"), &[("confirm", "1")])
        .await;
    assert_eq!(again.status().as_u16(), 303);
    assert!(
        app.get(&wave_url)
            .await
            .text()
            .await
            .expect("body")
            .contains("Not launched: the wave is already open")
    );
}

#[tokio::test]
async fn the_dev_outbox_lists_links_and_a_practitioner_can_resend_one() {
    let app = spawn_app().await;
    let (_, wave) = app.open_wave().await;
    app.dispatch_all_pending_emails().await;
    app.login_as("practitioner").await;

    let outbox = app.get("/dev/outbox").await.text().await.expect("body");
    let token = app.link_of(wave, "d3@example.org").await;
    assert!(
        outbox.contains(&token),
        "the link is on the dev outbox page"
    );

    let resend = app
        .post_form(
            &format!("/waves/{wave}/emails/resend"),
            &[("email", "D3@example.org")],
        )
        .await;
    assert_eq!(resend.status().as_u16(), 303);
    let unknown = app
        .post_form(
            &format!("/waves/{wave}/emails/resend"),
            &[("email", "nobody@example.org")],
        )
        .await;
    assert_eq!(unknown.status().as_u16(), 303);
    let mut conn = app.db().await;
    let queued: N = diesel::sql_query(format!("SELECT count(*) AS n FROM email_outbox WHERE wave_id = {wave} AND status = 'queued' AND recipient = 'd3@example.org'"))
        .get_result(&mut conn)
        .await
        .expect("count");
    assert_eq!(queued.n, 1);
}

#[tokio::test]
async fn retry_failed_puts_failed_emails_back_in_the_queue() {
    let app = spawn_app().await;
    let (_, wave) = app.open_wave().await;
    let mut conn = app.db().await;
    diesel::sql_query(format!("UPDATE email_outbox SET status = 'failed', last_error = '550 no such user' WHERE wave_id = {wave} AND recipient LIKE 'd%'"))
        .execute(&mut conn)
        .await
        .expect("fail some");
    app.login_as("practitioner").await;
    let page = app
        .get(&format!("/waves/{wave}"))
        .await
        .text()
        .await
        .expect("body");
    assert!(page.contains("6 failed addresses") && page.contains("550 no such user"));

    app.post_form(&format!("/waves/{wave}/emails/retry"), &[])
        .await;

    let failed: N = diesel::sql_query(format!(
        "SELECT count(*) AS n FROM email_outbox WHERE wave_id = {wave} AND status = 'failed'"
    ))
    .get_result(&mut conn)
    .await
    .expect("count");
    assert_eq!(failed.n, 0);
}

#[tokio::test]
async fn the_wave_page_shows_each_teams_rate_even_under_k_and_the_time_left() {
    let app = spawn_app().await;
    let (_, wave) = app.open_wave().await;
    let token = app.link_of(wave, "d1@example.org").await;
    assert_eq!(app.answer_all(&token, |_| 4).await.status().as_u16(), 200);
    app.login_as("practitioner").await;

    let html = app
        .get(&format!("/waves/{wave}"))
        .await
        .text()
        .await
        .expect("body");

    assert!(
        html.contains("1 of 12 invited have answered (8%)"),
        "{html}"
    );
    let row = |team: &str, invited: u32, responded: u32, rate: u32| {
        format!(
            ">{team}</th><td class=\"num\">{invited}</td><td class=\"num\">{responded}</td>\
             <td class=\"num\">{rate}%</td>"
        )
    };
    for (team, invited, responded, rate) in [
        ("Desk", 6, 1, 17),
        ("Ops", 11, 1, 9),
        ("Network", 3, 0, 0),
        ("Finance", 1, 0, 0),
    ] {
        let expected = row(team, invited, responded, rate);
        assert!(html.contains(&expected), "{expected} in {html}");
    }
    assert!(
        html.contains("(13 days 23 hours left)"),
        "closes in 14 days: {html}"
    );
}
