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
