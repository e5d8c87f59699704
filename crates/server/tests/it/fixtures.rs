//! Activities as Mastodon, GoToSocial, Misskey, Akkoma, Lemmy, PeerTube and WriteFreely
//! send them (`tests/fixtures/activities`, whose README says where each shape comes
//! from): a mock peer serves that server's actor document, signs each activity with the
//! key id that server uses, posts it to Rookery's inbox, and the effect `expected.json`
//! names is checked through the client API.

use std::collections::{HashMap, HashSet};

use serde_json::{Value, json};

use crate::federation::{eventually, peer};
use crate::statuses::{User, call, user};
use crate::support::TestServer;
use crate::support::mock_peer::MockPeer;

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/activities");

fn load(file: &str) -> Value {
    let text = std::fs::read_to_string(format!("{FIXTURES}/{file}")).unwrap_or_else(|e| panic!("{file}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{file}: {e}"))
}

/// Replaces every `{{name}}` inside string values.
fn fill(value: &Value, vars: &[(String, String)]) -> Value {
    match value {
        Value::String(s) => {
            let mut s = s.clone();
            for (name, replacement) in vars {
                s = s.replace(&format!("{{{{{name}}}}}"), replacement);
            }
            assert!(!s.contains("{{"), "an unknown placeholder in {s}");
            Value::String(s)
        }
        Value::Array(items) => Value::Array(items.iter().map(|v| fill(v, vars)).collect()),
        Value::Object(map) => Value::Object(map.iter().map(|(k, v)| (k.clone(), fill(v, vars))).collect()),
        other => other.clone(),
    }
}

/// `/path` of `http://host:port/path`.
fn path_of(url: &str) -> String {
    let after_scheme = url.split_once("://").map_or(url, |(_, rest)| rest);
    after_scheme.find('/').map_or("/".to_owned(), |i| after_scheme[i..].split(['?', '#']).next().unwrap().to_owned())
}

/// One server family's run: a Rookery server, its user bob, and the mock peer.
struct Run {
    server: TestServer,
    bob: User,
    mock: MockPeer,
    vars: Vec<(String, String)>,
    /// Account ids at Rookery of the signers ("actor", "group").
    accounts: HashMap<String, String>,
    local_note_id: String,
    /// Statuses seen, by their ActivityPub id.
    statuses: HashMap<String, String>,
}

impl Run {
    fn var(&self, name: &str) -> String {
        self.vars.iter().find(|(n, _)| n == name).map(|(_, v)| v.clone()).unwrap()
    }

    async fn get(&self, path: &str) -> (u16, Value) {
        call(&self.server, "GET", path, &self.bob.token, None).await
    }

    async fn relationship(&self, signer: &str) -> Value {
        self.get(&format!("/api/v1/accounts/relationships?id[]={}", self.accounts[signer])).await.1[0].clone()
    }

    /// Bob asks to follow `signer`; returns the Follow's id once it reached the peer.
    async fn pending_follow(&self, signer: &str) -> String {
        let seen: HashSet<String> =
            self.mock.received().iter().filter_map(|a| a["id"].as_str().map(str::to_owned)).collect();
        let path = format!("/api/v1/accounts/{}/follow", self.accounts[signer]);
        let (status, body) = call(&self.server, "POST", &path, &self.bob.token, None).await;
        assert_eq!(status, 200, "{body}");
        let follow = eventually("bob's Follow at the peer", || async {
            self.mock
                .received()
                .into_iter()
                .find(|a| a["type"] == "Follow" && a["id"].as_str().is_some_and(|id| !seen.contains(id)))
        })
        .await;
        follow["id"].as_str().unwrap().to_owned()
    }

    /// Bob follows `signer`, accepted by a plain Accept.
    async fn ensure_following(&self, signer: &str) {
        if self.relationship(signer).await["following"] == true {
            return;
        }
        let follow_id = self.pending_follow(signer).await;
        let uri = self.var(signer);
        let accept = json!({
            "@context": "https://www.w3.org/ns/activitystreams",
            "id": format!("{uri}#accepts/{}", self.var("id")), "type": "Accept", "actor": uri,
            "object": { "id": follow_id, "type": "Follow", "actor": self.var("local_actor"), "object": uri },
        });
        assert_eq!(self.mock.send(&self.server, signer, &accept).await.unwrap(), 202);
        eventually("bob's follow accepted", || async {
            (self.relationship(signer).await["following"] == true).then_some(Value::Null)
        })
        .await;
    }

    /// A status by its ActivityPub id, from the signer's profile or bob's mentions.
    async fn find_status(&self, signer: &str, uri: &str) -> Option<Value> {
        let (_, posts) = self.get(&format!("/api/v1/accounts/{}/statuses?limit=40", self.accounts[signer])).await;
        let (_, mentions) = self.get("/api/v1/notifications?types[]=mention&limit=40").await;
        let from_mentions = mentions.as_array().into_iter().flatten().map(|n| n["status"].clone());
        posts.as_array().into_iter().flatten().cloned().chain(from_mentions).find(|s| s["uri"] == uri)
    }
}

fn text_of(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&#39;", "'")
}

fn object_id(activity: &Value) -> String {
    match &activity["object"] {
        Value::String(s) => s.clone(),
        object => object["id"].as_str().unwrap_or_default().to_owned(),
    }
}

async fn start(family: &str) -> Run {
    let server = peer().await;
    let bob = user(&server, "bob").await;
    let (_, note) =
        call(&server, "POST", "/api/v1/statuses", &bob.token, Some(json!({ "status": "bob's post" }))).await;
    let mut mock = MockPeer::start(&[]).await;
    let entry = load("servers.json")[family].clone();
    let local_host = server.base_url.trim_start_matches("http://").to_owned();
    let mut vars: Vec<(String, String)> = vec![
        ("peer".into(), mock.base.clone()),
        ("peer_host".into(), mock.base.trim_start_matches("http://").to_owned()),
        ("local_actor".into(), format!("{}/users/bob", server.base_url)),
        ("local_username".into(), "bob".into()),
        ("local_host".into(), local_host),
        ("local_note".into(), note["uri"].as_str().unwrap().to_owned()),
        (
            "id".into(),
            format!("t{}", std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_micros()),
        ),
    ];
    let mut signers = vec![("actor", entry["actor"].clone(), entry["key_id"].clone(), format!("{family}/actor.json"))];
    if let Some(doc) = entry["group_doc"].as_str() {
        signers.push(("group", entry["group"].clone(), entry["group_key_id"].clone(), doc.to_owned()));
    }
    for (name, uri, _, _) in &signers {
        let uri = fill(uri, &vars).as_str().unwrap().to_owned();
        vars.push(((*name).to_owned(), uri));
    }
    let mut actor_pem = String::new();
    for (name, _, key_id, doc) in &signers {
        let key_id = fill(key_id, &vars).as_str().unwrap().to_owned();
        let pem = mock.add_key(name, &key_id);
        if *name == "actor" {
            actor_pem = pem.clone();
        }
        let with_key: Vec<(String, String)> = [vars.clone(), vec![("public_key_pem".into(), pem.clone())]].concat();
        let uri = with_key.iter().find(|(n, _)| n == name).unwrap().1.clone();
        mock.publish(&path_of(&uri), fill(&load(doc), &with_key));
        if !key_id.contains('#') {
            // A key at a path of its own (GoToSocial's `/main-key`) serves a stub naming its owner.
            let stub =
                json!({ "@context": "https://w3id.org/security/v1", "id": key_id, "owner": uri, "publicKeyPem": pem });
            mock.publish(&path_of(&key_id), stub);
        }
    }
    // Activities that carry the actor (Update of a Person) carry its key too.
    vars.push(("public_key_pem".into(), actor_pem));
    let mut run = Run {
        server,
        bob,
        mock,
        vars,
        accounts: HashMap::new(),
        local_note_id: note["id"].as_str().unwrap().to_owned(),
        statuses: HashMap::new(),
    };
    for (name, _, _, _) in &signers {
        let path = format!("/api/v2/search?q={}&resolve=true&type=accounts", run.var(name));
        let (status, found) = run.get(&path).await;
        assert_eq!(status, 200, "{found}");
        let id = found["accounts"][0]["id"].as_str().unwrap_or_else(|| panic!("{family}: {name} not found: {found}"));
        run.accounts.insert((*name).to_owned(), id.to_owned());
    }
    run
}

/// The order to send a family's fixtures in: answers to bob's follow first (a rejection
/// before an acceptance), blocks and account deletions last; each after what it needs.
fn ordered(family: &str, expected: &serde_json::Map<String, Value>) -> Vec<String> {
    let rank = |file: &String| match expected[file]["effect"].as_str().unwrap() {
        "follow_rejected" => 0,
        "follow_accepted" => 1,
        "status_deleted" => 3,
        "blocked" | "unblocked" => 4,
        "account_deleted" => 5,
        _ => 2,
    };
    let mut files: Vec<String> = expected.keys().filter(|k| k.starts_with(&format!("{family}/"))).cloned().collect();
    files.sort_by_key(|f| (rank(f), f.clone()));
    let mut out: Vec<String> = Vec::new();
    fn visit(file: &str, expected: &serde_json::Map<String, Value>, out: &mut Vec<String>) {
        if out.iter().any(|f| f == file) {
            return;
        }
        for before in expected[file]["after"].as_array().into_iter().flatten() {
            visit(before.as_str().unwrap(), expected, out);
        }
        out.push(file.to_owned());
    }
    for file in &files {
        visit(file, expected, &mut out);
    }
    out
}

async fn family(family: &str) {
    let expected = load("expected.json");
    let expected = expected.as_object().unwrap();
    let mut run = start(family).await;
    for file in ordered(family, expected) {
        let wanted = &expected[&file];
        match wanted["requires"].as_str() {
            Some("local_follow_pending") => {
                let follow = run.pending_follow("actor").await;
                run.vars.retain(|(n, _)| n != "local_follow");
                run.vars.push(("local_follow".into(), follow));
            }
            Some("local_follows_actor") => run.ensure_following("actor").await,
            Some("local_follows_group") => run.ensure_following("group").await,
            _ => {}
        }
        let wanted = fill(wanted, &run.vars);
        for (url, pointer) in wanted["serve"].as_object().into_iter().flatten() {
            let (source, pointer) = pointer.as_str().unwrap().split_once('#').unwrap();
            let mut document = fill(&load(source), &run.vars).pointer(pointer).unwrap().clone();
            document["@context"] = json!("https://www.w3.org/ns/activitystreams");
            let url = fill(&json!(url), &run.vars);
            run.mock.publish(&path_of(url.as_str().unwrap()), document);
        }
        let activity = fill(&load(&file), &run.vars);
        let signer = if wanted["signer"] == "group" { "group" } else { "actor" };
        let status = run.mock.send(&run.server, signer, &activity).await;
        assert!(matches!(status, Ok(202)), "{file}: {status:?}");
        check(&mut run, &file, signer, &wanted, &activity).await;
    }
}

async fn check(run: &mut Run, file: &str, signer: &str, wanted: &Value, activity: &Value) {
    let what = format!("{file}: {}", wanted["effect"]);
    let uri = object_id(activity);
    let signer_id = run.accounts[signer].clone();
    let note_path = format!("/api/v1/statuses/{}", run.local_note_id);
    let contains = |list: &Value, id: &str| list.as_array().is_some_and(|l| l.iter().any(|a| a["id"] == id));
    match wanted["effect"].as_str().unwrap() {
        "status" | "status_updated" => {
            let found = eventually(&what, || async {
                let s = run.find_status(signer, &uri).await?;
                let text = format!("{} {}", s["content"], text_of(s["content"].as_str().unwrap_or_default()));
                text.contains(wanted["content_contains"].as_str().unwrap()).then_some(s)
            })
            .await;
            if let Some(visibility) = wanted.get("visibility") {
                assert_eq!(&found["visibility"], visibility, "{what}");
            }
            for field in ["spoiler_text", "sensitive"] {
                if let Some(value) = wanted.get(field) {
                    assert_eq!(&found[field], value, "{what}: {field}");
                }
            }
            if wanted["in_reply_to_local"] == true {
                assert_eq!(found["in_reply_to_id"], run.local_note_id.as_str(), "{what}");
            }
            if let Some(n) = wanted["poll_options"].as_u64() {
                // A Question is shown with its options in its text (no poll entity yet).
                let object = &activity["object"];
                let options = object["oneOf"].as_array().or(object["anyOf"].as_array()).unwrap();
                assert_eq!(options.len(), n as usize, "{what}");
                let text = text_of(found["content"].as_str().unwrap());
                for option in options {
                    assert!(text.contains(option["name"].as_str().unwrap()), "{what}: {option} in {text}");
                }
            }
            run.statuses.insert(uri, found["id"].as_str().unwrap().to_owned());
        }
        "status_deleted" => {
            let id = run.statuses.get(&uri).unwrap_or_else(|| panic!("{what}: {uri} was never seen")).clone();
            eventually(&what, || async {
                (run.get(&format!("/api/v1/statuses/{id}")).await.0 == 404).then_some(Value::Null)
            })
            .await;
        }
        kind @ ("follower" | "unfollowed") => {
            let path = format!("/api/v1/accounts/{}/followers", run.bob.id);
            eventually(&what, || async {
                (contains(&run.get(&path).await.1, &signer_id) == (kind == "follower")).then_some(Value::Null)
            })
            .await;
        }
        kind @ ("favourite" | "unfavourite") => {
            let path = format!("{note_path}/favourited_by");
            eventually(&what, || async {
                (contains(&run.get(&path).await.1, &signer_id) == (kind == "favourite")).then_some(Value::Null)
            })
            .await;
        }
        kind @ ("reblog" | "unreblog") => {
            let want = kind == "reblog";
            eventually(&what, || async {
                let boosted = if uri == run.var("local_note") {
                    contains(&run.get(&format!("{note_path}/reblogged_by")).await.1, &signer_id)
                } else {
                    let (_, posts) = run.get(&format!("/api/v1/accounts/{signer_id}/statuses")).await;
                    posts.as_array().unwrap().iter().any(|s| s["reblog"]["uri"] == uri)
                };
                (boosted == want).then_some(Value::Null)
            })
            .await;
        }
        "profile_updated" => {
            let path = format!("/api/v1/accounts/{signer_id}");
            eventually(&what, || async {
                (run.get(&path).await.1["display_name"] == wanted["display_name"]).then_some(Value::Null)
            })
            .await;
        }
        "account_deleted" => {
            let path = format!("/api/v1/accounts/{signer_id}");
            eventually(&what, || async { (run.get(&path).await.0 == 404).then_some(Value::Null) }).await;
        }
        kind @ ("blocked" | "unblocked") => {
            let want = kind == "blocked";
            eventually(&what, || async {
                (run.relationship(signer).await["blocked_by"] == want).then_some(Value::Null)
            })
            .await;
        }
        kind @ ("follow_accepted" | "follow_rejected") => {
            eventually(&what, || async {
                let r = run.relationship(signer).await;
                let done = if kind == "follow_accepted" {
                    r["following"] == true
                } else {
                    r["following"] == false && r["requested"] == false
                };
                done.then_some(Value::Null)
            })
            .await;
        }
        // Reports (Flag) land with moderation; until then, and for what Mastodon ignores
        // too, being taken (202) is the whole effect.
        "report" | "ignored" => {}
        other => panic!("{file}: unknown effect {other}"),
    }
}

/// One test per server family, each on its own servers.
macro_rules! families {
    ($($test:ident => $($family:literal),+;)*) => {$(
        #[tokio::test]
        async fn $test() {
            $(family($family).await;)+
        }
    )*};
}

families! {
    mastodon_activities => "mastodon";
    gotosocial_activities => "gotosocial";
    misskey_activities => "misskey";
    akkoma_activities => "akkoma";
    lemmy_activities => "lemmy";
    peertube_writefreely_and_other_shapes => "peertube", "writefreely", "others";
}
