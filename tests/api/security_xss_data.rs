//! Payloads stored in every free-text field a person, a CSV file or a staff member can
//! set, and the checks that a page or an email gives them back escaped.

use serde_json::{Value, json};

use crate::helpers::{PASSWORD, TestApp};
use crate::security_csrf_scan::id_of;

/// What must never reach a page unescaped: each would run script or break out of an
/// attribute or a `<textarea>`.
pub const DANGER: [&str; 4] = [
    "<script>alert(1)",
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)>",
    "</textarea><svg",
];

/// A value carrying every payload, recognisable by `tag`.
pub fn payload(tag: &str) -> String {
    format!(
        "{tag}<script>alert(1)</script>\"><img src=x onerror=alert(1)></textarea><svg onload=alert(1)>"
    )
}

/// A team name carrying the payloads that have no `/` (a `/` separates teams in a path).
pub fn team_payload(tag: &str) -> String {
    format!("{tag}\"><img src=x onerror=alert(1)><svg onload=alert(1)>' &")
}

/// How an autoescaped template prints `value`.
pub fn escaped(value: &str) -> String {
    tera::escape_html(value)
}

/// `html` contains no raw payload and shows each of `shown` escaped.
pub fn assert_escaped(what: &str, html: &str, shown: &[&str]) {
    for danger in DANGER {
        assert!(!html.contains(danger), "{what} contains a raw `{danger}`");
    }
    for value in shown {
        assert!(
            html.contains(&escaped(value)),
            "{what} does not show `{value}` escaped"
        );
    }
}

/// o1's address: `'` and `&` are allowed in the local part.
pub const ODD_EMAIL: &str = "o'brien&co@example.org";

/// The name given to the person whose address starts with `local`.
pub fn name_of(local: &str) -> String {
    payload(&format!("NAME-{local}"))
}

/// `Ops/<team A>`: six people, stuck at awareness (a hotspot).
pub fn desk_path() -> String {
    format!("Ops/{}", team_payload("TEAMA"))
}

/// `Ops/<team B>`: three ready people, two of them volunteers.
pub fn network_path() -> String {
    format!("Ops/{}", team_payload("TEAMB"))
}

fn csv_field(value: &str) -> String {
    format!("\"{}\"", value.replace('"', "\"\""))
}

/// The shape of [`crate::wave_helpers::ORG`], with payloads in names, team paths and one location.
pub fn org_csv() -> String {
    let mut csv = String::from("email,name,team,location\n");
    let mut row = |email: &str, local: &str, team: &str, location: &str| {
        let fields = [email, &name_of(local), team, location].map(csv_field);
        csv.push_str(&format!("{}\n", fields.join(",")));
    };
    row(ODD_EMAIL, "o1", "Ops", "Here");
    row("o2@example.org", "o2", "Ops", "Here");
    for i in 1..=6 {
        row(
            &format!("d{i}@example.org"),
            &format!("d{i}"),
            &desk_path(),
            &payload("LOC"),
        );
    }
    for i in 1..=3 {
        row(
            &format!("n{i}@example.org"),
            &format!("n{i}"),
            &network_path(),
            "Here",
        );
    }
    row("f1@example.org", "f1", "Finance", "Here");
    csv
}

/// What [`build`] made.
pub struct XssWorld {
    /// The initiative, named `payload("INI")`.
    pub initiative: i64,
    /// Its first wave (`payload("WAVE")`), launched and answered by all but f1.
    pub wave: i64,
    /// Team A's id.
    pub desk: i64,
    /// A sponsor of the initiative named `payload("USER")`.
    pub sponsor: String,
}

/// The id at the end of a 303's `Location`.
pub fn id_in_location(response: &reqwest::Response) -> i64 {
    assert_eq!(response.status().as_u16(), 303, "{:?}", response.url());
    let location = response.headers()["location"].to_str().expect("location");
    location
        .rsplit('/')
        .next()
        .and_then(|id| id.parse().ok())
        .unwrap_or_else(|| panic!("no id in {location}"))
}

async fn expect_303(app: &TestApp, path: &str, fields: &[(&str, &str)]) -> reqwest::Response {
    let response = app.post_form(path, fields).await;
    assert_eq!(response.status().as_u16(), 303, "POST {path}");
    response
}

/// Signs the client in as an admin and stores payloads everywhere, mostly through the
/// HTML forms: people (CSV API), a staff account, the initiative, a reworded statement,
/// a wave with a sponsor message, comments, a nomination, a second wave.
pub async fn build(app: &TestApp) -> XssWorld {
    app.login_as("admin").await;
    let key = app.api_key("admin").await;
    let import = app.put_people(&key, &org_csv(), false).await;
    assert_eq!(
        import.status().as_u16(),
        200,
        "{}",
        import.text().await.unwrap_or_default()
    );
    let sponsor = "sponsor-xss@example.org".to_owned();
    let user = payload("USER");
    let fields = [
        ("email", sponsor.as_str()),
        ("name", &user),
        ("role", "sponsor"),
        ("password", PASSWORD),
    ];
    expect_303(app, "/admin/users", &fields).await;
    let sponsor_id = id_of(
        app,
        &format!("SELECT id FROM users WHERE email = '{sponsor}'"),
    )
    .await
    .to_string();
    let (name, description) = (payload("INI"), payload("DESC"));
    let created = expect_303(
        app,
        "/initiatives",
        &[("name", &name), ("description", &description)],
    )
    .await;
    let initiative = id_in_location(&created);
    let fields = [
        ("name", name.as_str()),
        ("description", &description),
        ("member", &sponsor_id),
    ];
    expect_303(app, &format!("/initiatives/{initiative}"), &fields).await;
    expect_303(
        app,
        &format!("/initiatives/{initiative}/survey/customise"),
        &[],
    )
    .await;
    let item = id_of(app, &format!("SELECT s.id FROM survey_items s JOIN initiatives i ON i.template_id = s.template_id WHERE i.id = {initiative} AND s.element = 'awareness' ORDER BY s.position LIMIT 1")).await;
    let statement = payload("STMT");
    expect_303(
        app,
        &format!("/initiatives/{initiative}/survey/items/{item}"),
        &[("text", &statement)],
    )
    .await;
    let closes = (chrono::Utc::now() + chrono::Duration::days(20))
        .format("%Y-%m-%d")
        .to_string();
    let message = format!("{}\nSecond line", payload("MSG"));
    let wave_name = payload("WAVE");
    let fields = [
        ("name", wave_name.as_str()),
        ("closes_at", &closes),
        ("min_group_size", "5"),
        ("reminder_days", "3"),
        ("sponsor_message", &message),
    ];
    let created = expect_303(app, &format!("/initiatives/{initiative}/waves"), &fields).await;
    let wave = id_in_location(&created);
    expect_303(app, &format!("/waves/{wave}/launch"), &[("confirm", "1")]).await;

    let comment = json!({"comments": {"knowledge": payload("COMMENT")}});
    for i in 1..=6 {
        let email = format!("d{i}@example.org");
        app.answer_as(wave, &email, 2, 4, comment.clone()).await;
    }
    for (email, opt_in) in [
        ("n1@example.org", true),
        ("n2@example.org", true),
        ("n3@example.org", false),
    ] {
        let opt_in = json!({"champion_opt_in": opt_in});
        app.answer_as(wave, email, 5, 5, opt_in).await;
    }
    for email in [ODD_EMAIL, "o2@example.org"] {
        app.answer_as(wave, email, 4, 4, json!({})).await;
    }
    let reason = payload("REASON");
    let champions = format!("/waves/{wave}/champions");
    expect_303(
        app,
        &format!("{champions}/nominate"),
        &[("email", "f1@example.org"), ("reason", &reason)],
    )
    .await;
    expect_303(
        app,
        &format!("{champions}/assign"),
        &[("max_teams_per_champion", "2")],
    )
    .await;
    expect_303(app, &format!("{champions}/confirm"), &[("confirm", "1")]).await;

    let closes = (chrono::Utc::now() + chrono::Duration::days(30)).to_rfc3339();
    let second = app
        .post_json(
            &key,
            &format!("/api/v1/initiatives/{initiative}/waves"),
            &json!({"name": payload("WAVE2"), "closes_at": closes}),
        )
        .await;
    assert_eq!(second.status().as_u16(), 201);
    let second = second.json::<Value>().await.expect("json")["id"]
        .as_i64()
        .expect("id");
    let launch = app
        .post_json(&key, &format!("/api/v1/waves/{second}/launch"), &json!({}))
        .await;
    assert_eq!(launch.status().as_u16(), 202);
    XssWorld {
        initiative,
        wave,
        desk: id_of(
            app,
            &format!(
                "SELECT id FROM teams WHERE path = '{}'",
                desk_path().replace('\'', "''")
            ),
        )
        .await,
        sponsor,
    }
}
