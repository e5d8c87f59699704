//! OAuth over HTTP: app registration, the token endpoints, the browser pages where a
//! person signs in and approves an app, and the server metadata document.

mod apps;
pub(crate) mod cookies;
pub(crate) mod entities;
mod metadata;
pub(crate) mod pages;
mod sign_up;
mod tokens;
pub(crate) mod web;

use app::App;
use axum::Router;
use axum::routing::{get, post};

pub(crate) fn routes() -> Router<App> {
    Router::new()
        .route("/api/v1/apps", post(apps::create_app))
        .route("/api/v1/apps/verify_credentials", get(apps::verify_app_credentials))
        .route("/oauth/token", post(tokens::create_token))
        .route("/oauth/revoke", post(tokens::revoke_token))
        // toot asks for the page with a trailing slash.
        .route("/oauth/authorize", get(web::show_authorize).post(web::decide_authorize))
        .route("/oauth/authorize/", get(web::show_authorize).post(web::decide_authorize))
        .route("/auth/sign_in", get(web::show_sign_in).post(web::sign_in))
        .route("/auth/sign_out", post(web::sign_out))
        .route("/auth/sign_up", get(sign_up::show_sign_up).post(sign_up::sign_up))
        .route("/invite/{code}", get(sign_up::show_invite))
        .route("/.well-known/oauth-authorization-server", get(metadata::authorization_server))
}
