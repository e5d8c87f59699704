//! `/api/v1/conversations`: direct-message conversations.

use app::App;
use app::conversations::Conversation;
use axum::extract::{OriginalUri, Path, State};
use axum::http::HeaderMap;
use axum::routing::{delete, get, post};
use axum::{Json, Router};
use domain::Id;
use serde_json::{Value, json};

use super::entities::account::AccountEntity;
use super::entities::status::StatusEntity;
use super::parse_id;
use crate::ApiError;
use crate::auth::Auth;
use crate::pagination::{PageParams, link_header};
use crate::params::Params;

pub(super) fn routes() -> Router<App> {
    Router::new()
        .route("/api/v1/conversations", get(list))
        .route("/api/v1/conversations/{id}", delete(hide))
        .route("/api/v1/conversations/{id}/read", post(read))
}

pub(super) async fn render(app: &App, reader: &domain::Account, list: &[Conversation]) -> Result<Vec<Value>, ApiError> {
    let statuses: Vec<_> = list.iter().map(|c| c.last_status.clone()).collect();
    let mut h = app::statuses::hydrate(app, &statuses, Some(reader.id)).await?;
    let participants: Vec<Id> = list.iter().flat_map(|c| c.participants.iter().copied()).collect();
    for row in app::accounts::list_accounts(app, &participants).await? {
        h.accounts.insert(row.0.id, row);
    }
    Ok(list
        .iter()
        .filter_map(|c| {
            let last = StatusEntity::new(app.config(), &c.last_status, &h, Some(reader.id))?;
            let accounts: Vec<AccountEntity> = c
                .participants
                .iter()
                .filter_map(|id| h.accounts.get(id))
                .map(|row| AccountEntity::new(app.config(), &row.0, row.1))
                .collect();
            Some(json!({ "id": c.id.to_string(), "unread": c.unread, "accounts": accounts, "last_status": last }))
        })
        .collect())
}

async fn list(
    State(app): State<App>,
    auth: Auth,
    OriginalUri(uri): OriginalUri,
    Params { value: p, .. }: Params<PageParams>,
) -> Result<(HeaderMap, Json<Vec<Value>>), ApiError> {
    let (reader, _) = auth.user_with("read:statuses")?;
    let found = app::conversations::list(&app, reader, &p.page(20, 40)).await?;
    let newest = found.first().map(|c| c.last_status.id);
    let oldest = found.last().map(|c| c.last_status.id);
    let links = link_header(&app.config().base_url(), &uri, newest, oldest);
    Ok((links, Json(render(&app, reader, &found).await?)))
}

async fn read(State(app): State<App>, auth: Auth, Path(id): Path<String>) -> Result<Json<Value>, ApiError> {
    let (reader, _) = auth.user_with("write:conversations")?;
    let conversation = app::conversations::mark_read(&app, reader, parse_id(&id)?).await?;
    render(&app, reader, &[conversation]).await?.pop().map(Json).ok_or_else(ApiError::not_found)
}

async fn hide(State(app): State<App>, auth: Auth, Path(id): Path<String>) -> Result<Json<Value>, ApiError> {
    let (reader, _) = auth.user_with("write:conversations")?;
    app::conversations::hide(&app, reader, parse_id(&id)?).await?;
    Ok(Json(json!({})))
}
