//! Mastodon's MediaAttachment entity.

use app::Config;
use app::media::cache::{Style, cache_key};
use domain::{MediaAttachment, MediaKind, PixelSize};
use serde::Serialize;

#[derive(Debug, Serialize)]
pub(crate) struct MediaAttachmentEntity {
    pub(crate) id: String,
    #[serde(rename = "type")]
    pub(crate) kind: &'static str,
    pub(crate) url: Option<String>,
    pub(crate) preview_url: Option<String>,
    pub(crate) remote_url: Option<String>,
    pub(crate) preview_remote_url: Option<String>,
    pub(crate) text_url: Option<String>,
    pub(crate) meta: Meta,
    pub(crate) description: Option<String>,
    pub(crate) blurhash: Option<String>,
}

/// As Mastodon's: the sizes, and for video and audio their length at the top too.
#[derive(Debug, Serialize)]
pub(crate) struct Meta {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) length: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) duration: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) fps: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) original: Option<Size>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) small: Option<Size>,
    pub(crate) focus: Focus,
}

#[derive(Debug, Serialize)]
pub(crate) struct Size {
    pub(crate) width: u32,
    pub(crate) height: u32,
    pub(crate) size: String,
    pub(crate) aspect: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) frame_rate: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) duration: Option<f64>,
}

#[derive(Debug, Serialize)]
pub(crate) struct Focus {
    x: f64,
    y: f64,
}

fn size(s: Option<PixelSize>) -> Option<Size> {
    s.filter(|s| s.height > 0).map(|s| Size {
        width: s.width,
        height: s.height,
        size: format!("{}x{}", s.width, s.height),
        aspect: f64::from(s.width) / f64::from(s.height),
        frame_rate: None,
        duration: None,
    })
}

/// `0:01:05.25`, as Mastodon writes a length.
fn length(millis: i64) -> String {
    let (seconds, hundredths) = (millis / 1000, (millis % 1000) / 10);
    format!("{}:{:02}:{:02}.{hundredths:02}", seconds / 3600, seconds / 60 % 60, seconds % 60)
}

fn frames_per_second(rate: &str) -> Option<u32> {
    let (n, d) = rate.split_once('/')?;
    let (n, d) = (n.parse::<f64>().ok()?, d.parse::<f64>().ok().filter(|d| *d > 0.0)?);
    Some((n / d).round() as u32)
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
                (media.kind == MediaKind::Image).then(|| file_url(config, &cache_key(folder, Style::Small))),
            ),
            (None, Some(key)) => {
                (Some(file_url(config, key)), media.preview_key.as_deref().map(|p| file_url(config, p)))
            }
            // Linked remote files have no preview: apps would show a video as a picture.
            (None, None) => (media.remote_url.clone(), None),
        };
        let seconds = media.duration_ms.map(|ms| ms as f64 / 1000.0);
        MediaAttachmentEntity {
            id: media.id.to_string(),
            kind: media.kind.as_str(),
            preview_url,
            url,
            remote_url: media.remote_url.clone(),
            preview_remote_url: None,
            text_url: None,
            meta: Meta {
                length: media.duration_ms.map(length),
                duration: seconds,
                fps: media.frame_rate.as_deref().and_then(frames_per_second),
                original: size(media.size).map(|s| Size {
                    frame_rate: media.frame_rate.clone(),
                    duration: seconds,
                    ..s
                }),
                small: size(media.preview_size),
                focus: Focus { x: media.focus.x, y: media.focus.y },
            },
            description: Some(media.description.clone()).filter(|d| !d.is_empty()),
            blurhash: media.blurhash.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{frames_per_second, length};

    #[test]
    fn lengths_and_frame_rates_as_mastodon_writes_them() {
        assert_eq!(length(65_250), "0:01:05.25");
        assert_eq!(length(3_600_000), "1:00:00.00");
        assert_eq!(frames_per_second("30000/1001"), Some(30));
        assert_eq!(frames_per_second("0/0"), None);
    }
}
