//! The SCIM operations of the JSON call API: tokens, filters and the per-org mapping.

use super::{input, need, to_value};
use crate::audit::AuditContext;
use crate::directory::Directory;
use crate::error::{Error, ErrorCode, Result};
use crate::limits::Limits;
use crate::scim::filter::{self, CoreSchemas, Dialect, ReferenceColumns};
use crate::scim::mapping::GroupRef;
use crate::scim::patch::{apply_patch, PatchTolerance};
use crate::scim::protocol::{
    error_response, etag_matches, list_response, meta, parse_request, project, resource_types,
    schemas, service_provider_config, Projection, RequestHeaders, ResourceKind,
};
use crate::scim::token::{hash_token, mint_token};
use crate::scim::write::ScimWrite;
use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TokenInput {
    token: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct MintInput {
    /// 32 random bytes from the host, as 64 hex characters.
    random: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AuthenticateInput {
    authorization: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct EtagInput {
    /// An `If-Match` or `If-None-Match` header value.
    header: String,
    /// The stored resource's bare version.
    version: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FilterInput {
    filter: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct MatchesInput {
    filter: String,
    resource: Value,
}

/// The reference table set a filter is translated for.
#[derive(Deserialize)]
enum ResourceType {
    User,
    Group,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SqlInput {
    filter: String,
    resource_type: ResourceType,
    dialect: Dialect,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct MapUserInput {
    org_id: String,
    user: Value,
    #[serde(default)]
    groups: Vec<GroupRef>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PatchInput {
    resource: Value,
    patch: Value,
    /// The org whose mapping says which IdP deviations to tolerate.
    #[serde(default)]
    org_id: Option<String>,
    /// Tolerances given directly (they win over the org's).
    #[serde(default)]
    tolerance: Option<PatchTolerance>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct HeadersInput {
    #[serde(default)]
    content_type: Option<String>,
    #[serde(default)]
    if_match: Option<String>,
    #[serde(default)]
    if_none_match: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RequestInput {
    method: String,
    path: String,
    #[serde(default)]
    query: Option<String>,
    #[serde(default)]
    headers: HeadersInput,
    /// The body as sent, as text.
    #[serde(default)]
    body: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct WriteInput {
    authorization: String,
    method: String,
    path: String,
    #[serde(default)]
    query: Option<String>,
    #[serde(default)]
    headers: HeadersInput,
    #[serde(default)]
    body: Option<String>,
    #[serde(default)]
    current: Option<Value>,
    #[serde(default)]
    current_version: Option<String>,
    #[serde(default)]
    new_id: Option<String>,
    #[serde(default)]
    groups: Vec<GroupRef>,
    now: i64,
    event_id: String,
    #[serde(default)]
    audit_context: AuditContext,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ResponseInput {
    resource: Value,
    kind: ResourceKind,
    id: String,
    created_ms: i64,
    last_modified_ms: i64,
    version: String,
    base_url: String,
    /// As `scim_parse_request` returned it.
    #[serde(default)]
    projection: Projection,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ListInput {
    /// Each resource as `scim_response` shaped it.
    resources: Vec<Value>,
    total: usize,
    start_index: usize,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ErrorInput {
    error: Error,
}

/// A discovery document.
#[derive(Deserialize)]
enum Document {
    ServiceProviderConfig,
    ResourceTypes,
    Schemas,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DiscoveryInput {
    document: Document,
    base_url: String,
}

#[derive(Serialize)]
struct Hashed {
    sha256: String,
}

impl HeadersInput {
    fn view(&self) -> RequestHeaders<'_> {
        RequestHeaders {
            content_type: self.content_type.as_deref(),
            if_match: self.if_match.as_deref(),
            if_none_match: self.if_none_match.as_deref(),
        }
    }
}

fn random_bytes(hex: &str) -> Result<[u8; 32]> {
    let bad = || {
        Error::new(
            ErrorCode::InvalidInput,
            "`random` is 32 random bytes as 64 hex characters",
        )
        .at("random")
    };
    let digits = hex.as_bytes();
    if digits.len() != 64 {
        return Err(bad());
    }
    let mut out = [0u8; 32];
    for (byte, pair) in out.iter_mut().zip(digits.chunks(2)) {
        let text = std::str::from_utf8(pair).map_err(|_| bad())?;
        *byte = u8::from_str_radix(text, 16).map_err(|_| bad())?;
    }
    Ok(out)
}

/// Runs a SCIM operation; `None` when `op` is not one.
pub(super) fn dispatch(
    op: &str,
    dir: Option<&Directory>,
    fields: Map<String, Value>,
) -> Option<Result<Value>> {
    let limits = dir.map(Directory::limits).copied().unwrap_or_default();
    Some(match op {
        "scim_hash_token" => input::<TokenInput>(fields).and_then(|i| {
            to_value(&Hashed {
                sha256: hash_token(&i.token),
            })
        }),
        "scim_mint_token" => input::<MintInput>(fields)
            .and_then(|i| random_bytes(&i.random))
            .and_then(|random| to_value(&mint_token(&random))),
        "scim_authenticate" => input::<AuthenticateInput>(fields)
            .and_then(|i| to_value(&need(op, dir)?.scim_authenticate(&i.authorization)?)),
        "scim_sort" => super::sql_ops::sort(fields),
        "scim_parse_filter" => input::<FilterInput>(fields)
            .and_then(|i| parse(&i.filter, &limits))
            .and_then(|f| to_value(&f)),
        "scim_filter_matches" => input::<MatchesInput>(fields).and_then(|i| {
            let filter = parse(&i.filter, &limits)?;
            Ok(json!(filter.matches(&i.resource, &CoreSchemas)))
        }),
        "scim_filter_sql" => input::<SqlInput>(fields).and_then(|i| {
            let filter = parse(&i.filter, &limits)?;
            let columns = match i.resource_type {
                ResourceType::User => ReferenceColumns::Users,
                ResourceType::Group => ReferenceColumns::Groups,
            };
            to_value(&filter.to_sql(&columns, i.dialect)?)
        }),
        "scim_map_user" => input::<MapUserInput>(fields).and_then(|i| {
            let mapping = need(op, dir)?.scim_mapping(&i.org_id)?;
            to_value(&mapping.map_user(&i.user, &i.groups)?)
        }),
        "scim_patch" => input::<PatchInput>(fields).and_then(|i| {
            let tolerance = match (i.tolerance, &i.org_id) {
                (Some(tolerance), _) => tolerance,
                (None, Some(org_id)) => need(op, dir)?.scim_mapping(org_id)?.patch_tolerance(),
                (None, None) => PatchTolerance::default(),
            };
            to_value(&apply_patch(&i.resource, &i.patch, &tolerance, &limits)?)
        }),
        "scim_parse_request" => input::<RequestInput>(fields).and_then(|i| {
            to_value(&parse_request(
                &i.method,
                &i.path,
                i.query.as_deref(),
                &i.headers.view(),
                i.body.as_deref().map(str::as_bytes),
                &limits,
            )?)
        }),
        "scim_write" => input::<WriteInput>(fields).and_then(|i| {
            to_value(&need(op, dir)?.scim_write(&ScimWrite {
                authorization: &i.authorization,
                method: &i.method,
                path: &i.path,
                query: i.query.as_deref(),
                headers: i.headers.view(),
                body: i.body.as_deref().map(str::as_bytes),
                current: i.current.as_ref(),
                current_version: i.current_version.as_deref(),
                new_id: i.new_id.as_deref(),
                groups: &i.groups,
                now: i.now,
                event_id: &i.event_id,
                audit_context: &i.audit_context,
            })?)
        }),
        "scim_response" => input::<ResponseInput>(fields).and_then(|i| {
            // `id` and `meta` are the service provider's: set here, never taken from storage.
            let mut resource = i.resource;
            if let Some(object) = resource.as_object_mut() {
                object.insert("id".into(), Value::String(i.id.clone()));
                object.insert(
                    "meta".into(),
                    meta(
                        i.kind,
                        &i.id,
                        i.created_ms,
                        i.last_modified_ms,
                        &i.version,
                        &i.base_url,
                    )?,
                );
            }
            project(&resource, &i.projection, i.kind)
        }),
        "scim_list_response" => {
            input::<ListInput>(fields).map(|i| list_response(i.resources, i.total, i.start_index))
        }
        "scim_etag_matches" => {
            input::<EtagInput>(fields).map(|i| json!(etag_matches(&i.header, &i.version)))
        }
        "scim_error_response" => input::<ErrorInput>(fields).map(|i| {
            let mut body = error_response(&i.error);
            if let Some(fields) = body.as_object_mut() {
                fields.insert("http_status".into(), json!(i.error.code.http_status()));
            }
            body
        }),
        "scim_discovery" => input::<DiscoveryInput>(fields).and_then(|i| match i.document {
            Document::ServiceProviderConfig => Ok(service_provider_config(&limits, &i.base_url)),
            Document::ResourceTypes => Ok(resource_types(&i.base_url)),
            Document::Schemas => schemas(&i.base_url),
        }),
        _ => return None,
    })
}

fn parse(text: &str, limits: &Limits) -> Result<filter::Filter> {
    filter::parse(text, limits).map_err(|e| match e.path {
        Some(_) => e,
        None => e.at("filter"),
    })
}
