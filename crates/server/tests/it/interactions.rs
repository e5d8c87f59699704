//! Favourites, boosts, bookmarks, threads and notifications.

use megalodon::{SNS, generator};
use serde_json::{Value, json};

use crate::statuses::{call, post, user};
use crate::support::TestServer;

fn ids(v: &Value) -> Vec<String> {
    v.as_array().unwrap().iter().map(|x| x["id"].as_str().unwrap().to_owned()).collect()
}

#[tokio::test]
async fn favourites_boosts_bookmarks_and_their_notifications() {
    let server = TestServer::start().await;
    let alice = user(&server, "alice").await;
    let bob = user(&server, "bob").await;
    let carol = user(&server, "carol").await;
    call(&server, "POST", &format!("/api/v1/accounts/{}/follow", bob.id), &carol.token, None).await;
    let original = post(&server, &alice, json!({ "status": "boost me" })).await;
    let id = original["id"].as_str().unwrap().to_owned();

    let bob_client = generator(SNS::Mastodon, server.base_url.clone(), Some(bob.token.clone()), None).unwrap();
    let favourited = bob_client.favourite_status(id.clone()).await.expect("favourite").json;
    assert_eq!((favourited.favourited, favourited.favourites_count), (Some(true), 1));
    bob_client.favourite_status(id.clone()).await.expect("favouriting twice is fine");
    let boost = bob_client.reblog_status(id.clone()).await.expect("boost parses").json;
    assert_eq!(boost.reblog.as_ref().expect("a boost wraps the original").id, id);
    let again = bob_client.reblog_status(id.clone()).await.unwrap().json;
    assert_eq!(again.id, boost.id, "boosting twice returns the first boost");
    bob_client.bookmark_status(id.clone()).await.expect("bookmark");

    let (_, seen) = call(&server, "GET", &format!("/api/v1/statuses/{id}"), &bob.token, None).await;
    assert_eq!(
        (seen["favourited"].as_bool(), seen["reblogged"].as_bool(), seen["bookmarked"].as_bool()),
        (Some(true), Some(true), Some(true))
    );
    assert_eq!((seen["favourites_count"].as_i64(), seen["reblogs_count"].as_i64()), (Some(1), Some(1)));
    let (_, anonymous) = call(&server, "GET", &format!("/api/v1/statuses/{id}"), "", None).await;
    assert_eq!(anonymous["favourited"], false);

    // The boost reaches the booster's followers.
    let (_, home) = call(&server, "GET", "/api/v1/timelines/home", &carol.token, None).await;
    assert_eq!(home[0]["id"].as_str(), Some(boost.id.as_str()));
    assert_eq!(home[0]["reblog"]["id"].as_str(), Some(id.as_str()));

    assert_eq!(ids(&server.get_json(&format!("/api/v1/statuses/{id}/favourited_by")).await), [bob.id.as_str()]);
    assert_eq!(ids(&server.get_json(&format!("/api/v1/statuses/{id}/reblogged_by")).await), [bob.id.as_str()]);
    let (_, bookmarks) = call(&server, "GET", "/api/v1/bookmarks", &bob.token, None).await;
    assert_eq!(ids(&bookmarks), [id.as_str()]);
    let (_, favourites) = call(&server, "GET", "/api/v1/favourites", &bob.token, None).await;
    assert_eq!(ids(&favourites), [id.as_str()]);

    let alice_client = generator(SNS::Mastodon, server.base_url.clone(), Some(alice.token.clone()), None).unwrap();
    let notifications = alice_client.get_notifications(None).await.expect("notifications parse").json;
    let kinds: Vec<String> = notifications.iter().map(|n| format!("{:?}", n.r#type).to_lowercase()).collect();
    assert_eq!(kinds, ["reblog", "favourite"], "one each, newest first");

    bob_client.unreblog_status(id.clone()).await.expect("unboost");
    bob_client.unfavourite_status(id.clone()).await.expect("unfavourite");
    let (_, after) = call(&server, "GET", &format!("/api/v1/statuses/{id}"), &bob.token, None).await;
    assert_eq!((after["favourites_count"].as_i64(), after["reblogs_count"].as_i64()), (Some(0), Some(0)));
    let (_, home) = call(&server, "GET", "/api/v1/timelines/home", &carol.token, None).await;
    assert_eq!(home, json!([]), "the boost left the feed");

    let private = post(&server, &alice, json!({ "status": "only followers", "visibility": "private" })).await;
    let path = format!("/api/v1/statuses/{}/reblog", private["id"].as_str().unwrap());
    assert_eq!(call(&server, "POST", &path, &bob.token, None).await.0, 404, "bob may not see it");
    assert_eq!(call(&server, "POST", &path, &alice.token, None).await.0, 200, "the author may boost it");
}

#[tokio::test]
async fn threads_and_mentions() {
    let server = TestServer::start().await;
    let alice = user(&server, "alice").await;
    let bob = user(&server, "bob").await;
    let root = post(&server, &alice, json!({ "status": "root" })).await;
    let reply = post(&server, &bob, json!({ "status": "@alice a reply", "in_reply_to_id": root["id"] })).await;
    let deeper = post(&server, &alice, json!({ "status": "@bob deeper", "in_reply_to_id": reply["id"] })).await;
    let secret =
        post(&server, &alice, json!({ "status": "@bob psst", "in_reply_to_id": reply["id"], "visibility": "direct" }))
            .await;

    let context = server.get_json(&format!("/api/v1/statuses/{}/context", reply["id"].as_str().unwrap())).await;
    assert_eq!(ids(&context["ancestors"]), [root["id"].as_str().unwrap()]);
    assert_eq!(ids(&context["descendants"]), [deeper["id"].as_str().unwrap()], "the direct reply stays hidden");
    let (_, for_bob) =
        call(&server, "GET", &format!("/api/v1/statuses/{}/context", reply["id"].as_str().unwrap()), &bob.token, None)
            .await;
    assert_eq!(ids(&for_bob["descendants"]).len(), 2);

    let (_, history) =
        call(&server, "GET", &format!("/api/v1/statuses/{}/history", root["id"].as_str().unwrap()), "", None).await;
    assert_eq!(history.as_array().unwrap().len(), 1);
    assert_eq!(history[0]["content"], root["content"]);
    let (_, source) =
        call(&server, "GET", &format!("/api/v1/statuses/{}/source", root["id"].as_str().unwrap()), &alice.token, None)
            .await;
    assert_eq!(source["text"], "root");

    let (_, mentions) = call(&server, "GET", "/api/v1/notifications?types[]=mention", &bob.token, None).await;
    assert_eq!(mentions.as_array().unwrap().len(), 2);
    assert_eq!(mentions[0]["status"]["id"], secret["id"]);
    assert_eq!(mentions[0]["account"]["id"].as_str(), Some(alice.id.as_str()));
}

#[tokio::test]
async fn notification_filters_markers_and_dismissal() {
    let server = TestServer::start().await;
    let alice = user(&server, "alice").await;
    let bob = user(&server, "bob").await;
    let carol = user(&server, "carol").await;
    call(&server, "POST", &format!("/api/v1/accounts/{}/follow", alice.id), &bob.token, None).await;
    call(&server, "POST", &format!("/api/v1/accounts/{}/follow", alice.id), &carol.token, None).await;
    post(&server, &bob, json!({ "status": "hey @alice" })).await;

    let (_, all) = call(&server, "GET", "/api/v1/notifications", &alice.token, None).await;
    let kinds: Vec<&str> = all.as_array().unwrap().iter().map(|n| n["type"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["mention", "follow", "follow"]);
    assert!(all[0]["group_key"].is_string() && all[1]["status"].is_null());
    let (_, follows) = call(&server, "GET", "/api/v1/notifications?exclude_types[]=mention", &alice.token, None).await;
    assert_eq!(follows.as_array().unwrap().len(), 2);
    let (_, from_carol) =
        call(&server, "GET", &format!("/api/v1/notifications?account_id={}", carol.id), &alice.token, None).await;
    assert_eq!(from_carol.as_array().unwrap().len(), 1);
    let (_, page) = call(&server, "GET", "/api/v1/notifications?limit=1", &alice.token, None).await;
    assert_eq!(page.as_array().unwrap().len(), 1);

    let (_, count) = call(&server, "GET", "/api/v1/notifications/unread_count", &alice.token, None).await;
    assert_eq!(count["count"], 3);
    let second = all[1]["id"].as_str().unwrap();
    let (code, saved) = call(
        &server,
        "POST",
        "/api/v1/markers",
        &alice.token,
        Some(json!({ "notifications": { "last_read_id": second } })),
    )
    .await;
    assert_eq!(code, 200);
    assert_eq!(saved["notifications"]["last_read_id"], second);
    assert_eq!(saved["notifications"]["version"], 1);
    let (_, count) = call(&server, "GET", "/api/v1/notifications/unread_count", &alice.token, None).await;
    assert_eq!(count["count"], 1, "only the mention is newer than the marker");
    let (_, markers) = call(&server, "GET", "/api/v1/markers?timeline[]=notifications", &alice.token, None).await;
    assert_eq!(markers["notifications"]["last_read_id"], second);

    let first = all[0]["id"].as_str().unwrap();
    assert_eq!(
        call(&server, "GET", &format!("/api/v1/notifications/{first}"), &alice.token, None).await.1["type"],
        "mention"
    );
    assert_eq!(
        call(&server, "GET", &format!("/api/v1/notifications/{first}"), &bob.token, None).await.0,
        404,
        "not bob's"
    );
    assert_eq!(
        call(&server, "POST", &format!("/api/v1/notifications/{first}/dismiss"), &alice.token, None).await.0,
        200
    );
    assert_eq!(call(&server, "GET", "/api/v1/notifications", &alice.token, None).await.1.as_array().unwrap().len(), 2);
    assert_eq!(call(&server, "POST", "/api/v1/notifications/clear", &alice.token, None).await.0, 200);
    assert_eq!(call(&server, "GET", "/api/v1/notifications", &alice.token, None).await.1, json!([]));
}

#[tokio::test]
async fn grouped_notifications_as_mastodon_serves_them() {
    let server = TestServer::start().await;
    let alice = user(&server, "alice").await;
    let bob = user(&server, "bob").await;
    let carol = user(&server, "carol").await;
    let liked = post(&server, &alice, json!({ "status": "like me" })).await;
    let id = liked["id"].as_str().unwrap();
    for fan in [&bob, &carol] {
        call(&server, "POST", &format!("/api/v1/statuses/{id}/favourite"), &fan.token, None).await;
    }
    call(&server, "POST", &format!("/api/v1/accounts/{}/follow", alice.id), &bob.token, None).await;
    post(&server, &carol, json!({ "status": "@alice hi" })).await;

    let (code, grouped) = call(&server, "GET", "/api/v2/notifications", &alice.token, None).await;
    assert_eq!(code, 200, "{grouped}");
    let groups = grouped["notification_groups"].as_array().unwrap();
    let kinds: Vec<&str> = groups.iter().map(|g| g["type"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["mention", "follow", "favourite"]);
    let favourites = &groups[2];
    assert_eq!(favourites["notifications_count"], 2);
    assert_eq!(favourites["status_id"], liked["id"]);
    assert_eq!(favourites["sample_account_ids"], json!([carol.id, bob.id]));
    assert_eq!(grouped["accounts"].as_array().unwrap().len(), 2, "each account once");
    assert_eq!(grouped["statuses"].as_array().unwrap().len(), 2, "the liked post and the mention");

    let key = favourites["group_key"].as_str().unwrap();
    let (_, v1) = call(&server, "GET", "/api/v1/notifications?types[]=favourite", &alice.token, None).await;
    assert_eq!(v1[0]["group_key"], key, "v1 and v2 agree on the key");
    let (_, accounts) =
        call(&server, "GET", &format!("/api/v2/notifications/{key}/accounts"), &alice.token, None).await;
    assert_eq!(accounts.as_array().unwrap().len(), 2);
    let (_, count) = call(&server, "GET", "/api/v2/notifications/unread_count", &alice.token, None).await;
    assert_eq!(count["count"], 3);
    assert_eq!(call(&server, "POST", &format!("/api/v2/notifications/{key}/dismiss"), &alice.token, None).await.0, 200);
    let (_, grouped) = call(&server, "GET", "/api/v2/notifications", &alice.token, None).await;
    assert_eq!(grouped["notification_groups"].as_array().unwrap().len(), 2);
    assert_eq!(call(&server, "GET", &format!("/api/v2/notifications/{key}"), &alice.token, None).await.0, 404);
}

#[tokio::test]
async fn review_regressions_counts_and_notifications() {
    let server = TestServer::start().await;
    let alice = user(&server, "alice").await;
    let bob = user(&server, "bob").await;
    let carol = user(&server, "carol").await;
    let original = post(&server, &alice, json!({ "status": "count me" })).await;
    let id = original["id"].as_str().unwrap().to_owned();

    // Two boosts at once make one boost, counted once.
    let path = format!("/api/v1/statuses/{id}/reblog");
    let (a, b) =
        tokio::join!(call(&server, "POST", &path, &bob.token, None), call(&server, "POST", &path, &bob.token, None));
    assert_eq!((a.0, b.0), (200, 200));
    assert_eq!(a.1["id"], b.1["id"]);
    assert_eq!(server.get_json(&format!("/api/v1/statuses/{id}")).await["reblogs_count"], 1);

    // Favouriting the boost's id favourites the original and tells its author.
    let boost_id = a.1["id"].as_str().unwrap();
    let (_, faved) = call(&server, "POST", &format!("/api/v1/statuses/{boost_id}/favourite"), &carol.token, None).await;
    assert_eq!(faved["id"], original["id"]);
    assert_eq!(faved["favourites_count"], 1);
    let (_, notes) = call(&server, "GET", "/api/v1/notifications?types[]=favourite", &alice.token, None).await;
    assert_eq!(notes.as_array().unwrap().len(), 1);
    // Taking it back takes the notification back; doing it again notifies once.
    call(&server, "POST", &format!("/api/v1/statuses/{id}/unfavourite"), &carol.token, None).await;
    call(&server, "POST", &format!("/api/v1/statuses/{id}/favourite"), &carol.token, None).await;
    let (_, notes) = call(&server, "GET", "/api/v1/notifications?types[]=favourite", &alice.token, None).await;
    assert_eq!(notes.as_array().unwrap().len(), 1);

    // Deleting the boost by its own id uncounts it.
    assert_eq!(call(&server, "DELETE", &format!("/api/v1/statuses/{boost_id}"), &bob.token, None).await.0, 200);
    assert_eq!(server.get_json(&format!("/api/v1/statuses/{id}")).await["reblogs_count"], 0);

    // Following twice notifies once.
    for _ in 0..2 {
        call(&server, "POST", &format!("/api/v1/accounts/{}/follow", alice.id), &carol.token, None).await;
    }
    let (_, notes) = call(&server, "GET", "/api/v1/notifications?types[]=follow", &alice.token, None).await;
    assert_eq!(notes.as_array().unwrap().len(), 1);

    // Hidden replies and direct posts are not counted where others can see the count.
    post(&server, &bob, json!({ "status": "@alice psst", "in_reply_to_id": id, "visibility": "direct" })).await;
    post(&server, &bob, json!({ "status": "just followers", "in_reply_to_id": id, "visibility": "private" })).await;
    assert_eq!(server.get_json(&format!("/api/v1/statuses/{id}")).await["replies_count"], 0);
    assert_eq!(
        server.get_json(&format!("/api/v1/accounts/{}", bob.id)).await["statuses_count"],
        1,
        "the private reply counts; the direct one does not"
    );

    // An edit that adds a mention tells the newly mentioned.
    let (code, _) = call(
        &server,
        "PUT",
        &format!("/api/v1/statuses/{id}"),
        &alice.token,
        Some(json!({ "status": "count me @carol" })),
    )
    .await;
    assert_eq!(code, 200);
    let (_, notes) = call(&server, "GET", "/api/v1/notifications?types[]=mention", &carol.token, None).await;
    assert_eq!(notes[0]["status"]["id"], original["id"]);

    // Hidden follower lists show only to their owner.
    call(
        &server,
        "PATCH",
        "/api/v1/accounts/update_credentials",
        &alice.token,
        Some(json!({ "hide_collections": true })),
    )
    .await;
    assert_eq!(server.get_json(&format!("/api/v1/accounts/{}/followers", alice.id)).await, json!([]));
    let (_, own) = call(&server, "GET", &format!("/api/v1/accounts/{}/followers", alice.id), &alice.token, None).await;
    assert_eq!(own.as_array().unwrap().len(), 1);
}
