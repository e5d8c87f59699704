//! Actor documents: each local account as a Person (a Service when it is a bot), with
//! Mastodon's `@context`, served to requests that ask for ActivityPub JSON.

use app::App;
use app::federation::actors::LocalActor;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::header::{ACCEPT, CONTENT_TYPE, LOCATION, VARY};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde_json::{Value, json};

use crate::ApiError;

pub(crate) fn routes() -> Router<App> {
    Router::new().route("/users/{username}", get(actor))
}

pub(crate) const ACTIVITY_JSON: &str = "application/activity+json; charset=utf-8";

/// Whether the client asked for ActivityPub: `application/activity+json`, or JSON-LD
/// (with or without the ActivityStreams profile), or plain JSON, as Mastodon answers.
pub(crate) fn wants_activity_json(headers: &HeaderMap) -> bool {
    headers.get_all(ACCEPT).iter().filter_map(|v| v.to_str().ok()).flat_map(|v| v.split(',')).any(|range| {
        let media_type = range.split(';').next().unwrap_or_default().trim().to_ascii_lowercase();
        matches!(media_type.as_str(), "application/activity+json" | "application/ld+json" | "application/json")
    })
}

async fn actor(State(app): State<App>, Path(username): Path<String>, headers: HeaderMap) -> Result<Response, ApiError> {
    let actor = app::federation::actors::local_actor(&app, &username).await?;
    let base = app.config().base_url();
    if !wants_activity_json(&headers) {
        // Browsers go to the profile page, as on Mastodon.
        let location = format!("{base}/@{}", actor.account.username);
        return Ok((StatusCode::FOUND, [(LOCATION, location), (VARY, "Accept".to_owned())]).into_response());
    }
    let document = person(&base, &actor);
    Ok(([(CONTENT_TYPE, ACTIVITY_JSON), (VARY, "Accept")], document.to_string()).into_response())
}

/// The JSON-LD context Mastodon sends with actors, terms included only as used.
pub(crate) fn actor_context() -> Value {
    json!([
        "https://www.w3.org/ns/activitystreams",
        "https://w3id.org/security/v1",
        {
            "manuallyApprovesFollowers": "as:manuallyApprovesFollowers",
            "toot": "http://joinmastodon.org/ns#",
            "featured": { "@id": "toot:featured", "@type": "@id" },
            "featuredTags": { "@id": "toot:featuredTags", "@type": "@id" },
            "alsoKnownAs": { "@id": "as:alsoKnownAs", "@type": "@id" },
            "movedTo": { "@id": "as:movedTo", "@type": "@id" },
            "schema": "http://schema.org#",
            "PropertyValue": "schema:PropertyValue",
            "value": "schema:value",
            "discoverable": "toot:discoverable",
            "suspended": "toot:suspended",
            "memorial": "toot:memorial",
            "indexable": "toot:indexable",
        }
    ])
}

fn person(base: &str, actor: &LocalActor) -> Value {
    let account = &actor.account;
    let id = format!("{base}/users/{}", account.username);
    json!({
        "@context": actor_context(),
        "id": id,
        "type": if account.bot { "Service" } else { "Person" },
        "following": format!("{id}/following"),
        "followers": format!("{id}/followers"),
        "inbox": format!("{id}/inbox"),
        "outbox": format!("{id}/outbox"),
        "featured": format!("{id}/collections/featured"),
        "featuredTags": format!("{id}/collections/tags"),
        "preferredUsername": account.username,
        "name": account.display_name,
        "summary": account.note,
        "url": format!("{base}/@{}", account.username),
        "manuallyApprovesFollowers": account.locked,
        "discoverable": account.discoverable,
        "indexable": account.indexable,
        "published": crate::format::midnight(account.created_at),
        "memorial": false,
        "publicKey": { "id": format!("{id}#main-key"), "owner": id, "publicKeyPem": actor.public_key_pem },
        "tag": [],
        "attachment": account
            .fields
            .iter()
            .map(|f| json!({ "type": "PropertyValue", "name": f.name, "value": f.value_html }))
            .collect::<Vec<_>>(),
        "endpoints": { "sharedInbox": format!("{base}/inbox") },
    })
}
