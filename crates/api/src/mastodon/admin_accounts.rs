//! `/api/v1/admin/accounts`: moderators list accounts, act on them and undo it.

use app::App;
use app::moderation::accounts::{self, AccountAction, Lift};
use axum::extract::{OriginalUri, Path, State};
use axum::http::HeaderMap;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{Value, json};

use super::entities::report::AdminAccountEntity;
use super::parse_id;
use crate::ApiError;
use crate::auth::Auth;
use crate::pagination::{PageParams, link_header};
use crate::params::{Params, lenient};

pub(super) fn routes() -> Router<App> {
    Router::new()
        .route("/api/v1/admin/accounts", get(list))
        .route("/api/v1/admin/accounts/{id}", get(show))
        .route("/api/v1/admin/accounts/{id}/action", post(act))
        .route("/api/v1/admin/accounts/{id}/unsuspend", post(|s, a, i| lift(s, a, i, Lift::Unsuspend)))
        .route("/api/v1/admin/accounts/{id}/unsilence", post(|s, a, i| lift(s, a, i, Lift::Unsilence)))
        .route("/api/v1/admin/accounts/{id}/unsensitive", post(|s, a, i| lift(s, a, i, Lift::Unsensitive)))
        .route("/api/v1/admin/accounts/{id}/enable", post(|s, a, i| lift(s, a, i, Lift::Enable)))
        .route("/api/v1/admin/accounts/{id}/approve", post(approve))
        .route("/api/v1/admin/accounts/{id}/reject", post(reject))
}

#[derive(Debug, Deserialize, Default)]
struct ListParams {
    #[serde(default, deserialize_with = "lenient::opt_bool")]
    local: Option<bool>,
    #[serde(default, deserialize_with = "lenient::opt_bool")]
    remote: Option<bool>,
    #[serde(default, deserialize_with = "lenient::opt_bool")]
    suspended: Option<bool>,
    #[serde(default, deserialize_with = "lenient::opt_bool")]
    silenced: Option<bool>,
    #[serde(default, deserialize_with = "lenient::opt_bool")]
    pending: Option<bool>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    username: Option<String>,
    #[serde(flatten)]
    page: PageParams,
}

async fn list(
    State(app): State<App>,
    auth: Auth,
    OriginalUri(uri): OriginalUri,
    Params { value: p, .. }: Params<ListParams>,
) -> Result<(HeaderMap, Json<Vec<AdminAccountEntity>>), ApiError> {
    let by = auth.moderator_with("admin:read:accounts")?;
    let filter = store::AccountFilter {
        local: match (p.local == Some(true), p.remote == Some(true)) {
            (true, false) => Some(true),
            (false, true) => Some(false),
            _ => None,
        },
        suspended: p.suspended == Some(true),
        silenced: p.silenced == Some(true),
        pending: p.pending == Some(true),
        username: p.username,
    };
    let found = accounts::list_accounts(&app, by, &filter, &p.page.page(100, 200)).await?;
    let (newest, oldest) = (found.first().map(|(a, _)| a.id), found.last().map(|(a, _)| a.id));
    let headers = link_header(&app.config().base_url(), &uri, newest, oldest);
    Ok((headers, Json(found.iter().map(|a| AdminAccountEntity::new(app.config(), a)).collect())))
}

async fn show(
    State(app): State<App>,
    auth: Auth,
    Path(id): Path<String>,
) -> Result<Json<AdminAccountEntity>, ApiError> {
    let by = auth.moderator_with("admin:read:accounts")?;
    let found = accounts::get_account(&app, by, parse_id(&id)?).await?;
    Ok(Json(AdminAccountEntity::new(app.config(), &found)))
}

#[derive(Debug, Deserialize, Default)]
struct ActionParams {
    #[serde(default, rename = "type", deserialize_with = "lenient::opt_string")]
    kind: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    report_id: Option<String>,
}

async fn act(
    State(app): State<App>,
    auth: Auth,
    Path(id): Path<String>,
    Params { value: p, .. }: Params<ActionParams>,
) -> Result<Json<Value>, ApiError> {
    let by = auth.moderator_with("admin:write:accounts")?;
    let action = AccountAction::parse(p.kind.as_deref().unwrap_or("none"))?;
    let report = p.report_id.as_deref().map(parse_id).transpose()?;
    accounts::act(&app, by, parse_id(&id)?, action, report).await?;
    Ok(Json(json!({})))
}

async fn lift(
    State(app): State<App>,
    auth: Auth,
    Path(id): Path<String>,
    what: Lift,
) -> Result<Json<AdminAccountEntity>, ApiError> {
    let by = auth.moderator_with("admin:write:accounts")?;
    let found = accounts::lift(&app, by, parse_id(&id)?, what).await?;
    Ok(Json(AdminAccountEntity::new(app.config(), &found)))
}

/// Lets a waiting sign-up in; answers with the account as it is now.
async fn approve(
    State(app): State<App>,
    auth: Auth,
    Path(id): Path<String>,
) -> Result<Json<AdminAccountEntity>, ApiError> {
    let by = auth.moderator_with("admin:write:accounts")?;
    let found = app::registrations::approve_account(&app, by, parse_id(&id)?).await?;
    Ok(Json(AdminAccountEntity::new(app.config(), &found)))
}

/// Turns a waiting sign-up away (its account is deleted).
async fn reject(State(app): State<App>, auth: Auth, Path(id): Path<String>) -> Result<Json<Value>, ApiError> {
    let by = auth.moderator_with("admin:write:accounts")?;
    app::registrations::reject_account(&app, by, parse_id(&id)?).await?;
    Ok(Json(json!({})))
}
