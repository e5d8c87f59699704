//! The inboxes (each account's and the shared one): 202 once an activity is checked and
//! stored; processing happens after the answer.

use app::App;
use app::federation::inbox::{InboxRequest, MAX_BODY_BYTES};
use axum::Router;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, OriginalUri, Path, State};
use axum::http::{HeaderMap, Method, StatusCode};
use axum::routing::post;

use crate::ApiError;

pub(crate) fn routes() -> Router<App> {
    Router::new()
        .route("/inbox", post(shared_inbox))
        .route("/users/{username}/inbox", post(user_inbox))
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
}

async fn shared_inbox(
    State(app): State<App>,
    method: Method,
    OriginalUri(uri): OriginalUri,
    headers: HeaderMap,
    body: Bytes,
) -> Result<StatusCode, ApiError> {
    receive(&app, method, uri, headers, body, None).await
}

async fn user_inbox(
    State(app): State<App>,
    Path(username): Path<String>,
    method: Method,
    OriginalUri(uri): OriginalUri,
    headers: HeaderMap,
    body: Bytes,
) -> Result<StatusCode, ApiError> {
    receive(&app, method, uri, headers, body, Some(&username)).await
}

async fn receive(
    app: &App,
    method: Method,
    uri: axum::http::Uri,
    headers: HeaderMap,
    body: Bytes,
    username: Option<&str>,
) -> Result<StatusCode, ApiError> {
    let pairs: Vec<(&str, &str)> =
        headers.iter().filter_map(|(name, value)| Some((name.as_str(), value.to_str().ok()?))).collect();
    let path_and_query = uri.path_and_query().map_or(uri.path(), |p| p.as_str());
    let request = InboxRequest { method: method.as_str(), path_and_query, headers: &pairs, body: &body, username };
    app::federation::inbox::receive(app, request).await?;
    Ok(StatusCode::ACCEPTED)
}
