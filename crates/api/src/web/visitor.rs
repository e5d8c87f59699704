//! Who is looking at a page: the person signed in with the session cookie, if any, and
//! the CSRF token their forms must echo (double submit: the same random value in a
//! cookie and in each form, which another site can neither read nor set).

use app::App;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderValue, Method, header};
use domain::{Account, LocalUser};

use super::WebError;
use crate::oauth::cookies;

pub(crate) struct Visitor {
    pub user: Option<(Account, LocalUser)>,
    pub csrf: String,
    /// A new CSRF cookie, when the browser had none.
    pub set_csrf: Option<HeaderValue>,
    /// The path and query asked for (for an action, the page its form was on), for links
    /// back here after an action or a sign-in.
    pub here: String,
}

impl FromRequestParts<App> for Visitor {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, app: &App) -> Result<Self, WebError> {
        let user = match cookies::get(&parts.headers, cookies::SESSION) {
            Some(session) => app::oauth::session_account(app, &session)
                .await?
                .filter(|(account, user)| user.approved && !account.moderation.locked_out()),
            None => None,
        };
        let (csrf, set_csrf) = match cookies::get(&parts.headers, cookies::CSRF) {
            Some(token) => (token, None),
            None => {
                let token = app::oauth::new_form_token()?;
                let cookie = cookies::csrf(&token, crate::oauth::web::secure(app));
                (token, Some(cookie))
            }
        };
        let here = match parts.method {
            Method::GET | Method::HEAD => parts.uri.path_and_query().map_or("/", |pq| pq.as_str()).to_owned(),
            // An action's own path answers only its form: back is the page the form was
            // on, when it is one of this site's.
            _ => parts
                .headers
                .get(header::REFERER)
                .and_then(|r| r.to_str().ok())
                .and_then(|r| r.strip_prefix(app.config().base_url().as_str()))
                .filter(|path| path.starts_with('/') && !path.starts_with("//"))
                .unwrap_or("/")
                .to_owned(),
        };
        Ok(Visitor { user, csrf, set_csrf, here })
    }
}

impl Visitor {
    pub(crate) fn account(&self) -> Option<&Account> {
        self.user.as_ref().map(|(account, _)| account)
    }

    pub(crate) fn viewer(&self) -> Option<domain::Id> {
        self.account().map(|a| a.id)
    }

    /// The signed-in person, or a detour through the sign-in page back to here.
    pub(crate) fn signed_in(&self) -> Result<(&Account, &LocalUser), WebError> {
        self.user.as_ref().map(|(a, u)| (a, u)).ok_or_else(|| WebError::SignIn(self.here.clone()))
    }
}
