//! Reports: filed through the client API, checked, handled by moderators through the
//! admin API, forwarded to the reported account's server as a Flag from the instance.

use serde_json::{Value, json};

use crate::domain_blocks::admin;
use crate::federation::{domain, eventually, follow_across, peer};
use crate::statuses::{call, post, user};
use crate::support::TestServer;

#[tokio::test]
async fn a_report_is_checked_then_assigned_and_resolved_by_a_moderator() {
    let server = TestServer::start().await;
    let alice = user(&server, "alice").await;
    let bob = user(&server, "bob").await;
    let carol = user(&server, "carol").await;
    let boss = admin(&server, "boss").await;
    server.cli_ok(&["admin", "rule", "add", "No spam"]);
    let rule = server.get_json("/api/v1/instance/rules").await[0]["id"].clone();
    let bobs = post(&server, &bob, json!({"status": "buy now"})).await;
    let carols = post(&server, &carol, json!({"status": "hello"})).await;
    let file = |body: Value| call(&server, "POST", "/api/v1/reports", &alice.token, Some(body));

    for (bad, expected) in [
        (json!({"account_id": "424242"}), 404),
        (json!({"account_id": bob.id, "status_ids": [carols["id"]]}), 404),
        (json!({"account_id": bob.id, "category": "rudeness"}), 422),
        (json!({"account_id": bob.id, "rule_ids": ["99"]}), 422),
        (json!({"account_id": bob.id, "comment": "x".repeat(1001)}), 422),
        (json!({"account_id": alice.id}), 422),
    ] {
        let (status, error) = file(bad.clone()).await;
        assert_eq!(status, expected, "{bad}: {error}");
    }
    let (status, report) =
        file(json!({"account_id": bob.id, "status_ids": [bobs["id"]], "comment": "spam", "rule_ids": [rule]})).await;
    assert_eq!(status, 200, "{report}");
    assert_eq!(report["category"], "violation");
    assert_eq!(report["status_ids"], json!([bobs["id"]]));
    assert_eq!(report["rule_ids"], json!([rule]));
    assert_eq!(report["target_account"]["id"], bob.id.as_str());
    assert_eq!((report["action_taken"].clone(), report["forwarded"].clone()), (json!(false), json!(false)));

    // Only staff reach the reports; nothing but the one good report was made.
    let id = report["id"].as_str().unwrap();
    for (method, path) in [
        ("GET", "/api/v1/admin/reports".to_owned()),
        ("GET", format!("/api/v1/admin/reports/{id}")),
        ("POST", format!("/api/v1/admin/reports/{id}/assign_to_self")),
        ("POST", format!("/api/v1/admin/reports/{id}/unassign")),
        ("POST", format!("/api/v1/admin/reports/{id}/resolve")),
        ("POST", format!("/api/v1/admin/reports/{id}/reopen")),
    ] {
        assert_eq!(call(&server, method, &path, &alice.token, None).await.0, 403, "{method} {path}");
    }
    let (_, open) = call(&server, "GET", "/api/v1/admin/reports", &boss.token, None).await;
    assert_eq!(open.as_array().unwrap().len(), 1, "{open}");
    assert_eq!(open[0]["account"]["account"]["id"], alice.id.as_str());
    assert_eq!(open[0]["target_account"]["username"], "bob");
    assert_eq!(open[0]["statuses"][0]["id"], bobs["id"]);
    assert_eq!(open[0]["rules"][0]["text"], "No spam");

    let act = |what: &str| {
        let path = format!("/api/v1/admin/reports/{id}/{what}");
        let token = boss.token.clone();
        let server = &server;
        async move { call(server, "POST", &path, &token, None).await }
    };
    let (_, assigned) = act("assign_to_self").await;
    assert_eq!(assigned["assigned_account"]["id"], boss.id.as_str());
    let (_, resolved) = act("resolve").await;
    assert_eq!(resolved["action_taken"], true);
    assert_eq!(resolved["action_taken_by_account"]["id"], boss.id.as_str());
    assert_eq!(call(&server, "GET", "/api/v1/admin/reports", &boss.token, None).await.1, json!([]));
    let (_, done) = call(&server, "GET", "/api/v1/admin/reports?resolved=true", &boss.token, None).await;
    assert_eq!(done.as_array().unwrap().len(), 1);
    assert_eq!(act("reopen").await.1["action_taken"], false);

    // Acting on the reported account with the report named resolves it.
    let action = format!("/api/v1/admin/accounts/{}/action", bob.id);
    let body = json!({"type": "sensitive", "report_id": id});
    assert_eq!(call(&server, "POST", &action, &boss.token, Some(body)).await.0, 200);
    let (_, shown) = call(&server, "GET", &format!("/api/v1/admin/reports/{id}"), &boss.token, None).await;
    assert_eq!(shown["action_taken"], true);
    assert_eq!(shown["target_account"]["sensitized"], true);
    let body = json!({"type": "silence", "report_id": "4242"});
    assert_eq!(call(&server, "POST", &action, &boss.token, Some(body)).await.0, 404, "a missing report");
    let (_, target) = call(&server, "GET", &format!("/api/v1/admin/accounts/{}", bob.id), &boss.token, None).await;
    assert_eq!(target["silenced"], false, "nothing half-applied");
    assert_eq!(act("reopen").await.1["action_taken"], false);
    assert_eq!(call(&server, "POST", "/api/v1/admin/reports/4242/resolve", &boss.token, None).await.0, 404);
    let log = server.cli_ok(&["admin", "log"]);
    assert!(log.contains(&format!("resolve Report {id}")) && log.contains("assigned_to_self"), "{log}");

    // The same from the command line.
    let listed = server.cli_ok(&["admin", "report", "list"]);
    assert!(
        listed.contains(&format!("{id} ")) && listed.contains("alice reported bob (violation, 1 posts): spam"),
        "{listed}"
    );
    server.cli_ok(&["admin", "report", "resolve", id]);
    assert!(!server.cli_ok(&["admin", "report", "list"]).contains(id));
    assert!(server.cli_ok(&["admin", "report", "list", "--resolved"]).contains(id));
}

#[tokio::test]
async fn a_forwarded_report_reaches_the_other_server_anonymously_unless_it_rejects_reports() {
    let a = peer().await;
    let b = peer().await;
    let alice = user(&a, "alice").await;
    let bob = user(&b, "bob").await;
    let boss = admin(&b, "boss").await;
    let bob_here = follow_across(&a, &alice, "bob", &b).await;
    let bobs = post(&b, &bob, json!({"status": "something bad"})).await;
    let seen = eventually("bob's post at a", || async {
        let (_, home) = call(&a, "GET", "/api/v1/timelines/home", &alice.token, None).await;
        home.as_array().and_then(|h| h.iter().find(|s| s["uri"] == bobs["uri"]).cloned())
    })
    .await;

    let body = json!({"account_id": bob_here, "status_ids": [seen["id"]], "comment": "please look", "forward": true});
    let (status, report) = call(&a, "POST", "/api/v1/reports", &alice.token, Some(body)).await;
    assert_eq!((status, report["forwarded"].clone()), (200, json!(true)), "{report}");
    let there = eventually("the Flag at b", || async {
        let (_, list) = call(&b, "GET", "/api/v1/admin/reports", &boss.token, None).await;
        list.as_array().and_then(|l| l.first().cloned())
    })
    .await;
    assert_eq!(there["comment"], "please look");
    assert_eq!(there["target_account"]["id"], bob.id.as_str());
    assert_eq!(there["statuses"][0]["id"], bobs["id"]);
    // From the server, not from alice.
    assert_eq!(there["account"]["domain"], domain(&a));
    assert_ne!(there["account"]["username"], "alice");

    let body = json!({"domain": domain(&a), "severity": "noop", "reject_reports": true});
    assert_eq!(call(&b, "POST", "/api/v1/admin/domain_blocks", &boss.token, Some(body)).await.0, 200);
    let body = json!({"account_id": bob_here, "comment": "again", "forward": true});
    assert_eq!(call(&a, "POST", "/api/v1/reports", &alice.token, Some(body)).await.0, 200);
    tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
    let (_, list) = call(&b, "GET", "/api/v1/admin/reports", &boss.token, None).await;
    assert_eq!(list.as_array().unwrap().len(), 1, "{list}");
}

#[tokio::test]
async fn a_moderator_removes_a_post_here_and_on_the_servers_that_had_it() {
    let a = peer().await;
    let b = peer().await;
    let alice = user(&a, "alice").await;
    let bob = user(&b, "bob").await;
    let alice_there = follow_across(&b, &bob, "alice", &a).await;
    let posted = post(&a, &alice, json!({"status": "against the rules"})).await;
    let path = format!("/api/v1/accounts/{alice_there}/statuses");
    eventually("alice's post at b", || async {
        let (_, list) = call(&b, "GET", &path, &bob.token, None).await;
        (list.as_array().unwrap().len() == 1).then_some(Value::Null)
    })
    .await;

    a.cli_ok(&["admin", "delete-status", "--id", posted["id"].as_str().unwrap()]);
    let own = format!("/api/v1/statuses/{}", posted["id"].as_str().unwrap());
    assert_eq!(call(&a, "GET", &own, &alice.token, None).await.0, 404);
    eventually("the post gone at b", || async {
        let (_, list) = call(&b, "GET", &path, &bob.token, None).await;
        list.as_array().unwrap().is_empty().then_some(Value::Null)
    })
    .await;
    assert!(a.cli_ok(&["admin", "log"]).contains("operator: destroy Status"));
    assert!(a.cli_err(&["admin", "delete-status", "--id", "4242"]).contains("no such status"));
}
