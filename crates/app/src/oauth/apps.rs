//! Registering client apps (`POST /api/v1/apps`) and checking their credentials.

use domain::oauth::OOB_REDIRECT_URI;
use domain::{Application, NewApplication, Scopes, ValidationError};

use super::{OAuthError, digest_hex, new_secret};
use crate::{App, AppError, Result, now_millis};

const MAX_NAME_CHARS: usize = 60;

/// What an app sends to register. `redirect_uris` may hold several URIs, one per line.
#[derive(Debug, Clone, Default)]
pub struct RegisterApplication {
    pub name: String,
    pub redirect_uris: Vec<String>,
    pub scopes: String,
    pub website: Option<String>,
}

/// Stores a new app; returns it with its client secret, which is shown only now.
pub async fn register_application(app: &App, input: RegisterApplication) -> Result<(Application, String)> {
    let mut invalid = ValidationError::default();
    let name = input.name.trim().to_owned();
    if name.is_empty() {
        invalid.push(ValidationError::field("name", "ERR_BLANK", "can't be blank"));
    } else if name.chars().count() > MAX_NAME_CHARS {
        invalid.push(ValidationError::field("name", "ERR_TOO_LONG", "is too long (maximum is 60 characters)"));
    }
    let redirect_uris: Vec<String> = input
        .redirect_uris
        .iter()
        .flat_map(|v| v.split(['\n', '\r']))
        .map(str::trim)
        .filter(|u| !u.is_empty())
        .map(str::to_owned)
        .collect();
    if redirect_uris.is_empty() {
        invalid.push(ValidationError::field("redirect_uri", "ERR_BLANK", "can't be blank"));
    } else if let Some(bad) = redirect_uris.iter().find(|u| !redirect_uri_allowed(u)) {
        invalid.push(ValidationError::field("redirect_uri", "ERR_INVALID", format!("must be an absolute URI: {bad}")));
    }
    let scopes = Scopes::parse(&input.scopes).map_err(|e| invalid.push(e)).ok();
    let website = input.website.map(|w| w.trim().to_owned()).filter(|w| !w.is_empty());
    if website.as_deref().is_some_and(|w| !(w.starts_with("https://") || w.starts_with("http://"))) {
        invalid.push(ValidationError::field("website", "ERR_INVALID", "is not a valid URL"));
    }
    let Some(scopes) = scopes.filter(|_| invalid.is_empty()) else { return Err(invalid.into()) };

    let client_secret = new_secret()?;
    let application = Application {
        id: app.ids().next(),
        name,
        website,
        redirect_uris,
        scopes,
        client_id: new_secret()?,
        created_at: now_millis(),
    };
    let new = NewApplication { application: application.clone(), client_secret_sha256: digest_hex(&client_secret) };
    app.store().insert_application(&new).await?;
    Ok((application, client_secret))
}

/// The app these credentials belong to, or `invalid_client`.
pub async fn verify_client(app: &App, client_id: &str, client_secret: &str) -> Result<Application> {
    app.store()
        .find_application_by_credentials(client_id, &digest_hex(client_secret))
        .await?
        .ok_or_else(|| AppError::OAuth(OAuthError::invalid_client()))
}

/// An absolute URI without a fragment, or the out-of-band marker. Custom schemes
/// (`com.tapbots.Ivory.1234:/request_token`) are fine; script-carrying ones are not.
fn redirect_uri_allowed(uri: &str) -> bool {
    if uri == OOB_REDIRECT_URI {
        return true;
    }
    let Some((scheme, rest)) = uri.split_once(':') else { return false };
    let scheme_ok = scheme.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && scheme.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    let lower = scheme.to_ascii_lowercase();
    let dangerous = matches!(lower.as_str(), "javascript" | "data" | "vbscript" | "file");
    let web_needs_host = !matches!(lower.as_str(), "http" | "https")
        || rest.strip_prefix("//").is_some_and(|r| !r.is_empty() && !r.starts_with('/'));
    scheme_ok
        && !dangerous
        && web_needs_host
        && !rest.is_empty()
        && !uri.contains('#')
        && !uri.contains(char::is_whitespace)
}

#[cfg(test)]
mod tests {
    use super::redirect_uri_allowed;

    #[test]
    fn accepts_what_real_apps_register() {
        for ok in [
            "urn:ietf:wg:oauth:2.0:oob",
            "https://elk.zone/api/mastodon.social/oauth",
            "http://localhost:4000/callback",
            "com.tapbots.Ivory.19300:/request_token",
            "tusky://oauth",
        ] {
            assert!(redirect_uri_allowed(ok), "{ok}");
        }
        for bad in [
            "",
            "/relative",
            "javascript:alert(1)",
            "https://",
            "https:///path",
            "https://x.example/#frag",
            "no scheme",
        ] {
            assert!(!redirect_uri_allowed(bad), "{bad}");
        }
    }
}
