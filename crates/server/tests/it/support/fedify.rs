//! The Fedify peer (`tests/peers/fedify`): an ActivityPub server written by others,
//! installed by its own script on first use and run as a child process per test.

use std::path::PathBuf;
use std::process::Stdio;

use serde_json::Value;
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};
use tokio::sync::OnceCell;

/// The signature Fedify tries first; it falls back to the other on an error status.
#[derive(Debug, Clone, Copy)]
pub enum FirstKnock {
    Rfc9421,
    DraftCavage,
}

pub struct FedifyPeer {
    pub base: String,
    http: reqwest::Client,
    _child: Child,
    _keys: KeyDir,
}

/// The peer's key folder, removed with the peer.
struct KeyDir(PathBuf);

impl Drop for KeyDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn peer_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/peers/fedify")
}

/// Installs the peer once per test run; returns the Node 22 it runs on.
async fn node() -> &'static PathBuf {
    static NODE: OnceCell<PathBuf> = OnceCell::const_new();
    NODE.get_or_init(|| async {
        let out = Command::new("bash").arg(peer_dir().join("install.sh")).output().await.expect("bash runs");
        assert!(out.status.success(), "installing the Fedify peer failed: {}", String::from_utf8_lossy(&out.stderr));
        let stdout = String::from_utf8_lossy(&out.stdout);
        PathBuf::from(stdout.lines().last().expect("install.sh prints the node path").trim())
    })
    .await
}

impl FedifyPeer {
    pub async fn start(first_knock: FirstKnock) -> FedifyPeer {
        let node = node().await;
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let listen = format!("127.0.0.1:{port}");
        let keys = std::env::temp_dir().join(format!("rookery-fedify-{port}-{}", std::process::id()));
        std::fs::create_dir_all(&keys).unwrap();
        let knock = match first_knock {
            FirstKnock::Rfc9421 => "rfc9421",
            FirstKnock::DraftCavage => "draft-cavage-http-signatures-12",
        };
        let mut child = Command::new(node)
            .arg(peer_dir().join("peer.mjs"))
            .env("PEER_LISTEN", &listen)
            .env("PEER_FIRST_KNOCK", knock)
            .env("PEER_KEY_FILE", keys.join("peer.key.json"))
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .kill_on_drop(true)
            .spawn()
            .expect("the Fedify peer starts");
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let ready = tokio::time::timeout(std::time::Duration::from_secs(60), lines.next_line())
            .await
            .expect("the Fedify peer is ready within a minute")
            .unwrap()
            .unwrap_or_default();
        assert_eq!(ready, format!("ready http://{listen}"));
        FedifyPeer {
            base: format!("http://{listen}"),
            http: reqwest::Client::new(),
            _child: child,
            _keys: KeyDir(keys),
        }
    }

    pub fn domain(&self) -> &str {
        self.base.trim_start_matches("http://")
    }

    /// A control call; panics unless it succeeds (it answers once delivery is done).
    pub async fn control(&self, path: &str, body: Value) -> Value {
        let response = self.http.post(format!("{}/control/{path}", self.base)).json(&body).send().await.unwrap();
        let status = response.status();
        let answer: Value = response.json().await.unwrap_or(Value::Null);
        assert!(status.is_success(), "/control/{path} {body}: {status} {answer}");
        answer
    }

    pub async fn get(&self, path: &str) -> Value {
        self.http.get(format!("{}/control/{path}", self.base)).send().await.unwrap().json().await.unwrap()
    }

    /// The activities it has received of `kind`.
    pub async fn received(&self, kind: &str) -> Vec<Value> {
        let all = self.get("received").await;
        all.as_array().unwrap().iter().filter(|a| a["type"] == kind).cloned().collect()
    }
}
