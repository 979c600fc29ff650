//! The wire form of authorization requests and decisions.

use serde::{Deserialize, Serialize};

/// Who is asking.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum Principal {
    /// A user of the directory; their membership in the active org decides.
    User(String),
    /// Platform staff; only a support grant lets them act on an org.
    Staff(String),
}

/// What is acted on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Resource {
    /// The entity type: `Orgkit::SsoConnection`, `App::Document`, … (`Organization` alone
    /// means `Orgkit::Organization`).
    #[serde(rename = "type")]
    pub kind: String,
    /// The entity id.
    pub id: String,
    /// The organization the resource belongs to. Not needed for `Organization` (itself),
    /// `Analytics` (none) and SSO connections the directory knows.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub org: Option<String>,
    /// The resource's attributes, typed by the schema.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attrs: Option<serde_json::Map<String, serde_json::Value>>,
}

/// A support grant, as the host stored it when an org admin (or policy) granted it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SupportGrant {
    /// The grant's id.
    pub id: String,
    /// The staff member it was granted to.
    pub staff_id: String,
    /// The organization it opens.
    pub org_id: String,
    /// Why (must not be empty).
    pub reason: String,
    /// The action names it covers.
    pub actions: Vec<String>,
    /// When it ends, in seconds since the Unix epoch.
    pub expires_at: i64,
}

/// One authorization question.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AuthorizeRequest {
    /// Who asks.
    pub principal: Principal,
    /// The organization the request runs in.
    pub active_org: String,
    /// The action name: `users.read`, or `App::document.read` for a host action.
    pub action: String,
    /// What is acted on.
    pub resource: Resource,
    /// The host's clock, in seconds since the Unix epoch.
    pub now: i64,
    /// The host's context (`context.host`), typed by its `host_context` declaration.
    #[serde(default)]
    pub context: serde_json::Map<String, serde_json::Value>,
    /// The support grant a staff principal acts under.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub grant: Option<SupportGrant>,
    /// The id of the decision's audit event, from the host: needed to record it (and to
    /// sample allows by it); empty when not given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event_id: Option<String>,
    /// Where the request came from (ip, user agent, request id), for the audit event.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub audit_context: Option<crate::audit::AuditContext>,
}

/// An authorization question asked only for its decision: what gates a button or a
/// request where the host records nothing. Its fields are [`AuthorizeRequest`]'s but those
/// of an audited decision: the answer carries no audit event, so a support grant (whose use
/// must be audited) cannot be given here.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CheckRequest {
    /// As [`AuthorizeRequest::principal`].
    pub principal: Principal,
    /// As [`AuthorizeRequest::active_org`].
    pub active_org: String,
    /// As [`AuthorizeRequest::action`].
    pub action: String,
    /// As [`AuthorizeRequest::resource`].
    pub resource: Resource,
    /// As [`AuthorizeRequest::now`].
    pub now: i64,
    /// As [`AuthorizeRequest::context`].
    #[serde(default)]
    pub context: serde_json::Map<String, serde_json::Value>,
}

/// The answer to a [`CheckRequest`]: the parts of an [`AuthzDecision`] that Cedar's own
/// answer holds, equal to them for the same request.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Check {
    /// Allow or deny.
    pub decision: Decision,
    /// The policies that determined it, as in [`AuthzDecision::policies`]. Sorted.
    pub policies: Vec<String>,
    /// Policies that failed to evaluate.
    pub errors: Vec<EvaluationError>,
}

/// The question both requests ask, borrowed.
pub(crate) struct Question<'a> {
    pub(crate) principal: &'a Principal,
    pub(crate) active_org: &'a str,
    pub(crate) action: &'a str,
    pub(crate) resource: &'a Resource,
    pub(crate) now: i64,
    pub(crate) context: &'a serde_json::Map<String, serde_json::Value>,
}

impl AuthorizeRequest {
    /// The same question as a [`CheckRequest`]; `None` when it carries a grant, an event id
    /// or an audit context, which only an audited decision takes.
    pub fn into_check(self) -> Option<CheckRequest> {
        if self.grant.is_some() || self.event_id.is_some() || self.audit_context.is_some() {
            return None;
        }
        Some(CheckRequest {
            principal: self.principal,
            active_org: self.active_org,
            action: self.action,
            resource: self.resource,
            now: self.now,
            context: self.context,
        })
    }

    pub(crate) fn question(&self) -> Question<'_> {
        Question {
            principal: &self.principal,
            active_org: &self.active_org,
            action: &self.action,
            resource: &self.resource,
            now: self.now,
            context: &self.context,
        }
    }
}

impl CheckRequest {
    pub(crate) fn question(&self) -> Question<'_> {
        Question {
            principal: &self.principal,
            active_org: &self.active_org,
            action: &self.action,
            resource: &self.resource,
            now: self.now,
            context: &self.context,
        }
    }
}

/// Allow or deny.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    /// At least one permit applied and no forbid.
    Allow,
    /// A forbid applied, or no permit did.
    Deny,
}

/// An error raised while evaluating one policy (that policy is then skipped, as Cedar does).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EvaluationError {
    /// The policy.
    pub policy: String,
    /// What went wrong.
    pub message: String,
}

/// The membership that decided, as orgkit read it from the directory.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MembershipView {
    /// `active`, `invited`, `suspended`, or `none`.
    pub status: String,
    /// The role keys held in the active org.
    pub roles: Vec<String>,
}

/// The answer to an [`AuthorizeRequest`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuthzDecision {
    /// Allow or deny.
    pub decision: Decision,
    /// The policies that determined it: the permits for an allow, the forbids for a deny by
    /// forbid, none for a default deny. Sorted.
    pub policies: Vec<String>,
    /// Policies that failed to evaluate.
    pub errors: Vec<EvaluationError>,
    /// The principal's membership in the active org (`none` for staff and non-members).
    pub membership: MembershipView,
    /// The audit event to record.
    pub event: crate::audit::AuditEvent,
}
