//! Mastodon's rate limits: on the API 300 requests per 5 minutes per token (or, without
//! one, per client address, with a ceiling per address whatever tokens it sends); 25
//! sign-in, token and password-change attempts per 5 minutes (per address, and for a
//! password change per session too), 5 sign-ups and 30 media uploads per 30 minutes per
//! address.
//! Every API answer carries `X-RateLimit-Limit`, `-Remaining` and `-Reset`; past a limit
//! it is 429.
//!
//! Counts are kept in memory, per process: with several nodes each counts its own share.
//! Behind a reverse proxy, the client's address comes from `X-Forwarded-For`, believed
//! only from the trusted proxies (`ROOKERY_TRUSTED_PROXIES`, loopback by default).

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex};

use app::App;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::ApiError;

const WINDOW_MILLIS: i64 = 5 * 60 * 1000;
const SIGN_UP_WINDOW_MILLIS: i64 = 30 * 60 * 1000;
const SIGN_UPS_PER_WINDOW: u32 = 5;
/// Uploads per address per sign-up window (30 minutes), as Mastodon allows: each one
/// costs a picture's decoding.
const UPLOADS_PER_WINDOW: u32 = 30;
/// Sign-in and token attempts per address per window, as Mastodon allows.
const LOGINS_PER_WINDOW: u32 = 25;
/// Every address may make this many times the per-token limit, whatever tokens it
/// sends: made-up tokens cannot buy fresh allowances.
const ADDRESS_CEILING_FACTOR: u32 = 5;
/// Keys kept at most; past this, new keys are not tracked (the address ceiling still is).
const MAX_KEYS: usize = 100_000;
/// Windows that ended are swept out at most this often.
const SWEEP_EVERY_MILLIS: i64 = 60 * 1000;

/// Fixed windows of request counts, by key.
#[derive(Clone, Default)]
pub(crate) struct RateLimiter {
    state: Arc<Mutex<Windows>>,
}

#[derive(Default)]
struct Windows {
    counts: HashMap<String, (i64, u32)>,
    last_sweep: i64,
}

impl RateLimiter {
    /// Counts a request; returns (allowed, remaining, window end in ms).
    fn hit(&self, key: String, limit: u32, window: i64, now: i64) -> (bool, u32, i64) {
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        if now - state.last_sweep > SWEEP_EVERY_MILLIS {
            state.counts.retain(|_, (start, _)| *start + SIGN_UP_WINDOW_MILLIS > now);
            state.last_sweep = now;
        }
        let start = now - now % window;
        if !state.counts.contains_key(&key) && state.counts.len() >= MAX_KEYS {
            return (true, limit, start + window);
        }
        let entry = state.counts.entry(key).or_insert((start, 0));
        if entry.0 + window <= now {
            *entry = (start, 0);
        }
        entry.1 += 1;
        (entry.1 <= limit, limit.saturating_sub(entry.1), entry.0 + window)
    }
}

pub(crate) async fn limit(
    State((app, limiter)): State<(App, RateLimiter)>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    request: Request,
    next: Next,
) -> Response {
    let per_window = app.config().requests_per_five_minutes;
    if per_window == 0 || request.method() == Method::OPTIONS {
        return next.run(request).await;
    }
    let path = request.uri().path().to_owned();
    let post = request.method() == Method::POST;
    let now = app::now_millis();
    let ip = client_address(peer.ip(), request.headers(), &app.config().trusted_proxies).to_string();
    // Forms that guess passwords or make accounts: per address, API or not.
    if post && matches!(path.as_str(), "/auth/sign_in" | "/oauth/token") {
        let (allowed, remaining, reset) = limiter.hit(format!("login:{ip}"), LOGINS_PER_WINDOW, WINDOW_MILLIS, now);
        if !allowed {
            return with_headers(too_many(), LOGINS_PER_WINDOW, remaining, reset);
        }
    }
    // Changing the password checks the current one: a stolen session must not buy
    // unlimited guesses, from one address or many.
    if post && path == "/settings/password" {
        let cookies = request.headers().get_all(header::COOKIE).iter().filter_map(|v| v.to_str().ok());
        let session = cookies
            .flat_map(|v| v.split(';'))
            .find_map(|c| c.trim().strip_prefix(crate::oauth::cookies::SESSION)?.strip_prefix('='))
            .unwrap_or_default();
        let session = format!("password:{}", app::oauth::digest_for_limits(session));
        for key in [format!("login:{ip}"), session] {
            let (allowed, remaining, reset) = limiter.hit(key, LOGINS_PER_WINDOW, WINDOW_MILLIS, now);
            if !allowed {
                return with_headers(too_many(), LOGINS_PER_WINDOW, remaining, reset);
            }
        }
    }
    if post && matches!(path.as_str(), "/api/v1/accounts" | "/auth/sign_up") {
        let (allowed, remaining, reset) =
            limiter.hit(format!("signup:{ip}"), SIGN_UPS_PER_WINDOW, SIGN_UP_WINDOW_MILLIS, now);
        if !allowed {
            return with_headers(too_many(), SIGN_UPS_PER_WINDOW, remaining, reset);
        }
    }
    if post && matches!(path.as_str(), "/api/v1/media" | "/api/v2/media") {
        let (allowed, remaining, reset) =
            limiter.hit(format!("media:{ip}"), UPLOADS_PER_WINDOW, SIGN_UP_WINDOW_MILLIS, now);
        if !allowed {
            return with_headers(too_many(), UPLOADS_PER_WINDOW, remaining, reset);
        }
    }
    if !path.starts_with("/api/") {
        return next.run(request).await;
    }
    let token =
        request.headers().get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()).map(app::oauth::digest_for_limits);
    let (allowed, remaining, reset) = match token {
        Some(token) => {
            let ceiling = per_window.saturating_mul(ADDRESS_CEILING_FACTOR);
            let (address_ok, _, _) = limiter.hit(format!("addr:{ip}"), ceiling, WINDOW_MILLIS, now);
            let (token_ok, remaining, reset) = limiter.hit(format!("token:{token}"), per_window, WINDOW_MILLIS, now);
            (address_ok && token_ok, remaining, reset)
        }
        None => limiter.hit(format!("ip:{ip}"), per_window, WINDOW_MILLIS, now),
    };
    let response = if allowed { next.run(request).await } else { too_many() };
    with_headers(response, per_window, remaining, reset)
}

/// The client's address: the peer, unless the peer is a trusted proxy; then the
/// right-most `X-Forwarded-For` entry that is not a trusted proxy (entries further left
/// were written by the client and prove nothing).
fn client_address(peer: IpAddr, headers: &HeaderMap, trusted: &[IpAddr]) -> IpAddr {
    if !trusted.contains(&peer) {
        return peer;
    }
    let forwarded = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .filter_map(|a| a.trim().parse::<IpAddr>().ok())
        .collect::<Vec<_>>();
    forwarded.into_iter().rev().find(|a| !trusted.contains(a)).unwrap_or(peer)
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
    fn client_addresses_come_through_trusted_proxies_only() {
        let proxy: IpAddr = "127.0.0.1".parse().unwrap();
        let mut headers = HeaderMap::new();
        headers.insert("x-forwarded-for", "6.6.6.6, 203.0.113.9".parse().unwrap());
        assert_eq!(
            client_address(proxy, &headers, &[proxy]).to_string(),
            "203.0.113.9",
            "right-most, not the forged one"
        );
        let stranger: IpAddr = "198.51.100.7".parse().unwrap();
        assert_eq!(
            client_address(stranger, &headers, &[proxy]),
            stranger,
            "untrusted peers cannot claim another address"
        );
        assert_eq!(client_address(proxy, &HeaderMap::new(), &[proxy]), proxy);
    }

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
