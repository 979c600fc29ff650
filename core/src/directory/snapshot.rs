//! The directory snapshot: immutable, indexed, cheap to clone. Every index is a persistent map
//! (`imbl`), so a change yields a new snapshot that shares all untouched structure with the old
//! one, and readers of the old snapshot are never disturbed.

use crate::authz::config::AuthzConfig;
use crate::authz::slice::OrgSlice;
use crate::directory::members::Members;
use crate::directory::records::{
    DirectoryDoc, FlagValue, Membership, MembershipStatus, Organization, User, Verification,
    SCHEMA_VERSION,
};
use crate::limits::Limits;
use crate::routing::claimable::ConsumerDomains;
use serde::Serialize;
use std::sync::Arc;

/// An id: stored inline up to 23 bytes, so comparing a key in an index reads no other memory
/// (at 100,000 orgs that pointer chase was a cache miss per lookup); longer ids share one
/// reference-counted copy.
pub(crate) type Id = smol_str::SmolStr;

/// A persistent map keyed by ids, hashed with foldhash: the indexes every decision reads
/// (organizations, users, memberships, slices), where SipHash was a tenth of the time.
/// Keys are ids the host assigns, not text an outsider chooses, and each map is seeded at
/// random.
pub(crate) type IdMap<K, V> =
    imbl::GenericHashMap<K, V, foldhash::fast::RandomState, imbl::shared_ptr::DefaultSharedPtr>;

/// What a decision reads of one organization, found with one lookup: its authorization slice
/// and its memberships by user id.
#[derive(Debug, Clone)]
pub(crate) struct OrgAccess {
    pub(crate) slice: Arc<OrgSlice>,
    pub(crate) members: Members,
}

/// The organization and token record a SCIM token hash belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ScimTokenOwner {
    pub(crate) org_id: Id,
    pub(crate) token_id: Id,
}

/// One organization's claim on a domain, as the domain index holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct DomainClaim {
    pub(crate) org_id: Id,
    pub(crate) verification: Verification,
    pub(crate) include_subdomains: bool,
}

/// A membership as the snapshot holds it: ids and role keys shared, not copied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MembershipEntry {
    pub(crate) user_id: Id,
    pub(crate) org_id: Id,
    /// Inline for one role, the usual case: a decision then reads no other memory for them.
    pub(crate) roles: smallvec::SmallVec<[Id; 1]>,
    pub(crate) status: MembershipStatus,
    pub(crate) joined_at: Option<Arc<str>>,
    pub(crate) authenticated_via: Option<Id>,
}

impl MembershipEntry {
    /// The membership as a wire record.
    pub fn to_record(&self) -> Membership {
        Membership {
            user_id: self.user_id.to_string(),
            org_id: self.org_id.to_string(),
            roles: self.roles.iter().map(|r| r.to_string()).collect(),
            status: self.status,
            joined_at: self.joined_at.as_deref().map(str::to_string),
            authenticated_via: self.authenticated_via.as_deref().map(str::to_string),
        }
    }

    /// The membership's state.
    pub fn status(&self) -> MembershipStatus {
        self.status
    }

    /// The role keys held.
    pub fn roles(&self) -> impl Iterator<Item = &str> {
        self.roles.iter().map(|r| &**r)
    }
}

/// The second ids of the pairs in `set` whose first id is `first`, in order.
pub(crate) fn second_of_pairs<'a>(
    set: &'a imbl::OrdSet<(Id, Id)>,
    first: &str,
) -> impl Iterator<Item = &'a str> {
    let start: (Id, Id) = (Id::from(first), Id::default());
    let first: Id = start.0.clone();
    set.range(start..)
        .take_while(move |(a, _)| *a == first)
        .map(|(_, b)| &**b)
}

/// Record counts of a snapshot.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Stats {
    /// The snapshot's version: 1 after load, +1 for each applied change batch.
    pub version: u64,
    /// Organizations.
    pub orgs: usize,
    /// Distinct claimed domains.
    pub domains: usize,
    /// SSO connections.
    pub connections: usize,
    /// Users.
    pub users: usize,
    /// Memberships.
    pub memberships: usize,
    /// Organizations whose own policies were refused at load (they fail closed).
    pub quarantined_orgs: usize,
}

/// An immutable, indexed directory. Clone is O(1).
#[derive(Clone)]
pub struct Directory {
    pub(crate) orgs: IdMap<Id, Arc<Organization>>,
    pub(crate) slugs: imbl::HashMap<Id, Id>,
    pub(crate) domains: imbl::HashMap<Id, Arc<[DomainClaim]>>,
    pub(crate) connections: IdMap<Id, Id>,
    /// SCIM bearer token hash (lowercase hex SHA-256) → the org and token id it belongs to.
    pub(crate) scim_tokens: imbl::HashMap<Id, ScimTokenOwner>,
    /// Org id → its SCIM mapping, paths parsed (orgs with SCIM settings only).
    pub(crate) scim_mappings: imbl::HashMap<Id, Arc<crate::scim::mapping::CompiledMapping>>,
    /// (parent, child) pairs of sub-organizations.
    pub(crate) children: imbl::OrdSet<(Id, Id)>,
    pub(crate) users: IdMap<Id, Arc<User>>,
    /// How many memberships `access` holds in all.
    pub(crate) membership_count: usize,
    /// (user, org) pairs, for a user's organizations in order.
    pub(crate) user_orgs: imbl::OrdSet<(Id, Id)>,
    /// (org, user) pairs, for an organization's members in order.
    pub(crate) org_members: imbl::OrdSet<(Id, Id)>,
    /// Each organization's authorization slice and memberships.
    pub(crate) access: IdMap<Id, OrgAccess>,
    /// Organizations whose own policies were refused at load.
    pub(crate) quarantined: imbl::OrdSet<Id>,
    pub(crate) authz: Arc<AuthzConfig>,
    /// Session issuers, keys and the signing key, built once.
    pub(crate) sessions: Arc<crate::session::SessionConfig>,
    /// The app's default feature flags and entitlements.
    pub(crate) flag_defaults: Arc<std::collections::BTreeMap<String, FlagValue>>,
    /// The app's default branding, canonical.
    pub(crate) branding_default: Option<Arc<crate::directory::records::Branding>>,
    pub(crate) limits: Limits,
    pub(crate) consumer: ConsumerDomains,
    pub(crate) version: u64,
}

impl std::fmt::Debug for Directory {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Directory")
            .field("stats", &self.stats())
            .finish_non_exhaustive()
    }
}

impl Directory {
    /// The organization with this id.
    pub fn org(&self, id: &str) -> Option<&Organization> {
        self.orgs.get(id).map(|org| &**org)
    }

    /// The organization with this slug (compared lowercase).
    pub fn org_by_slug(&self, slug: &str) -> Option<&Organization> {
        let slug = slug.trim().to_ascii_lowercase();
        self.slugs.get(slug.as_str()).and_then(|id| self.org(id))
    }

    /// The id of the organization that owns this SSO connection.
    pub fn connection_org(&self, connection_id: &str) -> Option<&str> {
        self.connections.get(connection_id).map(|id| &**id)
    }

    /// The user with this id.
    pub fn user(&self, id: &str) -> Option<&User> {
        self.users.get(id).map(|user| &**user)
    }

    /// The membership of a user in an organization.
    pub fn membership(&self, user_id: &str, org_id: &str) -> Option<&MembershipEntry> {
        self.access.get(org_id)?.members.get(user_id)
    }

    /// The ids of the organizations a user belongs to, sorted.
    pub fn user_org_ids(&self, user_id: &str) -> Vec<&str> {
        second_of_pairs(&self.user_orgs, user_id).collect()
    }

    /// The ids of an organization's members, sorted.
    pub fn org_member_ids(&self, org_id: &str) -> Vec<&str> {
        second_of_pairs(&self.org_members, org_id).collect()
    }

    /// The limits this directory is held to.
    pub fn limits(&self) -> &Limits {
        &self.limits
    }

    /// The consumer mail domains in force (embedded list plus the host's).
    pub fn consumer_domains(&self) -> &ConsumerDomains {
        &self.consumer
    }

    /// The policies refused for each quarantined organization, by org id.
    pub fn refused_policies(&self) -> Vec<(&str, &[crate::authz::RefusedPolicy])> {
        self.quarantined
            .iter()
            .filter_map(|id| {
                self.access
                    .get(id)
                    .map(|a| (&**id, a.slice.refused.as_slice()))
            })
            .collect()
    }

    /// Record counts and version.
    pub fn stats(&self) -> Stats {
        Stats {
            version: self.version,
            orgs: self.orgs.len(),
            domains: self.domains.len(),
            connections: self.connections.len(),
            users: self.users.len(),
            memberships: self.membership_count,
            quarantined_orgs: self.quarantined.len(),
        }
    }

    /// The whole directory as a document, records sorted by id, for persistence or export.
    pub fn to_doc(&self) -> DirectoryDoc {
        let mut orgs: Vec<Organization> = self.orgs.values().map(|o| (**o).clone()).collect();
        orgs.sort_by(|a, b| a.id.cmp(&b.id));
        let mut users: Vec<User> = self.users.values().map(|u| (**u).clone()).collect();
        users.sort_by(|a, b| a.id.cmp(&b.id));
        let mut memberships: Vec<Membership> = self
            .access
            .values()
            .flat_map(|a| a.members.values())
            .map(|m| m.to_record())
            .collect();
        memberships.sort_by(|a, b| (&a.user_id, &a.org_id).cmp(&(&b.user_id, &b.org_id)));
        DirectoryDoc {
            schema_version: SCHEMA_VERSION,
            orgs,
            users,
            memberships,
        }
    }
}
