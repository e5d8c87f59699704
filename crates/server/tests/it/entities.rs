//! The exact JSON of the entities apps parse, against committed snapshots checked by
//! hand against Mastodon's serializers (ids and times redacted).

use serde_json::json;

use crate::statuses::{call, post, user};
use crate::support::{TestServer, assert_json_snapshot};

#[tokio::test]
async fn entities_match_their_snapshots() {
    let server = TestServer::start().await;
    let snap = |name: &str, v: &serde_json::Value| assert_json_snapshot(name, &server.base_url, v);
    let alice = user(&server, "alice").await;
    let bob = user(&server, "bob").await;
    call(&server, "PATCH", "/api/v1/accounts/update_credentials", &alice.token, Some(json!({
        "display_name": "Alice", "note": "Hello", "fields_attributes": [{ "name": "Site", "value": "https://a.example" }],
    })))
    .await;
    call(&server, "POST", &format!("/api/v1/accounts/{}/follow", alice.id), &bob.token, None).await;
    let root = post(
        &server,
        &alice,
        json!({ "status": "Hi @bob! #Birds https://birds.example", "spoiler_text": "", "language": "en" }),
    )
    .await;
    let reply = post(
        &server,
        &bob,
        json!({ "status": "@alice hello", "in_reply_to_id": root["id"], "visibility": "unlisted" }),
    )
    .await;

    snap("status", &reply);
    snap("status_with_tag_and_link", &root);
    let (_, me) = call(&server, "GET", "/api/v1/accounts/verify_credentials", &alice.token, None).await;
    snap("credential_account", &me);
    snap("account", &server.get_json(&format!("/api/v1/accounts/{}", alice.id)).await);
    let (_, rels) =
        call(&server, "GET", &format!("/api/v1/accounts/relationships?id[]={}", alice.id), &bob.token, None).await;
    snap("relationship", &rels[0]);
    let (_, notifications) = call(&server, "GET", "/api/v1/notifications", &alice.token, None).await;
    snap("notifications", &notifications);
    snap("instance_v2", &server.get_json("/api/v2/instance").await);
    snap("instance_v1", &server.get_json("/api/v1/instance").await);
    let (_, boost) =
        call(&server, "POST", &format!("/api/v1/statuses/{}/reblog", root["id"].as_str().unwrap()), &bob.token, None)
            .await;
    snap("reblog", &boost);
}
