//! Translating a filter into a parameterised SQL `WHERE` fragment for SQLite or PostgreSQL.

use super::datetime::parse_date_time;
use super::eval::{GROUP_URN, USER_URN};
use super::{invalid, AttrPath, CompValue, CompareOp, Filter, Operands};
use crate::error::{Error, Result};
use serde::{Deserialize, Serialize};
use std::fmt::Write;

/// The SQL dialect: it decides the placeholders and a few operators.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Dialect {
    /// SQLite: `?` placeholders.
    Sqlite,
    /// PostgreSQL: `$1`, `$2`, … placeholders, numbered from 1.
    Postgres,
}

/// A boolean SQL expression and its parameters, in placeholder order. Values only ever travel
/// as parameters. The fragment is self-contained (a compound is parenthesised), so a host may
/// write `WHERE org_id = … AND <sql>`; with PostgreSQL its own placeholders then continue at
/// `$<params.len() + 1>`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SqlFragment {
    /// The expression.
    pub sql: String,
    /// The parameters to bind.
    pub params: Vec<SqlParam>,
}

/// One parameter; serialised as the plain JSON value.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum SqlParam {
    /// A boolean (SQLite stores it as 0 or 1).
    Bool(bool),
    /// An integer; also a SQLite timestamp, in microseconds since the Unix epoch.
    Integer(i64),
    /// A floating-point number.
    Real(f64),
    /// Text; also a PostgreSQL timestamp, as RFC 3339 text cast with `::timestamptz`.
    Text(String),
    /// SQL `NULL` (an attribute without a value, in a stored row).
    Null,
}

/// How a column's values compare.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnKind {
    /// Text, compared through `lower()` unless case-exact.
    Text {
        /// Compare exactly rather than case-insensitively.
        case_exact: bool,
    },
    /// A boolean.
    Boolean,
    /// A number.
    Number,
    /// A timestamp: SQLite `INTEGER` microseconds since the Unix epoch, PostgreSQL
    /// `timestamptz`.
    DateTime,
}

/// A column holding a single-valued attribute.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    /// The column as written in SQL, e.g. `scim_users.user_name`.
    pub expr: String,
    /// How its values compare.
    pub kind: ColumnKind,
}

/// A child table holding a multi-valued attribute, one row per value: tested as
/// `EXISTS (SELECT 1 FROM <from> WHERE <join> AND …)`.
pub struct ChildTable<'a> {
    /// The table and its alias, e.g. `scim_user_emails e`.
    pub from: String,
    /// The condition tying a row to the resource, e.g. `e.user_id = scim_users.id`.
    pub join: String,
    /// The columns of the sub-attributes (`value`, `type`, …), named without schema.
    pub columns: &'a dyn ColumnMap,
}

/// Where an attribute is stored.
pub enum Mapping<'a> {
    /// In a column of the resource's row.
    Column(Column),
    /// In a child table.
    Table(ChildTable<'a>),
}

/// The host's SQL schema: where each attribute path is stored. A multi-valued attribute
/// resolves to its [`ChildTable`], whose own map resolves its sub-attributes; a path that
/// resolves to nothing is refused as `unsupported_attribute`.
pub trait ColumnMap {
    /// Where `path` (case-insensitive) is stored, if anywhere.
    fn resolve(&self, path: &AttrPath) -> Option<Mapping<'_>>;
}

/// The reference schema, one map per resource type. Timestamps are `INTEGER` microseconds
/// since the Unix epoch in SQLite and `timestamptz` in PostgreSQL; `active` and
/// `primary_flag` are booleans (0/1 in SQLite); everything else is text. The host scopes by
/// `org_id` itself: it is not a SCIM attribute.
///
/// ```sql
/// scim_users(id, org_id, user_name, external_id, display_name, given_name, family_name,
///            active, created_at, updated_at)
/// scim_user_emails(user_id, value, type, primary_flag)
/// scim_groups(id, org_id, display_name, external_id, created_at, updated_at)
/// scim_group_members(group_id, member_id, member_type)
/// ```
///
/// Attributes and their columns:
/// - `id`, `externalId` (both case-exact), `displayName`: `id`, `external_id`, `display_name`;
/// - `meta.created`, `meta.lastModified`: `created_at`, `updated_at`;
/// - Users: `userName`, `name.givenName`, `name.familyName`, `active`: `user_name`,
///   `given_name`, `family_name`, `active`; `emails` in `scim_user_emails e`, its `value`,
///   `type` and `primary` in `e.value`, `e.type`, `e.primary_flag`;
/// - Groups: `members` in `scim_group_members m`, its `value` and `type` in `m.member_id` and
///   `m.member_type`.
///
/// Attributes may carry the core schema URN of their resource type; any other URN (the
/// enterprise extension among them) has no column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReferenceColumns {
    /// `scim_users` and `scim_user_emails`.
    Users,
    /// `scim_groups` and `scim_group_members`.
    Groups,
}

const TEXT: ColumnKind = ColumnKind::Text { case_exact: false };
const EXACT: ColumnKind = ColumnKind::Text { case_exact: true };

fn column(table: &str, name: &str, kind: ColumnKind) -> Option<Mapping<'static>> {
    Some(Mapping::Column(Column {
        expr: format!("{table}.{name}"),
        kind,
    }))
}

/// The lowercase attribute and sub-attribute of `path`, if its schema is `urn` or absent.
fn names(path: &AttrPath, urn: Option<&str>) -> Option<(String, Option<String>)> {
    match (&path.schema, urn) {
        (None, _) => {}
        (Some(schema), Some(urn)) if schema.eq_ignore_ascii_case(urn) => {}
        _ => return None,
    }
    let sub = path.sub_attr.as_deref().map(str::to_ascii_lowercase);
    Some((path.attr.to_ascii_lowercase(), sub))
}

impl ColumnMap for ReferenceColumns {
    fn resolve(&self, path: &AttrPath) -> Option<Mapping<'_>> {
        use ReferenceColumns::{Groups, Users};
        let (table, urn) = match self {
            Users => ("scim_users", USER_URN),
            Groups => ("scim_groups", GROUP_URN),
        };
        let (attr, sub) = names(path, Some(urn))?;
        match (self, attr.as_str(), sub.as_deref()) {
            (_, "id", None) => column(table, "id", EXACT),
            (_, "externalid", None) => column(table, "external_id", EXACT),
            (_, "displayname", None) => column(table, "display_name", TEXT),
            (_, "meta", Some("created")) => column(table, "created_at", ColumnKind::DateTime),
            (_, "meta", Some("lastmodified")) => column(table, "updated_at", ColumnKind::DateTime),
            (Users, "username", None) => column(table, "user_name", TEXT),
            (Users, "name", Some("givenname")) => column(table, "given_name", TEXT),
            (Users, "name", Some("familyname")) => column(table, "family_name", TEXT),
            (Users, "active", None) => column(table, "active", ColumnKind::Boolean),
            (Users, "emails", None) => Some(Mapping::Table(ChildTable {
                from: "scim_user_emails e".into(),
                join: "e.user_id = scim_users.id".into(),
                columns: &UserEmails,
            })),
            (Groups, "members", None) => Some(Mapping::Table(ChildTable {
                from: "scim_group_members m".into(),
                join: "m.group_id = scim_groups.id".into(),
                columns: &GroupMembers,
            })),
            _ => None,
        }
    }
}

/// The sub-attributes of `emails` in `scim_user_emails e`.
struct UserEmails;

impl ColumnMap for UserEmails {
    fn resolve(&self, path: &AttrPath) -> Option<Mapping<'_>> {
        match names(path, None)? {
            (attr, None) if attr == "value" => column("e", "value", TEXT),
            (attr, None) if attr == "type" => column("e", "type", TEXT),
            (attr, None) if attr == "primary" => column("e", "primary_flag", ColumnKind::Boolean),
            _ => None,
        }
    }
}

/// The sub-attributes of `members` in `scim_group_members m`.
struct GroupMembers;

impl ColumnMap for GroupMembers {
    fn resolve(&self, path: &AttrPath) -> Option<Mapping<'_>> {
        match names(path, None)? {
            (attr, None) if attr == "value" => column("m", "member_id", TEXT),
            (attr, None) if attr == "type" => column("m", "member_type", TEXT),
            _ => None,
        }
    }
}

impl Filter {
    /// Translates the filter into a `WHERE` fragment over the tables `columns` describes,
    /// with the same semantics as [`Filter::matches`]:
    ///
    /// - text compares as `lower(col) = lower(?)` unless case-exact; `co`, `sw`, `ew` as
    ///   `lower(col) LIKE lower(?) ESCAPE '\'`, the parameter's `\`, `%` and `_` escaped
    ///   (case-exact: `col LIKE ?` in PostgreSQL, `col GLOB ?` with `*`, `?`, `[` escaped in
    ///   SQLite, whose `LIKE` ignores case); timestamps compare as timestamps; `pr` is
    ///   `col IS NOT NULL` (and `col <> ''` for text); `eq null` its negation;
    /// - a multi-valued attribute is `EXISTS (SELECT 1 FROM <child> WHERE <join> AND …)`, its
    ///   `value` column standing for the attribute itself (`emails co "x"`);
    /// - `not (f)` is `NOT COALESCE(f, FALSE)`, so that a comparison with NULL, which matches
    ///   nothing, is negated as in evaluation.
    ///
    /// Differences: SQLite's `lower()` folds ASCII only; string order follows the columns'
    /// collation; timestamps keep microseconds. Errors are `invalid_filter` with reason
    /// `unsupported_attribute` (no column), `type_mismatch` (an operator or value the column's
    /// type does not support, e.g. `gt` on a boolean, a number against text, any operator but
    /// `eq`/`ne` with `null`) or `invalid_value` (a timestamp that is not RFC 3339).
    pub fn to_sql(&self, columns: &dyn ColumnMap, dialect: Dialect) -> Result<SqlFragment> {
        let mut out = Sql {
            dialect,
            sql: String::new(),
            params: Vec::new(),
        };
        out.filter(self, columns)?;
        Ok(SqlFragment {
            sql: out.sql,
            params: out.params,
        })
    }
}

/// What is asked of an attribute.
#[derive(Clone, Copy)]
enum Test<'f> {
    Present,
    Absent,
    Compare(CompareOp, &'f CompValue),
}

struct Sql {
    dialect: Dialect,
    sql: String,
    params: Vec<SqlParam>,
}

fn unsupported(path: &AttrPath, why: &str) -> Error {
    invalid(
        "unsupported_attribute",
        format!("`{path}` cannot be filtered here: {why}"),
    )
}

fn mismatch(column: &Column, op: CompareOp, value: &CompValue) -> Error {
    invalid(
        "type_mismatch",
        format!(
            "`{} {value}` does not apply to {} ({:?})",
            op.as_str(),
            column.expr,
            column.kind
        ),
    )
}

fn symbol(op: CompareOp) -> &'static str {
    match op {
        CompareOp::Eq => "=",
        CompareOp::Ne => "<>",
        CompareOp::Gt => ">",
        CompareOp::Ge => ">=",
        CompareOp::Lt => "<",
        CompareOp::Le => "<=",
        CompareOp::Co | CompareOp::Sw | CompareOp::Ew => "LIKE",
    }
}

/// Wraps an escaped pattern for `co` (`*x*`), `sw` (`x*`) or `ew` (`*x`), `wild` being `%` or
/// `*`.
fn affix(op: CompareOp, escaped: String, wild: char) -> String {
    match op {
        CompareOp::Sw => format!("{escaped}{wild}"),
        CompareOp::Ew => format!("{wild}{escaped}"),
        _ => format!("{wild}{escaped}{wild}"),
    }
}

fn like_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '\\' | '%' | '_') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

fn glob_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '*' | '?' | '[' => {
                out.push('[');
                out.push(c);
                out.push(']');
            }
            c => out.push(c),
        }
    }
    out
}

impl Sql {
    /// Adds a parameter; returns its placeholder.
    fn param(&mut self, param: SqlParam) -> String {
        self.params.push(param);
        match self.dialect {
            Dialect::Sqlite => "?".into(),
            Dialect::Postgres => format!("${}", self.params.len()),
        }
    }

    fn filter(&mut self, filter: &Filter, columns: &dyn ColumnMap) -> Result<()> {
        match filter {
            Filter::Compare { path, op, value } => {
                let test = match (op, value) {
                    (CompareOp::Eq, CompValue::Null) => Test::Absent,
                    (CompareOp::Ne, CompValue::Null) => Test::Present,
                    _ => Test::Compare(*op, value),
                };
                self.attribute(path, test, columns)
            }
            Filter::Present { path } => self.attribute(path, Test::Present, columns),
            Filter::And(operands) => self.chain(operands, " AND ", columns),
            Filter::Or(operands) => self.chain(operands, " OR ", columns),
            Filter::Not(inner) => {
                self.sql.push_str("NOT COALESCE(");
                self.filter(inner, columns)?;
                self.sql.push_str(", FALSE)");
                Ok(())
            }
            Filter::ValuePath { path, filter } => match columns.resolve(path) {
                Some(Mapping::Table(table)) => {
                    self.open_exists(&table);
                    self.sql.push_str(" AND ");
                    self.filter(filter, table.columns)?;
                    self.sql.push(')');
                    Ok(())
                }
                _ => Err(unsupported(
                    path,
                    "a value path needs a multi-valued attribute",
                )),
            },
        }
    }

    fn chain(&mut self, operands: &Operands, joint: &str, columns: &dyn ColumnMap) -> Result<()> {
        self.sql.push('(');
        for (i, operand) in operands.as_slice().iter().enumerate() {
            if i > 0 {
                self.sql.push_str(joint);
            }
            self.filter(operand, columns)?;
        }
        self.sql.push(')');
        Ok(())
    }

    fn open_exists(&mut self, table: &ChildTable<'_>) {
        let _ = write!(
            self.sql,
            "EXISTS (SELECT 1 FROM {} WHERE {}",
            table.from, table.join
        );
    }

    /// A test of one attribute: a column, a multi-valued attribute as a whole (its `value`),
    /// or a sub-attribute of a multi-valued attribute (`emails.type`).
    fn attribute(
        &mut self,
        path: &AttrPath,
        test: Test<'_>,
        columns: &dyn ColumnMap,
    ) -> Result<()> {
        match columns.resolve(path) {
            Some(Mapping::Column(column)) => self.column(&column, test),
            Some(Mapping::Table(table)) => self.element(&table, None, test, path),
            None => {
                let parent = AttrPath {
                    sub_attr: None,
                    ..path.clone()
                };
                match (&path.sub_attr, columns.resolve(&parent)) {
                    (Some(sub), Some(Mapping::Table(table))) => {
                        self.element(&table, Some(sub), test, path)
                    }
                    _ => Err(unsupported(path, "no column holds it")),
                }
            }
        }
    }

    /// `EXISTS` a row of `table` whose `sub` (else its `value`) passes `test`; for `pr` on
    /// the whole attribute, any row.
    fn element(
        &mut self,
        table: &ChildTable<'_>,
        sub: Option<&String>,
        test: Test<'_>,
        path: &AttrPath,
    ) -> Result<()> {
        let (negate, test) = match test {
            Test::Absent => (true, Test::Present),
            other => (false, other),
        };
        let column = match (sub, test) {
            (None, Test::Present) => None,
            _ => {
                let name = AttrPath::new(sub.map_or("value", String::as_str));
                match table.columns.resolve(&name) {
                    Some(Mapping::Column(column)) => Some(column),
                    _ => return Err(unsupported(path, "no column holds it")),
                }
            }
        };
        if negate {
            self.sql.push_str("NOT ");
        }
        self.open_exists(table);
        if let Some(column) = column {
            self.sql.push_str(" AND ");
            self.column(&column, test)?;
        }
        self.sql.push(')');
        Ok(())
    }

    fn column(&mut self, column: &Column, test: Test<'_>) -> Result<()> {
        let col = &column.expr;
        let text = matches!(column.kind, ColumnKind::Text { .. });
        match test {
            Test::Present if text => {
                let _ = write!(self.sql, "({col} IS NOT NULL AND {col} <> '')");
            }
            Test::Present => {
                let _ = write!(self.sql, "{col} IS NOT NULL");
            }
            Test::Absent if text => {
                let _ = write!(self.sql, "({col} IS NULL OR {col} = '')");
            }
            Test::Absent => {
                let _ = write!(self.sql, "{col} IS NULL");
            }
            Test::Compare(op, value) => self.compare(column, op, value)?,
        }
        Ok(())
    }

    fn compare(&mut self, column: &Column, op: CompareOp, value: &CompValue) -> Result<()> {
        let col = &column.expr;
        let sql = match (column.kind, value) {
            (ColumnKind::Text { case_exact }, CompValue::String(text)) => {
                self.text(col, case_exact, op, text)
            }
            (ColumnKind::Boolean, CompValue::Bool(b))
                if matches!(op, CompareOp::Eq | CompareOp::Ne) =>
            {
                let p = self.param(SqlParam::Bool(*b));
                format!("{col} {} {p}", symbol(op))
            }
            (ColumnKind::Number, CompValue::Number(n)) if !op.is_substring() => {
                let param = match (n.as_i64(), n.as_f64()) {
                    (Some(i), _) => SqlParam::Integer(i),
                    (None, Some(f)) => SqlParam::Real(f),
                    (None, None) => return Err(mismatch(column, op, value)),
                };
                let p = self.param(param);
                format!("{col} {} {p}", symbol(op))
            }
            (ColumnKind::DateTime, CompValue::String(text)) if !op.is_substring() => {
                let Some(instant) = parse_date_time(text) else {
                    return Err(invalid(
                        "invalid_value",
                        format!("{value} is not an RFC 3339 date-time"),
                    ));
                };
                match self.dialect {
                    Dialect::Sqlite => {
                        let p = self.param(SqlParam::Integer(instant.unix_micros()));
                        format!("{col} {} {p}", symbol(op))
                    }
                    Dialect::Postgres => {
                        let p = self.param(SqlParam::Text(text.to_ascii_uppercase()));
                        format!("{col} {} {p}::timestamptz", symbol(op))
                    }
                }
            }
            _ => return Err(mismatch(column, op, value)),
        };
        self.sql.push_str(&sql);
        Ok(())
    }

    fn text(&mut self, col: &str, case_exact: bool, op: CompareOp, text: &str) -> String {
        if !op.is_substring() {
            let p = self.param(SqlParam::Text(text.to_string()));
            return if case_exact {
                format!("{col} {} {p}", symbol(op))
            } else {
                format!("lower({col}) {} lower({p})", symbol(op))
            };
        }
        match (case_exact, self.dialect) {
            (false, _) => {
                let p = self.param(SqlParam::Text(affix(op, like_escape(text), '%')));
                format!("lower({col}) LIKE lower({p}) ESCAPE '\\'")
            }
            (true, Dialect::Postgres) => {
                let p = self.param(SqlParam::Text(affix(op, like_escape(text), '%')));
                format!("{col} LIKE {p} ESCAPE '\\'")
            }
            (true, Dialect::Sqlite) => {
                let p = self.param(SqlParam::Text(affix(op, glob_escape(text), '*')));
                format!("{col} GLOB {p}")
            }
        }
    }
}
