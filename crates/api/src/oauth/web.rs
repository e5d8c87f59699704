//! The pages a person sees when an app asks for their account: sign in, then approve
//! or deny. Mastodon apps open these in a browser.

use app::App;
use app::oauth::{AuthorizeQuery, Decision};
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::{cookies, pages};
use crate::ApiError;
use crate::params::{Params, lenient};

#[derive(Debug, Deserialize)]
pub(super) struct AuthorizeParams {
    #[serde(default, deserialize_with = "lenient::opt_string")]
    client_id: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    redirect_uri: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    response_type: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    scope: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    state: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    code_challenge: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    code_challenge_method: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_bool")]
    force_login: Option<bool>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    decision: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    authenticity_token: Option<String>,
}

impl AuthorizeParams {
    fn query(&self) -> AuthorizeQuery {
        AuthorizeQuery {
            client_id: self.client_id.clone().unwrap_or_default(),
            redirect_uri: self.redirect_uri.clone(),
            response_type: self.response_type.clone().unwrap_or_default(),
            scope: self.scope.clone(),
            state: self.state.clone(),
            code_challenge: self.code_challenge.clone(),
            code_challenge_method: self.code_challenge_method.clone(),
        }
    }
}

/// Cookies are marked `Secure` when the public URL is https.
pub(crate) fn secure(app: &App) -> bool {
    app.config().protocol == app::Protocol::Https
}

pub(super) fn site(app: &App) -> String {
    app.config().instance.title.clone()
}

/// The CSRF token from the cookie, or a new one to set.
pub(super) fn csrf_token(app: &App, headers: &HeaderMap) -> Result<(String, Option<HeaderValue>), ApiError> {
    match cookies::get(headers, cookies::CSRF) {
        Some(token) => Ok((token, None)),
        None => {
            let token = app::oauth::new_form_token()?;
            let cookie = cookies::csrf(&token, secure(app));
            Ok((token, Some(cookie)))
        }
    }
}

pub(super) fn page(
    status: StatusCode,
    set_cookie: Option<HeaderValue>,
    html: axum::response::Html<String>,
) -> Response {
    let mut response = (status, html).into_response();
    if let Some(cookie) = set_cookie {
        response.headers_mut().append(header::SET_COOKIE, cookie);
    }
    response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    // The approval page must not be framed by another site (clickjacking).
    response.headers_mut().insert("x-frame-options", HeaderValue::from_static("DENY"));
    response
        .headers_mut()
        .insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(crate::web::OAUTH_CONTENT_SECURITY_POLICY));
    response
}

/// A form whose CSRF token does not match its cookie (old, or posted by another site).
pub(super) fn expired_form(app: &App) -> Response {
    page(StatusCode::FORBIDDEN, None, pages::message(&site(app), "Expired form", "Please go back and try again."))
}

fn oauth_error_page(app: &App, e: ApiError) -> Response {
    let text = e.message().to_owned();
    page(e.status(), None, pages::message(&site(app), "Authorization failed", &text))
}

pub(super) async fn show_authorize(
    State(app): State<App>,
    headers: HeaderMap,
    uri: axum::http::Uri,
    Params { value: p, .. }: Params<AuthorizeParams>,
) -> Response {
    let (csrf, set_csrf) = match csrf_token(&app, &headers) {
        Ok(pair) => pair,
        Err(e) => return e.into_response(),
    };
    let session = cookies::get(&headers, cookies::SESSION).filter(|_| p.force_login != Some(true));
    match app::oauth::prepare_authorization(&app, session.as_deref(), p.query()).await {
        Err(e) => oauth_error_page(&app, e.into()),
        Ok((_, None)) => {
            let return_to =
                uri.path_and_query().map_or("/oauth/authorize", |pq| pq.as_str()).replace("force_login", "_");
            page(StatusCode::OK, set_csrf, pages::sign_in(&site(&app), &return_to, &csrf, "", None))
        }
        Ok((request, Some(account))) => {
            page(StatusCode::OK, set_csrf, pages::authorize(&site(&app), &request, &account.acct(), &csrf))
        }
    }
}

pub(super) async fn decide_authorize(
    State(app): State<App>,
    headers: HeaderMap,
    Params { value: p, .. }: Params<AuthorizeParams>,
) -> Response {
    if !cookies::csrf_matches(&headers, p.authenticity_token.as_deref()) {
        return expired_form(&app);
    }
    let approve = p.decision.as_deref() == Some("approve");
    let session = cookies::get(&headers, cookies::SESSION);
    match app::oauth::decide_authorization(&app, session.as_deref(), p.query(), approve).await {
        Err(e) => oauth_error_page(&app, e.into()),
        Ok(None) => Redirect::to("/auth/sign_in").into_response(),
        Ok(Some(Decision::Granted { request, code })) if request.is_out_of_band() => {
            page(StatusCode::OK, None, pages::show_code(&site(&app), &request.application.name, &code))
        }
        Ok(Some(Decision::Granted { request, code })) => {
            let mut pairs = vec![("code", code.as_str())];
            pairs.extend(request.state.as_deref().map(|s| ("state", s)));
            Redirect::to(&with_query(&request.redirect_uri, &pairs)).into_response()
        }
        Ok(Some(Decision::Denied { request })) if request.is_out_of_band() => {
            page(StatusCode::OK, None, pages::message(&site(&app), "Authorization denied", "You denied the request."))
        }
        Ok(Some(Decision::Denied { request })) => {
            let mut pairs = vec![
                ("error", "access_denied"),
                ("error_description", "The resource owner or authorization server denied the request."),
            ];
            pairs.extend(request.state.as_deref().map(|s| ("state", s)));
            Redirect::to(&with_query(&request.redirect_uri, &pairs)).into_response()
        }
    }
}

#[derive(Debug, Deserialize)]
pub(super) struct SignInParams {
    #[serde(default, deserialize_with = "lenient::opt_string")]
    email: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    password: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    return_to: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    authenticity_token: Option<String>,
}

pub(super) async fn show_sign_in(
    State(app): State<App>,
    headers: HeaderMap,
    Params { value: p, .. }: Params<SignInParams>,
) -> Response {
    match csrf_token(&app, &headers) {
        Ok((csrf, set)) => {
            let return_to = safe_return_to(p.return_to.as_deref());
            page(StatusCode::OK, set, pages::sign_in(&site(&app), return_to, &csrf, "", None))
        }
        Err(e) => e.into_response(),
    }
}

pub(super) async fn sign_in(
    State(app): State<App>,
    headers: HeaderMap,
    Params { value: p, .. }: Params<SignInParams>,
) -> Response {
    let return_to = safe_return_to(p.return_to.as_deref()).to_owned();
    let Some(csrf) = cookies::get(&headers, cookies::CSRF)
        .filter(|_| cookies::csrf_matches(&headers, p.authenticity_token.as_deref()))
    else {
        return expired_form(&app);
    };
    let email = p.email.unwrap_or_default();
    match app::oauth::start_session(&app, &email, &p.password.unwrap_or_default()).await {
        Ok(Some((session, _))) => {
            let mut response = Redirect::to(&return_to).into_response();
            response.headers_mut().append(header::SET_COOKIE, cookies::session(&session, secure(&app)));
            response
        }
        Ok(None) => page(
            StatusCode::UNAUTHORIZED,
            None,
            pages::sign_in(&site(&app), &return_to, &csrf, &email, Some("Invalid e-mail address or password.")),
        ),
        Err(app::AppError::Forbidden(message)) => {
            page(StatusCode::FORBIDDEN, None, pages::sign_in(&site(&app), &return_to, &csrf, &email, Some(message)))
        }
        Err(e) => ApiError::from(e).into_response(),
    }
}

pub(super) async fn sign_out(
    State(app): State<App>,
    headers: HeaderMap,
    Params { value: p, .. }: Params<SignInParams>,
) -> Response {
    if !cookies::csrf_matches(&headers, p.authenticity_token.as_deref()) {
        return expired_form(&app);
    }
    if let Some(session) = cookies::get(&headers, cookies::SESSION)
        && let Err(e) = app::oauth::end_session(&app, &session).await
    {
        return ApiError::from(e).into_response();
    }
    let mut response = Redirect::to("/").into_response();
    response.headers_mut().append(header::SET_COOKIE, cookies::clear_session(secure(&app)));
    response
}

/// Only paths on this site: `/x`, never `//evil.example` or `https://evil.example`.
pub(crate) fn safe_return_to(given: Option<&str>) -> &str {
    match given {
        Some(path)
            if path.starts_with('/')
                && !path.starts_with("//")
                && !path.contains('\\')
                && !path.chars().any(|c| c.is_control() || c.is_whitespace()) =>
        {
            path
        }
        _ => "/",
    }
}

/// `uri` with the pairs added to its query.
fn with_query(uri: &str, pairs: &[(&str, &str)]) -> String {
    let mut serializer = form_urlencoded::Serializer::new(String::new());
    for (k, v) in pairs {
        serializer.append_pair(k, v);
    }
    let separator = if uri.contains('?') { '&' } else { '?' };
    format!("{uri}{separator}{}", serializer.finish())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn return_to_stays_on_this_site() {
        assert_eq!(safe_return_to(Some("/oauth/authorize?x=1")), "/oauth/authorize?x=1");
        for bad in
            ["//evil.example", "https://evil.example", "/\\evil.example", "javascript:x", "/\t/evil.example", "/\n/x"]
        {
            assert_eq!(safe_return_to(Some(bad)), "/", "{bad}");
        }
    }

    #[test]
    fn redirect_keeps_existing_query() {
        assert_eq!(with_query("https://a.example/cb", &[("code", "x y")]), "https://a.example/cb?code=x+y");
        assert_eq!(with_query("myapp://cb?v=1", &[("code", "c")]), "myapp://cb?v=1&code=c");
    }
}
