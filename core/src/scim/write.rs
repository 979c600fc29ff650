//! One SCIM write, end to end, in one call: the host hands over the request as it came (the
//! `Authorization` header, method, path, query, headers, body), the stored resource it
//! addresses and its version, the id for a new resource and the time; the engine
//! authenticates the token to its org, parses and checks the request, applies it, maps a User
//! through the org's mapping, says what the membership becomes, and shapes the audit event.
//! The host then stores the resource, the membership change and the event in one transaction.

use crate::audit::{Actor, AuditContext, AuditEvent, Outcome, Target};
use crate::directory::records::MembershipStatus;
use crate::directory::Directory;
use crate::error::{Error, ErrorCode, Result};
use crate::scim::mapping::{CompiledMapping, GroupRef, MappedUser};
use crate::scim::patch::{apply_patch, Change, MemberChanges};
use crate::scim::protocol::{
    check_if_match, parse_request, Operation, RequestHeaders, ResourceKind,
};
use crate::scim::token::ScimCaller;
use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};

/// A SCIM write as the host received it, with what the host knows of the addressed resource.
#[derive(Debug, Clone, Copy)]
pub struct ScimWrite<'a> {
    /// The `Authorization` header value (`Bearer <token>`).
    pub authorization: &'a str,
    /// The HTTP method.
    pub method: &'a str,
    /// The path below the SCIM base (`/Users/2819c223`).
    pub path: &'a str,
    /// The query string, if any.
    pub query: Option<&'a str>,
    /// `Content-Type`, `If-Match`, `If-None-Match`.
    pub headers: RequestHeaders<'a>,
    /// The body as received.
    pub body: Option<&'a [u8]>,
    /// The stored resource the path addresses (for PUT, PATCH and DELETE), if it exists.
    pub current: Option<&'a Value>,
    /// The stored resource's version, checked against `If-Match`.
    pub current_version: Option<&'a str>,
    /// The id the host assigns to a created resource.
    pub new_id: Option<&'a str>,
    /// The groups the addressed user is a member of (for group → role rules).
    pub groups: &'a [GroupRef],
    /// The time of the request (Unix seconds), from the host's clock.
    pub now: i64,
    /// The id of the change's audit event, from the host.
    pub event_id: &'a str,
    /// Where the request came from, for the audit event.
    pub audit_context: &'a AuditContext,
}

/// What the write did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WriteAction {
    /// `POST`: a new resource.
    Created,
    /// `PUT`: the resource replaced.
    Replaced,
    /// `PATCH`: the resource modified.
    Patched,
    /// `DELETE`: the resource removed.
    Deleted,
}

/// What becomes of the user's membership in the org.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum MembershipEffect {
    /// Create or update the membership with this status and these role keys.
    Upsert {
        /// `active`, or `suspended` when the IdP deactivated the user.
        status: MembershipStatus,
        /// The role keys the mapping grants.
        roles: Vec<String>,
    },
    /// Remove the membership (deleted, or deprovisioned with `deprovision: remove`).
    Remove,
    /// A Group write changes no membership by itself: the host re-maps the users named in
    /// `member_changes` (and, after a rename, the group's members), whose groups changed.
    Unchanged,
}

/// The result of a SCIM write.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScimWriteOutcome {
    /// The org and token the request authenticated as.
    pub caller: ScimCaller,
    /// What was done.
    pub action: WriteAction,
    /// `User` or `Group`.
    pub kind: ResourceKind,
    /// The resource's id.
    pub id: String,
    /// The resource to store (none after a delete).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource: Option<Value>,
    /// For a User: orgkit's normalised user and the roles the mapping grants.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user: Option<MappedUser>,
    /// For a User left unlinked (its org's mapping says `missing_email: unlinked`): the error
    /// that mapping it gave. There is no `user` then, and the membership is removed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unlinked: Option<Error>,
    /// What becomes of the user's membership.
    pub membership: MembershipEffect,
    /// For a Group: the roles its members get through the org's group rules.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub group_roles: Vec<String>,
    /// For a Group: members added and removed.
    pub member_changes: MemberChanges,
    /// Every change of a PATCH, with values.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub changes: Vec<Change>,
    /// The audit event to store with the change, in the same transaction. Its metadata lists
    /// the changed paths and how (`changes`), never their values (they may be personal data).
    pub event: AuditEvent,
}

fn invalid(message: &str) -> Error {
    Error::new(ErrorCode::InvalidInput, message)
}

fn not_found(kind: ResourceKind, id: &str) -> Error {
    Error::new(
        ErrorCode::NotFound,
        format!("no {} has id `{id}`", kind.name()),
    )
}

/// The body with `id` set to the resource's id (a client never chooses or changes it).
fn with_id(mut resource: Map<String, Value>, id: &str) -> Value {
    resource.retain(|key, _| !key.eq_ignore_ascii_case("id"));
    resource.insert("id".into(), Value::String(id.to_string()));
    Value::Object(resource)
}

/// The stored resource a PUT, PATCH or DELETE addresses, after the `If-Match` check.
fn existing<'a>(
    write: &ScimWrite<'a>,
    kind: ResourceKind,
    id: &str,
    if_match: Option<&str>,
) -> Result<&'a Value> {
    let current = write.current.ok_or_else(|| not_found(kind, id))?;
    if let Some(version) = write.current_version {
        check_if_match(if_match, version)?;
    } else if if_match.is_some_and(|h| h.trim() != "*") {
        return Err(Error::new(
            ErrorCode::PreconditionFailed,
            "If-Match was sent but the resource has no version",
        ));
    }
    Ok(current)
}

/// What one SCIM User is in orgkit: the user it maps to and what its membership becomes, or
/// why it is linked to no user.
#[derive(Debug, Clone, PartialEq)]
pub struct UserLink {
    /// The mapped user; none when unlinked.
    pub user: Option<MappedUser>,
    /// What becomes of the membership (removed when unlinked).
    pub membership: MembershipEffect,
    /// Why the user is unlinked (`missing_email: unlinked`): the error mapping it gave.
    pub unlinked: Option<Error>,
}

impl CompiledMapping {
    /// Maps a SCIM User resource (with its groups) as a write does: the mapped user and its
    /// membership effect, or, when the org's mapping leaves users without a usable address
    /// unlinked, no user and the membership removed. Other mapping errors are returned.
    pub fn link_user(&self, user: &Value, groups: &[GroupRef]) -> Result<UserLink> {
        match self.map_user(user, groups) {
            Ok(user) => {
                let membership = match user.status {
                    Some(status) => MembershipEffect::Upsert {
                        status,
                        roles: user.roles.clone(),
                    },
                    None => MembershipEffect::Remove,
                };
                Ok(UserLink {
                    user: Some(user),
                    membership,
                    unlinked: None,
                })
            }
            Err(e) if self.unlinks(&e) => Ok(UserLink {
                user: None,
                membership: MembershipEffect::Remove,
                unlinked: Some(e),
            }),
            Err(e) => Err(e),
        }
    }
}

fn group_of(resource: &Value, id: &str) -> GroupRef {
    GroupRef {
        id: id.to_string(),
        display_name: resource
            .get("displayName")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string(),
    }
}

impl Directory {
    /// Authenticates, parses, checks and applies one SCIM write; see the [module docs](self).
    /// Reads (`GET`, `.search`, discovery) are refused here: parse them with
    /// [`parse_request`].
    pub fn scim_write(&self, write: &ScimWrite<'_>) -> Result<ScimWriteOutcome> {
        let caller = self.scim_authenticate(write.authorization)?;
        let mapping = self.scim_mapping(&caller.org_id)?;
        let request = parse_request(
            write.method,
            write.path,
            write.query,
            &write.headers,
            write.body,
            self.limits(),
        )?;
        let if_match = request.if_match.as_deref();
        let (action, kind, id, resource, changes, member_changes) = match request.operation {
            Operation::Create { kind, resource, .. } => {
                let id = write
                    .new_id
                    .ok_or_else(|| invalid("a create needs the host's `new_id`"))?;
                let resource = with_id(resource, id);
                (
                    WriteAction::Created,
                    kind,
                    id.to_string(),
                    Some(resource),
                    Vec::new(),
                    MemberChanges::default(),
                )
            }
            Operation::Replace {
                kind, id, resource, ..
            } => {
                existing(write, kind, &id, if_match)?;
                let resource = with_id(resource, &id);
                (
                    WriteAction::Replaced,
                    kind,
                    id,
                    Some(resource),
                    Vec::new(),
                    MemberChanges::default(),
                )
            }
            Operation::Patch {
                kind, id, patch, ..
            } => {
                let current = existing(write, kind, &id, if_match)?;
                let tolerance = mapping.patch_tolerance();
                let outcome =
                    apply_patch(current, &Value::Object(patch), &tolerance, self.limits())?;
                (
                    WriteAction::Patched,
                    kind,
                    id,
                    Some(outcome.resource),
                    outcome.changes,
                    outcome.member_changes,
                )
            }
            Operation::Delete { kind, id } => {
                existing(write, kind, &id, if_match)?;
                (
                    WriteAction::Deleted,
                    kind,
                    id,
                    None,
                    Vec::new(),
                    MemberChanges::default(),
                )
            }
            _ => {
                return Err(invalid(
                    "not a write: parse reads with `scim_parse_request`",
                ))
            }
        };
        let (user, unlinked, membership, roles_of_group) = match (kind, &resource) {
            (ResourceKind::User, Some(resource)) => {
                let link = mapping.link_user(resource, write.groups)?;
                (link.user, link.unlinked, link.membership, Vec::new())
            }
            (ResourceKind::User, None) => (None, None, MembershipEffect::Remove, Vec::new()),
            (ResourceKind::Group, Some(resource)) => (
                None,
                None,
                MembershipEffect::Unchanged,
                mapping.group_roles(&group_of(resource, &id)),
            ),
            (ResourceKind::Group, None) => (None, None, MembershipEffect::Unchanged, Vec::new()),
        };
        let verb = match action {
            WriteAction::Created => "created",
            WriteAction::Replaced => "replaced",
            WriteAction::Patched => "patched",
            WriteAction::Deleted => "deleted",
        };
        let changed: Vec<Value> = changes
            .iter()
            .map(|c| json!({ "kind": c.kind, "path": c.path }))
            .collect();
        let mut event = AuditEvent {
            id: write.event_id.to_string(),
            org_id: caller.org_id.clone(),
            action: format!("scim.{}.{verb}", kind.name().to_lowercase()),
            version: 1,
            occurred_at: write.now,
            actor: Actor {
                kind: "scim_token".into(),
                id: caller.token_id.clone(),
                display: None,
            },
            targets: vec![Target {
                kind: kind.name().to_lowercase(),
                id: id.clone(),
                display: None,
            }],
            context: write.audit_context.clone(),
            outcome: Outcome::Success,
            metadata: Map::from_iter([("changes".to_string(), Value::Array(changed))]),
        };
        if let Some(error) = &unlinked {
            // `no_email` or `invalid_email`: which, not the address (it may be personal data).
            let why = match error.code {
                ErrorCode::InvalidEmail => "invalid_email",
                _ => "no_email",
            };
            event.metadata.insert("unlinked".into(), why.into());
        }
        self.redact_own(&mut event);
        Ok(ScimWriteOutcome {
            caller,
            action,
            kind,
            id,
            resource,
            user,
            unlinked,
            membership,
            group_roles: roles_of_group,
            member_changes,
            changes,
            event,
        })
    }
}
