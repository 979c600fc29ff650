//! Authorization decisions: from a request to the entities, context and policies Cedar needs,
//! and from Cedar's answers to orgkit's decision. Only the global set and the active
//! organization's slice are evaluated, on entities prebuilt at load, so a decision costs the
//! same with ten organizations or a million.

use crate::authz::config::{AuthzConfig, NAMESPACE};
use crate::authz::index::Shape;
use crate::authz::request::{
    AuthorizeRequest, AuthzDecision, Decision, DecisionEvent, EvaluationError, MembershipView,
    Principal, Resource, SupportGrant,
};
use crate::authz::slice::OrgSlice;
use crate::directory::records::{FlagValue, MembershipStatus};
use crate::directory::snapshot::Directory;
use crate::error::{Error, ErrorCode, Result};
use cedar_policy::{
    Context, Entities, Entity, EntityId, EntityTypeName, EntityUid, PolicySet, Request, Response,
    RestrictedExpression,
};
use serde_json::{json, Map, Value};
use std::collections::{BTreeSet, HashMap, HashSet};
use std::str::FromStr;

/// Everything about a request but the action, built once and reused across actions.
pub(crate) struct Prepared<'a> {
    slice: &'a OrgSlice,
    /// The request's entities but the action's.
    entities: Vec<Entity>,
    /// The resource is in another org than the active one.
    cross_org: bool,
    principal: EntityUid,
    resource: EntityUid,
    resource_kind: String,
    membership: MembershipView,
    builtin_roles: Vec<String>,
    flags: Vec<String>,
    grant: Option<EntityUid>,
    actor: String,
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

fn entity_ref(uid: &EntityUid) -> Value {
    json!({ "__entity": { "type": uid.type_name().to_string(), "id": uid.id().unescaped() } })
}

impl Directory {
    fn slice(&self, org_id: &str, path: &str) -> Result<&OrgSlice> {
        self.slices.get(org_id).map(|s| &**s).ok_or_else(|| {
            Error::new(
                ErrorCode::UnknownOrg,
                format!("no organization has id `{org_id}`"),
            )
            .at(path)
        })
    }

    /// The resource entity and the slice of the organization it belongs to (if any).
    fn resource_entity(&self, resource: &Resource) -> Result<(Entity, Option<&OrgSlice>, String)> {
        let config = &self.authz;
        let kind = qualified(&resource.kind);
        let ty = EntityTypeName::from_str(&kind)
            .ok()
            .filter(|_| config.entity_types.contains(&kind))
            .ok_or_else(|| {
                invalid(
                    "resource.type",
                    format!("`{kind}` is not an entity type of the schema"),
                )
            })?;
        let uid = EntityUid::from_type_name_and_id(ty.clone(), EntityId::new(&resource.id));
        let org_id: Option<String> = if ty == config.types.organization {
            Some(resource.id.clone())
        } else if ty == config.types.analytics {
            None
        } else if ty == config.types.connection {
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
                (Some(owner), _) => Some(owner.to_string()),
                (None, Some(given)) => Some(given.clone()),
                (None, None) => {
                    return Err(Error::new(
                        ErrorCode::UnknownConnection,
                        format!("no connection has id `{}`", resource.id),
                    )
                    .at("resource.id"))
                }
            }
        } else {
            Some(resource.org.clone().ok_or_else(|| {
                invalid(
                    "resource.org",
                    format!("a `{kind}` resource needs its `org`"),
                )
            })?)
        };
        let slice = match &org_id {
            Some(org) => Some(self.slice(
                org,
                if ty == config.types.organization {
                    "resource.id"
                } else {
                    "resource.org"
                },
            )?),
            None => None,
        };
        let parents: Vec<EntityUid> = match (&slice, ty == config.types.organization) {
            (Some(slice), false) => vec![slice.org.clone()],
            _ => Vec::new(),
        };
        let needs_schema = resource.attrs.is_some() || config.attributed_types.contains(&kind);
        let entity = if needs_schema {
            let value = json!({
                "uid": { "type": kind, "id": resource.id },
                "attrs": resource.attrs.clone().unwrap_or_default(),
                "parents": parents.iter().map(|p| json!({ "type": p.type_name().to_string(), "id": p.id().unescaped() })).collect::<Vec<_>>(),
            });
            Entity::from_json_value(value, Some(&config.schema))
                .map_err(|e| invalid("resource.attrs", e.to_string()))?
        } else {
            Entity::new_no_attrs(uid, parents.into_iter().collect())
        };
        Ok((entity, slice, kind))
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
        let slice = self.slice(active_org, "active_org")?;
        // Only entities with ancestors matter to `in`; each is given its transitive ancestors,
        // so the store stays small (principal, resource, grant; the action joins later).
        let mut entities: Vec<Entity> = Vec::with_capacity(4);
        let (principal_uid, membership, builtin_roles, actor) = match principal {
            Principal::User(id) => {
                if self.user(id).is_none() {
                    return Err(Error::new(
                        ErrorCode::UnknownUser,
                        format!("no user has id `{id}`"),
                    )
                    .at("principal.user"));
                }
                let held = self.membership(id, active_org);
                let roles: Vec<String> = held
                    .map(|m| m.roles().map(str::to_string).collect())
                    .unwrap_or_default();
                let (builtin, custom) = slice.resolve_roles(roles.iter().map(String::as_str));
                let builtin: Vec<String> = builtin.into_iter().map(str::to_string).collect();
                let uid = AuthzConfig::uid(&types.user, id);
                // A member is `in` their custom roles and, through them, in the org.
                let mut ancestors: HashSet<EntityUid> = custom.into_iter().collect();
                if held.is_some() {
                    ancestors.insert(slice.org.clone());
                }
                entities.push(Entity::new_no_attrs(uid.clone(), ancestors));
                let status = held
                    .map(|m| status_name(m.status()))
                    .unwrap_or("none")
                    .to_string();
                (
                    uid,
                    MembershipView { status, roles },
                    builtin,
                    format!("user:{id}"),
                )
            }
            Principal::Staff(id) => {
                let uid = AuthzConfig::uid(&types.staff, id);
                entities.push(Entity::new_no_attrs(uid.clone(), HashSet::new()));
                let none = MembershipView {
                    status: "none".into(),
                    roles: Vec::new(),
                };
                (uid, none, Vec::new(), format!("staff:{id}"))
            }
        };
        let (resource_entity, resource_slice, resource_kind) = self.resource_entity(resource)?;
        let resource_uid = resource_entity.uid();
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
                entities.push(entity);
                Some(uid)
            }
            (None, _) => None,
        };
        let flags = self
            .org(active_org)
            .map(|org| {
                org.feature_flags
                    .iter()
                    .filter(|(_, v)| **v == FlagValue::Bool(true))
                    .map(|(k, _)| k.clone())
                    .collect()
            })
            .unwrap_or_default();
        Ok(Prepared {
            slice,
            entities,
            cross_org,
            principal: principal_uid,
            resource: resource_uid,
            resource_kind,
            membership,
            builtin_roles,
            flags,
            grant: grant_uid,
            actor,
        })
    }

    /// The Cedar request and entities for one action on a prepared request, and the action's
    /// index.
    fn cedar_request(
        &self,
        prepared: &Prepared<'_>,
        action: &str,
        now: i64,
        host: &Map<String, Value>,
    ) -> Result<(Request, Entities, u32)> {
        let config = &self.authz;
        let info = config.actions.get(action).ok_or_else(|| {
            Error::new(
                ErrorCode::UnknownAction,
                format!("`{action}` is not an action of the schema"),
            )
            .at("action")
        })?;
        let context = if host.is_empty() {
            self.context_without_host(prepared, action, now)?
        } else {
            self.context_with_host(prepared, &info.uid, action, now, host)?
        };
        let request = Request::new(
            prepared.principal.clone(),
            info.uid.clone(),
            prepared.resource.clone(),
            context,
            None,
        )
        .map_err(|e| invalid("", e.to_string()))?;
        let entities = prepared
            .entities
            .iter()
            .cloned()
            .chain(std::iter::once(info.entity.clone()));
        let entities = Entities::from_entities(entities, None)
            .map_err(|e| invalid("resource", e.to_string()))?;
        Ok((request, entities, info.index))
    }

    /// The context built directly from values: every part of it is orgkit's own.
    fn context_without_host(
        &self,
        prepared: &Prepared<'_>,
        action: &str,
        now: i64,
    ) -> Result<Context> {
        let strings = |items: &[String]| {
            RestrictedExpression::new_set(
                items.iter().cloned().map(RestrictedExpression::new_string),
            )
        };
        let membership = RestrictedExpression::new_record([
            (
                "status".to_string(),
                RestrictedExpression::new_string(prepared.membership.status.clone()),
            ),
            (
                "builtin_roles".to_string(),
                strings(&prepared.builtin_roles),
            ),
        ])
        .map_err(|e| Error::new(ErrorCode::Internal, e.to_string()))?;
        let empty =
            RestrictedExpression::new_record(std::iter::empty::<(String, RestrictedExpression)>())
                .map_err(|e| Error::new(ErrorCode::Internal, e.to_string()))?;
        let mut pairs = vec![
            ("now".to_string(), RestrictedExpression::new_long(now)),
            (
                "active_org".to_string(),
                RestrictedExpression::new_entity_uid(prepared.slice.org.clone()),
            ),
            ("membership".to_string(), membership),
            (
                "action_name".to_string(),
                RestrictedExpression::new_string(action.to_string()),
            ),
            ("flags".to_string(), strings(&prepared.flags)),
            ("host".to_string(), empty),
        ];
        if let Some(grant) = &prepared.grant {
            pairs.push((
                "grant".to_string(),
                RestrictedExpression::new_entity_uid(grant.clone()),
            ));
        }
        Context::from_pairs(pairs).map_err(|e| Error::new(ErrorCode::Internal, e.to_string()))
    }

    /// The context through the schema, which types and checks the host's part.
    fn context_with_host(
        &self,
        prepared: &Prepared<'_>,
        action_uid: &EntityUid,
        action: &str,
        now: i64,
        host: &Map<String, Value>,
    ) -> Result<Context> {
        let schema = &self.authz.schema;
        let mut context = json!({
            "now": now,
            "active_org": entity_ref(&prepared.slice.org),
            "membership": { "status": prepared.membership.status, "builtin_roles": prepared.builtin_roles },
            "action_name": action,
            "flags": prepared.flags,
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
        Ok(context)
    }

    /// Evaluates one action on a prepared request: the global policies that can apply to its
    /// shape, and the active org's slice.
    pub(crate) fn evaluate(
        &self,
        prepared: &Prepared<'_>,
        active_org: &str,
        action: &str,
        now: i64,
        host: &Map<String, Value>,
    ) -> Result<AuthzDecision> {
        let config = &self.authz;
        let (request, entities, index) = self.cedar_request(prepared, action, now, host)?;
        let outcome = if prepared.slice.refused.is_empty() {
            let shape = Shape::new(
                prepared.principal.type_name() == &config.types.staff,
                index,
                &prepared.membership.status,
                &prepared.builtin_roles,
                prepared.grant.is_some(),
                prepared.cross_org,
            );
            let global = config.index.select(shape);
            let responses = [Some(&*global), prepared.slice.policies.as_ref()]
                .into_iter()
                .flatten()
                .filter(|set| !set.is_empty())
                .map(|set| config.authorizer.is_authorized(&request, set, &entities));
            Outcome::combine(responses)
        } else {
            Outcome::quarantined(active_org)
        };
        Ok(outcome.into_decision(prepared, active_org, action, now))
    }

    /// Decides one request; see [`AuthorizeRequest`].
    pub fn authorize(&self, request: &AuthorizeRequest) -> Result<AuthzDecision> {
        let prepared = self.prepare(
            &request.principal,
            &request.active_org,
            &request.resource,
            request.grant.as_ref(),
        )?;
        self.evaluate(
            &prepared,
            &request.active_org,
            &request.action,
            request.now,
            &request.context,
        )
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
            .get(&prepared.resource_kind)
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

    /// Decides a request against one policy set holding every organization's policies: what
    /// slicing must always agree with. For tests and benchmarks only.
    #[doc(hidden)]
    pub fn authorize_unsliced(&self, request: &AuthorizeRequest) -> Result<AuthzDecision> {
        let mut all = self.authz.global.clone();
        for slice in self.slices.values() {
            for policy in slice.policies.iter().flat_map(PolicySet::policies) {
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
        let (cedar, entities, _) =
            self.cedar_request(&prepared, &request.action, request.now, &request.context)?;
        let outcome = Outcome::combine(std::iter::once(
            self.authz.authorizer.is_authorized(&cedar, &all, &entities),
        ));
        Ok(outcome.into_decision(&prepared, &request.active_org, &request.action, request.now))
    }
}

/// Cedar's answers merged: a forbid in any set denies; else a permit in any set allows.
struct Outcome {
    decision: Decision,
    policies: Vec<String>,
    errors: Vec<EvaluationError>,
}

impl Outcome {
    fn combine(responses: impl Iterator<Item = Response>) -> Self {
        let mut forbids = BTreeSet::new();
        let mut permits = BTreeSet::new();
        let mut errors = Vec::new();
        for response in responses {
            let reasons = response.diagnostics().reason().map(|id| id.to_string());
            match response.decision() {
                cedar_policy::Decision::Allow => permits.extend(reasons),
                cedar_policy::Decision::Deny => forbids.extend(reasons),
            }
            errors.extend(response.diagnostics().errors().map(|e| EvaluationError {
                policy: match e {
                    cedar_policy::AuthorizationError::PolicyEvaluationError(inner) => {
                        inner.policy_id().to_string()
                    }
                },
                message: e.to_string(),
            }));
        }
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

    fn into_decision(
        mut self,
        prepared: &Prepared<'_>,
        active_org: &str,
        action: &str,
        now: i64,
    ) -> AuthzDecision {
        self.policies.sort();
        AuthzDecision {
            event: DecisionEvent {
                action: "authz.decision".into(),
                org_id: active_org.to_string(),
                occurred_at: now,
                actor: prepared.actor.clone(),
                target: prepared.resource.to_string(),
                requested_action: action.to_string(),
                outcome: self.decision,
                policies: self.policies.clone(),
            },
            decision: self.decision,
            policies: self.policies,
            errors: self.errors,
            membership: prepared.membership.clone(),
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
