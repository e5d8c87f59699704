//! Remote actors (accounts on other servers, with where to deliver to them and their
//! keys), follows' activity ids, and the instance actor's keys.

use domain::{Account, Id, ProfileField, UnixMillis};

use crate::accounts::{ACCOUNT_COLUMNS, account_from_row};
use crate::db::query;
use crate::row::{i64_col, text_col};
use crate::{Result, Store};

/// A remote actor as fetched, ready to store. Its text is sanitised before it gets here.
#[derive(Debug, Clone)]
pub struct RemoteActor {
    pub uri: String,
    pub username: String,
    pub domain: String,
    pub display_name: String,
    pub note: String,
    pub locked: bool,
    pub bot: bool,
    pub discoverable: bool,
    pub indexable: bool,
    pub url: Option<String>,
    pub inbox_url: String,
    pub shared_inbox_url: Option<String>,
    pub followers_url: Option<String>,
    pub key_id: String,
    pub public_key_pem: String,
    pub fields: Vec<ProfileField>,
    pub created_at: UnixMillis,
    pub fetched_at: UnixMillis,
}

/// Where activities for an account go, and when it was last fetched.
#[derive(Debug, Clone)]
pub struct ActorEndpoints {
    pub account_id: Id,
    pub uri: String,
    pub inbox_url: String,
    pub shared_inbox_url: Option<String>,
    pub fetched_at: UnixMillis,
}

impl Store {
    /// Stores a remote actor, or refreshes the one with the same id (`uri`); returns it.
    pub async fn upsert_remote_account(&self, new_id: Id, actor: &RemoteActor) -> Result<Account> {
        let fields = crate::profiles::fields_to_json(&actor.fields);
        let row = query(
            "INSERT INTO accounts (id, username, domain, display_name, note, locked, bot, discoverable, indexable, \
             created_at, updated_at, public_key_pem, uri, url, inbox_url, shared_inbox_url, followers_url, key_id, \
             fetched_at, fields) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $11, $19) \
             ON CONFLICT (uri) DO UPDATE SET username = excluded.username, display_name = excluded.display_name, \
             note = excluded.note, locked = excluded.locked, bot = excluded.bot, \
             discoverable = excluded.discoverable, indexable = excluded.indexable, updated_at = excluded.updated_at, \
             public_key_pem = excluded.public_key_pem, url = excluded.url, inbox_url = excluded.inbox_url, \
             shared_inbox_url = excluded.shared_inbox_url, followers_url = excluded.followers_url, \
             key_id = excluded.key_id, fetched_at = excluded.fetched_at, fields = excluded.fields \
             RETURNING id",
        )
        .bind(new_id.as_i64())
        .bind(&actor.username)
        .bind(&actor.domain)
        .bind(&actor.display_name)
        .bind(&actor.note)
        .bind(i64::from(actor.locked))
        .bind(i64::from(actor.bot))
        .bind(i64::from(actor.discoverable))
        .bind(i64::from(actor.indexable))
        .bind(actor.created_at)
        .bind(actor.fetched_at)
        .bind(&actor.public_key_pem)
        .bind(&actor.uri)
        .bind(actor.url.as_deref())
        .bind(&actor.inbox_url)
        .bind(actor.shared_inbox_url.as_deref())
        .bind(actor.followers_url.as_deref())
        .bind(&actor.key_id)
        .bind(fields)
        .fetch_one(&self.writer)
        .await?;
        let id = Id::from_i64(i64_col(&row, "id")?);
        self.find_account_by_id(id).await?.ok_or(crate::StoreError::NotFound)
    }

    /// Sets which stored (or cached) files are an account's avatar and header.
    pub async fn update_account_pictures(&self, id: Id, avatar: Option<&str>, header: Option<&str>) -> Result<()> {
        query("UPDATE accounts SET avatar_file = $1, header_file = $2 WHERE id = $3")
            .bind(avatar)
            .bind(header)
            .bind(id.as_i64())
            .execute(&self.writer)
            .await?;
        Ok(())
    }

    pub async fn find_account_by_uri(&self, uri: &str) -> Result<Option<Account>> {
        let sql = format!("SELECT {ACCOUNT_COLUMNS} FROM accounts a WHERE a.uri = $1");
        let row = query(&sql).bind(uri).fetch_optional(&self.reader).await?;
        row.as_ref().map(account_from_row).transpose()
    }

    /// A known remote account by `username@domain`, ignoring the username's case.
    pub async fn find_remote_account(&self, username: &str, domain: &str) -> Result<Option<Account>> {
        let sql = format!(
            "SELECT {ACCOUNT_COLUMNS} FROM accounts a WHERE lower(a.username) = lower($1) AND a.domain = lower($2)"
        );
        let row = query(&sql).bind(username).bind(domain).fetch_optional(&self.reader).await?;
        row.as_ref().map(account_from_row).transpose()
    }

    /// The remote account whose key has this id, with the key.
    pub async fn find_account_by_key_id(&self, key_id: &str) -> Result<Option<(Account, String)>> {
        let sql = format!("SELECT {ACCOUNT_COLUMNS}, a.public_key_pem FROM accounts a WHERE a.key_id = $1");
        let row = query(&sql).bind(key_id).fetch_optional(&self.reader).await?;
        row.map(|r| Ok((account_from_row(&r)?, text_col(&r, "public_key_pem")?))).transpose()
    }

    pub async fn find_actor_endpoints(&self, account_id: Id) -> Result<Option<ActorEndpoints>> {
        let row = query(
            "SELECT id, uri, inbox_url, shared_inbox_url, fetched_at FROM accounts \
             WHERE id = $1 AND uri IS NOT NULL AND inbox_url IS NOT NULL",
        )
        .bind(account_id.as_i64())
        .fetch_optional(&self.reader)
        .await?;
        row.map(|r| {
            Ok(ActorEndpoints {
                account_id: Id::from_i64(i64_col(&r, "id")?),
                uri: text_col(&r, "uri")?,
                inbox_url: text_col(&r, "inbox_url")?,
                shared_inbox_url: r.try_get::<Option<String>, _>("shared_inbox_url")?,
                fetched_at: r.try_get::<Option<i64>, _>("fetched_at")?.unwrap_or(0),
            })
        })
        .transpose()
    }

    /// The inboxes of an account's remote followers, one per shared inbox.
    pub async fn list_follower_inboxes(&self, account_id: Id) -> Result<Vec<String>> {
        let rows = query(
            "SELECT DISTINCT COALESCE(a.shared_inbox_url, a.inbox_url) AS inbox FROM follows f \
             JOIN accounts a ON a.id = f.account_id \
             WHERE f.target_account_id = $1 AND a.domain <> '' AND a.inbox_url IS NOT NULL",
        )
        .bind(account_id.as_i64())
        .fetch_all(&self.reader)
        .await?;
        rows.iter().map(|r| text_col(r, "inbox")).collect()
    }

    /// A remote account's followers collection, which a private post is addressed to.
    pub async fn find_followers_url(&self, account_id: Id) -> Result<Option<String>> {
        let row = query("SELECT followers_url FROM accounts WHERE id = $1")
            .bind(account_id.as_i64())
            .fetch_optional(&self.reader)
            .await?;
        Ok(row.map(|r| r.try_get::<Option<String>, _>("followers_url")).transpose()?.flatten())
    }

    /// A local account's private signing key (PEM).
    pub async fn find_private_key_pem(&self, account_id: Id) -> Result<Option<String>> {
        let row = query("SELECT private_key_pem FROM accounts WHERE id = $1 AND private_key_pem IS NOT NULL")
            .bind(account_id.as_i64())
            .fetch_optional(&self.reader)
            .await?;
        row.map(|r| text_col(&r, "private_key_pem")).transpose()
    }

    /// The Follow activity id stored with a follow or a pending request.
    pub async fn find_follow_uri(&self, account_id: Id, target_id: Id) -> Result<Option<String>> {
        let row = query(
            "SELECT uri FROM follows WHERE account_id = $1 AND target_account_id = $2 AND uri IS NOT NULL \
             UNION ALL SELECT uri FROM follow_requests WHERE account_id = $1 AND target_account_id = $2 \
             AND uri IS NOT NULL",
        )
        .bind(account_id.as_i64())
        .bind(target_id.as_i64())
        .fetch_optional(&self.reader)
        .await?;
        row.map(|r| text_col(&r, "uri")).transpose()
    }

    /// Who sent the pending follow request with this Follow activity id.
    pub async fn find_follow_request_by_uri(&self, uri: &str) -> Result<Option<Id>> {
        let row = query("SELECT account_id FROM follow_requests WHERE uri = $1")
            .bind(uri)
            .fetch_optional(&self.reader)
            .await?;
        row.map(|r| Ok(Id::from_i64(i64_col(&r, "account_id")?))).transpose()
    }

    /// Removes a remote account and, by cascade, everything of it; uncounts its follows.
    pub async fn delete_remote_account(&self, account_id: Id) -> Result<()> {
        let mut tx = self.begin_write().await?;
        query(
            "UPDATE accounts SET followers_count = followers_count - 1 WHERE followers_count > 0 AND id IN \
             (SELECT target_account_id FROM follows WHERE account_id = $1)",
        )
        .bind(account_id.as_i64())
        .execute(&mut tx)
        .await?;
        query(
            "UPDATE accounts SET following_count = following_count - 1 WHERE following_count > 0 AND id IN \
             (SELECT account_id FROM follows WHERE target_account_id = $1)",
        )
        .bind(account_id.as_i64())
        .execute(&mut tx)
        .await?;
        query("DELETE FROM accounts WHERE id = $1 AND domain <> ''").bind(account_id.as_i64()).execute(&mut tx).await?;
        tx.commit().await
    }

    /// Records the Follow activity id of a follow or pending request.
    pub async fn update_follow_uri(&self, account_id: Id, target_id: Id, uri: &str) -> Result<()> {
        for table in ["follows", "follow_requests"] {
            let sql = format!("UPDATE {table} SET uri = $3 WHERE account_id = $1 AND target_account_id = $2");
            query(&sql).bind(account_id.as_i64()).bind(target_id.as_i64()).bind(uri).execute(&self.writer).await?;
        }
        Ok(())
    }

    /// The instance actor's keys (public, private), once they have been made.
    pub async fn find_instance_keys(&self) -> Result<Option<(String, String)>> {
        let row = query("SELECT public_key_pem, private_key_pem FROM instance_actor WHERE id = 1")
            .fetch_optional(&self.writer)
            .await?;
        row.map(|r| Ok((text_col(&r, "public_key_pem")?, text_col(&r, "private_key_pem")?))).transpose()
    }

    /// Stores the instance actor's keys unless some are stored already; returns the
    /// stored ones (public, private).
    pub async fn insert_instance_keys(&self, generated: (String, String), now: UnixMillis) -> Result<(String, String)> {
        query(
            "INSERT INTO instance_actor (id, public_key_pem, private_key_pem, created_at) VALUES (1, $1, $2, $3) \
             ON CONFLICT DO NOTHING",
        )
        .bind(generated.0)
        .bind(generated.1)
        .bind(now)
        .execute(&self.writer)
        .await?;
        self.find_instance_keys().await?.ok_or(crate::StoreError::NotFound)
    }
}
