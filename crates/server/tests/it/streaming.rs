//! The streaming API over Server-Sent Events, read as a web client reads it.

use std::time::Duration;

use serde_json::{Value, json};

use crate::statuses::{User, call, post, user};
use crate::support::TestServer;

/// An open stream and what has arrived on it so far.
struct Listener {
    response: reqwest::Response,
    seen: String,
    /// Everything received, for checking what never came.
    all: String,
}

impl Listener {
    async fn open(server: &TestServer, path: &str, reader: &User) -> Listener {
        let response = server.http.get(server.url(path)).bearer_auth(&reader.token).send().await.unwrap();
        assert_eq!(response.status(), 200, "{path}");
        assert!(response.headers()["content-type"].to_str().unwrap().starts_with("text/event-stream"));
        Listener { response, seen: String::new(), all: String::new() }
    }

    /// Reads until an event named `name` arrives; returns its data, parsed when JSON.
    async fn next(&mut self, name: &str) -> Value {
        let marker = format!("event: {name}\ndata: ");
        loop {
            if let Some(start) = self.seen.find(&marker) {
                let rest = &self.seen[start + marker.len()..];
                if let Some(end) = rest.find('\n') {
                    let data = rest[..end].to_owned();
                    self.seen = rest[end..].to_owned();
                    return serde_json::from_str(&data).unwrap_or(Value::String(data));
                }
            }
            let chunk = tokio::time::timeout(Duration::from_secs(10), self.response.chunk())
                .await
                .unwrap_or_else(|_| panic!("no `{name}` event within 10 s; got: {}", self.seen))
                .unwrap()
                .expect("stream still open");
            self.seen.push_str(&String::from_utf8_lossy(&chunk));
            self.all.push_str(&String::from_utf8_lossy(&chunk));
        }
    }
}

#[tokio::test]
async fn the_user_stream_carries_the_home_feed_and_notifications() {
    let server = TestServer::start().await;
    let alice = user(&server, "alice").await;
    let bob = user(&server, "bob").await;
    call(&server, "POST", &format!("/api/v1/accounts/{}/follow", alice.id), &bob.token, None).await;
    let mut stream = Listener::open(&server, "/api/v1/streaming/user", &bob).await;

    let posted = post(&server, &alice, json!({ "status": "hello followers" })).await;
    let update = stream.next("update").await;
    assert_eq!(update["id"], posted["id"]);
    assert_eq!(update["account"]["username"], "alice");

    post(&server, &alice, json!({ "status": "@bob ping" })).await;
    let notification = stream.next("notification").await;
    assert_eq!(notification["type"], "mention");

    let id = posted["id"].as_str().unwrap();
    call(&server, "PUT", &format!("/api/v1/statuses/{id}"), &alice.token, Some(json!({ "status": "hello, edited" })))
        .await;
    assert_eq!(stream.next("status.update").await["id"], posted["id"]);
    call(&server, "DELETE", &format!("/api/v1/statuses/{id}"), &alice.token, None).await;
    assert_eq!(stream.next("delete").await.to_string(), id, "the bare id, as Mastodon sends it");
}

#[tokio::test]
async fn public_and_hashtag_streams_carry_only_public_posts() {
    let server = TestServer::start().await;
    let alice = user(&server, "alice").await;
    let bob = user(&server, "bob").await;
    let mut public = Listener::open(&server, "/api/v1/streaming/public/local", &bob).await;
    let mut tagged = Listener::open(&server, "/api/v1/streaming/hashtag?tag=Birds", &bob).await;

    post(&server, &alice, json!({ "status": "not for strangers #birds", "visibility": "private" })).await;
    post(&server, &alice, json!({ "status": "quiet #birds", "visibility": "unlisted" })).await;
    let open = post(&server, &alice, json!({ "status": "for everyone #birds" })).await;
    assert_eq!(public.next("update").await["id"], open["id"], "the first public post is the first event");
    assert_eq!(tagged.next("update").await["id"], open["id"]);

    assert_eq!(server.get("/api/v1/streaming/user").await.status(), 401, "streams need a token");
    let health = server.get("/api/v1/streaming/health").await;
    assert_eq!(health.text().await.unwrap(), "OK");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn megalodon_streams_the_home_feed_over_a_websocket() {
    use megalodon::streaming::Message;
    let server = TestServer::start().await;
    let alice = user(&server, "alice").await;
    let bob = user(&server, "bob").await;
    call(&server, "POST", &format!("/api/v1/accounts/{}/follow", alice.id), &bob.token, None).await;

    let client =
        megalodon::generator(megalodon::SNS::Mastodon, server.base_url.clone(), Some(bob.token.clone()), None).unwrap();
    let streaming = client.user_streaming().await;
    let (sender, mut received) = tokio::sync::mpsc::unbounded_channel();
    let listener = tokio::spawn(async move {
        streaming
            .listen(Box::new(move |message| {
                let sender = sender.clone();
                Box::pin(async move {
                    let _ = sender.send(message);
                })
            }))
            .await;
    });
    // The socket is open once the server has a subscriber; posting before would be missed.
    tokio::time::sleep(Duration::from_millis(500)).await;
    let posted = post(&server, &alice, json!({ "status": "live!" })).await;
    let update = loop {
        match tokio::time::timeout(Duration::from_secs(10), received.recv()).await.expect("an update within 10 s") {
            Some(Message::Update(status)) => break status,
            Some(_) => continue,
            None => panic!("the stream ended"),
        }
    };
    assert_eq!(update.id, posted["id"].as_str().unwrap());
    listener.abort();
}

#[tokio::test]
async fn websockets_take_the_token_as_subprotocol_and_multiplex_streams() {
    use futures_util::{SinkExt, StreamExt};
    use tokio_tungstenite::tungstenite::Message;
    use tokio_tungstenite::tungstenite::client::IntoClientRequest;
    let server = TestServer::start().await;
    let alice = user(&server, "alice").await;
    let bob = user(&server, "bob").await;
    let url = format!("{}/api/v1/streaming", server.base_url.replacen("http", "ws", 1));
    let mut request = url.into_client_request().unwrap();
    request.headers_mut().insert("sec-websocket-protocol", bob.token.parse().unwrap());
    let (mut socket, response) = tokio_tungstenite::connect_async(request).await.expect("upgrade");
    assert_eq!(response.headers()["sec-websocket-protocol"], bob.token.as_str(), "echoed, as browsers require");

    socket.send(Message::text(r#"{"type":"subscribe","stream":"hashtag","tag":"Birds"}"#)).await.unwrap();
    tokio::time::sleep(Duration::from_millis(200)).await;
    post(&server, &alice, json!({ "status": "untagged" })).await;
    let tagged = post(&server, &alice, json!({ "status": "#birds at dawn" })).await;
    let frame = tokio::time::timeout(Duration::from_secs(10), socket.next()).await.expect("a frame").unwrap().unwrap();
    let frame: Value = serde_json::from_str(frame.to_text().unwrap()).unwrap();
    assert_eq!(frame["stream"], json!(["hashtag", "birds"]));
    assert_eq!(frame["event"], "update");
    let payload: Value = serde_json::from_str(frame["payload"].as_str().unwrap()).unwrap();
    assert_eq!(payload["id"], tagged["id"]);

    let bad = format!("{}/api/v1/streaming?stream=user&access_token=nope", server.base_url.replacen("http", "ws", 1));
    assert!(tokio_tungstenite::connect_async(bad).await.is_err(), "a bad token is refused");
}

#[tokio::test]
async fn revoking_the_token_closes_its_streams() {
    let server = TestServer::start().await;
    let password = server.create_account("dana", "dana@example.org", "user");
    let (token, client_id, client_secret) =
        crate::oauth::user_token_and_app(&server, "dana@example.org", &password, "read write").await;
    let mut response = server.http.get(server.url("/api/v1/streaming/user")).bearer_auth(&token).send().await.unwrap();
    assert_eq!(response.status(), 200);
    let revoked = server
        .http
        .post(server.url("/oauth/revoke"))
        .form(&[
            ("client_id", client_id.as_str()),
            ("client_secret", client_secret.as_str()),
            ("token", token.as_str()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(revoked.status(), 200);
    // The stream ends: reading reaches its end instead of waiting for more.
    let ended = tokio::time::timeout(Duration::from_secs(10), async {
        while let Some(_chunk) = response.chunk().await.unwrap() {}
    })
    .await;
    assert!(ended.is_ok(), "the stream stayed open after its token was revoked");
}

#[tokio::test]
async fn streams_send_only_what_the_token_and_the_reader_may_see() {
    let server = TestServer::start().await;
    let alice = user(&server, "alice").await;
    let bob_password = server.create_account("bob", "bob@example.org", "user");
    let bob_token =
        crate::oauth::user_token(&server, "bob@example.org", &bob_password, "read:statuses write:follows").await;
    let bob_id =
        call(&server, "GET", "/api/v1/accounts/lookup?acct=bob", "", None).await.1["id"].as_str().unwrap().to_owned();
    let bob = User { id: bob_id, token: bob_token };
    let carol = user(&server, "carol").await;
    call(&server, "POST", &format!("/api/v1/accounts/{}/follow", alice.id), &bob.token, None).await;
    let mut bobs = Listener::open(&server, "/api/v1/streaming/user", &bob).await;
    let mut carols = Listener::open(&server, "/api/v1/streaming/public", &carol).await;

    // Bob's token cannot read notifications: the mention arrives as a post, not a notification.
    let mention = post(&server, &alice, json!({ "status": "@bob hi" })).await;
    assert_eq!(bobs.next("update").await["id"], mention["id"]);
    // A direct message to Bob, who follows Alice, is in his home feed; so is its deletion.
    let secret = post(&server, &alice, json!({ "status": "@bob secret", "visibility": "direct" })).await;
    let secret_id = secret["id"].as_str().unwrap();
    assert_eq!(bobs.next("update").await["id"], secret["id"]);
    call(&server, "DELETE", &format!("/api/v1/statuses/{secret_id}"), &alice.token, None).await;
    assert_eq!(bobs.next("delete").await.to_string(), secret_id);
    let public = post(&server, &alice, json!({ "status": "for all" })).await;
    assert_eq!(bobs.next("update").await["id"], public["id"]);
    assert!(bobs.all.contains("event: update") && !bobs.all.contains("event: notification"), "{}", bobs.all);

    // Carol never saw the direct post, so she does not hear of its deletion.
    assert_eq!(carols.next("update").await["id"], mention["id"]);
    let public_id = public["id"].as_str().unwrap();
    call(&server, "DELETE", &format!("/api/v1/statuses/{public_id}"), &alice.token, None).await;
    assert_eq!(carols.next("delete").await.to_string(), public_id, "the first delete she hears is the public post's");
}

#[tokio::test]
async fn the_direct_stream_carries_conversations() {
    let server = TestServer::start().await;
    let alice = user(&server, "alice").await;
    let bob = user(&server, "bob").await;
    let mut direct = Listener::open(&server, "/api/v1/streaming/direct", &bob).await;
    post(&server, &alice, json!({ "status": "not a direct message" })).await;
    let dm = post(&server, &alice, json!({ "status": "@bob just between us", "visibility": "direct" })).await;
    let conversation = direct.next("conversation").await;
    assert_eq!(conversation["last_status"]["id"], dm["id"]);
    assert_eq!(conversation["accounts"][0]["username"], "alice");
    assert_eq!(conversation["unread"], true);
    assert!(!direct.all.contains("event: update"), "only conversations on this stream: {}", direct.all);
}

#[tokio::test]
async fn streams_leave_out_what_the_reader_muted_blocked_or_filtered() {
    let server = TestServer::start().await;
    let alice = user(&server, "alice").await;
    let bob = user(&server, "bob").await;
    let carol = user(&server, "carol").await;
    let reader = user(&server, "reader").await;
    for who in [&alice, &bob, &carol] {
        call(&server, "POST", &format!("/api/v1/accounts/{}/follow", who.id), &reader.token, None).await;
    }
    call(&server, "POST", &format!("/api/v1/accounts/{}/mute", bob.id), &reader.token, None).await;
    call(&server, "POST", &format!("/api/v1/accounts/{}/block", carol.id), &reader.token, None).await;
    let filter = json!({"title": "no spoilers", "context": ["home", "public"], "filter_action": "hide",
                        "keywords_attributes": [{"keyword": "spoiler"}]});
    assert_eq!(call(&server, "POST", "/api/v2/filters", &reader.token, Some(filter)).await.0, 200);
    let mut home = Listener::open(&server, "/api/v1/streaming/user", &reader).await;
    let mut public = Listener::open(&server, "/api/v1/streaming/public", &reader).await;

    post(&server, &bob, json!({ "status": "muted" })).await;
    post(&server, &carol, json!({ "status": "blocked" })).await;
    post(&server, &alice, json!({ "status": "a spoiler" })).await;
    let shown = post(&server, &alice, json!({ "status": "fine" })).await;
    assert_eq!(home.next("update").await["id"], shown["id"], "{}", home.all);
    assert_eq!(public.next("update").await["id"], shown["id"], "{}", public.all);
}
