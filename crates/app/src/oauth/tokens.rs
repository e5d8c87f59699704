//! Issuing, checking and revoking bearer tokens (`POST /oauth/token`, `/oauth/revoke`).

use aws_lc_rs::digest;
use base64::Engine as _;
use domain::{AccessToken, Account, Application, LocalUser, Scopes, UnixMillis};

use super::{OAuthError, digest_hex, new_secret, verify_client};
use crate::{App, AppError, Result, now_millis};

/// `POST /oauth/token`'s parameters, with the client's credentials from the body or
/// from HTTP Basic authentication.
#[derive(Debug, Clone, Default)]
pub struct TokenRequest {
    pub grant_type: String,
    pub client_id: String,
    pub client_secret: String,
    pub code: Option<String>,
    pub redirect_uri: Option<String>,
    pub code_verifier: Option<String>,
    pub scope: Option<String>,
}

/// A token as handed to the app, the only time its value is known.
#[derive(Debug, Clone)]
pub struct IssuedToken {
    pub access_token: String,
    pub scopes: Scopes,
    pub created_at: UnixMillis,
}

/// Who is calling the API: the token, and the local user it acts for (none for an
/// app-only token).
#[derive(Debug, Clone)]
pub struct Caller {
    pub token: AccessToken,
    pub application: Application,
    pub user: Option<(Account, LocalUser)>,
}

/// The authorization-code grant (with PKCE when the code was issued with a challenge).
pub async fn exchange_code(app: &App, request: TokenRequest) -> Result<IssuedToken> {
    let client = verify_client(app, &request.client_id, &request.client_secret).await?;
    let invalid_grant = || AppError::OAuth(OAuthError::invalid_grant());
    let code = request
        .code
        .filter(|c| !c.is_empty())
        .ok_or_else(|| AppError::OAuth(OAuthError::new("invalid_request", "Missing required parameter: code.")))?;
    let stored = app.store().take_authorization_code(&digest_hex(&code)).await?.ok_or_else(invalid_grant)?;
    if stored.application_id != client.id || stored.expires_at <= now_millis() {
        return Err(invalid_grant());
    }
    // Required and exact, as RFC 6749 (4.1.3) and Mastodon ask.
    if request.redirect_uri.as_deref() != Some(stored.redirect_uri.as_str()) {
        return Err(invalid_grant());
    }
    if let Some(challenge) = &stored.code_challenge {
        let verifier = request.code_verifier.as_deref().unwrap_or("");
        let computed = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .encode(digest::digest(&digest::SHA256, verifier.as_bytes()));
        if verifier.is_empty() || computed != *challenge {
            return Err(invalid_grant());
        }
    }
    issue(app, &client, Some(stored.account_id), stored.scopes).await
}

/// The client-credentials grant: a token for the app alone, acting for nobody.
pub async fn client_credentials_token(app: &App, request: TokenRequest) -> Result<IssuedToken> {
    let client = verify_client(app, &request.client_id, &request.client_secret).await?;
    let scopes = Scopes::parse(request.scope.as_deref().unwrap_or(""))
        .map_err(|_| AppError::OAuth(OAuthError::invalid_scope()))?;
    if !client.scopes.includes_all(&scopes) {
        return Err(AppError::OAuth(OAuthError::invalid_scope()));
    }
    issue(app, &client, None, scopes).await
}

/// A token for a user who just signed up through `application`.
pub(crate) async fn issue_for_new_user(
    app: &App,
    application: &Application,
    account_id: domain::Id,
    scopes: Scopes,
) -> Result<IssuedToken> {
    issue(app, application, Some(account_id), scopes).await
}

async fn issue(app: &App, client: &Application, account_id: Option<domain::Id>, scopes: Scopes) -> Result<IssuedToken> {
    let access_token = new_secret()?;
    let token =
        AccessToken { id: app.ids().next(), application_id: client.id, account_id, scopes, created_at: now_millis() };
    app.store().insert_access_token(&token, &digest_hex(&access_token)).await?;
    Ok(IssuedToken { access_token, scopes: token.scopes, created_at: token.created_at })
}

/// Revokes a token the client holds. As RFC 7009 asks, an unknown token is no error.
pub async fn revoke_token(app: &App, client_id: &str, client_secret: &str, token: &str) -> Result<()> {
    let client = verify_client(app, client_id, client_secret).await?;
    let digest = digest_hex(token);
    let live = app.store().find_live_access_token(&digest).await?.filter(|t| t.application_id == client.id);
    app.store().revoke_access_token(&digest, client.id, now_millis()).await?;
    if let Some(revoked) = live {
        app.emit(crate::Event::TokenRevoked { token_id: revoked.id }).await?;
    }
    Ok(())
}

/// The caller behind a bearer token, if the token is live.
pub async fn authenticate_bearer(app: &App, bearer: &str) -> Result<Option<Caller>> {
    Ok(app.store().find_token_caller(&digest_hex(bearer)).await?.map(|c| Caller {
        token: c.token,
        application: c.application,
        user: c.user,
    }))
}
