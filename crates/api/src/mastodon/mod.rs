//! The Mastodon client API, one module per resource, each with its route table first.

mod accounts;
mod admin;
mod admin_accounts;
mod conversations;
mod empty;
pub(crate) mod entities;
mod filters;
mod follows;
mod grouped_notifications;
mod instance;
mod interactions;
mod media;
mod mutes;
mod notifications;
mod reports;
mod search;
mod statuses;
mod streaming;
mod timelines;
mod websocket;

use app::App;
use axum::Router;

/// An id from a path; one that cannot be an id names nothing, as Mastodon answers.
fn parse_id(raw: &str) -> Result<domain::Id, crate::ApiError> {
    raw.parse().map_err(|_| crate::ApiError::not_found())
}

pub(crate) fn routes() -> Router<App> {
    Router::new()
        .merge(instance::routes())
        .merge(admin::routes())
        .merge(admin_accounts::routes())
        .merge(accounts::routes())
        .merge(follows::routes())
        .merge(empty::routes())
        .merge(statuses::routes())
        .merge(timelines::routes())
        .merge(interactions::routes())
        .merge(media::routes())
        .merge(filters::routes())
        .merge(mutes::routes())
        .merge(notifications::routes())
        .merge(reports::routes())
        .merge(grouped_notifications::routes())
        .merge(search::routes())
        .merge(conversations::routes())
        .merge(streaming::routes())
}
