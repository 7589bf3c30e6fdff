//! The respondent's side: the survey page, its thank-you page, and the invitation,
//! reminder and champion emails escape stored payloads in HTML and keep text plain.

use base64::Engine;
use changeready::email::EmailSender;

use crate::helpers::{TestApp, extract_csrf, spawn_app};
use crate::security_xss_data::{assert_escaped, build, desk_path, escaped, name_of, payload};

/// A sent message: its headers, and its decoded text and HTML parts.
struct Mail {
    headers: String,
    text: String,
    html: String,
}

fn quoted_printable(body: &str) -> String {
    let joined = body.replace("=\r\n", "").replace("=\n", "");
    let bytes = joined.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok());
        match hex.map(|h| u8::from_str_radix(h, 16)) {
            Some(Ok(byte)) if bytes[i] == b'=' => {
                out.push(byte);
                i += 3;
            }
            _ => {
                out.push(bytes[i]);
                i += 1;
            }
        }
    }
    String::from_utf8(out).expect("utf-8 part")
}

fn decode(part: &str) -> (String, String) {
    let (head, body) = part
        .split_once("\r\n\r\n")
        .or_else(|| part.split_once("\n\n"))
        .unwrap_or((part, ""));
    let lower = head.to_ascii_lowercase();
    let body = if lower.contains("content-transfer-encoding: quoted-printable") {
        quoted_printable(body)
    } else if lower.contains("content-transfer-encoding: base64") {
        let compact: String = body.split_whitespace().collect();
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(compact)
            .expect("base64 part");
        String::from_utf8(bytes).expect("utf-8 part")
    } else {
        body.to_owned()
    };
    (lower, body)
}

fn parse(raw: &str) -> Mail {
    let marker = "boundary=\"";
    let start = raw.find(marker).expect("multipart") + marker.len();
    let boundary = format!("--{}", raw[start..].split('"').next().expect("boundary"));
    let mut parts = raw.split(boundary.as_str());
    let headers = parts.next().unwrap_or_default().to_owned();
    let (mut text, mut html) = (String::new(), String::new());
    for part in parts {
        let (head, body) = decode(part.trim_start_matches(['\r', '\n']));
        if head.contains("content-type: text/plain") {
            text = body;
        } else if head.contains("content-type: text/html") {
            html = body;
        }
    }
    Mail {
        headers,
        text,
        html,
    }
}

/// Every message the file transport wrote.
fn sent_mail(app: &TestApp) -> Vec<Mail> {
    let EmailSender::File(_, dir) = &app.mailer.sender else {
        panic!("tests write mail to files");
    };
    std::fs::read_dir(dir)
        .expect("outbox dir")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "eml"))
        .map(|p| parse(&std::fs::read_to_string(p).expect("read message")))
        .collect()
}

fn to(mail: &Mail, address: &str) -> bool {
    mail.headers.contains(&format!("To: {address}"))
}

/// The HTML part is escaped; the text part shows the values as they are.
fn assert_mail(what: &str, mail: &Mail, shown: &[String]) {
    let shown_refs: Vec<&str> = shown.iter().map(String::as_str).collect();
    assert_escaped(&format!("{what} (HTML part)"), &mail.html, &shown_refs);
    for value in shown {
        assert!(
            mail.text.contains(value.as_str()),
            "{what} (text part) lacks `{value}`"
        );
    }
    for entity in ["&lt;", "&gt;", "&quot;", "&#x", "&amp;"] {
        assert!(
            !mail.text.contains(entity),
            "{what} (text part) has HTML entity {entity}"
        );
    }
}

#[tokio::test]
async fn emails_escape_stored_payloads_in_html_and_keep_text_plain() {
    let app = spawn_app().await;
    let world = build(&app).await;
    app.launched_days_ago(world.wave, 4).await;
    let reminders = app.enqueue_due_reminders().await;
    assert_eq!(reminders, 1, "only f1 has not answered");
    app.dispatch_all_pending_emails().await;
    let mail = sent_mail(&app);

    let (ini, message) = (payload("INI"), payload("MSG"));
    let link = app.link_of(world.wave, "d1@example.org").await;
    let invitation = mail
        .iter()
        .find(|m| to(m, "d1@example.org") && m.text.contains(&format!("/s/{link}")))
        .expect("invitation to d1 for the first wave");
    assert_mail(
        "the invitation",
        invitation,
        &[name_of("d1"), ini.clone(), message.clone()],
    );
    assert!(
        invitation
            .html
            .contains(&format!("{}<br>Second line", escaped(&message))),
        "the sponsor's message keeps its line breaks, escaped"
    );
    let reminder = mail
        .iter()
        .find(|m| to(m, "f1@example.org") && m.text.contains("A reminder"))
        .expect("reminder to f1");
    assert_mail("the reminder", reminder, &[name_of("f1"), ini.clone()]);
    let champion = mail
        .iter()
        .find(|m| to(m, "n1@example.org") && m.text.contains("change champion"))
        .expect("champion email to n1");
    assert_mail(
        "the champion email",
        champion,
        &[ini, payload("WAVE"), desk_path()],
    );
    for m in &mail {
        assert_escaped("every email's HTML part", &m.html, &[]);
    }
}

#[tokio::test]
async fn the_survey_and_thank_you_pages_escape_stored_payloads() {
    let app = spawn_app().await;
    let world = build(&app).await;
    let token = app.link_of(world.wave, "d1@example.org").await;
    let path = format!("/s/{token}");
    let html = app.get(&path).await.text().await.expect("body");
    let stored = [
        payload("INI"),
        payload("WAVE"),
        payload("STMT"),
        payload("COMMENT"),
    ];
    assert_escaped(
        "the survey page",
        &html,
        &stored.iter().map(String::as_str).collect::<Vec<_>>(),
    );

    let comment = payload("NEWCOMMENT");
    let mut fields: Vec<(String, String)> = app
        .questions(&token)
        .await
        .into_iter()
        .map(|(id, _)| (format!("q_{id}"), "3".to_owned()))
        .collect();
    fields.push(("comment_desire".into(), comment.clone()));
    fields.push(("csrf_token".into(), extract_csrf(&html)));
    let thanks = app
        .client
        .post(format!("{}{path}", app.address))
        .form(&fields)
        .send()
        .await
        .expect("POST");
    assert_eq!(thanks.status().as_u16(), 200);
    let thanks = thanks.text().await.expect("body");
    assert_escaped("the thank-you page", &thanks, &[&payload("INI")]);

    let again = app.get(&path).await.text().await.expect("body");
    assert_escaped(
        "the survey page after saving",
        &again,
        &[&comment, &payload("STMT")],
    );
}
