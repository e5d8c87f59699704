//! The stylesheet and script of the website, served under names that carry a digest of
//! their content, so browsers may keep them for a year and still see every change.

use std::sync::LazyLock;

use app::App;
use axum::Router;
use axum::extract::Path;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

const STYLESHEET: &str = include_str!("static/site.css");
const SCRIPT: &str = include_str!("static/site.js");

pub(crate) static STYLESHEET_PATH: LazyLock<String> =
    LazyLock::new(|| format!("/packs/site-{}.css", fingerprint(STYLESHEET)));
pub(crate) static SCRIPT_PATH: LazyLock<String> = LazyLock::new(|| format!("/packs/site-{}.js", fingerprint(SCRIPT)));

pub(super) fn routes() -> Router<App> {
    Router::new().route("/packs/{file}", get(asset))
}

async fn asset(Path(file): Path<String>) -> Response {
    let path = format!("/packs/{file}");
    let (body, kind) = if path == *STYLESHEET_PATH {
        (STYLESHEET, "text/css; charset=utf-8")
    } else if path == *SCRIPT_PATH {
        (SCRIPT, "text/javascript; charset=utf-8")
    } else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let mut response = body.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(kind));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=31536000, immutable"));
    headers.insert("x-content-type-options", HeaderValue::from_static("nosniff"));
    response
}

/// 64-bit FNV-1a of the text, in hex: enough to tell versions apart, not a secret.
fn fingerprint(text: &str) -> String {
    let hash = text.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3));
    format!("{hash:016x}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprints_change_with_the_content() {
        assert_eq!(fingerprint(""), "cbf29ce484222325");
        assert_ne!(fingerprint("a{}"), fingerprint("b{}"));
        assert!(STYLESHEET_PATH.starts_with("/packs/site-") && STYLESHEET_PATH.ends_with(".css"));
    }
}
