//! Mastodon's Filter (v2), FilterKeyword, FilterStatus, FilterResult and V1::Filter.

use app::filters::matching::FilterMatch;
use serde::Serialize;
use store::{Filter, FilterKeyword, FilterStatus};

use crate::format::datetime;

#[derive(Debug, Serialize)]
pub(crate) struct FilterKeywordEntity {
    id: String,
    keyword: String,
    whole_word: bool,
}

impl From<&FilterKeyword> for FilterKeywordEntity {
    fn from(k: &FilterKeyword) -> Self {
        FilterKeywordEntity { id: k.id.to_string(), keyword: k.keyword.clone(), whole_word: k.whole_word }
    }
}

#[derive(Debug, Serialize)]
pub(crate) struct FilterStatusEntity {
    id: String,
    status_id: String,
}

impl From<&FilterStatus> for FilterStatusEntity {
    fn from(s: &FilterStatus) -> Self {
        FilterStatusEntity { id: s.id.to_string(), status_id: s.status_id.to_string() }
    }
}

#[derive(Debug, Serialize)]
pub(crate) struct FilterEntity {
    id: String,
    pub(crate) title: String,
    context: Vec<String>,
    expires_at: Option<String>,
    filter_action: String,
    keywords: Vec<FilterKeywordEntity>,
    statuses: Vec<FilterStatusEntity>,
}

impl From<&Filter> for FilterEntity {
    fn from(f: &Filter) -> Self {
        FilterEntity {
            id: f.id.to_string(),
            title: f.title.clone(),
            context: f.context.clone(),
            expires_at: f.expires_at.map(datetime),
            filter_action: f.action.clone(),
            keywords: f.keywords.iter().map(FilterKeywordEntity::from).collect(),
            statuses: f.statuses.iter().map(FilterStatusEntity::from).collect(),
        }
    }
}

/// A filter a post matched, as the post's `filtered` lists it.
#[derive(Debug, Serialize)]
pub(crate) struct FilterResultEntity {
    pub(crate) filter: FilterEntity,
    keyword_matches: Option<Vec<String>>,
    status_matches: Option<Vec<String>>,
}

impl From<&FilterMatch> for FilterResultEntity {
    fn from(m: &FilterMatch) -> Self {
        let statuses: Vec<String> = m.status_matches.iter().map(ToString::to_string).collect();
        FilterResultEntity {
            filter: FilterEntity::from(&m.filter),
            keyword_matches: Some(m.keyword_matches.clone()).filter(|k| !k.is_empty()),
            status_matches: Some(statuses).filter(|s| !s.is_empty()),
        }
    }
}

/// v1's filter: one keyword with its filter's settings.
#[derive(Debug, Serialize)]
pub(crate) struct V1FilterEntity {
    id: String,
    phrase: String,
    context: Vec<String>,
    whole_word: bool,
    expires_at: Option<String>,
    irreversible: bool,
}

impl V1FilterEntity {
    pub(crate) fn new(filter: &Filter, keyword: &FilterKeyword) -> Self {
        V1FilterEntity {
            id: keyword.id.to_string(),
            phrase: keyword.keyword.clone(),
            context: filter.context.clone(),
            whole_word: keyword.whole_word,
            expires_at: filter.expires_at.map(datetime),
            irreversible: filter.action == "hide",
        }
    }
}
