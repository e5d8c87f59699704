//! `GET /api/v1/instance` and `/api/v2/instance`: Mastodon's shape, live data.

use megalodon::{SNS, generator};
use serde_json::Value;

use crate::support::TestServer;

fn keys(value: &Value) -> Vec<&str> {
    let mut keys: Vec<&str> = value.as_object().expect("an object").keys().map(String::as_str).collect();
    keys.sort_unstable();
    keys
}

#[tokio::test]
async fn v2_has_every_field_mastodon_sends() {
    let server = TestServer::start().await;
    let v2 = server.get_json("/api/v2/instance").await;
    assert_eq!(
        keys(&v2),
        [
            "api_versions",
            "configuration",
            "contact",
            "description",
            "domain",
            "icon",
            "languages",
            "registrations",
            "rules",
            "source_url",
            "thumbnail",
            "title",
            "usage",
            "version"
        ]
    );
    assert_eq!(
        keys(&v2["configuration"]),
        [
            "accounts",
            "limited_federation",
            "media_attachments",
            "polls",
            "statuses",
            "timelines_access",
            "translation",
            "urls",
            "vapid"
        ]
    );
    assert_eq!(
        keys(&v2["configuration"]["urls"]),
        ["about", "privacy_policy", "status", "streaming", "terms_of_service"]
    );
    assert_eq!(
        keys(&v2["registrations"]),
        ["approval_required", "enabled", "message", "min_age", "reason_required", "url"]
    );
    assert_eq!(keys(&v2["contact"]), ["account", "email"]);

    let domain = server.base_url.trim_start_matches("http://");
    assert_eq!(v2["domain"], domain);
    assert_eq!(v2["title"], "Rookery");
    assert_eq!(v2["version"], format!("4.5.0 (compatible; Rookery {})", env!("CARGO_PKG_VERSION")));
    assert_eq!(v2["api_versions"]["mastodon"], 7);
    assert_eq!(v2["configuration"]["urls"]["streaming"], format!("ws://{domain}"));
    assert_eq!(v2["configuration"]["statuses"]["max_characters"], 500);
    assert_eq!(v2["configuration"]["statuses"]["characters_reserved_per_url"], 23);
    assert_eq!(v2["configuration"]["media_attachments"]["image_size_limit"], 16_777_216);
    assert_eq!(v2["configuration"]["polls"]["max_options"], 4);
    assert_eq!(v2["registrations"]["enabled"], false, "closed by default");
    assert_eq!(v2["usage"]["users"]["active_month"], 0);
    assert_eq!(v2["rules"], serde_json::json!([]));
    assert!(v2["contact"]["account"].is_null(), "no admin yet");

    // Every URL it hands out answers.
    let thumbnail = v2["thumbnail"]["url"].as_str().unwrap();
    let response = server.http.get(thumbnail).send().await.unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "image/png");
}

#[tokio::test]
async fn v1_is_what_megalodon_reads_and_counts_are_live() {
    let server = TestServer::start().await;
    server.create_account("root_admin", "a@example.org", "admin");
    server.cli_ok(&["admin", "account", "create", "--username", "bob", "--email", "b@example.org"]);

    let client = generator(SNS::Mastodon, server.base_url.clone(), None, None).unwrap();
    let response = client.get_instance().await.expect("megalodon parses our v1 instance");
    let instance = response.json;
    assert_eq!(instance.uri, server.base_url.trim_start_matches("http://"));
    assert_eq!(instance.stats.user_count, 2);
    assert_eq!(instance.stats.status_count, 0);
    assert!(instance.version.starts_with("4.5.0 (compatible; Rookery "));
    assert_eq!(instance.configuration.statuses.max_characters, 500);
    let contact = instance.contact_account.expect("the oldest admin is the contact");
    assert_eq!(contact.username, "root_admin");
    assert_eq!(contact.acct, "root_admin");

    let v1 = server.get("/api/v1/instance").await;
    assert_eq!(v1.headers()["deprecation"], "@1668384000");
    let v1: Value = v1.json().await.unwrap();
    let account = &v1["contact_account"];
    assert!(account["id"].is_string(), "ids are strings");
    assert_eq!(account["created_at"].as_str().unwrap().get(10..), Some("T00:00:00.000Z"), "midnight, as Mastodon");
    for field in ["avatar", "avatar_static", "header", "header_static"] {
        let url = account[field].as_str().unwrap();
        assert_eq!(server.http.get(url).send().await.unwrap().status(), 200, "{field} {url}");
    }
}

#[tokio::test]
async fn reflects_the_operators_settings() {
    let server = TestServer::start_with(|s| {
        s.title = Some("Birds of a Feather".into());
        s.description = Some("A small server for birders".into());
        s.contact_email = Some("admin@birds.example".into());
        s.contact_username = Some("warden".into());
        s.registrations = Some("approval".into());
        s.languages = Some("en, fr".into());
        s.source_url = Some("https://code.example/rookery".into());
    })
    .await;
    server.create_account("first_admin", "f@example.org", "admin");
    server.create_account("warden", "w@example.org", "moderator");

    let v2 = server.get_json("/api/v2/instance").await;
    assert_eq!(v2["title"], "Birds of a Feather");
    assert_eq!(v2["description"], "A small server for birders");
    assert_eq!(v2["source_url"], "https://code.example/rookery");
    assert_eq!(v2["languages"], serde_json::json!(["en", "fr"]));
    assert_eq!(v2["registrations"]["enabled"], true);
    assert_eq!(v2["registrations"]["approval_required"], true);
    assert_eq!(v2["contact"]["email"], "admin@birds.example");
    assert_eq!(v2["contact"]["account"]["username"], "warden", "the configured contact wins");
    assert_eq!(v2["contact"]["account"]["roles"][0]["name"], "Moderator");

    let v1 = server.get_json("/api/v1/instance").await;
    assert_eq!(v1["registrations"], true);
    assert_eq!(v1["approval_required"], true);
    assert_eq!(v1["email"], "admin@birds.example");
    assert_eq!(v1["short_description"], "A small server for birders");
}
