//! Durable delivery: a peer that is down gets what it missed once it is back, each
//! activity once, even when the sending server restarted meanwhile with its queue full.

use serde_json::{Value, json};

use crate::federation::{eventually, peer, relationship, resolve};
use crate::statuses::{call, user};

#[tokio::test]
async fn a_peer_that_was_down_gets_every_delivery_once_across_a_restart() {
    let mut a = peer().await;
    let mut b = peer().await;
    let alice = user(&a, "alice").await;
    let bob = user(&b, "bob").await;
    let alice_at_b = resolve(&b, &bob, "alice", &a).await;
    call(&b, "POST", &format!("/api/v1/accounts/{alice_at_b}/follow"), &bob.token, None).await;
    eventually("the Accept", || async {
        (relationship(&b, &bob, &alice_at_b).await["following"] == true).then_some(Value::Null)
    })
    .await;
    let (_, first) = call(&a, "POST", "/api/v1/statuses", &alice.token, Some(json!({ "status": "before" }))).await;
    let first_at_b = eventually("the first post at b", || async {
        let (_, home) = call(&b, "GET", "/api/v1/timelines/home", &bob.token, None).await;
        home.as_array().unwrap().iter().find(|s| s["uri"] == first["uri"]).cloned()
    })
    .await;

    b.stop().await;
    let mut missed = Vec::new();
    for n in 0..3 {
        let body = json!({ "status": format!("while b was down {n}") });
        let (_, post) = call(&a, "POST", "/api/v1/statuses", &alice.token, Some(body)).await;
        missed.push(post["uri"].as_str().unwrap().to_owned());
    }
    // Let a try (and fail) once, then stop it with the retries queued.
    tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
    a = a.restart().await;
    b.start_again().await;

    // Hearing from b (bob favourites the post he has) tells a that b is back, so the
    // retries go now rather than at their backed-off time.
    let id = first_at_b["id"].as_str().unwrap();
    call(&b, "POST", &format!("/api/v1/statuses/{id}/favourite"), &bob.token, None).await;
    let home = eventually("the missed posts at b", || async {
        let (_, home) = call(&b, "GET", "/api/v1/timelines/home", &bob.token, None).await;
        let found = missed.iter().all(|uri| home.as_array().unwrap().iter().any(|s| &s["uri"] == uri));
        found.then_some(home)
    })
    .await;
    // Once more after a pause: nothing arrives twice.
    tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
    let (_, again) = call(&b, "GET", "/api/v1/timelines/home", &bob.token, None).await;
    assert_eq!(again.as_array().unwrap().len(), home.as_array().unwrap().len());
    for uri in &missed {
        let copies = again.as_array().unwrap().iter().filter(|s| &s["uri"] == uri).count();
        assert_eq!(copies, 1, "{uri} arrived {copies} times");
    }
    let (_, original) =
        call(&a, "GET", &format!("/api/v1/statuses/{}", first["id"].as_str().unwrap()), &alice.token, None).await;
    assert_eq!(original["favourites_count"], 1);
}
