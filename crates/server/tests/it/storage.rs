//! The database across restarts: migrations apply once, data stays, ids sort by time.

use crate::support::TestServer;

#[tokio::test]
async fn data_survives_a_restart_and_migrations_apply_once() {
    let server = TestServer::start().await;
    server.create_account("alice", "a@example.org", "admin");
    let applied = server.app().store().list_applied_migrations().await.unwrap();
    assert_eq!(applied, store::MIGRATIONS.iter().map(|m| m.0).collect::<Vec<_>>());

    let server = server.restart().await;
    assert_eq!(server.app().store().list_applied_migrations().await.unwrap(), applied);
    let v1 = server.get_json("/api/v1/instance").await;
    assert_eq!(v1["stats"]["user_count"], 1);
    assert_eq!(v1["contact_account"]["username"], "alice");
    assert!(app::accounts::authenticate(server.app(), "a@example.org", "wrong").await.unwrap().is_none());
}

#[tokio::test]
async fn ids_are_strings_that_sort_by_creation_time() {
    let server = TestServer::start().await;
    let before = app::now_millis();
    server.create_account("first", "1@example.org", "admin");
    let first: String =
        server.get_json("/api/v2/instance").await["contact"]["account"]["id"].as_str().unwrap().to_owned();
    server.cli_ok(&["admin", "account", "set-role", "--username", "first", "--role", "user"]);
    server.create_account("second", "2@example.org", "admin");
    let second: String =
        server.get_json("/api/v2/instance").await["contact"]["account"]["id"].as_str().unwrap().to_owned();

    let (a, b): (i64, i64) = (first.parse().unwrap(), second.parse().unwrap());
    assert!(b > a, "later accounts get larger ids");
    let millis = a >> 16;
    assert!(millis >= before && millis <= app::now_millis(), "the high bits are the creation time in ms");
}

#[tokio::test]
async fn accounts_get_an_rsa_key_pair_for_federation() {
    let server = TestServer::start().await;
    server.create_account("alice", "a@example.org", "admin");
    let id: domain::Id =
        server.get_json("/api/v2/instance").await["contact"]["account"]["id"].as_str().unwrap().parse().unwrap();
    let pem = server.app().store().find_public_key_pem(id).await.unwrap().unwrap();
    assert!(pem.starts_with("-----BEGIN PUBLIC KEY-----\n"));
    // 2048-bit RSA SubjectPublicKeyInfo is 294 bytes: 392 base64 characters.
    let base64_len: usize = pem.lines().filter(|l| !l.starts_with("-----")).map(str::len).sum();
    assert_eq!(base64_len, 392);
}

#[tokio::test]
async fn sqlite_runs_in_wal_mode() {
    let server = TestServer::start().await;
    if !server.db.url.starts_with("sqlite") {
        return;
    }
    server.cli_ok(&["admin", "account", "create", "--username", "alice", "--email", "a@example.org"]);
    assert!(server.db.data_dir.join("rookery.db-wal").exists(), "a write-ahead log beside the database");
}
