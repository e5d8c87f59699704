//! Rookery's own website: the public pages people share, at Mastodon's URLs, and the
//! web client for signed-in people. Pages are rendered here from the same use cases and
//! entities as the API (templates in `templates/web/`) and work without JavaScript;
//! `static/site.js` only makes them quicker. Every page carries a strict
//! Content-Security-Policy, and every form a CSRF token checked against its cookie.

mod actions;
mod assets;
mod compose;
mod edit;
mod error;
mod follows;
mod home;
mod moderation;
mod notifications;
mod page;
mod posts;
mod profile;
mod report;
mod rss;
mod search;
mod settings;
mod stream;
mod tags;
mod thread;
mod visitor;

use app::App;
use axum::Router;

pub(crate) use assets::STYLESHEET_PATH;
pub(crate) use error::WebError;
pub(crate) use follows::follows_page;
pub(crate) use page::OAUTH_CONTENT_SECURITY_POLICY;
pub(crate) use profile::{Tab, profile_feed, profile_page, remote_profile_page};
pub(crate) use thread::thread_page;
pub(crate) use visitor::Visitor;

pub(crate) fn routes() -> Router<App> {
    Router::new()
        .merge(assets::routes())
        .merge(home::routes())
        .merge(tags::routes())
        .merge(compose::routes())
        .merge(edit::routes())
        .merge(actions::routes())
        .merge(notifications::routes())
        .merge(search::routes())
        .merge(settings::routes())
        .merge(moderation::routes())
        .merge(stream::routes())
        .merge(report::routes())
}
