//! Posts from other servers become posts here: a Note (or a type Mastodon downgrades
//! to one) read tolerantly, sanitised, addressed, threaded and fanned out like a local
//! post, announcing the same event.

use domain::{Account, Id, Status, Visibility};
use serde_json::Value;

use super::documents::PUBLIC;
use super::{remote, sanitize};
use crate::{App, AppError, Event, Result, now_millis};

/// How often an id of a post's own millisecond is drawn before giving up: only the
/// low 15 bits are random, so busy seconds of servers that publish whole seconds share.
const ID_ATTEMPTS: u32 = 8;

/// The most accounts one remote post may mention (or address) here.
const MAX_MENTIONS: usize = 64;

/// How many unknown ancestors a reply may pull in.
const MAX_ANCESTORS: u8 = 5;

pub fn parse_time(text: &str) -> Option<i64> {
    let parsed = time::OffsetDateTime::parse(text, &time::format_description::well_known::Rfc3339).ok()?;
    i64::try_from(parsed.unix_timestamp_nanos() / 1_000_000).ok()
}

/// An id, whether given as a string or as an object with one.
pub fn id_of(value: &Value) -> Option<&str> {
    match value {
        Value::String(s) => Some(s),
        Value::Object(o) => o.get("id").and_then(Value::as_str),
        Value::Array(items) => items.first().and_then(id_of),
        _ => None,
    }
}

fn uris(value: Option<&Value>) -> Vec<String> {
    match value {
        Some(Value::String(s)) => vec![s.clone()],
        Some(Value::Array(items)) => items.iter().filter_map(id_of).map(str::to_owned).collect(),
        Some(other) => id_of(other).map(|s| vec![s.to_owned()]).unwrap_or_default(),
        None => Vec::new(),
    }
}

fn is_public(uri: &str) -> bool {
    matches!(uri, PUBLIC | "as:Public" | "Public")
}

/// Mastodon's reading of to/cc: Public in `to` is public, in `cc` unlisted; the
/// followers collection without Public is private; anything else is direct.
pub fn visibility_of(object: &Value, followers_uri: Option<&str>) -> Visibility {
    let to = uris(object.get("to"));
    let cc = uris(object.get("cc"));
    if to.iter().any(|u| is_public(u)) {
        Visibility::Public
    } else if cc.iter().any(|u| is_public(u)) {
        Visibility::Unlisted
    } else if followers_uri.is_some_and(|f| to.iter().chain(&cc).any(|u| u == f)) {
        Visibility::Private
    } else {
        Visibility::Direct
    }
}

/// Stores a post by `author` (whose server sent or served it) unless known; returns it.
pub async fn ingest_note(app: &App, author: &Account, object: &Value) -> Result<Option<Status>> {
    ingest_at_depth(app, author, object, 0).await
}

async fn ingest_at_depth(app: &App, author: &Account, object: &Value, depth: u8) -> Result<Option<Status>> {
    let uri =
        object.get("id").and_then(Value::as_str).ok_or_else(|| AppError::BadRequest("a Note without id".into()))?;
    if let Some(existing) = app.store().find_status_by_uri(uri).await? {
        return Ok(Some(existing));
    }
    let author_uri = author.uri.as_deref().unwrap_or_default();
    let attributed = uris(object.get("attributedTo"));
    if attributed.first().map(String::as_str) != Some(author_uri)
        || remote::authority(uri) != remote::authority(author_uri)
    {
        return Err(AppError::BadRequest("the post is not attributed to its sender".into()));
    }
    let Some(content) = content_of(object) else { return Ok(None) };
    let parent = match object.get("inReplyTo").and_then(id_of) {
        Some(parent_uri) => find_or_fetch_parent(app, parent_uri, depth).await,
        None => None,
    };
    let followers = app.store().find_followers_url(author.id).await?;
    let visibility = visibility_of(object, followers.as_deref());
    let (mentions, tags) = mentions_and_tags(app, object, visibility).await?;
    let published = object.get("published").and_then(Value::as_str).and_then(parse_time).unwrap_or_else(now_millis);
    let id = app.ids().at(published);
    let language = object.get("contentMap").and_then(Value::as_object).and_then(|m| m.keys().next().cloned());
    let spoiler_text = sanitize::plain(object.get("summary").and_then(Value::as_str).unwrap_or_default());
    let mut status = Status {
        id,
        account_id: author.id,
        uri: uri.to_owned(),
        url: match object.get("url") {
            Some(Value::String(u)) => Some(u.clone()),
            _ => None,
        },
        text: String::new(),
        content,
        sensitive: object.get("sensitive").and_then(Value::as_bool).unwrap_or(false) || !spoiler_text.is_empty(),
        spoiler_text,
        visibility,
        language: language.filter(|l| l.len() <= 16),
        in_reply_to_id: parent.as_ref().map(|p| p.id),
        in_reply_to_account_id: parent.as_ref().map(|p| p.account_id),
        reblog_of_id: None,
        conversation_id: parent.as_ref().map_or(id, |p| p.conversation_id),
        application_id: None,
        created_at: published.min(now_millis()),
        edited_at: None,
        replies_count: 0,
        reblogs_count: 0,
        favourites_count: 0,
        local: false,
        mentions,
        media: Vec::new(),
        tags,
    };
    let attachments = super::attachments::remote_attachments(app, author.id, object, now_millis());
    status.media = attachments.iter().map(|m| m.id).collect();
    let readers = crate::statuses::visibility::home_feed_readers(app, &status).await?;
    for _ in 0..ID_ATTEMPTS {
        match app.store().insert_status_with_media(&status, &attachments, &readers, None).await {
            Ok(()) => {
                app.emit(Event::StatusCreated { status_id: status.id }).await?;
                return Ok(Some(status));
            }
            Err(store::StoreError::Conflict(_)) => {
                // The same post arrived twice at once: the first one stays.
                if let Some(stored) = app.store().find_status_by_uri(uri).await? {
                    return Ok(Some(stored));
                }
                // Another post of the same millisecond drew the same id: draw again.
                let fresh = app.ids().at(published);
                if parent.is_none() {
                    status.conversation_id = fresh;
                }
                status.id = fresh;
            }
            Err(e) => return Err(e.into()),
        }
    }
    Err(AppError::Internal(format!("no free id for {uri}")))
}

/// A reply's parent: known, or fetched from its server (with its own ancestors).
async fn find_or_fetch_parent(app: &App, uri: &str, depth: u8) -> Option<Status> {
    if let Ok(Some(known)) = app.store().find_status_by_uri(uri).await {
        return Some(known);
    }
    if depth >= MAX_ANCESTORS || remote::is_local_uri(app, uri) {
        return None;
    }
    let fetched = fetch_status(app, uri, depth + 1).await;
    fetched.map_err(|e| tracing::debug!(uri, error = %e, "cannot fetch a reply's parent")).ok().flatten()
}

/// Fetches a post by its id from its server and stores it.
pub async fn fetch_status(app: &App, uri: &str, depth: u8) -> Result<Option<Status>> {
    let object = remote::fetch_object(app, uri).await?;
    let author_uri = object.get("attributedTo").and_then(id_of).ok_or(AppError::BadRequest("no author".into()))?;
    let author = remote::resolve_actor(app, author_uri).await?;
    Box::pin(ingest_at_depth(app, &author, &object, depth)).await
}

/// The HTML to show: a Note's content, or for the types Mastodon downgrades (Article,
/// Page, Video, ...) the name and a link to the original. `None` for non-posts.
fn content_of(object: &Value) -> Option<String> {
    let kind = object.get("type").and_then(Value::as_str).unwrap_or_default();
    let text = |key: &str| object.get(key).and_then(Value::as_str).unwrap_or_default();
    // `content`, or the first translation when only `contentMap` is given.
    let content = match text("content") {
        "" => object.get("contentMap").and_then(Value::as_object).and_then(|m| m.values().next()),
        _ => None,
    }
    .and_then(Value::as_str)
    .unwrap_or(text("content"));
    let html = match kind {
        "Note" => content.to_owned(),
        "Question" => {
            let options = object.get("oneOf").or_else(|| object.get("anyOf")).and_then(Value::as_array);
            let mut html = content.to_owned();
            for option in options.into_iter().flatten() {
                let name = option.get("name").and_then(Value::as_str).unwrap_or_default();
                html.push_str(&format!("<p>☐ {}</p>", domain::text::escape_html(name)));
            }
            html
        }
        "Article" | "Page" | "Image" | "Audio" | "Video" | "Event" => {
            let url = match object.get("url") {
                Some(Value::String(u)) => u.clone(),
                _ => object.get("id").and_then(Value::as_str).unwrap_or_default().to_owned(),
            };
            let title = if text("name").is_empty() {
                content.to_owned()
            } else {
                format!("<p>{}</p>", domain::text::escape_html(text("name")))
            };
            let link = domain::text::escape_html(&url);
            format!("{title}<p><a href=\"{link}\">{link}</a></p>")
        }
        _ => return None,
    };
    Some(sanitize::html(&html.chars().take(100_000).collect::<String>()))
}

async fn mentions_and_tags(app: &App, object: &Value, visibility: Visibility) -> Result<(Vec<Id>, Vec<String>)> {
    let mut mentions = Vec::new();
    let mut tags = Vec::new();
    let items = match object.get("tag") {
        Some(Value::Array(items)) => items.clone(),
        Some(one @ Value::Object(_)) => vec![one.clone()],
        _ => Vec::new(),
    };
    for tag in items.iter().take(64) {
        if mentions.len() >= MAX_MENTIONS && tag.get("type").and_then(Value::as_str) == Some("Mention") {
            continue;
        }
        match tag.get("type").and_then(Value::as_str) {
            Some("Mention") => {
                let Some(href) = tag.get("href").and_then(Value::as_str) else { continue };
                let account = match super::actors::find_local_account_by_uri(app, href).await? {
                    Some(local) => Some(local),
                    None => app.store().find_account_by_uri(href).await?,
                };
                if let Some(a) = account
                    && !mentions.contains(&a.id)
                {
                    mentions.push(a.id);
                }
            }
            Some("Hashtag") => {
                let name = tag.get("name").and_then(Value::as_str).unwrap_or_default();
                let name = name.trim_start_matches('#').to_lowercase();
                if !name.is_empty() && name.chars().all(|c| c.is_alphanumeric() || c == '_') && !tags.contains(&name) {
                    tags.push(name);
                }
            }
            _ => {}
        }
    }
    // The local accounts a direct post is addressed to are its readers even without a
    // Mention tag (Lemmy's private messages carry none). Mastodon makes these silent
    // mentions; here they are mentions, so a private message is seen and notified.
    if visibility == Visibility::Direct {
        for uri in uris(object.get("to")).iter().chain(&uris(object.get("cc"))) {
            if mentions.len() >= MAX_MENTIONS {
                break;
            }
            if let Some(local) = super::actors::find_local_account_by_uri(app, uri).await?
                && !mentions.contains(&local.id)
            {
                mentions.push(local.id);
            }
        }
    }
    Ok((mentions, tags))
}

/// An edit of a known post by its author.
pub async fn update_note(app: &App, author: &Account, object: &Value) -> Result<()> {
    let uri = object.get("id").and_then(Value::as_str).unwrap_or_default();
    let Some(before) = app.store().find_status_by_uri(uri).await? else { return Ok(()) };
    if before.account_id != author.id {
        return Err(AppError::Forbidden("not the author's post"));
    }
    let Some(content) = content_of(object) else { return Ok(()) };
    let (mentions, tags) = mentions_and_tags(app, object, before.visibility).await?;
    let spoiler_text = sanitize::plain(object.get("summary").and_then(Value::as_str).unwrap_or_default());
    let edited_at = object.get("updated").and_then(Value::as_str).and_then(parse_time).unwrap_or_else(now_millis);
    let after = Status {
        content,
        sensitive: object.get("sensitive").and_then(Value::as_bool).unwrap_or(false) || !spoiler_text.is_empty(),
        spoiler_text,
        edited_at: Some(edited_at.min(now_millis())),
        mentions,
        tags,
        ..before.clone()
    };
    if after.content == before.content && after.spoiler_text == before.spoiler_text {
        return Ok(());
    }
    app.store().update_status_text(&before, &after, (app.ids().next(), app.ids().next()), &[]).await?;
    let added_mentions = after.mentions.iter().copied().filter(|m| !before.mentions.contains(m)).collect();
    app.emit(Event::StatusUpdated { status_id: before.id, added_mentions }).await
}
