//! Which posts of a page the viewer favourited, bookmarked, pinned or boosted. Most
//! people mark few of the recent posts their timelines show, so the marks from a page's
//! oldest post on are read whole when few and kept (see [`crate::row_cache`]); writes
//! to the mark tables move the kept rows' generation like any other kept table.

use std::sync::Arc;

use domain::Id;

use crate::row::i64_col;
use crate::sql::{SMALL_SET, Sql};
use crate::{Result, Store, ViewerFlags, row_cache};

/// A viewer's marks on posts from `floor` on, all of them.
#[derive(Debug)]
pub(crate) struct MarksSince {
    floor: Id,
    marks: Vec<(Mark, Id)>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mark {
    Favourite,
    Bookmark,
    Pin,
    Boost,
}

impl Store {
    pub async fn find_viewer_flags(&self, viewer: Id, status_ids: &[Id]) -> Result<ViewerFlags> {
        let (Some(&min), Some(&max)) = (status_ids.iter().min(), status_ids.iter().max()) else {
            return Ok(ViewerFlags::default());
        };
        let marks = match self.marks_since(viewer, min, max).await? {
            Some(marks) => marks,
            // Many marks since the page's oldest post: each post is looked up.
            None => {
                let raw: Vec<i64> = status_ids.iter().map(|i| i.as_i64()).collect();
                let each = |sql: &mut Sql, column: &str| {
                    sql.push(&format!(" AND {column} IN ")).int_list(raw.iter().copied());
                };
                Arc::new(MarksSince { floor: min, marks: self.mark_rows(viewer, each, None).await? })
            }
        };
        let wanted: domain::IdSet = status_ids.iter().copied().collect();
        let mut flags = ViewerFlags::default();
        for &(mark, id) in marks.marks.iter().filter(|(_, id)| wanted.contains(id)) {
            match mark {
                Mark::Favourite => flags.favourited.insert(id),
                Mark::Bookmark => flags.bookmarked.insert(id),
                Mark::Pin => flags.pinned.insert(id),
                Mark::Boost => flags.reblogged.insert(id),
            };
        }
        Ok(flags)
    }

    /// The viewer's marks on posts from `min` on, covering the posts up to `max`; `None`
    /// when there are too many to read whole.
    async fn marks_since(&self, viewer: Id, min: Id, max: Id) -> Result<Option<Arc<MarksSince>>> {
        let generation = self.row_generation();
        if let Some(generation) = generation
            && let Some(kept) = row_cache::kept(&self.rows.marks, generation, viewer)
            && kept.floor <= min
        {
            return Ok(Some(kept));
        }
        let since = |sql: &mut Sql, column: &str| {
            sql.push(&format!(" AND {column} >= ")).int(min.as_i64());
        };
        let marks = self.mark_rows(viewer, since, Some(SMALL_SET + 1)).await?;
        if marks.len() <= SMALL_SET {
            let marks = Arc::new(MarksSince { floor: min, marks });
            if let Some(generation) = generation {
                row_cache::keep_one(&self.rows.marks, generation, viewer, marks.clone());
            }
            return Ok(Some(marks));
        }
        // Cut off in id order: whole up to the last one read.
        let reached = marks.last().map(|(_, id)| *id);
        Ok(reached.is_some_and(|last| last > max).then(|| Arc::new(MarksSince { floor: min, marks })))
    }

    /// The viewer's favourites, bookmarks, pins and boosts of the posts `narrow` picks
    /// (by the column it is given); with a limit, the first of them in id order.
    async fn mark_rows(
        &self,
        viewer: Id,
        narrow: impl Fn(&mut Sql, &str),
        limit: Option<usize>,
    ) -> Result<Vec<(Mark, Id)>> {
        let mut sql = Sql::new("SELECT 'f' AS kind, status_id AS id FROM favourites WHERE account_id = ");
        sql.int(viewer.as_i64());
        narrow(&mut sql, "status_id");
        sql.push(" UNION ALL SELECT 'b' AS kind, status_id AS id FROM bookmarks WHERE account_id = ");
        sql.int(viewer.as_i64());
        narrow(&mut sql, "status_id");
        sql.push(" UNION ALL SELECT 'p' AS kind, status_id AS id FROM status_pins WHERE account_id = ");
        sql.int(viewer.as_i64());
        narrow(&mut sql, "status_id");
        sql.push(" UNION ALL SELECT 'r' AS kind, reblog_of_id AS id FROM statuses WHERE account_id = ");
        sql.int(viewer.as_i64());
        narrow(&mut sql, "reblog_of_id");
        if let Some(limit) = limit {
            sql.push(&format!(" ORDER BY id LIMIT {limit}"));
        }
        let rows = sql.query().fetch_all(&self.reader).await?;
        rows.iter()
            .map(|row| {
                let mark = match crate::row::text_col(row, "kind")?.as_str() {
                    "f" => Mark::Favourite,
                    "b" => Mark::Bookmark,
                    "p" => Mark::Pin,
                    _ => Mark::Boost,
                };
                Ok((mark, Id::from_i64(i64_col(row, "id")?)))
            })
            .collect()
    }
}
