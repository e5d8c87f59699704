//! The website's settings: editing the profile with an avatar, and account security:
//! changing the password, signing other browsers out, revoking an application.

use reqwest::StatusCode;
use reqwest::multipart::{Form, Part};

use crate::media::ROTATED_WITH_GPS;
use crate::oauth::{OOB, token_request, user_token, user_token_and_app};
use crate::statuses::call;
use crate::support::TestServer;
use crate::support::browser::Authorized;
use crate::support::browser::{Browser, form, hidden_fields};

#[tokio::test]
async fn the_profile_form_saves_name_bio_fields_avatar_and_locking() {
    let server = TestServer::start().await;
    let password = server.create_account("alice", "alice@example.org", "user");
    let token = user_token(&server, "alice@example.org", &password, "read").await;
    let mut browser = Browser::new(&server.base_url);
    browser.sign_in("alice@example.org", &password).await;
    let (status, settings, _) = browser.get("/settings/profile").await;
    assert_eq!(status, 200);
    let mut multipart = Form::new();
    for (name, value) in hidden_fields(form(&settings, "/settings/profile")) {
        multipart = multipart.text(name, value);
    }
    let multipart = multipart
        .text("display_name", "Alice Gardener")
        .text("note", "Grows #garlic")
        .text("field_name_0", "Website")
        .text("field_value_0", "https://alice.example/")
        .text("locked", "true")
        .part("avatar", Part::bytes(ROTATED_WITH_GPS.to_vec()).file_name("me.jpg"));
    let (status, _, location) = browser.post_multipart("/settings/profile", multipart).await;
    assert_eq!((status, location.as_deref()), (StatusCode::SEE_OTHER, Some("/settings/profile?saved=true")));

    let (_, me) = call(&server, "GET", "/api/v1/accounts/verify_credentials", &token, None).await;
    assert_eq!((me["display_name"].as_str(), me["locked"].as_bool()), (Some("Alice Gardener"), Some(true)));
    assert!(me["note"].as_str().unwrap().contains("#<span>garlic</span>"), "{me}");
    assert_eq!(me["fields"][0]["name"], "Website");
    assert!(!me["avatar"].as_str().unwrap().ends_with("missing.png"), "{me}");
    let (_, settings, _) = browser.get("/settings/profile?saved=true").await;
    assert!(settings.contains("Your profile was saved.") && settings.contains("value=\"Alice Gardener\""));
    assert!(settings.contains(">Grows #garlic</textarea>") && settings.contains("checked"), "{settings}");
}

#[tokio::test]
async fn account_security_changes_the_password_and_revokes_browsers_and_apps() {
    let server = TestServer::start().await;
    let password = server.create_account("alice", "alice@example.org", "user");
    let (token, client_id, client_secret) = user_token_and_app(&server, "alice@example.org", &password, "read").await;
    // A second approval of the same app whose code is not exchanged yet.
    let url = format!("/oauth/authorize?response_type=code&client_id={client_id}&redirect_uri={OOB}&scope=read");
    let Authorized::Code(code) = Browser::new(&server.base_url).authorize(&url, "alice@example.org", &password).await
    else {
        panic!("OOB shows the code")
    };
    let (mut laptop, mut phone) = (Browser::new(&server.base_url), Browser::new(&server.base_url));
    laptop.sign_in("alice@example.org", &password).await;
    phone.sign_in("alice@example.org", &password).await;

    let (status, security, _) = laptop.get("/settings/security").await;
    assert_eq!(status, 200);
    // The laptop, the phone, and the two browsers that approved the app.
    assert_eq!(security.matches("Since ").count(), 4, "{security}");
    assert!(security.contains("(this browser)"));
    // Sign the phone out from the laptop: newest first, so its form comes first.
    let phone_session = security.split("/settings/sessions/").nth(1).unwrap().split('/').next().unwrap().to_owned();
    laptop.press(&security, &format!("/settings/sessions/{phone_session}/revoke")).await;
    let (_, front, _) = phone.get("/").await;
    assert!(!front.contains("<h1>Home</h1>"), "the phone is signed out");

    // The app the token belongs to is listed; revoking it ends the token.
    let (_, security, _) = laptop.get("/settings/security").await;
    let app_id = security.split("/settings/applications/").nth(1).unwrap().split('/').next().unwrap().to_owned();
    assert_eq!(call(&server, "GET", "/api/v1/accounts/verify_credentials", &token, None).await.0, 200);
    laptop.press(&security, &format!("/settings/applications/{app_id}/revoke")).await;
    assert_eq!(call(&server, "GET", "/api/v1/accounts/verify_credentials", &token, None).await.0, 401);
    let exchange = [
        ("grant_type", "authorization_code"),
        ("code", code.as_str()),
        ("client_id", client_id.as_str()),
        ("client_secret", client_secret.as_str()),
        ("redirect_uri", OOB),
    ];
    let (status, refused) = token_request(&server, &exchange).await;
    assert_eq!((status, refused["error"].as_str()), (400, Some("invalid_grant")), "the waiting code went too");
    let (_, security, _) = laptop.get("/settings/security").await;
    assert!(security.contains("No applications have access."));

    // A wrong current password changes nothing; the right one changes it.
    let mut fields = hidden_fields(form(&security, "/settings/password"));
    fields.push(("current_password".into(), "not it at all".into()));
    fields.push(("password".into(), "a new long password".into()));
    let (status, _, _) = laptop.post_form("/settings/password", &fields).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    phone.sign_in("alice@example.org", &password).await;
    fields[1].1 = password.clone();
    let (status, _, location) = laptop.post_form("/settings/password", &fields).await;
    assert_eq!((status, location.as_deref()), (StatusCode::SEE_OTHER, Some("/settings/security?done=password")));
    let (_, home, _) = laptop.get("/").await;
    assert!(home.contains("<h1>Home</h1>"), "the browser that changed it stays signed in");
    let (_, front, _) = phone.get("/").await;
    assert!(!front.contains("<h1>Home</h1>"), "other browsers are signed out");
    phone.sign_in("alice@example.org", "a new long password").await;
}
