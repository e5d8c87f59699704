//! What every page shares: the frame around it (`Chrome`: the site, the signed-in
//! person, meta tags for link previews) and the headers it is sent with.

use app::App;
use askama::Template;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};

use super::assets::{SCRIPT_PATH, STYLESHEET_PATH};
use super::{Visitor, WebError};
use crate::mastodon::entities::account::AccountEntity;

/// Scripts, styles, pictures and connections only from this site; no frames, no plugins,
/// forms only to here. Remote pictures reach browsers through our media cache.
pub(crate) const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; script-src 'self'; style-src 'self'; \
     img-src 'self' data: blob:; media-src 'self' blob:; connect-src 'self'; font-src 'self'; \
     form-action 'self'; frame-ancestors 'none'; base-uri 'none'; manifest-src 'self'";

/// The same for the OAuth pages, without `form-action`: approving sends the browser on
/// to the app's redirect URI, which browsers check against `form-action` too.
pub(crate) const OAUTH_CONTENT_SECURITY_POLICY: &str = "default-src 'none'; script-src 'self'; style-src 'self'; \
     img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'";

pub(crate) struct Chrome {
    pub site: String,
    pub title: String,
    pub description: String,
    pub canonical: Option<String>,
    pub image: Option<String>,
    pub og_type: &'static str,
    /// `(media type, href)` of other forms of this page: ActivityPub, RSS.
    pub alternates: Vec<(&'static str, String)>,
    pub noindex: bool,
    pub me: Option<AccountEntity>,
    pub staff: bool,
    pub csrf: String,
    pub here: String,
    /// The sign-in page, coming back here afterwards.
    pub sign_in_path: String,
    pub stylesheet: &'static str,
    pub script: &'static str,
}

impl Chrome {
    pub(crate) fn new(app: &App, visitor: &Visitor, title: impl Into<String>) -> Self {
        let me = visitor.account().map(|a| AccountEntity::new(app.config(), a, None));
        Chrome {
            site: app.config().instance.title.clone(),
            title: title.into(),
            description: app.config().instance.description.clone(),
            canonical: None,
            image: None,
            og_type: "website",
            alternates: Vec::new(),
            noindex: false,
            me,
            staff: visitor.user.as_ref().is_some_and(|(_, u)| u.role >= domain::Role::Moderator),
            csrf: visitor.csrf.clone(),
            here: visitor.here.clone(),
            sign_in_path: sign_in_path(&visitor.here),
            stylesheet: &STYLESHEET_PATH,
            script: &SCRIPT_PATH,
        }
    }
}

pub(crate) fn sign_in_path(back: &str) -> String {
    let mut query = form_urlencoded::Serializer::new(String::new());
    query.append_pair("return_to", back);
    format!("/auth/sign_in?{}", query.finish())
}

/// Renders a page for the visitor with the headers every page has.
pub(crate) fn render(visitor: &Visitor, template: &impl Template) -> Result<Response, WebError> {
    let mut response = respond(StatusCode::OK, visitor.set_csrf.clone(), template.render());
    let cache = if visitor.user.is_some() { "private, no-store" } else { "private, no-cache" };
    response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    Ok(response)
}

pub(super) fn respond(
    status: StatusCode,
    set_cookie: Option<HeaderValue>,
    html: Result<String, askama::Error>,
) -> Response {
    let mut response = match html {
        Ok(html) => (status, Html(html)).into_response(),
        Err(e) => {
            tracing::error!(cause = %e, "page failed to render");
            (StatusCode::INTERNAL_SERVER_ERROR, "Internal Server Error").into_response()
        }
    };
    let headers = response.headers_mut();
    if let Some(cookie) = set_cookie {
        headers.append(header::SET_COOKIE, cookie);
    }
    headers.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(CONTENT_SECURITY_POLICY));
    headers.insert("x-frame-options", HeaderValue::from_static("DENY"));
    headers.insert("x-content-type-options", HeaderValue::from_static("nosniff"));
    headers.insert(header::REFERRER_POLICY, HeaderValue::from_static("same-origin"));
    headers.insert(header::VARY, HeaderValue::from_static("Accept, Cookie"));
    response
}
