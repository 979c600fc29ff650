//! Attribute projection (RFC 7644 §3.9, RFC 7643 §7 `returned`).

use super::discovery::{catalog, find, AttrDef, Returned, SchemaDef};
use super::{Projection, ResourceKind};
use crate::error::Result;
use crate::scim::filter::AttrPath;
use serde_json::{Map, Value};

/// Attributes returned whatever the request says, though no schema lists them.
const ALWAYS: [&str; 3] = ["id", "schemas", "meta"];

/// Shapes a resource for a response, by the `returned` characteristic of each attribute in
/// RFC 7643's schemas for `kind` (core User with the enterprise extension, or Group):
///
/// - `id`, `schemas`, `meta` and attributes returned `always` are kept; `never` ones
///   (`password`) are dropped; `request` ones are kept only when named in `attributes`.
/// - With `attributes`, only the attributes named are kept (a sub-attribute path such as
///   `name.givenName` or `emails.value` keeps only those sub-attributes); naming a schema URN
///   keeps its attributes. Without, every `default` attribute is kept.
/// - `excludedAttributes` then drops the attributes or sub-attributes named (never an `always`
///   one), or a whole extension named by its URN.
///
/// Names match ignoring ASCII case. A name without a schema is a core attribute; extension
/// attributes are named with their URN (`urn:…:enterprise:2.0:User:employeeNumber`), as
/// RFC 7644 §3.10 requires. Attributes the schemas do not define are `default`. A complex
/// value or extension left empty is dropped. A resource that is not a JSON object comes back
/// unchanged.
pub fn project(resource: &Value, projection: &Projection, kind: ResourceKind) -> Result<Value> {
    let catalog = catalog()?;
    let Some(object) = resource.as_object() else {
        return Ok(resource.clone());
    };
    let core = catalog.core(kind);
    let mut out = Map::new();
    for (key, value) in object {
        if ALWAYS.iter().any(|name| name.eq_ignore_ascii_case(key)) {
            out.insert(key.clone(), value.clone());
            continue;
        }
        let shaped = match (catalog.extension(kind, key), value.as_object()) {
            (Some(extension), Some(inner)) => {
                shape_extension(inner, extension, projection).map(Value::Object)
            }
            _ => select(key, value, core, true, projection),
        };
        if let Some(shaped) = shaped {
            out.insert(key.clone(), shaped);
        }
    }
    Ok(Value::Object(out))
}

/// The attributes of an extension object that the projection keeps; `None` if none.
fn shape_extension(
    object: &Map<String, Value>,
    schema: &SchemaDef,
    projection: &Projection,
) -> Option<Map<String, Value>> {
    if projection
        .excluded_attributes
        .iter()
        .any(|path| names_schema(path, schema.id))
    {
        return None;
    }
    let out: Map<String, Value> = object
        .iter()
        .filter_map(|(key, value)| {
            select(key, value, schema, false, projection).map(|shaped| (key.clone(), shaped))
        })
        .collect();
    (!out.is_empty()).then_some(out)
}

/// True when `path` refers to an attribute of `schema`: qualified with its URN, or unqualified
/// and `schema` is the resource's core schema.
fn in_schema(path: &AttrPath, schema: &str, is_core: bool) -> bool {
    match &path.schema {
        Some(urn) => urn.eq_ignore_ascii_case(schema),
        None => is_core,
    }
}

/// True when `path` names a whole schema (`urn:…:enterprise:2.0:User` reads as schema
/// `urn:…:enterprise:2.0`, attribute `User`).
fn names_schema(path: &AttrPath, schema: &str) -> bool {
    path.sub_attr.is_none()
        && path.schema.as_deref().is_some_and(|urn| {
            schema.len() == urn.len() + 1 + path.attr.len()
                && format!("{urn}:{}", path.attr).eq_ignore_ascii_case(schema)
        })
}

/// For each path of `paths` naming attribute `key` of `schema`, its sub-attribute: `None` for
/// a path naming the attribute whole. Empty when no path names the attribute.
fn named<'p>(
    paths: &'p [AttrPath],
    key: &str,
    schema: &str,
    is_core: bool,
) -> Vec<Option<&'p str>> {
    paths
        .iter()
        .filter(|path| path.attr.eq_ignore_ascii_case(key) && in_schema(path, schema, is_core))
        .map(|path| path.sub_attr.as_deref())
        .collect()
}

/// Which sub-attributes to keep.
enum Keep<'p> {
    /// Every one returned by default.
    All,
    /// Only these (and those always returned).
    Only(Vec<&'p str>),
}

/// The attribute `key` as the projection returns it, or `None`.
fn select(
    key: &str,
    value: &Value,
    schema: &SchemaDef,
    is_core: bool,
    projection: &Projection,
) -> Option<Value> {
    let def = find(&schema.attributes, key);
    match def.map(|def| def.returned).unwrap_or_default() {
        Returned::Never => return None,
        Returned::Always => return Some(value.clone()),
        Returned::Default | Returned::Request => {}
    }
    let keep = if projection.attributes.is_empty() {
        if def.is_some_and(|def| def.returned == Returned::Request) {
            return None;
        }
        Keep::All
    } else {
        let requested = named(&projection.attributes, key, schema.id, is_core);
        let whole = projection
            .attributes
            .iter()
            .any(|path| names_schema(path, schema.id));
        if whole || requested.contains(&None) {
            Keep::All
        } else if requested.is_empty() {
            return None;
        } else {
            Keep::Only(requested.into_iter().flatten().collect())
        }
    };
    let excluded = named(&projection.excluded_attributes, key, schema.id, is_core);
    if excluded.contains(&None) {
        return None;
    }
    let excluded: Vec<&str> = excluded.into_iter().flatten().collect();
    match (&keep, excluded.is_empty()) {
        (Keep::All, true) if def.is_none_or(|def| def.sub_attributes.is_empty()) => {
            Some(value.clone())
        }
        _ => shape_complex(value, def, &keep, &excluded),
    }
}

/// A complex value, or each element of a multi-valued one, with only the sub-attributes kept;
/// `None` when nothing is left. Values that are not objects are kept as they are.
fn shape_complex(
    value: &Value,
    def: Option<&AttrDef>,
    keep: &Keep<'_>,
    excluded: &[&str],
) -> Option<Value> {
    let shape = |object: &Map<String, Value>| -> Option<Map<String, Value>> {
        let out: Map<String, Value> = object
            .iter()
            .filter(|(key, _)| keeps(def.and_then(|def| def.sub(key)), key, keep, excluded))
            .map(|(key, value)| (key.clone(), value.clone()))
            .collect();
        (!out.is_empty()).then_some(out)
    };
    match value {
        Value::Object(object) => shape(object).map(Value::Object),
        Value::Array(items) => {
            let items: Vec<Value> = items
                .iter()
                .filter_map(|item| match item {
                    Value::Object(object) => shape(object).map(Value::Object),
                    other => Some(other.clone()),
                })
                .collect();
            (!items.is_empty()).then_some(Value::Array(items))
        }
        other => Some(other.clone()),
    }
}

/// True when the sub-attribute `key` (defined by `def`, if the schema knows it) is kept.
fn keeps(def: Option<&AttrDef>, key: &str, keep: &Keep<'_>, excluded: &[&str]) -> bool {
    let returned = def.map(|def| def.returned).unwrap_or_default();
    let named = |names: &[&str]| names.iter().any(|name| name.eq_ignore_ascii_case(key));
    match returned {
        Returned::Never => false,
        Returned::Always => true,
        Returned::Default | Returned::Request => {
            let kept = match keep {
                Keep::All => returned == Returned::Default,
                Keep::Only(names) => named(names),
            };
            kept && !named(excluded)
        }
    }
}
