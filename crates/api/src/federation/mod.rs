//! What other servers read: discovery documents now, ActivityPub as it lands.

mod actors;
mod discovery;

use app::App;
use axum::Router;

pub(crate) fn routes() -> Router<App> {
    discovery::routes().merge(actors::routes())
}
