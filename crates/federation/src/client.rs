//! The one HTTP client for requests to other servers: signed GETs of ActivityPub
//! documents, unsigned GETs of WebFinger, and signed POSTs to inboxes.
//!
//! Guarded against server-side request forgery: names resolve only to global
//! addresses (unless private ones are allowed), IP literals are checked before a
//! connection is made, and redirects are followed here, at most [`MAX_REDIRECTS`],
//! each hop checked and signed anew. Bodies are capped while they stream in.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use reqwest::dns::{Addrs, Name, Resolve, Resolving};
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use reqwest::{Method, Url};

use crate::addresses::is_global;
use crate::signature::{self, SignedRequest};

/// Mastodon follows at most two redirects; a few more costs nothing.
pub const MAX_REDIRECTS: usize = 3;
/// About Mastodon's cap on ActivityPub and WebFinger documents.
pub const MAX_JSON_BYTES: usize = 1024 * 1024;
const ACTIVITY_ACCEPT: &str =
    "application/activity+json, application/ld+json; profile=\"https://www.w3.org/ns/activitystreams\"";
pub const ACTIVITY_CONTENT_TYPE: &str = "application/activity+json";

#[derive(Debug, Clone)]
pub struct ClientConfig {
    /// Let requests reach loopback and private networks (local test setups).
    pub allow_private_addresses: bool,
    pub user_agent: String,
    pub connect_timeout: Duration,
    pub request_timeout: Duration,
}

/// Who signs a request: the key's id (`…#main-key`) and its private key in PEM.
#[derive(Clone)]
pub struct Signer {
    pub key_id: String,
    pub private_key_pem: String,
}

impl std::fmt::Debug for Signer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Signer").field("key_id", &self.key_id).finish_non_exhaustive()
    }
}

#[derive(Debug, thiserror::Error)]
pub enum FetchError {
    /// The address is not one this server may reach, or the URL is unusable.
    #[error("refused: {0}")]
    Refused(String),
    /// The other server answered with this status.
    #[error("the server answered {0}")]
    Status(u16),
    #[error("the answer is larger than {0} bytes")]
    TooLarge(usize),
    #[error("the answer is not JSON: {0}")]
    NotJson(String),
    #[error("{0}")]
    Network(String),
}

impl FetchError {
    /// Worth trying again later: network trouble, 5xx, and the 4xx Mastodon retries
    /// (401 for a key not yet known, 408, 429).
    pub fn is_temporary(&self) -> bool {
        match self {
            FetchError::Network(_) => true,
            FetchError::Status(code) => *code >= 500 || matches!(code, 401 | 408 | 429),
            _ => false,
        }
    }
}

/// A fetched document and the URL it finally came from (after redirects).
#[derive(Debug)]
pub struct Fetched {
    pub url: Url,
    pub json: serde_json::Value,
}

#[derive(Clone)]
pub struct Client {
    http: reqwest::Client,
    allow_private: bool,
}

impl Client {
    pub fn new(config: &ClientConfig) -> Result<Client, FetchError> {
        let http = reqwest::Client::builder()
            .user_agent(config.user_agent.clone())
            .redirect(reqwest::redirect::Policy::none())
            .no_proxy()
            .connect_timeout(config.connect_timeout)
            .timeout(config.request_timeout)
            .pool_idle_timeout(Duration::from_secs(60))
            .dns_resolver(Arc::new(GuardedResolver { allow_private: config.allow_private_addresses }))
            .build()
            .map_err(|e| FetchError::Network(format!("cannot build the HTTP client: {e}")))?;
        Ok(Client { http, allow_private: config.allow_private_addresses })
    }

    /// A signed GET of an ActivityPub document, as Mastodon fetches (so servers in
    /// authorized-fetch mode answer).
    pub async fn get_activity(&self, url: &str, signer: &Signer) -> Result<Fetched, FetchError> {
        self.get_json(url, ACTIVITY_ACCEPT, Some(signer)).await
    }

    /// A GET of a JSON document (WebFinger, NodeInfo), signed when a signer is given.
    pub async fn get_json(&self, url: &str, accept: &str, signer: Option<&Signer>) -> Result<Fetched, FetchError> {
        let (url, body) = self.get(url, accept, signer, MAX_JSON_BYTES).await?;
        let json = serde_json::from_slice(&body).map_err(|e| FetchError::NotJson(e.to_string()))?;
        Ok(Fetched { url, json })
    }

    /// An unsigned GET of a file (a remote post's picture), at most `max_bytes` long.
    pub async fn get_file(&self, url: &str, max_bytes: usize) -> Result<Vec<u8>, FetchError> {
        Ok(self.get(url, "*/*", None, max_bytes).await?.1)
    }

    /// A GET following redirects (each one checked), with its body capped; the URL it
    /// finally came from and the body.
    async fn get(
        &self,
        url: &str,
        accept: &str,
        signer: Option<&Signer>,
        max_bytes: usize,
    ) -> Result<(Url, Vec<u8>), FetchError> {
        let mut url = self.check(url)?;
        for _ in 0..=MAX_REDIRECTS {
            let mut headers = HeaderMap::new();
            headers.insert(reqwest::header::ACCEPT, value(accept)?);
            if let Some(signer) = signer {
                sign_into(&mut headers, signer, &Method::GET, &url, &["(request-target)", "host", "date", "accept"])?;
            }
            let response = self.http.get(url.clone()).headers(headers).send().await.map_err(network)?;
            let status = response.status();
            if status.is_redirection() {
                url = self.redirect_target(&url, response.headers())?;
                continue;
            }
            if !status.is_success() {
                return Err(FetchError::Status(status.as_u16()));
            }
            let body = read_capped(response, max_bytes).await?;
            return Ok((url, body));
        }
        Err(FetchError::Refused(format!("more than {MAX_REDIRECTS} redirects")))
    }

    /// A signed POST of an activity to an inbox, as Mastodon delivers. Returns the
    /// status of a successful answer; any other answer is an error.
    pub async fn post_activity(&self, inbox: &str, body: Vec<u8>, signer: &Signer) -> Result<u16, FetchError> {
        let url = self.check(inbox)?;
        let mut headers = HeaderMap::new();
        headers.insert(reqwest::header::CONTENT_TYPE, value(ACTIVITY_CONTENT_TYPE)?);
        headers.insert(HeaderName::from_static("digest"), value(&signature::digest_header(&body))?);
        sign_into(
            &mut headers,
            signer,
            &Method::POST,
            &url,
            &["(request-target)", "host", "date", "digest", "content-type"],
        )?;
        let response = self.http.post(url).headers(headers).body(body).send().await.map_err(network)?;
        let status = response.status();
        // Read a little of the answer so the connection can be reused.
        let _ = read_capped(response, 64 * 1024).await;
        if status.is_success() { Ok(status.as_u16()) } else { Err(FetchError::Status(status.as_u16())) }
    }

    fn redirect_target(&self, from: &Url, headers: &HeaderMap) -> Result<Url, FetchError> {
        let location = headers
            .get(reqwest::header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .ok_or_else(|| FetchError::Refused("a redirect without a location".into()))?;
        let next = from.join(location).map_err(|_| FetchError::Refused(format!("unusable redirect {location}")))?;
        self.check(next.as_str())
    }

    /// Parses `url` and refuses schemes other than http(s), credentials, and IP
    /// literals this client may not reach (names are checked when they resolve).
    pub fn check(&self, url: &str) -> Result<Url, FetchError> {
        let url = Url::parse(url).map_err(|_| FetchError::Refused(format!("not a URL: {url}")))?;
        if !matches!(url.scheme(), "https" | "http") {
            return Err(FetchError::Refused(format!("{} is not http or https", url.scheme())));
        }
        if !url.username().is_empty() || url.password().is_some() {
            return Err(FetchError::Refused("URLs with credentials are refused".into()));
        }
        let literal = match url.host() {
            Some(url::Host::Ipv4(ip)) => Some(IpAddr::V4(ip)),
            Some(url::Host::Ipv6(ip)) => Some(IpAddr::V6(ip)),
            Some(url::Host::Domain(_)) => None,
            None => return Err(FetchError::Refused("a URL without a host".into())),
        };
        if let Some(ip) = literal
            && !self.allow_private
            && !is_global(ip)
        {
            return Err(FetchError::Refused(format!("{ip} is not a public address")));
        }
        Ok(url)
    }
}

/// `host` as signed and sent: the name, with the port when it is not the default.
pub fn host_header(url: &Url) -> String {
    let host = url.host_str().unwrap_or_default();
    match url.port() {
        Some(port) => format!("{host}:{port}"),
        None => host.to_owned(),
    }
}

fn sign_into(
    headers: &mut HeaderMap,
    signer: &Signer,
    method: &Method,
    url: &Url,
    covered: &[&str],
) -> Result<(), FetchError> {
    let host = host_header(url);
    let date = signature::http_date(unix_seconds());
    headers.insert(reqwest::header::HOST, value(&host)?);
    headers.insert(reqwest::header::DATE, value(&date)?);
    let path_and_query = match url.query() {
        Some(query) => format!("{}?{query}", url.path()),
        None => url.path().to_owned(),
    };
    let pairs: Vec<(String, String)> =
        headers.iter().map(|(name, v)| (name.as_str().to_owned(), v.to_str().unwrap_or_default().to_owned())).collect();
    let borrowed: Vec<(&str, &str)> = pairs.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect();
    let request = SignedRequest { method: method.as_str(), path_and_query: &path_and_query, headers: &borrowed };
    let header = signature::sign(&signer.private_key_pem, &signer.key_id, covered, &request)
        .map_err(|e| FetchError::Refused(format!("cannot sign: {e}")))?;
    headers.insert(HeaderName::from_static("signature"), value(&header)?);
    Ok(())
}

fn value(text: &str) -> Result<HeaderValue, FetchError> {
    HeaderValue::from_str(text).map_err(|_| FetchError::Refused(format!("not a header value: {text}")))
}

fn network(e: reqwest::Error) -> FetchError {
    // The chain says why (refused address, timeout, TLS); the top line rarely does.
    let mut text = e.to_string();
    let mut source = std::error::Error::source(&e);
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    FetchError::Network(text)
}

async fn read_capped(mut response: reqwest::Response, cap: usize) -> Result<Vec<u8>, FetchError> {
    if response.content_length().is_some_and(|n| n > cap as u64) {
        return Err(FetchError::TooLarge(cap));
    }
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await.map_err(network)? {
        if body.len() + chunk.len() > cap {
            return Err(FetchError::TooLarge(cap));
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

fn unix_seconds() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs() as i64)
}

/// Resolves through the system resolver and keeps only addresses this client may reach.
struct GuardedResolver {
    allow_private: bool,
}

impl Resolve for GuardedResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let allow_private = self.allow_private;
        let host = name.as_str().to_owned();
        Box::pin(async move {
            let found: Vec<SocketAddr> = tokio::net::lookup_host((host.as_str(), 0)).await?.collect();
            let allowed: Vec<SocketAddr> =
                found.iter().copied().filter(|a| allow_private || is_global(a.ip())).collect();
            if allowed.is_empty() {
                let why = if found.is_empty() { "has no address" } else { "resolves only to non-public addresses" };
                return Err(format!("{host} {why}").into());
            }
            let addrs: Addrs = Box::new(allowed.into_iter());
            Ok(addrs)
        })
    }
}
