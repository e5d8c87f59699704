//! Server policy for admins and moderators: blocked and allowed domains, the rules,
//! and the audit log of every moderation action.

use app::App;
use app::moderation::domain_blocks::DomainBlockInput;
use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;

use super::{bad_id, moderator};
use crate::params::{Params, lenient};
use crate::web::actions::{ActionForm, check_form};
use crate::web::page::{Chrome, render};
use crate::web::{Visitor, WebError};

pub(super) fn routes() -> Router<App> {
    Router::new()
        .route("/admin/domain_blocks", get(domains).post(block_domain))
        .route("/admin/domain_blocks/{id}/delete", post(unblock_domain))
        .route("/admin/domain_allows", post(allow_domain))
        .route("/admin/domain_allows/{id}/delete", post(disallow_domain))
        .route("/admin/rules", get(rules).post(add_rule))
        .route("/admin/rules/{id}/delete", post(remove_rule))
        .route("/admin/action_logs", get(log))
}

#[derive(Template)]
#[template(path = "web/admin_domains.html")]
struct DomainsPage {
    chrome: Chrome,
    blocks: Vec<domain::DomainBlock>,
    allows: Vec<app::moderation::domain_allows::DomainAllow>,
    limited_federation: bool,
}

async fn domains(State(app): State<App>, visitor: Visitor) -> Result<Response, WebError> {
    let by = moderator(&visitor)?;
    let page = DomainsPage {
        chrome: Chrome::new(&app, &visitor, "Federation"),
        blocks: app::moderation::domain_blocks::list_domain_blocks(&app, by).await?,
        allows: app::moderation::domain_allows::list_domain_allows(&app, by).await?,
        limited_federation: app.config().limited_federation,
    };
    render(&visitor, &page)
}

#[derive(Debug, Deserialize)]
struct DomainForm {
    #[serde(default, deserialize_with = "lenient::opt_string")]
    authenticity_token: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    domain: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    severity: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_bool")]
    reject_media: Option<bool>,
    #[serde(default, deserialize_with = "lenient::opt_bool")]
    reject_reports: Option<bool>,
    #[serde(default, deserialize_with = "lenient::opt_bool")]
    obfuscate: Option<bool>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    public_comment: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    private_comment: Option<String>,
}

async fn block_domain(
    State(app): State<App>,
    visitor: Visitor,
    headers: HeaderMap,
    Params { value: f, .. }: Params<DomainForm>,
) -> Result<Response, WebError> {
    check_form(&headers, f.authenticity_token.as_deref())?;
    let by = moderator(&visitor)?;
    let input = DomainBlockInput {
        severity: f.severity,
        reject_media: Some(f.reject_media.unwrap_or(false)),
        reject_reports: Some(f.reject_reports.unwrap_or(false)),
        private_comment: f.private_comment,
        public_comment: f.public_comment,
        obfuscate: Some(f.obfuscate.unwrap_or(false)),
    };
    app::moderation::domain_blocks::block_domain(&app, by, &f.domain.unwrap_or_default(), input).await?;
    Ok(Redirect::to("/admin/domain_blocks").into_response())
}

async fn allow_domain(
    State(app): State<App>,
    visitor: Visitor,
    headers: HeaderMap,
    Params { value: f, .. }: Params<DomainForm>,
) -> Result<Response, WebError> {
    check_form(&headers, f.authenticity_token.as_deref())?;
    let by = moderator(&visitor)?;
    app::moderation::domain_allows::allow_domain(&app, by, &f.domain.unwrap_or_default()).await?;
    Ok(Redirect::to("/admin/domain_blocks").into_response())
}

/// A form posted to `.../{id}/delete`: its id, once the CSRF token is checked.
fn checked_id(headers: &HeaderMap, form: &ActionForm, id: &str) -> Result<domain::Id, WebError> {
    check_form(headers, form.authenticity_token.as_deref())?;
    id.parse().map_err(|_| bad_id())
}

async fn unblock_domain(
    State(app): State<App>,
    visitor: Visitor,
    headers: HeaderMap,
    Path(id): Path<String>,
    Params { value: form, .. }: Params<ActionForm>,
) -> Result<Response, WebError> {
    let id = checked_id(&headers, &form, &id)?;
    app::moderation::domain_blocks::unblock_domain(&app, moderator(&visitor)?, id).await?;
    Ok(Redirect::to("/admin/domain_blocks").into_response())
}

async fn disallow_domain(
    State(app): State<App>,
    visitor: Visitor,
    headers: HeaderMap,
    Path(id): Path<String>,
    Params { value: form, .. }: Params<ActionForm>,
) -> Result<Response, WebError> {
    let id = checked_id(&headers, &form, &id)?;
    app::moderation::domain_allows::disallow_domain(&app, moderator(&visitor)?, id).await?;
    Ok(Redirect::to("/admin/domain_blocks").into_response())
}

#[derive(Template)]
#[template(path = "web/admin_rules.html")]
struct RulesPage {
    chrome: Chrome,
    rules: Vec<store::ServerRule>,
}

async fn rules(State(app): State<App>, visitor: Visitor) -> Result<Response, WebError> {
    moderator(&visitor)?;
    let page = RulesPage {
        chrome: Chrome::new(&app, &visitor, "Rules"),
        rules: app::moderation::rules::list_rules(&app).await?,
    };
    render(&visitor, &page)
}

#[derive(Debug, Deserialize)]
struct RuleForm {
    #[serde(default, deserialize_with = "lenient::opt_string")]
    authenticity_token: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    text: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    hint: Option<String>,
}

async fn add_rule(
    State(app): State<App>,
    visitor: Visitor,
    headers: HeaderMap,
    Params { value: f, .. }: Params<RuleForm>,
) -> Result<Response, WebError> {
    check_form(&headers, f.authenticity_token.as_deref())?;
    let by = moderator(&visitor)?;
    app::moderation::rules::add_rule(&app, by, &f.text.unwrap_or_default(), &f.hint.unwrap_or_default()).await?;
    Ok(Redirect::to("/admin/rules").into_response())
}

async fn remove_rule(
    State(app): State<App>,
    visitor: Visitor,
    headers: HeaderMap,
    Path(id): Path<String>,
    Params { value: form, .. }: Params<ActionForm>,
) -> Result<Response, WebError> {
    let id = checked_id(&headers, &form, &id)?;
    app::moderation::rules::remove_rule(&app, moderator(&visitor)?, id).await?;
    Ok(Redirect::to("/admin/rules").into_response())
}

#[derive(Template)]
#[template(path = "web/admin_log.html")]
struct LogPage {
    chrome: Chrome,
    /// When, who (empty for the command line), what, on what.
    entries: Vec<(String, String, String, String)>,
}

async fn log(State(app): State<App>, visitor: Visitor) -> Result<Response, WebError> {
    let by = moderator(&visitor)?;
    let logged = app::moderation::list_log(&app, by, 200).await?;
    let ids: Vec<domain::Id> = logged.iter().filter_map(|e| e.account_id).collect();
    let names = app::accounts::list_accounts(&app, &ids).await?;
    let entries = logged
        .into_iter()
        .map(|e| {
            let who = e
                .account_id
                .and_then(|id| names.iter().find(|row| row.0.id == id))
                .map_or_else(|| "rookery admin".to_owned(), |row| format!("@{}", row.0.acct()));
            (crate::format::datetime(e.created_at), who, e.action, format!("{} {}", e.target_type, e.target))
        })
        .collect();
    render(&visitor, &LogPage { chrome: Chrome::new(&app, &visitor, "Audit log"), entries })
}
