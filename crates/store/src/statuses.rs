//! Posts with their mentions and tags, written together with the home-feed rows of
//! everyone who should see them.

use std::collections::HashMap;
use std::sync::Arc;

use domain::{Id, MediaAttachment, Status, UnixMillis, Visibility};

use crate::db::{Row, Tx, execute_script, query};
use crate::group_commit::Outcomes;
use crate::row::{flag_col, i64_col, opt_i64_col, text_col};
use crate::sql::Sql;
use crate::{Result, Store, StoreError};

const STATUS_COLUMNS: &str = "id, account_id, uri, text, content, spoiler_text, sensitive, visibility, language, \
     in_reply_to_id, in_reply_to_account_id, reblog_of_id, application_id, created_at, edited_at, replies_count, \
     reblogs_count, favourites_count, local, conversation_id, url";

/// The conflict a second boost of the same post by the same account meets.
pub const ALREADY_BOOSTED: &str = "already boosted";

/// Rows per multi-row insert, well under SQLite's bound-parameter limit.
const ROWS_PER_INSERT: usize = 300;

impl Store {
    /// Stores a post, its mentions and tags, puts it in the home feeds of `readers`,
    /// counts it on its author (and its parent), and records the idempotency key. Posts
    /// stored at the same moment share a transaction (see [`crate::group_commit`]).
    pub async fn insert_status(&self, status: &Status, readers: &[Id], idempotency_key: Option<&str>) -> Result<()> {
        self.insert_status_with_media(status, &[], readers, idempotency_key).await
    }

    /// [`Store::insert_status`] for a post that brings attachments not stored yet (a
    /// remote post's): they are stored with it, or not at all.
    pub async fn insert_status_with_media(
        &self,
        status: &Status,
        new_media: &[MediaAttachment],
        readers: &[Id],
        idempotency_key: Option<&str>,
    ) -> Result<()> {
        let post = NewStatus {
            status: status.clone(),
            new_media: new_media.to_vec(),
            readers: readers.to_vec(),
            idempotency_key: idempotency_key.map(str::to_owned),
        };
        self.commit_grouped(|queues| &queues.statuses, post, insert_statuses).await
    }
}

/// A post waiting to be stored.
#[derive(Debug)]
pub(crate) struct NewStatus {
    status: Status,
    new_media: Vec<MediaAttachment>,
    readers: Vec<Id>,
    idempotency_key: Option<String>,
}

/// Stores posts in one transaction, each in a savepoint of its own: one refused (a
/// duplicate, an id already drawn) leaves the others stored.
async fn insert_statuses(store: Store, posts: Vec<NewStatus>) -> Outcomes<()> {
    let mut tx = store.begin_write().await?;
    let mut outcomes = Vec::with_capacity(posts.len());
    for post in &posts {
        execute_script(&mut tx, "SAVEPOINT one_post").await?;
        let outcome = write_status(&mut tx, post).await;
        if outcome.is_err() {
            execute_script(&mut tx, "ROLLBACK TO SAVEPOINT one_post").await?;
        }
        execute_script(&mut tx, "RELEASE SAVEPOINT one_post").await?;
        outcomes.push(outcome);
    }
    tx.commit().await?;
    Ok(outcomes)
}

async fn write_status(tx: &mut Tx, post: &NewStatus) -> Result<()> {
    let (status, readers, idempotency_key) = (&post.status, &post.readers, post.idempotency_key.as_deref());
    let mut sql = Sql::new(&format!("INSERT INTO statuses ({STATUS_COLUMNS}) VALUES ("));
    sql.int(status.id.as_i64()).push(", ").int(status.account_id.as_i64()).push(", ").text(&status.uri);
    sql.push(", ").text(&status.text).push(", ").text(&status.content).push(", ").text(&status.spoiler_text);
    sql.push(", ").int(i64::from(status.sensitive)).push(", ").text(status.visibility.as_str()).push(", ");
    match &status.language {
        Some(l) => sql.text(l),
        None => sql.push("NULL"),
    };
    for id in [status.in_reply_to_id, status.in_reply_to_account_id, status.reblog_of_id, status.application_id] {
        match id {
            Some(id) => sql.push(", ").int(id.as_i64()),
            None => sql.push(", NULL"),
        };
    }
    sql.push(", ").int(status.created_at).push(", NULL, 0, 0, 0, ").int(i64::from(status.local));
    sql.push(", ").int(status.conversation_id.as_i64()).push(", ");
    match &status.url {
        Some(url) => sql.text(url),
        None => sql.push("NULL"),
    };
    sql.push(")");
    sql.query().execute(&mut *tx).await.map_err(|e| match e {
        StoreError::Conflict(_) if status.reblog_of_id.is_some() => StoreError::Conflict(ALREADY_BOOSTED.into()),
        other => other,
    })?;

    for media in &post.new_media {
        crate::media::write_media(&mut *tx, media).await?;
    }
    crate::media::attach_media(tx, status.id, status.account_id, &status.media).await?;
    for (position, account_id) in status.mentions.iter().enumerate() {
        query(
            "INSERT INTO status_mentions (status_id, account_id, position) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
        )
        .bind(status.id.as_i64())
        .bind(account_id.as_i64())
        .bind(position as i64)
        .execute(&mut *tx)
        .await?;
    }
    for (position, name) in status.tags.iter().enumerate() {
        query("INSERT INTO status_tags (status_id, name, position) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING")
            .bind(status.id.as_i64())
            .bind(name)
            .bind(position as i64)
            .execute(&mut *tx)
            .await?;
    }
    for chunk in readers.chunks(ROWS_PER_INSERT) {
        let mut sql = Sql::new("INSERT INTO home_feed (account_id, status_id, via_account_id) VALUES ");
        for (i, reader) in chunk.iter().enumerate() {
            if i > 0 {
                sql.push(", ");
            }
            sql.push("(").int(reader.as_i64()).push(", ").int(status.id.as_i64()).push(", ");
            sql.int(status.account_id.as_i64()).push(")");
        }
        sql.push(" ON CONFLICT DO NOTHING");
        sql.query().execute(&mut *tx).await?;
    }
    // As Mastodon: boosts and direct posts do not count as posts, and only public or
    // unlisted replies count on their parent (a count must not reveal hidden posts).
    let counts_as_post = status.reblog_of_id.is_none() && status.visibility != Visibility::Direct;
    let counts_as_reply = matches!(status.visibility, Visibility::Public | Visibility::Unlisted);
    query("UPDATE accounts SET statuses_count = statuses_count + $1, last_status_at = $2 WHERE id = $3")
        .bind(i64::from(counts_as_post))
        .bind(status.created_at)
        .bind(status.account_id.as_i64())
        .execute(&mut *tx)
        .await?;
    if let Some(original) = status.reblog_of_id {
        query("UPDATE statuses SET reblogs_count = reblogs_count + 1 WHERE id = $1")
            .bind(original.as_i64())
            .execute(&mut *tx)
            .await?;
    }
    if let Some(parent) = status.in_reply_to_id.filter(|_| counts_as_reply) {
        query("UPDATE statuses SET replies_count = replies_count + 1 WHERE id = $1")
            .bind(parent.as_i64())
            .execute(&mut *tx)
            .await?;
    }
    if let Some(key) = idempotency_key {
        query(
                "INSERT INTO idempotency_keys (account_id, key, status_id, created_at) VALUES ($1, $2, $3, $4) \
                 ON CONFLICT (account_id, key) DO UPDATE SET status_id = excluded.status_id, created_at = excluded.created_at",
            )
            .bind(status.account_id.as_i64())
            .bind(key)
            .bind(status.id.as_i64())
            .bind(status.created_at)
            .execute(&mut *tx)
            .await?;
    }
    Ok(())
}

impl Store {
    /// The post an earlier request with this key made, if made after `since`.
    pub async fn find_idempotent_status_id(&self, account_id: Id, key: &str, since: UnixMillis) -> Result<Option<Id>> {
        let row =
            query("SELECT status_id FROM idempotency_keys WHERE account_id = $1 AND key = $2 AND created_at > $3")
                .bind(account_id.as_i64())
                .bind(key)
                .bind(since)
                .fetch_optional(&self.reader)
                .await?;
        row.map(|r| Ok(Id::from_i64(i64_col(&r, "status_id")?))).transpose()
    }

    /// A post by its ActivityPub id.
    pub async fn find_status_by_uri(&self, uri: &str) -> Result<Option<Status>> {
        let row = query("SELECT id FROM statuses WHERE uri = $1").bind(uri).fetch_optional(&self.reader).await?;
        match row {
            Some(row) => self.find_status(Id::from_i64(i64_col(&row, "id")?)).await,
            None => Ok(None),
        }
    }

    pub async fn find_status(&self, id: Id) -> Result<Option<Status>> {
        Ok(self.list_statuses(&[id]).await?.pop().map(Arc::unwrap_or_clone))
    }

    /// The posts with these ids that exist, in the order of `ids`, with their mentions
    /// and tags. Three index lookups: correlated subqueries that aggregate the mentions
    /// and tags per row measured 20 times slower on SQLite.
    pub async fn list_statuses(&self, ids: &[Id]) -> Result<Vec<Arc<Status>>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let Some(generation) = self.row_generation() else {
            return Ok(self.load_statuses(ids).await?.into_iter().map(Arc::new).collect());
        };
        let (mut found, missing) = self.rows.statuses(generation, ids);
        if !missing.is_empty() {
            let loaded: Vec<Arc<Status>> = self.load_statuses(&missing).await?.into_iter().map(Arc::new).collect();
            self.rows.keep_statuses(generation, &loaded);
            found.extend(loaded.into_iter().map(|s| (s.id, s)));
        }
        Ok(ids.iter().filter_map(|id| found.remove(id)).collect())
    }

    async fn load_statuses(&self, ids: &[Id]) -> Result<Vec<Status>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let raw: Vec<i64> = ids.iter().map(|i| i.as_i64()).collect();
        let mut sql = Sql::new(&format!("SELECT {STATUS_COLUMNS} FROM statuses WHERE id IN "));
        sql.int_list(raw.iter().copied());
        let mut by_id: HashMap<i64, Status> = HashMap::new();
        for row in &sql.query().fetch_all(&self.reader).await? {
            let status = status_from_row(row)?;
            by_id.insert(status.id.as_i64(), status);
        }
        let mut sql = Sql::new("SELECT status_id, account_id FROM status_mentions WHERE status_id IN ");
        sql.int_list(raw.iter().copied()).push(" ORDER BY status_id, position");
        for row in sql.query().fetch_all(&self.reader).await? {
            if let Some(s) = by_id.get_mut(&i64_col(&row, "status_id")?) {
                s.mentions.push(Id::from_i64(i64_col(&row, "account_id")?));
            }
        }
        for (status_id, media_id) in crate::media::media_ids_of_statuses(self, &raw).await? {
            if let Some(s) = by_id.get_mut(&status_id) {
                s.media.push(media_id);
            }
        }
        let mut sql = Sql::new("SELECT status_id, name FROM status_tags WHERE status_id IN ");
        sql.int_list(raw.iter().copied()).push(" ORDER BY status_id, position");
        for row in sql.query().fetch_all(&self.reader).await? {
            if let Some(s) = by_id.get_mut(&i64_col(&row, "status_id")?) {
                s.tags.push(text_col(&row, "name")?);
            }
        }
        Ok(raw.iter().filter_map(|id| by_id.remove(id)).collect())
    }

    /// Deletes a post and its boosts; uncounts it from its author and parent.
    pub async fn delete_status(&self, status: &Status) -> Result<()> {
        let mut tx = self.begin_write().await?;
        let done = query("DELETE FROM statuses WHERE id = $1").bind(status.id.as_i64()).execute(&mut tx).await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        if status.reblog_of_id.is_none() && status.visibility != Visibility::Direct {
            query("UPDATE accounts SET statuses_count = statuses_count - 1 WHERE id = $1 AND statuses_count > 0")
                .bind(status.account_id.as_i64())
                .execute(&mut tx)
                .await?;
        }
        if let Some(parent) =
            status.in_reply_to_id.filter(|_| matches!(status.visibility, Visibility::Public | Visibility::Unlisted))
        {
            query("UPDATE statuses SET replies_count = replies_count - 1 WHERE id = $1 AND replies_count > 0")
                .bind(parent.as_i64())
                .execute(&mut tx)
                .await?;
        }
        // C2: a boost deleted by id uncounts itself on its original.
        if let Some(original) = status.reblog_of_id {
            query("UPDATE statuses SET reblogs_count = reblogs_count - 1 WHERE id = $1 AND reblogs_count > 0")
                .bind(original.as_i64())
                .execute(&mut tx)
                .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    pub async fn is_in_home_feed(&self, account_id: Id, status_id: Id) -> Result<bool> {
        let row = query("SELECT 1 AS x FROM home_feed WHERE account_id = $1 AND status_id = $2")
            .bind(account_id.as_i64())
            .bind(status_id.as_i64())
            .fetch_optional(&self.reader)
            .await?;
        Ok(row.is_some())
    }

    pub async fn is_mentioned(&self, status_id: Id, account_id: Id) -> Result<bool> {
        let row = query("SELECT 1 AS x FROM status_mentions WHERE status_id = $1 AND account_id = $2")
            .bind(status_id.as_i64())
            .bind(account_id.as_i64())
            .fetch_optional(&self.reader)
            .await?;
        Ok(row.is_some())
    }
}

fn status_from_row(row: &Row) -> Result<Status> {
    let visibility = text_col(row, "visibility")?;
    let opt_id = |name: &str| -> Result<Option<Id>> { Ok(opt_i64_col(row, name)?.map(Id::from_i64)) };
    Ok(Status {
        id: Id::from_i64(i64_col(row, "id")?),
        account_id: Id::from_i64(i64_col(row, "account_id")?),
        uri: text_col(row, "uri")?,
        url: row.try_get::<Option<String>, _>("url")?,
        text: text_col(row, "text")?,
        content: text_col(row, "content")?,
        spoiler_text: text_col(row, "spoiler_text")?,
        sensitive: flag_col(row, "sensitive")?,
        visibility: visibility.parse().map_err(|_| StoreError::Corrupt(format!("visibility `{visibility}`")))?,
        language: row.try_get::<Option<String>, _>("language")?,
        in_reply_to_id: opt_id("in_reply_to_id")?,
        in_reply_to_account_id: opt_id("in_reply_to_account_id")?,
        reblog_of_id: opt_id("reblog_of_id")?,
        application_id: opt_id("application_id")?,
        created_at: i64_col(row, "created_at")?,
        edited_at: opt_i64_col(row, "edited_at")?,
        replies_count: i64_col(row, "replies_count")?,
        reblogs_count: i64_col(row, "reblogs_count")?,
        favourites_count: i64_col(row, "favourites_count")?,
        local: flag_col(row, "local")?,
        conversation_id: Id::from_i64(opt_i64_col(row, "conversation_id")?.unwrap_or(i64_col(row, "id")?)),
        mentions: Vec::new(),
        media: Vec::new(),
        tags: Vec::new(),
    })
}
