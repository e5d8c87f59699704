//! Settings: the profile (name, bio, fields, avatar and header, locked, bot,
//! discoverable) and account security (password, signed-in browsers, authorized
//! applications, each revocable). Through the same use cases as `update_credentials`
//! and the OAuth revocation.

use app::App;
use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;

use super::page::{Chrome, render};
use super::{Visitor, WebError, actions};
use crate::format;
use crate::oauth::cookies;
use crate::params::{Params, lenient};

pub(super) fn routes() -> Router<App> {
    Router::new()
        .route("/settings/profile", get(show_profile).post(save_profile))
        .layer(axum::extract::DefaultBodyLimit::max(domain::limits::IMAGE_SIZE_LIMIT as usize * 2 + 1024 * 1024))
        .route("/settings/security", get(show_security))
        .route("/settings/password", post(change_password))
        .route("/settings/sessions/{handle}/revoke", post(revoke_session))
        .route("/settings/applications/{id}/revoke", post(revoke_application))
}

#[derive(Template)]
#[template(path = "web/settings_profile.html")]
struct ProfileSettings {
    chrome: Chrome,
    display_name: String,
    note: String,
    locked: bool,
    bot: bool,
    discoverable: bool,
    /// Always four rows, as Mastodon's form has.
    fields: Vec<(usize, String, String)>,
    saved: bool,
}

#[derive(Debug, Deserialize)]
struct Saved {
    #[serde(default, deserialize_with = "lenient::opt_bool")]
    saved: Option<bool>,
}

async fn show_profile(
    State(app): State<App>,
    visitor: Visitor,
    Params { value: q, .. }: Params<Saved>,
) -> Result<Response, WebError> {
    let (account, _) = visitor.signed_in()?;
    let mut fields: Vec<(usize, String, String)> =
        account.fields.iter().enumerate().map(|(i, f)| (i, f.name.clone(), f.value.clone())).collect();
    while fields.len() < domain::limits::MAX_PROFILE_FIELDS as usize {
        fields.push((fields.len(), String::new(), String::new()));
    }
    let page = ProfileSettings {
        chrome: Chrome::new(&app, &visitor, "Edit profile"),
        display_name: account.display_name.clone(),
        note: account.note_source.clone(),
        locked: account.locked,
        bot: account.bot,
        discoverable: account.discoverable,
        fields,
        saved: q.saved == Some(true),
    };
    render(&visitor, &page)
}

async fn save_profile(
    State(app): State<App>,
    visitor: Visitor,
    headers: HeaderMap,
    Params { value: form, files }: Params<serde_json::Map<String, serde_json::Value>>,
) -> Result<Response, WebError> {
    let (account, user) = visitor.signed_in()?;
    let text = |name: &str| form.get(name).and_then(|v| v.as_str()).map(str::to_owned);
    actions::check_form(&headers, text("authenticity_token").as_deref())?;
    let checked = |name: &str| Some(text(name).is_some_and(|v| v == "true" || v == "1" || v == "on"));
    let fields = (0..domain::limits::MAX_PROFILE_FIELDS)
        .map(|i| {
            (
                text(&format!("field_name_{i}")).unwrap_or_default(),
                text(&format!("field_value_{i}")).unwrap_or_default(),
            )
        })
        .filter(|(name, value)| !name.trim().is_empty() || !value.trim().is_empty())
        .collect();
    let picture = |field: &str| {
        files
            .iter()
            .find(|f| f.field == field && !f.bytes.is_empty())
            .map(|f| app::profiles::Upload { bytes: f.bytes.to_vec() })
    };
    let input = app::profiles::UpdateProfile {
        display_name: text("display_name"),
        note: text("note"),
        locked: checked("locked"),
        bot: checked("bot"),
        discoverable: checked("discoverable"),
        fields: Some(fields),
        avatar: picture("avatar"),
        header: picture("header"),
        ..Default::default()
    };
    app::profiles::update_profile(&app, account, user, input).await?;
    Ok(Redirect::to("/settings/profile?saved=true").into_response())
}

#[derive(Template)]
#[template(path = "web/settings_security.html")]
struct SecuritySettings {
    chrome: Chrome,
    sessions: Vec<(app::oauth::SessionInfo, String)>,
    applications: Vec<(String, String, String)>,
    message: Option<&'static str>,
}

#[derive(Debug, Deserialize)]
struct SecurityQuery {
    #[serde(default, deserialize_with = "lenient::opt_string")]
    done: Option<String>,
}

async fn show_security(
    State(app): State<App>,
    visitor: Visitor,
    headers: HeaderMap,
    Params { value: q, .. }: Params<SecurityQuery>,
) -> Result<Response, WebError> {
    let (account, _) = visitor.signed_in()?;
    let current = cookies::get(&headers, cookies::SESSION).unwrap_or_default();
    let sessions = app::oauth::list_sessions(&app, account, &current)
        .await?
        .into_iter()
        .map(|s| {
            let since = format::date(s.created_at);
            (s, since)
        })
        .collect();
    let applications = app::oauth::authorized_applications(&app, account)
        .await?
        .into_iter()
        .map(|a| (a.id.to_string(), a.name, a.scopes.to_string()))
        .collect();
    let message = match q.done.as_deref() {
        Some("password") => Some("Your password was changed. Your other browsers were signed out."),
        Some("session") => Some("That browser was signed out."),
        Some("application") => Some("That application no longer has access."),
        _ => None,
    };
    let page =
        SecuritySettings { chrome: Chrome::new(&app, &visitor, "Account security"), sessions, applications, message };
    render(&visitor, &page)
}

#[derive(Debug, Deserialize)]
struct PasswordForm {
    #[serde(default, deserialize_with = "lenient::opt_string")]
    authenticity_token: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    current_password: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    password: Option<String>,
}

async fn change_password(
    State(app): State<App>,
    visitor: Visitor,
    headers: HeaderMap,
    Params { value: form, .. }: Params<PasswordForm>,
) -> Result<Response, WebError> {
    let (account, _) = visitor.signed_in()?;
    actions::check_form(&headers, form.authenticity_token.as_deref())?;
    let session = cookies::get(&headers, cookies::SESSION).unwrap_or_default();
    let (current, new) = (form.current_password.unwrap_or_default(), form.password.unwrap_or_default());
    app::oauth::change_password(&app, account, &session, &current, &new).await?;
    Ok(Redirect::to("/settings/security?done=password").into_response())
}

async fn revoke_session(
    State(app): State<App>,
    visitor: Visitor,
    headers: HeaderMap,
    Path(handle): Path<String>,
    Params { value: form, .. }: Params<actions::ActionForm>,
) -> Result<Response, WebError> {
    let (account, _) = visitor.signed_in()?;
    actions::check_form(&headers, form.authenticity_token.as_deref())?;
    app::oauth::end_session_by_handle(&app, account, &handle).await?;
    Ok(Redirect::to("/settings/security?done=session").into_response())
}

async fn revoke_application(
    State(app): State<App>,
    visitor: Visitor,
    headers: HeaderMap,
    Path(id): Path<String>,
    Params { value: form, .. }: Params<actions::ActionForm>,
) -> Result<Response, WebError> {
    let (account, _) = visitor.signed_in()?;
    actions::check_form(&headers, form.authenticity_token.as_deref())?;
    let id = id.parse().map_err(|_| WebError::Api(crate::ApiError::not_found()))?;
    app::oauth::revoke_application(&app, account, id).await?;
    Ok(Redirect::to("/settings/security?done=application").into_response())
}
