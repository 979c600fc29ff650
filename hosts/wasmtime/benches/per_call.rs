//! Per-call cost of the engine inside wasmtime against the native engine: `route` and
//! `authorize` on a loaded engine, through `Sandbox::engine_call` and `orgkit::Engine::call`
//! (the same JSON text in and out). The directories are those of the vectors `route-sso-exact`
//! and `authz-role-owner-org.read`, as in the uniffi boundary bench. Needs the release guest:
//!
//!     cargo build --release -p orgkit-wasmtime-guest --target wasm32-unknown-unknown
//!     cargo bench -p orgkit-wasmtime --bench per_call
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use criterion::{criterion_group, criterion_main, Criterion};
use orgkit_wasmtime::{workspace_guest_path, Guest, Limits};
use std::hint::black_box;

#[path = "../tests/support/mod.rs"]
mod support;

fn per_call(c: &mut Criterion) {
    let path = workspace_guest_path("release");
    let guest = Guest::from_file(&path)
        .unwrap_or_else(|e| panic!("{e} (build the release guest: see the bench's docs)"));
    for (name, file, id) in [
        ("route", "routing/route.jsonl", "route-sso-exact"),
        (
            "authorize",
            "authz/roles.jsonl",
            "authz-role-owner-org.read",
        ),
    ] {
        let case = support::vector_case(file, id);
        let (load, request) = support::split_directory(&case);
        let op = case.op;
        let native =
            orgkit::Engine::new(orgkit::Directory::empty(&orgkit::LoadOptions::default()).unwrap());
        let mut sandbox = guest.sandbox(Limits::default()).unwrap();
        assert_eq!(
            native.call("load", &load),
            sandbox.engine_call("load", &load)
        );
        assert_eq!(
            native.call(&op, &request),
            sandbox.engine_call(&op, &request)
        );
        let fuel = Limits::default().fuel_per_call - sandbox.fuel_left();
        println!("{name}: {fuel} units of fuel per call in the release guest");
        let mut group = c.benchmark_group(name);
        group.bench_function("native", |b| {
            b.iter(|| native.call(black_box(&op), black_box(&request)))
        });
        group.bench_function("wasmtime", |b| {
            b.iter(|| sandbox.engine_call(black_box(&op), black_box(&request)))
        });
        group.finish();
    }
    // The floor of a call through the sandbox: an op the engine refuses at once.
    let mut sandbox = guest.sandbox(Limits::default()).unwrap();
    let native =
        orgkit::Engine::new(orgkit::Directory::empty(&orgkit::LoadOptions::default()).unwrap());
    let mut group = c.benchmark_group("unknown_op");
    group.bench_function("native", |b| {
        b.iter(|| native.call(black_box("no_such_op"), black_box("{}")))
    });
    group.bench_function("wasmtime", |b| {
        b.iter(|| sandbox.engine_call(black_box("no_such_op"), black_box("{}")))
    });
    group.finish();
}

criterion_group!(benches, per_call);
criterion_main!(benches);
