//! `/api/v1/timelines/...`: the home feed and the public timelines.

use app::App;
use axum::Router;
use axum::extract::{OriginalUri, State};
use axum::http::HeaderMap;
use axum::routing::get;
use serde::Deserialize;

use std::sync::Arc;

use axum::Extension;

use super::entities::rendered::RenderCache;
use super::entities::status::{StatusesJson, render_page};
use crate::ApiError;
use crate::auth::Auth;
use crate::pagination::{PageParams, link_header};
use crate::params::{Params, lenient};

/// Mastodon's page sizes for statuses: 20 by default, 40 at most.
const DEFAULT_LIMIT: u32 = 20;
const MAX_LIMIT: u32 = 40;

pub(super) fn routes() -> Router<App> {
    Router::new()
        .route("/api/v1/timelines/home", get(home))
        .route("/api/v1/timelines/public", get(public))
        .route("/api/v1/timelines/tag/{hashtag}", get(tag))
}

type Page = (HeaderMap, StatusesJson);

async fn home(
    State(app): State<App>,
    Extension(cache): Extension<Arc<RenderCache>>,
    auth: Auth,
    OriginalUri(uri): OriginalUri,
    Params { value: p, .. }: Params<PageParams>,
) -> Result<Page, ApiError> {
    let (reader, _) = auth.user_with("read:statuses")?;
    let (statuses, bounds) = app::timelines::home(&app, reader, &p.page(DEFAULT_LIMIT, MAX_LIMIT)).await?;
    let links = link_header(&app.config().base_url(), &uri, bounds.map(|b| b.0), bounds.map(|b| b.1));
    Ok((links, render_page(&app, &cache, &statuses, Some(reader.id)).await?))
}

#[derive(Debug, Deserialize)]
struct PublicParams {
    #[serde(flatten)]
    page: PageParams,
    #[serde(default, deserialize_with = "lenient::opt_bool")]
    local: Option<bool>,
    #[serde(default, deserialize_with = "lenient::opt_bool")]
    remote: Option<bool>,
    #[serde(default, deserialize_with = "lenient::opt_bool")]
    only_media: Option<bool>,
}

async fn public(
    State(app): State<App>,
    Extension(cache): Extension<Arc<RenderCache>>,
    auth: Auth,
    OriginalUri(uri): OriginalUri,
    Params { value: p, .. }: Params<PublicParams>,
) -> Result<Page, ApiError> {
    let viewer = auth.viewer("read:statuses")?.map(|a| a.id);
    let local = match (p.local == Some(true), p.remote == Some(true)) {
        (true, false) => Some(true),
        (false, true) => Some(false),
        _ => None,
    };
    let scope = store::PublicScope { local, only_media: p.only_media == Some(true) };
    let page = p.page.page(DEFAULT_LIMIT, MAX_LIMIT);
    let statuses = app::timelines::public(&app, viewer, scope, &page).await?;
    let links =
        link_header(&app.config().base_url(), &uri, statuses.first().map(|s| s.id), statuses.last().map(|s| s.id));
    Ok((links, render_page(&app, &cache, &statuses, viewer).await?))
}

async fn tag(
    State(app): State<App>,
    Extension(cache): Extension<Arc<RenderCache>>,
    auth: Auth,
    OriginalUri(uri): OriginalUri,
    axum::extract::Path(hashtag): axum::extract::Path<String>,
    Params { value: p, .. }: Params<PublicParams>,
) -> Result<Page, ApiError> {
    let viewer = auth.viewer("read:statuses")?.map(|a| a.id);
    let scope =
        store::PublicScope { local: (p.local == Some(true)).then_some(true), only_media: p.only_media == Some(true) };
    let page = p.page.page(DEFAULT_LIMIT, MAX_LIMIT);
    let statuses = app::timelines::tag(&app, viewer, &hashtag, scope, &page).await?;
    let links =
        link_header(&app.config().base_url(), &uri, statuses.first().map(|s| s.id), statuses.last().map(|s| s.id));
    Ok((links, render_page(&app, &cache, &statuses, viewer).await?))
}
