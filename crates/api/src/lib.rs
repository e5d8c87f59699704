//! Rookery over HTTP: the Mastodon client API, and (later) ActivityPub and well-known
//! endpoints. Handlers are thin: extract, call one `app` use case, convert the result
//! to a Mastodon entity.
//!
//! Invariant: nothing here decides anything; rules live in `app` and `domain`.

mod about;
mod assets;
mod auth;
mod error;
mod error_json;
mod federation;
pub mod format;
mod health;
mod mastodon;
mod middleware;
mod oauth;
mod pagination;
mod params;
mod rate_limit;
mod web;

use app::App;
use axum::Router;

pub use error::ApiError;

/// Every route the server answers, with logging, request ids, CORS and panic
/// handling applied.
pub fn router(app: App) -> Router {
    let routes = Router::new()
        .merge(mastodon::routes())
        .merge(oauth::routes())
        .merge(federation::routes())
        .merge(health::routes())
        .merge(assets::routes())
        .merge(about::routes())
        .merge(web::routes())
        .fallback(error::route_not_found)
        .method_not_allowed_fallback(error::route_not_found)
        .with_state(app.clone())
        .layer(axum::Extension(std::sync::Arc::new(mastodon::entities::rendered::RenderCache::default())))
        .layer(axum::middleware::from_fn_with_state((app, rate_limit::RateLimiter::default()), rate_limit::limit));
    middleware::apply(routes)
}
