//! OAuth 2 as Mastodon does it: apps register, people approve them in the browser
//! (authorization code, with PKCE), apps exchange codes for bearer tokens, and every
//! API call presents one. Secrets (client secrets, codes, tokens, session ids) are
//! random 256-bit values, stored only as SHA-256 digests.

mod apps;
mod authorize;
mod error;
mod sessions;
mod tokens;

pub use apps::{RegisterApplication, register_application, verify_client};
pub use authorize::{
    AuthorizationRequest, AuthorizeQuery, Decision, check_authorization_request, decide_authorization,
    grant_authorization_code, prepare_authorization,
};
pub use error::OAuthError;
pub use sessions::{
    SessionInfo, authorized_applications, change_password, end_session, end_session_by_handle, list_sessions,
    revoke_application, session_account, start_session,
};
pub(crate) use tokens::issue_for_new_user;
pub use tokens::{
    Caller, IssuedToken, TokenRequest, authenticate_bearer, client_credentials_token, exchange_code, revoke_token,
};

use aws_lc_rs::digest;
use base64::Engine as _;

use crate::{AppError, random_bytes};

/// A new secret: 32 random bytes, base64url without padding (43 characters).
pub(crate) fn new_secret() -> Result<String, AppError> {
    Ok(base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(random_bytes::<32>()?))
}

/// A token for a web form (CSRF protection).
pub fn new_form_token() -> Result<String, AppError> {
    new_secret()
}

/// A short, non-reversible key for counting a token's requests.
pub fn digest_for_limits(authorization: &str) -> String {
    digest_hex(authorization)[..16].to_owned()
}

/// What is stored in place of a secret.
pub(crate) fn digest_hex(secret: &str) -> String {
    domain::hex(digest::digest(&digest::SHA256, secret.as_bytes()).as_ref())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_long_random_and_digested() {
        let (a, b) = (new_secret().unwrap(), new_secret().unwrap());
        assert_eq!(a.len(), 43);
        assert_ne!(a, b);
        assert_eq!(digest_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }
}
