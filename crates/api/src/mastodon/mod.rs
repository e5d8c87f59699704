//! The Mastodon client API, one module per resource, each with its route table first.

mod entities;
mod instance;

use app::App;
use axum::Router;

pub(crate) fn routes() -> Router<App> {
    Router::new().merge(instance::routes())
}
