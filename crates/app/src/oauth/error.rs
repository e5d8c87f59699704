use std::fmt;

/// An error as RFC 6749 names them (`invalid_grant`, `invalid_client`, ...), with a
/// description for the developer of the app.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OAuthError {
    pub error: &'static str,
    pub description: String,
}

impl OAuthError {
    pub fn new(error: &'static str, description: impl Into<String>) -> Self {
        Self { error, description: description.into() }
    }

    pub fn invalid_client() -> Self {
        Self::new(
            "invalid_client",
            "Client authentication failed due to unknown client, no client authentication included, or unsupported \
             authentication method.",
        )
    }

    pub fn invalid_grant() -> Self {
        Self::new(
            "invalid_grant",
            "The provided authorization grant is invalid, expired, revoked, does not match the redirection URI used \
             in the authorization request, or was issued to another client.",
        )
    }

    pub fn invalid_scope() -> Self {
        Self::new("invalid_scope", "The requested scope is invalid, unknown, or malformed.")
    }
}

impl fmt::Display for OAuthError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.error, self.description)
    }
}

impl std::error::Error for OAuthError {}
