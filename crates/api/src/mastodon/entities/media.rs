//! Mastodon's MediaAttachment entity.

use app::Config;
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
        // A remote file not fetched is shown from its own server until it is.
        let url = media.file_key.as_deref().map(|k| file_url(config, k)).or_else(|| media.remote_url.clone());
        MediaAttachmentEntity {
            id: media.id.to_string(),
            kind: media.kind.as_str(),
            preview_url: media.preview_key.as_deref().map(|k| file_url(config, k)).or_else(|| url.clone()),
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
