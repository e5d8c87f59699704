//! Signing up through apps and the sign-up page, in each registration mode.

use serde_json::{Value, json};

use crate::support::TestServer;
use crate::support::browser::{Browser, hidden_fields};

/// An app-only token with `write:accounts`, as apps get before offering sign-up.
pub(crate) async fn app_token(server: &TestServer) -> String {
    let app: Value = server
        .http
        .post(server.url("/api/v1/apps"))
        .json(&json!({ "client_name": "signup", "redirect_uris": "urn:ietf:wg:oauth:2.0:oob", "scopes": "read write" }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let token: Value = server
        .http
        .post(server.url("/oauth/token"))
        .form(&[
            ("grant_type", "client_credentials"),
            ("client_id", app["client_id"].as_str().unwrap()),
            ("client_secret", app["client_secret"].as_str().unwrap()),
            ("scope", "read write"),
        ])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    token["access_token"].as_str().unwrap().to_owned()
}

pub(crate) async fn sign_up(server: &TestServer, token: &str, body: Value) -> (u16, Value) {
    let response =
        server.http.post(server.url("/api/v1/accounts")).bearer_auth(token).json(&body).send().await.unwrap();
    (response.status().as_u16(), response.json().await.unwrap())
}

pub(crate) fn person(name: &str) -> Value {
    json!({ "username": name, "email": format!("{name}@example.org"), "password": "a good password", "agreement": true, "locale": "en" })
}

#[tokio::test]
async fn closed_servers_refuse_sign_ups() {
    let server = TestServer::start().await;
    let token = app_token(&server).await;
    let (code, body) = sign_up(&server, &token, person("dana")).await;
    assert_eq!((code, body), (403, json!({ "error": "This action is not allowed" })));
    assert_eq!(server.get("/auth/sign_up").await.status(), 403);
    assert!(server.cli_ok(&["admin", "account", "list"]).lines().count() == 1, "nobody was created");
}

#[tokio::test]
async fn open_servers_sign_up_at_once() {
    let server = TestServer::start_with(|s| s.registrations = Some("open".into())).await;
    let token = app_token(&server).await;
    let (code, created) = sign_up(&server, &token, person("dana")).await;
    assert_eq!(code, 200, "{created}");
    assert_eq!(created["token_type"], "Bearer");
    let me = server
        .http
        .get(server.url("/api/v1/accounts/verify_credentials"))
        .bearer_auth(created["access_token"].as_str().unwrap());
    let me: Value = me.send().await.unwrap().json().await.unwrap();
    assert_eq!(me["username"], "dana");

    let (code, body) = sign_up(
        &server,
        &token,
        json!({ "username": "erin", "email": "e@example.org", "password": "a good password" }),
    )
    .await;
    assert_eq!(code, 422);
    assert_eq!(body["details"]["agreement"][0]["error"], "ERR_ACCEPTED");
    let (code, body) = sign_up(&server, &token, person("DANA")).await;
    assert_eq!(code, 422);
    assert_eq!(body["details"]["username"][0]["error"], "ERR_TAKEN");
    assert_eq!(sign_up(&server, "bad token", person("fay")).await.0, 401);

    // The sign-up page, as a person uses it.
    let mut browser = Browser::new(&server.base_url);
    let (status, page, _) = browser.get("/auth/sign_up").await;
    assert_eq!(status, 200);
    let mut fields = hidden_fields(&page);
    for (k, v) in
        [("username", "gil"), ("email", "gil@example.org"), ("password", "another good one"), ("agreement", "1")]
    {
        fields.push((k.into(), v.into()));
    }
    let (status, page, _) = browser.post_form("/auth/sign_up", &fields).await;
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("@gil is ready"), "{page}");
    assert!(app::accounts::authenticate(server.app(), "gil@example.org", "another good one").await.unwrap().is_some());
}

#[tokio::test]
async fn approval_mode_waits_for_a_moderator() {
    let server = TestServer::start_with(|s| s.registrations = Some("approval".into())).await;
    let token = app_token(&server).await;
    let mut body = person("hal");
    body["reason"] = json!("I love birds");
    let (code, created) = sign_up(&server, &token, body).await;
    assert_eq!(code, 200, "{created}");
    let access = created["access_token"].as_str().unwrap().to_owned();
    let check = || server.http.get(server.url("/api/v1/accounts/verify_credentials")).bearer_auth(&access).send();
    let pending = check().await.unwrap();
    assert_eq!(pending.status(), 403);
    assert_eq!(pending.json::<Value>().await.unwrap()["error"], "Your login is currently pending approval");
    assert!(server.cli_ok(&["admin", "account", "list"]).lines().nth(1).unwrap().contains(" no "), "listed as waiting");

    let mut browser = Browser::new(&server.base_url);
    let (_, page, _) = browser.get("/auth/sign_in").await;
    let mut fields = hidden_fields(&page);
    fields.push(("email".into(), "hal@example.org".into()));
    fields.push(("password".into(), "a good password".into()));
    let (status, page, _) = browser.post_form("/auth/sign_in", &fields).await;
    assert_eq!(status, 403);
    assert!(page.contains("pending approval"));

    let domain = server.base_url.trim_start_matches("http://");
    let webfinger = format!("/.well-known/webfinger?resource=acct:hal@{domain}");
    assert_eq!(server.get(&webfinger).await.status(), 404, "other servers cannot find a sign-up still waiting");

    server.cli_ok(&["admin", "account", "approve", "--username", "hal"]);
    assert_eq!(check().await.unwrap().status(), 200);
    assert_eq!(server.get(&webfinger).await.status(), 200);
}
