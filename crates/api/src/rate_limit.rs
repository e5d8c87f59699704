//! Mastodon's rate limits on the API: 300 requests per 5 minutes per token (or, without
//! one, per client address), and 5 sign-ups per 30 minutes per address. Every API answer
//! carries `X-RateLimit-Limit`, `-Remaining` and `-Reset`; past the limit it is 429.
//!
//! Counts are kept in memory, per process: with several nodes each counts its own share.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use app::App;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::ApiError;

const WINDOW_MILLIS: i64 = 5 * 60 * 1000;
const SIGN_UP_WINDOW_MILLIS: i64 = 30 * 60 * 1000;
const SIGN_UPS_PER_WINDOW: u32 = 5;
/// Above this many keys, windows that ended are swept out.
const SWEEP_ABOVE: usize = 10_000;

/// Fixed windows of request counts, by key.
#[derive(Clone, Default)]
pub(crate) struct RateLimiter {
    windows: Arc<Mutex<HashMap<String, (i64, u32)>>>,
}

impl RateLimiter {
    /// Counts a request; returns (allowed, remaining, window end in ms).
    fn hit(&self, key: String, limit: u32, window: i64, now: i64) -> (bool, u32, i64) {
        let mut windows = self.windows.lock().unwrap_or_else(|e| e.into_inner());
        if windows.len() > SWEEP_ABOVE {
            windows.retain(|_, (start, _)| *start + SIGN_UP_WINDOW_MILLIS > now);
        }
        let entry = windows.entry(key).or_insert((now - now % window, 0));
        if entry.0 + window <= now {
            *entry = (now - now % window, 0);
        }
        entry.1 += 1;
        let allowed = entry.1 <= limit;
        (allowed, limit.saturating_sub(entry.1), entry.0 + window)
    }
}

pub(crate) async fn limit(
    State((app, limiter)): State<(App, RateLimiter)>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    request: Request,
    next: Next,
) -> Response {
    let per_window = app.config().requests_per_five_minutes;
    let path = request.uri().path();
    if per_window == 0 || !path.starts_with("/api/") || request.method() == Method::OPTIONS {
        return next.run(request).await;
    }
    let now = app::now_millis();
    let ip = peer.ip().to_string();
    if request.method() == Method::POST && path == "/api/v1/accounts" {
        let (allowed, remaining, reset) =
            limiter.hit(format!("signup:{ip}"), SIGN_UPS_PER_WINDOW, SIGN_UP_WINDOW_MILLIS, now);
        if !allowed {
            return with_headers(too_many(), SIGN_UPS_PER_WINDOW, remaining, reset);
        }
    }
    let key = request
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .map(|token| format!("token:{}", app::oauth::digest_for_limits(token)))
        .unwrap_or_else(|| format!("ip:{ip}"));
    let (allowed, remaining, reset) = limiter.hit(key, per_window, WINDOW_MILLIS, now);
    let response = if allowed { next.run(request).await } else { too_many() };
    with_headers(response, per_window, remaining, reset)
}

fn too_many() -> Response {
    ApiError::new(StatusCode::TOO_MANY_REQUESTS, "Too many requests").into_response()
}

fn with_headers(mut response: Response, limit: u32, remaining: u32, reset: i64) -> Response {
    let headers = response.headers_mut();
    headers.insert("x-ratelimit-limit", HeaderValue::from(limit));
    headers.insert("x-ratelimit-remaining", HeaderValue::from(remaining));
    // ISO 8601, as Mastodon sends it (clients break on epoch seconds).
    if let Ok(value) = HeaderValue::from_str(&crate::format::datetime(reset)) {
        headers.insert("x-ratelimit-reset", value);
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_count_and_reset() {
        let limiter = RateLimiter::default();
        let start = 1_000_000 * WINDOW_MILLIS;
        for i in 1..=3 {
            assert_eq!(
                limiter.hit("k".into(), 3, WINDOW_MILLIS, start + i),
                (true, 3 - i as u32, start + WINDOW_MILLIS)
            );
        }
        assert!(!limiter.hit("k".into(), 3, WINDOW_MILLIS, start + 10).0);
        assert!(limiter.hit("other".into(), 3, WINDOW_MILLIS, start + 10).0, "keys are separate");
        assert!(limiter.hit("k".into(), 3, WINDOW_MILLIS, start + WINDOW_MILLIS).0, "a new window");
    }
}
