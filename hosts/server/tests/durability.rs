//! The server process under load: killed with SIGKILL mid-load, nothing it acknowledged is
//! lost and no half change is visible (every SCIM user has its audit event and its directory
//! membership, every event its user, every org's chain verifies); stopped with SIGTERM, it
//! finishes the requests in flight and exits cleanly.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::zombie_processes
)]

mod common;

use common::{backends, check_invariants, Backend};
use serde_json::json;
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// A server process with the demo directory.
struct Process {
    child: Child,
    url: String,
    scim: Option<String>,
}

fn spawn(backend: &Backend) -> Process {
    let mut child = Command::new(env!("CARGO_BIN_EXE_orgkit-server"))
        .args([
            "--demo",
            "--listen",
            "127.0.0.1:0",
            "--database-url",
            &backend.url(),
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut scim = None;
    loop {
        let line = lines
            .next()
            .expect("the server printed its address")
            .unwrap();
        if let Some(token) = line.strip_prefix("SCIM=") {
            scim = token.split_whitespace().next().map(str::to_string);
        }
        if let Some(rest) = line.strip_prefix("orgkit-server listening on ") {
            let url = rest.split_whitespace().next().unwrap().to_string();
            return Process { child, url, scim };
        }
    }
}

fn new_user(n: usize) -> serde_json::Value {
    let email = format!("load{n}@acme-demo.com");
    json!({
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
        "userName": email,
        "emails": [{"value": email, "primary": true}]
    })
}

/// SCIM creates from `workers` tasks until `stop`; the ids of the 201 answers.
async fn load(url: &str, token: &str, workers: usize, stop: Arc<AtomicBool>) -> Vec<String> {
    let acknowledged = Arc::new(Mutex::new(Vec::new()));
    let client = reqwest::Client::new();
    let tasks: Vec<_> = (0..workers)
        .map(|w| {
            let (client, url, token) = (client.clone(), url.to_string(), token.to_string());
            let (stop, acknowledged) = (stop.clone(), acknowledged.clone());
            tokio::spawn(async move {
                for i in 0..100_000 {
                    if stop.load(Ordering::SeqCst) {
                        break;
                    }
                    let response = client
                        .post(format!("{url}/scim/v2/Users"))
                        .bearer_auth(&token)
                        .header("content-type", "application/scim+json")
                        .body(new_user(w * 100_000 + i).to_string())
                        .send()
                        .await;
                    let Ok(response) = response else { break };
                    if response.status() != reqwest::StatusCode::CREATED {
                        break;
                    }
                    let Ok(body) = response.json::<serde_json::Value>().await else {
                        break;
                    };
                    acknowledged
                        .lock()
                        .unwrap()
                        .push(body["id"].as_str().unwrap().to_string());
                }
            })
        })
        .collect();
    for task in tasks {
        task.await.unwrap();
    }
    let ids = acknowledged.lock().unwrap().clone();
    ids
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_killed_server_loses_nothing_it_acknowledged_and_shows_no_half_change() {
    for backend in backends().await {
        let mut process = spawn(&backend);
        let token = process
            .scim
            .clone()
            .expect("a fresh database prints its SCIM token");
        let stop = Arc::new(AtomicBool::new(false));
        let writer = {
            let (url, stop) = (process.url.clone(), stop.clone());
            tokio::spawn(async move { load(&url, &token, 4, stop).await })
        };
        let start = Instant::now();
        tokio::time::sleep(Duration::from_millis(1500)).await;
        process.child.kill().unwrap(); // SIGKILL, mid-load
        process.child.wait().unwrap();
        stop.store(true, Ordering::SeqCst);
        let acknowledged = writer.await.unwrap();
        assert!(
            acknowledged.len() > 10,
            "{}: the load ran ({} creates in {:?})",
            backend.name(),
            acknowledged.len(),
            start.elapsed()
        );

        // Reopen the database as the next start would.
        let dns = Arc::new(common::FakeDns::default());
        let state = orgkit_server::open(&backend.url(), String::new(), dns)
            .await
            .unwrap();
        let dir = state.engine.snapshot();
        let mut conn = state.db.pool().acquire().await.unwrap();
        for id in &acknowledged {
            let stored = orgkit_server::store::scim::get(
                &mut conn,
                &state.db,
                orgkit::scim::protocol::ResourceKind::User,
                "org_acme",
                id,
            )
            .await
            .unwrap()
            .unwrap_or_else(|| panic!("{}: acknowledged user {id} was lost", backend.name()));
            let user = stored.user_id.unwrap();
            assert!(
                dir.membership(&user, "org_acme").is_some(),
                "{id}: user without its membership"
            );
        }
        drop(conn);
        check_invariants(&state).await;
        state.db.close().await;

        // And the server starts again on it.
        let mut again = spawn(&backend);
        let health: serde_json::Value = reqwest::get(format!("{}/healthz", again.url))
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(health["status"], "ok");
        again.child.kill().unwrap();
        again.child.wait().unwrap();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_finishes_the_requests_in_flight() {
    let backend = common::sqlite();
    let mut process = spawn(&backend);
    let token = process.scim.clone().unwrap();
    let stop = Arc::new(AtomicBool::new(false));
    let writer = {
        let (url, stop) = (process.url.clone(), stop.clone());
        tokio::spawn(async move { load(&url, &token, 4, stop).await })
    };
    tokio::time::sleep(Duration::from_millis(500)).await;
    let status = Command::new("kill")
        .args(["-TERM", &process.child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let exit = process.child.wait().unwrap();
    assert!(exit.success(), "a clean exit after SIGTERM: {exit:?}");
    stop.store(true, Ordering::SeqCst);
    let acknowledged = writer.await.unwrap();
    assert!(!acknowledged.is_empty());
    let dns = Arc::new(common::FakeDns::default());
    let state = orgkit_server::open(&backend.url(), String::new(), dns)
        .await
        .unwrap();
    let (count,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM scim_users")
        .fetch_one(state.db.pool())
        .await
        .unwrap();
    assert_eq!(
        usize::try_from(count).unwrap(),
        acknowledged.len(),
        "every request in flight was answered, and every answered create is stored"
    );
    check_invariants(&state).await;
    state.db.close().await;
}
