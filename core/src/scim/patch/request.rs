//! Reading a PATCH request body (RFC 7644 §3.5.2) into operations.

use super::path::{parse_path, PatchPath};
use super::tolerance::PatchTolerance;
use crate::error::{Error, ErrorCode, Result};
use crate::limits::Limits;
use crate::scim::filter::{field, AttrPath, CompValue, Filter, Operands};
use serde_json::Value;

/// The message schema every PATCH body lists in `schemas`.
pub const PATCH_OP_URN: &str = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

/// A PATCH operation's kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PatchOp {
    /// `add`: set a single value, append to a multi-valued attribute, merge a complex one.
    Add,
    /// `replace`: replace the target's value (merging a complex attribute's sub-attributes).
    Replace,
    /// `remove`: unassign the target, or remove the selected elements.
    Remove,
}

impl PatchOp {
    /// The RFC's lowercase name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Add => "add",
            Self::Replace => "replace",
            Self::Remove => "remove",
        }
    }
}

/// One operation of a PATCH request.
#[derive(Debug, Clone, PartialEq)]
pub struct PatchOperation {
    /// What to do.
    pub op: PatchOp,
    /// Where; `None` means the resource itself (then `value` is an object of attributes).
    pub path: Option<PatchPath>,
    /// The value; always present for `add` (never `null`) and `replace` (`null` unassigns),
    /// present for `remove` only under [`PatchTolerance::remove_by_value`].
    pub value: Option<Value>,
}

/// A parsed PATCH request: its operations, in order.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PatchRequest {
    /// The operations, applied in order.
    pub operations: Vec<PatchOperation>,
}

/// An `invalid_patch` error at `path`.
fn invalid(path: &str, message: impl Into<String>) -> Error {
    Error::new(ErrorCode::InvalidPatch, message).at(path)
}

impl PatchRequest {
    /// Reads a PATCH body `{"schemas": [PatchOp URN], "Operations": [{"op", "path"?, "value"?}]}`.
    /// Member names match case-insensitively (RFC 7643 §2.1) and unknown members are ignored.
    ///
    /// Errors: `invalid_patch` for a body that is not an object, lacks the PatchOp schema or
    /// `Operations`, has an empty list (unless [`PatchTolerance::empty_operations`]), an
    /// operation that is not an object, an unknown or wrongly cased `op`, a `path` that is not a
    /// string, `add`/`replace` without `value`, a path-less `add`/`replace` whose value is not an
    /// object, or `remove` with a `value` not allowed by [`PatchTolerance::remove_by_value`];
    /// `no_target` for `remove` without `path`; `invalid_path` from [`parse_path`];
    /// `limit_exceeded` past [`Limits::max_patch_operations`]. Each error's `path` names the
    /// operation (`Operations[2].path`).
    pub fn parse(body: &Value, tolerance: &PatchTolerance, limits: &Limits) -> Result<Self> {
        if !body.is_object() {
            return Err(invalid("", "a PATCH body is a JSON object"));
        }
        let schemas = field(body, "schemas").and_then(Value::as_array);
        let listed = schemas.is_some_and(|schemas| {
            schemas
                .iter()
                .filter_map(Value::as_str)
                .any(|s| s.eq_ignore_ascii_case(PATCH_OP_URN))
        });
        if !listed {
            return Err(invalid(
                "schemas",
                format!("`schemas` must list `{PATCH_OP_URN}`"),
            ));
        }
        let Some(operations) = field(body, "Operations").and_then(Value::as_array) else {
            return Err(invalid(
                "Operations",
                "`Operations` must be an array of operations",
            ));
        };
        if operations.len() > limits.max_patch_operations {
            return Err(Error::new(
                ErrorCode::LimitExceeded,
                format!(
                    "{} operations; the limit is {}",
                    operations.len(),
                    limits.max_patch_operations
                ),
            )
            .at("Operations"));
        }
        if operations.is_empty() && !tolerance.empty_operations {
            return Err(invalid(
                "Operations",
                "`Operations` must hold at least one operation",
            ));
        }
        let operations = operations
            .iter()
            .enumerate()
            .map(|(i, op)| parse_operation(op, &format!("Operations[{i}]"), tolerance, limits))
            .collect::<Result<_>>()?;
        Ok(Self { operations })
    }
}

fn parse_op(name: &str, tolerance: &PatchTolerance) -> Option<PatchOp> {
    [PatchOp::Add, PatchOp::Replace, PatchOp::Remove]
        .into_iter()
        .find(|op| {
            op.as_str() == name || (tolerance.op_any_case && op.as_str().eq_ignore_ascii_case(name))
        })
}

fn parse_operation(
    operation: &Value,
    at: &str,
    tolerance: &PatchTolerance,
    limits: &Limits,
) -> Result<PatchOperation> {
    if !operation.is_object() {
        return Err(invalid(at, "an operation is a JSON object"));
    }
    let op_at = format!("{at}.op");
    let name = field(operation, "op")
        .and_then(Value::as_str)
        .ok_or_else(|| invalid(&op_at, "`op` must be a string"))?;
    let op = parse_op(name, tolerance).ok_or_else(|| {
        invalid(
            &op_at,
            format!("`{name}` is not an operation (add, replace, remove)"),
        )
    })?;
    let path_at = format!("{at}.path");
    let path = match field(operation, "path") {
        None | Some(Value::Null) => None,
        Some(Value::String(text)) => {
            let path = parse_path(text, limits).map_err(|e| e.at(path_at.clone()))?;
            Some(if tolerance.string_booleans {
                boolean_literals(path)
            } else {
                path
            })
        }
        Some(_) => return Err(invalid(&path_at, "`path` must be a string")),
    };
    let value = match (op, field(operation, "value")) {
        (PatchOp::Remove | PatchOp::Add, Some(Value::Null)) | (_, None) => None,
        (_, Some(value)) => Some(value.clone()),
    };
    let value_at = format!("{at}.value");
    match (op, &path, &value) {
        (PatchOp::Add | PatchOp::Replace, _, None) => {
            return Err(invalid(
                &value_at,
                format!("`{}` needs a `value`", op.as_str()),
            ))
        }
        (PatchOp::Add | PatchOp::Replace, None, Some(value)) if !value.is_object() => {
            return Err(invalid(
                &value_at,
                format!(
                    "a `{}` without `path` takes an object of attributes",
                    op.as_str()
                ),
            ))
        }
        (PatchOp::Remove, None, _) => {
            return Err(Error::new(ErrorCode::NoTarget, "`remove` needs a `path`").at(path_at))
        }
        (PatchOp::Remove, Some(path), Some(_)) => {
            if !tolerance.remove_by_value {
                return Err(invalid(&value_at, "`remove` takes no `value`"));
            }
            if path.filter.is_some() || path.attr.sub_attr.is_some() {
                return Err(invalid(
                    &value_at,
                    "a `remove` with a `value` names a multi-valued attribute, without filter \
                     or sub-attribute",
                ));
            }
        }
        _ => {}
    }
    Ok(PatchOperation { op, path, value })
}

/// Under [`PatchTolerance::string_booleans`], the filter of a path compares the core schema's
/// booleans with booleans: Entra ID addresses an app role as `roles[primary eq "True"].value`
/// although the element it created holds `"primary": true`.
fn boolean_literals(path: PatchPath) -> PatchPath {
    fn convert(filter: Filter) -> Filter {
        match filter {
            Filter::Compare {
                path,
                op,
                value: CompValue::String(text),
            } if is_core_boolean(&path)
                && (text.eq_ignore_ascii_case("true") || text.eq_ignore_ascii_case("false")) =>
            {
                Filter::Compare {
                    path,
                    op,
                    value: CompValue::Bool(text.eq_ignore_ascii_case("true")),
                }
            }
            Filter::And(operands) => Filter::And(convert_all(operands)),
            Filter::Or(operands) => Filter::Or(convert_all(operands)),
            Filter::Not(inner) => Filter::Not(Box::new(convert(*inner))),
            Filter::ValuePath { path, filter } => Filter::ValuePath {
                path,
                filter: Box::new(convert(*filter)),
            },
            other => other,
        }
    }
    fn convert_all(operands: Operands) -> Operands {
        let converted: Vec<Filter> = operands.as_slice().iter().cloned().map(convert).collect();
        // As many filters as before, so at least two: the conversion cannot fail.
        Operands::try_from(converted).unwrap_or(operands)
    }
    /// Inside a value filter, `primary` (of any multi-valued attribute) and `active`.
    fn is_core_boolean(path: &AttrPath) -> bool {
        let leaf = path.sub_attr.as_deref().unwrap_or(&path.attr);
        leaf.eq_ignore_ascii_case("primary") || leaf.eq_ignore_ascii_case("active")
    }
    PatchPath {
        filter: path.filter.map(convert),
        ..path
    }
}
