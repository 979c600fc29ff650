//! Query parameters (RFC 7644 §3.4.2, §3.9) from a query string or a `.search` body.

use super::excerpt;
use super::percent::decode;
use crate::error::{Error, ErrorCode, Result};
use crate::limits::Limits;
use crate::scim::filter::{self, parse_attr_path, AttrPath, Filter};
use serde::Serialize;
use serde_json::{Map, Value};
use std::ops::Range;

/// Which attributes a response carries (RFC 7644 §3.9), as [`project`](super::project) applies
/// them. `attributes` and `excludedAttributes` are comma-separated attribute paths, optionally
/// schema-qualified (`urn:…:enterprise:2.0:User:employeeNumber`) or naming a sub-attribute
/// (`name.givenName`); blanks around commas and empty entries are skipped. When both are
/// given, both apply: the named attributes, less the excluded ones.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Projection {
    /// `attributes`: return only these (and those always returned).
    pub attributes: Vec<AttrPath>,
    /// `excludedAttributes`: do not return these (unless always returned).
    pub excluded_attributes: Vec<AttrPath>,
}

/// `sortOrder`: `ascending` (the default) or `descending`, in any case.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SortOrder {
    /// Smallest first.
    #[default]
    Ascending,
    /// Largest first.
    Descending,
}

/// A list query: `GET /Users?…` or the body of `POST /Users/.search`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ListQuery {
    /// `filter`, parsed with [`filter::parse`]; `None` lists everything.
    pub filter: Option<Filter>,
    /// `startIndex`, 1-based; absent or below 1 reads as 1 (RFC 7644 §3.4.2.4).
    pub start_index: usize,
    /// `count`: at most this many resources; negative reads as 0, absent or above
    /// [`max_page_size`](crate::limits::Limits::max_page_size) as that limit.
    pub count: usize,
    /// `sortBy`, an attribute path; `None` leaves the order to the host.
    pub sort_by: Option<AttrPath>,
    /// `sortOrder`; meaningful with `sort_by` only.
    pub sort_order: SortOrder,
    /// `attributes` and `excludedAttributes`.
    pub projection: Projection,
}

impl ListQuery {
    /// The zero-based positions of this page in a result of `total` resources (empty past the
    /// end), for slicing or for `OFFSET`/`LIMIT`.
    pub fn page(&self, total: usize) -> Range<usize> {
        let start = self.start_index.saturating_sub(1).min(total);
        start..start.saturating_add(self.count).min(total)
    }
}

/// The names of the parameters read, in the case RFC 7644 spells them.
const NAMES: [&str; 7] = [
    "filter",
    "startIndex",
    "count",
    "sortBy",
    "sortOrder",
    "attributes",
    "excludedAttributes",
];

/// The known parameters of a query string, still as text, indexed like [`NAMES`].
#[derive(Debug, Default)]
pub(super) struct Params([Option<String>; 7]);

impl Params {
    /// Decodes a query string; see the module docs of [`super`] for the rules.
    pub(super) fn read(query: Option<&str>, limits: &Limits) -> Result<Self> {
        let mut params = Self::default();
        let Some(query) = query else {
            return Ok(params);
        };
        if query.len() > limits.max_scim_query_bytes {
            return Err(Error::new(
                ErrorCode::LimitExceeded,
                format!(
                    "the query string is {} bytes; the limit is {}",
                    query.len(),
                    limits.max_scim_query_bytes
                ),
            ));
        }
        let query = query.strip_prefix('?').unwrap_or(query);
        for pair in query.split('&').filter(|pair| !pair.is_empty()) {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            let Some(index) = decode(name, true)
                .and_then(|name| NAMES.iter().position(|n| n.eq_ignore_ascii_case(&name)))
            else {
                continue;
            };
            let name = NAMES.get(index).copied().unwrap_or_default();
            let value = decode(value, true).ok_or_else(|| {
                Error::new(
                    ErrorCode::InvalidSyntax,
                    format!(
                        "the query parameter `{}` is not well percent-encoded UTF-8",
                        excerpt(pair)
                    ),
                )
                .at(name)
            })?;
            if let Some(slot) = params.0.get_mut(index) {
                if slot.is_some() {
                    return Err(Error::new(
                        ErrorCode::InvalidSyntax,
                        format!("the query parameter `{name}` is given more than once"),
                    )
                    .at(name));
                }
                *slot = Some(value);
            }
        }
        Ok(params)
    }

    fn get(&self, name: &str) -> Option<&str> {
        let index = NAMES.iter().position(|n| *n == name)?;
        self.0.get(index)?.as_deref()
    }

    /// True when the query has a `filter`.
    pub(super) fn has_filter(&self) -> bool {
        self.get("filter").is_some()
    }

    /// `attributes` and `excludedAttributes`.
    pub(super) fn projection(&self) -> Result<Projection> {
        Ok(Projection {
            attributes: paths_of_text("attributes", self.get("attributes"))?,
            excluded_attributes: paths_of_text(
                "excludedAttributes",
                self.get("excludedAttributes"),
            )?,
        })
    }

    /// Every list parameter.
    pub(super) fn list_query(&self, limits: &Limits) -> Result<ListQuery> {
        let start_index = self
            .get("startIndex")
            .map(|text| integer_of_text("startIndex", text))
            .transpose()?;
        let count = self
            .get("count")
            .map(|text| integer_of_text("count", text))
            .transpose()?;
        Ok(ListQuery {
            filter: self
                .get("filter")
                .map(|text| filter::parse(text, limits))
                .transpose()?,
            start_index: start_index_of(start_index),
            count: count_of(count, limits),
            sort_by: self.get("sortBy").map(|t| path("sortBy", t)).transpose()?,
            sort_order: self
                .get("sortOrder")
                .map(sort_order_of)
                .transpose()?
                .unwrap_or_default(),
            projection: self.projection()?,
        })
    }
}

/// Reads the body of a `.search` request (RFC 7644 §3.4.3); member names ignore ASCII case.
pub(super) fn search_query(body: &Map<String, Value>, limits: &Limits) -> Result<ListQuery> {
    let member = |name: &str| {
        body.iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value)
            .filter(|value| !value.is_null())
    };
    let text = |name: &str| -> Result<Option<&str>> {
        member(name)
            .map(|value| value.as_str().ok_or_else(|| wrong_type(name, "a string")))
            .transpose()
    };
    let integer = |name: &str| -> Result<Option<i64>> {
        member(name)
            .map(|value| match value {
                Value::Number(n) if n.is_i64() || n.is_u64() => Ok(n.as_i64().unwrap_or(i64::MAX)),
                _ => Err(wrong_type(name, "an integer")),
            })
            .transpose()
    };
    let paths = |name: &str| -> Result<Vec<AttrPath>> {
        let Some(value) = member(name) else {
            return Ok(Vec::new());
        };
        let items = value
            .as_array()
            .ok_or_else(|| wrong_type(name, "an array of strings"))?;
        let mut paths = Vec::with_capacity(items.len());
        for item in items {
            let item = item
                .as_str()
                .ok_or_else(|| wrong_type(name, "an array of strings"))?;
            paths.extend(paths_of_text(name, Some(item))?);
        }
        Ok(paths)
    };
    Ok(ListQuery {
        filter: text("filter")?
            .map(|t| filter::parse(t, limits))
            .transpose()?,
        start_index: start_index_of(integer("startIndex")?),
        count: count_of(integer("count")?, limits),
        sort_by: text("sortBy")?.map(|t| path("sortBy", t)).transpose()?,
        sort_order: text("sortOrder")?
            .map(sort_order_of)
            .transpose()?
            .unwrap_or_default(),
        projection: Projection {
            attributes: paths("attributes")?,
            excluded_attributes: paths("excludedAttributes")?,
        },
    })
}

fn wrong_type(name: &str, expected: &str) -> Error {
    Error::new(
        ErrorCode::InvalidSyntax,
        format!("`{name}` of a search request must be {expected}"),
    )
    .at(name)
}

fn start_index_of(given: Option<i64>) -> usize {
    given
        .map(|n| usize::try_from(n.max(1)).unwrap_or(usize::MAX))
        .unwrap_or(1)
}

fn count_of(given: Option<i64>, limits: &Limits) -> usize {
    given
        .map(|n| usize::try_from(n.max(0)).unwrap_or(usize::MAX))
        .unwrap_or(usize::MAX)
        .min(limits.max_page_size)
}

/// An optionally signed decimal integer, saturating at the bounds of `i64`.
fn integer_of_text(name: &str, text: &str) -> Result<i64> {
    let trimmed = text.trim();
    let (negative, digits) = match trimmed.strip_prefix('-') {
        Some(digits) => (true, digits),
        None => (false, trimmed.strip_prefix('+').unwrap_or(trimmed)),
    };
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(Error::new(
            ErrorCode::InvalidValue,
            format!("`{name}` must be an integer, not `{}`", excerpt(text)),
        )
        .at(name));
    }
    let magnitude = digits.bytes().fold(0i64, |n, digit| {
        n.saturating_mul(10).saturating_add(i64::from(digit - b'0'))
    });
    Ok(if negative { -magnitude } else { magnitude })
}

/// Reads `sortOrder` (`ascending` or `descending`, in any case); `invalid_value` otherwise.
pub(crate) fn sort_order_of(text: &str) -> Result<SortOrder> {
    match text.trim() {
        t if t.eq_ignore_ascii_case("ascending") => Ok(SortOrder::Ascending),
        t if t.eq_ignore_ascii_case("descending") => Ok(SortOrder::Descending),
        _ => Err(Error::new(
            ErrorCode::InvalidValue,
            format!(
                "`sortOrder` is `ascending` or `descending`, not `{}`",
                excerpt(text)
            ),
        )
        .at("sortOrder")),
    }
}

/// Reads `sortBy` as an attribute path; `invalid_value` at `sortBy` when it is none.
pub(crate) fn sort_by_of(text: &str) -> Result<AttrPath> {
    path("sortBy", text)
}

fn path(name: &str, text: &str) -> Result<AttrPath> {
    let text = text.trim();
    parse_attr_path(text).map_err(|why| {
        Error::new(
            ErrorCode::InvalidValue,
            format!(
                "`{}` in `{name}` is not an attribute path: {why}",
                excerpt(text)
            ),
        )
        .at(name)
    })
}

fn paths_of_text(name: &str, text: Option<&str>) -> Result<Vec<AttrPath>> {
    text.into_iter()
        .flat_map(|text| text.split(','))
        .map(str::trim)
        .filter(|item| !item.is_empty())
        .map(|item| path(name, item))
        .collect()
}
