//! Favouriting, boosting and bookmarking posts, and who did so.

use domain::{Account, Id, Page, Role, Status, Visibility};
use store::MarkTable;

use crate::{App, AppError, Event, Result, now_millis, statuses};

/// The post itself, or for a boost the boosted post (favourites and bookmarks go to it,
/// as on Mastodon).
async fn target(app: &App, actor: &Account, status_id: Id) -> Result<Status> {
    let status = statuses::get_status(app, Some(actor.id), status_id).await?;
    match status.reblog_of_id {
        Some(original) => statuses::get_status(app, Some(actor.id), original).await,
        None => Ok(status),
    }
}

pub async fn favourite(app: &App, actor: &Account, status_id: Id) -> Result<Status> {
    let status = target(app, actor, status_id).await?;
    if app.store().insert_favourite(app.ids().next(), actor.id, status.id, now_millis()).await? {
        app.emit(Event::Favourited { account_id: actor.id, status_id: status.id }).await?;
    }
    reload(app, actor, status.id).await
}

pub async fn unfavourite(app: &App, actor: &Account, status_id: Id) -> Result<Status> {
    let status = target(app, actor, status_id).await?;
    if app.store().delete_favourite(actor.id, status.id).await? {
        app.store().delete_notifications_about(status.account_id, actor.id, "favourite", Some(status.id)).await?;
        app.emit(Event::Unfavourited { account_id: actor.id, status_id: status.id }).await?;
    }
    reload(app, actor, status.id).await
}

pub async fn bookmark(app: &App, actor: &Account, status_id: Id, on: bool) -> Result<Status> {
    let status = target(app, actor, status_id).await?;
    if on {
        app.store().insert_bookmark(app.ids().next(), actor.id, status.id, now_millis()).await?;
    } else {
        app.store().delete_bookmark(actor.id, status.id).await?;
    }
    Ok(status)
}

/// Boosts a post; boosting twice returns the first boost. Only public and unlisted
/// posts can be boosted, and private ones by their author alone, as on Mastodon.
pub async fn reblog(app: &App, actor: &Account, status_id: Id, visibility: Option<&str>) -> Result<Status> {
    let original = statuses::get_status(app, Some(actor.id), status_id).await?;
    let original = match original.reblog_of_id {
        Some(inner) => statuses::get_status(app, Some(actor.id), inner).await?,
        None => original,
    };
    let allowed = match original.visibility {
        Visibility::Public | Visibility::Unlisted => true,
        Visibility::Private => original.account_id == actor.id,
        Visibility::Direct => false,
    };
    if !allowed {
        return Err(AppError::Forbidden("this post cannot be boosted"));
    }
    if let Some(existing) = app.store().find_reblog_id(actor.id, original.id).await? {
        return app.store().find_status(existing).await?.ok_or(AppError::NotFound("status"));
    }
    // As Mastodon: a boost of a private post stays private; otherwise the asked-for
    // visibility, or the booster's default.
    let visibility = if original.visibility == Visibility::Private {
        Visibility::Private
    } else {
        match visibility.filter(|v| !v.is_empty()) {
            Some(v) => v.parse::<Visibility>()?,
            None => app
                .store()
                .find_local_user_by_account_id(actor.id)
                .await?
                .map_or(Visibility::Public, |(_, u)| u.default_visibility),
        }
    };
    let boost = match statuses::post_reblog(app, actor, &original, visibility).await {
        Ok(boost) => boost,
        // A concurrent request boosted it first: that boost is the answer.
        Err(AppError::Conflict(_)) => {
            let existing =
                app.store().find_reblog_id(actor.id, original.id).await?.ok_or(AppError::NotFound("status"))?;
            return app.store().find_status(existing).await?.ok_or(AppError::NotFound("status"));
        }
        Err(e) => return Err(e),
    };
    app.emit(Event::StatusCreated { status_id: boost.id }).await?;
    Ok(boost)
}

/// Takes back a boost; returns the original post.
pub async fn unreblog(app: &App, actor: &Account, status_id: Id) -> Result<Status> {
    let original = statuses::get_status(app, Some(actor.id), status_id).await?;
    if let Some(boost) = app.store().find_reblog_id(actor.id, original.id).await?
        && let Some(boost) = app.store().find_status(boost).await?
    {
        app.store().delete_status(&boost).await?;
        app.store().delete_notifications_about(original.account_id, actor.id, "reblog", Some(original.id)).await?;
        app.emit(Event::status_deleted(&boost)).await?;
    }
    reload(app, actor, original.id).await
}

async fn reload(app: &App, actor: &Account, id: Id) -> Result<Status> {
    statuses::get_status(app, Some(actor.id), id).await
}

/// A page of the actor's favourites or bookmarks, with the mark ids the page spans (for
/// paging on, even when some posts were filtered out).
pub async fn list_marked(
    app: &App,
    actor: &Account,
    table: MarkTable,
    page: &Page,
) -> Result<(Vec<std::sync::Arc<Status>>, Option<(Id, Id)>)> {
    let marks = app.store().list_marked_statuses(table, actor.id, page).await?;
    let bounds = marks.first().map(|m| m.0).zip(marks.last().map(|m| m.0));
    let ids: Vec<Id> = marks.iter().map(|(_, s)| *s).collect();
    let visible = statuses::list_visible(app, Some(actor.id), &ids).await?;
    let statuses = marks.into_iter().filter_map(|(_, sid)| visible.iter().find(|s| s.id == sid).cloned()).collect();
    Ok((statuses, bounds))
}

/// Who favourited (or boosted) a post the viewer may see.
pub async fn list_actors(
    app: &App,
    viewer: Option<Id>,
    status_id: Id,
    favourites: bool,
    page: &Page,
) -> Result<Vec<(Id, Account, Option<Role>)>> {
    let status = statuses::get_status(app, viewer, status_id).await?;
    Ok(app.store().list_status_actors(status.id, favourites, page).await?)
}
