//! Invite links and moderators' handling of sign-ups: invite-only servers, uses and
//! expiry, approval and rejection through the admin API, admin.sign_up notifications.

use serde_json::{Value, json};

use crate::domain_blocks::admin;
use crate::registrations::{app_token, person, sign_up};
use crate::statuses::call;
use crate::support::TestServer;
use crate::support::browser::{Browser, hidden_fields};

fn code_of(link: &str) -> String {
    link.trim().rsplit('/').next().unwrap().to_owned()
}

async fn verify(server: &TestServer, created: &Value) -> u16 {
    let token = created["access_token"].as_str().unwrap();
    call(server, "GET", "/api/v1/accounts/verify_credentials", token, None).await.0
}

#[tokio::test]
async fn an_invite_only_server_lets_in_those_with_a_good_invite() {
    let server = TestServer::start_with(|s| s.registrations = Some("invite".into())).await;
    let token = app_token(&server).await;
    assert_eq!(sign_up(&server, &token, person("dana")).await.0, 403);
    assert_eq!(server.get("/auth/sign_up").await.status(), 403);

    let link = server.cli_ok(&["admin", "invite", "create", "--max-uses", "1"]);
    assert!(link.trim().starts_with(&format!("{}/invite/", server.base_url)), "{link}");
    let code = code_of(&link);
    let mut body = person("dana");
    body["invite_code"] = json!(code);
    let (status, created) = sign_up(&server, &token, body.clone()).await;
    assert_eq!(status, 200, "{created}");
    assert_eq!(verify(&server, &created).await, 200, "an invited sign-up needs no approval");
    let mut again = person("erin");
    again["invite_code"] = json!(code);
    let (status, error) = sign_up(&server, &token, again).await;
    assert_eq!(status, 422, "used up: {error}");
    assert_eq!(error["details"]["invite_code"][0]["error"], "ERR_INVALID");

    // The invite link's page, as a person uses it.
    let link = server.cli_ok(&["admin", "invite", "create"]);
    let mut browser = Browser::new(&server.base_url);
    let (status, page, _) = browser.get(&format!("/invite/{}", code_of(&link))).await;
    assert_eq!(status, 200, "{page}");
    let mut fields = hidden_fields(&page);
    assert!(fields.iter().any(|(k, v)| k == "invite_code" && *v == code_of(&link)));
    for (k, v) in
        [("username", "gil"), ("email", "gil@example.org"), ("password", "another good one"), ("agreement", "1")]
    {
        fields.push((k.into(), v.into()));
    }
    let (status, page, _) = browser.post_form("/auth/sign_up", &fields).await;
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("@gil is ready"), "{page}");

    // Expired and revoked invites let nobody in. (Sign-ups are limited to five per
    // address per half hour, so the revoked one is checked on the page.)
    let short = code_of(&server.cli_ok(&["admin", "invite", "create", "--expires-in", "1"]));
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    let mut body = person("ivy");
    body["invite_code"] = json!(short);
    assert_eq!(sign_up(&server, &token, body).await.0, 422);
    server.cli_ok(&["admin", "invite", "revoke", &code_of(&link)]);
    assert!(
        server
            .cli_ok(&["admin", "invite", "list"])
            .lines()
            .any(|l| l.contains(&code_of(&link)) && l.ends_with("revoked"))
    );
    assert!(server.cli_err(&["admin", "invite", "create", "--max-uses", "0"]).contains("Max uses"));
}

#[tokio::test]
async fn moderators_hear_of_sign_ups_and_approve_or_reject_them() {
    let server = TestServer::start_with(|s| s.registrations = Some("approval".into())).await;
    let boss = admin(&server, "boss").await;
    let token = app_token(&server).await;
    let (_, hal) = sign_up(&server, &token, person("hal")).await;
    sign_up(&server, &token, person("ivy")).await;
    assert_eq!(verify(&server, &hal).await, 403);

    let (_, heard) = call(&server, "GET", "/api/v1/notifications?types[]=admin.sign_up", &boss.token, None).await;
    let names: Vec<&str> =
        heard.as_array().unwrap().iter().map(|n| n["account"]["username"].as_str().unwrap()).collect();
    assert_eq!(names, ["ivy", "hal"]);
    let (_, pending) = call(&server, "GET", "/api/v1/admin/accounts?pending=true", &boss.token, None).await;
    assert_eq!(pending.as_array().unwrap().len(), 2, "{pending}");
    let id_of = |name: &str| pending.as_array().unwrap().iter().find(|a| a["username"] == name).unwrap()["id"].clone();
    let (hal_id, ivy_id) = (id_of("hal"), id_of("ivy"));

    let path = |id: &Value, what: &str| format!("/api/v1/admin/accounts/{}/{what}", id.as_str().unwrap());
    let (status, approved) = call(&server, "POST", &path(&hal_id, "approve"), &boss.token, None).await;
    assert_eq!((status, approved["approved"].clone()), (200, json!(true)), "{approved}");
    assert_eq!(verify(&server, &hal).await, 200);
    assert_eq!(call(&server, "POST", &path(&hal_id, "reject"), &boss.token, None).await.0, 422, "already in");
    assert_eq!(call(&server, "POST", &path(&ivy_id, "reject"), &boss.token, None).await.0, 200);
    assert_eq!(call(&server, "GET", &path(&ivy_id, ""), &boss.token, None).await.0, 404);
    assert!(!server.cli_ok(&["admin", "account", "list"]).contains("ivy"));

    // With an invite, approval mode lets the person in at once.
    let mut body = person("jo");
    body["invite_code"] = json!(code_of(&server.cli_ok(&["admin", "invite", "create"])));
    let (_, jo) = sign_up(&server, &token, body).await;
    assert_eq!(verify(&server, &jo).await, 200);
}
