//! Posting, reading and deleting posts, and who may see them.

mod edit;
pub(crate) mod html;
mod hydration;
pub(crate) mod visibility;

use std::collections::HashMap;
use std::sync::Arc;

use domain::limits::MAX_STATUS_CHARACTERS;
use domain::text::{Segment, counted_length, segments};
use domain::{Account, Id, Status, ValidationError, Visibility};

pub use edit::{EditStatus, edit_status, history, pin};
pub use hydration::{Hydration, hydrate};
pub use visibility::can_see;

use crate::{App, AppError, Event, Result, now_millis};

/// How long an `Idempotency-Key` is remembered, as on Mastodon.
const IDEMPOTENCY_WINDOW_MILLIS: i64 = 60 * 60 * 1000;

/// A new post as an app sends it.
#[derive(Debug, Clone, Default)]
pub struct PostStatus {
    pub text: String,
    pub spoiler_text: String,
    /// `None`: the author's default.
    pub sensitive: Option<bool>,
    pub visibility: Option<String>,
    pub in_reply_to_id: Option<String>,
    pub language: Option<String>,
    pub media_ids: Vec<String>,
    pub idempotency_key: Option<String>,
}

/// Publishes a post by `author` (a local account) through `application`.
pub async fn post_status(app: &App, author: &Account, application_id: Option<Id>, input: PostStatus) -> Result<Status> {
    if let Some(key) = input.idempotency_key.as_deref().filter(|k| !k.is_empty()) {
        let since = now_millis() - IDEMPOTENCY_WINDOW_MILLIS;
        if let Some(id) = app.store().find_idempotent_status_id(author.id, key, since).await? {
            return app.store().find_status(id).await?.ok_or(AppError::NotFound("status"));
        }
    }
    let text = input.text.trim_end().to_owned();
    let mut invalid = validate_text(&text, &input.spoiler_text, &input.media_ids);
    let defaults = app.store().find_local_user_by_account_id(author.id).await?.map(|(_, u)| u);
    let visibility = match input.visibility.as_deref().filter(|v| !v.is_empty()) {
        None => defaults.as_ref().map_or(Visibility::Public, |u| u.default_visibility),
        Some(v) => v.parse().map_err(|e| invalid.push(e)).unwrap_or_default(),
    };
    if !invalid.is_empty() {
        return Err(invalid.into());
    }
    let media = crate::media::attachable(app, author.id, &input.media_ids, None).await?;
    let parent = match input.in_reply_to_id.as_deref().filter(|s| !s.is_empty()) {
        None => None,
        Some(raw) => {
            let id: Id = raw.parse().map_err(|_| AppError::NotFound("status"))?;
            Some(get_status(app, Some(author.id), id).await?)
        }
    };

    let (content, mentions, tags) = render_text(app, &text).await?;
    let base = app.config().base_url();
    let id = app.ids().next();
    let status = Status {
        id,
        account_id: author.id,
        uri: format!("{base}/users/{}/statuses/{id}", author.username),
        url: None,
        text,
        content,
        spoiler_text: input.spoiler_text.trim().to_owned(),
        sensitive: input.sensitive.unwrap_or(defaults.as_ref().is_some_and(|u| u.default_sensitive))
            || !input.spoiler_text.trim().is_empty(),
        visibility,
        language: input
            .language
            .filter(|l| !l.is_empty())
            .or_else(|| defaults.as_ref().and_then(|u| u.default_language.clone())),
        in_reply_to_id: parent.as_ref().map(|p| p.id),
        in_reply_to_account_id: parent.as_ref().map(|p| p.account_id),
        reblog_of_id: None,
        conversation_id: parent.as_ref().map_or(id, |p| p.conversation_id),
        application_id,
        created_at: now_millis(),
        edited_at: None,
        replies_count: 0,
        reblogs_count: 0,
        favourites_count: 0,
        local: true,
        mentions,
        media,
        tags,
    };
    let readers = visibility::home_feed_readers(app, &status).await?;
    let key = input.idempotency_key.as_deref().filter(|k| !k.is_empty());
    app.store().insert_status(&status, &readers, key).await.map_err(|e| match e {
        // An upload attached by another post meanwhile.
        store::StoreError::NotFound => crate::media::invalid_media("Invalid media id"),
        other => other.into(),
    })?;
    app.emit(Event::StatusCreated { status_id: id }).await?;
    Ok(status)
}

/// The rules every post's text meets, new or edited: not blank (unless it has media),
/// at most 500 characters as Mastodon counts them, spoiler included.
pub(crate) fn validate_text(text: &str, spoiler_text: &str, media_ids: &[String]) -> ValidationError {
    let mut invalid = ValidationError::default();
    if text.trim().is_empty() && media_ids.is_empty() {
        invalid.push(ValidationError::field("text", "ERR_BLANK", "can't be blank"));
    }
    if counted_length(text) + spoiler_text.chars().count() > MAX_STATUS_CHARACTERS as usize {
        let message = format!("character limit of {MAX_STATUS_CHARACTERS} exceeded");
        invalid.push(ValidationError::field("text", "ERR_TOO_LONG", message));
    }
    invalid
}

/// A post's HTML, the local accounts it mentions (in order) and its hashtags.
pub(crate) async fn render_text(app: &App, text: &str) -> Result<(String, Vec<Id>, Vec<String>)> {
    let mentioned = resolve_mentions(app, text).await?;
    let base = app.config().base_url();
    let content = html::render(text, &base, |username, domain| {
        mentioned.get(&mention_key(app, username, domain)).map(|a| html::ResolvedMention {
            username: a.username.clone(),
            url: a.url.clone().or(a.uri.clone()).unwrap_or_else(|| format!("{base}/@{}", a.username)),
        })
    });
    let mut mentions: Vec<Id> = Vec::new();
    let mut tags: Vec<String> = Vec::new();
    for segment in segments(text) {
        match segment {
            Segment::Hashtag { name, .. } => {
                let name = name.to_lowercase();
                if !tags.contains(&name) {
                    tags.push(name);
                }
            }
            Segment::Mention { username, domain, .. } => {
                if let Some(a) = mentioned.get(&mention_key(app, username, domain))
                    && !mentions.contains(&a.id)
                {
                    mentions.push(a.id);
                }
            }
            _ => {}
        }
    }
    Ok((content, mentions, tags))
}

/// How a mention is looked up: `user` for local accounts, `user@domain` for remote
/// ones, lower-cased.
fn mention_key(app: &App, username: &str, domain: Option<&str>) -> String {
    match domain.filter(|d| !d.eq_ignore_ascii_case(&app.config().domain)) {
        None => username.to_lowercase(),
        Some(domain) => format!("{username}@{domain}").to_lowercase(),
    }
}

/// Accounts mentioned by `@user` or `@user@this-domain` (local) or `@user@other.domain`
/// (known, or found by WebFinger now; one that cannot be found stays plain text).
async fn resolve_mentions(app: &App, text: &str) -> Result<HashMap<String, Account>> {
    let mut found = HashMap::new();
    for segment in segments(text) {
        let Segment::Mention { username, domain, .. } = segment else { continue };
        let key = mention_key(app, username, domain);
        if found.contains_key(&key) {
            continue;
        }
        let account = match key.split_once('@') {
            None => app.store().find_local_user_by_username(username).await?.map(|(a, _)| a),
            Some((_, domain)) => crate::federation::remote::resolve_acct(app, username, domain).await.ok(),
        };
        if let Some(account) = account {
            found.insert(key, account);
        }
    }
    Ok(found)
}

/// A post `viewer` may see; any other is "not found", so its existence does not leak.
pub async fn get_status(app: &App, viewer: Option<Id>, id: Id) -> Result<Status> {
    let status = app.store().find_status(id).await?.ok_or(AppError::NotFound("status"))?;
    if can_see(app, viewer, &status).await? { Ok(status) } else { Err(AppError::NotFound("status")) }
}

/// The posts with these ids that `viewer` may see, in the given order.
pub async fn list_visible(app: &App, viewer: Option<Id>, ids: &[Id]) -> Result<Vec<Arc<Status>>> {
    let statuses = app.store().list_statuses(ids).await?;
    // The boosted posts of the page, loaded once rather than one query per boost.
    let original_ids: Vec<Id> = statuses.iter().filter_map(|s| s.reblog_of_id).collect();
    let originals = app.store().list_statuses(&original_ids).await?;
    let authors: Vec<Id> = statuses.iter().chain(&originals).map(|s| s.account_id).collect();
    // In a list, posts of accounts blocked either way are left out.
    let blocked = match viewer {
        Some(viewer) => app.store().list_blocked_either_way(viewer, &authors).await?,
        None => Default::default(),
    };
    let policy = crate::moderation::policy::current(app).await?;
    let restricted = app.store().list_restricted_accounts(&authors).await?;
    let suspended = |s: &Status| restricted.get(&s.account_id).is_some_and(|m| m.suspended_at.is_some());
    let mut visible = Vec::new();
    for status in statuses {
        if blocked.contains(&status.account_id) || visibility::refused(&policy, &status) || suspended(&status) {
            continue;
        }
        let original = match status.reblog_of_id {
            None => None,
            Some(id) => match originals.iter().find(|o| o.id == id).map(AsRef::as_ref) {
                Some(original) => Some(original),
                None => continue,
            },
        };
        if original.is_some_and(|o| blocked.contains(&o.account_id) || visibility::refused(&policy, o) || suspended(o))
        {
            continue;
        }
        if visibility::can_see_with_original(app, viewer, &status, original).await? {
            visible.push(status);
        }
    }
    Ok(visible)
}

/// Deletes one's own post; returns it as it was, with what rendering it needs read
/// before it went (its attachments, which stay to be posted again, as Mastodon's
/// "delete and redraft" does).
pub async fn delete_status(app: &App, actor: &Account, id: Id) -> Result<(Status, Hydration)> {
    let status = get_status(app, Some(actor.id), id).await?;
    if status.account_id != actor.id {
        // Mastodon answers as if there were no such post.
        return Err(AppError::NotFound("status"));
    }
    let status = Arc::new(status);
    let hydration = hydrate(app, std::slice::from_ref(&status), Some(actor.id)).await?;
    app.store().delete_status(&status).await?;
    app.emit(Event::status_deleted(&status)).await?;
    Ok((Arc::unwrap_or_clone(status), hydration))
}

/// Removes a post that is not its author's own deletion (its remote author's Delete, a
/// moderator's removal): a remote post's cached files go with it, and a boost's
/// notification; timelines, streams and, for a local post, other servers hear of it.
pub(crate) async fn remove_stored(app: &App, status: &Status) -> Result<()> {
    let attachments = app.store().list_media_of_statuses(&[status.id]).await?.remove(&status.id).unwrap_or_default();
    app.store().delete_status(status).await?;
    if !status.local {
        crate::media::cache::forget(app, &attachments).await;
    }
    if let Some(original) = status.reblog_of_id
        && let Some(original) = app.store().find_status(original).await?
    {
        app.store()
            .delete_notifications_about(original.account_id, status.account_id, "reblog", Some(original.id))
            .await?;
    }
    app.emit(Event::status_deleted(status)).await
}

/// Stores a boost of `original` by the local `booster` and puts it in its readers' home feeds.
pub(crate) async fn post_reblog(
    app: &App,
    booster: &Account,
    original: &Status,
    visibility: Visibility,
) -> Result<Status> {
    let id = app.ids().next();
    let uri = format!("{}/users/{}/statuses/{id}/activity", app.config().base_url(), booster.username);
    let status = boost(id, booster, original, uri, visibility, now_millis());
    insert_boost(app, &status).await?;
    Ok(status)
}

/// Puts a boost, local or remote, in the store and its readers' home feeds;
/// `Conflict` when the booster has boosted that post already.
pub(crate) async fn insert_boost(app: &App, boost: &Status) -> Result<()> {
    let readers = visibility::home_feed_readers(app, boost).await?;
    Ok(app.store().insert_status(boost, &readers, None).await?)
}

/// A boost of `original` by `booster` (local or remote), stored under `uri`: ours for
/// a local boost, the Announce's id for a remote one.
pub(crate) fn boost(
    id: Id,
    booster: &Account,
    original: &Status,
    uri: String,
    visibility: Visibility,
    created_at: i64,
) -> Status {
    Status {
        id,
        account_id: booster.id,
        uri,
        url: None,
        text: String::new(),
        content: String::new(),
        spoiler_text: String::new(),
        sensitive: false,
        visibility,
        language: None,
        in_reply_to_id: None,
        in_reply_to_account_id: None,
        reblog_of_id: Some(original.id),
        conversation_id: id,
        application_id: None,
        created_at,
        edited_at: None,
        replies_count: 0,
        reblogs_count: 0,
        favourites_count: 0,
        local: booster.is_local(),
        mentions: Vec::new(),
        media: Vec::new(),
        tags: Vec::new(),
    }
}

/// How deep a thread is followed, up or down, as a bound on work.
const MAX_CONTEXT: usize = 60;

/// The posts above (oldest first) and below (in reply order) a post the viewer may see.
pub async fn context(app: &App, viewer: Option<Id>, id: Id) -> Result<(Vec<Arc<Status>>, Vec<Arc<Status>>)> {
    let status = get_status(app, viewer, id).await?;
    let mut ancestors = Vec::new();
    let mut parent = status.in_reply_to_id;
    while let Some(pid) = parent.filter(|_| ancestors.len() < MAX_CONTEXT) {
        let Some(p) = app.store().find_status(pid).await? else { break };
        parent = p.in_reply_to_id;
        if can_see(app, viewer, &p).await? {
            ancestors.push(Arc::new(p));
        }
    }
    ancestors.reverse();
    let ancestors = crate::mutes::without_muted(app, viewer, ancestors).await?;
    let ancestors =
        crate::filters::matching::without_hidden(app, viewer, crate::filters::matching::Place::Thread, ancestors)
            .await?;
    let mut descendant_ids = Vec::new();
    let mut frontier = vec![status.id];
    while !frontier.is_empty() && descendant_ids.len() < MAX_CONTEXT {
        let replies = app.store().list_replies(&frontier).await?;
        frontier = replies.iter().map(|(r, _)| *r).collect();
        descendant_ids.extend(frontier.iter().copied());
    }
    descendant_ids.truncate(MAX_CONTEXT);
    let descendants = list_visible(app, viewer, &descendant_ids).await?;
    let descendants = crate::mutes::without_muted(app, viewer, descendants).await?;
    let descendants =
        crate::filters::matching::without_hidden(app, viewer, crate::filters::matching::Place::Thread, descendants)
            .await?;
    Ok((ancestors, descendants))
}
