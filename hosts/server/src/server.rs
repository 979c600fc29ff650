//! Starting and stopping: open the database (created and migrated on first start), load the
//! directory into the engine, bind, serve until a signal, finish in-flight requests, close.

use crate::config::Config;
use crate::db::Db;
use crate::dns::TxtResolver;
use crate::keys::SigningKey;
use crate::state::{AppState, Shared};
use crate::{demo, routes, store};
use orgkit::{Engine, LoadOptions};
use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use tokio::net::TcpListener;
use tokio::sync::Mutex;

/// A bound, loaded server, not yet serving.
pub struct Server {
    listener: TcpListener,
    state: AppState,
    /// What `--demo` printed, if anything.
    pub banner: Option<String>,
}

/// Opens the database and loads the engine: what a server or `mint-token` needs.
pub async fn open(
    database_url: &str,
    public_url: String,
    dns: Arc<dyn TxtResolver>,
) -> Result<AppState, String> {
    let db = Db::connect(database_url)
        .await
        .map_err(|e| format!("cannot open {database_url}: {e}"))?;
    let key = SigningKey::load_or_create(&db)
        .await
        .map_err(|e| e.to_string())?;
    let options = LoadOptions {
        sessions: key.session_options().map_err(|e| e.to_string())?,
        ..LoadOptions::default()
    };
    let directory = store::directory::load(&db, &options)
        .await
        .map_err(|e| format!("the stored directory does not load: {e}"))?;
    Ok(AppState::new(Shared {
        db,
        engine: Engine::new(directory),
        writer: Arc::new(Mutex::new(())),
        dns,
        public_url,
        key,
    }))
}

impl Server {
    /// Binds `config.listen`, opens the database and, with `--demo`, seeds the demo.
    pub async fn bind(config: &Config, dns: Arc<dyn TxtResolver>) -> Result<Self, String> {
        let listener = TcpListener::bind(config.listen)
            .await
            .map_err(|e| format!("cannot listen on {}: {e}", config.listen))?;
        let addr = listener.local_addr().map_err(|e| e.to_string())?;
        let public_url = config
            .public_url
            .clone()
            .unwrap_or_else(|| format!("http://{addr}"));
        let state = open(&config.database_url, public_url, dns).await?;
        let banner = if config.demo {
            let token = demo::seed(&state)
                .await
                .map_err(|e| format!("demo seed: {e}"))?;
            Some(demo::examples(&state, token.as_deref()).map_err(|e| e.to_string())?)
        } else {
            None
        };
        Ok(Self {
            listener,
            state,
            banner,
        })
    }

    /// The shared state (database, engine, key).
    pub fn state(&self) -> &AppState {
        &self.state
    }

    /// The address it listens on.
    pub fn addr(&self) -> Result<SocketAddr, String> {
        self.listener.local_addr().map_err(|e| e.to_string())
    }

    /// Serves until `shutdown` completes, then lets in-flight requests finish and closes the
    /// database.
    pub async fn run(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> Result<(), String> {
        let app = routes::app(self.state.clone());
        axum::serve(
            self.listener,
            app.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .with_graceful_shutdown(shutdown)
        .await
        .map_err(|e| e.to_string())?;
        self.state.db.close().await;
        Ok(())
    }
}

/// Completes on ctrl-c or SIGTERM.
pub async fn shutdown_signal() {
    let interrupt = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => {}
        () = terminate => {}
    }
}
