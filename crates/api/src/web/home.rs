//! The timelines: home (with the compose form) for signed-in people, the local and
//! federated timelines, bookmarks and favourites. Signed out, the front page shows the
//! server and its local timeline.

use app::App;
use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use store::{MarkTable, PublicScope};

use super::compose::Compose;
use super::page::{Chrome, render};
use super::posts::{Pager, PostView, views};
use super::{Visitor, WebError};
use crate::pagination::PageParams;
use crate::params::Params;

const PAGE_SIZE: u32 = 20;
const MAX_PAGE_SIZE: u32 = 40;

pub(super) fn routes() -> Router<App> {
    Router::new()
        .route("/", get(home))
        .route("/home", get(|| async { Redirect::permanent("/") }))
        .route("/public", get(|s, v, p| public(s, v, p, false)))
        .route("/public/local", get(|s, v, p| public(s, v, p, true)))
        .route("/bookmarks", get(|s, v, p| marked(s, v, p, MarkTable::Bookmarks)))
        .route("/favourites", get(|s, v, p| marked(s, v, p, MarkTable::Favourites)))
}

#[derive(Template)]
#[template(path = "web/timeline.html")]
pub(crate) struct TimelinePage {
    pub chrome: Chrome,
    pub heading: String,
    /// Sanitised HTML above the posts.
    pub intro: Option<String>,
    pub compose: Option<Compose>,
    pub posts: Vec<PostView>,
    pub empty: &'static str,
    pub pager: Pager,
    /// Whether the script looks for newer posts now and then (only on the newest page).
    pub poll: bool,
    /// The web stream that says when to look (signed in, newest page only).
    pub stream: Option<&'static str>,
}

async fn home(
    State(app): State<App>,
    visitor: Visitor,
    Params { value: p, .. }: Params<PageParams>,
) -> Result<Response, WebError> {
    let Some((account, user)) = visitor.user.as_ref() else {
        return front_page(&app, &visitor, &p).await;
    };
    let (statuses, bounds) = app::timelines::home(&app, account, &p.page(PAGE_SIZE, MAX_PAGE_SIZE)).await?;
    let page = TimelinePage {
        chrome: Chrome::new(&app, &visitor, "Home"),
        heading: "Home".into(),
        intro: None,
        compose: Some(Compose::new(user, &account.acct(), None)?),
        posts: views(&app, &statuses, Some(account.id)).await?,
        empty: "Your home timeline is empty. Follow people to see their posts here.",
        pager: Pager::new("/", bounds, p.is_paged()),
        poll: !p.is_paged(),
        stream: (!p.is_paged()).then_some("home"),
    };
    render(&visitor, &page)
}

/// What a signed-out visitor sees first: the server's description and its local posts.
async fn front_page(app: &App, visitor: &Visitor, p: &PageParams) -> Result<Response, WebError> {
    let scope = PublicScope { local: Some(true), only_media: false };
    let statuses = app::timelines::public(app, None, scope, &p.page(PAGE_SIZE, MAX_PAGE_SIZE)).await?;
    let posts = views(app, &statuses, None).await?;
    let config = app.config();
    let intro = format!(
        "<p>{}</p><p><a class=\"button\" href=\"/auth/sign_up\">Create account</a> \
         <a class=\"button secondary\" href=\"/auth/sign_in\">Sign in</a></p>",
        domain::text::escape_html(&config.instance.description)
    );
    let page = TimelinePage {
        chrome: Chrome::new(app, visitor, config.instance.title.clone()),
        heading: format!("Posts on {}", config.domain),
        intro: Some(intro),
        compose: None,
        pager: Pager::of_posts("/", &posts, p.is_paged()),
        posts,
        empty: "Nobody has posted here yet.",
        poll: false,
        stream: None,
    };
    render(visitor, &page)
}

async fn public(
    State(app): State<App>,
    visitor: Visitor,
    Params { value: p, .. }: Params<PageParams>,
    local: bool,
) -> Result<Response, WebError> {
    let scope = PublicScope { local: local.then_some(true), only_media: false };
    let viewer = visitor.viewer();
    let statuses = app::timelines::public(&app, viewer, scope, &p.page(PAGE_SIZE, MAX_PAGE_SIZE)).await?;
    let posts = views(&app, &statuses, viewer).await?;
    let (heading, path) = if local { ("Local timeline", "/public/local") } else { ("Federated timeline", "/public") };
    let page = TimelinePage {
        chrome: Chrome::new(&app, &visitor, heading),
        heading: heading.into(),
        intro: None,
        compose: None,
        pager: Pager::of_posts(path, &posts, p.is_paged()),
        posts,
        empty: "No public posts yet.",
        poll: !p.is_paged(),
        stream: (!p.is_paged() && viewer.is_some()).then_some(if local { "local" } else { "federated" }),
    };
    render(&visitor, &page)
}

async fn marked(
    State(app): State<App>,
    visitor: Visitor,
    Params { value: p, .. }: Params<PageParams>,
    table: MarkTable,
) -> Result<Response, WebError> {
    let (account, _) = visitor.signed_in()?;
    let (statuses, bounds) =
        app::interactions::list_marked(&app, account, table, &p.page(PAGE_SIZE, MAX_PAGE_SIZE)).await?;
    let (heading, path, empty) = match table {
        MarkTable::Bookmarks => ("Bookmarks", "/bookmarks", "You have not bookmarked any posts yet."),
        MarkTable::Favourites => ("Favourites", "/favourites", "You have not favourited any posts yet."),
    };
    let page = TimelinePage {
        chrome: Chrome::new(&app, &visitor, heading),
        heading: heading.into(),
        intro: None,
        compose: None,
        posts: views(&app, &statuses, Some(account.id)).await?,
        empty,
        pager: Pager::new(path, bounds, p.is_paged()),
        poll: false,
        stream: None,
    };
    render(&visitor, &page).map(IntoResponse::into_response)
}
