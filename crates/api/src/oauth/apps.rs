//! `POST /api/v1/apps` and `GET /api/v1/apps/verify_credentials`.

use app::App;
use app::oauth::RegisterApplication;
use axum::Json;
use axum::extract::State;
use serde::Deserialize;

use super::entities::{ApplicationEntity, CredentialApplicationEntity};
use crate::ApiError;
use crate::auth::Auth;
use crate::params::{Params, lenient};

#[derive(Debug, Deserialize)]
pub(super) struct CreateAppParams {
    #[serde(default, deserialize_with = "lenient::opt_string")]
    client_name: Option<String>,
    /// A string (one URI per line) or an array; older apps send `redirect_uri`.
    #[serde(default, deserialize_with = "lenient::string_list")]
    redirect_uris: Vec<String>,
    #[serde(default, deserialize_with = "lenient::string_list")]
    redirect_uri: Vec<String>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    scopes: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    website: Option<String>,
}

pub(super) async fn create_app(
    State(app): State<App>,
    Params { value: p, .. }: Params<CreateAppParams>,
) -> Result<Json<CredentialApplicationEntity>, ApiError> {
    let input = RegisterApplication {
        name: p.client_name.unwrap_or_default(),
        redirect_uris: if p.redirect_uris.is_empty() { p.redirect_uri } else { p.redirect_uris },
        scopes: p.scopes.unwrap_or_default(),
        website: p.website,
    };
    let (application, secret) = app::oauth::register_application(&app, input).await?;
    Ok(Json(CredentialApplicationEntity::new(&application, secret)))
}

/// Any valid token, user or app, may ask which app it belongs to.
pub(super) async fn verify_app_credentials(auth: Auth) -> Result<Json<ApplicationEntity>, ApiError> {
    let caller = auth.0.as_ref().ok_or_else(crate::auth::invalid_token)?;
    Ok(Json(ApplicationEntity::new(&caller.application)))
}
