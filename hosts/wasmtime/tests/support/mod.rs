//! What the tests and the benchmark share: vector cases split into a `load` and a request.

use orgkit_conformance::{read_cases, vectors_dir, Case};
use serde_json::Value;

/// The case `id` of the vector file `file` (relative to `tests/vectors/`).
pub fn vector_case(file: &str, id: &str) -> Case {
    let dir = vectors_dir();
    let cases = read_cases(&dir, &dir.join(file)).unwrap_or_else(|e| panic!("{e}"));
    match cases.into_iter().find(|c| c.id == id) {
        Some(case) => case,
        None => panic!("no case {id} in {file}"),
    }
}

/// A case's `load` input (its `directory` and `options`) and its input without them, for an
/// engine call on the loaded directory.
pub fn split_directory(case: &Case) -> (String, String) {
    let mut fields = match serde_json::from_str(&case.input) {
        Ok(Value::Object(fields)) => fields,
        _ => panic!("case {} has no input object", case.id),
    };
    let mut load = serde_json::Map::new();
    for key in ["directory", "options"] {
        if let Some(value) = fields.remove(key) {
            load.insert(key.to_string(), value);
        }
    }
    (
        Value::Object(load).to_string(),
        Value::Object(fields).to_string(),
    )
}
