//! WebFinger, host-meta and NodeInfo: how other servers find this one and its people.

use serde_json::{Value, json};

use crate::support::TestServer;

async fn get(server: &TestServer, path: &str) -> (u16, String, String, Value) {
    let response = server.http.get(server.url(path)).header("Origin", "https://app.example").send().await.unwrap();
    let status = response.status().as_u16();
    let header = |name: &str| response.headers().get(name).map(|v| v.to_str().unwrap().to_owned()).unwrap_or_default();
    let (content_type, cors) = (header("content-type"), header("access-control-allow-origin"));
    assert_eq!(cors, "*", "{path} is readable from any origin");
    let body = response.text().await.unwrap();
    (status, content_type, body.clone(), serde_json::from_str(&body).unwrap_or(Value::Null))
}

fn webfinger(resource: &str) -> String {
    let mut url = reqwest::Url::parse("http://x/.well-known/webfinger").unwrap();
    url.query_pairs_mut().append_pair("resource", resource);
    format!("{}?{}", url.path(), url.query().unwrap())
}

#[tokio::test]
async fn webfinger_finds_local_accounts_by_acct_and_by_url() {
    let server = TestServer::start().await;
    server.create_account("Alice", "alice@example.org", "user");
    let base = &server.base_url;
    // The test domain carries a port, as local setups do.
    let domain = base.trim_start_matches("http://");
    let expected = json!({
        "subject": format!("acct:Alice@{domain}"),
        "aliases": [format!("{base}/@Alice"), format!("{base}/users/Alice")],
        "links": [
            { "rel": "http://webfinger.net/rel/profile-page", "type": "text/html", "href": format!("{base}/@Alice") },
            { "rel": "self", "type": "application/activity+json", "href": format!("{base}/users/Alice") },
            { "rel": "http://ostatus.org/schema/1.0/subscribe", "template": format!("{base}/authorize_interaction?uri={{uri}}") },
        ],
    });
    for resource in [
        format!("acct:alice@{domain}"),
        format!("acct:ALICE@{}", domain.to_uppercase()),
        format!("alice@{domain}"),
        format!("{base}/users/Alice"),
        format!("{base}/@Alice"),
    ] {
        let (status, content_type, body, jrd) = get(&server, &webfinger(&resource)).await;
        assert_eq!(status, 200, "{resource}: {body}");
        assert_eq!(content_type, "application/jrd+json; charset=utf-8");
        assert_eq!(jrd, expected, "{resource}");
    }
}

#[tokio::test]
async fn webfinger_refuses_what_is_not_a_local_account() {
    let server = TestServer::start().await;
    server.create_account("alice", "alice@example.org", "user");
    let domain = server.base_url.trim_start_matches("http://").to_owned();
    for (resource, status) in [
        (format!("acct:bob@{domain}"), 404),
        ("acct:alice@elsewhere.example".to_owned(), 404),
        (format!("acct:alice@{}", domain.split(':').next().unwrap()), 404),
        ("https://elsewhere.example/users/alice".to_owned(), 404),
        (format!("{}/users/alice/followers", server.base_url), 404),
        ("acct:alice".to_owned(), 400),
        ("acct:@".to_owned(), 400),
        (String::new(), 400),
    ] {
        let (got, _, body, json) = get(&server, &webfinger(&resource)).await;
        assert_eq!(got, status, "{resource}: {body}");
        assert!(json["error"].is_string(), "{resource}: Mastodon's error JSON, got {body}");
    }
    let (status, ..) = get(&server, "/.well-known/webfinger").await;
    assert_eq!(status, 400, "no resource");
}

#[tokio::test]
async fn host_meta_points_to_webfinger() {
    let server = TestServer::start().await;
    let (status, content_type, body, _) = get(&server, "/.well-known/host-meta").await;
    assert_eq!(status, 200);
    assert_eq!(content_type, "application/xrd+xml; charset=utf-8");
    let template = format!("template=\"{}/.well-known/webfinger?resource={{uri}}\"", server.base_url);
    assert!(body.contains("<Link rel=\"lrdd\"") && body.contains(&template), "{body}");
}

#[tokio::test]
async fn nodeinfo_2_0_and_2_1_report_live_usage() {
    let server = TestServer::start_with(|s| s.registrations = Some("approval".into())).await;
    let password = server.create_account("alice", "alice@example.org", "admin");
    server.create_account("bob", "bob@example.org", "user");
    // Alice signs in and uses the API; Bob never does.
    let token = crate::oauth::user_token(&server, "alice@example.org", &password, "read").await;
    let seen = server.http.get(server.url("/api/v1/accounts/verify_credentials")).bearer_auth(&token).send();
    assert_eq!(seen.await.unwrap().status(), 200);
    let (status, _, _, links) = get(&server, "/.well-known/nodeinfo").await;
    assert_eq!(status, 200);
    let hrefs: Vec<(&str, &str)> = links["links"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| (l["rel"].as_str().unwrap(), l["href"].as_str().unwrap()))
        .collect();
    let base = &server.base_url;
    let (href_20, href_21) = (format!("{base}/nodeinfo/2.0"), format!("{base}/nodeinfo/2.1"));
    assert_eq!(
        hrefs,
        [
            ("http://nodeinfo.diaspora.software/ns/schema/2.0", href_20.as_str()),
            ("http://nodeinfo.diaspora.software/ns/schema/2.1", href_21.as_str()),
        ]
    );
    for version in ["2.0", "2.1"] {
        let (status, content_type, body, info) = get(&server, &format!("/nodeinfo/{version}")).await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(
            content_type,
            format!(
                "application/json; profile=\"http://nodeinfo.diaspora.software/ns/schema/{version}#\"; charset=utf-8"
            )
        );
        assert_eq!(info["version"], version);
        assert_eq!(info["software"]["name"], "rookery");
        assert_eq!(info["protocols"], json!(["activitypub"]));
        assert_eq!(info["services"], json!({ "outbound": [], "inbound": [] }));
        assert_eq!(info["usage"]["users"]["total"], 2);
        assert_eq!(info["usage"]["users"]["activeMonth"], 1);
        assert_eq!(info["usage"]["users"]["activeHalfyear"], 1);
        assert_eq!(info["usage"]["localPosts"], 0);
        assert_eq!(info["openRegistrations"], true, "sign-ups with approval are open, as Mastodon counts them");
        assert!(info["metadata"]["nodeName"].is_string());
    }
    let closed = TestServer::start().await;
    let (_, _, _, info) = get(&closed, "/nodeinfo/2.0").await;
    assert_eq!(info["openRegistrations"], false);
}

#[tokio::test]
async fn webfinger_finds_the_instance_actor() {
    let server = TestServer::start().await;
    let base = &server.base_url;
    let domain = base.trim_start_matches("http://");
    for resource in [format!("acct:{domain}@{domain}"), format!("{base}/actor")] {
        let (status, _, body, jrd) = get(&server, &webfinger(&resource)).await;
        assert_eq!(status, 200, "{resource}: {body}");
        assert_eq!(jrd["subject"], format!("acct:{domain}@{domain}"));
        let link = jrd["links"].as_array().unwrap().iter().find(|l| l["rel"] == "self").unwrap().clone();
        assert_eq!(link["href"], format!("{base}/actor"));
    }
}
