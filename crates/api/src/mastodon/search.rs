//! `GET /api/v2/search`: accounts and hashtags by name. Posts are found only by
//! full-text search, which comes later; until then that list is empty.

use app::App;
use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use serde_json::{Value, json};

use super::accounts::SearchParams;
use super::entities::account::AccountEntity;
use crate::ApiError;
use crate::auth::Auth;
use crate::params::Params;

pub(super) fn routes() -> Router<App> {
    Router::new().route("/api/v2/search", get(search))
}

async fn search(
    State(app): State<App>,
    auth: Auth,
    Params { value: p, .. }: Params<SearchParams>,
) -> Result<Json<Value>, ApiError> {
    auth.viewer("read:search")?;
    let q = p.q.unwrap_or_default();
    let limit = p.limit.unwrap_or(20).clamp(1, 40) as u32;
    let offset = p.offset.unwrap_or(0).max(0) as u32;
    let wants = |kind: &str| p.r#type.as_deref().is_none_or(|t| t == kind);
    let accounts = if wants("accounts") { app::search::accounts(&app, &q, limit, offset).await? } else { Vec::new() };
    let tags =
        if wants("hashtags") && offset == 0 { app::search::hashtags(&app, &q, limit).await? } else { Vec::new() };
    let base = app.config().base_url();
    Ok(Json(json!({
        "accounts": accounts.iter().map(|(a, role)| AccountEntity::new(app.config(), a, *role)).collect::<Vec<_>>(),
        "statuses": [],
        "hashtags": tags.iter().map(|t| json!({ "name": t, "url": format!("{base}/tags/{t}"), "history": [] })).collect::<Vec<_>>(),
    })))
}
