//! The result types of routing: what the host does next, and why.

use crate::directory::records::{Organization, Protocol, SsoConnection};
use serde::{Deserialize, Serialize};

/// What the login flow does next.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DecisionKind {
    /// Send the user to `connection` of `org`.
    Sso,
    /// Several organizations hold the domain: let the user choose among `candidates`.
    OrgPicker,
    /// No SSO applies: the host's default login (password, magic link, social).
    DefaultLogin,
    /// The user may not log in this way (disabled org, or SSO required with no live connection).
    Blocked,
}

/// Machine-readable reasons behind a decision, in the order they were established.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Reason {
    /// The email's domain is a consumer mail domain, which no org can own.
    ConsumerDomain,
    /// No organization holds a verified claim on the domain.
    NoOrgForDomain,
    /// An unverified (pending or failed) claim matched and was ignored.
    UnverifiedClaimIgnored,
    /// A verified claim on exactly the email's domain matched.
    VerifiedDomain,
    /// A verified claim on a parent domain with `include_subdomains` matched.
    VerifiedParentDomain,
    /// Several organizations hold verified claims at the most specific level.
    MultipleOrgs,
    /// The matching organization is disabled.
    OrgDisabled,
    /// Some matching organizations were disabled and left out.
    DisabledOrgSkipped,
    /// An active connection serves the domain.
    ConnectionActive,
    /// The organization has no active connection for the domain (draft and disabled never route).
    NoActiveConnection,
    /// The organization requires SSO: the host must not offer password login.
    SsoRequired,
    /// The picker lists only the first candidates (see the limits).
    CandidatesTruncated,
}

/// An organization as a decision names it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrgRef {
    /// The organization's id.
    pub id: String,
    /// Its slug.
    pub slug: String,
    /// Its display name.
    pub name: String,
    /// Whether it requires SSO.
    pub require_sso: bool,
}

impl From<&Organization> for OrgRef {
    fn from(org: &Organization) -> Self {
        Self {
            id: org.id.clone(),
            slug: org.slug.clone(),
            name: org.name.clone(),
            require_sso: org.require_sso,
        }
    }
}

/// An SSO connection as a decision names it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConnectionRef {
    /// The connection's id.
    pub id: String,
    /// SAML or OIDC.
    pub protocol: Protocol,
}

impl From<&SsoConnection> for ConnectionRef {
    fn from(connection: &SsoConnection) -> Self {
        Self {
            id: connection.id.clone(),
            protocol: connection.protocol,
        }
    }
}

/// The home-realm discovery decision for one email address.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RouteDecision {
    /// What to do next.
    pub decision: DecisionKind,
    /// The canonical email address.
    pub email: String,
    /// The email's canonical ASCII domain.
    pub domain: String,
    /// The claimed domain that matched (the email's domain or a parent of it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub matched_domain: Option<String>,
    /// The organization, when exactly one matched.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub org: Option<OrgRef>,
    /// The connection to use, for `sso`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub connection: Option<ConnectionRef>,
    /// The login hint to pass to the IdP (the canonical email), for `sso`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub login_hint: Option<String>,
    /// The organizations to choose from, for `org_picker`, sorted by id.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub candidates: Vec<OrgRef>,
    /// True when the host must not offer password login for this address.
    pub sso_required: bool,
    /// Why, in order.
    pub reasons: Vec<Reason>,
}

/// Whether an SSO assertion's email may be accepted for an organization.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AssertionCheck {
    /// True when the email is inside the organization's verified domains (and the
    /// connection's, when one was named).
    pub accepted: bool,
    /// The canonical email address.
    pub email: String,
    /// The email's canonical ASCII domain.
    pub domain: String,
    /// The claimed domain that matched.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub matched_domain: Option<String>,
    /// Why, in order.
    pub reasons: Vec<AssertionReason>,
}

/// Machine-readable reasons behind an assertion check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AssertionReason {
    /// A verified claim on exactly the email's domain matched.
    VerifiedDomain,
    /// A verified claim on a parent domain with `include_subdomains` matched.
    VerifiedParentDomain,
    /// The organization claims the domain but has not verified it.
    DomainUnverified,
    /// The domain is not among the organization's domains.
    DomainNotInOrg,
    /// The named connection does not serve the matched domain.
    DomainNotServedByConnection,
    /// The named connection is not active.
    ConnectionInactive,
    /// The organization is disabled.
    OrgDisabled,
}
