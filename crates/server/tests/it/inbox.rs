//! The inbox against a hand-made peer: a loopback server that publishes actors and
//! their keys, whose requests are signed by the same client Rookery uses. Shows what a
//! signed activity does, and that forgeries, replays and foreign ids change nothing.

use std::collections::HashMap;
use std::sync::Arc;

use axum::extract::State;
use axum::http::{StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use federation::keys::{PemKeyPair, generate_rsa_2048};
use federation::{Client, ClientConfig, FetchError, Signer};
use serde_json::{Value, json};

use crate::federation::{eventually, notification, peer};
use crate::statuses::{call, user};
use crate::support::TestServer;

struct MockPeer {
    base: String,
    keys: HashMap<String, PemKeyPair>,
    client: Client,
}

impl MockPeer {
    /// Serves `/users/NAME` for each name, with a fresh key; anything else is 404.
    async fn start(names: &[&str]) -> MockPeer {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let mut keys = HashMap::new();
        let mut documents = HashMap::new();
        for name in names {
            let pair = generate_rsa_2048().unwrap();
            let id = format!("{base}/users/{name}");
            documents.insert(
                format!("/users/{name}"),
                json!({
                    "@context": ["https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"],
                    "id": id, "type": "Person", "preferredUsername": name, "inbox": format!("{id}/inbox"),
                    "publicKey": { "id": format!("{id}#main-key"), "owner": id, "publicKeyPem": pair.public_pem },
                }),
            );
            keys.insert((*name).to_owned(), pair);
        }
        let router = axum::Router::new().fallback(serve).with_state(Arc::new(documents));
        tokio::spawn(async move { axum::serve(listener, router).await });
        let config = ClientConfig {
            allow_private_addresses: true,
            user_agent: "mock-peer".into(),
            connect_timeout: std::time::Duration::from_secs(5),
            request_timeout: std::time::Duration::from_secs(10),
        };
        MockPeer { base, keys, client: Client::new(&config).unwrap() }
    }

    fn actor(&self, name: &str) -> String {
        format!("{}/users/{name}", self.base)
    }

    /// Posts `activity` to `server`'s shared inbox, signed with `name`'s key.
    async fn send(&self, server: &TestServer, name: &str, activity: &Value) -> Result<u16, FetchError> {
        let signer = Signer {
            key_id: format!("{}#main-key", self.actor(name)),
            private_key_pem: self.keys.get(name).map(|k| k.private_pem.clone()).unwrap_or_else(|| {
                generate_rsa_2048().unwrap().private_pem // a key nobody publishes
            }),
        };
        self.client.post_activity(&server.url("/inbox"), activity.to_string().into_bytes(), &signer).await
    }
}

async fn serve(State(documents): State<Arc<HashMap<String, Value>>>, uri: Uri) -> Response {
    match documents.get(uri.path()) {
        Some(document) => ([("content-type", "application/activity+json")], document.to_string()).into_response(),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

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
