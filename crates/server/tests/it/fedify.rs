//! Rookery against Fedify, an ActivityPub implementation written by others: its actor
//! follows a Rookery user and is followed back, receives posts, replies, favourites,
//! boosts and undoes, each checked on the side that should see it. Run once with each
//! signature style Fedify can try first.

use serde_json::{Value, json};

use crate::federation::{eventually, notification, peer};
use crate::statuses::{call, user};
use crate::support::fedify::{FedifyPeer, FirstKnock};

#[tokio::test]
async fn fedify_signing_rfc9421_first() {
    federates_with_fedify(FirstKnock::Rfc9421).await;
}

#[tokio::test]
async fn fedify_signing_draft_cavage_first() {
    federates_with_fedify(FirstKnock::DraftCavage).await;
}

async fn federates_with_fedify(knock: FirstKnock) {
    let fedify = FedifyPeer::start(knock).await;
    let a = peer().await;
    let alice = user(&a, "alice").await;
    let alice_uri = format!("{}/users/alice", a.base_url);

    // Fedify follows alice (an unlocked account): Rookery accepts.
    fedify.control("follow", json!({ "actor": alice_uri })).await;
    eventually("the Accept at Fedify", || async {
        let following = fedify.get("following").await;
        following
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["actor"] == alice_uri && f["accepted"] == true)
            .then_some(Value::Null)
    })
    .await;
    let follow = eventually("the follow notification", || notification(&a, &alice, "follow")).await;
    assert_eq!(follow["account"]["acct"], format!("peer@{}", fedify.domain()));
    let peer_id = follow["account"]["id"].as_str().unwrap().to_owned();

    // Alice's public post reaches her follower.
    let (_, post) = call(&a, "POST", "/api/v1/statuses", &alice.token, Some(json!({ "status": "hello fedify" }))).await;
    let post_uri = post["uri"].as_str().unwrap().to_owned();
    let create = eventually("the Create at Fedify", || async {
        fedify.received("Create").await.into_iter().find(|c| c["object"]["id"] == post_uri)
    })
    .await;
    assert!(create["object"]["content"].as_str().unwrap().contains("hello fedify"), "{create}");

    // Fedify replies with a mention, favourites and boosts.
    let reply = json!({ "content": "<p>hi <b>alice</b></p>", "inReplyTo": post_uri, "mentions": [alice_uri], "to": [alice_uri], "public": true });
    fedify.control("note", reply).await;
    let mention = eventually("the reply", || notification(&a, &alice, "mention")).await;
    assert_eq!(mention["status"]["in_reply_to_id"], post["id"]);
    assert_eq!(mention["status"]["account"]["id"], peer_id.as_str());
    let like = fedify.control("like", json!({ "object": post_uri, "to": alice_uri })).await;
    eventually("the favourite", || notification(&a, &alice, "favourite")).await;
    fedify.control("announce", json!({ "object": post_uri, "to": alice_uri })).await;
    eventually("the boost", || notification(&a, &alice, "reblog")).await;
    fedify.control("undo", json!({ "activity": like["id"] })).await;
    let path = format!("/api/v1/statuses/{}", post["id"].as_str().unwrap());
    eventually("the undone favourite", || async {
        let (_, status) = call(&a, "GET", &path, &alice.token, None).await;
        (status["favourites_count"] == 0 && status["reblogs_count"] == 1).then_some(Value::Null)
    })
    .await;

    // Alice follows back; Fedify's posts reach her home timeline, and her favourite and
    // boost of one reach Fedify.
    let (status, _) = call(&a, "POST", &format!("/api/v1/accounts/{peer_id}/follow"), &alice.token, None).await;
    assert_eq!(status, 200);
    eventually("the follow at Fedify", || async {
        fedify.get("followers").await.as_array().unwrap().iter().any(|f| f == &json!(alice_uri)).then_some(Value::Null)
    })
    .await;
    let relationship_path = format!("/api/v1/accounts/relationships?id[]={peer_id}");
    eventually("Fedify's Accept", || async {
        let (_, r) = call(&a, "GET", &relationship_path, &alice.token, None).await;
        (r[0]["following"] == true).then_some(Value::Null)
    })
    .await;
    let note = fedify.control("note", json!({ "content": "<p>from fedify</p>", "public": true })).await;
    let home = eventually("Fedify's post at home", || async {
        let (_, home) = call(&a, "GET", "/api/v1/timelines/home", &alice.token, None).await;
        home.as_array().unwrap().iter().find(|s| s["uri"] == note["id"]).cloned()
    })
    .await;
    assert_eq!(home["content"], "<p>from fedify</p>");
    let id = home["id"].as_str().unwrap();
    call(&a, "POST", &format!("/api/v1/statuses/{id}/favourite"), &alice.token, None).await;
    call(&a, "POST", &format!("/api/v1/statuses/{id}/reblog"), &alice.token, None).await;
    for kind in ["Like", "Announce"] {
        eventually(kind, || async {
            fedify
                .received(kind)
                .await
                .into_iter()
                .find(|l| l["object"] == note["id"] || l["object"]["id"] == note["id"])
        })
        .await;
    }

    // Fedify deletes its post: it leaves alice's timeline.
    fedify.control("delete", json!({ "note": note["id"] })).await;
    eventually("the deleted post", || async {
        let (status, _) = call(&a, "GET", &format!("/api/v1/statuses/{id}"), &alice.token, None).await;
        (status == 404).then_some(Value::Null)
    })
    .await;
}
