//! A bounded load test on loopback: the server (in this process, its own runtime) with the demo
//! directory on a fresh SQLite file (or `--database-url postgres://…`), concurrent SCIM user
//! creates and authorization checks for a few seconds; prints throughput, errors and latency.
//!
//!     cargo run --release -p orgkit-server --example load -- [--seconds 5] [--writers 4]
//!         [--readers 8] [--database-url URL]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use orgkit_server::dns::SystemResolver;
use orgkit_server::keys::USER_ISSUER;
use orgkit_server::{Config, Server};
use serde_json::json;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// What one kind of request did.
#[derive(Default)]
struct Tally {
    ok: u64,
    errors: u64,
    micros: Vec<u64>,
}

impl Tally {
    fn merge(&mut self, other: Tally) {
        self.ok += other.ok;
        self.errors += other.errors;
        self.micros.extend(other.micros);
    }

    fn report(&mut self, name: &str, seconds: f64) {
        self.micros.sort_unstable();
        let at = |q: f64| {
            let i = ((self.micros.len() as f64 - 1.0) * q).round() as usize;
            self.micros.get(i).copied().unwrap_or(0) as f64 / 1000.0
        };
        println!(
            "{name:<22} {:>8} ok {:>6} errors {:>9.0} req/s   p50 {:>7.2} ms   p99 {:>7.2} ms",
            self.ok,
            self.errors,
            self.ok as f64 / seconds,
            at(0.5),
            at(0.99)
        );
    }
}

fn arg(args: &[String], name: &str, default: &str) -> String {
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .cloned()
        .unwrap_or_else(|| default.to_string())
}

async fn scim_writer(url: String, token: String, worker: usize, until: Instant) -> Tally {
    let client = reqwest::Client::new();
    let mut tally = Tally::default();
    for n in 0..1_000_000usize {
        if Instant::now() >= until {
            break;
        }
        let email = format!("load-{worker}-{n}@acme-demo.com");
        let body = json!({
            "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
            "userName": email,
            "name": {"givenName": "Load", "familyName": format!("Worker {worker}")},
            "emails": [{"value": email, "type": "work", "primary": true}]
        });
        let start = Instant::now();
        let response = client
            .post(format!("{url}/scim/v2/Users"))
            .bearer_auth(&token)
            .header("content-type", "application/scim+json")
            .body(body.to_string())
            .send()
            .await;
        match response {
            Ok(r) if r.status() == reqwest::StatusCode::CREATED => {
                tally.ok += 1;
                tally.micros.push(start.elapsed().as_micros() as u64);
            }
            _ => tally.errors += 1,
        }
    }
    tally
}

async fn authorizer(url: String, token: String, until: Instant) -> Tally {
    let client = reqwest::Client::new();
    let mut tally = Tally::default();
    let checks = [
        json!({"action": "sso.configure", "resource": {"type": "SsoConnection", "id": "conn_acme_saml"}}),
        json!({"action": "users.read", "resource": {"type": "Organization", "id": "org_acme"}}),
        json!({"action": "sso.configure", "resource": {"type": "SsoConnection", "id": "conn_globex_oidc"}}),
    ];
    for n in 0..10_000_000usize {
        if Instant::now() >= until {
            break;
        }
        let start = Instant::now();
        let response = client
            .post(format!("{url}/v1/authorize"))
            .bearer_auth(&token)
            .json(&checks[n % checks.len()])
            .send()
            .await;
        match response {
            Ok(r) if r.status() == reqwest::StatusCode::OK => {
                tally.ok += 1;
                tally.micros.push(start.elapsed().as_micros() as u64);
            }
            _ => tally.errors += 1,
        }
    }
    tally
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let seconds: u64 = arg(&args, "--seconds", "5").parse().unwrap();
    let writers: usize = arg(&args, "--writers", "4").parse().unwrap();
    let readers: usize = arg(&args, "--readers", "8").parse().unwrap();
    assert!(seconds <= 60, "a bounded test: at most 60 seconds");
    let file = std::env::temp_dir().join(format!("orgkit-load-{}.db", std::process::id()));
    let database_url = arg(
        &args,
        "--database-url",
        &format!("sqlite://{}?mode=rwc", file.display()),
    );

    // The server on its own runtime, as the binary runs it.
    let server_runtime = tokio::runtime::Runtime::new().unwrap();
    let config = Config {
        listen: "127.0.0.1:0".parse().unwrap(),
        database_url: database_url.clone(),
        public_url: None,
        demo: false,
    };
    let (url, scim, alice, stop) = server_runtime.block_on(async {
        let server = Server::bind(&config, Arc::new(SystemResolver::new()))
            .await
            .unwrap();
        let state = server.state().clone();
        let scim = orgkit_server::demo::seed(&state)
            .await
            .unwrap()
            .expect("a fresh database");
        let now = orgkit_server::clock::now();
        let alice = state
            .key
            .mint(USER_ISSUER, "u_alice", None, now, 3600)
            .unwrap();
        let url = format!("http://{}", server.addr().unwrap());
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        let handle = tokio::spawn(server.run(async move {
            let _ = rx.await;
        }));
        (url, scim, alice, (tx, handle))
    });

    let client_runtime = tokio::runtime::Runtime::new().unwrap();
    let start = Instant::now();
    let until = start + Duration::from_secs(seconds);
    let (mut writes, mut reads) = client_runtime.block_on(async {
        let w: Vec<_> = (0..writers)
            .map(|i| tokio::spawn(scim_writer(url.clone(), scim.clone(), i, until)))
            .collect();
        let r: Vec<_> = (0..readers)
            .map(|_| tokio::spawn(authorizer(url.clone(), alice.clone(), until)))
            .collect();
        let (mut writes, mut reads) = (Tally::default(), Tally::default());
        for task in w {
            writes.merge(task.await.unwrap());
        }
        for task in r {
            reads.merge(task.await.unwrap());
        }
        (writes, reads)
    });
    let elapsed = start.elapsed().as_secs_f64();
    println!(
        "orgkit-server load: {seconds} s on loopback, {writers} SCIM writers + {readers} authorization readers, {}",
        if database_url.starts_with("postgres") { "PostgreSQL" } else { "SQLite (WAL, synchronous=FULL)" }
    );
    writes.report("POST /scim/v2/Users", elapsed);
    reads.report("POST /v1/authorize", elapsed);

    let (tx, handle) = stop;
    let _ = tx.send(());
    server_runtime.block_on(handle).unwrap().unwrap();
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", file.display()));
    }
}
