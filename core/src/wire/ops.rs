//! The operations of the JSON call API: each decodes its input, calls the typed API, and
//! encodes the result.

use super::{decode, input, need, to_value};
use crate::authz::{
    AuthorizeRequest, AuthzDecision, CheckRequest, Principal, RefusedPolicy, Resource, SupportGrant,
};
use crate::directory::records::{Branding, OrgStatus};
use crate::directory::Directory;
use crate::error::{Error, ErrorCode, Result};
use crate::routing::claimable::{is_public_suffix, ConsumerDomains};
use crate::routing::domain::normalize_domain;
use crate::routing::email::normalize_email;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// Every operation name the call API accepts.
pub const OPS: &[&str] = &[
    "normalize_email",
    "normalize_domain",
    "load",
    "apply_changes",
    "stats",
    "export",
    "route",
    "org_by_slug",
    "check_assertion_email",
    "membership",
    "user_memberships",
    "authorize",
    "authorize_batch",
    "check",
    "allowed_actions",
    "refused_policies",
    "scim_hash_token",
    "scim_mint_token",
    "scim_authenticate",
    "scim_parse_filter",
    "scim_filter_matches",
    "scim_filter_sql",
    "scim_map_user",
    "scim_patch",
    "scim_parse_request",
    "scim_response",
    "scim_list_response",
    "scim_error_response",
    "scim_etag_matches",
    "scim_discovery",
    "scim_sort",
    "scim_write",
    "audit_record",
    "audit_verify_chain",
    "audit_export",
    "audit_query",
    "session_verify",
    "session_resolve",
    "session_switch_org",
    "feature_flags",
    "branding_resolve",
    "sql_schema",
    "sql_scim_put",
    "sql_scim_delete",
    "sql_scim_list",
    "sql_audit_append",
];

/// The input of the operations on one email address.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct EmailInput {
    pub(super) email: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DomainInput {
    domain: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SlugInput {
    slug: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AssertionInput {
    org_id: String,
    #[serde(default)]
    connection_id: Option<String>,
    email: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct MembershipInput {
    user_id: String,
    org_id: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct UserInput {
    user_id: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Empty {}

/// The input of `authorize_batch`: its requests as JSON values (each decoded on its own, so
/// one bad request fails alone) or, on the fast path, already decoded.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct BatchInput<T> {
    pub(super) requests: Vec<T>,
}

/// The input of `allowed_actions`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct AllowedActionsInput {
    principal: Principal,
    active_org: String,
    resource: Resource,
    now: i64,
    #[serde(default)]
    context: Map<String, Value>,
    #[serde(default)]
    grant: Option<SupportGrant>,
}

/// One result of `authorize_batch`: a decision or the error of that request alone.
#[derive(Serialize)]
#[serde(rename_all = "snake_case")]
pub(super) enum BatchItem {
    Ok(Box<AuthzDecision>),
    Error(Error),
}

/// One quarantined organization in `refused_policies`.
#[derive(Serialize)]
struct Quarantined<'a> {
    org_id: &'a str,
    refused: &'a [RefusedPolicy],
}

/// The result of `normalize_domain`.
#[derive(Serialize)]
struct DomainInfo {
    domain: String,
    unicode: String,
    consumer: bool,
    public_suffix: bool,
}

/// The result of `org_by_slug`: what a login screen needs.
#[derive(Serialize)]
struct OrgProfile<'a> {
    id: &'a str,
    slug: &'a str,
    name: &'a str,
    status: OrgStatus,
    require_sso: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    branding: Option<&'a Branding>,
}

/// `load` and `apply_changes` in a stateless call: the work was done; report the counts.
pub(super) fn stats(dir: &Directory, fields: Map<String, Value>) -> Result<Value> {
    input::<Empty>(fields)?;
    to_value(&dir.stats())
}

/// Runs a read operation.
pub(super) fn dispatch(
    op: &str,
    dir: Option<&Directory>,
    fields: Map<String, Value>,
) -> Result<Value> {
    match op {
        "normalize_email" => to_value(&normalize_email(&input::<EmailInput>(fields)?.email)?),
        "normalize_domain" => {
            let domain = normalize_domain(&input::<DomainInput>(fields)?.domain)?;
            let consumer = match dir {
                Some(dir) => dir.consumer_domains().contains(&domain.domain),
                None => ConsumerDomains::default().contains(&domain.domain),
            };
            to_value(&DomainInfo {
                public_suffix: is_public_suffix(&domain.domain),
                consumer,
                domain: domain.domain,
                unicode: domain.unicode,
            })
        }
        "stats" => stats(need(op, dir)?, fields),
        "export" => {
            input::<Empty>(fields)?;
            to_value(&need(op, dir)?.to_doc())
        }
        "route" => to_value(&need(op, dir)?.route(&input::<EmailInput>(fields)?.email)?),
        "org_by_slug" => {
            let slug = input::<SlugInput>(fields)?.slug;
            let org = need(op, dir)?.org_by_slug(&slug).ok_or_else(|| {
                Error::new(
                    ErrorCode::UnknownOrg,
                    format!("no organization has slug `{slug}`"),
                )
                .at("slug")
            })?;
            to_value(&OrgProfile {
                id: &org.id,
                slug: &org.slug,
                name: &org.name,
                status: org.status,
                require_sso: org.require_sso,
                branding: org.branding.as_deref(),
            })
        }
        "check_assertion_email" => {
            let a = input::<AssertionInput>(fields)?;
            to_value(&need(op, dir)?.check_assertion_email(
                &a.org_id,
                a.connection_id.as_deref(),
                &a.email,
            )?)
        }
        "membership" => {
            let m = input::<MembershipInput>(fields)?;
            let entry = need(op, dir)?
                .membership(&m.user_id, &m.org_id)
                .ok_or_else(|| {
                    Error::new(
                        ErrorCode::UnknownMembership,
                        format!("user `{}` is not a member of `{}`", m.user_id, m.org_id),
                    )
                })?;
            to_value(&entry.to_record())
        }
        "user_memberships" => {
            let user_id = input::<UserInput>(fields)?.user_id;
            let dir = need(op, dir)?;
            if dir.user(&user_id).is_none() {
                return Err(Error::new(
                    ErrorCode::UnknownUser,
                    format!("no user has id `{user_id}`"),
                )
                .at("user_id"));
            }
            let records: Vec<_> = dir
                .user_org_ids(&user_id)
                .into_iter()
                .filter_map(|org| dir.membership(&user_id, org))
                .map(|m| m.to_record())
                .collect();
            to_value(&records)
        }
        "authorize" => to_value(&need(op, dir)?.authorize(&input::<AuthorizeRequest>(fields)?)?),
        "authorize_batch" => {
            let dir = need(op, dir)?;
            let requests = input::<BatchInput<Value>>(fields)?.requests;
            to_value(&authorize_batch(dir, requests, |i, value| {
                decode::<AuthorizeRequest>(value, &format!("requests[{i}]"))
                    .and_then(|request| dir.authorize(&request))
            })?)
        }
        "check" => to_value(&need(op, dir)?.check(&input::<CheckRequest>(fields)?)?),
        "allowed_actions" => to_value(&allowed_actions(
            need(op, dir)?,
            input::<AllowedActionsInput>(fields)?,
        )?),
        "refused_policies" => {
            input::<Empty>(fields)?;
            let list: Vec<Quarantined<'_>> = need(op, dir)?
                .refused_policies()
                .into_iter()
                .map(|(org_id, refused)| Quarantined { org_id, refused })
                .collect();
            to_value(&list)
        }
        _ if op.starts_with("audit_") => {
            super::audit_ops::dispatch(op, dir, fields).unwrap_or_else(|| Err(unknown_op(op)))
        }
        _ if op.starts_with("sql_") => {
            super::sql_ops::dispatch(op, dir, fields).unwrap_or_else(|| Err(unknown_op(op)))
        }
        _ if op.starts_with("scim_") => {
            super::scim_ops::dispatch(op, dir, fields).unwrap_or_else(|| Err(unknown_op(op)))
        }
        _ => super::session_ops::dispatch(op, dir, fields).unwrap_or_else(|| Err(unknown_op(op))),
    }
}

fn unknown_op(op: &str) -> Error {
    Error::new(
        ErrorCode::UnknownOp,
        format!("unknown op `{op}`; known ops: {}", OPS.join(", ")),
    )
}

/// Each request of a batch decided on its own (`decide` gets its index): one bad request does
/// not fail the others.
pub(super) fn authorize_batch<T>(
    dir: &Directory,
    requests: Vec<T>,
    decide: impl Fn(usize, T) -> Result<AuthzDecision>,
) -> Result<Vec<BatchItem>> {
    let max = dir.limits().max_batch;
    if requests.len() > max {
        let message = format!("a batch holds at most {max} requests");
        return Err(Error::new(ErrorCode::LimitExceeded, message)
            .at("requests")
            .because("too_many"));
    }
    Ok(requests
        .into_iter()
        .enumerate()
        .map(|(i, request)| {
            decide(i, request).map_or_else(BatchItem::Error, |decision| {
                BatchItem::Ok(Box::new(decision))
            })
        })
        .collect())
}

/// The actions the input's principal may take on its resource.
pub(super) fn allowed_actions(dir: &Directory, a: AllowedActionsInput) -> Result<Vec<String>> {
    dir.allowed_actions(
        &a.principal,
        &a.active_org,
        &a.resource,
        a.now,
        &a.context,
        a.grant.as_ref(),
    )
}
