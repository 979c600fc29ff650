//! Org switch: a new org-scoped session token, signed with the host's key, and its audit event.

use super::resolve::{ActiveSession, SessionInput};
use super::verify::token_error;
use crate::audit::{Actor, AuditContext, AuditEvent, Outcome, Target};
use crate::directory::Directory;
use crate::error::{Error, ErrorCode, Result};
use jsonwebtoken::{encode, Header};
use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};

/// An org switch: the current session, the org to switch to, and the host's ids.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SwitchRequest {
    /// The current session as a token to verify…
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token: Option<String>,
    /// …or as claims the host verified.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verified_claims: Option<Map<String, Value>>,
    /// The host's clock, Unix seconds.
    pub now: i64,
    /// The org to switch to.
    pub org_id: String,
    /// The new token's `jti`, from the host.
    pub token_id: String,
    /// The audit event's id, from the host.
    pub event_id: String,
    /// Where the request came from, for the audit event.
    #[serde(default)]
    pub audit_context: AuditContext,
}

/// A signed org-scoped session token and what it says.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SignedSession {
    /// The compact JWS.
    pub token: String,
    /// Its claims.
    pub claims: Map<String, Value>,
    /// The session it stands for.
    pub session: ActiveSession,
    /// The `session.org_switched` event for the new org's log.
    pub event: AuditEvent,
}

impl Directory {
    /// Verifies the current session, checks the membership in the target org, and signs a
    /// token bound to it. Its claims, in this order: `iss`, `sub`, `aud`, `iat`, `nbf`, `exp`,
    /// `jti`, `org_id`, `roles`, `permissions`, `feature_flags` (keys sorted). The new token
    /// never outlives the one it replaces, so switching cannot extend a session.
    pub fn switch_org(&self, request: &SwitchRequest) -> Result<SignedSession> {
        let signer = self.sessions.signer.as_ref().ok_or_else(|| {
            Error::new(
                ErrorCode::InvalidInput,
                "no signing key is configured (options.sessions.signing)",
            )
        })?;
        let input = SessionInput {
            token: request.token.clone(),
            verified_claims: request.verified_claims.clone(),
            now: request.now,
            org_id: None,
        };
        let target = request.org_id.as_str();
        for (field, value) in [
            ("token_id", &request.token_id),
            ("event_id", &request.event_id),
        ] {
            if value.is_empty() || value.len() > self.limits.max_text_bytes {
                return Err(Error::new(
                    ErrorCode::InvalidValue,
                    format!(
                        "`{field}` must be 1 to {} bytes",
                        self.limits.max_text_bytes
                    ),
                )
                .at(field));
            }
        }
        let verified = self.verify_session(&input)?;
        let session = self.active_session(&verified, target, input.now)?;
        let expires_at = verified
            .expires_at
            .min(input.now.saturating_add(signer.ttl));
        let claims = json!({
            "iss": signer.issuer,
            "sub": session.user_id,
            "aud": signer.audience,
            "iat": input.now,
            "nbf": input.now,
            "exp": expires_at,
            "jti": request.token_id,
            "org_id": session.org_id,
            "roles": session.membership.roles,
            "permissions": session.permissions,
            "feature_flags": session.feature_flags,
        });
        let Value::Object(claims) = claims else {
            return Err(Error::new(ErrorCode::Internal, "claims are an object"));
        };
        let mut header = Header::new(signer.algorithm);
        header.kid = Some(signer.kid.clone());
        let token = encode(&header, &claims, &signer.key)
            .map_err(|e| token_error("signing_failed", format!("signing failed: {e}")))?;
        let mut event = AuditEvent {
            id: request.event_id.clone(),
            org_id: session.org_id.clone(),
            action: "session.org_switched".into(),
            version: 1,
            occurred_at: input.now,
            actor: Actor {
                kind: "user".into(),
                id: session.user_id.clone(),
                display: None,
            },
            targets: vec![Target {
                kind: "organization".into(),
                id: session.org_id.clone(),
                display: None,
            }],
            context: request.audit_context.clone(),
            outcome: Outcome::Success,
            metadata: Map::from_iter([
                (
                    "from_org".to_string(),
                    verified.org_id.clone().map_or(Value::Null, Value::String),
                ),
                ("issuer".to_string(), Value::String(verified.issuer.clone())),
                (
                    "token_id".to_string(),
                    Value::String(request.token_id.clone()),
                ),
                ("expires_at".to_string(), Value::from(expires_at)),
            ]),
        };
        self.redact_own(&mut event);
        Ok(SignedSession {
            token,
            claims,
            session: ActiveSession {
                expires_at,
                issuer: signer.issuer.clone(),
                ..session
            },
            event,
        })
    }
}
