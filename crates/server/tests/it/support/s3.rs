//! The S3 peer (`tests/peers/s3`): moto's S3-compatible server, written by others,
//! installed by its own script on first use and run as a child process per test, with
//! signature checks on.

use std::path::PathBuf;
use std::process::Stdio;

use serde_json::Value;
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};
use tokio::sync::OnceCell;

pub struct S3Peer {
    pub endpoint: String,
    pub region: String,
    pub bucket: String,
    pub access_key_id: String,
    pub secret_access_key: String,
    _child: Child,
}

fn peer_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/peers/s3")
}

/// Installs the peer once per test run; returns the Python it runs on.
async fn python() -> &'static PathBuf {
    static PYTHON: OnceCell<PathBuf> = OnceCell::const_new();
    PYTHON
        .get_or_init(|| async {
            let out = Command::new("bash").arg(peer_dir().join("install.sh")).output().await.expect("bash runs");
            assert!(out.status.success(), "installing the S3 peer failed: {}", String::from_utf8_lossy(&out.stderr));
            let stdout = String::from_utf8_lossy(&out.stdout);
            PathBuf::from(stdout.lines().last().expect("install.sh prints the python path").trim())
        })
        .await
}

impl S3Peer {
    pub async fn start() -> S3Peer {
        let mut child = Command::new(python().await)
            .arg(peer_dir().join("peer.py"))
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .expect("the S3 peer starts");
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let ready = tokio::time::timeout(std::time::Duration::from_secs(60), lines.next_line())
            .await
            .expect("the S3 peer is ready within a minute")
            .unwrap()
            .unwrap_or_default();
        let settings: Value = serde_json::from_str(&ready).expect("the S3 peer prints its settings");
        let text = |key: &str| settings[key].as_str().unwrap().to_owned();
        S3Peer {
            endpoint: text("endpoint"),
            region: text("region"),
            bucket: text("bucket"),
            access_key_id: text("access_key_id"),
            secret_access_key: text("secret_access_key"),
            _child: child,
        }
    }
}
