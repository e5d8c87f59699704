//! `/api/v1/media` and `/api/v2/media`: uploads, their alt text and focus, and deleting
//! unattached ones; and `/system/...`, where the stored files are served.

use app::App;
use app::media::StoredFile;
use axum::Json;
use axum::Router;
use axum::body::Body;
use axum::extract::{DefaultBodyLimit, Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use domain::{Processing, ValidationError};
use serde::Deserialize;
use serde_json::{Value, json};

use super::entities::media::MediaAttachmentEntity;
use crate::ApiError;
use crate::auth::Auth;
use crate::params::{Params, lenient};

/// Mastodon's largest upload (a video's) with room for the multipart framing and the
/// other fields.
const MAX_UPLOAD_BODY: usize = domain::limits::VIDEO_SIZE_LIMIT as usize + 1024 * 1024;

pub(super) fn routes() -> Router<App> {
    Router::new()
        .route("/api/v1/media", post(|s, a, p| upload(s, a, p, true)))
        .route("/api/v2/media", post(|s, a, p| upload(s, a, p, false)))
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

/// As Mastodon: pictures are processed before the answer (200); video, audio and
/// animated GIFs too on v1, but after it on v2, which answers 202 with `url` null
/// until `GET /api/v1/media/:id` answers 200.
async fn upload(
    State(app): State<App>,
    auth: Auth,
    Params { value: p, files }: Params<MediaParams>,
    wait: bool,
) -> Result<(StatusCode, Json<MediaAttachmentEntity>), ApiError> {
    let (account, _) = auth.user_with("write:media")?;
    let file = files.into_iter().find(|f| f.field == "file").ok_or_else(|| {
        ApiError::from(app::AppError::Validation(ValidationError::field("file", "ERR_BLANK", "can't be blank")))
    })?;
    let upload = app::media::NewUpload { bytes: file.bytes.to_vec(), description: p.description, focus: p.focus };
    let media = app::media::upload(&app, account.id, upload, wait).await?;
    let status = match media.processing {
        Processing::Ready => StatusCode::OK,
        _ => StatusCode::ACCEPTED,
    };
    Ok((status, Json(MediaAttachmentEntity::new(app.config(), &media))))
}

/// 200 when ready, 206 while processing, 422 with the reason if processing failed.
async fn get_media(State(app): State<App>, auth: Auth, Path(id): Path<String>) -> Result<Response, ApiError> {
    let (account, _) = auth.user_with("write:media")?;
    let media = app::media::find_unattached(&app, account.id, &id).await?;
    let status = match &media.processing {
        Processing::Ready => StatusCode::OK,
        Processing::Pending { .. } => StatusCode::PARTIAL_CONTENT,
        Processing::Failed(why) => {
            return Ok(ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, why.clone()).into_response());
        }
    };
    Ok((status, Json(MediaAttachmentEntity::new(app.config(), &media))).into_response())
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
    let (file, content_type) = app::media::file(&app, &key).await?;
    let mut response_headers = HeaderMap::new();
    response_headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    response_headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=31536000, immutable"));
    response_headers.insert(header::ACCEPT_RANGES, HeaderValue::from_static("bytes"));
    response_headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    let total = usize::try_from(file.len()).map_err(|_| ApiError::internal())?;
    let range = headers.get(header::RANGE).and_then(|v| v.to_str().ok());
    // A header that is not a range of bytes is ignored, as RFC 9110 asks.
    let (status, start, end) = match range.map_or(Range::Ignored, |r| byte_range(r, total)) {
        Range::Ignored => (StatusCode::OK, 0, total.saturating_sub(1)),
        Range::Span(start, end) => {
            let span = format!("bytes {start}-{end}/{total}");
            response_headers
                .insert(header::CONTENT_RANGE, HeaderValue::from_str(&span).map_err(|_| ApiError::internal())?);
            (StatusCode::PARTIAL_CONTENT, start, end)
        }
        Range::Unsatisfiable => {
            let span = format!("bytes */{total}");
            response_headers
                .insert(header::CONTENT_RANGE, HeaderValue::from_str(&span).map_err(|_| ApiError::internal())?);
            return Ok((StatusCode::RANGE_NOT_SATISFIABLE, response_headers).into_response());
        }
    };
    let length = if total == 0 { 0 } else { end - start + 1 };
    // Streamed bodies say their length too: players refuse chunked ranges.
    response_headers.insert(header::CONTENT_LENGTH, HeaderValue::from(length));
    let body = match file {
        StoredFile::Bytes(bytes) if length == bytes.len() => Body::from(bytes),
        StoredFile::Bytes(bytes) => Body::from(bytes[start..=end].to_vec()),
        StoredFile::Disk { path, .. } => read_from_disk(&path, start as u64, length as u64).await?,
    };
    Ok((status, response_headers, body).into_response())
}

/// `length` bytes of a file from `start`, read as they are sent, 64 KiB at a time.
async fn read_from_disk(path: &std::path::Path, start: u64, length: u64) -> Result<Body, ApiError> {
    use tokio::io::{AsyncReadExt, AsyncSeekExt};
    let mut opened = tokio::fs::File::open(path).await.map_err(|_| ApiError::not_found())?;
    opened.seek(std::io::SeekFrom::Start(start)).await.map_err(|_| ApiError::internal())?;
    let chunks = futures_util::stream::unfold((opened, length), |(mut opened, left)| async move {
        if left == 0 {
            return None;
        }
        let mut chunk = vec![0; left.min(64 * 1024) as usize];
        match opened.read(&mut chunk).await {
            Ok(0) => None,
            Ok(n) => {
                chunk.truncate(n);
                Some((Ok::<_, std::io::Error>(chunk), (opened, left - n as u64)))
            }
            Err(e) => Some((Err(e), (opened, 0))),
        }
    });
    Ok(Body::from_stream(chunks))
}

/// What a `Range` header asks of a file of `total` bytes.
#[derive(Debug, PartialEq, Eq)]
enum Range {
    /// The first and last byte of one span (of several, the first is served).
    Span(usize, usize),
    /// Well formed, but past the end.
    Unsatisfiable,
    /// Not a byte range this server reads.
    Ignored,
}

/// Reads `bytes=A-B`, `bytes=A-` and `bytes=-N`.
fn byte_range(header: &str, total: usize) -> Range {
    let Some(spec) = header.strip_prefix("bytes=").and_then(|s| s.split(',').next()) else { return Range::Ignored };
    let Some((first, last)) = spec.trim().split_once('-') else { return Range::Ignored };
    let number = |s: &str| s.trim().parse::<usize>().ok();
    let (start, end) = match (first.trim(), last.trim()) {
        ("", suffix) => match number(suffix) {
            Some(0) => return Range::Unsatisfiable,
            Some(n) if total > 0 => (total.saturating_sub(n), total - 1),
            Some(_) => return Range::Unsatisfiable,
            None => return Range::Ignored,
        },
        (a, "") => match number(a) {
            Some(a) => (a, total.saturating_sub(1)),
            None => return Range::Ignored,
        },
        (a, b) => match (number(a), number(b)) {
            (Some(a), Some(b)) if a <= b => (a, b.min(total.saturating_sub(1))),
            _ => return Range::Ignored,
        },
    };
    if start >= total { Range::Unsatisfiable } else { Range::Span(start, end) }
}

#[cfg(test)]
mod tests {
    use super::{Range, byte_range};

    #[test]
    fn byte_ranges_as_rfc_9110_reads_them() {
        assert_eq!(byte_range("bytes=0-9", 100), Range::Span(0, 9));
        assert_eq!(byte_range("bytes=90-", 100), Range::Span(90, 99));
        assert_eq!(byte_range("bytes=-10", 100), Range::Span(90, 99));
        assert_eq!(byte_range("bytes=-500", 100), Range::Span(0, 99));
        assert_eq!(byte_range("bytes=50-500", 100), Range::Span(50, 99));
        assert_eq!(byte_range("bytes=0-1, 5-6", 100), Range::Span(0, 1));
        for past_the_end in ["bytes=100-", "bytes=200-300", "bytes=-0"] {
            assert_eq!(byte_range(past_the_end, 100), Range::Unsatisfiable, "{past_the_end}");
        }
        assert_eq!(byte_range("bytes=0-", 0), Range::Unsatisfiable);
        for ignored in ["bytes=9-3", "items=0-1", "bytes=x-1", "bytes=5", "bytes=-x"] {
            assert_eq!(byte_range(ignored, 100), Range::Ignored, "{ignored}");
        }
    }
}
