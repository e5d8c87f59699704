//! The sign-up page, at `/auth/sign_up` and at each invite link (`/invite/CODE`).

use app::{App, RegistrationMode};
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use super::web::{csrf_token, expired_form, page, site};
use super::{cookies, pages};
use crate::ApiError;
use crate::params::{Params, lenient};

#[derive(Debug, Deserialize)]
pub(super) struct SignUpFormParams {
    #[serde(default, deserialize_with = "lenient::opt_string")]
    username: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    email: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    password: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_bool")]
    agreement: Option<bool>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    reason: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    invite_code: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    authenticity_token: Option<String>,
}

/// The page saying no one may sign up here now (without an invite, when invites work).
fn closed(app: &App, invite: Option<&str>) -> Option<Response> {
    let mode = app.config().instance.registrations;
    let open = mode.open_to_anyone() || (mode == RegistrationMode::Invite && invite.is_some());
    (!open).then(|| {
        let text = match mode {
            RegistrationMode::Invite => "This server takes new accounts by invitation only.",
            _ => "This server is not accepting new accounts.",
        };
        page(StatusCode::FORBIDDEN, None, pages::message(&site(app), "Sign up", text))
    })
}

/// Whether the form asks why (approval mode, unless an invite lets the person in).
fn asks_reason(app: &App, invite: Option<&str>) -> bool {
    app.config().instance.registrations == RegistrationMode::Approval && invite.is_none()
}

fn form(app: &App, headers: &HeaderMap, invite: Option<&str>) -> Response {
    if let Some(closed) = closed(app, invite) {
        return closed;
    }
    match csrf_token(app, headers) {
        Ok((csrf, set)) => {
            let html = pages::sign_up(&site(app), &csrf, ("", ""), asks_reason(app, invite), invite, None);
            page(StatusCode::OK, set, html)
        }
        Err(e) => e.into_response(),
    }
}

pub(super) async fn show_sign_up(State(app): State<App>, headers: HeaderMap) -> Response {
    form(&app, &headers, None)
}

pub(super) async fn show_invite(State(app): State<App>, headers: HeaderMap, Path(code): Path<String>) -> Response {
    form(&app, &headers, Some(&code))
}

pub(super) async fn sign_up(
    State(app): State<App>,
    headers: HeaderMap,
    Params { value: p, .. }: Params<SignUpFormParams>,
) -> Response {
    let invite = p.invite_code.clone().filter(|c| !c.trim().is_empty());
    if let Some(closed) = closed(&app, invite.as_deref()) {
        return closed;
    }
    let Some(csrf) = cookies::get(&headers, cookies::CSRF)
        .filter(|_| cookies::csrf_matches(&headers, p.authenticity_token.as_deref()))
    else {
        return expired_form(&app);
    };
    let waits = asks_reason(&app, invite.as_deref());
    let (username, email) = (p.username.unwrap_or_default(), p.email.unwrap_or_default());
    let input = app::registrations::SignUp {
        username: username.clone(),
        email: email.clone(),
        password: p.password.unwrap_or_default(),
        agreement: p.agreement.unwrap_or(false),
        reason: p.reason,
        invite_code: invite.clone(),
    };
    match app::registrations::sign_up(&app, input, None).await {
        Ok(_) if waits => page(
            StatusCode::OK,
            None,
            pages::message(
                &site(&app),
                "Almost there",
                "Your sign-up waits for a moderator. You can sign in once it is approved.",
            ),
        ),
        Ok((account, _)) => page(StatusCode::OK, None, pages::welcome(&site(&app), &account.username)),
        Err(e) => {
            let error = ApiError::from(e);
            let message = error.message().to_owned();
            let html =
                pages::sign_up(&site(&app), &csrf, (&username, &email), waits, invite.as_deref(), Some(&message));
            page(error.status(), None, html)
        }
    }
}
