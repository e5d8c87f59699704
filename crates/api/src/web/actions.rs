//! The buttons under posts and on profiles: each is a small form posted here, checked
//! for its CSRF token, handed to the same use case as the API's endpoint, and answered
//! with a redirect back to the page it came from.

use app::App;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::post;
use domain::Id;
use serde::Deserialize;

use super::{Visitor, WebError};
use crate::oauth::cookies;
use crate::oauth::web::safe_return_to;
use crate::params::{Params, lenient};

pub(super) fn routes() -> Router<App> {
    Router::new()
        .route("/web/statuses/{id}/{action}", post(status_action))
        .route("/web/accounts/{id}/{action}", post(account_action))
}

#[derive(Debug, Deserialize)]
pub(super) struct ActionForm {
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub authenticity_token: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub return_to: Option<String>,
}

/// Refuses a form whose token does not match the visitor's CSRF cookie.
pub(super) fn check_form(headers: &HeaderMap, token: Option<&str>) -> Result<(), WebError> {
    if cookies::csrf_matches(headers, token) { Ok(()) } else { Err(WebError::ExpiredForm) }
}

/// Where to go after an action: the page it came from, unless that page is `gone`.
pub(super) fn back<'a>(return_to: Option<&'a str>, gone: Option<&str>) -> &'a str {
    let path = safe_return_to(return_to);
    match gone {
        Some(gone) if path.split(['?', '#']).next().is_some_and(|p| p.ends_with(gone)) => "/",
        _ => path,
    }
}

fn id(text: &str) -> Result<Id, WebError> {
    text.parse().map_err(|_| WebError::Api(crate::ApiError::not_found()))
}

async fn status_action(
    State(app): State<App>,
    visitor: Visitor,
    headers: HeaderMap,
    Path((status_id, action)): Path<(String, String)>,
    Params { value: form, .. }: Params<ActionForm>,
) -> Result<Response, WebError> {
    let (account, _) = visitor.signed_in()?;
    check_form(&headers, form.authenticity_token.as_deref())?;
    let status_id = id(&status_id)?;
    use app::interactions as i;
    match action.as_str() {
        "favourite" => drop(i::favourite(&app, account, status_id).await?),
        "unfavourite" => drop(i::unfavourite(&app, account, status_id).await?),
        "reblog" => drop(i::reblog(&app, account, status_id, None).await?),
        "unreblog" => drop(i::unreblog(&app, account, status_id).await?),
        "bookmark" => drop(i::bookmark(&app, account, status_id, true).await?),
        "unbookmark" => drop(i::bookmark(&app, account, status_id, false).await?),
        "pin" => drop(app::statuses::pin(&app, account, status_id, true).await?),
        "unpin" => drop(app::statuses::pin(&app, account, status_id, false).await?),
        "delete" => {
            app::statuses::delete_status(&app, account, status_id).await?;
            let gone = status_id.to_string();
            return Ok(Redirect::to(back(form.return_to.as_deref(), Some(&gone))).into_response());
        }
        _ => return Err(WebError::Api(crate::ApiError::no_route())),
    }
    Ok(Redirect::to(back(form.return_to.as_deref(), None)).into_response())
}

async fn account_action(
    State(app): State<App>,
    visitor: Visitor,
    headers: HeaderMap,
    Path((account_id, action)): Path<(String, String)>,
    Params { value: form, .. }: Params<ActionForm>,
) -> Result<Response, WebError> {
    let (account, _) = visitor.signed_in()?;
    check_form(&headers, form.authenticity_token.as_deref())?;
    let target = id(&account_id)?;
    match action.as_str() {
        "follow" => drop(app::follows::follow(&app, account, target).await?),
        "unfollow" => drop(app::follows::unfollow(&app, account, target).await?),
        "block" => drop(app::blocks::block(&app, account, target).await?),
        "unblock" => drop(app::blocks::unblock(&app, account, target).await?),
        "mute" => drop(app::mutes::mute(&app, account, target, true, None).await?),
        "unmute" => drop(app::mutes::unmute(&app, account, target).await?),
        "authorize" => drop(app::follows::answer_request(&app, account, target, true).await?),
        "reject" => drop(app::follows::answer_request(&app, account, target, false).await?),
        _ => return Err(WebError::Api(crate::ApiError::no_route())),
    }
    Ok(Redirect::to(back(form.return_to.as_deref(), None)).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn back_leaves_a_deleted_posts_page() {
        assert_eq!(back(Some("/@a/123"), Some("123")), "/");
        assert_eq!(back(Some("/@a/123#post-123"), Some("123")), "/");
        assert_eq!(back(Some("/?max_id=5"), Some("123")), "/?max_id=5");
        assert_eq!(back(Some("https://evil.example/"), None), "/");
    }
}
