//! Hot swaps (`Sandbox::swap`, `swap_bytes`, `swap_file`): the directory and load options go
//! to the new instance, and a refused swap leaves the old one answering as before.
//!
//! Part of the `sandbox` test binary, to share its compiled guest.

use crate::support::{split_directory, vector_case as case};
use crate::{code_and_reason, guest, sandbox};
use orgkit_conformance::judge;
use orgkit_wasmtime::{workspace_guest_path, Guest, Limits, Sandbox};
use serde_json::Value;
use std::sync::OnceLock;

/// A second compilation of the guest module: another `Guest`, as a new build would be.
fn fresh_guest() -> &'static Guest {
    static FRESH: OnceLock<Guest> = OnceLock::new();
    FRESH.get_or_init(|| {
        let bytes = std::fs::read(workspace_guest_path("debug")).unwrap();
        Guest::compile(&bytes, false).unwrap()
    })
}

fn native_engine() -> orgkit::Engine {
    orgkit::Engine::new(orgkit::Directory::empty(&orgkit::LoadOptions::default()).unwrap())
}

fn is_ok(output: &str) -> bool {
    output.starts_with("{\"ok\"")
}

fn version(sandbox: &mut Sandbox) -> u64 {
    let stats: Value = serde_json::from_str(&sandbox.engine_call("stats", "{}")).unwrap();
    stats["ok"]["version"].as_u64().unwrap()
}

/// A change set that alters the answer to `request`: routing to a disabled org is blocked, an
/// authorization for a suspended member denied.
fn altering_change(native: &orgkit::Engine, op: &str, request: &str) -> String {
    let change = if op == "route" {
        let export: Value = serde_json::from_str(&native.call("export", "{}")).unwrap();
        let mut org = export["ok"]["orgs"]
            .as_array()
            .unwrap()
            .iter()
            .find(|org| org["id"] == "org_acme")
            .unwrap()
            .clone();
        org["status"] = "disabled".into();
        serde_json::json!({"op": "upsert_org", "org": org})
    } else {
        let request: Value = serde_json::from_str(request).unwrap();
        serde_json::json!({"op": "upsert_membership", "membership": {
            "user_id": request["principal"]["user"], "org_id": request["active_org"],
            "roles": [], "status": "suspended"}})
    };
    serde_json::json!({"changes": {"schema_version": 1, "changes": [change]}}).to_string()
}

#[test]
fn a_swap_carries_the_directory_and_its_options_over() {
    // Two cases whose decisions depend on their load options (host authz policies, extra
    // consumer domains) and two on plain directories that a change then alters.
    let cases = [
        ("routing/route.jsonl", "route-sso-exact", true),
        ("authz/roles.jsonl", "authz-role-owner-org.read", true),
        ("authz/app.jsonl", "authz-app-member-reads", false),
        ("routing/route.jsonl", "route-host-consumer-domain", false),
    ];
    for (file, id, change) in cases {
        let case = case(file, id);
        let (load, request) = split_directory(&case);
        let native = native_engine();
        let mut sandbox = sandbox(Limits::default());
        assert!(is_ok(&native.call("load", &load)), "{id}");
        assert!(is_ok(&sandbox.engine_call("load", &load)), "{id}");

        sandbox.swap(fresh_guest()).unwrap();
        let output = sandbox.engine_call(&case.op, &request);
        assert_eq!(output, native.call(&case.op, &request), "{id}");
        judge(&case, &output).unwrap();
        assert_eq!(
            sandbox.engine_call("export", "{}"),
            native.call("export", "{}"),
            "{id}"
        );
        assert!(!sandbox.needs_load());
        if !change {
            continue;
        }

        // A change applied before a swap is in the directory the new instance loads.
        let changes = altering_change(&native, &case.op, &request);
        let applied = native.call("apply_changes", &changes);
        assert!(is_ok(&applied), "{id}: {applied}");
        assert_eq!(sandbox.engine_call("apply_changes", &changes), applied);
        let changed = native.call(&case.op, &request);
        assert_ne!(changed, output, "{id}: the change alters the answer");
        assert_eq!(version(&mut sandbox), 2);
        sandbox.swap(guest()).unwrap();
        assert_eq!(sandbox.engine_call(&case.op, &request), changed, "{id}");
        assert_eq!(
            sandbox.engine_call("export", "{}"),
            native.call("export", "{}"),
            "{id}"
        );
        // The snapshot's version counter is not carried over: the new engine loaded once.
        assert_eq!(version(&mut sandbox), 1);
        // And the swapped sandbox keeps taking changes and loads.
        assert!(is_ok(&sandbox.engine_call("load", &load)));
        assert_eq!(sandbox.engine_call(&case.op, &request), output, "{id}");
    }
}

#[test]
fn a_swap_without_a_directory_keeps_the_engine_state() {
    let case = case("routing/route.jsonl", "route-sso-exact");
    let (load, request) = split_directory(&case);
    // Nothing loaded: a fresh, empty engine, as before.
    let mut sandbox = sandbox(Limits::default());
    sandbox.swap(guest()).unwrap();
    let native = native_engine();
    assert_eq!(
        sandbox.engine_call("route", &request),
        native.call("route", &request)
    );
    // A directory lost to a trap stays lost: the new instance must be loaded too.
    assert!(is_ok(&sandbox.engine_call("load", &load)));
    sandbox.panic_for_tests();
    assert!(sandbox.needs_load());
    sandbox.swap(guest()).unwrap();
    assert!(sandbox.needs_load());
    assert_eq!(
        code_and_reason(&sandbox.engine_call("route", &request)),
        ("internal".into(), "engine_reset".into())
    );
    assert!(is_ok(&sandbox.engine_call("load", &load)));
    assert!(is_ok(&sandbox.engine_call("route", &request)));
}

/// A module with the ABI's exports, speaking ABI `version`, whose calls run `body` (returning
/// an `i64`) and can return the text `data` (at address 16, as `16 << 32 | len`).
fn fake_guest(version: u32, body: &str, data: &str) -> Vec<u8> {
    let text = format!(
        r#"(module
  (memory (export "memory") 16)
  (data (i32.const 16) "{escaped}")
  (func (export "orgkit_abi_version") (result i32) i32.const {version})
  (func (export "orgkit_input") (param i32) (result i32) i32.const 1024)
  (func (export "orgkit_call") (param i32 i32) (result i64) {body})
  (func (export "orgkit_engine_call") (param i32 i32) (result i64) {body})
  (func (export "orgkit_last_panic") (result i64) i64.const 0)
  (func (export "orgkit_panic_for_tests") unreachable))"#,
        escaped = data.replace('\\', "\\\\").replace('"', "\\\""),
    );
    wat::parse_str(text).unwrap()
}

/// A loaded sandbox, the request of its case and the answer it gives.
fn loaded() -> (Sandbox, String, String) {
    let case = case("routing/route.jsonl", "route-sso-exact");
    let (load, request) = split_directory(&case);
    let mut sandbox = sandbox(Limits::default());
    assert!(is_ok(&sandbox.engine_call("load", &load)));
    let answer = sandbox.engine_call("route", &request);
    assert!(is_ok(&answer));
    (sandbox, request, answer)
}

fn still_answers(sandbox: &mut Sandbox, request: &str, answer: &str) {
    assert!(!sandbox.needs_load());
    assert_eq!(sandbox.engine_call("route", request), answer);
}

#[test]
fn a_swap_to_another_abi_version_is_refused() {
    let (mut sandbox, request, answer) = loaded();
    let error = sandbox
        .swap_bytes(&fake_guest(2, "i64.const 0", ""))
        .unwrap_err();
    assert_eq!(error.code(), "guest_abi_mismatch");
    assert!(error.to_string().contains("ABI 2"), "{error}");
    still_answers(&mut sandbox, &request, &answer);
    // A module missing an export is refused the same way.
    let partial = wat::parse_str(r#"(module (memory (export "memory") 1))"#).unwrap();
    assert_eq!(
        sandbox.swap_bytes(&partial).unwrap_err().code(),
        "guest_abi_mismatch"
    );
    still_answers(&mut sandbox, &request, &answer);
}

#[test]
fn a_swap_to_bytes_that_are_not_wasm_is_refused() {
    let (mut sandbox, request, answer) = loaded();
    let error = sandbox.swap_bytes(b"not wasm").unwrap_err();
    assert_eq!(error.code(), "guest_invalid");
    still_answers(&mut sandbox, &request, &answer);
    let error = sandbox.swap_file("/no/such/guest.wasm").unwrap_err();
    assert_eq!(error.code(), "guest_unreadable");
    still_answers(&mut sandbox, &request, &answer);
}

#[test]
fn a_swap_whose_new_instance_fails_to_load_is_refused() {
    let (mut sandbox, request, answer) = loaded();
    // The new engine refuses the directory.
    let refusal = r#"{"error":{"code":"invalid_input","message":"refused"}}"#;
    let packed = (16_u64 << 32) | refusal.len() as u64;
    let refusing = fake_guest(1, &format!("i64.const {packed}"), refusal);
    let error = sandbox.swap_bytes(&refusing).unwrap_err();
    assert_eq!(error.code(), "swap_load_failed");
    assert_eq!(error, orgkit_wasmtime::SwapError::Load(refusal.into()));
    still_answers(&mut sandbox, &request, &answer);
    // The new engine traps while loading it.
    let error = sandbox
        .swap_bytes(&fake_guest(1, "unreachable", ""))
        .unwrap_err();
    assert_eq!(error.code(), "swap_load_failed");
    assert!(error.to_string().contains("guest_trap"), "{error}");
    still_answers(&mut sandbox, &request, &answer);
}
