//! Helpers for initiatives, waves and survey links.

use changeready::domain::survey_token::SurveyKeys;
use diesel::QueryableByName;
use diesel_async::RunQueryDsl;
use serde_json::{Value, json};

use crate::helpers::{TestApp, test_settings};

/// An organisation of 12 people: Ops (2 direct), Ops/Desk (6), Ops/Network (3), Finance (1).
pub const ORG: &str = "email,name,team\n\
o1@example.org,O1,Ops\no2@example.org,O2,Ops\n\
d1@example.org,D1,Ops/Desk\nd2@example.org,D2,Ops/Desk\nd3@example.org,D3,Ops/Desk\n\
d4@example.org,D4,Ops/Desk\nd5@example.org,D5,Ops/Desk\nd6@example.org,D6,Ops/Desk\n\
n1@example.org,N1,Ops/Network\nn2@example.org,N2,Ops/Network\nn3@example.org,N3,Ops/Network\n\
f1@example.org,F1,Finance\n";

#[derive(QueryableByName)]
struct InvitationId {
    #[diesel(sql_type = diesel::sql_types::Uuid)]
    id: uuid::Uuid,
    #[diesel(sql_type = diesel::sql_types::Text)]
    email: String,
}

impl TestApp {
    /// POSTs JSON with an API key.
    pub async fn post_json(&self, key: &str, path: &str, body: &Value) -> reqwest::Response {
        self.client
            .post(format!("{}{path}", self.address))
            .bearer_auth(key)
            .json(body)
            .send()
            .await
            .expect("POST")
    }

    /// GETs JSON with an API key.
    pub async fn get_json(&self, key: &str, path: &str) -> reqwest::Response {
        self.client
            .get(format!("{}{path}", self.address))
            .bearer_auth(key)
            .send()
            .await
            .expect("GET")
    }

    /// Imports [`ORG`], creates an initiative and a draft wave; returns (key, initiative id, wave id).
    pub async fn draft_wave(&self, extra: Value) -> (String, i64, i64) {
        let key = self.api_key("practitioner").await;
        assert_eq!(
            self.put_people(&key, ORG, false).await.status().as_u16(),
            200
        );
        let initiative: Value = self
            .post_json(&key, "/api/v1/initiatives", &json!({"name": "New ITSM"}))
            .await
            .json()
            .await
            .expect("json");
        let mut body = json!({"name": "Wave 1", "closes_at": (chrono::Utc::now() + chrono::Duration::days(14)).to_rfc3339()});
        if let (Some(body), Some(extra)) = (body.as_object_mut(), extra.as_object()) {
            body.extend(extra.clone());
        }
        let id = initiative["id"].as_i64().expect("initiative id");
        let response = self
            .post_json(&key, &format!("/api/v1/initiatives/{id}/waves"), &body)
            .await;
        assert_eq!(response.status().as_u16(), 201);
        let wave: Value = response.json().await.expect("json");
        (key, id, wave["id"].as_i64().expect("wave id"))
    }

    /// A launched wave over [`ORG`]: returns (key, wave id).
    pub async fn open_wave(&self) -> (String, i64) {
        let (key, _, wave) = self.draft_wave(json!({})).await;
        let launch = self
            .post_json(&key, &format!("/api/v1/waves/{wave}/launch"), &json!({}))
            .await;
        assert_eq!(launch.status().as_u16(), 202);
        (key, wave)
    }

    /// Imports `people` people over `teams` teams and launches a wave to all; returns its id.
    pub async fn launched_wave_of(&self, people: usize, teams: usize) -> i64 {
        let key = self.api_key("admin").await;
        let mut csv = String::from("email,name,team\n");
        for i in 0..people {
            csv.push_str(&format!("p{i}@example.org,P{i},Team {}\n", i % teams));
        }
        assert_eq!(
            self.put_people(&key, &csv, false).await.status().as_u16(),
            200
        );
        let initiative: Value = self
            .post_json(&key, "/api/v1/initiatives", &json!({"name": "Big"}))
            .await
            .json()
            .await
            .expect("json");
        let closes = (chrono::Utc::now() + chrono::Duration::days(3)).to_rfc3339();
        let path = format!("/api/v1/initiatives/{}/waves", initiative["id"]);
        let wave: Value = self
            .post_json(&key, &path, &json!({"name": "W", "closes_at": closes}))
            .await
            .json()
            .await
            .expect("json");
        let id = wave["id"].as_i64().expect("wave id");
        assert_eq!(
            self.post_json(&key, &format!("/api/v1/waves/{id}/launch"), &json!({}))
                .await
                .status()
                .as_u16(),
            202
        );
        id
    }

    /// Every invitation's (email, token) of a wave, derived as the email worker does.
    pub async fn survey_links(&self, wave_id: i64) -> Vec<(String, String)> {
        let keys = SurveyKeys::new(test_settings(&self.db_url).application.secret);
        let mut conn = self.db().await;
        let rows: Vec<InvitationId> = diesel::sql_query(format!(
            "SELECT i.id, p.email FROM invitations i JOIN people p ON p.id = i.person_id WHERE i.wave_id = {wave_id} ORDER BY p.email"
        ))
        .load(&mut conn)
        .await
        .expect("invitations");
        rows.into_iter()
            .map(|r| (r.email, keys.token_for(r.id).expose().to_owned()))
            .collect()
    }

    /// Moves `wave`'s launch `days` days into the past, so its reminders fall due.
    pub async fn launched_days_ago(&self, wave: i64, days: u32) {
        let mut conn = self.db().await;
        diesel::sql_query(format!(
            "UPDATE waves SET launched_at = now() - interval '{days} days' WHERE id = {wave}"
        ))
        .execute(&mut conn)
        .await
        .expect("age");
    }

    /// Queues the due reminders once, as the reminder job does; returns how many.
    pub async fn enqueue_due_reminders(&self) -> usize {
        let keys = SurveyKeys::new(test_settings(&self.db_url).application.secret);
        let mut conn = self.db().await;
        changeready::jobs::reminders::enqueue_due_reminders(&mut conn, &keys)
            .await
            .expect("enqueue")
    }

    /// The token of `email`'s invitation.
    pub async fn link_of(&self, wave_id: i64, email: &str) -> String {
        self.survey_links(wave_id)
            .await
            .into_iter()
            .find(|(e, _)| e == email)
            .expect("invited")
            .1
    }

    /// `GET /api/v1/survey/{token}` as JSON (no API key: the token is the credential).
    pub async fn survey_json(&self, token: &str) -> Value {
        self.client
            .get(format!("{}/api/v1/survey/{token}", self.address))
            .send()
            .await
            .expect("GET")
            .json()
            .await
            .expect("json")
    }

    /// The survey's question ids by element, from the API.
    pub async fn questions(&self, token: &str) -> Vec<(i64, String)> {
        let survey = self.survey_json(token).await;
        survey["questions"]
            .as_array()
            .expect("questions")
            .iter()
            .map(|q| {
                (
                    q["id"].as_i64().expect("id"),
                    q["element"].as_str().expect("element").to_owned(),
                )
            })
            .collect()
    }

    /// POSTs `body` to the survey API of `token` (no API key: the token is the credential).
    pub async fn post_survey(&self, token: &str, body: &Value) -> reqwest::Response {
        self.client
            .post(format!("{}/api/v1/survey/{token}", self.address))
            .json(body)
            .send()
            .await
            .expect("POST")
    }

    /// Answers every question of `token` with `value_for(element)` through the API.
    pub async fn answer_all(
        &self,
        token: &str,
        value_for: impl Fn(&str) -> i64,
    ) -> reqwest::Response {
        self.answer_all_with(token, value_for, json!({})).await
    }

    /// As [`TestApp::answer_all`], with the fields of `extra` (comments, opt-in) added to the body.
    pub async fn answer_all_with(
        &self,
        token: &str,
        value_for: impl Fn(&str) -> i64,
        extra: Value,
    ) -> reqwest::Response {
        let answers: serde_json::Map<String, Value> = self
            .questions(token)
            .await
            .into_iter()
            .map(|(id, element)| (id.to_string(), json!(value_for(&element))))
            .collect();
        let mut body = json!({"answers": answers});
        if let (Some(body), Some(extra)) = (body.as_object_mut(), extra.as_object()) {
            body.extend(extra.clone());
        }
        self.post_survey(token, &body).await
    }

    /// `email` answers awareness with `awareness` and every other question with `rest`,
    /// plus the fields of `extra`; asserts the save succeeded.
    pub async fn answer_as(&self, wave: i64, email: &str, awareness: i64, rest: i64, extra: Value) {
        let token = self.link_of(wave, email).await;
        let value_for = |e: &str| if e == "awareness" { awareness } else { rest };
        let response = self.answer_all_with(&token, value_for, extra).await;
        assert_eq!(response.status().as_u16(), 200, "{email} answers");
    }
}

/// The entry of the team at `path` in a results body (`GET /api/v1/waves/{id}/results`).
pub fn team_entry(results: &Value, path: &str) -> Value {
    results["teams"]
        .as_array()
        .expect("teams")
        .iter()
        .find(|t| t["path"] == path)
        .cloned()
        .unwrap_or_else(|| panic!("{path} in {results}"))
}
