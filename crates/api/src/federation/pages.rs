//! The profile and post URLs people share (`/@name`, `/@name/ID`): ActivityPub JSON for
//! servers that ask for it, and for browsers the website's pages (`crate::web`), which
//! also answer `/@name@domain`, `/@name.rss` and a profile's tabs.

use app::App;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::http::header::VARY;
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use super::actors::{activity_json, person_for, wants_activity_json};
use super::fetcher::Fetcher;
use crate::ApiError;
use crate::pagination::PageParams;
use crate::params::Params;
use crate::web::{Tab, Visitor, WebError};

pub(crate) fn routes() -> Router<App> {
    // A segment with a prefix cannot be a route of its own: `/{handle}` takes any single
    // segment that no fixed route takes, and only `@name` is ours.
    Router::new().route("/{handle}", get(profile)).route("/{handle}/{id}", get(post))
}

/// `@name` or `@name@domain`, without the `@`.
fn acct(handle: &str) -> Result<&str, ApiError> {
    handle.strip_prefix('@').filter(|n| !n.is_empty() && !n.starts_with('@')).ok_or_else(ApiError::no_route)
}

fn local(acct: &str) -> Option<&str> {
    (!acct.contains('@')).then_some(acct)
}

async fn profile(
    State(app): State<App>,
    Path(handle): Path<String>,
    headers: HeaderMap,
    Fetcher(fetcher): Fetcher,
    visitor: Visitor,
    Params { value: p, .. }: Params<PageParams>,
) -> Result<Response, WebError> {
    // Not ours: answered as any unknown route is.
    let Ok(acct) = acct(&handle) else { return Ok(ApiError::no_route().into_response()) };
    if let Some(username) = local(acct)
        && wants_activity_json(&headers)
    {
        let document = async {
            let actor = app::federation::actors::local_actor(&app, username).await?;
            Ok::<_, ApiError>(activity_json(person_for(&app, &actor, &fetcher).await))
        };
        return Ok(document.await.unwrap_or_else(IntoResponse::into_response));
    }
    let page = match (acct.strip_suffix(".rss"), local(acct)) {
        (Some(username), _) if local(username).is_some() => crate::web::profile_feed(&app, username).await,
        (_, Some(username)) => crate::web::profile_page(&app, &visitor, username, Tab::Posts, &p).await,
        (_, None) => crate::web::remote_profile_page(&app, &visitor, acct, Tab::Posts, &p).await,
    };
    Ok(([(VARY, "Accept, Cookie")], page?).into_response())
}

async fn post(
    State(app): State<App>,
    Path((handle, id)): Path<(String, String)>,
    headers: HeaderMap,
    Fetcher(fetcher): Fetcher,
    visitor: Visitor,
    Params { value: p, .. }: Params<PageParams>,
) -> Result<Response, WebError> {
    // Not ours: answered as any unknown route is.
    let Ok(acct) = acct(&handle) else { return Ok(ApiError::no_route().into_response()) };
    if let followers @ ("followers" | "following") = id.as_str() {
        return crate::web::follows_page(&app, &visitor, acct, followers == "followers", &p).await;
    }
    if let Some(tab) = Tab::from_segment(&id) {
        return match local(acct) {
            Some(username) => crate::web::profile_page(&app, &visitor, username, tab, &p).await,
            None => crate::web::remote_profile_page(&app, &visitor, acct, tab, &p).await,
        };
    }
    if let Some(username) = local(acct)
        && wants_activity_json(&headers)
    {
        let document = async {
            let note = app::federation::actors::public_note(&app, username, &id, false).await?;
            fetcher.may_read_from(&app, username).await?;
            Ok::<_, ApiError>(activity_json(note))
        };
        return Ok(document.await.unwrap_or_else(IntoResponse::into_response));
    }
    Ok(([(VARY, "Accept, Cookie")], crate::web::thread_page(&app, &visitor, acct, &id).await?).into_response())
}
