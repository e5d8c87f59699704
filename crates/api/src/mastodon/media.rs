//! `/api/v1/media` and `/api/v2/media`: uploads, their alt text and focus, and deleting
//! unattached ones; and `/system/...`, where the stored files are served.

use app::App;
use axum::Json;
use axum::Router;
use axum::body::Body;
use axum::extract::{DefaultBodyLimit, Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use domain::ValidationError;
use serde::Deserialize;
use serde_json::{Value, json};

use super::entities::media::MediaAttachmentEntity;
use crate::ApiError;
use crate::auth::Auth;
use crate::params::{Params, lenient};

/// Mastodon's largest upload with room for the multipart framing and the other fields.
const MAX_UPLOAD_BODY: usize = 17 * 1024 * 1024;

pub(super) fn routes() -> Router<App> {
    Router::new()
        .route("/api/v1/media", post(upload))
        .route("/api/v2/media", post(upload))
        .layer(DefaultBodyLimit::max(MAX_UPLOAD_BODY))
        .route("/api/v1/media/{id}", get(get_media).put(update_media).delete(delete_media))
        .route("/system/{*key}", get(file))
}

#[derive(Debug, Deserialize)]
struct MediaParams {
    #[serde(default, deserialize_with = "lenient::opt_string")]
    description: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    focus: Option<String>,
}

/// Both versions answer 200 with the processed attachment: pictures are processed
/// before the answer (Mastodon's v2 answers 202 only for what it processes later).
async fn upload(
    State(app): State<App>,
    auth: Auth,
    Params { value: p, files }: Params<MediaParams>,
) -> Result<Json<MediaAttachmentEntity>, ApiError> {
    let (account, _) = auth.user_with("write:media")?;
    let file = files.into_iter().find(|f| f.field == "file").ok_or_else(|| {
        ApiError::from(app::AppError::Validation(ValidationError::field("file", "ERR_BLANK", "can't be blank")))
    })?;
    let upload = app::media::NewUpload { bytes: file.bytes.to_vec(), description: p.description, focus: p.focus };
    let media = app::media::upload(&app, account.id, upload).await?;
    Ok(Json(MediaAttachmentEntity::new(app.config(), &media)))
}

async fn get_media(
    State(app): State<App>,
    auth: Auth,
    Path(id): Path<String>,
) -> Result<Json<MediaAttachmentEntity>, ApiError> {
    let (account, _) = auth.user_with("write:media")?;
    let media = app::media::find_own(&app, account.id, &id).await?;
    Ok(Json(MediaAttachmentEntity::new(app.config(), &media)))
}

async fn update_media(
    State(app): State<App>,
    auth: Auth,
    Path(id): Path<String>,
    Params { value: p, .. }: Params<MediaParams>,
) -> Result<Json<MediaAttachmentEntity>, ApiError> {
    let (account, _) = auth.user_with("write:media")?;
    let media = app::media::update(&app, account.id, &id, p.description, p.focus).await?;
    Ok(Json(MediaAttachmentEntity::new(app.config(), &media)))
}

async fn delete_media(State(app): State<App>, auth: Auth, Path(id): Path<String>) -> Result<Json<Value>, ApiError> {
    let (account, _) = auth.user_with("write:media")?;
    app::media::delete(&app, account.id, &id).await?;
    Ok(Json(json!({})))
}

/// A stored file. Its key never names another file, so it may be cached for good; a
/// `Range` of one span is answered with just that span, as players and browsers ask.
async fn file(State(app): State<App>, Path(key): Path<String>, headers: HeaderMap) -> Result<Response, ApiError> {
    let (bytes, content_type) = app::media::file(&app, &key).await?;
    let mut response_headers = HeaderMap::new();
    response_headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    response_headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=31536000, immutable"));
    response_headers.insert(header::ACCEPT_RANGES, HeaderValue::from_static("bytes"));
    response_headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    let total = bytes.len();
    let range = headers.get(header::RANGE).and_then(|v| v.to_str().ok());
    let Some(range) = range else {
        return Ok((StatusCode::OK, response_headers, Body::from(bytes)).into_response());
    };
    match byte_range(range, total) {
        Some((start, end)) => {
            let span = format!("bytes {start}-{end}/{total}");
            response_headers
                .insert(header::CONTENT_RANGE, HeaderValue::from_str(&span).map_err(|_| ApiError::internal())?);
            let part = bytes[start..=end].to_vec();
            Ok((StatusCode::PARTIAL_CONTENT, response_headers, Body::from(part)).into_response())
        }
        None => {
            let span = format!("bytes */{total}");
            response_headers
                .insert(header::CONTENT_RANGE, HeaderValue::from_str(&span).map_err(|_| ApiError::internal())?);
            Ok((StatusCode::RANGE_NOT_SATISFIABLE, response_headers).into_response())
        }
    }
}

/// The first and last byte of `bytes=A-B`, `bytes=A-` or `bytes=-N` within `total`;
/// `None` for what cannot be served (several spans are answered as the first).
fn byte_range(header: &str, total: usize) -> Option<(usize, usize)> {
    let spec = header.strip_prefix("bytes=")?.split(',').next()?.trim();
    let (first, last) = spec.split_once('-')?;
    if total == 0 {
        return None;
    }
    let (start, end) = match (first.trim(), last.trim()) {
        ("", suffix) => {
            let n: usize = suffix.parse().ok().filter(|&n| n > 0)?;
            (total.saturating_sub(n), total - 1)
        }
        (a, "") => (a.parse().ok()?, total - 1),
        (a, b) => (a.parse().ok()?, b.parse::<usize>().ok()?.min(total - 1)),
    };
    (start <= end && start < total).then_some((start, end))
}

#[cfg(test)]
mod tests {
    use super::byte_range;

    #[test]
    fn byte_ranges_as_rfc_9110_reads_them() {
        assert_eq!(byte_range("bytes=0-9", 100), Some((0, 9)));
        assert_eq!(byte_range("bytes=90-", 100), Some((90, 99)));
        assert_eq!(byte_range("bytes=-10", 100), Some((90, 99)));
        assert_eq!(byte_range("bytes=-500", 100), Some((0, 99)));
        assert_eq!(byte_range("bytes=50-500", 100), Some((50, 99)));
        assert_eq!(byte_range("bytes=0-1, 5-6", 100), Some((0, 1)));
        for unserved in ["bytes=100-", "bytes=9-3", "bytes=-0", "items=0-1", "bytes=x-1"] {
            assert_eq!(byte_range(unserved, 100), None, "{unserved}");
        }
    }
}
