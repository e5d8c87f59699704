//! Mastodon's Status entity.

use std::sync::Arc;

use app::Config;
use app::statuses::Hydration;
use domain::{Id, Status};
use serde::Serialize;
use serde_json::Value;

use super::account::AccountEntity;
use super::media::MediaAttachmentEntity;
use crate::format;

#[derive(Debug, Serialize)]
pub(crate) struct StatusEntity {
    pub(crate) id: String,
    pub(crate) created_at: String,
    pub(crate) in_reply_to_id: Option<String>,
    pub(crate) in_reply_to_account_id: Option<String>,
    pub(crate) sensitive: bool,
    pub(crate) spoiler_text: String,
    pub(crate) visibility: &'static str,
    pub(crate) language: Option<String>,
    pub(crate) uri: String,
    pub(crate) url: Option<String>,
    pub(crate) replies_count: i64,
    pub(crate) reblogs_count: i64,
    pub(crate) favourites_count: i64,
    pub(crate) quotes_count: i64,
    pub(crate) edited_at: Option<String>,
    pub(crate) favourited: bool,
    pub(crate) reblogged: bool,
    pub(crate) muted: bool,
    pub(crate) bookmarked: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) pinned: Option<bool>,
    pub(crate) content: String,
    pub(crate) filtered: Vec<super::filter::FilterResultEntity>,
    pub(crate) reblog: Option<Box<StatusEntity>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) application: Option<ApplicationEntity>,
    pub(crate) account: AccountEntity,
    pub(crate) media_attachments: Vec<MediaAttachmentEntity>,
    pub(crate) mentions: Vec<MentionEntity>,
    pub(crate) tags: Vec<TagEntity>,
    pub(crate) emojis: Vec<Value>,
    pub(crate) card: Option<Value>,
    pub(crate) poll: Option<Value>,
    pub(crate) quote: Option<Value>,
    pub(crate) quote_approval: QuoteApproval,
    /// Only in the answer to a delete: the source, for "delete and redraft".
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) text: Option<String>,
}

#[derive(Debug, Serialize)]
pub(crate) struct ApplicationEntity {
    pub(crate) name: String,
    pub(crate) website: Option<String>,
}

#[derive(Debug, Serialize)]
pub(crate) struct MentionEntity {
    pub(crate) id: String,
    pub(crate) username: String,
    pub(crate) url: String,
    pub(crate) acct: String,
}

#[derive(Debug, Serialize)]
pub(crate) struct TagEntity {
    pub(crate) name: String,
    pub(crate) url: String,
    /// Not in Mastodon's status tags, but megalodon requires it.
    pub(crate) history: [(); 0],
}

/// Who may quote the post: anyone for public posts, otherwise nobody but the author.
#[derive(Debug, Serialize)]
pub(crate) struct QuoteApproval {
    automatic: &'static [&'static str],
    manual: [(); 0],
    current_user: &'static str,
}

impl QuoteApproval {
    pub(crate) fn new(public: bool, own: bool) -> Self {
        QuoteApproval {
            automatic: if public { &["public"] } else { &[] },
            manual: [],
            current_user: if own || public { "automatic" } else { "denied" },
        }
    }
}

impl StatusEntity {
    /// `viewer` is who asks (for the fields that depend on them).
    pub(crate) fn new(config: &Config, status: &Status, h: &Hydration, viewer: Option<Id>) -> Option<Self> {
        let base = config.base_url();
        let (author, role) = &**h.accounts.get(&status.account_id)?;
        let own = viewer == Some(status.account_id);
        Some(StatusEntity {
            id: status.id.to_string(),
            created_at: format::datetime(status.created_at),
            in_reply_to_id: status.in_reply_to_id.map(|i| i.to_string()),
            in_reply_to_account_id: status.in_reply_to_account_id.map(|i| i.to_string()),
            // Moderators may force an account's media behind a warning.
            sensitive: status.sensitive || (author.moderation.sensitized_at.is_some() && !status.media.is_empty()),
            spoiler_text: status.spoiler_text.clone(),
            visibility: status.visibility.as_str(),
            language: status.language.clone(),
            uri: status.uri.clone(),
            url: if status.local {
                Some(format!("{base}/@{}/{}", author.username, status.id))
            } else {
                status.url.clone().or_else(|| Some(status.uri.clone()))
            },
            replies_count: status.replies_count,
            reblogs_count: status.reblogs_count,
            favourites_count: status.favourites_count,
            quotes_count: 0,
            edited_at: status.edited_at.map(format::datetime),
            favourited: h.flags.favourited.contains(&status.id),
            reblogged: h.flags.reblogged.contains(&status.id),
            muted: h.flags.muted_conversations.contains(&status.conversation_id),
            bookmarked: h.flags.bookmarked.contains(&status.id),
            pinned: own.then(|| h.flags.pinned.contains(&status.id)),
            content: status.content.clone(),
            filtered: h.filtered.get(&status.id).map(|m| m.iter().map(Into::into).collect()).unwrap_or_default(),
            reblog: status
                .reblog_of_id
                .and_then(|id| h.originals.get(&id))
                .and_then(|original| StatusEntity::new(config, original, h, viewer))
                .map(Box::new),
            application: status
                .application_id
                .and_then(|id| h.applications.get(&id))
                .map(|a| ApplicationEntity { name: a.name.clone(), website: a.website.clone() }),
            account: AccountEntity::new(config, author, *role),
            media_attachments: h
                .media
                .get(&status.id)
                .map(|m| m.iter().map(|m| MediaAttachmentEntity::new(config, m)).collect())
                .unwrap_or_default(),
            mentions: status
                .mentions
                .iter()
                .filter_map(|id| h.accounts.get(id))
                .map(|row| &row.0)
                .map(|a| MentionEntity {
                    id: a.id.to_string(),
                    username: a.username.clone(),
                    url: format!("{base}/@{}", a.username),
                    acct: a.acct(),
                })
                .collect(),
            tags: status
                .tags
                .iter()
                .map(|t| TagEntity { name: t.clone(), url: format!("{base}/tags/{t}"), history: [] })
                .collect(),
            emojis: Vec::new(),
            card: None,
            poll: None,
            quote: None,
            quote_approval: QuoteApproval::new(status.visibility == domain::Visibility::Public, own),
            text: None,
        })
    }

    /// With the source text, as `DELETE /api/v1/statuses/:id` answers.
    pub(crate) fn with_source(mut self, text: &str) -> Self {
        self.text = Some(text.to_owned());
        self
    }
}

/// Renders a page, dropping posts whose author is unknown (deleted meanwhile).
pub(crate) fn list(config: &Config, statuses: &[Arc<Status>], h: &Hydration, viewer: Option<Id>) -> Vec<StatusEntity> {
    statuses.iter().filter_map(|s| StatusEntity::new(config, s, h, viewer)).collect()
}

/// Loads what the posts need and renders them.
pub(crate) async fn render(
    app: &app::App,
    statuses: &[Arc<Status>],
    viewer: Option<Id>,
) -> Result<Vec<StatusEntity>, crate::ApiError> {
    let hydration = app::statuses::hydrate(app, statuses, viewer).await?;
    Ok(list(app.config(), statuses, &hydration, viewer))
}

/// Loads what the posts need and writes them as a JSON array, from the fragments
/// `cache` keeps (see [`super::rendered`]).
pub(crate) async fn render_page(
    app: &app::App,
    cache: &super::rendered::RenderCache,
    statuses: &[Arc<Status>],
    viewer: Option<Id>,
) -> Result<StatusesJson, crate::ApiError> {
    let hydration = app::statuses::hydrate(app, statuses, viewer).await?;
    Ok(StatusesJson(cache.write_page(app.config(), statuses, &hydration, viewer)))
}

/// A JSON array of statuses, already written.
pub(crate) struct StatusesJson(String);

impl axum::response::IntoResponse for StatusesJson {
    fn into_response(self) -> axum::response::Response {
        ([(axum::http::header::CONTENT_TYPE, "application/json")], self.0).into_response()
    }
}
