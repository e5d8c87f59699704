//! A post's page, `/@name/ID` (and `/@name@domain/ID` for remote posts): the post with
//! the thread around it as the visitor may see it, and for signed-in visitors a reply
//! form. Its meta tags make link previews of the post.

use app::App;
use askama::Template;
use axum::response::Response;
use domain::Id;

use super::compose::Compose;
use super::page::{Chrome, render};
use super::posts::{PostView, excerpt, views};
use super::{Visitor, WebError};

#[derive(Template)]
#[template(path = "web/thread.html")]
struct ThreadPage {
    chrome: Chrome,
    ancestors: Vec<PostView>,
    focus: Vec<PostView>,
    descendants: Vec<PostView>,
    compose: Option<Compose>,
}

/// `acct` is the page's `name` or `name@domain`; a post by someone else is not found here.
pub(crate) async fn thread_page(app: &App, visitor: &Visitor, acct: &str, id: &str) -> Result<Response, WebError> {
    let not_found = || WebError::Api(crate::ApiError::not_found());
    let id: Id = id.parse().map_err(|_| not_found())?;
    let viewer = visitor.viewer();
    let status = app::statuses::get_status(app, viewer, id).await?;
    if status.reblog_of_id.is_some() {
        return Err(not_found());
    }
    let (ancestors, descendants) = app::statuses::context(app, viewer, id).await?;
    let focus = views(app, &[std::sync::Arc::new(status.clone())], viewer).await?;
    let post = focus.first().ok_or_else(not_found)?;
    let wanted = acct.trim_end_matches(&format!("@{}", app.config().domain));
    if !post.post.account.acct.eq_ignore_ascii_case(wanted) {
        return Err(not_found());
    }
    let author = &post.post.account;
    let name = author.shown_name();
    let mut chrome = Chrome::new(app, visitor, format!("{name}: \"{}\"", excerpt(&post.post.content, 60)));
    chrome.description = if post.post.spoiler_text.is_empty() {
        excerpt(&post.post.content, 300)
    } else {
        format!("Content warning: {}", post.post.spoiler_text)
    };
    chrome.og_type = "article";
    chrome.image = Some(
        post.media
            .iter()
            .find(|m| m.kind == "image" && !post.post.sensitive)
            .map_or(&author.avatar, |m| &m.preview_url)
            .clone(),
    );
    chrome.canonical = post.post.url.clone();
    chrome.noindex = !status.local || status.visibility != domain::Visibility::Public || !author.indexable;
    if status.local {
        chrome.alternates.push(("application/activity+json", post.post.uri.clone()));
    }
    let compose = match &visitor.user {
        Some((account, user)) => Some(Compose::new(user, &account.acct(), Some(&post.post))?),
        None => None,
    };
    let page = ThreadPage {
        chrome,
        ancestors: views(app, &ancestors, viewer).await?,
        descendants: views(app, &descendants, viewer).await?,
        focus,
        compose,
    };
    render(visitor, &page)
}
