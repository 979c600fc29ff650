//! End-to-end tests of the `orgkit` binary: each runs the built executable and checks its exit
//! status and what it printed.

use serde_json::Value;
use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

/// Runs `orgkit` with `args` and no stdin.
fn orgkit(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_orgkit"))
        .args(args)
        .stdin(Stdio::null())
        .output()
        .expect("the orgkit binary runs")
}

/// Runs `orgkit` with `args`, feeding `input` on stdin.
fn orgkit_with_stdin(args: &[&str], input: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_orgkit"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the orgkit binary starts");
    child
        .stdin
        .take()
        .expect("stdin is piped")
        .write_all(input.as_bytes())
        .expect("stdin accepts the input");
    child
        .wait_with_output()
        .expect("the orgkit binary finishes")
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).expect("stdout is UTF-8")
}

fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).expect("stderr is UTF-8")
}

fn json(output: &Output) -> Value {
    serde_json::from_str(&stdout(output)).expect("stdout is JSON")
}

/// A file in the temp directory removed when dropped.
struct TempFile(PathBuf);

impl TempFile {
    fn new(name: &str, contents: &str) -> Self {
        let path = std::env::temp_dir().join(format!("orgkit-cli-{}-{name}", std::process::id()));
        std::fs::write(&path, contents).expect("the temp file is written");
        Self(path)
    }

    fn path(&self) -> &str {
        self.0.to_str().expect("the temp path is UTF-8")
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

#[test]
fn route_sends_an_acme_address_to_its_saml_connection() {
    let out = orgkit(&["route", "Jane.Doe@ACME-demo.com"]);
    assert_eq!(out.status.code(), Some(0), "stderr: {}", stderr(&out));
    let decision = json(&out);
    assert_eq!(decision["decision"], "sso");
    assert_eq!(decision["email"], "jane.doe@acme-demo.com");
    assert_eq!(decision["org"]["id"], "org_acme");
    assert_eq!(decision["connection"]["id"], "conn_acme_saml");
    assert_eq!(decision["connection"]["protocol"], "saml");
    assert_eq!(decision["sso_required"], true);
    assert_eq!(
        decision["reasons"],
        serde_json::json!(["verified_domain", "connection_active", "sso_required"])
    );
}

#[test]
fn route_matches_a_subdomain_through_include_subdomains() {
    let out = orgkit(&["route", "raj.patel@eu.acme-demo.com"]);
    let decision = json(&out);
    assert_eq!(decision["decision"], "sso");
    assert_eq!(decision["matched_domain"], "acme-demo.com");
    assert_eq!(decision["reasons"][0], "verified_parent_domain");
}

#[test]
fn route_of_a_gmail_address_is_default_login() {
    let out = orgkit(&["route", "someone@gmail.com"]);
    assert_eq!(out.status.code(), Some(0), "stderr: {}", stderr(&out));
    let decision = json(&out);
    assert_eq!(decision["decision"], "default_login");
    assert_eq!(decision["reasons"], serde_json::json!(["consumer_domain"]));
    assert!(decision.get("org").is_none());
    assert_eq!(decision["sso_required"], false);
}

#[test]
fn route_of_an_idn_address_uses_the_ascii_domain() {
    let decision = json(&orgkit(&["route", "anna.schmidt@bücher.de"]));
    assert_eq!(decision["decision"], "sso");
    assert_eq!(decision["domain"], "xn--bcher-kva.de");
    assert_eq!(decision["org"]["slug"], "buecherwurm");
}

#[test]
fn route_of_an_invalid_address_prints_the_error_code() {
    let out = orgkit(&["route", "no-at-sign"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout(&out).is_empty());
    assert!(
        stderr(&out).starts_with("error[invalid_email]: "),
        "stderr: {}",
        stderr(&out)
    );
}

#[test]
fn validate_of_a_bad_file_lists_every_problem_and_exits_1() {
    let file = TempFile::new(
        "bad.json",
        r##"{"schema_version": 1,
            "orgs": [{"id": "org_x", "name": "X", "slug": "Not A Slug",
                      "domains": [{"domain": "gmail.com", "verification": "verified"}],
                      "branding": {"primary_color": "blue"}}],
            "users": [{"id": "usr_x", "email": "not-an-email"}]}"##,
    );
    let out = orgkit(&["validate", file.path()]);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines.len() >= 2, "stdout: {text}");
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("orgs[0].slug: invalid_value (invalid_slug): ")),
        "stdout: {text}"
    );
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("orgs[0].domains[0].domain: consumer_domain: ")),
        "stdout: {text}"
    );
    assert!(
        lines
            .iter()
            .any(|l| l
                .starts_with("orgs[0].branding.primary_color: invalid_value (not_hex_color): ")),
        "stdout: {text}"
    );
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("users[0].email: invalid_email")),
        "stdout: {text}"
    );
    assert!(
        stderr(&out).starts_with("error[invalid_directory]: "),
        "stderr: {}",
        stderr(&out)
    );
}

#[test]
fn validate_of_the_demo_file_prints_its_stats() {
    let demo = concat!(env!("CARGO_MANIFEST_DIR"), "/demo/directory.json");
    let out = orgkit(&["validate", demo]);
    assert_eq!(out.status.code(), Some(0), "stderr: {}", stderr(&out));
    assert!(
        stdout(&out).contains(": 6 orgs, 7 domains, 4 connections, 7 users, 8 memberships"),
        "stdout: {}",
        stdout(&out)
    );
}

#[test]
fn validate_of_a_missing_file_is_an_io_error() {
    let out = orgkit(&["validate", "/nonexistent/orgkit-directory.json"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).starts_with("error[io]: cannot read"),
        "stderr: {}",
        stderr(&out)
    );
}

#[test]
fn call_route_reads_its_input_from_stdin() {
    let out = orgkit_with_stdin(
        &["call", "route", "-"],
        r#"{"email": "marta.kowalski@globex-demo.io"}"#,
    );
    assert_eq!(out.status.code(), Some(0), "stderr: {}", stderr(&out));
    let envelope = json(&out);
    assert_eq!(envelope["ok"]["decision"], "sso");
    assert_eq!(envelope["ok"]["org"]["id"], "org_globex");
    assert_eq!(envelope["ok"]["connection"]["protocol"], "oidc");
}

#[test]
fn call_with_an_error_envelope_exits_1() {
    let out = orgkit(&["call", "route", r#"{"email": "nobody"}"#]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(json(&out)["error"]["code"], "invalid_email");
    assert!(
        stderr(&out).starts_with("error[invalid_email]: "),
        "stderr: {}",
        stderr(&out)
    );
}

#[test]
fn call_on_a_directory_file_uses_that_file() {
    let file = TempFile::new(
        "one-org.json",
        r#"{"schema_version": 1, "orgs": [{"id": "org_solo", "name": "Solo", "slug": "solo",
            "domains": [{"domain": "solo-demo.com", "verification": "verified"}]}]}"#,
    );
    let out = orgkit(&[
        "call",
        "org_by_slug",
        r#"{"slug": "solo"}"#,
        "--directory",
        file.path(),
    ]);
    assert_eq!(out.status.code(), Some(0), "stderr: {}", stderr(&out));
    assert_eq!(json(&out)["ok"]["id"], "org_solo");
}

#[test]
fn demo_routes_one_address_per_decision_kind() {
    let out = orgkit(&["demo"]);
    assert_eq!(out.status.code(), Some(0), "stderr: {}", stderr(&out));
    let text = stdout(&out);
    for expected in [
        "jane.doe@acme-demo.com",
        "-> sso           org=acme connection=conn_acme_saml (saml)",
        "-> org_picker    org=globex|globex-research",
        "-> default_login org=initech",
        "reasons=unverified_claim_ignored,no_org_for_domain",
        "reasons=consumer_domain",
        "-> blocked       org=hooli connection=- reasons=verified_domain,org_disabled",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in:\n{text}");
    }
}

#[test]
fn unknown_command_exits_2_with_usage() {
    let out = orgkit(&["frobnicate"]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.starts_with("error: unknown command `frobnicate`"),
        "stderr: {err}"
    );
    assert!(
        err.contains("USAGE:") && err.contains("orgkit route <email>"),
        "stderr: {err}"
    );
}

#[test]
fn no_arguments_prints_usage() {
    let out = orgkit(&[]);
    assert_eq!(out.status.code(), Some(0));
    assert!(stdout(&out).contains("orgkit validate <FILE>"));
}
