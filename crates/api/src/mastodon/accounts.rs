//! `/api/v1/accounts/...`: the signed-in user's own account, accounts by id or name,
//! their posts, and following them.

use app::App;
use axum::extract::{OriginalUri, Path, State};
use axum::http::HeaderMap;
use axum::routing::{get, patch, post};
use axum::{Json, Router};
use domain::Id;
use serde::Deserialize;
use store::AccountStatusesFilter;

use super::entities::account::{AccountEntity, CredentialAccountEntity, page as account_page};
use super::entities::relationship::RelationshipEntity;
use super::entities::status::{StatusEntity, render};
use crate::ApiError;
use crate::auth::Auth;
use crate::pagination::{PageParams, link_header};
use crate::params::{Params, lenient};

pub(super) fn routes() -> Router<App> {
    Router::new()
        .route("/api/v1/accounts/verify_credentials", get(verify_credentials))
        .route("/api/v1/accounts", post(create_account).get(get_accounts))
        .route("/api/v1/accounts/familiar_followers", get(familiar_followers))
        .route("/api/v1/accounts/lookup", get(lookup_account))
        .route("/api/v1/accounts/update_credentials", patch(update_credentials))
        .route("/api/v1/follow_requests", get(follow_requests))
        .route("/api/v1/follow_requests/{id}/authorize", post(|s, a, i| answer_request(s, a, i, true)))
        .route("/api/v1/follow_requests/{id}/reject", post(|s, a, i| answer_request(s, a, i, false)))
        .route("/api/v1/accounts/{id}/remove_from_followers", post(remove_from_followers))
        .route("/api/v1/accounts/{id}/note", post(set_note))
        .route("/api/v1/accounts/search", get(search_accounts))
        .route("/api/v1/accounts/relationships", get(relationships))
        .route("/api/v1/accounts/{id}", get(get_account))
        .route("/api/v1/accounts/{id}/statuses", get(account_statuses))
        .route("/api/v1/accounts/{id}/followers", get(|s, a, u, i, p| follow_list(s, a, u, i, p, true)))
        .route("/api/v1/accounts/{id}/following", get(|s, a, u, i, p| follow_list(s, a, u, i, p, false)))
        .route("/api/v1/accounts/{id}/follow", post(follow))
        .route("/api/v1/accounts/{id}/unfollow", post(unfollow))
}

fn parse_id(raw: &str) -> Result<Id, ApiError> {
    raw.parse().map_err(|_| ApiError::not_found())
}

#[derive(Debug, Deserialize)]
struct StatusesParams {
    #[serde(flatten)]
    page: PageParams,
    #[serde(default, deserialize_with = "lenient::opt_bool")]
    exclude_replies: Option<bool>,
    #[serde(default, deserialize_with = "lenient::opt_bool")]
    exclude_reblogs: Option<bool>,
    #[serde(default, deserialize_with = "lenient::opt_bool")]
    only_media: Option<bool>,
    #[serde(default, deserialize_with = "lenient::opt_bool")]
    pinned: Option<bool>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    tagged: Option<String>,
}

async fn account_statuses(
    State(app): State<App>,
    auth: Auth,
    OriginalUri(uri): OriginalUri,
    Path(id): Path<String>,
    Params { value: p, .. }: Params<StatusesParams>,
) -> Result<(HeaderMap, Json<Vec<StatusEntity>>), ApiError> {
    let viewer = auth.viewer("read:statuses")?.map(|a| a.id);
    let id = parse_id(&id)?;
    let filter = AccountStatusesFilter {
        exclude_replies: p.exclude_replies.unwrap_or(false),
        exclude_reblogs: p.exclude_reblogs.unwrap_or(false),
        tagged: p.tagged.map(|t| t.trim_start_matches('#').to_lowercase()),
    };
    let page = p.page.page(20, 40);
    let statuses = app::timelines::account_statuses(&app, viewer, id, filter, &page).await?;
    // No post has media yet: that list is empty.
    let pinned = p.pinned == Some(true);
    let statuses = match (pinned, p.only_media == Some(true)) {
        (_, true) => Vec::new(),
        (true, false) => app::timelines::pinned(&app, viewer, id).await?,
        (false, false) => statuses,
    };
    // Pinned posts are one short list, never paged.
    let links = if pinned {
        HeaderMap::new()
    } else {
        link_header(&app.config().base_url(), &uri, statuses.first().map(|s| s.id), statuses.last().map(|s| s.id))
    };
    Ok((links, Json(render(&app, &statuses, viewer).await?)))
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
struct RelationshipsParams {
    #[serde(default, deserialize_with = "lenient::string_list")]
    id: Vec<String>,
}

async fn relationships(
    State(app): State<App>,
    auth: Auth,
    Params { value: p, .. }: Params<RelationshipsParams>,
) -> Result<Json<Vec<RelationshipEntity>>, ApiError> {
    let (actor, _) = auth.user_with("read:follows")?;
    let ids: Vec<Id> = p.id.iter().filter_map(|s| s.parse().ok()).collect();
    let found = app::follows::relationships(&app, actor.id, &ids).await?;
    Ok(Json(found.into_iter().map(|(id, r)| RelationshipEntity::new(id, r)).collect()))
}

async fn verify_credentials(State(app): State<App>, auth: Auth) -> Result<Json<CredentialAccountEntity>, ApiError> {
    let (account, user) = auth.user_with_any(&["read:accounts", "profile"])?;
    let requests = app::accounts::credentials(&app, account).await?;
    Ok(Json(CredentialAccountEntity::new(app.config(), account, user, requests)))
}

#[derive(Debug, Deserialize)]
struct SignUpParams {
    #[serde(default, deserialize_with = "lenient::opt_string")]
    username: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    email: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    password: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_bool")]
    agreement: Option<bool>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    reason: Option<String>,
}

/// Sign-up through an app (with an app token that grants `write:accounts`); answers
/// with a token for the new account.
async fn create_account(
    State(app): State<App>,
    auth: Auth,
    Params { value: p, .. }: Params<SignUpParams>,
) -> Result<Json<crate::oauth::entities::TokenEntity>, ApiError> {
    let caller = auth.token_with("write:accounts")?;
    let input = app::registrations::SignUp {
        username: p.username.unwrap_or_default(),
        email: p.email.unwrap_or_default(),
        password: p.password.unwrap_or_default(),
        agreement: p.agreement.unwrap_or(false),
        reason: p.reason,
    };
    let via = (&caller.application, caller.token.scopes.clone());
    let (_, token) = app::registrations::sign_up(&app, input, Some(via)).await?;
    let token = token.ok_or_else(ApiError::internal)?;
    Ok(Json(crate::oauth::entities::TokenEntity::new(token)))
}

#[derive(Debug, Deserialize)]
struct UpdateParams {
    #[serde(default, deserialize_with = "lenient::opt_string")]
    display_name: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    note: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_bool")]
    locked: Option<bool>,
    #[serde(default, deserialize_with = "lenient::opt_bool")]
    bot: Option<bool>,
    #[serde(default, deserialize_with = "lenient::opt_bool")]
    discoverable: Option<bool>,
    #[serde(default, deserialize_with = "lenient::opt_bool")]
    hide_collections: Option<bool>,
    #[serde(default, deserialize_with = "lenient::opt_bool")]
    indexable: Option<bool>,
    /// `fields_attributes[0][name]=...` (an object keyed by index) or a JSON array.
    #[serde(default)]
    fields_attributes: Option<serde_json::Value>,
    #[serde(default)]
    source: Option<serde_json::Value>,
}

async fn update_credentials(
    State(app): State<App>,
    auth: Auth,
    Params { value: p, files }: Params<UpdateParams>,
) -> Result<Json<CredentialAccountEntity>, ApiError> {
    let (account, user) = auth.user_with("write:accounts")?;
    let field_list: Option<Vec<(String, String)>> = p.fields_attributes.map(|v| {
        let items: Vec<serde_json::Value> = match v {
            serde_json::Value::Array(items) => items,
            serde_json::Value::Object(map) => {
                let mut entries: Vec<(String, serde_json::Value)> = map.into_iter().collect();
                entries.sort_by_key(|(k, _)| k.parse::<u32>().unwrap_or(u32::MAX));
                entries.into_iter().map(|(_, v)| v).collect()
            }
            _ => Vec::new(),
        };
        let text = |v: &serde_json::Value, k: &str| v[k].as_str().unwrap_or_default().to_owned();
        items.iter().map(|f| (text(f, "name"), text(f, "value"))).collect()
    });
    let source = p.source.unwrap_or_default();
    let bool_of = |v: &serde_json::Value| match v {
        serde_json::Value::Bool(b) => Some(*b),
        serde_json::Value::String(s) => Some(matches!(s.as_str(), "true" | "1" | "on")),
        _ => None,
    };
    let upload = |name: &str| {
        files.iter().find(|f| f.field == name).map(|f| app::profiles::Upload {
            // Some clients send files as application/octet-stream; the name tells more.
            content_type: f.content_type.clone().filter(|t| t.starts_with("image/")).or_else(|| {
                let ext = f.file_name.rsplit('.').next().unwrap_or("").to_ascii_lowercase();
                let guessed = match ext.as_str() {
                    "jpg" | "jpeg" => "image/jpeg",
                    "png" => "image/png",
                    "gif" => "image/gif",
                    "webp" => "image/webp",
                    _ => return f.content_type.clone(),
                };
                Some(guessed.to_owned())
            }),
            bytes: f.bytes.to_vec(),
        })
    };
    let input = app::profiles::UpdateProfile {
        display_name: p.display_name,
        note: p.note,
        locked: p.locked,
        bot: p.bot,
        discoverable: p.discoverable,
        hide_collections: p.hide_collections,
        indexable: p.indexable,
        fields: field_list,
        default_visibility: source["privacy"].as_str().map(str::to_owned),
        default_sensitive: bool_of(&source["sensitive"]),
        default_language: source["language"].as_str().map(str::to_owned),
        avatar: upload("avatar"),
        header: upload("header"),
    };
    let (account, user) = app::profiles::update_profile(&app, account, user, input).await?;
    let requests = app::accounts::credentials(&app, &account).await?;
    Ok(Json(CredentialAccountEntity::new(app.config(), &account, &user, requests)))
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

async fn get_account(State(app): State<App>, Path(id): Path<String>) -> Result<Json<AccountEntity>, ApiError> {
    let (account, role) = app::accounts::get_account(&app, parse_id(&id)?).await?;
    Ok(Json(AccountEntity::new(app.config(), &account, role)))
}

#[derive(Debug, Deserialize)]
struct LookupParams {
    #[serde(default, deserialize_with = "lenient::opt_string")]
    acct: Option<String>,
}

async fn lookup_account(
    State(app): State<App>,
    Params { value: p, .. }: Params<LookupParams>,
) -> Result<Json<AccountEntity>, ApiError> {
    let acct = p.acct.ok_or_else(|| {
        ApiError::new(axum::http::StatusCode::BAD_REQUEST, "param is missing or the value is empty: acct")
    })?;
    let (account, role) = app::accounts::lookup_account(&app, &acct).await?;
    Ok(Json(AccountEntity::new(app.config(), &account, role)))
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

#[derive(Debug, Deserialize)]
pub(super) struct SearchParams {
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub(super) q: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_i64")]
    pub(super) limit: Option<i64>,
    #[serde(default, deserialize_with = "lenient::opt_i64")]
    pub(super) offset: Option<i64>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub(super) r#type: Option<String>,
}

async fn search_accounts(
    State(app): State<App>,
    auth: Auth,
    Params { value: p, .. }: Params<SearchParams>,
) -> Result<Json<Vec<AccountEntity>>, ApiError> {
    auth.user_with("read:accounts")?;
    let limit = p.limit.unwrap_or(40).clamp(1, 80) as u32;
    let found =
        app::search::accounts(&app, p.q.as_deref().unwrap_or(""), limit, p.offset.unwrap_or(0).max(0) as u32).await?;
    Ok(Json(found.iter().map(|(a, role)| AccountEntity::new(app.config(), a, *role)).collect()))
}

/// `GET /api/v1/accounts?id[]=`: those of the accounts that exist.
async fn get_accounts(
    State(app): State<App>,
    Params { value: p, .. }: Params<RelationshipsParams>,
) -> Result<Json<Vec<AccountEntity>>, ApiError> {
    let ids: Vec<Id> = p.id.iter().filter_map(|s| s.parse().ok()).take(40).collect();
    let found = app::accounts::list_accounts(&app, &ids).await?;
    let ordered = ids.iter().filter_map(|id| found.iter().find(|(a, _)| a.id == *id));
    Ok(Json(ordered.map(|(a, role)| AccountEntity::new(app.config(), a, *role)).collect()))
}

async fn familiar_followers(
    State(app): State<App>,
    auth: Auth,
    Params { value: p, .. }: Params<RelationshipsParams>,
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
