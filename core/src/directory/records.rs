//! The records of the wire model: organizations, users, memberships and the directory document
//! that carries them. Unknown fields are refused everywhere (`deny_unknown_fields`), so a typo
//! or a secret pasted where it does not belong is an error, not silently dropped data.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The `schema_version` this engine reads and writes.
pub const SCHEMA_VERSION: u32 = 1;

/// A whole directory: the document hosts load into the engine.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DirectoryDoc {
    /// Must be [`SCHEMA_VERSION`].
    pub schema_version: u32,
    /// Every organization.
    #[serde(default)]
    pub orgs: Vec<Organization>,
    /// Every user.
    #[serde(default)]
    pub users: Vec<User>,
    /// Every membership of a user in an organization.
    #[serde(default)]
    pub memberships: Vec<Membership>,
}

/// A customer organization (tenant).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Organization {
    /// Stable id chosen by the host.
    pub id: String,
    /// Display name.
    pub name: String,
    /// URL-safe unique handle (`acme`), lowercase letters, digits and inner hyphens.
    pub slug: String,
    /// Whether the organization may be used at all.
    #[serde(default)]
    pub status: OrgStatus,
    /// The email domains the organization claims.
    #[serde(default)]
    pub domains: Vec<EmailDomain>,
    /// The organization's own SSO connections, in order of preference.
    #[serde(default)]
    pub sso_connections: Vec<SsoConnection>,
    /// When true, members with the org's domains must log in by SSO (no password login).
    #[serde(default)]
    pub require_sso: bool,
    /// The org's SCIM provisioning settings.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scim: Option<ScimSettings>,
    /// The org's login-screen branding.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub branding: Option<Box<Branding>>,
    /// The org's custom roles (permission sets), besides the built-in templates.
    #[serde(default)]
    pub roles: Vec<CustomRole>,
    /// Per-org feature flags and entitlements.
    #[serde(default)]
    pub feature_flags: BTreeMap<String, FlagValue>,
    /// The parent organization, for sub-organizations.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent_id: Option<String>,
    /// Cedar policies written by the org's admins. Each must be scoped
    /// `resource in Orgkit::Organization::"<this org>"`; they are evaluated only for requests
    /// whose active organization is this one.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub policies: Vec<OrgPolicy>,
    /// How the org's audit events are redacted and sampled.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub audit: Option<Box<crate::audit::AuditSettings>>,
}

/// A Cedar policy written by an organization's admins.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OrgPolicy {
    /// Stable id within the organization; decisions name it as `org.<org id>.policy.<id>`.
    pub id: String,
    /// The policy text, in Cedar.
    pub cedar: String,
}

/// Whether an organization may be used.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OrgStatus {
    /// In use.
    #[default]
    Active,
    /// Switched off: its domains route to a `blocked` decision.
    Disabled,
}

/// An email domain claimed by an organization.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EmailDomain {
    /// The domain, in any spelling; the engine stores its canonical ASCII form.
    pub domain: String,
    /// How far the org has proven it owns the domain.
    pub verification: Verification,
    /// When true, subdomains (`eu.acme.com` for `acme.com`) match too.
    #[serde(default)]
    pub include_subdomains: bool,
}

/// The verification state of a claimed domain. Only `verified` domains route to SSO.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Verification {
    /// Ownership proven (e.g. by a DNS TXT challenge the host checked).
    Verified,
    /// Claimed, proof not yet seen.
    Pending,
    /// The proof was checked and failed.
    Failed,
}

/// An SSO connection to the organization's identity provider.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SsoConnection {
    /// Stable id, unique across the directory.
    pub id: String,
    /// Display name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// SAML or OIDC; the matching settings block must be present.
    pub protocol: Protocol,
    /// Only `active` connections route.
    pub status: ConnectionStatus,
    /// The org domains this connection serves; empty means all of them.
    #[serde(default)]
    pub domains: Vec<String>,
    /// SAML settings, for `protocol: saml`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub saml: Option<SamlSettings>,
    /// OIDC settings, for `protocol: oidc`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub oidc: Option<OidcSettings>,
}

/// The SSO protocol of a connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Protocol {
    /// SAML 2.0.
    Saml,
    /// OpenID Connect.
    Oidc,
}

/// The lifecycle state of a connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConnectionStatus {
    /// Live: routes users.
    Active,
    /// Being set up: never routes.
    Draft,
    /// Switched off: never routes.
    Disabled,
}

/// What a host needs to send a user to a SAML identity provider. Certificates are public.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SamlSettings {
    /// The IdP's entity id.
    pub idp_entity_id: String,
    /// The IdP's single sign-on URL (https).
    pub sso_url: String,
    /// The IdP's signing certificates (PEM or base64 DER), public material.
    #[serde(default)]
    pub signing_certificates: Vec<String>,
}

/// What a host needs to send a user to an OIDC provider. The client secret is never held here:
/// `client_secret_ref` names it in the host's secret store.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OidcSettings {
    /// The issuer URL (https).
    pub issuer: String,
    /// The client id registered at the provider.
    pub client_id: String,
    /// A reference to the client secret in the host's secret store (never the secret).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_secret_ref: Option<String>,
    /// Scopes to request besides `openid`.
    #[serde(default)]
    pub scopes: Vec<String>,
}

/// An organization's SCIM provisioning settings. Tokens are held only as SHA-256 hashes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScimSettings {
    /// Whether the org's SCIM endpoint accepts requests.
    #[serde(default)]
    pub enabled: bool,
    /// The valid bearer tokens, as hashes (two at once during rotation).
    #[serde(default)]
    pub tokens: Vec<ScimToken>,
    /// The name of the IdP tolerance/mapping profile (`okta`, `entra`, …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub profile: Option<String>,
    /// How SCIM users map to orgkit users and org roles (defaults when absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mapping: Option<crate::scim::mapping::ScimMapping>,
}

/// A SCIM bearer token, stored as its hash.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScimToken {
    /// Stable id of the token (for rotation and revocation).
    pub id: String,
    /// Lowercase hex SHA-256 of the token (64 characters).
    pub sha256: String,
}

/// Login-screen branding of an organization.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Branding {
    /// Logo URL (https).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub logo_url: Option<String>,
    /// Primary colour, `#rrggbb`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub primary_color: Option<String>,
    /// Secondary colour, `#rrggbb`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secondary_color: Option<String>,
    /// Title shown on the login screen.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub login_title: Option<String>,
    /// Subtitle or instructions under the title.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub login_subtitle: Option<String>,
    /// Text of the sign-in button.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub login_button_text: Option<String>,
    /// Custom CSS for the login screen, allow-listed (see `orgkit::branding::css`) and kept in
    /// canonical form.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub custom_css: Option<String>,
}

/// A custom role of an organization: a named permission set.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CustomRole {
    /// The role key used on memberships (`billing-admin`).
    pub key: String,
    /// Display name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The permissions (action names) the role grants.
    #[serde(default)]
    pub permissions: Vec<String>,
}

/// A feature flag or entitlement value.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum FlagValue {
    /// On or off.
    Bool(bool),
    /// A number (e.g. a seat limit).
    Int(i64),
    /// A variant name.
    Text(String),
}

/// A person known to the directory.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct User {
    /// Stable id chosen by the host.
    pub id: String,
    /// Primary email; stored canonical.
    pub email: String,
    /// Display name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

/// A user's membership in an organization.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Membership {
    /// The member.
    pub user_id: String,
    /// The organization.
    pub org_id: String,
    /// Role keys: built-in templates or the org's custom roles.
    #[serde(default)]
    pub roles: Vec<String>,
    /// The membership's state.
    pub status: MembershipStatus,
    /// When the user joined, RFC 3339 (from the host).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub joined_at: Option<String>,
    /// The SSO connection the user joined through, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authenticated_via: Option<String>,
}

/// The state of a membership.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MembershipStatus {
    /// A working member.
    Active,
    /// Invited, not yet accepted.
    Invited,
    /// Suspended by an admin or by deprovisioning.
    Suspended,
}

/// The built-in role templates every organization has.
pub const BUILTIN_ROLES: [&str; 4] = ["owner", "admin", "member", "viewer"];
