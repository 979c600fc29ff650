//! The fast path of [`Engine::call`](crate::Engine::call) for the hot operations (`authorize`,
//! `authorize_batch`, `check`, `allowed_actions`, `route`) and for `load`: the input text is
//! decoded straight into its typed request and the answer encoded straight to text, with no
//! `serde_json::Value` tree in between (that tree, its hashed maps and the path-tracking
//! decoder cost more than the decision itself, and about as much as the load itself).
//! [`Engine::call_check`](crate::Engine::call_check) answers `check` for a binding that read
//! the request from its own values, with no text at all.
//!
//! Only inputs the typed decoder accepts take it (and for `load`, only a directory that loads).
//! Any other input goes the general way, which words the error and names its path (for `load`,
//! every problem of every record), so both ways give every input the same answer, byte for
//! byte: the tests below check it on the conformance vectors.

use super::ops::{self, AllowedActionsInput, BatchInput, EmailInput};
use super::{decode, envelope, guarded, to_value};
use crate::authz::{AuthorizeRequest, CheckRequest};
use crate::directory::records::DirectoryDoc;
use crate::directory::{Directory, LoadOptions};
use crate::error::{Error, ErrorCode, Result};
use crate::Engine;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

/// `{"ok": …}`, encoded as the general path's envelope encodes it.
#[derive(Serialize)]
struct Answer<'a, T> {
    ok: &'a T,
}

/// The answer to `op` on `dir`, or `None` when the general path must take the call.
pub(super) fn call(dir: &Directory, op: &str, input: &str) -> Option<String> {
    if input.len() > dir.limits().max_input_bytes {
        return None;
    }
    match op {
        "authorize" => run(input, |request: AuthorizeRequest| dir.authorize(&request)),
        "authorize_batch" => run(input, |batch: BatchInput<AuthorizeRequest>| {
            ops::authorize_batch(dir, batch.requests, |_, request| dir.authorize(&request))
        }),
        "check" => run(input, |request: CheckRequest| dir.check(&request)),
        "allowed_actions" => run(input, |a: AllowedActionsInput| ops::allowed_actions(dir, a)),
        "route" => run(input, |e: EmailInput| dir.route(&e.email)),
        _ => None,
    }
}

/// The `load` op's input. The options are small: they go through the general path's decoder,
/// which the Wasm build has anyway (a typed text decoder of its own costs ~10 KB gzip).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LoadInput {
    directory: DirectoryDoc,
    /// `None` when absent; `Some(Null)` for `null`, which the decoder refuses as the general
    /// path does.
    #[serde(default, deserialize_with = "present")]
    options: Option<serde_json::Value>,
}

/// A field that is present, even as `null`.
fn present<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> std::result::Result<Option<serde_json::Value>, D::Error> {
    serde_json::Value::deserialize(deserializer).map(Some)
}

/// `load` when the whole input decodes as typed records and its directory loads: the answer,
/// with the engine's directory replaced. `None`, with the engine unchanged, for any other
/// input: the general path then decodes it record by record and reports every problem.
pub(super) fn load(engine: &Engine, input: &str) -> Option<String> {
    if input.len() > engine.snapshot().limits().max_input_bytes {
        return None;
    }
    let directory = guarded(|| {
        let input: LoadInput = serde_json::from_str(input)
            .map_err(|e| Error::new(ErrorCode::InvalidInput, e.to_string()))?;
        let options: LoadOptions = match input.options {
            Some(value) => decode(value, "options")?,
            None => LoadOptions::default(),
        };
        Directory::load(&input.directory, &options)
    })
    .ok()?;
    Some(envelope(to_value(&engine.replace(directory))))
}

/// The longest JSON text a string of `utf8_bytes` bytes can be written as (`\u0001` is six
/// bytes per byte), with its quotes and a separator: what a binding adds up to bound the input
/// text it gives [`Engine::call_check`](crate::Engine::call_check).
pub fn json_string_bound(utf8_bytes: usize) -> usize {
    utf8_bytes.saturating_mul(6).saturating_add(4)
}

impl crate::Engine {
    /// `check` on a request a binding read from its own values: the envelope the JSON call
    /// API gives the request's JSON text, with no text in between. `None` when that text
    /// might exceed the engine's input limit (`text_bound` is an upper bound of its length in
    /// bytes): the binding then sends the text through [`Engine::call`](crate::Engine::call),
    /// which answers it exactly.
    pub fn call_check(&self, request: &CheckRequest, text_bound: usize) -> Option<String> {
        let dir = self.snapshot();
        if text_bound > dir.limits().max_input_bytes {
            return None;
        }
        encode(guarded(|| dir.check(request)))
    }
}

/// The envelope of an answer, as the general path encodes it; `None` if it cannot be encoded
/// (the general path then answers).
fn encode<O: Serialize>(answer: Result<O>) -> Option<String> {
    match answer {
        Ok(answer) => serde_json::to_string(&Answer { ok: &answer }).ok(),
        Err(error) => Some(envelope(Err(error))),
    }
}

/// Decodes `input` as `I` (or gives up), runs `f` guarded, and encodes its answer.
fn run<I: DeserializeOwned, O: Serialize>(
    input: &str,
    f: impl FnOnce(I) -> Result<O>,
) -> Option<String> {
    let request = serde_json::from_str::<I>(input).ok()?;
    encode(guarded(|| f(request)))
}

#[cfg(test)]
mod tests {
    use crate::wire::general;
    use crate::{Directory, Engine, LoadOptions};
    use serde_json::{Map, Value};
    use std::path::Path;

    /// Every conformance vector of a fast operation, answered both ways on an engine loaded
    /// with its directory: the answers are the same text.
    #[test]
    fn the_fast_path_answers_as_the_general_path_does() {
        let mut compared = 0;
        let mut fast = 0;
        for case in cases(&["authz", "routing"]) {
            let op = case["op"].as_str().expect("an op");
            if ![
                "authorize",
                "authorize_batch",
                "check",
                "allowed_actions",
                "route",
            ]
            .contains(&op)
            {
                continue;
            }
            let mut input = case["input"].as_object().cloned().unwrap_or_default();
            let Some(engine) = engine_for(&mut input) else {
                continue;
            };
            let input = Value::Object(input).to_string();
            let snapshot = engine.snapshot();
            let general = general(&engine, op, &input);
            if let Some(answer) = super::call(&snapshot, op, &input) {
                assert_eq!(answer, general, "{}", case["id"]);
                fast += 1;
            }
            assert_eq!(engine.call(op, &input), general, "{}", case["id"]);
            compared += 1;
        }
        assert!(compared >= 150, "only {compared} vectors compared");
        assert!(fast >= 100, "only {fast} vectors took the fast path");
    }

    /// Every vector's directory (with its options, valid or not), and inputs the two decoders
    /// might read differently, loaded both ways: the same answer, and the same directory after.
    #[test]
    fn load_answers_and_loads_as_the_general_path_does() {
        let every = [
            "audit",
            "authz",
            "branding",
            "directory",
            "normalize",
            "routing",
            "scim",
            "session",
            "wire",
        ];
        let mut texts: Vec<String> = cases(&every)
            .iter()
            .filter_map(|case| {
                let input = case["input"].as_object()?;
                let load: Map<String, Value> = ["directory", "options"]
                    .into_iter()
                    .filter_map(|field| Some((field.to_string(), input.get(field)?.clone())))
                    .collect();
                load.contains_key("directory")
                    .then(|| Value::Object(load).to_string())
            })
            .collect();
        let vectors = texts.len();
        texts.extend(
            [
                r#"{"directory": {"schema_version": 1}, "options": null}"#,
                r#"{"directory": {"schema_version": 1}, "options": {}}"#,
                r#"{"directory": {"schema_version": 1, "orgs": null}}"#,
                r#"{"directory": {"schema_version": 1, "users": [], "users": []}}"#,
                r#"{"directory": {"schema_version": 1}, "directory": {"schema_version": 1}}"#,
                r#"{"directory": {"schema_version": 2}}"#,
                r#"{"directory": {"schema_version": 1.0}}"#,
                r#"{"directory": {"schema_version": 1}, "extra": 1}"#,
                r#"{"directory": null}"#,
                r#"{"directory": {"schema_version": 1}} trailing"#,
            ]
            .map(String::from),
        );
        let empty = || Engine::new(Directory::empty(&LoadOptions::default()).expect("empty"));
        let mut fast = 0;
        for text in &texts {
            let (general_engine, engine) = (empty(), empty());
            let answer = general(&general_engine, "load", text);
            assert_eq!(engine.call("load", text), answer, "{text}");
            assert_eq!(
                engine.snapshot().to_doc(),
                general_engine.snapshot().to_doc(),
                "{text}"
            );
            if super::load(&empty(), text).is_some() {
                assert!(answer.starts_with(r#"{"ok":"#), "{text}");
                fast += 1;
            }
        }
        assert!(vectors >= 650, "only {vectors} directories of vectors");
        assert!(fast >= 550, "only {fast} directories took the fast path");
        assert!(fast < texts.len(), "no directory went the general way");
    }

    /// The conformance vectors of the given directories, in file order.
    fn cases(dirs: &[&str]) -> Vec<Value> {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/vectors");
        let mut cases = Vec::new();
        for dir in dirs {
            let mut files: Vec<_> = std::fs::read_dir(root.join(dir))
                .expect("the vector directory")
                .map(|entry| entry.expect("a vector file").path())
                .filter(|path| path.extension().is_some_and(|ext| ext == "jsonl"))
                .collect();
            files.sort();
            for file in files {
                let text = std::fs::read_to_string(&file).expect("a vector file");
                cases.extend(
                    text.lines()
                        .filter(|line| !line.trim().is_empty())
                        .map(|line| serde_json::from_str::<Value>(line).expect("a vector")),
                );
            }
        }
        cases
    }

    /// The engine a vector's input describes, loaded through the call API's own `load` and
    /// `apply_changes` (the fields they take leave `input`), or `None` if they refuse it.
    fn engine_for(input: &mut Map<String, Value>) -> Option<Engine> {
        let engine = Engine::new(Directory::empty(&LoadOptions::default()).ok()?);
        let mut load = Map::new();
        for field in ["directory", "options"] {
            if let Some(value) = input.remove(field) {
                load.insert(field.into(), value);
            }
        }
        let changes = input.remove("changes");
        let succeeds = |op: &str, fields: Map<String, Value>| {
            let answer = engine.call(op, &Value::Object(fields).to_string());
            serde_json::from_str::<Value>(&answer).is_ok_and(|answer| answer.get("ok").is_some())
        };
        if !succeeds("load", load) {
            return None;
        }
        if let Some(changes) = changes {
            if !succeeds(
                "apply_changes",
                Map::from_iter([("changes".into(), changes)]),
            ) {
                return None;
            }
        }
        Some(engine)
    }

    #[test]
    fn inputs_the_typed_decoder_refuses_go_the_general_way() {
        let engine =
            Engine::new(Directory::empty(&LoadOptions::default()).expect("an empty directory"));
        let snapshot = engine.snapshot();
        for input in [
            "{",
            "[]",
            r#"{"email": 3}"#,
            r#"{"email": "a@b.test", "extra": 1}"#,
            r#"{"email": "a@b.test", "email": "c@d.test"}"#,
        ] {
            assert_eq!(super::call(&snapshot, "route", input), None, "{input}");
            assert_eq!(
                engine.call("route", input),
                general(&engine, "route", input)
            );
        }
        // A repeated key: the general way keeps the last value, and the call answers as it.
        let answer: Map<String, Value> = serde_json::from_str(
            &engine.call("route", r#"{"email": "a@b.test", "email": "c@d.test"}"#),
        )
        .expect("an envelope");
        assert_eq!(answer["ok"]["email"], "c@d.test");
        // Well-formed inputs take the fast path, whether the operation succeeds or not.
        for input in [r#"{"email": "a@b.test"}"#, r#"{"email": "not an address"}"#] {
            let answer = super::call(&snapshot, "route", input);
            assert_eq!(answer, Some(general(&engine, "route", input)), "{input}");
        }
    }
}
