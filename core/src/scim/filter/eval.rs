//! Evaluating a filter against a SCIM resource in JSON.

use super::datetime::parse_date_time;
use super::{AttrPath, CompValue, CompareOp, Filter};
use serde_json::{Number, Value};
use std::cmp::Ordering;

/// How one attribute compares.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct AttrType {
    /// Strings compare exactly, not case-insensitively.
    pub case_exact: bool,
    /// Values are RFC 3339 date-times, compared chronologically.
    pub date_time: bool,
}

/// What evaluation needs to know about a resource type's schemas.
pub trait AttributeTypes {
    /// How the attribute at `path` compares; a multi-valued attribute's values are asked for
    /// as its `value` sub-attribute (`emails.value`).
    fn attribute_type(&self, path: &AttrPath) -> AttrType;

    /// True when `urn` names a core schema, whose attributes sit at the resource's top level.
    fn is_core_schema(&self, urn: &str) -> bool;
}

/// The core User schema URN of RFC 7643.
pub(crate) const USER_URN: &str = "urn:ietf:params:scim:schemas:core:2.0:User";
/// The core Group schema URN of RFC 7643.
pub(crate) const GROUP_URN: &str = "urn:ietf:params:scim:schemas:core:2.0:Group";

/// The types of RFC 7643's User and Group schemas and the enterprise User extension: every
/// string is case-insensitive except `id`, `externalId`, `meta.resourceType`, `meta.location`,
/// `meta.version` and `x509Certificates.value`; `meta.created` and `meta.lastModified` are
/// date-times.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CoreSchemas;

impl AttributeTypes for CoreSchemas {
    fn attribute_type(&self, path: &AttrPath) -> AttrType {
        if path
            .schema
            .as_deref()
            .is_some_and(|urn| !self.is_core_schema(urn))
        {
            return AttrType::default();
        }
        let attr = path.attr.to_ascii_lowercase();
        let sub = path.sub_attr.as_deref().map(str::to_ascii_lowercase);
        match (attr.as_str(), sub.as_deref()) {
            ("id" | "externalid", None)
            | ("meta", Some("resourcetype" | "location" | "version"))
            | ("x509certificates", Some("value")) => AttrType {
                case_exact: true,
                date_time: false,
            },
            ("meta", Some("created" | "lastmodified")) => AttrType {
                case_exact: false,
                date_time: true,
            },
            _ => AttrType::default(),
        }
    }

    fn is_core_schema(&self, urn: &str) -> bool {
        urn.eq_ignore_ascii_case(USER_URN) || urn.eq_ignore_ascii_case(GROUP_URN)
    }
}

impl Filter {
    /// True when `resource` (a SCIM resource in JSON) matches, with RFC 7644 §3.4.2.2 semantics:
    ///
    /// - Attribute names and schema URNs match the resource's keys case-insensitively. A
    ///   schema-qualified path looks in the object under that URN (an extension such as
    ///   `"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {…}`); when the resource
    ///   has no such key and the URN is a core schema ([`AttributeTypes::is_core_schema`]), in the
    ///   top level.
    /// - An attribute's values: a multi-valued attribute contributes each element, a complex value
    ///   (for `emails eq …` on `[{"value": …}]`, or `manager eq …`) its `value` sub-attribute, and
    ///   `emails.value` each element's `value`. A comparison matches when any value matches.
    /// - Strings compare after Unicode lowercasing unless the attribute is `caseExact`; `co`, `sw`
    ///   and `ew` test substrings; `gt`, `ge`, `lt`, `le` order strings by code point. `dateTime`
    ///   attributes compare chronologically, offsets and fractions honoured; a value or literal
    ///   that is not RFC 3339 does not match, nor does `co`/`sw`/`ew` on a `dateTime`. Numbers
    ///   compare numerically. Booleans support `eq` and `ne` only.
    /// - `pr` matches a value that is not null, `""`, `[]` or `{}` (for an array: any element that
    ///   is not). `eq null` matches exactly when `pr` does not, `ne null` exactly when it does.
    /// - A type mismatch (a string literal against a number, `gt` on a boolean, any operator but
    ///   `eq`/`ne` with `null`, …) simply does not match; it is not an error. `not` negates that.
    /// - A value path `emails[…]` matches when some element (an object) matches the inner filter,
    ///   whose paths are read in the element and typed as sub-attributes (`emails.type`).
    pub fn matches(&self, resource: &Value, types: &dyn AttributeTypes) -> bool {
        Scope {
            node: resource,
            types,
            outer: None,
        }
        .test(self)
    }
}

/// True when `element`, one value of the multi-valued attribute `outer` (no sub-attribute),
/// matches `filter` as the inside of `outer[filter]` would: paths are read in the element and
/// typed as sub-attributes of `outer`. Only objects match.
pub(crate) fn matches_element(
    filter: &Filter,
    element: &Value,
    outer: &AttrPath,
    types: &dyn AttributeTypes,
) -> bool {
    element.is_object()
        && Scope {
            node: element,
            types,
            outer: Some(outer),
        }
        .test(filter)
}

/// The values `path` designates in `resource`, as a mapping source reads them: the attribute
/// (or each element's `sub_attr`), and with `filter`, only the elements of the multi-valued
/// attribute that match it (`emails[type eq "work"].value`).
pub(crate) fn select<'v>(
    resource: &'v Value,
    path: &AttrPath,
    filter: Option<&Filter>,
    sub_attr: Option<&str>,
    types: &'v dyn AttributeTypes,
) -> Vec<&'v Value> {
    let scope = Scope {
        node: resource,
        types,
        outer: None,
    };
    let Some(filter) = filter else {
        return scope.resolve(path);
    };
    scope
        .resolve(path)
        .into_iter()
        .flat_map(|value| match value {
            Value::Array(items) => items.iter().collect::<Vec<_>>(),
            other => vec![other],
        })
        .filter(|element| matches_element(filter, element, path, types))
        .filter_map(|element| match sub_attr {
            Some(sub) => field(element, sub),
            None => Some(element),
        })
        .collect()
}

/// Where paths are read: the resource, or one element inside the value path `outer`.
struct Scope<'a> {
    node: &'a Value,
    types: &'a dyn AttributeTypes,
    outer: Option<&'a AttrPath>,
}

/// The member `name` of an object, matched exactly first, then ignoring ASCII case.
pub(crate) fn field<'v>(value: &'v Value, name: &str) -> Option<&'v Value> {
    let object = value.as_object()?;
    object.get(name).or_else(|| {
        object
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, v)| v)
    })
}

fn is_empty(value: &Value) -> bool {
    match value {
        Value::Null => true,
        Value::String(s) => s.is_empty(),
        Value::Array(items) => items.is_empty(),
        Value::Object(members) => members.is_empty(),
        Value::Bool(_) | Value::Number(_) => false,
    }
}

fn is_present(value: &Value) -> bool {
    match value {
        Value::Array(items) => items.iter().any(|item| !is_empty(item)),
        other => !is_empty(other),
    }
}

impl<'a> Scope<'a> {
    fn test(&self, filter: &Filter) -> bool {
        match filter {
            Filter::Compare {
                path,
                op,
                value: CompValue::Null,
            } => match op {
                CompareOp::Eq => !self.present(path),
                CompareOp::Ne => self.present(path),
                _ => false,
            },
            Filter::Compare { path, op, value } => self.compare(path, *op, value),
            Filter::Present { path } => self.present(path),
            Filter::And(operands) => operands.as_slice().iter().all(|f| self.test(f)),
            Filter::Or(operands) => operands.as_slice().iter().any(|f| self.test(f)),
            Filter::Not(inner) => !self.test(inner),
            Filter::ValuePath { path, filter } => self.resolve(path).into_iter().any(|value| {
                let elements = match value {
                    Value::Array(items) => items.as_slice(),
                    other => std::slice::from_ref(other),
                };
                elements.iter().filter(|e| e.is_object()).any(|element| {
                    Scope {
                        node: element,
                        types: self.types,
                        outer: Some(path),
                    }
                    .test(filter)
                })
            }),
        }
    }

    /// The raw values at `path`: the attribute, or each of its elements' sub-attribute.
    fn resolve(&self, path: &AttrPath) -> Vec<&'a Value> {
        let base = match &path.schema {
            None => Some(self.node),
            Some(urn) => field(self.node, urn)
                .or_else(|| self.types.is_core_schema(urn).then_some(self.node)),
        };
        let Some(value) = base.and_then(|base| field(base, &path.attr)) else {
            return Vec::new();
        };
        match (&path.sub_attr, value) {
            (None, value) => vec![value],
            (Some(sub), Value::Array(items)) => {
                items.iter().filter_map(|item| field(item, sub)).collect()
            }
            (Some(sub), value) => field(value, sub).into_iter().collect(),
        }
    }

    fn present(&self, path: &AttrPath) -> bool {
        self.resolve(path).into_iter().any(is_present)
    }

    /// The type of `path`, read as a sub-attribute of the value path this scope is inside.
    fn attribute_type(&self, path: &AttrPath) -> AttrType {
        match self.outer {
            Some(outer)
                if path.schema.is_none() && path.sub_attr.is_none() && outer.sub_attr.is_none() =>
            {
                self.types.attribute_type(&AttrPath {
                    schema: outer.schema.clone(),
                    attr: outer.attr.clone(),
                    sub_attr: Some(path.attr.clone()),
                })
            }
            _ => self.types.attribute_type(path),
        }
    }

    fn compare(&self, path: &AttrPath, op: CompareOp, literal: &CompValue) -> bool {
        let direct = self.attribute_type(path);
        // A complex value stands for its `value` sub-attribute, typed as such.
        let complex = path.sub_attr.is_none().then(|| {
            self.attribute_type(&AttrPath {
                sub_attr: Some("value".into()),
                ..path.clone()
            })
        });
        let of_value = |value: &Value| match (value, complex) {
            (Value::Object(_), Some(ty)) => {
                field(value, "value").is_some_and(|inner| holds(op, literal, inner, ty))
            }
            _ => holds(op, literal, value, direct),
        };
        self.resolve(path).into_iter().any(|value| match value {
            Value::Array(items) => items.iter().any(&of_value),
            other => of_value(other),
        })
    }
}

/// Whether `actual op literal` holds for one value of the given type.
fn holds(op: CompareOp, literal: &CompValue, actual: &Value, ty: AttrType) -> bool {
    match (literal, actual) {
        (CompValue::String(literal), Value::String(actual)) if ty.date_time => {
            !op.is_substring()
                && match (parse_date_time(actual), parse_date_time(literal)) {
                    (Some(actual), Some(literal)) => ordered(op, actual.cmp(&literal)),
                    _ => false,
                }
        }
        (CompValue::String(literal), Value::String(actual)) if ty.case_exact => {
            strings(op, actual, literal)
        }
        (CompValue::String(literal), Value::String(actual)) => {
            strings(op, &actual.to_lowercase(), &literal.to_lowercase())
        }
        (CompValue::Number(literal), Value::Number(actual)) => {
            !op.is_substring() && numbers(actual, literal).is_some_and(|order| ordered(op, order))
        }
        (CompValue::Bool(literal), Value::Bool(actual)) => match op {
            CompareOp::Eq => actual == literal,
            CompareOp::Ne => actual != literal,
            _ => false,
        },
        _ => false,
    }
}

fn strings(op: CompareOp, actual: &str, literal: &str) -> bool {
    match op {
        CompareOp::Co => actual.contains(literal),
        CompareOp::Sw => actual.starts_with(literal),
        CompareOp::Ew => actual.ends_with(literal),
        _ => ordered(op, actual.cmp(literal)),
    }
}

/// Whether an ordering satisfies an ordering operator (never a substring one).
fn ordered(op: CompareOp, order: Ordering) -> bool {
    match op {
        CompareOp::Eq => order == Ordering::Equal,
        CompareOp::Ne => order != Ordering::Equal,
        CompareOp::Gt => order == Ordering::Greater,
        CompareOp::Ge => order != Ordering::Less,
        CompareOp::Lt => order == Ordering::Less,
        CompareOp::Le => order != Ordering::Greater,
        CompareOp::Co | CompareOp::Sw | CompareOp::Ew => false,
    }
}

/// Orders two JSON numbers: exactly when both are integers, else as floats.
fn numbers(a: &Number, b: &Number) -> Option<Ordering> {
    match (a.as_i64(), b.as_i64(), a.as_u64(), b.as_u64()) {
        (Some(a), Some(b), _, _) => Some(a.cmp(&b)),
        (_, _, Some(a), Some(b)) => Some(a.cmp(&b)),
        (Some(_), None, _, Some(_)) => Some(Ordering::Less),
        (None, Some(_), Some(_), _) => Some(Ordering::Greater),
        _ => a.as_f64()?.partial_cmp(&b.as_f64()?),
    }
}
