//! `GET /api/v1/instance` and `GET /api/v2/instance`.

use app::App;
use axum::extract::State;
use axum::response::IntoResponse;
use axum::routing::get;
use axum::{Json, Router};

use super::entities::instance::{InstanceV1, InstanceV2};
use crate::ApiError;

pub(super) fn routes() -> Router<App> {
    Router::new().route("/api/v1/instance", get(get_instance_v1)).route("/api/v2/instance", get(get_instance_v2))
}

/// Deprecated since Mastodon 4.0 (2022-11-14), which it says in a `Deprecation` header.
async fn get_instance_v1(State(app): State<App>) -> Result<impl IntoResponse, ApiError> {
    let info = app::instance::describe_instance(&app).await?;
    Ok(([("deprecation", "@1668384000")], Json(InstanceV1::new(app.config(), &info))))
}

async fn get_instance_v2(State(app): State<App>) -> Result<Json<InstanceV2>, ApiError> {
    let info = app::instance::describe_instance(&app).await?;
    Ok(Json(InstanceV2::new(app.config(), &info)))
}
