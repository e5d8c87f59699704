//! Following: follow and unfollow, relationships, follower lists, follow requests,
//! private notes on accounts, and blocks.

use app::App;
use axum::extract::{OriginalUri, Path, State};
use axum::http::HeaderMap;
use axum::routing::{get, post};
use axum::{Json, Router};
use domain::Id;
use serde::Deserialize;

use super::entities::account::{AccountEntity, page as account_page};
use super::entities::relationship::RelationshipEntity;
use super::parse_id;
use crate::ApiError;
use crate::auth::Auth;
use crate::pagination::PageParams;
use crate::params::{Params, lenient};

pub(super) fn routes() -> Router<App> {
    Router::new()
        .route("/api/v1/follow_requests", get(follow_requests))
        .route("/api/v1/follow_requests/{id}/authorize", post(|s, a, i| answer_request(s, a, i, true)))
        .route("/api/v1/follow_requests/{id}/reject", post(|s, a, i| answer_request(s, a, i, false)))
        .route("/api/v1/accounts/{id}/remove_from_followers", post(remove_from_followers))
        .route("/api/v1/accounts/{id}/note", post(set_note))
        .route("/api/v1/accounts/relationships", get(relationships))
        .route("/api/v1/accounts/familiar_followers", get(familiar_followers))
        .route("/api/v1/accounts/{id}/followers", get(|s, a, u, i, p| follow_list(s, a, u, i, p, true)))
        .route("/api/v1/accounts/{id}/following", get(|s, a, u, i, p| follow_list(s, a, u, i, p, false)))
        .route("/api/v1/accounts/{id}/follow", post(follow))
        .route("/api/v1/accounts/{id}/unfollow", post(unfollow))
        .route("/api/v1/accounts/{id}/block", post(|s, a, i| set_block(s, a, i, true)))
        .route("/api/v1/accounts/{id}/unblock", post(|s, a, i| set_block(s, a, i, false)))
        .route("/api/v1/blocks", get(blocks))
}

async fn set_block(
    State(app): State<App>,
    auth: Auth,
    Path(id): Path<String>,
    block: bool,
) -> Result<Json<RelationshipEntity>, ApiError> {
    let (actor, _) = auth.user_with("write:blocks")?;
    let id = parse_id(&id)?;
    let relationship =
        if block { app::blocks::block(&app, actor, id).await? } else { app::blocks::unblock(&app, actor, id).await? };
    Ok(Json(RelationshipEntity::new(id, relationship)))
}

async fn blocks(
    State(app): State<App>,
    auth: Auth,
    OriginalUri(uri): OriginalUri,
    Params { value: p, .. }: Params<PageParams>,
) -> Result<(HeaderMap, Json<Vec<AccountEntity>>), ApiError> {
    let (actor, _) = auth.user_with("read:blocks")?;
    let rows = app::blocks::list_blocks(&app, actor, &p.page(40, 80)).await?;
    Ok(account_page(app.config(), &uri, &rows))
}

async fn follow_list(
    State(app): State<App>,
    auth: Auth,
    OriginalUri(uri): OriginalUri,
    Path(id): Path<String>,
    Params { value: p, .. }: Params<PageParams>,
    followers: bool,
) -> Result<(HeaderMap, Json<Vec<AccountEntity>>), ApiError> {
    let viewer = auth.viewer("read:accounts")?.map(|a| a.id);
    let page = p.page(40, 80);
    let rows = app::follows::list_follows(&app, viewer, parse_id(&id)?, followers, &page).await?;
    Ok(account_page(app.config(), &uri, &rows))
}

async fn follow(
    State(app): State<App>,
    auth: Auth,
    Path(id): Path<String>,
) -> Result<Json<RelationshipEntity>, ApiError> {
    let (actor, _) = auth.user_with("write:follows")?;
    let id = parse_id(&id)?;
    Ok(Json(RelationshipEntity::new(id, app::follows::follow(&app, actor, id).await?)))
}

async fn unfollow(
    State(app): State<App>,
    auth: Auth,
    Path(id): Path<String>,
) -> Result<Json<RelationshipEntity>, ApiError> {
    let (actor, _) = auth.user_with("write:follows")?;
    let id = parse_id(&id)?;
    Ok(Json(RelationshipEntity::new(id, app::follows::unfollow(&app, actor, id).await?)))
}

#[derive(Debug, Deserialize)]
pub(super) struct IdsParams {
    #[serde(default, deserialize_with = "lenient::string_list")]
    pub(super) id: Vec<String>,
}

async fn relationships(
    State(app): State<App>,
    auth: Auth,
    Params { value: p, .. }: Params<IdsParams>,
) -> Result<Json<Vec<RelationshipEntity>>, ApiError> {
    let (actor, _) = auth.user_with("read:follows")?;
    let ids: Vec<Id> = p.id.iter().filter_map(|s| s.parse().ok()).collect();
    let found = app::follows::relationships(&app, actor.id, &ids).await?;
    Ok(Json(found.into_iter().map(|(id, r)| RelationshipEntity::new(id, r)).collect()))
}

async fn follow_requests(
    State(app): State<App>,
    auth: Auth,
    OriginalUri(uri): OriginalUri,
    Params { value: p, .. }: Params<PageParams>,
) -> Result<(HeaderMap, Json<Vec<AccountEntity>>), ApiError> {
    let (actor, _) = auth.user_with("read:follows")?;
    let rows = app::follows::list_requests(&app, actor, &p.page(40, 80)).await?;
    Ok(account_page(app.config(), &uri, &rows))
}

async fn answer_request(
    State(app): State<App>,
    auth: Auth,
    Path(id): Path<String>,
    accept: bool,
) -> Result<Json<RelationshipEntity>, ApiError> {
    let (actor, _) = auth.user_with("write:follows")?;
    let id = parse_id(&id)?;
    Ok(Json(RelationshipEntity::new(id, app::follows::answer_request(&app, actor, id, accept).await?)))
}

async fn remove_from_followers(
    State(app): State<App>,
    auth: Auth,
    Path(id): Path<String>,
) -> Result<Json<RelationshipEntity>, ApiError> {
    let (actor, _) = auth.user_with("write:follows")?;
    let id = parse_id(&id)?;
    Ok(Json(RelationshipEntity::new(id, app::follows::remove_follower(&app, actor, id).await?)))
}

#[derive(Debug, Deserialize)]
struct NoteParams {
    #[serde(default, deserialize_with = "lenient::opt_string")]
    comment: Option<String>,
}

async fn set_note(
    State(app): State<App>,
    auth: Auth,
    Path(id): Path<String>,
    Params { value: p, .. }: Params<NoteParams>,
) -> Result<Json<RelationshipEntity>, ApiError> {
    let (actor, _) = auth.user_with("write:accounts")?;
    let id = parse_id(&id)?;
    let relationship = app::follows::set_note(&app, actor, id, &p.comment.unwrap_or_default()).await?;
    Ok(Json(RelationshipEntity::new(id, relationship)))
}

async fn familiar_followers(
    State(app): State<App>,
    auth: Auth,
    Params { value: p, .. }: Params<IdsParams>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let (viewer, _) = auth.user_with("read:follows")?;
    let ids: Vec<Id> = p.id.iter().filter_map(|s| s.parse().ok()).take(40).collect();
    let found = app::follows::familiar_followers(&app, viewer, &ids).await?;
    Ok(Json(serde_json::Value::Array(
        found
            .iter()
            .map(|(id, accounts)| {
                let accounts: Vec<AccountEntity> =
                    accounts.iter().map(|(a, role)| AccountEntity::new(app.config(), a, *role)).collect();
                serde_json::json!({ "id": id.to_string(), "accounts": accounts })
            })
            .collect(),
    )))
}
