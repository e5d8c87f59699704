//! Filters: v2 through the API as apps send it, v1 through megalodon; matches shown in
//! `filtered`, posts dropped where a filter hides them, expiry, bad input.

use megalodon::entities::filter::FilterContext;
use megalodon::megalodon::FilterInputOptions;
use megalodon::{SNS, generator};
use serde_json::{Value, json};

use crate::statuses::{User, call, post, user};
use crate::support::TestServer;

async fn home(server: &TestServer, reader: &User) -> Vec<Value> {
    let (status, list) = call(server, "GET", "/api/v1/timelines/home", &reader.token, None).await;
    assert_eq!(status, 200, "{list}");
    list.as_array().unwrap().clone()
}

fn find<'a>(list: &'a [Value], id: &Value) -> Option<&'a Value> {
    list.iter().find(|s| s["id"] == *id)
}

#[tokio::test]
async fn v2_filters_warn_or_hide_in_their_contexts_with_keywords_and_posts() {
    let server = TestServer::start().await;
    let alice = user(&server, "alice").await;
    let bob = user(&server, "bob").await;
    call(&server, "POST", &format!("/api/v1/accounts/{}/follow", bob.id), &alice.token, None).await;
    let rust = post(&server, &bob, json!({"status": "I love Rust."})).await;
    let trusty = post(&server, &bob, json!({"status": "trusty tools"})).await;
    let plain = post(&server, &bob, json!({"status": "nothing to see"})).await;

    let body = json!({"title": "Rust", "context": ["home"], "filter_action": "warn",
                      "keywords_attributes": [{"keyword": "rust", "whole_word": true}]});
    let (status, filter) = call(&server, "POST", "/api/v2/filters", &alice.token, Some(body)).await;
    assert_eq!(status, 200, "{filter}");
    assert_eq!(filter["keywords"][0]["keyword"], "rust");
    assert_eq!(filter["expires_at"], Value::Null);
    let id = filter["id"].as_str().unwrap().to_owned();
    let list = home(&server, &alice).await;
    let warned = &find(&list, &rust["id"]).expect("a warned post stays")["filtered"];
    assert_eq!(warned[0]["filter"]["id"], id.as_str());
    assert_eq!(warned[0]["keyword_matches"], json!(["rust"]));
    assert_eq!(find(&list, &trusty["id"]).unwrap()["filtered"], json!([]), "whole words only");

    // Hide: gone from home, still shown (and marked) where the filter does not apply.
    let path = format!("/api/v2/filters/{id}");
    let (status, _) = call(&server, "PUT", &path, &alice.token, Some(json!({"filter_action": "hide"}))).await;
    assert_eq!(status, 200);
    assert!(find(&home(&server, &alice).await, &rust["id"]).is_none());
    let (_, public) = call(&server, "GET", "/api/v1/timelines/public", &alice.token, None).await;
    assert_eq!(
        find(public.as_array().unwrap(), &rust["id"]).unwrap()["filtered"][0]["filter"]["filter_action"],
        "hide"
    );

    // A keyword added on its own, then removed; a post filtered by id.
    let keywords = format!("{path}/keywords");
    let body = json!({"keyword": "tools", "whole_word": false});
    let (status, keyword) = call(&server, "POST", &keywords, &alice.token, Some(body)).await;
    assert_eq!(status, 200, "{keyword}");
    assert!(find(&home(&server, &alice).await, &trusty["id"]).is_none());
    let keyword_path = format!("/api/v2/filters/keywords/{}", keyword["id"].as_str().unwrap());
    assert_eq!(call(&server, "DELETE", &keyword_path, &alice.token, None).await.0, 200);
    assert!(find(&home(&server, &alice).await, &trusty["id"]).is_some());
    let body = json!({"status_id": plain["id"]});
    let (status, filtered) = call(&server, "POST", &format!("{path}/statuses"), &alice.token, Some(body)).await;
    assert_eq!((status, filtered["status_id"].clone()), (200, plain["id"].clone()), "{filtered}");
    assert!(find(&home(&server, &alice).await, &plain["id"]).is_none());
    let (_, listed) = call(&server, "GET", "/api/v2/filters", &alice.token, None).await;
    assert_eq!(listed[0]["statuses"][0]["status_id"], plain["id"]);

    // Someone else's filter is not there for bob; bad input changes nothing.
    assert_eq!(call(&server, "GET", &path, &bob.token, None).await.0, 404);
    for bad in [
        json!({"context": ["home"]}),
        json!({"title": "x", "context": ["everywhere"]}),
        json!({"title": "x", "context": []}),
        json!({"title": "x", "context": ["home"], "filter_action": "explode"}),
        json!({"title": "x", "context": ["home"], "expires_in": -3}),
        json!({"title": "x", "context": ["home"], "keywords_attributes": [{"keyword": " "}]}),
    ] {
        let (status, error) = call(&server, "POST", "/api/v2/filters", &alice.token, Some(bad.clone())).await;
        assert_eq!(status, 422, "{bad}: {error}");
    }
    assert_eq!(call(&server, "GET", "/api/v2/filters", &alice.token, None).await.1.as_array().unwrap().len(), 1);
    assert_eq!(call(&server, "DELETE", &path, &alice.token, None).await.0, 200);
    assert!(find(&home(&server, &alice).await, &rust["id"]).is_some());
}

#[tokio::test]
async fn filters_hide_notifications_and_run_out_and_v1_apps_see_phrases() {
    let server = TestServer::start().await;
    let alice = user(&server, "alice").await;
    let bob = user(&server, "bob").await;
    let client = generator(SNS::Mastodon, server.base_url.clone(), Some(alice.token.clone()), None).unwrap();
    let options = FilterInputOptions { irreversible: Some(true), whole_word: Some(true), expires_in: None };
    let v1 = client.create_filter("spam".into(), vec![FilterContext::Notifications], Some(&options)).await.expect("v1");
    assert!(v1.json.irreversible && v1.json.whole_word);
    assert_eq!(client.get_filters().await.expect("v1 list").json[0].phrase, "spam");

    post(&server, &bob, json!({"status": "@alice spam spam spam"})).await;
    post(&server, &bob, json!({"status": "@alice hello"})).await;
    let (_, mentions) = call(&server, "GET", "/api/v1/notifications?types[]=mention", &alice.token, None).await;
    let texts: Vec<&str> =
        mentions.as_array().unwrap().iter().map(|n| n["status"]["content"].as_str().unwrap()).collect();
    assert_eq!(texts.len(), 1, "{texts:?}");
    assert!(texts[0].contains("hello"));

    // The same filter as v2 shows it; a short-lived one stops applying.
    let (_, v2) = call(&server, "GET", "/api/v2/filters", &alice.token, None).await;
    assert_eq!((v2[0]["title"].clone(), v2[0]["filter_action"].clone()), (json!("spam"), json!("hide")));
    let body = json!({"phrase": "hello", "context": ["notifications"], "irreversible": true, "expires_in": 1});
    let (status, short) = call(&server, "POST", "/api/v1/filters", &alice.token, Some(body)).await;
    assert_eq!(status, 200, "{short}");
    let count = || async {
        let (_, list) = call(&server, "GET", "/api/v1/notifications?types[]=mention", &alice.token, None).await;
        list.as_array().unwrap().len()
    };
    assert_eq!(count().await, 0);
    tokio::time::sleep(std::time::Duration::from_millis(1200)).await;
    assert_eq!(count().await, 1);
    // Mastodon answers `{}`, which megalodon 1.3 cannot read as its `()`; the list shows the effect.
    client.delete_filter(v1.json.id.clone()).await.ok();
    assert_eq!(client.get_filters().await.expect("v1 list").json.len(), 1);
}
