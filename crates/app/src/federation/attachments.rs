//! A remote post's attachments, read as Mastodon reads them: at most four, each with
//! its file's address on its server, type, alt text (`summary`, else `name`), blurhash,
//! focal point and size. Pictures, video and audio get a folder of the cache, filled
//! when first shown.

use domain::{Focus, Id, MediaAttachment, MediaKind, PixelSize};
use serde_json::Value;

use super::sanitize;
use crate::App;
use crate::media::MediaStorage;

const MAX_URL_BYTES: usize = 2048;
/// A blurhash of at most 9 × 9 components is 4 + 2 × 81 characters.
const MAX_BLURHASH_CHARS: usize = 166;

/// The attachments of `object` by `author`, unattached and not stored yet.
pub fn remote_attachments(app: &App, author: Id, object: &Value, now: i64) -> Vec<MediaAttachment> {
    let items = match object.get("attachment") {
        Some(Value::Array(items)) => items.iter().collect(),
        Some(one @ Value::Object(_)) => vec![one],
        _ => Vec::new(),
    };
    items
        .into_iter()
        .filter_map(|item| read_one(app, author, item, now))
        .take(domain::limits::MAX_MEDIA_ATTACHMENTS as usize)
        .collect()
}

fn read_one(app: &App, author: Id, item: &Value, now: i64) -> Option<MediaAttachment> {
    let url = match item.get("url")? {
        Value::String(u) => u.as_str(),
        // A Link (or a list of them): its href.
        link => link_href(link)?,
    };
    let parsed = url::Url::parse(url).ok()?;
    if !matches!(parsed.scheme(), "https" | "http") || url.len() > MAX_URL_BYTES {
        return None;
    }
    let content_type = item.get("mediaType").and_then(Value::as_str).unwrap_or_default();
    let kind = match content_type.split('/').next() {
        Some("image") => MediaKind::Image,
        Some("video") => MediaKind::Video,
        Some("audio") => MediaKind::Audio,
        _ => MediaKind::Unknown,
    };
    let text = |key: &str| item.get(key).and_then(Value::as_str).filter(|s| !s.is_empty());
    let description: String = sanitize::plain(text("summary").or_else(|| text("name")).unwrap_or_default())
        .chars()
        .take(domain::limits::MEDIA_DESCRIPTION_LIMIT as usize)
        .collect();
    let dimension = |key: &str| item.get(key).and_then(Value::as_u64).and_then(|v| u32::try_from(v).ok());
    let size = match (dimension("width"), dimension("height")) {
        (Some(width), Some(height)) if width > 0 && height > 0 => Some(PixelSize { width, height }),
        _ => None,
    };
    let focus = match item.get("focalPoint").and_then(Value::as_array).map(Vec::as_slice) {
        Some([x, y]) => Focus::parse(&format!("{},{}", x.as_f64()?, y.as_f64()?)).unwrap_or_default(),
        _ => Focus::default(),
    };
    // Served from here, cached when first shown; files of other types are linked.
    let cache_folder = match kind {
        MediaKind::Unknown => None,
        _ => Some(MediaStorage::new_folder("cache").ok()?),
    };
    let blurhash = text("blurhash")
        .filter(|b| b.len() <= MAX_BLURHASH_CHARS && b.bytes().all(|c| c.is_ascii_graphic()))
        .map(str::to_owned);
    Some(MediaAttachment {
        content_type: content_type.chars().take(100).collect(),
        size,
        description,
        focus,
        blurhash,
        remote_url: Some(url.to_owned()),
        cache_folder,
        ..MediaAttachment::new(app.ids().next(), author, kind, now)
    })
}

fn link_href(link: &Value) -> Option<&str> {
    match link {
        Value::Object(o) => o.get("href").and_then(Value::as_str),
        Value::Array(items) => items.iter().find_map(link_href),
        _ => None,
    }
}
