//! `GET /health`: answers while the process can serve and reach its database.

use app::App;
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::get;

pub(crate) fn routes() -> Router<App> {
    Router::new().route("/health", get(health))
}

async fn health(State(app): State<App>) -> (StatusCode, &'static str) {
    match app::instance::check_health(&app).await {
        Ok(()) => (StatusCode::OK, "OK"),
        Err(e) => {
            tracing::error!(error = %e, "health check failed");
            (StatusCode::SERVICE_UNAVAILABLE, "Service Unavailable")
        }
    }
}
