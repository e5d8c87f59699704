//! `/api/v1/accounts/...`: the signed-in user's own account, sign-up, accounts by id or
//! name, and their posts.

use app::App;
use axum::extract::{OriginalUri, Path, State};
use axum::http::HeaderMap;
use axum::routing::{get, patch, post};
use axum::{Json, Router};
use domain::Id;
use serde::Deserialize;
use store::AccountStatusesFilter;

use super::entities::account::{AccountEntity, CredentialAccountEntity};
use super::follows::IdsParams;
use super::parse_id;
use crate::ApiError;
use crate::auth::Auth;
use crate::pagination::{PageParams, link_header};
use crate::params::{Params, lenient};

pub(super) fn routes() -> Router<App> {
    Router::new()
        .route("/api/v1/accounts/verify_credentials", get(verify_credentials))
        .route("/api/v1/accounts", post(create_account).get(get_accounts))
        .route("/api/v1/accounts/lookup", get(lookup_account))
        .route("/api/v1/accounts/update_credentials", patch(update_credentials))
        .route("/api/v1/accounts/search", get(search_accounts))
        .route("/api/v1/accounts/{id}", get(get_account))
        .route("/api/v1/accounts/{id}/statuses", get(account_statuses))
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
    axum::Extension(cache): axum::Extension<std::sync::Arc<super::entities::rendered::RenderCache>>,
    auth: Auth,
    OriginalUri(uri): OriginalUri,
    Path(id): Path<String>,
    Params { value: p, .. }: Params<StatusesParams>,
) -> Result<(HeaderMap, super::entities::status::StatusesJson), ApiError> {
    let viewer = auth.viewer("read:statuses")?.map(|a| a.id);
    let id = parse_id(&id)?;
    let filter = AccountStatusesFilter {
        exclude_replies: p.exclude_replies.unwrap_or(false),
        exclude_reblogs: p.exclude_reblogs.unwrap_or(false),
        only_media: p.only_media == Some(true),
        tagged: p.tagged.map(|t| t.trim_start_matches('#').to_lowercase()),
    };
    let page = p.page.page(20, 40);
    let statuses = app::timelines::account_statuses(&app, viewer, id, filter, &page).await?;
    let pinned = p.pinned == Some(true);
    let statuses = if pinned { app::timelines::pinned(&app, viewer, id).await? } else { statuses };
    // Pinned posts are one short list, never paged.
    let links = if pinned {
        HeaderMap::new()
    } else {
        link_header(&app.config().base_url(), &uri, statuses.first().map(|s| s.id), statuses.last().map(|s| s.id))
    };
    Ok((links, super::entities::status::render_page(&app, &cache, &statuses, viewer).await?))
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
    #[serde(default, deserialize_with = "lenient::opt_string")]
    invite_code: Option<String>,
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
        invite_code: p.invite_code,
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
    let field_list = p.fields_attributes.map(profile_fields).transpose()?;
    let source = p.source.unwrap_or_default();
    let default_sensitive = source_flag(&source["sensitive"])?;
    let upload =
        |name: &str| files.iter().find(|f| f.field == name).map(|f| app::profiles::Upload { bytes: f.bytes.to_vec() });
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
        default_sensitive,
        default_language: source["language"].as_str().map(str::to_owned),
        avatar: upload("avatar"),
        header: upload("header"),
    };
    let (account, user) = app::profiles::update_profile(&app, account, user, input).await?;
    let requests = app::accounts::credentials(&app, &account).await?;
    Ok(Json(CredentialAccountEntity::new(app.config(), &account, &user, requests)))
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
pub(super) struct SearchParams {
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub(super) q: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_i64")]
    pub(super) limit: Option<i64>,
    #[serde(default, deserialize_with = "lenient::opt_i64")]
    pub(super) offset: Option<i64>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub(super) r#type: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_bool")]
    pub(super) resolve: Option<bool>,
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
    Params { value: p, .. }: Params<IdsParams>,
) -> Result<Json<Vec<AccountEntity>>, ApiError> {
    let ids: Vec<Id> = p.id.iter().filter_map(|s| s.parse().ok()).take(40).collect();
    let found = app::accounts::list_accounts(&app, &ids).await?;
    let ordered = ids.iter().filter_map(|id| found.iter().find(|row| row.0.id == *id));
    Ok(Json(ordered.map(|row| AccountEntity::new(app.config(), &row.0, row.1)).collect()))
}

fn invalid(field: &str) -> ApiError {
    ApiError::new(axum::http::StatusCode::UNPROCESSABLE_ENTITY, format!("Validation failed: {field} is invalid"))
}

/// `fields_attributes[0][name]=...` (an object keyed by index) or a JSON array of
/// `{name, value}`; anything else is refused rather than read as "no fields".
fn profile_fields(value: serde_json::Value) -> Result<Vec<(String, String)>, ApiError> {
    let items: Vec<serde_json::Value> = match value {
        serde_json::Value::Array(items) => items,
        serde_json::Value::Object(map) => {
            let mut entries: Vec<(String, serde_json::Value)> = map.into_iter().collect();
            entries.sort_by_key(|(k, _)| k.parse::<u32>().unwrap_or(u32::MAX));
            entries.into_iter().map(|(_, v)| v).collect()
        }
        _ => return Err(invalid("Fields")),
    };
    items
        .iter()
        .map(|f| {
            let text = |k: &str| match &f[k] {
                serde_json::Value::String(s) => Ok(s.clone()),
                serde_json::Value::Null => Ok(String::new()),
                _ => Err(invalid("Fields")),
            };
            if !f.is_object() {
                return Err(invalid("Fields"));
            }
            Ok((text("name")?, text("value")?))
        })
        .collect()
}

/// `source[sensitive]` as JSON or as a form value.
fn source_flag(value: &serde_json::Value) -> Result<Option<bool>, ApiError> {
    match value {
        serde_json::Value::Null => Ok(None),
        serde_json::Value::Bool(b) => Ok(Some(*b)),
        serde_json::Value::String(s) => match s.as_str() {
            "true" | "1" | "t" | "on" | "yes" => Ok(Some(true)),
            "false" | "0" | "f" | "off" | "no" => Ok(Some(false)),
            _ => Err(invalid("Source sensitive")),
        },
        _ => Err(invalid("Source sensitive")),
    }
}
