//! Decoding helpers for the portable column types.

use sqlx::Row;
use sqlx::any::AnyRow;

use crate::Result;

pub(crate) fn i64_col(row: &AnyRow, name: &str) -> Result<i64> {
    Ok(row.try_get::<i64, _>(name)?)
}

pub(crate) fn opt_i64_col(row: &AnyRow, name: &str) -> Result<Option<i64>> {
    Ok(row.try_get::<Option<i64>, _>(name)?)
}

pub(crate) fn text_col(row: &AnyRow, name: &str) -> Result<String> {
    Ok(row.try_get::<String, _>(name)?)
}

/// Flags are stored as BIGINT 0/1: SQLite has no boolean type and the `Any` driver
/// will not decode its integers as booleans.
pub(crate) fn flag_col(row: &AnyRow, name: &str) -> Result<bool> {
    Ok(i64_col(row, name)? != 0)
}
