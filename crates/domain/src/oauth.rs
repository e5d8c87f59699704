//! Apps registered to act for people, and the tokens they hold.

use crate::{Id, Scopes, UnixMillis};

/// The redirect URI that asks the server to show the code instead of redirecting.
pub const OOB_REDIRECT_URI: &str = "urn:ietf:wg:oauth:2.0:oob";

/// A client app (Tusky, Ivory, a script) registered with `POST /api/v1/apps`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Application {
    pub id: Id,
    pub name: String,
    pub website: Option<String>,
    pub redirect_uris: Vec<String>,
    pub scopes: Scopes,
    pub client_id: String,
    pub created_at: UnixMillis,
}

/// An application to store, with the hash of its secret (the secret itself is shown once).
#[derive(Debug, Clone)]
pub struct NewApplication {
    pub application: Application,
    pub client_secret_sha256: String,
}

/// A bearer token: for a user (authorization code) or for the app alone (client credentials).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccessToken {
    pub id: Id,
    pub application_id: Id,
    pub account_id: Option<Id>,
    pub scopes: Scopes,
    pub created_at: UnixMillis,
}
