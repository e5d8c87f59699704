//! `/api/v1/accounts/...`: the signed-in user's own account, and accounts by id or name.

use app::App;
use axum::extract::{Path, State};
use axum::routing::get;
use axum::{Json, Router};
use serde::Deserialize;

use super::entities::account::{AccountEntity, CredentialAccountEntity};
use crate::ApiError;
use crate::auth::Auth;
use crate::params::{Params, lenient};

pub(super) fn routes() -> Router<App> {
    Router::new()
        .route("/api/v1/accounts/verify_credentials", get(verify_credentials))
        .route("/api/v1/accounts/lookup", get(lookup_account))
        .route("/api/v1/accounts/{id}", get(get_account))
}

async fn verify_credentials(State(app): State<App>, auth: Auth) -> Result<Json<CredentialAccountEntity>, ApiError> {
    let (account, user) = auth.user_with_any(&["read:accounts", "profile"])?;
    Ok(Json(CredentialAccountEntity::new(app.config(), account, user)))
}

async fn get_account(State(app): State<App>, Path(id): Path<String>) -> Result<Json<AccountEntity>, ApiError> {
    let id = id.parse().map_err(|_| ApiError::not_found())?;
    let (account, role) = app::accounts::get_account(&app, id).await?;
    Ok(Json(AccountEntity::new(app.config(), &account, role)))
}

#[derive(Debug, Deserialize)]
struct LookupParams {
    #[serde(default, deserialize_with = "lenient::opt_string")]
    acct: Option<String>,
}

async fn lookup_account(
    State(app): State<App>,
    Params { value: p, .. }: Params<LookupParams>,
) -> Result<Json<AccountEntity>, ApiError> {
    let acct = p.acct.ok_or_else(|| {
        ApiError::new(axum::http::StatusCode::BAD_REQUEST, "param is missing or the value is empty: acct")
    })?;
    let (account, role) = app::accounts::lookup_account(&app, &acct).await?;
    Ok(Json(AccountEntity::new(app.config(), &account, role)))
}
