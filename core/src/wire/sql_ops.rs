//! The reference-table operations of the JSON call API: the schema a host creates, the
//! statements that store SCIM resources and audit events in it and list SCIM resources from it
//! ([`crate::reference_tables`]), and `scim_sort`, the same list order applied in memory.

use super::{input, to_value};
use crate::audit::ChainedEvent;
use crate::directory::Directory;
use crate::error::Result;
use crate::reference_tables::{
    audit_append, schema, scim_delete, scim_list, scim_put, scim_sort, ScimListQuery, Sort,
    SortItem, StoredScim,
};
use crate::scim::filter::{parse, Dialect};
use crate::scim::protocol::ResourceKind;
use serde::Deserialize;
use serde_json::{Map, Value};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SchemaInput {
    dialect: Dialect,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PutInput {
    dialect: Dialect,
    stored: StoredScim,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DeleteInput {
    dialect: Dialect,
    org_id: String,
    kind: ResourceKind,
    id: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AppendInput {
    dialect: Dialect,
    event: ChainedEvent,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ListInput {
    dialect: Dialect,
    org_id: String,
    /// `User` or `Group`; absent lists both.
    #[serde(default)]
    kind: Option<ResourceKind>,
    /// The filter text.
    #[serde(default)]
    filter: Option<String>,
    /// `sortBy` and `sortOrder` as SCIM sends them.
    #[serde(default)]
    sort_by: Option<String>,
    #[serde(default)]
    sort_order: Option<String>,
    #[serde(default)]
    offset: u64,
    limit: u64,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SortInput {
    resources: Vec<SortItem>,
    /// The listed type; absent for a list of both.
    #[serde(default)]
    kind: Option<ResourceKind>,
    #[serde(default)]
    sort_by: Option<String>,
    #[serde(default)]
    sort_order: Option<String>,
}

/// Runs `scim_sort`: the positions of the given resources in list order.
pub(super) fn sort(fields: Map<String, Value>) -> Result<Value> {
    let i = input::<SortInput>(fields)?;
    let sort = Sort::parse(i.sort_by.as_deref(), i.sort_order.as_deref())?;
    to_value(&scim_sort(&i.resources, i.kind, &sort)?)
}

fn list(dir: Option<&Directory>, fields: Map<String, Value>) -> Result<Value> {
    let limits = dir.map(Directory::limits).copied().unwrap_or_default();
    let i = input::<ListInput>(fields)?;
    let query = ScimListQuery {
        org_id: i.org_id,
        kind: i.kind,
        filter: i.filter.map(|text| parse(&text, &limits)).transpose()?,
        sort: Sort::parse(i.sort_by.as_deref(), i.sort_order.as_deref())?,
        offset: i.offset,
        limit: i.limit,
    };
    to_value(&scim_list(i.dialect, &query)?)
}

/// Runs a `sql_…` op; `None` when `op` is none of them.
pub(super) fn dispatch(
    op: &str,
    dir: Option<&Directory>,
    fields: Map<String, Value>,
) -> Option<Result<Value>> {
    Some(match op {
        "sql_scim_list" => list(dir, fields),
        "sql_schema" => input::<SchemaInput>(fields).and_then(|i| to_value(&schema(i.dialect))),
        "sql_scim_put" => {
            input::<PutInput>(fields).and_then(|i| to_value(&scim_put(i.dialect, &i.stored)?))
        }
        "sql_scim_delete" => input::<DeleteInput>(fields)
            .and_then(|i| to_value(&scim_delete(i.dialect, &i.org_id, i.kind, &i.id))),
        "sql_audit_append" => {
            input::<AppendInput>(fields).and_then(|i| to_value(&audit_append(i.dialect, &i.event)?))
        }
        _ => return None,
    })
}
