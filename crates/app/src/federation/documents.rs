//! What Rookery says to other servers, as ActivityPub JSON shaped as Mastodon shapes
//! it: actors, Notes, and the activities that carry them.

use domain::{Account, Id, Status, Visibility};
use serde_json::{Value, json};

use crate::{App, AppError, Result};

pub const PUBLIC: &str = "https://www.w3.org/ns/activitystreams#Public";

/// The JSON-LD context Mastodon sends, terms included only as used.
pub fn context() -> Value {
    json!([
        "https://www.w3.org/ns/activitystreams",
        "https://w3id.org/security/v1",
        {
            "manuallyApprovesFollowers": "as:manuallyApprovesFollowers",
            "sensitive": "as:sensitive",
            "Hashtag": "as:Hashtag",
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
            "blurhash": "toot:blurhash",
            "focalPoint": { "@container": "@list", "@id": "toot:focalPoint" },
            "ostatus": "http://ostatus.org#",
            "atomUri": "ostatus:atomUri",
            "inReplyToAtomUri": "ostatus:inReplyToAtomUri",
            "conversation": "ostatus:conversation",
        }
    ])
}

/// An account's ActivityPub id: ours at `/users/name`, a remote one's as it told us.
pub fn actor_uri(app: &App, account: &Account) -> String {
    match &account.uri {
        Some(uri) if !account.is_local() => uri.clone(),
        _ => format!("{}/users/{}", app.config().base_url(), account.username),
    }
}

/// A local account as a Person (a Service for bots).
pub fn person(app: &App, account: &Account, public_key_pem: &str) -> Value {
    let base = app.config().base_url();
    let id = actor_uri(app, account);
    json!({
        "@context": context(),
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
        "published": midnight(account.created_at),
        "memorial": false,
        "publicKey": { "id": format!("{id}#main-key"), "owner": id, "publicKeyPem": public_key_pem },
        "tag": [],
        "attachment": account
            .fields
            .iter()
            .map(|f| json!({ "type": "PropertyValue", "name": f.name, "value": f.value_html }))
            .collect::<Vec<_>>(),
        "endpoints": { "sharedInbox": format!("{base}/inbox") },
        "icon": image(app, account.avatar_file.as_deref()),
        "image": image(app, account.header_file.as_deref()),
    })
}

/// What an actor shows to unsigned requests in authorized-fetch mode: enough to verify
/// its signatures and reach its inboxes, as Mastodon.
pub fn restricted_person(person: Value) -> Value {
    const KEPT: [&str; 8] =
        ["@context", "id", "type", "preferredUsername", "inbox", "outbox", "publicKey", "endpoints"];
    let mut person = person;
    if let Some(map) = person.as_object_mut() {
        map.retain(|k, _| KEPT.contains(&k.as_str()));
    }
    person
}

fn image(app: &App, file: Option<&str>) -> Value {
    match file {
        Some(file) => json!({ "type": "Image", "url": format!("{}/system/{file}", app.config().base_url()) }),
        None => Value::Null,
    }
}

/// A post's attachments as Mastodon sends them: Documents with alt text as `name`.
async fn attachments(app: &App, status: &Status) -> Result<Vec<Value>> {
    if status.media.is_empty() {
        return Ok(Vec::new());
    }
    let mut by_status = app.store().list_media_of_statuses(&[status.id]).await?;
    let base = app.config().base_url();
    let documents = by_status.remove(&status.id).unwrap_or_default().into_iter().filter_map(|m| {
        let url = m.file_key.map(|k| format!("{base}/system/{k}")).or(m.remote_url)?;
        let mut document = json!({
            "type": "Document",
            "mediaType": m.content_type,
            "url": url,
            "name": if m.description.is_empty() { Value::Null } else { json!(m.description) },
            "blurhash": m.blurhash,
            "focalPoint": [m.focus.x, m.focus.y],
        });
        if let Some(size) = m.size {
            document["width"] = json!(size.width);
            document["height"] = json!(size.height);
        }
        Some(document)
    });
    Ok(documents.collect())
}

/// The instance actor: an Application named after the domain, which signs fetches.
pub fn instance_actor(app: &App, public_key_pem: &str) -> Value {
    let base = app.config().base_url();
    let id = format!("{base}/actor");
    json!({
        "@context": context(),
        "id": id,
        "type": "Application",
        "inbox": format!("{id}/inbox"),
        "outbox": format!("{id}/outbox"),
        "preferredUsername": app.config().domain,
        "url": format!("{base}/about/more?instance_actor=true"),
        "manuallyApprovesFollowers": true,
        "publicKey": { "id": format!("{id}#main-key"), "owner": id, "publicKeyPem": public_key_pem },
        "endpoints": { "sharedInbox": format!("{base}/inbox") },
    })
}

/// Who a post is addressed to, as Mastodon addresses it.
pub fn addressing(author_uri: &str, visibility: Visibility, mention_uris: &[String]) -> (Vec<String>, Vec<String>) {
    let followers = format!("{author_uri}/followers");
    let mentions = mention_uris.to_vec();
    match visibility {
        Visibility::Public => (vec![PUBLIC.into()], [vec![followers], mentions].concat()),
        Visibility::Unlisted => (vec![followers], [vec![PUBLIC.into()], mentions].concat()),
        Visibility::Private => (vec![followers], mentions),
        Visibility::Direct => (mentions, Vec::new()),
    }
}

/// A post as a Note, with its mentions and hashtags.
pub async fn note(app: &App, status: &Status) -> Result<Value> {
    let author = app.store().find_account_by_id(status.account_id).await?.ok_or(AppError::NotFound("account"))?;
    let author_uri = actor_uri(app, &author);
    let mentioned: Vec<_> =
        app.store().list_accounts(&status.mentions).await?.into_iter().map(std::sync::Arc::unwrap_or_clone).collect();
    let mention_uris: Vec<String> = mentioned.iter().map(|(a, _)| actor_uri(app, a)).collect();
    let (to, cc) = addressing(&author_uri, status.visibility, &mention_uris);
    let parent = match status.in_reply_to_id {
        Some(id) => app.store().find_status(id).await?.map(|p| p.uri),
        None => None,
    };
    let base = app.config().base_url();
    let mut tags: Vec<Value> = mentioned
        .iter()
        .map(|(a, _)| {
            let acct = match &a.domain {
                Some(d) => format!("@{}@{d}", a.username),
                None => format!("@{}@{}", a.username, app.config().domain),
            };
            json!({ "type": "Mention", "href": actor_uri(app, a), "name": acct })
        })
        .collect();
    tags.extend(
        status
            .tags
            .iter()
            .map(|t| json!({ "type": "Hashtag", "href": format!("{base}/tags/{t}"), "name": format!("#{t}") })),
    );
    let content_map = match &status.language {
        Some(lang) => json!({ lang.clone(): status.content }),
        None => Value::Null,
    };
    let mut note = json!({
        "id": status.uri,
        "type": "Note",
        "summary": if status.spoiler_text.is_empty() { Value::Null } else { json!(status.spoiler_text) },
        "inReplyTo": parent,
        "published": iso8601(status.created_at),
        "url": status.url.clone().unwrap_or_else(|| format!("{base}/@{}/{}", author.username, status.id)),
        "attributedTo": author_uri,
        "to": to,
        "cc": cc,
        "sensitive": status.sensitive,
        "atomUri": status.uri,
        "inReplyToAtomUri": parent,
        "conversation": format!("{base}/contexts/{}", status.conversation_id),
        "content": status.content,
        "attachment": attachments(app, status).await?,
        "tag": tags,
    });
    if !content_map.is_null() {
        note["contentMap"] = content_map;
    }
    if let Some(edited) = status.edited_at {
        note["updated"] = json!(iso8601(edited));
    }
    Ok(note)
}

/// `Create` of a Note, at the Note's id plus `/activity`, addressed as the Note is.
pub fn create(note: Value) -> Value {
    let id = format!("{}/activity", note["id"].as_str().unwrap_or_default());
    json!({
        "@context": context(),
        "id": id,
        "type": "Create",
        "actor": note["attributedTo"],
        "published": note["published"],
        "to": note["to"],
        "cc": note["cc"],
        "object": note,
    })
}

/// `Update` of an edited Note.
pub fn update_note(note: Value, now: i64) -> Value {
    json!({
        "@context": context(),
        "id": format!("{}#updates/{now}", note["id"].as_str().unwrap_or_default()),
        "type": "Update",
        "actor": note["attributedTo"],
        "published": iso8601(now),
        "to": note["to"],
        "cc": note["cc"],
        "object": note,
    })
}

/// An activity by `actor` about `object`, with a context and the given addressing.
pub fn activity(id: &str, kind: &str, actor: &str, object: Value, to: &[String], cc: &[String]) -> Value {
    let mut activity = json!({ "@context": context(), "id": id, "type": kind, "actor": actor, "object": object });
    if !to.is_empty() {
        activity["to"] = json!(to);
    }
    if !cc.is_empty() {
        activity["cc"] = json!(cc);
    }
    activity
}

/// A boost as an Announce of the original's id, addressed to the booster's audience
/// and the original's author.
pub async fn announce(app: &App, booster_uri: &str, boost: &Status, original: &Status) -> Result<Value> {
    let original_author = app.store().find_account_by_id(original.account_id).await?;
    let (to, mut cc) = addressing(booster_uri, boost.visibility, &[]);
    cc.extend(original_author.map(|a| actor_uri(app, &a)));
    let mut body = activity(&boost.uri, "Announce", booster_uri, json!(original.uri), &to, &cc);
    body["published"] = json!(iso8601(boost.created_at));
    Ok(body)
}

/// A Follow as Accept, Reject and Undo embed it.
pub fn follow(id: &str, actor: &str, object: &str) -> Value {
    json!({ "id": id, "type": "Follow", "actor": actor, "object": object })
}

/// The id of a favourite's Like: one per account and post.
pub fn like_id(actor_uri: &str, status_id: Id) -> String {
    format!("{actor_uri}#likes/{status_id}")
}

pub fn iso8601(millis: i64) -> String {
    let format = time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]Z");
    time::OffsetDateTime::from_unix_timestamp(millis.div_euclid(1000))
        .ok()
        .and_then(|t| t.format(&format).ok())
        .unwrap_or_default()
}

/// Mastodon publishes an actor's creation day, not the moment.
fn midnight(millis: i64) -> String {
    let day = millis.div_euclid(86_400_000) * 86_400_000;
    iso8601(day)
}
