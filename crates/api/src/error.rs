//! Errors as Mastodon sends them: `{"error": "...", "error_description"?, "details"?}`
//! with the status Mastodon uses. The cause of a server error is logged, never sent.

use app::AppError;
use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value, json};

#[derive(Debug)]
pub struct ApiError {
    status: StatusCode,
    body: Value,
}

impl ApiError {
    pub fn new(status: StatusCode, message: impl Into<String>) -> Self {
        Self { status, body: json!({ "error": message.into() }) }
    }

    pub fn not_found() -> Self {
        Self::new(StatusCode::NOT_FOUND, "Record not found")
    }

    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The message shown to the client (`error_description` when there is one).
    pub fn message(&self) -> &str {
        self.body.get("error_description").or_else(|| self.body.get("error")).and_then(|v| v.as_str()).unwrap_or("")
    }
}

impl From<AppError> for ApiError {
    fn from(e: AppError) -> Self {
        match e {
            AppError::Validation(v) => {
                let mut details = Map::new();
                for f in &v.errors {
                    let entry = details.entry(f.field).or_insert_with(|| Value::Array(Vec::new()));
                    if let Value::Array(list) = entry {
                        list.push(json!({ "error": f.code, "description": f.description }));
                    }
                }
                Self {
                    status: StatusCode::UNPROCESSABLE_ENTITY,
                    body: json!({ "error": v.to_string(), "details": details }),
                }
            }
            AppError::NotFound(_) => Self::not_found(),
            AppError::BadRequest(message) => Self::new(StatusCode::BAD_REQUEST, message),
            AppError::Unauthorized(message) => Self::new(StatusCode::UNAUTHORIZED, message),
            AppError::OAuth(e) => {
                let status =
                    if e.error == "invalid_client" { StatusCode::UNAUTHORIZED } else { StatusCode::BAD_REQUEST };
                Self { status, body: json!({ "error": e.error, "error_description": e.description }) }
            }
            AppError::Conflict(_) => Self::new(StatusCode::UNPROCESSABLE_ENTITY, "Duplicate record"),
            AppError::Unavailable(message) => Self::new(StatusCode::SERVICE_UNAVAILABLE, message),
            AppError::Forbidden(_) => Self::new(StatusCode::FORBIDDEN, "This action is not allowed"),
            AppError::Internal(cause) => {
                tracing::error!(%cause, "internal error");
                Self::internal()
            }
        }
    }
}

impl ApiError {
    pub fn internal() -> Self {
        Self::new(StatusCode::INTERNAL_SERVER_ERROR, "Internal Server Error")
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (self.status, Json(self.body)).into_response()
    }
}

/// Any route or method Rookery does not serve; Mastodon answers both with 404 and the
/// plain status phrase (a missing record is "Record not found" instead).
pub(crate) async fn route_not_found() -> ApiError {
    ApiError::no_route()
}

impl ApiError {
    /// What a path that names nothing answers, as Mastodon's router does.
    pub(crate) fn no_route() -> ApiError {
        ApiError::new(StatusCode::NOT_FOUND, "Not Found")
    }
}
