//! Mastodon's paging: `max_id`, `since_id`, `min_id` and `limit` in, a `Link` header
//! with `next` (older) and `prev` (newer) out.

use axum::http::{HeaderMap, HeaderValue, Uri, header};
use domain::{Id, Page};
use serde::Deserialize;

use crate::params::lenient;

#[derive(Debug, Deserialize, Default)]
pub(crate) struct PageParams {
    #[serde(default, deserialize_with = "lenient::opt_string")]
    max_id: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    since_id: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    min_id: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_i64")]
    limit: Option<i64>,
}

impl PageParams {
    /// A malformed id is ignored, as Mastodon ignores it; the limit is clamped.
    pub(crate) fn page(&self, default: u32, max: u32) -> Page {
        let id = |s: &Option<String>| s.as_deref().and_then(|s| s.parse::<Id>().ok());
        Page::new(id(&self.max_id), id(&self.since_id), id(&self.min_id), self.limit, default, max)
    }

    /// Whether this asks for a page other than the newest.
    pub(crate) fn is_paged(&self) -> bool {
        self.max_id.is_some() || self.since_id.is_some() || self.min_id.is_some()
    }
}

/// The `Link` header for a page whose items run from `newest` to `oldest` (by the ids
/// they are paged on); none for an empty page.
pub(crate) fn link_header(base_url: &str, uri: &Uri, newest: Option<Id>, oldest: Option<Id>) -> HeaderMap {
    let mut headers = HeaderMap::new();
    let (Some(newest), Some(oldest)) = (newest, oldest) else { return headers };
    let kept: Vec<(String, String)> = uri
        .query()
        .map(|q| {
            form_urlencoded::parse(q.as_bytes())
                // Never echo a token into a header that proxies and caches may keep.
                .filter(|(k, _)| !matches!(k.as_ref(), "max_id" | "since_id" | "min_id" | "access_token"))
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect()
        })
        .unwrap_or_default();
    let url = |key: &str, id: Id| {
        let mut query = form_urlencoded::Serializer::new(String::new());
        for (k, v) in &kept {
            query.append_pair(k, v);
        }
        query.append_pair(key, &id.to_string());
        format!("{base_url}{}?{}", uri.path(), query.finish())
    };
    let value = format!("<{}>; rel=\"next\", <{}>; rel=\"prev\"", url("max_id", oldest), url("min_id", newest));
    if let Ok(value) = HeaderValue::from_str(&value) {
        headers.insert(header::LINK, value);
    }
    headers
}
