//! Two Rookery servers in one test, each on its own port (its domain is
//! `127.0.0.1:PORT`), talking through real signed HTTP: following (unlocked and locked),
//! posting, replying with a mention, favouriting, boosting, editing, deleting and
//! unfollowing, each checked through the client API of the server that should see it.

use std::time::Duration;

use serde_json::{Value, json};

use crate::statuses::{User, call, user};
use crate::support::TestServer;

/// A server that federates over plain HTTP on loopback, as local test setups do.
pub(crate) async fn peer() -> TestServer {
    TestServer::start_with(|s| {
        s.protocol = Some("http".into());
        s.allow_private_addresses = Some(true);
    })
    .await
}

/// A test server's domain, `127.0.0.1:PORT`.
pub(crate) fn domain(server: &TestServer) -> &str {
    server.base_url.trim_start_matches("http://")
}

/// Polls `probe` until it gives a value, for at most 15 s: deliveries are asynchronous.
pub(crate) async fn eventually<F, Fut>(what: &str, mut probe: F) -> Value
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Option<Value>>,
{
    for _ in 0..150 {
        if let Some(found) = probe().await {
            return found;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("timed out waiting for {what}");
}

/// `name@other`'s id on `server`, found with `resolve=true` as apps find remote accounts.
pub(crate) async fn resolve(server: &TestServer, viewer: &User, name: &str, other: &TestServer) -> String {
    let path = format!("/api/v2/search?q=@{name}@{}&resolve=true&type=accounts", domain(other));
    let (status, found) = call(server, "GET", &path, &viewer.token, None).await;
    assert_eq!(status, 200, "{found}");
    let account = &found["accounts"][0];
    assert_eq!(account["acct"], format!("{name}@{}", domain(other)), "{found}");
    assert_eq!(account["url"], format!("{}/@{name}", other.base_url));
    account["id"].as_str().unwrap().to_owned()
}

/// `follower` on `server` follows `name` on `other`, once the Accept has come back;
/// returns `name`'s account id on `server`.
pub(crate) async fn follow_across(server: &TestServer, follower: &User, name: &str, other: &TestServer) -> String {
    let id = resolve(server, follower, name, other).await;
    let (status, rel) = call(server, "POST", &format!("/api/v1/accounts/{id}/follow"), &follower.token, None).await;
    assert_eq!(status, 200, "{rel}");
    eventually("the Accept", || async {
        let rel = relationship(server, follower, &id).await;
        (rel["following"] == true).then_some(rel)
    })
    .await;
    id
}

pub(crate) async fn relationship(server: &TestServer, viewer: &User, id: &str) -> Value {
    let (_, found) =
        call(server, "GET", &format!("/api/v1/accounts/relationships?id[]={id}"), &viewer.token, None).await;
    found[0].clone()
}

pub(crate) async fn notification(server: &TestServer, viewer: &User, kind: &str) -> Option<Value> {
    let (_, list) = call(server, "GET", &format!("/api/v1/notifications?types[]={kind}"), &viewer.token, None).await;
    list.as_array().and_then(|l| l.first().cloned())
}

#[tokio::test]
async fn people_on_two_servers_follow_post_reply_favourite_boost_edit_and_delete() {
    let a = peer().await;
    let b = peer().await;
    let alice = user(&a, "alice").await;
    let bob = user(&b, "bob").await;

    let bob_at_a = resolve(&a, &alice, "bob", &b).await;
    let (status, rel) = call(&a, "POST", &format!("/api/v1/accounts/{bob_at_a}/follow"), &alice.token, None).await;
    assert_eq!(status, 200, "{rel}");
    eventually("the Accept", || async {
        let rel = relationship(&a, &alice, &bob_at_a).await;
        (rel["following"] == true && rel["requested"] == false).then_some(rel)
    })
    .await;
    let follow = eventually("bob's follow notification", || notification(&b, &bob, "follow")).await;
    assert_eq!(follow["account"]["acct"], format!("alice@{}", domain(&a)));
    let (_, followers) = call(&b, "GET", &format!("/api/v1/accounts/{}/followers", bob.id), &bob.token, None).await;
    assert_eq!(followers[0]["acct"], format!("alice@{}", domain(&a)), "{followers}");

    let (_, post) =
        call(&b, "POST", "/api/v1/statuses", &bob.token, Some(json!({"status": "Hello from B #rookery"}))).await;
    let seen = eventually("bob's post on alice's home timeline", || async {
        let (_, home) = call(&a, "GET", "/api/v1/timelines/home", &alice.token, None).await;
        home.as_array().and_then(|h| h.iter().find(|s| s["uri"] == post["uri"]).cloned())
    })
    .await;
    assert_eq!(seen["account"]["acct"], format!("bob@{}", domain(&b)));
    assert!(seen["content"].as_str().unwrap().contains("Hello from B"), "{seen}");
    assert_eq!(seen["tags"][0]["name"], "rookery");
    assert_eq!(seen["visibility"], "public");
    let remote_id = seen["id"].as_str().unwrap().to_owned();

    let reply = json!({"status": format!("@bob@{} hi back", domain(&b)), "in_reply_to_id": remote_id});
    let (status, reply) = call(&a, "POST", "/api/v1/statuses", &alice.token, Some(reply)).await;
    assert_eq!(status, 200, "{reply}");
    assert_eq!(reply["mentions"][0]["acct"], format!("bob@{}", domain(&b)), "{reply}");
    call(&a, "POST", &format!("/api/v1/statuses/{remote_id}/favourite"), &alice.token, None).await;
    call(&a, "POST", &format!("/api/v1/statuses/{remote_id}/reblog"), &alice.token, None).await;

    let mention = eventually("the reply's mention", || notification(&b, &bob, "mention")).await;
    assert!(mention["status"]["content"].as_str().unwrap().contains("hi back"), "{mention}");
    assert_eq!(mention["status"]["in_reply_to_id"], post["id"]);
    eventually("the favourite", || notification(&b, &bob, "favourite")).await;
    eventually("the boost", || notification(&b, &bob, "reblog")).await;
    let (_, original) =
        call(&b, "GET", &format!("/api/v1/statuses/{}", post["id"].as_str().unwrap()), &bob.token, None).await;
    assert_eq!((original["favourites_count"].as_i64(), original["reblogs_count"].as_i64()), (Some(1), Some(1)));
    assert_eq!(original["replies_count"], 1, "{original}");

    call(&a, "POST", &format!("/api/v1/statuses/{remote_id}/unfavourite"), &alice.token, None).await;
    call(&a, "POST", &format!("/api/v1/statuses/{remote_id}/unreblog"), &alice.token, None).await;
    let post_path = format!("/api/v1/statuses/{}", post["id"].as_str().unwrap());
    eventually("the favourite and boost taken back", || async {
        let (_, s) = call(&b, "GET", &post_path, &bob.token, None).await;
        (s["favourites_count"] == 0 && s["reblogs_count"] == 0).then_some(s)
    })
    .await;

    let edit = json!({"status": "Hello from B, edited"});
    let (status, _) = call(&b, "PUT", &post_path, &bob.token, Some(edit)).await;
    assert_eq!(status, 200);
    let remote_path = format!("/api/v1/statuses/{remote_id}");
    eventually("the edit", || async {
        let (_, s) = call(&a, "GET", &remote_path, &alice.token, None).await;
        s["content"].as_str().is_some_and(|c| c.contains("edited")).then_some(s)
    })
    .await;

    call(&b, "DELETE", &post_path, &bob.token, None).await;
    eventually("the delete", || async {
        let (status, _) = call(&a, "GET", &remote_path, &alice.token, None).await;
        (status == 404).then_some(Value::Null)
    })
    .await;

    call(&a, "POST", &format!("/api/v1/accounts/{bob_at_a}/unfollow"), &alice.token, None).await;
    eventually("the unfollow", || async {
        let (_, f) = call(&b, "GET", &format!("/api/v1/accounts/{}/followers", bob.id), &bob.token, None).await;
        f.as_array().is_some_and(Vec::is_empty).then_some(f)
    })
    .await;
}

#[tokio::test]
async fn a_locked_account_approves_or_rejects_remote_followers() {
    let a = peer().await;
    let b = peer().await;
    let alice = user(&a, "alice").await;
    let dave = user(&a, "dave").await;
    let carol = user(&b, "carol").await;
    let (status, _) =
        call(&b, "PATCH", "/api/v1/accounts/update_credentials", &carol.token, Some(json!({"locked": true}))).await;
    assert_eq!(status, 200);

    for follower in [&alice, &dave] {
        let carol_there = resolve(&a, follower, "carol", &b).await;
        call(&a, "POST", &format!("/api/v1/accounts/{carol_there}/follow"), &follower.token, None).await;
    }
    let requests = eventually("both follow requests", || async {
        let (_, r) = call(&b, "GET", "/api/v1/follow_requests", &carol.token, None).await;
        (r.as_array().map_or(0, Vec::len) == 2).then_some(r)
    })
    .await;
    let id_of = |name: &str| {
        let acct = format!("{name}@{}", domain(&a));
        requests.as_array().unwrap().iter().find(|r| r["acct"] == acct).unwrap()["id"].as_str().unwrap().to_owned()
    };
    call(&b, "POST", &format!("/api/v1/follow_requests/{}/authorize", id_of("alice")), &carol.token, None).await;
    call(&b, "POST", &format!("/api/v1/follow_requests/{}/reject", id_of("dave")), &carol.token, None).await;

    let carol_at_a = resolve(&a, &alice, "carol", &b).await;
    eventually("the Accept", || async {
        let rel = relationship(&a, &alice, &carol_at_a).await;
        (rel["following"] == true).then_some(rel)
    })
    .await;
    eventually("the Reject", || async {
        let rel = relationship(&a, &dave, &carol_at_a).await;
        (rel["following"] == false && rel["requested"] == false).then_some(rel)
    })
    .await;

    // A followers-only post reaches the accepted follower, and only as private.
    let private = json!({"status": "for followers", "visibility": "private"});
    let (_, post) = call(&b, "POST", "/api/v1/statuses", &carol.token, Some(private)).await;
    let seen = eventually("the private post", || async {
        let (_, home) = call(&a, "GET", "/api/v1/timelines/home", &alice.token, None).await;
        home.as_array().and_then(|h| h.iter().find(|s| s["uri"] == post["uri"]).cloned())
    })
    .await;
    assert_eq!(seen["visibility"], "private");
    let (_, public) = call(&a, "GET", "/api/v1/timelines/public", &dave.token, None).await;
    assert!(public.as_array().unwrap().iter().all(|s| s["uri"] != post["uri"]), "{public}");
}

#[tokio::test]
async fn the_inbox_refuses_what_it_cannot_trust() {
    let a = peer().await;
    user(&a, "alice").await;
    let activity = json!({"id": "http://127.0.0.9/a/1", "type": "Create", "actor": "http://127.0.0.9/users/x"});
    let post = |path: &str, body: String, headers: Vec<(&'static str, String)>| {
        let mut request = a.http.post(a.url(path)).header("content-type", "application/activity+json").body(body);
        for (name, value) in headers {
            request = request.header(name, value);
        }
        request.send()
    };
    let unsigned = post("/inbox", activity.to_string(), vec![]).await.unwrap();
    assert_eq!(unsigned.status(), 401);
    let not_json = post("/users/alice/inbox", "{not json".into(), vec![]).await.unwrap();
    assert_eq!(not_json.status(), 400);
    let no_such_user = post("/users/nobody/inbox", activity.to_string(), vec![]).await.unwrap();
    assert_eq!(no_such_user.status(), 404);
    let signature = r#"keyId="http://127.0.0.9/users/x#main-key",algorithm="rsa-sha256",headers="(request-target) host date digest",signature="AAAA""#;
    let wrong_digest = vec![
        ("signature", signature.to_owned()),
        ("digest", "SHA-256=X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=".to_owned()),
        ("date", "Sun, 05 Jan 2014 21:31:40 GMT".to_owned()),
    ];
    let response = post("/inbox", activity.to_string(), wrong_digest).await.unwrap();
    assert_eq!(response.status(), 401);
    let huge = format!("{{\"id\":\"{}\"}}", "x".repeat(2 * 1024 * 1024));
    assert_eq!(post("/inbox", huge, vec![]).await.unwrap().status(), 413);
}
