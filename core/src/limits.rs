//! Explicit size and count limits. Every limit is checked and reported as `limit_exceeded`
//! with the path of the offending value; hosts may raise or lower them when they load.

use serde::{Deserialize, Serialize};

/// The limits a directory is held to. Defaults follow what B2B identity products publish
/// (Auth0: 100k orgs per tenant, 50 roles per member, a picker of 20) with headroom.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Limits {
    /// Organizations in one directory.
    pub max_orgs: usize,
    /// Users in one directory.
    pub max_users: usize,
    /// Memberships in one directory.
    pub max_memberships: usize,
    /// Email domains per organization.
    pub max_domains_per_org: usize,
    /// SSO connections per organization.
    pub max_connections_per_org: usize,
    /// Custom roles per organization.
    pub max_roles_per_org: usize,
    /// Permissions per custom role.
    pub max_permissions_per_role: usize,
    /// Roles per membership.
    pub max_roles_per_membership: usize,
    /// Feature flags per organization.
    pub max_flags_per_org: usize,
    /// SCIM tokens per organization (two during a rotation).
    pub max_scim_tokens: usize,
    /// Signing certificates per SAML connection.
    pub max_certificates: usize,
    /// Bytes of a name, title, URL or other short text.
    pub max_text_bytes: usize,
    /// Longest custom login-screen CSS of an org, in bytes.
    pub max_css_bytes: usize,
    /// Bytes of one certificate.
    pub max_certificate_bytes: usize,
    /// Cedar policies an organization's admins may write.
    pub max_policies_per_org: usize,
    /// Bytes of one organization policy.
    pub max_policy_bytes: usize,
    /// Requests in one `authorize_batch` call.
    pub max_batch: usize,
    /// Depth of the parent chain of sub-organizations.
    pub max_org_depth: usize,
    /// Candidates listed in an org picker decision.
    pub max_picker_candidates: usize,
    /// Problems listed in one validation error (the rest are counted as truncated).
    pub max_problems: usize,
    /// Bytes of one JSON call input (a whole directory document included).
    pub max_input_bytes: usize,
    /// Bytes of one SCIM filter expression.
    pub max_filter_bytes: usize,
    /// Nesting depth of one SCIM filter: each `( … )`, `not ( … )` and value path `[ … ]` opens
    /// a level. Never more than [`crate::scim::filter::DEPTH_CEILING`] is honoured.
    pub max_filter_depth: usize,
    /// Operations in one SCIM PATCH request (RFC 7644 §3.5.2). A PATCH `path` is held to
    /// [`max_filter_bytes`](Self::max_filter_bytes) and [`max_filter_depth`](Self::max_filter_depth)
    /// like a filter.
    pub max_patch_operations: usize,
    /// Resources on one page of a SCIM list response: a larger (or absent) `count` is cut to
    /// it, and the ServiceProviderConfig advertises it as `filter.maxResults`.
    pub max_page_size: usize,
    /// Bytes of one SCIM request body (POST, PUT, PATCH, `.search`); larger bodies are
    /// refused as `payload_too_large` before any parsing.
    pub max_scim_body_bytes: usize,
    /// Bytes of one SCIM query string, still percent-encoded; a longer one is refused as
    /// `limit_exceeded` before decoding.
    pub max_scim_query_bytes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_orgs: 1_000_000,
            max_users: 10_000_000,
            max_memberships: 20_000_000,
            max_domains_per_org: 1_000,
            max_connections_per_org: 50,
            max_roles_per_org: 200,
            max_permissions_per_role: 500,
            max_roles_per_membership: 50,
            max_flags_per_org: 500,
            max_scim_tokens: 5,
            max_certificates: 5,
            max_text_bytes: 2_048,
            max_css_bytes: 8_192,
            max_certificate_bytes: 16_384,
            max_policies_per_org: 100,
            max_policy_bytes: 16_384,
            max_batch: 1_000,
            max_org_depth: 8,
            max_picker_candidates: 20,
            max_problems: 1_000,
            max_input_bytes: 1 << 30,
            max_filter_bytes: 4_096,
            max_filter_depth: 16,
            max_patch_operations: 1_000,
            max_page_size: 100,
            max_scim_body_bytes: 1 << 20,
            max_scim_query_bytes: 16_384,
        }
    }
}
