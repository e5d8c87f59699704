//! Uploads through megalodon, attaching them to posts, the stored files, and what is
//! refused.

use megalodon::entities::UploadMedia;
use megalodon::megalodon::{
    PostStatusInputOptions, PostStatusOutput, UpdateMediaInputOptions, UploadMediaInputOptions,
};
use megalodon::{SNS, generator};
use serde_json::{Value, json};

use crate::statuses::{User, call, user};
use crate::support::TestServer;

/// A 40 × 20 JPEG whose EXIF says to turn it a quarter clockwise, with a description
/// ("secret place") and a GPS latitude (47° 22' 37").
pub(crate) const ROTATED_WITH_GPS: &[u8] = include_bytes!("../fixtures/media/rotated-with-gps.jpg");

pub(crate) async fn upload(server: &TestServer, who: &User, version: u8, name: &str, bytes: &[u8]) -> (u16, Value) {
    let part = reqwest::multipart::Part::bytes(bytes.to_vec()).file_name(name.to_owned());
    let form = reqwest::multipart::Form::new().part("file", part).text("description", "alt text");
    let response = server
        .http
        .post(server.url(&format!("/api/v{version}/media")))
        .bearer_auth(&who.token)
        .multipart(form)
        .send()
        .await
        .unwrap();
    (response.status().as_u16(), response.json().await.unwrap_or(Value::Null))
}

pub(crate) fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

#[tokio::test]
async fn megalodon_uploads_a_photo_that_comes_back_upright_without_its_gps() {
    let server = TestServer::start().await;
    let alice = user(&server, "alice").await;
    let bob = user(&server, "bob").await;
    let client = generator(SNS::Mastodon, server.base_url.clone(), Some(alice.token.clone()), None).unwrap();

    let options = UploadMediaInputOptions { description: Some("a red and a blue half".into()), focus: None };
    let reader = Box::new(std::io::Cursor::new(ROTATED_WITH_GPS.to_vec()));
    let uploaded = client.upload_media_reader(reader, Some(&options), Some("photo.jpg".into())).await.expect("upload");
    let UploadMedia::Attachment(media) = uploaded.json else { panic!("processed at once") };
    assert_eq!(media.description.as_deref(), Some("a red and a blue half"));
    let meta = media.meta.clone().expect("meta");
    let original = meta.original.expect("original size");
    assert_eq!((original.width, original.height), (Some(20), Some(40)), "turned upright");
    assert!(media.blurhash.as_deref().is_some_and(|b| b.len() == 36), "{:?}", media.blurhash);

    let focus = UpdateMediaInputOptions { focus: Some("0.5,-0.25".into()), ..Default::default() };
    let updated = client.update_media(media.id.clone(), Some(&focus)).await.expect("update").json;
    let focus = updated.meta.unwrap().focus.unwrap();
    assert_eq!((focus.x, focus.y), (0.5, -0.25));
    assert_eq!(client.get_media(media.id.clone()).await.expect("get").json.id, media.id);

    // The stored file: a JPEG without any of the metadata, cacheable for good.
    let file = server.http.get(&media.url).send().await.unwrap();
    assert_eq!(file.status(), 200);
    assert_eq!(file.headers()["content-type"], "image/jpeg");
    assert!(file.headers()["cache-control"].to_str().unwrap().contains("immutable"));
    let bytes = file.bytes().await.unwrap();
    assert!(bytes.starts_with(&[0xFF, 0xD8, 0xFF]));
    assert!(!contains(&bytes, b"Exif") && !contains(&bytes, b"secret place"));
    assert!(contains(ROTATED_WITH_GPS, b"secret place"), "the fixture has what must go");
    let preview = server.http.get(media.preview_url.as_deref().unwrap()).send().await.unwrap();
    assert_eq!(preview.status(), 200);
    let part = server.http.get(&media.url).header("range", "bytes=0-9").send().await.unwrap();
    assert_eq!(part.status(), 206);
    assert_eq!(part.headers()["content-range"], format!("bytes 0-9/{}", bytes.len()).as_str());
    assert_eq!(part.headers()["content-length"], "10");
    assert_eq!(part.bytes().await.unwrap().as_ref(), &bytes[..10]);

    // Someone else can neither see the upload's record nor attach it.
    let (status, _) = call(&server, "GET", &format!("/api/v1/media/{}", media.id), &bob.token, None).await;
    assert_eq!(status, 404);
    let (status, json) =
        call(&server, "POST", "/api/v1/statuses", &bob.token, Some(json!({"status": "mine", "media_ids": [media.id]})))
            .await;
    assert_eq!(status, 422, "{json}");

    let (status, _) = call(&server, "POST", &format!("/api/v1/accounts/{}/follow", alice.id), &bob.token, None).await;
    assert_eq!(status, 200);
    let options = PostStatusInputOptions { media_ids: Some(vec![media.id.clone()]), ..Default::default() };
    let PostStatusOutput::Status(posted) = client.post_status("look".into(), Some(&options)).await.unwrap().json else {
        panic!("not scheduled")
    };
    assert_eq!(posted.media_attachments.len(), 1);
    assert_eq!(posted.media_attachments[0].id, media.id);

    let (_, home) = call(&server, "GET", "/api/v1/timelines/home", &bob.token, None).await;
    let shown = &home[0]["media_attachments"][0];
    assert_eq!(shown["id"], media.id.as_str());
    assert_eq!(shown["type"], "image");
    assert_eq!(shown["description"], "a red and a blue half");
    assert_eq!(shown["meta"]["original"]["size"], "20x40");
    assert_eq!(shown["meta"]["focus"], json!({"x": 0.5, "y": -0.25}));

    // Attached once, it cannot be attached again nor deleted.
    let again = json!({"status": "again", "media_ids": [media.id]});
    assert_eq!(call(&server, "POST", "/api/v1/statuses", &alice.token, Some(again)).await.0, 422);
    assert_eq!(call(&server, "DELETE", &format!("/api/v1/media/{}", media.id), &alice.token, None).await.0, 422);

    // Media-only lists keep only the posts with attachments.
    crate::statuses::post(&server, &alice, json!({"status": "no photo #look"})).await;
    for path in [
        "/api/v1/timelines/public?only_media=true".to_owned(),
        "/api/v1/timelines/public?only_media=1&local=true".to_owned(),
        format!("/api/v1/accounts/{}/statuses?only_media=true", alice.id),
    ] {
        let (_, list) = call(&server, "GET", &path, &bob.token, None).await;
        let ids: Vec<&str> = list.as_array().unwrap().iter().map(|s| s["id"].as_str().unwrap()).collect();
        assert_eq!(ids, [posted.id.as_str()], "{path}");
    }
    let (_, all) = call(&server, "GET", "/api/v1/timelines/public", &bob.token, None).await;
    assert_eq!(all.as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn unattached_uploads_can_be_deleted_with_their_files() {
    let server = TestServer::start().await;
    let alice = user(&server, "alice").await;
    let (status, media) = upload(&server, &alice, 1, "photo.jpg", ROTATED_WITH_GPS).await;
    assert_eq!(status, 200, "{media}");
    let url = media["url"].as_str().unwrap().to_owned();
    assert!(!url.contains("photo"), "stored names are not the uploaded ones: {url}");
    let path = format!("/api/v1/media/{}", media["id"].as_str().unwrap());
    assert_eq!(call(&server, "DELETE", &path, &alice.token, None).await, (200, json!({})));
    assert_eq!(call(&server, "GET", &path, &alice.token, None).await.0, 404);
    assert_eq!(server.http.get(&url).send().await.unwrap().status(), 404);
}

#[tokio::test]
async fn what_is_not_a_picture_is_refused_and_nothing_is_kept() {
    let server = TestServer::start().await;
    let alice = user(&server, "alice").await;
    let mut truncated = ROTATED_WITH_GPS.to_vec();
    truncated.truncate(400);
    let cases: [(&str, &[u8]); 3] =
        [("notes.jpg", b"<svg xmlns=\"http://www.w3.org/2000/svg\"/>"), ("cut.jpg", &truncated), ("empty.png", b"")];
    for (name, bytes) in cases {
        let (status, json) = upload(&server, &alice, 2, name, bytes).await;
        assert_eq!(status, 422, "{name}: {json}");
        assert!(json["error"].as_str().unwrap().starts_with("Validation failed"), "{json}");
    }
    let form = reqwest::multipart::Form::new().text("description", "no file");
    let response = server.http.post(server.url("/api/v2/media")).bearer_auth(&alice.token).multipart(form).send();
    assert_eq!(response.await.unwrap().status(), 422);
    // A picture over Mastodon's 16 MB (the body limit is a video's 99 MB).
    let mut huge = ROTATED_WITH_GPS.to_vec();
    huge.resize(16 * 1024 * 1024 + 1, 0);
    let (status, json) = upload(&server, &alice, 2, "huge.jpg", &huge).await;
    assert_eq!(status, 422);
    assert!(json["error"].as_str().unwrap().contains("larger than"), "{json}");

    let mut ids = Vec::new();
    for _ in 0..5 {
        let (_, media) = upload(&server, &alice, 2, "photo.jpg", ROTATED_WITH_GPS).await;
        ids.push(media["id"].as_str().unwrap().to_owned());
    }
    let (status, json) =
        call(&server, "POST", "/api/v1/statuses", &alice.token, Some(json!({"status": "five", "media_ids": ids})))
            .await;
    assert_eq!(status, 422, "{json}");
    let (_, mine) = call(&server, "GET", &format!("/api/v1/accounts/{}/statuses", alice.id), &alice.token, None).await;
    assert_eq!(mine, json!([]), "nothing was posted");

    // Uploading needs `write:media`.
    let password = server.create_account("carol", "carol@example.org", "user");
    let token = crate::oauth::user_token(&server, "carol@example.org", &password, "read write:statuses").await;
    let carol = User { id: String::new(), token };
    assert_eq!(upload(&server, &carol, 2, "photo.jpg", ROTATED_WITH_GPS).await.0, 403);
}

#[tokio::test]
async fn uploads_are_limited_to_thirty_per_half_hour_as_on_mastodon() {
    let server = TestServer::start().await;
    let alice = user(&server, "alice").await;
    for n in 0..30 {
        assert_eq!(upload(&server, &alice, 2, "not.jpg", b"not a picture").await.0, 422, "upload {n}");
    }
    let (status, json) = upload(&server, &alice, 1, "photo.jpg", ROTATED_WITH_GPS).await;
    assert_eq!(status, 429, "{json}");
    let (status, _) = call(&server, "GET", "/api/v1/timelines/home", &alice.token, None).await;
    assert_eq!(status, 200, "other requests go on");
}

#[tokio::test]
async fn deleting_a_post_hands_its_pictures_back_for_a_redraft() {
    let server = TestServer::start().await;
    let alice = user(&server, "alice").await;
    let (_, media) = upload(&server, &alice, 2, "photo.jpg", ROTATED_WITH_GPS).await;
    let body = json!({"status": "first try", "media_ids": [media["id"]]});
    let (_, posted) = call(&server, "POST", "/api/v1/statuses", &alice.token, Some(body)).await;
    let path = format!("/api/v1/media/{}", media["id"].as_str().unwrap());
    assert_eq!(call(&server, "GET", &path, &alice.token, None).await.0, 404, "attached: changed through its post");

    let (status, deleted) =
        call(&server, "DELETE", &format!("/api/v1/statuses/{}", posted["id"].as_str().unwrap()), &alice.token, None)
            .await;
    assert_eq!(status, 200);
    assert_eq!(deleted["text"], "first try");
    assert_eq!(deleted["media_attachments"][0]["id"], media["id"], "{deleted}");
    let body = json!({"status": "second try", "media_ids": [media["id"]]});
    let (status, redrafted) = call(&server, "POST", "/api/v1/statuses", &alice.token, Some(body)).await;
    assert_eq!(status, 200, "{redrafted}");
    assert_eq!(redrafted["media_attachments"][0]["url"], media["url"]);
}

#[tokio::test]
async fn an_edit_replaces_removes_or_keeps_the_attachments() {
    let server = TestServer::start().await;
    let alice = user(&server, "alice").await;
    let (_, first) = upload(&server, &alice, 2, "one.jpg", ROTATED_WITH_GPS).await;
    let (_, second) = upload(&server, &alice, 2, "two.jpg", ROTATED_WITH_GPS).await;
    let body = json!({"status": "with a picture", "media_ids": [first["id"]]});
    let (_, posted) = call(&server, "POST", "/api/v1/statuses", &alice.token, Some(body)).await;
    let path = format!("/api/v1/statuses/{}", posted["id"].as_str().unwrap());
    let ids = |status: &Value| -> Vec<Value> {
        status["media_attachments"].as_array().unwrap().iter().map(|m| m["id"].clone()).collect()
    };

    let (status, edited) = call(&server, "PUT", &path, &alice.token, Some(json!({"status": "text only"}))).await;
    assert_eq!(status, 200, "{edited}");
    assert_eq!(ids(&edited), [first["id"].clone()], "no media_ids sent: kept");

    let body = json!({"status": "both, second first", "media_ids": [second["id"], first["id"]]});
    let (status, edited) = call(&server, "PUT", &path, &alice.token, Some(body)).await;
    assert_eq!(status, 200, "{edited}");
    assert_eq!(ids(&edited), [second["id"].clone(), first["id"].clone()]);

    // Alt text of a posted picture changes with an edit, as apps send it.
    let attributes = json!([{"id": second["id"], "description": "a better description", "focus": "0.1,0.2"}]);
    let body = json!({"status": "both, described", "media_attributes": attributes});
    let (status, edited) = call(&server, "PUT", &path, &alice.token, Some(body)).await;
    assert_eq!(status, 200, "{edited}");
    assert_eq!(edited["media_attachments"][0]["description"], "a better description");
    assert_eq!(edited["media_attachments"][0]["meta"]["focus"], json!({"x": 0.1, "y": 0.2}));
    assert_eq!(edited["media_attachments"][1]["description"], "alt text", "the other one stays");
    let foreign = json!({"status": "x", "media_attributes": [{"id": "12345", "description": "no"}]});
    assert_eq!(call(&server, "PUT", &path, &alice.token, Some(foreign)).await.0, 422);
    for malformed in [json!("nope"), json!([1, 2]), json!(7)] {
        let body = json!({"status": "x", "media_attributes": malformed});
        assert_eq!(call(&server, "PUT", &path, &alice.token, Some(body)).await.0, 422, "{malformed}");
    }

    let (status, edited) =
        call(&server, "PUT", &path, &alice.token, Some(json!({"status": "none", "media_ids": []}))).await;
    assert_eq!(status, 200, "{edited}");
    assert_eq!(ids(&edited), Vec::<Value>::new());
    let media_path = format!("/api/v1/media/{}", first["id"].as_str().unwrap());
    assert_eq!(call(&server, "GET", &media_path, &alice.token, None).await.0, 200, "an upload again");

    let bob = user(&server, "bob").await;
    let (_, bobs) = upload(&server, &bob, 2, "bob.jpg", ROTATED_WITH_GPS).await;
    let body = json!({"status": "stolen", "media_ids": [bobs["id"]]});
    assert_eq!(call(&server, "PUT", &path, &alice.token, Some(body)).await.0, 422);
    let (_, shown) = call(&server, "GET", &path, &alice.token, None).await;
    assert_eq!(shown["content"], "<p>none</p>", "the refused edit changed nothing");
}
