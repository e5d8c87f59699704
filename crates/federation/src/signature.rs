//! HTTP signatures as the fediverse uses them (draft-cavage-http-signatures, the
//! `Signature` header): the signing string, signing with RSA-SHA256 as Mastodon signs,
//! parsing and verifying incoming signatures, the body digest and Mastodon's time window.

use std::collections::HashMap;
use std::sync::Arc;

use aws_lc_rs::rand::SystemRandom;
use aws_lc_rs::rsa::KeyPair;
use aws_lc_rs::signature::{self, UnparsedPublicKey};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;

/// Why a signature was not accepted; the text is for logs and the 401 body.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct SignatureError(pub String);

fn refuse(why: impl Into<String>) -> SignatureError {
    SignatureError(why.into())
}

/// The parts of a request a signature covers. Header names are matched without case;
/// a header given several times is signed as its values joined by `, `.
#[derive(Debug, Clone, Copy)]
pub struct SignedRequest<'a> {
    pub method: &'a str,
    /// The path with its query string, as sent: `/users/alice/inbox?x=1`.
    pub path_and_query: &'a str,
    pub headers: &'a [(&'a str, &'a str)],
}

impl SignedRequest<'_> {
    fn header(&self, name: &str) -> Option<String> {
        let values: Vec<&str> =
            self.headers.iter().filter(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.trim()).collect();
        (!values.is_empty()).then(|| values.join(", "))
    }
}

/// A parsed `Signature` header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignatureHeader {
    pub key_id: String,
    /// `None` when absent, which means hs2019.
    pub algorithm: Option<String>,
    /// The covered headers, lower-cased; `date` alone when absent, as the draft says.
    pub headers: Vec<String>,
    pub signature: Vec<u8>,
    pub created: Option<i64>,
    pub expires: Option<i64>,
}

/// Reads `keyId="...",algorithm="...",headers="...",signature="..."`.
pub fn parse_signature_header(value: &str) -> Result<SignatureHeader, SignatureError> {
    let mut fields: Vec<(String, String)> = Vec::new();
    let mut rest = value.trim();
    while !rest.is_empty() {
        let (name, after) = rest.split_once('=').ok_or_else(|| refuse("malformed Signature header"))?;
        let name = name.trim().to_ascii_lowercase();
        let after = after.trim_start();
        let (field, remainder) = match after.strip_prefix('"') {
            Some(quoted) => {
                let end = quoted.find('"').ok_or_else(|| refuse("unterminated quote in Signature header"))?;
                (&quoted[..end], &quoted[end + 1..])
            }
            None => after.split_once(',').map_or((after, ""), |(v, r)| (v, r)),
        };
        fields.push((name, field.trim().to_owned()));
        rest = remainder.trim_start();
        rest = rest.strip_prefix(',').unwrap_or(rest).trim_start();
    }
    let get = |name: &str| fields.iter().find(|(n, _)| n == name).map(|(_, v)| v.clone());
    let number = |name: &str| -> Result<Option<i64>, SignatureError> {
        get(name).map(|v| v.parse().map_err(|_| refuse(format!("{name} is not a number")))).transpose()
    };
    let key_id = get("keyid").filter(|k| !k.is_empty()).ok_or_else(|| refuse("the signature has no keyId"))?;
    let signature = get("signature").ok_or_else(|| refuse("the signature has no signature"))?;
    let signature = BASE64.decode(signature).map_err(|_| refuse("the signature is not base64"))?;
    let headers = match get("headers") {
        Some(list) => list.split_ascii_whitespace().map(str::to_ascii_lowercase).collect(),
        None => vec!["date".to_owned()],
    };
    Ok(SignatureHeader {
        key_id,
        algorithm: get("algorithm").map(|a| a.to_ascii_lowercase()),
        headers,
        signature,
        created: number("created")?,
        expires: number("expires")?,
    })
}

/// The text that is signed: one `name: value` line per covered header.
pub fn signing_string(
    covered: &[String],
    request: &SignedRequest<'_>,
    created: Option<i64>,
    expires: Option<i64>,
) -> Result<String, SignatureError> {
    let mut lines = Vec::with_capacity(covered.len());
    for name in covered {
        let value = match name.as_str() {
            "(request-target)" => format!("{} {}", request.method.to_ascii_lowercase(), request.path_and_query),
            "(created)" => created.ok_or_else(|| refuse("(created) is signed but has no value"))?.to_string(),
            "(expires)" => expires.ok_or_else(|| refuse("(expires) is signed but has no value"))?.to_string(),
            header => request.header(header).ok_or_else(|| refuse(format!("the signed header {header} is missing")))?,
        };
        lines.push(format!("{name}: {value}"));
    }
    Ok(lines.join("\n"))
}

/// `SHA-256=<base64>`, the `Digest` header of a body.
pub fn digest_header(body: &[u8]) -> String {
    format!("SHA-256={}", BASE64.encode(aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, body)))
}

/// Whether a `Digest` header's SHA-256 matches the body (other algorithms are ignored;
/// a header without SHA-256 does not match).
pub fn digest_matches(header: &str, body: &[u8]) -> bool {
    let expected = digest_header(body);
    header.split(',').map(str::trim).any(|part| {
        part.split_once('=').is_some_and(|(algorithm, value)| {
            algorithm.eq_ignore_ascii_case("sha-256") && format!("SHA-256={value}") == expected
        })
    })
}

/// Signs a request as Mastodon does: RSA-SHA256 over `covered`, and returns the
/// `Signature` header value.
pub fn sign(
    private_key_pem: &str,
    key_id: &str,
    covered: &[&str],
    request: &SignedRequest<'_>,
) -> Result<String, SignatureError> {
    let covered: Vec<String> = covered.iter().map(|h| h.to_ascii_lowercase()).collect();
    let text = signing_string(&covered, request, None, None)?;
    let key = private_key(private_key_pem)?;
    let mut signature = vec![0; key.public_modulus_len()];
    key.sign(&signature::RSA_PKCS1_SHA256, &SystemRandom::new(), text.as_bytes(), &mut signature)
        .map_err(|_| refuse("signing failed"))?;
    Ok(format!(
        "keyId=\"{key_id}\",algorithm=\"rsa-sha256\",headers=\"{}\",signature=\"{}\"",
        covered.join(" "),
        BASE64.encode(signature)
    ))
}

/// Checks `header` against the request with the key's owner's public key. RSA with
/// SHA-256 only, under the names `rsa-sha256` and `hs2019` (or none), as Mastodon.
pub fn verify(
    header: &SignatureHeader,
    request: &SignedRequest<'_>,
    public_key_pem: &str,
) -> Result<(), SignatureError> {
    match header.algorithm.as_deref() {
        None | Some("rsa-sha256" | "hs2019") => {}
        Some(other) => return Err(refuse(format!("unsupported signature algorithm {other}"))),
    }
    let uses_created = header.headers.iter().any(|h| h == "(created)" || h == "(expires)");
    if uses_created && header.algorithm.as_deref() == Some("rsa-sha256") {
        return Err(refuse("(created) and (expires) are only allowed with hs2019"));
    }
    let text = signing_string(&header.headers, request, header.created, header.expires)?;
    let der = pem_body(public_key_pem)?;
    // Keys of 1024 bits still exist on old servers; Mastodon (OpenSSL) accepts them.
    UnparsedPublicKey::new(&signature::RSA_PKCS1_1024_8192_SHA256_FOR_LEGACY_USE_ONLY, der)
        .verify(text.as_bytes(), &header.signature)
        .map_err(|_| refuse("the signature does not match"))
}

/// How far a signature's time may lie in the future, and how long past its expiry it is
/// still taken: Mastodon's allowance for clock skew.
const CLOCK_SKEW_SECONDS: i64 = 60 * 60;
/// Lifetime of a signature that states no `expires`.
const DEFAULT_LIFETIME_SECONDS: i64 = 5 * 60;
/// The longest lifetime a signature may claim.
const MAX_LIFETIME_SECONDS: i64 = 12 * 60 * 60;

/// Mastodon's time window: the signature's time (`created`, else the signed `Date`) may
/// be at most an hour ahead; it lasts until `expires` (at most 12 hours after it was
/// made) or 5 minutes, plus an hour of skew. `now` is in Unix seconds.
pub fn check_time(header: &SignatureHeader, request: &SignedRequest<'_>, now: i64) -> Result<(), SignatureError> {
    // A `created` or `expires` the signature does not cover could be rewritten by anyone.
    let covers = |name: &str| header.headers.iter().any(|h| h == name);
    let created = header.created.filter(|_| covers("(created)"));
    let expires = header.expires.filter(|_| covers("(expires)"));
    let signed_at = match created {
        Some(created) => created,
        None => {
            if !header.headers.iter().any(|h| h == "date") {
                return Err(refuse("the signature covers neither date nor (created)"));
            }
            let date = request.header("date").ok_or_else(|| refuse("the Date header is missing"))?;
            parse_http_date(&date).ok_or_else(|| refuse(format!("unreadable Date header {date}")))?
        }
    };
    check_window(signed_at, expires, now)
}

/// The same window for a signature made at `signed_at` that may state its expiry:
/// RFC 9421's `created` and `expires` are read as draft-cavage's.
pub fn check_window(signed_at: i64, expires: Option<i64>, now: i64) -> Result<(), SignatureError> {
    if signed_at > now + CLOCK_SKEW_SECONDS {
        return Err(refuse("the signature was made in the future"));
    }
    let expires = expires.unwrap_or(signed_at + DEFAULT_LIFETIME_SECONDS);
    if expires - signed_at > MAX_LIFETIME_SECONDS {
        return Err(refuse("the signature claims too long a lifetime"));
    }
    if now > expires + CLOCK_SKEW_SECONDS {
        return Err(refuse("the signature has expired"));
    }
    Ok(())
}

/// `Sun, 05 Jan 2014 21:31:40 GMT` (RFC 9110's IMF-fixdate) as Unix seconds.
pub fn parse_http_date(text: &str) -> Option<i64> {
    let format = time::macros::format_description!(
        "[weekday repr:short], [day] [month repr:short] [year] [hour]:[minute]:[second] GMT"
    );
    time::PrimitiveDateTime::parse(text.trim(), &format).ok().map(|t| t.assume_utc().unix_timestamp())
}

/// The `Date` header for a request made at `now` (Unix seconds).
pub fn http_date(now: i64) -> String {
    let format = time::macros::format_description!(
        "[weekday repr:short], [day] [month repr:short] [year] [hour]:[minute]:[second] GMT"
    );
    time::OffsetDateTime::from_unix_timestamp(now).ok().and_then(|t| t.format(&format).ok()).unwrap_or_default()
}

/// Keys parsed so far, by their PEM: parsing (with its checks) costs more than two
/// signatures, and a server signs with few keys, over and over.
static PARSED_KEYS: std::sync::Mutex<Option<HashMap<String, Arc<KeyPair>>>> = std::sync::Mutex::new(None);
const PARSED_KEYS_MAX: usize = 4096;

pub(crate) fn private_key(pem: &str) -> Result<Arc<KeyPair>, SignatureError> {
    if let Some(key) = PARSED_KEYS.lock().ok().and_then(|cache| cache.as_ref()?.get(pem).cloned()) {
        return Ok(key);
    }
    let der = pem_body(pem)?;
    let key = if pem.contains("BEGIN RSA PRIVATE KEY") { KeyPair::from_der(&der) } else { KeyPair::from_pkcs8(&der) };
    let key = Arc::new(key.map_err(|e| refuse(format!("unusable private key: {e}")))?);
    if let Ok(mut cache) = PARSED_KEYS.lock() {
        let cache = cache.get_or_insert_with(HashMap::new);
        if cache.len() >= PARSED_KEYS_MAX
            && let Some(old) = cache.keys().next().cloned()
        {
            cache.remove(&old);
        }
        cache.insert(pem.to_owned(), key.clone());
    }
    Ok(key)
}

/// The DER inside a PEM block.
pub(crate) fn pem_body(pem: &str) -> Result<Vec<u8>, SignatureError> {
    let body: String =
        pem.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with("-----")).collect::<Vec<_>>().concat();
    BASE64.decode(body).map_err(|_| refuse("the key is not PEM"))
}

#[cfg(test)]
#[path = "signature_tests.rs"]
mod tests;
