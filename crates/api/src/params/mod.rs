//! Request parameters as Mastodon apps send them: in the query string, a urlencoded or
//! multipart form, or a JSON body, with Rails' bracket spellings (`media_ids[]=1`,
//! `source[privacy]=public`, `fields_attributes[0][name]=x`). All are merged into one
//! JSON object (the body wins over the query) and deserialised into the handler's type.

pub(crate) mod lenient;
mod nested;

use axum::body::Bytes;
use axum::extract::{FromRequest, Multipart, Request};
use axum::http::{Method, StatusCode, header};
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use crate::ApiError;
use nested::{insert_pair, merge};

/// Largest body a parameter extractor reads (media uploads are larger and come later).
const MAX_BODY_BYTES: usize = 16 * 1024 * 1024;

/// A file sent in a multipart form.
#[derive(Debug, Clone)]
pub(crate) struct UploadedFile {
    pub field: String,
    /// The file as sent; its name and declared type are not believed, so not kept.
    pub bytes: Bytes,
}

/// The handler's parameters, from wherever the client put them.
#[derive(Debug)]
pub(crate) struct Params<T> {
    pub value: T,
    pub files: Vec<UploadedFile>,
}

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for Params<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        let mut root = Map::new();
        if let Some(query) = req.uri().query() {
            for (key, value) in form_urlencoded::parse(query.as_bytes()) {
                insert_pair(&mut root, &key, Value::String(value.into_owned()));
            }
        }
        let mut files = Vec::new();
        if req.method() != Method::GET && req.method() != Method::HEAD {
            let content_type = req
                .headers()
                .get(header::CONTENT_TYPE)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("")
                .to_ascii_lowercase();
            if content_type.starts_with("multipart/form-data") {
                read_multipart(req, state, &mut root, &mut files).await?;
            } else {
                let body = axum::body::to_bytes(req.into_body(), MAX_BODY_BYTES)
                    .await
                    .map_err(|_| ApiError::new(StatusCode::PAYLOAD_TOO_LARGE, "Request body is too large"))?;
                read_body(&content_type, &body, &mut root)?;
            }
        }
        let value = serde_json::from_value(Value::Object(root)).map_err(reject)?;
        Ok(Params { value, files })
    }
}

fn read_body(content_type: &str, body: &[u8], root: &mut Map<String, Value>) -> Result<(), ApiError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(());
    }
    if content_type.starts_with("application/json") || content_type.contains("+json") {
        match serde_json::from_slice::<Value>(body) {
            Ok(Value::Object(object)) => merge(root, object),
            Ok(_) => return Err(ApiError::new(StatusCode::BAD_REQUEST, "The request body must be a JSON object")),
            Err(e) => {
                return Err(ApiError::new(
                    StatusCode::BAD_REQUEST,
                    format!("Error occurred while parsing request parameters: {e}"),
                ));
            }
        }
    } else {
        // urlencoded, also when a client sends a form without saying so.
        for (key, value) in form_urlencoded::parse(body) {
            insert_pair(root, &key, Value::String(value.into_owned()));
        }
    }
    Ok(())
}

async fn read_multipart<S: Send + Sync>(
    req: Request,
    state: &S,
    root: &mut Map<String, Value>,
    files: &mut Vec<UploadedFile>,
) -> Result<(), ApiError> {
    let bad = |e: String| ApiError::new(StatusCode::BAD_REQUEST, format!("Invalid multipart body: {e}"));
    let mut multipart = Multipart::from_request(req, state).await.map_err(|e| bad(e.body_text()))?;
    while let Some(field) = multipart.next_field().await.map_err(|e| bad(e.body_text()))? {
        let name = field.name().unwrap_or("").to_owned();
        match field.file_name() {
            Some(_) => {
                let bytes = field.bytes().await.map_err(|e| match e.status() {
                    StatusCode::PAYLOAD_TOO_LARGE => ApiError::new(e.status(), "Request body is too large"),
                    _ => bad(e.body_text()),
                })?;
                files.push(UploadedFile { field: name, bytes });
            }
            None => {
                let text = field.text().await.map_err(|e| bad(e.body_text()))?;
                insert_pair(root, &name, Value::String(text));
            }
        }
    }
    Ok(())
}

/// A missing parameter is a 400, as Rails' `params.require`; a malformed one a 422.
fn reject(e: serde_json::Error) -> ApiError {
    let message = e.to_string();
    if let Some(rest) = message.strip_prefix("missing field `") {
        let field = rest.split('`').next().unwrap_or("");
        ApiError::new(StatusCode::BAD_REQUEST, format!("param is missing or the value is empty: {field}"))
    } else {
        ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, format!("Validation failed: {message}"))
    }
}

#[cfg(test)]
mod tests;
