//! `POST /oauth/token` and `POST /oauth/revoke`.

use app::App;
use app::oauth::TokenRequest;
use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use base64::Engine as _;
use serde::Deserialize;

use super::entities::TokenEntity;
use crate::ApiError;
use crate::params::{Params, lenient};

#[derive(Debug, Deserialize)]
pub(super) struct TokenParams {
    #[serde(default, deserialize_with = "lenient::opt_string")]
    grant_type: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    client_id: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    client_secret: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    code: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    redirect_uri: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    code_verifier: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    scope: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    token: Option<String>,
}

pub(super) async fn create_token(
    State(app): State<App>,
    headers: HeaderMap,
    Params { value: p, .. }: Params<TokenParams>,
) -> Result<Json<TokenEntity>, ApiError> {
    let (client_id, client_secret) = client_credentials(&headers, &p);
    let request = TokenRequest {
        grant_type: p.grant_type.unwrap_or_default(),
        client_id,
        client_secret,
        code: p.code,
        redirect_uri: p.redirect_uri,
        code_verifier: p.code_verifier,
        scope: p.scope,
    };
    let issued = match request.grant_type.as_str() {
        "authorization_code" => app::oauth::exchange_code(&app, request).await?,
        "client_credentials" => app::oauth::client_credentials_token(&app, request).await?,
        _ => {
            return Err(app::AppError::OAuth(app::oauth::OAuthError::new(
                "unsupported_grant_type",
                "The authorization grant type is not supported by the authorization server.",
            ))
            .into());
        }
    };
    Ok(Json(TokenEntity::new(issued)))
}

pub(super) async fn revoke_token(
    State(app): State<App>,
    headers: HeaderMap,
    Params { value: p, .. }: Params<TokenParams>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let (client_id, client_secret) = client_credentials(&headers, &p);
    let token = p.token.unwrap_or_default();
    if token.is_empty() {
        return Err(ApiError::new(StatusCode::BAD_REQUEST, "param is missing or the value is empty: token"));
    }
    app::oauth::revoke_token(&app, &client_id, &client_secret, &token).await?;
    Ok(Json(serde_json::json!({})))
}

/// `client_secret_basic` (an `Authorization: Basic` header) or `client_secret_post`.
fn client_credentials(headers: &HeaderMap, p: &TokenParams) -> (String, String) {
    let basic = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Basic ").or_else(|| v.strip_prefix("basic ")))
        .and_then(|b64| base64::engine::general_purpose::STANDARD.decode(b64.trim()).ok())
        .and_then(|bytes| String::from_utf8(bytes).ok())
        .and_then(|pair| {
            let (id, secret) = pair.split_once(':')?;
            let decode =
                |s: &str| form_urlencoded::parse(format!("x={s}").as_bytes()).next().map(|(_, v)| v.into_owned());
            Some((decode(id)?, decode(secret)?))
        });
    basic.unwrap_or_else(|| (p.client_id.clone().unwrap_or_default(), p.client_secret.clone().unwrap_or_default()))
}
