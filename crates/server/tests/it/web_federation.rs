//! The website across two servers: a person finds someone on another Rookery server by
//! `@name@domain`, follows them from their profile page, and sees their posts arrive.

use crate::federation::{domain, eventually, peer};
use crate::statuses::{call, post, user};
use crate::support::browser::Browser;
use serde_json::json;

#[tokio::test]
async fn following_someone_on_another_server_from_the_website() {
    let (here, there) = (peer().await, peer().await);
    let password = here.create_account("alice", "alice@example.org", "user");
    let bob = user(&there, "bob").await;
    let mut browser = Browser::new(&here.base_url);
    browser.sign_in("alice@example.org", &password).await;

    let bob_acct = format!("bob@{}", domain(&there));
    // Visitors who are not signed in never make this server ask another.
    let mut visitor = Browser::new(&here.base_url);
    assert_eq!(visitor.get(&format!("/@{bob_acct}")).await.0, 404);
    let (status, results, _) = browser.get(&format!("/search?q=@{bob_acct}")).await;
    assert_eq!(status, 200);
    assert!(results.contains(&format!("href=\"/@{bob_acct}\"")), "{results}");
    let (status, profile, _) = browser.get(&format!("/@{bob_acct}")).await;
    assert_eq!(status, 200, "{profile}");
    let remote_id = profile.split("/web/accounts/").nth(1).unwrap().split('/').next().unwrap().to_owned();
    browser.press(&profile, &format!("/web/accounts/{remote_id}/follow")).await;
    eventually("bob's follower", || async {
        let (_, followers) =
            call(&there, "GET", &format!("/api/v1/accounts/{}/followers", bob.id), &bob.token, None).await;
        (followers[0]["acct"] == format!("alice@{}", domain(&here))).then_some(followers)
    })
    .await;

    assert_eq!(visitor.get(&format!("/@{bob_acct}")).await.0, 200, "known now, shown to anyone");
    post(&there, &bob, json!({"status": "Hello from the other server"})).await;
    let mut home = String::new();
    for _ in 0..150 {
        home = browser.get("/").await.1;
        if home.contains("Hello from the other server") {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(home.contains("Hello from the other server"), "bob's post reached alice's home page: {home}");
    assert!(home.contains(&format!("href=\"/@{bob_acct}\"")), "remote authors link to their page here");
}
