//! Mastodon's limits, the ones apps read from the instance document and the server
//! enforces. One place, so what is advertised is what is enforced.

pub const MAX_STATUS_CHARACTERS: u32 = 500;
pub const MAX_MEDIA_ATTACHMENTS: u32 = 4;
/// Every URL in a status counts as this many characters, whatever its length.
pub const CHARACTERS_RESERVED_PER_URL: u32 = 23;

pub const MAX_FEATURED_TAGS: u32 = 10;
pub const MAX_PINNED_STATUSES: u32 = 5;
pub const MAX_DISPLAY_NAME_CHARACTERS: u32 = 30;
pub const MAX_NOTE_CHARACTERS: u32 = 500;
pub const MAX_PROFILE_FIELDS: u32 = 4;

pub const MEDIA_DESCRIPTION_LIMIT: u32 = 1_500;
pub const IMAGE_SIZE_LIMIT: u32 = 16 * 1024 * 1024;
pub const IMAGE_MATRIX_LIMIT: u32 = 33_177_600;
pub const VIDEO_SIZE_LIMIT: u32 = 99 * 1024 * 1024;
pub const VIDEO_MATRIX_LIMIT: u32 = 8_294_400;
pub const VIDEO_FRAME_RATE_LIMIT: u32 = 120;
pub const SUPPORTED_MEDIA_TYPES: &[&str] = &[
    "image/jpeg",
    "image/png",
    "image/gif",
    "image/heic",
    "image/heif",
    "image/webp",
    "image/avif",
    "video/webm",
    "video/mp4",
    "video/quicktime",
    "video/ogg",
    "audio/wave",
    "audio/wav",
    "audio/x-wav",
    "audio/x-pn-wave",
    "audio/vnd.wave",
    "audio/ogg",
    "audio/vorbis",
    "audio/mpeg",
    "audio/mp3",
    "audio/webm",
    "audio/flac",
    "audio/aac",
    "audio/m4a",
    "audio/x-m4a",
    "audio/mp4",
    "audio/3gpp",
    "video/x-ms-asf",
];

pub const MAX_POLL_OPTIONS: u32 = 4;
pub const MAX_POLL_OPTION_CHARACTERS: u32 = 50;
pub const MIN_POLL_EXPIRATION_SECONDS: u32 = 300;
pub const MAX_POLL_EXPIRATION_SECONDS: u32 = 2_629_746;
