//! Who is calling: the bearer session token verified and resolved by the engine
//! (`session_resolve`), the active org it lands in, and the request's audit context.

use crate::error::{ApiError, ApiResult};
use crate::keys::STAFF_ISSUER;
use crate::state::AppState;
use crate::write::Write;
use crate::{clock, ids};
use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap};
use orgkit::audit::{Actor, AuditContext};
use orgkit::session::{ActiveSession, SessionInput, SessionOutcome};
use orgkit::{AuthorizeRequest, Decision, ErrorCode, Principal, Resource};
use std::net::SocketAddr;

/// The header naming the org a session works in, for a token bound to none.
pub const ORG_HEADER: &str = "x-orgkit-org";

/// A user with an active session in one org.
pub struct Caller {
    /// The bearer token as sent.
    pub token: String,
    /// The session the engine resolved.
    pub session: ActiveSession,
    /// Where the request came from.
    pub context: AuditContext,
}

/// Platform staff, from a token of the staff issuer.
pub struct Staff {
    /// The staff member's id.
    pub id: String,
    /// Where the request came from.
    pub context: AuditContext,
}

/// The bearer token of a request.
pub fn bearer(headers: &HeaderMap) -> ApiResult<String> {
    headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| {
            v.strip_prefix("Bearer ")
                .or_else(|| v.strip_prefix("bearer "))
        })
        .map(|t| t.trim().to_string())
        .ok_or_else(|| {
            orgkit::Error::new(
                ErrorCode::InvalidToken,
                "send `Authorization: Bearer <session token>`",
            )
            .because("missing")
            .into()
        })
}

/// The audit context of a request: client address, user agent and request id.
pub fn audit_context(parts: &Parts) -> AuditContext {
    let header = |name: &str| {
        parts
            .headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
    };
    AuditContext {
        ip: parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|ConnectInfo(addr)| addr.ip().to_string()),
        user_agent: header("user-agent"),
        request_id: header("x-request-id"),
    }
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> ApiResult<Self> {
        let token = bearer(&parts.headers)?;
        let org_id = parts
            .headers
            .get(ORG_HEADER)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        let outcome = state.engine.snapshot().resolve_session(&SessionInput {
            token: Some(token.clone()),
            verified_claims: None,
            now: clock::now(),
            org_id,
        })?;
        match outcome {
            SessionOutcome::Active(session) => Ok(Self {
                token,
                session,
                context: audit_context(parts),
            }),
            SessionOutcome::OrganizationSelectionRequired { candidates, .. } => Err(ApiError::new(
                ErrorCode::Forbidden,
                format!("the session has several orgs: choose one with the `{ORG_HEADER}` header or switch orgs"),
            )
            .with("reason", "organization_selection_required".into())
            .with("candidates", serde_json::to_value(candidates).unwrap_or_default())),
            SessionOutcome::NoOrganization { .. } => Err(orgkit::Error::new(
                ErrorCode::Forbidden,
                "the user is an active member of no organization",
            )
            .because("no_organization")
            .into()),
        }
    }
}

impl FromRequestParts<AppState> for Staff {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> ApiResult<Self> {
        let token = bearer(&parts.headers)?;
        let verified = state.engine.snapshot().verify_session(&SessionInput {
            token: Some(token),
            verified_claims: None,
            now: clock::now(),
            org_id: None,
        })?;
        if verified.issuer != STAFF_ISSUER {
            return Err(
                orgkit::Error::new(ErrorCode::Forbidden, "a staff token is required")
                    .because("not_staff")
                    .into(),
            );
        }
        Ok(Self {
            id: verified.user_id,
            context: audit_context(parts),
        })
    }
}

impl Caller {
    /// The active org.
    pub fn org(&self) -> &str {
        &self.session.org_id
    }

    /// The actor of the caller's audit events.
    pub fn actor(&self) -> Actor {
        Actor {
            kind: "user".into(),
            id: self.session.user_id.clone(),
            display: None,
        }
    }

    /// Asks the engine whether the caller may do `action` on `resource` in the active org.
    /// The decision's event is recorded in the org's log (as the org's audit settings sample
    /// it); a deny is `forbidden`.
    pub async fn authorize(
        &self,
        state: &AppState,
        action: &str,
        resource: Resource,
    ) -> ApiResult<()> {
        let decision = state.engine.snapshot().authorize(&AuthorizeRequest {
            principal: Principal::User(self.session.user_id.clone()),
            active_org: self.session.org_id.clone(),
            action: action.into(),
            resource,
            now: clock::now(),
            context: Default::default(),
            grant: None,
            event_id: Some(ids::new_id("evt_")?),
            audit_context: Some(self.context.clone()),
        })?;
        let mut write = Write::begin(state).await?;
        write.audit(&decision.event).await?;
        write.commit().await?;
        if decision.decision == Decision::Deny {
            let error = orgkit::Error::new(
                ErrorCode::Forbidden,
                format!("`{action}` is not allowed in `{}`", self.session.org_id),
            )
            .because("denied");
            return Err(
                ApiError::from(error).with("policies", serde_json::json!(decision.policies))
            );
        }
        Ok(())
    }
}

/// A resource of the active org.
pub fn resource(kind: &str, id: &str, org: &str) -> Resource {
    Resource {
        kind: kind.into(),
        id: id.into(),
        org: Some(org.into()),
        attrs: None,
    }
}

/// The caller's org itself, as a resource.
pub fn org_resource(org: &str) -> Resource {
    Resource {
        kind: "Organization".into(),
        id: org.into(),
        org: None,
        attrs: None,
    }
}
