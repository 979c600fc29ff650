//! The event schema, close to the WorkOS audit-log shape.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// One audited fact: who did what to which targets in which org, when, and how it ended.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AuditEvent {
    /// The host's id for the event (unique within the org's log).
    pub id: String,
    /// The organization whose log the event belongs to.
    pub org_id: String,
    /// A dotted action name: `user.login.sso_routed`, `authz.decision`, `scim.user.created`,
    /// `org.sso_connection.updated`, `support.access.granted`, …
    pub action: String,
    /// The schema version of this action's `metadata`.
    #[serde(default = "one")]
    pub version: u32,
    /// When it happened, in Unix seconds, from the host's clock.
    pub occurred_at: i64,
    /// Who acted.
    pub actor: Actor,
    /// What it was done to.
    #[serde(default)]
    pub targets: Vec<Target>,
    /// Where the request came from, as the host saw it.
    #[serde(default)]
    pub context: AuditContext,
    /// How it ended.
    pub outcome: Outcome,
    /// Action-specific details (see `version`).
    #[serde(default)]
    pub metadata: Map<String, Value>,
}

fn one() -> u32 {
    1
}

/// The actor of an event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Actor {
    /// `user`, `staff`, `scim_token`, `api_key`, `system`, …
    #[serde(rename = "type")]
    pub kind: String,
    /// Its id.
    pub id: String,
    /// A name for people (may be redacted).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display: Option<String>,
}

/// A target of an event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Target {
    /// `user`, `organization`, `sso_connection`, `Orgkit::Member`, …
    #[serde(rename = "type")]
    pub kind: String,
    /// Its id.
    pub id: String,
    /// A name for people (may be redacted).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display: Option<String>,
}

/// The request context the host passes in.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AuditContext {
    /// The client's IP address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ip: Option<String>,
    /// The client's user agent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_agent: Option<String>,
    /// The host's request id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
}

/// How an audited action ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// A change that was made.
    Success,
    /// A change that was refused or failed.
    Failure,
    /// An authorization decision that allowed.
    Allow,
    /// An authorization decision that denied.
    Deny,
}

impl Outcome {
    /// The stable name (`success`, `failure`, `allow`, `deny`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Success => "success",
            Self::Failure => "failure",
            Self::Allow => "allow",
            Self::Deny => "deny",
        }
    }
}
