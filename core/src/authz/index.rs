//! Pre-selection of the global policies a request can trigger.
//!
//! Cedar evaluates every policy of the set it is given, at about a microsecond each. Most
//! global policies cannot apply to a given request: their scope names another principal type
//! or other actions, or (for orgkit's own base pack) their condition requires a membership
//! status, a built-in role or a support grant that orgkit already knows the request lacks. The
//! base pack states those requirements as annotations (`@orgkit_status`, `@orgkit_role`,
//! `@orgkit_grant`, `@orgkit_cross_org`) that repeat its conditions; scopes are read from the policies themselves.
//! Each distinct request shape gets the policy set of the policies that can apply, built once
//! and cached. A selected policy is evaluated without the tests its selection already made
//! (its `principal is T`, its `action in [...]`, and the membership tests its annotations
//! repeat; see `CompiledPolicy::given`). Evaluating the selection gives the same answer as
//! evaluating the whole set (a property test compares them).

use crate::authz::compiled::{CompiledPolicy, Known};
use cedar_policy::{
    ActionConstraint, Entities, EntityTypeName, EntityUid, Policy, PolicySet, PrincipalConstraint,
};
use std::collections::{HashMap, HashSet};
use std::sync::{Arc, PoisonError, RwLock};

// The built-in role templates, in bit order of [`Shape::roles`].
use crate::directory::records::BUILTIN_ROLES as ROLES;
/// The membership states, in the order of [`Shape::status`].
pub(crate) const STATES: [&str; 4] = ["active", "invited", "suspended", "none"];

/// A membership status's index in [`STATES`]; an unknown one counts as `none`.
pub(crate) fn status_index(status: &str) -> u8 {
    STATES
        .iter()
        .position(|s| *s == status)
        .unwrap_or(STATES.len() - 1) as u8
}

/// Built-in role names as a bit per role of [`ROLES`]; other names are ignored.
pub(crate) fn role_bits(builtin_roles: &[&str]) -> u8 {
    builtin_roles
        .iter()
        .filter_map(|r| ROLES.iter().position(|known| known == r))
        .fold(0u8, |bits, i| bits | (1 << i))
}

/// What orgkit knows of a request before Cedar looks at it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct Shape {
    pub(crate) staff: bool,
    pub(crate) action: u32,
    pub(crate) status: u8,
    pub(crate) roles: u8,
    pub(crate) grant: bool,
    /// The resource is in another org than the active one.
    pub(crate) cross_org: bool,
}

impl Shape {
    /// The shape of a request by `staff` (else a user) with this membership and grant.
    pub(crate) fn new(
        staff: bool,
        action: u32,
        status: &str,
        builtin_roles: &[&str],
        grant: bool,
        cross_org: bool,
    ) -> Self {
        Self {
            staff,
            action,
            status: status_index(status),
            roles: role_bits(builtin_roles),
            grant,
            cross_org,
        }
    }
}

/// When a policy can apply.
#[derive(Debug)]
struct Guard {
    /// The principal type its scope requires, if any.
    principal: Option<EntityTypeName>,
    /// The action indexes its scope allows (`None`: any).
    actions: Option<HashSet<u32>>,
    status: Option<u8>,
    role: Option<u8>,
    grant: bool,
    cross_org: bool,
}

/// The global policies with their guards, and the cache of selected sets.
#[derive(Debug)]
pub(crate) struct GlobalIndex {
    policies: Vec<(Arc<CompiledPolicy>, Guard)>,
    user: EntityTypeName,
    staff: EntityTypeName,
    cache: RwLock<foldhash::HashMap<Shape, Arc<[Arc<CompiledPolicy>]>>>,
}

impl GlobalIndex {
    /// Indexes `set`; `actions` maps each action uid to its index, `hierarchy` holds the action
    /// groups; annotations are trusted only on orgkit's own policies (`trusted`).
    pub(crate) fn new(
        set: &PolicySet,
        actions: &HashMap<EntityUid, u32>,
        hierarchy: &Entities,
        trusted: impl Fn(&Policy) -> bool,
        user: EntityTypeName,
        staff: EntityTypeName,
    ) -> Self {
        let policies = set
            .policies()
            .map(|policy| {
                let principal = match policy.principal_constraint() {
                    PrincipalConstraint::Is(ty) | PrincipalConstraint::IsIn(ty, _) => Some(ty),
                    PrincipalConstraint::Eq(uid) => Some(uid.type_name().clone()),
                    PrincipalConstraint::Any | PrincipalConstraint::In(_) => None,
                };
                let allowed: Option<Vec<EntityUid>> = match policy.action_constraint() {
                    ActionConstraint::Any => None,
                    ActionConstraint::Eq(uid) => Some(vec![uid]),
                    ActionConstraint::In(uids) => Some(uids),
                };
                let actions = allowed.map(|allowed| {
                    actions
                        .iter()
                        .filter(|(uid, _)| {
                            allowed.contains(uid)
                                || hierarchy
                                    .ancestors(uid)
                                    .is_some_and(|mut up| up.any(|a| allowed.contains(a)))
                        })
                        .map(|(_, index)| *index)
                        .collect()
                });
                let annotation = |key: &str| {
                    if trusted(policy) {
                        policy.annotation(key)
                    } else {
                        None
                    }
                };
                let guard = Guard {
                    principal,
                    actions,
                    status: annotation("orgkit_status")
                        .and_then(|s| STATES.iter().position(|k| *k == s))
                        .map(|i| i as u8),
                    role: annotation("orgkit_role")
                        .and_then(|r| ROLES.iter().position(|k| *k == r))
                        .map(|i| i as u8),
                    grant: annotation("orgkit_grant").is_some(),
                    cross_org: annotation("orgkit_cross_org").is_some(),
                };
                let known = Known {
                    principal_type: guard.principal.is_some(),
                    action: guard.actions.is_some(),
                    status: guard
                        .status
                        .and_then(|i| STATES.get(usize::from(i)).copied()),
                    role: guard.role.and_then(|i| ROLES.get(usize::from(i)).copied()),
                };
                (Arc::new(CompiledPolicy::given(policy, &known)), guard)
            })
            .collect();
        Self {
            policies,
            user,
            staff,
            cache: RwLock::new(foldhash::HashMap::default()),
        }
    }

    fn applies(&self, guard: &Guard, shape: &Shape) -> bool {
        let principal = if shape.staff { &self.staff } else { &self.user };
        guard.principal.as_ref().is_none_or(|ty| ty == principal)
            && guard
                .actions
                .as_ref()
                .is_none_or(|a| a.contains(&shape.action))
            && guard.status.is_none_or(|s| s == shape.status)
            && guard.role.is_none_or(|r| shape.roles & (1 << r) != 0)
            && (!guard.grant || shape.grant)
            && (!guard.cross_org || shape.cross_org)
    }

    /// The policies that can apply to requests of this shape.
    pub(crate) fn select(&self, shape: Shape) -> Arc<[Arc<CompiledPolicy>]> {
        if let Some(set) = self
            .cache
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .get(&shape)
        {
            return Arc::clone(set);
        }
        let mut set: Vec<Arc<CompiledPolicy>> = self
            .policies
            .iter()
            .filter(|(_, guard)| self.applies(guard, &shape))
            .map(|(policy, _)| Arc::clone(policy))
            .collect();
        set.sort_by(|a, b| a.id.cmp(&b.id));
        let set: Arc<[Arc<CompiledPolicy>]> = set.into();
        self.cache
            .write()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(shape, Arc::clone(&set));
        set
    }
}
