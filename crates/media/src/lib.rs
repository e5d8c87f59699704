//! Uploaded images made safe to serve. The type is read from the bytes, never from a
//! name or header; the size in pixels is checked before anything is decoded (a small
//! file can claim a huge picture); the picture is turned upright by its EXIF
//! orientation and written out afresh, which leaves every piece of metadata behind
//! (GPS position above all); a small preview and a blurhash are made from it.
//!
//! Pure computation on bytes: no files, no network. Decoding takes tens to hundreds of
//! milliseconds and up to about 4 bytes a pixel, so callers run it on a blocking thread
//! and bound how many run at once.

mod image_file;
mod sniff;

pub use image_file::{Dimensions, ProcessedImage, process_image};
pub use sniff::{AvFormat, Format, sniff, sniff_av};

/// Mastodon's limits for images.
#[derive(Debug, Clone, Copy)]
pub struct ImageLimits {
    /// The largest upload, in bytes (Mastodon: 16 MB).
    pub max_bytes: usize,
    /// The largest picture accepted, in pixels (Mastodon: 7680 × 4320).
    pub max_pixels: u64,
    /// Larger originals are scaled down to this many pixels (Mastodon: 3840 × 2160).
    pub original_pixels: u64,
    /// The preview's size in pixels (Mastodon: 480 × 480, kept in proportion).
    pub preview_pixels: u64,
}

impl Default for ImageLimits {
    fn default() -> Self {
        ImageLimits {
            max_bytes: 16 * 1024 * 1024,
            max_pixels: 33_177_600,
            original_pixels: 8_294_400,
            preview_pixels: 230_400,
        }
    }
}

/// Why a file was refused. Each is the uploader's to fix, except `Internal`.
#[derive(Debug, thiserror::Error)]
pub enum MediaError {
    #[error("the file is not a picture (JPEG, PNG, GIF, WebP), a video (MP4, WebM) or audio (MP3, Ogg, WAV, FLAC)")]
    Unsupported,
    #[error("the file is larger than {0} bytes")]
    TooLarge(usize),
    #[error("the image is {width} × {height} pixels; at most {max} pixels are accepted")]
    TooManyPixels { width: u32, height: u32, max: u64 },
    /// An animated GIF: the caller converts it as a video (as Mastodon's gifv).
    #[error("animated GIFs need ffmpeg, which this server does not have")]
    AnimatedNeedsVideo,
    #[error("video, audio and animated GIFs need ffmpeg and ffprobe, which this server does not have")]
    NeedsFfmpeg,
    #[error("the video is {width} × {height} pixels; at most {max} pixels are accepted")]
    VideoTooLarge { width: u32, height: u32, max: u64 },
    #[error("the video has {0:.0} frames per second; at most 120 are accepted")]
    TooManyFrames(f64),
    #[error("the image cannot be read: {0}")]
    Corrupt(String),
    #[error("the image could not be processed: {0}")]
    Internal(String),
}
