//! `rookery admin domain-block|domain-allow|rule|log`: server policy from the command
//! line, through the same use cases as the admin API, logged as the operator's.

use app::App;
use app::moderation::domain_blocks::{self as blocks, DomainBlockInput};
use app::moderation::{Moderator, blocklists, domain_allows as allows, rules};

use crate::admin::explain;
use crate::cli::{
    DomainAllowCommand, DomainBlockCommand, EmailDomainBlockCommand, InviteCommand, ReportCommand, RuleCommand,
};

const OPERATOR: Moderator<'static> = Moderator::Operator;

pub async fn domain_block(app: &App, command: DomainBlockCommand) -> anyhow::Result<()> {
    match command {
        DomainBlockCommand::Add {
            host: domain,
            severity,
            reject_media,
            reject_reports,
            public_comment,
            private_comment,
            obfuscate,
        } => {
            let input = DomainBlockInput {
                severity,
                reject_media: Some(reject_media),
                reject_reports: Some(reject_reports),
                private_comment,
                public_comment,
                obfuscate: Some(obfuscate),
            };
            let block = match blocks::find_domain_block_by_domain(app, OPERATOR, &domain).await {
                Ok(existing) => blocks::update_domain_block(app, OPERATOR, existing.id, input).await,
                Err(app::AppError::NotFound(_)) => blocks::block_domain(app, OPERATOR, &domain, input).await,
                Err(e) => Err(e),
            }
            .map_err(explain)?;
            println!("{} is blocked ({})", block.domain, block.severity.as_str());
        }
        DomainBlockCommand::Remove { host: domain } => {
            let block = blocks::find_domain_block_by_domain(app, OPERATOR, &domain).await.map_err(explain)?;
            blocks::unblock_domain(app, OPERATOR, block.id).await.map_err(explain)?;
            println!("{} is no longer blocked", block.domain);
        }
        DomainBlockCommand::List => {
            println!("{:<40} {:<8} {:<6} {:<7} public comment", "domain", "severity", "media", "reports");
            for b in blocks::list_domain_blocks(app, OPERATOR).await.map_err(explain)? {
                let yes_no = |v: bool| if v { "reject" } else { "-" };
                let (media, reports) = (yes_no(b.reject_media), yes_no(b.reject_reports));
                println!("{:<40} {:<8} {media:<6} {reports:<7} {}", b.domain, b.severity.as_str(), b.public_comment);
            }
        }
        DomainBlockCommand::Import { file } => {
            let text =
                std::fs::read_to_string(&file).map_err(|e| anyhow::anyhow!("cannot read {}: {e}", file.display()))?;
            let imported = blocklists::import_csv(app, OPERATOR, &text).await.map_err(explain)?;
            println!("blocked {} domains; {} were already blocked", imported.added.len(), imported.skipped.len());
        }
        DomainBlockCommand::Export => print!("{}", blocklists::export_csv(app, OPERATOR).await.map_err(explain)?),
    }
    Ok(())
}

pub async fn domain_allow(app: &App, command: DomainAllowCommand) -> anyhow::Result<()> {
    match command {
        DomainAllowCommand::Add { host: domain } => {
            let allow = allows::allow_domain(app, OPERATOR, &domain).await.map_err(explain)?;
            println!("{} is allowed", allow.domain);
        }
        DomainAllowCommand::Remove { host: domain } => {
            let wanted = domain::normalize_domain(&domain)?;
            let listed = allows::list_domain_allows(app, OPERATOR).await.map_err(explain)?;
            let allow = listed
                .into_iter()
                .find(|a| a.domain == wanted)
                .ok_or_else(|| anyhow::anyhow!("{wanted} is not allowed"))?;
            allows::disallow_domain(app, OPERATOR, allow.id).await.map_err(explain)?;
            println!("{} is no longer allowed", allow.domain);
        }
        DomainAllowCommand::List => {
            for allow in allows::list_domain_allows(app, OPERATOR).await.map_err(explain)? {
                println!("{}", allow.domain);
            }
        }
    }
    Ok(())
}

pub async fn rule(app: &App, command: RuleCommand) -> anyhow::Result<()> {
    match command {
        RuleCommand::Add { text, hint } => {
            let rule = rules::add_rule(app, OPERATOR, &text, &hint).await.map_err(explain)?;
            println!("added rule {} with id {}", rule.position, rule.id);
        }
        RuleCommand::Remove { id } => {
            let id = id.parse().map_err(|_| anyhow::anyhow!("`{id}` is not a rule id"))?;
            rules::remove_rule(app, OPERATOR, id).await.map_err(explain)?;
            println!("rule {id} removed");
        }
        RuleCommand::List => {
            for rule in rules::list_rules(app).await.map_err(explain)? {
                println!("{:<20} {}", rule.id.to_string(), rule.text);
            }
        }
    }
    Ok(())
}

pub async fn log(app: &App, limit: u32) -> anyhow::Result<()> {
    for entry in app::moderation::list_log(app, OPERATOR, limit).await.map_err(explain)? {
        let who = entry.account_id.map_or_else(|| "operator".to_owned(), |id| format!("account {id}"));
        let when = api::format::datetime(entry.created_at);
        println!("{when} {who}: {} {} {}", entry.action, entry.target_type, entry.target);
    }
    Ok(())
}

pub async fn invite(app: &App, command: InviteCommand) -> anyhow::Result<()> {
    use app::registrations as r;
    match command {
        InviteCommand::Create { max_uses, expires_in } => {
            let invite = r::create_invite(app, OPERATOR, max_uses, expires_in).await.map_err(explain)?;
            println!("{}", r::invite_url(app, &invite.code));
        }
        InviteCommand::List => {
            for i in r::list_invites(app, OPERATOR).await.map_err(explain)? {
                let uses = i.max_uses.map_or_else(|| format!("{}", i.uses), |max| format!("{}/{max}", i.uses));
                let state = if i.revoked_at.is_some() { "revoked" } else { "" };
                let expires = i.expires_at.map(api::format::datetime).unwrap_or_else(|| "never".into());
                println!("{} uses {uses} expires {expires} {state}", r::invite_url(app, &i.code));
            }
        }
        InviteCommand::Revoke { code } => {
            r::revoke_invite(app, OPERATOR, &code).await.map_err(explain)?;
            println!("invite {code} revoked");
        }
    }
    Ok(())
}

/// `account moderate`: the admin API's account actions, for the operator.
pub async fn moderate(app: &App, acct: &str, action: &str) -> anyhow::Result<()> {
    use app::moderation::accounts::{self as accounts, AccountAction, Lift};
    let id = accounts::find_by_acct(app, OPERATOR, acct).await.map_err(explain)?;
    let lift = match action {
        "unsuspend" => Some(Lift::Unsuspend),
        "unsilence" => Some(Lift::Unsilence),
        "unsensitive" => Some(Lift::Unsensitive),
        "enable" => Some(Lift::Enable),
        _ => None,
    };
    match lift {
        Some(what) => accounts::lift(app, OPERATOR, id, what).await.map(|_| ()),
        None => match AccountAction::parse(action) {
            Ok(action) => accounts::act(app, OPERATOR, id, action, None).await,
            Err(e) => Err(e),
        },
    }
    .map_err(explain)
}

pub async fn delete_status(app: &App, id: &str) -> anyhow::Result<()> {
    let id = id.parse().map_err(|_| anyhow::anyhow!("`{id}` is not a post id"))?;
    app::moderation::statuses::remove_status(app, OPERATOR, id).await.map_err(explain)?;
    println!("post {id} removed");
    Ok(())
}

pub async fn email_domain_block(app: &App, command: EmailDomainBlockCommand) -> anyhow::Result<()> {
    use app::moderation::email_domain_blocks as blocks;
    match command {
        EmailDomainBlockCommand::Add { host } => {
            let block = blocks::block_email_domain(app, OPERATOR, &host).await.map_err(explain)?;
            println!("sign-ups from {} are refused", block.domain);
        }
        EmailDomainBlockCommand::Remove { host } => {
            let wanted = domain::normalize_domain(&host)?;
            let listed = blocks::list_email_domain_blocks(app, OPERATOR).await.map_err(explain)?;
            let block = listed
                .into_iter()
                .find(|b| b.domain == wanted)
                .ok_or_else(|| anyhow::anyhow!("{wanted} is not blocked"))?;
            blocks::unblock_email_domain(app, OPERATOR, block.id).await.map_err(explain)?;
            println!("sign-ups from {} are taken again", block.domain);
        }
        EmailDomainBlockCommand::List => {
            for block in blocks::list_email_domain_blocks(app, OPERATOR).await.map_err(explain)? {
                println!("{}", block.domain);
            }
        }
    }
    Ok(())
}

pub async fn report(app: &App, command: ReportCommand) -> anyhow::Result<()> {
    use app::moderation::reports::{self as reports, ReportChange};
    let parse = |id: &str| id.parse::<domain::Id>().map_err(|_| anyhow::anyhow!("`{id}` is not a report id"));
    match command {
        ReportCommand::List { resolved } => {
            let filter = store::ReportFilter { resolved, ..Default::default() };
            let page = domain::Page::new(None, None, None, Some(200), 200, 200);
            for view in reports::list_reports(app, OPERATOR, &filter, &page).await.map_err(explain)? {
                let name = |(a, _): &(domain::Account, Option<domain::LocalUser>)| match &a.domain {
                    Some(d) => format!("{}@{d}", a.username),
                    None => a.username.clone(),
                };
                let r = &view.report;
                let posts = r.status_ids.len();
                println!(
                    "{:<20} {} {} reported {} ({}, {posts} posts): {}",
                    r.id.to_string(),
                    api::format::datetime(r.created_at),
                    name(&view.account),
                    name(&view.target_account),
                    r.category,
                    r.comment
                );
            }
        }
        ReportCommand::Resolve { id } => {
            reports::change_report(app, OPERATOR, parse(&id)?, ReportChange::Resolve).await.map_err(explain)?;
            println!("report {id} resolved");
        }
        ReportCommand::Reopen { id } => {
            reports::change_report(app, OPERATOR, parse(&id)?, ReportChange::Reopen).await.map_err(explain)?;
            println!("report {id} reopened");
        }
    }
    Ok(())
}
