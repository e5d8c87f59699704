//! Reports: people report an account (and some of its posts) to their moderators, and
//! may have the report forwarded, anonymously, to the account's own server as a Flag
//! from the instance actor; other servers' Flags arrive as reports here. Moderators
//! assign, resolve and reopen them.

use domain::{Account, Id, Page, Role, ValidationError};
use serde_json::{Value, json};
use store::{Report, ReportFilter};

use super::{Moderator, log, policy};
use crate::federation::ingest::id_of;
use crate::federation::{outbox, remote};
use crate::{App, AppError, Result, now_millis};

/// Mastodon's categories.
const CATEGORIES: [&str; 4] = ["spam", "legal", "violation", "other"];
const MAX_COMMENT_CHARS: usize = 1000;
/// A remote server's comment is kept up to this length.
const MAX_REMOTE_COMMENT_CHARS: usize = 5000;

/// A report as a person files it.
#[derive(Debug, Clone)]
pub struct ReportInput {
    pub account_id: Id,
    pub status_ids: Vec<Id>,
    pub comment: String,
    pub category: Option<String>,
    pub rule_ids: Vec<Id>,
    /// Whether a copy goes to the reported account's server.
    pub forward: bool,
}

/// `reporter` reports an account. The posts must be the account's and visible to the
/// reporter; rules must exist. A copy goes to a remote account's server when asked for.
/// Returns the report and the reported account.
pub async fn file_report(app: &App, reporter: &Account, input: ReportInput) -> Result<(Report, Account)> {
    let target = app.store().find_account_by_id(input.account_id).await?.ok_or(AppError::NotFound("account"))?;
    if target.id == reporter.id {
        return Err(ValidationError::field("account_id", "ERR_INVALID", "cannot be yourself").into());
    }
    if input.comment.chars().count() > MAX_COMMENT_CHARS {
        return Err(
            ValidationError::field("comment", "ERR_TOO_LONG", "is too long (maximum is 1000 characters)").into()
        );
    }
    let category = match input.category.as_deref().map(str::trim).filter(|c| !c.is_empty()) {
        Some(c) if CATEGORIES.contains(&c) => c.to_owned(),
        Some(_) => {
            return Err(ValidationError::field("category", "ERR_INCLUSION", "is not included in the list").into());
        }
        None if !input.rule_ids.is_empty() => "violation".to_owned(),
        None => "other".to_owned(),
    };
    let rules = super::rules::list_rules(app).await?;
    if input.rule_ids.iter().any(|id| !rules.iter().any(|r| r.id == *id)) {
        return Err(ValidationError::field("rule_ids", "ERR_INVALID", "names a rule that does not exist").into());
    }
    let mut statuses = Vec::new();
    for id in &input.status_ids {
        let status = crate::statuses::get_status(app, Some(reporter.id), *id).await?;
        if status.account_id != target.id {
            return Err(AppError::NotFound("status"));
        }
        statuses.push(status);
    }
    let now = now_millis();
    let id = app.ids().next();
    let forward = input.forward && !target.is_local();
    let report = Report {
        id,
        account_id: reporter.id,
        target_account_id: target.id,
        status_ids: statuses.iter().map(|s| s.id).collect(),
        rule_ids: if category == "violation" { input.rule_ids } else { Vec::new() },
        comment: input.comment,
        category,
        forwarded: forward,
        uri: Some(format!("{}/reports/{id}", app.config().base_url())),
        assigned_account_id: None,
        action_taken_by_account_id: None,
        action_taken_at: None,
        created_at: now,
        updated_at: now,
    };
    app.store().insert_report(&report).await?;
    if forward {
        let Some(inbox) = outbox::remote_inbox(app, target.id).await? else { return Ok((report, target)) };
        let objects: Vec<Value> = std::iter::once(target.uri.clone().unwrap_or_default())
            .chain(statuses.iter().map(|s| s.uri.clone()))
            .map(Value::String)
            .collect();
        let flag = json!({
            "@context": "https://www.w3.org/ns/activitystreams",
            "id": report.uri,
            "type": "Flag",
            "actor": format!("{}/actor", app.config().base_url()),
            "content": report.comment,
            "object": objects,
        });
        // Signed by the server, not the reporter: a forwarded report is anonymous.
        outbox::enqueue_signed(app, reporter, true, &flag, vec![inbox]).await?;
    }
    Ok((report, target))
}

/// Another server's Flag: a report of a local account (and its posts) by `signer`.
/// Dropped when the domain's reports are rejected; a repeat changes nothing.
pub(crate) async fn receive_flag(app: &App, signer: &Account, activity: &Value) -> Result<()> {
    let host = signer.domain.clone().unwrap_or_default();
    if policy::current(app).await?.rejects_reports(&host) {
        return Ok(());
    }
    let objects: Vec<&str> = match activity.get("object") {
        Some(Value::Array(items)) => items.iter().filter_map(id_of).collect(),
        Some(one) => id_of(one).into_iter().collect(),
        None => Vec::new(),
    };
    let mut target = None;
    let mut statuses = Vec::new();
    for uri in objects.iter().filter(|u| remote::is_local_uri(app, u)) {
        if let Some(account) = crate::federation::actors::find_local_account_by_uri(app, uri).await? {
            target.get_or_insert(account);
        } else if let Some(status) = app.store().find_status_by_uri(uri).await? {
            statuses.push(status);
        }
    }
    let target = match target {
        Some(t) => t,
        // Mastodon's Flags may name only posts; their author is the one reported.
        None => match statuses.first() {
            Some(s) => app.store().find_account_by_id(s.account_id).await?.ok_or(AppError::NotFound("account"))?,
            None => return Ok(()),
        },
    };
    let comment =
        crate::federation::sanitize::plain(activity.get("content").and_then(Value::as_str).unwrap_or_default());
    let now = now_millis();
    let report = Report {
        id: app.ids().next(),
        account_id: signer.id,
        target_account_id: target.id,
        status_ids: statuses.iter().filter(|s| s.account_id == target.id).map(|s| s.id).collect(),
        rule_ids: Vec::new(),
        comment: comment.chars().take(MAX_REMOTE_COMMENT_CHARS).collect(),
        category: "other".into(),
        forwarded: false,
        uri: activity.get("id").and_then(Value::as_str).map(str::to_owned),
        assigned_account_id: None,
        action_taken_by_account_id: None,
        action_taken_at: None,
        created_at: now,
        updated_at: now,
    };
    match app.store().insert_report(&report).await {
        Ok(()) | Err(store::StoreError::Conflict(_)) => Ok(()),
        Err(e) => Err(e.into()),
    }
}

/// A page of reports, for moderators.
pub async fn list_reports(app: &App, by: Moderator<'_>, filter: &ReportFilter, page: &Page) -> Result<Vec<ReportView>> {
    by.require(Role::Moderator)?;
    view_reports(app, app.store().list_reports(filter, page).await?).await
}

pub async fn get_report(app: &App, by: Moderator<'_>, id: Id) -> Result<ReportView> {
    by.require(Role::Moderator)?;
    let report = app.store().find_report(id).await?.ok_or(AppError::NotFound("report"))?;
    Ok(view_reports(app, vec![report]).await?.remove(0))
}

/// What a moderator does with a report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportChange {
    AssignToSelf,
    Unassign,
    Resolve,
    Reopen,
}

/// Assigns, resolves or reopens a report (moderators); logged.
pub async fn change_report(app: &App, by: Moderator<'_>, id: Id, change: ReportChange) -> Result<ReportView> {
    let actor = by.require(Role::Moderator)?;
    let now = now_millis();
    let (done, action) = match change {
        ReportChange::AssignToSelf => (app.store().update_report_assignee(id, actor, now).await?, "assigned_to_self"),
        ReportChange::Unassign => (app.store().update_report_assignee(id, None, now).await?, "unassigned"),
        ReportChange::Resolve => (app.store().update_report_resolution(id, Some((now, actor)), now).await?, "resolve"),
        ReportChange::Reopen => (app.store().update_report_resolution(id, None, now).await?, "reopen"),
    };
    if !done {
        return Err(AppError::NotFound("report"));
    }
    log(app, actor, action, "Report", &id.to_string()).await?;
    get_report(app, by, id).await
}

/// A report with what a moderator reads beside it.
#[derive(Debug, Clone)]
pub struct ReportView {
    pub report: Report,
    /// The reporter and the reported, each with their user when local.
    pub account: (Account, Option<domain::LocalUser>),
    pub target_account: (Account, Option<domain::LocalUser>),
    pub assigned_account: Option<(Account, Option<domain::LocalUser>)>,
    pub action_taken_by_account: Option<(Account, Option<domain::LocalUser>)>,
    pub statuses: Vec<std::sync::Arc<domain::Status>>,
    pub rules: Vec<store::ServerRule>,
}

/// Loads what [`ReportView`] shows for each report.
async fn view_reports(app: &App, reports: Vec<Report>) -> Result<Vec<ReportView>> {
    let rules = super::rules::list_rules(app).await?;
    let mut views = Vec::with_capacity(reports.len());
    for report in reports {
        let account = with_user(app, report.account_id).await?.ok_or(AppError::NotFound("account"))?;
        let target_account = with_user(app, report.target_account_id).await?.ok_or(AppError::NotFound("account"))?;
        let assigned_account = match report.assigned_account_id {
            Some(id) => with_user(app, id).await?,
            None => None,
        };
        let action_taken_by_account = match report.action_taken_by_account_id {
            Some(id) => with_user(app, id).await?,
            None => None,
        };
        let statuses = app.store().list_statuses(&report.status_ids).await?;
        let rules = rules.iter().filter(|r| report.rule_ids.contains(&r.id)).cloned().collect();
        views.push(ReportView {
            report,
            account,
            target_account,
            assigned_account,
            action_taken_by_account,
            statuses,
            rules,
        });
    }
    Ok(views)
}

async fn with_user(app: &App, id: Id) -> Result<Option<(Account, Option<domain::LocalUser>)>> {
    if let Some((account, user)) = app.store().find_local_user_by_account_id(id).await? {
        return Ok(Some((account, Some(user))));
    }
    Ok(app.store().find_account_by_id(id).await?.map(|a| (a, None)))
}
