//! SCIM filters (RFC 7644 §3.4.2.2): [`parse`] a filter string into a [`Filter`], evaluate it
//! against a resource with [`Filter::matches`], or translate it into SQL with
//! [`Filter::to_sql`].
//!
//! # Grammar
//!
//! The whole ABNF of RFC 7644 Figure 1: comparisons `eq ne co sw ew gt lt ge le`, presence
//! `pr`, `and`, `or`, `not ( … )` (precedence `not` > `and` > `or`), grouping with parentheses,
//! value paths `emails[type eq "work" and value co "@example.com"]` (no value path inside
//! another), sub-attributes `name.familyName`, and schema-qualified names
//! `urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber`, whose schema is
//! everything before the last `:`. Keywords, operators and attribute names are
//! case-insensitive; names keep the spelling given. Values are JSON literals: strings with every
//! JSON escape, numbers, and `true`, `false`, `null` in any case. Tokens may be separated by any
//! run of spaces, tabs or line breaks, also around parentheses and brackets. The PATCH-only
//! form `emails[type eq "work"].value` is refused. The bare words `not`, `and` and `or` are
//! keywords, never attribute names.
//!
//! Every failure is an `invalid_filter` error whose `reason` is one of `too_long`, `empty`,
//! `too_deep`, `unexpected_token`, `unexpected_end`, `unterminated_string`, `invalid_escape`,
//! `control_character`, `invalid_attribute`, `missing_operator`, `unknown_operator`,
//! `missing_value`, `invalid_value`, `invalid_number`, `nested_value_path` or
//! `value_path_sub_attribute`, and whose message gives the byte offset. A filter is at most
//! [`max_filter_bytes`](crate::limits::Limits::max_filter_bytes) long and nests at most
//! [`max_filter_depth`](crate::limits::Limits::max_filter_depth) levels (each group,
//! `not ( … )` and value path is one level; never more than [`DEPTH_CEILING`]), checked before
//! descending, so parsing never needs a deep stack. `and` and `or` chains are flat
//! ([`Operands`]): a long list of alternatives does not deepen the tree either.
//!
//! # JSON form
//!
//! A [`Filter`] serialises as one object of these shapes (attribute paths as
//! `{"schema"?, "attr", "sub_attr"?}`):
//!
//! ```json
//! {"op": "eq", "path": {"attr": "userName"}, "value": "bjensen"}
//! {"op": "pr", "path": {"attr": "title"}}
//! {"and": [filter, filter, …]}
//! {"or": [filter, filter, …]}
//! {"not": filter}
//! {"path": {"attr": "emails"}, "filter": filter}
//! ```
//!
//! `Display` prints the canonical filter string, which parses back to the same AST (for any AST
//! that parsing or deserialisation yields, nested within the depth limit).

mod datetime;
mod eval;
mod parse;
mod sql;

pub use eval::{AttrType, AttributeTypes, CoreSchemas};
pub use parse::parse;
pub(crate) use parse::parse_attr_path;
pub use sql::{
    ChildTable, Column, ColumnKind, ColumnMap, Dialect, Mapping, ReferenceColumns, SqlFragment,
    SqlParam,
};

use crate::error::{Error, ErrorCode};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use std::hash::{Hash, Hasher};

/// The deepest nesting honoured whatever
/// [`Limits::max_filter_depth`](crate::limits::Limits::max_filter_depth) says.
pub const DEPTH_CEILING: usize = 64;

/// A parsed SCIM filter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Filter {
    /// `path op value`, e.g. `userName eq "bjensen"`.
    Compare {
        /// The attribute compared.
        path: AttrPath,
        /// The comparison operator.
        op: CompareOp,
        /// The literal compared with.
        value: CompValue,
    },
    /// `path pr`: the attribute has a non-empty value.
    Present {
        /// The attribute tested.
        path: AttrPath,
    },
    /// Every operand matches.
    And(Operands),
    /// At least one operand matches.
    Or(Operands),
    /// `not ( … )`.
    Not(Box<Filter>),
    /// `path[filter]`: some element of a multi-valued attribute matches `filter`, whose paths
    /// are relative to the element.
    ValuePath {
        /// The multi-valued attribute.
        path: AttrPath,
        /// The filter each element is tested against.
        filter: Box<Filter>,
    },
}

/// The two or more operands of `and` or `or`, in order.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(try_from = "Vec<Filter>")]
pub struct Operands(Vec<Filter>);

impl Operands {
    /// Two operands.
    pub fn new(first: Filter, second: Filter) -> Self {
        Self(vec![first, second])
    }

    /// Appends one more operand.
    pub fn push(&mut self, operand: Filter) {
        self.0.push(operand);
    }

    /// The operands, in order.
    pub fn as_slice(&self) -> &[Filter] {
        &self.0
    }
}

impl TryFrom<Vec<Filter>> for Operands {
    type Error = String;

    fn try_from(operands: Vec<Filter>) -> Result<Self, String> {
        if operands.len() < 2 {
            return Err(format!(
                "`and` and `or` take at least two operands, not {}",
                operands.len()
            ));
        }
        Ok(Self(operands))
    }
}

impl Serialize for Operands {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(serializer)
    }
}

/// An attribute path: an optional schema URN, an attribute, an optional sub-attribute.
/// Equality and hashing ignore ASCII case, as SCIM names do.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(try_from = "RawAttrPath")]
pub struct AttrPath {
    /// The schema URN (`urn:ietf:params:scim:schemas:core:2.0:User`), when given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub schema: Option<String>,
    /// The attribute name (`emails`).
    pub attr: String,
    /// The sub-attribute name (`value` in `emails.value`), when given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sub_attr: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAttrPath {
    #[serde(default)]
    schema: Option<String>,
    attr: String,
    #[serde(default)]
    sub_attr: Option<String>,
}

impl TryFrom<RawAttrPath> for AttrPath {
    type Error = String;

    fn try_from(raw: RawAttrPath) -> Result<Self, String> {
        let path = AttrPath {
            schema: raw.schema,
            attr: raw.attr,
            sub_attr: raw.sub_attr,
        };
        parse::check_attr_path(&path)?;
        Ok(path)
    }
}

impl AttrPath {
    /// A path of one attribute name, without schema or sub-attribute.
    pub fn new(attr: impl Into<String>) -> Self {
        Self {
            schema: None,
            attr: attr.into(),
            sub_attr: None,
        }
    }
}

fn eq_opt(a: &Option<String>, b: &Option<String>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => a.eq_ignore_ascii_case(b),
        (None, None) => true,
        _ => false,
    }
}

impl PartialEq for AttrPath {
    fn eq(&self, other: &Self) -> bool {
        self.attr.eq_ignore_ascii_case(&other.attr)
            && eq_opt(&self.schema, &other.schema)
            && eq_opt(&self.sub_attr, &other.sub_attr)
    }
}

impl Eq for AttrPath {}

impl Hash for AttrPath {
    fn hash<H: Hasher>(&self, state: &mut H) {
        for part in [
            self.schema.as_deref(),
            Some(&self.attr),
            self.sub_attr.as_deref(),
        ] {
            match part {
                Some(part) => {
                    state.write_u8(1);
                    for byte in part.bytes() {
                        state.write_u8(byte.to_ascii_lowercase());
                    }
                }
                None => state.write_u8(0),
            }
        }
    }
}

impl fmt::Display for AttrPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(schema) = &self.schema {
            write!(f, "{schema}:")?;
        }
        f.write_str(&self.attr)?;
        if let Some(sub) = &self.sub_attr {
            write!(f, ".{sub}")?;
        }
        Ok(())
    }
}

/// A comparison operator; serialised and printed in lowercase.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CompareOp {
    /// Equal.
    Eq,
    /// Not equal.
    Ne,
    /// Contains (strings).
    Co,
    /// Starts with (strings).
    Sw,
    /// Ends with (strings).
    Ew,
    /// Greater than.
    Gt,
    /// Less than.
    Lt,
    /// Greater than or equal.
    Ge,
    /// Less than or equal.
    Le,
}

impl CompareOp {
    /// Every operator, in RFC order.
    pub const ALL: [CompareOp; 9] = [
        Self::Eq,
        Self::Ne,
        Self::Co,
        Self::Sw,
        Self::Ew,
        Self::Gt,
        Self::Lt,
        Self::Ge,
        Self::Le,
    ];

    /// The lowercase keyword (`eq`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Eq => "eq",
            Self::Ne => "ne",
            Self::Co => "co",
            Self::Sw => "sw",
            Self::Ew => "ew",
            Self::Gt => "gt",
            Self::Lt => "lt",
            Self::Ge => "ge",
            Self::Le => "le",
        }
    }

    /// True for `co`, `sw` and `ew`, which only apply to strings.
    fn is_substring(self) -> bool {
        matches!(self, Self::Co | Self::Sw | Self::Ew)
    }
}

/// A literal compared with: serialised as the plain JSON value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum CompValue {
    /// `null`.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A JSON number.
    Number(serde_json::Number),
    /// A JSON string, unescaped.
    String(String),
}

impl fmt::Display for CompValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Null => f.write_str("null"),
            Self::Bool(b) => write!(f, "{b}"),
            Self::Number(n) => write!(f, "{n}"),
            Self::String(s) => write!(f, "{}", serde_json::Value::from(s.as_str())),
        }
    }
}

impl fmt::Display for Filter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Compare { path, op, value } => write!(f, "{path} {} {value}", op.as_str()),
            Self::Present { path } => write!(f, "{path} pr"),
            Self::And(operands) => write_chain(f, operands, "and"),
            Self::Or(operands) => write_chain(f, operands, "or"),
            Self::Not(inner) => write!(f, "not ({inner})"),
            Self::ValuePath { path, filter } => write!(f, "{path}[{filter}]"),
        }
    }
}

/// Writes an `and`/`or` chain, grouping the operands that would otherwise merge into it: any
/// `or` operand, and an `and` operand of `and` (so the AST round-trips unchanged).
fn write_chain(f: &mut fmt::Formatter<'_>, operands: &Operands, keyword: &str) -> fmt::Result {
    for (i, operand) in operands.as_slice().iter().enumerate() {
        if i > 0 {
            write!(f, " {keyword} ")?;
        }
        let group = match operand {
            Filter::Or(_) => true,
            Filter::And(_) => keyword == "and",
            _ => false,
        };
        if group {
            write!(f, "({operand})")?;
        } else {
            write!(f, "{operand}")?;
        }
    }
    Ok(())
}

impl Serialize for Filter {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let entries = match self {
            Self::Compare { .. } => 3,
            Self::Present { .. } | Self::ValuePath { .. } => 2,
            Self::And(_) | Self::Or(_) | Self::Not(_) => 1,
        };
        let mut map = serializer.serialize_map(Some(entries))?;
        match self {
            Self::Compare { path, op, value } => {
                map.serialize_entry("op", op)?;
                map.serialize_entry("path", path)?;
                map.serialize_entry("value", value)?;
            }
            Self::Present { path } => {
                map.serialize_entry("op", "pr")?;
                map.serialize_entry("path", path)?;
            }
            Self::And(operands) => map.serialize_entry("and", operands)?,
            Self::Or(operands) => map.serialize_entry("or", operands)?,
            Self::Not(inner) => map.serialize_entry("not", inner)?,
            Self::ValuePath { path, filter } => {
                map.serialize_entry("path", path)?;
                map.serialize_entry("filter", filter)?;
            }
        }
        map.end()
    }
}

/// `op` of the JSON form: a comparison operator or `pr`.
#[derive(Deserialize)]
#[serde(rename_all = "lowercase")]
enum RawOp {
    Pr,
    #[serde(untagged)]
    Compare(CompareOp),
}

/// Every key of every JSON shape; the combination present picks the variant.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFilter {
    #[serde(default)]
    op: Option<RawOp>,
    #[serde(default)]
    path: Option<AttrPath>,
    #[serde(default, deserialize_with = "some_value")]
    value: Option<CompValue>,
    #[serde(default)]
    and: Option<Operands>,
    #[serde(default)]
    or: Option<Operands>,
    #[serde(default)]
    not: Option<Box<Filter>>,
    #[serde(default)]
    filter: Option<Box<Filter>>,
}

/// Reads `"value": null` as `Some(CompValue::Null)`, not as a missing value.
fn some_value<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<CompValue>, D::Error> {
    CompValue::deserialize(deserializer).map(Some)
}

impl<'de> Deserialize<'de> for Filter {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let RawFilter {
            op,
            path,
            value,
            and,
            or,
            not,
            filter,
        } = RawFilter::deserialize(deserializer)?;
        let filter = match (op, path, value, and, or, not, filter) {
            (Some(RawOp::Compare(op)), Some(path), Some(value), None, None, None, None) => {
                Filter::Compare { path, op, value }
            }
            (Some(RawOp::Pr), Some(path), None, None, None, None, None) => Filter::Present { path },
            (None, None, None, Some(operands), None, None, None) => Filter::And(operands),
            (None, None, None, None, Some(operands), None, None) => Filter::Or(operands),
            (None, None, None, None, None, Some(inner), None) => Filter::Not(inner),
            (None, Some(path), None, None, None, None, Some(filter)) => {
                Filter::ValuePath { path, filter }
            }
            _ => {
                return Err(serde::de::Error::custom(
                    "a filter is one of {op, path, value}, {op: \"pr\", path}, {and}, {or}, \
                     {not} or {path, filter}",
                ))
            }
        };
        Ok(filter)
    }
}

/// An `invalid_filter` error with a reason.
fn invalid(reason: &str, message: impl Into<String>) -> Error {
    Error::new(ErrorCode::InvalidFilter, message).because(reason)
}

#[cfg(test)]
mod tests;
