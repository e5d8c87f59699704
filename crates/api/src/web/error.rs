//! What a page answers when it cannot be shown: an HTML page with the status and a
//! message a person can read, a detour to the sign-in page, or the expired-form page.

use app::AppError;
use askama::Template;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};

use super::page;
use crate::ApiError;

#[derive(Debug)]
pub(crate) enum WebError {
    Api(ApiError),
    /// Signing in is needed first; the path to come back to.
    SignIn(String),
    /// A form whose CSRF token does not match its cookie.
    ExpiredForm,
}

impl From<ApiError> for WebError {
    fn from(e: ApiError) -> Self {
        WebError::Api(e)
    }
}

impl From<AppError> for WebError {
    fn from(e: AppError) -> Self {
        WebError::Api(e.into())
    }
}

#[derive(Template)]
#[template(path = "web/error.html")]
struct ErrorPage<'a> {
    stylesheet: &'a str,
    title: &'a str,
    message: &'a str,
}

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        let (status, title, message) = match &self {
            WebError::SignIn(back) => return Redirect::to(&page::sign_in_path(back)).into_response(),
            WebError::ExpiredForm => {
                (StatusCode::FORBIDDEN, "Expired form", "This form has expired. Please go back, reload and try again.")
            }
            WebError::Api(e) if e.status() == StatusCode::NOT_FOUND => {
                (e.status(), "Not found", "The page you are looking for isn't here.")
            }
            WebError::Api(e) => (e.status(), "Something went wrong", e.message()),
        };
        let html = ErrorPage { stylesheet: &super::assets::STYLESHEET_PATH, title, message }.render();
        page::respond(status, None, html)
    }
}
