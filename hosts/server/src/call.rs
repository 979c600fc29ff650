//! The engine's JSON call API from Rust values, for the operations the server runs through it
//! (so that their semantics are the bindings' exactly).

use crate::error::{ApiError, ApiResult};
use orgkit::{Engine, ErrorCode};
use serde_json::Value;

/// Runs `op` on the engine's directory; its error becomes the request's.
pub fn call(engine: &Engine, op: &str, input: &Value) -> ApiResult<Value> {
    envelope(op, &engine.call(op, &input.to_string()))
}

/// Runs `op` statelessly (`orgkit::call`): everything it needs is in `input`.
pub fn call_stateless(op: &str, input: &Value) -> ApiResult<Value> {
    envelope(op, &orgkit::call(op, &input.to_string()))
}

fn envelope(op: &str, output: &str) -> ApiResult<Value> {
    let mut envelope: serde_json::Map<String, Value> = serde_json::from_str(output)
        .map_err(|e| ApiError::new(ErrorCode::Internal, format!("`{op}` answered: {e}")))?;
    if let Some(ok) = envelope.remove("ok") {
        return Ok(ok);
    }
    let error = envelope
        .remove("error")
        .and_then(|e| serde_json::from_value::<orgkit::Error>(e).ok())
        .unwrap_or_else(|| {
            orgkit::Error::new(
                ErrorCode::Internal,
                format!("`{op}` answered neither ok nor error"),
            )
        });
    Err(error.into())
}
