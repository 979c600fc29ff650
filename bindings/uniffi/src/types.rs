//! The typed results and arguments of [`crate::Engine`]'s methods: small, stable parts of the
//! JSON call API's outputs as uniffi records and enums. Each result record also keeps the op's
//! whole output as `json` (the `ok` value, byte for byte what `call` returns inside `{"ok": …}`).
//!
//! Results are decoded from that output with serde, by field name: the wire model stays the one
//! contract, and the core's own enums (route kind, allow/deny, protocol, flag values) are used
//! as they are, declared to uniffi as remote types (a new variant in the core fails this
//! build until it is declared here).

use orgkit::{Decision, DecisionKind, FlagValue, OrgRef, Protocol};
use serde::Deserialize;
use std::collections::HashMap;

// The core's enums and records, as uniffi sees them. Each declaration must match the core's
// type exactly; the compiler checks it.

/// What the login flow does next.
#[uniffi::remote(Enum)]
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

/// An SSO protocol.
#[uniffi::remote(Enum)]
pub enum Protocol {
    /// SAML 2.0.
    Saml,
    /// OpenID Connect.
    Oidc,
}

/// Allow or deny.
#[uniffi::remote(Enum)]
pub enum Decision {
    /// At least one permit applied and no forbid.
    Allow,
    /// A forbid applied, or no permit did.
    Deny,
}

/// A feature flag or entitlement value.
#[uniffi::remote(Enum)]
pub enum FlagValue {
    /// On or off.
    Bool(bool),
    /// A number (e.g. a seat limit).
    Int(i64),
    /// A variant name.
    Text(String),
}

/// An organization as a decision names it.
#[uniffi::remote(Record)]
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

/// An SSO connection as a route decision names it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, uniffi::Record)]
pub struct ConnectionRef {
    /// The connection's id: where to redirect.
    pub id: String,
    /// Its protocol.
    pub protocol: Protocol,
}

/// Where an email goes at login (home-realm discovery): the `route` op's output.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, uniffi::Record)]
pub struct RouteDecision {
    /// What the login flow does next.
    #[serde(rename = "decision")]
    pub kind: DecisionKind,
    /// The email, normalised.
    pub email: String,
    /// Its domain (ASCII form).
    pub domain: String,
    /// The claimed domain that matched (the email's, or a parent's).
    #[serde(default)]
    pub matched_domain: Option<String>,
    /// The organization, for `sso` and `blocked`.
    #[serde(default)]
    pub org: Option<OrgRef>,
    /// The connection to redirect to, for `sso`.
    #[serde(default)]
    pub connection: Option<ConnectionRef>,
    /// The login hint to pass to the IdP.
    #[serde(default)]
    pub login_hint: Option<String>,
    /// The organizations to choose from, for `org_picker`.
    #[serde(default)]
    pub candidates: Vec<OrgRef>,
    /// True when the organization requires SSO: offer no password login.
    pub sso_required: bool,
    /// Machine-readable reasons (`verified_domain`, `sso_required`, …), in order.
    pub reasons: Vec<String>,
    /// The whole output, as JSON text.
    #[serde(skip)]
    pub json: String,
}

/// How to find the organization whose branding a login screen shows.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Enum)]
pub enum BrandingLookup {
    /// The address typed on the login screen: its domain's organization, as routing decides.
    Email {
        /// The address.
        email: String,
    },
    /// An organization slug (`/login/acme`).
    Slug {
        /// The slug.
        slug: String,
    },
    /// An SSO connection (IdP-initiated login, a connection-specific URL).
    Connection {
        /// The connection's id.
        connection_id: String,
    },
}

/// Login-screen branding, each field resolved along organization → parents → the app default.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize, uniffi::Record)]
#[serde(default)]
pub struct Branding {
    /// Logo URL (https).
    pub logo_url: Option<String>,
    /// Primary colour, `#rrggbb`.
    pub primary_color: Option<String>,
    /// Secondary colour, `#rrggbb`.
    pub secondary_color: Option<String>,
    /// Title shown on the login screen.
    pub login_title: Option<String>,
    /// Subtitle or instructions under the title.
    pub login_subtitle: Option<String>,
    /// Text of the sign-in button.
    pub login_button_text: Option<String>,
    /// Custom CSS, allow-listed and in canonical form.
    pub custom_css: Option<String>,
}

/// The `branding_resolve` op's output.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, uniffi::Record)]
pub struct ResolvedBranding {
    /// The organization found, if any (none: the app's default applies throughout).
    #[serde(default)]
    pub org: Option<OrgRef>,
    /// The merged branding.
    pub branding: Branding,
    /// Field name → the id of the organization that set it, or `default`.
    pub sources: HashMap<String, String>,
    /// The whole output, as JSON text.
    #[serde(skip)]
    pub json: String,
}

/// Who acts, and in which organization: a user and the active org of their session.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, uniffi::Record)]
pub struct SessionScope {
    /// The user's id.
    pub user_id: String,
    /// The active organization's id.
    pub org_id: String,
}

/// What is acted on, for `authorize`, `check` and `allowed_actions`.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ResourceRef {
    /// The entity type: `Organization`, `SsoConnection`, … or a host type (`App::Document`).
    pub kind: String,
    /// The entity id.
    pub id: String,
    /// The organization it belongs to, where its type does not say.
    #[uniffi(default)]
    pub org: Option<String>,
    /// Host attributes, as a JSON object's text.
    #[uniffi(default)]
    pub attrs_json: Option<String>,
}

/// A membership as a decision read it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, uniffi::Record)]
pub struct MembershipView {
    /// `active`, `invited`, `suspended`, or `none`.
    pub status: String,
    /// The role keys held in the active organization.
    pub roles: Vec<String>,
}

/// The `authorize` op's output, for UI gating.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, uniffi::Record)]
pub struct Authorization {
    /// Allow or deny.
    pub decision: Decision,
    /// The policies that decided (permits for an allow, forbids for a deny), sorted.
    pub policies: Vec<String>,
    /// The principal's membership in the active organization.
    pub membership: MembershipView,
    /// The whole output (with the policy errors and the `authz.decision` audit event), as JSON
    /// text.
    #[serde(skip)]
    pub json: String,
}

/// The `check` op's output: `authorize`'s answer without the audit event.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, uniffi::Record)]
pub struct Check {
    /// Allow or deny.
    pub decision: Decision,
    /// The policies that decided (permits for an allow, forbids for a deny), sorted.
    pub policies: Vec<String>,
    /// The whole output (with the policy errors), as JSON text.
    #[serde(skip)]
    pub json: String,
}

/// The session to verify or resolve: a token, or claims the app verified itself.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Enum)]
pub enum SessionCredential {
    /// A session or ID token (JWT), verified against the keys in the directory's options.
    Token {
        /// The compact JWT.
        token: String,
    },
    /// Claims whose signature the app checked itself; they pass the same claim checks.
    VerifiedClaims {
        /// The claims, as a JSON object's text.
        claims_json: String,
    },
}

/// The `session_verify` op's output.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, uniffi::Record)]
pub struct VerifiedSession {
    /// The issuer that vouched for it.
    pub issuer: String,
    /// The key id that verified it.
    #[serde(default)]
    pub kid: Option<String>,
    /// The algorithm that verified it.
    #[serde(default)]
    pub algorithm: Option<String>,
    /// The directory user it names.
    pub user_id: String,
    /// The organization it is bound to, if any.
    #[serde(default)]
    pub org_id: Option<String>,
    /// When it expires, Unix seconds.
    pub expires_at: i64,
    /// Every claim, as a JSON object's text.
    #[serde(rename = "claims", deserialize_with = "json_text")]
    pub claims_json: String,
    /// The whole output, as JSON text.
    #[serde(skip)]
    pub json: String,
}

/// A session bound to one active organization.
#[derive(Debug, Clone, PartialEq, Deserialize, uniffi::Record)]
pub struct ActiveSession {
    /// The user and the active organization: what `authorize` takes.
    #[serde(flatten)]
    pub scope: SessionScope,
    /// The issuer of the token.
    pub issuer: String,
    /// When the token expires, Unix seconds.
    pub expires_at: i64,
    /// The membership: status and role keys.
    pub membership: MembershipView,
    /// The actions the user may take on the organization itself, for UI gating.
    pub permissions: Vec<String>,
    /// The organization's feature flags and entitlements, defaults applied.
    pub feature_flags: HashMap<String, FlagValue>,
}

/// An organization the user may pick.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, uniffi::Record)]
pub struct OrgCandidate {
    /// The organization's id.
    pub org_id: String,
    /// Its slug.
    pub slug: String,
    /// Its display name.
    pub name: String,
    /// The user's roles there.
    pub roles: Vec<String>,
}

/// Where a session lands (the output's `status`).
#[derive(Debug, Clone, PartialEq, Deserialize, uniffi::Enum)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum SessionOutcome {
    /// `active`: the session has its organization; `session.scope` is what `authorize` takes.
    Active {
        /// The session in its active organization.
        #[serde(flatten)]
        session: ActiveSession,
    },
    /// `organization_selection_required`: show a picker of `candidates`, then resolve again
    /// with the chosen `org_id`.
    OrganizationSelectionRequired {
        /// The signed-in user.
        user_id: String,
        /// The organizations to offer, by id.
        candidates: Vec<OrgCandidate>,
        /// True when the picker limit cut the list.
        truncated: bool,
    },
    /// `no_organization`: the user is active in no organization.
    NoOrganization {
        /// The signed-in user.
        user_id: String,
    },
}

/// The `session_resolve` op's output.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct SessionResolution {
    /// Where the session lands.
    pub outcome: SessionOutcome,
    /// The whole output, as JSON text.
    pub json: String,
}

/// Record counts of the engine's directory after `load` or `apply_changes`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, uniffi::Record)]
pub struct Stats {
    /// The snapshot's version: 1 after load, +1 for each applied change batch.
    pub version: u64,
    /// Organizations.
    pub orgs: u64,
    /// Distinct claimed domains.
    pub domains: u64,
    /// SSO connections.
    pub connections: u64,
    /// Users.
    pub users: u64,
    /// Memberships.
    pub memberships: u64,
    /// Organizations whose own policies were refused at load (they fail closed).
    pub quarantined_orgs: u64,
}

/// Deserializes any JSON value as its text.
fn json_text<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<String, D::Error> {
    serde_json::Value::deserialize(deserializer).map(|value| value.to_string())
}
