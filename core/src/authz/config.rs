//! The authorization configuration shared by every organization: the Cedar schema (orgkit's
//! own plus the host's fragment), the global policy set (orgkit's base pack plus the host's
//! policies), and the action catalogue. Built once per directory load and shared by snapshots.

use crate::authz::index::GlobalIndex;
use crate::authz::prebuilt::MembershipValues;
use crate::error::{Error, ErrorCode, Result};
use cedar_policy::{
    EntityId, EntityTypeName, EntityUid, Policy, PolicyId, PolicySet, Schema, SchemaFragment,
    ValidationMode, Validator,
};
use serde::{Deserialize, Serialize};
use smol_str::SmolStr;
use std::collections::{BTreeMap, HashMap};
use std::str::FromStr;
use std::sync::{Arc, Mutex, PoisonError};

/// orgkit's Cedar schema.
pub const BASE_SCHEMA: &str = include_str!("orgkit.cedarschema");
/// orgkit's base policy pack.
pub const BASE_POLICIES: &str = include_str!("base.cedar");
/// The namespace of orgkit's own entity types and actions.
pub const NAMESPACE: &str = "Orgkit";

/// What a host adds to authorization when it loads a directory.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AuthzOptions {
    /// A Cedar schema fragment with the host's own entity types (declared
    /// `in [Orgkit::Organization]`) and actions (with `context: Orgkit::Context`).
    pub schema: Option<String>,
    /// The record type of `context.host`, in Cedar schema syntax (`{ "mfa": Bool }`).
    pub host_context: Option<String>,
    /// The host's own global policies, in Cedar.
    pub policies: Option<String>,
}

/// The built configuration.
#[derive(Debug)]
pub(crate) struct AuthzConfig {
    pub(crate) schema: Schema,
    pub(crate) validator: Validator,
    /// Base pack plus host policies: evaluated for every request.
    pub(crate) global: PolicySet,
    /// Action name (`users.read`, `App::document.read`) → its uid.
    pub(crate) actions: foldhash::HashMap<String, ActionInfo>,
    /// The global policies indexed by the request shapes they can apply to.
    pub(crate) index: GlobalIndex,
    /// Resource type → the action names that apply to it, sorted.
    pub(crate) actions_by_resource: BTreeMap<String, Vec<String>>,
    pub(crate) types: CoreTypes,
    /// Every entity type of the schema, by its qualified name and by the short name of
    /// orgkit's own types (`Member` for `Orgkit::Member`), so requests parse no type names.
    pub(crate) entity_types: foldhash::HashMap<String, ResourceType>,
    /// Cedar's evaluator, used directly (the public wrapper clones each request).
    pub(crate) authorizer: cedar_policy_core::authorizer::Authorizer,
    /// `context.membership` for every status and set of built-in roles.
    pub(crate) membership: MembershipValues,
    /// The start of every request's Cedar context: `flags` and `host` empty.
    pub(crate) context: BTreeMap<SmolStr, cedar_policy_core::ast::Value>,
}

/// An action that requests may name (action groups are not such actions).
#[derive(Debug)]
pub(crate) struct ActionInfo {
    pub(crate) uid: EntityUid,
    /// Its index in the shape of a request.
    pub(crate) index: u32,
    /// Its entity, with the action groups it belongs to, for `action in <group>`.
    pub(crate) entity: Arc<cedar_policy_core::ast::Entity>,
    /// Its uid as a request takes it.
    pub(crate) request_uid: Arc<cedar_policy_core::ast::EntityUID>,
    /// Its name as `context.action_name` holds it.
    pub(crate) name: cedar_policy_core::ast::Value,
}

/// What a request's resource type says about the resource, worked out once per schema.
#[derive(Debug)]
pub(crate) struct ResourceType {
    /// The parsed type.
    pub(crate) name: EntityTypeName,
    /// Its qualified name (`Orgkit::Member`), as audit events name it.
    pub(crate) qualified: Arc<str>,
    /// Where the resource's organization comes from.
    pub(crate) owner: Owner,
    /// Its entities carry attributes, so they are built through the schema.
    pub(crate) attributed: bool,
}

/// How a resource type finds the organization its entities belong to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Owner {
    /// An organization belongs to itself.
    Itself,
    /// Analytics belong to no organization.
    Nobody,
    /// A connection's org is the directory's, or the request's for one it does not know.
    ConnectionRecord,
    /// Any other resource names its org in the request.
    Request,
}

/// The uids orgkit builds on every request, parsed once.
#[derive(Debug)]
pub(crate) struct CoreTypes {
    pub(crate) organization: EntityTypeName,
    pub(crate) role: EntityTypeName,
    pub(crate) user: EntityTypeName,
    pub(crate) staff: EntityTypeName,
    pub(crate) support_grant: EntityTypeName,
    pub(crate) analytics: EntityTypeName,
    pub(crate) connection: EntityTypeName,
}

fn type_name(name: &str) -> Result<EntityTypeName> {
    EntityTypeName::from_str(name).map_err(|e| {
        Error::new(
            ErrorCode::Internal,
            format!("bad built-in type name {name}: {e}"),
        )
    })
}

/// The display form of an action uid: `users.read` for orgkit's, `App::document.read` otherwise.
pub(crate) fn action_name(uid: &EntityUid) -> String {
    let namespace = uid.type_name().namespace();
    let id: &str = uid.id().unescaped();
    if namespace == NAMESPACE {
        id.to_string()
    } else {
        format!("{namespace}::{id}")
    }
}

fn refused(code: ErrorCode, path: &str, what: &str, diagnostics: String) -> Error {
    Error::new(code, format!("{what}: {diagnostics}"))
        .at(path)
        .because("cedar")
}

/// Renders Cedar diagnostics (parse or validation errors) as one readable string.
pub(crate) fn diagnostics<E: std::fmt::Display>(errors: impl IntoIterator<Item = E>) -> String {
    // Sorted: Cedar reports some errors in hash-map order, which differs between runs and
    // runtimes, and every runtime must say the same thing.
    let mut messages: Vec<String> = errors.into_iter().map(|e| e.to_string()).collect();
    messages.sort();
    messages.dedup();
    messages.join("; ")
}

/// Parses a policy text into policies whose ids come from their `@id` annotations, prefixed
/// with `prefix`; a policy without one gets `<prefix><n>`.
pub(crate) fn parse_policies(text: &str, prefix: &str) -> std::result::Result<Vec<Policy>, String> {
    let parsed = PolicySet::from_str(text).map_err(|e| e.to_string())?;
    let mut policies: Vec<Policy> = parsed.policies().cloned().collect();
    // Cedar numbers the policies of a text `policy0`, `policy1`, … in order of appearance.
    policies.sort_by_key(|p| {
        p.id()
            .to_string()
            .trim_start_matches("policy")
            .parse::<usize>()
            .unwrap_or(usize::MAX)
    });
    Ok(policies
        .into_iter()
        .enumerate()
        .map(|(n, p)| {
            let id = match p.annotation("id") {
                Some(id) => format!("{prefix}{id}"),
                None => format!("{prefix}{n}"),
            };
            p.new_id(PolicyId::new(id))
        })
        .collect())
}

/// Adds `policies` to `set`; a policy id already in it is refused.
fn add_all(set: &mut PolicySet, policies: impl IntoIterator<Item = Policy>) -> Result<()> {
    for policy in policies {
        set.add(policy).map_err(|e| {
            refused(
                ErrorCode::InvalidInput,
                "options.authz.policies",
                "duplicate policy id",
                e.to_string(),
            )
        })?;
    }
    Ok(())
}

/// Validates `set` strictly against the schema; the diagnostics on failure.
pub(crate) fn validate(validator: &Validator, set: &PolicySet) -> std::result::Result<(), String> {
    let result = validator.validate(set, ValidationMode::Strict);
    if result.validation_passed() {
        Ok(())
    } else {
        Err(diagnostics(result.validation_errors()))
    }
}

impl AuthzConfig {
    /// Builds and validates the configuration.
    pub(crate) fn build(options: &AuthzOptions) -> Result<Self> {
        let host_context = options.host_context.as_deref().unwrap_or("{}");
        let context_fragment =
            format!("namespace {NAMESPACE} {{ type HostContext = {host_context}; }}");
        let mut fragments = Vec::new();
        for (path, text) in [
            ("options.authz", BASE_SCHEMA),
            ("options.authz.host_context", context_fragment.as_str()),
            (
                "options.authz.schema",
                options.schema.as_deref().unwrap_or(""),
            ),
        ] {
            let (fragment, _warnings) =
                SchemaFragment::from_cedarschema_str(text).map_err(|e| {
                    refused(
                        ErrorCode::InvalidInput,
                        path,
                        "schema fragment refused",
                        e.to_string(),
                    )
                })?;
            fragments.push(fragment);
        }
        let schema = Schema::from_schema_fragments(fragments).map_err(|e| {
            refused(
                ErrorCode::InvalidInput,
                "options.authz",
                "schema fragments do not combine",
                e.to_string(),
            )
        })?;
        let validator = Validator::new(schema.clone());

        let mut global = PolicySet::new();
        let base = parse_policies(BASE_POLICIES, "").map_err(|d| {
            refused(
                ErrorCode::Internal,
                "",
                "the base policy pack does not parse",
                d,
            )
        })?;
        let host =
            parse_policies(options.policies.as_deref().unwrap_or(""), "host.").map_err(|d| {
                refused(
                    ErrorCode::InvalidInput,
                    "options.authz.policies",
                    "host policies refused",
                    d,
                )
            })?;
        // The base pack is fixed text that validates against orgkit's own schema (a test says
        // so): it is validated again only when a host schema or context type could change what
        // it means. A host's policies are always validated.
        let revalidate_base = options.schema.is_some() || options.host_context.is_some();
        let mut checked = PolicySet::new();
        add_all(&mut checked, host.iter().cloned())?;
        if revalidate_base {
            add_all(&mut checked, base.iter().cloned())?;
        }
        add_all(&mut global, base.into_iter().chain(host))?;
        validate(&validator, &checked).map_err(|d| {
            refused(
                ErrorCode::InvalidInput,
                "options.authz.policies",
                "policies do not validate against the schema",
                d,
            )
        })?;

        let hierarchy = schema.action_entities().map_err(|e| {
            refused(
                ErrorCode::InvalidInput,
                "options.authz.schema",
                "action groups refused",
                e.to_string(),
            )
        })?;
        let mut actions = foldhash::HashMap::default();
        let mut actions_by_resource: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for (index, uid) in (0u32..).zip(schema.actions()) {
            let resources: Vec<String> = schema
                .resources_for_action(uid)
                .into_iter()
                .flatten()
                .map(ToString::to_string)
                .collect();
            let Some(entity) = hierarchy.get(uid).filter(|_| !resources.is_empty()) else {
                continue; // an action group
            };
            let name = action_name(uid);
            for resource in resources {
                actions_by_resource
                    .entry(resource)
                    .or_default()
                    .push(name.clone());
            }
            let value = cedar_policy_core::ast::Value::from(name.as_str());
            actions.insert(
                name,
                ActionInfo {
                    request_uid: Arc::new(uid.clone().into()),
                    name: value,
                    uid: uid.clone(),
                    index,
                    entity: Arc::new(entity.as_ref().clone()),
                },
            );
        }
        for names in actions_by_resource.values_mut() {
            names.sort();
        }
        let types = CoreTypes {
            organization: type_name("Orgkit::Organization")?,
            role: type_name("Orgkit::Role")?,
            user: type_name("Orgkit::User")?,
            staff: type_name("Orgkit::Staff")?,
            support_grant: type_name("Orgkit::SupportGrant")?,
            analytics: type_name("Orgkit::Analytics")?,
            connection: type_name("Orgkit::SsoConnection")?,
        };
        let by_uid: HashMap<EntityUid, u32> =
            actions.values().map(|a| (a.uid.clone(), a.index)).collect();
        let index = GlobalIndex::new(
            &global,
            &by_uid,
            &hierarchy,
            |policy| !policy.id().to_string().starts_with("host."),
            types.user.clone(),
            types.staff.clone(),
        );
        let attributed = |name: &str| {
            !name.starts_with("Orgkit::")
                || [
                    "Orgkit::Invitation",
                    "Orgkit::SupportGrant",
                    "Orgkit::Analytics",
                ]
                .contains(&name)
        };
        let owner = |ty: &EntityTypeName| {
            if *ty == types.organization {
                Owner::Itself
            } else if *ty == types.analytics {
                Owner::Nobody
            } else if *ty == types.connection {
                Owner::ConnectionRecord
            } else {
                Owner::Request
            }
        };
        let mut entity_types: foldhash::HashMap<String, ResourceType> =
            foldhash::HashMap::default();
        for ty in schema.entity_types() {
            let name = ty.to_string();
            let info = || ResourceType {
                name: ty.clone(),
                qualified: name.as_str().into(),
                owner: owner(ty),
                attributed: attributed(&name),
            };
            if let Some(short) = name.strip_prefix("Orgkit::") {
                entity_types.insert(short.to_string(), info());
            }
            entity_types.insert(name.clone(), info());
        }
        Ok(Self {
            schema,
            validator,
            global,
            actions,
            index,
            actions_by_resource,
            types,
            entity_types,
            authorizer: cedar_policy_core::authorizer::Authorizer::new(),
            membership: MembershipValues::new(),
            context: BTreeMap::from([
                (
                    SmolStr::new_static("flags"),
                    cedar_policy_core::ast::Value::empty_set(None),
                ),
                (
                    SmolStr::new_static("host"),
                    cedar_policy_core::ast::Value::empty_record(None),
                ),
            ]),
        })
    }

    /// The configuration for `options`. Built configurations are kept for the last few
    /// distinct options, so reloading a directory does not rebuild its schema.
    pub(crate) fn for_options(options: &AuthzOptions) -> Result<Arc<Self>> {
        const KEPT: usize = 8;
        static BUILT: Mutex<Vec<(AuthzOptions, Arc<AuthzConfig>)>> = Mutex::new(Vec::new());
        let mut built = BUILT.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some((_, config)) = built.iter().find(|(o, _)| o == options) {
            return Ok(Arc::clone(config));
        }
        let config = Arc::new(Self::build(options)?);
        if built.len() >= KEPT {
            built.remove(0);
        }
        built.push((options.clone(), Arc::clone(&config)));
        Ok(config)
    }

    /// The uid of an entity of orgkit's own type.
    pub(crate) fn uid(ty: &EntityTypeName, id: &str) -> EntityUid {
        EntityUid::from_type_name_and_id(ty.clone(), EntityId::new(id))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_base_pack_validates_against_orgkits_own_schema() {
        // `build` relies on this to skip validating the base pack without host schema options.
        let config = AuthzConfig::build(&AuthzOptions::default()).expect("the default builds");
        let mut base = PolicySet::new();
        add_all(
            &mut base,
            parse_policies(BASE_POLICIES, "").expect("the base pack parses"),
        )
        .expect("the base pack's ids are distinct");
        assert!(base.policies().count() > 10);
        assert_eq!(validate(&config.validator, &base), Ok(()));
    }

    #[test]
    fn host_policies_are_validated_without_host_schema_options() {
        let options = AuthzOptions {
            policies: Some("permit(principal, action, resource) when { context.nope };".into()),
            ..AuthzOptions::default()
        };
        let error = AuthzConfig::build(&options).expect_err("an unknown context attribute");
        assert_eq!(error.code, ErrorCode::InvalidInput);
        assert_eq!(error.path.as_deref(), Some("options.authz.policies"));
        assert!(
            error.message.contains("do not validate"),
            "{}",
            error.message
        );
    }
}
