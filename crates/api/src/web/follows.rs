//! An account's followers and the accounts it follows, `/@name/followers` and
//! `/@name/following` (and `/@name@domain/...` for what this server knows of remote
//! accounts); an account that hides them shows them to itself only.

use app::App;
use askama::Template;
use axum::response::Response;

use super::page::{Chrome, render};
use super::posts::{Pager, account_path};
use super::{Visitor, WebError};
use crate::mastodon::entities::account::AccountEntity;
use crate::pagination::PageParams;

#[derive(Template)]
#[template(path = "web/follows.html")]
struct FollowsPage {
    chrome: Chrome,
    heading: String,
    profile_path: String,
    hidden: bool,
    accounts: Vec<(AccountEntity, String)>,
    pager: Pager,
}

pub(crate) async fn follows_page(
    app: &App,
    visitor: &Visitor,
    acct: &str,
    followers: bool,
    p: &PageParams,
) -> Result<Response, WebError> {
    let (account, role) = super::profile::find_account(app, visitor, acct).await?;
    let entity = AccountEntity::new(app.config(), &account, role);
    let viewer = visitor.viewer();
    let found = app::follows::list_follows(app, viewer, account.id, followers, &p.page(40, 80)).await?;
    let bounds = found.first().map(|f| f.0).zip(found.last().map(|f| f.0));
    let accounts = found
        .iter()
        .map(|(_, a, r)| {
            let e = AccountEntity::new(app.config(), a, *r);
            let path = account_path(&e);
            (e, path)
        })
        .collect();
    let profile_path = account_path(&entity);
    let (what, segment) = if followers { ("Followers", "followers") } else { ("Following", "following") };
    let name = entity.shown_name().to_owned();
    let mut chrome = Chrome::new(app, visitor, format!("{what} of {name}"));
    chrome.noindex = true;
    let page = FollowsPage {
        chrome,
        heading: format!("{what} of {name}"),
        hidden: account.hide_collections && viewer != Some(account.id),
        pager: Pager::new(&format!("{profile_path}/{segment}"), bounds, p.is_paged()),
        profile_path,
        accounts,
    };
    render(visitor, &page)
}
