//! Editing posts and their history, pins, hashtag timelines, search and notes.

use serde_json::{Value, json};

use crate::statuses::{call, post, user};
use crate::support::TestServer;

fn ids(v: &Value) -> Vec<String> {
    v.as_array().unwrap().iter().map(|x| x["id"].as_str().unwrap().to_owned()).collect()
}

#[tokio::test]
async fn edits_keep_their_history_and_tell_boosters() {
    let server = TestServer::start().await;
    let alice = user(&server, "alice").await;
    let bob = user(&server, "bob").await;
    let original = post(&server, &alice, json!({ "status": "first #draft" })).await;
    let id = original["id"].as_str().unwrap();
    call(&server, "POST", &format!("/api/v1/statuses/{id}/reblog"), &bob.token, None).await;

    let (code, edited) = call(
        &server,
        "PUT",
        &format!("/api/v1/statuses/{id}"),
        &alice.token,
        Some(json!({ "status": "second #final", "spoiler_text": "cw" })),
    )
    .await;
    assert_eq!(code, 200, "{edited}");
    assert_eq!(edited["id"], original["id"]);
    assert!(edited["content"].as_str().unwrap().starts_with("<p>second "));
    assert!(edited["edited_at"].is_string());
    assert_eq!(edited["tags"][0]["name"], "final");
    assert_eq!(edited["sensitive"], true);
    let history = server.get_json(&format!("/api/v1/statuses/{id}/history")).await;
    let contents: Vec<&str> = history.as_array().unwrap().iter().map(|v| v["content"].as_str().unwrap()).collect();
    assert_eq!(contents.len(), 2);
    assert!(contents[0].starts_with("<p>first ") && contents[1].starts_with("<p>second "));
    let (_, source) = call(&server, "GET", &format!("/api/v1/statuses/{id}/source"), &alice.token, None).await;
    assert_eq!(source["text"], "second #final");
    let (_, notes) = call(&server, "GET", "/api/v1/notifications?types[]=update", &bob.token, None).await;
    assert_eq!(notes[0]["status"]["id"], original["id"]);

    assert_eq!(
        call(&server, "PUT", &format!("/api/v1/statuses/{id}"), &bob.token, Some(json!({ "status": "mine now" })))
            .await
            .0,
        403
    );
    assert_eq!(
        call(&server, "PUT", &format!("/api/v1/statuses/{id}"), &alice.token, Some(json!({ "status": "" }))).await.0,
        422
    );
    let history = server.get_json(&format!("/api/v1/statuses/{id}/history")).await;
    assert_eq!(history.as_array().unwrap().len(), 2, "refused edits leave no trace");
}

#[tokio::test]
async fn pins_show_on_the_profile_up_to_five() {
    let server = TestServer::start().await;
    let alice = user(&server, "alice").await;
    let mut posts = Vec::new();
    for i in 0..6 {
        posts.push(
            post(&server, &alice, json!({ "status": format!("post {i}") })).await["id"].as_str().unwrap().to_owned(),
        );
    }
    for id in &posts[..5] {
        let (code, pinned) = call(&server, "POST", &format!("/api/v1/statuses/{id}/pin"), &alice.token, None).await;
        assert_eq!((code, pinned["pinned"].as_bool()), (200, Some(true)));
    }
    let (code, body) = call(&server, "POST", &format!("/api/v1/statuses/{}/pin", posts[5]), &alice.token, None).await;
    assert_eq!(code, 422, "{body}");
    let pinned = server.get_json(&format!("/api/v1/accounts/{}/statuses?pinned=true", alice.id)).await;
    assert_eq!(ids(&pinned).len(), 5);
    call(&server, "POST", &format!("/api/v1/statuses/{}/unpin", posts[0]), &alice.token, None).await;
    let pinned = server.get_json(&format!("/api/v1/accounts/{}/statuses?pinned=true", alice.id)).await;
    assert!(!ids(&pinned).contains(&posts[0]));
    let direct = post(&server, &alice, json!({ "status": "secret", "visibility": "direct" })).await;
    assert_eq!(
        call(&server, "POST", &format!("/api/v1/statuses/{}/pin", direct["id"].as_str().unwrap()), &alice.token, None)
            .await
            .0,
        422
    );
}

#[tokio::test]
async fn hashtag_timelines_search_and_notes() {
    let server = TestServer::start().await;
    let alice = user(&server, "alice").await;
    let bob = user(&server, "bob").await;
    let tagged = post(&server, &alice, json!({ "status": "Spring #Birds" })).await;
    post(&server, &alice, json!({ "status": "quiet #birds", "visibility": "unlisted" })).await;
    post(&server, &bob, json!({ "status": "no tag here" })).await;
    let timeline = server.get_json("/api/v1/timelines/tag/BIRDS").await;
    assert_eq!(ids(&timeline), [tagged["id"].as_str().unwrap()], "public posts only, any case");

    let (_, found) = call(&server, "GET", "/api/v1/accounts/search?q=ali", &bob.token, None).await;
    assert_eq!(found[0]["username"], "alice");
    let (_, found) = call(&server, "GET", "/api/v1/accounts/search?q=a_%", &bob.token, None).await;
    assert_eq!(found, json!([]), "wildcards are taken literally");
    let (_, results) = call(&server, "GET", "/api/v2/search?q=bir", &bob.token, None).await;
    assert_eq!(results["hashtags"][0]["name"], "birds");
    assert_eq!(results["accounts"], json!([]));
    let (_, results) = call(&server, "GET", "/api/v2/search?q=%40bob&type=accounts", &bob.token, None).await;
    assert_eq!(results["accounts"][0]["acct"], "bob");
    assert_eq!(results["hashtags"], json!([]));

    let (code, rel) = call(
        &server,
        "POST",
        &format!("/api/v1/accounts/{}/note", alice.id),
        &bob.token,
        Some(json!({ "comment": "met at the lake" })),
    )
    .await;
    assert_eq!((code, rel["note"].as_str()), (200, Some("met at the lake")));
    let (_, rels) =
        call(&server, "GET", &format!("/api/v1/accounts/relationships?id[]={}", alice.id), &bob.token, None).await;
    assert_eq!(rels[0]["note"], "met at the lake");
    let (_, rels) =
        call(&server, "GET", &format!("/api/v1/accounts/relationships?id[]={}", bob.id), &alice.token, None).await;
    assert_eq!(rels[0]["note"], "", "notes are private to their writer");
}
