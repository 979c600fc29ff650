//! Deterministic synthetic directories for the benchmarks and the memory example.
//!
//! Everything is derived from indices (no randomness), so every run builds the same document.
//! Organization `i` (0-based) has:
//! - id `org-{i:07}`, slug `org-{i:07}`, name `Org {i}`, status active, `require_sso` on even `i`;
//! - [`DOMAINS_PER_ORG`] verified domains `org{i:07}-{k}.com`, the first (`k = 0`) with
//!   `include_subdomains`;
//! - one active SAML connection `conn-{i:07}` serving all its domains (https `sso_url`).
//!
//! Indices are zero-padded to seven digits so that addresses have the same length whatever
//! the directory size, which keeps route timings comparable across sizes.
//!
//! User `u` (id `user-{u:07}`) belongs to `1 + u % 3` organizations (capped by the org count
//! and the requested membership total): `base, base + 1, …` modulo the org count, with
//! `base = u * 7919 % orgs`, so members spread evenly over all organizations. Roles are
//! `admin` for one membership in ten, `member` otherwise.
#![allow(dead_code)]

use orgkit::{
    Change, ConnectionStatus, DirectoryDoc, EmailDomain, Membership, MembershipStatus, OrgStatus,
    Organization, Protocol, SamlSettings, SsoConnection, User, Verification, SCHEMA_VERSION,
};
use std::collections::BTreeMap;

/// Claimed domains per organization.
pub const DOMAINS_PER_ORG: usize = 3;
/// A prime coprime to every power-of-ten org count, to spread users over organizations.
const SPREAD: usize = 7919;
/// An org index no generated directory reaches (seven digits, like every generated index).
pub const ABSENT_ORG: usize = 9_999_999;

/// The size of a synthetic directory.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Spec {
    /// Organizations.
    pub orgs: usize,
    /// Memberships in all; users are added until this many exist (0 means no users).
    pub memberships: usize,
}

impl Spec {
    /// `orgs` organizations and no users or memberships.
    pub const fn orgs_only(orgs: usize) -> Self {
        Self {
            orgs,
            memberships: 0,
        }
    }

    /// The number of organizations needed to claim at least `domains` domains.
    pub const fn orgs_for_domains(domains: usize) -> usize {
        domains.div_ceil(DOMAINS_PER_ORG)
    }

    /// How many memberships user `u` has (before the cap on the total).
    fn wanted(&self, u: usize) -> usize {
        (1 + u % 3).min(self.orgs)
    }
}

/// The id of organization `i`.
pub fn org_id(i: usize) -> String {
    format!("org-{i:07}")
}

/// The `k`-th domain of organization `i`.
pub fn domain(i: usize, k: usize) -> String {
    format!("org{i:07}-{k}.com")
}

/// The id of organization `i`'s SAML connection.
pub fn connection_id(i: usize) -> String {
    format!("conn-{i:07}")
}

/// The id of user `u`.
pub fn user_id(u: usize) -> String {
    format!("user-{u:07}")
}

/// Organization `i`.
pub fn org(i: usize) -> Organization {
    let domains = (0..DOMAINS_PER_ORG)
        .map(|k| EmailDomain {
            domain: domain(i, k),
            verification: Verification::Verified,
            include_subdomains: k == 0,
        })
        .collect();
    let connection = SsoConnection {
        id: connection_id(i),
        name: Some(format!("Org {i} IdP")),
        protocol: Protocol::Saml,
        status: ConnectionStatus::Active,
        domains: Vec::new(),
        saml: Some(SamlSettings {
            idp_entity_id: format!("https://idp.example.net/saml/org{i:07}"),
            sso_url: format!("https://idp.example.net/saml/org{i:07}/sso"),
            signing_certificates: Vec::new(),
        }),
        oidc: None,
    };
    Organization {
        id: org_id(i),
        name: format!("Org {i}"),
        slug: format!("org-{i:07}"),
        status: OrgStatus::Active,
        domains,
        sso_connections: vec![connection],
        require_sso: i % 2 == 0,
        scim: None,
        branding: None,
        roles: Vec::new(),
        feature_flags: BTreeMap::new(),
        parent_id: None,
        policies: vec![],
        audit: None,
    }
}

/// The first org index of user `u` in a directory of `orgs` organizations.
fn base_org(u: usize, orgs: usize) -> usize {
    u.wrapping_mul(SPREAD) % orgs.max(1)
}

/// The org indices user `u` belongs to (at most `count`), distinct.
pub fn orgs_of_user(u: usize, orgs: usize, count: usize) -> impl Iterator<Item = usize> {
    let base = base_org(u, orgs);
    (0..count.min(orgs)).map(move |j| (base + j) % orgs)
}

/// An org index user `u` (holding `count` memberships) is not a member of.
pub fn org_not_joined(u: usize, orgs: usize, count: usize) -> usize {
    (base_org(u, orgs) + count.min(orgs) + orgs / 2) % orgs.max(1)
}

/// User `u`, whose address is on the first domain of their first organization.
pub fn user(u: usize, orgs: usize) -> User {
    User {
        id: user_id(u),
        email: format!("user{u:07}@{}", domain(base_org(u, orgs), 0)),
        name: Some(format!("User {u}")),
    }
}

/// The `j`-th membership of user `u` in organization `org_index`.
pub fn membership(u: usize, org_index: usize, j: usize) -> Membership {
    let role = if (u + j) % 10 == 0 { "admin" } else { "member" };
    Membership {
        user_id: user_id(u),
        org_id: org_id(org_index),
        roles: vec![role.to_string()],
        status: MembershipStatus::Active,
        joined_at: Some(format!(
            "2024-{:02}-{:02}T09:30:00Z",
            1 + u % 12,
            1 + u % 28
        )),
        authenticated_via: (j == 0 && u % 2 == 0).then(|| connection_id(org_index)),
    }
}

/// The whole document for `spec`.
pub fn doc(spec: Spec) -> DirectoryDoc {
    let orgs: Vec<Organization> = (0..spec.orgs).map(org).collect();
    let mut users = Vec::with_capacity(spec.memberships / 2 + 1);
    let mut memberships = Vec::with_capacity(spec.memberships);
    let mut u = 0usize;
    while spec.orgs > 0 && memberships.len() < spec.memberships {
        let count = spec.wanted(u).min(spec.memberships - memberships.len());
        users.push(user(u, spec.orgs));
        for (j, o) in orgs_of_user(u, spec.orgs, count).enumerate() {
            memberships.push(membership(u, o, j));
        }
        u += 1;
    }
    DirectoryDoc {
        schema_version: SCHEMA_VERSION,
        orgs,
        users,
        memberships,
    }
}

/// The number of users `doc(spec)` holds.
pub fn user_count(spec: Spec) -> usize {
    let mut total = 0usize;
    let mut u = 0usize;
    while spec.orgs > 0 && total < spec.memberships {
        total += spec.wanted(u).min(spec.memberships - total);
        u += 1;
    }
    u
}

/// A change adding user `u` (which must exist in `doc(spec)`) to an organization they do not
/// belong to yet. Distinct `u` give distinct memberships.
pub fn new_membership_change(spec: Spec, u: usize) -> Change {
    let o = org_not_joined(u, spec.orgs, spec.wanted(u));
    Change::UpsertMembership {
        membership: membership(u, o, 1),
    }
}

/// A change adding a fresh domain to organization `i`.
pub fn new_domain_change(i: usize) -> Change {
    Change::UpsertDomain {
        org_id: org_id(i),
        domain: EmailDomain {
            domain: format!("extra{i:07}.com"),
            verification: Verification::Verified,
            include_subdomains: false,
        },
    }
}

/// A change replacing organization `i` whole (renamed, SSO no longer required).
pub fn replace_org_change(i: usize) -> Change {
    let mut next = org(i);
    next.name = format!("Org {i} (renamed)");
    next.require_sso = !next.require_sso;
    Change::UpsertOrg { org: next }
}
