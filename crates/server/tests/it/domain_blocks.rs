//! Domain blocks between Rookery servers: a server that suspends, limits or allowlists
//! another, with federation checked in both directions through each one's client API.

use std::time::Duration;

use serde_json::{Value, json};

use crate::federation::{domain, eventually, follow_across, peer, relationship};
use crate::media::{ROTATED_WITH_GPS, upload};
use crate::oauth::user_token;
use crate::statuses::{User, call, post, user};
use crate::support::TestServer;
use crate::support::mock_peer::MockPeer;

/// An admin whose token carries the admin scopes.
pub(crate) async fn admin(server: &TestServer, name: &str) -> User {
    let email = format!("{name}@example.org");
    let password = server.create_account(name, &email, "admin");
    let token = user_token(server, &email, &password, "read write follow admin:read admin:write").await;
    let (_, me) = call(server, "GET", "/api/v1/accounts/verify_credentials", &token, None).await;
    User { id: me["id"].as_str().unwrap().to_owned(), token }
}

async fn block(server: &TestServer, admin: &User, body: Value) -> Value {
    let (status, block) = call(server, "POST", "/api/v1/admin/domain_blocks", &admin.token, Some(body)).await;
    assert_eq!(status, 200, "{block}");
    block
}

/// Whether `what` is found by `probe` after the time a delivery takes here, many times over.
async fn stays_absent(what: &str, probe: impl AsyncFn() -> bool) {
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert!(!probe().await, "{what} arrived");
}

async fn timeline_has(server: &TestServer, user: &User, path: &str, text: &str) -> bool {
    let (status, list) = call(server, "GET", path, &user.token, None).await;
    assert_eq!(status, 200, "{list}");
    list.as_array().unwrap().iter().any(|s| s["content"].as_str().unwrap_or_default().contains(text))
}

async fn search_accounts(server: &TestServer, viewer: &User, acct: &str) -> Vec<Value> {
    let path = format!("/api/v2/search?q=@{acct}&resolve=true&type=accounts");
    let (status, found) = call(server, "GET", &path, &viewer.token, None).await;
    assert_eq!(status, 200, "{found}");
    found["accounts"].as_array().unwrap().clone()
}

#[tokio::test]
async fn a_suspended_server_is_cut_off_in_both_directions_until_the_block_is_lifted() {
    let a = peer().await;
    let b = peer().await;
    let root = admin(&a, "boss").await;
    let alice = user(&a, "alice").await;
    let bob = user(&b, "bob").await;
    let bob_here = follow_across(&a, &alice, "bob", &b).await;
    let alice_there = follow_across(&b, &bob, "alice", &a).await;
    post(&b, &bob, json!({"status": "before the block"})).await;
    eventually("bob's post at a", || async {
        timeline_has(&a, &alice, "/api/v1/timelines/home", "before the block").await.then_some(Value::Null)
    })
    .await;

    let made = block(&a, &root, json!({"domain": domain(&b), "severity": "suspend"})).await;
    assert_eq!(made["severity"], "suspend");
    assert_eq!(made["domain"], domain(&b));

    // Follows across the block are gone on a's side, bob's posts are no longer shown,
    // and bob's account cannot be found or resolved.
    let rel = relationship(&a, &alice, &bob_here).await;
    assert_eq!((rel["following"].clone(), rel["followed_by"].clone()), (json!(false), json!(false)), "{rel}");
    assert!(!timeline_has(&a, &alice, "/api/v1/timelines/public", "before the block").await);
    let (_, statuses) = call(&a, "GET", &format!("/api/v1/accounts/{bob_here}/statuses"), &alice.token, None).await;
    assert_eq!(statuses, json!([]));
    assert!(search_accounts(&a, &alice, &format!("bob@{}", domain(&b))).await.is_empty());

    // Nothing crosses in either direction: b still believes in both follows.
    post(&b, &bob, json!({"status": "from behind the block"})).await;
    post(&a, &alice, json!({"status": "alice after the block"})).await;
    stays_absent("bob's post at a", async || {
        timeline_has(&a, &alice, "/api/v1/timelines/home", "from behind the block").await
            || timeline_has(&a, &alice, "/api/v1/timelines/public", "from behind the block").await
    })
    .await;
    assert!(!timeline_has(&b, &bob, "/api/v1/timelines/home", "alice after the block").await);
    let _ = alice_there;

    // Any server's signed activities and fetches are refused once its domain is.
    let mock = MockPeer::start(&["mallory"]).await;
    let mock_domain = mock.base.trim_start_matches("http://").to_owned();
    block(&a, &root, json!({"domain": mock_domain, "severity": "suspend"})).await;
    let note = json!({
        "id": format!("{}/notes/1/activity", mock.base), "type": "Create", "actor": mock.actor("mallory"),
        "to": ["https://www.w3.org/ns/activitystreams#Public"],
        "object": {"id": format!("{}/notes/1", mock.base), "type": "Note", "attributedTo": mock.actor("mallory"),
                   "content": "<p>hi</p>", "to": ["https://www.w3.org/ns/activitystreams#Public"]},
    });
    let refused = mock.send(&a, "mallory", &note).await;
    assert!(matches!(refused, Err(federation::FetchError::Status(403))), "{refused:?}");

    // Lifted, the block lets them follow each other again.
    let id = made["id"].as_str().unwrap();
    let (status, _) = call(&a, "DELETE", &format!("/api/v1/admin/domain_blocks/{id}"), &root.token, None).await;
    assert_eq!(status, 200);
    follow_across(&a, &alice, "bob", &b).await;
    post(&b, &bob, json!({"status": "after the lift"})).await;
    eventually("bob's post after the lift", || async {
        timeline_has(&a, &alice, "/api/v1/timelines/home", "after the lift").await.then_some(Value::Null)
    })
    .await;
}

#[tokio::test]
async fn a_limited_server_reaches_only_its_followers_and_its_media_can_be_rejected() {
    let a = peer().await;
    let b = peer().await;
    let root = admin(&a, "boss").await;
    let alice = user(&a, "alice").await;
    let carol = user(&a, "carol").await;
    let bob = user(&b, "bob").await;
    follow_across(&a, &alice, "bob", &b).await;
    block(&a, &root, json!({"domain": domain(&b), "severity": "silence", "reject_media": true})).await;

    let (status, media) = upload(&b, &bob, 2, "photo.jpg", ROTATED_WITH_GPS).await;
    assert_eq!(status, 200, "{media}");
    let text = format!("limited hello #limits @alice@{0} @carol@{0}", domain(&a));
    post(&b, &bob, json!({"status": text, "media_ids": [media["id"]]})).await;
    let seen = eventually("bob's post on alice's home timeline", || async {
        let (_, home) = call(&a, "GET", "/api/v1/timelines/home", &alice.token, None).await;
        home.as_array().and_then(|h| h.iter().find(|s| s["content"].to_string().contains("limited hello")).cloned())
    })
    .await;
    eventually("alice's mention", || crate::federation::notification(&a, &alice, "mention")).await;

    // Not on public timelines, and no notification for carol, who does not follow bob.
    for path in ["/api/v1/timelines/public", "/api/v1/timelines/public?remote=true", "/api/v1/timelines/tag/limits"] {
        assert!(!timeline_has(&a, &alice, path, "limited hello").await, "{path}");
    }
    assert!(crate::federation::notification(&a, &carol, "mention").await.is_none());
    // Its media is not fetched.
    let url = seen["media_attachments"][0]["url"].as_str().unwrap();
    assert_eq!(a.http.get(url).send().await.unwrap().status(), 404);

    // Without the limit, the post is public here again.
    let (_, blocks) = call(&a, "GET", "/api/v1/admin/domain_blocks", &root.token, None).await;
    let id = blocks[0]["id"].as_str().unwrap();
    let body = json!({"severity": "noop", "reject_media": false});
    let (status, changed) =
        call(&a, "PUT", &format!("/api/v1/admin/domain_blocks/{id}"), &root.token, Some(body)).await;
    assert_eq!((status, changed["severity"].clone()), (200, json!("noop")), "{changed}");
    assert!(timeline_has(&a, &alice, "/api/v1/timelines/public", "limited hello").await);
    assert_eq!(a.http.get(url).send().await.unwrap().status(), 200);
}

#[tokio::test]
async fn limited_federation_mode_talks_only_to_allowed_domains() {
    let a = TestServer::start_with(|s| {
        s.protocol = Some("http".into());
        s.allow_private_addresses = Some(true);
        s.limited_federation = Some(true);
    })
    .await;
    let b = peer().await;
    let root = admin(&a, "boss").await;
    let alice = user(&a, "alice").await;
    let bob = user(&b, "bob").await;
    let bob_acct = format!("bob@{}", domain(&b));
    assert!(search_accounts(&a, &alice, &bob_acct).await.is_empty());
    // b cannot even find alice: a refuses b's signed fetches.
    assert!(search_accounts(&b, &bob, &format!("alice@{}", domain(&a))).await.is_empty());

    let body = json!({"domain": domain(&b)});
    let (status, allow) = call(&a, "POST", "/api/v1/admin/domain_allows", &root.token, Some(body)).await;
    assert_eq!(status, 200, "{allow}");
    let bob_here = follow_across(&a, &alice, "bob", &b).await;

    let id = allow["id"].as_str().unwrap();
    let (status, _) = call(&a, "DELETE", &format!("/api/v1/admin/domain_allows/{id}"), &root.token, None).await;
    assert_eq!(status, 200);
    assert_eq!(relationship(&a, &alice, &bob_here).await["following"], false);
    assert!(search_accounts(&a, &alice, &bob_acct).await.is_empty());
}
