//! A small builder for queries whose clauses depend on the request (pagination,
//! filters), keeping `$N` placeholders numbered for both databases.

use crate::db::{Query, Value};
use domain::{Id, Page};

/// How many of one account's rows (its blocks, its marks on a page's posts) are read
/// whole and sifted in memory rather than looked up one by one.
pub(crate) const SMALL_SET: usize = 400;
/// Below this many ids, looking each up beats reading the account's whole set.
pub(crate) const FEW_LOOKUPS: usize = 4;

pub(crate) enum Arg {
    Int(i64),
    Text(String),
}

#[derive(Default)]
pub(crate) struct Sql {
    text: String,
    args: Vec<Arg>,
}

impl Sql {
    pub(crate) fn new(text: &str) -> Self {
        Sql { text: text.to_owned(), args: Vec::new() }
    }

    pub(crate) fn push(&mut self, text: &str) -> &mut Self {
        self.text.push_str(text);
        self
    }

    /// Appends a placeholder for `value`.
    pub(crate) fn int(&mut self, value: i64) -> &mut Self {
        self.args.push(Arg::Int(value));
        self.placeholder()
    }

    pub(crate) fn text(&mut self, value: &str) -> &mut Self {
        self.args.push(Arg::Text(value.to_owned()));
        self.placeholder()
    }

    fn placeholder(&mut self) -> &mut Self {
        use std::fmt::Write as _;
        // Writing to a String cannot fail.
        let _ = write!(self.text, "${}", self.args.len());
        self
    }

    /// `(a, b, c)` of integer placeholders; `(NULL)` when empty, which matches nothing.
    pub(crate) fn int_list(&mut self, values: impl IntoIterator<Item = i64>) -> &mut Self {
        self.text.push('(');
        let mut any = false;
        for (i, v) in values.into_iter().enumerate() {
            if i > 0 {
                self.text.push_str(", ");
            }
            self.int(v);
            any = true;
        }
        if !any {
            self.text.push_str("NULL");
        }
        self.text.push(')');
        self
    }

    /// ` AND col < max AND col > since/min ORDER BY col ... LIMIT n`. Returns whether the
    /// rows come oldest first (paging forward with `min_id`), to be reversed.
    pub(crate) fn page(&mut self, column: &str, page: &Page) -> bool {
        if let Some(max) = page.max_id {
            self.push(&format!(" AND {column} < ")).int(max.as_i64());
        }
        let lower = page.min_id.or(page.since_id).map(Id::as_i64);
        if let Some(lower) = lower {
            self.push(&format!(" AND {column} > ")).int(lower);
        }
        let ascending = page.min_id.is_some();
        // The limit is written as a literal: SQLite plans ORDER BY ... LIMIT with the
        // limit's value, so a bound limit re-prepares the statement at every run.
        let order = if ascending { "ASC" } else { "DESC" };
        self.push(&format!(" ORDER BY {column} {order} LIMIT {}", page.limit));
        ascending
    }

    pub(crate) fn query(&self) -> Query<'_> {
        let mut query = crate::db::query(&self.text);
        for arg in &self.args {
            query = query.bind(match arg {
                Arg::Int(v) => Value::Int(*v),
                Arg::Text(v) => Value::Text(v.clone()),
            });
        }
        query
    }
}
