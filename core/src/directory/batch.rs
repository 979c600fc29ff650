//! Applies records and changes to a working copy of a snapshot, checking every rule that spans
//! records (unique ids, slugs and connection ids, references, roles in use, sub-org chains) and
//! collecting every problem. The working copy shares structure with the snapshot it came from;
//! it becomes the next snapshot only if no problem was found.

use crate::authz::slice::OrgSlice;
use crate::directory::change::Change;
use crate::directory::problems::Problems;
use crate::directory::records::{
    EmailDomain, Membership, Organization, SsoConnection, User, BUILTIN_ROLES,
};
use crate::directory::snapshot::{
    Directory, DomainClaim, Id, MembershipEntry, OrgAccess, ScimTokenOwner,
};
use crate::directory::validate::{
    check_connection, check_domain, check_membership_fields, check_org, check_user, Rules,
};
use crate::error::{join_path, ErrorCode};
use crate::routing::domain::normalize_domain;
use crate::scim::mapping::CompiledMapping;
use std::collections::HashSet;
use std::sync::{Arc, OnceLock};

/// Whether records are being loaded (a repeated id is a conflict) or changed (it replaces).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mode {
    Load,
    Change,
}

/// A working copy of a directory plus the problems found so far.
pub(crate) struct Batch {
    dir: Directory,
    pub(crate) problems: Problems,
    mode: Mode,
    /// Organizations (and where they were written) whose parent chain must be checked at the end.
    touched: Vec<(Id, String)>,
    /// Organizations removed, whose children must be checked at the end.
    removed: Vec<(Id, String)>,
    /// Interned role keys of the built-in templates.
    builtin: &'static [Id],
}

fn builtin_role_ids() -> &'static [Id] {
    static IDS: OnceLock<Vec<Id>> = OnceLock::new();
    IDS.get_or_init(|| BUILTIN_ROLES.iter().map(|r| Id::from(*r)).collect())
}

impl Batch {
    pub(crate) fn new(dir: Directory, mode: Mode) -> Self {
        let max = dir.limits.max_problems;
        Self {
            dir,
            problems: Problems::new(max),
            mode,
            touched: Vec::new(),
            removed: Vec::new(),
            builtin: builtin_role_ids(),
        }
    }

    /// Applies one change found at `path`.
    pub(crate) fn apply(&mut self, change: &Change, path: &str) {
        match change {
            Change::UpsertOrg { org } => self.upsert_org(org, &join_path(path, "org")),
            Change::RemoveOrg { org_id } => self.remove_org(org_id, path),
            Change::UpsertDomain { org_id, domain } => self.upsert_domain(org_id, domain, path),
            Change::RemoveDomain { org_id, domain } => self.remove_domain(org_id, domain, path),
            Change::UpsertConnection { org_id, connection } => {
                self.upsert_connection(org_id, connection, path)
            }
            Change::RemoveConnection {
                org_id,
                connection_id,
            } => self.remove_connection(org_id, connection_id, path),
            Change::UpsertUser { user } => self.upsert_user(user, &join_path(path, "user")),
            Change::RemoveUser { user_id } => self.remove_user(user_id, path),
            Change::UpsertMembership { membership } => {
                self.upsert_membership(membership, &join_path(path, "membership"))
            }
            Change::RemoveMembership { user_id, org_id } => {
                self.remove_membership(user_id, org_id, path)
            }
        }
    }

    /// Checks what can only be checked once every record is in, and yields the new snapshot.
    pub(crate) fn finish(mut self) -> Result<Directory, Problems> {
        self.check_sub_org_chains();
        if self.problems.is_empty() {
            self.dir.version += 1;
            Ok(self.dir)
        } else {
            Err(self.problems)
        }
    }

    fn rules(
        &self,
    ) -> (
        crate::limits::Limits,
        crate::routing::claimable::ConsumerDomains,
    ) {
        (self.dir.limits, self.dir.consumer.clone())
    }

    fn intern(&self, id: &str) -> Id {
        self.dir
            .orgs
            .get_key_value(id)
            .map(|(k, _)| Id::clone(k))
            .unwrap_or_else(|| Id::from(id))
    }

    fn existing_org(&mut self, org_id: &str, path: &str) -> Option<Arc<Organization>> {
        let org = self.dir.orgs.get(org_id).cloned();
        if org.is_none() {
            self.problems.push(
                path,
                "org_id",
                ErrorCode::UnknownOrg,
                None,
                format!("no organization has id `{org_id}`"),
            );
        }
        org
    }

    pub(crate) fn upsert_org(&mut self, org: &Organization, path: &str) {
        let (limits, consumer) = self.rules();
        let rules = Rules {
            limits: &limits,
            consumer: &consumer,
        };
        if let Some(org) = check_org(&mut self.problems, &rules, path, org) {
            self.install_org(org, path);
        }
    }

    /// Cross-record checks for a sound organization record, then indexing it.
    fn install_org(&mut self, org: Organization, path: &str) {
        let before = self.problems.count();
        let previous = self.dir.orgs.get(org.id.as_str()).cloned();
        if previous.is_some() && self.mode == Mode::Load {
            self.problems.push(
                path,
                "id",
                ErrorCode::Conflict,
                Some("duplicate_id"),
                format!("organization id `{}` appears twice", org.id),
            );
            return;
        }
        if previous.is_none() && self.dir.orgs.len() >= self.dir.limits.max_orgs {
            self.problems.push(
                path,
                "",
                ErrorCode::LimitExceeded,
                Some("too_many_orgs"),
                format!(
                    "the directory holds the limit of {} organizations",
                    self.dir.limits.max_orgs
                ),
            );
            return;
        }
        if let Some(owner) = self.dir.slugs.get(org.slug.as_str()) {
            if **owner != *org.id {
                self.problems.push(
                    path,
                    "slug",
                    ErrorCode::Conflict,
                    Some("duplicate_slug"),
                    format!("slug `{}` belongs to organization `{owner}`", org.slug),
                );
            }
        }
        for (i, connection) in org.sso_connections.iter().enumerate() {
            if let Some(owner) = self.dir.connections.get(connection.id.as_str()) {
                if **owner != *org.id {
                    self.problems.push(
                        path,
                        &format!("sso_connections[{i}].id"),
                        ErrorCode::Conflict,
                        Some("duplicate_id"),
                        format!(
                            "connection id `{}` belongs to organization `{owner}`",
                            connection.id
                        ),
                    );
                }
            }
        }
        for (i, token) in org.scim.iter().flat_map(|s| s.tokens.iter()).enumerate() {
            if let Some(owner) = self.dir.scim_tokens.get(token.sha256.as_str()) {
                if *owner.org_id != *org.id {
                    self.problems.push(
                        path,
                        &format!("scim.tokens[{i}].sha256"),
                        ErrorCode::Conflict,
                        Some("duplicate_token"),
                        "this SCIM token is already another organization's".to_string(),
                    );
                }
            }
        }
        if let Some(previous) = &previous {
            self.check_roles_still_defined(previous, &org, path);
        }
        let slice = self.slice_for(previous.as_deref(), &org, path);
        if self.problems.count() != before {
            return;
        }
        let id = self.intern(&org.id);
        if let Some(previous) = previous {
            self.unindex_org(&id, &previous);
        }
        self.index_org(&id, &org);
        if let Some(slice) = slice {
            if slice.refused.is_empty() {
                self.dir.quarantined.remove(&id);
            } else {
                self.dir.quarantined.insert(Id::clone(&id));
            }
            let members = self
                .dir
                .access
                .get(&id)
                .map(|a| a.members.clone())
                .unwrap_or_default();
            self.dir
                .access
                .insert(Id::clone(&id), OrgAccess { slice, members });
        }
        self.touched.push((Id::clone(&id), path.to_string()));
        self.dir.orgs.insert(id, Arc::new(org));
    }

    /// The authorization slice of `org`: the previous one when its roles and policies did not
    /// change, else a new one. Unknown permissions are problems; refused policies are problems
    /// for a change and quarantine the org at load (it then fails closed).
    fn slice_for(
        &mut self,
        previous: Option<&Organization>,
        org: &Organization,
        path: &str,
    ) -> Option<Arc<OrgSlice>> {
        if let Some(previous) = previous {
            if previous.roles == org.roles && previous.policies == org.policies {
                let kept = &self.dir.access.get(org.id.as_str())?.slice;
                if previous.feature_flags == org.feature_flags && previous.audit == org.audit {
                    return Some(Arc::clone(kept));
                }
                return Some(Arc::new(
                    kept.with_org_settings(&self.dir.flag_defaults, org),
                ));
            }
        }
        let (slice, unknown) = OrgSlice::build(&self.dir.authz, &self.dir.flag_defaults, org);
        for p in unknown {
            self.problems.push(
                path,
                &format!(
                    "roles[{}].permissions[{}]",
                    p.role_index, p.permission_index
                ),
                ErrorCode::UnknownAction,
                None,
                format!(
                    "`{}` is not an action of the authorization schema",
                    p.permission
                ),
            );
        }
        if self.mode == Mode::Change {
            for refused in &slice.refused {
                self.problems.push(
                    path,
                    "policies",
                    ErrorCode::InvalidPolicy,
                    None,
                    format!("policy `{}` refused: {}", refused.id, refused.diagnostics),
                );
            }
        }
        Some(Arc::new(slice))
    }

    /// A replaced organization may drop a custom role only if no membership holds it.
    fn check_roles_still_defined(
        &mut self,
        previous: &Organization,
        next: &Organization,
        path: &str,
    ) {
        let kept: HashSet<&str> = next.roles.iter().map(|r| r.key.as_str()).collect();
        let dropped: HashSet<&str> = previous
            .roles
            .iter()
            .map(|r| r.key.as_str())
            .filter(|k| !kept.contains(k) && !BUILTIN_ROLES.contains(k))
            .collect();
        if dropped.is_empty() {
            return;
        }
        let members: Vec<Id> =
            crate::directory::snapshot::second_of_pairs(&self.dir.org_members, &next.id)
                .map(Id::from)
                .collect();
        for user in members {
            let held = self.dir.membership(&user, &next.id);
            if let Some(role) = held.and_then(|m| m.roles.iter().find(|r| dropped.contains(&***r)))
            {
                self.problems.push(
                    path,
                    "roles",
                    ErrorCode::Conflict,
                    Some("role_in_use"),
                    format!(
                        "role `{role}` is still held by user `{user}`; change the membership first"
                    ),
                );
                return;
            }
        }
    }

    fn index_org(&mut self, id: &Id, org: &Organization) {
        self.dir
            .slugs
            .insert(Id::from(org.slug.as_str()), Id::clone(id));
        for connection in &org.sso_connections {
            self.dir
                .connections
                .insert(Id::from(connection.id.as_str()), Id::clone(id));
        }
        if org.scim.is_some() {
            self.dir
                .scim_mappings
                .insert(Id::clone(id), Arc::new(CompiledMapping::of(org)));
        }
        for token in org.scim.iter().flat_map(|s| s.tokens.iter()) {
            self.dir.scim_tokens.insert(
                Id::from(token.sha256.as_str()),
                ScimTokenOwner {
                    org_id: Id::clone(id),
                    token_id: Id::from(token.id.as_str()),
                },
            );
        }
        for domain in &org.domains {
            let claim = DomainClaim {
                org_id: Id::clone(id),
                verification: domain.verification,
                include_subdomains: domain.include_subdomains,
            };
            let key: Id = Id::from(domain.domain.as_str());
            let claims: Vec<DomainClaim> = self
                .dir
                .domains
                .get(&key)
                .map(|c| {
                    c.iter()
                        .filter(|c| c.org_id != *id)
                        .cloned()
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default()
                .into_iter()
                .chain(std::iter::once(claim))
                .collect();
            self.dir.domains.insert(key, claims.into());
        }
        if let Some(parent) = &org.parent_id {
            self.dir
                .children
                .insert((Id::from(parent.as_str()), Id::clone(id)));
        }
    }

    fn unindex_org(&mut self, id: &Id, org: &Organization) {
        self.dir.slugs.remove(org.slug.as_str());
        for connection in &org.sso_connections {
            self.dir.connections.remove(connection.id.as_str());
        }
        for token in org.scim.iter().flat_map(|s| s.tokens.iter()) {
            self.dir.scim_tokens.remove(token.sha256.as_str());
        }
        self.dir.scim_mappings.remove(id);
        for domain in &org.domains {
            let rest: Vec<DomainClaim> = self
                .dir
                .domains
                .get(domain.domain.as_str())
                .map(|c| c.iter().filter(|c| c.org_id != *id).cloned().collect())
                .unwrap_or_default();
            if rest.is_empty() {
                self.dir.domains.remove(domain.domain.as_str());
            } else {
                self.dir
                    .domains
                    .insert(Id::from(domain.domain.as_str()), rest.into());
            }
        }
        if let Some(parent) = &org.parent_id {
            self.dir
                .children
                .remove(&(Id::from(parent.as_str()), Id::clone(id)));
        }
    }

    fn remove_org(&mut self, org_id: &str, path: &str) {
        let Some(org) = self.existing_org(org_id, path) else {
            return;
        };
        let id = self.intern(org_id);
        let members: Vec<Id> =
            crate::directory::snapshot::second_of_pairs(&self.dir.org_members, org_id)
                .map(Id::from)
                .collect();
        for user in members {
            self.drop_membership(&user, &id);
        }
        self.unindex_org(&id, &org);
        self.dir.orgs.remove(org_id);
        self.dir.access.remove(org_id);
        self.dir.quarantined.remove(org_id);
        self.removed.push((id, path.to_string()));
    }

    fn replace_org(&mut self, org: Organization, path: &str) {
        // The record was sound before and the edit was validated: only cross-record checks remain.
        self.install_org(org, path);
    }

    fn upsert_domain(&mut self, org_id: &str, domain: &EmailDomain, path: &str) {
        let Some(org) = self.existing_org(org_id, path) else {
            return;
        };
        let (limits, consumer) = self.rules();
        let rules = Rules {
            limits: &limits,
            consumer: &consumer,
        };
        let Some(domain) = check_domain(
            &mut self.problems,
            &rules,
            &join_path(path, "domain"),
            domain,
        ) else {
            return;
        };
        let mut next = (*org).clone();
        let count = next.domains.len();
        match next.domains.iter_mut().find(|d| d.domain == domain.domain) {
            Some(slot) => *slot = domain,
            None if count >= limits.max_domains_per_org => {
                self.problems.push(
                    path,
                    "domain",
                    ErrorCode::LimitExceeded,
                    Some("too_many"),
                    format!(
                        "organization `{org_id}` holds the limit of {} domains",
                        limits.max_domains_per_org
                    ),
                );
                return;
            }
            None => next.domains.push(domain),
        }
        self.replace_org(next, path);
    }

    fn remove_domain(&mut self, org_id: &str, domain: &str, path: &str) {
        let Some(org) = self.existing_org(org_id, path) else {
            return;
        };
        let name = match normalize_domain(domain) {
            Ok(d) => d.domain,
            Err(error) => return self.problems.push_error(&join_path(path, "domain"), error),
        };
        if !org.domains.iter().any(|d| d.domain == name) {
            return self.problems.push(
                path,
                "domain",
                ErrorCode::InvalidValue,
                Some("domain_not_claimed"),
                format!("organization `{org_id}` does not claim `{name}`"),
            );
        }
        if let Some(c) = org
            .sso_connections
            .iter()
            .find(|c| c.domains.contains(&name))
        {
            return self.problems.push(
                path,
                "domain",
                ErrorCode::Conflict,
                Some("domain_in_use"),
                format!(
                    "connection `{}` serves `{name}`; change the connection first",
                    c.id
                ),
            );
        }
        let mut next = (*org).clone();
        next.domains.retain(|d| d.domain != name);
        self.replace_org(next, path);
    }

    fn upsert_connection(&mut self, org_id: &str, connection: &SsoConnection, path: &str) {
        let Some(org) = self.existing_org(org_id, path) else {
            return;
        };
        let (limits, consumer) = self.rules();
        let rules = Rules {
            limits: &limits,
            consumer: &consumer,
        };
        let names: HashSet<&str> = org.domains.iter().map(|d| d.domain.as_str()).collect();
        let Some(connection) = check_connection(
            &mut self.problems,
            &rules,
            &join_path(path, "connection"),
            connection,
            &names,
        ) else {
            return;
        };
        let mut next = (*org).clone();
        let count = next.sso_connections.len();
        match next
            .sso_connections
            .iter_mut()
            .find(|c| c.id == connection.id)
        {
            Some(slot) => *slot = connection,
            None if count >= limits.max_connections_per_org => {
                self.problems.push(
                    path,
                    "connection",
                    ErrorCode::LimitExceeded,
                    Some("too_many"),
                    format!(
                        "organization `{org_id}` holds the limit of {} connections",
                        limits.max_connections_per_org
                    ),
                );
                return;
            }
            None => next.sso_connections.push(connection),
        }
        self.replace_org(next, path);
    }

    fn remove_connection(&mut self, org_id: &str, connection_id: &str, path: &str) {
        let Some(org) = self.existing_org(org_id, path) else {
            return;
        };
        if !org.sso_connections.iter().any(|c| c.id == connection_id) {
            return self.problems.push(
                path,
                "connection_id",
                ErrorCode::UnknownConnection,
                None,
                format!("organization `{org_id}` has no connection `{connection_id}`"),
            );
        }
        let mut next = (*org).clone();
        next.sso_connections.retain(|c| c.id != connection_id);
        self.replace_org(next, path);
    }

    pub(crate) fn upsert_user(&mut self, user: &User, path: &str) {
        let (limits, consumer) = self.rules();
        let rules = Rules {
            limits: &limits,
            consumer: &consumer,
        };
        let Some(user) = check_user(&mut self.problems, &rules, path, user) else {
            return;
        };
        let exists = self.dir.users.contains_key(user.id.as_str());
        if exists && self.mode == Mode::Load {
            return self.problems.push(
                path,
                "id",
                ErrorCode::Conflict,
                Some("duplicate_id"),
                format!("user id `{}` appears twice", user.id),
            );
        }
        if !exists && self.dir.users.len() >= limits.max_users {
            return self.problems.push(
                path,
                "",
                ErrorCode::LimitExceeded,
                Some("too_many_users"),
                format!(
                    "the directory holds the limit of {} users",
                    limits.max_users
                ),
            );
        }
        self.dir
            .users
            .insert(Id::from(user.id.as_str()), Arc::new(user));
    }

    fn remove_user(&mut self, user_id: &str, path: &str) {
        let Some((user, _)) = self
            .dir
            .users
            .get_key_value(user_id)
            .map(|(k, v)| (Id::clone(k), Arc::clone(v)))
        else {
            return self.problems.push(
                path,
                "user_id",
                ErrorCode::UnknownUser,
                None,
                format!("no user has id `{user_id}`"),
            );
        };
        let orgs: Vec<Id> =
            crate::directory::snapshot::second_of_pairs(&self.dir.user_orgs, user_id)
                .map(Id::from)
                .collect();
        for org in orgs {
            self.drop_membership(&user, &org);
        }
        self.dir.users.remove(user_id);
    }

    pub(crate) fn upsert_membership(&mut self, membership: &Membership, path: &str) {
        let before = self.problems.count();
        let (limits, consumer) = self.rules();
        let rules = Rules {
            limits: &limits,
            consumer: &consumer,
        };
        check_membership_fields(&mut self.problems, &rules, path, membership);
        let user = self
            .dir
            .users
            .get_key_value(membership.user_id.as_str())
            .map(|(k, _)| Id::clone(k));
        if user.is_none() {
            self.problems.push(
                path,
                "user_id",
                ErrorCode::UnknownUser,
                None,
                format!("no user has id `{}`", membership.user_id),
            );
        }
        let org = self
            .dir
            .orgs
            .get_key_value(membership.org_id.as_str())
            .map(|(k, v)| (Id::clone(k), Arc::clone(v)));
        let mut roles = Vec::with_capacity(membership.roles.len());
        if let Some((_, record)) = &org {
            for (i, role) in membership.roles.iter().enumerate() {
                match self.role_id(record, role) {
                    Some(id) => roles.push(id),
                    None => self.problems.push(
                        path,
                        &format!("roles[{i}]"),
                        ErrorCode::UnknownRole,
                        None,
                        format!(
                            "role `{role}` is neither built in nor defined by organization `{}`",
                            record.id
                        ),
                    ),
                }
            }
            if let Some(via) = &membership.authenticated_via {
                if !record.sso_connections.iter().any(|c| &c.id == via) {
                    self.problems.push(
                        path,
                        "authenticated_via",
                        ErrorCode::UnknownConnection,
                        None,
                        format!("organization `{}` has no connection `{via}`", record.id),
                    );
                }
            }
        } else {
            self.problems.push(
                path,
                "org_id",
                ErrorCode::UnknownOrg,
                None,
                format!("no organization has id `{}`", membership.org_id),
            );
        }
        let (Some(user), Some((org, _))) = (user, org) else {
            return;
        };
        if self.problems.count() != before {
            return;
        }
        let exists = self.dir.membership(&user, &org).is_some();
        if exists && self.mode == Mode::Load {
            return self.problems.push(
                path,
                "",
                ErrorCode::Conflict,
                Some("duplicate_membership"),
                format!("user `{user}` is a member of `{org}` twice"),
            );
        }
        if !exists && self.dir.membership_count >= limits.max_memberships {
            return self.problems.push(
                path,
                "",
                ErrorCode::LimitExceeded,
                Some("too_many_memberships"),
                format!(
                    "the directory holds the limit of {} memberships",
                    limits.max_memberships
                ),
            );
        }
        let entry = MembershipEntry {
            user_id: Id::clone(&user),
            org_id: Id::clone(&org),
            roles: roles.into_iter().collect(),
            status: membership.status,
            joined_at: membership.joined_at.as_deref().map(Arc::from),
            authenticated_via: membership.authenticated_via.as_deref().map(Id::from),
        };
        let Some(access) = self.dir.access.get_mut(&org) else {
            // Unreachable: the org was found above, and every org has its access entry.
            return self.problems.push(
                path,
                "org_id",
                ErrorCode::UnknownOrg,
                None,
                format!("no organization has id `{org}`"),
            );
        };
        access.members.insert(entry);
        if !exists {
            self.dir.membership_count = self.dir.membership_count.saturating_add(1);
        }
        self.dir
            .user_orgs
            .insert((Id::clone(&user), Id::clone(&org)));
        self.dir.org_members.insert((org, user));
    }

    /// The interned id of a role the organization offers (its custom roles first, then the
    /// built-in templates).
    fn role_id(&self, org: &Organization, role: &str) -> Option<Id> {
        let builtin = self.builtin.iter().find(|b| ***b == *role);
        if org.roles.iter().any(|r| r.key == role) {
            Some(builtin.cloned().unwrap_or_else(|| Id::from(role)))
        } else {
            builtin.cloned()
        }
    }

    fn remove_membership(&mut self, user_id: &str, org_id: &str, path: &str) {
        if self.dir.membership(user_id, org_id).is_none() {
            return self.problems.push(
                path,
                "",
                ErrorCode::UnknownMembership,
                None,
                format!("user `{user_id}` is not a member of `{org_id}`"),
            );
        }
        self.drop_membership(&Id::from(user_id), &Id::from(org_id));
    }

    fn drop_membership(&mut self, user: &Id, org: &Id) {
        let removed = self
            .dir
            .access
            .get_mut(org)
            .and_then(|a| a.members.remove(user));
        if removed.is_some() {
            self.dir.membership_count = self.dir.membership_count.saturating_sub(1);
        }
        self.dir
            .user_orgs
            .remove(&(Id::clone(user), Id::clone(org)));
        self.dir
            .org_members
            .remove(&(Id::clone(org), Id::clone(user)));
    }

    /// Every touched organization's parent exists and its chain is short and acyclic; no removed
    /// organization left children behind.
    fn check_sub_org_chains(&mut self) {
        let max_depth = self.dir.limits.max_org_depth;
        for (id, path) in std::mem::take(&mut self.touched) {
            let Some(org) = self.dir.orgs.get(&id).cloned() else {
                continue;
            };
            let mut depth = 0usize;
            let mut next = org.parent_id.clone();
            while let Some(parent) = next {
                depth += 1;
                if parent == org.id || depth > max_depth {
                    self.problems.push(
                        &path,
                        "parent_id",
                        ErrorCode::InvalidValue,
                        Some("parent_chain"),
                        format!(
                            "the parent chain of `{}` loops or is deeper than {max_depth}",
                            org.id
                        ),
                    );
                    break;
                }
                match self.dir.orgs.get(parent.as_str()) {
                    Some(p) => next = p.parent_id.clone(),
                    None => {
                        self.problems.push(
                            &path,
                            "parent_id",
                            ErrorCode::UnknownOrg,
                            None,
                            format!("parent organization `{parent}` does not exist"),
                        );
                        break;
                    }
                }
            }
        }
        for (id, path) in std::mem::take(&mut self.removed) {
            if let Some(child) =
                crate::directory::snapshot::second_of_pairs(&self.dir.children, &id).next()
            {
                self.problems.push(
                    &path,
                    "org_id",
                    ErrorCode::Conflict,
                    Some("has_children"),
                    format!("organization `{id}` still has sub-organization `{child}`"),
                );
            }
        }
    }
}
