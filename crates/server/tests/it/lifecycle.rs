//! The real `rookery serve` process: startup, configuration errors, shutdown on SIGTERM.

use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use crate::support::{TestDatabase, rookery_command};

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

async fn wait_until_healthy(child: &mut Child, base: &str) {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        if let Ok(r) = reqwest::get(format!("{base}/health")).await
            && r.status() == 200
        {
            return;
        }
        assert!(child.try_wait().unwrap().is_none(), "rookery serve exited early");
        assert!(Instant::now() < deadline, "rookery serve did not become healthy");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

fn signal(child: &Child, name: &str) {
    let status =
        std::process::Command::new("kill").args([&format!("-{name}"), &child.id().to_string()]).status().unwrap();
    assert!(status.success());
}

#[tokio::test]
async fn serves_the_instance_and_stops_cleanly_on_sigterm_and_sigint() {
    let db = TestDatabase::create().await;
    for signal_name in ["TERM", "INT"] {
        let addr = format!("127.0.0.1:{}", free_port());
        let mut child = rookery_command(&db.url, &db.data_dir, &addr)
            .env("ROOKERY_BIND", &addr)
            .env("ROOKERY_LOG", "info")
            .arg("serve")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let base = format!("http://{addr}");
        wait_until_healthy(&mut child, &base).await;
        let v2: serde_json::Value =
            reqwest::get(format!("{base}/api/v2/instance")).await.unwrap().json().await.unwrap();
        assert_eq!(v2["domain"], addr.as_str());

        signal(&child, signal_name);
        let out = tokio::task::spawn_blocking(move || child.wait_with_output()).await.unwrap().unwrap();
        let logs = String::from_utf8_lossy(&out.stdout);
        assert!(out.status.success(), "SIG{signal_name}: exit {:?}\n{logs}", out.status);
        assert!(logs.contains("shutting down") && logs.contains("stopped"), "{logs}");
        assert!(logs.contains("request_id="), "requests are logged with their id: {logs}");
    }
}

#[tokio::test]
async fn json_logs_are_one_object_a_line() {
    let db = TestDatabase::create().await;
    let addr = format!("127.0.0.1:{}", free_port());
    let mut child = rookery_command(&db.url, &db.data_dir, &addr)
        .env("ROOKERY_BIND", &addr)
        .env("ROOKERY_LOG", "info")
        .env("ROOKERY_LOG_FORMAT", "json")
        .arg("serve")
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    wait_until_healthy(&mut child, &format!("http://{addr}")).await;
    signal(&child, "TERM");
    let out = tokio::task::spawn_blocking(move || child.wait_with_output()).await.unwrap().unwrap();
    let logs = String::from_utf8_lossy(&out.stdout);
    let lines: Vec<serde_json::Value> =
        logs.lines().map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}"))).collect();
    assert!(lines.iter().any(|l| l["span"]["request_id"].is_string()), "{logs}");
}

#[tokio::test]
async fn bad_configuration_stops_startup_with_an_error_naming_it() {
    let db = TestDatabase::create().await;
    let addr = format!("127.0.0.1:{}", free_port());
    let config = db.data_dir.join("rookery.toml");

    let run = |envs: &[(&str, &str)], args: &[&str]| {
        let mut cmd = rookery_command(&db.url, &db.data_dir, &addr);
        cmd.env("ROOKERY_BIND", &addr);
        for (k, v) in envs {
            cmd.env(k, v);
        }
        let out = cmd.args(args).output().unwrap();
        assert!(!out.status.success(), "{envs:?} {args:?} should fail");
        String::from_utf8_lossy(&out.stderr).into_owned()
    };

    std::fs::write(&config, "domain = \"x.example\"\nbnd = \"127.0.0.1:1\"\n").unwrap();
    let err = run(&[], &["--config", config.to_str().unwrap(), "serve"]);
    assert!(err.contains("bnd"), "{err}");

    std::fs::write(&config, "allow_private_addresses = \"maybe\"\n").unwrap();
    let err = run(&[("ROOKERY_CONFIG", config.to_str().unwrap())], &["serve"]);
    assert!(err.contains("allow_private_addresses"), "{err}");

    assert!(run(&[("ROOKERY_BIND", "somewhere")], &["serve"]).contains("ROOKERY_BIND"));
    assert!(run(&[("ROOKERY_PROTOCOL", "gopher")], &["serve"]).contains("ROOKERY_PROTOCOL"));
    assert!(run(&[("ROOKERY_ALLOW_PRIVATE_ADDRESSES", "perhaps")], &["serve"]).contains("allow-private-addresses"));
    assert!(run(&[("ROOKERY_DATABASE_URL", "mysql://x")], &["serve"]).contains("ROOKERY_DATABASE_URL"));
    assert!(run(&[], &["--config", "/nonexistent/rookery.toml", "serve"]).contains("/nonexistent/rookery.toml"));
    assert!(run(&[("ROOKERY_LOG", "info,=[")], &["serve"]).contains("ROOKERY_LOG"));
    assert!(run(&[], &["serve", "--no-such-flag"]).contains("--no-such-flag"));
}

#[tokio::test]
async fn flags_beat_environment_beat_file() {
    let db = TestDatabase::create().await;
    let config = db.data_dir.join("rookery.toml");
    std::fs::write(&config, "title = \"file\"\ndescription = \"file\"\ncontact_email = \"file@example.org\"\n")
        .unwrap();
    let (addr, flag_addr) = (format!("127.0.0.1:{}", free_port()), format!("127.0.0.1:{}", free_port()));
    let mut child = rookery_command(&db.url, &db.data_dir, &addr)
        .env("ROOKERY_BIND", &addr)
        .env("ROOKERY_TITLE", "env")
        .env("ROOKERY_DESCRIPTION", "env")
        .args(["--config", config.to_str().unwrap(), "serve", "--title", "flag", "--bind", &flag_addr])
        .spawn()
        .unwrap();
    let base = format!("http://{flag_addr}");
    wait_until_healthy(&mut child, &base).await;
    let v2: serde_json::Value = reqwest::get(format!("{base}/api/v2/instance")).await.unwrap().json().await.unwrap();
    signal(&child, "TERM");
    tokio::task::spawn_blocking(move || child.wait()).await.unwrap().unwrap();
    assert_eq!(v2["title"], "flag");
    assert_eq!(v2["description"], "env");
    assert_eq!(v2["contact"]["email"], "file@example.org");
}
