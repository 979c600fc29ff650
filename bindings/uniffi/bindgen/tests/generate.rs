//! Generates the Kotlin and Swift bindings of `orgkit-uniffi` from its cdylib (library mode) into
//! the build output, `<target>/uniffi/kotlin` and `<target>/uniffi/swift`: the Kotlin tests
//! compile the former (tests/run-all.sh), an iOS app takes the latter (see
//! bindings/uniffi/README.md). Built and run by `cargo test`, so the cdylib, this binary and the
//! tests share one build.

use std::path::{Path, PathBuf};
use std::process::Command;

/// `<target>/debug/deps`, where this test and the cdylib it depends on are built.
fn deps_dir() -> PathBuf {
    let exe = std::env::current_exe().unwrap();
    exe.parent().unwrap().to_path_buf()
}

fn generate(library: &Path, language: &str, out: &Path) {
    let _ = std::fs::remove_dir_all(out);
    let output = Command::new(env!("CARGO_BIN_EXE_uniffi-bindgen"))
        .args([
            "generate",
            "--no-format",
            "--language",
            language,
            "--library",
        ])
        .arg(library)
        .arg("--out-dir")
        .arg(out)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "uniffi-bindgen failed for {language}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn generates_kotlin_and_swift_from_the_cdylib() {
    let deps = deps_dir();
    let library = deps.join(format!(
        "{}orgkit_uniffi{}",
        std::env::consts::DLL_PREFIX,
        std::env::consts::DLL_SUFFIX
    ));
    assert!(library.is_file(), "no cdylib at {}", library.display());
    let target = deps.parent().unwrap().parent().unwrap();

    let kotlin = target.join("uniffi/kotlin");
    generate(&library, "kotlin", &kotlin);
    let kt = std::fs::read_to_string(kotlin.join("dev/orgkit/orgkit.kt")).unwrap();
    for item in [
        "package dev.orgkit",
        "open class Engine",
        "sealed class OrgkitException",
        "fun `route`(`email`: kotlin.String): RouteDecision",
        "fun `call`(`op`: kotlin.String, `inputJson`: kotlin.String): kotlin.String",
    ] {
        assert!(kt.contains(item), "the Kotlin bindings lack `{item}`");
    }

    let swift = target.join("uniffi/swift");
    generate(&library, "swift", &swift);
    for file in ["Orgkit.swift", "OrgkitFFI.h", "OrgkitFFI.modulemap"] {
        assert!(swift.join(file).is_file(), "no {file} in the Swift output");
    }
    let swift_source = std::fs::read_to_string(swift.join("Orgkit.swift")).unwrap();
    assert!(swift_source.contains("open class Engine"));
    assert!(swift_source.contains("enum OrgkitError: Swift.Error"));
}
