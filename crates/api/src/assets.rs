//! Images every Mastodon server serves: the default avatar and header (Account fields
//! are never null) and the instance thumbnail.

use app::App;
use axum::Router;
use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::get;

pub(crate) const MISSING_AVATAR_PATH: &str = "/avatars/original/missing.png";
pub(crate) const MISSING_HEADER_PATH: &str = "/headers/original/missing.png";
pub(crate) const THUMBNAIL_PATH: &str = "/images/preview.png";

pub(crate) fn routes() -> Router<App> {
    Router::new()
        .route(MISSING_AVATAR_PATH, get(|| png(include_bytes!("assets/missing-avatar.png"))))
        .route(MISSING_HEADER_PATH, get(|| png(include_bytes!("assets/missing-header.png"))))
        .route(THUMBNAIL_PATH, get(|| png(include_bytes!("assets/preview.png"))))
        // Browsers ask for it on every site; the instance picture serves.
        .route("/favicon.ico", get(|| png(include_bytes!("assets/preview.png"))))
}

async fn png(bytes: &'static [u8]) -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "image/png"), (header::CACHE_CONTROL, "public, max-age=604800")], bytes)
}
