//! Endpoints apps call at startup whose features come later (lists, trends...).
//! They answer as Mastodon does for a user who has none of these things yet: an empty
//! list or object with 200, never 404, and with the same authentication rules.

use app::App;
use axum::routing::get;
use axum::{Json, Router};
use serde_json::{Value, json};

use crate::ApiError;
use crate::auth::Auth;

pub(super) fn routes() -> Router<App> {
    Router::new()
        .route("/api/v1/custom_emojis", get(public_list))
        .route("/api/v1/trends", get(public_list))
        .route("/api/v1/trends/tags", get(public_list))
        .route("/api/v1/trends/statuses", get(public_list))
        .route("/api/v1/trends/links", get(public_list))
        .route("/api/v1/instance/peers", get(public_list))
        .route("/api/v1/lists", get(|auth: Auth| user_list(auth, "read:lists")))
        .route("/api/v1/followed_tags", get(|auth: Auth| user_list(auth, "read:follows")))
        .route("/api/v1/scheduled_statuses", get(|auth: Auth| user_list(auth, "read:statuses")))
        .route("/api/v1/announcements", get(|auth: Auth| user_list(auth, "read")))
        .route("/api/v2/suggestions", get(|auth: Auth| user_list(auth, "read")))
        .route("/api/v1/suggestions", get(|auth: Auth| user_list(auth, "read")))
        .route("/api/v1/preferences", get(preferences))
        .route("/api/v1/endorsements", get(|auth: Auth| user_list(auth, "read:accounts")))
        .route("/api/v1/featured_tags", get(|auth: Auth| user_list(auth, "read:accounts")))
        .route("/api/v1/accounts/{id}/featured_tags", get(public_list))
        .route("/api/v1/accounts/{id}/identity_proofs", get(public_list))
        .route("/api/v1/accounts/{id}/lists", get(|auth: Auth| user_list(auth, "read:lists")))
}

async fn public_list() -> Json<Value> {
    Json(json!([]))
}

async fn user_list(auth: Auth, scope: &'static str) -> Result<Json<Value>, ApiError> {
    auth.user_with(scope)?;
    Ok(Json(json!([])))
}

/// The posting defaults (set through `update_credentials`) and reading defaults.
/// Only the documented keys: clients such as megalodon refuse any other.
async fn preferences(auth: Auth) -> Result<Json<Value>, ApiError> {
    let (_, user) = auth.user_with("read:accounts")?;
    Ok(Json(json!({
        "posting:default:visibility": user.default_visibility.as_str(),
        "posting:default:sensitive": user.default_sensitive,
        "posting:default:language": user.default_language,
        "reading:expand:media": "default",
        "reading:expand:spoilers": false,
    })))
}
