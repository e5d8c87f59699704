//! Mastodon's streaming API over a WebSocket: `GET /api/v1/streaming?stream=user`, then
//! `{"type":"subscribe","stream":"hashtag","tag":"birds"}` and `unsubscribe` messages;
//! every event is sent as `{"stream":[...],"event":"update","payload":"<JSON>"}`.

use app::App;
use app::streaming::Stream;
use axum::extract::State;
use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::http::HeaderMap;
use axum::response::Response;
use serde::Deserialize;
use serde_json::{Value, json};
use tokio::sync::broadcast::error::RecvError;

use crate::ApiError;
use crate::auth::Auth;
use crate::params::{Params, lenient};

#[derive(Debug, Deserialize)]
pub(super) struct StreamParams {
    #[serde(default, deserialize_with = "lenient::opt_string")]
    stream: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    tag: Option<String>,
}

/// A stream by its WebSocket name (`public:local`, `hashtag` with a tag, ...).
fn stream_named(name: &str, tag: Option<&str>) -> Option<Stream> {
    let tag = || tag.map(|t| t.trim_start_matches('#').to_lowercase()).filter(|t| !t.is_empty());
    Some(match name {
        "user" => Stream::User,
        "user:notification" => Stream::UserNotification,
        "public" => Stream::Public { local: None },
        "public:local" => Stream::Public { local: Some(true) },
        "public:remote" => Stream::Public { local: Some(false) },
        "hashtag" => Stream::Hashtag { tag: tag()?, local: false },
        "hashtag:local" => Stream::Hashtag { tag: tag()?, local: true },
        _ => return None,
    })
}

/// The `stream` array of a frame: the name, and the tag for hashtag streams.
fn stream_label(stream: &Stream) -> Value {
    match stream {
        Stream::User => json!(["user"]),
        Stream::UserNotification => json!(["user:notification"]),
        Stream::Public { local: None } => json!(["public"]),
        Stream::Public { local: Some(true) } => json!(["public:local"]),
        Stream::Public { local: Some(false) } => json!(["public:remote"]),
        Stream::Hashtag { tag, local: false } => json!(["hashtag", tag]),
        Stream::Hashtag { tag, local: true } => json!(["hashtag:local", tag]),
    }
}

pub(super) async fn upgrade(
    State(app): State<App>,
    auth: Auth,
    headers: HeaderMap,
    ws: WebSocketUpgrade,
    Params { value: p, .. }: Params<StreamParams>,
) -> Result<Response, ApiError> {
    let (reader, _) = auth.user_with("read")?;
    let reader = reader.clone();
    let token_id = auth.0.as_ref().map(|c| c.token.id).ok_or_else(crate::auth::invalid_token)?;
    let first = p.stream.as_deref().and_then(|name| stream_named(name, p.tag.as_deref()));
    // Echo the token subprotocol, or browsers refuse the connection.
    let ws = match headers.get("sec-websocket-protocol").and_then(|v| v.to_str().ok()) {
        Some(protocol) => ws.protocols([protocol.trim().to_owned()]),
        None => ws,
    };
    Ok(ws.on_upgrade(move |socket| serve_socket(app, reader, token_id, first, socket)))
}

#[derive(Debug, Deserialize)]
struct Command {
    #[serde(rename = "type")]
    kind: String,
    stream: String,
    tag: Option<String>,
}

async fn serve_socket(
    app: App,
    reader: domain::Account,
    token_id: domain::Id,
    first: Option<Stream>,
    mut socket: WebSocket,
) {
    let mut subscriptions: Vec<Stream> = first.into_iter().collect();
    let mut events = app.events().subscribe();
    loop {
        tokio::select! {
            incoming = socket.recv() => match incoming {
                Some(Ok(Message::Text(text))) => {
                    let Ok(command) = serde_json::from_str::<Command>(text.as_str()) else { continue };
                    let Some(stream) = stream_named(&command.stream, command.tag.as_deref()) else { continue };
                    match command.kind.as_str() {
                        "subscribe" if !subscriptions.contains(&stream) => subscriptions.push(stream),
                        "unsubscribe" => subscriptions.retain(|s| *s != stream),
                        _ => {}
                    }
                }
                Some(Ok(Message::Close(_))) | None | Some(Err(_)) => return,
                Some(Ok(_)) => {}
            },
            event = events.recv() => {
                let event = match event {
                    Ok(event) => event,
                    Err(RecvError::Lagged(_)) => continue,
                    Err(RecvError::Closed) => return,
                };
                if app::streaming::ends_stream(&event, token_id) {
                    let _ = socket.send(Message::Close(None)).await;
                    return;
                }
                for stream in &subscriptions {
                    let item = match app::streaming::filter(&app, &reader, stream, &event).await {
                        Ok(Some(item)) => item,
                        Ok(None) => continue,
                        Err(e) => {
                            tracing::warn!(error = %e, "streaming filter failed");
                            continue;
                        }
                    };
                    let Some((name, payload)) = super::streaming::encode(&app, &reader, item).await else { continue };
                    let frame = json!({ "stream": stream_label(stream), "event": name, "payload": payload });
                    if socket.send(Message::Text(frame.to_string().into())).await.is_err() {
                        return;
                    }
                }
            }
        }
    }
}
