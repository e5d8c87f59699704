//! Media in S3-compatible object storage, so that several nodes share one set of
//! files: objects addressed path-style (`ENDPOINT/BUCKET/KEY`, which every
//! S3-compatible server answers), each request signed with Signature Version 4.
//!
//! The endpoint is the operator's own (often on a private network), so it is reached
//! with a client of its own, not the guarded one that talks to other servers.

use std::time::Duration;

use super::sigv4::{Credentials, Request, authorization, sha256_hex, uri_encode};
use crate::{AppError, Result};

/// Where the bucket is and who may use it.
#[derive(Debug, Clone)]
pub struct S3Config {
    /// `https://s3.eu-central-1.amazonaws.com`, `http://127.0.0.1:9000`.
    pub endpoint: String,
    pub bucket: String,
    pub credentials: Credentials,
}

/// The largest object read back: a video upload, with room to spare.
const MAX_OBJECT_BYTES: usize = domain::limits::VIDEO_SIZE_LIMIT as usize + 1024 * 1024;

#[derive(Debug, Clone)]
pub struct S3Bucket {
    http: reqwest::Client,
    endpoint: url::Url,
    bucket: String,
    credentials: Credentials,
}

impl S3Bucket {
    pub fn new(config: &S3Config) -> Result<S3Bucket> {
        let endpoint = url::Url::parse(&config.endpoint)
            .ok()
            .filter(|u| matches!(u.scheme(), "http" | "https") && u.host_str().is_some())
            .ok_or_else(|| {
                AppError::Internal(format!("the S3 endpoint `{}` is not an http(s) URL", config.endpoint))
            })?;
        let http = reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(5))
            .timeout(Duration::from_secs(60))
            .build()
            .map_err(|e| AppError::Internal(format!("cannot build the S3 client: {e}")))?;
        Ok(S3Bucket { http, endpoint, bucket: config.bucket.clone(), credentials: config.credentials.clone() })
    }

    pub async fn put(&self, key: &str, bytes: &[u8]) -> Result<()> {
        let response = self.send(reqwest::Method::PUT, key, bytes.to_vec()).await?;
        match response.status() {
            s if s.is_success() => Ok(()),
            s => Err(self.failed("storing", key, s, response).await),
        }
    }

    /// An object's bytes; `None` when there is none under the key.
    pub async fn get(&self, key: &str) -> Result<Option<Vec<u8>>> {
        let mut response = self.send(reqwest::Method::GET, key, Vec::new()).await?;
        match response.status() {
            reqwest::StatusCode::NOT_FOUND => Ok(None),
            s if s.is_success() => {
                let mut body = Vec::new();
                while let Some(chunk) = response.chunk().await.map_err(|e| self.network("reading", key, e))? {
                    if body.len() + chunk.len() > MAX_OBJECT_BYTES {
                        return Err(AppError::Internal(format!("the S3 object {key} is too large")));
                    }
                    body.extend_from_slice(&chunk);
                }
                Ok(Some(body))
            }
            s => Err(self.failed("reading", key, s, response).await),
        }
    }

    /// Deletes an object; nothing under the key is fine.
    pub async fn delete(&self, key: &str) -> Result<()> {
        let response = self.send(reqwest::Method::DELETE, key, Vec::new()).await?;
        match response.status() {
            s if s.is_success() || s == reqwest::StatusCode::NOT_FOUND => Ok(()),
            s => Err(self.failed("deleting", key, s, response).await),
        }
    }

    async fn send(&self, method: reqwest::Method, key: &str, body: Vec<u8>) -> Result<reqwest::Response> {
        let path = format!("{}/{}/{key}", self.endpoint.path().trim_end_matches('/'), self.bucket);
        let host = match self.endpoint.port() {
            Some(port) => format!("{}:{port}", self.endpoint.host_str().unwrap_or_default()),
            None => self.endpoint.host_str().unwrap_or_default().to_owned(),
        };
        let url = format!("{}://{host}{}", self.endpoint.scheme(), uri_encode(&path, true));
        let payload = sha256_hex(&body);
        let amz_date = amz_date(time::OffsetDateTime::now_utc());
        let signed = [("host", host.as_str()), ("x-amz-content-sha256", &payload), ("x-amz-date", &amz_date)];
        let request = Request {
            method: method.as_str(),
            path: &path,
            query: "",
            headers: &signed,
            payload_sha256: &payload,
            amz_date: &amz_date,
        };
        let auth = authorization(&self.credentials, "s3", &request);
        self.http
            .request(method, url)
            .header("x-amz-content-sha256", &payload)
            .header("x-amz-date", &amz_date)
            .header(reqwest::header::AUTHORIZATION, auth)
            .body(body)
            .send()
            .await
            .map_err(|e| self.network("reaching", key, e))
    }

    async fn failed(
        &self,
        doing: &str,
        key: &str,
        status: reqwest::StatusCode,
        response: reqwest::Response,
    ) -> AppError {
        let text = response.text().await.unwrap_or_default();
        let code = text.split("<Code>").nth(1).and_then(|t| t.split("</Code>").next()).unwrap_or("");
        AppError::Internal(format!("{doing} {key} in the S3 bucket {}: {status} {code}", self.bucket))
    }

    fn network(&self, doing: &str, key: &str, e: reqwest::Error) -> AppError {
        AppError::Internal(format!("{doing} {key} in the S3 bucket {}: {e}", self.bucket))
    }
}

/// `20130524T000000Z`.
fn amz_date(at: time::OffsetDateTime) -> String {
    format!(
        "{:04}{:02}{:02}T{:02}{:02}{:02}Z",
        at.year(),
        u8::from(at.month()),
        at.day(),
        at.hour(),
        at.minute(),
        at.second()
    )
}
