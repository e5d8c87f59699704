//! Who is calling: the bearer token from `Authorization: Bearer`, or `access_token` in
//! the query (streaming clients), checked against the scope each endpoint needs.

use app::App;
use app::oauth::Caller;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{StatusCode, header};
use domain::{Account, LocalUser};

use crate::ApiError;

/// The caller, if the request carried a token. A token that was sent but is not valid
/// is refused here, with Mastodon's 401.
pub(crate) struct Auth(pub Option<Caller>);

impl FromRequestParts<App> for Auth {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, app: &App) -> Result<Self, ApiError> {
        let Some(token) = bearer(parts) else { return Ok(Auth(None)) };
        match app::oauth::authenticate_bearer(app, &token).await? {
            Some(caller) => Ok(Auth(Some(caller))),
            None => Err(invalid_token()),
        }
    }
}

impl Auth {
    /// A user's token that grants one of `scopes`.
    pub(crate) fn user_with_any(&self, scopes: &[&str]) -> Result<(&Account, &LocalUser), ApiError> {
        let caller = self.0.as_ref().ok_or_else(invalid_token)?;
        if !scopes.iter().any(|s| caller.token.scopes.allows(s)) {
            return Err(outside_scopes());
        }
        let (account, user) = caller.user.as_ref().ok_or_else(|| {
            ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "This method requires an authenticated user")
        })?;
        if !user.approved {
            return Err(ApiError::new(StatusCode::FORBIDDEN, "Your login is currently pending approval"));
        }
        if account.moderation.locked_out() {
            return Err(ApiError::new(StatusCode::FORBIDDEN, "Your login is currently disabled"));
        }
        Ok((account, user))
    }

    /// Who is reading, for endpoints anyone may call: nobody without a token; with one,
    /// it must grant `scope`, and an app-only token reads as nobody.
    pub(crate) fn viewer(&self, scope: &str) -> Result<Option<&Account>, ApiError> {
        match &self.0 {
            None => Ok(None),
            Some(caller) if caller.token.scopes.allows(scope) => Ok(caller.user.as_ref().map(|(a, _)| a)),
            Some(_) => Err(outside_scopes()),
        }
    }

    /// A token (an app's or a user's) that grants `scope`.
    pub(crate) fn token_with(&self, scope: &str) -> Result<&Caller, ApiError> {
        let caller = self.0.as_ref().ok_or_else(invalid_token)?;
        if caller.token.scopes.allows(scope) { Ok(caller) } else { Err(outside_scopes()) }
    }

    /// The application behind the token, if any.
    pub(crate) fn application_id(&self) -> Option<domain::Id> {
        self.0.as_ref().map(|c| c.application.id)
    }

    /// A staff member acting with a token that grants `scope`; whether their role
    /// suffices is for the use case to decide.
    pub(crate) fn moderator_with(&self, scope: &str) -> Result<app::moderation::Moderator<'_>, ApiError> {
        let (account, user) = self.user_with(scope)?;
        Ok(app::moderation::Moderator::Staff(account, user.role))
    }

    /// A user's token that grants `scope`.
    pub(crate) fn user_with(&self, scope: &str) -> Result<(&Account, &LocalUser), ApiError> {
        self.user_with_any(&[scope])
    }
}

fn bearer(parts: &Parts) -> Option<String> {
    if let Some(value) = parts.headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()) {
        let (scheme, token) = value.trim().split_once(' ')?;
        return scheme.eq_ignore_ascii_case("bearer").then(|| token.trim().to_owned());
    }
    let from_query = parts.uri.query().and_then(|query| {
        form_urlencoded::parse(query.as_bytes()).find(|(k, _)| k == "access_token").map(|(_, v)| v.into_owned())
    });
    // Browsers cannot set headers on WebSockets; Mastodon's web app sends the token as
    // the requested subprotocol.
    from_query.or_else(|| {
        let upgrade = parts.headers.get(header::UPGRADE)?.to_str().ok()?;
        let protocol = parts.headers.get("sec-websocket-protocol")?.to_str().ok()?;
        // A client may offer several subprotocols; the token is the first.
        let first = protocol.split(',').next()?.trim();
        upgrade.eq_ignore_ascii_case("websocket").then(|| first.to_owned())
    })
}

pub(crate) fn invalid_token() -> ApiError {
    ApiError::new(StatusCode::UNAUTHORIZED, "The access token is invalid")
}

fn outside_scopes() -> ApiError {
    ApiError::new(StatusCode::FORBIDDEN, "This action is outside the authorized scopes")
}
