//! Favourites, boosts, bookmarks, threads and edit history of posts.

use app::App;
use axum::extract::{OriginalUri, Path, State};
use axum::http::HeaderMap;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{Value, json};
use store::MarkTable;

use super::entities::account::{AccountEntity, page as account_page};
use super::entities::status::{StatusEntity, render};
use super::parse_id;
use crate::ApiError;
use crate::auth::Auth;
use crate::format;
use crate::pagination::{PageParams, link_header};
use crate::params::{Params, lenient};

pub(super) fn routes() -> Router<App> {
    Router::new()
        .route("/api/v1/statuses/{id}/favourite", post(|s, a, i| act(s, a, i, Act::Favourite)))
        .route("/api/v1/statuses/{id}/unfavourite", post(|s, a, i| act(s, a, i, Act::Unfavourite)))
        .route("/api/v1/statuses/{id}/bookmark", post(|s, a, i| act(s, a, i, Act::Bookmark)))
        .route("/api/v1/statuses/{id}/unbookmark", post(|s, a, i| act(s, a, i, Act::Unbookmark)))
        .route("/api/v1/statuses/{id}/unreblog", post(|s, a, i| act(s, a, i, Act::Unreblog)))
        .route("/api/v1/statuses/{id}/pin", post(|s, a, i| act(s, a, i, Act::Pin)))
        .route("/api/v1/statuses/{id}/mute", post(|s, a, i| act(s, a, i, Act::Mute)))
        .route("/api/v1/statuses/{id}/unmute", post(|s, a, i| act(s, a, i, Act::Unmute)))
        .route("/api/v1/statuses/{id}/unpin", post(|s, a, i| act(s, a, i, Act::Unpin)))
        .route("/api/v1/statuses/{id}/reblog", post(reblog))
        .route("/api/v1/statuses/{id}/context", get(context))
        .route("/api/v1/statuses/{id}/history", get(history))
        .route("/api/v1/statuses/{id}/source", get(source))
        .route("/api/v1/statuses/{id}/favourited_by", get(|s, a, u, i, p| actors(s, a, u, i, p, true)))
        .route("/api/v1/statuses/{id}/reblogged_by", get(|s, a, u, i, p| actors(s, a, u, i, p, false)))
        .route("/api/v1/favourites", get(|s, c, a, u, p| marked(s, c, a, u, p, MarkTable::Favourites)))
        .route("/api/v1/bookmarks", get(|s, c, a, u, p| marked(s, c, a, u, p, MarkTable::Bookmarks)))
}

enum Act {
    Favourite,
    Unfavourite,
    Bookmark,
    Unbookmark,
    Unreblog,
    Pin,
    Unpin,
    Mute,
    Unmute,
}

async fn act(
    State(app): State<App>,
    auth: Auth,
    Path(id): Path<String>,
    what: Act,
) -> Result<Json<StatusEntity>, ApiError> {
    let scope = match what {
        Act::Favourite | Act::Unfavourite => "write:favourites",
        Act::Bookmark | Act::Unbookmark => "write:bookmarks",
        Act::Unreblog => "write:statuses",
        Act::Pin | Act::Unpin => "write:accounts",
        Act::Mute | Act::Unmute => "write:mutes",
    };
    let (actor, _) = auth.user_with(scope)?;
    let id = parse_id(&id)?;
    let status = match what {
        Act::Favourite => app::interactions::favourite(&app, actor, id).await?,
        Act::Unfavourite => app::interactions::unfavourite(&app, actor, id).await?,
        Act::Bookmark => app::interactions::bookmark(&app, actor, id, true).await?,
        Act::Unbookmark => app::interactions::bookmark(&app, actor, id, false).await?,
        Act::Unreblog => app::interactions::unreblog(&app, actor, id).await?,
        Act::Pin => app::statuses::pin(&app, actor, id, true).await?,
        Act::Unpin => app::statuses::pin(&app, actor, id, false).await?,
        Act::Mute => app::conversations::mute_thread(&app, actor, id, true).await?,
        Act::Unmute => app::conversations::mute_thread(&app, actor, id, false).await?,
    };
    render(&app, &[status.into()], Some(actor.id)).await?.pop().map(Json).ok_or_else(ApiError::not_found)
}

#[derive(Debug, Deserialize)]
struct ReblogParams {
    #[serde(default, deserialize_with = "lenient::opt_string")]
    visibility: Option<String>,
}

async fn reblog(
    State(app): State<App>,
    auth: Auth,
    Path(id): Path<String>,
    Params { value: p, .. }: Params<ReblogParams>,
) -> Result<Json<StatusEntity>, ApiError> {
    let (actor, _) = auth.user_with("write:statuses")?;
    let boost = app::interactions::reblog(&app, actor, parse_id(&id)?, p.visibility.as_deref()).await?;
    render(&app, &[boost.into()], Some(actor.id)).await?.pop().map(Json).ok_or_else(ApiError::not_found)
}

async fn context(State(app): State<App>, auth: Auth, Path(id): Path<String>) -> Result<Json<Value>, ApiError> {
    let viewer = auth.viewer("read:statuses")?.map(|a| a.id);
    let (ancestors, descendants) = app::statuses::context(&app, viewer, parse_id(&id)?).await?;
    Ok(Json(json!({
        "ancestors": render(&app, &ancestors, viewer).await?,
        "descendants": render(&app, &descendants, viewer).await?,
    })))
}

/// Every version of a post, oldest first; an unedited post has one.
async fn history(State(app): State<App>, auth: Auth, Path(id): Path<String>) -> Result<Json<Value>, ApiError> {
    let viewer = auth.viewer("read:statuses")?.map(|a| a.id);
    let (status, versions) = app::statuses::history(&app, viewer, parse_id(&id)?).await?;
    let entity =
        render(&app, &[std::sync::Arc::new(status.clone())], viewer).await?.pop().ok_or_else(ApiError::not_found)?;
    let account = serde_json::to_value(entity).map_err(|_| ApiError::internal())?["account"].clone();
    Ok(Json(Value::Array(
        versions
            .iter()
            .map(|v| {
                json!({
                    "content": v.content,
                    "spoiler_text": v.spoiler_text,
                    "sensitive": v.sensitive,
                    "created_at": format::datetime(v.created_at),
                    "account": account,
                    "poll": null,
                    "media_attachments": [],
                    "emojis": [],
                })
            })
            .collect(),
    )))
}

/// The source text, for editing; only the author may ask.
async fn source(State(app): State<App>, auth: Auth, Path(id): Path<String>) -> Result<Json<Value>, ApiError> {
    let (actor, _) = auth.user_with("read:statuses")?;
    let status = app::statuses::get_status(&app, Some(actor.id), parse_id(&id)?).await?;
    if status.account_id != actor.id {
        return Err(ApiError::not_found());
    }
    Ok(Json(json!({ "id": status.id.to_string(), "text": status.text, "spoiler_text": status.spoiler_text })))
}

async fn actors(
    State(app): State<App>,
    auth: Auth,
    OriginalUri(uri): OriginalUri,
    Path(id): Path<String>,
    Params { value: p, .. }: Params<PageParams>,
    favourites: bool,
) -> Result<(HeaderMap, Json<Vec<AccountEntity>>), ApiError> {
    let viewer = auth.viewer("read:accounts")?.map(|a| a.id);
    let rows = app::interactions::list_actors(&app, viewer, parse_id(&id)?, favourites, &p.page(40, 80)).await?;
    Ok(account_page(app.config(), &uri, &rows))
}

async fn marked(
    State(app): State<App>,
    axum::Extension(cache): axum::Extension<std::sync::Arc<super::entities::rendered::RenderCache>>,
    auth: Auth,
    OriginalUri(uri): OriginalUri,
    Params { value: p, .. }: Params<PageParams>,
    table: MarkTable,
) -> Result<(HeaderMap, super::entities::status::StatusesJson), ApiError> {
    let scope = match table {
        MarkTable::Favourites => "read:favourites",
        MarkTable::Bookmarks => "read:bookmarks",
    };
    let (reader, _) = auth.user_with(scope)?;
    let (statuses, bounds) = app::interactions::list_marked(&app, reader, table, &p.page(20, 40)).await?;
    let links = link_header(&app.config().base_url(), &uri, bounds.map(|b| b.0), bounds.map(|b| b.1));
    Ok((links, super::entities::status::render_page(&app, &cache, &statuses, Some(reader.id)).await?))
}
