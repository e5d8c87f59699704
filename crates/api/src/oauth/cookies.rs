//! The two cookies of the sign-in pages: the session, and a CSRF token that every
//! form echoes back (double submit), so another site cannot post our forms.

use axum::http::{HeaderMap, HeaderValue, header};

pub(crate) const SESSION: &str = "rookery_session";
pub(crate) const CSRF: &str = "rookery_csrf";
const SESSION_MAX_AGE_SECS: i64 = 14 * 24 * 60 * 60;

pub(crate) fn get(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_owned())
        .filter(|v| !v.is_empty())
}

pub(crate) fn session(value: &str, secure: bool) -> HeaderValue {
    cookie(SESSION, value, SESSION_MAX_AGE_SECS, secure)
}

pub(crate) fn csrf(value: &str, secure: bool) -> HeaderValue {
    cookie(CSRF, value, SESSION_MAX_AGE_SECS, secure)
}

pub(crate) fn clear_session(secure: bool) -> HeaderValue {
    cookie(SESSION, "", 0, secure)
}

fn cookie(name: &str, value: &str, max_age: i64, secure: bool) -> HeaderValue {
    let secure = if secure { "; Secure" } else { "" };
    let text = format!("{name}={value}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age}{secure}");
    HeaderValue::from_str(&text).unwrap_or_else(|_| HeaderValue::from_static(""))
}

/// Whether the form's token matches the cookie; constant time, as it guards a secret.
pub(crate) fn csrf_matches(headers: &HeaderMap, form_token: Option<&str>) -> bool {
    match (get(headers, CSRF), form_token) {
        (Some(cookie), Some(form)) if cookie.len() == form.len() => {
            cookie.bytes().zip(form.bytes()).fold(0u8, |acc, (a, b)| acc | (a ^ b)) == 0
        }
        _ => false,
    }
}
