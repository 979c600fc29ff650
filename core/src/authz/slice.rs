//! The per-organization slice of authorization: the org's own policies (its custom roles and
//! the policies its admins wrote) and its prebuilt entities. A request evaluates the global set
//! and the active organization's slice only, so its cost does not depend on how many
//! organizations the directory holds.

use crate::audit::Redaction;
use crate::authz::compiled::{compile, CompiledPolicy};
use crate::authz::config::{validate, AuthzConfig, NAMESPACE};
use crate::directory::records::{FlagValue, Organization, BUILTIN_ROLES};
use cedar_policy::{EntityUid, Policy, PolicyId, PolicySet, ResourceConstraint};
use cedar_policy_core::ast::Value as CedarValue;
use std::collections::BTreeMap;
use std::str::FromStr;
use std::sync::Arc;

/// A policy of the org that was refused, and why.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct RefusedPolicy {
    /// The policy's id within the org (or the role key it was generated for).
    pub id: String,
    /// Cedar's diagnostics.
    pub diagnostics: String,
}

/// One organization's authorization slice.
#[derive(Debug)]
pub(crate) struct OrgSlice {
    /// The organization's uid.
    pub(crate) org: EntityUid,
    /// The uids of the org's custom roles, by key.
    pub(crate) roles: foldhash::HashMap<String, EntityUid>,
    /// The org's own policies; `None` when it has none.
    pub(crate) policies: Option<PolicySet>,
    /// The same policies compiled for evaluation.
    pub(crate) compiled: Arc<[Arc<CompiledPolicy>]>,
    /// Policies refused at load: the org then fails closed (every request in it is denied).
    pub(crate) refused: Vec<RefusedPolicy>,
    /// The org's feature flags that are on (`context.flags`), sorted.
    pub(crate) flags: Vec<String>,
    /// `context.flags` when a flag is on (else the configuration's empty set), built once.
    pub(crate) flags_value: Option<CedarValue>,
    /// The org's audit redaction rules, when it has any: applied to its decisions' events.
    pub(crate) redaction: Option<Redaction>,
}

/// A problem with one role's permission list, reported as a directory problem.
pub(crate) struct PermissionProblem {
    pub(crate) role_index: usize,
    pub(crate) permission_index: usize,
    pub(crate) permission: String,
}

/// The Cedar text of the policy a custom role stands for.
fn role_policy(config: &AuthzConfig, org_id: &str, key: &str, permissions: &[String]) -> String {
    let actions: Vec<String> = permissions
        .iter()
        .filter_map(|p| config.actions.get(p))
        .map(|a| a.uid.to_string())
        .collect();
    format!(
        "permit (principal in {NAMESPACE}::Role::\"{org_id}/{key}\", action in [{}], resource) \
         when {{ context.membership.status == \"active\" && resource in context.active_org }};",
        actions.join(", ")
    )
}

/// Parses text holding exactly one Cedar policy (no template). Through the policy-set parser,
/// the one orgkit uses everywhere: each of Cedar's parser entry points adds its own grammar
/// tables to the Wasm build.
fn single_policy(text: &str) -> Result<Policy, String> {
    let set = PolicySet::from_str(text).map_err(|e| e.to_string())?;
    let mut policies = set.policies();
    match (policies.next(), policies.next(), set.templates().count()) {
        (Some(policy), None, 0) => Ok(policy.clone()),
        _ => Err("a policy record holds exactly one Cedar policy (no templates)".into()),
    }
}

/// Parses one admin-written policy: exactly one Cedar policy (no template), scoped to the org.
fn org_policy(org_uid: &EntityUid, org_id: &str, id: &str, text: &str) -> Result<Policy, String> {
    let policy = single_policy(text)?;
    match policy.resource_constraint() {
        ResourceConstraint::In(uid) | ResourceConstraint::IsIn(_, uid) if uid == *org_uid => {
            Ok(policy.new_id(PolicyId::new(format!("org.{org_id}.policy.{id}"))))
        }
        _ => Err(format!("an organization's policy must be scoped `resource in {org_uid}` (or `resource is T in {org_uid}`)")),
    }
}

impl OrgSlice {
    /// Builds the slice of `org`. Unknown permissions come back as problems (the directory
    /// refuses them); policies that do not parse, validate or stay inside the org are refused
    /// with Cedar's diagnostics and make the slice fail closed.
    pub(crate) fn build(
        config: &AuthzConfig,
        flag_defaults: &BTreeMap<String, FlagValue>,
        org: &Organization,
    ) -> (Self, Vec<PermissionProblem>) {
        let org_uid = AuthzConfig::uid(&config.types.organization, &org.id);
        let mut problems = Vec::new();
        let mut refused = Vec::new();
        let mut policies = Vec::new();
        let mut roles = foldhash::HashMap::default();
        for (role_index, role) in org.roles.iter().enumerate() {
            for (permission_index, permission) in role.permissions.iter().enumerate() {
                if !config.actions.contains_key(permission) {
                    problems.push(PermissionProblem {
                        role_index,
                        permission_index,
                        permission: permission.clone(),
                    });
                }
            }
            let uid = AuthzConfig::uid(&config.types.role, &format!("{}/{}", org.id, role.key));
            roles.insert(role.key.clone(), uid);
            if role.permissions.is_empty() {
                continue;
            }
            let text = role_policy(config, &org.id, &role.key, &role.permissions);
            match single_policy(&text) {
                Ok(policy) => policies.push(
                    policy.new_id(PolicyId::new(format!("org.{}.role.{}", org.id, role.key))),
                ),
                Err(e) => refused.push(RefusedPolicy {
                    id: format!("role:{}", role.key),
                    diagnostics: e.to_string(),
                }),
            }
        }
        for policy in &org.policies {
            match org_policy(&org_uid, &org.id, &policy.id, &policy.cedar) {
                Ok(p) => policies.push(p),
                Err(diagnostics) => refused.push(RefusedPolicy {
                    id: policy.id.clone(),
                    diagnostics,
                }),
            }
        }
        let mut set = PolicySet::new();
        for policy in policies {
            let id = policy.id().to_string();
            if let Err(e) = set.add(policy) {
                refused.push(RefusedPolicy {
                    id,
                    diagnostics: e.to_string(),
                });
            }
        }
        if let Err(diagnostics) = validate(&config.validator, &set) {
            refused.push(RefusedPolicy {
                id: "*".into(),
                diagnostics,
            });
        }
        let mut slice = Self {
            org: org_uid,
            roles,
            compiled: compile(&set),
            policies: (!set.is_empty()).then_some(set),
            refused,
            flags: Vec::new(),
            flags_value: None,
            redaction: None,
        };
        slice.set_org_settings(flag_defaults, org);
        (slice, problems)
    }

    /// This slice with its policies and roles kept and the org's settings (flags, audit
    /// redaction) read again from `org`: for a change that leaves roles and policies alone.
    pub(crate) fn with_org_settings(
        &self,
        flag_defaults: &BTreeMap<String, FlagValue>,
        org: &Organization,
    ) -> Self {
        let mut slice = Self {
            org: self.org.clone(),
            roles: self.roles.clone(),
            policies: self.policies.clone(),
            compiled: Arc::clone(&self.compiled),
            refused: self.refused.clone(),
            flags: Vec::new(),
            flags_value: None,
            redaction: None,
        };
        slice.set_org_settings(flag_defaults, org);
        slice
    }

    /// Reads the org's flags (and the context part built from them) and redaction rules.
    fn set_org_settings(
        &mut self,
        flag_defaults: &BTreeMap<String, FlagValue>,
        org: &Organization,
    ) {
        self.flags = crate::flags::effective(flag_defaults, &org.feature_flags)
            .into_iter()
            .filter(|(_, v)| *v == FlagValue::Bool(true))
            .map(|(k, _)| k)
            .collect();
        self.flags_value = (!self.flags.is_empty()).then(|| {
            CedarValue::set(
                self.flags.iter().map(|f| CedarValue::from(f.as_str())),
                None,
            )
        });
        self.redaction = org
            .audit
            .as_ref()
            .map(|audit| audit.redaction.clone())
            .filter(|redaction| !redaction.is_empty());
    }

    /// The built-in template keys and custom role uids a membership's role keys stand for.
    /// A custom role with a built-in name shadows the template.
    pub(crate) fn resolve_roles<'a>(
        &self,
        keys: impl Iterator<Item = &'a str>,
    ) -> (Vec<&'static str>, Vec<EntityUid>) {
        let mut builtin = Vec::new();
        let mut custom = Vec::new();
        for key in keys {
            if let Some(role) = self.roles.get(key) {
                custom.push(role.clone());
            } else if let Some(template) = BUILTIN_ROLES.iter().find(|b| **b == key) {
                builtin.push(*template);
            }
        }
        (builtin, custom)
    }
}
