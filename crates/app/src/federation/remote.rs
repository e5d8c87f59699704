//! Accounts on other servers: found by WebFinger or by actor id, fetched with a signed
//! GET, checked (the id must be on the host it came from) and stored sanitised.

use ::federation::{FetchError, Signer};
use domain::{Account, ProfileField};
use serde_json::Value;
use store::RemoteActor;

use super::sanitize;
use crate::{App, AppError, Result, now_millis};

/// How long a fetched actor is trusted before it is fetched again when next needed.
const ACTOR_REFRESH_MILLIS: i64 = 24 * 60 * 60 * 1000;

/// The instance actor's keys, loaded (or made and stored) once per process.
pub(crate) struct InstanceKeys {
    signer: Signer,
    public_key_pem: String,
}

async fn instance_keys(app: &App) -> Result<&InstanceKeys> {
    app.instance_keys_cell()
        .get_or_try_init(|| async {
            let (public_key_pem, private_key_pem) = match app.store().find_instance_keys().await? {
                Some(stored) => stored,
                None => {
                    let pair = app
                        .passwords()
                        .run_bounded(|| {
                            ::federation::keys::generate_rsa_2048().map_err(|e| AppError::Internal(e.to_string()))
                        })
                        .await?;
                    // Another node may have stored its keys meanwhile; the stored ones win.
                    app.store().insert_instance_keys((pair.public_pem, pair.private_pem), now_millis()).await?
                }
            };
            let key_id = format!("{}/actor#main-key", app.config().base_url());
            Ok(InstanceKeys { signer: Signer { key_id, private_key_pem }, public_key_pem })
        })
        .await
}

/// The instance actor's signer, which signs every fetch.
pub async fn instance_signer(app: &App) -> Result<Signer> {
    Ok(instance_keys(app).await?.signer.clone())
}

/// The instance actor's public key, for its actor document.
pub async fn instance_public_key(app: &App) -> Result<String> {
    Ok(instance_keys(app).await?.public_key_pem.clone())
}

/// A local account's signer.
pub async fn account_signer(app: &App, account: &Account) -> Result<Signer> {
    let private_key_pem =
        app.store().find_private_key_pem(account.id).await?.ok_or(AppError::Internal("no private key".into()))?;
    Ok(Signer { key_id: format!("{}/users/{}#main-key", app.config().base_url(), account.username), private_key_pem })
}

/// The `host[:port]` of a URL, lower-cased: how domains are compared.
pub fn authority(url: &str) -> Option<String> {
    let parsed = url::Url::parse(url).ok()?;
    Some(::federation::client::host_header(&parsed).to_ascii_lowercase())
}

pub fn is_local_uri(app: &App, uri: &str) -> bool {
    authority(uri).is_some_and(|a| a == app.config().domain.to_ascii_lowercase())
}

/// Fetches a document with the instance actor's signature; refuses one whose `id` is
/// not on the host it finally came from.
pub async fn fetch_object(app: &App, uri: &str) -> Result<Value> {
    let policy = crate::moderation::policy::current(app).await?;
    if policy.refuses_url(uri) {
        return Err(AppError::Forbidden("this server does not federate with that domain"));
    }
    let signer = instance_signer(app).await?;
    let fetched = app.http().get_activity(uri, &signer).await.map_err(fetch_error)?;
    let id = fetched.json.get("id").and_then(Value::as_str).unwrap_or_default();
    let came_from = ::federation::client::host_header(&fetched.url).to_ascii_lowercase();
    if policy.refuses(&came_from) {
        return Err(AppError::Forbidden("this server does not federate with that domain"));
    }
    if authority(id).as_deref() != Some(came_from.as_str()) {
        return Err(AppError::BadRequest(format!("{uri} answered with an object of another host ({id})")));
    }
    Ok(fetched.json)
}

pub(crate) fn fetch_error(e: FetchError) -> AppError {
    AppError::BadRequest(format!("fetch failed: {e}"))
}

/// The account with this actor id: ours, a known one (fetched again when stale), or
/// fetched now.
pub async fn resolve_actor(app: &App, uri: &str) -> Result<Account> {
    if let Some(account) = app.store().find_account_by_uri(uri).await? {
        let fresh = match app.store().find_actor_endpoints(account.id).await? {
            Some(e) => now_millis() - e.fetched_at < ACTOR_REFRESH_MILLIS,
            None => true,
        };
        if fresh {
            return Ok(account);
        }
        return Ok(refresh_actor(app, uri).await.unwrap_or(account));
    }
    if is_local_uri(app, uri) {
        return super::actors::find_local_account_by_uri(app, uri).await?.ok_or(AppError::NotFound("account"));
    }
    refresh_actor(app, uri).await
}

/// Fetches an actor now and stores what it says.
pub async fn refresh_actor(app: &App, uri: &str) -> Result<Account> {
    let document = fetch_object(app, uri).await?;
    store_actor(app, &document).await
}

/// Stores an actor document that came from its own host (fetched, or verified).
pub async fn store_actor(app: &App, document: &Value) -> Result<Account> {
    let actor = parse_actor(document)?;
    if is_local_uri(app, &actor.uri) {
        return Err(AppError::BadRequest("a remote document claims a local actor".into()));
    }
    let account = app.store().upsert_remote_account(app.ids().next(), &actor).await?;
    if let Err(e) = super::pictures::remember(app, &account, document).await {
        tracing::warn!(uri = actor.uri, error = %e, "cannot record an actor's avatar and header");
        return Ok(account);
    }
    Ok(app.store().find_account_by_id(account.id).await?.unwrap_or(account))
}

fn text<'a>(v: &'a Value, key: &str) -> Option<&'a str> {
    v.get(key).and_then(Value::as_str)
}

/// Reads an actor tolerantly, as Mastodon does: the fields it needs, the rest if there.
pub fn parse_actor(document: &Value) -> Result<RemoteActor> {
    let bad = |why: &str| AppError::BadRequest(format!("unusable actor: {why}"));
    let uri = text(document, "id").ok_or_else(|| bad("no id"))?.to_owned();
    let kind = text(document, "type").unwrap_or_default();
    if !matches!(kind, "Person" | "Service" | "Application" | "Group" | "Organization") {
        return Err(bad("not an actor type"));
    }
    let domain = authority(&uri).ok_or_else(|| bad("the id is not a URL"))?;
    let username =
        text(document, "preferredUsername").filter(|u| !u.is_empty()).ok_or_else(|| bad("no preferredUsername"))?;
    let inbox_url = text(document, "inbox").ok_or_else(|| bad("no inbox"))?.to_owned();
    let key = document.get("publicKey").ok_or_else(|| bad("no publicKey"))?;
    let key = if let Some(first) = key.as_array().and_then(|a| a.first()) { first } else { key };
    let key_id = text(key, "id").ok_or_else(|| bad("no key id"))?.to_owned();
    let public_key_pem = text(key, "publicKeyPem").ok_or_else(|| bad("no publicKeyPem"))?.to_owned();
    let on_host = |u: &str| authority(u).as_deref() == Some(domain.as_str());
    if !on_host(&inbox_url) || !on_host(&key_id) {
        return Err(bad("its inbox or key is on another host"));
    }
    let fields = document
        .get("attachment")
        .and_then(Value::as_array)
        .map(|items| {
            items
                .iter()
                .filter(|f| text(f, "type") == Some("PropertyValue"))
                .filter_map(|f| {
                    let name = text(f, "name")?;
                    let value = sanitize::html(text(f, "value").unwrap_or_default());
                    Some(ProfileField {
                        name: sanitize::plain(name),
                        value: sanitize::plain(&value),
                        value_html: value,
                    })
                })
                .take(16)
                .collect()
        })
        .unwrap_or_default();
    let url = match document.get("url") {
        Some(Value::String(u)) => Some(u.clone()),
        Some(Value::Object(o)) => o.get("href").and_then(Value::as_str).map(str::to_owned),
        _ => None,
    };
    let shared_inbox_url =
        document.get("endpoints").and_then(|e| text(e, "sharedInbox")).filter(|u| on_host(u)).map(str::to_owned);
    Ok(RemoteActor {
        uri,
        username: clip(username, 255),
        domain,
        display_name: clip(&sanitize::plain(text(document, "name").unwrap_or_default()), 255),
        note: sanitize::html(&clip(text(document, "summary").unwrap_or_default(), 20_000)),
        locked: document.get("manuallyApprovesFollowers").and_then(Value::as_bool).unwrap_or(false),
        bot: matches!(kind, "Service" | "Application"),
        discoverable: document.get("discoverable").and_then(Value::as_bool).unwrap_or(false),
        indexable: document.get("indexable").and_then(Value::as_bool).unwrap_or(false),
        url,
        inbox_url,
        shared_inbox_url,
        followers_url: text(document, "followers").map(str::to_owned),
        key_id,
        public_key_pem,
        fields,
        created_at: text(document, "published").and_then(super::ingest::parse_time).unwrap_or_else(now_millis),
        fetched_at: now_millis(),
    })
}

fn clip(text: &str, max: usize) -> String {
    text.chars().take(max).collect()
}

/// `user@domain` to an account: known, or found by WebFinger and fetched.
pub async fn resolve_acct(app: &App, username: &str, domain: &str) -> Result<Account> {
    let domain = domain.to_ascii_lowercase();
    let host_like = |c: char| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']');
    if domain.is_empty()
        || !domain.chars().all(host_like)
        || !username.chars().all(|c| c.is_alphanumeric() || matches!(c, '_' | '.' | '-'))
    {
        return Err(AppError::NotFound("account"));
    }
    if domain == app.config().domain.to_ascii_lowercase() {
        return super::actors::find_visible_local_account(app, username).await;
    }
    if crate::moderation::policy::current(app).await?.refuses(&domain) {
        return Err(AppError::NotFound("account"));
    }
    if let Some(account) = app.store().find_remote_account(username, &domain).await? {
        return Ok(account);
    }
    let resource = format!("acct:{username}@{domain}");
    let url = format!("{}://{domain}/.well-known/webfinger?resource={resource}", app.config().protocol);
    let jrd = app.http().get_json(&url, "application/jrd+json, application/json", None).await.map_err(fetch_error)?;
    let self_link = jrd
        .json
        .get("links")
        .and_then(Value::as_array)
        .and_then(|links| {
            links.iter().find(|l| {
                text(l, "rel") == Some("self")
                    && text(l, "type").is_some_and(|t| t.contains("activity+json") || t.contains("ld+json"))
            })
        })
        .and_then(|l| text(l, "href"))
        .ok_or(AppError::NotFound("account"))?
        .to_owned();
    let account = resolve_actor(app, &self_link).await?;
    // The actor must answer to the name it was looked up by, on the host that said so.
    if account.domain.as_deref() != Some(domain.as_str()) || !account.username.eq_ignore_ascii_case(username) {
        return Err(AppError::NotFound("account"));
    }
    Ok(account)
}
