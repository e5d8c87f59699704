//! Posts and who may see them.

use std::fmt;
use std::str::FromStr;

use crate::{Id, UnixMillis, ValidationError};

/// Who a post is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Visibility {
    /// Everyone, and on public timelines.
    #[default]
    Public,
    /// Everyone, but not on public timelines.
    Unlisted,
    /// Followers and mentioned accounts.
    Private,
    /// Mentioned accounts only.
    Direct,
}

impl Visibility {
    pub fn as_str(self) -> &'static str {
        match self {
            Visibility::Public => "public",
            Visibility::Unlisted => "unlisted",
            Visibility::Private => "private",
            Visibility::Direct => "direct",
        }
    }
}

impl fmt::Display for Visibility {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Visibility {
    type Err = ValidationError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "public" => Ok(Visibility::Public),
            "unlisted" => Ok(Visibility::Unlisted),
            "private" => Ok(Visibility::Private),
            "direct" => Ok(Visibility::Direct),
            _ => Err(ValidationError::field("visibility", "ERR_INCLUSION", "is not included in the list")),
        }
    }
}

/// A post, or a boost of one (`reblog_of_id`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Status {
    pub id: Id,
    pub account_id: Id,
    pub uri: String,
    /// The page a person opens; `None` for local posts, whose page this server makes.
    pub url: Option<String>,
    /// The source text as typed (empty for boosts and remote posts).
    pub text: String,
    /// Sanitised HTML.
    pub content: String,
    pub spoiler_text: String,
    pub sensitive: bool,
    pub visibility: Visibility,
    pub language: Option<String>,
    pub in_reply_to_id: Option<Id>,
    pub in_reply_to_account_id: Option<Id>,
    pub reblog_of_id: Option<Id>,
    /// The thread: the conversation of the post answered, or the post's own id.
    pub conversation_id: Id,
    pub application_id: Option<Id>,
    pub created_at: UnixMillis,
    pub edited_at: Option<UnixMillis>,
    pub replies_count: i64,
    pub reblogs_count: i64,
    pub favourites_count: i64,
    pub local: bool,
    /// Accounts mentioned, in order of appearance.
    pub mentions: Vec<Id>,
    /// Attachments, in order.
    pub media: Vec<Id>,
    /// Hashtags, lower-cased, in order of appearance.
    pub tags: Vec<String>,
}

/// A window of a list ordered by id, newest first, as Mastodon pages: `max_id` (older
/// than), `since_id` (newer than, newest first), `min_id` (newer than, oldest first:
/// paging forward), `limit`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Page {
    pub max_id: Option<Id>,
    pub since_id: Option<Id>,
    pub min_id: Option<Id>,
    pub limit: u32,
}

impl Page {
    /// Clamps the limit to `1..=max`, `default` when absent, as Mastodon does (never an
    /// error).
    pub fn new(
        max_id: Option<Id>,
        since_id: Option<Id>,
        min_id: Option<Id>,
        limit: Option<i64>,
        default: u32,
        max: u32,
    ) -> Self {
        let limit = limit.map_or(default, |l| l.clamp(1, i64::from(max)) as u32);
        Page { max_id, since_id, min_id, limit }
    }

    /// This page of a short list held in memory, newest (highest id) first, as a query
    /// would page it.
    pub fn select<T>(&self, mut items: Vec<T>, id_of: impl Fn(&T) -> Id) -> Vec<T> {
        items.retain(|item| {
            let id = id_of(item);
            self.max_id.is_none_or(|max| id < max) && self.min_id.or(self.since_id).is_none_or(|min| id > min)
        });
        items.sort_by_key(|item| std::cmp::Reverse(id_of(item)));
        let limit = self.limit as usize;
        if self.min_id.is_some() && items.len() > limit {
            // The oldest above min_id, as Mastodon answers min_id.
            items.drain(..items.len() - limit);
        }
        items.truncate(limit);
        items
    }
}
