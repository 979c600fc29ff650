//! The SCIM operations of the JSON call API: tokens, filters and the per-org mapping.

use super::{decode, to_value};
use crate::directory::Directory;
use crate::error::{Error, ErrorCode, Result};
use crate::limits::Limits;
use crate::scim::filter::{self, CoreSchemas, Dialect, ReferenceColumns};
use crate::scim::mapping::{map_user, GroupRef};
use crate::scim::token::{hash_token, mint_token};
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

#[derive(Serialize)]
struct Hashed {
    sha256: String,
}

fn input<T: serde::de::DeserializeOwned>(fields: Map<String, Value>) -> Result<T> {
    decode(Value::Object(fields), "")
}

fn need<'a>(op: &str, dir: Option<&'a Directory>) -> Result<&'a Directory> {
    dir.ok_or_else(|| super::needs_directory(op))
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
            let dir = need(op, dir)?;
            let org = dir.org(&i.org_id).ok_or_else(|| {
                Error::new(
                    ErrorCode::UnknownOrg,
                    format!("no organization has id `{}`", i.org_id),
                )
                .at("org_id")
            })?;
            to_value(&map_user(org, &i.user, &i.groups)?)
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
