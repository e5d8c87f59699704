//! Reporting an account (and some of its posts) to the moderators, as Mastodon's report
//! dialog does: a category, the rules broken, a comment, the posts, and for an account
//! on another server whether a copy goes to its moderators.

use app::App;
use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::Response;
use axum::routing::get;
use domain::Id;
use serde::Deserialize;
use store::AccountStatusesFilter;

use super::page::{Chrome, render};
use super::posts::{PostView, views};
use super::{Visitor, WebError, actions};
use crate::mastodon::entities::account::AccountEntity;
use crate::params::{Params, lenient};

pub(super) fn routes() -> Router<App> {
    Router::new().route("/web/accounts/{id}/report", get(show).post(file))
}

const CATEGORIES: [(&str, &str); 4] = [
    ("spam", "It's spam: links, fake engagement, repeated replies"),
    ("legal", "It's illegal where I or the server are"),
    ("violation", "It breaks the server's rules"),
    ("other", "Something else"),
];

#[derive(Template)]
#[template(path = "web/report.html")]
struct ReportPage {
    chrome: Chrome,
    account: AccountEntity,
    account_id: String,
    remote: bool,
    categories: [(&'static str, &'static str); 4],
    rules: Vec<(String, String)>,
    posts: Vec<PostView>,
    chosen: Vec<String>,
    done: bool,
}

#[derive(Debug, Deserialize)]
struct ShowParams {
    #[serde(default, deserialize_with = "lenient::opt_string")]
    status_id: Option<String>,
}

async fn page(app: &App, visitor: &Visitor, target: Id, chosen: Vec<String>, done: bool) -> Result<Response, WebError> {
    let (reader, _) = visitor.signed_in()?;
    let (account, role) = app::accounts::get_account(app, target).await?;
    let filter =
        AccountStatusesFilter { exclude_replies: false, exclude_reblogs: true, only_media: false, tagged: None };
    let recent = domain::Page { max_id: None, since_id: None, min_id: None, limit: 20 };
    let statuses = app::timelines::account_statuses(app, Some(reader.id), target, filter, &recent).await?;
    let rules =
        app::moderation::rules::list_rules(app).await?.into_iter().map(|r| (r.id.to_string(), r.text)).collect();
    let entity = AccountEntity::new(app.config(), &account, role);
    let page = ReportPage {
        chrome: Chrome::new(app, visitor, format!("Report @{}", entity.acct)),
        account_id: account.id.to_string(),
        remote: !account.is_local(),
        categories: CATEGORIES,
        rules,
        posts: views(app, &statuses, Some(reader.id)).await?,
        chosen,
        done,
        account: entity,
    };
    render(visitor, &page)
}

fn account_id(text: &str) -> Result<Id, WebError> {
    text.parse().map_err(|_| WebError::Api(crate::ApiError::not_found()))
}

async fn show(
    State(app): State<App>,
    visitor: Visitor,
    Path(id): Path<String>,
    Params { value: p, .. }: Params<ShowParams>,
) -> Result<Response, WebError> {
    page(&app, &visitor, account_id(&id)?, p.status_id.into_iter().collect(), false).await
}

#[derive(Debug, Deserialize)]
struct ReportForm {
    #[serde(default, deserialize_with = "lenient::opt_string")]
    authenticity_token: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    category: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    comment: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_bool")]
    forward: Option<bool>,
    #[serde(default, deserialize_with = "lenient::string_list")]
    status_ids: Vec<String>,
    #[serde(default, deserialize_with = "lenient::string_list")]
    rule_ids: Vec<String>,
}

async fn file(
    State(app): State<App>,
    visitor: Visitor,
    headers: HeaderMap,
    Path(id): Path<String>,
    Params { value: form, .. }: Params<ReportForm>,
) -> Result<Response, WebError> {
    let (reporter, _) = visitor.signed_in()?;
    actions::check_form(&headers, form.authenticity_token.as_deref())?;
    let target = account_id(&id)?;
    let ids = |list: &[String]| list.iter().filter_map(|s| s.parse().ok()).collect();
    let input = app::moderation::reports::ReportInput {
        account_id: target,
        status_ids: ids(&form.status_ids),
        comment: form.comment.unwrap_or_default(),
        category: form.category,
        rule_ids: ids(&form.rule_ids),
        forward: form.forward.unwrap_or(false),
    };
    app::moderation::reports::file_report(&app, reporter, input).await?;
    page(&app, &visitor, target, Vec::new(), true).await
}
