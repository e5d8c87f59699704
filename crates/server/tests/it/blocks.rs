//! Blocks across two servers: a block ends follows both ways on both, keeps the
//! blocked account from following again or being notified of, hides the blocker's
//! posts from them, and an unblock lifts it all.

use serde_json::{Value, json};

use crate::federation::{eventually, notification, peer, relationship, resolve};
use crate::statuses::{call, user};

#[tokio::test]
async fn a_block_travels_and_ends_follows_both_ways() {
    let a = peer().await;
    let b = peer().await;
    let alice = user(&a, "alice").await;
    let bob = user(&b, "bob").await;
    let bob_at_a = resolve(&a, &alice, "bob", &b).await;
    let alice_at_b = resolve(&b, &bob, "alice", &a).await;
    call(&a, "POST", &format!("/api/v1/accounts/{bob_at_a}/follow"), &alice.token, None).await;
    call(&b, "POST", &format!("/api/v1/accounts/{alice_at_b}/follow"), &bob.token, None).await;
    eventually("follows both ways", || async {
        let at_a = relationship(&a, &alice, &bob_at_a).await;
        let at_b = relationship(&b, &bob, &alice_at_b).await;
        (at_a["following"] == true && at_a["followed_by"] == true && at_b["following"] == true).then_some(Value::Null)
    })
    .await;
    let (_, before) = call(&a, "POST", "/api/v1/statuses", &alice.token, Some(json!({ "status": "before" }))).await;
    let before_at_b = eventually("alice's post at b", || async {
        let (_, home) = call(&b, "GET", "/api/v1/timelines/home", &bob.token, None).await;
        home.as_array().unwrap().iter().find(|s| s["uri"] == before["uri"]).cloned()
    })
    .await;

    let (status, blocked) = call(&a, "POST", &format!("/api/v1/accounts/{bob_at_a}/block"), &alice.token, None).await;
    assert_eq!(status, 200, "{blocked}");
    assert_eq!((blocked["blocking"].as_bool(), blocked["following"].as_bool()), (Some(true), Some(false)));
    assert_eq!(blocked["followed_by"], false);
    let (_, list) = call(&a, "GET", "/api/v1/blocks", &alice.token, None).await;
    assert_eq!(list[0]["id"], bob_at_a.as_str(), "{list}");
    let at_b = eventually("the Block at b", || async {
        let r = relationship(&b, &bob, &alice_at_b).await;
        (r["blocked_by"] == true).then_some(r)
    })
    .await;
    assert_eq!((at_b["following"].as_bool(), at_b["followed_by"].as_bool()), (Some(false), Some(false)), "{at_b}");
    let (_, followers) = call(&a, "GET", &format!("/api/v1/accounts/{}/followers", alice.id), &alice.token, None).await;
    assert_eq!(followers, json!([]));

    // Bob can neither follow again nor see alice's posts; his mention reaches no one.
    let (status, _) = call(&b, "POST", &format!("/api/v1/accounts/{alice_at_b}/follow"), &bob.token, None).await;
    assert_eq!(status, 403);
    let before_path = format!("/api/v1/statuses/{}", before_at_b["id"].as_str().unwrap());
    assert_eq!(call(&b, "GET", &before_path, &bob.token, None).await.0, 404);
    let mention = json!({ "status": format!("@alice@{} hello?", a.base_url.trim_start_matches("http://")) });
    let (_, mention) = call(&b, "POST", "/api/v1/statuses", &bob.token, Some(mention)).await;
    // Carol, on alice's server, sees it arrive: it has been processed while blocked.
    let carol = user(&a, "carol").await;
    let path = format!("/api/v1/accounts/{bob_at_a}/statuses");
    eventually("the mention at a", || async {
        let (_, posts) = call(&a, "GET", &path, &carol.token, None).await;
        posts.as_array().unwrap().iter().any(|s| s["uri"] == mention["uri"]).then_some(Value::Null)
    })
    .await;
    assert!(notification(&a, &alice, "mention").await.is_none(), "the mention made while blocked");

    // Alice unblocks: bob may follow again (and is accepted).
    let (_, unblocked) = call(&a, "POST", &format!("/api/v1/accounts/{bob_at_a}/unblock"), &alice.token, None).await;
    assert_eq!(unblocked["blocking"], false);
    eventually("the Undo at b", || async {
        (relationship(&b, &bob, &alice_at_b).await["blocked_by"] == false).then_some(Value::Null)
    })
    .await;
    assert_eq!(call(&b, "GET", &before_path, &bob.token, None).await.0, 200);
    let (status, _) = call(&b, "POST", &format!("/api/v1/accounts/{alice_at_b}/follow"), &bob.token, None).await;
    assert_eq!(status, 200);
    eventually("the new follow", || async {
        (relationship(&b, &bob, &alice_at_b).await["following"] == true).then_some(Value::Null)
    })
    .await;
    assert!(notification(&a, &alice, "mention").await.is_none(), "the mention made while blocked");
}
