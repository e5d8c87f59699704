//! The admin API for server policy: `/api/v1/admin/domain_blocks`,
//! `/api/v1/admin/domain_allows` and `/api/v1/admin/email_domain_blocks`, as Mastodon
//! serves them to admins.

use app::App;
use app::moderation::domain_allows as allows;
use app::moderation::domain_blocks::{self as blocks, DomainBlockInput};
use axum::extract::{OriginalUri, Path, State};
use axum::http::HeaderMap;
use axum::routing::get;
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{Value, json};

use super::entities::moderation::{AdminDomainAllowEntity, AdminDomainBlockEntity, AdminEmailDomainBlockEntity};
use super::parse_id;
use crate::ApiError;
use crate::auth::Auth;
use crate::pagination::{PageParams, link_header};
use crate::params::{Params, lenient};
use app::moderation::email_domain_blocks as email_blocks;

pub(super) fn routes() -> Router<App> {
    Router::new()
        .route("/api/v1/admin/domain_blocks", get(list_blocks).post(create_block))
        .route("/api/v1/admin/domain_blocks/{id}", get(get_block).put(update_block).delete(delete_block))
        .route("/api/v1/admin/domain_allows", get(list_allows).post(create_allow))
        .route("/api/v1/admin/domain_allows/{id}", get(get_allow).delete(delete_allow))
        .route("/api/v1/admin/email_domain_blocks", get(list_email_blocks).post(create_email_block))
        .route("/api/v1/admin/email_domain_blocks/{id}", get(get_email_block).delete(delete_email_block))
}

#[derive(Debug, Deserialize, Default)]
struct BlockParams {
    #[serde(default, deserialize_with = "lenient::opt_string")]
    domain: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    severity: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_bool")]
    reject_media: Option<bool>,
    #[serde(default, deserialize_with = "lenient::opt_bool")]
    reject_reports: Option<bool>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    private_comment: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    public_comment: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_bool")]
    obfuscate: Option<bool>,
}

impl BlockParams {
    fn input(self) -> (Option<String>, DomainBlockInput) {
        let input = DomainBlockInput {
            severity: self.severity,
            reject_media: self.reject_media,
            reject_reports: self.reject_reports,
            private_comment: self.private_comment,
            public_comment: self.public_comment,
            obfuscate: self.obfuscate,
        };
        (self.domain, input)
    }
}

async fn list_blocks(
    State(app): State<App>,
    auth: Auth,
    OriginalUri(uri): OriginalUri,
    Params { value: p, .. }: Params<PageParams>,
) -> Result<(HeaderMap, Json<Vec<AdminDomainBlockEntity>>), ApiError> {
    let by = auth.moderator_with("admin:read:domain_blocks")?;
    let page = p.page(100, 200).select(blocks::list_domain_blocks(&app, by).await?, |b| b.id);
    let headers = link_header(&app.config().base_url(), &uri, page.first().map(|b| b.id), page.last().map(|b| b.id));
    Ok((headers, Json(page.iter().map(AdminDomainBlockEntity::from).collect())))
}

async fn get_block(
    State(app): State<App>,
    auth: Auth,
    Path(id): Path<String>,
) -> Result<Json<AdminDomainBlockEntity>, ApiError> {
    let by = auth.moderator_with("admin:read:domain_blocks")?;
    let block = blocks::get_domain_block(&app, by, parse_id(&id)?).await?;
    Ok(Json(AdminDomainBlockEntity::from(&block)))
}

async fn create_block(
    State(app): State<App>,
    auth: Auth,
    Params { value: p, .. }: Params<BlockParams>,
) -> Result<Json<AdminDomainBlockEntity>, ApiError> {
    let by = auth.moderator_with("admin:write:domain_blocks")?;
    let (domain, input) = p.input();
    let block = blocks::block_domain(&app, by, domain.as_deref().unwrap_or_default(), input).await?;
    Ok(Json(AdminDomainBlockEntity::from(&block)))
}

async fn update_block(
    State(app): State<App>,
    auth: Auth,
    Path(id): Path<String>,
    Params { value: p, .. }: Params<BlockParams>,
) -> Result<Json<AdminDomainBlockEntity>, ApiError> {
    let by = auth.moderator_with("admin:write:domain_blocks")?;
    let (_, input) = p.input();
    let block = blocks::update_domain_block(&app, by, parse_id(&id)?, input).await?;
    Ok(Json(AdminDomainBlockEntity::from(&block)))
}

async fn delete_block(State(app): State<App>, auth: Auth, Path(id): Path<String>) -> Result<Json<Value>, ApiError> {
    let by = auth.moderator_with("admin:write:domain_blocks")?;
    blocks::unblock_domain(&app, by, parse_id(&id)?).await?;
    Ok(Json(json!({})))
}

#[derive(Debug, Deserialize, Default)]
/// A bare domain (for allows and e-mail domain blocks).
struct DomainParams {
    #[serde(default, deserialize_with = "lenient::opt_string")]
    domain: Option<String>,
}

async fn list_allows(
    State(app): State<App>,
    auth: Auth,
    OriginalUri(uri): OriginalUri,
    Params { value: p, .. }: Params<PageParams>,
) -> Result<(HeaderMap, Json<Vec<AdminDomainAllowEntity>>), ApiError> {
    let by = auth.moderator_with("admin:read:domain_allows")?;
    let page = p.page(100, 200).select(allows::list_domain_allows(&app, by).await?, |a| a.id);
    let headers = link_header(&app.config().base_url(), &uri, page.first().map(|a| a.id), page.last().map(|a| a.id));
    Ok((headers, Json(page.iter().map(AdminDomainAllowEntity::from).collect())))
}

async fn get_allow(
    State(app): State<App>,
    auth: Auth,
    Path(id): Path<String>,
) -> Result<Json<AdminDomainAllowEntity>, ApiError> {
    let by = auth.moderator_with("admin:read:domain_allows")?;
    let allow = allows::get_domain_allow(&app, by, parse_id(&id)?).await?;
    Ok(Json(AdminDomainAllowEntity::from(&allow)))
}

async fn create_allow(
    State(app): State<App>,
    auth: Auth,
    Params { value: p, .. }: Params<DomainParams>,
) -> Result<Json<AdminDomainAllowEntity>, ApiError> {
    let by = auth.moderator_with("admin:write:domain_allows")?;
    let allow = allows::allow_domain(&app, by, p.domain.as_deref().unwrap_or_default()).await?;
    Ok(Json(AdminDomainAllowEntity::from(&allow)))
}

async fn delete_allow(State(app): State<App>, auth: Auth, Path(id): Path<String>) -> Result<Json<Value>, ApiError> {
    let by = auth.moderator_with("admin:write:domain_allows")?;
    allows::disallow_domain(&app, by, parse_id(&id)?).await?;
    Ok(Json(json!({})))
}

async fn list_email_blocks(
    State(app): State<App>,
    auth: Auth,
    OriginalUri(uri): OriginalUri,
    Params { value: p, .. }: Params<PageParams>,
) -> Result<(HeaderMap, Json<Vec<AdminEmailDomainBlockEntity>>), ApiError> {
    let by = auth.moderator_with("admin:read:email_domain_blocks")?;
    let page = p.page(100, 200).select(email_blocks::list_email_domain_blocks(&app, by).await?, |b| b.id);
    let headers = link_header(&app.config().base_url(), &uri, page.first().map(|b| b.id), page.last().map(|b| b.id));
    Ok((headers, Json(page.iter().map(AdminEmailDomainBlockEntity::from).collect())))
}

async fn get_email_block(
    State(app): State<App>,
    auth: Auth,
    Path(id): Path<String>,
) -> Result<Json<AdminEmailDomainBlockEntity>, ApiError> {
    let by = auth.moderator_with("admin:read:email_domain_blocks")?;
    let block = email_blocks::get_email_domain_block(&app, by, parse_id(&id)?).await?;
    Ok(Json(AdminEmailDomainBlockEntity::from(&block)))
}

async fn create_email_block(
    State(app): State<App>,
    auth: Auth,
    Params { value: p, .. }: Params<DomainParams>,
) -> Result<Json<AdminEmailDomainBlockEntity>, ApiError> {
    let by = auth.moderator_with("admin:write:email_domain_blocks")?;
    let block = email_blocks::block_email_domain(&app, by, p.domain.as_deref().unwrap_or_default()).await?;
    Ok(Json(AdminEmailDomainBlockEntity::from(&block)))
}

async fn delete_email_block(
    State(app): State<App>,
    auth: Auth,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let by = auth.moderator_with("admin:write:email_domain_blocks")?;
    email_blocks::unblock_email_domain(&app, by, parse_id(&id)?).await?;
    Ok(Json(json!({})))
}
