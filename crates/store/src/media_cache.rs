//! The remote-media cache: which remote attachments have their files here, how much room
//! they take, and which were used least recently.

use domain::{Id, MediaAttachment, PixelSize, UnixMillis};

use crate::db::query;
use crate::media::{MEDIA_COLUMNS, media_from_row, split};
use crate::row::i64_col;
use crate::{Result, Store};

/// How stale a cached file's last use may get before it is written again: marking
/// every view would make each picture shown a write.
const TOUCH_EVERY_MILLIS: i64 = 60 * 60 * 1000;

/// Where the media storage's room goes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct MediaUsage {
    pub local_files: i64,
    pub local_bytes: i64,
    pub cached_files: i64,
    pub cached_bytes: i64,
    /// Remote pictures whose files are not here (not fetched yet, or evicted).
    pub uncached_files: i64,
}

/// A remote attachment's files, as just cached (a picture's with its preview).
#[derive(Debug, Clone)]
pub struct CachedFiles {
    pub file_key: String,
    pub preview_key: Option<String>,
    pub bytes: i64,
    pub size: Option<PixelSize>,
    pub preview_size: Option<PixelSize>,
    pub blurhash: Option<String>,
}

impl Store {
    /// The attachment cached in `folder`, with when it was last shown.
    pub async fn find_media_by_cache_folder(&self, folder: &str) -> Result<Option<(MediaAttachment, UnixMillis)>> {
        let row =
            query(&format!("SELECT {MEDIA_COLUMNS}, last_used_at FROM media_attachments WHERE cache_folder = $1"))
                .bind(folder)
                .fetch_optional(&self.reader)
                .await?;
        row.as_ref().map(|r| Ok((media_from_row(r)?, i64_col(r, "last_used_at")?))).transpose()
    }

    /// Records a remote picture's cached files; false when another request cached
    /// them first (the caller then deletes its own copy).
    pub async fn update_media_cached(&self, id: Id, files: &CachedFiles, now: UnixMillis) -> Result<bool> {
        let (width, height) = split(files.size);
        let (preview_width, preview_height) = split(files.preview_size);
        let done = query(
            "UPDATE media_attachments SET file_key = $1, preview_key = $2, file_bytes = $3, \
             width = COALESCE($4, width), height = COALESCE($5, height), \
             preview_width = $6, preview_height = $7, blurhash = COALESCE($8, blurhash), last_used_at = $9 \
             WHERE id = $10 AND file_key IS NULL",
        )
        .bind(files.file_key.as_str())
        .bind(files.preview_key.as_deref())
        .bind(files.bytes)
        .bind(width)
        .bind(height)
        .bind(preview_width)
        .bind(preview_height)
        .bind(files.blurhash.as_deref())
        .bind(now)
        .bind(id.as_i64())
        .execute(&self.writer)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Notes that a cached picture was shown; written at most once an hour per picture,
    /// so showing one is a read, not a write.
    pub async fn update_media_used(&self, id: Id, last_used_at: UnixMillis, now: UnixMillis) -> Result<()> {
        if now - last_used_at < TOUCH_EVERY_MILLIS {
            return Ok(());
        }
        query("UPDATE media_attachments SET last_used_at = $1 WHERE id = $2 AND last_used_at < $3")
            .bind(now)
            .bind(id.as_i64())
            .bind(now - TOUCH_EVERY_MILLIS)
            .execute(&self.writer)
            .await?;
        Ok(())
    }

    /// Forgets a remote picture's cached files (the caller deletes them); false when
    /// they were not cached.
    pub async fn update_media_evicted(&self, id: Id, file_key: &str) -> Result<bool> {
        let done = query(
            "UPDATE media_attachments SET file_key = NULL, preview_key = NULL, file_bytes = 0 \
             WHERE id = $1 AND file_key = $2 AND cache_folder IS NOT NULL",
        )
        .bind(id.as_i64())
        .bind(file_key)
        .execute(&self.writer)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Cached remote pictures, least recently shown first.
    pub async fn list_cached_media_by_last_use(&self, limit: u32) -> Result<Vec<MediaAttachment>> {
        let rows = query(&format!(
            "SELECT {MEDIA_COLUMNS} FROM media_attachments WHERE cache_folder IS NOT NULL AND file_key IS NOT NULL \
             ORDER BY last_used_at, id LIMIT {limit}"
        ))
        .fetch_all(&self.reader)
        .await?;
        rows.iter().map(media_from_row).collect()
    }

    /// (PostgreSQL sums integers as NUMERIC, hence the casts.)
    pub async fn count_media_usage(&self) -> Result<MediaUsage> {
        let sum = |rows: &str, value: &str| {
            format!("CAST(COALESCE(SUM(CASE WHEN {rows} THEN {value} ELSE 0 END), 0) AS BIGINT)")
        };
        let (local, cached) = ("remote_url IS NULL", "cache_folder IS NOT NULL AND file_key IS NOT NULL");
        let sql = format!(
            "SELECT {} AS local_files, {} AS local_bytes, {} AS cached_files, {} AS cached_bytes, \
             {} AS uncached_files FROM media_attachments",
            sum(local, "1"),
            sum(local, "file_bytes"),
            sum(cached, "1"),
            sum(cached, "file_bytes"),
            sum("cache_folder IS NOT NULL AND file_key IS NULL", "1"),
        );
        let row = query(&sql).fetch_one(&self.reader).await?;
        Ok(MediaUsage {
            local_files: i64_col(&row, "local_files")?,
            local_bytes: i64_col(&row, "local_bytes")?,
            cached_files: i64_col(&row, "cached_files")?,
            cached_bytes: i64_col(&row, "cached_bytes")?,
            uncached_files: i64_col(&row, "uncached_files")?,
        })
    }
}
