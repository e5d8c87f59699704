//! Actor documents: each local account as a Person (a Service when it is a bot), the
//! instance actor, and each post as a Note with its Create, served to requests that ask
//! for ActivityPub JSON; browsers are sent to the matching page.

use app::App;
use app::federation::actors::LocalActor;
use app::federation::collections::{self, CollectionKind, CollectionQuery};
use app::federation::signatures::Fetcher as Signer;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::header::{ACCEPT, CONTENT_TYPE, LOCATION, VARY};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde::Deserialize;
use serde_json::Value;

use super::fetcher::Fetcher;
use crate::ApiError;

pub(crate) fn routes() -> Router<App> {
    Router::new()
        .route("/users/{username}", get(actor))
        .route("/actor", get(instance_actor))
        .route("/users/{username}/statuses/{id}", get(note))
        .route("/users/{username}/statuses/{id}/activity", get(create))
        .route("/users/{username}/outbox", get(|s, u, q, f| collection(s, u, q, f, CollectionKind::Outbox)))
        .route("/users/{username}/followers", get(|s, u, q, f| collection(s, u, q, f, CollectionKind::Followers)))
        .route("/users/{username}/following", get(|s, u, q, f| collection(s, u, q, f, CollectionKind::Following)))
        .route("/users/{username}/collections/featured", get(featured))
        .route("/users/{username}/collections/tags", get(featured_tags))
}

pub(crate) const ACTIVITY_JSON: &str = "application/activity+json; charset=utf-8";

/// Whether the client asked for ActivityPub: `application/activity+json`, or JSON-LD
/// (with or without the ActivityStreams profile), or plain JSON, as Mastodon answers.
pub(crate) fn wants_activity_json(headers: &HeaderMap) -> bool {
    headers.get_all(ACCEPT).iter().filter_map(|v| v.to_str().ok()).flat_map(|v| v.split(',')).any(|range| {
        let media_type = range.split(';').next().unwrap_or_default().trim().to_ascii_lowercase();
        matches!(media_type.as_str(), "application/activity+json" | "application/ld+json" | "application/json")
    })
}

pub(crate) fn activity_json(document: Value) -> Response {
    ([(CONTENT_TYPE, ACTIVITY_JSON), (VARY, "Accept")], document.to_string()).into_response()
}

fn to_page(location: String) -> Response {
    (StatusCode::FOUND, [(LOCATION, location), (VARY, "Accept".to_owned())]).into_response()
}

async fn actor(
    State(app): State<App>,
    Path(username): Path<String>,
    headers: HeaderMap,
    Fetcher(fetcher): Fetcher,
) -> Result<Response, ApiError> {
    let actor = app::federation::actors::local_actor(&app, &username).await?;
    if !wants_activity_json(&headers) {
        // Browsers go to the profile page, as on Mastodon.
        return Ok(to_page(format!("{}/@{}", app.config().base_url(), actor.account.username)));
    }
    Ok(activity_json(person_for(&app, &actor, &fetcher).await))
}

/// A local account's Person as `fetcher` may see it: whole, or (unsigned in
/// authorized-fetch mode, or blocked) only what checking its signatures needs.
pub(crate) async fn person_for(app: &App, actor: &LocalActor, fetcher: &Signer) -> Value {
    let person = app::federation::documents::person(app, &actor.account, &actor.public_key_pem);
    match fetcher.may_read_from(app, &actor.account.username).await {
        Ok(()) => person,
        Err(_) => app::federation::documents::restricted_person(person),
    }
}

async fn instance_actor(State(app): State<App>) -> Result<Response, ApiError> {
    Ok(activity_json(app::federation::actors::instance_actor(&app).await?))
}

async fn note(
    State(app): State<App>,
    Path((username, id)): Path<(String, String)>,
    headers: HeaderMap,
    Fetcher(fetcher): Fetcher,
) -> Result<Response, ApiError> {
    if !wants_activity_json(&headers) {
        return Ok(to_page(format!("{}/@{username}/{id}", app.config().base_url())));
    }
    fetcher.may_read_from(&app, &username).await?;
    Ok(activity_json(app::federation::actors::public_note(&app, &username, &id, false).await?))
}

async fn create(
    State(app): State<App>,
    Path((username, id)): Path<(String, String)>,
    Fetcher(fetcher): Fetcher,
) -> Result<Response, ApiError> {
    fetcher.may_read_from(&app, &username).await?;
    Ok(activity_json(app::federation::actors::public_note(&app, &username, &id, true).await?))
}

/// `?page=true` (or any `page`) asks for a page; `max_id` and `min_id` move through it.
#[derive(Deserialize)]
struct PageParams {
    page: Option<String>,
    max_id: Option<String>,
    min_id: Option<String>,
}

impl PageParams {
    fn query(&self) -> CollectionQuery {
        let id = |v: &Option<String>| v.as_deref().and_then(|s| s.parse().ok());
        CollectionQuery { page: self.page.is_some(), max_id: id(&self.max_id), min_id: id(&self.min_id) }
    }
}

async fn collection(
    State(app): State<App>,
    Path(username): Path<String>,
    Query(params): Query<PageParams>,
    Fetcher(fetcher): Fetcher,
    kind: CollectionKind,
) -> Result<Response, ApiError> {
    fetcher.may_read_from(&app, &username).await?;
    Ok(activity_json(collections::collection(&app, &username, kind, &params.query()).await?))
}

async fn featured(
    State(app): State<App>,
    Path(username): Path<String>,
    Fetcher(fetcher): Fetcher,
) -> Result<Response, ApiError> {
    fetcher.may_read_from(&app, &username).await?;
    Ok(activity_json(collections::featured(&app, &username).await?))
}

async fn featured_tags(
    State(app): State<App>,
    Path(username): Path<String>,
    Fetcher(fetcher): Fetcher,
) -> Result<Response, ApiError> {
    fetcher.may_read_from(&app, &username).await?;
    Ok(activity_json(collections::featured_tags(&app, &username).await?))
}
