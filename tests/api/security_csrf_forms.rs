//! Every POST form of the templates, found by scanning them, is refused with 403 and
//! changes nothing without its CSRF token or with a wrong one; with the right token the
//! same submission goes through (so the 403 was the token's doing, not the role's).

use crate::helpers::{TestApp, extract_csrf, spawn_app, spawn_client};
use crate::security_csrf_cases::{Planned, World, plan};
use crate::security_csrf_scan::{db_fingerprint, post_forms};

async fn submit(app: &TestApp, client: &reqwest::Client, p: &Planned, token: Option<&str>) -> u16 {
    let mut fields = p.fields.clone();
    if let Some(token) = token {
        fields.push(("csrf_token".into(), token.to_owned()));
    }
    let request = client.post(format!("{}{}", app.address, p.url));
    let request = if p.multipart {
        let form = fields
            .into_iter()
            .fold(reqwest::multipart::Form::new(), |f, (k, v)| f.text(k, v));
        request.multipart(form)
    } else {
        request.form(&fields)
    };
    request.send().await.expect("POST").status().as_u16()
}

#[tokio::test]
async fn every_post_form_of_the_templates_needs_its_csrf_token() {
    let app = spawn_app().await;
    let world = World::build(&app).await;
    let anonymous = spawn_client(&app);
    let login = anonymous
        .get(format!("{}/login", app.address))
        .send()
        .await
        .expect("GET");
    let anonymous_token = extract_csrf(&login.text().await.expect("body"));
    let forms = post_forms();
    assert!(
        forms.len() >= 25,
        "the scan found only {} POST forms: {forms:?}",
        forms.len()
    );
    let (mut planned, mut problems) = (Vec::new(), Vec::new());
    for form in &forms {
        match plan(&world, form) {
            Ok(p) => planned.push(p),
            Err(e) => problems.push(format!(
                "{} form posting to {}: {e}",
                form.template,
                form.key()
            )),
        }
    }
    assert!(
        problems.is_empty(),
        "forms the test cannot submit:\n{}",
        problems.join("\n")
    );

    for p in &planned {
        let client = if p.anonymous { &anonymous } else { &app.client };
        let before = db_fingerprint(&app).await;
        let without = submit(&app, client, p, None).await;
        let wrong = submit(&app, client, p, Some(&"x".repeat(43))).await;
        let after = db_fingerprint(&app).await;
        assert_eq!(
            (without, wrong),
            (403, 403),
            "{}: without / with a wrong token",
            p.name
        );
        let changed: Vec<_> = before
            .iter()
            .zip(&after)
            .filter(|(b, a)| b != a)
            .map(|(b, _)| &b.0)
            .collect();
        assert!(
            changed.is_empty() && before.len() == after.len(),
            "{} changed {changed:?}",
            p.name
        );
    }

    // With the right token each goes through; closing the wave and signing out come last.
    let token = app.csrf_token().await;
    let last = |p: &Planned| u8::from(p.url.ends_with("/close")) + 2 * u8::from(p.url == "/logout");
    planned.sort_by_key(last);
    for p in &planned {
        let (client, token) = if p.anonymous {
            (&anonymous, &anonymous_token)
        } else {
            (&app.client, &token)
        };
        let status = submit(&app, client, p, Some(token)).await;
        assert!(status < 400, "{} with its token: {status}", p.name);
    }
}
