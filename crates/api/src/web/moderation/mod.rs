//! The moderation pages, for moderators and admins: reports, accounts (with sign-ups
//! waiting for approval), domain blocks and allows, rules and the audit log. Each page
//! and button goes to `app::moderation` as the signed-in staff member, whose role the
//! use case checks; others are told the page is not for them.

mod accounts;
mod reports;
mod server;

use app::App;
use app::moderation::Moderator;
use axum::Router;
use axum::http::StatusCode;

use super::{Visitor, WebError};
use crate::ApiError;
use crate::mastodon::entities::account::AccountEntity;

pub(super) fn routes() -> Router<App> {
    Router::new().merge(reports::routes()).merge(accounts::routes()).merge(server::routes())
}

/// The signed-in staff member as the moderator acting.
fn moderator(visitor: &Visitor) -> Result<Moderator<'_>, WebError> {
    let (account, user) = visitor.signed_in()?;
    if user.role < domain::Role::Moderator {
        return Err(WebError::Api(ApiError::new(StatusCode::FORBIDDEN, "This page is for moderators and admins.")));
    }
    Ok(Moderator::Staff(account, user.role))
}

/// An account as the moderation pages list it.
pub(crate) struct AccountRow {
    pub id: String,
    pub entity: AccountEntity,
    pub email: Option<String>,
    pub role: &'static str,
    /// Suspended, limited, disabled, sensitive, waiting: what moderators did or must do.
    pub marks: Vec<&'static str>,
}

impl AccountRow {
    fn new(app: &App, account: &domain::Account, user: Option<&domain::LocalUser>) -> Self {
        let m = &account.moderation;
        let marks = [
            (m.suspended_at.is_some(), "suspended"),
            (m.silenced_at.is_some(), "limited"),
            (m.disabled_at.is_some(), "disabled"),
            (m.sensitized_at.is_some(), "sensitive"),
            (user.is_some_and(|u| !u.approved), "waiting for approval"),
        ];
        AccountRow {
            id: account.id.to_string(),
            entity: AccountEntity::new(app.config(), account, user.map(|u| u.role)),
            email: user.map(|u| u.email.as_str().to_owned()),
            role: user.map_or("", |u| u.role.as_str()),
            marks: marks.into_iter().filter(|(on, _)| *on).map(|(_, name)| name).collect(),
        }
    }
}

fn bad_id() -> WebError {
    WebError::Api(ApiError::not_found())
}
