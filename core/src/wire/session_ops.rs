//! The session, feature-flag and branding operations of the JSON call API.

use super::{input, need, to_value};
use crate::branding::BrandingLookup;
use crate::directory::Directory;
use crate::error::Result;
use crate::session::{SessionInput, SwitchRequest};
use serde::Deserialize;
use serde_json::{Map, Value};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct OrgInput {
    org_id: String,
}

/// The operations this module runs.
const OPS: [&str; 5] = [
    "session_verify",
    "session_resolve",
    "session_switch_org",
    "feature_flags",
    "branding_resolve",
];

/// Runs a session, flag or branding operation; `None` when `op` is not one.
pub(super) fn dispatch(
    op: &str,
    dir: Option<&Directory>,
    fields: Map<String, Value>,
) -> Option<Result<Value>> {
    if !OPS.contains(&op) {
        return None;
    }
    Some(need(op, dir).and_then(|dir| match op {
        "session_verify" => to_value(&dir.verify_session(&input::<SessionInput>(fields)?)?),
        "session_resolve" => to_value(&dir.resolve_session(&input::<SessionInput>(fields)?)?),
        "session_switch_org" => to_value(&dir.switch_org(&input::<SwitchRequest>(fields)?)?),
        "feature_flags" => to_value(&dir.feature_flags(&input::<OrgInput>(fields)?.org_id)?),
        _ => to_value(&dir.resolve_branding(&input::<BrandingLookup>(fields)?)?),
    }))
}
