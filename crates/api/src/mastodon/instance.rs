//! `GET /api/v1/instance`, `GET /api/v2/instance`, and what they point to: the rules and
//! the published list of blocked domains.

use app::App;
use axum::extract::State;
use axum::response::IntoResponse;
use axum::routing::get;
use axum::{Json, Router};

use super::entities::instance::{InstanceV1, InstanceV2, RuleEntity};
use super::entities::moderation::DomainBlockEntity;
use crate::ApiError;
use crate::auth::Auth;

pub(super) fn routes() -> Router<App> {
    Router::new()
        .route("/api/v1/instance", get(get_instance_v1))
        .route("/api/v2/instance", get(get_instance_v2))
        .route("/api/v1/instance/rules", get(rules))
        .route("/api/v1/instance/domain_blocks", get(domain_blocks))
        .route("/api/v1/instance/terms_of_service", get(terms_of_service))
        .route("/api/v1/instance/extended_description", get(extended_description))
}

/// Mastodon 4.4's terms of service; 404 while the server publishes none.
async fn terms_of_service(State(app): State<App>) -> Result<Json<serde_json::Value>, ApiError> {
    let instance = &app.config().instance;
    if instance.terms_of_service.trim().is_empty() {
        return Err(ApiError::not_found());
    }
    Ok(Json(serde_json::json!({
        "effective_date": crate::format::date(instance.terms_updated_at),
        "effective": true,
        "content": crate::format::paragraphs(&instance.terms_of_service),
        "succeeded_by": null,
    })))
}

/// The server's description as HTML, which apps show on their about screens.
async fn extended_description(State(app): State<App>) -> Json<serde_json::Value> {
    let instance = &app.config().instance;
    Json(serde_json::json!({
        "updated_at": crate::format::datetime(instance.terms_updated_at.max(0)),
        "content": crate::format::paragraphs(&instance.description),
    }))
}

async fn rules(State(app): State<App>) -> Result<Json<Vec<RuleEntity>>, ApiError> {
    let rules = app::instance::rules(&app).await?;
    Ok(Json(rules.iter().map(RuleEntity::from).collect()))
}

/// Published only as far as `show_domain_blocks` allows; otherwise 404, as Mastodon.
async fn domain_blocks(State(app): State<App>, auth: Auth) -> Result<Json<Vec<DomainBlockEntity>>, ApiError> {
    let signed_in = auth.viewer("read")?.is_some();
    let blocks = app::moderation::domain_blocks::published_domain_blocks(&app, signed_in).await?;
    Ok(Json(blocks.iter().map(DomainBlockEntity::from).collect()))
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
