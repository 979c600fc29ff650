//! The wasmtime host against the guest module this workspace builds (`tests/run-all.sh` builds it
//! first: `cargo build -p orgkit-wasmtime-guest --target wasm32-unknown-unknown`):
//! every conformance vector byte for byte as the native engine, the engine calls, and traps
//! (panic, fuel, memory) as errors after which the host stays usable, and hot swaps (`swaps`).
//!
//! One test binary, one compiled module for every test (and a second for the swap tests):
//! compiling the debug-built guest is the slow part.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod support;
mod swaps;

use orgkit_conformance::{all_cases, judge, vector_files, vectors_dir};
use orgkit_wasmtime::{workspace_guest_path, Guest, Limits, Sandbox};
use serde_json::Value;
use std::sync::OnceLock;
use support::{split_directory, vector_case as case};

fn guest() -> &'static Guest {
    static GUEST: OnceLock<Guest> = OnceLock::new();
    GUEST.get_or_init(|| {
        let path = workspace_guest_path("debug");
        assert!(
            path.exists(),
            "no guest module at {}: build it with \
             `cargo build -p orgkit-wasmtime-guest --target wasm32-unknown-unknown`",
            path.display()
        );
        let bytes = std::fs::read(&path).unwrap();
        // Unoptimised: a debug guest compiles several times faster so, and the vectors are few.
        Guest::compile(&bytes, false).unwrap()
    })
}

fn sandbox(limits: Limits) -> Sandbox {
    guest().sandbox(limits).unwrap()
}

fn code_and_reason(output: &str) -> (String, String) {
    let value: Value = serde_json::from_str(output).unwrap();
    let error = &value["error"];
    assert!(error.is_object(), "expected an error, got {output}");
    (
        error["code"].as_str().unwrap_or_default().to_string(),
        error["reason"].as_str().unwrap_or_default().to_string(),
    )
}

#[test]
fn every_vector_file_matches_the_native_engine_byte_for_byte() {
    let dir = vectors_dir();
    let files = vector_files(&dir).unwrap();
    let cases = all_cases(&dir).unwrap();
    let mut sandbox = sandbox(Limits::default());
    let mut failures = Vec::new();
    let mut files_seen = std::collections::BTreeSet::new();
    for case in &cases {
        files_seen.insert(case.file.clone());
        let output = sandbox.call(&case.op, &case.input);
        let native = orgkit::call(&case.op, &case.input);
        if output != native {
            failures.push(format!(
                "{} {}: differs from native\n  wasmtime: {output}\n  native:   {native}",
                case.file, case.id
            ));
        } else if let Err(why) = judge(case, &output) {
            failures.push(format!("{} {}: {why}", case.file, case.id));
        }
    }
    for failure in &failures {
        eprintln!("FAIL {failure}");
    }
    println!(
        "vectors through wasmtime: {} cases from {} files, {} failed",
        cases.len(),
        files_seen.len(),
        failures.len()
    );
    assert!(failures.is_empty(), "{} vectors failed", failures.len());
    assert_eq!(files_seen.len(), files.len(), "a vector file has no case");
    assert!(cases.len() >= 500, "only {} vectors found", cases.len());
}

#[test]
fn engine_calls_match_the_native_engine() {
    let route = case("routing/route.jsonl", "route-sso-exact");
    let authz = case("authz/roles.jsonl", "authz-role-owner-org.read");
    let mut sandbox = sandbox(Limits::default());
    for case in [route, authz] {
        let (load, request) = split_directory(&case);
        let native =
            orgkit::Engine::new(orgkit::Directory::empty(&orgkit::LoadOptions::default()).unwrap());
        assert_eq!(
            sandbox.engine_call("load", &load),
            native.call("load", &load)
        );
        let output = sandbox.engine_call(&case.op, &request);
        assert_eq!(output, native.call(&case.op, &request));
        judge(&case, &output).unwrap();
        let changes = r#"{"changes":[{"op":"remove_org","org_id":"org_acme"}]}"#;
        assert_eq!(
            sandbox.engine_call("apply_changes", changes),
            native.call("apply_changes", changes)
        );
        assert_eq!(
            sandbox.engine_call(&case.op, &request),
            native.call(&case.op, &request)
        );
    }
    // An unknown op and malformed JSON are the engine's own errors, unchanged.
    assert_eq!(
        code_and_reason(&sandbox.engine_call("no_such_op", "{}")).0,
        "unknown_op"
    );
    assert_eq!(
        code_and_reason(&sandbox.call("route", "{")).0,
        "invalid_json"
    );
}

#[test]
fn a_panic_is_an_error_and_the_engine_must_be_reloaded() {
    let case = case("routing/route.jsonl", "route-sso-exact");
    let (load, request) = split_directory(&case);
    let mut sandbox = sandbox(Limits::default());
    let loaded = sandbox.engine_call("load", &load);
    assert!(loaded.starts_with("{\"ok\""), "{loaded}");
    let before = sandbox.engine_call("route", &request);

    let output = sandbox.panic_for_tests();
    assert_eq!(
        code_and_reason(&output),
        ("internal".into(), "guest_panic".into())
    );
    assert!(output.contains("a panic the tests asked for"), "{output}");

    // The directory went with the instance: no silent decisions on an empty engine.
    assert!(sandbox.needs_load());
    assert_eq!(
        code_and_reason(&sandbox.engine_call("route", &request)),
        ("internal".into(), "engine_reset".into())
    );
    // Stateless calls work at once, on the fresh instance.
    assert_eq!(
        sandbox.call(&case.op, &case.input),
        orgkit::call(&case.op, &case.input)
    );
    // A failed load leaves it reset; a good one restores it.
    assert_eq!(
        code_and_reason(&sandbox.engine_call("load", "{}")).0,
        "invalid_input"
    );
    assert!(sandbox.needs_load());
    assert_eq!(sandbox.engine_call("load", &load), loaded);
    assert!(!sandbox.needs_load());
    assert_eq!(sandbox.engine_call("route", &request), before);
}

#[test]
fn the_fuel_limit_is_enforced_per_call() {
    let case = case("routing/route.jsonl", "route-sso-exact");
    let (load, request) = split_directory(&case);
    // What a route costs, measured: a budget between it and a load's makes the load trap.
    let mut sandbox = sandbox(Limits::default());
    sandbox.engine_call("load", &load);
    sandbox.engine_call("route", &request);
    let route_fuel = Limits::default().fuel_per_call - sandbox.fuel_left();
    sandbox.engine_call("load", &load);
    let load_fuel = Limits::default().fuel_per_call - sandbox.fuel_left();
    assert!(
        load_fuel > 4 * route_fuel,
        "load {load_fuel}, route {route_fuel}"
    );

    let budget = 2 * route_fuel;
    let mut sandbox = self::sandbox(Limits {
        fuel_per_call: budget,
        ..Limits::default()
    });
    let output = sandbox.engine_call("load", &load);
    assert_eq!(
        code_and_reason(&output),
        ("limit_exceeded".into(), "fuel_exhausted".into()),
    );
    assert!(output.contains(&budget.to_string()), "{output}");
    // The budget is per call: cheap calls keep working on the fresh instance.
    for _ in 0..3 {
        let version = sandbox.call("normalize_email", r#"{"email":"Alice@Example.COM"}"#);
        assert_eq!(
            version,
            orgkit::call("normalize_email", r#"{"email":"Alice@Example.COM"}"#)
        );
    }
}

#[test]
fn the_memory_limit_is_enforced() {
    let case = case("routing/route.jsonl", "route-sso-exact");
    let (load, request) = split_directory(&case);
    let limit = 64 << 20;
    let mut sandbox = sandbox(Limits {
        memory_bytes: limit,
        ..Limits::default()
    });
    assert!(sandbox.engine_call("load", &load).starts_with("{\"ok\""));
    let routed = sandbox.engine_call("route", &request);
    // An input bigger than the limit cannot even be copied in.
    let big = format!("{{\"email\":\"{}@example.com\"}}", "a".repeat(limit));
    let output = sandbox.call("route", &big);
    assert_eq!(
        code_and_reason(&output),
        ("limit_exceeded".into(), "memory_exhausted".into()),
    );
    assert!(sandbox.memory_bytes() <= limit);
    assert!(sandbox.needs_load());
    assert!(sandbox.engine_call("load", &load).starts_with("{\"ok\""));
    assert_eq!(sandbox.engine_call("route", &request), routed);

    // Below the module's own initial memory, no instance can be made: a setup error.
    let error = guest()
        .sandbox(Limits {
            memory_bytes: 64 << 10,
            ..Limits::default()
        })
        .unwrap_err();
    assert_eq!(error.code(), "instantiate_failed");
}

#[test]
fn a_module_that_is_not_the_guest_is_refused() {
    let error = Guest::from_bytes(b"not wasm").unwrap_err();
    assert_eq!(error.code(), "guest_invalid");
    // A valid module without the ABI's exports.
    let empty = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
    assert_eq!(
        Guest::from_bytes(&empty).unwrap_err().code(),
        "guest_abi_mismatch"
    );
    let missing = Guest::from_file("/no/such/guest.wasm").unwrap_err();
    assert_eq!(missing.code(), "guest_unreadable");
}
