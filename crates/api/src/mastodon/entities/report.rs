//! Mastodon's Report (as its reporter sees it), Admin::Report and Admin::Account.

use app::Config;
use app::moderation::reports::ReportView;
use domain::{Account, LocalUser, Role};
use serde::Serialize;
use serde_json::{Value, json};
use store::Report;

use super::account::AccountEntity;
use super::instance::RuleEntity;
use super::status::StatusEntity;
use crate::format::datetime;

#[derive(Debug, Serialize)]
pub(crate) struct ReportEntity {
    id: String,
    action_taken: bool,
    action_taken_at: Option<String>,
    category: String,
    comment: String,
    forwarded: bool,
    created_at: String,
    status_ids: Vec<String>,
    rule_ids: Option<Vec<String>>,
    target_account: AccountEntity,
}

impl ReportEntity {
    pub(crate) fn new(config: &Config, report: &Report, target: &Account) -> Self {
        let ids = |ids: &[domain::Id]| ids.iter().map(ToString::to_string).collect::<Vec<_>>();
        ReportEntity {
            id: report.id.to_string(),
            action_taken: report.action_taken_at.is_some(),
            action_taken_at: report.action_taken_at.map(datetime),
            category: report.category.clone(),
            comment: report.comment.clone(),
            forwarded: report.forwarded,
            created_at: datetime(report.created_at),
            status_ids: ids(&report.status_ids),
            rule_ids: Some(ids(&report.rule_ids)).filter(|r| !r.is_empty()),
            target_account: AccountEntity::new(config, target, None),
        }
    }
}

#[derive(Debug, Serialize)]
pub(crate) struct AdminAccountEntity {
    id: String,
    username: String,
    domain: Option<String>,
    created_at: String,
    email: Option<String>,
    ip: Option<String>,
    ips: Vec<Value>,
    locale: Option<String>,
    invite_request: Option<String>,
    role: Option<Value>,
    confirmed: bool,
    approved: bool,
    disabled: bool,
    silenced: bool,
    suspended: bool,
    sensitized: bool,
    account: AccountEntity,
}

impl AdminAccountEntity {
    pub(crate) fn new(config: &Config, (account, user): &(Account, Option<LocalUser>)) -> Self {
        let role = user.as_ref().map(|u| {
            let id = match u.role {
                Role::User => "-99",
                Role::Moderator => "1",
                Role::Admin => "2",
            };
            json!({"id": id, "name": u.role.display_name(), "color": "", "permissions": "0",
                   "highlighted": u.role != Role::User})
        });
        AdminAccountEntity {
            id: account.id.to_string(),
            username: account.username.clone(),
            domain: account.domain.clone(),
            created_at: datetime(account.created_at),
            email: user.as_ref().map(|u| u.email.as_str().to_owned()),
            ip: None,
            ips: Vec::new(),
            locale: user.as_ref().map(|_| String::new()),
            invite_request: None,
            role,
            confirmed: user.is_some(),
            approved: user.as_ref().is_none_or(|u| u.approved),
            disabled: account.moderation.disabled_at.is_some(),
            silenced: account.moderation.silenced_at.is_some(),
            suspended: account.moderation.suspended_at.is_some(),
            sensitized: account.moderation.sensitized_at.is_some(),
            account: AccountEntity::new(config, account, user.as_ref().map(|u| u.role)),
        }
    }
}

#[derive(Debug, Serialize)]
pub(crate) struct AdminReportEntity {
    id: String,
    action_taken: bool,
    action_taken_at: Option<String>,
    category: String,
    comment: String,
    forwarded: bool,
    created_at: String,
    updated_at: String,
    account: AdminAccountEntity,
    target_account: AdminAccountEntity,
    assigned_account: Option<AdminAccountEntity>,
    action_taken_by_account: Option<AdminAccountEntity>,
    statuses: Vec<StatusEntity>,
    rules: Vec<RuleEntity>,
}

impl AdminReportEntity {
    pub(crate) fn new(config: &Config, view: &ReportView, statuses: Vec<StatusEntity>) -> Self {
        let r = &view.report;
        let rule = |rule: &store::ServerRule| {
            RuleEntity::from(&app::instance::Rule {
                id: rule.id.to_string(),
                text: rule.text.clone(),
                hint: rule.hint.clone(),
            })
        };
        AdminReportEntity {
            id: r.id.to_string(),
            action_taken: r.action_taken_at.is_some(),
            action_taken_at: r.action_taken_at.map(datetime),
            category: r.category.clone(),
            comment: r.comment.clone(),
            forwarded: r.forwarded,
            created_at: datetime(r.created_at),
            updated_at: datetime(r.updated_at),
            account: AdminAccountEntity::new(config, &view.account),
            target_account: AdminAccountEntity::new(config, &view.target_account),
            assigned_account: view.assigned_account.as_ref().map(|a| AdminAccountEntity::new(config, a)),
            action_taken_by_account: view.action_taken_by_account.as_ref().map(|a| AdminAccountEntity::new(config, a)),
            statuses,
            rules: view.rules.iter().map(rule).collect(),
        }
    }
}
