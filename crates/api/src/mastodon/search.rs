//! `GET /api/v2/search`: accounts and hashtags by name; with `resolve=true`, a remote
//! account by `@user@domain` and a remote post or account by URL. Full-text search of
//! posts comes later.

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
    let viewer = auth.viewer("read:search")?.map(|a| a.id);
    let q = p.q.unwrap_or_default();
    let limit = p.limit.unwrap_or(20).clamp(1, 40) as u32;
    let offset = p.offset.unwrap_or(0).max(0) as u32;
    let wants = |kind: &str| p.r#type.as_deref().is_none_or(|t| t == kind);
    let resolved = if p.resolve == Some(true) && offset == 0 && viewer.is_some() {
        app::search::resolve(&app, viewer, &q).await?
    } else {
        app::search::Resolved::default()
    };
    let mut accounts =
        if wants("accounts") { app::search::accounts(&app, &q, limit, offset).await? } else { Vec::new() };
    if let Some(found) = resolved.account.filter(|_| wants("accounts")) {
        accounts.retain(|(a, _)| a.id != found.id);
        accounts.insert(0, (found, None));
    }
    let statuses = match resolved.status.filter(|_| wants("statuses")) {
        Some(status) => super::entities::status::render(&app, &[status.into()], viewer).await?,
        None => Vec::new(),
    };
    let tags =
        if wants("hashtags") && offset == 0 { app::search::hashtags(&app, &q, limit).await? } else { Vec::new() };
    let base = app.config().base_url();
    Ok(Json(json!({
        "accounts": accounts.iter().map(|(a, role)| AccountEntity::new(app.config(), a, *role)).collect::<Vec<_>>(),
        "statuses": statuses,
        "hashtags": tags.iter().map(|t| json!({ "name": t, "url": format!("{base}/tags/{t}"), "history": [] })).collect::<Vec<_>>(),
    })))
}
