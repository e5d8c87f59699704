//! `/api/v1/notifications` and `/api/v1/markers`.

use app::App;
use axum::extract::{OriginalUri, Path, State};
use axum::http::HeaderMap;
use axum::routing::{get, post};
use axum::{Json, Router};
use domain::Id;
use serde::Deserialize;
use serde_json::{Map, Value, json};
use store::{Notification, NotificationFilter};

use super::entities::notification::NotificationEntity;
use crate::ApiError;
use crate::auth::Auth;
use crate::format;
use crate::pagination::{PageParams, link_header};
use crate::params::{Params, lenient};

pub(super) fn routes() -> Router<App> {
    Router::new()
        .route("/api/v1/notifications", get(list))
        .route("/api/v1/notifications/unread_count", get(unread_count))
        .route("/api/v1/notifications/clear", post(clear))
        .route("/api/v1/notifications/{id}", get(get_one))
        .route("/api/v1/notifications/{id}/dismiss", post(dismiss))
        .route("/api/v1/markers", get(get_markers).post(save_markers))
}

#[derive(Debug, Deserialize)]
pub(super) struct ListParams {
    #[serde(flatten)]
    pub(super) page: PageParams,
    #[serde(default, deserialize_with = "lenient::string_list")]
    types: Vec<String>,
    #[serde(default, deserialize_with = "lenient::string_list")]
    exclude_types: Vec<String>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    account_id: Option<String>,
}

impl ListParams {
    pub(super) fn filter(&self) -> NotificationFilter {
        NotificationFilter {
            types: self.types.clone(),
            exclude_types: self.exclude_types.clone(),
            // An unknown account id matches nothing, rather than everything.
            from_account_id: self.account_id.as_deref().map(|s| s.parse().unwrap_or(Id::from_i64(-1))),
        }
    }
}

async fn render(
    app: &App,
    reader: &domain::Account,
    list: &[Notification],
) -> Result<Vec<NotificationEntity>, ApiError> {
    let h = app::notifications::hydrate(app, reader, list).await?;
    Ok(list.iter().filter_map(|n| NotificationEntity::new(app.config(), n, &h, reader.id)).collect())
}

async fn list(
    State(app): State<App>,
    auth: Auth,
    OriginalUri(uri): OriginalUri,
    Params { value: p, .. }: Params<ListParams>,
) -> Result<(HeaderMap, Json<Vec<NotificationEntity>>), ApiError> {
    let (reader, _) = auth.user_with("read:notifications")?;
    let found = app::notifications::list(&app, reader, &p.filter(), &p.page.page(40, 80)).await?;
    let links = link_header(&app.config().base_url(), &uri, found.first().map(|n| n.id), found.last().map(|n| n.id));
    Ok((links, Json(render(&app, reader, &found).await?)))
}

async fn get_one(
    State(app): State<App>,
    auth: Auth,
    Path(id): Path<String>,
) -> Result<Json<NotificationEntity>, ApiError> {
    let (reader, _) = auth.user_with("read:notifications")?;
    let id: Id = id.parse().map_err(|_| ApiError::not_found())?;
    let found = app::notifications::get(&app, reader, id).await?;
    render(&app, reader, &[found]).await?.pop().map(Json).ok_or_else(ApiError::not_found)
}

async fn unread_count(
    State(app): State<App>,
    auth: Auth,
    Params { value: p, .. }: Params<ListParams>,
) -> Result<Json<Value>, ApiError> {
    let (reader, _) = auth.user_with("read:notifications")?;
    Ok(Json(json!({ "count": app::notifications::unread_count(&app, reader, &p.filter()).await? })))
}

async fn dismiss(State(app): State<App>, auth: Auth, Path(id): Path<String>) -> Result<Json<Value>, ApiError> {
    let (reader, _) = auth.user_with("write:notifications")?;
    let id: Id = id.parse().map_err(|_| ApiError::not_found())?;
    app::notifications::get(&app, reader, id).await?;
    app::notifications::dismiss(&app, reader, Some(id)).await?;
    Ok(Json(json!({})))
}

async fn clear(State(app): State<App>, auth: Auth) -> Result<Json<Value>, ApiError> {
    let (reader, _) = auth.user_with("write:notifications")?;
    app::notifications::dismiss(&app, reader, None).await?;
    Ok(Json(json!({})))
}

#[derive(Debug, Deserialize)]
struct MarkerParams {
    #[serde(default, deserialize_with = "lenient::string_list")]
    timeline: Vec<String>,
    #[serde(default)]
    home: Option<Value>,
    #[serde(default)]
    notifications: Option<Value>,
}

fn markers_json(markers: Vec<store::Marker>, only: &[String]) -> Value {
    let mut out = Map::new();
    for m in markers.into_iter().filter(|m| only.is_empty() || only.contains(&m.timeline)) {
        out.insert(
            m.timeline.clone(),
            json!({ "last_read_id": m.last_read_id.to_string(), "version": m.version, "updated_at": format::datetime(m.updated_at) }),
        );
    }
    Value::Object(out)
}

async fn get_markers(
    State(app): State<App>,
    auth: Auth,
    Params { value: p, .. }: Params<MarkerParams>,
) -> Result<Json<Value>, ApiError> {
    let (reader, _) = auth.user_with("read:statuses")?;
    Ok(Json(markers_json(app::notifications::markers(&app, reader).await?, &p.timeline)))
}

/// `home[last_read_id]=X` and/or `notifications[last_read_id]=Y`, as form or JSON.
async fn save_markers(
    State(app): State<App>,
    auth: Auth,
    Params { value: p, .. }: Params<MarkerParams>,
) -> Result<Json<Value>, ApiError> {
    let (reader, _) = auth.user_with("write:statuses")?;
    let read_id = |v: &Option<Value>| {
        v.as_ref().and_then(|v| match &v["last_read_id"] {
            Value::String(s) => s.parse::<Id>().ok(),
            Value::Number(n) => n.as_i64().map(Id::from_i64),
            _ => None,
        })
    };
    let mut positions = Vec::new();
    if let Some(id) = read_id(&p.home) {
        positions.push(("home", id));
    }
    if let Some(id) = read_id(&p.notifications) {
        positions.push(("notifications", id));
    }
    if positions.is_empty() {
        return Err(ApiError::new(
            axum::http::StatusCode::BAD_REQUEST,
            "param is missing or the value is empty: last_read_id",
        ));
    }
    let saved = app::notifications::save_markers(&app, reader, &positions).await?;
    let names: Vec<String> = positions.iter().map(|(t, _)| (*t).to_owned()).collect();
    Ok(Json(markers_json(saved, &names)))
}
