//! Mastodon's MediaAttachment entity.

use app::Config;
use app::media::cache::{Style, cache_key};
use domain::{MediaAttachment, PixelSize};
use serde::Serialize;

#[derive(Debug, Serialize)]
pub(crate) struct MediaAttachmentEntity {
    id: String,
    #[serde(rename = "type")]
    kind: &'static str,
    url: Option<String>,
    preview_url: Option<String>,
    remote_url: Option<String>,
    preview_remote_url: Option<String>,
    text_url: Option<String>,
    meta: Meta,
    description: Option<String>,
    blurhash: Option<String>,
}

#[derive(Debug, Serialize)]
struct Meta {
    #[serde(skip_serializing_if = "Option::is_none")]
    original: Option<Size>,
    #[serde(skip_serializing_if = "Option::is_none")]
    small: Option<Size>,
    focus: Focus,
}

#[derive(Debug, Serialize)]
struct Size {
    width: u32,
    height: u32,
    size: String,
    aspect: f64,
}

#[derive(Debug, Serialize)]
struct Focus {
    x: f64,
    y: f64,
}

fn size(s: Option<PixelSize>) -> Option<Size> {
    s.filter(|s| s.height > 0).map(|s| Size {
        width: s.width,
        height: s.height,
        size: format!("{}x{}", s.width, s.height),
        aspect: f64::from(s.width) / f64::from(s.height),
    })
}

/// Where this server serves a stored file.
pub(crate) fn file_url(config: &Config, key: &str) -> String {
    format!("{}/system/{key}", config.base_url())
}

impl MediaAttachmentEntity {
    pub(crate) fn new(config: &Config, media: &MediaAttachment) -> Self {
        // A remote picture is served from its cache folder here (fetched when first
        // asked for); other remote files are linked on their server.
        let (url, preview_url) = match (&media.cache_folder, &media.file_key) {
            (Some(folder), _) => (
                Some(file_url(config, &cache_key(folder, Style::Original))),
                Some(file_url(config, &cache_key(folder, Style::Small))),
            ),
            (None, Some(key)) => {
                let preview = media.preview_key.as_deref().unwrap_or(key);
                (Some(file_url(config, key)), Some(file_url(config, preview)))
            }
            // Linked remote files have no preview: apps would show a video as a picture.
            (None, None) => (media.remote_url.clone(), None),
        };
        MediaAttachmentEntity {
            id: media.id.to_string(),
            kind: media.kind.as_str(),
            preview_url,
            url,
            remote_url: media.remote_url.clone(),
            preview_remote_url: None,
            text_url: None,
            meta: Meta {
                original: size(media.size),
                small: size(media.preview_size),
                focus: Focus { x: media.focus.x, y: media.focus.y },
            },
            description: Some(media.description.clone()).filter(|d| !d.is_empty()),
            blurhash: media.blurhash.clone(),
        }
    }
}
