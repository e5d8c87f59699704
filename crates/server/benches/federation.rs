//! `cargo bench -p server --bench federation`: the federation hot paths, each next to
//! this machine's RSA-2048 signing rate (`openssl speed rsa2048`, run in the same go):
//!
//! - deliveries: a post to 2,000 followers on one server without a shared inbox, so
//!   2,000 signed POSTs to one local mock server through the real queue, workers,
//!   signer and client, timed until the last arrives;
//! - fan-out: a post by an author with 10,000 followers on 1,000 servers (mock inboxes
//!   on loopback), timed until every server has had its first delivery attempt;
//! - ingest: signed Create(Note) activities by 20 remote authors posted to the shared
//!   inbox, timed until each is stored as a post (SQLite; median of 3 runs).
//!
//! Figures go to docs/performance.md by hand. Naming parts after `--` (`deliveries`,
//! `fan-out`, `ingest`) runs only those.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use app::statuses::PostStatus;
use domain::{Id, Role};
use federation::keys::generate_rsa_2048;
use federation::signature::{self, SignedRequest};
use server::cli::SettingsArgs;
use server::{RunningServer, ServerConfig};
use store::RemoteActor;

const SERVERS: usize = 1_000;
const ONE_SERVER_FOLLOWERS: usize = 2_000;
const FOLLOWERS: usize = 10_000;
const CREATES: usize = 3_000;
/// Remote authors of the ingested posts, all on one server.
const AUTHORS: usize = 20;

#[tokio::main]
async fn main() {
    // `cargo bench -p server --bench federation -- ingest` runs only the parts named.
    let only: Vec<String> = std::env::args().skip(1).filter(|a| !a.starts_with('-')).collect();
    let runs = |part: &str| only.is_empty() || only.iter().any(|o| o == part);
    let openssl = openssl_sign_rate();
    let ours = our_sign_rate();
    println!("RSA-2048 signatures per second, one core: openssl {openssl:.0}, ours (aws-lc) {ours:.0}");
    if runs("deliveries") {
        let rate = deliveries_to_one_server().await;
        println!(
            "{ONE_SERVER_FOLLOWERS} deliveries to one server: {rate:.0}/s, {:.0}% of openssl's signing rate per core",
            100.0 * rate / openssl
        );
    }
    if runs("fan-out") {
        let (fan_out, rate) = fan_out(FOLLOWERS, SERVERS, true).await;
        println!(
            "fan-out to {FOLLOWERS} followers on {SERVERS} servers: every first attempt after {:.2} s \
             ({rate:.0} deliveries/s)",
            fan_out.as_secs_f64(),
        );
    }
    if runs("ingest") {
        // The median of 3 runs, each on a new database.
        let mut runs = Vec::new();
        for _ in 0..3 {
            runs.push(ingest().await);
        }
        runs.sort_by_key(|&(_, stored)| stored);
        let (accepted, stored) = runs[1];
        println!(
            "ingest of {CREATES} signed Create(Note): {:.0}/s accepted (202), {:.0}/s stored",
            CREATES as f64 / accepted.as_secs_f64(),
            CREATES as f64 / stored.as_secs_f64()
        );
    }
}

/// `sign/s` of `openssl speed rsa2048` (one process, so one core).
fn openssl_sign_rate() -> f64 {
    let out = std::process::Command::new("openssl").args(["speed", "-seconds", "3", "rsa2048"]).output();
    let text = out.map(|o| String::from_utf8_lossy(&o.stdout).into_owned()).unwrap_or_default();
    // `rsa 2048 bits 0.000690s 0.000021s 1449.3 47619.0`: the next to last is sign/s.
    text.lines()
        .find(|l| l.starts_with("rsa 2048 bits") || l.starts_with("rsa  2048 bits"))
        .and_then(|l| l.split_whitespace().rev().nth(1)?.parse().ok())
        .expect("openssl speed rsa2048 prints a sign/s figure")
}

/// Draft-cavage signatures of a delivery's headers per second, one thread.
fn our_sign_rate() -> f64 {
    let key = generate_rsa_2048().unwrap();
    let headers = [("host", "a.example"), ("date", "Tue, 01 Dec 2026 00:00:00 GMT"), ("digest", "SHA-256=x")];
    let request = SignedRequest { method: "POST", path_and_query: "/inbox", headers: &headers };
    let started = Instant::now();
    let mut n = 0u32;
    while started.elapsed() < Duration::from_secs(3) {
        signature::sign(&key.private_pem, "k", &["(request-target)", "host", "date", "digest"], &request).unwrap();
        n += 1;
    }
    f64::from(n) / started.elapsed().as_secs_f64()
}

async fn start_server(name: &str) -> RunningServer {
    let dir = std::env::temp_dir().join(format!("rookery-federation-bench-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let settings = SettingsArgs {
        domain: Some(listener.local_addr().unwrap().to_string()),
        protocol: Some("http".into()),
        allow_private_addresses: Some(true),
        data_dir: Some(dir.clone()),
        database_url: Some(format!("sqlite://{}", dir.join("rookery.db").display())),
        rate_limit: Some("0".into()),
        log: Some("error".into()),
        ..SettingsArgs::default()
    };
    server::start(ServerConfig::load(&settings).unwrap(), listener).await.unwrap()
}

async fn local_user(server: &RunningServer, name: &str) -> domain::Account {
    let input = app::accounts::CreateLocalAccount {
        username: name.into(),
        email: format!("{name}@example.org"),
        password: "correct horse battery staple".into(),
        role: Role::User,
        approved: true,
        reason: None,
    };
    app::accounts::create_local_account(&server.app, input).await.unwrap().0
}

fn remote_actor(base: &str, name: &str, public_key_pem: &str, shared_inbox: bool) -> RemoteActor {
    let uri = format!("{base}/users/{name}");
    RemoteActor {
        uri: uri.clone(),
        username: name.into(),
        domain: base.trim_start_matches("http://").into(),
        display_name: String::new(),
        note: String::new(),
        locked: false,
        bot: false,
        discoverable: false,
        indexable: false,
        url: None,
        inbox_url: format!("{uri}/inbox"),
        shared_inbox_url: shared_inbox.then(|| format!("{base}/inbox")),
        followers_url: Some(format!("{uri}/followers")),
        key_id: format!("{uri}#main-key"),
        public_key_pem: public_key_pem.into(),
        fields: Vec::new(),
        created_at: 0,
        fetched_at: app::now_millis(),
    }
}

/// Loopback servers that answer every POST with 202 and count them.
async fn mock_inboxes(count: usize, received: Arc<AtomicUsize>) -> Vec<String> {
    let mut bases = Vec::with_capacity(count);
    for _ in 0..count {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        bases.push(format!("http://{}", listener.local_addr().unwrap()));
        let received = received.clone();
        let router = axum::Router::new().fallback(move || {
            received.fetch_add(1, Ordering::Relaxed);
            async { axum::http::StatusCode::ACCEPTED }
        });
        tokio::spawn(async move { axum::serve(listener, router).await });
    }
    bases
}

async fn deliveries_to_one_server() -> f64 {
    let (time, _) = fan_out(ONE_SERVER_FOLLOWERS, 1, false).await;
    ONE_SERVER_FOLLOWERS as f64 / time.as_secs_f64()
}

/// The median time (of three posts) until every inbox had its POST, and the POSTs per
/// second of that post. With `shared_inbox`, one POST per server.
async fn fan_out(followers: usize, servers: usize, shared_inbox: bool) -> (Duration, f64) {
    let server = start_server(&format!("fanout-{servers}")).await;
    let author = local_user(&server, "alice").await;
    let received = Arc::new(AtomicUsize::new(0));
    let bases = mock_inboxes(servers, received.clone()).await;
    let key = generate_rsa_2048().unwrap();
    let store = server.app.store();
    let per_post = if shared_inbox { servers } else { followers };
    for i in 0..followers {
        let actor = remote_actor(&bases[i % servers], &format!("f{i}"), &key.public_pem, shared_inbox);
        let follower = store.upsert_remote_account(Id::from_i64(900_000_000_000 + i as i64), &actor).await.unwrap();
        store.insert_follow(Id::from_i64(910_000_000_000 + i as i64), follower.id, author.id, 0).await.unwrap();
    }
    let mut times = Vec::new();
    for round in 1..=3 {
        let started = Instant::now();
        let post = PostStatus { text: format!("round {round}"), ..PostStatus::default() };
        app::statuses::post_status(&server.app, &author, None, post).await.unwrap();
        while received.load(Ordering::Relaxed) < per_post * round {
            tokio::time::sleep(Duration::from_millis(2)).await;
        }
        times.push(started.elapsed());
    }
    times.sort();
    server.stop().await.unwrap();
    let median = times[1];
    (median, per_post as f64 / median.as_secs_f64())
}

async fn ingest() -> (Duration, Duration) {
    let server = start_server("ingest").await;
    let reader = local_user(&server, "bob").await;
    let key = generate_rsa_2048().unwrap();
    let peer_listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let peer = format!("http://{}", peer_listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(peer_listener, axum::Router::new()).await });
    // The authors are known (as after their first activity), and the reader follows
    // them all, so each post also joins a home feed.
    let mut authors = Vec::new();
    for k in 0..AUTHORS {
        let actor = remote_actor(&peer, &format!("m{k}"), &key.public_pem, true);
        let store = server.app.store();
        let author = store.upsert_remote_account(Id::from_i64(920_000_000_000 + k as i64), &actor).await.unwrap();
        store.insert_follow(Id::from_i64(930_000_000_000 + k as i64), reader.id, author.id, 0).await.unwrap();
        authors.push(author);
    }
    let base = format!("http://{}", server.addr);
    let host = server.addr.to_string();
    let date = signature::http_date(app::now_millis() / 1000);
    let signed: Vec<(String, String, String)> = (0..CREATES)
        .map(|n| {
            let actor_uri = format!("{peer}/users/m{}", n % AUTHORS);
            let body = serde_json::json!({
                "id": format!("{peer}/activities/{n}"), "type": "Create", "actor": actor_uri,
                "object": {
                    "id": format!("{peer}/notes/{n}"), "type": "Note", "attributedTo": actor_uri,
                    "to": ["https://www.w3.org/ns/activitystreams#Public"], "cc": [format!("{actor_uri}/followers")],
                    "content": format!("<p>post number {n} with a <a href=\"https://example.org/\">link</a></p>"),
                    "published": "2026-12-01T12:00:00Z",
                },
            })
            .to_string();
            let digest = signature::digest_header(body.as_bytes());
            let headers = [("host", host.as_str()), ("date", date.as_str()), ("digest", digest.as_str())];
            let request = SignedRequest { method: "POST", path_and_query: "/inbox", headers: &headers };
            let covered = ["(request-target)", "host", "date", "digest"];
            let sig = signature::sign(&key.private_pem, &format!("{actor_uri}#main-key"), &covered, &request).unwrap();
            (body, digest, sig)
        })
        .collect();
    let http = reqwest::Client::new();
    let started = Instant::now();
    let next = Arc::new(AtomicUsize::new(0));
    let signed = Arc::new(signed);
    let mut senders = Vec::new();
    for _ in 0..8 {
        let (http, next, signed, base, date) = (http.clone(), next.clone(), signed.clone(), base.clone(), date.clone());
        senders.push(tokio::spawn(async move {
            loop {
                let n = next.fetch_add(1, Ordering::Relaxed);
                let Some((body, digest, sig)) = signed.get(n) else { break };
                let response = http
                    .post(format!("{base}/inbox"))
                    .header("content-type", "application/activity+json")
                    .header("date", &date)
                    .header("digest", digest)
                    .header("signature", sig)
                    .body(body.clone())
                    .send()
                    .await
                    .unwrap();
                assert_eq!(response.status(), 202);
            }
        }));
    }
    for sender in senders {
        sender.await.unwrap();
    }
    let accepted = started.elapsed();
    loop {
        let mut stored = 0;
        for author in &authors {
            stored += server.app.store().find_account_by_id(author.id).await.unwrap().unwrap().statuses_count;
        }
        if stored as usize >= CREATES {
            break;
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    let stored = started.elapsed();
    server.stop().await.unwrap();
    (accepted, stored)
}
