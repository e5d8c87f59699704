//! The moderation pages, driven by a moderator's browser: handling a report by limiting
//! the account, approving a sign-up, blocking a domain, adding a rule, and the audit
//! log that records it all; people without a staff role are kept out.

use reqwest::StatusCode;
use serde_json::json;

use crate::registrations::{app_token, person, sign_up};
use crate::statuses::{call, post, user};
use crate::support::TestServer;
use crate::support::browser::{Browser, form, hidden_fields};

async fn moderator_browser(server: &TestServer) -> Browser {
    let password = server.create_account("mia", "mia@example.org", "moderator");
    let mut browser = Browser::new(&server.base_url);
    browser.sign_in("mia@example.org", &password).await;
    browser
}

#[tokio::test]
async fn a_moderator_handles_a_report_from_the_website() {
    let server = TestServer::start().await;
    let (bob, carol) = (user(&server, "bob").await, user(&server, "carol").await);
    let spam = post(&server, &bob, json!({"status": "Buy cheap watches"})).await;
    let body = json!({"account_id": bob.id, "status_ids": [spam["id"]], "comment": "spam again", "category": "spam"});
    let (status, report) = call(&server, "POST", "/api/v1/reports", &carol.token, Some(body)).await;
    assert_eq!(status, 200, "{report}");
    let report_id = report["id"].as_str().unwrap();

    // A person without a staff role is not let in.
    let password = server.create_account("dave", "dave@example.org", "user");
    let mut dave = Browser::new(&server.base_url);
    dave.sign_in("dave@example.org", &password).await;
    assert_eq!(dave.get("/admin/reports").await.0, StatusCode::FORBIDDEN);
    assert_eq!(Browser::new(&server.base_url).get("/admin/reports").await.0, StatusCode::SEE_OTHER);

    let mut mia = moderator_browser(&server).await;
    let (status, reports, _) = mia.get("/admin/reports").await;
    assert_eq!(status, 200);
    assert!(
        reports.contains(&format!("href=\"/admin/reports/{report_id}\"")) && reports.contains("spam again"),
        "{reports}"
    );
    let (_, page, _) = mia.get(&format!("/admin/reports/{report_id}")).await;
    assert!(page.contains("Buy cheap watches") && page.contains("@carol"), "{page}");
    mia.press(&page, &format!("/admin/reports/{report_id}/assign_to_self")).await;

    // Limit the account, naming the report: the report is resolved with it.
    let (_, account, _) = mia.get(&format!("/admin/accounts/{}?report_id={report_id}", bob.id)).await;
    let limit = form(&account, &format!("/admin/accounts/{}/silence", bob.id));
    assert!(limit.contains(&format!("name=\"report_id\" value=\"{report_id}\"")));
    let (status, _, _) = mia.post_form(&format!("/admin/accounts/{}/silence", bob.id), &hidden_fields(limit)).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (_, account, _) = mia.get(&format!("/admin/accounts/{}", bob.id)).await;
    assert!(account.contains("<span class=\"badge\">limited</span>") && account.contains("Undo limit"), "{account}");
    let (_, open, _) = mia.get("/admin/reports").await;
    assert!(open.contains("No open reports."), "{open}");
    let (_, resolved, _) = mia.get("/admin/reports?resolved=true").await;
    assert!(resolved.contains(&format!("#{report_id}")));
    let (_, log, _) = mia.get("/admin/action_logs").await;
    assert!(log.contains("@mia") && log.contains("silence"), "{log}");
}

#[tokio::test]
async fn moderators_approve_sign_ups_and_admins_set_domain_blocks_and_rules() {
    let server = TestServer::start_with(|s| s.registrations = Some("approval".into())).await;
    let token = app_token(&server).await;
    let (status, _) = sign_up(&server, &token, person("newbie")).await;
    assert_eq!(status, 200);
    let mut mia = moderator_browser(&server).await;
    let (_, pending, _) = mia.get("/admin/accounts?status=pending").await;
    assert!(pending.contains("@newbie") && pending.contains("waiting for approval"), "{pending}");
    let id = pending.split("href=\"/admin/accounts/").nth(1).unwrap().split('"').next().unwrap().to_owned();
    let (_, account, _) = mia.get(&format!("/admin/accounts/{id}")).await;
    mia.press(&account, &format!("/admin/accounts/{id}/approve")).await;
    let mut newbie = Browser::new(&server.base_url);
    newbie.sign_in("newbie@example.org", "a good password").await;

    // Domain blocks are for admins, as Mastodon's "manage federation": a moderator's
    // attempt changes nothing.
    assert_eq!(mia.get("/admin/domain_blocks").await.0, StatusCode::FORBIDDEN);
    let (_, rules, _) = mia.get("/admin/rules").await;
    let mut fields = hidden_fields(form(&rules, "/admin/rules"));
    fields.extend([("domain".into(), "spam.example".into()), ("severity".into(), "suspend".into())]);
    assert_eq!(mia.post_form("/admin/domain_blocks", &fields).await.0, StatusCode::FORBIDDEN);

    let password = server.create_account("ada", "ada@example.org", "admin");
    let mut ada = Browser::new(&server.base_url);
    ada.sign_in("ada@example.org", &password).await;
    let (_, federation, _) = ada.get("/admin/domain_blocks").await;
    assert!(federation.contains("No domains are blocked."));
    let mut fields = hidden_fields(form(&federation, "/admin/domain_blocks"));
    fields.extend([
        ("domain".into(), "spam.example".into()),
        ("severity".into(), "suspend".into()),
        ("public_comment".into(), "Spam factory".into()),
    ]);
    assert_eq!(ada.post_form("/admin/domain_blocks", &fields).await.0, StatusCode::SEE_OTHER);
    let (_, federation, _) = ada.get("/admin/domain_blocks").await;
    assert!(federation.contains("<td>spam.example</td>") && federation.contains("Spam factory"), "{federation}");
    let block_id = federation.split("/admin/domain_blocks/").nth(1).unwrap().split('/').next().unwrap().to_owned();

    let (_, rules, _) = ada.get("/admin/rules").await;
    let mut fields = hidden_fields(form(&rules, "/admin/rules"));
    fields.extend([("text".into(), "Be kind".into()), ("hint".into(), "No harassment".into())]);
    assert_eq!(ada.post_form("/admin/rules", &fields).await.0, StatusCode::SEE_OTHER);
    let listed = server.get_json("/api/v1/instance/rules").await;
    assert_eq!(listed[0]["text"], "Be kind");

    let (_, federation, _) = ada.get("/admin/domain_blocks").await;
    ada.press(&federation, &format!("/admin/domain_blocks/{block_id}/delete")).await;
    let (_, federation, _) = ada.get("/admin/domain_blocks").await;
    assert!(federation.contains("No domains are blocked."));
    let (_, log, _) = ada.get("/admin/action_logs").await;
    assert!(log.contains("@ada") && log.contains("@mia") && log.contains("spam.example"), "{log}");
}

#[tokio::test]
async fn a_person_reports_a_post_from_the_website_and_lists_follows() {
    let server = TestServer::start().await;
    let password = server.create_account("alice", "alice@example.org", "user");
    let bob = user(&server, "bob").await;
    let mia = crate::domain_blocks::admin(&server, "mia").await;
    server.cli_ok(&["admin", "rule", "add", "No spam"]);
    let rules = server.get_json("/api/v1/instance/rules").await;
    let rule_id = rules[0]["id"].as_str().unwrap().to_owned();
    let spam = post(&server, &bob, json!({"status": "Buy cheap watches"})).await;
    let spam_id = spam["id"].as_str().unwrap();
    let mut browser = Browser::new(&server.base_url);
    browser.sign_in("alice@example.org", &password).await;

    let (_, thread, _) = browser.get(&format!("/@bob/{spam_id}")).await;
    let report_path = format!("/web/accounts/{}/report", bob.id);
    assert!(thread.contains(&format!("{report_path}?status_id={spam_id}")), "posts carry a report link");
    let (status, page, _) = browser.get(&format!("{report_path}?status_id={spam_id}")).await;
    assert_eq!(status, 200);
    assert!(page.contains(&format!("value=\"{spam_id}\" checked")), "the post is chosen: {page}");
    let mut fields = hidden_fields(form(&page, &report_path));
    fields.extend([
        ("category".into(), "violation".into()),
        ("rule_ids[]".into(), rule_id.clone()),
        ("status_ids[]".into(), spam_id.to_owned()),
        ("comment".into(), "again and again".into()),
    ]);
    let (status, done, _) = browser.post_form(&report_path, &fields).await;
    assert_eq!(status, 200);
    assert!(done.contains("will look at your report"), "{done}");
    let (_, reports) = call(&server, "GET", "/api/v1/admin/reports", &mia.token, None).await;
    let report = &reports[0];
    assert_eq!((report["category"].as_str(), report["comment"].as_str()), (Some("violation"), Some("again and again")));
    assert_eq!(
        (report["statuses"][0]["id"].as_str(), report["rules"][0]["id"].as_str()),
        (Some(spam_id), Some(rule_id.as_str()))
    );

    // The profile's counts lead to the lists of follows.
    let (_, bobs_page, _) = browser.get("/@bob").await;
    assert!(bobs_page.contains("href=\"/@bob/followers\""));
    browser.press(&bobs_page, &format!("/web/accounts/{}/follow", bob.id)).await;
    let (status, followers, _) = browser.get("/@bob/followers").await;
    assert_eq!(status, 200);
    assert!(followers.contains("href=\"/@alice\""), "{followers}");
    let (_, following, _) = browser.get("/@alice/following").await;
    assert!(following.contains("href=\"/@bob\""), "{following}");
}
