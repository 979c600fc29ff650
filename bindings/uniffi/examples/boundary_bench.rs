//! The native side of the uniffi boundary benchmark (`bindings/uniffi/bench/run.sh` runs it
//! beside the Kotlin side, `kotlin/src/test/kotlin/dev/orgkit/bench/BoundaryBench.kt`): the same
//! calls on the same directories, in Rust, without the FFI. Per call: p50, p99 and mean over
//! 200,000 individually timed calls after 50,000 warm-up calls.
//!
//! - `core typed`: the core's typed API (`Directory::route`, `Directory::authorize`,
//!   `Directory::check`);
//! - `core call`: the JSON call API (`orgkit::Engine::call`), what `Engine.call` wraps;
//! - `binding typed`: this crate's typed methods (JSON in, records out), what Kotlin's typed
//!   methods wrap;
//! - `binding version`: a call that does no work, the floor of a call through the binding.
//!
//! Run: `cargo run --release -p orgkit-uniffi --example boundary_bench [VECTORS_DIR]`.
#![allow(
    missing_docs,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use orgkit_uniffi::{Engine, ResourceRef, SessionScope};
use serde_json::Value;
use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::Instant;

const WARMUP: usize = 50_000;
const CALLS: usize = 200_000;

/// The input of the vector case `id` in `file`.
fn case_input(vectors: &Path, file: &str, id: &str) -> Value {
    let text = std::fs::read_to_string(vectors.join(file)).unwrap();
    text.lines()
        .map(|line| serde_json::from_str::<Value>(line).unwrap())
        .find(|case| case["id"] == id)
        .unwrap_or_else(|| panic!("no case {id} in {file}"))["input"]
        .clone()
}

/// An engine with the case's directory and options.
fn engine_of(input: &Value) -> std::sync::Arc<Engine> {
    let options = input.get("options").map(Value::to_string);
    Engine::with_directory(input["directory"].to_string(), options).unwrap()
}

fn measure(name: &str, mut call: impl FnMut()) {
    for _ in 0..WARMUP {
        call();
    }
    let mut nanos: Vec<u64> = Vec::with_capacity(CALLS);
    for _ in 0..CALLS {
        let start = Instant::now();
        call();
        nanos.push(start.elapsed().as_nanos() as u64);
    }
    let mean = nanos.iter().sum::<u64>() as f64 / CALLS as f64;
    nanos.sort_unstable();
    let p = |q: f64| nanos[((CALLS as f64 * q) as usize).min(CALLS - 1)] as f64 / 1000.0;
    println!(
        "| {name} | {:.2} | {:.2} | {:.2} |",
        p(0.50),
        p(0.99),
        mean / 1000.0
    );
}

fn main() {
    let vectors = std::env::args()
        .nth(1)
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/vectors"));
    let route_input = case_input(&vectors, "routing/route.jsonl", "route-sso-exact");
    let authz_input = case_input(&vectors, "authz/roles.jsonl", "authz-role-owner-org.read");

    println!("native (Rust, no FFI), µs per call");
    println!("| call | p50 | p99 | mean |");
    println!("|---|---|---|---|");
    measure("binding version", || {
        black_box(orgkit_uniffi::version());
    });

    let route_engine = engine_of(&route_input);
    let core_route = orgkit::Engine::new(
        orgkit::Directory::load_json(route_input["directory"].clone(), &Default::default())
            .unwrap(),
    );
    let email = "alice@acme.com".to_string();
    let route_json = serde_json::json!({ "email": email }).to_string();
    measure("route: core typed", || {
        black_box(core_route.snapshot().route(black_box(&email)).unwrap());
    });
    measure("route: core call", || {
        black_box(core_route.call("route", black_box(&route_json)));
    });
    measure("route: binding typed", || {
        black_box(route_engine.route(email.clone()).unwrap());
    });

    let authz_engine = engine_of(&authz_input);
    let options: orgkit::LoadOptions =
        serde_json::from_value(authz_input["options"].clone()).unwrap();
    let core_authz = orgkit::Engine::new(
        orgkit::Directory::load_json(authz_input["directory"].clone(), &options).unwrap(),
    );
    let mut request = authz_input.clone();
    let fields = request.as_object_mut().unwrap();
    fields.remove("directory");
    fields.remove("options");
    let authz_json = request.to_string();
    let typed_request: orgkit::AuthorizeRequest = serde_json::from_value(request).unwrap();
    let scope = SessionScope {
        user_id: "olga".into(),
        org_id: "org_acme".into(),
    };
    let resource = ResourceRef {
        kind: "Organization".into(),
        id: "org_acme".into(),
        org: None,
        attrs_json: None,
    };
    measure("authorize: core typed", || {
        black_box(
            core_authz
                .snapshot()
                .authorize(black_box(&typed_request))
                .unwrap(),
        );
    });
    measure("authorize: core call", || {
        black_box(core_authz.call("authorize", black_box(&authz_json)));
    });
    // What the binding's typed decision methods take, fresh for each call (they take it owned).
    let question = || (scope.clone(), String::from("org.read"), resource.clone());
    let now = 1_798_761_600;
    measure("authorize: binding typed", || {
        let (scope, action, resource) = question();
        black_box(
            authz_engine
                .authorize(scope, action, resource, now, None)
                .unwrap(),
        );
    });
    let check_request = typed_request.clone().into_check().unwrap();
    measure("check: core typed", || {
        black_box(
            core_authz
                .snapshot()
                .check(black_box(&check_request))
                .unwrap(),
        );
    });
    measure("check: binding typed", || {
        let (scope, action, resource) = question();
        black_box(
            authz_engine
                .check(scope, action, resource, now, None)
                .unwrap(),
        );
    });
}
