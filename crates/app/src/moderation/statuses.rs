//! Moderators removing posts: a local post is deleted as its author would delete it
//! (and the Delete goes out), a remote one is removed from this server.

use domain::{Id, Role};

use super::{Moderator, log};
use crate::{App, AppError, Result};

/// Removes any post (moderators); logged.
pub async fn remove_status(app: &App, by: Moderator<'_>, id: Id) -> Result<()> {
    let actor = by.require(Role::Moderator)?;
    let status = app.store().find_status(id).await?.ok_or(AppError::NotFound("status"))?;
    crate::statuses::remove_stored(app, &status).await?;
    log(app, actor, "destroy", "Status", &status.uri).await
}
