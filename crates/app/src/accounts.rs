//! Creating and administering local accounts.

use domain::{Account, Email, LocalUser, NewLocalAccount, Password, Role, Username, ValidationError};
use store::{StoreError, TAKEN_EMAIL, TAKEN_USERNAME};

use crate::{App, AppError, Event, Result, now_millis};

/// A request to create a local account, as typed by a person; validated here.
#[derive(Clone)]
pub struct CreateLocalAccount {
    pub username: String,
    pub email: String,
    pub password: String,
    pub role: Role,
    /// False for sign-ups that wait for a moderator.
    pub approved: bool,
    pub reason: Option<String>,
}

impl std::fmt::Debug for CreateLocalAccount {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CreateLocalAccount")
            .field("username", &self.username)
            .field("email", &self.email)
            .field("password", &"***")
            .field("role", &self.role)
            .field("approved", &self.approved)
            .finish()
    }
}

/// Validates every field (reporting all that fail), hashes the password, makes the
/// account's signing keys and stores it all in one transaction.
pub async fn create_local_account(app: &App, input: CreateLocalAccount) -> Result<(Account, LocalUser)> {
    let mut invalid = ValidationError::default();
    let username = Username::parse_local(&input.username).map_err(|e| invalid.push(e)).ok();
    let email = Email::parse(&input.email).map_err(|e| invalid.push(e)).ok();
    let password = Password::parse(&input.password).map_err(|e| invalid.push(e)).ok();
    let (Some(username), Some(email), Some(password)) = (username, email, password) else {
        return Err(invalid.into());
    };

    let password_hash = app.passwords().hash(&password).await?;
    // Key generation is as costly as a hash; it waits for a turn the same way.
    let keys = app
        .passwords()
        .run_bounded(|| federation::keys::generate_rsa_2048().map_err(|e| AppError::Internal(e.to_string())))
        .await?;
    let new = NewLocalAccount {
        account_id: app.ids().next(),
        user_id: app.ids().next(),
        username: username.clone(),
        email,
        role: input.role,
        password_hash,
        public_key_pem: keys.public_pem,
        private_key_pem: keys.private_pem,
        created_at: now_millis(),
        approved: input.approved,
        reason: input.reason,
    };
    match app.store().insert_local_account(&new).await {
        Ok(()) => {}
        Err(StoreError::Conflict(what)) if what == TAKEN_USERNAME => return Err(taken("username")),
        Err(StoreError::Conflict(what)) if what == TAKEN_EMAIL => return Err(taken("email")),
        Err(e) => return Err(e.into()),
    }
    app.emit(Event::AccountCreated { account_id: new.account_id }).await?;
    get_local_user(app, username.as_str()).await
}

/// Every local user with their account, oldest first.
pub async fn list_local_users(app: &App) -> Result<Vec<(Account, LocalUser)>> {
    Ok(app.store().list_local_users().await?)
}

pub async fn set_password(app: &App, username: &str, password: &str) -> Result<()> {
    let (account, user) = get_local_user(app, username).await?;
    let password = Password::parse(password)?;
    let hash = app.passwords().hash(&password).await?;
    app.store().update_user_password_hash(user.id, &hash, now_millis()).await?;
    app.emit(Event::PasswordChanged { account_id: account.id }).await?;
    Ok(())
}

pub async fn set_role(app: &App, username: &str, role: Role) -> Result<()> {
    let (account, user) = get_local_user(app, username).await?;
    app.store().update_user_role(user.id, role, now_millis()).await?;
    app.emit(Event::RoleChanged { account_id: account.id }).await?;
    Ok(())
}

/// The user whose e-mail and password these are, if any. Takes as long when the
/// e-mail is unknown, so response times do not reveal who has an account.
pub async fn authenticate(app: &App, email: &str, password: &str) -> Result<Option<(Account, LocalUser)>> {
    let found = match Email::parse(email) {
        Ok(email) => app.store().find_login_by_email(&email).await?,
        Err(_) => None,
    };
    let matches = app.passwords().verify_or_waste(found.as_ref().map(|(_, _, h)| h.as_str()), password).await?;
    // A suspended or disabled account cannot sign in, whatever its password.
    let Some((account, user, _)) = found.filter(|(a, ..)| matches && !a.moderation.locked_out()) else {
        return Ok(None);
    };
    app.store().update_user_last_active(user.id, now_millis()).await?;
    Ok(Some((account, user)))
}

pub async fn get_local_user(app: &App, username: &str) -> Result<(Account, LocalUser)> {
    app.store().find_local_user_by_username(username).await?.ok_or(AppError::NotFound("account"))
}

fn taken(field: &'static str) -> AppError {
    ValidationError::field(field, "ERR_TAKEN", "has already been taken").into()
}

/// How many follow requests wait for the signed-in user (`verify_credentials` shows it).
pub async fn credentials(app: &App, account: &Account) -> Result<i64> {
    Ok(app.store().count_follow_requests(account.id).await?)
}

/// An account by id, with its user's role when it is local.
pub async fn get_account(app: &App, id: domain::Id) -> Result<(Account, Option<Role>)> {
    if let Some((account, user)) = app.store().find_local_user_by_account_id(id).await? {
        return Ok((account, Some(user.role)));
    }
    let account = app.store().find_account_by_id(id).await?.ok_or(AppError::NotFound("account"))?;
    Ok((account, None))
}

/// An account by `user`, `@user`, `user@this.domain` (local) or `user@other.domain`
/// (known remote accounts, or found by WebFinger and fetched).
pub async fn lookup_account(app: &App, acct: &str) -> Result<(Account, Option<Role>)> {
    let acct = acct.trim().trim_start_matches('@');
    let (username, domain) = acct.split_once('@').map_or((acct, None), |(u, d)| (u, Some(d)));
    let local = domain.is_none_or(|d| d.eq_ignore_ascii_case(&app.config().domain));
    if let Some(domain) = domain.filter(|_| !local) {
        let account = crate::federation::remote::resolve_acct(app, username, domain)
            .await
            .map_err(|_| AppError::NotFound("account"))?;
        return Ok((account, None));
    }
    let (account, user) =
        app.store().find_local_user_by_username(username).await?.ok_or(AppError::NotFound("account"))?;
    Ok((account, Some(user.role)))
}

/// An account this server already knows by `user` or `user@domain`, without asking
/// other servers (for visitors who are not signed in).
pub async fn find_known_account(app: &App, acct: &str) -> Result<(Account, Option<Role>)> {
    let acct = acct.trim().trim_start_matches('@');
    match acct.split_once('@') {
        Some((username, domain)) if !domain.eq_ignore_ascii_case(&app.config().domain) => {
            if crate::moderation::policy::current(app).await?.refuses(domain) {
                return Err(AppError::NotFound("account"));
            }
            let account = app.store().find_remote_account(username, &domain.to_ascii_lowercase()).await?;
            Ok((account.ok_or(AppError::NotFound("account"))?, None))
        }
        _ => lookup_account(app, acct).await,
    }
}

/// Accounts by id (those that exist), with the role of local ones.
pub async fn list_accounts(app: &App, ids: &[domain::Id]) -> Result<Vec<std::sync::Arc<(Account, Option<Role>)>>> {
    Ok(app.store().list_accounts(ids).await?)
}
