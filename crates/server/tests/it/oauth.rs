//! Signing in as apps do: register, open the authorize page in a browser, sign in,
//! approve, exchange the code. Driven by megalodon, a real Mastodon client library.

use aws_lc_rs::digest;
use base64::Engine as _;
use megalodon::megalodon::AppInputOptions;
use megalodon::{SNS, generator};
use serde_json::{Value, json};

use crate::support::TestServer;
use crate::support::browser::{Authorized, Browser, query_param};

pub(crate) const OOB: &str = "urn:ietf:wg:oauth:2.0:oob";

async fn register(server: &TestServer, body: Value) -> Value {
    let response = server.http.post(server.url("/api/v1/apps")).json(&body).send().await.unwrap();
    assert_eq!(response.status(), 200);
    response.json().await.unwrap()
}

pub(crate) async fn token_request(server: &TestServer, form: &[(&str, &str)]) -> (u16, Value) {
    let response = server.http.post(server.url("/oauth/token")).form(form).send().await.unwrap();
    (response.status().as_u16(), response.json().await.unwrap())
}

async fn get_with(server: &TestServer, path: &str, token: &str) -> (u16, Value) {
    let response = server.http.get(server.url(path)).bearer_auth(token).send().await.unwrap();
    (response.status().as_u16(), response.json().await.unwrap())
}

/// A user token for `email`, through the OOB flow with the given scopes.
pub(crate) async fn user_token(server: &TestServer, email: &str, password: &str, scopes: &str) -> String {
    user_token_and_app(server, email, password, scopes).await.0
}

/// A user token and the client id and secret of the app it was issued to.
pub(crate) async fn user_token_and_app(
    server: &TestServer,
    email: &str,
    password: &str,
    scopes: &str,
) -> (String, String, String) {
    let app = register(server, json!({ "client_name": "tests", "redirect_uris": OOB, "scopes": scopes })).await;
    let url = format!(
        "/oauth/authorize?response_type=code&client_id={}&redirect_uri={OOB}&scope={}",
        app["client_id"].as_str().unwrap(),
        scopes.replace(' ', "+")
    );
    let Authorized::Code(code) = Browser::new(&server.base_url).authorize(&url, email, password).await else {
        panic!("OOB shows the code")
    };
    let (status, token) = token_request(
        server,
        &[
            ("grant_type", "authorization_code"),
            ("code", &code),
            ("client_id", app["client_id"].as_str().unwrap()),
            ("client_secret", app["client_secret"].as_str().unwrap()),
            ("redirect_uri", OOB),
        ],
    )
    .await;
    assert_eq!(status, 200, "{token}");
    (
        token["access_token"].as_str().unwrap().to_owned(),
        app["client_id"].as_str().unwrap().to_owned(),
        app["client_secret"].as_str().unwrap().to_owned(),
    )
}

#[tokio::test]
async fn megalodon_signs_in_through_the_real_pages() {
    let server = TestServer::start().await;
    let password = server.create_account("Alice", "alice@example.org", "admin");

    let client = generator(SNS::Mastodon, server.base_url.clone(), None, None).unwrap();
    let options = AppInputOptions {
        scopes: Some(vec!["read".into(), "write".into(), "follow".into(), "push".into()]),
        redirect_uris: None,
        website: Some("https://app.example".into()),
    };
    let app = client.register_app("Megalodon test".into(), &options).await.expect("app registered");
    assert_eq!(app.redirect_uri.as_deref(), Some(OOB));
    let url = app.url.clone().expect("an authorize URL");

    let Authorized::Code(code) = Browser::new(&server.base_url).authorize(&url, "alice@example.org", &password).await
    else {
        panic!("the OOB flow shows the code")
    };
    let token = client
        .fetch_access_token(app.client_id.clone(), app.client_secret.clone(), code, OOB.into())
        .await
        .expect("code exchanged");
    assert_eq!(token.token_type, "Bearer");
    assert_eq!(token.scope.as_deref(), Some("follow push read write"));

    let me = generator(SNS::Mastodon, server.base_url.clone(), Some(token.access_token.clone()), None).unwrap();
    let account = me.verify_account_credentials().await.expect("verify_credentials parses").json;
    assert_eq!(account.username, "Alice");
    assert_eq!(account.acct, "Alice");
    let app_info = me.verify_app_credentials().await.expect("app credentials").json;
    assert_eq!(app_info.name, "Megalodon test");
    me.get_preferences().await.expect("preferences parse");

    let (status, credential) = get_with(&server, "/api/v1/accounts/verify_credentials", &token.access_token).await;
    assert_eq!(status, 200);
    assert_eq!(credential["source"]["privacy"], "public");
    assert_eq!(credential["role"]["name"], "Admin");
    assert_eq!(server.get_json("/api/v2/instance").await["usage"]["users"]["active_month"], 1, "the sign-in counts");
}

#[tokio::test]
async fn redirect_flow_with_pkce_state_and_basic_client_auth() {
    let server = TestServer::start().await;
    let password = server.create_account("bob", "bob@example.org", "user");
    let app = register(
        &server,
        json!({
            "client_name": "Ivory-like",
            "redirect_uris": ["com.example.app:/oauth", "https://app.example/cb"],
            "scopes": "read write",
        }),
    )
    .await;
    assert_eq!(app["redirect_uris"], json!(["com.example.app:/oauth", "https://app.example/cb"]));
    assert_eq!(app["redirect_uri"], "com.example.app:/oauth\nhttps://app.example/cb");
    let (client_id, secret) = (app["client_id"].as_str().unwrap(), app["client_secret"].as_str().unwrap());

    let verifier = "a-long-random-verifier-string-of-at-least-43-characters-xyz";
    let challenge =
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(digest::digest(&digest::SHA256, verifier.as_bytes()));
    let url = format!(
        "/oauth/authorize?response_type=code&client_id={client_id}&redirect_uri=com.example.app%3A%2Foauth\
         &scope=read&state=xyz%20123&code_challenge={challenge}&code_challenge_method=S256"
    );
    let mut browser = Browser::new(&server.base_url);
    let Authorized::Redirect(location) = browser.authorize(&url, "bob@example.org", &password).await else {
        panic!("redirects to the app")
    };
    assert!(location.starts_with("com.example.app:/oauth?"), "{location}");
    assert_eq!(query_param(&location, "state").as_deref(), Some("xyz 123"));
    let code = query_param(&location, "code").unwrap();

    let basic = base64::engine::general_purpose::STANDARD.encode(format!("{client_id}:{secret}"));
    let exchange = |code: String, verifier: &'static str| {
        let request = server.http.post(server.url("/oauth/token")).header("authorization", format!("Basic {basic}"));
        request.form(&[
            ("grant_type", "authorization_code".to_owned()),
            ("code", code),
            ("redirect_uri", "com.example.app:/oauth".to_owned()),
            ("code_verifier", verifier.to_owned()),
        ])
    };
    let wrong = exchange(code.clone(), "not-the-verifier").send().await.unwrap();
    assert_eq!(wrong.status(), 400);
    assert_eq!(wrong.json::<Value>().await.unwrap()["error"], "invalid_grant");

    // The browser is signed in now: the second time goes straight to approval.
    let Authorized::Redirect(location) = browser.authorize(&url, "", "").await else { panic!() };
    let code = query_param(&location, "code").unwrap();
    let ok = exchange(code.clone(), verifier).send().await.unwrap();
    assert_eq!(ok.status(), 200);
    let token: Value = ok.json().await.unwrap();
    assert_eq!(token["scope"], "read");
    assert!(token["created_at"].is_u64());
    let reused = exchange(code, verifier).send().await.unwrap();
    assert_eq!(reused.status(), 400, "a code works once");

    // The redirect URI must be repeated at the token step.
    let Authorized::Redirect(location) = browser.authorize(&url, "", "").await else { panic!() };
    let code = query_param(&location, "code").unwrap();
    let response = server
        .http
        .post(server.url("/oauth/token"))
        .header("authorization", format!("Basic {basic}"))
        .form(&[("grant_type", "authorization_code"), ("code", code.as_str()), ("code_verifier", verifier)])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 400);
}

#[tokio::test]
async fn every_endpoint_enforces_its_scope() {
    let server = TestServer::start().await;
    let password = server.create_account("carol", "carol@example.org", "user");
    let narrow = user_token(&server, "carol@example.org", &password, "write:statuses").await;
    let broad = user_token(&server, "carol@example.org", &password, "read").await;

    assert_eq!(get_with(&server, "/api/v1/accounts/verify_credentials", &broad).await.0, 200);
    let (status, body) = get_with(&server, "/api/v1/accounts/verify_credentials", &narrow).await;
    assert_eq!((status, body), (403, json!({ "error": "This action is outside the authorized scopes" })));
    let (status, body) = get_with(&server, "/api/v1/accounts/verify_credentials", "not-a-token").await;
    assert_eq!((status, body), (401, json!({ "error": "The access token is invalid" })));
    let anonymous = server.get("/api/v1/accounts/verify_credentials").await;
    assert_eq!(anonymous.status(), 401);

    for path in ["/api/v1/lists", "/api/v2/filters", "/api/v1/preferences", "/api/v1/markers", "/api/v1/announcements"]
    {
        assert_eq!(get_with(&server, path, &broad).await.0, 200, "{path}");
        assert_eq!(get_with(&server, path, &narrow).await.0, 403, "{path}");
        assert_eq!(server.get(path).await.status(), 401, "{path}");
    }
    assert_eq!(server.get_json("/api/v1/custom_emojis").await, json!([]));

    // An app-only token (client credentials) is not a user.
    let app = register(&server, json!({ "client_name": "bot", "redirect_uris": OOB, "scopes": "read" })).await;
    let (status, app_token) = token_request(
        &server,
        &[
            ("grant_type", "client_credentials"),
            ("client_id", app["client_id"].as_str().unwrap()),
            ("client_secret", app["client_secret"].as_str().unwrap()),
        ],
    )
    .await;
    assert_eq!(status, 200);
    let app_token = app_token["access_token"].as_str().unwrap();
    let (status, body) = get_with(&server, "/api/v1/accounts/verify_credentials", app_token).await;
    assert_eq!((status, body["error"].as_str()), (422, Some("This method requires an authenticated user")));
    assert_eq!(get_with(&server, "/api/v1/apps/verify_credentials", app_token).await.1["name"], "bot");

    // Revoked tokens stop working at once.
    let response = server
        .http
        .post(server.url("/oauth/revoke"))
        .form(&[
            ("client_id", app["client_id"].as_str().unwrap()),
            ("client_secret", app["client_secret"].as_str().unwrap()),
            ("token", app_token),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(get_with(&server, "/api/v1/apps/verify_credentials", app_token).await.0, 401);
}

#[tokio::test]
async fn bad_registrations_and_token_requests_are_refused() {
    let server = TestServer::start().await;
    let server = &server;
    let refuse = |body: Value| async move {
        let response = server.http.post(server.url("/api/v1/apps")).json(&body).send().await.unwrap();
        (response.status().as_u16(), response.json::<Value>().await.unwrap()["error"].as_str().unwrap().to_owned())
    };
    let (status, error) = refuse(json!({ "redirect_uris": OOB })).await;
    assert_eq!(status, 422);
    assert!(error.contains("Name can't be blank"), "{error}");
    assert!(refuse(json!({ "client_name": "x" })).await.1.contains("Redirect uri can't be blank"));
    assert!(
        refuse(json!({ "client_name": "x", "redirect_uris": "javascript:alert(1)" })).await.1.contains("absolute URI")
    );
    assert!(
        refuse(json!({ "client_name": "x", "redirect_uris": OOB, "scopes": "read admin:everything" }))
            .await
            .1
            .contains("admin:everything")
    );

    // A form-encoded registration with several URIs on separate lines works.
    let response = server
        .http
        .post(server.url("/api/v1/apps"))
        .form(&[("client_name", "form app"), ("redirect_uris", "https://a.example/1\nhttps://a.example/2")])
        .send()
        .await
        .unwrap();
    let app: Value = response.json().await.unwrap();
    assert_eq!(app["redirect_uris"], json!(["https://a.example/1", "https://a.example/2"]));
    assert_eq!(app["scopes"], json!(["read"]), "read is the default");

    let (status, body) =
        token_request(server, &[("grant_type", "password"), ("client_id", "x"), ("client_secret", "y")]).await;
    assert_eq!((status, body["error"].as_str()), (400, Some("unsupported_grant_type")));
    let (status, body) = token_request(
        server,
        &[
            ("grant_type", "client_credentials"),
            ("client_id", app["client_id"].as_str().unwrap()),
            ("client_secret", "wrong"),
        ],
    )
    .await;
    assert_eq!((status, body["error"].as_str()), (401, Some("invalid_client")));
    let (status, body) = token_request(
        server,
        &[
            ("grant_type", "authorization_code"),
            ("code", "made-up"),
            ("client_id", app["client_id"].as_str().unwrap()),
            ("client_secret", app["client_secret"].as_str().unwrap()),
        ],
    )
    .await;
    assert_eq!((status, body["error"].as_str()), (400, Some("invalid_grant")));

    // Scopes beyond the registration are refused on the authorize page.
    let mut browser = Browser::new(&server.base_url);
    let (status, page, _) = browser
        .get(&format!(
            "/oauth/authorize?response_type=code&client_id={}&redirect_uri=https://a.example/1&scope=write",
            app["client_id"].as_str().unwrap()
        ))
        .await;
    assert_eq!(status, 400);
    assert!(page.contains("The requested scope is invalid"), "{page}");
}

#[tokio::test]
async fn the_sign_in_page_refuses_wrong_passwords_and_forged_forms() {
    let server = TestServer::start().await;
    server.create_account("dave", "dave@example.org", "user");
    let mut browser = Browser::new(&server.base_url);
    let (status, page, _) = browser.get("/auth/sign_in").await;
    assert_eq!(status, 200);
    let mut fields = crate::support::browser::hidden_fields(&page);
    fields.push(("email".into(), "dave@example.org".into()));
    fields.push(("password".into(), "wrong password".into()));
    let (status, page, _) = browser.post_form("/auth/sign_in", &fields).await;
    assert_eq!(status, 401);
    assert!(page.contains("Invalid e-mail address or password."));
    assert!(page.contains("value=\"dave@example.org\""), "the e-mail is kept");

    // Without the CSRF cookie (another site posting the form), nothing happens.
    let mut other_site = Browser::new(&server.base_url);
    let (status, _, _) = other_site.post_form("/auth/sign_in", &fields).await;
    assert_eq!(status, 403);

    let metadata = server.get_json("/.well-known/oauth-authorization-server").await;
    assert_eq!(metadata["token_endpoint"], format!("{}/oauth/token", server.base_url));
    assert_eq!(metadata["code_challenge_methods_supported"], json!(["S256"]));
}

#[tokio::test]
async fn accounts_by_id_and_by_name() {
    let server = TestServer::start().await;
    server.create_account("erin", "erin@example.org", "moderator");
    let domain = server.base_url.trim_start_matches("http://").to_owned();
    let by_name = server.get_json("/api/v1/accounts/lookup?acct=erin").await;
    assert_eq!(by_name["username"], "erin");
    assert_eq!(server.get_json(&format!("/api/v1/accounts/lookup?acct=@ERIN@{domain}")).await["id"], by_name["id"]);
    let by_id = server.get_json(&format!("/api/v1/accounts/{}", by_name["id"].as_str().unwrap())).await;
    assert_eq!(by_id["acct"], "erin");
    assert_eq!(by_id["roles"][0]["name"], "Moderator");
    for missing in ["/api/v1/accounts/123", "/api/v1/accounts/not-a-number", "/api/v1/accounts/lookup?acct=nobody"] {
        let response = server.get(missing).await;
        assert_eq!(response.status(), 404, "{missing}");
        assert_eq!(response.json::<Value>().await.unwrap(), json!({ "error": "Record not found" }));
    }
}
