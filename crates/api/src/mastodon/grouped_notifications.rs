//! `/api/v2/notifications`: notifications grouped as Mastodon 4.3+ serves them, with
//! the accounts and posts they refer to listed once beside the groups.

use std::collections::BTreeMap;

use app::App;
use app::notifications::NotificationGroup;
use axum::extract::{OriginalUri, Path, State};
use axum::http::HeaderMap;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::{Value, json};

use super::entities::account::AccountEntity;
use super::entities::status::StatusEntity;
use super::notifications::ListParams;
use crate::ApiError;
use crate::auth::Auth;
use crate::format;
use crate::pagination::link_header;
use crate::params::Params;

pub(super) fn routes() -> Router<App> {
    Router::new()
        .route("/api/v2/notifications", get(list))
        .route("/api/v2/notifications/unread_count", get(unread_count))
        .route("/api/v2/notifications/{group_key}", get(get_group))
        .route("/api/v2/notifications/{group_key}/accounts", get(group_accounts))
        .route("/api/v2/notifications/{group_key}/dismiss", post(dismiss))
}

/// `{accounts, statuses, notification_groups}` for these groups.
async fn grouped_json(app: &App, reader: &domain::Account, groups: &[NotificationGroup]) -> Result<Value, ApiError> {
    let all: Vec<store::Notification> = groups.iter().flat_map(|g| g.members.iter().cloned()).collect();
    let h = app::notifications::hydrate(app, reader, &all).await?;
    let mut accounts = BTreeMap::new();
    let mut statuses = BTreeMap::new();
    let mut out_groups = Vec::new();
    for group in groups {
        let newest = &group.members[0];
        let oldest = &group.members[group.members.len() - 1];
        let mut sample = Vec::new();
        for n in &group.members {
            if let Some((a, role)) = h.accounts.get(&n.from_account_id).map(AsRef::as_ref) {
                accounts.entry(a.id.to_string()).or_insert_with(|| AccountEntity::new(app.config(), a, *role));
                let id = a.id.to_string();
                if sample.len() < 8 && !sample.contains(&id) {
                    sample.push(id);
                }
            }
        }
        let status_id = match newest.status_id {
            Some(id) => {
                match h.originals.get(&id).and_then(|s| StatusEntity::new(app.config(), s, &h, Some(reader.id))) {
                    Some(entity) => {
                        statuses.entry(id.to_string()).or_insert(entity);
                        Some(id.to_string())
                    }
                    // The post is gone or hidden from the reader: so is the group.
                    None => continue,
                }
            }
            None => None,
        };
        let mut entry = json!({
            "group_key": group.key,
            "notifications_count": group.members.len(),
            "type": newest.kind,
            "most_recent_notification_id": newest.id.to_string(),
            "page_min_id": oldest.id.to_string(),
            "page_max_id": newest.id.to_string(),
            "latest_page_notification_at": format::datetime(newest.created_at),
            "sample_account_ids": sample,
        });
        if let Some(id) = status_id {
            entry["status_id"] = Value::String(id);
        }
        out_groups.push(entry);
    }
    Ok(json!({
        "accounts": accounts.into_values().collect::<Vec<_>>(),
        "statuses": statuses.into_values().collect::<Vec<_>>(),
        "notification_groups": out_groups,
    }))
}

async fn list(
    State(app): State<App>,
    auth: Auth,
    OriginalUri(uri): OriginalUri,
    Params { value: p, .. }: Params<ListParams>,
) -> Result<(HeaderMap, Json<Value>), ApiError> {
    let (reader, _) = auth.user_with("read:notifications")?;
    let groups = app::notifications::list_grouped(&app, reader, &p.filter(), &p.page.page(40, 80)).await?;
    let newest = groups.first().map(|g| g.members[0].id);
    let oldest = groups.last().and_then(|g| g.members.last()).map(|n| n.id);
    let links = link_header(&app.config().base_url(), &uri, newest, oldest);
    Ok((links, Json(grouped_json(&app, reader, &groups).await?)))
}

async fn get_group(State(app): State<App>, auth: Auth, Path(key): Path<String>) -> Result<Json<Value>, ApiError> {
    let (reader, _) = auth.user_with("read:notifications")?;
    let group = app::notifications::get_group(&app, reader, &key).await?;
    Ok(Json(grouped_json(&app, reader, &[group]).await?))
}

async fn group_accounts(
    State(app): State<App>,
    auth: Auth,
    Path(key): Path<String>,
) -> Result<Json<Vec<AccountEntity>>, ApiError> {
    let (reader, _) = auth.user_with("read:notifications")?;
    let group = app::notifications::get_group(&app, reader, &key).await?;
    let h = app::notifications::hydrate(&app, reader, &group.members).await?;
    let mut seen = Vec::new();
    let mut out = Vec::new();
    for n in &group.members {
        if let Some((a, role)) = h.accounts.get(&n.from_account_id).map(AsRef::as_ref)
            && !seen.contains(&a.id)
        {
            seen.push(a.id);
            out.push(AccountEntity::new(app.config(), a, *role));
        }
    }
    Ok(Json(out))
}

async fn dismiss(State(app): State<App>, auth: Auth, Path(key): Path<String>) -> Result<Json<Value>, ApiError> {
    let (reader, _) = auth.user_with("write:notifications")?;
    app::notifications::dismiss_group(&app, reader, &key).await?;
    Ok(Json(json!({})))
}

/// Groups newer than the `notifications` marker (counted as groups, as Mastodon does).
async fn unread_count(
    State(app): State<App>,
    auth: Auth,
    Params { value: p, .. }: Params<ListParams>,
) -> Result<Json<Value>, ApiError> {
    let (reader, _) = auth.user_with("read:notifications")?;
    let markers = app::notifications::markers(&app, reader).await?;
    let after = markers.iter().find(|m| m.timeline == "notifications").map(|m| m.last_read_id);
    let page = domain::Page::new(None, after, None, Some(1000), 1000, 1000);
    let groups = app::notifications::list_grouped(&app, reader, &p.filter(), &page).await?;
    Ok(Json(json!({ "count": groups.len() })))
}
