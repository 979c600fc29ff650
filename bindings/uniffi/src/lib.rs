//! The uniffi binding of orgkit for mobile apps (Kotlin, Swift): nothing but binding code.
//!
//! - [`call`] and [`Engine::call`]: the core's JSON call API unchanged, JSON text in and the
//!   `{"ok": …}` / `{"error": {…}}` envelope out (the conformance vectors run through it).
//! - [`Engine`]: a directory loaded once, with typed methods for what a mobile app does —
//!   route an email, brand the login screen, verify and resolve a session, gate the UI
//!   (`authorize`, `check`, `allowed_actions`), read feature flags — and [`Engine::invoke`]
//!   for any op.
//! - [`OrgkitError`]: one variant per error family of the core, each with the stable `code`.
//!
//! Every typed method builds the op's JSON input and decodes its output: the semantics are the
//! core's, byte for byte. A panic never crosses the boundary: the core turns one inside the
//! engine into an `internal` error, and the typed methods catch any other as
//! [`OrgkitError::Internal`].

mod engine;
mod error;
mod types;

pub use engine::Engine;
pub use error::OrgkitError;
pub use types::*;

use orgkit::ErrorCode;
use std::panic::{catch_unwind, AssertUnwindSafe};

uniffi::setup_scaffolding!("orgkit");

/// Runs `op` statelessly: the input may carry `directory` (with `options`) and a `changes` set
/// to apply first. Returns `{"ok": …}` or `{"error": {…}}` as JSON text, never throws.
#[uniffi::export]
pub fn call(op: String, input_json: String) -> String {
    orgkit::call(&op, &input_json)
}

/// Runs `op` statelessly, as [`call`]: the `ok` value's JSON text, or the error thrown.
#[uniffi::export]
pub fn invoke(op: String, input_json: String) -> Result<String, OrgkitError> {
    guarded(|| ok_text(orgkit::call(&op, &input_json)))
}

/// Every op name the JSON call API accepts.
#[uniffi::export]
pub fn ops() -> Vec<String> {
    orgkit::OPS.iter().map(|op| op.to_string()).collect()
}

/// The engine's version.
#[uniffi::export]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}

/// The `ok` value's JSON text of a call's output, or its error.
fn ok_text(output: String) -> Result<String, OrgkitError> {
    // The core writes the envelope as `{"ok":<value>}` or `{"error":<error>}`, without spaces.
    if let Some(value) = output
        .strip_prefix("{\"ok\":")
        .and_then(|rest| rest.strip_suffix('}'))
    {
        return Ok(value.to_string());
    }
    #[derive(serde::Deserialize)]
    struct Failed {
        error: orgkit::Error,
    }
    match serde_json::from_str::<Failed>(&output) {
        Ok(failed) => Err(failed.error.into()),
        Err(e) => Err(OrgkitError::new(
            ErrorCode::Internal,
            format!("the engine's output is neither ok nor an error: {e}"),
            None,
        )),
    }
}

/// The `ok` value of `op`, decoded as its typed result.
fn decode<T: serde::de::DeserializeOwned>(op: &str, json: &str) -> Result<T, OrgkitError> {
    serde_json::from_str(json).map_err(|e| {
        OrgkitError::new(
            ErrorCode::Internal,
            format!("the output of `{op}` does not fit its typed result: {e}"),
            None,
        )
    })
}

/// An argument given as JSON text, parsed; `path` names it in the error.
fn json_arg(text: &str, path: &str) -> Result<serde_json::Value, OrgkitError> {
    serde_json::from_str(text).map_err(|e| {
        OrgkitError::new(
            ErrorCode::InvalidJson,
            format!("`{path}` is not valid JSON: {e}"),
            Some(path),
        )
    })
}

/// Runs a typed method, turning a panic into [`OrgkitError::Internal`].
fn guarded<T>(f: impl FnOnce() -> Result<T, OrgkitError>) -> Result<T, OrgkitError> {
    catch_unwind(AssertUnwindSafe(f)).unwrap_or_else(|_| {
        Err(OrgkitError::new(
            ErrorCode::Internal,
            "the binding hit a bug and refused this call; the engine remains usable".into(),
            None,
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ok_text_is_the_ok_value_byte_for_byte() {
        let output = orgkit::call("normalize_domain", r#"{"domain":"Bücher.DE"}"#);
        let value = ok_text(output.clone()).unwrap();
        assert_eq!(format!("{{\"ok\":{value}}}"), output);
    }

    #[test]
    fn an_error_envelope_becomes_the_error() {
        let error = invoke("frobnicate".into(), "{}".into()).unwrap_err();
        assert!(matches!(error, OrgkitError::Input { .. }));
        assert_eq!(error.code(), "unknown_op");
        let garbage = ok_text("[]".into()).unwrap_err();
        assert!(matches!(garbage, OrgkitError::Internal { .. }));
    }

    #[test]
    fn a_panic_in_a_typed_method_is_an_internal_error() {
        let error = guarded::<()>(|| panic!("a panic the test asked for")).unwrap_err();
        assert!(matches!(error, OrgkitError::Internal { .. }));
        assert_eq!(error.code(), "internal");
    }

    #[test]
    fn json_arguments_are_checked_and_named() {
        let error = json_arg("{", "context").unwrap_err();
        assert_eq!(error.code(), "invalid_json");
        assert_eq!(error.path().as_deref(), Some("context"));
    }

    #[test]
    fn a_typed_result_that_does_not_fit_is_an_internal_error() {
        let error = decode::<types::Stats>("route", "{}").unwrap_err();
        assert!(matches!(error, OrgkitError::Internal { .. }));
    }
}
