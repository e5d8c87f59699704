use domain::ValidationError;
use store::StoreError;

/// Why a use case did not do what was asked. The variants are what callers act on;
/// the cause of an `Internal` error is for the log, never for the client.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error(transparent)]
    Validation(#[from] ValidationError),
    #[error(transparent)]
    OAuth(#[from] crate::oauth::OAuthError),
    /// A request this server cannot read (not a validation of user input).
    #[error("{0}")]
    BadRequest(String),
    /// The request's signature (or other proof of who sent it) does not hold.
    #[error("{0}")]
    Unauthorized(String),
    #[error("{0} not found")]
    NotFound(&'static str),
    #[error("{0}")]
    Forbidden(&'static str),
    /// The thing exists already (a second boost, raced).
    #[error("conflict: {0}")]
    Conflict(String),
    /// Overloaded for now; the client should retry.
    #[error("{0}")]
    Unavailable(&'static str),
    #[error("internal error: {0}")]
    Internal(String),
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => AppError::NotFound("record"),
            StoreError::Conflict(what) if what == store::ALREADY_BOOSTED => AppError::Conflict(what),
            other => AppError::Internal(other.to_string()),
        }
    }
}
