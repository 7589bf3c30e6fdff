//! Rules §3: a response counts for the team its respondent belonged to when invited,
//! whatever the organisation looks like by the time they answer.

use serde_json::Value;

use crate::helpers::spawn_app;
use crate::wave_helpers::ORG;

#[tokio::test]
async fn an_answer_counts_for_the_team_at_launch_even_after_a_move() {
    let app = spawn_app().await;
    let (key, wave) = app.open_wave().await;
    let token = app.link_of(wave, "d1@example.org").await;
    let moved = ORG.replace("d1@example.org,D1,Ops/Desk", "d1@example.org,D1,Finance");
    assert_eq!(
        app.put_people(&key, &moved, false).await.status().as_u16(),
        200
    );
    let team_of_d1 = "SELECT t.path FROM people p JOIN teams t ON t.id = p.team_id \
                      WHERE p.email = 'd1@example.org'";
    assert_eq!(
        app.number(&format!(
            "SELECT count(*) FROM ({team_of_d1}) x WHERE path = 'Finance'"
        ))
        .await,
        1.0,
        "d1 now belongs to Finance"
    );

    assert_eq!(app.answer_all(&token, |_| 4).await.status().as_u16(), 200);

    let responded_in = |path: &str| {
        format!(
            "SELECT coalesce(sum(s.responded), 0) FROM wave_team_stats s JOIN teams t \
             ON t.id = s.team_id WHERE s.wave_id = {wave} AND t.path = '{path}'"
        )
    };
    assert_eq!(app.number(&responded_in("Ops/Desk")).await, 1.0);
    assert_eq!(app.number(&responded_in("Finance")).await, 0.0);
    let stored_in_desk = format!(
        "SELECT count(*) FROM responses r JOIN teams t ON t.id = r.team_id \
         WHERE r.wave_id = {wave} AND t.path = 'Ops/Desk'"
    );
    assert_eq!(app.number(&stored_in_desk).await, 1.0);

    let results: Value = app
        .get_json(&key, &format!("/api/v1/waves/{wave}/results"))
        .await
        .json()
        .await
        .expect("json");
    let team = |path: &str| crate::wave_helpers::team_entry(&results, path);
    assert_eq!(team("Ops/Desk")["responded"], 1);
    assert_eq!(team("Ops/Desk")["invited"], 6, "invited as at launch");
    assert_eq!(team("Finance")["responded"], 0);
    assert_eq!(team("Finance")["invited"], 1);
}
