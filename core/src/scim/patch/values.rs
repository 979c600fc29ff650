//! Helpers over JSON objects and multi-valued attributes: case-insensitive members, element
//! identity, `primary` uniqueness, small copies for change records.

use crate::scim::filter::{CompValue, CompareOp, Filter};
use serde_json::{Map, Value};

/// The key under which `name` is stored, matched exactly first, then ignoring ASCII case.
pub(super) fn key_of(map: &Map<String, Value>, name: &str) -> Option<String> {
    if map.contains_key(name) {
        return Some(name.to_string());
    }
    map.keys().find(|k| k.eq_ignore_ascii_case(name)).cloned()
}

/// The member `name`, ignoring ASCII case.
pub(super) fn get<'m>(map: &'m Map<String, Value>, name: &str) -> Option<&'m Value> {
    key_of(map, name).and_then(|key| map.get(&key))
}

/// The member `name`, ignoring ASCII case, mutably.
pub(super) fn get_mut<'m>(map: &'m mut Map<String, Value>, name: &str) -> Option<&'m mut Value> {
    let key = key_of(map, name)?;
    map.get_mut(&key)
}

/// The member `name`, inserting `default` under that spelling when absent or null.
pub(super) fn slot<'m>(
    map: &'m mut Map<String, Value>,
    name: &str,
    default: Value,
) -> &'m mut Value {
    let key = key_of(map, name).unwrap_or_else(|| name.to_string());
    let value = map.entry(key).or_insert(Value::Null);
    if value.is_null() {
        *value = default;
    }
    value
}

/// Sets the member `name` (an existing key keeps its spelling); true when that changed it.
pub(super) fn set(map: &mut Map<String, Value>, name: &str, value: Value) -> bool {
    let key = key_of(map, name).unwrap_or_else(|| name.to_string());
    map.insert(key, value.clone()).as_ref() != Some(&value)
}

/// Removes the member `name`, ignoring ASCII case; true when there was one.
pub(super) fn remove(map: &mut Map<String, Value>, name: &str) -> bool {
    key_of(map, name).is_some_and(|key| map.remove(&key).is_some())
}

/// Sets every member of `from` in `into`; true when any changed.
pub(super) fn merge(into: &mut Map<String, Value>, from: Map<String, Value>) -> bool {
    from.into_iter()
        .fold(false, |changed, (k, v)| set(into, &k, v) | changed)
}

/// True when two elements of a multi-valued attribute are the same value: equal JSON, or two
/// objects with the same `value` sub-attribute whose `type`s do not differ (so `{"value": "u1",
/// "display": "Babs"}` is the member `{"value": "u1"}`). String `value`s compare ignoring case
/// unless the attribute's `value` is `caseExact` (RFC 7643 §2.2: `emails.value` is not).
pub(super) fn same_element(a: &Value, b: &Value, value_case_exact: bool) -> bool {
    if a == b {
        return true;
    }
    let (Value::Object(a), Value::Object(b)) = (a, b) else {
        return false;
    };
    let same_value = match (get(a, "value"), get(b, "value")) {
        (Some(Value::String(x)), Some(Value::String(y))) if !value_case_exact => {
            x == y || x.to_lowercase() == y.to_lowercase()
        }
        (Some(x), Some(y)) => x == y,
        _ => false,
    };
    let types_agree = match (get(a, "type"), get(b, "type")) {
        (Some(Value::String(x)), Some(Value::String(y))) => x.eq_ignore_ascii_case(y),
        (Some(x), Some(y)) => x == y,
        _ => true,
    };
    same_value && types_agree
}

/// True when `element` is one of the elements a remove-by-value lists in `item`: equal JSON,
/// or the same `value` sub-attribute when `item` gives one.
pub(super) fn listed(element: &Value, item: &Value) -> bool {
    match (element, item) {
        (Value::Object(e), Value::Object(i)) if get(i, "value").is_some() => {
            get(e, "value") == get(i, "value")
        }
        _ => element == item,
    }
}

fn is_primary(element: &Value) -> bool {
    element
        .as_object()
        .and_then(|e| get(e, "primary"))
        .is_some_and(|p| p == &Value::Bool(true))
}

/// After the elements at `touched` were written: when the last of them that is `primary: true`
/// exists, sets `primary` to `false` on every other element that had it `true` (RFC 7644
/// §3.5.2). True when that changed anything.
pub(super) fn keep_one_primary(elements: &mut [Value], touched: &[usize]) -> bool {
    let Some(&keep) = touched
        .iter()
        .rev()
        .find(|&&i| elements.get(i).is_some_and(is_primary))
    else {
        return false;
    };
    let mut changed = false;
    for (i, element) in elements.iter_mut().enumerate() {
        if i != keep && is_primary(element) {
            if let Value::Object(e) = element {
                changed |= set(e, "primary", Value::Bool(false));
            }
        }
    }
    changed
}

/// The element a value filter of `eq` comparisons joined by `and` describes
/// (`type eq "work"` → `{"type": "work"}`); `None` for any other filter.
pub(super) fn element_from_filter(filter: &Filter) -> Option<Map<String, Value>> {
    let mut element = Map::new();
    let comparisons = match filter {
        Filter::And(operands) => operands.as_slice(),
        other => std::slice::from_ref(other),
    };
    for comparison in comparisons {
        let Filter::Compare {
            path,
            op: CompareOp::Eq,
            value,
        } = comparison
        else {
            return None;
        };
        if path.schema.is_some() || path.sub_attr.is_some() {
            return None;
        }
        let value = match value {
            CompValue::Null => return None,
            CompValue::Bool(b) => Value::Bool(*b),
            CompValue::Number(n) => Value::Number(n.clone()),
            CompValue::String(s) => Value::String(s.clone()),
        };
        element.insert(path.attr.clone(), value);
    }
    Some(element)
}

/// The most JSON text a value may take to be copied into a change record.
pub const SMALL_VALUE_BYTES: usize = 256;

/// A copy of `value` when its JSON text is at most [`SMALL_VALUE_BYTES`] (estimated without
/// serialising, never reading more of a large value than that budget).
pub(super) fn small_copy(value: &Value) -> Option<Value> {
    fits(value, SMALL_VALUE_BYTES).map(|_| value.clone())
}

/// What remains of `budget` after `value`'s JSON text, or `None` when it does not fit.
fn fits(value: &Value, budget: usize) -> Option<usize> {
    let text = |len: usize| budget.checked_sub(len + 2);
    match value {
        Value::Null | Value::Bool(_) => budget.checked_sub(5),
        Value::Number(_) => budget.checked_sub(24),
        Value::String(s) => text(s.len()),
        Value::Array(items) => items.iter().try_fold(budget.checked_sub(2)?, |left, item| {
            fits(item, left.checked_sub(1)?)
        }),
        Value::Object(members) => members
            .iter()
            .try_fold(budget.checked_sub(2)?, |left, (key, item)| {
                fits(item, left.checked_sub(key.len() + 4)?)
            }),
    }
}
