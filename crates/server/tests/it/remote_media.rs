//! Other servers' media here: their pictures and avatars served from this server,
//! cached within a byte budget.

use serde_json::json;

use crate::media::{ROTATED_WITH_GPS, contains, upload};
use crate::statuses::{call, user};
use crate::support::TestServer;

#[tokio::test]
async fn a_photo_posted_on_one_server_is_shown_on_another_with_its_alt_text() {
    use crate::federation::{eventually, follow_across, peer};
    let a = peer().await;
    let b = peer().await;
    let alice = user(&a, "alice").await;
    let bob = user(&b, "bob").await;
    follow_across(&a, &alice, "bob", &b).await;

    let (status, media) = upload(&b, &bob, 2, "photo.jpg", ROTATED_WITH_GPS).await;
    assert_eq!(status, 200, "{media}");
    let media_id = media["id"].as_str().unwrap();
    let body = json!({"status": "a photo", "media_ids": [media_id], "sensitive": true});
    let (_, posted) = call(&b, "POST", "/api/v1/statuses", &bob.token, Some(body)).await;
    let seen = eventually("bob's photo on alice's home timeline", || async {
        let (_, home) = call(&a, "GET", "/api/v1/timelines/home", &alice.token, None).await;
        home.as_array().and_then(|h| h.iter().find(|s| s["uri"] == posted["uri"]).cloned())
    })
    .await;
    assert_eq!(seen["sensitive"], true);
    let shown = &seen["media_attachments"][0];
    assert_eq!(shown["type"], "image");
    assert_eq!(shown["description"], "alt text");
    assert_eq!(shown["blurhash"], media["blurhash"]);
    assert_eq!(shown["remote_url"], media["url"]);
    assert_eq!(shown["meta"]["original"]["width"], 20);
    let file = a.http.get(shown["url"].as_str().unwrap()).send().await.unwrap();
    assert_eq!(file.status(), 200);
    assert_eq!(file.headers()["content-type"], "image/jpeg");

    // Deleted on its server, the post's picture is no longer served here.
    let delete = format!("/api/v1/statuses/{}", posted["id"].as_str().unwrap());
    assert_eq!(call(&b, "DELETE", &delete, &bob.token, None).await.0, 200);
    let url = shown["url"].as_str().unwrap().to_owned();
    eventually("the picture gone at alice's", || async {
        let status = a.http.get(&url).send().await.unwrap().status();
        (status == 404).then_some(json!(404))
    })
    .await;
}

/// The cached bytes `rookery admin media usage` reports.
fn cached_bytes(server: &TestServer) -> (i64, i64) {
    let usage = server.cli_ok(&["admin", "media", "usage"]);
    let line = usage.lines().find(|l| l.starts_with("cached remote pictures:")).expect("a cached line");
    let numbers: Vec<i64> = line.split_whitespace().filter_map(|w| w.parse().ok()).collect();
    (numbers[0], numbers[1])
}

#[tokio::test]
async fn other_servers_pictures_are_served_from_here_within_a_byte_budget() {
    use crate::federation::{eventually, follow_across, peer};
    // Room for about two of the four pictures (each about 2 kB with its preview).
    const BUDGET: i64 = 4_500;
    let a = TestServer::start_with(|s| {
        s.protocol = Some("http".into());
        s.allow_private_addresses = Some(true);
        s.remote_media_cache = Some(BUDGET.to_string());
    })
    .await;
    let b = peer().await;
    let alice = user(&a, "alice").await;
    let bob = user(&b, "bob").await;
    follow_across(&a, &alice, "bob", &b).await;

    let mut uris = Vec::new();
    for n in 0..4 {
        let (_, media) = upload(&b, &bob, 2, "photo.jpg", ROTATED_WITH_GPS).await;
        let body = json!({"status": format!("photo {n}"), "media_ids": [media["id"]]});
        let (_, posted) = call(&b, "POST", "/api/v1/statuses", &bob.token, Some(body)).await;
        uris.push(posted["uri"].clone());
    }
    let home = eventually("the four photos at alice's", || async {
        let (_, home) = call(&a, "GET", "/api/v1/timelines/home?limit=10", &alice.token, None).await;
        (home.as_array().map_or(0, Vec::len) == 4).then_some(home)
    })
    .await;
    assert_eq!(cached_bytes(&a), (0, 0), "nothing is fetched before it is shown");

    // Oldest first, as someone scrolling up: each is fetched, kept, and the budget holds.
    let mut shown = Vec::new();
    for post in home.as_array().unwrap().iter().rev() {
        let media = &post["media_attachments"][0];
        let url = media["url"].as_str().unwrap().to_owned();
        assert!(url.starts_with(&a.base_url), "served from here: {url}");
        assert!(media["remote_url"].as_str().unwrap().starts_with(&b.base_url));
        for address in [&url, media["preview_url"].as_str().unwrap()] {
            let file = a.http.get(address).send().await.unwrap();
            assert_eq!(file.status(), 200, "{address}");
            assert_eq!(file.headers()["content-type"], "image/jpeg");
            let bytes = file.bytes().await.unwrap();
            assert!(bytes.starts_with(&[0xFF, 0xD8]) && !contains(&bytes, b"Exif"));
        }
        let (files, bytes) = cached_bytes(&a);
        assert!(bytes <= BUDGET && files >= 1, "{files} files, {bytes} bytes");
        shown.push(url);
    }
    assert_eq!(cached_bytes(&a).0, 2, "the two least recently shown were evicted");

    // An evicted picture is fetched again when shown again; local uploads never go.
    let again = a.http.get(&shown[0]).send().await.unwrap();
    assert_eq!(again.status(), 200);
    let budget = BUDGET.to_string();
    let pruned = a.cli_ok(&["admin", "media", "prune", "--remote-media-cache", &budget]);
    assert!(pruned.starts_with("evicted 0 "), "{pruned}");
    let pruned = a.cli_ok(&["admin", "media", "prune", "--all"]);
    assert!(pruned.starts_with("evicted 2 "), "{pruned}");
    assert_eq!(cached_bytes(&a), (0, 0));
    let (status, mine) = upload(&a, &alice, 2, "photo.jpg", ROTATED_WITH_GPS).await;
    assert_eq!(status, 200, "{mine}");
    a.cli_ok(&["admin", "media", "prune", "--all"]);
    assert_eq!(a.http.get(mine["url"].as_str().unwrap()).send().await.unwrap().status(), 200);
    assert_eq!(a.http.get(&shown[3]).send().await.unwrap().status(), 200, "fetched once more");
    assert_eq!(cached_bytes(&a).0, 1);
}

#[tokio::test]
async fn remote_avatars_are_served_from_here_and_follow_profile_changes() {
    use crate::federation::{eventually, follow_across, peer, resolve};
    let (a, b) = (peer().await, peer().await);
    let alice = user(&a, "alice").await;
    let bob = user(&b, "bob").await;
    let set_avatar = || async {
        let part = reqwest::multipart::Part::bytes(ROTATED_WITH_GPS.to_vec()).file_name("me.jpg");
        let form = reqwest::multipart::Form::new().part("avatar", part);
        let response = b.http.patch(b.url("/api/v1/accounts/update_credentials")).bearer_auth(&bob.token);
        assert_eq!(response.multipart(form).send().await.unwrap().status(), 200);
    };
    set_avatar().await;
    let bob_at_a = resolve(&a, &alice, "bob", &b).await;
    let (_, shown) = call(&a, "GET", &format!("/api/v1/accounts/{bob_at_a}"), &alice.token, None).await;
    let avatar = shown["avatar"].as_str().unwrap().to_owned();
    assert!(avatar.starts_with(&format!("{}/system/cache/", a.base_url)), "{avatar}");
    assert!(shown["header"].as_str().unwrap().ends_with("/headers/original/missing.png"));
    let file = a.http.get(&avatar).send().await.unwrap();
    assert_eq!(file.status(), 200);
    assert_eq!(file.headers()["content-type"], "image/jpeg");

    // A new avatar reaches the other server with the profile's Update, at a new address.
    assert_eq!(follow_across(&a, &alice, "bob", &b).await, bob_at_a);
    set_avatar().await;
    let changed = eventually("bob's new avatar at alice's", || async {
        let (_, shown) = call(&a, "GET", &format!("/api/v1/accounts/{bob_at_a}"), &alice.token, None).await;
        (shown["avatar"].as_str() != Some(avatar.as_str())).then_some(shown["avatar"].clone())
    })
    .await;
    assert_eq!(a.http.get(changed.as_str().unwrap()).send().await.unwrap().status(), 200);
    assert_eq!(a.http.get(&avatar).send().await.unwrap().status(), 404, "the old one is gone");
}
