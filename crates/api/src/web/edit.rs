//! Editing one's own post from the website: its source text and content warning, kept
//! in the post's history as an edit through the API's `PUT /api/v1/statuses/:id` does.

use app::App;
use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use domain::Id;
use serde::Deserialize;

use super::page::{Chrome, render};
use super::{Visitor, WebError, actions};
use crate::params::{Params, lenient};

pub(super) fn routes() -> Router<App> {
    Router::new().route("/web/statuses/{id}/edit", get(show).post(save))
}

#[derive(Template)]
#[template(path = "web/edit.html")]
struct EditPage {
    chrome: Chrome,
    id: String,
    text: String,
    spoiler_text: String,
    back: String,
    max_characters: u32,
}

async fn own_status(app: &App, visitor: &Visitor, id: &str) -> Result<domain::Status, WebError> {
    let (account, _) = visitor.signed_in()?;
    let not_found = || WebError::Api(crate::ApiError::not_found());
    let id: Id = id.parse().map_err(|_| not_found())?;
    let status = app::statuses::get_status(app, Some(account.id), id).await?;
    if status.account_id != account.id || status.reblog_of_id.is_some() {
        return Err(not_found());
    }
    Ok(status)
}

async fn show(State(app): State<App>, visitor: Visitor, Path(id): Path<String>) -> Result<Response, WebError> {
    let status = own_status(&app, &visitor, &id).await?;
    let username = visitor.account().map(|a| a.username.clone()).unwrap_or_default();
    let page = EditPage {
        chrome: Chrome::new(&app, &visitor, "Edit post"),
        id: status.id.to_string(),
        text: status.text.clone(),
        spoiler_text: status.spoiler_text.clone(),
        back: format!("/@{username}/{}", status.id),
        max_characters: domain::limits::MAX_STATUS_CHARACTERS,
    };
    render(&visitor, &page)
}

#[derive(Debug, Deserialize)]
struct EditForm {
    #[serde(default, deserialize_with = "lenient::opt_string")]
    authenticity_token: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    status: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    spoiler_text: Option<String>,
}

async fn save(
    State(app): State<App>,
    visitor: Visitor,
    headers: HeaderMap,
    Path(id): Path<String>,
    Params { value: form, .. }: Params<EditForm>,
) -> Result<Response, WebError> {
    actions::check_form(&headers, form.authenticity_token.as_deref())?;
    let status = own_status(&app, &visitor, &id).await?;
    let (account, _) = visitor.signed_in()?;
    let input = app::statuses::EditStatus {
        text: form.status.unwrap_or_default(),
        spoiler_text: form.spoiler_text,
        sensitive: None,
        language: None,
        media_ids: None,
        media_attributes: Vec::new(),
    };
    app::statuses::edit_status(&app, account, status.id, input).await?;
    Ok(Redirect::to(&format!("/@{}/{}", account.username, status.id)).into_response())
}
