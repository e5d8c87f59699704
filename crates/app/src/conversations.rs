//! Direct-message conversations, and muting threads.

use domain::{Account, Id, Page, Status};
use store::ConversationRow;

use crate::{App, AppError, Result, statuses};

/// A conversation as the reader sees it.
#[derive(Debug, Clone)]
pub struct Conversation {
    pub id: Id,
    pub unread: bool,
    /// Everyone in it but the reader: the newest message's author and mentions.
    pub participants: Vec<Id>,
    pub last_status: std::sync::Arc<Status>,
}

pub async fn list(app: &App, reader: &Account, page: &Page) -> Result<Vec<Conversation>> {
    let rows = app.store().list_conversations(reader.id, page).await?;
    resolve(app, reader, rows).await
}

async fn resolve(app: &App, reader: &Account, rows: Vec<ConversationRow>) -> Result<Vec<Conversation>> {
    let ids: Vec<Id> = rows.iter().map(|r| r.last_status_id).collect();
    let last = statuses::list_visible(app, Some(reader.id), &ids).await?;
    Ok(rows
        .into_iter()
        .filter_map(|row| {
            let status = last.iter().find(|s| s.id == row.last_status_id)?.clone();
            let mut participants: Vec<Id> =
                std::iter::once(status.account_id).chain(status.mentions.iter().copied()).collect();
            participants.retain(|id| *id != reader.id);
            participants.sort_unstable();
            participants.dedup();
            Some(Conversation { id: row.conversation_id, unread: row.unread, participants, last_status: status })
        })
        .collect())
}

/// One of the reader's conversations.
pub async fn get(app: &App, reader: &Account, id: Id) -> Result<Conversation> {
    let rows: Vec<ConversationRow> = app.store().find_conversation(reader.id, id).await?.into_iter().collect();
    resolve(app, reader, rows).await?.pop().ok_or(AppError::NotFound("conversation"))
}

/// Marks a conversation read; returns it.
pub async fn mark_read(app: &App, reader: &Account, id: Id) -> Result<Conversation> {
    let conversation = get(app, reader, id).await?;
    app.store().upsert_conversation_read(reader.id, id, conversation.last_status.id, false).await?;
    get(app, reader, id).await
}

/// Hides a conversation until a new message arrives in it.
pub async fn hide(app: &App, reader: &Account, id: Id) -> Result<()> {
    let conversation = get(app, reader, id).await?;
    Ok(app.store().upsert_conversation_read(reader.id, id, conversation.last_status.id, true).await?)
}

/// Mutes (or unmutes) the thread of a post the actor may see: no more notifications
/// from it. Returns the post.
pub async fn mute_thread(app: &App, actor: &Account, status_id: Id, muted: bool) -> Result<Status> {
    let status = statuses::get_status(app, Some(actor.id), status_id).await?;
    app.store().set_conversation_muted(actor.id, status.conversation_id, muted).await?;
    Ok(status)
}
