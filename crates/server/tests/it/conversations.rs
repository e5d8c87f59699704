//! Direct-message conversations and muted threads.

use serde_json::json;

use crate::statuses::{call, post, user};
use crate::support::TestServer;

#[tokio::test]
async fn direct_messages_make_conversations() {
    let server = TestServer::start().await;
    let alice = user(&server, "alice").await;
    let bob = user(&server, "bob").await;
    let carol = user(&server, "carol").await;
    let first = post(&server, &alice, json!({ "status": "@bob psst", "visibility": "direct" })).await;
    post(&server, &alice, json!({ "status": "a public post" })).await;

    let (_, for_bob) = call(&server, "GET", "/api/v1/conversations", &bob.token, None).await;
    assert_eq!(for_bob.as_array().unwrap().len(), 1);
    assert_eq!(for_bob[0]["unread"], true);
    assert_eq!(for_bob[0]["accounts"][0]["id"].as_str(), Some(alice.id.as_str()));
    assert_eq!(for_bob[0]["last_status"]["id"], first["id"]);
    let conversation = for_bob[0]["id"].as_str().unwrap().to_owned();
    let (_, for_alice) = call(&server, "GET", "/api/v1/conversations", &alice.token, None).await;
    assert_eq!(
        (for_alice[0]["id"].as_str(), for_alice[0]["unread"].as_bool()),
        (Some(conversation.as_str()), Some(false))
    );
    assert_eq!(call(&server, "GET", "/api/v1/conversations", &carol.token, None).await.1, json!([]));

    // A reply joins the conversation; replying reads it for the one who writes.
    let reply =
        post(&server, &bob, json!({ "status": "@alice hey", "visibility": "direct", "in_reply_to_id": first["id"] }))
            .await;
    let (_, for_bob) = call(&server, "GET", "/api/v1/conversations", &bob.token, None).await;
    assert_eq!(
        (for_bob[0]["unread"].as_bool(), for_bob[0]["last_status"]["id"].as_str()),
        (Some(false), reply["id"].as_str())
    );
    let (_, for_alice) = call(&server, "GET", "/api/v1/conversations", &alice.token, None).await;
    assert_eq!(for_alice.as_array().unwrap().len(), 1, "one thread, one conversation");
    assert_eq!(for_alice[0]["unread"], true);
    let (code, read) =
        call(&server, "POST", &format!("/api/v1/conversations/{conversation}/read"), &alice.token, None).await;
    assert_eq!((code, read["unread"].as_bool()), (200, Some(false)));

    // Hiding lasts until the next message.
    assert_eq!(
        call(&server, "DELETE", &format!("/api/v1/conversations/{conversation}"), &alice.token, None).await.0,
        200
    );
    assert_eq!(call(&server, "GET", "/api/v1/conversations", &alice.token, None).await.1, json!([]));
    post(
        &server,
        &bob,
        json!({ "status": "@alice still there?", "visibility": "direct", "in_reply_to_id": reply["id"] }),
    )
    .await;
    assert_eq!(call(&server, "GET", "/api/v1/conversations", &alice.token, None).await.1.as_array().unwrap().len(), 1);
    assert_eq!(
        call(&server, "POST", &format!("/api/v1/conversations/{conversation}/read"), &carol.token, None).await.0,
        404
    );
}

#[tokio::test]
async fn muted_threads_stop_notifying() {
    let server = TestServer::start().await;
    let alice = user(&server, "alice").await;
    let bob = user(&server, "bob").await;
    let root = post(&server, &alice, json!({ "status": "a busy thread" })).await;
    let id = root["id"].as_str().unwrap();
    let (code, muted) = call(&server, "POST", &format!("/api/v1/statuses/{id}/mute"), &alice.token, None).await;
    assert_eq!((code, muted["muted"].as_bool()), (200, Some(true)));
    post(&server, &bob, json!({ "status": "@alice me too", "in_reply_to_id": id })).await;
    call(&server, "POST", &format!("/api/v1/statuses/{id}/favourite"), &bob.token, None).await;
    assert_eq!(call(&server, "GET", "/api/v1/notifications", &alice.token, None).await.1, json!([]));
    let (_, unmuted) = call(&server, "POST", &format!("/api/v1/statuses/{id}/unmute"), &alice.token, None).await;
    assert_eq!(unmuted["muted"], false);
    post(&server, &bob, json!({ "status": "@alice again", "in_reply_to_id": id })).await;
    assert_eq!(call(&server, "GET", "/api/v1/notifications", &alice.token, None).await.1.as_array().unwrap().len(), 1);
}
