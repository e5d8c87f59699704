//! Media: uploads made safe (see the `media` crate), kept in the media storage, and
//! attached to posts.

pub mod cache;
pub mod s3;
pub mod sigv4;
mod storage;
mod uploads;
mod video;

use ::media::{ImageLimits, MediaError, ProcessedImage};
use domain::{Focus, Id, MediaAttachment, ValidationError};

pub use storage::{MediaStorage, MediaStorageConfig, StoredFile};
pub use uploads::{NewUpload, upload};

/// Mastodon's limit for avatars and headers.
const PROFILE_PICTURE_BYTES: usize = 8 * 1024 * 1024;

use crate::{App, AppError, Result};

/// A processed picture's size, as the domain keeps it.
pub(crate) fn pixel_size(d: ::media::Dimensions) -> domain::PixelSize {
    domain::PixelSize { width: d.width, height: d.height }
}

/// Processes a picture on a blocking thread, at most a few at once.
pub(crate) async fn process(app: &App, bytes: Vec<u8>, limits: ImageLimits) -> Result<ProcessedImage, MediaError> {
    let _permit = app.media_permits().acquire().await.map_err(|_| MediaError::Internal("shutting down".into()))?;
    tokio::task::spawn_blocking(move || ::media::process_image(&bytes, &limits))
        .await
        .map_err(|e| MediaError::Internal(format!("image processing stopped: {e}")))?
}

/// Stores a new avatar or header (`field`), made safe like an upload and scaled to at
/// most `max_pixels` in proportion (Mastodon's 400 × 400 and 1500 × 500); returns its key.
pub(crate) async fn store_profile_picture(
    app: &App,
    field: &'static str,
    bytes: Vec<u8>,
    max_pixels: u64,
) -> Result<String> {
    let limits =
        ImageLimits { max_bytes: PROFILE_PICTURE_BYTES, original_pixels: max_pixels, ..ImageLimits::default() };
    if bytes.len() > limits.max_bytes {
        return Err(refused(field, MediaError::TooLarge(limits.max_bytes)));
    }
    let processed = process(app, bytes, limits).await.map_err(|e| refused(field, e))?;
    let key = format!("{}/original.{}", MediaStorage::new_folder(&format!("{field}s"))?, processed.format.extension());
    app.media_storage().put(&key, &processed.original).await?;
    Ok(key)
}

/// Deletes a replaced avatar or header; a failure only leaves a file behind.
pub(crate) async fn delete_file(app: &App, key: &str) {
    if let Err(e) = app.media_storage().delete(key).await {
        tracing::warn!(error = %e, "cannot delete a replaced file");
    }
}

/// One's own upload, attached to a post or not.
async fn find_own(app: &App, account_id: Id, id: &str) -> Result<MediaAttachment> {
    let id: Id = id.parse().map_err(|_| AppError::NotFound("media"))?;
    match app.store().find_media(id).await? {
        Some(media) if media.account_id == account_id => Ok(media),
        _ => Err(AppError::NotFound("media")),
    }
}

/// One's own upload not yet attached: as on Mastodon, an attached one is changed only
/// by editing its post.
pub async fn find_unattached(app: &App, account_id: Id, id: &str) -> Result<MediaAttachment> {
    let media = find_own(app, account_id, id).await?;
    if media.status_id.is_some() {
        return Err(AppError::NotFound("media"));
    }
    Ok(media)
}

/// Changes the alt text or focus of one's own upload (attached or not, as Mastodon).
pub async fn update(
    app: &App,
    account_id: Id,
    id: &str,
    description: Option<String>,
    focus: Option<String>,
) -> Result<MediaAttachment> {
    let media = find_unattached(app, account_id, id).await?;
    let description = match description {
        Some(d) => checked_description(Some(d))?,
        None => media.description.clone(),
    };
    let focus = match focus.as_deref().map(str::trim) {
        Some(f) if !f.is_empty() => Focus::parse(f)?,
        _ => media.focus,
    };
    app.store().update_media_description(media.id, &description, focus).await?;
    Ok(MediaAttachment { description, focus, ..media })
}

/// How long an upload may wait for its post, as on Mastodon.
const UNATTACHED_KEPT_MILLIS: i64 = 24 * 60 * 60 * 1000;
const PURGE_EVERY: std::time::Duration = std::time::Duration::from_secs(60 * 60);

/// Deletes uploads no post took within a day, with their files; returns how many and
/// their bytes.
pub async fn purge_unattached(app: &App) -> Result<(i64, i64)> {
    let (mut files, mut bytes) = (0, 0);
    loop {
        let old = app.store().list_unattached_uploads(crate::now_millis() - UNATTACHED_KEPT_MILLIS, 100).await?;
        if old.is_empty() {
            return Ok((files, bytes));
        }
        for media in old {
            // Attached meanwhile: kept (the delete only takes unattached rows).
            if app.store().delete_unattached_media(media.id).await.is_err() {
                continue;
            }
            delete_files_of(app, std::slice::from_ref(&media)).await;
            files += 1;
            bytes += media.file_bytes;
        }
    }
}

/// Deletes the files of attachments whose rows are gone; a file that cannot be deleted
/// is only logged (the row, which served it, is already gone).
pub(crate) async fn delete_files_of(app: &App, media: &[MediaAttachment]) {
    for m in media {
        let upload = match &m.processing {
            domain::Processing::Pending { upload_key } => Some(upload_key),
            _ => None,
        };
        for key in m.file_key.iter().chain(&m.preview_key).chain(upload) {
            delete_file(app, key).await;
        }
    }
}

/// Converts the uploads a restart left pending, then purges unattached uploads every
/// hour until `stop` turns true.
pub async fn run(app: App, mut stop: tokio::sync::watch::Receiver<bool>) {
    if let Err(e) = uploads::resume_pending(&app).await {
        tracing::warn!(error = %e, "cannot resume pending uploads");
    }
    while !*stop.borrow() {
        if let Err(e) = purge_unattached(&app).await {
            tracing::warn!(error = %e, "cannot purge unattached uploads");
        }
        tokio::select! {
            () = tokio::time::sleep(PURGE_EVERY) => {}
            _ = stop.changed() => {}
        }
    }
}

/// Deletes one's own upload that no post shows, with its files.
pub async fn delete(app: &App, account_id: Id, id: &str) -> Result<()> {
    let media = find_own(app, account_id, id).await?;
    if media.status_id.is_some() {
        return Err(AppError::Validation(ValidationError::field(
            "id",
            "ERR_TAKEN",
            "is attached to a post and cannot be deleted",
        )));
    }
    app.store().delete_unattached_media(media.id).await?;
    delete_files_of(app, std::slice::from_ref(&media)).await;
    Ok(())
}

/// A stored file by key, with its content type (from the key's extension: stored files
/// are named by what they were written as).
pub async fn file(app: &App, key: &str) -> Result<(StoredFile, &'static str)> {
    if let Some((folder, style)) = cache::cache_request(key) {
        return cache::cached_file(app, folder, style).await;
    }
    let content_type = content_type_of(key).ok_or(AppError::NotFound("file"))?;
    let file = app.media_storage().open(key).await?.ok_or(AppError::NotFound("file"))?;
    Ok((file, content_type))
}

fn content_type_of(key: &str) -> Option<&'static str> {
    Some(match key.rsplit('.').next()? {
        "jpg" => "image/jpeg",
        "png" => "image/png",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "mp4" => "video/mp4",
        "m4a" => "audio/mp4",
        "webm" => "video/webm",
        "weba" => "audio/webm",
        "ogv" => "video/ogg",
        "oga" => "audio/ogg",
        "mp3" => "audio/mpeg",
        "wav" => "audio/wav",
        "flac" => "audio/flac",
        _ => return None,
    })
}

/// The uploads of `account_id` that a post (new, or `editing`) may carry, in the
/// order given: at most Mastodon's four, each one's own, processed, none attached to
/// another post.
pub async fn attachable(app: &App, account_id: Id, media_ids: &[String], editing: Option<Id>) -> Result<Vec<Id>> {
    if media_ids.len() > domain::limits::MAX_MEDIA_ATTACHMENTS as usize {
        return Err(invalid_media("Too many attachments"));
    }
    let ids: Vec<Id> =
        media_ids.iter().map(|s| s.parse().map_err(|_| invalid_media("Invalid media id"))).collect::<Result<_>>()?;
    let found = app.store().list_media(&ids).await?;
    for id in &ids {
        match found.iter().find(|m| m.id == *id) {
            Some(m) if m.account_id == account_id && (m.status_id.is_none() || m.status_id == editing) => {
                if m.processing != domain::Processing::Ready {
                    return Err(invalid_media(
                        "Cannot attach files that have not finished processing. Try again in a moment!",
                    ));
                }
            }
            _ => return Err(invalid_media("Invalid media id")),
        }
    }
    let mut unique: Vec<Id> = Vec::with_capacity(ids.len());
    for id in ids {
        if !unique.contains(&id) {
            unique.push(id);
        }
    }
    Ok(unique)
}

/// New alt text or focus of an attachment, given with an edit of its post.
#[derive(Debug, Clone, Default)]
pub struct MediaAttribute {
    pub id: String,
    pub description: Option<String>,
    pub focus: Option<String>,
}

/// The alt text and focus `attributes` give the post's attachments `media`, checked;
/// what is not given stays.
pub(crate) async fn changes(
    app: &App,
    media: &[Id],
    attributes: Vec<MediaAttribute>,
) -> Result<Vec<(Id, String, Focus)>> {
    if attributes.is_empty() {
        return Ok(Vec::new());
    }
    let current = app.store().list_media(media).await?;
    let mut changes = Vec::new();
    for attribute in attributes {
        let found = attribute.id.parse::<Id>().ok().and_then(|id| current.iter().find(|m| m.id == id));
        let Some(found) = found else { return Err(invalid_media("Invalid media id in media_attributes")) };
        let description = match attribute.description {
            Some(d) => checked_description(Some(d))?,
            None => found.description.clone(),
        };
        let focus = match attribute.focus.as_deref().map(str::trim) {
            Some(f) if !f.is_empty() => Focus::parse(f)?,
            _ => found.focus,
        };
        changes.push((found.id, description, focus));
    }
    Ok(changes)
}

pub(crate) fn invalid_media(message: &'static str) -> AppError {
    AppError::Validation(ValidationError::field("media_ids", "ERR_INVALID", message))
}

pub(crate) fn checked_description(description: Option<String>) -> Result<String> {
    let description = description.unwrap_or_default();
    if description.chars().count() > domain::limits::MEDIA_DESCRIPTION_LIMIT as usize {
        return Err(AppError::Validation(ValidationError::field(
            "description",
            "ERR_TOO_LONG",
            "is too long (maximum is 1500 characters)",
        )));
    }
    Ok(description)
}

pub(crate) fn refused(field: &'static str, e: MediaError) -> AppError {
    match e {
        MediaError::Internal(message) => AppError::Internal(message),
        other => AppError::Validation(ValidationError::field(field, "ERR_INVALID", other.to_string())),
    }
}
