//! The conformance vectors and the one way to judge them, shared by every runner.
//!
//! A vector file is JSON Lines under `tests/vectors/<area>/`; each line is a case:
//! `{"id", "op", "input" | "input_raw", "expected": {"ok": …} | {"error": {…}}, "note"?}`.
//! `input` is serialised to a string (`input_raw` is passed verbatim, for malformed JSON) and
//! given to `call(op, input)`. An `ok` expectation must equal the output exactly; an `error`
//! expectation is a pattern: every key it names must match the actual error (objects by their
//! named keys, arrays element by element with equal length, scalars by equality).

use serde_json::Value;
use std::path::{Path, PathBuf};

/// One conformance case.
#[derive(Debug, Clone)]
pub struct Case {
    /// The file the case came from, relative to the vectors folder.
    pub file: String,
    /// The case id, unique across all files.
    pub id: String,
    /// The operation.
    pub op: String,
    /// The input string given to the call.
    pub input: String,
    /// `{"ok": …}` or `{"error": {…}}`.
    pub expected: Value,
}

/// The folder holding the vectors.
pub fn vectors_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("vectors")
}

/// Every `*.jsonl` file under `dir`, sorted.
pub fn vector_files(dir: &Path) -> Result<Vec<PathBuf>, String> {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(folder) = stack.pop() {
        let entries =
            std::fs::read_dir(&folder).map_err(|e| format!("{}: {e}", folder.display()))?;
        for entry in entries {
            let path = entry.map_err(|e| e.to_string())?.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|x| x == "jsonl") {
                files.push(path);
            }
        }
    }
    files.sort();
    Ok(files)
}

/// Reads the cases of one vector file.
pub fn read_cases(dir: &Path, path: &Path) -> Result<Vec<Case>, String> {
    let file = path.strip_prefix(dir).unwrap_or(path).display().to_string();
    let text = std::fs::read_to_string(path).map_err(|e| format!("{file}: {e}"))?;
    let mut cases = Vec::new();
    for (n, line) in text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
    {
        let where_ = format!("{file}:{}", n + 1);
        let value: Value = serde_json::from_str(line).map_err(|e| format!("{where_}: {e}"))?;
        let text_field = |key: &str| value.get(key).and_then(Value::as_str).map(str::to_string);
        let input = match (value.get("input"), text_field("input_raw")) {
            (Some(input), None) => input.to_string(),
            (None, Some(raw)) => raw,
            _ => {
                return Err(format!(
                    "{where_}: a case needs exactly one of `input` and `input_raw`"
                ))
            }
        };
        let expected = value
            .get("expected")
            .cloned()
            .ok_or_else(|| format!("{where_}: no `expected`"))?;
        if expected.get("ok").is_none() && expected.get("error").is_none() {
            return Err(format!("{where_}: `expected` needs `ok` or `error`"));
        }
        cases.push(Case {
            file: file.clone(),
            id: text_field("id").ok_or_else(|| format!("{where_}: no `id`"))?,
            op: text_field("op").ok_or_else(|| format!("{where_}: no `op`"))?,
            input,
            expected,
        });
    }
    Ok(cases)
}

/// Every case under `dir`.
pub fn all_cases(dir: &Path) -> Result<Vec<Case>, String> {
    let mut cases = Vec::new();
    for file in vector_files(dir)? {
        cases.extend(read_cases(dir, &file)?);
    }
    Ok(cases)
}

/// Does `actual` match the `pattern`? (See the crate docs.) On mismatch, says where.
pub fn matches_pattern(pattern: &Value, actual: &Value, at: &str) -> Result<(), String> {
    match (pattern, actual) {
        (Value::Object(p), Value::Object(a)) => {
            for (key, want) in p {
                let got = a.get(key).ok_or_else(|| format!("{at}.{key}: missing"))?;
                matches_pattern(want, got, &format!("{at}.{key}"))?;
            }
            Ok(())
        }
        (Value::Array(p), Value::Array(a)) => {
            if p.len() != a.len() {
                return Err(format!(
                    "{at}: expected {} elements, got {}: {actual}",
                    p.len(),
                    a.len()
                ));
            }
            for (i, (want, got)) in p.iter().zip(a).enumerate() {
                matches_pattern(want, got, &format!("{at}[{i}]"))?;
            }
            Ok(())
        }
        _ if pattern == actual => Ok(()),
        _ => Err(format!("{at}: expected {pattern}, got {actual}")),
    }
}

/// Judges one output (the JSON string a call returned) against a case's expectation.
pub fn judge(case: &Case, output: &str) -> Result<(), String> {
    let actual: Value =
        serde_json::from_str(output).map_err(|e| format!("output is not JSON ({e}): {output}"))?;
    if let Some(want) = case.expected.get("ok") {
        match actual.get("ok") {
            Some(got) if got == want => Ok(()),
            Some(got) => Err(format!("ok differs\n  expected: {want}\n  actual:   {got}")),
            None => Err(format!("expected ok, got {actual}")),
        }
    } else {
        let want = case.expected.get("error").unwrap_or(&Value::Null);
        let got = actual
            .get("error")
            .ok_or_else(|| format!("expected an error, got {actual}"))?;
        matches_pattern(want, got, "error")
    }
}

/// Something that answers the call API: the native engine, or a binding under test.
pub trait Runner {
    /// Runs `op` on `input` and returns the output JSON.
    fn call(&self, op: &str, input: &str) -> String;
}

/// The outcome of running every case.
#[derive(Debug, Default)]
pub struct Report {
    /// Cases that matched.
    pub passed: usize,
    /// `(file, id, why)` of each case that did not.
    pub failures: Vec<(String, String, String)>,
}

/// Runs every case with `runner`.
pub fn run(runner: &dyn Runner, cases: &[Case]) -> Report {
    let mut report = Report::default();
    for case in cases {
        match judge(case, &runner.call(&case.op, &case.input)) {
            Ok(()) => report.passed += 1,
            Err(why) => report
                .failures
                .push((case.file.clone(), case.id.clone(), why)),
        }
    }
    report
}

/// The native engine's stateless call API.
pub struct Native;

impl Runner for Native {
    fn call(&self, op: &str, input: &str) -> String {
        orgkit::call(op, input)
    }
}
