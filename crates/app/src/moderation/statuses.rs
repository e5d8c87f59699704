//! Moderators removing posts: a local post is deleted as its author would delete it
//! (and the Delete goes out), a remote one is removed from this server.

use domain::{Id, Role};

use super::{Moderator, log};
use crate::{App, AppError, Event, Result};

/// Removes any post (moderators); logged.
pub async fn remove_status(app: &App, by: Moderator<'_>, id: Id) -> Result<()> {
    let actor = by.require(Role::Moderator)?;
    let status = app.store().find_status(id).await?.ok_or(AppError::NotFound("status"))?;
    let attachments = app.store().list_media_of_statuses(&[status.id]).await?.remove(&status.id).unwrap_or_default();
    app.store().delete_status(&status).await?;
    if !status.local {
        crate::media::cache::forget(app, &attachments).await;
    }
    log(app, actor, "destroy", "Status", &status.uri).await?;
    // As for the author's own deletion: timelines, streams and (for a local post) the
    // author's followers' servers hear of it.
    app.emit(Event::StatusDeleted {
        status_id: status.id,
        account_id: status.account_id,
        visibility: status.visibility,
        mentions: status.mentions.clone(),
        uri: status.uri.clone(),
        reblog_of_id: status.reblog_of_id,
    })
    .await
}
