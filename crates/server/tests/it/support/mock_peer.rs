//! A hand-made remote server on loopback: it publishes actors with their keys and any
//! document a test gives it, and sends activities signed with draft-cavage (through the
//! same client Rookery uses) or with RFC 9421 (built here from the published algorithm).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use federation::keys::{PemKeyPair, generate_rsa_2048};
use federation::rfc9421::{self, Message};
use federation::signature::http_date;
use federation::{Client, ClientConfig, FetchError, Signer};
use serde_json::{Value, json};

use super::TestServer;

#[derive(Default)]
struct Served {
    documents: HashMap<String, Value>,
    /// Every activity POSTed to any of its inboxes, in order.
    received: Vec<Value>,
}

type Shared = Arc<Mutex<Served>>;

pub struct MockPeer {
    pub base: String,
    /// Each signer's key id and key pair, by name.
    keys: HashMap<String, (String, PemKeyPair)>,
    served: Shared,
    client: Client,
    http: reqwest::Client,
}

/// What an RFC 9421 request gets wrong on purpose.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tamper {
    None,
    /// The body changes after signing.
    Body,
    /// Signed an hour and ten minutes ago.
    Stale,
    /// `content-digest` is left out of the covered components.
    NoDigest,
}

impl MockPeer {
    /// Serves `/users/NAME` for each name (a Person with a fresh key); anything else a
    /// test publishes; 404 otherwise.
    pub async fn start(names: &[&str]) -> MockPeer {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let served: Shared = Arc::default();
        let router = axum::Router::new().fallback(serve).with_state(served.clone());
        tokio::spawn(async move { axum::serve(listener, router).await });
        let config = ClientConfig {
            allow_private_addresses: true,
            user_agent: "mock-peer".into(),
            connect_timeout: std::time::Duration::from_secs(5),
            request_timeout: std::time::Duration::from_secs(10),
        };
        let mut peer = MockPeer {
            base,
            keys: HashMap::new(),
            served,
            client: Client::new(&config).unwrap(),
            http: reqwest::Client::new(),
        };
        for name in names {
            let id = peer.actor(name);
            let public_pem = peer.add_key(name, &format!("{id}#main-key"));
            peer.publish(
                &format!("/users/{name}"),
                json!({
                    "@context": ["https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"],
                    "id": id, "type": "Person", "preferredUsername": name, "inbox": format!("{id}/inbox"),
                    "publicKey": { "id": format!("{id}#main-key"), "owner": id, "publicKeyPem": public_pem },
                }),
            );
        }
        peer
    }

    /// Makes a key pair that `name` signs with under `key_id`; returns its public PEM.
    pub fn add_key(&mut self, name: &str, key_id: &str) -> String {
        let pair = generate_rsa_2048().unwrap();
        let public_pem = pair.public_pem.clone();
        self.keys.insert(name.to_owned(), (key_id.to_owned(), pair));
        public_pem
    }

    /// The private key `name` signs with.
    pub fn private_key_pem(&self, name: &str) -> String {
        self.keys[name].1.private_pem.clone()
    }

    /// The activities POSTed to it so far.
    pub fn received(&self) -> Vec<Value> {
        self.served.lock().unwrap().received.clone()
    }

    pub fn actor(&self, name: &str) -> String {
        format!("{}/users/{name}", self.base)
    }

    /// Serves `document` at `path` from now on.
    pub fn publish(&self, path: &str, document: Value) {
        self.served.lock().unwrap().documents.insert(path.to_owned(), document);
    }

    fn signer(&self, name: &str) -> Signer {
        match self.keys.get(name) {
            Some((key_id, pair)) => Signer { key_id: key_id.clone(), private_key_pem: pair.private_pem.clone() },
            // A key nobody publishes.
            None => Signer {
                key_id: format!("{}#main-key", self.actor(name)),
                private_key_pem: generate_rsa_2048().unwrap().private_pem,
            },
        }
    }

    /// Posts `activity` to `server`'s shared inbox, signed (draft-cavage) with `name`'s key.
    pub async fn send(&self, server: &TestServer, name: &str, activity: &Value) -> Result<u16, FetchError> {
        self.client.post_activity(&server.url("/inbox"), activity.to_string().into_bytes(), &self.signer(name)).await
    }

    /// A signed GET (draft-cavage) as `name`, as servers fetch.
    pub async fn fetch(&self, url: &str, name: &str) -> Result<Value, FetchError> {
        Ok(self.client.get_activity(url, &self.signer(name)).await?.json)
    }

    /// Posts `activity` to `server`'s shared inbox with an RFC 9421 signature by `name`
    /// over `@method`, `@target-uri` and `content-digest`, as Fedify signs; returns the
    /// status.
    pub async fn send_rfc9421(&self, server: &TestServer, name: &str, activity: &Value, tamper: Tamper) -> u16 {
        let url = server.url("/inbox");
        let body = activity.to_string();
        let digest = rfc9421::content_digest(body.as_bytes());
        let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64;
        let created = if tamper == Tamper::Stale { now - 70 * 60 } else { now };
        let date = http_date(created);
        let headers = [("content-digest", digest.as_str()), ("date", date.as_str())];
        let components: &[&str] = match tamper {
            Tamper::NoDigest => &["@method", "@target-uri", "date"],
            _ => &["@method", "@target-uri", "content-digest", "date"],
        };
        let signer = self.signer(name);
        let params = vec![
            ("created".to_owned(), rfc9421::BareItem::Integer(created)),
            ("keyid".to_owned(), rfc9421::BareItem::String(signer.key_id.clone())),
            ("alg".to_owned(), rfc9421::BareItem::String("rsa-v1_5-sha256".into())),
        ];
        let message = Message { method: "POST", target_uri: &url, headers: &headers };
        let (input, signature) =
            rfc9421::sign_rsa_v1_5_sha256(&signer.private_key_pem, "sig1", components, params, &message).unwrap();
        let body = if tamper == Tamper::Body { body.replace("</p>", " (changed)</p>") } else { body };
        let response = self
            .http
            .post(&url)
            .header("content-type", "application/activity+json")
            .header("content-digest", digest)
            .header("date", date)
            .header("signature-input", input)
            .header("signature", signature)
            .body(body)
            .send()
            .await
            .unwrap();
        response.status().as_u16()
    }
}

async fn serve(State(served): State<Shared>, method: Method, uri: Uri, body: Bytes) -> Response {
    let mut served = served.lock().unwrap();
    if method == Method::POST {
        return match serde_json::from_slice(&body) {
            Ok(activity) => {
                served.received.push(activity);
                StatusCode::ACCEPTED.into_response()
            }
            Err(_) => StatusCode::BAD_REQUEST.into_response(),
        };
    }
    match served.documents.get(uri.path()).cloned() {
        Some(document) => ([("content-type", "application/activity+json")], document.to_string()).into_response(),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}
