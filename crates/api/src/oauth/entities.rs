//! Mastodon's Application, CredentialApplication and Token entities.

use domain::Application;
use serde::Serialize;

#[derive(Debug, Serialize)]
pub(super) struct ApplicationEntity {
    id: String,
    name: String,
    website: Option<String>,
    scopes: Vec<String>,
    redirect_uri: String,
    redirect_uris: Vec<String>,
    /// Deprecated in Mastodon 4.3, still sent; empty until Web Push lands.
    vapid_key: String,
}

impl ApplicationEntity {
    pub(super) fn new(app: &Application) -> Self {
        Self {
            id: app.id.to_string(),
            name: app.name.clone(),
            website: app.website.clone(),
            scopes: app.scopes.iter().map(str::to_owned).collect(),
            redirect_uri: app.redirect_uris.join("\n"),
            redirect_uris: app.redirect_uris.clone(),
            vapid_key: String::new(),
        }
    }
}

/// The registration answer: the only time the client secret is shown.
#[derive(Debug, Serialize)]
pub(super) struct CredentialApplicationEntity {
    #[serde(flatten)]
    application: ApplicationEntity,
    client_id: String,
    client_secret: String,
    client_secret_expires_at: i64,
}

impl CredentialApplicationEntity {
    pub(super) fn new(app: &Application, client_secret: String) -> Self {
        Self {
            application: ApplicationEntity::new(app),
            client_id: app.client_id.clone(),
            client_secret,
            client_secret_expires_at: 0,
        }
    }
}

#[derive(Debug, Serialize)]
pub(crate) struct TokenEntity {
    access_token: String,
    token_type: &'static str,
    scope: String,
    /// Seconds since the epoch, a number (unlike every other time in the API).
    created_at: i64,
}

impl TokenEntity {
    pub(crate) fn new(token: app::oauth::IssuedToken) -> Self {
        Self {
            access_token: token.access_token,
            token_type: "Bearer",
            scope: token.scopes.to_string(),
            created_at: token.created_at / 1000,
        }
    }
}
