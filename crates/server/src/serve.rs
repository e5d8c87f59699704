//! Starting and stopping the server.

use std::net::SocketAddr;
use std::time::Duration;

use anyhow::Context;
use app::App;
use store::Store;
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use crate::ServerConfig;

/// How long in-flight requests may run on after a shutdown signal.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(30);

/// `rookery serve`: listens on the configured address until SIGTERM or SIGINT.
pub async fn serve(config: ServerConfig) -> anyhow::Result<()> {
    let listener = TcpListener::bind(config.bind).await.with_context(|| format!("cannot listen on {}", config.bind))?;
    let server = start(config, listener).await?;
    shutdown_signal().await;
    tracing::info!("shutting down; letting in-flight requests finish");
    server.stop().await
}

/// A server answering on its listener, until [`RunningServer::stop`].
pub struct RunningServer {
    pub addr: SocketAddr,
    pub app: App,
    stop: oneshot::Sender<()>,
    task: JoinHandle<std::io::Result<()>>,
    stop_workers: tokio::sync::watch::Sender<bool>,
    workers: Vec<JoinHandle<()>>,
}

/// How many deliveries one node makes at once.
const DELIVERY_CONCURRENCY: usize = 32;

/// Opens the database, applies migrations and starts answering on `listener`.
pub async fn start(config: ServerConfig, listener: TcpListener) -> anyhow::Result<RunningServer> {
    std::fs::create_dir_all(&config.data_dir)
        .with_context(|| format!("cannot create the data directory {}", config.data_dir.display()))?;
    let store = open_store(&config).await?;
    let app = App::new(config.app.clone(), store);
    app.passwords().prepare().await?;
    let router = api::router(app.clone());
    let addr = listener.local_addr()?;
    let (stop, stopped) = oneshot::channel::<()>();
    let task = tokio::spawn(async move {
        axum::serve(listener, router.into_make_service_with_connect_info::<SocketAddr>())
            .with_graceful_shutdown(async {
                let _ = stopped.await;
            })
            .await
    });
    // Federation's workers run in the server; their queues are in the database, so
    // what they had not finished is taken up again after a restart. So does the purge
    // of uploads no post took.
    let (stop_workers, stopped_workers) = tokio::sync::watch::channel(false);
    let workers = vec![
        tokio::spawn(app::federation::delivery::run(app.clone(), DELIVERY_CONCURRENCY, stopped_workers.clone())),
        tokio::spawn(app::federation::inbox::run(app.clone(), stopped_workers.clone())),
        tokio::spawn(app::media::run(app.clone(), stopped_workers)),
    ];
    tracing::info!(%addr, domain = %config.app.domain, version = env!("CARGO_PKG_VERSION"), "listening");
    Ok(RunningServer { addr, app, stop, task, stop_workers, workers })
}

impl RunningServer {
    /// Stops accepting connections, waits for in-flight requests, closes the database.
    pub async fn stop(self) -> anyhow::Result<()> {
        let _ = self.stop.send(());
        let _ = self.stop_workers.send(true);
        for worker in self.workers {
            // A job cut short is leased, not lost: it is taken again when its lease ends.
            if tokio::time::timeout(Duration::from_secs(5), worker).await.is_err() {
                tracing::warn!("a background worker did not stop within 5 s");
            }
        }
        let mut task = self.task;
        match tokio::time::timeout(SHUTDOWN_GRACE, &mut task).await {
            Ok(joined) => joined.context("server task failed")?.context("server failed")?,
            Err(_) => {
                tracing::warn!("requests still running after {SHUTDOWN_GRACE:?}; stopping anyway");
                task.abort();
            }
        }
        if tokio::time::timeout(Duration::from_secs(5), self.app.store().close()).await.is_err() {
            tracing::warn!("database connections did not close within 5 s");
        }
        tracing::info!("stopped");
        Ok(())
    }
}

/// Connects and brings the schema up to date; shared by `serve` and `admin`.
pub(crate) async fn open_store(config: &ServerConfig) -> anyhow::Result<Store> {
    let url = store::redact(&config.database.url);
    let store = Store::connect(&config.database).await.with_context(|| format!("cannot open the database {url}"))?;
    store.migrate().await.with_context(|| format!("cannot migrate the database {url}"))?;
    tracing::info!(database = %url, dialect = store.dialect().name(), "database ready");
    Ok(store)
}

async fn shutdown_signal() {
    let interrupt = async {
        if let Err(e) = tokio::signal::ctrl_c().await {
            tracing::warn!(error = %e, "cannot listen for SIGINT");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut sigterm) => {
                sigterm.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => {},
        () = terminate => {},
    }
}
