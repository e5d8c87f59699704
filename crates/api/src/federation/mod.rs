//! What other servers read and where they write: discovery documents, actors and
//! objects, and the inboxes.

mod actors;
mod discovery;
mod fetcher;
mod inbox;
mod pages;

use app::App;
use axum::Router;

pub(crate) fn routes() -> Router<App> {
    discovery::routes().merge(actors::routes()).merge(inbox::routes()).merge(pages::routes())
}
