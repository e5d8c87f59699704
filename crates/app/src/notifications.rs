//! Notifications: made in reaction to events, read by their recipient.

use domain::{Account, Id, Page};
use store::{Marker, Notification, NotificationFilter};

use crate::{App, AppError, Event, Result, now_millis};

/// Writes the notifications an event causes. Nobody is notified of their own acts.
pub(crate) async fn react(app: &App, event: &Event) -> Result<()> {
    match event {
        Event::StatusCreated { status_id } => {
            let Some(status) = app.store().find_status(*status_id).await? else { return Ok(()) };
            if let Some(original_id) = status.reblog_of_id {
                if let Some(original) = app.store().find_status(original_id).await? {
                    notify(app, original.account_id, status.account_id, "reblog", Some(original.id)).await?;
                }
                return Ok(());
            }
            for mentioned in &status.mentions {
                notify(app, *mentioned, status.account_id, "mention", Some(status.id)).await?;
            }
        }
        Event::Favourited { account_id, status_id } => {
            if let Some(status) = app.store().find_status(*status_id).await? {
                notify(app, status.account_id, *account_id, "favourite", Some(status.id)).await?;
            }
        }
        Event::StatusUpdated { status_id, added_mentions } => {
            // Those who boosted a post hear that it changed, as on Mastodon; those it now
            // mentions hear of the mention.
            let Some(status) = app.store().find_status(*status_id).await? else { return Ok(()) };
            for mentioned in added_mentions {
                notify(app, *mentioned, status.account_id, "mention", Some(status.id)).await?;
            }
            let page = domain::Page::new(None, None, None, Some(400), 400, 400);
            for (_, booster, _) in app.store().list_status_actors(status.id, false, &page).await? {
                notify(app, booster.id, status.account_id, "update", Some(status.id)).await?;
            }
        }
        Event::Followed { account_id, target_id } => notify(app, *target_id, *account_id, "follow", None).await?,
        Event::SignedUp { account_id } => {
            for (staff, user) in app.store().list_local_users().await? {
                if user.role >= domain::Role::Moderator {
                    notify(app, staff.id, *account_id, "admin.sign_up", None).await?;
                }
            }
        }
        Event::FollowRequested { account_id, target_id } => {
            notify(app, *target_id, *account_id, "follow_request", None).await?;
        }
        _ => {}
    }
    Ok(())
}

async fn notify(app: &App, to: Id, from: Id, kind: &str, status_id: Option<Id>) -> Result<()> {
    if to == from || app.store().is_blocked_either_way(to, from).await? {
        return Ok(());
    }
    // Nothing from a thread the recipient muted.
    if let Some(status) = status_id
        && let Some(status) = app.store().find_status(status).await?
        && !app.store().list_muted_conversations(to, &[status.conversation_id]).await?.is_empty()
    {
        return Ok(());
    }
    // Only local accounts read notifications here; remote ones get activities instead.
    if app.store().find_local_user_by_account_id(to).await?.is_none() {
        return Ok(());
    }
    let Some(sender) = app.store().find_account_by_id(from).await? else { return Ok(()) };
    if from_limited_stranger(app, to, &sender).await? || muted_sender(app, to, &sender).await? {
        return Ok(());
    }
    let n = Notification {
        id: app.ids().next(),
        account_id: to,
        from_account_id: from,
        kind: kind.to_owned(),
        status_id,
        created_at: now_millis(),
    };
    app.store().insert_notification(&n).await?;
    // Published straight to subscribers: a notification causes no further reactions.
    app.events().publish(Event::NotificationCreated { notification_id: n.id, account_id: to });
    Ok(())
}

/// Whether `to` muted `from`'s notifications or blocks `from`'s domain.
async fn muted_sender(app: &App, to: Id, sender: &Account) -> Result<bool> {
    let muted = crate::mutes::muted_by(app, to).await?;
    Ok(muted.notifications.contains(&sender.id) || crate::mutes::domain_blocked(&muted, sender.domain.as_deref()))
}

/// Whether `from` is limited (or on a limited domain) and `to` does not follow them:
/// as on Mastodon, limited accounts reach only their followers, in notifications too.
/// Suspended ones reach nobody.
async fn from_limited_stranger(app: &App, to: Id, sender: &Account) -> Result<bool> {
    if sender.moderation.suspended_at.is_some() {
        return Ok(true);
    }
    let policy = crate::moderation::policy::current(app).await?;
    let limited = sender.moderation.silenced_at.is_some() || sender.domain.as_deref().is_some_and(|d| policy.limits(d));
    Ok(limited && !app.store().is_following(to, sender.id).await?)
}

pub async fn list(app: &App, reader: &Account, filter: &NotificationFilter, page: &Page) -> Result<Vec<Notification>> {
    let list = app.store().list_notifications(reader.id, filter, page).await?;
    // Those about a post that a filter hides from notifications are left out.
    let ids: Vec<Id> = list.iter().filter_map(|n| n.status_id).collect();
    let statuses = app.store().list_statuses(&ids).await?;
    let place = crate::filters::matching::Place::Notifications;
    let hidden = crate::filters::matching::hidden_ids(app, reader.id, place, &statuses).await?;
    Ok(list.into_iter().filter(|n| n.status_id.is_none_or(|id| !hidden.contains(&id))).collect())
}

pub async fn get(app: &App, reader: &Account, id: Id) -> Result<Notification> {
    app.store().find_notification(reader.id, id).await?.ok_or(AppError::NotFound("notification"))
}

/// Dismisses one notification, or all (`id` none).
pub async fn dismiss(app: &App, reader: &Account, id: Option<Id>) -> Result<()> {
    Ok(app.store().delete_notifications(reader.id, id).await?)
}

/// Notifications newer than the reader's `notifications` marker.
pub async fn unread_count(app: &App, reader: &Account, filter: &NotificationFilter) -> Result<i64> {
    let markers = app.store().list_markers(reader.id).await?;
    let after = markers.iter().find(|m| m.timeline == "notifications").map(|m| m.last_read_id);
    Ok(app.store().count_notifications(reader.id, filter, after).await?)
}

pub async fn markers(app: &App, reader: &Account) -> Result<Vec<Marker>> {
    Ok(app.store().list_markers(reader.id).await?)
}

/// Saves where the reader stopped, for `home` and/or `notifications`.
pub async fn save_markers(app: &App, reader: &Account, positions: &[(&str, Id)]) -> Result<Vec<Marker>> {
    for (timeline, id) in positions {
        if !matches!(*timeline, "home" | "notifications") {
            continue;
        }
        app.store().upsert_marker(reader.id, timeline, *id, now_millis()).await?;
    }
    markers(app, reader).await
}

/// What rendering notifications needs: the posts they are about (those the reader may
/// still see, by id in `originals`) and the accounts that caused them.
pub async fn hydrate(app: &App, reader: &Account, list: &[Notification]) -> Result<crate::statuses::Hydration> {
    let ids: Vec<Id> = list.iter().filter_map(|n| n.status_id).collect();
    let statuses = crate::statuses::list_visible(app, Some(reader.id), &ids).await?;
    let mut h = crate::statuses::hydrate(app, &statuses, Some(reader.id)).await?;
    for status in statuses {
        h.originals.insert(status.id, status);
    }
    let from: Vec<Id> = list.iter().map(|n| n.from_account_id).collect();
    for row in app.store().list_accounts(&from).await? {
        h.accounts.insert(row.0.id, row);
    }
    Ok(h)
}

/// The key Mastodon groups notifications by: favourites, boosts and follows of the same
/// post on the same day go together; everything else stands alone.
pub fn group_key(n: &Notification) -> String {
    const DAY_MILLIS: i64 = 86_400_000;
    match (n.kind.as_str(), n.status_id) {
        ("favourite" | "reblog", Some(status)) => format!("{}-{status}-{}", n.kind, n.created_at / DAY_MILLIS),
        ("follow", _) => format!("follow-{}", n.created_at / DAY_MILLIS),
        _ => format!("ungrouped-{}", n.id),
    }
}

/// A group of notifications on a page, newest first.
#[derive(Debug, Clone)]
pub struct NotificationGroup {
    pub key: String,
    /// Newest first.
    pub members: Vec<Notification>,
}

/// A page of notifications, grouped; groups ordered by their newest member.
pub async fn list_grouped(
    app: &App,
    reader: &Account,
    filter: &NotificationFilter,
    page: &Page,
) -> Result<Vec<NotificationGroup>> {
    let found = list(app, reader, filter, page).await?;
    let mut groups: Vec<NotificationGroup> = Vec::new();
    for n in found {
        let key = group_key(&n);
        match groups.iter_mut().find(|g| g.key == key) {
            Some(group) => group.members.push(n),
            None => groups.push(NotificationGroup { key, members: vec![n] }),
        }
    }
    Ok(groups)
}

/// All notifications of one group (of the reader's most recent 400).
pub async fn get_group(app: &App, reader: &Account, key: &str) -> Result<NotificationGroup> {
    let page = Page::new(None, None, None, Some(400), 400, 400);
    let members: Vec<Notification> = list(app, reader, &NotificationFilter::default(), &page)
        .await?
        .into_iter()
        .filter(|n| group_key(n) == key)
        .collect();
    if members.is_empty() {
        return Err(AppError::NotFound("notification group"));
    }
    Ok(NotificationGroup { key: key.to_owned(), members })
}

/// Dismisses every notification of a group.
pub async fn dismiss_group(app: &App, reader: &Account, key: &str) -> Result<()> {
    let group = get_group(app, reader, key).await?;
    for n in &group.members {
        app.store().delete_notifications(reader.id, Some(n.id)).await?;
    }
    Ok(())
}
