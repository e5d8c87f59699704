//! Makes every error response Mastodon's JSON, including the plain-text ones axum's
//! extractors produce when a request is malformed (bad JSON, bad query, body too large).

use axum::body::to_bytes;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};

use crate::ApiError;

/// Longest plain-text error message that is passed on; longer ones are cut.
const MAX_MESSAGE_BYTES: usize = 1024;

pub(crate) async fn json_errors(response: Response) -> Response {
    let status = response.status();
    // Plain text or nothing is what axum's rejections send; JSON and HTML pages are
    // already what the client should see.
    let plain = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_none_or(|ct| ct.starts_with("text/plain"));
    if !(status.is_client_error() || status.is_server_error()) || !plain {
        return response;
    }
    let (parts, body) = response.into_parts();
    let text = to_bytes(body, 64 * 1024).await.unwrap_or_default();
    let mut message = String::from_utf8_lossy(&text).trim().to_owned();
    if message.is_empty() || status.is_server_error() {
        // Server-side detail stays in the log.
        message = status.canonical_reason().unwrap_or("Error").to_owned();
    }
    if message.len() > MAX_MESSAGE_BYTES {
        let cut = (0..=MAX_MESSAGE_BYTES).rev().find(|&i| message.is_char_boundary(i)).unwrap_or(0);
        message.truncate(cut);
    }
    let mut json = ApiError::new(status, message).into_response();
    for (name, value) in
        parts.headers.iter().filter(|(n, _)| *n != header::CONTENT_TYPE && *n != header::CONTENT_LENGTH)
    {
        json.headers_mut().append(name, value.clone());
    }
    json.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    json
}

#[cfg(test)]
mod tests {
    use axum::Router;
    use axum::body::Body;
    use axum::http::{Request, StatusCode};
    use axum::routing::post;
    use tower::ServiceExt;

    use super::*;

    #[derive(serde::Deserialize)]
    struct Input {
        #[allow(dead_code)]
        status: String,
    }

    fn router() -> Router {
        Router::new()
            .route("/echo", post(|axum::Json(_): axum::Json<Input>| async { "ok" }))
            .route("/boom", post(|| async { (StatusCode::INTERNAL_SERVER_ERROR, "secret detail") }))
            .layer(axum::middleware::map_response(json_errors))
    }

    async fn call(uri: &str, content_type: &str, body: &'static str) -> (StatusCode, serde_json::Value) {
        let request = Request::post(uri).header("content-type", content_type).body(Body::from(body)).unwrap();
        let response = router().oneshot(request).await.unwrap();
        let status = response.status();
        assert_eq!(response.headers()["content-type"], "application/json");
        let bytes = to_bytes(response.into_body(), 1 << 20).await.unwrap();
        (status, serde_json::from_slice(&bytes).unwrap())
    }

    #[tokio::test]
    async fn malformed_bodies_get_error_json_with_axums_status() {
        let (status, body) = call("/echo", "application/json", "{not json").await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert!(body["error"].as_str().unwrap().contains("JSON"), "{body}");

        let (status, body) = call("/echo", "application/json", "{\"other\": 1}").await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(body["error"].as_str().unwrap().contains("status"), "{body}");

        let (status, _) = call("/echo", "text/plain", "hello").await;
        assert_eq!(status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    }

    #[tokio::test]
    async fn server_errors_hide_their_detail() {
        let (status, body) = call("/boom", "text/plain", "").await;
        assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
        assert_eq!(body, serde_json::json!({ "error": "Internal Server Error" }));
    }

    #[tokio::test]
    async fn successes_pass_untouched() {
        let request = Request::post("/echo")
            .header("content-type", "application/json")
            .body(Body::from("{\"status\":\"hi\"}"))
            .unwrap();
        let response = router().oneshot(request).await.unwrap();
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(to_bytes(response.into_body(), 100).await.unwrap(), "ok");
    }
}
