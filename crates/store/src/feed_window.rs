//! The newest entries of each reader's home feed, kept in memory as Mastodon keeps home
//! feeds in Redis: apps read the top of the home timeline again and again (polling
//! with `since_id` or `min_id`), and a page within the window needs no query. The
//! window is kept like other rows (see [`crate::row_cache`]): every write to
//! `home_feed` moves the generation.

use domain::{Id, Page};

/// How many of a feed's newest entries are kept: two of Mastodon's largest pages.
pub(crate) const FEED_WINDOW: usize = 80;

/// A feed's newest entries, newest first: every entry from the oldest of them on, or
/// the whole feed when `complete`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct FeedWindow {
    newest: Vec<Id>,
    complete: bool,
}

impl FeedWindow {
    /// From the feed's newest entries, newest first, read with a limit of one more than
    /// [`FEED_WINDOW`].
    pub(crate) fn new(mut newest: Vec<Id>) -> Self {
        let complete = newest.len() <= FEED_WINDOW;
        newest.truncate(FEED_WINDOW);
        FeedWindow { newest, complete }
    }

    /// The page as the feed's query would give it (newest first), if the window holds
    /// all of it.
    pub(crate) fn page(&self, page: &Page) -> Option<Vec<Id>> {
        let lower = page.min_id.or(page.since_id);
        let inside = self
            .newest
            .iter()
            .copied()
            .filter(|id| page.max_id.is_none_or(|max| *id < max) && lower.is_none_or(|lower| *id > lower));
        let limit = page.limit as usize;
        // Every entry above `lower` is here when `lower` is no older than the window.
        let covered = self.complete || lower.zip(self.newest.last()).is_some_and(|(lower, oldest)| lower >= *oldest);
        if page.min_id.is_some() {
            // Oldest first from `min_id`: only a covered range has its oldest entries here.
            if !covered {
                return None;
            }
            let mut ids: Vec<Id> = inside.collect();
            ids.drain(..ids.len().saturating_sub(limit));
            return Some(ids);
        }
        let ids: Vec<Id> = inside.take(limit).collect();
        // Newest first: entries missing from the window are older than all it holds.
        (covered || ids.len() == limit).then_some(ids)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The page as the query gives it, from the whole feed.
    fn reference(feed: &[Id], page: &Page) -> Vec<Id> {
        let lower = page.min_id.or(page.since_id);
        let mut inside: Vec<Id> = feed
            .iter()
            .copied()
            .filter(|id| page.max_id.is_none_or(|max| *id < max) && lower.is_none_or(|lower| *id > lower))
            .collect();
        if page.min_id.is_some() {
            inside.reverse();
            inside.truncate(page.limit as usize);
            inside.reverse();
        } else {
            inside.truncate(page.limit as usize);
        }
        inside
    }

    #[test]
    fn every_page_it_answers_equals_the_query_and_the_top_is_always_answered() {
        for size in [0usize, 5, 80, 81, 200] {
            // Newest first, with gaps, as a feed's ids are.
            let feed: Vec<Id> = (0..size as i64).rev().map(|i| Id::from_i64(1000 + 3 * i)).collect();
            let mut read = feed.clone();
            read.truncate(FEED_WINDOW + 1);
            let window = FeedWindow::new(read);
            let bounds: Vec<Option<Id>> = std::iter::once(None)
                .chain((990..1000 + 3 * size as i64 + 10).step_by(7).map(|i| Some(Id::from_i64(i))))
                .collect();
            let mut answered = 0;
            for limit in [1u32, 20, 40] {
                for max_id in &bounds {
                    for lower in &bounds {
                        for ascending in [false, true] {
                            let page = Page {
                                max_id: *max_id,
                                since_id: if ascending { None } else { *lower },
                                min_id: if ascending { *lower } else { None },
                                limit,
                            };
                            if let Some(ids) = window.page(&page) {
                                assert_eq!(ids, reference(&feed, &page), "{page:?} of {size}");
                                answered += 1;
                            }
                        }
                    }
                }
                let top = Page { max_id: None, since_id: None, min_id: None, limit };
                assert_eq!(window.page(&top), Some(reference(&feed, &top)));
            }
            assert!(answered > 0);
        }
    }
}
