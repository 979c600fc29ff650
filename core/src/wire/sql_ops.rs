//! The reference-table operations of the JSON call API: the schema a host creates and the
//! statements that store SCIM resources and audit events in it ([`crate::reference_tables`]).

use super::{input, to_value};
use crate::audit::ChainedEvent;
use crate::error::Result;
use crate::reference_tables::{audit_append, schema, scim_delete, scim_put, StoredScim};
use crate::scim::filter::Dialect;
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

/// Runs a `sql_…` op; `None` when `op` is none of them.
pub(super) fn dispatch(op: &str, fields: Map<String, Value>) -> Option<Result<Value>> {
    Some(match op {
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
