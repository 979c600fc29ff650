//! Sorting SCIM resources (RFC 7644 §3.4.2.3) by the reference tables' columns: which
//! attributes sort, and the order applied in memory ([`scim_sort`]) by the same rules as the
//! `ORDER BY` of [`scim_list`](super::scim_list), for hosts that keep resources without SQL.
//!
//! The rules: `sortBy` names a single-valued attribute that has a column in the reference
//! tables ([`ReferenceColumns`]): `id`, `externalId`, `displayName`, `meta.created`,
//! `meta.lastModified`, and for Users `userName`, `name.givenName`, `name.familyName` and
//! `active`; multi-valued attributes (`emails`, `members`) and attributes without a column do
//! not sort (`invalid_value` at `sortBy`). Strings compare by code point, ASCII letters folded
//! to lowercase unless the attribute is case-exact (`id`, `externalId`), as SQLite's `lower()`
//! does; booleans `false` before `true`; timestamps in time order. A resource without the
//! value (absent, `null`, an empty string or a value of another type, as the tables store it)
//! sorts last in ascending order and first in descending order. Ties, and every list without
//! `sortBy`, are ordered by creation time, then id, then resource type, ascending.

use super::{column_value, StoredScim};
use crate::error::{Error, ErrorCode, Result};
use crate::scim::filter::{AttrPath, ColumnKind, ColumnMap, Mapping, ReferenceColumns, SqlParam};
use crate::scim::protocol::{sort_by_of, sort_order_of, ResourceKind, SortOrder};
use serde::Deserialize;
use serde_json::Value;
use std::cmp::Ordering;

/// `sortBy` and `sortOrder` of a list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Sort {
    /// The attribute sorted on; `None` keeps the default order (creation time, id).
    pub by: Option<AttrPath>,
    /// Ascending (the default) or descending.
    pub order: SortOrder,
}

impl Sort {
    /// Reads `sortBy` and `sortOrder` as SCIM sends them: `invalid_value` at `sortBy` for a
    /// text that is no attribute path, at `sortOrder` for anything but `ascending` or
    /// `descending` (in any case).
    pub fn parse(sort_by: Option<&str>, sort_order: Option<&str>) -> Result<Self> {
        Ok(Self {
            by: sort_by.map(sort_by_of).transpose()?,
            order: sort_order
                .map(sort_order_of)
                .transpose()?
                .unwrap_or_default(),
        })
    }
}

/// A sortable attribute of one resource type: its column and how its values compare.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct SortColumn {
    /// The column's name in the resource type's table (`user_name`).
    pub(super) name: String,
    /// How its values compare.
    pub(super) kind: ColumnKind,
}

/// The reference column map of a resource type.
pub(super) fn columns_of(kind: ResourceKind) -> ReferenceColumns {
    match kind {
        ResourceKind::User => ReferenceColumns::Users,
        ResourceKind::Group => ReferenceColumns::Groups,
    }
}

/// The column `path` sorts on in `kind`'s table, if it names a single-valued attribute there.
fn sort_column(kind: ResourceKind, path: &AttrPath) -> Option<SortColumn> {
    match columns_of(kind).resolve(path)? {
        Mapping::Column(column) => Some(SortColumn {
            name: column.expr.rsplit('.').next()?.to_string(),
            kind: column.kind,
        }),
        Mapping::Table(_) => None,
    }
}

/// The column `path` sorts on for each of `kinds` (`None` where that type lacks it);
/// `invalid_value` at `sortBy` when none of them can sort on it.
pub(super) fn resolve(path: &AttrPath, kinds: &[ResourceKind]) -> Result<Vec<Option<SortColumn>>> {
    let columns: Vec<_> = kinds.iter().map(|kind| sort_column(*kind, path)).collect();
    if columns.iter().all(Option::is_none) {
        let names: Vec<&str> = kinds.iter().map(|kind| kind.name()).collect();
        return Err(Error::new(
            ErrorCode::InvalidValue,
            format!(
                "`{path}` cannot be sorted on for {}: only single-valued attributes with a \
                 column sort",
                names.join(" or ")
            ),
        )
        .at("sortBy"));
    }
    Ok(columns)
}

/// The resource types a list covers: `kind`, or both.
pub(super) fn kinds_of(kind: Option<ResourceKind>) -> Vec<ResourceKind> {
    kind.map_or_else(
        || vec![ResourceKind::User, ResourceKind::Group],
        |k| vec![k],
    )
}

/// A resource to sort in memory, with what its reference-table row would hold.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SortItem {
    /// `User` or `Group`.
    pub kind: ResourceKind,
    /// The resource's id.
    pub id: String,
    /// Creation time, microseconds since the Unix epoch.
    pub created_at: i64,
    /// Last modification time, microseconds since the Unix epoch.
    pub updated_at: i64,
    /// The resource document.
    pub resource: Value,
}

impl From<&StoredScim> for SortItem {
    fn from(stored: &StoredScim) -> Self {
        Self {
            kind: stored.kind,
            id: stored.id.clone(),
            created_at: stored.created_at,
            updated_at: stored.updated_at,
            resource: stored.resource.clone(),
        }
    }
}

/// A sort value as the SQL compares it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Key {
    Bool(bool),
    Int(i64),
    Text(String),
}

/// The value `item` has in `column`, as its row would hold it and the sort key would read it.
fn key_of(item: &SortItem, column: &SortColumn) -> Option<Key> {
    let value = match column.name.as_str() {
        "id" => SqlParam::Text(item.id.clone()),
        "created_at" => SqlParam::Integer(item.created_at),
        "updated_at" => SqlParam::Integer(item.updated_at),
        name => column_value(&item.resource, name),
    };
    match (value, column.kind) {
        (SqlParam::Text(text), _) if text.is_empty() => None,
        (SqlParam::Text(text), ColumnKind::Text { case_exact: false }) => {
            Some(Key::Text(text.to_ascii_lowercase()))
        }
        (SqlParam::Text(text), _) => Some(Key::Text(text)),
        (SqlParam::Bool(b), _) => Some(Key::Bool(b)),
        (SqlParam::Integer(n), _) => Some(Key::Int(n)),
        (SqlParam::Real(_) | SqlParam::Null, _) => None,
    }
}

/// `a` before `b` by their keys: values ascending, missing ones last, all reversed for
/// descending order.
fn by_key(a: Option<&Key>, b: Option<&Key>, order: SortOrder) -> Ordering {
    let ascending = match (a, b) {
        (Some(a), Some(b)) => a.cmp(b),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    };
    match order {
        SortOrder::Ascending => ascending,
        SortOrder::Descending => ascending.reverse(),
    }
}

/// The tie-break: creation time, id, resource type, ascending.
fn tie_break(a: &SortItem, b: &SortItem) -> Ordering {
    a.created_at
        .cmp(&b.created_at)
        .then_with(|| a.id.cmp(&b.id))
        .then_with(|| a.kind.name().cmp(b.kind.name()))
}

/// The positions of `items` in list order: sorted by `sort` as [`scim_list`](super::scim_list)'s
/// SQL orders them (see the module docs), `kind` being the listed type (`None`: Users and
/// Groups together). `invalid_value` at `sortBy` when no listed type can sort on it.
pub fn scim_sort(
    items: &[SortItem],
    kind: Option<ResourceKind>,
    sort: &Sort,
) -> Result<Vec<usize>> {
    if let Some(by) = &sort.by {
        resolve(by, &kinds_of(kind))?;
    }
    let mut keyed: Vec<(usize, Option<Key>, &SortItem)> = items
        .iter()
        .enumerate()
        .map(|(i, item)| {
            let key = sort
                .by
                .as_ref()
                .and_then(|by| sort_column(item.kind, by))
                .and_then(|column| key_of(item, &column));
            (i, key, item)
        })
        .collect();
    keyed.sort_by(|(_, ka, a), (_, kb, b)| {
        by_key(ka.as_ref(), kb.as_ref(), sort.order).then_with(|| tie_break(a, b))
    });
    Ok(keyed.into_iter().map(|(i, _, _)| i).collect())
}
