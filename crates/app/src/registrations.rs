//! Signing up (`POST /api/v1/accounts` and the sign-up page), as the server's
//! registration mode allows; invite links; approving and rejecting sign-ups that wait.

use domain::{Account, Application, Id, Role, Scopes, ValidationError};
use store::Invite;

use crate::accounts::{CreateLocalAccount, create_local_account, get_local_user};
use crate::moderation::{Moderator, log};
use crate::oauth::IssuedToken;
use crate::{App, AppError, Event, RegistrationMode, Result, now_millis};

#[derive(Clone, Default)]
pub struct SignUp {
    pub username: String,
    pub email: String,
    pub password: String,
    /// That the person accepted the server's rules and terms.
    pub agreement: bool,
    pub reason: Option<String>,
    /// The code of the invite link it came through, if any.
    pub invite_code: Option<String>,
}

/// Creates an account as the registration mode allows: at once when open, waiting for
/// a moderator in approval mode, only with a good invite in invite mode (which also
/// skips approval), not at all when closed. Through an app, the answer carries a token
/// for the new account with the app's scopes. Moderators hear of each sign-up.
pub async fn sign_up(
    app: &App,
    input: SignUp,
    via: Option<(&Application, Scopes)>,
) -> Result<(Account, Option<IssuedToken>)> {
    let mode = app.config().instance.registrations;
    let code = input.invite_code.as_deref().map(str::trim).filter(|c| !c.is_empty()).map(str::to_owned);
    if mode == RegistrationMode::Closed || (mode == RegistrationMode::Invite && code.is_none()) {
        return Err(AppError::Forbidden("registrations are closed"));
    }
    if !input.agreement {
        return Err(ValidationError::field("agreement", "ERR_ACCEPTED", "must be accepted").into());
    }
    crate::moderation::email_domain_blocks::check_email(app, &input.email).await?;
    if let Some(code) = &code
        && !app.store().update_invite_used(code, now_millis()).await?
    {
        return Err(ValidationError::field("invite_code", "ERR_INVALID", "is invalid, used up or expired").into());
    }
    let create = CreateLocalAccount {
        username: input.username,
        email: input.email,
        password: input.password,
        role: Role::User,
        approved: mode == RegistrationMode::Open || code.is_some(),
        reason: input.reason.filter(|r| !r.trim().is_empty()),
    };
    let (account, _) = match create_local_account(app, create).await {
        Ok(created) => created,
        Err(e) => {
            if let Some(code) = &code {
                app.store().update_invite_unused(code).await?;
            }
            return Err(e);
        }
    };
    app.emit(Event::SignedUp { account_id: account.id }).await?;
    let token = match via {
        Some((application, scopes)) => {
            Some(crate::oauth::issue_for_new_user(app, application, account.id, scopes).await?)
        }
        None => None,
    };
    Ok((account, token))
}

/// Lets a waiting sign-up sign in (the command line names it).
pub async fn approve(app: &App, username: &str) -> Result<()> {
    let (_, user) = get_local_user(app, username).await?;
    Ok(app.store().update_user_approved(user.id, now_millis()).await?)
}

/// Lets a waiting sign-up sign in (moderators); logged. Returns the account as it is now.
pub async fn approve_account(
    app: &App,
    by: Moderator<'_>,
    account_id: Id,
) -> Result<(Account, Option<domain::LocalUser>)> {
    let actor = by.require(Role::Moderator)?;
    let (account, user) =
        app.store().find_local_user_by_account_id(account_id).await?.ok_or(AppError::NotFound("account"))?;
    if user.approved {
        return Err(ValidationError::field("account", "ERR_INVALID", "is not waiting for approval").into());
    }
    app.store().update_user_approved(user.id, now_millis()).await?;
    log(app, actor, "approve", "Account", &account.username).await?;
    crate::moderation::accounts::get_account(app, by, account_id).await
}

/// Turns a waiting sign-up away: the account is deleted (moderators); logged.
pub async fn reject_account(app: &App, by: Moderator<'_>, account_id: Id) -> Result<()> {
    let actor = by.require(Role::Moderator)?;
    let (account, _) =
        app.store().find_local_user_by_account_id(account_id).await?.ok_or(AppError::NotFound("account"))?;
    if !app.store().delete_pending_account(account.id).await? {
        return Err(ValidationError::field("account", "ERR_INVALID", "is not waiting for approval").into());
    }
    log(app, actor, "reject", "Account", &account.username).await
}

/// Makes an invite link's code (moderators): at most `max_uses` sign-ups, until
/// `expires_in_seconds` from now; unlimited when not given.
pub async fn create_invite(
    app: &App,
    by: Moderator<'_>,
    max_uses: Option<i64>,
    expires_in_seconds: Option<i64>,
) -> Result<Invite> {
    let actor = by.require(Role::Moderator)?;
    if max_uses.is_some_and(|n| n < 1) {
        return Err(ValidationError::field("max_uses", "ERR_INVALID", "must be at least 1").into());
    }
    if expires_in_seconds.is_some_and(|s| s < 1) {
        return Err(ValidationError::field("expires_in", "ERR_INVALID", "must be a positive number of seconds").into());
    }
    let now = now_millis();
    let code: String = crate::random_bytes::<9>()?.iter().map(|b| format!("{b:02x}")).collect();
    let invite = Invite {
        id: app.ids().next(),
        code,
        account_id: actor,
        max_uses,
        uses: 0,
        expires_at: expires_in_seconds.map(|s| now + s.saturating_mul(1000)),
        revoked_at: None,
        created_at: now,
    };
    app.store().insert_invite(&invite).await?;
    log(app, actor, "create", "Invite", &invite.code).await?;
    Ok(invite)
}

pub async fn list_invites(app: &App, by: Moderator<'_>) -> Result<Vec<Invite>> {
    by.require(Role::Moderator)?;
    Ok(app.store().list_invites().await?)
}

pub async fn revoke_invite(app: &App, by: Moderator<'_>, code: &str) -> Result<()> {
    let actor = by.require(Role::Moderator)?;
    if !app.store().update_invite_revoked(code, now_millis()).await? {
        return Err(AppError::NotFound("invite"));
    }
    log(app, actor, "destroy", "Invite", code).await
}

/// Where an invite's code leads: the sign-up page that carries it.
pub fn invite_url(app: &App, code: &str) -> String {
    format!("{}/invite/{code}", app.config().base_url())
}
