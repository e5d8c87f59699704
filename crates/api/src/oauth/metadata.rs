//! `/.well-known/oauth-authorization-server` (RFC 8414), which Mastodon serves since 4.3.

use app::App;
use axum::Json;
use axum::extract::State;
use domain::KNOWN_SCOPES;
use serde_json::{Value, json};

pub(super) async fn authorization_server(State(app): State<App>) -> Json<Value> {
    let base = app.config().base_url();
    Json(json!({
        "issuer": format!("{base}/"),
        "service_documentation": "https://docs.joinmastodon.org/",
        "authorization_endpoint": format!("{base}/oauth/authorize"),
        "token_endpoint": format!("{base}/oauth/token"),
        "app_registration_endpoint": format!("{base}/api/v1/apps"),
        "revocation_endpoint": format!("{base}/oauth/revoke"),
        "scopes_supported": KNOWN_SCOPES,
        "response_types_supported": ["code"],
        "response_modes_supported": ["query", "fragment", "form_post"],
        "code_challenge_methods_supported": ["S256"],
        "grant_types_supported": ["authorization_code", "client_credentials"],
        "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
    }))
}
