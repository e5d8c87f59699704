//! Hashtag pages: `/tags/name` shows the public posts with the tag, `/tags/name.rss`
//! is their feed.

use app::App;
use axum::Router;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::get;
use store::PublicScope;

use super::home::TimelinePage;
use super::page::{Chrome, render};
use super::posts::{Pager, views};
use super::rss::{Channel, feed};
use super::{Visitor, WebError};
use crate::pagination::PageParams;
use crate::params::Params;

pub(super) fn routes() -> Router<App> {
    Router::new().route("/tags/{name}", get(tag))
}

async fn tag(
    State(app): State<App>,
    visitor: Visitor,
    Path(name): Path<String>,
    Params { value: p, .. }: Params<PageParams>,
) -> Result<Response, WebError> {
    let (name, rss) = match name.strip_suffix(".rss") {
        Some(name) => (name.to_lowercase(), true),
        None => (name.to_lowercase(), false),
    };
    if name.is_empty() || !name.chars().all(|c| c.is_alphanumeric() || c == '_') {
        return Err(WebError::Api(crate::ApiError::not_found()));
    }
    let scope = PublicScope { local: None, only_media: false };
    let viewer = if rss { None } else { visitor.viewer() };
    let statuses = app::timelines::tag(&app, viewer, &name, scope, &p.page(20, 40)).await?;
    let posts = views(&app, &statuses, viewer).await?;
    let base = app.config().base_url();
    let link = format!("{base}/tags/{name}");
    if rss {
        let title = format!("#{name}");
        let description = format!("Public posts tagged #{name}");
        return Ok(feed(&Channel { title: &title, description: &description, link: &link, image: None }, &posts));
    }
    let mut chrome = Chrome::new(&app, &visitor, format!("#{name}"));
    chrome.description = format!("Public posts tagged #{name} on {}", app.config().domain);
    chrome.canonical = Some(link.clone());
    chrome.alternates.push(("application/rss+xml", format!("{link}.rss")));
    let path = format!("/tags/{name}");
    let page = TimelinePage {
        chrome,
        heading: format!("#{name}"),
        intro: None,
        compose: None,
        pager: Pager::of_posts(&path, &posts, p.is_paged()),
        posts,
        empty: "No public posts with this hashtag yet.",
        poll: false,
        stream: None,
    };
    render(&visitor, &page)
}
