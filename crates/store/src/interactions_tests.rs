//! The viewer's marks and blocks, read whole when few and post by post when many: both
//! ways give the same answer.

use domain::Id;

use crate::db::query;
use crate::test_support::TestStore;

fn ids(raw: &[i64]) -> domain::IdSet {
    raw.iter().copied().map(Id::from_i64).collect()
}

async fn run(t: &TestStore, sql: &str) {
    query(sql).execute(&t.store.writer).await.unwrap();
}

#[tokio::test]
async fn marks_and_blocks_are_found_whether_few_or_many() {
    let t = TestStore::new("viewer-sets").await;
    let t = t.with_account(Id::from_i64(10), "alice").await.with_account(Id::from_i64(20), "bob").await;
    let t = t.with_account(Id::from_i64(30), "carol").await;
    // 450 posts by bob, 450 other accounts.
    run(
        &t,
        "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 449) \
             INSERT INTO statuses (id, account_id, uri, text, content, visibility, created_at, local) \
             SELECT 1000 + i, 20, 'u' || i, '', '', 'public', 1, 1 FROM n",
    )
    .await;
    run(
        &t,
        "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 449) \
             INSERT INTO accounts (id, username, domain, display_name, created_at, updated_at, public_key_pem) \
             SELECT 5000 + i, 'a' || i, 'other.example', '', 1, 1, '' FROM n",
    )
    .await;
    // Alice: many marks and blocks; carol: few.
    run(
        &t,
        "INSERT INTO favourites (id, account_id, status_id, created_at) \
             SELECT id, 10, id, 1 FROM statuses WHERE account_id = 20 AND id % 2 = 0",
    )
    .await;
    run(
        &t,
        "INSERT INTO bookmarks (id, account_id, status_id, created_at) \
             SELECT id, 10, id, 1 FROM statuses WHERE account_id = 20",
    )
    .await;
    run(&t, "INSERT INTO favourites (id, account_id, status_id, created_at) VALUES (1, 30, 1101, 1)").await;
    run(
        &t,
        "INSERT INTO blocks (id, account_id, target_account_id, uri, created_at) \
             SELECT id, 10, id, '', 1 FROM accounts WHERE id >= 5000",
    )
    .await;
    run(&t, "INSERT INTO blocks (id, account_id, target_account_id, uri, created_at) VALUES (1, 20, 10, '', 1)").await;
    run(&t, "INSERT INTO blocks (id, account_id, target_account_id, uri, created_at) VALUES (2, 30, 5002, '', 1)")
        .await;

    let page = [Id::from_i64(1102), Id::from_i64(1101), Id::from_i64(1100)];
    let alice = t.store.find_viewer_flags(Id::from_i64(10), &page).await.unwrap();
    assert_eq!(alice.favourited, ids(&[1100, 1102]));
    assert_eq!(alice.bookmarked, ids(&[1100, 1101, 1102]));
    // A page from bob's first post to his last holds all 675 of alice's marks.
    let wide = [Id::from_i64(1449), Id::from_i64(1101), Id::from_i64(1000)];
    let alice = t.store.find_viewer_flags(Id::from_i64(10), &wide).await.unwrap();
    assert_eq!(alice.favourited, ids(&[1000]));
    assert_eq!(alice.bookmarked, ids(&[1000, 1101, 1449]));
    let carol = t.store.find_viewer_flags(Id::from_i64(30), &page).await.unwrap();
    assert_eq!((carol.favourited, carol.bookmarked), (ids(&[1101]), ids(&[])));

    let others = [Id::from_i64(5001), Id::from_i64(20), Id::from_i64(30)];
    let (blocking, blocked_by) = t.store.list_block_flags(Id::from_i64(10), &others).await.unwrap();
    assert_eq!((blocking, blocked_by), (ids(&[5001]), ids(&[20])));
    let (blocking, blocked_by) = t.store.list_block_flags(Id::from_i64(30), &others[..1]).await.unwrap();
    assert_eq!((blocking, blocked_by), (ids(&[]), ids(&[])));
    // One id is looked up; several are sifted from carol's whole (short) list.
    let (blocking, _) = t.store.list_block_flags(Id::from_i64(30), &[Id::from_i64(5002)]).await.unwrap();
    assert_eq!(blocking, ids(&[5002]));
    let several: Vec<Id> = [5002, 5003, 5004, 5005, 10].map(Id::from_i64).to_vec();
    let (blocking, blocked_by) = t.store.list_block_flags(Id::from_i64(30), &several).await.unwrap();
    assert_eq!((blocking, blocked_by), (ids(&[5002]), ids(&[])));
    let (_, blocked_by) = t.store.list_block_flags(Id::from_i64(20), &several).await.unwrap();
    assert_eq!(blocked_by, ids(&[]));
    let (blocking, _) = t.store.list_block_flags(Id::from_i64(20), &several).await.unwrap();
    assert_eq!(blocking, ids(&[10]));
    t.close().await;
}

#[tokio::test]
async fn kept_marks_give_way_to_new_marks_and_older_pages() {
    let t = TestStore::new("kept-marks").await;
    let t = t.with_account(Id::from_i64(10), "alice").await.with_account(Id::from_i64(20), "bob").await;
    run(
        &t,
        "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 9) \
             INSERT INTO statuses (id, account_id, uri, text, content, visibility, created_at, local) \
             SELECT 1000 + i, 20, 'u' || i, '', '', 'public', 1, 1 FROM n",
    )
    .await;
    run(&t, "INSERT INTO favourites (id, account_id, status_id, created_at) VALUES (1, 10, 1001, 1)").await;
    let (alice, recent) = (Id::from_i64(10), [1009, 1008, 1007].map(Id::from_i64));
    let flags = t.store.find_viewer_flags(alice, &recent).await.unwrap();
    assert_eq!((flags.favourited, flags.bookmarked), (ids(&[]), ids(&[])));
    // Kept from the page's oldest post on; a bookmark made since is seen.
    t.store.insert_bookmark(Id::from_i64(2), alice, Id::from_i64(1008), 1).await.unwrap();
    let flags = t.store.find_viewer_flags(alice, &recent).await.unwrap();
    assert_eq!(flags.bookmarked, ids(&[1008]));
    run(&t, "INSERT INTO status_pins (account_id, status_id, created_at) VALUES (10, 1009, 1)").await;
    assert_eq!(t.store.find_viewer_flags(alice, &recent).await.unwrap().pinned, ids(&[1009]));
    // An older page than what is kept reads its marks again.
    let older = [1002, 1001, 1000].map(Id::from_i64);
    assert_eq!(t.store.find_viewer_flags(alice, &older).await.unwrap().favourited, ids(&[1001]));
    t.store.delete_bookmark(alice, Id::from_i64(1008)).await.unwrap();
    assert_eq!(t.store.find_viewer_flags(alice, &recent).await.unwrap().bookmarked, ids(&[]));
    t.close().await;
}
