//! `/api/v1/statuses`: posting, reading and deleting posts.

use app::App;
use app::statuses::PostStatus;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::routing::get;
use axum::{Json, Router};
use domain::Id;
use serde::Deserialize;

use super::entities::status::{StatusEntity, render};
use crate::ApiError;
use crate::auth::Auth;
use crate::params::{Params, lenient};

pub(super) fn routes() -> Router<App> {
    Router::new()
        .route("/api/v1/statuses", get(get_statuses).post(create_status))
        .route("/api/v1/statuses/{id}", get(get_status).delete(delete_status).put(edit_status))
}

#[derive(Debug, Deserialize)]
struct CreateParams {
    #[serde(default, deserialize_with = "lenient::opt_string")]
    status: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    spoiler_text: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_bool")]
    sensitive: Option<bool>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    visibility: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    in_reply_to_id: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    language: Option<String>,
    /// `None` when not sent: an edit then keeps the post's attachments.
    #[serde(default, deserialize_with = "lenient::opt_string_list")]
    media_ids: Option<Vec<String>>,
    /// In edits: `[{id, description, focus}]` (or indexed, from a form).
    #[serde(default)]
    media_attributes: Option<serde_json::Value>,
}

/// `media_attributes` as a list, whether a JSON array or a form's indexed object, of
/// objects; anything else is a 422.
fn media_attributes(value: Option<serde_json::Value>) -> Result<Vec<app::media::MediaAttribute>, ApiError> {
    let items: Vec<serde_json::Value> = match value {
        None | Some(serde_json::Value::Null) => Vec::new(),
        Some(serde_json::Value::Array(items)) => items,
        Some(serde_json::Value::Object(indexed)) => indexed.into_iter().map(|(_, v)| v).collect(),
        Some(_) => return Err(invalid_media_attributes()),
    };
    if !items.iter().all(serde_json::Value::is_object) {
        return Err(invalid_media_attributes());
    }
    let text = |item: &serde_json::Value, key: &str| match &item[key] {
        serde_json::Value::String(s) => Some(s.clone()),
        serde_json::Value::Number(n) => Some(n.to_string()),
        _ => None,
    };
    Ok(items
        .iter()
        .map(|item| app::media::MediaAttribute {
            id: text(item, "id").unwrap_or_default(),
            description: text(item, "description"),
            focus: text(item, "focus"),
        })
        .collect())
}

fn invalid_media_attributes() -> ApiError {
    let message = "must be a list of objects with an id";
    ApiError::from(app::AppError::Validation(domain::ValidationError::field(
        "media_attributes",
        "ERR_INVALID",
        message,
    )))
}

async fn create_status(
    State(app): State<App>,
    auth: Auth,
    headers: HeaderMap,
    Params { value: p, .. }: Params<CreateParams>,
) -> Result<Json<StatusEntity>, ApiError> {
    let (author, _) = auth.user_with("write:statuses")?;
    let input = PostStatus {
        text: p.status.unwrap_or_default(),
        spoiler_text: p.spoiler_text.unwrap_or_default(),
        sensitive: p.sensitive,
        visibility: p.visibility,
        in_reply_to_id: p.in_reply_to_id,
        language: p.language,
        media_ids: p.media_ids.unwrap_or_default(),
        idempotency_key: headers.get("idempotency-key").and_then(|v| v.to_str().ok()).map(str::to_owned),
    };
    let status = app::statuses::post_status(&app, author, auth.application_id(), input).await?;
    one(render(&app, &[status.into()], Some(author.id)).await?)
}

async fn get_status(
    State(app): State<App>,
    auth: Auth,
    Path(id): Path<String>,
) -> Result<Json<StatusEntity>, ApiError> {
    let viewer = auth.viewer("read:statuses")?.map(|a| a.id);
    let id: Id = id.parse().map_err(|_| ApiError::not_found())?;
    let status = app::statuses::get_status(&app, viewer, id).await?;
    one(render(&app, &[status.into()], viewer).await?)
}

#[derive(Debug, Deserialize)]
struct ManyParams {
    #[serde(default, deserialize_with = "lenient::string_list")]
    id: Vec<String>,
}

/// `GET /api/v1/statuses?id[]=1&id[]=2`: those that exist and the caller may see.
async fn get_statuses(
    State(app): State<App>,
    axum::Extension(cache): axum::Extension<std::sync::Arc<super::entities::rendered::RenderCache>>,
    auth: Auth,
    Params { value: p, .. }: Params<ManyParams>,
) -> Result<super::entities::status::StatusesJson, ApiError> {
    let viewer = auth.viewer("read:statuses")?.map(|a| a.id);
    let ids: Vec<Id> = p.id.iter().filter_map(|s| s.parse().ok()).take(20).collect();
    let statuses = app::statuses::list_visible(&app, viewer, &ids).await?;
    super::entities::status::render_page(&app, &cache, &statuses, viewer).await
}

async fn delete_status(
    State(app): State<App>,
    auth: Auth,
    Path(id): Path<String>,
) -> Result<Json<StatusEntity>, ApiError> {
    let (actor, _) = auth.user_with("write:statuses")?;
    let id: Id = id.parse().map_err(|_| ApiError::not_found())?;
    let (status, hydration) = app::statuses::delete_status(&app, actor, id).await?;
    let entity =
        StatusEntity::new(app.config(), &status, &hydration, Some(actor.id)).ok_or_else(ApiError::not_found)?;
    Ok(Json(entity.with_source(&status.text)))
}

async fn edit_status(
    State(app): State<App>,
    auth: Auth,
    Path(id): Path<String>,
    Params { value: p, .. }: Params<CreateParams>,
) -> Result<Json<StatusEntity>, ApiError> {
    let (actor, _) = auth.user_with("write:statuses")?;
    let id: Id = id.parse().map_err(|_| ApiError::not_found())?;
    let input = app::statuses::EditStatus {
        text: p.status.unwrap_or_default(),
        spoiler_text: p.spoiler_text,
        sensitive: p.sensitive,
        language: p.language,
        media_ids: p.media_ids,
        media_attributes: media_attributes(p.media_attributes)?,
    };
    let status = app::statuses::edit_status(&app, actor, id, input).await?;
    one(render(&app, &[status.into()], Some(actor.id)).await?)
}

fn one(mut rendered: Vec<StatusEntity>) -> Result<Json<StatusEntity>, ApiError> {
    rendered.pop().map(Json).ok_or_else(ApiError::not_found)
}
