//! Waves, people and survey links made through the JSON API, as in
//! `tests/api/wave_helpers.rs`: the set-up the journeys do not click through.

use changeready::domain::survey_token::SurveyKeys;
use diesel_async::RunQueryDsl;
use serde_json::{Value, json};

use crate::app::{TestApp, test_settings};

/// An organisation of 12 people: Ops (2 direct), Ops/Desk (6), Ops/Network (3), Finance (1).
pub const ORG: &str = "email,name,team\n\
o1@example.org,O1,Ops\no2@example.org,O2,Ops\n\
d1@example.org,D1,Ops/Desk\nd2@example.org,D2,Ops/Desk\nd3@example.org,D3,Ops/Desk\n\
d4@example.org,D4,Ops/Desk\nd5@example.org,D5,Ops/Desk\nd6@example.org,D6,Ops/Desk\n\
n1@example.org,N1,Ops/Network\nn2@example.org,N2,Ops/Network\nn3@example.org,N3,Ops/Network\n\
f1@example.org,F1,Finance\n";

#[derive(diesel::QueryableByName)]
struct Invitation {
    #[diesel(sql_type = diesel::sql_types::Uuid)]
    id: uuid::Uuid,
    #[diesel(sql_type = diesel::sql_types::Text)]
    email: String,
}

#[derive(diesel::QueryableByName)]
struct Id {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    id: i64,
}

impl TestApp {
    /// Sends `request` with the bearer `key`, expecting `status`; returns the JSON body.
    async fn call(&self, request: reqwest::RequestBuilder, key: &str, status: u16) -> Value {
        let response = request.bearer_auth(key).send().await.expect("API call");
        let got = response.status().as_u16();
        let body = response.text().await.expect("body");
        assert_eq!(got, status, "API answered {got}: {body}");
        serde_json::from_str(&body).unwrap_or(Value::Null)
    }

    /// Imports [`ORG`] with `PUT /api/v1/people`.
    pub async fn import_org(&self, key: &str) {
        let put = self
            .client
            .put(format!("{}/api/v1/people", self.address))
            .header("Content-Type", "text/csv")
            .body(ORG);
        self.call(put, key, 200).await;
    }

    /// A launched wave over [`ORG`], made through the API: returns its id.
    pub async fn open_wave(&self) -> i64 {
        let key = self.api_key("practitioner").await;
        self.import_org(&key).await;
        let url = |path: &str| format!("{}/api/v1{path}", self.address);
        let post = self.client.post(url("/initiatives"));
        let initiative = self
            .call(post.json(&json!({"name": "New ITSM"})), &key, 201)
            .await;
        let id = initiative["id"].as_i64().expect("initiative id");
        let closes = (chrono::Utc::now() + chrono::Duration::days(14)).to_rfc3339();
        let body = json!({"name": "Wave 1", "closes_at": closes});
        let post = self.client.post(url(&format!("/initiatives/{id}/waves")));
        let wave = self.call(post.json(&body), &key, 201).await["id"]
            .as_i64()
            .expect("wave id");
        let post = self.client.post(url(&format!("/waves/{wave}/launch")));
        self.call(post.json(&json!({})), &key, 202).await;
        wave
    }

    /// The initiative wave `wave_id` belongs to.
    pub async fn initiative_of(&self, wave_id: i64) -> i64 {
        let row: Id = diesel::sql_query(format!(
            "SELECT initiative_id AS id FROM waves WHERE id = {wave_id}"
        ))
        .get_result(&mut self.db().await)
        .await
        .expect("the wave's initiative");
        row.id
    }

    /// The survey token of `email`'s invitation, derived as the email worker does.
    pub async fn link_of(&self, wave_id: i64, email: &str) -> String {
        let keys = SurveyKeys::new(test_settings(&self.db_url).application.secret);
        let rows: Vec<Invitation> = diesel::sql_query(format!(
            "SELECT i.id, p.email FROM invitations i JOIN people p ON p.id = i.person_id WHERE i.wave_id = {wave_id}"
        ))
        .load(&mut self.db().await)
        .await
        .expect("invitations");
        let row = rows
            .into_iter()
            .find(|r| r.email == email)
            .unwrap_or_else(|| panic!("{email} is not invited to wave {wave_id}"));
        keys.token_for(row.id).expose().to_owned()
    }

    /// Answers every statement of `token` with `value` through the JSON API.
    pub async fn answer_all_by_api(&self, token: &str, value: i64) {
        self.answer_by_api(token, value, false).await;
    }

    /// Answers every statement of `token` with `value` through the JSON API, opting in
    /// as a change champion when `champion`.
    pub async fn answer_by_api(&self, token: &str, value: i64, champion: bool) {
        let url = format!("{}/api/v1/survey/{token}", self.address);
        let survey: Value = self
            .client
            .get(&url)
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
            .map(|q| (q["id"].as_i64().expect("id").to_string(), json!(value)))
            .collect();
        let response = self
            .client
            .post(&url)
            .json(&json!({"answers": answers, "champion_opt_in": champion}))
            .send()
            .await
            .expect("POST");
        assert!(
            response.status().is_success(),
            "answer by API: {}",
            response.status()
        );
    }
}
