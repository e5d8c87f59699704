//! Posting, reading, deleting; home and public timelines; following. Through megalodon
//! where it covers the call, raw HTTP where exact JSON or headers are checked.

use megalodon::megalodon::{GetHomeTimelineInputOptions, PostStatusInputOptions, PostStatusOutput};
use megalodon::{SNS, generator};
use serde_json::{Value, json};

use crate::oauth::user_token;
use crate::support::TestServer;

const ALL: &str = "read write follow";

pub(crate) struct User {
    pub(crate) id: String,
    pub(crate) token: String,
}

pub(crate) async fn user(server: &TestServer, name: &str) -> User {
    let email = format!("{name}@example.org");
    let password = server.create_account(name, &email, "user");
    let token = user_token(server, &email, &password, ALL).await;
    let (_, me) = call(server, "GET", "/api/v1/accounts/verify_credentials", &token, None).await;
    User { id: me["id"].as_str().unwrap().to_owned(), token }
}

pub(crate) async fn call(
    server: &TestServer,
    method: &str,
    path: &str,
    token: &str,
    body: Option<Value>,
) -> (u16, Value) {
    let mut request = server.http.request(method.parse().unwrap(), server.url(path));
    if !token.is_empty() {
        request = request.bearer_auth(token);
    }
    if let Some(body) = body {
        request = request.json(&body);
    }
    let response = request.send().await.unwrap();
    (response.status().as_u16(), response.json().await.unwrap_or(Value::Null))
}

pub(crate) async fn post(server: &TestServer, author: &User, body: Value) -> Value {
    let (status, json) = call(server, "POST", "/api/v1/statuses", &author.token, Some(body)).await;
    assert_eq!(status, 200, "{json}");
    json
}

#[tokio::test]
async fn megalodon_posts_follows_and_pages_the_home_timeline() {
    let server = TestServer::start().await;
    let alice = user(&server, "alice").await;
    let bob = user(&server, "bob").await;
    let alice_client = generator(SNS::Mastodon, server.base_url.clone(), Some(alice.token.clone()), None).unwrap();
    let bob_client = generator(SNS::Mastodon, server.base_url.clone(), Some(bob.token.clone()), None).unwrap();

    let relationship = bob_client.follow_account(alice.id.clone(), None).await.expect("follow").json;
    assert!(relationship.following);

    let mut posted = Vec::new();
    for i in 0..25 {
        let options = PostStatusInputOptions { visibility: None, ..Default::default() };
        let PostStatusOutput::Status(status) =
            alice_client.post_status(format!("post number {i}"), Some(&options)).await.expect("post").json
        else {
            panic!("not scheduled")
        };
        posted.push(status.id);
    }

    let first = bob_client
        .get_home_timeline(Some(&GetHomeTimelineInputOptions { limit: Some(20), ..Default::default() }))
        .await
        .expect("home timeline parses");
    let ids: Vec<String> = first.json.iter().map(|s| s.id.clone()).collect();
    let newest_first: Vec<String> = posted.iter().rev().take(20).cloned().collect();
    assert_eq!(ids, newest_first);
    let link = first.header.get("link").expect("a Link header").to_str().unwrap().to_owned();
    assert!(link.contains("rel=\"next\"") && link.contains(&format!("max_id={}", ids[19])), "{link}");

    let older = bob_client
        .get_home_timeline(Some(&GetHomeTimelineInputOptions {
            max_id: Some(ids[19].clone()),
            limit: Some(20),
            ..Default::default()
        }))
        .await
        .unwrap()
        .json;
    assert_eq!(
        older.iter().map(|s| s.id.clone()).collect::<Vec<_>>(),
        posted.iter().rev().skip(20).cloned().collect::<Vec<_>>()
    );

    // Paging forward with min_id returns the oldest newer posts, still newest first.
    let (_, newer) =
        call(&server, "GET", &format!("/api/v1/timelines/home?min_id={}&limit=2", posted[0]), &bob.token, None).await;
    assert_eq!(
        newer.as_array().unwrap().iter().map(|s| s["id"].as_str().unwrap()).collect::<Vec<_>>(),
        [&posted[2], &posted[1]]
    );

    // An empty page has no next link.
    let response = server
        .http
        .get(server.url(&format!("/api/v1/timelines/home?max_id={}", posted[0])))
        .bearer_auth(&bob.token)
        .send()
        .await
        .unwrap();
    assert!(response.headers().get("link").is_none());
    assert_eq!(response.json::<Value>().await.unwrap(), json!([]));

    bob_client.unfollow_account(alice.id.clone()).await.expect("unfollow");
    assert!(bob_client.get_home_timeline(None).await.unwrap().json.is_empty(), "unfollowing empties the feed");
    let (_, alice_account) = call(&server, "GET", &format!("/api/v1/accounts/{}", alice.id), "", None).await;
    assert_eq!(alice_account["statuses_count"], 25);
    assert_eq!(alice_account["followers_count"], 0);
}

#[tokio::test]
async fn posts_render_mastodon_html_and_round_trip() {
    let server = TestServer::start().await;
    let alice = user(&server, "alice").await;
    let bob = user(&server, "bob").await;
    let status = post(
        &server,
        &alice,
        json!({ "status": "Hi @bob <3 #Rookery https://example.org/x\n\nbye", "spoiler_text": "cw", "language": "en" }),
    )
    .await;
    let content = status["content"].as_str().unwrap();
    assert!(content.starts_with("<p>Hi <span class=\"h-card\" translate=\"no\"><a href=\""), "{content}");
    assert!(content.contains("class=\"u-url mention\">@<span>bob</span></a></span> &lt;3 "), "{content}");
    assert!(content.contains("class=\"mention hashtag\" rel=\"tag\">#<span>Rookery</span></a>"), "{content}");
    assert!(content.ends_with("</a></p><p>bye</p>"), "{content}");
    assert_eq!(status["mentions"][0]["id"], bob.id.as_str());
    assert_eq!(status["mentions"][0]["acct"], "bob");
    assert_eq!(status["tags"][0]["name"], "rookery");
    assert_eq!(status["spoiler_text"], "cw");
    assert_eq!(status["sensitive"], true, "a content warning makes it sensitive");
    assert_eq!(status["visibility"], "public");
    assert_eq!(status["language"], "en");
    assert_eq!(status["application"]["name"], "tests");
    assert_eq!(status["account"]["id"], alice.id.as_str());
    assert!(status["id"].is_string() && status["media_attachments"] == json!([]));

    let id = status["id"].as_str().unwrap();
    let (code, fetched) = call(&server, "GET", &format!("/api/v1/statuses/{id}"), "", None).await;
    assert_eq!(code, 200);
    assert_eq!(fetched["content"], status["content"]);

    let (code, deleted) = call(&server, "DELETE", &format!("/api/v1/statuses/{id}"), &bob.token, None).await;
    assert_eq!((code, deleted["error"].as_str()), (404, Some("Record not found")), "as if it did not exist");
    let (code, deleted) = call(&server, "DELETE", &format!("/api/v1/statuses/{id}"), &alice.token, None).await;
    assert_eq!(code, 200);
    assert_eq!(deleted["text"], "Hi @bob <3 #Rookery https://example.org/x\n\nbye", "the source, for redrafting");
    assert_eq!(call(&server, "GET", &format!("/api/v1/statuses/{id}"), "", None).await.0, 404);
}

#[tokio::test]
async fn bad_posts_are_refused_and_idempotency_keys_replay() {
    let server = TestServer::start().await;
    let alice = user(&server, "alice").await;
    let refuse = |body: Value| {
        let token = alice.token.clone();
        let server = &server;
        async move { call(server, "POST", "/api/v1/statuses", &token, Some(body)).await }
    };
    let (code, body) = refuse(json!({ "status": "   " })).await;
    assert_eq!((code, body["error"].as_str()), (422, Some("Validation failed: Text can't be blank")));
    let (code, body) = refuse(json!({ "status": "x".repeat(501) })).await;
    assert_eq!(code, 422);
    assert!(body["error"].as_str().unwrap().contains("character limit of 500"), "{body}");
    // A long link counts as 23 characters.
    let ok = format!("{} https://example.org/{}", "x".repeat(476), "y".repeat(300));
    assert_eq!(refuse(json!({ "status": ok })).await.0, 200);
    assert_eq!(refuse(json!({ "status": "hi", "visibility": "secret" })).await.0, 422);
    assert_eq!(refuse(json!({ "status": "hi", "in_reply_to_id": "12345" })).await.0, 404);
    assert_eq!(call(&server, "POST", "/api/v1/statuses", "", Some(json!({ "status": "x" }))).await.0, 401);

    let send = |key: &'static str| {
        server
            .http
            .post(server.url("/api/v1/statuses"))
            .bearer_auth(&alice.token)
            .header("idempotency-key", key)
            .json(&json!({ "status": "once" }))
    };
    let first: Value = send("k1").send().await.unwrap().json().await.unwrap();
    let again: Value = send("k1").send().await.unwrap().json().await.unwrap();
    let other: Value = send("k2").send().await.unwrap().json().await.unwrap();
    assert_eq!(first["id"], again["id"]);
    assert_ne!(first["id"], other["id"]);
    let (_, me) = call(&server, "GET", "/api/v1/accounts/verify_credentials", &alice.token, None).await;
    assert_eq!(me["statuses_count"], 3, "the ok post, and two of the three sends");
}

#[tokio::test]
async fn public_timelines_and_profiles() {
    let server = TestServer::start().await;
    let alice = user(&server, "alice").await;
    let public = post(&server, &alice, json!({ "status": "for everyone" })).await;
    post(&server, &alice, json!({ "status": "quietly", "visibility": "unlisted" })).await;
    let reply = post(&server, &alice, json!({ "status": "a thread", "in_reply_to_id": public["id"] })).await;
    assert_eq!(reply["in_reply_to_account_id"], alice.id.as_str());

    let timeline = server.get_json("/api/v1/timelines/public").await;
    let ids: Vec<&str> = timeline.as_array().unwrap().iter().map(|s| s["id"].as_str().unwrap()).collect();
    assert_eq!(ids, [reply["id"].as_str().unwrap(), public["id"].as_str().unwrap()], "unlisted stays off");
    assert_eq!(server.get_json("/api/v1/timelines/public?local=true").await.as_array().unwrap().len(), 2);
    assert_eq!(server.get_json("/api/v1/timelines/public?remote=true").await, json!([]));
    assert_eq!(server.get_json("/api/v1/timelines/public?limit=1").await.as_array().unwrap().len(), 1);
    assert_eq!(server.get_json("/api/v1/timelines/public?limit=1000").await.as_array().unwrap().len(), 2, "clamped");

    let profile = server.get_json(&format!("/api/v1/accounts/{}/statuses", alice.id)).await;
    assert_eq!(profile.as_array().unwrap().len(), 3);
    let no_replies = server.get_json(&format!("/api/v1/accounts/{}/statuses?exclude_replies=true", alice.id)).await;
    assert_eq!(no_replies.as_array().unwrap().len(), 3, "replies to oneself stay");
    assert_eq!(server.get_json(&format!("/api/v1/accounts/{}/statuses?pinned=true", alice.id)).await, json!([]));
    let (_, original) =
        call(&server, "GET", &format!("/api/v1/statuses/{}", public["id"].as_str().unwrap()), "", None).await;
    assert_eq!(original["replies_count"], 1);
}

#[tokio::test]
async fn relationships_and_follower_lists() {
    let server = TestServer::start().await;
    let alice = user(&server, "alice").await;
    let bob = user(&server, "bob").await;
    let (code, rel) = call(&server, "POST", &format!("/api/v1/accounts/{}/follow", alice.id), &bob.token, None).await;
    assert_eq!(code, 200);
    assert_eq!(
        (rel["id"].as_str(), rel["following"].as_bool(), rel["followed_by"].as_bool()),
        (Some(alice.id.as_str()), Some(true), Some(false))
    );
    let (_, rels) = call(
        &server,
        "GET",
        &format!("/api/v1/accounts/relationships?id[]={}&id[]={}&id[]=999", alice.id, bob.id),
        &alice.token,
        None,
    )
    .await;
    assert_eq!(rels.as_array().unwrap().len(), 2, "unknown ids are left out");
    assert_eq!(rels[0]["following"], false);
    assert_eq!(rels[0]["followed_by"], false);
    assert_eq!(rels[1]["followed_by"], true);

    let followers = server.get_json(&format!("/api/v1/accounts/{}/followers", alice.id)).await;
    assert_eq!(followers[0]["username"], "bob");
    let following = server.get_json(&format!("/api/v1/accounts/{}/following", bob.id)).await;
    assert_eq!(following[0]["username"], "alice");
    let (code, _) = call(&server, "POST", &format!("/api/v1/accounts/{}/follow", bob.id), &bob.token, None).await;
    assert_eq!(code, 403, "nobody follows themselves");
    assert_eq!(call(&server, "POST", "/api/v1/accounts/777/follow", &bob.token, None).await.0, 404);
}

#[tokio::test]
async fn many_accounts_and_familiar_followers() {
    let server = TestServer::start().await;
    let alice = user(&server, "alice").await;
    let bob = user(&server, "bob").await;
    let carol = user(&server, "carol").await;
    let many = server.get_json(&format!("/api/v1/accounts?id[]={}&id[]=123&id[]={}", bob.id, alice.id)).await;
    let names: Vec<&str> = many.as_array().unwrap().iter().map(|a| a["username"].as_str().unwrap()).collect();
    assert_eq!(names, ["bob", "alice"], "in the order asked, unknown ids left out");

    // Alice follows Bob; Bob follows Carol: Bob is a familiar follower of Carol for Alice.
    call(&server, "POST", &format!("/api/v1/accounts/{}/follow", bob.id), &alice.token, None).await;
    call(&server, "POST", &format!("/api/v1/accounts/{}/follow", carol.id), &bob.token, None).await;
    let path = format!("/api/v1/accounts/familiar_followers?id[]={}&id[]={}", carol.id, bob.id);
    let (code, familiar) = call(&server, "GET", &path, &alice.token, None).await;
    assert_eq!(code, 200);
    assert_eq!(familiar[0]["id"].as_str(), Some(carol.id.as_str()));
    assert_eq!(familiar[0]["accounts"][0]["username"], "bob");
    assert_eq!(familiar[1]["accounts"], json!([]));
}
