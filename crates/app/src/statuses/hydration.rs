//! What rendering a page of posts needs besides the posts, loaded in a few queries.

use std::sync::Arc;

use domain::{Account, Id, Status};

use crate::{App, Result, now_millis};

/// What rendering posts needs besides the posts: their authors, the mentioned accounts,
/// the apps that posted them. Loaded in a few queries for a whole page.
#[derive(Debug, Default)]
pub struct Hydration {
    pub accounts: domain::IdMap<Arc<(Account, Option<domain::Role>)>>,
    pub applications: domain::IdMap<domain::Application>,
    /// The boosted posts of the boosts on the page.
    pub originals: domain::IdMap<Arc<Status>>,
    /// What the viewer did to the posts (empty for nobody).
    pub flags: store::ViewerFlags,
    /// The attachments of each post, in order.
    pub media: domain::IdMap<Vec<domain::MediaAttachment>>,
    /// The viewer's filters each post (by its id) matches.
    pub filtered: domain::IdMap<Vec<crate::filters::matching::FilterMatch>>,
}

pub async fn hydrate(app: &App, statuses: &[Arc<Status>], viewer: Option<Id>) -> Result<Hydration> {
    let original_ids: Vec<Id> = statuses.iter().filter_map(|s| s.reblog_of_id).collect();
    let originals: domain::IdMap<Arc<Status>> =
        app.store().list_statuses(&original_ids).await?.into_iter().map(|s| (s.id, s)).collect();
    let all: Vec<&Status> = statuses.iter().chain(originals.values()).map(AsRef::as_ref).collect();
    let mut account_ids: Vec<Id> =
        all.iter().flat_map(|s| std::iter::once(s.account_id).chain(s.mentions.iter().copied())).collect();
    account_ids.sort_unstable();
    account_ids.dedup();
    let accounts = app.store().list_accounts(&account_ids).await?.into_iter().map(|row| (row.0.id, row)).collect();
    let mut applications = domain::IdMap::default();
    for id in all.iter().filter_map(|s| s.application_id) {
        if let std::collections::hash_map::Entry::Vacant(slot) = applications.entry(id)
            && let Some(application) = app.store().find_application_by_id(id).await?
        {
            slot.insert(application);
        }
    }
    let flags = match viewer {
        Some(viewer) => {
            let ids: Vec<Id> = all.iter().map(|s| s.id).collect();
            let mut flags = app.store().find_viewer_flags(viewer, &ids).await?;
            let threads: Vec<Id> = all.iter().map(|s| s.conversation_id).collect();
            flags.muted_conversations =
                app.store().list_muted_conversations(viewer, &threads).await?.into_iter().collect();
            flags
        }
        None => store::ViewerFlags::default(),
    };
    let with_media: Vec<Id> = all.iter().filter(|s| !s.media.is_empty()).map(|s| s.id).collect();
    let media = app.store().list_media_of_statuses(&with_media).await?;
    let filtered = match viewer {
        Some(viewer) => filter_matches(app, viewer, statuses, &originals, &media).await?,
        None => domain::IdMap::default(),
    };
    Ok(Hydration { accounts, applications, originals, flags, media, filtered })
}

/// What the viewer's filters match in each post (a boost by its original).
async fn filter_matches(
    app: &App,
    viewer: Id,
    statuses: &[Arc<Status>],
    originals: &domain::IdMap<Arc<Status>>,
    media: &domain::IdMap<Vec<domain::MediaAttachment>>,
) -> Result<domain::IdMap<Vec<crate::filters::matching::FilterMatch>>> {
    use crate::filters::matching;
    let filters = matching::active(app.store().list_filters(viewer).await?, now_millis());
    let mut found = domain::IdMap::default();
    if filters.is_empty() {
        return Ok(found);
    }
    for status in statuses.iter().chain(originals.values()) {
        let shown = status.reblog_of_id.and_then(|id| originals.get(&id)).unwrap_or(status);
        let matched = matching::matches(&filters, shown, media.get(&shown.id).map_or(&[], Vec::as_slice));
        if !matched.is_empty() {
            found.insert(status.id, matched);
        }
    }
    Ok(found)
}
