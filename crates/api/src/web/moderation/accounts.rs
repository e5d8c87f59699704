//! Accounts for moderators: a filtered list (sign-ups waiting for approval among them),
//! one account with its marks, and the actions: mark sensitive, limit, disable, suspend
//! and their undoing, approve and reject.

use app::App;
use app::moderation::accounts::{AccountAction, Lift};
use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use store::AccountFilter;

use super::{AccountRow, bad_id, moderator};
use crate::params::{Params, lenient};
use crate::web::actions::{back, check_form};
use crate::web::page::{Chrome, render};
use crate::web::{Visitor, WebError};

pub(super) fn routes() -> Router<App> {
    Router::new()
        .route("/admin/accounts", get(list))
        .route("/admin/accounts/{id}", get(show))
        .route("/admin/accounts/{id}/{action}", post(act))
}

#[derive(Debug, Deserialize)]
struct ListParams {
    /// `active`, `pending`, `suspended` or `silenced`.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    status: Option<String>,
    /// `local` or `remote`.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    origin: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    username: Option<String>,
}

#[derive(Template)]
#[template(path = "web/admin_accounts.html")]
struct AccountsPage {
    chrome: Chrome,
    status: String,
    origin: String,
    username: String,
    accounts: Vec<AccountRow>,
}

async fn list(
    State(app): State<App>,
    visitor: Visitor,
    Params { value: p, .. }: Params<ListParams>,
) -> Result<Response, WebError> {
    let by = moderator(&visitor)?;
    let status = p.status.unwrap_or_default();
    let origin = p.origin.unwrap_or_default();
    let username = p.username.unwrap_or_default().trim().to_owned();
    let filter = AccountFilter {
        local: match origin.as_str() {
            "local" => Some(true),
            "remote" => Some(false),
            _ => None,
        },
        suspended: status == "suspended",
        silenced: status == "silenced",
        pending: status == "pending",
        username: (!username.is_empty()).then(|| username.clone()),
    };
    let page = domain::Page { max_id: None, since_id: None, min_id: None, limit: 100 };
    let found = app::moderation::accounts::list_accounts(&app, by, &filter, &page).await?;
    let accounts = found.iter().map(|(a, u)| AccountRow::new(&app, a, u.as_ref())).collect();
    let page = AccountsPage { chrome: Chrome::new(&app, &visitor, "Accounts"), status, origin, username, accounts };
    render(&visitor, &page)
}

#[derive(Template)]
#[template(path = "web/admin_account.html")]
struct AccountPage {
    chrome: Chrome,
    account: AccountRow,
    local: bool,
    suspended: bool,
    limited: bool,
    disabled: bool,
    sensitive: bool,
    pending: bool,
    report_id: String,
}

#[derive(Debug, Deserialize)]
struct ShowParams {
    #[serde(default, deserialize_with = "lenient::opt_string")]
    report_id: Option<String>,
}

async fn show(
    State(app): State<App>,
    visitor: Visitor,
    Path(id): Path<String>,
    Params { value: p, .. }: Params<ShowParams>,
) -> Result<Response, WebError> {
    let by = moderator(&visitor)?;
    let (account, user) = app::moderation::accounts::get_account(&app, by, id.parse().map_err(|_| bad_id())?).await?;
    let m = &account.moderation;
    let page = AccountPage {
        chrome: Chrome::new(&app, &visitor, format!("@{}", account.acct())),
        local: user.is_some(),
        suspended: m.suspended_at.is_some(),
        limited: m.silenced_at.is_some(),
        disabled: m.disabled_at.is_some(),
        sensitive: m.sensitized_at.is_some(),
        pending: user.as_ref().is_some_and(|u| !u.approved),
        report_id: p.report_id.unwrap_or_default(),
        account: AccountRow::new(&app, &account, user.as_ref()),
    };
    render(&visitor, &page)
}

#[derive(Debug, Deserialize)]
struct ActForm {
    #[serde(default, deserialize_with = "lenient::opt_string")]
    authenticity_token: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    return_to: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    report_id: Option<String>,
}

async fn act(
    State(app): State<App>,
    visitor: Visitor,
    headers: HeaderMap,
    Path((id, action)): Path<(String, String)>,
    Params { value: form, .. }: Params<ActForm>,
) -> Result<Response, WebError> {
    check_form(&headers, form.authenticity_token.as_deref())?;
    let by = moderator(&visitor)?;
    let target = id.parse().map_err(|_| bad_id())?;
    let report_id =
        form.report_id.as_deref().filter(|r| !r.is_empty()).map(str::parse).transpose().map_err(|_| bad_id())?;
    use app::moderation::accounts as m;
    let lift = |what| m::lift(&app, by, target, what);
    match action.as_str() {
        "approve" => drop(app::registrations::approve_account(&app, by, target).await?),
        "reject" => {
            app::registrations::reject_account(&app, by, target).await?;
            return Ok(Redirect::to("/admin/accounts?status=pending").into_response());
        }
        "unsuspend" => drop(lift(Lift::Unsuspend).await?),
        "unsilence" => drop(lift(Lift::Unsilence).await?),
        "enable" => drop(lift(Lift::Enable).await?),
        "unsensitive" => drop(lift(Lift::Unsensitive).await?),
        other => m::act(&app, by, target, AccountAction::parse(other)?, report_id).await?,
    }
    Ok(Redirect::to(back(form.return_to.as_deref(), None)).into_response())
}
