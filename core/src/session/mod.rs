//! Org sessions: verify session or ID tokens against the keys the host configures, derive the
//! request's active org from the token and the directory, and sign an org-scoped token on an org
//! switch. No clock and no network: `now` comes from the host, keys come in `LoadOptions.sessions`
//! and are never fetched or taken from a token's own headers.
//!
//! Rules, all strict by default:
//! - algorithms are allow-listed per issuer (RS256/384/512, PS256, ES256/384, EdDSA; HS256 only
//!   when listed with a secret of 32+ bytes); a key serves only the algorithm(s) it is bound to;
//! - the key is chosen by `kid` from the issuer's configured keys only (`jku`, `x5u`, `jwk`, `x5c`
//!   are ignored; `crit` and `b64: false` are refused); a token without `kid` is accepted only
//!   when its issuer has exactly one key;
//! - `iss` must be configured, `aud` must name a configured audience, `exp` is required, `nbf`
//!   and `iat` are checked when present, all with the issuer's leeway (default 60 s, at most
//!   300 s) against the host's `now`; the token's size is limited (default 8 KiB);
//! - claims a host verified itself (WebCrypto in JS hosts, where big-number signatures in Wasm
//!   cost milliseconds) go through every claim check above but the signature;
//! - the token's user must be in the directory, and the active org is checked against the
//!   membership (active membership in an active org); a token bound to an org (`org_id`) never
//!   resolves to another one.
//!
//! Errors: `invalid_token` with a `reason` (`too_large`, `malformed`, `unsupported_header`,
//! `unknown_issuer`, `algorithm_not_allowed`, `unknown_key`, `bad_signature`, `missing_claim`,
//! `invalid_claim`, `audience_mismatch`, `expired`, `not_yet_valid`, `issued_in_future`,
//! `unknown_user`), and `forbidden` for the org binding (`not_a_member`, `membership_invited`,
//! `membership_suspended`, `org_not_active`, `org_mismatch`).
//!
//! Backends: aws-lc-rs natively, the pure-Rust RustCrypto crates on wasm32 (see core/Cargo.toml).

mod config;
mod issue;
mod resolve;
mod verify;

pub(crate) use config::SessionConfig;
pub use config::{IssuerOptions, KeyOptions, SessionOptions, SigningOptions};
pub use issue::{SignedSession, SwitchRequest};
pub use resolve::{ActiveSession, OrgCandidate, SessionInput, SessionOutcome};
pub use verify::VerifiedToken;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::directory::{Directory, LoadOptions};
    use crate::error::ErrorCode;
    use serde_json::{json, Value};

    /// Keys and tokens signed by tests/vectors/session_fixtures.py (Python's `cryptography`).
    const FIXTURES: &str = include_str!("../../../tests/vectors/session_fixtures.json");

    fn setup() -> (Directory, Value) {
        let fixtures: Value = serde_json::from_str(FIXTURES).unwrap();
        let options: LoadOptions =
            serde_json::from_value(json!({ "sessions": fixtures["options"] })).unwrap();
        let dir = Directory::load_json(
            json!({
                "schema_version": 1,
                "orgs": [{"id": "org_a", "name": "A", "slug": "a"}, {"id": "org_b", "name": "B", "slug": "b"}],
                "users": [{"id": "u_alice", "email": "alice@example.com"}],
                "memberships": [
                    {"user_id": "u_alice", "org_id": "org_a", "roles": ["admin"], "status": "active"},
                    {"user_id": "u_alice", "org_id": "org_b", "roles": ["member"], "status": "active"}
                ]
            }),
            &options,
        )
        .unwrap();
        (dir, fixtures)
    }

    fn switch(dir: &Directory, token: &str, now: i64, org: &str) -> SignedSession {
        dir.switch_org(&SwitchRequest {
            token: Some(token.into()),
            verified_claims: None,
            now,
            org_id: org.into(),
            token_id: "t1".into(),
            event_id: "e1".into(),
            audit_context: Default::default(),
        })
        .unwrap()
    }

    fn resolve(
        dir: &Directory,
        token: &str,
        now: i64,
        org: Option<&str>,
    ) -> crate::Result<SessionOutcome> {
        dir.resolve_session(&SessionInput {
            token: Some(token.into()),
            verified_claims: None,
            now,
            org_id: org.map(str::to_string),
        })
    }

    #[test]
    fn a_switched_token_resolves_to_its_org_only_and_never_outlives_the_old_one() {
        let (dir, fixtures) = setup();
        let now = fixtures["now"].as_i64().unwrap();
        let old = fixtures["tokens"]["org_bound_acme"].as_str().unwrap();
        let signed = switch(&dir, old, now + 500, "org_b");
        assert_eq!(
            signed.claims["exp"],
            json!(now + 600),
            "capped at the old token's exp"
        );
        match resolve(&dir, &signed.token, now + 550, None).unwrap() {
            SessionOutcome::Active(session) => {
                assert_eq!(session.org_id, "org_b");
                assert_eq!(session.issuer, "https://app.example.test/orgkit");
                assert_eq!(session.membership.roles, ["member"]);
            }
            other => panic!("expected an active session, got {other:?}"),
        }
        let err = resolve(&dir, &signed.token, now + 550, Some("org_a")).unwrap_err();
        assert_eq!(err.reason.as_deref(), Some("org_mismatch"));
        let err = resolve(&dir, &signed.token, now + 600 + 60, None).unwrap_err();
        assert_eq!(
            (err.code, err.reason.as_deref()),
            (ErrorCode::InvalidToken, Some("expired"))
        );
    }

    #[test]
    fn a_switched_token_with_one_changed_byte_is_refused() {
        let (dir, fixtures) = setup();
        let now = fixtures["now"].as_i64().unwrap();
        let old = fixtures["tokens"]["eddsa"].as_str().unwrap();
        let token = switch(&dir, old, now, "org_a").token;
        let mut bytes = token.into_bytes();
        let dot = bytes.iter().rposition(|b| *b == b'.').unwrap();
        for i in [5, dot - 3, dot + 4] {
            let mut changed = bytes.clone();
            changed[i] = if changed[i] == b'A' { b'B' } else { b'A' };
            let changed = String::from_utf8(changed).unwrap();
            let err = resolve(&dir, &changed, now, None).unwrap_err();
            assert_eq!(err.code, ErrorCode::InvalidToken, "byte {i}: {err:?}");
        }
        bytes.truncate(dot);
        let err = resolve(&dir, &String::from_utf8(bytes).unwrap(), now, None).unwrap_err();
        assert_eq!(err.reason.as_deref(), Some("malformed"));
    }
}
