//! Pages of statuses written as JSON from fragments rendered once and kept between
//! requests: what a post shows to everyone, and each author's Account. A fragment is
//! reused only while everything it was made from is equal to what was just loaded (the
//! post, its attachments, app and mentioned accounts; the account and its role), so it
//! is never stale, whichever node or process changed the data. What depends on the
//! viewer (favourited, filtered, ...) is written at each request.

use std::sync::{Arc, Mutex};

use app::Config;
use app::statuses::Hydration;
use domain::{Account, Id, MediaAttachment, Role, Status};
use serde::ser::{Serialize, SerializeStruct, Serializer};

use super::account::AccountEntity;
use super::status::{QuoteApproval, StatusEntity};

/// Fragments kept per kind; past it the kind starts over (a page needs about 40).
const KEPT: usize = 8192;

/// The fragments of one server, shared by its requests.
#[derive(Default)]
pub(crate) struct RenderCache {
    statuses: Mutex<domain::IdMap<Arc<StatusFragment>>>,
    accounts: Mutex<domain::IdMap<Arc<AccountFragment>>>,
}

/// A post's viewer-independent fields: `{"id":...` without the closing brace.
struct StatusFragment {
    /// Shared with the kept row it was made from, so that an unchanged post is seen as
    /// such without comparing every field.
    status: Arc<Status>,
    /// In a local post's URL.
    author_username: String,
    media: Vec<MediaAttachment>,
    application: Option<(String, Option<String>)>,
    mentioned: Vec<(Id, String, Option<String>)>,
    json: String,
}

struct AccountFragment {
    row: Arc<(Account, Option<Role>)>,
    json: String,
}

impl RenderCache {
    /// Writes `statuses` as a JSON array, leaving out posts whose author is unknown (as
    /// [`super::status::list`] does).
    pub(crate) fn write_page(
        &self,
        config: &Config,
        statuses: &[Arc<Status>],
        h: &Hydration,
        viewer: Option<Id>,
    ) -> String {
        let mut out = String::with_capacity(statuses.len() * 2048 + 2);
        out.push('[');
        for status in statuses {
            let before = out.len();
            if before > 1 {
                out.push(',');
            }
            if !self.write_status(&mut out, config, status, h, viewer) {
                out.truncate(before);
            }
        }
        out.push(']');
        out
    }

    /// Writes one post; writes nothing and returns false when its author is unknown.
    fn write_status(
        &self,
        out: &mut String,
        config: &Config,
        status: &Arc<Status>,
        h: &Hydration,
        viewer: Option<Id>,
    ) -> bool {
        let Some(author_row) = h.accounts.get(&status.account_id) else {
            return false;
        };
        let author = &author_row.0;
        let own = viewer == Some(status.account_id);
        out.push_str(&self.status_fragment(config, status, h).json);
        let flags = &h.flags;
        let sensitive = status.sensitive || (author.moderation.sensitized_at.is_some() && !status.media.is_empty());
        for (name, value) in [
            ("sensitive", sensitive),
            ("favourited", flags.favourited.contains(&status.id)),
            ("reblogged", flags.reblogged.contains(&status.id)),
            ("muted", flags.muted_conversations.contains(&status.conversation_id)),
            ("bookmarked", flags.bookmarked.contains(&status.id)),
        ]
        .into_iter()
        .chain(own.then(|| ("pinned", flags.pinned.contains(&status.id))))
        {
            push_field(out, name, value);
        }
        out.push_str(",\"filtered\":");
        match h.filtered.get(&status.id) {
            Some(matched) => {
                let entities: Vec<super::filter::FilterResultEntity> = matched.iter().map(Into::into).collect();
                push_json(out, &entities);
            }
            None => out.push_str("[]"),
        }
        out.push_str(",\"quote_approval\":");
        out.push_str(quote_approval(status.visibility == domain::Visibility::Public, own));
        out.push_str(",\"reblog\":");
        let original = status.reblog_of_id.and_then(|id| h.originals.get(&id));
        if !original.is_some_and(|original| self.write_status(out, config, original, h, viewer)) {
            out.push_str("null");
        }
        out.push_str(",\"account\":");
        out.push_str(&self.account_fragment(config, author_row).json);
        out.push('}');
        true
    }

    fn status_fragment(&self, config: &Config, status: &Arc<Status>, h: &Hydration) -> Arc<StatusFragment> {
        let media = h.media.get(&status.id).map_or(&[][..], Vec::as_slice);
        let application = status.application_id.and_then(|id| h.applications.get(&id));
        let mentioned = || status.mentions.iter().filter_map(|id| h.accounts.get(id)).map(|row| &row.0);
        let cached = lock(&self.statuses).get(&status.id).cloned();
        let author_username = h.accounts.get(&status.account_id).map_or("", |row| row.0.username.as_str());
        if let Some(fragment) = cached
            && (Arc::ptr_eq(&fragment.status, status) || *fragment.status == **status)
            && fragment.author_username == author_username
            && fragment.media == media
            && fragment.application.as_ref().map(|(n, w)| (n, w)) == application.map(|a| (&a.name, &a.website))
            && fragment.mentioned.len() == mentioned().count()
            && fragment
                .mentioned
                .iter()
                .zip(mentioned())
                .all(|((id, u, d), a)| *id == a.id && *u == a.username && *d == a.domain)
        {
            return fragment;
        }
        let entity = StatusEntity::new(config, status, h, None);
        let mut json = entity.as_ref().map_or_else(String::new, |e| to_json(&Shared(e)));
        json.pop(); // the closing brace: the viewer's fields follow
        let fragment = Arc::new(StatusFragment {
            status: Arc::clone(status),
            author_username: author_username.to_owned(),
            media: media.to_vec(),
            application: application.map(|a| (a.name.clone(), a.website.clone())),
            mentioned: mentioned().map(|a| (a.id, a.username.clone(), a.domain.clone())).collect(),
            json,
        });
        keep(&self.statuses, status.id, fragment.clone());
        fragment
    }

    fn account_fragment(&self, config: &Config, row: &Arc<(Account, Option<Role>)>) -> Arc<AccountFragment> {
        let account = &row.0;
        let cached = lock(&self.accounts).get(&account.id).cloned();
        if let Some(fragment) = cached
            && (Arc::ptr_eq(&fragment.row, row) || *fragment.row == **row)
        {
            return fragment;
        }
        let json = to_json(&AccountEntity::new(config, account, row.1));
        let fragment = Arc::new(AccountFragment { row: Arc::clone(row), json });
        keep(&self.accounts, account.id, fragment.clone());
        fragment
    }
}

/// The fields of a Status that are the same for every viewer, in Mastodon's order.
struct Shared<'a>(&'a StatusEntity);

/// Every field of [`StatusEntity`] that [`Shared`] leaves out: [`RenderCache`] writes
/// them per viewer.
#[cfg(test)]
const PER_VIEWER: [&str; 10] = [
    "sensitive",
    "favourited",
    "reblogged",
    "muted",
    "bookmarked",
    "pinned",
    "filtered",
    "quote_approval",
    "reblog",
    "account",
];

impl Serialize for Shared<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let e = self.0;
        let mut s = serializer.serialize_struct("Status", 23)?;
        s.serialize_field("id", &e.id)?;
        s.serialize_field("created_at", &e.created_at)?;
        s.serialize_field("in_reply_to_id", &e.in_reply_to_id)?;
        s.serialize_field("in_reply_to_account_id", &e.in_reply_to_account_id)?;
        s.serialize_field("spoiler_text", &e.spoiler_text)?;
        s.serialize_field("visibility", &e.visibility)?;
        s.serialize_field("language", &e.language)?;
        s.serialize_field("uri", &e.uri)?;
        s.serialize_field("url", &e.url)?;
        s.serialize_field("replies_count", &e.replies_count)?;
        s.serialize_field("reblogs_count", &e.reblogs_count)?;
        s.serialize_field("favourites_count", &e.favourites_count)?;
        s.serialize_field("quotes_count", &e.quotes_count)?;
        s.serialize_field("edited_at", &e.edited_at)?;
        s.serialize_field("content", &e.content)?;
        if let Some(application) = &e.application {
            s.serialize_field("application", application)?;
        }
        s.serialize_field("media_attachments", &e.media_attachments)?;
        s.serialize_field("mentions", &e.mentions)?;
        s.serialize_field("tags", &e.tags)?;
        s.serialize_field("emojis", &e.emojis)?;
        s.serialize_field("card", &e.card)?;
        s.serialize_field("poll", &e.poll)?;
        s.serialize_field("quote", &e.quote)?;
        s.end()
    }
}

/// `,"name":true` or `,"name":false`.
fn push_field(out: &mut String, name: &str, value: bool) {
    out.push_str(",\"");
    out.push_str(name);
    out.push_str(if value { "\":true" } else { "\":false" });
}

/// The quote policy as JSON: one of four, each written once.
fn quote_approval(public: bool, own: bool) -> &'static str {
    static WRITTEN: std::sync::OnceLock<[String; 4]> = std::sync::OnceLock::new();
    let written = WRITTEN.get_or_init(|| {
        [(false, false), (false, true), (true, false), (true, true)].map(|(p, o)| to_json(&QuoteApproval::new(p, o)))
    });
    &written[usize::from(public) * 2 + usize::from(own)]
}

fn to_json<T: Serialize>(value: &T) -> String {
    // Serialising these entities cannot fail: no maps with non-string keys, no I/O.
    serde_json::to_string(value).unwrap_or_default()
}

fn push_json<T: Serialize>(out: &mut String, value: &T) {
    out.push_str(&to_json(value));
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    // A panic while holding the lock leaves a map that is still whole.
    mutex.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

fn keep<T>(map: &Mutex<domain::IdMap<Arc<T>>>, id: Id, value: Arc<T>) {
    let mut map = lock(map);
    if map.len() >= KEPT {
        map.clear();
    }
    map.insert(id, value);
}

#[cfg(test)]
#[path = "rendered_tests.rs"]
mod tests;
