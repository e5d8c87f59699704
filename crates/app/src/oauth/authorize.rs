//! The browser step: checking `GET /oauth/authorize` and issuing a code once the
//! signed-in person approves.

use domain::oauth::OOB_REDIRECT_URI;
use domain::{Application, Id, Scopes};
use store::AuthorizationCode;

use super::{OAuthError, digest_hex, new_secret};
use crate::{App, AppError, Result, now_millis};

/// How long a code may wait to be exchanged.
const CODE_LIFETIME_MILLIS: i64 = 10 * 60 * 1000;

/// A checked request to authorize an app, ready to show for approval.
#[derive(Debug, Clone)]
pub struct AuthorizationRequest {
    pub application: Application,
    pub redirect_uri: String,
    pub scopes: Scopes,
    pub state: Option<String>,
    /// PKCE S256 challenge, when the app sent one.
    pub code_challenge: Option<String>,
}

impl AuthorizationRequest {
    /// Whether the code is shown to the person instead of sent to a redirect.
    pub fn is_out_of_band(&self) -> bool {
        self.redirect_uri == OOB_REDIRECT_URI
    }
}

/// The query of `/oauth/authorize`, as received.
#[derive(Debug, Clone, Default)]
pub struct AuthorizeQuery {
    pub client_id: String,
    pub redirect_uri: Option<String>,
    pub response_type: String,
    pub scope: Option<String>,
    pub state: Option<String>,
    pub code_challenge: Option<String>,
    pub code_challenge_method: Option<String>,
}

pub async fn check_authorization_request(app: &App, query: AuthorizeQuery) -> Result<AuthorizationRequest> {
    let oauth = |e: OAuthError| AppError::OAuth(e);
    let application = app
        .store()
        .find_application_by_client_id(&query.client_id)
        .await?
        .ok_or_else(|| oauth(OAuthError::invalid_client()))?;
    let redirect_uri = match query.redirect_uri.filter(|u| !u.is_empty()) {
        Some(uri) if application.redirect_uris.contains(&uri) => uri,
        None if application.redirect_uris.len() == 1 => application.redirect_uris[0].clone(),
        _ => {
            return Err(oauth(OAuthError::new("invalid_redirect_uri", "The redirect uri included is not valid.")));
        }
    };
    if query.response_type != "code" {
        return Err(oauth(OAuthError::new(
            "unsupported_response_type",
            "The authorization server does not support this response type.",
        )));
    }
    let scopes = Scopes::parse(query.scope.as_deref().unwrap_or("")).map_err(|_| oauth(OAuthError::invalid_scope()))?;
    if !application.scopes.includes_all(&scopes) {
        return Err(oauth(OAuthError::invalid_scope()));
    }
    let code_challenge = match (query.code_challenge.filter(|c| !c.is_empty()), query.code_challenge_method.as_deref())
    {
        (None, _) => None,
        (Some(challenge), Some("S256")) => Some(challenge),
        (Some(_), _) => {
            return Err(oauth(OAuthError::new("invalid_request", "The code challenge method must be S256.")));
        }
    };
    Ok(AuthorizationRequest { application, redirect_uri, scopes, state: query.state, code_challenge })
}

/// Issues a single-use code for `account_id`, who approved `request`.
pub async fn grant_authorization_code(app: &App, request: &AuthorizationRequest, account_id: Id) -> Result<String> {
    let code = new_secret()?;
    app.store()
        .insert_authorization_code(&AuthorizationCode {
            code_sha256: digest_hex(&code),
            application_id: request.application.id,
            account_id,
            redirect_uri: request.redirect_uri.clone(),
            scopes: request.scopes.clone(),
            code_challenge: request.code_challenge.clone(),
            expires_at: now_millis() + CODE_LIFETIME_MILLIS,
        })
        .await?;
    Ok(code)
}

/// What the authorization page shows: the checked request, and who is signed in (none:
/// the sign-in form comes first).
pub async fn prepare_authorization(
    app: &App,
    session: Option<&str>,
    query: AuthorizeQuery,
) -> Result<(AuthorizationRequest, Option<domain::Account>)> {
    let request = check_authorization_request(app, query).await?;
    let account = match session {
        Some(session) => super::session_account(app, session).await?.map(|(account, _)| account),
        None => None,
    };
    Ok((request, account))
}

/// The person's answer on the approval page.
#[derive(Debug, Clone)]
pub enum Decision {
    Granted { request: AuthorizationRequest, code: String },
    Denied { request: AuthorizationRequest },
}

/// Records the signed-in person's decision; `None` when nobody is signed in.
pub async fn decide_authorization(
    app: &App,
    session: Option<&str>,
    query: AuthorizeQuery,
    approve: bool,
) -> Result<Option<Decision>> {
    let (request, account) = prepare_authorization(app, session, query).await?;
    let Some(account) = account else { return Ok(None) };
    if !approve {
        return Ok(Some(Decision::Denied { request }));
    }
    let code = grant_authorization_code(app, &request, account.id).await?;
    Ok(Some(Decision::Granted { request, code }))
}
