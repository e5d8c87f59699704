//! Editing profiles and posting defaults; follow requests for locked accounts.

use domain::{Account, Id, Page, ProfileField, Role, UnixMillis, Visibility};
use serde_json::{Value, json};

use crate::accounts::ACCOUNT_COLUMNS;
use crate::db::{Row, query};
use crate::row::i64_col;
use crate::sql::Sql;
use crate::{Result, Store, StoreError};

/// A profile as it is to be saved; every field is written.
#[derive(Debug, Clone)]
pub struct ProfileUpdate {
    pub display_name: String,
    pub note_html: String,
    pub note_source: String,
    pub fields: Vec<ProfileField>,
    pub locked: bool,
    pub bot: bool,
    pub discoverable: bool,
    pub hide_collections: bool,
    pub indexable: bool,
    pub avatar_file: Option<String>,
    pub header_file: Option<String>,
    pub default_visibility: Visibility,
    pub default_sensitive: bool,
    pub default_language: Option<String>,
}

impl Store {
    pub async fn update_profile(&self, account_id: Id, p: &ProfileUpdate, now: UnixMillis) -> Result<()> {
        let mut tx = self.begin_write().await?;
        query(
            "UPDATE accounts SET display_name = $1, note = $2, note_source = $3, fields = $4, locked = $5, bot = $6, \
             discoverable = $7, hide_collections = $8, indexable = $9, avatar_file = $10, header_file = $11, \
             updated_at = $12 WHERE id = $13",
        )
        .bind(&p.display_name)
        .bind(&p.note_html)
        .bind(&p.note_source)
        .bind(fields_to_json(&p.fields))
        .bind(i64::from(p.locked))
        .bind(i64::from(p.bot))
        .bind(i64::from(p.discoverable))
        .bind(i64::from(p.hide_collections))
        .bind(i64::from(p.indexable))
        .bind(p.avatar_file.as_deref())
        .bind(p.header_file.as_deref())
        .bind(now)
        .bind(account_id.as_i64())
        .execute(&mut tx)
        .await?;
        query(
            "UPDATE users SET default_visibility = $1, default_sensitive = $2, default_language = $3, updated_at = $4 \
             WHERE account_id = $5",
        )
        .bind(p.default_visibility.as_str())
        .bind(i64::from(p.default_sensitive))
        .bind(p.default_language.as_deref())
        .bind(now)
        .bind(account_id.as_i64())
        .execute(&mut tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Asks to follow a locked account; returns whether the request is new.
    pub async fn insert_follow_request(&self, id: Id, account_id: Id, target_id: Id, now: UnixMillis) -> Result<bool> {
        let done = query(
            "INSERT INTO follow_requests (id, account_id, target_account_id, created_at) VALUES ($1, $2, $3, $4) \
             ON CONFLICT DO NOTHING",
        )
        .bind(id.as_i64())
        .bind(account_id.as_i64())
        .bind(target_id.as_i64())
        .bind(now)
        .execute(&self.writer)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Withdraws (or settles) a request; returns whether there was one.
    pub async fn delete_follow_request(&self, account_id: Id, target_id: Id) -> Result<bool> {
        let done = query("DELETE FROM follow_requests WHERE account_id = $1 AND target_account_id = $2")
            .bind(account_id.as_i64())
            .bind(target_id.as_i64())
            .execute(&self.writer)
            .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Of `others`, those that asked to follow `target_id` and those `account_id` asked.
    pub async fn list_pending_requests(&self, account_id: Id, others: &[Id]) -> Result<(Vec<Id>, Vec<Id>)> {
        let raw: Vec<i64> = others.iter().map(|i| i.as_i64()).collect();
        let mut sent = Sql::new("SELECT target_account_id AS id FROM follow_requests WHERE account_id = ");
        sent.int(account_id.as_i64()).push(" AND target_account_id IN ").int_list(raw.iter().copied());
        let mut received = Sql::new("SELECT account_id AS id FROM follow_requests WHERE target_account_id = ");
        received.int(account_id.as_i64()).push(" AND account_id IN ").int_list(raw.iter().copied());
        let ids =
            |rows: Vec<Row>| -> Result<Vec<Id>> { rows.iter().map(|r| Ok(Id::from_i64(i64_col(r, "id")?))).collect() };
        Ok((ids(sent.query().fetch_all(&self.reader).await?)?, ids(received.query().fetch_all(&self.reader).await?)?))
    }

    /// A page of the accounts asking to follow `target_id`.
    pub async fn list_follow_requests(&self, target_id: Id, page: &Page) -> Result<Vec<(Id, Account, Option<Role>)>> {
        let mut sql = Sql::new(&format!(
            "SELECT r.id AS row_id, u.role AS user_role, {ACCOUNT_COLUMNS} FROM follow_requests r \
             JOIN accounts a ON a.id = r.account_id LEFT JOIN users u ON u.account_id = a.id WHERE r.target_account_id = "
        ));
        sql.int(target_id.as_i64());
        let ascending = sql.page("r.id", page);
        self.fetch_account_page(&sql, ascending).await
    }

    pub async fn count_follow_requests(&self, target_id: Id) -> Result<i64> {
        self.kept_or_load(|rows| &rows.follow_requests, target_id, || self.load_follow_request_count(target_id)).await
    }

    async fn load_follow_request_count(&self, target_id: Id) -> Result<i64> {
        let row = query("SELECT COUNT(*) AS n FROM follow_requests WHERE target_account_id = $1")
            .bind(target_id.as_i64())
            .fetch_one(&self.reader)
            .await?;
        i64_col(&row, "n")
    }
}

pub(crate) fn fields_to_json(fields: &[ProfileField]) -> String {
    Value::Array(
        fields.iter().map(|f| json!({ "name": f.name, "value": f.value, "value_html": f.value_html })).collect(),
    )
    .to_string()
}

pub(crate) fn fields_from_json(text: &str) -> Result<Vec<ProfileField>> {
    let value: Value = serde_json::from_str(text).map_err(|e| StoreError::Corrupt(format!("profile fields: {e}")))?;
    let text = |v: &Value, k: &str| v[k].as_str().unwrap_or_default().to_owned();
    Ok(value
        .as_array()
        .map(|items| {
            items
                .iter()
                .map(|f| ProfileField {
                    name: text(f, "name"),
                    value: text(f, "value"),
                    value_html: text(f, "value_html"),
                })
                .collect()
        })
        .unwrap_or_default())
}
