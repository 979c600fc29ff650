//! The test harness: a real server on an ephemeral loopback port, over SQLite (a fresh file)
//! and, when `ORGKIT_TEST_POSTGRES_URL` is set, over PostgreSQL (a fresh database), with a
//! fake DNS resolver; and an HTTP client that checks every successful exchange against the
//! OpenAPI document (`contract`).
#![allow(dead_code)]

pub mod contract;

use orgkit_server::dns::{TxtFuture, TxtResolver};
use orgkit_server::keys::{STAFF_ISSUER, USER_ISSUER};
use orgkit_server::state::AppState;
use orgkit_server::{Config, Server};
use reqwest::{Method, StatusCode};
use serde_json::Value;
use std::collections::{BTreeSet, HashMap};
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

/// TXT records the test publishes.
#[derive(Default)]
pub struct FakeDns(Mutex<HashMap<String, Vec<String>>>);

impl FakeDns {
    pub fn publish(&self, name: &str, value: &str) {
        self.0
            .lock()
            .unwrap()
            .entry(name.to_string())
            .or_default()
            .push(value.to_string());
    }
}

impl TxtResolver for FakeDns {
    fn txt<'a>(&'a self, name: &'a str) -> TxtFuture<'a> {
        let found = self
            .0
            .lock()
            .unwrap()
            .get(name)
            .cloned()
            .unwrap_or_default();
        Box::pin(async move { Ok(found) })
    }
}

static COUNTER: AtomicUsize = AtomicUsize::new(0);

/// A database for one test.
pub enum Backend {
    Sqlite(PathBuf),
    Postgres(String),
}

impl Backend {
    pub fn name(&self) -> &'static str {
        match self {
            Self::Sqlite(_) => "sqlite",
            Self::Postgres(_) => "postgres",
        }
    }

    pub fn url(&self) -> String {
        match self {
            Self::Sqlite(path) => format!("sqlite://{}?mode=rwc", path.display()),
            Self::Postgres(url) => url.clone(),
        }
    }
}

impl Drop for Backend {
    fn drop(&mut self) {
        if let Self::Sqlite(path) = self {
            for suffix in ["", "-wal", "-shm"] {
                let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
            }
        }
    }
}

fn unique(prefix: &str) -> String {
    format!(
        "{prefix}_{}_{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::SeqCst)
    )
}

/// A fresh SQLite file.
pub fn sqlite() -> Backend {
    Backend::Sqlite(std::env::temp_dir().join(format!("{}.db", unique("orgkit_test"))))
}

/// A fresh PostgreSQL database, when `ORGKIT_TEST_POSTGRES_URL` names a server.
pub async fn postgres() -> Option<Backend> {
    use sqlx::Connection;
    let admin = std::env::var("ORGKIT_TEST_POSTGRES_URL").ok()?;
    let name = unique("orgkit_test");
    let mut conn = sqlx::PgConnection::connect(&admin).await.unwrap();
    sqlx::Executor::execute(&mut conn, format!("CREATE DATABASE {name}").as_str())
        .await
        .unwrap();
    let (base, query) = match admin.split_once('?') {
        Some((base, query)) => (base, format!("?{query}")),
        None => (admin.as_str(), String::new()),
    };
    let base = base.rsplit_once('/').map_or(base, |(b, _)| b);
    Some(Backend::Postgres(format!("{base}/{name}{query}")))
}

/// Every backend the suite runs on here.
pub async fn backends() -> Vec<Backend> {
    let mut all = vec![sqlite()];
    all.extend(postgres().await);
    all
}

/// A running server with the demo directory.
pub struct TestServer {
    pub url: String,
    pub state: AppState,
    pub dns: Arc<FakeDns>,
    pub scim: String,
    pub client: reqwest::Client,
    /// The routes (`METHOD path` as in the OpenAPI document) that answered successfully, each
    /// checked against the document.
    pub checked: Mutex<BTreeSet<String>>,
    shutdown: Option<oneshot::Sender<()>>,
    handle: Option<JoinHandle<Result<(), String>>>,
}

impl TestServer {
    pub async fn start(backend: &Backend) -> Self {
        let dns = Arc::new(FakeDns::default());
        let config = Config {
            listen: "127.0.0.1:0".parse().unwrap(),
            database_url: backend.url(),
            public_url: None,
            demo: false,
        };
        let server = Server::bind(&config, dns.clone()).await.unwrap();
        let state = server.state().clone();
        let scim = orgkit_server::demo::seed(&state)
            .await
            .unwrap()
            .expect("a fresh database is seeded");
        let url = format!("http://{}", server.addr().unwrap());
        let (tx, rx) = oneshot::channel::<()>();
        let handle = tokio::spawn(server.run(async move {
            let _ = rx.await;
        }));
        Self {
            url,
            state,
            dns,
            scim,
            client: reqwest::Client::new(),
            checked: Mutex::new(BTreeSet::new()),
            shutdown: Some(tx),
            handle: Some(handle),
        }
    }

    /// Stops the server gracefully and waits for it.
    pub async fn stop(mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(handle) = self.handle.take() {
            handle.await.unwrap().unwrap();
        }
    }

    /// A session token for a demo user, optionally bound to an org.
    pub fn token(&self, user: &str, org: Option<&str>) -> String {
        let now = orgkit_server::clock::now();
        self.state
            .key
            .mint(USER_ISSUER, user, org, now, 3600)
            .unwrap()
    }

    /// A staff token.
    pub fn staff(&self, id: &str) -> String {
        let now = orgkit_server::clock::now();
        self.state
            .key
            .mint(STAFF_ISSUER, id, None, now, 3600)
            .unwrap()
    }

    /// Sends a request; returns the status, the headers and the body as JSON (`Null` when
    /// empty, a string when not JSON).
    pub async fn send(
        &self,
        method: &str,
        path: &str,
        token: Option<&str>,
        headers: &[(&str, &str)],
        body: Option<Value>,
    ) -> (StatusCode, reqwest::header::HeaderMap, Value) {
        let mut request = self.client.request(
            Method::from_bytes(method.as_bytes()).unwrap(),
            format!("{}{path}", self.url),
        );
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        let content_type = headers
            .iter()
            .find(|(name, _)| name.eq_ignore_ascii_case("content-type"))
            .map_or("application/json", |(_, value)| *value);
        if let Some(body) = &body {
            request = request
                .header("content-type", "application/json")
                .body(body.to_string());
        }
        let response = request.send().await.unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        let text = response.text().await.unwrap();
        let checked = contract::contract().check(
            method,
            path,
            body.as_ref().map(|body| (content_type, body)),
            status.as_u16(),
            headers
                .get("content-type")
                .and_then(|value| value.to_str().ok()),
            &text,
        );
        self.checked.lock().unwrap().extend(checked);
        let value = if text.is_empty() {
            Value::Null
        } else {
            serde_json::from_str(&text).unwrap_or(Value::String(text))
        };
        (status, headers, value)
    }

    /// A POST with a JSON body: the status and the body.
    pub async fn post(&self, path: &str, token: Option<&str>, body: Value) -> (StatusCode, Value) {
        let (status, _, body) = self.send("POST", path, token, &[], Some(body)).await;
        (status, body)
    }

    /// The status of a request without headers or body.
    pub async fn status(&self, method: &str, path: &str, token: Option<&str>) -> StatusCode {
        self.send(method, path, token, &[], None).await.0
    }

    /// GET with a token; asserts 200 and returns the body.
    pub async fn get_ok(&self, path: &str, token: &str) -> Value {
        let (status, _, body) = self.send("GET", path, Some(token), &[], None).await;
        assert_eq!(status, StatusCode::OK, "GET {path}: {body}");
        body
    }

    /// A SCIM request with the demo org's SCIM token.
    pub async fn scim(
        &self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: Option<Value>,
    ) -> (StatusCode, reqwest::header::HeaderMap, Value) {
        let mut all = vec![("content-type", "application/scim+json")];
        all.extend_from_slice(headers);
        self.send(
            method,
            &format!("/scim/v2{path}"),
            Some(&self.scim.clone()),
            &all,
            body,
        )
        .await
    }
}

/// Each stored org log verifies with the engine, and every SCIM resource has the event that
/// created it and every creation event its resource (unless a later event deleted it).
pub async fn check_invariants(state: &AppState) {
    use orgkit_server::store::audit::all;
    let mut conn = state.db.pool().acquire().await.unwrap();
    let orgs: Vec<String> = sqlx::query("SELECT DISTINCT org_id FROM audit_events")
        .fetch_all(&mut *conn)
        .await
        .unwrap()
        .iter()
        .map(|row| orgkit_server::db::text(row, "org_id").unwrap())
        .collect();
    let mut created = std::collections::BTreeSet::new();
    let mut deleted = std::collections::BTreeSet::new();
    for org in &orgs {
        let events = all(&mut conn, org).await.unwrap();
        let verdict = orgkit::audit::verify_chain(&events, None);
        assert!(verdict.valid, "{org}'s chain: {verdict:?}");
        for event in &events {
            let target = event.event.targets.first().map(|t| t.id.clone());
            match event.event.action.as_str() {
                "scim.user.created" => created.extend(target),
                "scim.user.deleted" => deleted.extend(target),
                _ => {}
            }
        }
    }
    let stored: std::collections::BTreeSet<String> = sqlx::query("SELECT id FROM scim_users")
        .fetch_all(&mut *conn)
        .await
        .unwrap()
        .iter()
        .map(|row| orgkit_server::db::text(row, "id").unwrap())
        .collect();
    let expected: std::collections::BTreeSet<String> =
        created.difference(&deleted).cloned().collect();
    assert_eq!(stored, expected, "SCIM users and their events disagree");
}
