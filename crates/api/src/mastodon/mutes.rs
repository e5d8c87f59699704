//! Muting accounts and blocking domains, each person for themselves.

use app::App;
use axum::extract::{OriginalUri, Path, State};
use axum::http::HeaderMap;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{Value, json};

use super::entities::account::AccountEntity;
use super::entities::relationship::RelationshipEntity;
use super::parse_id;
use crate::ApiError;
use crate::auth::Auth;
use crate::pagination::{PageParams, link_header};
use crate::params::{Params, lenient};

pub(super) fn routes() -> Router<App> {
    Router::new()
        .route("/api/v1/accounts/{id}/mute", post(mute))
        .route("/api/v1/accounts/{id}/unmute", post(unmute))
        .route("/api/v1/mutes", get(mutes))
        .route("/api/v1/domain_blocks", get(domain_blocks).post(block_domain).delete(unblock_domain))
}

#[derive(Debug, Deserialize, Default)]
struct MuteParams {
    #[serde(default, deserialize_with = "lenient::opt_bool")]
    notifications: Option<bool>,
    #[serde(default, deserialize_with = "lenient::opt_i64")]
    duration: Option<i64>,
}

async fn mute(
    State(app): State<App>,
    auth: Auth,
    Path(id): Path<String>,
    Params { value: p, .. }: Params<MuteParams>,
) -> Result<Json<RelationshipEntity>, ApiError> {
    let (actor, _) = auth.user_with("write:mutes")?;
    let id = parse_id(&id)?;
    let relationship = app::mutes::mute(&app, actor, id, p.notifications.unwrap_or(true), p.duration).await?;
    Ok(Json(RelationshipEntity::new(id, relationship)))
}

async fn unmute(
    State(app): State<App>,
    auth: Auth,
    Path(id): Path<String>,
) -> Result<Json<RelationshipEntity>, ApiError> {
    let (actor, _) = auth.user_with("write:mutes")?;
    let id = parse_id(&id)?;
    Ok(Json(RelationshipEntity::new(id, app::mutes::unmute(&app, actor, id).await?)))
}

async fn mutes(
    State(app): State<App>,
    auth: Auth,
    OriginalUri(uri): OriginalUri,
    Params { value: p, .. }: Params<PageParams>,
) -> Result<(HeaderMap, Json<Vec<MutedAccountEntity>>), ApiError> {
    let (actor, _) = auth.user_with("read:mutes")?;
    let rows = app::mutes::list_mutes(&app, actor, &p.page(40, 80)).await?;
    let links = link_header(&app.config().base_url(), &uri, rows.first().map(|r| r.0), rows.last().map(|r| r.0));
    let accounts = rows
        .iter()
        .map(|(_, account, role, expires_at)| MutedAccountEntity {
            account: AccountEntity::new(app.config(), account, *role),
            mute_expires_at: expires_at.map(crate::format::datetime),
        })
        .collect();
    Ok((links, Json(accounts)))
}

/// An Account in the list of mutes, with when the mute ends, as Mastodon lists them.
#[derive(serde::Serialize)]
struct MutedAccountEntity {
    #[serde(flatten)]
    account: AccountEntity,
    mute_expires_at: Option<String>,
}

#[derive(Debug, Deserialize, Default)]
struct DomainParams {
    #[serde(default, deserialize_with = "lenient::opt_string")]
    domain: Option<String>,
}

/// The blocked domains as Mastodon lists them: bare strings, paged by the blocks' ids.
async fn domain_blocks(
    State(app): State<App>,
    auth: Auth,
    OriginalUri(uri): OriginalUri,
    Params { value: p, .. }: Params<PageParams>,
) -> Result<(HeaderMap, Json<Vec<String>>), ApiError> {
    let (actor, _) = auth.user_with("read:blocks")?;
    let rows = app::mutes::list_domain_blocks(&app, actor, &p.page(100, 200)).await?;
    let headers = link_header(&app.config().base_url(), &uri, rows.first().map(|r| r.0), rows.last().map(|r| r.0));
    Ok((headers, Json(rows.into_iter().map(|(_, domain)| domain).collect())))
}

async fn block_domain(
    State(app): State<App>,
    auth: Auth,
    Params { value: p, .. }: Params<DomainParams>,
) -> Result<Json<Value>, ApiError> {
    let (actor, _) = auth.user_with("write:blocks")?;
    app::mutes::block_domain(&app, actor, p.domain.as_deref().unwrap_or_default()).await?;
    Ok(Json(json!({})))
}

async fn unblock_domain(
    State(app): State<App>,
    auth: Auth,
    Params { value: p, .. }: Params<DomainParams>,
) -> Result<Json<Value>, ApiError> {
    let (actor, _) = auth.user_with("write:blocks")?;
    app::mutes::unblock_domain(&app, actor, p.domain.as_deref().unwrap_or_default()).await?;
    Ok(Json(json!({})))
}
