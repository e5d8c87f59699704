//! What wraps every request: a request id, a log line, panic safety and CORS.

use axum::Router;
use axum::http::{HeaderName, HeaderValue, Method, Request, header};
use axum::response::IntoResponse;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::cors::{AllowOrigin, Any, CorsLayer};
use tower_http::request_id::{MakeRequestId, PropagateRequestIdLayer, RequestId, SetRequestIdLayer};
use tower_http::trace::{DefaultOnResponse, TraceLayer};
use tracing::Level;

use crate::ApiError;

const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

pub(crate) fn apply(router: Router) -> Router {
    router
        .layer(axum::middleware::map_response(crate::error_json::json_errors))
        .layer(CatchPanicLayer::custom(|payload: Box<dyn std::any::Any + Send>| {
            let message = payload
                .downcast_ref::<&str>()
                .map(|s| (*s).to_owned())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_default();
            tracing::error!(panic = %message, "handler panicked");
            ApiError::internal().into_response()
        }))
        // Outside the routes, so preflight OPTIONS requests (no route has an OPTIONS
        // handler) are answered too.
        .layer(cors())
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(|req: &Request<_>| {
                    let id = req.headers().get(&REQUEST_ID).and_then(|v| v.to_str().ok()).unwrap_or("");
                    // The path only: query strings can carry access tokens.
                    tracing::info_span!("request", request_id = %id, method = %req.method(), path = %req.uri().path())
                })
                .on_response(DefaultOnResponse::new().level(Level::INFO)),
        )
        .layer(PropagateRequestIdLayer::new(REQUEST_ID))
        .layer(SetRequestIdLayer::new(REQUEST_ID, RandomRequestId))
        .layer(axum::middleware::map_request(drop_unsafe_request_id))
}

/// CORS as Mastodon sets it for `/api`, `/oauth/token`, `/.well-known` and `/nodeinfo`:
/// any origin, and the pagination and rate-limit headers readable by scripts. It is
/// applied everywhere: without credentials it exposes nothing a server-side fetch
/// could not read.
fn cors() -> CorsLayer {
    CorsLayer::new()
        .allow_origin(AllowOrigin::any())
        .allow_methods([Method::GET, Method::POST, Method::PUT, Method::PATCH, Method::DELETE, Method::OPTIONS])
        .allow_headers(Any)
        .expose_headers([
            header::LINK,
            HeaderName::from_static("x-ratelimit-limit"),
            HeaderName::from_static("x-ratelimit-remaining"),
            HeaderName::from_static("x-ratelimit-reset"),
            REQUEST_ID,
        ])
        .max_age(std::time::Duration::from_secs(86_400))
}

/// A request id from outside is kept only if it is short and plain, so it cannot
/// forge fields in text logs; otherwise a fresh one is made.
async fn drop_unsafe_request_id(mut request: Request<axum::body::Body>) -> Request<axum::body::Body> {
    let safe = request.headers().get(&REQUEST_ID).is_none_or(|v| {
        v.len() <= 64 && v.as_bytes().iter().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
    });
    if !safe {
        request.headers_mut().remove(&REQUEST_ID);
    }
    request
}

/// 128 random bits in hex; a request id the client sent (or a proxy set) is kept.
#[derive(Clone, Copy)]
struct RandomRequestId;

impl MakeRequestId for RandomRequestId {
    fn make_request_id<B>(&mut self, _request: &Request<B>) -> Option<RequestId> {
        let bytes = app::random_bytes::<16>().ok()?;
        let hex = domain::hex(&bytes);
        HeaderValue::from_str(&hex).ok().map(RequestId::new)
    }
}
