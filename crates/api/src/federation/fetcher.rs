//! The signer of a GET for an ActivityPub document, checked when authorized fetch is on.

use app::App;
use app::federation::signatures::{self, SignedHttpRequest};
use axum::extract::FromRequestParts;
use axum::http::request::Parts;

use crate::ApiError;

/// Who fetched: extracted before the handler runs, so a bad signature is a 401.
pub(crate) struct Fetcher(pub signatures::Fetcher);

impl FromRequestParts<App> for Fetcher {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, app: &App) -> Result<Self, Self::Rejection> {
        let headers: Vec<(&str, &str)> =
            parts.headers.iter().filter_map(|(n, v)| Some((n.as_str(), v.to_str().ok()?))).collect();
        let path_and_query = parts.uri.path_and_query().map_or(parts.uri.path(), |p| p.as_str());
        let request =
            SignedHttpRequest { method: parts.method.as_str(), path_and_query, headers: &headers, body: None };
        Ok(Fetcher(signatures::authorize_fetch(app, &request).await?))
    }
}
