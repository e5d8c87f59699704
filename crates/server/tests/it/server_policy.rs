//! Server policy through the admin API and `rookery admin`: who may set it, what bad
//! input gets, what the server publishes (rules, the list of blocked domains).

use serde_json::{Value, json};

use crate::domain_blocks::admin;
use crate::oauth::user_token;
use crate::statuses::{User, call, user};
use crate::support::TestServer;

/// Every admin endpoint of server policy, with a body where it takes one.
fn policy_endpoints() -> Vec<(&'static str, String, Option<Value>)> {
    let id = "1";
    vec![
        ("GET", "/api/v1/admin/domain_blocks".into(), None),
        ("POST", "/api/v1/admin/domain_blocks".into(), Some(json!({"domain": "spam.example"}))),
        ("GET", format!("/api/v1/admin/domain_blocks/{id}"), None),
        ("PUT", format!("/api/v1/admin/domain_blocks/{id}"), Some(json!({"severity": "suspend"}))),
        ("DELETE", format!("/api/v1/admin/domain_blocks/{id}"), None),
        ("GET", "/api/v1/admin/domain_allows".into(), None),
        ("POST", "/api/v1/admin/domain_allows".into(), Some(json!({"domain": "friends.example"}))),
        ("GET", format!("/api/v1/admin/domain_allows/{id}"), None),
        ("DELETE", format!("/api/v1/admin/domain_allows/{id}"), None),
        ("GET", "/api/v1/admin/email_domain_blocks".into(), None),
        ("POST", "/api/v1/admin/email_domain_blocks".into(), Some(json!({"domain": "spam.example"}))),
        ("GET", format!("/api/v1/admin/email_domain_blocks/{id}"), None),
        ("DELETE", format!("/api/v1/admin/email_domain_blocks/{id}"), None),
    ]
}

async fn staff(server: &TestServer, name: &str, role: &str) -> User {
    let email = format!("{name}@example.org");
    let password = server.create_account(name, &email, role);
    let token = user_token(server, &email, &password, "read write admin:read admin:write").await;
    User { id: String::new(), token }
}

#[tokio::test]
async fn only_admins_reach_the_policy_endpoints_and_nothing_changes_otherwise() {
    let server = TestServer::start().await;
    let plain = staff(&server, "plain", "user").await;
    let moderator = staff(&server, "moddy", "moderator").await;
    let root = admin(&server, "boss").await;
    let without_scope = user(&server, "scopeless").await;
    for (method, path, body) in policy_endpoints() {
        for (who, caller) in [("user", &plain), ("moderator", &moderator)] {
            let (status, error) = call(&server, method, &path, &caller.token, body.clone()).await;
            assert_eq!(status, 403, "{who} {method} {path}: {error}");
            assert_eq!(error, json!({"error": "This action is not allowed"}));
        }
        let (status, _) = call(&server, method, &path, &without_scope.token, body.clone()).await;
        assert_eq!(status, 403, "a token without admin scopes {method} {path}");
        assert_eq!(call(&server, method, &path, "", body).await.0, 401, "{method} {path}");
    }
    let (_, blocks) = call(&server, "GET", "/api/v1/admin/domain_blocks", &root.token, None).await;
    let (_, allows) = call(&server, "GET", "/api/v1/admin/domain_allows", &root.token, None).await;
    assert_eq!((blocks, allows), (json!([]), json!([])));
}

#[tokio::test]
async fn bad_domain_blocks_get_errors_and_change_nothing() {
    let server = TestServer::start().await;
    let root = admin(&server, "boss").await;
    let create = |body: Value| call(&server, "POST", "/api/v1/admin/domain_blocks", &root.token, Some(body));
    let (status, made) = create(json!({"domain": "Spam.Example", "severity": "suspend", "obfuscate": "1"})).await;
    assert_eq!(status, 200, "{made}");
    assert_eq!(made["domain"], "spam.example");
    assert_eq!(made["obfuscate"], true);
    assert_eq!(made["private_comment"], Value::Null);
    for bad in [
        json!({"domain": "spam.example"}),
        json!({"domain": "sub.spam.example", "severity": "silence"}),
        json!({"domain": "not a domain"}),
        json!({}),
        json!({"domain": "other.example", "severity": "obliterate"}),
        json!({"domain": server.base_url.trim_start_matches("http://")}),
    ] {
        let (status, error) = create(bad.clone()).await;
        assert_eq!(status, 422, "{bad}: {error}");
        assert!(error["error"].as_str().unwrap().starts_with("Validation failed"), "{error}");
    }
    for (method, path) in [("GET", "/api/v1/admin/domain_blocks/42"), ("DELETE", "/api/v1/admin/domain_blocks/42")] {
        assert_eq!(call(&server, method, path, &root.token, None).await.0, 404, "{method} {path}");
    }
    let id = made["id"].as_str().unwrap();
    let path = format!("/api/v1/admin/domain_blocks/{id}");
    let (status, _) = call(&server, "PUT", &path, &root.token, Some(json!({"severity": "meh"}))).await;
    assert_eq!(status, 422);
    let (_, blocks) = call(&server, "GET", "/api/v1/admin/domain_blocks", &root.token, None).await;
    assert_eq!(blocks.as_array().unwrap().len(), 1, "{blocks}");
    assert_eq!(blocks[0]["severity"], "suspend");

    // Every moderator action is in the log.
    let log = server.cli_ok(&["admin", "log"]);
    assert!(log.contains(&format!("account {}: create DomainBlock spam.example", root.id)), "{log}");
}

#[tokio::test]
async fn the_server_publishes_its_rules_and_as_much_of_its_blocklist_as_it_chooses() {
    let hidden = TestServer::start().await;
    hidden.cli_ok(&["admin", "domain-block", "add", "spam.example", "--severity", "suspend"]);
    assert_eq!(hidden.get("/api/v1/instance/domain_blocks").await.status(), 404);

    let server = TestServer::start_with(|s| s.show_domain_blocks = Some("all".into())).await;
    server.cli_ok(&["admin", "rule", "add", "Be kind", "--hint", "No harassment."]);
    server.cli_ok(&["admin", "rule", "add", "No spam"]);
    let rules = server.get_json("/api/v1/instance/rules").await;
    assert_eq!(rules.as_array().unwrap().len(), 2, "{rules}");
    assert_eq!((rules[0]["text"].clone(), rules[0]["hint"].clone()), (json!("Be kind"), json!("No harassment.")));
    assert_eq!(server.get_json("/api/v2/instance").await["rules"], rules);
    assert_eq!(server.get_json("/api/v1/instance").await["rules"], rules);
    let second = rules[1]["id"].as_str().unwrap();
    server.cli_ok(&["admin", "rule", "remove", second]);
    assert_eq!(server.get_json("/api/v1/instance/rules").await.as_array().unwrap().len(), 1);

    let csv = "#domain,#severity,#reject_media,#reject_reports,#public_comment,#obfuscate\n\
               spam.example,suspend,false,false,\"Spam, and lots of it\",false\n\
               quiet.example,silence,true,false,,true\n\
               noisy.example,noop,false,false,,false\n";
    let file = server.db.data_dir.join("blocklist.csv");
    std::fs::write(&file, csv).unwrap();
    let out = server.cli_ok(&["admin", "domain-block", "import", file.to_str().unwrap()]);
    assert!(out.contains("blocked 3 domains"), "{out}");
    let out = server.cli_ok(&["admin", "domain-block", "import", file.to_str().unwrap()]);
    assert!(out.contains("blocked 0 domains; 3 were already blocked"), "{out}");
    let exported = server.cli_ok(&["admin", "domain-block", "export"]);
    let mut lines: Vec<&str> = exported.lines().collect();
    lines[1..].sort();
    let mut expected: Vec<&str> = csv.lines().collect();
    expected[1..].sort();
    assert_eq!(lines, expected);

    let published = server.get_json("/api/v1/instance/domain_blocks").await;
    assert_eq!(
        published,
        json!([
            {"domain": "spam.example", "digest": sha256("spam.example"), "severity": "suspend",
             "comment": "Spam, and lots of it"},
            {"domain": "quie*.****ple", "digest": sha256("quiet.example"), "severity": "silence"},
        ])
    );

    // A bad file changes nothing.
    std::fs::write(&file, "#domain,#severity\nfine.example,suspend\nbad domain,suspend\n").unwrap();
    let error = server.cli_err(&["admin", "domain-block", "import", file.to_str().unwrap()]);
    assert!(error.contains("invalid domain in entry 2"), "{error}");
    assert!(!server.cli_ok(&["admin", "domain-block", "list"]).contains("fine.example"));
}

fn sha256(text: &str) -> String {
    let digest = aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, text.as_bytes());
    digest.as_ref().iter().map(|b| format!("{b:02x}")).collect()
}

#[tokio::test]
async fn sign_ups_from_a_blocked_email_domain_are_refused() {
    use crate::registrations::{app_token, person, sign_up};
    let server = TestServer::start_with(|s| s.registrations = Some("open".into())).await;
    let boss = admin(&server, "boss").await;
    let body = json!({"domain": "Example.ORG"});
    let (status, block) =
        call(&server, "POST", "/api/v1/admin/email_domain_blocks", &boss.token, Some(body.clone())).await;
    assert_eq!((status, block["domain"].clone(), block["history"].clone()), (200, json!("example.org"), json!([])));
    assert_eq!(call(&server, "POST", "/api/v1/admin/email_domain_blocks", &boss.token, Some(body)).await.0, 422);
    let token = app_token(&server).await;
    let (status, error) = sign_up(&server, &token, person("dana")).await;
    assert_eq!(status, 422, "{error}");
    assert_eq!(error["details"]["email"][0]["error"], "ERR_BLOCKED");
    let mut sub = person("erin");
    sub["email"] = json!("erin@mail.example.org");
    assert_eq!(sign_up(&server, &token, sub).await.0, 422, "subdomains too");

    let path = format!("/api/v1/admin/email_domain_blocks/{}", block["id"].as_str().unwrap());
    assert_eq!(call(&server, "DELETE", &path, &boss.token, None).await.0, 200);
    assert_eq!(sign_up(&server, &token, person("dana")).await.0, 200);

    // The same from the command line.
    server.cli_ok(&["admin", "email-domain-block", "add", "example.org"]);
    assert_eq!(server.cli_ok(&["admin", "email-domain-block", "list"]).trim(), "example.org");
    assert_eq!(sign_up(&server, &token, person("fay")).await.0, 422);
    server.cli_ok(&["admin", "email-domain-block", "remove", "example.org"]);
    assert!(server.cli_err(&["admin", "email-domain-block", "remove", "example.org"]).contains("not blocked"));
}

#[tokio::test]
async fn the_about_page_shows_the_rules_and_the_published_blocks() {
    let terms = std::env::temp_dir().join(format!("rookery-terms-{}.txt", std::process::id()));
    std::fs::write(&terms, "Be nice.\n\nNo <spam>, ever.\nReally.").unwrap();
    let file = terms.clone();
    let server = TestServer::start_with(move |s| {
        s.terms_of_service = Some(file);
        s.show_domain_blocks = Some("all".into());
        s.description = Some("Birds & <friends>".into());
        s.contact_email = Some("mods@example.org".into());
    })
    .await;
    server.cli_ok(&["admin", "rule", "add", "Be <kind>", "--hint", "No harassment."]);
    server.cli_ok(&[
        "admin",
        "domain-block",
        "add",
        "spam.example",
        "--severity",
        "suspend",
        "--public-comment",
        "spam",
    ]);
    let response = server.get("/about").await;
    assert_eq!(response.status(), 200);
    assert!(response.headers()["content-type"].to_str().unwrap().starts_with("text/html"));
    let page = response.text().await.unwrap();
    for expected in [
        "Birds &amp; &lt;friends&gt;",
        "mods@example.org",
        "Be &lt;kind&gt;",
        "No harassment.",
        "spam.example (suspended): spam",
    ] {
        assert!(page.contains(expected), "{expected} missing from {page}");
    }
    assert!(!page.contains("<kind>"), "escaped");
    assert_eq!(server.get("/about/more").await.status(), 200);

    // The terms of service, as a page and as Mastodon 4.4 serves them.
    assert!(page.contains("href=\"/terms\""));
    let shown = server.get("/terms").await.text().await.unwrap();
    assert!(shown.contains("<p>Be nice.</p><p>No &lt;spam&gt;, ever.<br>Really.</p>"), "{shown}");
    let api = server.get_json("/api/v1/instance/terms_of_service").await;
    assert_eq!((api["effective"].clone(), api["succeeded_by"].clone()), (json!(true), Value::Null));
    assert!(api["content"].as_str().unwrap().starts_with("<p>Be nice.</p>"));
    let v2 = server.get_json("/api/v2/instance").await;
    assert_eq!(v2["configuration"]["urls"]["terms_of_service"], format!("{}/terms", server.base_url));
    let description = server.get_json("/api/v1/instance/extended_description").await;
    assert_eq!(description["content"], "<p>Birds &amp; &lt;friends&gt;</p>");
    std::fs::remove_file(&terms).ok();

    // Without terms, there are none to show.
    let plain = TestServer::start().await;
    assert_eq!(plain.get("/api/v1/instance/terms_of_service").await.status(), 404);
    assert_eq!(plain.get("/terms").await.status(), 404);
}
