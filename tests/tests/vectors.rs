//! Runs every conformance vector through the native engine.

use orgkit_conformance::{all_cases, run, vectors_dir, Native, Runner};
use std::collections::HashSet;

#[test]
fn every_vector_passes_natively() {
    let cases = all_cases(&vectors_dir()).unwrap();
    let ids: HashSet<&str> = cases.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(ids.len(), cases.len(), "vector ids must be unique");
    let report = run(&Native, &cases);
    // For the binding runners: each case's output, which theirs must equal byte for byte.
    if let Ok(path) = std::env::var("ORGKIT_NATIVE_OUTPUTS") {
        let lines: String = cases
            .iter()
            .map(|c| {
                let line =
                    serde_json::json!({ "id": c.id, "output": Native.call(&c.op, &c.input) });
                format!("{line}\n")
            })
            .collect();
        std::fs::write(&path, lines).unwrap();
    }
    for (file, id, why) in &report.failures {
        eprintln!("FAIL {file} {id}: {why}");
    }
    println!(
        "vectors: {} passed, {} failed",
        report.passed,
        report.failures.len()
    );
    assert!(
        report.failures.is_empty(),
        "{} of {} vectors failed",
        report.failures.len(),
        cases.len()
    );
    assert!(
        report.passed >= 150,
        "expected at least 150 vectors, found {}",
        report.passed
    );
}

#[test]
fn every_area_has_vectors() {
    let cases = all_cases(&vectors_dir()).unwrap();
    for area in ["normalize/", "routing/", "directory/", "wire/"] {
        assert!(
            cases.iter().any(|c| c.file.starts_with(area)),
            "no vectors under {area}"
        );
    }
}
