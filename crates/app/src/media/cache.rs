//! Other servers' attachments, cached here when first shown and kept within a byte budget:
//! beyond it the least recently shown are evicted, to be fetched again when next shown.
//! Local uploads are never evicted.
//!
//! A remote picture's address here is its cache folder (random, fixed when its post
//! arrived) and a style, `original` or `small`, without an extension: the same whether
//! the files are cached or not.

use std::sync::PoisonError;

use ::media::{AvFormat, ImageLimits, MediaError};
use domain::limits::VIDEO_SIZE_LIMIT;
use domain::{MediaAttachment, MediaKind};
use store::{CachedFiles, MediaUsage};

use super::{StoredFile, content_type_of};
use crate::{App, AppError, Result, now_millis};

/// Remote attachments whose fetch failed are not fetched again for this long.
const RETRY_FAILED_AFTER: std::time::Duration = std::time::Duration::from_secs(10 * 60);
/// Failures remembered at most (older ones are forgotten first).
const MAX_FAILURES_KEPT: usize = 10_000;

/// Cached pictures looked at per round of eviction.
const EVICT_BATCH: u32 = 64;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    Original,
    Small,
}

/// The cache folder and style a `/system/` key names, if it names a cached picture.
pub(crate) fn cache_request(key: &str) -> Option<(&str, Style)> {
    let (folder, style) = key.rsplit_once('/')?;
    let style = match style {
        "original" => Style::Original,
        "small" => Style::Small,
        _ => return None,
    };
    folder.starts_with("cache/").then_some((folder, style))
}

/// The address of a remote picture's file on this server, under the storage's keys.
pub fn cache_key(folder: &str, style: Style) -> String {
    match style {
        Style::Original => format!("{folder}/original"),
        Style::Small => format!("{folder}/small"),
    }
}

/// A remote attachment's file: from the cache, or fetched from its server through the
/// guarded client (at most an upload's size) and cached: a picture made safe like an
/// upload, with a preview; video and audio as they are, once their bytes show them to
/// be what they claim (their type is then what the bytes say).
pub(crate) async fn cached_file(app: &App, folder: &str, style: Style) -> Result<(StoredFile, &'static str)> {
    let (media, last_used_at) =
        app.store().find_media_by_cache_folder(folder).await?.ok_or(AppError::NotFound("file"))?;
    if style == Style::Small && media.kind != MediaKind::Image {
        return Err(AppError::NotFound("file"));
    }
    let policy = crate::moderation::policy::current(app).await?;
    if policy.rejects_any_media() {
        let owner = app.store().find_account_by_id(media.account_id).await?;
        let host = owner.and_then(|a| a.domain).unwrap_or_default();
        let file_host = media.remote_url.as_deref().and_then(crate::federation::remote::authority);
        if policy.rejects_media(&host) || file_host.is_some_and(|h| policy.rejects_media(&h)) {
            return Err(AppError::NotFound("file"));
        }
    }
    let now = now_millis();
    if let Some(file) = read_cached(app, &media, style).await? {
        app.store().update_media_used(media.id, last_used_at, now).await?;
        return Ok(file);
    }
    let remote = media.remote_url.as_deref().ok_or(AppError::NotFound("file"))?;
    if crate::federation::remote::is_local_uri(app, remote) {
        // A remote post pointing back here would fetch itself.
        return Err(AppError::NotFound("file"));
    }
    let failed_at = app.failed_fetches().lock().unwrap_or_else(PoisonError::into_inner).get(folder).copied();
    if failed_at.is_some_and(|at| at.elapsed() < RETRY_FAILED_AFTER) {
        return Err(AppError::Unavailable("the attachment's server did not send it"));
    }
    let _fetching = app.remote_fetches().acquire().await.map_err(|_| AppError::Unavailable("shutting down"))?;
    let filled = fill(app, folder, &media, remote, style, now).await;
    let mut failed = app.failed_fetches().lock().unwrap_or_else(PoisonError::into_inner);
    match &filled {
        Ok(_) => failed.remove(folder),
        Err(_) => {
            if failed.len() >= MAX_FAILURES_KEPT {
                failed.retain(|_, at| at.elapsed() < RETRY_FAILED_AFTER);
            }
            failed.insert(folder.to_owned(), std::time::Instant::now())
        }
    };
    drop(failed);
    filled
}

/// Fetches a remote attachment and caches it; the file asked for (`style`).
async fn fill(
    app: &App,
    folder: &str,
    media: &MediaAttachment,
    remote: &str,
    style: Style,
    now: i64,
) -> Result<(StoredFile, &'static str)> {
    let limits = ImageLimits::default();
    let cap = match media.kind {
        MediaKind::Image => limits.max_bytes,
        _ => VIDEO_SIZE_LIMIT as usize,
    };
    let bytes = app.http().get_file(remote, cap).await.map_err(|e| {
        tracing::info!(url = remote, error = %e, "cannot fetch a remote attachment");
        AppError::Unavailable("the attachment's server did not send it")
    })?;
    let unusable = |e: &dyn std::fmt::Display| {
        tracing::info!(url = remote, error = %e, "a remote attachment is unusable");
        AppError::NotFound("file")
    };
    // Named afresh for each fill: two requests filling at once, or an eviction of the
    // previous fill, never touch each other's files.
    let attempt = domain::hex(&crate::random_bytes::<4>()?);
    let (original, preview, files) = match media.kind {
        MediaKind::Image => {
            let gif = (::media::sniff(&bytes) == Some(::media::Format::Gif)).then(|| bytes.clone());
            let processed = match (super::process(app, bytes, limits).await, gif) {
                (Ok(processed), _) => processed,
                (Err(MediaError::AnimatedNeedsVideo), Some(gif)) => {
                    // Served as it came (as image/gif, whose bytes were just checked).
                    let key = format!("{folder}/original_{attempt}.gif");
                    let files = CachedFiles {
                        file_key: key.clone(),
                        preview_key: Some(key),
                        bytes: gif.len() as i64,
                        size: None,
                        preview_size: None,
                        blurhash: None,
                    };
                    let preview = Some((gif.clone(), "image/gif"));
                    return finish(app, media, files, (gif, "image/gif"), preview, style, now).await;
                }
                (Err(e), _) => return Err(unusable(&e)),
            };
            let size = |d| Some(super::pixel_size(d));
            let files = CachedFiles {
                file_key: format!("{folder}/original_{attempt}.{}", processed.format.extension()),
                preview_key: Some(format!("{folder}/small_{attempt}.{}", processed.preview_format.extension())),
                bytes: (processed.original.len() + processed.preview.len()) as i64,
                size: size(processed.original_size),
                preview_size: size(processed.preview_size),
                blurhash: Some(processed.blurhash),
            };
            let preview = (processed.preview, processed.preview_format.content_type());
            ((processed.original, processed.format.content_type()), Some(preview), files)
        }
        MediaKind::Video | MediaKind::Gifv | MediaKind::Audio => {
            let format = ::media::sniff_av(&bytes).ok_or_else(|| unusable(&"not video or audio"))?;
            let (extension, content_type) = av_type(format, media.kind == MediaKind::Audio);
            let files = CachedFiles {
                file_key: format!("{folder}/original_{attempt}.{extension}"),
                preview_key: None,
                bytes: bytes.len() as i64,
                size: None,
                preview_size: None,
                blurhash: None,
            };
            ((bytes, content_type), None, files)
        }
        MediaKind::Unknown => return Err(AppError::NotFound("file")),
    };
    finish(app, media, files, original, preview, style, now).await
}

/// Stores a fill's files and records them (or drops them if another fill won); the
/// file asked for.
async fn finish(
    app: &App,
    media: &MediaAttachment,
    files: CachedFiles,
    original: (Vec<u8>, &'static str),
    preview: Option<(Vec<u8>, &'static str)>,
    style: Style,
    now: i64,
) -> Result<(StoredFile, &'static str)> {
    app.media_storage().put(&files.file_key, &original.0).await?;
    if let (Some(key), Some(preview)) = (&files.preview_key, &preview) {
        app.media_storage().put(key, &preview.0).await?;
    }
    if !app.store().update_media_cached(media.id, &files, now).await? {
        // Another request cached it first: its files stay, these go.
        for key in std::iter::once(&files.file_key).chain(&files.preview_key) {
            super::delete_file(app, key).await;
        }
    }
    if let Err(e) = evict_to(app, app.config().remote_media_cache_bytes).await {
        tracing::warn!(error = %e, "cannot keep the media cache within its budget");
    }
    let (bytes, content_type) = match style {
        Style::Original => original,
        Style::Small => preview.ok_or(AppError::NotFound("file"))?,
    };
    Ok((StoredFile::Bytes(bytes), content_type))
}

/// The file name extension and type of a video or audio container (its extension
/// names the type when the file is served).
fn av_type(format: AvFormat, audio: bool) -> (&'static str, &'static str) {
    match (format, audio) {
        (AvFormat::IsoMedia, false) => ("mp4", "video/mp4"),
        (AvFormat::IsoMedia, true) => ("m4a", "audio/mp4"),
        (AvFormat::Matroska, false) => ("webm", "video/webm"),
        (AvFormat::Matroska, true) => ("weba", "audio/webm"),
        (AvFormat::Ogg, false) => ("ogv", "video/ogg"),
        (AvFormat::Ogg, true) => ("oga", "audio/ogg"),
        (AvFormat::Mp3, _) => ("mp3", "audio/mpeg"),
        (AvFormat::Wav, _) => ("wav", "audio/wav"),
        (AvFormat::Flac, _) => ("flac", "audio/flac"),
    }
}

async fn read_cached(app: &App, media: &MediaAttachment, style: Style) -> Result<Option<(StoredFile, &'static str)>> {
    let key = match style {
        Style::Original => media.file_key.as_deref(),
        Style::Small => media.preview_key.as_deref(),
    };
    let Some(key) = key else { return Ok(None) };
    let content_type = content_type_of(key).ok_or(AppError::NotFound("file"))?;
    match app.media_storage().open(key).await? {
        Some(file) => Ok(Some((file, content_type))),
        None => {
            // Deleted behind our back: forget it, so it is fetched again.
            evict(app, media).await?;
            Ok(None)
        }
    }
}

/// Evicts the least recently shown cached pictures until they take at most `budget`
/// bytes; returns what was evicted (files, bytes).
pub async fn evict_to(app: &App, budget: u64) -> Result<(i64, i64)> {
    let budget = i64::try_from(budget).unwrap_or(i64::MAX);
    let (mut files, mut bytes) = (0, 0);
    let mut over = app.store().count_media_usage().await?.cached_bytes - budget;
    while over > 0 {
        let oldest = app.store().list_cached_media_by_last_use(EVICT_BATCH).await?;
        if oldest.is_empty() {
            break;
        }
        for media in oldest {
            if over <= 0 {
                break;
            }
            if evict(app, &media).await? {
                over -= media.file_bytes;
                files += 1;
                bytes += media.file_bytes;
            }
        }
    }
    Ok((files, bytes))
}

/// Forgets a cached picture's files, then deletes them; false if it was not cached.
async fn evict(app: &App, media: &MediaAttachment) -> Result<bool> {
    let Some(file_key) = media.file_key.as_deref() else { return Ok(false) };
    if !app.store().update_media_evicted(media.id, file_key).await? {
        return Ok(false);
    }
    super::delete_files_of(app, std::slice::from_ref(media)).await;
    Ok(true)
}

/// Deletes remote attachments (of a post deleted on its server) with their files.
pub(crate) async fn forget(app: &App, attachments: &[MediaAttachment]) {
    for media in attachments.iter().filter(|m| m.remote_url.is_some()) {
        if let Err(e) = app.store().delete_unattached_media(media.id).await {
            tracing::warn!(error = %e, "cannot delete a deleted post's attachment");
            continue;
        }
        super::delete_files_of(app, std::slice::from_ref(media)).await;
    }
}

/// Where the media storage's room goes.
pub async fn usage(app: &App) -> Result<MediaUsage> {
    Ok(app.store().count_media_usage().await?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::media::MediaStorage;

    #[test]
    fn only_cache_folders_name_cached_pictures() {
        let folder = MediaStorage::new_folder("cache").unwrap();
        assert_eq!(cache_request(&cache_key(&folder, Style::Small)), Some((folder.as_str(), Style::Small)));
        assert_eq!(cache_request(&format!("{folder}/original")), Some((folder.as_str(), Style::Original)));
        assert_eq!(cache_request(&format!("{folder}/original.jpg")), None);
        assert_eq!(cache_request("attachments/ab/cd/ef/original"), None);
    }
}
