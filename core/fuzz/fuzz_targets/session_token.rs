//! Fuzzes session token verification with the vectors' issuers (every algorithm, JWKS, PEM, DER
//! and HS256 keys): arbitrary bytes as a token, or as host-verified claims, must never panic
//! and never verify — the fuzzer holds no key, so any accepted token is a forgery.
#![no_main]

use libfuzzer_sys::fuzz_target;
use orgkit::session::SessionInput;
use orgkit::{Directory, LoadOptions};
use std::sync::OnceLock;

const FIXTURES: &str = include_str!("../../../tests/vectors/session_fixtures.json");

fn directory() -> &'static (Directory, i64) {
    static DIR: OnceLock<(Directory, i64)> = OnceLock::new();
    DIR.get_or_init(|| {
        let fixtures: serde_json::Value = serde_json::from_str(FIXTURES).expect("fixtures parse");
        let options: LoadOptions =
            serde_json::from_value(serde_json::json!({ "sessions": fixtures["options"] }))
                .expect("options decode");
        let dir = Directory::load_json(serde_json::json!({"schema_version": 1}), &options)
            .expect("directory loads");
        (dir, fixtures["now"].as_i64().expect("now"))
    })
}

fuzz_target!(|data: &[u8]| {
    let (dir, now) = directory();
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let input = SessionInput {
        token: Some(text.to_string()),
        verified_claims: None,
        now: *now,
        org_id: None,
    };
    assert!(dir.verify_session(&input).is_err(), "a forged token verified: {text:?}");
    if let Ok(serde_json::Value::Object(claims)) = serde_json::from_str(text) {
        let input = SessionInput {
            token: None,
            verified_claims: Some(claims),
            now: *now,
            org_id: None,
        };
        // Host-verified claims may pass the claim checks; they must not panic.
        let _ = dir.verify_session(&input);
    }
});
