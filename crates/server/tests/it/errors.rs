//! Mastodon's error JSON, request ids and CORS on every response.

use reqwest::Method;

use crate::support::TestServer;

#[tokio::test]
async fn unknown_routes_and_methods_get_mastodon_error_json() {
    let server = TestServer::start().await;
    for (method, path) in [
        (Method::GET, "/api/v1/no_such_thing"),
        (Method::GET, "/nowhere"),
        (Method::POST, "/api/v2/instance"),
        (Method::DELETE, "/health"),
    ] {
        let response = server.http.request(method.clone(), server.url(path)).send().await.unwrap();
        assert_eq!(response.status(), 404, "{method} {path}");
        assert_eq!(response.headers()["content-type"], "application/json");
        let body: serde_json::Value = response.json().await.unwrap();
        assert_eq!(body, serde_json::json!({ "error": "Not Found" }), "{method} {path}");
    }
}

#[tokio::test]
async fn every_response_carries_a_request_id() {
    let server = TestServer::start().await;
    let a = server.get("/health").await;
    let b = server.get("/nowhere").await;
    let id_a = a.headers()["x-request-id"].to_str().unwrap().to_owned();
    let id_b = b.headers()["x-request-id"].to_str().unwrap().to_owned();
    assert_eq!(id_a.len(), 32);
    assert_ne!(id_a, id_b);
    // A proxy's id is kept, so logs can be followed across both.
    let c = server.http.get(server.url("/health")).header("x-request-id", "from-proxy-1").send().await.unwrap();
    assert_eq!(c.headers()["x-request-id"], "from-proxy-1");
    // One that could forge log fields is replaced.
    let d =
        server.http.get(server.url("/health")).header("x-request-id", "x status=500 path=/admin").send().await.unwrap();
    let replaced = d.headers()["x-request-id"].to_str().unwrap();
    assert_eq!(replaced.len(), 32, "{replaced}");
}

#[tokio::test]
async fn the_api_allows_cross_origin_apps() {
    let server = TestServer::start().await;
    let preflight = server
        .http
        .request(Method::OPTIONS, server.url("/api/v2/instance"))
        .header("origin", "https://app.example")
        .header("access-control-request-method", "GET")
        .header("access-control-request-headers", "authorization")
        .send()
        .await
        .unwrap();
    assert!(preflight.status().is_success());
    assert_eq!(preflight.headers()["access-control-allow-origin"], "*");

    let get =
        server.http.get(server.url("/api/v2/instance")).header("origin", "https://app.example").send().await.unwrap();
    assert_eq!(get.headers()["access-control-allow-origin"], "*");
    let exposed = get.headers()["access-control-expose-headers"].to_str().unwrap().to_lowercase();
    for header in ["link", "x-ratelimit-limit", "x-ratelimit-remaining", "x-ratelimit-reset"] {
        assert!(exposed.contains(header), "{header} not exposed: {exposed}");
    }
}

#[tokio::test]
async fn health_answers_ok() {
    let server = TestServer::start().await;
    let response = server.get("/health").await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.text().await.unwrap(), "OK");
}

#[tokio::test]
async fn rate_limits_as_mastodon_counts_them() {
    let server = TestServer::start_with(|s| s.rate_limit = Some("3".into())).await;
    for remaining in ["2", "1", "0"] {
        let response = server.get("/api/v1/custom_emojis").await;
        assert_eq!(response.status(), 200);
        assert_eq!(response.headers()["x-ratelimit-limit"], "3");
        assert_eq!(response.headers()["x-ratelimit-remaining"], remaining);
        let reset = response.headers()["x-ratelimit-reset"].to_str().unwrap().to_owned();
        assert!(reset.ends_with('Z') && reset.contains('T'), "ISO 8601: {reset}");
    }
    let refused = server.get("/api/v1/custom_emojis").await;
    assert_eq!(refused.status(), 429);
    assert_eq!(refused.json::<serde_json::Value>().await.unwrap(), serde_json::json!({ "error": "Too many requests" }));
    // Another caller (a token) has its own count; pages outside the API are not limited.
    let with_token =
        server.http.get(server.url("/api/v1/custom_emojis")).bearer_auth("some-token").send().await.unwrap();
    assert_eq!(with_token.status(), 200, "a public endpoint ignores the token, as Mastodon's does");
    assert_eq!(with_token.headers()["x-ratelimit-remaining"], "2", "but it is counted on its own");
    assert_eq!(server.get("/health").await.status(), 200);
}

#[tokio::test]
async fn sign_up_and_sign_in_forms_are_throttled_per_address() {
    let server = TestServer::start().await;
    for _ in 0..5 {
        assert_ne!(
            server.http.post(server.url("/auth/sign_up")).form(&[("username", "x")]).send().await.unwrap().status(),
            429
        );
    }
    let refused = server.http.post(server.url("/auth/sign_up")).form(&[("username", "x")]).send().await.unwrap();
    assert_eq!(refused.status(), 429);
    assert_eq!(refused.headers()["x-ratelimit-limit"], "5");
    for _ in 0..25 {
        server.http.post(server.url("/auth/sign_in")).form(&[("email", "a@example.org")]).send().await.unwrap();
    }
    let refused =
        server.http.post(server.url("/auth/sign_in")).form(&[("email", "a@example.org")]).send().await.unwrap();
    assert_eq!(refused.status(), 429, "password guessing is slowed down");
}

#[tokio::test]
async fn password_changes_are_throttled_per_address_and_per_session() {
    let server = TestServer::start().await;
    let attempt = |client: &'static str, cookie: &'static str| {
        server
            .http
            .post(server.url("/settings/password"))
            .header("x-forwarded-for", client)
            .header("cookie", cookie)
            .form(&[("current_password", "a guess")])
            .send()
    };
    for _ in 0..25 {
        assert_ne!(attempt("203.0.113.1", "rookery_session=one").await.unwrap().status(), 429);
    }
    assert_eq!(attempt("203.0.113.1", "rookery_session=two").await.unwrap().status(), 429, "per address");
    assert_eq!(
        attempt("203.0.113.2", "rookery_csrf=x; rookery_session=one").await.unwrap().status(),
        429,
        "per session"
    );
    assert_ne!(attempt("203.0.113.3", "rookery_session=three").await.unwrap().status(), 429);
}

#[tokio::test]
async fn behind_a_trusted_proxy_each_client_is_counted_apart() {
    // The test client connects from loopback, trusted by default, as a local nginx would.
    let server = TestServer::start_with(|s| s.rate_limit = Some("2".into())).await;
    let from = |client: &'static str| {
        server.http.get(server.url("/api/v1/custom_emojis")).header("x-forwarded-for", client).send()
    };
    assert_eq!(from("203.0.113.1").await.unwrap().status(), 200);
    assert_eq!(from("203.0.113.1").await.unwrap().status(), 200);
    assert_eq!(from("203.0.113.1").await.unwrap().status(), 429);
    assert_eq!(from("203.0.113.2").await.unwrap().status(), 200, "another client behind the same proxy");
    assert_eq!(from("203.0.113.9, 203.0.113.1").await.unwrap().status(), 429, "the right-most address counts");
}
