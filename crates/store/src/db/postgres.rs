//! PostgreSQL through sqlx; rows are converted to the portable [`Value`]s.

use std::sync::Arc;

use sqlx::postgres::{PgArguments, PgRow};
use sqlx::{Column, Executor, Postgres, Row as _, TypeInfo, ValueRef};

use super::{Row, Value};
use crate::{Result, StoreError};

fn build(sql: &str, args: Vec<Value>) -> sqlx::query::Query<'static, Postgres, PgArguments> {
    let mut query = sqlx::query(sqlx::AssertSqlSafe(sql.to_owned()));
    for arg in args {
        query = match arg {
            Value::Int(v) => query.bind(v),
            Value::Text(v) => query.bind(v),
            Value::NullInt => query.bind(None::<i64>),
            Value::NullText => query.bind(None::<String>),
        };
    }
    query
}

pub(crate) async fn fetch<'c, E: Executor<'c, Database = Postgres>>(
    executor: E,
    sql: &str,
    args: Vec<Value>,
) -> Result<Vec<Row>> {
    let rows = build(sql, args).fetch_all(executor).await?;
    let Some(first) = rows.first() else { return Ok(Vec::new()) };
    let columns: Arc<[String]> = first.columns().iter().map(|c| c.name().to_owned()).collect();
    rows.iter().map(|row| Ok(Row::new(columns.clone(), values(row)?))).collect()
}

pub(crate) async fn fetch_optional<'c, E: Executor<'c, Database = Postgres>>(
    executor: E,
    sql: &str,
    args: Vec<Value>,
) -> Result<Option<Row>> {
    let Some(row) = build(sql, args).fetch_optional(executor).await? else { return Ok(None) };
    let columns: Arc<[String]> = row.columns().iter().map(|c| c.name().to_owned()).collect();
    Ok(Some(Row::new(columns, values(&row)?)))
}

pub(crate) async fn execute<'c, E: Executor<'c, Database = Postgres>>(
    executor: E,
    sql: &str,
    args: Vec<Value>,
) -> Result<u64> {
    Ok(build(sql, args).execute(executor).await?.rows_affected())
}

fn values(row: &PgRow) -> Result<Vec<Value>> {
    let mut values = Vec::with_capacity(row.len());
    for (i, column) in row.columns().iter().enumerate() {
        if row.try_get_raw(i)?.is_null() {
            values.push(Value::NullInt);
            continue;
        }
        values.push(match column.type_info().name() {
            "INT8" => Value::Int(row.try_get::<i64, _>(i)?),
            "INT4" => Value::Int(i64::from(row.try_get::<i32, _>(i)?)),
            "INT2" => Value::Int(i64::from(row.try_get::<i16, _>(i)?)),
            "BOOL" => Value::Int(i64::from(row.try_get::<bool, _>(i)?)),
            "TEXT" | "VARCHAR" | "NAME" | "BPCHAR" => Value::Text(row.try_get::<String, _>(i)?),
            other => {
                return Err(StoreError::Corrupt(format!(
                    "column `{}` has the type {other}, which the portable schema does not use",
                    column.name()
                )));
            }
        });
    }
    Ok(values)
}
