//! A local account's collections as other servers page through them: outbox,
//! followers and following as OrderedCollections with a first page, and the featured
//! (pinned) posts, shaped as Mastodon serves them.

use domain::{Id, Page};
use serde_json::{Value, json};
use store::AccountStatusesFilter;

use super::actors::find_visible_local_account;
use super::documents::{self as doc, actor_uri};
use crate::{App, Result, follows, timelines};

/// Items on one page, as on Mastodon.
const PAGE_SIZE: u32 = 20;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CollectionKind {
    Outbox,
    Followers,
    Following,
}

impl CollectionKind {
    fn path(self) -> &'static str {
        match self {
            Self::Outbox => "outbox",
            Self::Followers => "followers",
            Self::Following => "following",
        }
    }
}

/// Which part of a collection was asked for: the collection itself (no `page`), or a
/// page before `max_id` or after `min_id`.
#[derive(Debug, Clone, Default)]
pub struct CollectionQuery {
    pub page: bool,
    pub max_id: Option<Id>,
    pub min_id: Option<Id>,
}

/// One of `username`'s collections, or a page of it. Anyone may read them: only public
/// and unlisted posts are in the outbox, and an account that hides its follows shows
/// only how many there are.
pub async fn collection(app: &App, username: &str, kind: CollectionKind, query: &CollectionQuery) -> Result<Value> {
    let account = find_visible_local_account(app, username).await?;
    let id = format!("{}/{}", actor_uri(app, &account), kind.path());
    let total = match kind {
        CollectionKind::Outbox => account.statuses_count,
        CollectionKind::Followers => account.followers_count,
        CollectionKind::Following => account.following_count,
    };
    if !query.page {
        let mut document = json!({
            "@context": "https://www.w3.org/ns/activitystreams",
            "id": id,
            "type": "OrderedCollection",
            "totalItems": total,
            "first": format!("{id}?page=true"),
        });
        if kind == CollectionKind::Outbox {
            document["last"] = json!(format!("{id}?min_id=0&page=true"));
        }
        return Ok(document);
    }
    let page = Page { max_id: query.max_id, since_id: None, min_id: query.min_id, limit: PAGE_SIZE };
    let (items, cursors) = match kind {
        CollectionKind::Outbox => outbox_items(app, account.id, &page).await?,
        _ => {
            let rows = follows::list_follows(app, None, account.id, kind == CollectionKind::Followers, &page).await?;
            let cursors = rows.first().map(|r| r.0).zip(rows.last().map(|r| r.0));
            (rows.iter().map(|(_, a, _)| json!(actor_uri(app, a))).collect(), cursors)
        }
    };
    let mut document = json!({
        "@context": doc::context(),
        "id": page_id(&id, query),
        "type": "OrderedCollectionPage",
        "totalItems": total,
        "partOf": id,
        "orderedItems": items,
    });
    if let Some((newest, oldest)) = cursors {
        document["next"] = json!(format!("{id}?max_id={oldest}&page=true"));
        document["prev"] = json!(format!("{id}?min_id={newest}&page=true"));
    }
    Ok(document)
}

fn page_id(id: &str, query: &CollectionQuery) -> String {
    match (query.max_id, query.min_id) {
        (Some(max), _) => format!("{id}?max_id={max}&page=true"),
        (None, Some(min)) => format!("{id}?min_id={min}&page=true"),
        (None, None) => format!("{id}?page=true"),
    }
}

/// Public and unlisted posts as Creates, boosts as Announces, newest first.
async fn outbox_items(app: &App, account_id: Id, page: &Page) -> Result<(Vec<Value>, Option<(Id, Id)>)> {
    let statuses = timelines::account_statuses(app, None, account_id, AccountStatusesFilter::default(), page).await?;
    let account = app.store().find_account_by_id(account_id).await?;
    let me = account.as_ref().map(|a| actor_uri(app, a)).unwrap_or_default();
    let mut items = Vec::with_capacity(statuses.len());
    for status in &statuses {
        let item = match status.reblog_of_id {
            Some(original) => match app.store().find_status(original).await? {
                Some(original) => doc::announce(app, &me, status, &original).await?,
                None => continue,
            },
            None => doc::create(doc::note(app, status).await?),
        };
        items.push(without_context(item));
    }
    Ok((items, statuses.first().map(|s| s.id).zip(statuses.last().map(|s| s.id))))
}

/// `username`'s pinned posts that anyone may see, as Notes.
pub async fn featured(app: &App, username: &str) -> Result<Value> {
    let account = find_visible_local_account(app, username).await?;
    let id = format!("{}/collections/featured", actor_uri(app, &account));
    let mut notes = Vec::new();
    for status in timelines::pinned(app, None, account.id).await? {
        notes.push(doc::note(app, &status).await?);
    }
    Ok(json!({
        "@context": doc::context(),
        "id": id,
        "type": "OrderedCollection",
        "totalItems": notes.len(),
        "orderedItems": notes,
    }))
}

/// `username`'s featured hashtags: none yet, as an empty collection.
pub async fn featured_tags(app: &App, username: &str) -> Result<Value> {
    let account = find_visible_local_account(app, username).await?;
    Ok(json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": format!("{}/collections/tags", actor_uri(app, &account)),
        "type": "OrderedCollection",
        "totalItems": 0,
        "orderedItems": [],
    }))
}

/// Items inside a page share the page's context.
fn without_context(mut activity: Value) -> Value {
    if let Some(map) = activity.as_object_mut() {
        map.remove("@context");
    }
    activity
}
