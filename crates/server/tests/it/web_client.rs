//! The signed-in website, driven as a browser without JavaScript drives it: sign in,
//! post with a picture and a content warning, follow, favourite, reply, and the forms'
//! CSRF protection and sign-out.

use reqwest::StatusCode;
use reqwest::multipart::{Form, Part};
use serde_json::json;

use crate::media::ROTATED_WITH_GPS;
use crate::statuses::{call, post, user};
use crate::support::TestServer;
use crate::support::browser::{Browser, form, hidden_fields};

fn compose(page: &str, fields: &[(&str, &str)]) -> Form {
    let mut multipart = Form::new();
    for (name, value) in hidden_fields(form(page, "/web/statuses")) {
        multipart = multipart.text(name, value);
    }
    for (name, value) in fields {
        multipart = multipart.text(name.to_string(), value.to_string());
    }
    multipart
}

#[tokio::test]
async fn a_person_posts_follows_favourites_and_replies_on_the_website() {
    let server = TestServer::start().await;
    let password = server.create_account("alice", "alice@example.org", "user");
    let bob = user(&server, "bob").await;
    let mut browser = Browser::new(&server.base_url);
    browser.sign_in("alice@example.org", &password).await;

    let (status, home, _) = browser.get("/").await;
    assert_eq!(status, 200);
    assert!(home.contains("<h1>Home</h1>") && home.contains("enctype=\"multipart/form-data\""), "{home}");

    // A post with a picture, its description and a content warning.
    let picture = Part::bytes(ROTATED_WITH_GPS.to_vec()).file_name("photo.jpg");
    let fields =
        [("status", "My garden today"), ("spoiler_text", "Garden pics"), ("description", "a red and a blue half")];
    let (status, _, location) =
        browser.post_multipart("/web/statuses", compose(&home, &fields).part("file", picture)).await;
    assert_eq!((status, location.as_deref()), (StatusCode::SEE_OTHER, Some("/")));
    // Sending the same form twice (a double click) posts once.
    let (status, _, _) = browser.post_multipart("/web/statuses", compose(&home, &fields)).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (_, alice) = call(&server, "GET", "/api/v1/accounts/lookup?acct=alice", &bob.token, None).await;
    assert_eq!(alice["statuses_count"], 1);
    let (_, statuses) =
        call(&server, "GET", &format!("/api/v1/accounts/{}/statuses", alice["id"].as_str().unwrap()), &bob.token, None)
            .await;
    let mine = &statuses[0];
    assert_eq!(
        (mine["spoiler_text"].as_str(), mine["media_attachments"][0]["description"].as_str()),
        (Some("Garden pics"), Some("a red and a blue half"))
    );

    let (_, home, _) = browser.get("/").await;
    assert!(
        home.contains("<summary>Garden pics</summary>") && home.contains("alt=\"a red and a blue half\""),
        "{home}"
    );
    let (_, profile, _) = browser.get("/@alice").await;
    assert!(profile.contains("My garden today") && profile.contains("Edit profile"));

    // Follow bob from his profile; his new posts reach alice's home.
    let (_, bobs_page, _) = browser.get("/@bob").await;
    browser.press(&bobs_page, &format!("/web/accounts/{}/follow", bob.id)).await;
    let news = post(&server, &bob, json!({"status": "Fresh bread at noon"})).await;
    let news_id = news["id"].as_str().unwrap();
    let (_, home, _) = browser.get("/").await;
    assert!(home.contains("Fresh bread at noon"), "{home}");
    let (_, bobs_page, _) = browser.get("/@bob").await;
    assert!(bobs_page.contains("Unfollow"));

    // Favourite it from the home timeline, then reply from its page.
    browser.press(&home, &format!("/web/statuses/{news_id}/favourite")).await;
    let (_, seen) = call(&server, "GET", &format!("/api/v1/statuses/{news_id}"), &bob.token, None).await;
    assert_eq!(seen["favourites_count"], 1);
    let (_, notifications) = call(&server, "GET", "/api/v1/notifications?types[]=favourite", &bob.token, None).await;
    assert_eq!(notifications[0]["account"]["acct"], "alice");
    let (_, thread, _) = browser.get(&format!("/@bob/{news_id}")).await;
    let reply_form = form(&thread, "/web/statuses");
    assert!(
        reply_form.contains("@bob </textarea>") && reply_form.contains(&format!("value=\"{news_id}\"")),
        "{reply_form}"
    );
    let (status, _, _) =
        browser.post_multipart("/web/statuses", compose(&thread, &[("status", "@bob save me one!")])).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (_, context) = call(&server, "GET", &format!("/api/v1/statuses/{news_id}/context"), &bob.token, None).await;
    assert_eq!(context["descendants"][0]["account"]["acct"], "alice");

    // A form without the visitor's CSRF token changes nothing.
    let forged = [("authenticity_token".to_string(), "forged".to_string())];
    let (status, _, _) = browser.post_form(&format!("/web/statuses/{news_id}/unfavourite"), &forged).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (_, seen) = call(&server, "GET", &format!("/api/v1/statuses/{news_id}"), &bob.token, None).await;
    assert_eq!(seen["favourites_count"], 1);

    // Signing out ends the session for good, and actions then ask to sign in.
    let (_, home, _) = browser.get("/").await;
    browser.press(&home, "/auth/sign_out").await;
    let (_, front, _) = browser.get("/").await;
    assert!(!front.contains("<h1>Home</h1>") && front.contains("/auth/sign_up"));
    let (status, _, location) = browser
        .post_form(&format!("/web/statuses/{news_id}/unfavourite"), &hidden_fields(form(&home, "/auth/sign_out")))
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(location.as_deref(), Some("/auth/sign_in?return_to=%2F"), "back to a page, not to the action");
    // Sent from a page of this site, the detour comes back to that page.
    let http = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let action = server.url(&format!("/web/statuses/{news_id}/unfavourite"));
    for (referer, back) in
        [(server.url("/@bob?page=2"), "%2F%40bob%3Fpage%3D2"), ("https://elsewhere.example/@bob".to_owned(), "%2F")]
    {
        let response = http.post(&action).header("referer", referer).send().await.unwrap();
        let location = response.headers()["location"].to_str().unwrap().to_owned();
        assert_eq!(location, format!("/auth/sign_in?return_to={back}"));
    }
}

#[tokio::test]
async fn notifications_edits_and_bookmarks_on_the_website() {
    let server = TestServer::start().await;
    let password = server.create_account("alice", "alice@example.org", "user");
    let bob = user(&server, "bob").await;
    let mut browser = Browser::new(&server.base_url);
    browser.sign_in("alice@example.org", &password).await;
    let (_, home, _) = browser.get("/").await;
    browser.post_multipart("/web/statuses", compose(&home, &[("status", "Soup is ready")])).await;
    let (_, alice) = call(&server, "GET", "/api/v1/accounts/lookup?acct=alice", &bob.token, None).await;
    let path = format!("/api/v1/accounts/{}/statuses", alice["id"].as_str().unwrap());
    let (_, statuses) = call(&server, "GET", &path, &bob.token, None).await;
    let id = statuses[0]["id"].as_str().unwrap().to_owned();

    call(&server, "POST", &format!("/api/v1/statuses/{id}/favourite"), &bob.token, None).await;
    post(&server, &bob, json!({"status": "@alice which soup?", "in_reply_to_id": id})).await;
    let (status, notifications, _) = browser.get("/notifications").await;
    assert_eq!(status, 200);
    assert!(
        notifications.contains("favourited your post") && notifications.contains("mentioned you"),
        "{notifications}"
    );
    assert!(notifications.contains("which soup?"));

    // Edit: the form holds the source; saving makes an edit with history.
    let (status, edit, _) = browser.get(&format!("/web/statuses/{id}/edit")).await;
    assert_eq!(status, 200);
    assert!(edit.contains(">Soup is ready</textarea>"), "{edit}");
    let mut fields = hidden_fields(form(&edit, &format!("/web/statuses/{id}/edit")));
    fields.push(("status".into(), "Leek soup is ready".into()));
    let (status, _, location) = browser.post_form(&format!("/web/statuses/{id}/edit"), &fields).await;
    assert_eq!((status, location), (StatusCode::SEE_OTHER, Some(format!("/@alice/{id}"))));
    let (_, edited) = call(&server, "GET", &format!("/api/v1/statuses/{id}"), &bob.token, None).await;
    assert_eq!(edited["content"], "<p>Leek soup is ready</p>");
    assert!(edited["edited_at"].is_string());
    // Nobody else edits it: bob's post is not alice's to edit.
    let (_, bobs) = call(&server, "GET", &format!("/api/v1/accounts/{}/statuses", bob.id), &bob.token, None).await;
    let (status, _, _) = browser.get(&format!("/web/statuses/{}/edit", bobs[0]["id"].as_str().unwrap())).await;
    assert_eq!(status, 404);

    // Bookmarks are listed on their page.
    let (_, thread, _) = browser.get(&format!("/@alice/{id}")).await;
    browser.press(&thread, &format!("/web/statuses/{id}/bookmark")).await;
    let (_, bookmarks, _) = browser.get("/bookmarks").await;
    assert!(bookmarks.contains("Leek soup is ready") && bookmarks.contains("Remove bookmark"), "{bookmarks}");
}

#[tokio::test]
async fn the_web_stream_tells_a_signed_in_browser_what_reached_its_home() {
    let server = TestServer::start().await;
    let password = server.create_account("alice", "alice@example.org", "user");
    let bob = user(&server, "bob").await;
    let carol = user(&server, "carol").await;
    let mut browser = Browser::new(&server.base_url);
    browser.sign_in("alice@example.org", &password).await;
    let (_, bobs_page, _) = browser.get("/@bob").await;
    browser.press(&bobs_page, &format!("/web/accounts/{}/follow", bob.id)).await;
    assert_eq!(Browser::new(&server.base_url).request("/web/stream/home").send().await.unwrap().status(), 303);

    let mut stream = browser.request("/web/stream/home").send().await.unwrap();
    assert_eq!(stream.headers()["content-type"], "text/event-stream");
    post(&server, &carol, json!({"status": "not followed, not on alice's home"})).await;
    let news = post(&server, &bob, json!({"status": "on alice's home"})).await;
    let mut seen = String::new();
    while !seen.contains("event: update") {
        let chunk = tokio::time::timeout(std::time::Duration::from_secs(10), stream.chunk()).await.unwrap().unwrap();
        seen.push_str(&String::from_utf8_lossy(&chunk.expect("the stream stays open")));
    }
    assert!(seen.contains(&format!("event: update\ndata: {}\n", news["id"].as_str().unwrap())), "{seen}");
    assert_eq!(seen.matches("event: update").count(), 1, "only what reached alice's home: {seen}");
}

#[tokio::test]
async fn a_full_home_page_stays_small_and_its_assets_are_cached_for_good() {
    let server = TestServer::start().await;
    let password = server.create_account("alice", "alice@example.org", "user");
    let bob = user(&server, "bob").await;
    let mut browser = Browser::new(&server.base_url);
    browser.sign_in("alice@example.org", &password).await;
    let (_, bobs_page, _) = browser.get("/@bob").await;
    browser.press(&bobs_page, &format!("/web/accounts/{}/follow", bob.id)).await;
    let long = "A post of some length, with a link https://example.org/a/long/path and a #tag. ".repeat(5);
    for i in 0..25 {
        post(&server, &bob, json!({"status": format!("{i}: {long}")})).await;
    }
    let (_, home, _) = browser.get("/").await;
    assert_eq!(home.matches("<article class=\"post\"").count(), 20, "a page of twenty posts");
    let linked = |prefix: &str| {
        let start = home.find(prefix).unwrap() + prefix.len();
        home[start..start + home[start..].find('"').unwrap()].to_owned()
    };
    let (stylesheet, script) = (linked("<link rel=\"stylesheet\" href=\""), linked("<script src=\""));
    let mut total = home.len();
    for asset in [&stylesheet, &script] {
        let response = server.get(asset).await;
        assert_eq!(response.headers()["cache-control"], "public, max-age=31536000, immutable");
        total += response.bytes().await.unwrap().len();
    }
    assert!(total < 100_000, "the home page's HTML, CSS and JavaScript take {total} bytes");
    assert_eq!(server.get("/packs/site-0000000000000000.css").await.status(), 404);
}
