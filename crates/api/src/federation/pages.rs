//! The profile and post URLs people share (`/@name`, `/@name/ID`): ActivityPub JSON for
//! servers that ask for it, and for browsers a plain page (the web interface will
//! replace it) that names its ActivityPub document.

use app::App;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::http::header::VARY;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use domain::text::escape_html as escape;

use super::actors::{activity_json, person_for, wants_activity_json};
use super::fetcher::Fetcher;
use crate::ApiError;

pub(crate) fn routes() -> Router<App> {
    // A segment with a prefix cannot be a route of its own: `/{handle}` takes any single
    // segment that no fixed route takes, and only `@name` is ours.
    Router::new().route("/{handle}", get(profile)).route("/{handle}/{id}", get(post))
}

fn username(handle: &str) -> Result<&str, ApiError> {
    handle.strip_prefix('@').filter(|n| !n.is_empty() && !n.contains('@')).ok_or_else(ApiError::no_route)
}

async fn profile(
    State(app): State<App>,
    Path(handle): Path<String>,
    headers: HeaderMap,
    Fetcher(fetcher): Fetcher,
) -> Result<Response, ApiError> {
    let actor = app::federation::actors::local_actor(&app, username(&handle)?).await?;
    if wants_activity_json(&headers) {
        return Ok(activity_json(person_for(&app, &actor, &fetcher).await));
    }
    let account = &actor.account;
    let name = if account.display_name.is_empty() { &account.username } else { &account.display_name };
    let body = format!(
        "<h1>{}</h1><p>@{}@{}</p><div>{}</div>",
        escape(name),
        escape(&account.username),
        escape(&app.config().domain),
        account.note
    );
    let actor_uri = app::federation::documents::actor_uri(&app, account);
    Ok(page(&app, name, &actor_uri, &body))
}

async fn post(
    State(app): State<App>,
    Path((handle, id)): Path<(String, String)>,
    headers: HeaderMap,
    Fetcher(fetcher): Fetcher,
) -> Result<Response, ApiError> {
    let username = username(&handle)?;
    let note = app::federation::actors::public_note(&app, username, &id, false).await?;
    if wants_activity_json(&headers) {
        fetcher.may_read_from(&app, username).await?;
        return Ok(activity_json(note));
    }
    let summary = note["summary"].as_str().map(|s| format!("<p><strong>{}</strong></p>", escape(s)));
    // The content is our own sanitised HTML.
    let body = format!(
        "<p>{}</p>{}<div>{}</div><p><time>{}</time></p>",
        escape(&handle),
        summary.unwrap_or_default(),
        note["content"].as_str().unwrap_or_default(),
        escape(note["published"].as_str().unwrap_or_default())
    );
    Ok(page(&app, &handle, note["id"].as_str().unwrap_or_default(), &body))
}

fn page(app: &App, title: &str, document: &str, body: &str) -> Response {
    let html = format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{} - {}</title><link rel=\"alternate\" type=\"application/activity+json\" href=\"{}\"></head>\
         <body><main>{body}</main></body></html>",
        escape(title),
        escape(&app.config().instance.title),
        escape(document),
    );
    ([(VARY, "Accept")], Html(html)).into_response()
}
