//! The statements that list one org's SCIM resources over the reference tables: the total and
//! one page, filtered ([`Filter::to_sql`] over [`ReferenceColumns`]), sorted by the rules of
//! [`sort`](super::sort), and paged with `LIMIT`/`OFFSET`.

use super::sort::{columns_of, kinds_of, resolve, Sort, SortColumn};
use super::{table, Builder, Statement};
use crate::error::{Error, Result};
use crate::scim::filter::{
    AttrPath, Column, ColumnKind, ColumnMap, Dialect, Filter, Mapping, ReferenceColumns, SqlParam,
};
use crate::scim::protocol::{ResourceKind, SortOrder};
use serde::Serialize;

/// What to list: one org's resources of one type (or of both), filtered, sorted, paged.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScimListQuery {
    /// The org whose resources are listed.
    pub org_id: String,
    /// `User` or `Group`; `None` lists both together (a root-level `.search`).
    pub kind: Option<ResourceKind>,
    /// The filter; `None` lists everything.
    pub filter: Option<Filter>,
    /// `sortBy` and `sortOrder`.
    pub sort: Sort,
    /// Zero-based position of the page's first resource.
    pub offset: u64,
    /// At most this many resources.
    pub limit: u64,
}

/// The two statements of a list.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ListStatements {
    /// One row, one column `total`: how many resources match.
    pub count: Statement,
    /// The page, in order, one row per resource: `kind` (`User` or `Group`), `id`,
    /// `created_at` and `updated_at` (microseconds since the Unix epoch in both dialects),
    /// `version` and `resource` (the stored JSON text).
    pub page: Statement,
}

/// The statements that count and list `query`'s resources. Without a kind, Users and Groups
/// are listed together (`UNION ALL`), each row naming its kind; the filter applies per type,
/// an attribute only the other type has being one without a value (so `userName eq "x"`
/// matches no Group, `not (userName eq "x")` every Group); a filter that still cannot apply to
/// one type (a value path into the other type's multi-valued attribute) matches none of that
/// type. Errors: the filter's (`invalid_filter`, with an attribute neither listed type has,
/// `unsupported_attribute`), and `invalid_value` at `sortBy` for an attribute no listed type
/// sorts on. PostgreSQL compares text with `COLLATE "C"` (code points, like SQLite); its
/// `lower()` also folds non-ASCII letters, where SQLite's and [`scim_sort`](super::scim_sort)
/// fold ASCII only.
pub fn scim_list(dialect: Dialect, query: &ScimListQuery) -> Result<ListStatements> {
    let kinds = kinds_of(query.kind);
    let sort_columns = match &query.sort.by {
        Some(by) => Some(resolve(by, &kinds)?),
        None => None,
    };
    let conditions = conditions(dialect, query, &kinds)?;
    let mut count_branches = Vec::new();
    let mut page_branches = Vec::new();
    let mut count_params = Vec::new();
    let mut page_params = Vec::new();
    // The key's type: the same column kind in every type that has the attribute.
    let key_kind = sort_columns
        .iter()
        .flatten()
        .flatten()
        .map(|column| column.kind)
        .next();
    for (i, (kind, (condition, params))) in kinds.iter().zip(conditions).enumerate() {
        let t = table(*kind);
        let mut all = vec![SqlParam::Text(query.org_id.clone())];
        all.extend(params);
        let filter = format!("WHERE {t}.org_id = ? AND {condition}");
        count_branches.push(format!("SELECT 1 AS one FROM {t} {filter}"));
        count_params.extend(all.iter().cloned());
        let column = sort_columns
            .as_ref()
            .and_then(|columns| columns.get(i))
            .and_then(Option::as_ref);
        let key = match key_kind {
            Some(key_kind) => format!(", {} AS sort_key", key_sql(dialect, t, column, key_kind)),
            None => String::new(),
        };
        page_branches.push(format!(
            "SELECT '{}' AS kind, {t}.id AS id, {} AS created_at, {} AS updated_at, \
             {t}.version AS version, {t}.resource AS resource{key} FROM {t} {filter}",
            kind.name(),
            micros(dialect, &format!("{t}.created_at")),
            micros(dialect, &format!("{t}.updated_at")),
        ));
        page_params.extend(all);
    }
    let collate = match dialect {
        Dialect::Sqlite => "",
        Dialect::Postgres => " COLLATE \"C\"",
    };
    let mut order = Vec::new();
    if let Some(key_kind) = key_kind {
        let direction = match query.sort.order {
            SortOrder::Ascending => "ASC",
            SortOrder::Descending => "DESC",
        };
        let key_collate = match key_kind {
            ColumnKind::Text { .. } => collate,
            _ => "",
        };
        order.push(format!(
            "CASE WHEN sort_key IS NULL THEN 1 ELSE 0 END {direction}"
        ));
        order.push(format!("sort_key{key_collate} {direction}"));
    }
    order.push("created_at".into());
    order.push(format!("id{collate}"));
    order.push(format!("kind{collate}"));
    page_params.push(SqlParam::Integer(clamp(query.limit)));
    page_params.push(SqlParam::Integer(clamp(query.offset)));
    let mut b = Builder::new(dialect);
    b.push(
        &format!(
            "SELECT count(*) AS total FROM ({}) AS listed",
            count_branches.join(" UNION ALL ")
        ),
        count_params,
    );
    b.push(
        &format!(
            "SELECT kind, id, created_at, updated_at, version, resource FROM ({}) AS listed \
             ORDER BY {} LIMIT ? OFFSET ?",
            page_branches.join(" UNION ALL "),
            order.join(", ")
        ),
        page_params,
    );
    let mut statements = b.statements.into_iter();
    match (statements.next(), statements.next()) {
        (Some(count), Some(page)) => Ok(ListStatements { count, page }),
        _ => Err(Error::new(
            crate::error::ErrorCode::Internal,
            "the list statements were not built",
        )),
    }
}

fn clamp(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

/// A timestamp column as microseconds since the Unix epoch.
fn micros(dialect: Dialect, column: &str) -> String {
    match dialect {
        Dialect::Sqlite => column.to_string(),
        Dialect::Postgres => format!("CAST(EXTRACT(EPOCH FROM {column}) * 1000000 AS BIGINT)"),
    }
}

/// A typed SQL `NULL` of a column kind (timestamps as they are stored).
fn null_of(dialect: Dialect, kind: ColumnKind) -> &'static str {
    match (kind, dialect) {
        (ColumnKind::Text { .. }, _) => "CAST(NULL AS TEXT)",
        (ColumnKind::Boolean | ColumnKind::DateTime, Dialect::Sqlite) => "CAST(NULL AS INTEGER)",
        (ColumnKind::Number, Dialect::Sqlite) => "CAST(NULL AS REAL)",
        (ColumnKind::Boolean, Dialect::Postgres) => "CAST(NULL AS BOOLEAN)",
        (ColumnKind::DateTime, Dialect::Postgres) => "CAST(NULL AS TIMESTAMPTZ)",
        (ColumnKind::Number, Dialect::Postgres) => "CAST(NULL AS NUMERIC)",
    }
}

/// The sort key of a row of `table`: its column, empty text as `NULL`, folded to lowercase
/// unless case-exact; a typed `NULL` where the type lacks the attribute.
fn key_sql(dialect: Dialect, table: &str, column: Option<&SortColumn>, kind: ColumnKind) -> String {
    let Some(column) = column else {
        return match (kind, dialect) {
            (ColumnKind::DateTime, Dialect::Postgres) => "CAST(NULL AS BIGINT)".to_string(),
            _ => null_of(dialect, kind).to_string(),
        };
    };
    let col = format!("{table}.{}", column.name);
    match column.kind {
        ColumnKind::Text { case_exact: false } => format!("lower(NULLIF({col}, ''))"),
        ColumnKind::Text { case_exact: true } => format!("NULLIF({col}, '')"),
        ColumnKind::DateTime => micros(dialect, &col),
        ColumnKind::Boolean | ColumnKind::Number => col,
    }
}

/// The filter's condition and parameters for each of `kinds`, `?` placeholders.
fn conditions(
    dialect: Dialect,
    query: &ScimListQuery,
    kinds: &[ResourceKind],
) -> Result<Vec<(String, Vec<SqlParam>)>> {
    let Some(filter) = &query.filter else {
        return Ok(kinds
            .iter()
            .map(|_| ("1 = 1".to_string(), Vec::new()))
            .collect());
    };
    let translated: Vec<Result<(String, Vec<SqlParam>)>> = kinds
        .iter()
        .map(|kind| {
            let fragment = match query.kind {
                Some(_) => filter.to_sql(&columns_of(*kind), dialect),
                None => filter.to_sql(&RootColumns::new(*kind, dialect), dialect),
            }?;
            Ok((unnumber(&fragment.sql), fragment.params))
        })
        .collect();
    let any_ok = translated.iter().any(Result::is_ok);
    translated
        .into_iter()
        .map(|result| match result {
            Err(e) if any_ok && e.reason.as_deref() == Some("unsupported_attribute") => {
                Ok(("0 = 1".to_string(), Vec::new()))
            }
            other => other,
        })
        .collect()
}

/// A fragment's numbered PostgreSQL placeholders (`$1`, each once, in order) back to `?`, so
/// that the whole statement is numbered at once. Values only travel as parameters, so `$`
/// appears in no other role.
fn unnumber(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len());
    let mut chars = sql.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '$' && chars.peek().is_some_and(char::is_ascii_digit) {
            while chars.peek().is_some_and(char::is_ascii_digit) {
                chars.next();
            }
            out.push('?');
        } else {
            out.push(c);
        }
    }
    out
}

/// The columns of one type in a search over both: its own, and for an attribute only the
/// other type has, a typed `NULL` (an attribute without a value here).
struct RootColumns {
    own: ReferenceColumns,
    other: ReferenceColumns,
    dialect: Dialect,
}

impl RootColumns {
    fn new(kind: ResourceKind, dialect: Dialect) -> Self {
        let other = match kind {
            ResourceKind::User => ResourceKind::Group,
            ResourceKind::Group => ResourceKind::User,
        };
        Self {
            own: columns_of(kind),
            other: columns_of(other),
            dialect,
        }
    }

    /// The kind of the other type's column for `path` (a multi-valued attribute by its
    /// `value`, a sub-attribute by its own column), if it has one.
    fn other_kind(&self, path: &AttrPath) -> Option<ColumnKind> {
        let element_kind = |mapping: Mapping<'_>, sub: &str| match mapping {
            Mapping::Table(table) => match table.columns.resolve(&AttrPath::new(sub)) {
                Some(Mapping::Column(column)) => Some(column.kind),
                _ => None,
            },
            Mapping::Column(_) => None,
        };
        match (self.other.resolve(path), &path.sub_attr) {
            (Some(Mapping::Column(column)), _) => Some(column.kind),
            (Some(table), _) => element_kind(table, "value"),
            (None, Some(sub)) => {
                let parent = AttrPath {
                    sub_attr: None,
                    ..path.clone()
                };
                element_kind(self.other.resolve(&parent)?, sub)
            }
            (None, None) => None,
        }
    }
}

impl ColumnMap for RootColumns {
    fn resolve(&self, path: &AttrPath) -> Option<Mapping<'_>> {
        if let Some(mapping) = self.own.resolve(path) {
            return Some(mapping);
        }
        let kind = self.other_kind(path)?;
        Some(Mapping::Column(Column {
            expr: null_of(self.dialect, kind).to_string(),
            kind,
        }))
    }
}
