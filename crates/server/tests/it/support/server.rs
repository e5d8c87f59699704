//! A real Rookery server in this process, on a random loopback port.

use std::path::Path;

use server::cli::SettingsArgs;
use server::{RunningServer, ServerConfig};

use super::TestDatabase;

pub struct TestServer {
    pub base_url: String,
    pub http: reqwest::Client,
    running: Option<RunningServer>,
    addr: std::net::SocketAddr,
    settings: SettingsArgs,
    /// Dropped with the server; on PostgreSQL its `DROP ... WITH (FORCE)` ends the
    /// server's connections, so no pool needs closing first.
    pub db: TestDatabase,
}

impl TestServer {
    pub async fn start() -> TestServer {
        Self::start_with(|_| {}).await
    }

    /// Starts a server after `adjust` has changed its settings, as flags would.
    pub async fn start_with(adjust: impl FnOnce(&mut SettingsArgs)) -> TestServer {
        init_logging();
        let db = TestDatabase::create().await;
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let mut settings = settings_for(&db, &addr.to_string());
        adjust(&mut settings);
        let running = launch(&settings, listener).await;
        TestServer {
            base_url: format!("http://{addr}"),
            http: reqwest::Client::new(),
            running: Some(running),
            addr,
            settings,
            db,
        }
    }

    /// The use cases, for checks that have no HTTP route yet (signing in before the
    /// OAuth pages exist). Never for setting up state a test then reads back.
    pub fn app(&self) -> &app::App {
        &self.running.as_ref().expect("server is running").app
    }

    /// Stops the server as `rookery serve` stops: workers finish, the port closes.
    pub async fn stop(&mut self) {
        if let Some(running) = self.running.take() {
            running.stop().await.unwrap();
        }
    }

    /// Starts a stopped server again on the same address, database and settings, so
    /// its domain and everything other servers know of it stay the same.
    pub async fn start_again(&mut self) {
        assert!(self.running.is_none(), "the server is still running");
        let mut listener = None;
        for _ in 0..50 {
            match tokio::net::TcpListener::bind(self.addr).await {
                Ok(bound) => {
                    listener = Some(bound);
                    break;
                }
                Err(_) => tokio::time::sleep(std::time::Duration::from_millis(100)).await,
            }
        }
        let listener = listener.expect("the address is free again");
        self.running = Some(launch(&self.settings, listener).await);
    }

    /// Stops this server and starts it again on the same database and data folder.
    pub async fn restart(mut self) -> TestServer {
        self.stop().await;
        self.start_again().await;
        self
    }

    /// Creates a local account through the admin CLI; returns the password it printed.
    pub fn create_account(&self, username: &str, email: &str, role: &str) -> String {
        let out =
            self.cli_ok(&["admin", "account", "create", "--username", username, "--email", email, "--role", role]);
        out.lines().find_map(|l| l.strip_prefix("password: ")).expect("a generated password").to_owned()
    }

    /// Runs the CLI and expects success; returns what it printed.
    pub fn cli_ok(&self, args: &[&str]) -> String {
        let out = self.cli(args);
        let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
        assert!(out.status.success(), "rookery {args:?} failed: {}{stdout}", String::from_utf8_lossy(&out.stderr));
        stdout
    }

    /// Runs the CLI and expects failure; returns what it printed on stderr.
    pub fn cli_err(&self, args: &[&str]) -> String {
        let out = self.cli(args);
        assert!(!out.status.success(), "rookery {args:?} should have failed");
        String::from_utf8_lossy(&out.stderr).into_owned()
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base_url)
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.http.get(self.url(path)).send().await.unwrap()
    }

    pub async fn get_json(&self, path: &str) -> serde_json::Value {
        let response = self.get(path).await;
        assert_eq!(response.status(), 200, "GET {path}");
        response.json().await.unwrap()
    }

    /// Runs the real `rookery` binary against this server's database and settings.
    pub fn cli(&self, args: &[&str]) -> std::process::Output {
        let addr = self.base_url.trim_start_matches("http://");
        rookery_command(&self.db.url, &self.db.data_dir, addr).args(args).output().unwrap()
    }
}

async fn launch(settings: &SettingsArgs, listener: tokio::net::TcpListener) -> RunningServer {
    let config = ServerConfig::load(settings).expect("test configuration");
    server::start(config, listener).await.expect("server starts")
}

/// Server logs go to the test's output (shown when it fails); `ROOKERY_TEST_LOG`
/// sets the filter, `warn` by default.
fn init_logging() {
    use tracing_subscriber::layer::SubscriberExt;
    use tracing_subscriber::util::SubscriberInitExt;
    let filter: tracing_subscriber::filter::Targets =
        std::env::var("ROOKERY_TEST_LOG").unwrap_or_else(|_| "warn".into()).parse().expect("ROOKERY_TEST_LOG");
    let _ = tracing_subscriber::registry()
        .with(filter)
        .with(tracing_subscriber::fmt::layer().with_test_writer())
        .try_init();
}

fn settings_for(db: &TestDatabase, domain: &str) -> SettingsArgs {
    SettingsArgs {
        domain: Some(domain.to_owned()),
        data_dir: Some(db.data_dir.clone()),
        database_url: Some(db.url.clone()),
        database_max_connections: Some("4".into()),
        password_hash_concurrency: Some("2".into()),
        ..SettingsArgs::default()
    }
}

/// The built binary with a clean environment: only what the test sets reaches it.
pub fn rookery_command(database_url: &str, data_dir: &Path, domain: &str) -> std::process::Command {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_rookery"));
    for (key, _) in std::env::vars_os() {
        if key.to_string_lossy().starts_with("ROOKERY_") {
            cmd.env_remove(key);
        }
    }
    cmd.env("ROOKERY_DATABASE_URL", database_url)
        .env("ROOKERY_DATA_DIR", data_dir)
        .env("ROOKERY_DOMAIN", domain)
        .env("ROOKERY_LOG", "warn");
    cmd
}
