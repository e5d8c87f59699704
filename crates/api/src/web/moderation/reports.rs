//! Reports: the open (or resolved) ones, one report with the posts it names and the
//! reporter's words, and what a moderator does with it: assign, resolve, reopen, act on
//! the account, remove a post.

use app::App;
use app::moderation::reports::ReportChange;
use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use store::ReportFilter;

use super::{AccountRow, bad_id, moderator};
use crate::params::{Params, lenient};
use crate::web::actions::{ActionForm, back, check_form};
use crate::web::page::{Chrome, render};
use crate::web::posts::{PostView, views};
use crate::web::{Visitor, WebError};

pub(super) fn routes() -> Router<App> {
    Router::new()
        .route("/admin/reports", get(list))
        .route("/admin/reports/{id}", get(show))
        .route("/admin/reports/{id}/{change}", post(change))
        .route("/admin/statuses/{id}/delete", post(remove_status))
}

pub(crate) struct ReportRow {
    pub id: String,
    pub target: AccountRow,
    pub reporter: AccountRow,
    pub category: String,
    pub comment: String,
    pub created: String,
    pub resolved: bool,
    pub assigned: Option<String>,
    pub remote: bool,
}

impl ReportRow {
    fn new(app: &App, view: &app::moderation::reports::ReportView) -> Self {
        let r = &view.report;
        ReportRow {
            id: r.id.to_string(),
            target: AccountRow::new(app, &view.target_account.0, view.target_account.1.as_ref()),
            reporter: AccountRow::new(app, &view.account.0, view.account.1.as_ref()),
            category: r.category.clone(),
            comment: r.comment.clone(),
            created: crate::format::date(r.created_at),
            resolved: r.action_taken_at.is_some(),
            assigned: view.assigned_account.as_ref().map(|(a, _)| a.acct()),
            remote: !view.account.0.is_local(),
        }
    }
}

#[derive(Template)]
#[template(path = "web/admin_reports.html")]
struct ReportsPage {
    chrome: Chrome,
    resolved: bool,
    reports: Vec<ReportRow>,
}

#[derive(Debug, Deserialize)]
struct ListParams {
    #[serde(default, deserialize_with = "lenient::opt_bool")]
    resolved: Option<bool>,
}

async fn list(
    State(app): State<App>,
    visitor: Visitor,
    Params { value: p, .. }: Params<ListParams>,
) -> Result<Response, WebError> {
    let by = moderator(&visitor)?;
    let resolved = p.resolved == Some(true);
    let filter = ReportFilter { resolved, ..Default::default() };
    let page = domain::Page { max_id: None, since_id: None, min_id: None, limit: 100 };
    let found = app::moderation::reports::list_reports(&app, by, &filter, &page).await?;
    let reports = found.iter().map(|v| ReportRow::new(&app, v)).collect();
    render(&visitor, &ReportsPage { chrome: Chrome::new(&app, &visitor, "Reports"), resolved, reports })
}

#[derive(Template)]
#[template(path = "web/admin_report.html")]
struct ReportPage {
    chrome: Chrome,
    report: ReportRow,
    rules: Vec<String>,
    posts: Vec<PostView>,
}

async fn show(State(app): State<App>, visitor: Visitor, Path(id): Path<String>) -> Result<Response, WebError> {
    let by = moderator(&visitor)?;
    let view = app::moderation::reports::get_report(&app, by, id.parse().map_err(|_| bad_id())?).await?;
    let rules = view.rules.iter().filter(|r| view.report.rule_ids.contains(&r.id)).map(|r| r.text.clone()).collect();
    let page = ReportPage {
        chrome: Chrome::new(&app, &visitor, format!("Report #{}", view.report.id)),
        report: ReportRow::new(&app, &view),
        rules,
        posts: views(&app, &view.statuses, visitor.viewer()).await?,
    };
    render(&visitor, &page)
}

async fn change(
    State(app): State<App>,
    visitor: Visitor,
    headers: HeaderMap,
    Path((id, change)): Path<(String, String)>,
    Params { value: form, .. }: Params<ActionForm>,
) -> Result<Response, WebError> {
    check_form(&headers, form.authenticity_token.as_deref())?;
    let by = moderator(&visitor)?;
    let change = match change.as_str() {
        "assign_to_self" => ReportChange::AssignToSelf,
        "unassign" => ReportChange::Unassign,
        "resolve" => ReportChange::Resolve,
        "reopen" => ReportChange::Reopen,
        _ => return Err(WebError::Api(crate::ApiError::no_route())),
    };
    app::moderation::reports::change_report(&app, by, id.parse().map_err(|_| bad_id())?, change).await?;
    Ok(Redirect::to(back(form.return_to.as_deref(), None)).into_response())
}

async fn remove_status(
    State(app): State<App>,
    visitor: Visitor,
    headers: HeaderMap,
    Path(id): Path<String>,
    Params { value: form, .. }: Params<ActionForm>,
) -> Result<Response, WebError> {
    check_form(&headers, form.authenticity_token.as_deref())?;
    let by = moderator(&visitor)?;
    app::moderation::statuses::remove_status(&app, by, id.parse().map_err(|_| bad_id())?).await?;
    Ok(Redirect::to(back(form.return_to.as_deref(), None)).into_response())
}
