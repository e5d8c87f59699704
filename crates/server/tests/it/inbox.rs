//! The inbox and signed fetches against a hand-made peer (`support::mock_peer`): what
//! a signed activity does in either signature style, that forgeries, replays, foreign
//! ids and broken signatures change nothing, and what authorized fetch serves to whom.

use serde_json::{Value, json};

use crate::federation::{eventually, notification, peer};
use crate::statuses::{call, user};
use crate::support::TestServer;
use crate::support::mock_peer::{MockPeer, Tamper};
use federation::FetchError;

fn create(peer: &MockPeer, n: u32, to: &str, content: &str) -> Value {
    let actor = peer.actor("mallory");
    json!({
        "id": format!("{}/activities/{n}", peer.base),
        "type": "Create",
        "actor": actor,
        "object": {
            "id": format!("{}/notes/{n}", peer.base),
            "type": "Note",
            "attributedTo": actor,
            "to": ["https://www.w3.org/ns/activitystreams#Public"],
            "cc": [to],
            "content": content,
            "published": "2026-01-01T12:00:00Z",
            "tag": [{ "type": "Mention", "href": to }],
        },
    })
}

async fn mentions(server: &TestServer, token: &str) -> Vec<Value> {
    let (_, list) = call(server, "GET", "/api/v1/notifications?types[]=mention", token, None).await;
    list.as_array().cloned().unwrap_or_default()
}

#[tokio::test]
async fn signed_activities_are_taken_once_and_forgeries_change_nothing() {
    let a = peer().await;
    let alice = user(&a, "alice").await;
    let alice_uri = format!("{}/users/alice", a.base_url);
    let mock = MockPeer::start(&["mallory", "eve"]).await;

    // Eve signs an activity that claims to be Mallory's: only the object's own server
    // could vouch for it, and it has no such note.
    let forged = create(&mock, 1, &alice_uri, "<p>forged</p>");
    assert_eq!(mock.send(&a, "eve", &forged).await.unwrap(), 202);
    // A key its server does not publish is refused outright.
    assert!(matches!(mock.send(&a, "nobody", &create(&mock, 2, &alice_uri, "x")).await, Err(FetchError::Status(401))));

    let genuine = create(&mock, 3, &alice_uri, "<p>hello <script>alert(1)</script><b>alice</b></p>");
    assert_eq!(mock.send(&a, "mallory", &genuine).await.unwrap(), 202);
    let first = eventually("mallory's mention", || notification(&a, &alice, "mention")).await;
    let content = first["status"]["content"].as_str().unwrap();
    assert!(content.contains("hello") && !content.contains("script") && !content.contains("alert"), "{content}");
    assert_eq!(first["status"]["visibility"], "public");
    assert_eq!(first["account"]["acct"], format!("mallory@{}", mock.base.trim_start_matches("http://")));
    let mallory_id = first["account"]["id"].as_str().unwrap().to_owned();

    // The same activity again, and a boost whose id names another server's object.
    assert_eq!(mock.send(&a, "mallory", &genuine).await.unwrap(), 202);
    let foreign_boost = json!({
        "id": format!("{}/users/alice/statuses/1/activity", a.base_url),
        "type": "Announce",
        "actor": mock.actor("mallory"),
        "object": format!("{}/notes/3", mock.base),
        "to": ["https://www.w3.org/ns/activitystreams#Public"],
    });
    assert_eq!(mock.send(&a, "mallory", &foreign_boost).await.unwrap(), 202);
    // Processed in order of arrival: once this one shows, the ones before it are done.
    assert_eq!(mock.send(&a, "mallory", &create(&mock, 4, &alice_uri, "<p>second</p>")).await.unwrap(), 202);
    eventually("the second mention", || async {
        let list = mentions(&a, &alice.token).await;
        (list.len() >= 2).then_some(Value::Null)
    })
    .await;

    let list = mentions(&a, &alice.token).await;
    assert_eq!(list.len(), 2, "one mention per note, none for the forgery or the replay: {list:?}");
    assert!(list.iter().all(|n| !n["status"]["content"].as_str().unwrap().contains("forged")));
    let path = format!("/api/v1/accounts/{mallory_id}/statuses");
    let (_, statuses) = call(&a, "GET", &path, &alice.token, None).await;
    assert!(statuses.as_array().unwrap().iter().all(|s| s["reblog"].is_null()), "no boost stored: {statuses}");
}

#[tokio::test]
async fn rfc9421_signatures_are_verified() {
    let a = peer().await;
    let alice = user(&a, "alice").await;
    let alice_uri = format!("{}/users/alice", a.base_url);
    let mock = MockPeer::start(&["mallory"]).await;

    for (n, tamper) in [(1, Tamper::Body), (2, Tamper::Stale), (3, Tamper::NoDigest)] {
        let activity = create(&mock, n, &alice_uri, "<p>tampered</p>");
        assert_eq!(mock.send_rfc9421(&a, "mallory", &activity, tamper).await, 401, "{tamper:?}");
    }
    let signed_by_nobody = create(&mock, 4, &alice_uri, "<p>nobody</p>");
    assert_eq!(mock.send_rfc9421(&a, "nobody", &signed_by_nobody, Tamper::None).await, 401);

    let genuine = create(&mock, 5, &alice_uri, "<p>signed the new way</p>");
    assert_eq!(mock.send_rfc9421(&a, "mallory", &genuine, Tamper::None).await, 202);
    let found = eventually("the mention", || notification(&a, &alice, "mention")).await;
    assert!(found["status"]["content"].as_str().unwrap().contains("signed the new way"));
    let list = mentions(&a, &alice.token).await;
    assert_eq!(list.len(), 1, "nothing of the refused requests: {list:?}");
}

#[tokio::test]
async fn authorized_fetch_serves_signed_requests_only() {
    let a = TestServer::start_with(|s| {
        s.protocol = Some("http".into());
        s.allow_private_addresses = Some(true);
        s.authorized_fetch = Some(true);
    })
    .await;
    let alice = user(&a, "alice").await;
    let (_, posted) = call(&a, "POST", "/api/v1/statuses", &alice.token, Some(json!({ "status": "hi" }))).await;
    let note_url = posted["uri"].as_str().unwrap().to_owned();
    let actor_url = format!("{}/users/alice", a.base_url);
    let mock = MockPeer::start(&["mallory"]).await;

    let anonymous = |url: String| {
        let http = a.http.clone();
        async move { http.get(url).header("accept", "application/activity+json").send().await.unwrap() }
    };
    for path in ["/users/alice/outbox", "/users/alice/followers", "/users/alice/collections/featured"] {
        assert_eq!(anonymous(a.url(path)).await.status(), 401, "{path}");
    }
    assert_eq!(anonymous(note_url.clone()).await.status(), 401);
    assert_eq!(anonymous(format!("{note_url}/activity")).await.status(), 401);
    // Unsigned, an actor shows only what verifying its signatures needs.
    let minimal: Value = anonymous(actor_url.clone()).await.json().await.unwrap();
    assert!(minimal["publicKey"]["publicKeyPem"].is_string() && minimal["inbox"].is_string(), "{minimal}");
    assert!(minimal.get("followers").is_none() && minimal.get("summary").is_none(), "{minimal}");
    let instance: Value = anonymous(a.url("/actor")).await.json().await.unwrap();
    assert_eq!(instance["type"], "Application");

    // Signed by a remote actor, everything public is there.
    let note = mock.fetch(&note_url, "mallory").await.unwrap();
    assert_eq!(note["type"], "Note");
    assert!(note["content"].as_str().unwrap().contains("hi"));
    let full = mock.fetch(&actor_url, "mallory").await.unwrap();
    assert_eq!(full["followers"], format!("{actor_url}/followers"));
    let outbox = mock.fetch(&format!("{actor_url}/outbox?page=true"), "mallory").await.unwrap();
    assert_eq!(outbox["orderedItems"][0]["object"]["id"], note_url);
    // A key its owner does not publish is a 401, not a minimal answer.
    assert!(matches!(mock.fetch(&note_url, "nobody").await, Err(FetchError::Status(401))));

    // Whom alice blocks sees nothing of hers but what checking her signatures needs.
    let path = format!("/api/v2/search?q={}&resolve=true&type=accounts", mock.actor("mallory"));
    let (_, found) = call(&a, "GET", &path, &alice.token, None).await;
    let mallory = found["accounts"][0]["id"].as_str().unwrap().to_owned();
    call(&a, "POST", &format!("/api/v1/accounts/{mallory}/block"), &alice.token, None).await;
    assert!(matches!(mock.fetch(&note_url, "mallory").await, Err(FetchError::Status(404))));
    assert!(matches!(
        mock.fetch(&format!("{actor_url}/outbox?page=true"), "mallory").await,
        Err(FetchError::Status(404))
    ));
    let restricted = mock.fetch(&actor_url, "mallory").await.unwrap();
    assert!(restricted.get("followers").is_none() && restricted["publicKey"].is_object(), "{restricted}");
}

#[tokio::test]
async fn a_request_signed_for_another_server_is_refused() {
    use federation::signature::{SignedRequest, digest_header, http_date, sign};
    let a = peer().await;
    let alice = user(&a, "alice").await;
    let mock = MockPeer::start(&["mallory"]).await;
    let key_id = format!("{}#main-key", mock.actor("mallory"));
    let body = create(&mock, 1, &format!("{}/users/alice", a.base_url), "<p>meant for elsewhere</p>").to_string();
    // What mallory's server sent to another server, replayed here with its Host intact.
    let private_pem = mock.private_key_pem("mallory");
    let date = http_date(std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64);
    let digest = digest_header(body.as_bytes());
    let headers = [("host", "elsewhere.example"), ("date", date.as_str()), ("digest", digest.as_str())];
    let request = SignedRequest { method: "POST", path_and_query: "/inbox", headers: &headers };
    let signature = sign(&private_pem, &key_id, &["(request-target)", "host", "date", "digest"], &request).unwrap();
    let response = a
        .http
        .post(a.url("/inbox"))
        .header("host", "elsewhere.example")
        .header("date", &date)
        .header("digest", &digest)
        .header("signature", &signature)
        .header("content-type", "application/activity+json")
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 401);
    assert!(mentions(&a, &alice.token).await.is_empty());
}

#[tokio::test]
async fn posts_published_in_the_same_second_are_all_kept() {
    let a = peer().await;
    let alice = user(&a, "alice").await;
    let mock = MockPeer::start(&["mallory"]).await;
    // Servers that publish whole seconds give a busy second's posts one time: only the
    // low bits of their ids can keep them apart.
    const POSTS: u32 = 600;
    for n in 0..POSTS {
        let mut activity = create(&mock, 100 + n, "https://www.w3.org/ns/activitystreams#Public", "<p>same second</p>");
        activity["object"]["tag"] = json!([]);
        assert_eq!(mock.send(&a, "mallory", &activity).await.unwrap(), 202);
    }
    let acct = format!("mallory@{}", mock.base.trim_start_matches("http://"));
    let found = eventually("every post", || async {
        let (_, account) = call(&a, "GET", &format!("/api/v1/accounts/lookup?acct={acct}"), &alice.token, None).await;
        (account["statuses_count"] == POSTS).then_some(account)
    })
    .await;
    assert_eq!(found["statuses_count"], POSTS);
}
