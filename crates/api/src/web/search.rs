//! Search: accounts and hashtags by name, and for signed-in people whatever an
//! `@user@domain` or a URL names on another server, found and fetched as the API's
//! `resolve=true` finds it.

use app::App;
use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::response::Response;
use axum::routing::get;
use serde::Deserialize;

use super::page::{Chrome, render};
use super::posts::{PostView, account_path, views};
use super::{Visitor, WebError};
use crate::mastodon::entities::account::AccountEntity;
use crate::params::{Params, lenient};

pub(super) fn routes() -> Router<App> {
    Router::new().route("/search", get(search))
}

#[derive(Debug, Deserialize)]
struct SearchParams {
    #[serde(default, deserialize_with = "lenient::opt_string")]
    q: Option<String>,
}

#[derive(Template)]
#[template(path = "web/search.html")]
struct SearchPage {
    chrome: Chrome,
    query: String,
    searched: bool,
    accounts: Vec<(AccountEntity, String)>,
    hashtags: Vec<String>,
    posts: Vec<PostView>,
}

async fn search(
    State(app): State<App>,
    visitor: Visitor,
    Params { value: p, .. }: Params<SearchParams>,
) -> Result<Response, WebError> {
    let query = p.q.unwrap_or_default().trim().to_owned();
    let viewer = visitor.viewer();
    let (mut found, mut statuses) = (Vec::new(), Vec::new());
    if !query.is_empty() && viewer.is_some() {
        let resolved = app::search::resolve(&app, viewer, &query).await?;
        found.extend(resolved.account.map(|a| (a, None)));
        statuses.extend(resolved.status);
    }
    let mut hashtags = Vec::new();
    if !query.is_empty() {
        for (account, role) in app::search::accounts(&app, &query, 20, 0).await? {
            if !found.iter().any(|(a, _)| a.id == account.id) {
                found.push((account, role));
            }
        }
        hashtags = app::search::hashtags(&app, query.trim_start_matches('#'), 10).await?;
    }
    let accounts = found
        .iter()
        .map(|(a, role)| {
            let entity = AccountEntity::new(app.config(), a, *role);
            let path = account_path(&entity);
            (entity, path)
        })
        .collect();
    let page = SearchPage {
        chrome: Chrome::new(&app, &visitor, "Search"),
        searched: !query.is_empty(),
        query,
        accounts,
        hashtags,
        posts: views(&app, &statuses.into_iter().map(std::sync::Arc::new).collect::<Vec<_>>(), viewer).await?,
    };
    render(&visitor, &page)
}
