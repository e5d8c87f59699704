//! The lists of posts people read: their home feed, the public timelines, a profile.

use std::sync::Arc;

use domain::{Account, Id, Page, Status, Visibility};
use store::{AccountStatusesFilter, PublicScope};

use crate::filters::matching::{Place, without_hidden};
use crate::{App, AppError, Result, statuses};

/// A page of `reader`'s home feed, newest first, with the ids the page spans (for
/// paging on, even when some posts were filtered out).
pub async fn home(app: &App, reader: &Account, page: &Page) -> Result<(Vec<Arc<Status>>, Option<(Id, Id)>)> {
    let ids = app.store().list_home_feed(reader.id, page).await?;
    let bounds = ids.first().copied().zip(ids.last().copied());
    // Everything in a home feed was addressed to its reader; the check guards against
    // a follow that ended while a page was being read.
    let visible = statuses::list_visible(app, Some(reader.id), &ids).await?;
    let visible = crate::mutes::without_muted(app, Some(reader.id), visible).await?;
    Ok((without_hidden(app, Some(reader.id), Place::Home, visible).await?, bounds))
}

/// A page of public posts: all, only local, or only remote; with media or not.
pub async fn public(app: &App, viewer: Option<Id>, scope: PublicScope, page: &Page) -> Result<Vec<Arc<Status>>> {
    let hidden = crate::moderation::policy::current(app).await?.kept_off_public_timelines();
    let ids = app.store().list_public_timeline(scope, &hidden, page).await?;
    let shown = without_restricted(app, app.store().list_statuses(&ids).await?).await?;
    let shown = crate::mutes::without_muted(app, viewer, shown).await?;
    without_hidden(app, viewer, Place::Public, shown).await
}

/// A page of an account's posts that `viewer` may see.
pub async fn account_statuses(
    app: &App,
    viewer: Option<Id>,
    account_id: Id,
    filter: AccountStatusesFilter,
    page: &Page,
) -> Result<Vec<Arc<Status>>> {
    let account = app.store().find_account_by_id(account_id).await?.ok_or(AppError::NotFound("account"))?;
    let refused = match &account.domain {
        Some(domain) => crate::moderation::policy::current(app).await?.refuses(domain),
        None => false,
    };
    if refused || account.moderation.suspended_at.is_some() {
        return Ok(Vec::new());
    }
    let visibilities: &[Visibility] = match viewer {
        Some(v) if v == account_id => {
            &[Visibility::Public, Visibility::Unlisted, Visibility::Private, Visibility::Direct]
        }
        Some(v) if app.store().is_following(v, account_id).await? => {
            &[Visibility::Public, Visibility::Unlisted, Visibility::Private]
        }
        _ => &[Visibility::Public, Visibility::Unlisted],
    };
    let ids = app.store().list_account_statuses(account_id, visibilities, viewer, filter, page).await?;
    without_hidden(app, viewer, Place::Account, app.store().list_statuses(&ids).await?).await
}

/// A page of public posts with a hashtag.
pub async fn tag(
    app: &App,
    viewer: Option<Id>,
    tag: &str,
    scope: PublicScope,
    page: &Page,
) -> Result<Vec<Arc<Status>>> {
    let hidden = crate::moderation::policy::current(app).await?.kept_off_public_timelines();
    let tag = tag.trim_start_matches('#').to_lowercase();
    let ids = app.store().list_tag_timeline(&tag, scope, &hidden, page).await?;
    let shown = without_restricted(app, app.store().list_statuses(&ids).await?).await?;
    let shown = crate::mutes::without_muted(app, viewer, shown).await?;
    without_hidden(app, viewer, Place::Public, shown).await
}

/// An account's pinned posts that `viewer` may see.
pub async fn pinned(app: &App, viewer: Option<Id>, account_id: Id) -> Result<Vec<Arc<Status>>> {
    let ids = app.store().list_pinned_ids(account_id).await?;
    statuses::list_visible(app, viewer, &ids).await
}

/// Public posts without those of accounts moderators suspended or limited.
async fn without_restricted(app: &App, statuses: Vec<Arc<Status>>) -> Result<Vec<Arc<Status>>> {
    let authors: Vec<Id> = statuses.iter().map(|s| s.account_id).collect();
    let restricted = app.store().list_restricted_accounts(&authors).await?;
    Ok(statuses.into_iter().filter(|s| !restricted.contains_key(&s.account_id)).collect())
}
