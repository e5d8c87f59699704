//! Pictures and other files attached to posts.

use std::fmt;
use std::str::FromStr;

use crate::{Id, UnixMillis, ValidationError};

/// What an attachment is, as Mastodon's `type`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum MediaKind {
    #[default]
    Image,
    /// An animated GIF, stored as a silent looping video.
    Gifv,
    Video,
    Audio,
    /// A remote file of a type not shown here: linked, not cached.
    Unknown,
}

impl MediaKind {
    pub fn as_str(self) -> &'static str {
        match self {
            MediaKind::Image => "image",
            MediaKind::Gifv => "gifv",
            MediaKind::Video => "video",
            MediaKind::Audio => "audio",
            MediaKind::Unknown => "unknown",
        }
    }
}

impl fmt::Display for MediaKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for MediaKind {
    type Err = ValidationError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(match s {
            "image" => MediaKind::Image,
            "gifv" => MediaKind::Gifv,
            "video" => MediaKind::Video,
            "audio" => MediaKind::Audio,
            "unknown" => MediaKind::Unknown,
            _ => return Err(ValidationError::field("type", "ERR_INCLUSION", "is not included in the list")),
        })
    }
}

/// Whether an upload's files are ready.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Processing {
    #[default]
    Ready,
    /// Waiting to be converted; its bytes are kept under this key until then.
    Pending { upload_key: String },
    /// Could not be converted, for this reason.
    Failed(String),
}

/// A picture's size in pixels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PixelSize {
    pub width: u32,
    pub height: u32,
}

/// The point of a picture that crops keep in view, each coordinate in -1.0..=1.0
/// (x to the right, y upwards), as Mastodon's focus.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Focus {
    pub x: f64,
    pub y: f64,
}

impl Focus {
    /// Parses Mastodon's `"x,y"`.
    pub fn parse(input: &str) -> Result<Focus, ValidationError> {
        let invalid = || ValidationError::field("focus", "ERR_INVALID", "must be two numbers from -1.0 to 1.0");
        let (x, y) = input.split_once(',').ok_or_else(invalid)?;
        let coordinate = |s: &str| {
            s.trim().parse::<f64>().ok().filter(|v| v.is_finite() && (-1.0..=1.0).contains(v)).ok_or_else(invalid)
        };
        Ok(Focus { x: coordinate(x)?, y: coordinate(y)? })
    }
}

/// An attachment: an upload of a local account, or a remote post's file.
#[derive(Debug, Clone, PartialEq)]
pub struct MediaAttachment {
    pub id: Id,
    pub account_id: Id,
    /// The post it is attached to; `None` until one is made with it.
    pub status_id: Option<Id>,
    pub kind: MediaKind,
    /// The stored file's type (`image/jpeg`), or the remote file's as announced.
    pub content_type: String,
    /// Where the stored file and its preview are in the media storage; `None` for a
    /// remote file not fetched (or evicted).
    pub file_key: Option<String>,
    pub preview_key: Option<String>,
    pub file_bytes: i64,
    pub size: Option<PixelSize>,
    pub preview_size: Option<PixelSize>,
    /// Alt text.
    pub description: String,
    pub focus: Focus,
    pub blurhash: Option<String>,
    /// The file on its own server, for remote attachments.
    pub remote_url: Option<String>,
    /// For a remote picture, the folder of the media storage its files are cached in
    /// (when they are: `file_key`); fixed, so its address here never changes.
    pub cache_folder: Option<String>,
    /// How long video or audio plays.
    pub duration_ms: Option<i64>,
    /// A video's frames per second, as a fraction (`30000/1001`).
    pub frame_rate: Option<String>,
    pub processing: Processing,
    pub created_at: UnixMillis,
}

impl MediaAttachment {
    /// An attachment of `account_id` with nothing known yet but its kind: no files, no
    /// post, no alt text; the caller fills in what it knows.
    pub fn new(id: Id, account_id: Id, kind: MediaKind, created_at: UnixMillis) -> Self {
        MediaAttachment {
            id,
            account_id,
            status_id: None,
            kind,
            content_type: String::new(),
            file_key: None,
            preview_key: None,
            file_bytes: 0,
            size: None,
            preview_size: None,
            description: String::new(),
            focus: Focus::default(),
            blurhash: None,
            remote_url: None,
            cache_folder: None,
            duration_ms: None,
            frame_rate: None,
            processing: Processing::Ready,
            created_at,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn focus_is_two_coordinates_within_the_picture() {
        assert_eq!(Focus::parse("0.5,-0.25").unwrap(), Focus { x: 0.5, y: -0.25 });
        assert_eq!(Focus::parse(" -1 , 1 ").unwrap(), Focus { x: -1.0, y: 1.0 });
        for bad in ["", "0.5", "2,0", "0,NaN", "a,b", "0,-1.5"] {
            assert!(Focus::parse(bad).is_err(), "{bad}");
        }
    }
}
