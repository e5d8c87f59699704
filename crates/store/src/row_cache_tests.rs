use domain::Id;

use crate::db::query;
use crate::test_support::{TestStore, post};
use crate::{ConnectOptions, Store};

async fn favourites(store: &Store, id: Id) -> i64 {
    store.list_statuses(&[id]).await.unwrap()[0].favourites_count
}

async fn display_name(store: &Store, id: Id) -> String {
    store.list_accounts(&[id]).await.unwrap()[0].0.display_name.clone()
}

#[tokio::test]
async fn kept_rows_give_way_to_every_committed_write_here_or_in_another_process() {
    let (alice, post_id) = (Id::from_i64(10), Id::from_i64(100));
    let t = TestStore::new("row-cache").await.with_account(alice, "alice").await;
    let store = &t.store;
    store.insert_status(&post(post_id.as_i64(), alice, "https://social.example/s/100"), &[], None).await.unwrap();
    assert_eq!(favourites(store, post_id).await, 0);
    // Read again, it comes from memory.
    let generation = store.row_generation().unwrap();
    assert_eq!(store.rows.statuses(generation, &[post_id]).0[&post_id].favourites_count, 0);
    assert_eq!(favourites(store, post_id).await, 0);

    // A statement on the writer, outside a transaction.
    query("UPDATE statuses SET favourites_count = 5 WHERE id = $1")
        .bind(post_id.as_i64())
        .execute(&store.writer)
        .await
        .unwrap();
    assert_eq!(favourites(store, post_id).await, 5);

    // A transaction: seen once committed, not while open nor when rolled back.
    let mut tx = store.begin_write().await.unwrap();
    query("UPDATE statuses SET favourites_count = 6 WHERE id = $1")
        .bind(post_id.as_i64())
        .execute(&mut tx)
        .await
        .unwrap();
    assert_eq!(favourites(store, post_id).await, 5);
    drop(tx);
    assert_eq!(favourites(store, post_id).await, 5);
    let mut tx = store.begin_write().await.unwrap();
    query("UPDATE statuses SET favourites_count = 7 WHERE id = $1")
        .bind(post_id.as_i64())
        .execute(&mut tx)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(favourites(store, post_id).await, 7);

    // Another process: a second store on the same file, as the admin CLI opens it.
    assert_eq!(display_name(store, alice).await, "");
    let other = Store::connect(&ConnectOptions { url: t.url(), max_connections: 1 }).await.unwrap();
    query("UPDATE accounts SET display_name = 'Alice' WHERE id = $1")
        .bind(alice.as_i64())
        .execute(&other.writer)
        .await
        .unwrap();
    other.close().await;
    assert_eq!(display_name(store, alice).await, "Alice");
    t.close().await;
}

#[tokio::test]
async fn kept_mutes_still_expire_and_give_way_to_new_ones() {
    let (alice, bob, carol) = (Id::from_i64(10), Id::from_i64(20), Id::from_i64(30));
    let t = TestStore::new("row-cache-mutes").await.with_account(alice, "alice").await;
    let t = t.with_account(bob, "bob").await.with_account(carol, "carol").await;
    let store = &t.store;
    query(
        "INSERT INTO mutes (id, account_id, target_account_id, notifications, expires_at, created_at) \
           VALUES (1, 10, 20, 0, 100, 1)",
    )
    .execute(&store.writer)
    .await
    .unwrap();
    let muted = store.find_muted(alice, 50).await.unwrap();
    assert!(muted.accounts.contains(&bob) && muted.notifications.is_empty());
    // The same kept rows, later: the mute has run out.
    assert!(store.find_muted(alice, 150).await.unwrap().accounts.is_empty());
    query(
        "INSERT INTO mutes (id, account_id, target_account_id, notifications, expires_at, created_at) \
           VALUES (2, 10, 30, 1, NULL, 1)",
    )
    .execute(&store.writer)
    .await
    .unwrap();
    let muted = store.find_muted(alice, 150).await.unwrap();
    assert_eq!((muted.accounts.len(), muted.notifications.contains(&carol)), (1, true));
    t.close().await;
}

/// Two nodes on one PostgreSQL database (run when `ROOKERY_TEST_DATABASE_URL` names a
/// server): a write on one reaches the rows the other keeps once its notification does.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn on_postgresql_kept_rows_give_way_to_another_nodes_writes() {
    let Ok(admin_url) = std::env::var("ROOKERY_TEST_DATABASE_URL") else { return };
    let name = format!("rookery_rows_{}", std::process::id());
    let admin = Store::connect(&ConnectOptions { url: admin_url.clone(), max_connections: 1 }).await.unwrap();
    query(&format!("CREATE DATABASE {name}")).execute(&admin.writer).await.unwrap();
    let url = format!("{}/{name}", admin_url.rsplit_once('/').map_or(admin_url.as_str(), |(base, _)| base));
    let (one, other) = (
        Store::connect(&ConnectOptions { url: url.clone(), max_connections: 2 }).await.unwrap(),
        Store::connect(&ConnectOptions { url, max_connections: 2 }).await.unwrap(),
    );
    one.migrate().await.unwrap();
    let (alice, post_id) = (Id::from_i64(10), Id::from_i64(100));
    query(
        "INSERT INTO accounts (id, username, domain, display_name, created_at, updated_at, public_key_pem) \
           VALUES (10, 'alice', '', '', 1, 1, '')",
    )
    .execute(&one.writer)
    .await
    .unwrap();
    one.insert_status(&post(post_id.as_i64(), alice, "https://social.example/s/100"), &[], None).await.unwrap();
    // Once listening, the first node keeps what it reads.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while one.row_generation().is_none() {
        assert!(std::time::Instant::now() < deadline, "the node never listened");
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    // Its own writes' notifications come back to it too; let them arrive.
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    assert_eq!(favourites(&one, post_id).await, 0);
    assert!(one.rows.statuses(one.row_generation().unwrap(), &[post_id]).1.is_empty(), "kept");

    query("UPDATE statuses SET favourites_count = 3 WHERE id = $1")
        .bind(post_id.as_i64())
        .execute(&other.writer)
        .await
        .unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    while favourites(&one, post_id).await != 3 {
        assert!(std::time::Instant::now() < deadline, "the other node's write was never seen");
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    }
    let mut tx = other.begin_write().await.unwrap();
    query("UPDATE statuses SET favourites_count = 4 WHERE id = $1")
        .bind(post_id.as_i64())
        .execute(&mut tx)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    while favourites(&one, post_id).await != 4 {
        assert!(std::time::Instant::now() < deadline, "the other node's transaction was never seen");
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    }
    one.close().await;
    other.close().await;
    query(&format!("DROP DATABASE {name} WITH (FORCE)")).execute(&admin.writer).await.unwrap();
    admin.close().await;
}

#[tokio::test]
async fn kept_web_sessions_still_end_and_give_way_to_signing_out() {
    let alice = Id::from_i64(10);
    let t = TestStore::new("kept-sessions").await.with_account(alice, "alice").await;
    let store = &t.store;
    store.insert_web_session("digest-one", alice, 1, 1_000).await.unwrap();
    assert_eq!(store.find_web_session_account("digest-one", 500).await.unwrap(), Some(alice));
    assert_eq!(store.find_web_session_account("digest-one", 500).await.unwrap(), Some(alice), "from memory");
    assert_eq!(store.find_web_session_account("digest-one", 1_000).await.unwrap(), None, "ended");
    assert_eq!(store.find_web_session_account("digest-two", 500).await.unwrap(), None);
    store.insert_web_session("digest-two", alice, 1, 1_000).await.unwrap();
    assert_eq!(store.find_web_session_account("digest-two", 500).await.unwrap(), Some(alice), "a new one is seen");
    store.delete_web_session("digest-one").await.unwrap();
    assert_eq!(store.find_web_session_account("digest-one", 500).await.unwrap(), None, "signed out");
    t.close().await;
}
