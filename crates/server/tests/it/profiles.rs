//! Editing profiles and defaults; locked accounts and follow requests.

use serde_json::{Value, json};

use crate::media::ROTATED_WITH_GPS;
use crate::statuses::{call, post, user};
use crate::support::TestServer;

#[tokio::test]
async fn update_credentials_saves_the_profile_and_defaults() {
    let server = TestServer::start().await;
    let alice = user(&server, "alice").await;
    let form = reqwest::multipart::Form::new()
        .text("display_name", "Alice A.")
        .text("note", "Birder. See https://birds.example")
        .text("bot", "true")
        .text("fields_attributes[0][name]", "Pronouns")
        .text("fields_attributes[0][value]", "she/her")
        .text("fields_attributes[1][name]", "Site")
        .text("fields_attributes[1][value]", "https://alice.example")
        .text("source[privacy]", "unlisted")
        .text("source[language]", "fr")
        .part(
            "avatar",
            // A JPEG called a PNG: the bytes say what it is.
            reqwest::multipart::Part::bytes(ROTATED_WITH_GPS.to_vec())
                .file_name("me.png")
                .mime_str("image/png")
                .unwrap(),
        );
    let response = server
        .http
        .patch(server.url("/api/v1/accounts/update_credentials"))
        .bearer_auth(&alice.token)
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let me: Value = response.json().await.unwrap();
    assert_eq!(me["display_name"], "Alice A.");
    assert_eq!(me["bot"], true);
    assert_eq!(me["source"]["note"], "Birder. See https://birds.example");
    assert!(
        me["note"].as_str().unwrap().starts_with("<p>Birder. See <a href=\"https://birds.example\""),
        "{}",
        me["note"]
    );
    assert_eq!(me["fields"][0], json!({ "name": "Pronouns", "value": "she/her", "verified_at": null }));
    assert!(me["fields"][1]["value"].as_str().unwrap().contains("<a href=\"https://alice.example\""));
    assert_eq!(me["source"]["fields"][1]["value"], "https://alice.example");
    assert_eq!(me["source"]["privacy"], "unlisted");
    assert_eq!(me["source"]["language"], "fr");
    let avatar = server.http.get(me["avatar"].as_str().unwrap()).send().await.unwrap();
    assert_eq!(avatar.headers()["content-type"], "image/jpeg");
    let avatar = avatar.bytes().await.unwrap();
    assert!(avatar.starts_with(&[0xFF, 0xD8]) && !avatar.windows(4).any(|w| w == b"Exif"), "stripped");

    let (_, prefs) = call(&server, "GET", "/api/v1/preferences", &alice.token, None).await;
    assert_eq!(prefs["posting:default:visibility"], "unlisted");
    let status = post(&server, &alice, json!({ "status": "uses my defaults" })).await;
    assert_eq!((status["visibility"].as_str(), status["language"].as_str()), (Some("unlisted"), Some("fr")));

    // JSON works too, and only what is sent changes.
    let (code, me) =
        call(&server, "PATCH", "/api/v1/accounts/update_credentials", &alice.token, Some(json!({ "locked": true })))
            .await;
    assert_eq!(code, 200);
    assert_eq!((me["locked"].as_bool(), me["display_name"].as_str()), (Some(true), Some("Alice A.")));

    for bad in [
        json!({ "display_name": "x".repeat(31) }),
        json!({ "note": "x".repeat(501) }),
        json!({ "source": { "privacy": "direct" } }),
        json!({ "source": { "sensitive": "maybe" } }),
        json!({ "fields_attributes": "Pronouns: she/her" }),
        json!({ "fields_attributes": [["Pronouns", "she/her"]] }),
        json!({ "fields_attributes": [{"name":"1","value":"1"},{"name":"2","value":"2"},{"name":"3","value":"3"},{"name":"4","value":"4"},{"name":"5","value":"5"}] }),
    ] {
        let (code, body) =
            call(&server, "PATCH", "/api/v1/accounts/update_credentials", &alice.token, Some(bad.clone())).await;
        assert_eq!(code, 422, "{bad}: {body}");
    }
    let (_, me) = call(&server, "GET", "/api/v1/accounts/verify_credentials", &alice.token, None).await;
    assert_eq!(me["display_name"], "Alice A.", "refused updates change nothing");
    assert_eq!(me["fields"].as_array().unwrap().len(), 2, "malformed fields do not wipe the saved ones");
    let text_part =
        reqwest::multipart::Part::bytes(b"not an image".to_vec()).file_name("x.txt").mime_str("text/plain").unwrap();
    let response = server
        .http
        .patch(server.url("/api/v1/accounts/update_credentials"))
        .bearer_auth(&alice.token)
        .multipart(reqwest::multipart::Form::new().part("header", text_part))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 422);
}

#[tokio::test]
async fn locked_accounts_approve_their_followers() {
    let server = TestServer::start().await;
    let alice = user(&server, "alice").await;
    let bob = user(&server, "bob").await;
    let carol = user(&server, "carol").await;
    call(&server, "PATCH", "/api/v1/accounts/update_credentials", &alice.token, Some(json!({ "locked": true }))).await;
    post(&server, &alice, json!({ "status": "followers only", "visibility": "private" })).await;

    let (_, rel) = call(&server, "POST", &format!("/api/v1/accounts/{}/follow", alice.id), &bob.token, None).await;
    assert_eq!((rel["following"].as_bool(), rel["requested"].as_bool()), (Some(false), Some(true)));
    call(&server, "POST", &format!("/api/v1/accounts/{}/follow", alice.id), &carol.token, None).await;
    let (_, me) = call(&server, "GET", "/api/v1/accounts/verify_credentials", &alice.token, None).await;
    assert_eq!(me["source"]["follow_requests_count"], 2);
    let (_, requests) = call(&server, "GET", "/api/v1/follow_requests", &alice.token, None).await;
    assert_eq!(requests.as_array().unwrap().len(), 2);
    let (_, notes) = call(&server, "GET", "/api/v1/notifications", &alice.token, None).await;
    assert_eq!(notes[0]["type"], "follow_request");
    let (_, home) = call(&server, "GET", "/api/v1/timelines/home", &bob.token, None).await;
    assert_eq!(home, json!([]), "nothing before approval");

    let (code, rel) =
        call(&server, "POST", &format!("/api/v1/follow_requests/{}/authorize", bob.id), &alice.token, None).await;
    assert_eq!(code, 200);
    assert_eq!((rel["followed_by"].as_bool(), rel["requested_by"].as_bool()), (Some(true), Some(false)));
    call(&server, "POST", &format!("/api/v1/follow_requests/{}/reject", carol.id), &alice.token, None).await;
    assert_eq!(
        call(&server, "POST", &format!("/api/v1/follow_requests/{}/reject", carol.id), &alice.token, None).await.0,
        404
    );
    let (_, home) = call(&server, "GET", "/api/v1/timelines/home", &bob.token, None).await;
    assert_eq!(home[0]["content"], "<p>followers only</p>", "approved followers get the private posts");
    let (_, rels) =
        call(&server, "GET", &format!("/api/v1/accounts/relationships?id[]={}", alice.id), &carol.token, None).await;
    assert_eq!((rels[0]["following"].as_bool(), rels[0]["requested"].as_bool()), (Some(false), Some(false)));

    let (_, rel) =
        call(&server, "POST", &format!("/api/v1/accounts/{}/remove_from_followers", bob.id), &alice.token, None).await;
    assert_eq!(rel["followed_by"], false);
    let (_, home) = call(&server, "GET", "/api/v1/timelines/home", &bob.token, None).await;
    assert_eq!(home, json!([]));
}
