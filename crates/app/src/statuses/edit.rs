//! Editing one's posts, their history, and pinning them to one's profile.

use domain::limits::MAX_PINNED_STATUSES;
use domain::{Account, Id, Status, ValidationError, Visibility};
use store::StatusVersion;

use super::{get_status, render_text};
use crate::{App, AppError, Event, Result, now_millis};

/// The new text of a post; what is left out stays.
#[derive(Debug, Clone, Default)]
pub struct EditStatus {
    pub text: String,
    pub spoiler_text: Option<String>,
    pub sensitive: Option<bool>,
    pub language: Option<String>,
    /// `None`: the attachments stay as they are.
    pub media_ids: Option<Vec<String>>,
    /// New alt text or focus of some of the post's attachments.
    pub media_attributes: Vec<crate::media::MediaAttribute>,
}

pub async fn edit_status(app: &App, actor: &Account, id: Id, input: EditStatus) -> Result<Status> {
    let before = get_status(app, Some(actor.id), id).await?;
    if before.account_id != actor.id || before.reblog_of_id.is_some() {
        return Err(AppError::Forbidden("not your post"));
    }
    let text = input.text.trim_end().to_owned();
    let spoiler_text = input.spoiler_text.map_or(before.spoiler_text.clone(), |s| s.trim().to_owned());
    // Attachments sent replace the post's (an empty list removes them); none sent
    // keeps them. `media_ids[]=` alone, as forms send an empty list, is empty.
    let media = match input.media_ids {
        None => before.media.clone(),
        Some(ids) => {
            let ids: Vec<String> = ids.into_iter().filter(|i| !i.is_empty()).collect();
            crate::media::attachable(app, actor.id, &ids, Some(before.id)).await?
        }
    };
    let media_changes = crate::media::changes(app, &media, input.media_attributes).await?;
    let kept: Vec<String> = media.iter().map(Id::to_string).collect();
    let invalid = super::validate_text(&text, &spoiler_text, &kept);
    if !invalid.is_empty() {
        return Err(invalid.into());
    }
    let (content, mentions, tags) = render_text(app, &text).await?;
    let after = Status {
        text,
        content,
        sensitive: input.sensitive.unwrap_or(before.sensitive) || !spoiler_text.is_empty(),
        spoiler_text,
        language: input.language.filter(|l| !l.is_empty()).or(before.language.clone()),
        edited_at: Some(now_millis()),
        mentions,
        media,
        tags,
        ..before.clone()
    };
    app.store().update_status_text(&before, &after, (app.ids().next(), app.ids().next()), &media_changes).await?;
    let added_mentions = after.mentions.iter().copied().filter(|m| !before.mentions.contains(m)).collect();
    app.emit(Event::StatusUpdated { status_id: id, added_mentions }).await?;
    get_status(app, Some(actor.id), id).await
}

/// Every version of a post the viewer may see, oldest first.
pub async fn history(app: &App, viewer: Option<Id>, id: Id) -> Result<(Status, Vec<StatusVersion>)> {
    let status = get_status(app, viewer, id).await?;
    let mut versions = app.store().list_status_versions(status.id).await?;
    if versions.is_empty() {
        versions.push(StatusVersion {
            content: status.content.clone(),
            spoiler_text: status.spoiler_text.clone(),
            sensitive: status.sensitive,
            created_at: status.created_at,
        });
    }
    Ok((status, versions))
}

/// Pins one's own post (not a direct one, not a boost) to one's profile; at most five.
pub async fn pin(app: &App, actor: &Account, id: Id, on: bool) -> Result<Status> {
    let status = get_status(app, Some(actor.id), id).await?;
    if status.account_id != actor.id || status.reblog_of_id.is_some() || status.visibility == Visibility::Direct {
        return Err(ValidationError::field("status", "ERR_INVALID", "cannot be pinned").into());
    }
    if on {
        let pinned = app.store().list_pinned_ids(actor.id).await?;
        if !pinned.contains(&status.id) && pinned.len() >= MAX_PINNED_STATUSES as usize {
            return Err(ValidationError::field(
                "base",
                "ERR_LIMIT",
                "You have already pinned the maximum number of posts",
            )
            .into());
        }
        app.store().insert_pin(actor.id, status.id, now_millis()).await?;
    } else {
        app.store().delete_pin(actor.id, status.id).await?;
    }
    Ok(status)
}
