//! The server's rules, which people agree to when they sign up and reports can cite.

use domain::{Id, Role, ValidationError};
use store::ServerRule;

use super::{Moderator, log};
use crate::{App, AppError, Result, now_millis};

/// Mastodon's limits on a rule's text and its hint.
const MAX_TEXT_CHARS: usize = 300;
const MAX_HINT_CHARS: usize = 2000;

/// Adds a rule after the others (admins only).
pub async fn add_rule(app: &App, by: Moderator<'_>, text: &str, hint: &str) -> Result<ServerRule> {
    let actor = by.require(Role::Admin)?;
    let (text, hint) = (text.trim(), hint.trim());
    if text.is_empty() {
        return Err(ValidationError::field("text", "ERR_BLANK", "can't be blank").into());
    }
    if text.chars().count() > MAX_TEXT_CHARS {
        return Err(ValidationError::field("text", "ERR_TOO_LONG", "is too long (maximum is 300 characters)").into());
    }
    if hint.chars().count() > MAX_HINT_CHARS {
        return Err(ValidationError::field("hint", "ERR_TOO_LONG", "is too long (maximum is 2000 characters)").into());
    }
    let rule = app.store().insert_server_rule(app.ids().next(), text, hint, now_millis()).await?;
    log(app, actor, "create", "Rule", &rule.id.to_string()).await?;
    Ok(rule)
}

/// Removes a rule (admins only).
pub async fn remove_rule(app: &App, by: Moderator<'_>, id: Id) -> Result<()> {
    let actor = by.require(Role::Admin)?;
    if !app.store().delete_server_rule(id, now_millis()).await? {
        return Err(AppError::NotFound("rule"));
    }
    log(app, actor, "destroy", "Rule", &id.to_string()).await
}

/// The rules in force, in order; public.
pub async fn list_rules(app: &App) -> Result<Vec<ServerRule>> {
    Ok(app.store().list_server_rules().await?)
}
