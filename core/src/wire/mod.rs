//! The JSON call API: `call(op, input_json) -> output_json`, the one contract every binding
//! exposes unchanged. Output is `{"ok": …}` or `{"error": {code, message, …}}`; a panic inside
//! the engine becomes an `internal` error and never crosses the boundary.
//!
//! [`call`] is stateless: an input may carry a `directory` (with `options`) to load and a
//! `changes` change set to apply first; [`Engine::call`] runs on the engine's current directory.

mod audit_ops;
mod fast;
mod ops;
mod scim_ops;
mod session_ops;
mod sql_ops;

use crate::directory::{Directory, LoadOptions};
use crate::engine::Engine;
use crate::error::{Error, ErrorCode, Result};
use crate::limits::Limits;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};
use std::panic::{catch_unwind, AssertUnwindSafe};

pub use fast::json_string_bound;
pub use ops::OPS;

/// Runs `op` statelessly; see the module docs.
pub fn call(op: &str, input: &str) -> String {
    envelope(guarded(|| {
        let mut fields = parse_input(input, Limits::default().max_input_bytes)?;
        let options: LoadOptions = match fields.remove("options") {
            Some(value) => decode(value, "options")?,
            None => LoadOptions::default(),
        };
        let mut directory = match fields.remove("directory") {
            Some(value) => Some(Directory::load_json(value, &options)?),
            None => None,
        };
        if let Some(changes) = fields.remove("changes") {
            let dir = directory.as_ref().ok_or_else(|| needs_directory(op))?;
            if op == "apply_changes" && fields.contains_key("audit") {
                let audit = decode(fields.remove("audit").unwrap_or_default(), "audit")?;
                no_more_fields(&fields)?;
                return audited(dir.apply_json_audited(changes, &audit)?);
            }
            directory = Some(dir.apply_json(changes)?);
        }
        match op {
            "load" | "apply_changes" => ops::stats(
                directory.as_ref().ok_or_else(|| needs_directory(op))?,
                fields,
            ),
            _ => ops::dispatch(op, directory.as_ref(), fields),
        }
    }))
}

impl Engine {
    /// Runs `op` on this engine's directory; `load` and `apply_changes` make their result current.
    pub fn call(&self, op: &str, input: &str) -> String {
        let fast = match op {
            "load" => fast::load(self, input),
            _ => fast::call(&self.snapshot(), op, input),
        };
        fast.unwrap_or_else(|| general(self, op, input))
    }
}

/// [`Engine::call`] for every input: the input decoded through a JSON value, which words any
/// error with its path.
fn general(engine: &Engine, op: &str, input: &str) -> String {
    envelope(guarded(|| {
        let snapshot = engine.snapshot();
        let mut fields = parse_input(input, snapshot.limits().max_input_bytes)?;
        match op {
            "load" => {
                let options: LoadOptions = match fields.remove("options") {
                    Some(value) => decode(value, "options")?,
                    None => LoadOptions::default(),
                };
                let value = fields
                    .remove("directory")
                    .ok_or_else(|| missing("directory"))?;
                no_more_fields(&fields)?;
                let directory = Directory::load_json(value, &options)?;
                to_value(&engine.replace(directory))
            }
            "apply_changes" => {
                let value = fields.remove("changes").ok_or_else(|| missing("changes"))?;
                match fields.remove("audit") {
                    Some(audit) => {
                        let audit = decode(audit, "audit")?;
                        no_more_fields(&fields)?;
                        let (stats, events) =
                            engine.update_with(|dir| dir.apply_json_audited(value, &audit))?;
                        with_events(&stats, events)
                    }
                    None => {
                        no_more_fields(&fields)?;
                        to_value(&engine.update(|dir| dir.apply_json(value))?)
                    }
                }
            }
            _ => ops::dispatch(op, Some(&snapshot), fields),
        }
    }))
}

/// The output of an audited `apply_changes`: the stats and the changes' audit events.
fn with_events(
    stats: &crate::directory::snapshot::Stats,
    events: Vec<crate::audit::AuditEvent>,
) -> Result<Value> {
    let mut out = to_value(stats)?;
    if let Value::Object(fields) = &mut out {
        fields.insert("events".into(), to_value(&events)?);
    }
    Ok(out)
}

fn audited((directory, events): (Directory, Vec<crate::audit::AuditEvent>)) -> Result<Value> {
    with_events(&directory.stats(), events)
}

/// The fields of an operation's input, decoded as its input type.
fn input<T: DeserializeOwned>(fields: Map<String, Value>) -> Result<T> {
    decode(Value::Object(fields), "")
}

/// The directory an operation works on, or the error saying it needs one.
fn need<'a>(op: &str, dir: Option<&'a Directory>) -> Result<&'a Directory> {
    dir.ok_or_else(|| needs_directory(op))
}

fn needs_directory(op: &str) -> Error {
    Error::new(
        ErrorCode::InvalidInput,
        format!("op `{op}` needs a `directory` in its input"),
    )
    .at("directory")
}

fn missing(field: &str) -> Error {
    Error::new(ErrorCode::InvalidInput, format!("input needs `{field}`")).at(field)
}

fn no_more_fields(fields: &Map<String, Value>) -> Result<()> {
    match fields.keys().next() {
        Some(key) => Err(Error::new(
            ErrorCode::InvalidInput,
            format!("unknown input field `{key}`"),
        )
        .at(key.clone())),
        None => Ok(()),
    }
}

fn parse_input(input: &str, max_bytes: usize) -> Result<Map<String, Value>> {
    if input.len() > max_bytes {
        return Err(Error::new(
            ErrorCode::LimitExceeded,
            format!("input is {} bytes; the limit is {max_bytes}", input.len()),
        )
        .because("input_too_large"));
    }
    match serde_json::from_str::<Value>(input) {
        Ok(Value::Object(fields)) => Ok(fields),
        Ok(_) => Err(Error::new(
            ErrorCode::InvalidInput,
            "input must be a JSON object",
        )),
        Err(e) => Err(Error::new(
            ErrorCode::InvalidJson,
            format!("input is not valid JSON: {e}"),
        )),
    }
}

/// Decodes a JSON value into `T`, naming the path of the first mismatch.
pub(crate) fn decode<T: DeserializeOwned>(value: Value, what: &str) -> Result<T> {
    serde_path_to_error::deserialize(value).map_err(|e| {
        let inner = e.path().to_string();
        let path = if inner == "." {
            what.to_string()
        } else {
            crate::error::join_path(what, &inner)
        };
        Error::new(ErrorCode::InvalidInput, e.into_inner().to_string()).at(path)
    })
}

pub(crate) fn to_value<T: serde::Serialize>(value: &T) -> Result<Value> {
    serde_json::to_value(value).map_err(|e| {
        Error::new(
            ErrorCode::Internal,
            format!("could not encode the result: {e}"),
        )
    })
}

/// Runs `f`, turning a panic inside the engine into an `internal` error, so that none crosses
/// the boundary: what every call of the JSON call API does, for bindings that call the typed
/// API directly (one wording of that error for every path).
pub fn guarded<T>(f: impl FnOnce() -> Result<T>) -> Result<T> {
    catch_unwind(AssertUnwindSafe(f)).unwrap_or_else(|_| {
        Err(Error::new(
            ErrorCode::Internal,
            "the engine hit a bug and refused this call; it remains usable",
        ))
    })
}

fn envelope(result: Result<Value>) -> String {
    let out = match result {
        Ok(value) => serde_json::json!({ "ok": value }),
        Err(error) => serde_json::json!({ "error": error }),
    };
    out.to_string()
}
