//! Uploads: a picture processed in-process before the answer; video, audio and
//! animated GIFs converted with ffmpeg, before the answer (`/api/v1/media`) or after it
//! (`/api/v2/media`: the upload's bytes are kept until then, so a restart resumes it).
//! Files are written, then the row, or the files are removed again.

use ::media::{ImageLimits, MediaError, ProcessedImage};
use domain::limits::VIDEO_SIZE_LIMIT;
use domain::{Focus, Id, MediaAttachment, MediaKind, Processing};

use super::{MediaStorage, checked_description, delete_file, process, refused, video};
use crate::{App, AppError, Result, now_millis};

/// An uploaded file as it arrived.
#[derive(Debug, Clone)]
pub struct NewUpload {
    pub bytes: Vec<u8>,
    pub description: Option<String>,
    pub focus: Option<String>,
}

/// What is stored of an upload.
struct Converted {
    kind: MediaKind,
    content_type: &'static str,
    file: (Vec<u8>, &'static str),
    /// A picture's preview, or a video's first frame's, with the full-size picture.
    picture: Option<ProcessedImage>,
    duration_ms: Option<i64>,
    frame_rate: Option<String>,
}

/// What an upload turned out to be.
enum Sorted {
    Picture(Converted),
    AudioVideo { bytes: Vec<u8>, kind: MediaKind },
}

/// Stores an upload of `account_id`. Video, audio and animated GIFs are converted
/// before this returns if `wait`, else after (the attachment is then pending).
pub async fn upload(app: &App, account_id: Id, upload: NewUpload, wait: bool) -> Result<MediaAttachment> {
    let description = checked_description(upload.description)?;
    let focus = upload.focus.as_deref().filter(|f| !f.is_empty()).map(Focus::parse).transpose()?.unwrap_or_default();
    let folder = MediaStorage::new_folder("attachments")?;
    let mut media = MediaAttachment {
        description,
        focus,
        ..MediaAttachment::new(app.ids().next(), account_id, MediaKind::Image, now_millis())
    };
    let (bytes, kind) = match sort(app, upload.bytes).await.map_err(|e| refused("file", e))? {
        Sorted::Picture(converted) => {
            let (done, written) = write_files(app, &folder, media, converted).await?;
            return insert_or_clean_up(app, done, &written).await;
        }
        Sorted::AudioVideo { bytes, kind } => (bytes, kind),
    };
    video::tools(app).await.ok_or_else(|| refused("file", MediaError::NeedsFfmpeg))?;
    let upload_key = format!("{folder}/upload");
    app.media_storage().put(&upload_key, &bytes).await?;
    drop(bytes);
    media.kind = kind;
    media.processing = Processing::Pending { upload_key: upload_key.clone() };
    let pending = insert_or_clean_up(app, media, &[upload_key]).await?;
    if !wait {
        tokio::spawn(process_pending(app.clone(), pending.clone()));
        return Ok(pending);
    }
    let done = process_pending(app.clone(), pending).await;
    match &done.processing {
        Processing::Ready => Ok(done),
        Processing::Failed(why) => {
            // Refused as a picture would have been: nothing of it is kept.
            app.store().delete_unattached_media(done.id).await?;
            Err(AppError::Validation(domain::ValidationError::field("file", "ERR_INVALID", why.clone())))
        }
        Processing::Pending { .. } => Err(AppError::Internal("the upload is still pending".into())),
    }
}

/// Converts a pending upload and records the outcome; the attachment as it is then.
pub(crate) async fn process_pending(app: App, media: MediaAttachment) -> MediaAttachment {
    let Processing::Pending { upload_key } = media.processing.clone() else { return media };
    let folder = upload_key.trim_end_matches("/upload").to_owned();
    let outcome = async {
        // Taken before the bytes are read, so waiting uploads hold no memory.
        let _permit = app.media_permits().acquire().await.map_err(|_| AppError::Unavailable("shutting down"))?;
        let bytes = app.media_storage().get(&upload_key).await?.ok_or(AppError::NotFound("upload"))?;
        let converted = converted_av(&app, bytes, media.kind == MediaKind::Gifv).await.map_err(|e| match e {
            MediaError::Internal(message) => AppError::Internal(message),
            refused => AppError::BadRequest(refused.to_string()),
        })?;
        let (done, written) = write_files(&app, &folder, media.clone(), converted).await?;
        match app.store().update_media_processed(&done).await {
            Ok(true) => Ok(done),
            other => {
                for key in &written {
                    delete_file(&app, key).await;
                }
                other?;
                Err(AppError::NotFound("upload"))
            }
        }
    };
    let outcome = outcome.await;
    delete_file(&app, &upload_key).await;
    match outcome {
        Ok(done) => done,
        Err(e) => {
            let why = match e {
                AppError::BadRequest(why) => why,
                other => {
                    tracing::warn!(error = %other, "an upload could not be converted");
                    "the file could not be processed".to_owned()
                }
            };
            if let Err(e) = app.store().update_media_failed(media.id, &why).await {
                tracing::warn!(error = %e, "cannot record a failed upload");
            }
            MediaAttachment { processing: Processing::Failed(why), ..media }
        }
    }
}

/// Converts the uploads left pending (by a restart), one after the other.
pub(crate) async fn resume_pending(app: &App) -> Result<()> {
    for media in app.store().list_pending_uploads(1_000).await? {
        process_pending(app.clone(), media).await;
    }
    Ok(())
}

/// Writes a converted upload's files under `folder`; the attachment with them, and
/// the keys written.
async fn write_files(
    app: &App,
    folder: &str,
    media: MediaAttachment,
    converted: Converted,
) -> Result<(MediaAttachment, Vec<String>)> {
    // Named afresh for each attempt: two conversions of one upload (a resume racing
    // the first try) never write, or delete, each other's files.
    let attempt = domain::hex(&crate::random_bytes::<4>()?);
    let file_key = format!("{folder}/original_{attempt}.{}", converted.file.1);
    let picture = converted.picture.as_ref();
    let preview_key = picture.map(|p| format!("{folder}/small_{attempt}.{}", p.preview_format.extension()));
    let mut written = Vec::new();
    let stored = async {
        app.media_storage().put(&file_key, &converted.file.0).await?;
        written.push(file_key.clone());
        if let (Some(key), Some(picture)) = (&preview_key, picture) {
            app.media_storage().put(key, &picture.preview).await?;
            written.push(key.clone());
        }
        Ok::<_, AppError>(())
    };
    if let Err(e) = stored.await {
        for key in &written {
            delete_file(app, key).await;
        }
        return Err(e);
    }
    let size = |d| Some(super::pixel_size(d));
    let done = MediaAttachment {
        kind: converted.kind,
        content_type: converted.content_type.to_owned(),
        file_key: Some(file_key),
        preview_key,
        file_bytes: (converted.file.0.len() + picture.map_or(0, |p| p.preview.len())) as i64,
        size: picture.and_then(|p| size(p.original_size)),
        preview_size: picture.and_then(|p| size(p.preview_size)),
        blurhash: picture.map(|p| p.blurhash.clone()),
        duration_ms: converted.duration_ms,
        frame_rate: converted.frame_rate,
        processing: Processing::Ready,
        ..media
    };
    Ok((done, written))
}

async fn insert_or_clean_up(app: &App, media: MediaAttachment, written: &[String]) -> Result<MediaAttachment> {
    if let Err(e) = app.store().insert_media(&media).await {
        for key in written {
            delete_file(app, key).await;
        }
        return Err(e.into());
    }
    Ok(media)
}

/// A picture processed now, or video and audio to convert, by what the bytes are.
async fn sort(app: &App, bytes: Vec<u8>) -> Result<Sorted, MediaError> {
    let limits = ImageLimits::default();
    match ::media::sniff(&bytes) {
        Some(format) => {
            if bytes.len() > limits.max_bytes {
                return Err(MediaError::TooLarge(limits.max_bytes));
            }
            // Kept in case it is animated: a GIF is small, and most are not.
            let gif = (format == ::media::Format::Gif).then(|| bytes.clone());
            match process(app, bytes, limits).await {
                Ok(picture) => Ok(Sorted::Picture(Converted {
                    kind: MediaKind::Image,
                    content_type: picture.format.content_type(),
                    file: (picture.original.clone(), picture.format.extension()),
                    picture: Some(picture),
                    duration_ms: None,
                    frame_rate: None,
                })),
                Err(MediaError::AnimatedNeedsVideo) => {
                    Ok(Sorted::AudioVideo { bytes: gif.ok_or(MediaError::AnimatedNeedsVideo)?, kind: MediaKind::Gifv })
                }
                Err(e) => Err(e),
            }
        }
        None => {
            let format = ::media::sniff_av(&bytes).ok_or(MediaError::Unsupported)?;
            if bytes.len() > VIDEO_SIZE_LIMIT as usize {
                return Err(MediaError::TooLarge(VIDEO_SIZE_LIMIT as usize));
            }
            let kind = match format {
                ::media::AvFormat::Mp3 | ::media::AvFormat::Wav | ::media::AvFormat::Flac => MediaKind::Audio,
                _ => MediaKind::Video,
            };
            Ok(Sorted::AudioVideo { bytes, kind })
        }
    }
}

/// Converts video or audio; the caller holds a processing permit.
async fn converted_av(app: &App, bytes: Vec<u8>, gif: bool) -> Result<Converted, MediaError> {
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
