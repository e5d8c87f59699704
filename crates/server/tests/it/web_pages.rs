//! The public pages of the website, as a browser and a link-preview robot read them:
//! profiles, posts with their threads, hashtags, feeds, and what they leave out.

use serde_json::json;

use crate::statuses::{call, post, user};
use crate::support::TestServer;

/// The `content` of the first `<meta property=...>` or `<meta name=...>` tag named so,
/// unescaped.
fn meta(page: &str, name: &str) -> Option<String> {
    let named = |t: &&str| t.starts_with(&format!("property=\"{name}\"")) || t.starts_with(&format!("name=\"{name}\""));
    let tag = page.split("<meta ").find(named)?;
    let value = tag.split("content=\"").nth(1)?.split('"').next()?;
    Some(value.replace("&#38;", "&").replace("&amp;", "&").replace("&#34;", "\"").replace("&quot;", "\""))
}

async fn page(server: &TestServer, path: &str) -> (u16, String, reqwest::header::HeaderMap) {
    let response = server.http.get(server.url(path)).header("accept", "text/html").send().await.unwrap();
    let (status, headers) = (response.status().as_u16(), response.headers().clone());
    (status, response.text().await.unwrap(), headers)
}

#[tokio::test]
async fn a_profile_page_shows_the_person_and_the_posts_anyone_may_see() {
    let server = TestServer::start().await;
    let alice = user(&server, "alice").await;
    let fields = json!({
        "display_name": "Al <script>x</script>",
        "note": "Gardener & cook",
        "fields_attributes": {"0": {"name": "Website", "value": "https://alice.example/"}}
    });
    let (status, _) = call(&server, "PATCH", "/api/v1/accounts/update_credentials", &alice.token, Some(fields)).await;
    assert_eq!(status, 200);
    post(&server, &alice, json!({"status": "hello #garden"})).await;
    post(&server, &alice, json!({"status": "quietly", "visibility": "unlisted"})).await;
    post(&server, &alice, json!({"status": "only friends", "visibility": "private"})).await;

    let (status, html, headers) = page(&server, "/@alice").await;
    assert_eq!(status, 200, "{html}");
    assert!(headers["content-type"].to_str().unwrap().starts_with("text/html"));
    let csp = headers["content-security-policy"].to_str().unwrap();
    assert!(
        csp.contains("default-src 'none'")
            && csp.contains("script-src 'self'")
            && csp.contains("frame-ancestors 'none'"),
        "{csp}"
    );
    assert!(!html.contains("<script>x"), "display names are escaped");
    assert!(html.contains("Al &#60;script&#62;x") || html.contains("Al &lt;script&gt;x"), "{html}");
    assert!(html.contains("Gardener &amp; cook"));
    assert!(html.contains("rel=\"nofollow noopener me\""), "profile links carry rel=me: {html}");
    assert!(html.contains("hello") && html.contains("quietly"));
    assert!(!html.contains("only friends"), "followers-only posts stay off the public page");
    assert_eq!(meta(&html, "og:type").as_deref(), Some("profile"));
    assert_eq!(meta(&html, "og:description"), Some("Gardener & cook".into()));
    assert!(meta(&html, "og:image").is_some_and(|u| u.starts_with(&server.base_url)));
    assert!(html.contains(&format!("type=\"application/activity+json\" href=\"{}/users/alice\"", server.base_url)));
    assert!(html.contains(&format!("type=\"application/rss+xml\" href=\"{}/@alice.rss\"", server.base_url)));
    // No script or style from anywhere else, and none inline.
    assert!(!html.contains("<style") && !html.contains(" style=") && !html.contains("<script>"));
    let sources: Vec<&str> = html.split(" src=\"").skip(1).collect();
    assert!(sources.iter().all(|s| s.starts_with('/') || s.starts_with(&server.base_url)), "{sources:?}");

    // Servers asking for ActivityPub still get the actor at the same URL.
    let actor =
        server.http.get(server.url("/@alice")).header("accept", "application/activity+json").send().await.unwrap();
    assert_eq!(actor.headers()["content-type"], "application/activity+json; charset=utf-8");

    let (status, feed, headers) = page(&server, "/@alice.rss").await;
    assert_eq!(status, 200);
    assert!(headers["content-type"].to_str().unwrap().starts_with("application/rss+xml"));
    assert!(
        feed.contains("<rss version=\"2.0\"") && feed.contains("hello") && feed.contains("<category>garden</category>")
    );
    assert!(!feed.contains("only friends"));

    assert_eq!(page(&server, "/@nobody").await.0, 404);
    assert_eq!(page(&server, "/@alice/with_replies").await.0, 200);
}

#[tokio::test]
async fn a_post_page_shows_its_thread_and_previews_without_leaking_private_posts() {
    let server = TestServer::start().await;
    let alice = user(&server, "alice").await;
    let bob = user(&server, "bob").await;
    let first = post(&server, &alice, json!({"status": "What should I plant in December?"})).await;
    let first_id = first["id"].as_str().unwrap();
    let reply = post(&server, &bob, json!({"status": "@alice garlic!", "in_reply_to_id": first_id})).await;
    let secret = post(&server, &alice, json!({"status": "a secret", "visibility": "private"})).await;
    let warned = post(&server, &alice, json!({"status": "the plot twist", "spoiler_text": "Film spoilers"})).await;

    let (status, html, _) = page(&server, &format!("/@alice/{first_id}")).await;
    assert_eq!(status, 200, "{html}");
    assert!(html.contains("What should I plant in December?") && html.contains("garlic!"), "the thread is shown");
    assert_eq!(meta(&html, "og:type").as_deref(), Some("article"));
    assert_eq!(meta(&html, "og:description").as_deref(), Some("What should I plant in December?"));
    assert_eq!(meta(&html, "og:url").as_deref(), first["url"].as_str());

    // The reply lives at its author's URL, not at anyone else's.
    let reply_id = reply["id"].as_str().unwrap();
    assert_eq!(page(&server, &format!("/@bob/{reply_id}")).await.0, 200);
    assert_eq!(page(&server, &format!("/@alice/{reply_id}")).await.0, 404);
    assert_eq!(page(&server, &format!("/@alice/{}", secret["id"].as_str().unwrap())).await.0, 404);
    assert_eq!(page(&server, "/@alice/123abc").await.0, 404);

    // A content warning is what previews show; the text sits behind it.
    let (_, html, _) = page(&server, &format!("/@alice/{}", warned["id"].as_str().unwrap())).await;
    assert_eq!(meta(&html, "og:description").as_deref(), Some("Content warning: Film spoilers"));
    assert!(html.contains("<details class=\"warning\"><summary>Film spoilers</summary>"), "{html}");
}

#[tokio::test]
async fn hashtag_pages_and_feeds_list_public_posts_with_the_tag() {
    let server = TestServer::start().await;
    let alice = user(&server, "alice").await;
    post(&server, &alice, json!({"status": "first #Bread"})).await;
    post(&server, &alice, json!({"status": "quiet #bread", "visibility": "unlisted"})).await;
    post(&server, &alice, json!({"status": "no tag here"})).await;

    let (status, html, _) = page(&server, "/tags/bread").await;
    assert_eq!(status, 200);
    assert!(html.contains("first") && !html.contains("quiet") && !html.contains("no tag here"), "{html}");
    assert!(html.contains("type=\"application/rss+xml\""));
    let (status, feed, _) = page(&server, "/tags/Bread.rss").await;
    assert_eq!(status, 200);
    assert!(feed.contains("first") && !feed.contains("quiet"));
    assert_eq!(page(&server, "/tags/not%20a%20tag").await.0, 404);

    // The front page of a signed-out visitor shows the local posts and the way in.
    let (status, html, _) = page(&server, "/").await;
    assert_eq!(status, 200);
    assert!(html.contains("first") && html.contains("href=\"/auth/sign_up\""));
}
