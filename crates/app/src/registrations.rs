//! Signing up (`POST /api/v1/accounts` and the sign-up page), as the server's
//! registration mode allows, and approving sign-ups that wait.

use domain::{Account, Application, Role, Scopes, ValidationError};

use crate::accounts::{CreateLocalAccount, create_local_account, get_local_user};
use crate::oauth::IssuedToken;
use crate::{App, AppError, RegistrationMode, Result, now_millis};

#[derive(Clone, Default)]
pub struct SignUp {
    pub username: String,
    pub email: String,
    pub password: String,
    /// That the person accepted the server's rules and terms.
    pub agreement: bool,
    pub reason: Option<String>,
}

/// Creates an account as the registration mode allows: at once when open, waiting for
/// a moderator in approval mode, not at all when closed. Through an app, the answer
/// carries a token for the new account with the app's scopes.
pub async fn sign_up(
    app: &App,
    input: SignUp,
    via: Option<(&Application, Scopes)>,
) -> Result<(Account, Option<IssuedToken>)> {
    let mode = app.config().instance.registrations;
    if mode == RegistrationMode::Closed {
        return Err(AppError::Forbidden("registrations are closed"));
    }
    if !input.agreement {
        return Err(ValidationError::field("agreement", "ERR_ACCEPTED", "must be accepted").into());
    }
    let create = CreateLocalAccount {
        username: input.username,
        email: input.email,
        password: input.password,
        role: Role::User,
        approved: mode == RegistrationMode::Open,
        reason: input.reason.filter(|r| !r.trim().is_empty()),
    };
    let (account, _) = create_local_account(app, create).await?;
    let token = match via {
        Some((application, scopes)) => {
            Some(crate::oauth::issue_for_new_user(app, application, account.id, scopes).await?)
        }
        None => None,
    };
    Ok((account, token))
}

/// Lets a waiting sign-up sign in.
pub async fn approve(app: &App, username: &str) -> Result<()> {
    let (_, user) = get_local_user(app, username).await?;
    Ok(app.store().update_user_approved(user.id, now_millis()).await?)
}
