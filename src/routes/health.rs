//! `GET /health`: 200 when the database answers, 503 when not.

use std::time::Duration;

use actix_web::{HttpResponse, web};
use diesel_async::RunQueryDsl;

use crate::db::DbPool;

/// Answers within two seconds either way, so load balancers can rely on it.
#[tracing::instrument(name = "Health check", skip_all)]
pub async fn health(pool: web::Data<DbPool>) -> HttpResponse {
    let check = async {
        let mut conn = pool.get().await.map_err(anyhow::Error::from)?;
        diesel::sql_query("SELECT 1")
            .execute(&mut conn)
            .await
            .map_err(anyhow::Error::from)
    };
    match tokio::time::timeout(Duration::from_secs(2), check).await {
        Ok(Ok(_)) => HttpResponse::Ok().json(serde_json::json!({"status": "ok", "database": "ok"})),
        Ok(Err(e)) => {
            tracing::warn!(error = %e, "health check: database unavailable");
            unavailable()
        }
        Err(_) => {
            tracing::warn!("health check: database timed out");
            unavailable()
        }
    }
}

fn unavailable() -> HttpResponse {
    HttpResponse::ServiceUnavailable()
        .json(serde_json::json!({"status": "unavailable", "database": "unreachable"}))
}
