//! The wasm-bindgen binding of orgkit: nothing but binding code. JavaScript gets the engine's
//! one contract, the JSON call API, statelessly ([`call`]) and on an [`Engine`] that keeps the
//! loaded directory inside the Wasm instance, so later calls pass ids, not documents. The
//! idiomatic JS surface (`OrgkitError`, typed methods) is `js/index.js`, on top of this.
//!
//! A panic cannot unwind on `wasm32-unknown-unknown`: it aborts the instance. The panic hook
//! keeps its message first, so the JS wrapper turns the trap into an `OrgkitError` with code
//! `internal` and a fresh instance ([`last_panic`]).

use std::cell::RefCell;
use wasm_bindgen::prelude::*;

#[cfg(target_arch = "wasm32")]
mod alloc;

thread_local! {
    static LAST_PANIC: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Installs the panic hook that keeps the message for [`last_panic`].
#[wasm_bindgen(start)]
pub fn start() {
    std::panic::set_hook(Box::new(|info| {
        let message = info.to_string();
        LAST_PANIC.with(|last| *last.borrow_mut() = Some(message));
    }));
}

/// The message of the panic that aborted this instance, if one did.
#[wasm_bindgen(js_name = lastPanic)]
pub fn last_panic() -> Option<String> {
    LAST_PANIC.with(|last| last.borrow().clone())
}

/// Runs `op` statelessly: the input may carry `directory`, `options` and `changes`.
/// Returns `{"ok": …}` or `{"error": {…}}` as JSON text.
#[wasm_bindgen]
pub fn call(op: &str, input: &str) -> String {
    orgkit::call(op, input)
}

/// Every operation name the call API accepts, as a JSON array.
#[wasm_bindgen]
pub fn ops() -> String {
    let names: Vec<String> = orgkit::OPS.iter().map(|op| format!("\"{op}\"")).collect();
    format!("[{}]", names.join(","))
}

/// The engine's version (the crate version).
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}

/// An engine holding a directory inside the instance; `load` and `apply_changes` swap it.
#[wasm_bindgen]
pub struct Engine(orgkit::Engine);

#[wasm_bindgen]
impl Engine {
    /// An engine with an empty directory; `load` gives it one. Throws the error envelope's
    /// JSON text if the engine cannot start (its embedded data failed to build).
    #[wasm_bindgen(constructor)]
    pub fn new() -> Result<Engine, JsError> {
        orgkit::Directory::empty(&orgkit::LoadOptions::default())
            .map(|dir| Engine(orgkit::Engine::new(dir)))
            .map_err(|e| JsError::new(&e.to_string()))
    }

    /// Runs `op` on the engine's directory; `load` and `apply_changes` make their result
    /// current. Returns `{"ok": …}` or `{"error": {…}}` as JSON text.
    pub fn call(&self, op: &str, input: &str) -> String {
        self.0.call(op, input)
    }

    /// `check` from its fields, with no JSON text in: the envelope `call("check", …)` gives
    /// the input `{principal: {user|staff: principal}, active_org, action, resource: {type,
    /// id, org?}, now}`, or `undefined` when that text might exceed the engine's input limit
    /// or `now` is not an integer (the caller then sends the input through `call`).
    #[allow(clippy::too_many_arguments)]
    #[wasm_bindgen(js_name = checkFields)]
    pub fn check_fields(
        &self,
        staff: bool,
        principal: String,
        active_org: String,
        action: String,
        resource_type: String,
        resource_id: String,
        resource_org: Option<String>,
        now: f64,
    ) -> Option<String> {
        // Exactly the integers JSON text carries to an i64 (|now| < 2^63).
        if now.fract() != 0.0 || now.abs() >= 9.223_372_036_854_775e18 {
            return None;
        }
        let bound = [
            &principal,
            &active_org,
            &action,
            &resource_type,
            &resource_id,
        ]
        .into_iter()
        .chain(resource_org.as_ref())
        .fold(CHECK_FRAME_BYTES, |sum, text| {
            sum.saturating_add(orgkit::wire::json_string_bound(text.len()))
        });
        let request = orgkit::CheckRequest {
            principal: if staff {
                orgkit::Principal::Staff(principal)
            } else {
                orgkit::Principal::User(principal)
            },
            active_org,
            action,
            resource: orgkit::Resource {
                kind: resource_type,
                id: resource_id,
                org: resource_org,
                attrs: None,
            },
            now: now as i64,
            context: Default::default(),
        };
        self.0.call_check(&request, bound)
    }
}

/// The longest JSON text of `check`'s input with no string: every key, brackets, the longest `now`.
const CHECK_FRAME_BYTES: usize = 160;

/// Panics on purpose, so the tests can prove a trap becomes a typed error. Not for use.
#[doc(hidden)]
#[wasm_bindgen(js_name = __panicForTests)]
pub fn panic_for_tests() {
    panic!("a panic the tests asked for");
}
