//! Actor documents: what other servers read when they look up a local account.

use serde_json::{Value, json};

use crate::oauth::user_token;
use crate::support::TestServer;

const AS_PROFILE: &str = "application/ld+json; profile=\"https://www.w3.org/ns/activitystreams\"";

async fn fetch(server: &TestServer, path: &str, accept: &str) -> (u16, String, Value) {
    let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let response = client.get(server.url(path)).header("Accept", accept).send().await.unwrap();
    let status = response.status().as_u16();
    let header = |name: &str| response.headers().get(name).map(|v| v.to_str().unwrap().to_owned()).unwrap_or_default();
    let (content_type, location) = (header("content-type"), header("location"));
    let body = response.text().await.unwrap();
    let json = serde_json::from_str(&body).unwrap_or(Value::Null);
    (status, if status == 302 { location } else { content_type }, json)
}

#[tokio::test]
async fn accounts_are_persons_with_their_key_and_endpoints() {
    let server = TestServer::start().await;
    let password = server.create_account("alice", "alice@example.org", "user");
    let base = &server.base_url;
    let id = format!("{base}/users/alice");
    for accept in
        ["application/activity+json", AS_PROFILE, "application/ld+json", "text/html, application/activity+json"]
    {
        let (status, content_type, person) = fetch(&server, "/users/alice", accept).await;
        assert_eq!(status, 200, "{accept}");
        assert_eq!(content_type, "application/activity+json; charset=utf-8", "{accept}");
        assert_eq!(person["@context"][0], "https://www.w3.org/ns/activitystreams");
        assert_eq!(person["@context"][1], "https://w3id.org/security/v1");
        assert_eq!(person["@context"][2]["schema"], "http://schema.org#", "Mastodon's own spelling");
        assert_eq!(person["id"], id.as_str());
        assert_eq!(person["type"], "Person");
        assert_eq!(person["preferredUsername"], "alice");
        assert_eq!(person["inbox"], format!("{id}/inbox"));
        assert_eq!(person["outbox"], format!("{id}/outbox"));
        assert_eq!(person["followers"], format!("{id}/followers"));
        assert_eq!(person["following"], format!("{id}/following"));
        assert_eq!(person["featured"], format!("{id}/collections/featured"));
        assert_eq!(person["endpoints"], json!({ "sharedInbox": format!("{base}/inbox") }));
        assert_eq!(person["url"], format!("{base}/@alice"));
        assert_eq!(person["manuallyApprovesFollowers"], false);
        assert!(
            person["published"].as_str().unwrap().ends_with("T00:00:00Z"),
            "midnight, as Mastodon writes it (no fraction)"
        );
        assert_eq!(person["publicKey"]["id"], format!("{id}#main-key"));
        assert_eq!(person["publicKey"]["owner"], id.as_str());
    }
    let (_, _, person) = fetch(&server, "/users/ALICE", "application/activity+json").await;
    assert_eq!(person["id"], id.as_str(), "usernames match in any case");
    let account_id =
        server.get_json("/api/v1/accounts/lookup?acct=alice").await["id"].as_str().unwrap().parse().unwrap();
    let pem = server.app().store().find_public_key_pem(account_id).await.unwrap().unwrap();
    assert_eq!(person["publicKey"]["publicKeyPem"], pem.as_str(), "the key that verifies alice's signatures");

    // The profile as the account edits it: locked, a bot, with fields.
    let token = user_token(&server, "alice@example.org", &password, "read write").await;
    let form = [
        ("locked", "true"),
        ("bot", "true"),
        ("display_name", "Alice <3"),
        ("fields_attributes[0][name]", "Site"),
        ("fields_attributes[0][value]", "https://alice.example"),
    ];
    let updated =
        server.http.patch(server.url("/api/v1/accounts/update_credentials")).bearer_auth(&token).form(&form).send();
    assert_eq!(updated.await.unwrap().status(), 200);
    let (_, _, service) = fetch(&server, "/users/alice", "application/activity+json").await;
    assert_eq!(service["type"], "Service", "bots are Services");
    assert_eq!(service["manuallyApprovesFollowers"], true);
    assert_eq!(service["name"], "Alice <3");
    assert_eq!(service["attachment"][0]["type"], "PropertyValue");
    assert_eq!(service["attachment"][0]["name"], "Site");
    assert!(service["attachment"][0]["value"].as_str().unwrap().contains("href=\"https://alice.example\""));
}

#[tokio::test]
async fn browsers_are_sent_to_the_profile_and_strangers_get_404() {
    let server = TestServer::start().await;
    server.create_account("alice", "alice@example.org", "user");
    let (status, location, _) = fetch(&server, "/users/alice", "text/html").await;
    assert_eq!((status, location.as_str()), (302, format!("{}/@alice", server.base_url).as_str()));
    let (status, _, body) = fetch(&server, "/users/nobody", "application/activity+json").await;
    assert_eq!(status, 404);
    assert!(body["error"].is_string());
}

/// Follows `next` links from a collection's first page; returns every item.
async fn all_items(server: &TestServer, collection: &Value) -> Vec<Value> {
    let mut items = Vec::new();
    let mut next = collection["first"].as_str().map(str::to_owned);
    while let Some(url) = next {
        let path = url.strip_prefix(&server.base_url).unwrap().to_owned();
        let (status, _, page) = fetch(server, &path, "application/activity+json").await;
        assert_eq!(status, 200, "{path}");
        assert_eq!(page["type"], "OrderedCollectionPage");
        assert_eq!(page["partOf"], collection["id"]);
        let found = page["orderedItems"].as_array().unwrap().clone();
        next = if found.is_empty() { None } else { page["next"].as_str().map(str::to_owned) };
        items.extend(found);
    }
    items
}

#[tokio::test]
async fn outbox_followers_following_and_featured_are_paged_collections() {
    use crate::statuses::{call, user};
    let server = TestServer::start().await;
    let alice = user(&server, "alice").await;
    let bob = user(&server, "bob").await;
    let base = &server.base_url;
    call(&server, "POST", &format!("/api/v1/accounts/{}/follow", alice.id), &bob.token, None).await;
    let mut public_uris = Vec::new();
    for n in 0..21 {
        let (_, s) =
            call(&server, "POST", "/api/v1/statuses", &alice.token, Some(json!({ "status": format!("post {n}") })))
                .await;
        public_uris.push(s["uri"].as_str().unwrap().to_owned());
    }
    for visibility in ["unlisted", "private", "direct"] {
        let body = json!({ "status": format!("{visibility} post"), "visibility": visibility });
        call(&server, "POST", "/api/v1/statuses", &alice.token, Some(body)).await;
    }
    let (_, bobs) = call(&server, "POST", "/api/v1/statuses", &bob.token, Some(json!({ "status": "bob's" }))).await;
    call(&server, "POST", &format!("/api/v1/statuses/{}/reblog", bobs["id"].as_str().unwrap()), &alice.token, None)
        .await;
    let pinned = public_uris[3].rsplit('/').next().unwrap().to_owned();
    call(&server, "POST", &format!("/api/v1/statuses/{pinned}/pin"), &alice.token, None).await;

    let (status, content_type, outbox) = fetch(&server, "/users/alice/outbox", "application/activity+json").await;
    assert_eq!((status, content_type.as_str()), (200, "application/activity+json; charset=utf-8"));
    assert_eq!(outbox["type"], "OrderedCollection");
    assert_eq!(outbox["id"], format!("{base}/users/alice/outbox"));
    assert_eq!(outbox["totalItems"], 23, "the posts count, not boosts or direct posts, as on Mastodon");
    let items = all_items(&server, &outbox).await;
    let kinds: Vec<&str> = items.iter().map(|i| i["type"].as_str().unwrap()).collect();
    assert_eq!(kinds.len(), 23, "public, unlisted and the boost; never private or direct: {kinds:?}");
    assert_eq!(kinds[0], "Announce", "newest first");
    assert_eq!(items[0]["object"], bobs["uri"]);
    assert!(items.iter().all(|i| i.get("@context").is_none()));
    let creates: Vec<&Value> = items.iter().filter(|i| i["type"] == "Create").collect();
    assert_eq!(creates[0]["object"]["content"], "<p>unlisted post</p>");
    assert_eq!(creates.last().unwrap()["object"]["id"], public_uris[0].as_str());

    let (_, _, followers) = fetch(&server, "/users/alice/followers", "application/activity+json").await;
    assert_eq!(followers["totalItems"], 1);
    assert_eq!(all_items(&server, &followers).await, [json!(format!("{base}/users/bob"))]);
    let (_, _, following) = fetch(&server, "/users/bob/following", "application/activity+json").await;
    assert_eq!(all_items(&server, &following).await, [json!(format!("{base}/users/alice"))]);
    let (_, _, none) = fetch(&server, "/users/alice/following", "application/activity+json").await;
    assert_eq!((none["totalItems"].as_i64(), all_items(&server, &none).await.len()), (Some(0), 0));

    let (_, _, featured) = fetch(&server, "/users/alice/collections/featured", "application/activity+json").await;
    assert_eq!(featured["totalItems"], 1);
    assert_eq!(featured["orderedItems"][0]["id"], public_uris[3].as_str());
    assert_eq!(featured["orderedItems"][0]["type"], "Note");
    let (status, _, _) = fetch(&server, "/users/nobody/outbox", "application/activity+json").await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn profile_and_post_urls_negotiate_between_activitypub_and_html() {
    use crate::statuses::{call, user};
    let server = TestServer::start().await;
    let alice = user(&server, "alice").await;
    let (_, post) =
        call(&server, "POST", "/api/v1/statuses", &alice.token, Some(json!({ "status": "a <b>post</b>" }))).await;
    let post_path = format!("/@alice/{}", post["id"].as_str().unwrap());
    let base = &server.base_url;

    let (status, content_type, person) = fetch(&server, "/@alice", AS_PROFILE).await;
    assert_eq!((status, content_type.as_str()), (200, "application/activity+json; charset=utf-8"));
    assert_eq!(person["id"], format!("{base}/users/alice"));
    let (_, _, note) = fetch(&server, &post_path, "application/activity+json").await;
    assert_eq!(note["id"], post["uri"]);
    assert_eq!(note["type"], "Note");

    for (path, wanted) in
        [("/@alice", format!("{base}/users/alice")), (post_path.as_str(), post["uri"].as_str().unwrap().to_owned())]
    {
        let response = server.http.get(server.url(path)).header("accept", "text/html").send().await.unwrap();
        assert_eq!(response.status(), 200, "{path}");
        assert!(response.headers()["content-type"].to_str().unwrap().starts_with("text/html"));
        let html = response.text().await.unwrap();
        assert!(html.contains(&format!("type=\"application/activity+json\" href=\"{wanted}\"")), "{html}");
    }
    let html = server.http.get(server.url(&post_path)).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("a &lt;b&gt;post&lt;/b&gt;"), "the post's text stays escaped: {html}");
    for missing in ["/@nobody", "/@alice/123", "/alice", "/favicon"] {
        assert_eq!(server.get(missing).await.status(), 404, "{missing}");
    }
    assert_eq!(server.get("/favicon.ico").await.headers()["content-type"], "image/png");
}
