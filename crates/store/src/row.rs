//! Decoding helpers for the portable column types.

use crate::db::Row;

use crate::Result;

pub(crate) fn i64_col(row: &Row, name: &str) -> Result<i64> {
    row.try_get::<i64, _>(name)
}

pub(crate) fn opt_i64_col(row: &Row, name: &str) -> Result<Option<i64>> {
    row.try_get::<Option<i64>, _>(name)
}

pub(crate) fn text_col(row: &Row, name: &str) -> Result<String> {
    row.try_get::<String, _>(name)
}

/// Flags are stored as BIGINT 0/1: SQLite has no boolean type.
pub(crate) fn flag_col(row: &Row, name: &str) -> Result<bool> {
    Ok(i64_col(row, name)? != 0)
}
