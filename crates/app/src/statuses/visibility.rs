//! Who may see a post, and whose home feed it goes to.

use domain::{Id, Status, Visibility};

use crate::{App, Result};

/// Public and unlisted posts: anyone. Private: the author, followers and the mentioned.
/// Direct: the author and the mentioned.
pub async fn can_see(app: &App, viewer: Option<Id>, status: &Status) -> Result<bool> {
    let original = match status.reblog_of_id {
        None => None,
        Some(id) => match app.store().find_status(id).await? {
            Some(original) => Some(original),
            None => return Ok(false),
        },
    };
    let policy = crate::moderation::policy::current(app).await?;
    if refused(&policy, status) || original.as_ref().is_some_and(|o| refused(&policy, o)) {
        return Ok(false);
    }
    let authors: Vec<Id> =
        [Some(status.account_id), original.as_ref().map(|o| o.account_id)].into_iter().flatten().collect();
    if app.store().list_restricted_accounts(&authors).await?.values().any(|m| m.suspended_at.is_some()) {
        return Ok(false);
    }
    if let Some(viewer) = viewer {
        // Whoever blocks you hides their posts from you, boosted by others too, as on
        // Mastodon.
        let authors: Vec<Id> =
            [Some(status.account_id), original.as_ref().map(|o| o.account_id)].into_iter().flatten().collect();
        let (_, blocked_by) = app.store().list_block_flags(viewer, &authors).await?;
        if authors.iter().any(|a| *a != viewer && blocked_by.contains(a)) {
            return Ok(false);
        }
    }
    can_see_with_original(app, viewer, status, original.as_ref()).await
}

/// Whether a post comes from a domain this server does not federate with: nobody sees
/// it here.
pub(crate) fn refused(policy: &crate::moderation::DomainPolicy, status: &Status) -> bool {
    !status.local && policy.refuses_url(&status.uri)
}

/// [`can_see`] for a post whose boosted original (if it is a boost) is already loaded:
/// a boost shows its original, so the viewer must be allowed to see that too.
pub(super) async fn can_see_with_original(
    app: &App,
    viewer: Option<Id>,
    status: &Status,
    original: Option<&Status>,
) -> Result<bool> {
    if !can_see_itself(app, viewer, status).await? {
        return Ok(false);
    }
    match original {
        Some(original) => can_see_itself(app, viewer, original).await,
        None => Ok(status.reblog_of_id.is_none()),
    }
}

async fn can_see_itself(app: &App, viewer: Option<Id>, status: &Status) -> Result<bool> {
    if matches!(status.visibility, Visibility::Public | Visibility::Unlisted) {
        return Ok(true);
    }
    let Some(viewer) = viewer else { return Ok(false) };
    if viewer == status.account_id || status.mentions.contains(&viewer) {
        return Ok(true);
    }
    Ok(status.visibility == Visibility::Private && app.store().is_following(viewer, status.account_id).await?)
}

/// The local accounts whose home feed a new post joins, as Mastodon fans out: the
/// author; all followers for public, unlisted and private posts; for direct posts only
/// the mentioned who follow the author. A reply reaches a follower only if it answers
/// them, or someone they follow too.
pub(crate) async fn home_feed_readers(app: &App, status: &Status) -> Result<Vec<Id>> {
    let followers = app.store().list_local_follower_ids(status.account_id).await?;
    // A remote author has no home feed here.
    let mut readers = if status.local { vec![status.account_id] } else { Vec::new() };
    for follower in followers {
        let addressed = match status.visibility {
            Visibility::Direct => status.mentions.contains(&follower),
            _ => true,
        };
        if !addressed {
            continue;
        }
        let reply_ok = match status.in_reply_to_account_id {
            None => true,
            Some(to) if to == status.account_id || to == follower => true,
            Some(to) => app.store().is_following(follower, to).await?,
        };
        if reply_ok {
            readers.push(follower);
        }
    }
    Ok(readers)
}
