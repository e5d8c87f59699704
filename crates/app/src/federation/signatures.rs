//! Who signed a request: draft-cavage (`Signature`) or RFC 9421 (`Signature-Input`),
//! checked with the rules Mastodon applies, with the signer's key from our store or
//! fetched from its server; a stored key that fails is fetched once more (keys rotate).

use ::federation::rfc9421::{self, Message};
use ::federation::signature::{self, SignatureError, SignedRequest};
use domain::Account;
use serde_json::Value;

use super::remote;
use crate::{App, AppError, Result, now_millis};

/// A request as it arrived: what a signature can cover.
#[derive(Debug, Clone, Copy)]
pub struct SignedHttpRequest<'a> {
    pub method: &'a str,
    pub path_and_query: &'a str,
    pub headers: &'a [(&'a str, &'a str)],
    /// The body of a POST, which its digest must match.
    pub body: Option<&'a [u8]>,
}

impl SignedHttpRequest<'_> {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| *v)
    }

    /// Whether the request carries a signature of either kind.
    pub fn is_signed(&self) -> bool {
        self.header("signature").is_some()
    }
}

fn refuse(why: impl std::fmt::Display) -> AppError {
    AppError::Unauthorized(why.to_string())
}

/// The account that signed `request`; `Unauthorized` when no signature holds.
pub async fn verify_request(app: &App, request: &SignedHttpRequest<'_>) -> Result<Account> {
    let signer = match (request.header("signature-input"), request.header("signature")) {
        (Some(input), Some(signature)) => verify_rfc9421(app, request, input, signature).await?,
        (None, Some(signature)) => verify_cavage(app, request, signature).await?,
        _ => return Err(refuse("the request is not signed")),
    };
    // Nothing is taken from an account moderators suspended.
    if signer.moderation.suspended_at.is_some() {
        return Err(AppError::Forbidden("this account is suspended here"));
    }
    Ok(signer)
}

async fn verify_cavage(app: &App, request: &SignedHttpRequest<'_>, value: &str) -> Result<Account> {
    let header = signature::parse_signature_header(value).map_err(refuse)?;
    let covers = |name: &str| header.headers.iter().any(|h| h == name);
    if !covers("date") && !covers("(created)") {
        return Err(refuse("the signature must cover date or (created)"));
    }
    if !covers("(request-target)") && !covers("digest") {
        return Err(refuse("the signature must cover (request-target) or digest"));
    }
    match request.body {
        Some(body) => {
            if !covers("digest") {
                return Err(refuse("a POST signature must cover digest"));
            }
            let digest = request.header("digest").ok_or_else(|| refuse("no Digest header"))?;
            if !signature::digest_matches(digest, body) {
                return Err(refuse("the digest does not match the body"));
            }
        }
        None if !covers("host") => return Err(refuse("a GET signature must cover host")),
        None => {}
    }
    if covers("host") && !request.header("host").is_some_and(|h| h.eq_ignore_ascii_case(&app.config().domain)) {
        // Signed for another server: a copy of someone else's request.
        return Err(refuse("the signed Host is not this server"));
    }
    let signed =
        SignedRequest { method: request.method, path_and_query: request.path_and_query, headers: request.headers };
    signature::check_time(&header, &signed, now_millis() / 1000).map_err(refuse)?;
    // Some senders sign the path without its query string; Mastodon tries both.
    let path = request.path_and_query.split('?').next().unwrap_or_default();
    let without_query = SignedRequest { path_and_query: path, ..signed };
    verified_signer(app, &header.key_id, |pem| {
        signature::verify(&header, &signed, pem).or_else(|e| {
            if path == request.path_and_query { Err(e) } else { signature::verify(&header, &without_query, pem) }
        })
    })
    .await
}

async fn verify_rfc9421(app: &App, request: &SignedHttpRequest<'_>, input: &str, value: &str) -> Result<Account> {
    let mut signatures = rfc9421::parse(input, value).map_err(refuse)?;
    if signatures.len() != 1 {
        return Err(refuse("exactly one RFC 9421 signature is accepted"));
    }
    let sig = signatures.remove(0);
    for required in ["@method", "@target-uri"] {
        if !sig.covers(required) {
            return Err(refuse(format!("the signature must cover {required}")));
        }
    }
    if let Some(body) = request.body {
        if !sig.covers("content-digest") {
            return Err(refuse("a POST signature must cover content-digest"));
        }
        let digest = request.header("content-digest").ok_or_else(|| refuse("no Content-Digest header"))?;
        if !rfc9421::content_digest_matches(digest, body) {
            return Err(refuse("the content digest does not match the body"));
        }
    }
    let created = sig.created().ok_or_else(|| refuse("the signature has no created time"))?;
    signature::check_window(created, sig.expires(), now_millis() / 1000).map_err(refuse)?;
    let key_id = sig.key_id().ok_or_else(|| refuse("the signature has no keyid"))?.to_owned();
    let target_uri = format!("{}{}", app.config().base_url(), request.path_and_query);
    let message = Message { method: request.method, target_uri: &target_uri, headers: request.headers };
    verified_signer(app, &key_id, |pem| rfc9421::verify(&sig, &message, &rfc9421::public_key_from_pem(pem)?)).await
}

/// Runs `check` with the key `key_id` names: the stored one, and if that fails, the
/// key fetched again; a key never seen is fetched from its owner's server.
async fn verified_signer(
    app: &App,
    key_id: &str,
    check: impl Fn(&str) -> std::result::Result<(), SignatureError>,
) -> Result<Account> {
    if crate::moderation::policy::current(app).await?.refuses_url(key_id) {
        return Err(AppError::Forbidden("this server does not federate with the signer's domain"));
    }
    let (account, key, stored) = match app.store().find_account_by_key_id(key_id).await? {
        Some((account, key)) => (account, key, true),
        None => {
            let account = fetch_key_owner(app, key_id).await?;
            let key = app.store().find_account_by_key_id(key_id).await?.map(|(_, k)| k);
            (account, key.ok_or_else(|| refuse(format!("{key_id} is not the key of its owner")))?, false)
        }
    };
    match check(&key) {
        Ok(()) => return Ok(account),
        Err(e) if !stored => return Err(refuse(e)),
        Err(e) => {
            // Refetched at most once a minute: bad signatures must not make us hammer
            // the key owner's server.
            let fetched_at = app.store().find_actor_endpoints(account.id).await?.map_or(0, |e| e.fetched_at);
            if now_millis() - fetched_at < KEY_REFETCH_MILLIS {
                return Err(refuse(e));
            }
        }
    }
    let uri = account.uri.clone().unwrap_or_default();
    let refreshed =
        remote::refresh_actor(app, &uri).await.map_err(|e| refuse(format!("cannot refetch the key: {e}")))?;
    match app.store().find_account_by_key_id(key_id).await? {
        Some((owner, key)) if owner.id == refreshed.id => {
            check(&key).map_err(refuse)?;
            Ok(refreshed)
        }
        _ => Err(refuse(format!("{key_id} is no longer the key of {uri}"))),
    }
}

const KEY_REFETCH_MILLIS: i64 = 60_000;

/// Fetches the actor a key belongs to: the key id is the actor's id with a fragment,
/// or a key document whose `owner` names the actor.
async fn fetch_key_owner(app: &App, key_id: &str) -> Result<Account> {
    let unauthorized = |e: AppError| refuse(format!("cannot fetch the key {key_id}: {e}"));
    let without_fragment = key_id.split('#').next().unwrap_or(key_id);
    if remote::is_local_uri(app, without_fragment) {
        return Err(refuse("a local key signs no remote request"));
    }
    let document = remote::fetch_object(app, without_fragment).await.map_err(unauthorized)?;
    match document.get("owner").and_then(Value::as_str) {
        Some(owner) if document.get("inbox").is_none() => remote::refresh_actor(app, owner).await.map_err(unauthorized),
        _ => remote::store_actor(app, &document).await.map_err(unauthorized),
    }
}

/// Who asked for an ActivityPub document, as authorized fetch sees it.
#[derive(Debug, Clone)]
pub enum Fetcher {
    /// Authorized fetch is off: anyone may read what is public.
    Anyone,
    /// An unsigned request while authorized fetch is on.
    Unsigned,
    /// A request signed by this remote actor.
    Signed(Box<Account>),
}

impl Fetcher {
    /// Whether `username`'s public documents are served: not to unsigned requests in
    /// authorized-fetch mode (401), nor to an actor the account blocks (404, as if there
    /// were nothing).
    pub async fn may_read_from(&self, app: &App, username: &str) -> Result<()> {
        match self {
            Fetcher::Unsigned => Err(refuse("this server requires signed fetches (authorized fetch)")),
            Fetcher::Anyone => Ok(()),
            Fetcher::Signed(signer) => {
                let author = super::actors::find_visible_local_account(app, username).await?;
                let (_, blocked_by) = app.store().list_block_flags(signer.id, &[author.id]).await?;
                if blocked_by.contains(&author.id) { Err(AppError::NotFound("account")) } else { Ok(()) }
            }
        }
    }
}

/// Checks a GET for an ActivityPub document: in authorized-fetch mode a signature must
/// hold (a bad one is `Unauthorized`); otherwise signatures are not looked at.
pub async fn authorize_fetch(app: &App, request: &SignedHttpRequest<'_>) -> Result<Fetcher> {
    // Limited federation implies authorized fetch, as on Mastodon: only a signature
    // tells which server is asking.
    if !app.config().authorized_fetch && !app.config().limited_federation {
        return Ok(Fetcher::Anyone);
    }
    if !request.is_signed() {
        return Ok(Fetcher::Unsigned);
    }
    Ok(Fetcher::Signed(Box::new(verify_request(app, request).await?)))
}
