//! Profiles: `/@name` for local accounts and `/@name@domain` for remote ones, with the
//! header, avatar, bio, fields (their links marked `rel="me"`), counts, the posts the
//! visitor may see with paging, and for signed-in visitors the follow, mute and block
//! buttons. `/@name/with_replies` and `/@name/media` are its other tabs.

use app::App;
use askama::Template;
use axum::response::Response;
use domain::{Account, Role};
use store::{AccountStatusesFilter, Relationship};

use super::page::{Chrome, render};
use super::posts::{Pager, PostView, plain_text, views};
use super::{Visitor, WebError};
use crate::mastodon::entities::account::AccountEntity;
use crate::pagination::PageParams;

const PAGE_SIZE: u32 = 20;

/// Which of the profile's lists of posts.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Tab {
    Posts,
    WithReplies,
    Media,
}

impl Tab {
    pub(crate) fn from_segment(segment: &str) -> Option<Tab> {
        match segment {
            "with_replies" => Some(Tab::WithReplies),
            "media" => Some(Tab::Media),
            _ => None,
        }
    }
}

#[derive(Template)]
#[template(path = "web/profile.html")]
struct ProfilePage {
    chrome: Chrome,
    account: AccountEntity,
    account_id: String,
    name: String,
    /// `name@domain`, also for local accounts.
    handle: String,
    path: String,
    fields: Vec<(String, String)>,
    relationship: Option<Relationship>,
    own: bool,
    tab: Tab,
    pinned: Vec<PostView>,
    posts: Vec<PostView>,
    pager: Pager,
    suspended: bool,
}

/// `/@name`, `/@name/with_replies`, `/@name/media` for a local name.
pub(crate) async fn profile_page(
    app: &App,
    visitor: &Visitor,
    username: &str,
    tab: Tab,
    p: &PageParams,
) -> Result<Response, WebError> {
    let (account, user) = app::accounts::get_local_user(app, username).await?;
    // A sign-up waiting for approval has no public page yet.
    if !user.approved {
        return Err(WebError::Api(crate::ApiError::not_found()));
    }
    show(app, visitor, &account, Some(user.role), tab, p).await
}

/// `/@name@domain`: a remote account this server knows or can find.
pub(crate) async fn remote_profile_page(
    app: &App,
    visitor: &Visitor,
    acct: &str,
    tab: Tab,
    p: &PageParams,
) -> Result<Response, WebError> {
    let (account, role) = find_account(app, visitor, acct).await?;
    show(app, visitor, &account, role, tab, p).await
}

/// The account `acct` names: signed-in visitors may have it looked up on its server,
/// others see only accounts this server already knows.
pub(crate) async fn find_account(
    app: &App,
    visitor: &Visitor,
    acct: &str,
) -> Result<(Account, Option<Role>), WebError> {
    Ok(match visitor.user {
        Some(_) => app::accounts::lookup_account(app, acct).await?,
        None => app::accounts::find_known_account(app, acct).await?,
    })
}

async fn show(
    app: &App,
    visitor: &Visitor,
    account: &Account,
    role: Option<Role>,
    tab: Tab,
    p: &PageParams,
) -> Result<Response, WebError> {
    let viewer = visitor.viewer();
    let filter = AccountStatusesFilter {
        exclude_replies: tab == Tab::Posts,
        exclude_reblogs: tab == Tab::Media,
        only_media: tab == Tab::Media,
        tagged: None,
    };
    let page = p.page(PAGE_SIZE, 40);
    let statuses = app::timelines::account_statuses(app, viewer, account.id, filter, &page).await?;
    let posts = views(app, &statuses, viewer).await?;
    let pinned = match (tab, p.is_paged()) {
        (Tab::Posts, false) => views(app, &app::timelines::pinned(app, viewer, account.id).await?, viewer).await?,
        _ => Vec::new(),
    };
    let relationship = match viewer.filter(|v| *v != account.id) {
        Some(v) => app::follows::relationships(app, v, &[account.id]).await?.into_iter().next().map(|(_, r)| r),
        None => None,
    };
    let entity = AccountEntity::new(app.config(), account, role);
    let name = entity.shown_name().to_owned();
    let handle = format!("{}@{}", account.username, account.domain.as_deref().unwrap_or(&app.config().domain));
    let path = format!("/@{}", entity.acct);
    let tab_path = match tab {
        Tab::Posts => path.clone(),
        Tab::WithReplies => format!("{path}/with_replies"),
        Tab::Media => format!("{path}/media"),
    };
    let mut chrome = Chrome::new(app, visitor, format!("{name} (@{handle})"));
    let suspended = account.moderation.suspended_at.is_some();
    if !suspended {
        chrome.description = plain_text(&account.note).chars().take(300).collect();
        chrome.image = Some(entity.avatar.clone());
    }
    chrome.og_type = "profile";
    chrome.canonical = Some(entity.url.clone());
    chrome.noindex = !account.is_local() || !account.indexable || suspended;
    if account.is_local() {
        chrome.alternates.push(("application/activity+json", entity.uri.clone()));
        chrome.alternates.push(("application/rss+xml", format!("{}{path}.rss", app.config().base_url())));
    }
    let fields = entity
        .fields
        .iter()
        // Links in a local profile's fields name the person's other pages, as Mastodon marks them.
        .map(|f| {
            (
                f.name.clone(),
                if account.is_local() {
                    f.value.replace("rel=\"nofollow noopener\"", "rel=\"nofollow noopener me\"")
                } else {
                    f.value.clone()
                },
            )
        })
        .collect();
    let page = ProfilePage {
        chrome,
        account_id: account.id.to_string(),
        own: viewer == Some(account.id),
        suspended,
        pager: Pager::of_posts(&tab_path, &posts, p.is_paged()),
        account: entity,
        name,
        handle,
        path,
        fields,
        relationship,
        tab,
        pinned,
        posts,
    };
    render(visitor, &page)
}

/// `/@name.rss`: the account's latest public posts, without replies and boosts.
pub(crate) async fn profile_feed(app: &App, username: &str) -> Result<Response, WebError> {
    let (account, user) = app::accounts::get_local_user(app, username).await?;
    let filter =
        AccountStatusesFilter { exclude_replies: true, exclude_reblogs: true, only_media: false, tagged: None };
    let statuses = app::timelines::account_statuses(
        app,
        None,
        account.id,
        filter,
        &domain::Page { max_id: None, since_id: None, min_id: None, limit: 20 },
    )
    .await?;
    let posts = views(app, &statuses, None).await?;
    let entity = AccountEntity::new(app.config(), &account, Some(user.role));
    let title = entity.shown_name();
    let description = format!("Public posts from @{}@{}", account.username, app.config().domain);
    let channel =
        super::rss::Channel { title, description: &description, link: &entity.url, image: Some(&entity.avatar) };
    Ok(super::rss::feed(&channel, &posts))
}
