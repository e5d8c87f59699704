//! Uploads: a picture processed in-process, video, audio and animated GIFs converted
//! with ffmpeg; their files written, then their row (or the files removed again).

use ::media::{ImageLimits, MediaError, ProcessedImage};
use domain::limits::VIDEO_SIZE_LIMIT;
use domain::{Focus, Id, MediaAttachment, MediaKind, PixelSize};

use super::{MediaStorage, checked_description, delete_file, process, refused, video};
use crate::{App, AppError, Result, now_millis};

/// An uploaded file as it arrived.
#[derive(Debug, Clone)]
pub struct NewUpload {
    pub bytes: Vec<u8>,
    pub description: Option<String>,
    pub focus: Option<String>,
}

/// What is stored of an upload, before it has a row.
struct Converted {
    kind: MediaKind,
    content_type: &'static str,
    file: (Vec<u8>, &'static str),
    /// A picture's preview, or a video's first frame's, with the full-size picture.
    picture: Option<ProcessedImage>,
    duration_ms: Option<i64>,
    frame_rate: Option<String>,
}

/// Stores an upload of `account_id`, processed at most a few at once (each may take
/// hundreds of megabytes), so memory stays bounded.
pub async fn upload(app: &App, account_id: Id, upload: NewUpload) -> Result<MediaAttachment> {
    let description = checked_description(upload.description)?;
    let focus = upload.focus.as_deref().filter(|f| !f.is_empty()).map(Focus::parse).transpose()?.unwrap_or_default();
    let converted = convert(app, upload.bytes).await.map_err(|e| refused("file", e))?;
    let folder = MediaStorage::new_folder("attachments")?;
    let file_key = format!("{folder}/original.{}", converted.file.1);
    let preview_key = converted.picture.as_ref().map(|p| format!("{folder}/small.{}", p.preview_format.extension()));
    let mut written = Vec::new();
    let stored = async {
        app.media_storage().put(&file_key, &converted.file.0).await?;
        written.push(file_key.clone());
        if let (Some(key), Some(picture)) = (&preview_key, &converted.picture) {
            app.media_storage().put(key, &picture.preview).await?;
            written.push(key.clone());
        }
        Ok::<_, AppError>(())
    };
    let stored = stored.await;
    let size = |d: ::media::Dimensions| Some(PixelSize { width: d.width, height: d.height });
    let picture = converted.picture.as_ref();
    let attachment = MediaAttachment {
        id: app.ids().next(),
        account_id,
        status_id: None,
        kind: converted.kind,
        content_type: converted.content_type.to_owned(),
        file_key: Some(file_key),
        preview_key,
        file_bytes: (converted.file.0.len() + picture.map_or(0, |p| p.preview.len())) as i64,
        size: picture.and_then(|p| size(p.original_size)),
        preview_size: picture.and_then(|p| size(p.preview_size)),
        description,
        focus,
        blurhash: picture.map(|p| p.blurhash.clone()),
        remote_url: None,
        cache_folder: None,
        duration_ms: converted.duration_ms,
        frame_rate: converted.frame_rate,
        created_at: now_millis(),
    };
    let inserted = match stored {
        Ok(()) => app.store().insert_media(&attachment).await.map_err(AppError::from),
        Err(e) => Err(e),
    };
    if let Err(e) = inserted {
        for key in &written {
            delete_file(app, key).await;
        }
        return Err(e);
    }
    Ok(attachment)
}

/// The upload made safe, by what its bytes are.
async fn convert(app: &App, bytes: Vec<u8>) -> Result<Converted, MediaError> {
    let limits = ImageLimits::default();
    let animated_gif = match ::media::sniff(&bytes) {
        Some(format) => {
            if bytes.len() > limits.max_bytes {
                return Err(MediaError::TooLarge(limits.max_bytes));
            }
            // Kept in case it is animated: a GIF is small, and most are not.
            let gif = (format == ::media::Format::Gif).then(|| bytes.clone());
            match process(app, bytes, limits).await {
                Ok(picture) => {
                    return Ok(Converted {
                        kind: MediaKind::Image,
                        content_type: picture.format.content_type(),
                        file: (picture.original.clone(), picture.format.extension()),
                        picture: Some(picture),
                        duration_ms: None,
                        frame_rate: None,
                    });
                }
                Err(MediaError::AnimatedNeedsVideo) => gif.ok_or(MediaError::AnimatedNeedsVideo)?,
                Err(e) => return Err(e),
            }
        }
        None if ::media::sniff_av(&bytes).is_some() => {
            if bytes.len() > VIDEO_SIZE_LIMIT as usize {
                return Err(MediaError::TooLarge(VIDEO_SIZE_LIMIT as usize));
            }
            return converted_av(app, bytes, false).await;
        }
        None => return Err(MediaError::Unsupported),
    };
    converted_av(app, animated_gif, true).await
}

async fn converted_av(app: &App, bytes: Vec<u8>, gif: bool) -> Result<Converted, MediaError> {
    let _permit = app.media_permits().acquire().await.map_err(|_| MediaError::Internal("shutting down".into()))?;
    let av = video::process(app, bytes, gif).await?;
    Ok(Converted {
        kind: av.kind,
        content_type: av.content_type,
        file: (av.file, av.extension),
        picture: av.poster,
        duration_ms: av.duration_ms,
        frame_rate: av.frame_rate,
    })
}
