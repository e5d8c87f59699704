//! Media attachments: what each stored file is and which post shows it.

use domain::{Focus, Id, MediaAttachment, PixelSize, Processing};

use crate::db::{On, Row, Tx, query};
use crate::row::{i64_col, opt_i64_col, text_col};
use crate::sql::Sql;
use crate::{Result, Store, StoreError};

/// The `processing` of an upload waiting to be converted.
const PENDING: &str = "pending";

pub(crate) const MEDIA_COLUMNS: &str = "id, account_id, status_id, kind, content_type, file_key, preview_key, file_bytes, \
     width, height, preview_width, preview_height, description, focus_x, focus_y, blurhash, remote_url, created_at, \
     cache_folder, duration_ms, frame_rate, processing, upload_key";

impl Store {
    pub async fn insert_media(&self, media: &MediaAttachment) -> Result<()> {
        write_media(&self.writer, media).await
    }

    pub async fn find_media(&self, id: Id) -> Result<Option<MediaAttachment>> {
        let row = query(&format!("SELECT {MEDIA_COLUMNS} FROM media_attachments WHERE id = $1"))
            .bind(id.as_i64())
            .fetch_optional(&self.reader)
            .await?;
        row.as_ref().map(media_from_row).transpose()
    }

    /// Several attachments by id, in no particular order.
    pub async fn list_media(&self, ids: &[Id]) -> Result<Vec<MediaAttachment>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let mut sql = Sql::new(&format!("SELECT {MEDIA_COLUMNS} FROM media_attachments WHERE id IN "));
        sql.int_list(ids.iter().map(|i| i.as_i64()));
        sql.query().fetch_all(&self.reader).await?.iter().map(media_from_row).collect()
    }

    /// The attachments of each post, in the order they were attached.
    pub async fn list_media_of_statuses(&self, status_ids: &[Id]) -> Result<domain::IdMap<Vec<MediaAttachment>>> {
        let mut by_status: domain::IdMap<Vec<MediaAttachment>> = Default::default();
        if status_ids.is_empty() {
            return Ok(by_status);
        }
        let mut sql = Sql::new(&format!("SELECT {MEDIA_COLUMNS} FROM media_attachments WHERE status_id IN "));
        sql.int_list(status_ids.iter().map(|i| i.as_i64())).push(" ORDER BY status_id, position");
        for row in &sql.query().fetch_all(&self.reader).await? {
            let media = media_from_row(row)?;
            if let Some(status_id) = media.status_id {
                by_status.entry(status_id).or_default().push(media);
            }
        }
        Ok(by_status)
    }

    /// Records a pending upload as converted (its kind, files, sizes and length from
    /// `done`); false if it was not pending.
    pub async fn update_media_processed(&self, done: &MediaAttachment) -> Result<bool> {
        let (width, height) = split(done.size);
        let (preview_width, preview_height) = split(done.preview_size);
        let changed = query(
            "UPDATE media_attachments SET kind = $1, content_type = $2, file_key = $3, preview_key = $4, \
             file_bytes = $5, width = $6, height = $7, preview_width = $8, preview_height = $9, blurhash = $10, \
             duration_ms = $11, frame_rate = $12, processing = NULL, upload_key = NULL \
             WHERE id = $13 AND processing = $14",
        )
        .bind(done.kind.as_str())
        .bind(done.content_type.as_str())
        .bind(done.file_key.as_deref())
        .bind(done.preview_key.as_deref())
        .bind(done.file_bytes)
        .bind(width)
        .bind(height)
        .bind(preview_width)
        .bind(preview_height)
        .bind(done.blurhash.as_deref())
        .bind(done.duration_ms)
        .bind(done.frame_rate.as_deref())
        .bind(done.id.as_i64())
        .bind(PENDING)
        .execute(&self.writer)
        .await?;
        Ok(changed.rows_affected() == 1)
    }

    /// Records why a pending upload could not be converted.
    pub async fn update_media_failed(&self, id: Id, why: &str) -> Result<()> {
        query("UPDATE media_attachments SET processing = $1, upload_key = NULL WHERE id = $2 AND processing = $3")
            .bind(why)
            .bind(id.as_i64())
            .bind(PENDING)
            .execute(&self.writer)
            .await?;
        Ok(())
    }

    /// Uploads waiting to be converted, oldest first.
    pub async fn list_pending_uploads(&self, limit: u32) -> Result<Vec<MediaAttachment>> {
        let rows = query(&format!(
            "SELECT {MEDIA_COLUMNS} FROM media_attachments WHERE processing = $1 ORDER BY id LIMIT {limit}"
        ))
        .bind(PENDING)
        .fetch_all(&self.reader)
        .await?;
        rows.iter().map(media_from_row).collect()
    }

    /// Every attachment of an account (uploads, cached remote files, avatars).
    pub async fn list_media_of_account(&self, account_id: Id) -> Result<Vec<MediaAttachment>> {
        let rows = query(&format!("SELECT {MEDIA_COLUMNS} FROM media_attachments WHERE account_id = $1"))
            .bind(account_id.as_i64())
            .fetch_all(&self.reader)
            .await?;
        rows.iter().map(media_from_row).collect()
    }

    /// Local uploads that no post shows, made before `created_before`.
    pub async fn list_unattached_uploads(&self, created_before: i64, limit: u32) -> Result<Vec<MediaAttachment>> {
        let rows = query(&format!(
            "SELECT {MEDIA_COLUMNS} FROM media_attachments \
             WHERE status_id IS NULL AND remote_url IS NULL AND created_at < $1 ORDER BY id LIMIT {limit}"
        ))
        .bind(created_before)
        .fetch_all(&self.reader)
        .await?;
        rows.iter().map(media_from_row).collect()
    }

    pub async fn update_media_description(&self, id: Id, description: &str, focus: Focus) -> Result<()> {
        let done = query("UPDATE media_attachments SET description = $1, focus_x = $2, focus_y = $3 WHERE id = $4")
            .bind(description)
            .bind(thousandths(focus.x))
            .bind(thousandths(focus.y))
            .bind(id.as_i64())
            .execute(&self.writer)
            .await?;
        if done.rows_affected() == 0 { Err(StoreError::NotFound) } else { Ok(()) }
    }

    /// Deletes an attachment not attached to a post; `NotFound` if it is attached.
    pub async fn delete_unattached_media(&self, id: Id) -> Result<()> {
        let done = query("DELETE FROM media_attachments WHERE id = $1 AND status_id IS NULL")
            .bind(id.as_i64())
            .execute(&self.writer)
            .await?;
        if done.rows_affected() == 0 { Err(StoreError::NotFound) } else { Ok(()) }
    }
}

/// Stores an attachment's row, on the writer or in a transaction.
pub(crate) async fn write_media<'a>(on: impl Into<On<'a>>, media: &MediaAttachment) -> Result<()> {
    let (width, height) = split(media.size);
    let (preview_width, preview_height) = split(media.preview_size);
    query(&format!(
        "INSERT INTO media_attachments ({MEDIA_COLUMNS}, last_used_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $18)"
    ))
    .bind(media.id.as_i64())
    .bind(media.account_id.as_i64())
    .bind(media.status_id.map(Id::as_i64))
    .bind(media.kind.as_str())
    .bind(media.content_type.as_str())
    .bind(media.file_key.as_deref())
    .bind(media.preview_key.as_deref())
    .bind(media.file_bytes)
    .bind(width)
    .bind(height)
    .bind(preview_width)
    .bind(preview_height)
    .bind(media.description.as_str())
    .bind(thousandths(media.focus.x))
    .bind(thousandths(media.focus.y))
    .bind(media.blurhash.as_deref())
    .bind(media.remote_url.as_deref())
    .bind(media.created_at)
    .bind(media.cache_folder.as_deref())
    .bind(media.duration_ms)
    .bind(media.frame_rate.as_deref())
    .bind(match &media.processing {
        Processing::Ready => None,
        Processing::Pending { .. } => Some(PENDING.to_owned()),
        Processing::Failed(why) => Some(why.clone()),
    })
    .bind(match &media.processing {
        Processing::Pending { upload_key } => Some(upload_key.as_str()),
        _ => None,
    })
    .execute(on)
    .await?;
    Ok(())
}

/// Attaches an author's unattached uploads to their new post, in order; `NotFound`
/// when one of them is someone else's, attached already or gone.
pub(crate) async fn attach_media(tx: &mut Tx, status_id: Id, account_id: Id, media: &[Id]) -> Result<()> {
    for (position, media_id) in media.iter().enumerate() {
        let done = query(
            "UPDATE media_attachments SET status_id = $1, position = $2 \
             WHERE id = $3 AND account_id = $4 AND (status_id IS NULL OR status_id = $1)",
        )
        .bind(status_id.as_i64())
        .bind(position as i64)
        .bind(media_id.as_i64())
        .bind(account_id.as_i64())
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
    }
    Ok(())
}

/// Attachments of posts as ordered ids, for [`domain::Status::media`].
pub(crate) async fn media_ids_of_statuses(store: &Store, status_ids: &[i64]) -> Result<Vec<(i64, Id)>> {
    let mut sql = Sql::new("SELECT status_id, id FROM media_attachments WHERE status_id IN ");
    sql.int_list(status_ids.iter().copied()).push(" ORDER BY status_id, position");
    let rows = sql.query().fetch_all(&store.reader).await?;
    rows.iter().map(|r| Ok((i64_col(r, "status_id")?, Id::from_i64(i64_col(r, "id")?)))).collect()
}

pub(crate) fn split(size: Option<PixelSize>) -> (Option<i64>, Option<i64>) {
    size.map_or((None, None), |s| (Some(i64::from(s.width)), Some(i64::from(s.height))))
}

pub(crate) fn thousandths(coordinate: f64) -> i64 {
    (coordinate.clamp(-1.0, 1.0) * 1000.0).round() as i64
}

pub(crate) fn media_from_row(row: &Row) -> Result<MediaAttachment> {
    let kind = text_col(row, "kind")?;
    let size = |w: &str, h: &str| -> Result<Option<PixelSize>> {
        Ok(match (opt_i64_col(row, w)?, opt_i64_col(row, h)?) {
            (Some(width), Some(height)) => Some(PixelSize {
                width: u32::try_from(width).map_err(|_| StoreError::Corrupt(format!("{w} {width}")))?,
                height: u32::try_from(height).map_err(|_| StoreError::Corrupt(format!("{h} {height}")))?,
            }),
            _ => None,
        })
    };
    Ok(MediaAttachment {
        id: Id::from_i64(i64_col(row, "id")?),
        account_id: Id::from_i64(i64_col(row, "account_id")?),
        status_id: opt_i64_col(row, "status_id")?.map(Id::from_i64),
        kind: kind.parse().map_err(|_| StoreError::Corrupt(format!("media kind `{kind}`")))?,
        content_type: text_col(row, "content_type")?,
        file_key: row.try_get::<Option<String>, _>("file_key")?,
        preview_key: row.try_get::<Option<String>, _>("preview_key")?,
        file_bytes: i64_col(row, "file_bytes")?,
        size: size("width", "height")?,
        preview_size: size("preview_width", "preview_height")?,
        description: text_col(row, "description")?,
        focus: Focus { x: i64_col(row, "focus_x")? as f64 / 1000.0, y: i64_col(row, "focus_y")? as f64 / 1000.0 },
        blurhash: row.try_get::<Option<String>, _>("blurhash")?,
        remote_url: row.try_get::<Option<String>, _>("remote_url")?,
        created_at: i64_col(row, "created_at")?,
        cache_folder: row.try_get::<Option<String>, _>("cache_folder")?,
        duration_ms: opt_i64_col(row, "duration_ms")?,
        frame_rate: row.try_get::<Option<String>, _>("frame_rate")?,
        processing: match (
            row.try_get::<Option<String>, _>("processing")?,
            row.try_get::<Option<String>, _>("upload_key")?,
        ) {
            (None, _) => Processing::Ready,
            (Some(state), Some(upload_key)) if state == PENDING => Processing::Pending { upload_key },
            (Some(why), _) => Processing::Failed(why),
        },
    })
}

#[cfg(test)]
mod tests {
    use domain::{Id, MediaAttachment, MediaKind};

    use crate::test_support::TestStore;

    fn media(id: i64, created_at: i64, remote_url: Option<&str>) -> MediaAttachment {
        MediaAttachment {
            content_type: "image/jpeg".into(),
            file_key: Some(format!("attachments/{id}/original.jpg")),
            file_bytes: 10,
            remote_url: remote_url.map(str::to_owned),
            ..MediaAttachment::new(Id::from_i64(id), Id::from_i64(7), MediaKind::Image, created_at)
        }
    }

    #[tokio::test]
    async fn only_old_unattached_local_uploads_are_up_for_purging() {
        let test = TestStore::new("media-purge").await.with_account(Id::from_i64(7), "author").await;
        let store = &test.store;
        store.insert_media(&media(100, 1_000, None)).await.unwrap();
        store.insert_media(&media(101, 1_000, Some("https://remote.example/a.jpg"))).await.unwrap();
        store.insert_media(&media(102, 9_000, None)).await.unwrap();
        let due = store.list_unattached_uploads(5_000, 10).await.unwrap();
        assert_eq!(due.iter().map(|m| m.id.as_i64()).collect::<Vec<_>>(), [100]);
        test.close().await;
    }
}
