//! Authorization decisions: from a request to the entities, context and policies Cedar needs,
//! and from Cedar's answers to orgkit's decision. Only the global set and the active
//! organization's slice are evaluated, on entities prebuilt at load, so a decision costs the
//! same with ten organizations or a million.

use crate::audit::{Actor, AuditEvent, Outcome as AuditOutcome, Target};
use crate::authz::compiled::CompiledPolicy;
use crate::authz::config::{ActionInfo, AuthzConfig, Owner, NAMESPACE};
use crate::authz::index::Shape;
use crate::authz::request::{
    AuthorizeRequest, AuthzDecision, Check, CheckRequest, Decision, EvaluationError,
    MembershipView, Principal, Question, Resource, SupportGrant,
};
use crate::authz::slice::OrgSlice;
use crate::directory::records::MembershipStatus;
use crate::directory::snapshot::{Directory, MembershipEntry, OrgAccess};
use crate::error::{Error, ErrorCode, Result};
use cedar_policy::{Context, Entity, EntityId, EntityUid, PolicySet, RestrictedExpression};
use cedar_policy_core::ast::Effect;
use cedar_policy_core::ast::{self, Value as CedarValue};
use cedar_policy_core::authorizer;
use cedar_policy_core::entities::{self as ast_entities, NoEntitiesSchema, TCComputation};
use cedar_policy_core::evaluator::Evaluator;
use cedar_policy_core::extensions::Extensions;
use serde_json::{json, Map, Value};
use smol_str::SmolStr;
use std::collections::{BTreeSet, HashMap, HashSet};
use std::sync::Arc;

/// Everything about a request but the action, built once and reused across actions.
pub(crate) struct Prepared<'a> {
    slice: &'a OrgSlice,
    /// The request's entities but the action's, each listing all its ancestors.
    entities: Vec<Arc<ast::Entity>>,
    /// The resource is in another org than the active one.
    cross_org: bool,
    principal: EntityUid,
    resource: EntityUid,
    resource_kind: Arc<str>,
    /// The principal's membership in the active org (none for staff and non-members).
    held: Option<&'a MembershipEntry>,
    /// `active`, `invited`, `suspended`, or `none`.
    status: &'static str,
    builtin_roles: Vec<&'static str>,
    grant: Option<EntityUid>,
}

impl Prepared<'_> {
    /// The membership as the answer shows it.
    fn membership_view(&self) -> MembershipView {
        MembershipView {
            status: self.status.to_string(),
            roles: self
                .held
                .map(|m| m.roles().map(str::to_string).collect())
                .unwrap_or_default(),
        }
    }
}

/// The audit event's actor for `principal`.
fn actor(principal: &Principal) -> Actor {
    let (kind, id) = match principal {
        Principal::User(id) => ("user", id),
        Principal::Staff(id) => ("staff", id),
    };
    Actor {
        kind: kind.to_string(),
        id: id.clone(),
        display: None,
    }
}

fn invalid(path: &str, message: impl Into<String>) -> Error {
    Error::new(ErrorCode::InvalidInput, message).at(path)
}

fn status_name(status: MembershipStatus) -> &'static str {
    match status {
        MembershipStatus::Active => "active",
        MembershipStatus::Invited => "invited",
        MembershipStatus::Suspended => "suspended",
    }
}

/// `Organization` → `Orgkit::Organization`; qualified names stay as they are.
fn qualified(kind: &str) -> String {
    if kind.contains("::") {
        kind.to_string()
    } else {
        format!("{NAMESPACE}::{kind}")
    }
}

/// An entity without attributes whose `ancestors` are all its ancestors, transitively.
fn plain_entity(uid: EntityUid, ancestors: HashSet<ast::EntityUID>) -> Arc<ast::Entity> {
    Arc::new(ast::Entity::new_with_attr_partial_value(
        uid.into(),
        [],
        HashSet::new(),
        ancestors,
        [],
    ))
}

/// Cedar's core form of an entity built through the public API.
fn core_entity(entity: &Entity) -> Arc<ast::Entity> {
    Arc::new(entity.as_ref().clone())
}

fn entity_ref(uid: &EntityUid) -> Value {
    json!({ "__entity": { "type": uid.type_name().to_string(), "id": uid.id().unescaped() } })
}

impl Directory {
    fn access(&self, org_id: &str, path: &str) -> Result<&OrgAccess> {
        self.access.get(org_id).ok_or_else(|| {
            Error::new(
                ErrorCode::UnknownOrg,
                format!("no organization has id `{org_id}`"),
            )
            .at(path)
        })
    }

    fn slice(&self, org_id: &str, path: &str) -> Result<&OrgSlice> {
        self.access(org_id, path).map(|a| &*a.slice)
    }

    /// The resource entity, the slice of the organization it belongs to (if any), and its
    /// type's qualified name; `active` is the active org's id and slice, reused when the
    /// resource is in it.
    fn resource_entity<'a>(
        &'a self,
        resource: &Resource,
        active: (&str, &'a OrgSlice),
    ) -> Result<(Arc<ast::Entity>, Option<&'a OrgSlice>, Arc<str>)> {
        let config = &self.authz;
        let ty = config.entity_types.get(&resource.kind).ok_or_else(|| {
            invalid(
                "resource.type",
                format!(
                    "`{}` is not an entity type of the schema",
                    qualified(&resource.kind)
                ),
            )
        })?;
        let org_id: Option<&str> = match ty.owner {
            Owner::Itself => Some(resource.id.as_str()),
            Owner::Nobody => None,
            Owner::ConnectionRecord => {
                let owner = self.connection_org(&resource.id);
                match (owner, &resource.org) {
                    (Some(owner), Some(given)) if owner != given => {
                        return Err(invalid(
                            "resource.org",
                            format!(
                                "connection `{}` belongs to `{owner}`, not `{given}`",
                                resource.id
                            ),
                        ))
                    }
                    (Some(owner), _) => Some(owner),
                    (None, Some(given)) => Some(given.as_str()),
                    (None, None) => {
                        return Err(Error::new(
                            ErrorCode::UnknownConnection,
                            format!("no connection has id `{}`", resource.id),
                        )
                        .at("resource.id"))
                    }
                }
            }
            Owner::Request => Some(resource.org.as_deref().ok_or_else(|| {
                invalid(
                    "resource.org",
                    format!("a `{}` resource needs its `org`", ty.qualified),
                )
            })?),
        };
        let slice = match org_id {
            Some(org) if org == active.0 => Some(active.1),
            Some(org) => Some(self.slice(
                org,
                if ty.owner == Owner::Itself {
                    "resource.id"
                } else {
                    "resource.org"
                },
            )?),
            None => None,
        };
        // A resource's only parent is its org (an org has none).
        let parent: Option<&EntityUid> = match (&slice, ty.owner) {
            (Some(slice), owner) if owner != Owner::Itself => Some(&slice.org),
            _ => None,
        };
        let entity = if resource.attrs.is_some() || ty.attributed {
            let value = json!({
                "uid": { "type": &*ty.qualified, "id": resource.id },
                "attrs": resource.attrs.clone().unwrap_or_default(),
                "parents": parent.iter().map(|p| json!({ "type": p.type_name().to_string(), "id": p.id().unescaped() })).collect::<Vec<_>>(),
            });
            let entity = Entity::from_json_value(value, Some(&config.schema))
                .map_err(|e| invalid("resource.attrs", e.to_string()))?;
            core_entity(&entity)
        } else {
            let uid =
                EntityUid::from_type_name_and_id(ty.name.clone(), EntityId::new(&resource.id));
            plain_entity(uid, parent.into_iter().map(|p| p.clone().into()).collect())
        };
        Ok((entity, slice, Arc::clone(&ty.qualified)))
    }

    fn grant_entity(&self, grant: &SupportGrant) -> Result<Entity> {
        let types = &self.authz.types;
        let org = self.slice(&grant.org_id, "grant.org_id")?;
        let attrs = HashMap::from([
            (
                "staff".to_string(),
                RestrictedExpression::new_entity_uid(AuthzConfig::uid(
                    &types.staff,
                    &grant.staff_id,
                )),
            ),
            (
                "reason".to_string(),
                RestrictedExpression::new_string(grant.reason.clone()),
            ),
            (
                "scope".to_string(),
                RestrictedExpression::new_set(
                    grant
                        .actions
                        .iter()
                        .cloned()
                        .map(RestrictedExpression::new_string),
                ),
            ),
            (
                "expires_at".to_string(),
                RestrictedExpression::new_long(grant.expires_at),
            ),
        ]);
        Entity::new(
            AuthzConfig::uid(&types.support_grant, &grant.id),
            attrs,
            HashSet::from([org.org.clone()]),
        )
        .map_err(|e| invalid("grant", e.to_string()))
    }

    /// Builds the entities of a request: principal (with its custom roles in the active org),
    /// the active org, the resource and its org, and the grant.
    pub(crate) fn prepare(
        &self,
        principal: &Principal,
        active_org: &str,
        resource: &Resource,
        grant: Option<&SupportGrant>,
    ) -> Result<Prepared<'_>> {
        let types = &self.authz.types;
        let access = self.access(active_org, "active_org")?;
        let slice = &*access.slice;
        // Only entities with ancestors matter to `in`; each is given its transitive ancestors,
        // so the store stays small (principal, resource, grant; the action joins later).
        let mut entities: Vec<Arc<ast::Entity>> = Vec::with_capacity(4);
        let (principal_uid, held, builtin_roles) = match principal {
            Principal::User(id) => {
                let held = access.members.get(id.as_str());
                // A membership names a known user; look the user up only without one.
                if held.is_none() && self.user(id).is_none() {
                    return Err(Error::new(
                        ErrorCode::UnknownUser,
                        format!("no user has id `{id}`"),
                    )
                    .at("principal.user"));
                }
                let (builtin, custom) =
                    slice.resolve_roles(held.into_iter().flat_map(MembershipEntry::roles));
                let uid = AuthzConfig::uid(&types.user, id);
                // A member is `in` their custom roles and, through them, in the org.
                let mut ancestors: HashSet<ast::EntityUID> =
                    custom.into_iter().map(EntityUid::into).collect();
                if held.is_some() {
                    ancestors.insert(slice.org.clone().into());
                }
                entities.push(plain_entity(uid.clone(), ancestors));
                (uid, held, builtin)
            }
            Principal::Staff(id) => {
                let uid = AuthzConfig::uid(&types.staff, id);
                entities.push(plain_entity(uid.clone(), HashSet::new()));
                (uid, None, Vec::new())
            }
        };
        let (resource_entity, resource_slice, resource_kind) =
            self.resource_entity(resource, (active_org, slice))?;
        let resource_uid = EntityUid::from(resource_entity.uid().clone());
        if resource_uid == principal_uid {
            return Err(invalid(
                "resource",
                "the resource is the principal itself; Cedar needs one entity per uid",
            ));
        }
        let cross_org = resource_slice.is_some_and(|other| other.org != slice.org);
        if resource_slice.is_none_or(|own| own.org != resource_uid) {
            entities.push(resource_entity);
        }
        let grant_uid = match (grant, principal) {
            (Some(_), Principal::User(_)) => {
                return Err(invalid("grant", "support grants are for staff principals"))
            }
            (Some(grant), Principal::Staff(_)) => {
                let entity = self.grant_entity(grant)?;
                let uid = entity.uid();
                if uid == resource_uid {
                    return Err(invalid(
                        "resource",
                        "the resource is the request's support grant; Cedar needs one entity per uid",
                    ));
                }
                entities.push(core_entity(&entity));
                Some(uid)
            }
            (None, _) => None,
        };
        Ok(Prepared {
            slice,
            entities,
            cross_org,
            principal: principal_uid,
            resource: resource_uid,
            resource_kind,
            held,
            status: held.map_or("none", |m| status_name(m.status())),
            builtin_roles,
            grant: grant_uid,
        })
    }

    fn action_info(&self, action: &str) -> Result<&ActionInfo> {
        self.authz.actions.get(action).ok_or_else(|| {
            Error::new(
                ErrorCode::UnknownAction,
                format!("`{action}` is not an action of the schema"),
            )
            .at("action")
        })
    }

    /// The Cedar request and entities for one action on a prepared request. `closure` says
    /// whether Cedar recomputes the ancestors' transitive closure; the decision path skips
    /// it, since every entity already lists all its ancestors.
    fn cedar_request(
        &self,
        prepared: &Prepared<'_>,
        (action, info): (&str, &ActionInfo),
        now: i64,
        host: &Map<String, Value>,
        closure: TCComputation,
    ) -> Result<(ast::Request, ast_entities::Entities)> {
        let context = if host.is_empty() {
            self.context_without_host(prepared, info, now)
        } else {
            self.context_with_host(prepared, &info.uid, action, now, host)?
        };
        // The context is already checked (or orgkit's own), so the request is built as it is.
        let request = ast::Request::new_unchecked(
            ast::EntityUIDEntry::known(prepared.principal.clone().into(), None),
            ast::EntityUIDEntry::Known {
                euid: Arc::clone(&info.request_uid),
                loc: None,
            },
            ast::EntityUIDEntry::known(prepared.resource.clone().into(), None),
            Some(context),
        );
        let entities = prepared
            .entities
            .iter()
            .chain(std::iter::once(&info.entity))
            .cloned();
        let entities = ast_entities::Entities::new()
            .add_entities(
                entities,
                None::<&NoEntitiesSchema>,
                closure,
                Extensions::all_available(),
            )
            .map_err(|e| invalid("resource", e.to_string()))?;
        Ok((request, entities))
    }

    /// The context built directly from Cedar values: every part of it is orgkit's own, so
    /// there is nothing for the schema to type or check.
    fn context_without_host(
        &self,
        prepared: &Prepared<'_>,
        info: &ActionInfo,
        now: i64,
    ) -> ast::Context {
        let config = &self.authz;
        let slice = prepared.slice;
        let membership = config
            .membership
            .get(prepared.status, &prepared.builtin_roles);
        // From the configuration's template (`flags` empty, `host` empty), not a map of the
        // org's own: in a large directory the org's values are cold in cache, while the
        // template is shared by every decision.
        let mut pairs = config.context.clone();
        if let Some(flags) = &slice.flags_value {
            pairs.insert(SmolStr::new_static("flags"), flags.clone());
        }
        pairs.insert(
            SmolStr::new_static("active_org"),
            CedarValue::from(ast::EntityUID::from(slice.org.clone())),
        );
        pairs.insert(SmolStr::new_static("now"), CedarValue::from(now));
        pairs.insert(SmolStr::new_static("membership"), membership);
        pairs.insert(SmolStr::new_static("action_name"), info.name.clone());
        if let Some(grant) = &prepared.grant {
            pairs.insert(
                SmolStr::new_static("grant"),
                CedarValue::from(ast::EntityUID::from(grant.clone())),
            );
        }
        ast::Context::Value(Arc::new(pairs))
    }

    /// The context through the schema, which types and checks the host's part.
    fn context_with_host(
        &self,
        prepared: &Prepared<'_>,
        action_uid: &EntityUid,
        action: &str,
        now: i64,
        host: &Map<String, Value>,
    ) -> Result<ast::Context> {
        let schema = &self.authz.schema;
        let mut context = json!({
            "now": now,
            "active_org": entity_ref(&prepared.slice.org),
            "membership": { "status": prepared.status, "builtin_roles": prepared.builtin_roles },
            "action_name": action,
            "flags": prepared.slice.flags,
            "host": host,
        });
        if let (Some(grant), Some(fields)) = (&prepared.grant, context.as_object_mut()) {
            fields.insert("grant".into(), entity_ref(grant));
        }
        let context = Context::from_json_value(context, Some((schema, action_uid)))
            .map_err(|e| invalid("context", e.to_string()))?;
        context
            .validate(schema, action_uid)
            .map_err(|e| invalid("context", e.to_string()))?;
        Ok(context.as_ref().clone())
    }

    /// Evaluates one action on a prepared request: the global policies that can apply to its
    /// shape, and the active org's slice.
    fn evaluate(
        &self,
        prepared: &Prepared<'_>,
        active_org: &str,
        action: &str,
        now: i64,
        host: &Map<String, Value>,
    ) -> Result<Outcome> {
        let config = &self.authz;
        let info = self.action_info(action)?;
        let shape = Shape::new(
            prepared.principal.type_name() == &config.types.staff,
            info.index,
            prepared.status,
            &prepared.builtin_roles,
            prepared.grant.is_some(),
            prepared.cross_org,
        );
        let global = config.index.select(shape);
        let own = &prepared.slice.compiled;
        // Cedar is asked only when a policy can apply; a host context is always checked.
        let cedar = if global.is_empty() && own.is_empty() && host.is_empty() {
            None
        } else {
            // Every entity of the request lists all its ancestors (see `prepare`; action
            // entities come from the schema with theirs), so Cedar's transitive-closure pass
            // is skipped. `authorize_unsliced` recomputes it, so the property tests check this.
            Some(self.cedar_request(
                prepared,
                (action, info),
                now,
                host,
                TCComputation::AssumeAlreadyComputed,
            )?)
        };
        let outcome = match (cedar, prepared.slice.refused.is_empty()) {
            (_, false) => Outcome::quarantined(active_org),
            (None, true) => Outcome::combine(std::iter::empty()),
            (Some((request, entities)), true) => {
                // Cedar's evaluator on conditions built at load (see `compiled`); Cedar's
                // authorizer would rebuild each condition and clone the request per set.
                let eval = Evaluator::new(request, &entities, Extensions::all_available());
                Outcome::decide(
                    global
                        .iter()
                        .chain(own.iter())
                        .map(|policy| (&**policy, policy.satisfied(&eval))),
                )
            }
        };
        Ok(outcome)
    }

    /// Decides one request; see [`AuthorizeRequest`].
    pub fn authorize(&self, request: &AuthorizeRequest) -> Result<AuthzDecision> {
        let (prepared, outcome) = self.decide(request.question(), request.grant.as_ref())?;
        Ok(outcome.into_decision(prepared, request))
    }

    /// Decides one request for its decision alone; see [`CheckRequest`]. The decision, its
    /// policies and errors are those [`Directory::authorize`] gives the same request; the
    /// audit event is not built.
    pub fn check(&self, request: &CheckRequest) -> Result<Check> {
        let (_, outcome) = self.decide(request.question(), None)?;
        Ok(Check {
            decision: outcome.decision,
            policies: outcome.policies,
            errors: outcome.errors,
        })
    }

    /// Prepares and evaluates one question, under `grant` if given.
    fn decide(
        &self,
        question: Question<'_>,
        grant: Option<&SupportGrant>,
    ) -> Result<(Prepared<'_>, Outcome)> {
        let prepared = self.prepare(
            question.principal,
            question.active_org,
            question.resource,
            grant,
        )?;
        let outcome = self.evaluate(
            &prepared,
            question.active_org,
            question.action,
            question.now,
            question.context,
        )?;
        Ok((prepared, outcome))
    }

    /// Decides several requests; each gets its own result.
    pub fn authorize_batch(&self, requests: &[AuthorizeRequest]) -> Vec<Result<AuthzDecision>> {
        requests.iter().map(|r| self.authorize(r)).collect()
    }

    /// The actions `principal` may take on `resource` in `active_org`, sorted: for UI gating.
    pub fn allowed_actions(
        &self,
        principal: &Principal,
        active_org: &str,
        resource: &Resource,
        now: i64,
        host: &Map<String, Value>,
        grant: Option<&SupportGrant>,
    ) -> Result<Vec<String>> {
        let prepared = self.prepare(principal, active_org, resource, grant)?;
        let candidates = self
            .authz
            .actions_by_resource
            .get(&*prepared.resource_kind)
            .cloned()
            .unwrap_or_default();
        let mut allowed = Vec::new();
        for action in candidates {
            if self
                .evaluate(&prepared, active_org, &action, now, host)?
                .decision
                == Decision::Allow
            {
                allowed.push(action);
            }
        }
        Ok(allowed)
    }

    /// Decides a request against one policy set holding every organization's policies, with
    /// Cedar computing the entities' transitive closure itself: what the decision path must
    /// always agree with. For tests and benchmarks only.
    #[doc(hidden)]
    pub fn authorize_unsliced(&self, request: &AuthorizeRequest) -> Result<AuthzDecision> {
        let mut all = self.authz.global.clone();
        for access in self.access.values() {
            for policy in access.slice.policies.iter().flat_map(PolicySet::policies) {
                all.add(policy.clone())
                    .map_err(|e| Error::new(ErrorCode::Internal, e.to_string()))?;
            }
        }
        let prepared = self.prepare(
            &request.principal,
            &request.active_org,
            &request.resource,
            request.grant.as_ref(),
        )?;
        let info = self.action_info(&request.action)?;
        let (cedar, entities) = self.cedar_request(
            &prepared,
            (&request.action, info),
            request.now,
            &request.context,
            TCComputation::ComputeNow,
        )?;
        let outcome = Outcome::combine(std::iter::once(self.authz.authorizer.is_authorized(
            cedar,
            all.as_ref(),
            &entities,
        )));
        Ok(outcome.into_decision(prepared, request))
    }
}

/// Cedar's answers merged: a forbid in any set denies; else a permit in any set allows.
struct Outcome {
    decision: Decision,
    policies: Vec<String>,
    errors: Vec<EvaluationError>,
}

impl Outcome {
    /// Cedar's rule on evaluated policies: a satisfied forbid denies; else a satisfied permit
    /// allows; else deny. A policy whose evaluation fails is skipped and reported.
    fn decide<'p>(
        results: impl Iterator<Item = (&'p CompiledPolicy, Result<bool, String>)>,
    ) -> Self {
        let mut forbids: Vec<&'p str> = Vec::new();
        let mut permits: Vec<&'p str> = Vec::new();
        let mut errors = Vec::new();
        for (policy, result) in results {
            match (result, policy.effect) {
                (Ok(true), Effect::Forbid) => forbids.push(&policy.id),
                (Ok(true), Effect::Permit) => permits.push(&policy.id),
                (Ok(false), _) => {}
                (Err(error), _) => errors.push(EvaluationError {
                    policy: policy.id.clone(),
                    // Worded as cedar-policy words it.
                    message: format!("error while evaluating policy `{}`: {error}", policy.id),
                }),
            }
        }
        let (decision, mut policies) = if !forbids.is_empty() {
            (Decision::Deny, forbids)
        } else if !permits.is_empty() {
            (Decision::Allow, permits)
        } else {
            (Decision::Deny, Vec::new())
        };
        policies.sort_unstable();
        policies.dedup();
        Self {
            decision,
            policies: policies.into_iter().map(str::to_string).collect(),
            errors,
        }
    }

    fn combine(responses: impl Iterator<Item = authorizer::Response>) -> Self {
        let mut forbids = BTreeSet::new();
        let mut permits = BTreeSet::new();
        let mut errors = Vec::new();
        for response in responses {
            // The raw id: orgkit's ids need no escaping, and Display would escape.
            let reasons = response
                .diagnostics
                .reason
                .iter()
                .map(|id| AsRef::<str>::as_ref(id).to_string());
            match response.decision {
                authorizer::Decision::Allow => permits.extend(reasons),
                authorizer::Decision::Deny => forbids.extend(reasons),
            }
            errors.extend(response.diagnostics.errors.iter().map(|e| match e {
                authorizer::AuthorizationError::PolicyEvaluationError { id, error } => {
                    EvaluationError {
                        policy: AsRef::<str>::as_ref(id).to_string(),
                        // Worded as cedar-policy words it.
                        message: format!("error while evaluating policy `{id}`: {error}"),
                    }
                }
            }));
        }
        Self::from_sets(forbids, permits, errors)
    }

    fn from_sets(
        forbids: BTreeSet<String>,
        permits: BTreeSet<String>,
        errors: Vec<EvaluationError>,
    ) -> Self {
        if !forbids.is_empty() {
            Self {
                decision: Decision::Deny,
                policies: forbids.into_iter().collect(),
                errors,
            }
        } else if !permits.is_empty() {
            Self {
                decision: Decision::Allow,
                policies: permits.into_iter().collect(),
                errors,
            }
        } else {
            Self {
                decision: Decision::Deny,
                policies: Vec::new(),
                errors,
            }
        }
    }

    /// The answer to `request`, with its `authz.decision` audit event (redacted by the active
    /// org's rules).
    fn into_decision(self, prepared: Prepared<'_>, request: &AuthorizeRequest) -> AuthzDecision {
        let outcome = match self.decision {
            Decision::Allow => AuditOutcome::Allow,
            Decision::Deny => AuditOutcome::Deny,
        };
        let metadata = Map::from_iter([
            (
                "requested_action".to_string(),
                Value::String(request.action.clone()),
            ),
            (
                "policies".to_string(),
                Value::Array(self.policies.iter().cloned().map(Value::String).collect()),
            ),
        ]);
        let mut event = AuditEvent {
            id: request.event_id.clone().unwrap_or_default(),
            org_id: request.active_org.clone(),
            action: "authz.decision".into(),
            version: 1,
            occurred_at: request.now,
            actor: actor(&request.principal),
            targets: vec![Target {
                kind: prepared.resource_kind.to_string(),
                id: request.resource.id.clone(),
                display: None,
            }],
            context: request.audit_context.clone().unwrap_or_default(),
            outcome,
            metadata,
        };
        if let Some(rules) = &prepared.slice.redaction {
            crate::audit::apply_rules(&mut event, rules);
        }
        AuthzDecision {
            event,
            decision: self.decision,
            policies: self.policies,
            errors: self.errors,
            membership: prepared.membership_view(),
        }
    }

    fn quarantined(org: &str) -> Self {
        Self {
            decision: Decision::Deny,
            policies: Vec::new(),
            errors: vec![EvaluationError {
                policy: format!("org.{org}.policies"),
                message: "the organization's policies were refused at load; it fails closed until they are fixed".into(),
            }],
        }
    }
}
