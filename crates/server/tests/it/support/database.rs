//! A fresh database per test: a SQLite file in a temporary folder, or a PostgreSQL
//! database created on the server named by `ROOKERY_TEST_DATABASE_URL` and dropped
//! when the test ends, pass or fail.

use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};

use sqlx::Connection;

static COUNTER: AtomicU64 = AtomicU64::new(0);

pub struct TestDatabase {
    pub url: String,
    /// The folder that holds the SQLite file and any other server state.
    pub data_dir: PathBuf,
    postgres: Option<(String, String)>,
}

impl TestDatabase {
    pub async fn create() -> TestDatabase {
        let unique = format!(
            "rookery_test_{}_{}_{}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed),
            std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().subsec_nanos()
        );
        let data_dir = std::env::temp_dir().join(&unique);
        std::fs::create_dir_all(&data_dir).unwrap();
        match std::env::var("ROOKERY_TEST_DATABASE_URL").ok().filter(|u| !u.is_empty()) {
            None => TestDatabase {
                url: format!("sqlite://{}", data_dir.join("rookery.db").display()),
                data_dir,
                postgres: None,
            },
            Some(admin_url) => {
                assert!(admin_url.starts_with("postgres"), "ROOKERY_TEST_DATABASE_URL must be a postgres:// URL");
                let mut conn = sqlx::PgConnection::connect(&admin_url).await.expect("connect to the test PostgreSQL");
                sqlx::raw_sql(sqlx::AssertSqlSafe(format!("CREATE DATABASE {unique}")))
                    .execute(&mut conn)
                    .await
                    .expect("create the test database");
                conn.close().await.ok();
                TestDatabase {
                    url: replace_database(&admin_url, &unique),
                    data_dir,
                    postgres: Some((admin_url, unique)),
                }
            }
        }
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.data_dir);
        if let Some((admin_url, name)) = self.postgres.take() {
            // Drop runs inside the test's runtime, which cannot block on itself.
            std::thread::spawn(move || {
                let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
                rt.block_on(async {
                    if let Ok(mut conn) = sqlx::PgConnection::connect(&admin_url).await {
                        let sql = format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)");
                        if let Err(e) = sqlx::raw_sql(sqlx::AssertSqlSafe(sql)).execute(&mut conn).await {
                            eprintln!("could not drop test database {name}: {e}");
                        }
                    }
                });
            })
            .join()
            .ok();
        }
    }
}

/// The same server and credentials, another database name.
fn replace_database(url: &str, name: &str) -> String {
    let (base, query) = url.split_once('?').map_or((url, None), |(b, q)| (b, Some(q)));
    let scheme_end = base.find("://").map_or(0, |i| i + 3);
    let path_start = base[scheme_end..].find('/').map_or(base.len(), |i| scheme_end + i);
    let mut out = format!("{}/{name}", &base[..path_start]);
    if let Some(q) = query {
        out.push('?');
        out.push_str(q);
    }
    out
}

#[test]
fn replaces_only_the_database_name() {
    assert_eq!(
        replace_database("postgres://postgres@127.0.0.1:5432/postgres", "t1"),
        "postgres://postgres@127.0.0.1:5432/t1"
    );
    assert_eq!(replace_database("postgres://u:p@h/db?sslmode=disable", "t1"), "postgres://u:p@h/t1?sslmode=disable");
    assert_eq!(replace_database("postgres://h", "t1"), "postgres://h/t1");
}
