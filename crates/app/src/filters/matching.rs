//! Which of a reader's filters a post matches, and what that does where it is read.

use std::sync::Arc;

use domain::{Id, MediaAttachment, Status};
use store::Filter;

use crate::App;

/// Where a post is read, as filters name the places.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    Home,
    Notifications,
    Public,
    Thread,
    Account,
}

impl Place {
    fn as_str(self) -> &'static str {
        match self {
            Place::Home => "home",
            Place::Notifications => "notifications",
            Place::Public => "public",
            Place::Thread => "thread",
            Place::Account => "account",
        }
    }
}

/// A filter a post matched, with what matched.
#[derive(Debug, Clone)]
pub struct FilterMatch {
    pub filter: Filter,
    pub keyword_matches: Vec<String>,
    pub status_matches: Vec<Id>,
}

/// The filters in force now (not expired).
pub(crate) fn active(filters: Vec<Filter>, now: i64) -> Vec<Filter> {
    filters.into_iter().filter(|f| f.expires_at.is_none_or(|at| at > now)).collect()
}

/// What `filters` match in `status` (the post shown; a boost is matched by its original).
pub fn matches(filters: &[Filter], status: &Status, media: &[MediaAttachment]) -> Vec<FilterMatch> {
    if filters.is_empty() {
        return Vec::new();
    }
    let mut text =
        crate::federation::sanitize::plain(&status.content.replace("<br", "\n<br").replace("</p>", "\n</p>"));
    text.push('\n');
    text.push_str(&status.spoiler_text);
    for m in media {
        text.push('\n');
        text.push_str(&m.description);
    }
    let text = text.to_lowercase();
    let mut found = Vec::new();
    for filter in filters {
        let keyword_matches: Vec<String> = filter
            .keywords
            .iter()
            .filter(|k| contains(&text, &k.keyword.to_lowercase(), k.whole_word))
            .map(|k| k.keyword.clone())
            .collect();
        let status_matches: Vec<Id> =
            filter.statuses.iter().filter(|s| s.status_id == status.id).map(|s| s.status_id).collect();
        if !keyword_matches.is_empty() || !status_matches.is_empty() {
            found.push(FilterMatch { filter: filter.clone(), keyword_matches, status_matches });
        }
    }
    found
}

/// Whether `text` holds `keyword`; as a whole word, it must not touch a letter or digit
/// on a side where the keyword itself begins or ends with one (as Mastodon's `\b`).
fn contains(text: &str, keyword: &str, whole_word: bool) -> bool {
    if keyword.is_empty() {
        return false;
    }
    let word = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_');
    let (first, last) = (keyword.chars().next(), keyword.chars().last());
    text.match_indices(keyword).any(|(at, _)| {
        if !whole_word {
            return true;
        }
        let before = text[..at].chars().next_back();
        let after = text[at + keyword.len()..].chars().next();
        let glued = (word(first) && word(before)) || (word(last) && word(after));
        !glued
    })
}

/// `statuses` without those a `hide` filter for `place` matches, for `reader`.
pub(crate) async fn without_hidden(
    app: &App,
    reader: Option<Id>,
    place: Place,
    statuses: Vec<Arc<Status>>,
) -> crate::Result<Vec<Arc<Status>>> {
    let Some(reader) = reader else { return Ok(statuses) };
    let hidden = hidden_ids(app, reader, place, &statuses).await?;
    Ok(statuses.into_iter().filter(|s| !hidden.contains(&s.id)).collect())
}

/// Of `statuses`, the ids of those a `hide` filter of `reader` for `place` matches.
pub(crate) async fn hidden_ids(
    app: &App,
    reader: Id,
    place: Place,
    statuses: &[Arc<Status>],
) -> crate::Result<domain::IdSet> {
    let filters: Vec<Filter> = active(app.store().list_filters(reader).await?, crate::now_millis())
        .into_iter()
        .filter(|f| f.action == "hide" && f.context.iter().any(|c| c == place.as_str()))
        .collect();
    if filters.is_empty() || statuses.is_empty() {
        return Ok(Default::default());
    }
    let originals: Vec<Id> = statuses.iter().filter_map(|s| s.reblog_of_id).collect();
    let originals = app.store().list_statuses(&originals).await?;
    let shown: Vec<&Status> = statuses
        .iter()
        .map(|s| s.reblog_of_id.and_then(|id| originals.iter().find(|o| o.id == id)).unwrap_or(s).as_ref())
        .collect();
    let ids: Vec<Id> = shown.iter().filter(|s| !s.media.is_empty()).map(|s| s.id).collect();
    let media: domain::IdMap<Vec<MediaAttachment>> = app.store().list_media_of_statuses(&ids).await?;
    Ok(statuses
        .iter()
        .zip(shown)
        .filter(|(_, s)| !matches(&filters, s, media.get(&s.id).map_or(&[], Vec::as_slice)).is_empty())
        .map(|(s, _)| s.id)
        .collect())
}

#[cfg(test)]
mod tests {
    use super::contains;

    #[test]
    fn whole_words_match_only_at_word_boundaries() {
        assert!(contains("i love rust.", "rust", true));
        assert!(!contains("trusty", "rust", true));
        assert!(contains("trusty", "rust", false));
        assert!(contains("see #rust!", "#rust", true));
        assert!(contains("été chaud", "été", true));
        assert!(!contains("étés", "été", true));
    }
}
