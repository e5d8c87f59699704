//! Moderators acting on accounts through the admin API: suspend (a local account cannot
//! sign in and is deleted on other servers; a remote one has nothing accepted), limit,
//! mark sensitive, and undo; only staff, and only on those below them.

use std::time::Duration;

use serde_json::{Value, json};

use crate::domain_blocks::admin;
use crate::federation::{eventually, follow_across, notification, peer, relationship};
use crate::media::{ROTATED_WITH_GPS, upload};
use crate::oauth::user_token;
use crate::statuses::{User, call, post, user};
use crate::support::TestServer;

async fn act(server: &TestServer, by: &User, id: &str, kind: &str) -> (u16, Value) {
    let path = format!("/api/v1/admin/accounts/{id}/action");
    call(server, "POST", &path, &by.token, Some(json!({"type": kind}))).await
}

async fn on_public(server: &TestServer, viewer: &User, text: &str) -> bool {
    let (_, list) = call(server, "GET", "/api/v1/timelines/public", &viewer.token, None).await;
    list.as_array().unwrap().iter().any(|s| s["content"].as_str().unwrap_or_default().contains(text))
}

#[tokio::test]
async fn a_suspended_local_account_is_locked_out_and_deleted_on_other_servers() {
    let a = peer().await;
    let b = peer().await;
    let boss = admin(&a, "boss").await;
    let alice = user(&a, "alice").await;
    let carol = user(&a, "carol").await;
    let bob = user(&b, "bob").await;
    let alice_there = follow_across(&b, &bob, "alice", &a).await;
    let posted = post(&a, &alice, json!({"status": "alice was here"})).await;

    assert_eq!(act(&a, &boss, &alice.id, "suspend").await, (200, json!({})));
    let (status, error) = call(&a, "GET", "/api/v1/accounts/verify_credentials", &alice.token, None).await;
    assert_eq!((status, error), (403, json!({"error": "Your login is currently disabled"})));
    let path = format!("/api/v1/statuses/{}", posted["id"].as_str().unwrap());
    assert_eq!(call(&a, "GET", &path, &carol.token, None).await.0, 404);
    assert!(!on_public(&a, &carol, "alice was here").await);
    let (_, shown) = call(&a, "GET", &format!("/api/v1/admin/accounts/{}", alice.id), &boss.token, None).await;
    assert_eq!((shown["suspended"].clone(), shown["account"]["suspended"].clone()), (json!(true), json!(true)));
    let actor = a.http.get(a.url("/users/alice")).header("accept", "application/activity+json").send().await.unwrap();
    assert_eq!(actor.status(), 404);
    eventually("alice deleted on b", || async {
        let status = call(&b, "GET", &format!("/api/v1/accounts/{alice_there}"), &bob.token, None).await.0;
        (status == 404).then_some(Value::Null)
    })
    .await;

    let (status, lifted) =
        call(&a, "POST", &format!("/api/v1/admin/accounts/{}/unsuspend", alice.id), &boss.token, None).await;
    assert_eq!((status, lifted["suspended"].clone()), (200, json!(false)), "{lifted}");
    assert_eq!(call(&a, "GET", "/api/v1/accounts/verify_credentials", &alice.token, None).await.0, 200);
    let log = a.cli_ok(&["admin", "log"]);
    assert!(log.contains("suspend Account alice") && log.contains("unsuspend Account alice"), "{log}");
}

#[tokio::test]
async fn remote_accounts_can_be_limited_marked_sensitive_and_suspended() {
    let a = peer().await;
    let b = peer().await;
    let boss = admin(&a, "boss").await;
    let alice = user(&a, "alice").await;
    let carol = user(&a, "carol").await;
    let bob = user(&b, "bob").await;
    let bob_here = follow_across(&a, &alice, "bob", &b).await;

    assert_eq!(act(&a, &boss, &bob_here, "silence").await.0, 200);
    assert_eq!(act(&a, &boss, &bob_here, "sensitive").await.0, 200);
    let (_, media) = upload(&b, &bob, 2, "photo.jpg", ROTATED_WITH_GPS).await;
    let text = format!("limited photo @alice@{0} @carol@{0}", a.base_url.trim_start_matches("http://"));
    post(&b, &bob, json!({"status": text, "media_ids": [media["id"]]})).await;
    let seen = eventually("bob's post on alice's home", || async {
        let (_, home) = call(&a, "GET", "/api/v1/timelines/home", &alice.token, None).await;
        home.as_array().and_then(|h| h.iter().find(|s| s["content"].to_string().contains("limited photo")).cloned())
    })
    .await;
    assert_eq!(seen["sensitive"], true, "forced sensitive");
    assert_eq!(seen["account"]["limited"], true);
    eventually("alice's mention", || notification(&a, &alice, "mention")).await;
    assert!(notification(&a, &carol, "mention").await.is_none(), "a stranger hears nothing from a limited account");
    assert!(!on_public(&a, &carol, "limited photo").await);

    assert_eq!(act(&a, &boss, &bob_here, "suspend").await.0, 200);
    assert_eq!(relationship(&a, &alice, &bob_here).await["following"], false);
    post(&b, &bob, json!({"status": "after the suspension"})).await;
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let (_, statuses) = call(&a, "GET", &format!("/api/v1/accounts/{bob_here}/statuses"), &alice.token, None).await;
    assert_eq!(statuses, json!([]));
    let path = format!("/api/v1/statuses/{}", seen["id"].as_str().unwrap());
    assert_eq!(call(&a, "GET", &path, &alice.token, None).await.0, 404);
}

#[tokio::test]
async fn only_staff_act_on_accounts_and_only_on_those_below_them() {
    let server = TestServer::start().await;
    let boss = admin(&server, "boss").await;
    let alice = user(&server, "alice").await;
    let email = "moddy@example.org";
    let password = server.create_account("moddy", email, "moderator");
    let moddy = User {
        id: String::new(),
        token: user_token(&server, email, &password, "read write admin:read admin:write").await,
    };
    let id = alice.id.as_str();
    for (method, path, body) in [
        ("GET", "/api/v1/admin/accounts".to_owned(), None),
        ("GET", format!("/api/v1/admin/accounts/{id}"), None),
        ("POST", format!("/api/v1/admin/accounts/{id}/action"), Some(json!({"type": "suspend"}))),
        ("POST", format!("/api/v1/admin/accounts/{id}/unsuspend"), None),
        ("POST", format!("/api/v1/admin/accounts/{id}/unsilence"), None),
        ("POST", format!("/api/v1/admin/accounts/{id}/unsensitive"), None),
        ("POST", format!("/api/v1/admin/accounts/{id}/enable"), None),
        ("POST", format!("/api/v1/admin/accounts/{id}/approve"), None),
        ("POST", format!("/api/v1/admin/accounts/{id}/reject"), None),
    ] {
        let (status, error) = call(&server, method, &path, &alice.token, body).await;
        assert_eq!(status, 403, "{method} {path}: {error}");
    }
    assert_eq!(act(&server, &moddy, &boss.id, "suspend").await.0, 403, "a moderator cannot act on an admin");
    assert_eq!(act(&server, &moddy, "4242", "suspend").await.0, 404);
    assert_eq!(act(&server, &moddy, id, "obliterate").await.0, 422);
    let (_, listed) = call(&server, "GET", "/api/v1/admin/accounts?local=true&username=ali", &moddy.token, None).await;
    assert_eq!(listed.as_array().unwrap().len(), 1, "{listed}");
    assert_eq!(listed[0]["suspended"], false, "nothing changed");

    // A moderator may disable a user, which locks them out until enabled.
    assert_eq!(act(&server, &moddy, id, "disable").await.0, 200);
    assert_eq!(call(&server, "GET", "/api/v1/accounts/verify_credentials", &alice.token, None).await.0, 403);
    let (_, suspended) = call(&server, "GET", "/api/v1/admin/accounts?suspended=true", &moddy.token, None).await;
    assert_eq!(suspended, json!([]));
    let path = format!("/api/v1/admin/accounts/{id}/enable");
    assert_eq!(call(&server, "POST", &path, &moddy.token, None).await.1["disabled"], false);
    assert_eq!(call(&server, "GET", "/api/v1/accounts/verify_credentials", &alice.token, None).await.0, 200);
}
