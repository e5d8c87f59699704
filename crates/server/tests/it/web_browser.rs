//! The website in a real browser (`tests/peers/browser`): headless Chromium, driven by
//! playwright-core, signs up, posts, follows across two servers, favourites, replies and
//! moderates; this test prepares both servers, runs it, and checks the outcome through
//! the API. Screenshots land in `target/screenshots`.

use std::path::PathBuf;

use serde_json::json;
use tokio::process::Command;

use crate::federation::{domain, eventually, peer};
use crate::statuses::{call, post, user};
use crate::support::TestServer;

fn browser_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/peers/browser")
}

#[tokio::test]
async fn a_person_and_a_moderator_use_the_website_in_chromium() {
    let out = Command::new("bash").arg(browser_dir().join("install.sh")).output().await.expect("bash runs");
    assert!(out.status.success(), "installing the browser failed: {}", String::from_utf8_lossy(&out.stderr));
    let chromium = String::from_utf8_lossy(&out.stdout).lines().last().unwrap_or_default().trim().to_owned();

    let here = TestServer::start_with(|s| {
        s.protocol = Some("http".into());
        s.allow_private_addresses = Some(true);
        s.registrations = Some("open".into());
    })
    .await;
    let there = peer().await;
    let bob = user(&there, "bob").await;
    let moderator_password = here.create_account("mia", "mia@example.org", "moderator");
    let (spammer, carol) = (user(&here, "spammer").await, user(&here, "carol").await);
    let spam = post(&here, &spammer, json!({"status": "Buy cheap watches"})).await;
    let report = json!({"account_id": spammer.id, "status_ids": [spam["id"]], "comment": "spam", "category": "spam"});
    assert_eq!(call(&here, "POST", "/api/v1/reports", &carol.token, Some(report)).await.0, 200);

    let screenshots = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/screenshots");
    std::fs::create_dir_all(&screenshots).unwrap();
    let picture = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/media/rotated-with-gps.jpg");
    let run = Command::new("node")
        .arg(browser_dir().join("flow.mjs"))
        .env("CHROMIUM", chromium)
        .env("HERE_URL", &here.base_url)
        .env("THERE_URL", &there.base_url)
        .env("BOB_ACCT", format!("bob@{}", domain(&there)))
        .env("BOB_TOKEN", &bob.token)
        .env("MODERATOR_EMAIL", "mia@example.org")
        .env("MODERATOR_PASSWORD", &moderator_password)
        .env("SPAMMER_ACCT", "spammer")
        .env("PICTURE", picture)
        .env("SCREENSHOTS", &screenshots)
        .output()
        .await
        .expect("node runs");
    let log = String::from_utf8_lossy(&run.stderr);
    assert!(run.status.success() && run.stdout.starts_with(b"ok"), "the browser flow failed:\n{log}");

    // What the browser did, as the API sees it.
    let (_, newbie) = call(&here, "GET", "/api/v1/accounts/lookup?acct=newbie", &carol.token, None).await;
    let (_, posts) = call(
        &here,
        "GET",
        &format!("/api/v1/accounts/{}/statuses", newbie["id"].as_str().unwrap()),
        &carol.token,
        None,
    )
    .await;
    let garden =
        posts.as_array().unwrap().iter().find(|p| p["spoiler_text"] == "Garden pics").expect("the garden post");
    assert_eq!(garden["media_attachments"][0]["description"], "A red and a blue half");
    let (_, bobs) = call(&there, "GET", &format!("/api/v1/accounts/{}/statuses", bob.id), &bob.token, None).await;
    let bread = bobs[0]["id"].as_str().unwrap().to_owned();
    eventually("the favourite and the reply on bob's server", || async {
        let (_, seen) = call(&there, "GET", &format!("/api/v1/statuses/{bread}/context"), &bob.token, None).await;
        let (_, status) = call(&there, "GET", &format!("/api/v1/statuses/{bread}"), &bob.token, None).await;
        (status["favourites_count"] == 1
            && seen["descendants"][0]["content"].as_str().is_some_and(|c| c.contains("Save me one!")))
        .then_some(seen)
    })
    .await;
    let (_, limited) = call(&here, "GET", &format!("/api/v1/accounts/{}", spammer.id), &carol.token, None).await;
    assert_eq!(limited["limited"], true, "{limited}");
    for page in ["home", "profile", "thread", "notifications", "settings", "search"] {
        for width in ["desktop", "phone"] {
            assert!(screenshots.join(format!("{page}-{width}.png")).exists(), "{page}-{width}.png");
        }
    }
}
