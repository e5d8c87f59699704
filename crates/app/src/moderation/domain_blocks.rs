//! Domain blocks as Mastodon's admins set them: a severity (noop, limit, suspend) and
//! the media and reports flags, on a domain and its subdomains. Suspending a domain
//! ends every follow across it, drops what is queued for it and its notifications here.

use domain::{DomainBlock, Id, Role, Severity, ValidationError, normalize_domain};

use super::{Moderator, log, policy};
use crate::config::Audience;
use crate::{App, AppError, Result, now_millis};

/// A block's settings as given; what is left out keeps its value (or Mastodon's default).
#[derive(Debug, Clone, Default)]
pub struct DomainBlockInput {
    pub severity: Option<String>,
    pub reject_media: Option<bool>,
    pub reject_reports: Option<bool>,
    pub private_comment: Option<String>,
    pub public_comment: Option<String>,
    pub obfuscate: Option<bool>,
}

const MAX_COMMENT_CHARS: usize = 1000;

/// Blocks `domain` (admins only). A block of the same domain, or a block of a parent
/// domain that is at least as strict, is an error naming it.
pub async fn block_domain(app: &App, by: Moderator<'_>, domain: &str, input: DomainBlockInput) -> Result<DomainBlock> {
    let actor = by.require(Role::Admin)?;
    let domain = normalize_domain(domain)?;
    if domain == app.config().domain.to_ascii_lowercase() {
        return Err(ValidationError::field("domain", "ERR_INVALID", "is this server's own domain").into());
    }
    let now = now_millis();
    let block = settle(
        DomainBlock {
            id: app.ids().next(),
            domain,
            severity: Severity::Silence,
            reject_media: false,
            reject_reports: false,
            private_comment: String::new(),
            public_comment: String::new(),
            obfuscate: false,
            created_at: now,
            updated_at: now,
        },
        input,
    )?;
    if let Some(existing) = policy::current(app).await?.block_for(&block.domain)
        && (existing.domain == block.domain || existing.severity >= block.severity)
    {
        let description = format!("is already blocked by the block of {}", existing.domain);
        return Err(ValidationError::field("domain", "ERR_TAKEN", description).into());
    }
    app.store().insert_domain_block(&block).await.map_err(|e| match e {
        store::StoreError::Conflict(_) => ValidationError::field("domain", "ERR_TAKEN", "is already blocked").into(),
        other => AppError::from(other),
    })?;
    log(app, actor, "create", "DomainBlock", &block.domain).await?;
    policy::forget(app);
    if block.severity == Severity::Suspend {
        sever_domain(app, &block.domain).await?;
    }
    Ok(block)
}

/// Changes a block's settings (admins only); a change to suspend severs as a new block would.
pub async fn update_domain_block(app: &App, by: Moderator<'_>, id: Id, input: DomainBlockInput) -> Result<DomainBlock> {
    let actor = by.require(Role::Admin)?;
    let before = app.store().find_domain_block(id).await?.ok_or(AppError::NotFound("domain block"))?;
    let mut block = settle(before.clone(), input)?;
    block.updated_at = now_millis();
    if !app.store().update_domain_block(&block).await? {
        return Err(AppError::NotFound("domain block"));
    }
    log(app, actor, "update", "DomainBlock", &block.domain).await?;
    policy::forget(app);
    if block.severity == Severity::Suspend && before.severity != Severity::Suspend {
        sever_domain(app, &block.domain).await?;
    }
    Ok(block)
}

/// Lifts a block (admins only); returns it as it was.
pub async fn unblock_domain(app: &App, by: Moderator<'_>, id: Id) -> Result<DomainBlock> {
    let actor = by.require(Role::Admin)?;
    let block = app.store().find_domain_block(id).await?.ok_or(AppError::NotFound("domain block"))?;
    if !app.store().delete_domain_block(id).await? {
        return Err(AppError::NotFound("domain block"));
    }
    log(app, actor, "destroy", "DomainBlock", &block.domain).await?;
    policy::forget(app);
    Ok(block)
}

/// Every block, for admins.
pub async fn list_domain_blocks(app: &App, by: Moderator<'_>) -> Result<Vec<DomainBlock>> {
    by.require(Role::Admin)?;
    Ok(app.store().list_domain_blocks().await?)
}

pub async fn get_domain_block(app: &App, by: Moderator<'_>, id: Id) -> Result<DomainBlock> {
    by.require(Role::Admin)?;
    app.store().find_domain_block(id).await?.ok_or(AppError::NotFound("domain block"))
}

/// The blocks the server publishes (those that limit anything), if `signed_in` may
/// read them under `show_domain_blocks`; `NotFound` otherwise, as Mastodon answers.
pub async fn published_domain_blocks(app: &App, signed_in: bool) -> Result<Vec<DomainBlock>> {
    let visible = match app.config().instance.show_domain_blocks {
        Audience::Nobody => false,
        Audience::Users => signed_in,
        Audience::All => true,
    };
    if !visible {
        return Err(AppError::NotFound("domain blocks"));
    }
    let mut blocks: Vec<DomainBlock> = app
        .store()
        .list_domain_blocks()
        .await?
        .into_iter()
        .filter(|b| b.severity != Severity::Noop || b.reject_media || b.reject_reports)
        .collect();
    // The strictest first, as Mastodon lists them.
    blocks.sort_by(|a, b| b.severity.cmp(&a.severity).then_with(|| a.domain.cmp(&b.domain)));
    Ok(blocks)
}

/// `block` with `input` applied and checked.
fn settle(mut block: DomainBlock, input: DomainBlockInput) -> Result<DomainBlock> {
    if let Some(severity) = &input.severity {
        block.severity = Severity::parse(severity)?;
    }
    block.reject_media = input.reject_media.unwrap_or(block.reject_media);
    block.reject_reports = input.reject_reports.unwrap_or(block.reject_reports);
    block.obfuscate = input.obfuscate.unwrap_or(block.obfuscate);
    for (field, given, kept) in [
        ("private_comment", input.private_comment, &mut block.private_comment),
        ("public_comment", input.public_comment, &mut block.public_comment),
    ] {
        if let Some(text) = given {
            if text.chars().count() > MAX_COMMENT_CHARS {
                return Err(
                    ValidationError::field(field, "ERR_TOO_LONG", "is too long (maximum is 1000 characters)").into()
                );
            }
            *kept = text;
        }
    }
    Ok(block)
}

/// Ends federation's traces with a domain that is no longer federated with: every follow
/// and follow request across it (quietly: nothing is sent there), the deliveries queued
/// for it, and the notifications its accounts caused here.
pub(crate) async fn sever_domain(app: &App, domain: &str) -> Result<()> {
    let store = app.store();
    for (follower, followed, requested) in store.list_follows_across_domain(domain).await? {
        if requested {
            store.delete_follow_request(follower, followed).await?;
        } else {
            store.delete_follow(follower, followed).await?;
        }
    }
    let deliveries = store.delete_deliveries_to_domain(domain).await?;
    let notifications = store.delete_notifications_from_domain(domain).await?;
    tracing::info!(domain, deliveries, notifications, "federation with a domain was severed");
    Ok(())
}

/// The SHA-256 of a domain in hex, which Mastodon publishes beside obfuscated domains so
/// that someone who knows a domain can check it.
pub fn domain_digest(domain: &str) -> String {
    domain::hex(aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, domain.as_bytes()).as_ref())
}

/// The block of exactly `domain` (admins only), as the command line names blocks.
pub async fn find_domain_block_by_domain(app: &App, by: Moderator<'_>, domain: &str) -> Result<DomainBlock> {
    by.require(Role::Admin)?;
    let domain = normalize_domain(domain)?;
    app.store().find_domain_block_by_domain(&domain).await?.ok_or(AppError::NotFound("domain block"))
}
