//! The real `rookery serve` process: startup, configuration errors, shutdown on signals.

use std::io::BufRead;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use crate::support::{TestDatabase, rookery_command};

/// A `rookery serve` process, killed if the test fails before stopping it.
struct Served {
    child: Option<Child>,
    base: String,
    logs: mpsc::Receiver<String>,
}

impl Served {
    /// Starts on port 0 and learns the port from the server's own "listening" log line,
    /// so no other test can take the port in between.
    fn start(mut command: Command) -> Served {
        let mut child = command
            .env("ROOKERY_BIND", "127.0.0.1:0")
            .env("ROOKERY_LOG", "info")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let (send, logs) = mpsc::channel();
        let stdout = std::io::BufReader::new(child.stdout.take().unwrap());
        std::thread::spawn(move || {
            for line in stdout.lines().map_while(Result::ok) {
                let _ = send.send(line);
            }
        });
        let mut served = Served { child: Some(child), base: String::new(), logs };
        let line = loop {
            let line = served.logs.recv_timeout(Duration::from_secs(60)).expect("rookery serve logs that it listens");
            if line.contains("listening") {
                break line;
            }
        };
        let addr = line.split("addr").nth(1).map(|rest| {
            rest.trim_start_matches(['=', '"', ':'])
                .split(|c: char| !(c.is_ascii_alphanumeric() || c == '.' || c == ':'))
                .next()
                .unwrap_or("")
                .to_owned()
        });
        served.base = format!("http://{}", addr.expect("an address in the listening line"));
        served
    }

    /// Sends the signal, waits for the exit, returns the exit status and all stdout.
    fn stop(mut self, signal: &str) -> (ExitStatus, String) {
        let mut child = self.child.take().unwrap();
        let sent = Command::new("kill").args([&format!("-{signal}"), &child.id().to_string()]).status().unwrap();
        assert!(sent.success());
        let exit = child.wait().unwrap();
        let mut logs = String::new();
        while let Ok(line) = self.logs.recv_timeout(Duration::from_secs(5)) {
            logs.push_str(&line);
            logs.push('\n');
        }
        (exit, logs)
    }
}

impl Served {
    /// Waits for an exit already asked for; returns the status and all stdout.
    fn stop_after_signal(mut self) -> (ExitStatus, String) {
        let mut child = self.child.take().unwrap();
        let exit = child.wait().unwrap();
        let mut logs = String::new();
        while let Ok(line) = self.logs.recv_timeout(Duration::from_secs(5)) {
            logs.push_str(&line);
            logs.push('\n');
        }
        (exit, logs)
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

async fn get_json(url: String) -> serde_json::Value {
    let response = reqwest::get(url).await.unwrap();
    assert_eq!(response.status(), 200);
    response.json().await.unwrap()
}

#[tokio::test]
async fn serves_the_instance_and_stops_cleanly_on_sigterm_and_sigint() {
    let db = TestDatabase::create().await;
    for signal in ["TERM", "INT"] {
        let mut command = rookery_command(&db.url, &db.data_dir, "rookery.example");
        command.arg("serve");
        let served = Served::start(command);
        assert_eq!(reqwest::get(format!("{}/health", served.base)).await.unwrap().status(), 200);
        assert_eq!(get_json(format!("{}/api/v2/instance", served.base)).await["domain"], "rookery.example");

        let (status, logs) = tokio::task::spawn_blocking(move || served.stop(signal)).await.unwrap();
        assert!(status.success(), "SIG{signal}: exit {status:?}\n{logs}");
        assert!(logs.contains("shutting down") && logs.contains("stopped"), "{logs}");
        assert!(logs.contains("request_id="), "requests are logged with their id: {logs}");
    }
}

#[tokio::test]
async fn json_logs_are_one_object_a_line() {
    let db = TestDatabase::create().await;
    let mut command = rookery_command(&db.url, &db.data_dir, "rookery.example");
    command.env("ROOKERY_LOG_FORMAT", "json").arg("serve");
    let served = Served::start(command);
    assert_eq!(reqwest::get(format!("{}/health", served.base)).await.unwrap().status(), 200);
    let (_, logs) = tokio::task::spawn_blocking(move || served.stop("TERM")).await.unwrap();
    let lines: Vec<serde_json::Value> =
        logs.lines().map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}"))).collect();
    assert!(lines.iter().any(|l| l["span"]["request_id"].is_string()), "{logs}");
}

#[tokio::test]
async fn flags_beat_environment_beat_file() {
    let db = TestDatabase::create().await;
    let config = db.data_dir.join("rookery.toml");
    std::fs::write(&config, "title = \"file\"\ndescription = \"file\"\ncontact_email = \"file@example.org\"\n")
        .unwrap();
    let mut command = rookery_command(&db.url, &db.data_dir, "rookery.example");
    command.env("ROOKERY_TITLE", "env").env("ROOKERY_DESCRIPTION", "env");
    command.args(["--config", config.to_str().unwrap(), "serve", "--title", "flag"]);
    let served = Served::start(command);
    let v2 = get_json(format!("{}/api/v2/instance", served.base)).await;
    tokio::task::spawn_blocking(move || served.stop("TERM")).await.unwrap();
    assert_eq!(v2["title"], "flag");
    assert_eq!(v2["description"], "env");
    assert_eq!(v2["contact"]["email"], "file@example.org");
}

#[tokio::test]
async fn bad_configuration_stops_startup_with_an_error_naming_it() {
    let db = TestDatabase::create().await;
    let config = db.data_dir.join("rookery.toml");

    let run = |envs: &[(&str, &str)], args: &[&str]| {
        let mut cmd = rookery_command(&db.url, &db.data_dir, "rookery.example");
        cmd.env("ROOKERY_BIND", "127.0.0.1:0");
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
async fn a_request_in_flight_at_sigterm_still_gets_its_answer() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let db = TestDatabase::create().await;
    let mut command = rookery_command(&db.url, &db.data_dir, "rookery.example");
    command.arg("serve");
    let served = Served::start(command);
    let addr = served.base.trim_start_matches("http://").to_owned();

    // A registration whose body arrives in two parts: the handler is reading it when the
    // signal comes.
    let body = r#"{"client_name":"slow app","redirect_uris":"urn:ietf:wg:oauth:2.0:oob"}"#;
    let (first, rest) = body.split_at(20);
    let mut stream = tokio::net::TcpStream::connect(&addr).await.unwrap();
    let head = format!(
        "POST /api/v1/apps HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    stream.write_all(first.as_bytes()).await.unwrap();
    tokio::time::sleep(Duration::from_millis(200)).await;

    let pid = served.child.as_ref().unwrap().id().to_string();
    assert!(Command::new("kill").args(["-TERM", &pid]).status().unwrap().success());
    tokio::time::sleep(Duration::from_millis(300)).await;
    stream.write_all(rest.as_bytes()).await.unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).await.unwrap();
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(answer.contains("\"client_secret\""), "{answer}");

    let (status, logs) = tokio::task::spawn_blocking(move || served.stop_after_signal()).await.unwrap();
    assert!(status.success(), "{logs}");
    assert!(logs.contains("shutting down"), "{logs}");
}
