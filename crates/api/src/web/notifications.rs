//! The signed-in person's notifications and follow requests. Opening the notifications
//! page marks them read, as Mastodon's web client moves the notifications marker.

use app::App;
use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::response::Response;
use axum::routing::get;
use store::NotificationFilter;

use super::page::{Chrome, render};
use super::posts::{Pager, PostView, account_path};
use super::{Visitor, WebError};
use crate::mastodon::entities::account::AccountEntity;
use crate::mastodon::entities::notification::NotificationEntity;
use crate::pagination::PageParams;
use crate::params::Params;

pub(super) fn routes() -> Router<App> {
    Router::new().route("/notifications", get(notifications)).route("/follow_requests", get(follow_requests))
}

pub(crate) struct NotificationView {
    pub id: String,
    pub account: AccountEntity,
    pub account_path: String,
    pub what: &'static str,
    pub when: String,
    pub entry: Option<PostView>,
}

#[derive(Template)]
#[template(path = "web/notifications.html")]
struct NotificationsPage {
    chrome: Chrome,
    notifications: Vec<NotificationView>,
    pager: Pager,
}

/// What happened, as the sentence after the person's name.
fn what(kind: &str) -> &'static str {
    match kind {
        "mention" => "mentioned you",
        "status" => "posted",
        "reblog" => "boosted your post",
        "follow" => "followed you",
        "follow_request" => "asked to follow you",
        "favourite" => "favourited your post",
        "update" => "edited a post you interacted with",
        "admin.sign_up" => "signed up",
        "admin.report" => "filed a report",
        _ => "did something",
    }
}

async fn notifications(
    State(app): State<App>,
    visitor: Visitor,
    Params { value: p, .. }: Params<PageParams>,
) -> Result<Response, WebError> {
    let (reader, _) = visitor.signed_in()?;
    let found = app::notifications::list(&app, reader, &NotificationFilter::default(), &p.page(30, 80)).await?;
    if let (Some(newest), false) = (found.first(), p.is_paged()) {
        app::notifications::save_markers(&app, reader, &[("notifications", newest.id)]).await?;
    }
    let bounds = found.first().map(|n| n.id).zip(found.last().map(|n| n.id));
    let h = app::notifications::hydrate(&app, reader, &found).await?;
    let notifications = found
        .iter()
        .filter_map(|n| NotificationEntity::new(app.config(), n, &h, reader.id))
        .map(|n| NotificationView {
            id: n.id,
            account_path: account_path(&n.account),
            account: n.account,
            what: what(&n.kind),
            when: n.created_at.get(..10).unwrap_or_default().to_owned(),
            entry: n.status.map(|s| PostView::new(s, Some(reader.id))),
        })
        .collect();
    let page = NotificationsPage {
        chrome: Chrome::new(&app, &visitor, "Notifications"),
        notifications,
        pager: Pager::new("/notifications", bounds, p.is_paged()),
    };
    render(&visitor, &page)
}

#[derive(Template)]
#[template(path = "web/follow_requests.html")]
struct FollowRequestsPage {
    chrome: Chrome,
    requests: Vec<(String, AccountEntity, String)>,
}

async fn follow_requests(
    State(app): State<App>,
    visitor: Visitor,
    Params { value: p, .. }: Params<PageParams>,
) -> Result<Response, WebError> {
    let (account, _) = visitor.signed_in()?;
    let found = app::follows::list_requests(&app, account, &p.page(40, 80)).await?;
    let requests = found
        .into_iter()
        .map(|(_, a, role)| {
            let entity = AccountEntity::new(app.config(), &a, role);
            let path = account_path(&entity);
            (a.id.to_string(), entity, path)
        })
        .collect();
    render(&visitor, &FollowRequestsPage { chrome: Chrome::new(&app, &visitor, "Follow requests"), requests })
}
