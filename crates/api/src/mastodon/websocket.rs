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

use super::streaming::RECHECK;
use crate::ApiError;
use crate::auth::Auth;
use crate::params::{Params, lenient};
use std::time::Duration;

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
        "direct" => Stream::Direct,
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
        Stream::Direct => json!(["direct"]),
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
    let (reader, _) = auth.user_with_any(&["read:statuses", "read:notifications"])?;
    let reader = reader.clone();
    let caller = auth.0.as_ref().ok_or_else(crate::auth::invalid_token)?;
    let session = Session { token_id: caller.token.id, scopes: caller.token.scopes.clone(), reader };
    let first = p.stream.as_deref().and_then(|name| stream_named(name, p.tag.as_deref()));
    // Echo the token subprotocol, or browsers refuse the connection.
    let offered = headers.get("sec-websocket-protocol").and_then(|v| v.to_str().ok()).and_then(|p| p.split(',').next());
    let ws = match offered {
        Some(protocol) => ws.protocols([protocol.trim().to_owned()]),
        None => ws,
    };
    Ok(ws.on_upgrade(move |socket| serve_socket(app, session, first, socket)))
}

struct Session {
    token_id: domain::Id,
    scopes: domain::Scopes,
    reader: domain::Account,
}

#[derive(Debug, Deserialize)]
struct Command {
    #[serde(rename = "type")]
    kind: String,
    stream: String,
    tag: Option<String>,
}

/// Subscriptions one socket may hold: each costs work on every event.
const MAX_SUBSCRIPTIONS: usize = 100;
/// A client that does not take a frame within this is gone.
const SEND_TIMEOUT: Duration = Duration::from_secs(10);

async fn send(socket: &mut WebSocket, message: Message) -> bool {
    matches!(tokio::time::timeout(SEND_TIMEOUT, socket.send(message)).await, Ok(Ok(())))
}

async fn serve_socket(app: App, session: Session, first: Option<Stream>, mut socket: WebSocket) {
    let mut subscriptions: Vec<Stream> = first.into_iter().collect();
    let mut events = app.events().subscribe();
    // Pings find connections that died silently; the same tick re-checks the token.
    let mut ticks = tokio::time::interval_at(tokio::time::Instant::now() + RECHECK, RECHECK);
    let mut awaiting_pong = false;
    loop {
        tokio::select! {
            incoming = socket.recv() => match incoming {
                Some(Ok(Message::Text(text))) => {
                    let reply = command(&mut subscriptions, text.as_str());
                    if let Some(error) = reply && !send(&mut socket, Message::Text(error.to_string().into())).await {
                        return;
                    }
                }
                Some(Ok(Message::Pong(_))) => awaiting_pong = false,
                Some(Ok(Message::Close(_))) | None | Some(Err(_)) => return,
                Some(Ok(_)) => {}
            },
            _ = ticks.tick() => {
                if awaiting_pong || !app::streaming::still_allowed(&app, session.token_id).await.unwrap_or(false) {
                    let _ = send(&mut socket, Message::Close(None)).await;
                    return;
                }
                awaiting_pong = true;
                if !send(&mut socket, Message::Ping(Vec::new().into())).await {
                    return;
                }
            },
            event = events.recv() => {
                let event = match event {
                    Ok(event) => event,
                    Err(RecvError::Lagged(_)) => continue,
                    Err(RecvError::Closed) => return,
                };
                if app::streaming::ends_stream(&event, session.token_id) {
                    let _ = send(&mut socket, Message::Close(None)).await;
                    return;
                }
                for stream in &subscriptions {
                    let item = match app::streaming::filter(&app, &session.reader, &session.scopes, stream, &event).await {
                        Ok(Some(item)) => item,
                        Ok(None) => continue,
                        Err(e) => {
                            tracing::warn!(error = %e, "streaming filter failed");
                            continue;
                        }
                    };
                    let Some((name, payload)) = super::streaming::encode(&app, &session.reader, item).await else { continue };
                    let frame = json!({ "stream": stream_label(stream), "event": name, "payload": payload });
                    if !send(&mut socket, Message::Text(frame.to_string().into())).await {
                        return;
                    }
                }
            }
        }
    }
}

/// Applies a `subscribe`/`unsubscribe` message; returns an error frame for a bad one,
/// as Mastodon does.
fn command(subscriptions: &mut Vec<Stream>, text: &str) -> Option<Value> {
    let error = |message: &str| Some(json!({ "error": message, "status": 400 }));
    let Ok(command) = serde_json::from_str::<Command>(text) else { return error("Invalid message") };
    let Some(stream) = stream_named(&command.stream, command.tag.as_deref()) else {
        return error("Unknown stream type");
    };
    match command.kind.as_str() {
        "subscribe" if subscriptions.contains(&stream) => None,
        "subscribe" if subscriptions.len() >= MAX_SUBSCRIPTIONS => error("Too many subscriptions"),
        "subscribe" => {
            subscriptions.push(stream);
            None
        }
        "unsubscribe" => {
            subscriptions.retain(|s| *s != stream);
            None
        }
        _ => error("Unknown message type"),
    }
}
