//! Applying parsed operations to a resource: path-less values split into one step per
//! attribute, read-only attributes guarded, then add, replace or remove on a working copy.

use super::path::{parse_path, PatchPath};
use super::request::{PatchOp, PatchOperation, PatchRequest};
use super::tolerance::PatchTolerance;
use super::values::{
    element_from_filter, get, get_mut, keep_one_primary, key_of, listed, merge, remove,
    same_element, set, slot, small_copy,
};
use super::{Change, ChangeKind, MemberChanges, PatchOutcome};
use crate::error::{join_path, Error, ErrorCode, Result};
use crate::limits::Limits;
use crate::scim::filter::{matches_element, AttrPath, AttributeTypes, Filter, GROUP_URN, USER_URN};
use serde_json::{Map, Value};

/// The enterprise User extension of RFC 7643 §4.3, known even when a resource does not list it.
pub const ENTERPRISE_USER_URN: &str = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

/// The multi-valued attributes of RFC 7643's User and Group schemas.
const MULTI_VALUED: [&str; 10] = [
    "emails",
    "phoneNumbers",
    "ims",
    "photos",
    "addresses",
    "groups",
    "entitlements",
    "roles",
    "x509Certificates",
    "members",
];

type Object = Map<String, Value>;

fn invalid_value(message: impl Into<String>) -> Error {
    Error::new(ErrorCode::InvalidValue, message)
}

fn invalid_path(message: impl Into<String>) -> Error {
    Error::new(ErrorCode::InvalidPath, message)
}

impl PatchRequest {
    /// Applies the operations in order to a copy of `resource` (a JSON object), all or nothing:
    /// on error the caller's resource is untouched and the error's `path` names the failing
    /// operation (`Operations[2]`). See the [module docs](super) for the semantics.
    pub fn apply(
        &self,
        resource: &Value,
        tolerance: &PatchTolerance,
        limits: &Limits,
        types: &dyn AttributeTypes,
    ) -> Result<PatchOutcome> {
        let Value::Object(original) = resource else {
            return Err(Error::new(
                ErrorCode::InvalidInput,
                "a SCIM resource is a JSON object",
            ));
        };
        let mut engine = Engine {
            tolerance,
            limits,
            types,
            root: original.clone(),
            changes: Vec::new(),
        };
        for (i, operation) in self.operations.iter().enumerate() {
            engine.operation(operation).map_err(|mut e| {
                let at = format!("Operations[{i}]");
                e.path = Some(match e.path.take() {
                    Some(inner) => join_path(&at, &inner),
                    None => at,
                });
                e
            })?;
        }
        let member_changes = if is_type(original, GROUP_URN, "Group") {
            member_changes(original, &engine.root)
        } else {
            MemberChanges::default()
        };
        Ok(PatchOutcome {
            resource: Value::Object(engine.root),
            changes: engine.changes,
            member_changes,
        })
    }
}

/// True when the resource's `schemas` list `urn`.
fn lists_schema(resource: &Object, urn: &str) -> bool {
    get(resource, "schemas")
        .and_then(Value::as_array)
        .is_some_and(|s| {
            s.iter()
                .any(|s| s.as_str().is_some_and(|s| s.eq_ignore_ascii_case(urn)))
        })
}

/// True when the resource's `schemas` list `urn` or its `meta.resourceType` is `name`.
fn is_type(resource: &Object, urn: &str, name: &str) -> bool {
    let typed = get(resource, "meta")
        .and_then(Value::as_object)
        .and_then(|meta| get(meta, "resourceType"))
        .and_then(Value::as_str)
        .is_some_and(|t| t.eq_ignore_ascii_case(name));
    lists_schema(resource, urn) || typed
}

/// The member ids of a group, in order.
fn member_ids(group: &Object) -> Vec<String> {
    get(group, "members")
        .and_then(Value::as_array)
        .map(|members| {
            members
                .iter()
                .filter_map(|m| m.as_object().and_then(|m| get(m, "value")))
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default()
}

fn member_changes(before: &Object, after: &Object) -> MemberChanges {
    let before = member_ids(before);
    let after = member_ids(after);
    let mut changes = MemberChanges::default();
    for id in &after {
        if !before.contains(id) && !changes.added.contains(id) {
            changes.added.push(id.clone());
        }
    }
    for id in &before {
        if !after.contains(id) && !changes.removed.contains(id) {
            changes.removed.push(id.clone());
        }
    }
    changes
}

struct Engine<'a> {
    tolerance: &'a PatchTolerance,
    limits: &'a Limits,
    types: &'a dyn AttributeTypes,
    root: Object,
    changes: Vec<Change>,
}

impl Engine<'_> {
    fn operation(&mut self, operation: &PatchOperation) -> Result<()> {
        match (&operation.path, &operation.value) {
            (Some(path), value) => match self.whole_extension(path) {
                Some(urn) => self.extension_step(operation.op, &urn, value.clone()),
                None => self.step(operation.op, path, value.clone()),
            },
            (None, Some(Value::Object(members))) => {
                for (path, value) in self.split(members)? {
                    self.step(operation.op, &path, Some(value))?;
                }
                Ok(())
            }
            // Refused by `PatchRequest::parse`; a hand-built request gets the same answer.
            (None, _) => Err(Error::new(
                ErrorCode::InvalidPatch,
                "an operation without `path` takes an object of attributes",
            )),
        }
    }

    /// True when `urn` names a schema of this resource: a core schema, the enterprise
    /// extension, one the resource lists in `schemas`, or one it holds attributes under.
    fn known_schema(&self, urn: &str) -> bool {
        self.types.is_core_schema(urn)
            || urn.eq_ignore_ascii_case(ENTERPRISE_USER_URN)
            || key_of(&self.root, urn).is_some()
            || lists_schema(&self.root, urn)
    }

    /// The extension URN a path names as a whole (`urn:…:enterprise:2.0:User`, parsed as the
    /// attribute `User` of schema `urn:…:enterprise:2.0`), when it names one.
    fn whole_extension(&self, path: &PatchPath) -> Option<String> {
        let schema = path.attr.schema.as_deref()?;
        if path.filter.is_some() || path.attr.sub_attr.is_some() {
            return None;
        }
        let urn = format!("{schema}:{}", path.attr.attr);
        (!self.types.is_core_schema(&urn) && self.known_schema(&urn)).then_some(urn)
    }

    /// An operation on a whole extension: `add` and `replace` take an object of its attributes
    /// and set each; `remove` removes them all, the extension object and its `schemas` entry.
    fn extension_step(&mut self, op: PatchOp, urn: &str, value: Option<Value>) -> Result<()> {
        if op != PatchOp::Remove {
            let Some(Value::Object(members)) = value else {
                return Err(invalid_value(format!(
                    "`{urn}` names a schema; its value is an object of attributes"
                )));
            };
            for (name, value) in members {
                let path = self
                    .extension_attribute(urn, &name)
                    .map_err(|e| e.at(format!("value.{name}")))?;
                self.step(op, &path, Some(value))?;
            }
            return Ok(());
        }
        let Some(key) = key_of(&self.root, urn) else {
            return Ok(());
        };
        let names: Vec<String> = match self.root.get(&key) {
            Some(Value::Object(members)) => members.keys().cloned().collect(),
            _ => Vec::new(),
        };
        for name in names {
            let path = self.extension_attribute(urn, &name)?;
            self.step(PatchOp::Remove, &path, None)?;
        }
        self.root.remove(&key);
        if let Some(Value::Array(schemas)) = get_mut(&mut self.root, "schemas") {
            schemas.retain(|s| !s.as_str().is_some_and(|s| s.eq_ignore_ascii_case(urn)));
        }
        Ok(())
    }

    /// The path of the attribute `name` of the extension `urn`.
    fn extension_attribute(&self, urn: &str, name: &str) -> Result<PatchPath> {
        let mut path = self.plain_key(name)?;
        path.attr.schema = Some(urn.to_string());
        Ok(path)
    }

    /// The steps of a path-less value: one per attribute, extension objects opened.
    fn split(&self, members: &Object) -> Result<Vec<(PatchPath, Value)>> {
        let mut steps = Vec::new();
        for (key, value) in members {
            let at = |e: Error| e.at(format!("value.{key}"));
            if key.contains(':') {
                let as_path = || parse_path(key, self.limits).map_err(at);
                let dotted = self.tolerance.dotted_value_keys
                    && !self.known_schema(key)
                    && (!value.is_object()
                        || as_path()?
                            .attr
                            .schema
                            .is_some_and(|schema| self.known_schema(&schema)));
                if dotted {
                    steps.push((as_path()?, value.clone()));
                    continue;
                }
                let Value::Object(inner) = value else {
                    return Err(at(invalid_value(format!(
                        "`{key}` names a schema; its value is an object of attributes"
                    ))));
                };
                for (name, value) in inner {
                    let mut path = self.plain_key(name).map_err(at)?;
                    if !self.types.is_core_schema(key) {
                        path.attr.schema = Some(key.clone());
                    }
                    steps.push((path, value.clone()));
                }
            } else {
                steps.push((self.plain_key(key).map_err(at)?, value.clone()));
            }
        }
        Ok(steps)
    }

    /// A key of a path-less value without schema: an attribute name, or a path under
    /// [`PatchTolerance::dotted_value_keys`].
    fn plain_key(&self, key: &str) -> Result<PatchPath> {
        if !self.tolerance.dotted_value_keys && key.contains(['.', '[', ':']) {
            return Err(invalid_path(format!(
                "`{key}` is not an attribute name (dotted keys are not accepted)"
            )));
        }
        parse_path(key, self.limits)
    }

    /// True when `path` is in the core schema (no schema, or a core one).
    fn is_core(&self, path: &AttrPath) -> bool {
        path.schema
            .as_deref()
            .is_none_or(|urn| self.types.is_core_schema(urn))
    }

    fn is_read_only(&self, path: &AttrPath) -> bool {
        let attr = path.attr.as_str();
        self.is_core(path)
            && (["id", "meta", "schemas"]
                .iter()
                .any(|name| attr.eq_ignore_ascii_case(name))
                || (attr.eq_ignore_ascii_case("groups") && is_type(&self.root, USER_URN, "User")))
    }

    fn is_multi_valued(&self, path: &AttrPath) -> bool {
        self.is_core(path)
            && MULTI_VALUED
                .iter()
                .any(|name| path.attr.eq_ignore_ascii_case(name))
    }

    /// The current value at `path` (attribute, or its sub-attribute), without filter.
    fn current(&self, path: &AttrPath) -> Option<&Value> {
        let container = match &path.schema {
            Some(urn) if !self.types.is_core_schema(urn) => get(&self.root, urn)?.as_object()?,
            _ => &self.root,
        };
        let value = get(container, &path.attr)?;
        match &path.sub_attr {
            None => Some(value),
            Some(sub) => get(value.as_object()?, sub),
        }
    }

    /// Converts `"True"`/`"False"` for a boolean attribute under
    /// [`PatchTolerance::string_booleans`]; refuses any other non-boolean.
    fn boolean(&self, value: &mut Value, name: &str) -> Result<()> {
        if let Value::String(text) = value {
            if self.tolerance.string_booleans {
                if text.eq_ignore_ascii_case("true") {
                    *value = Value::Bool(true);
                } else if text.eq_ignore_ascii_case("false") {
                    *value = Value::Bool(false);
                }
            }
        }
        match value {
            Value::Bool(_) | Value::Null => Ok(()),
            _ => Err(invalid_value(format!("`{name}` is a boolean"))),
        }
    }

    /// Types the booleans of the core schema in a value written to `path`: `active`, and
    /// `primary` whether addressed directly or inside elements.
    fn normalise(&self, path: &PatchPath, value: &mut Value) -> Result<()> {
        let attr = &path.attr;
        match attr.sub_attr.as_deref() {
            None if self.is_core(attr) && attr.attr.eq_ignore_ascii_case("active") => {
                return self.boolean(value, "active");
            }
            Some(sub) if sub.eq_ignore_ascii_case("primary") => {
                return self.boolean(value, "primary");
            }
            Some(_) => return Ok(()),
            None => {}
        }
        let elements = match value {
            Value::Array(items) => items.as_mut_slice(),
            other => std::slice::from_mut(other),
        };
        for element in elements {
            if let Value::Object(element) = element {
                if let Some(primary) = get_mut(element, "primary") {
                    self.boolean(primary, "primary")?;
                }
            }
        }
        Ok(())
    }

    /// One operation on one path: guard, normalise, apply, record.
    fn step(&mut self, op: PatchOp, path: &PatchPath, value: Option<Value>) -> Result<()> {
        let mut value = value;
        if let Some(value) = &mut value {
            self.normalise(path, value)?;
        }
        if self.is_read_only(&path.attr) {
            let echo = self.tolerance.readonly_echo
                && op != PatchOp::Remove
                && path.filter.is_none()
                && value.is_some()
                && self.current(&path.attr) == value.as_ref();
            if echo {
                return Ok(());
            }
            return Err(Error::new(
                ErrorCode::Mutability,
                format!("`{}` is read-only", path.attr.attr),
            ));
        }
        let top = AttrPath {
            sub_attr: None,
            ..path.attr.clone()
        };
        let before = self.current(&top).and_then(small_copy);
        let changed = match (op, value) {
            (PatchOp::Remove, listed_values) => self.remove(path, listed_values)?,
            (_, None) => {
                return Err(Error::new(
                    ErrorCode::InvalidPatch,
                    format!("`{}` needs a `value`", op.as_str()),
                ))
            }
            (PatchOp::Replace, Some(Value::Null)) => self.remove(path, None)?,
            // `null` is no value (RFC 7643 §2.5): adding it, inside a path-less value, adds nothing.
            (PatchOp::Add, Some(Value::Null)) => false,
            (op, Some(value)) => self.write(op, path, value)?,
        };
        if changed {
            self.changes.push(Change {
                kind: match op {
                    PatchOp::Add => ChangeKind::Added,
                    PatchOp::Replace => ChangeKind::Replaced,
                    PatchOp::Remove => ChangeKind::Removed,
                },
                path: path.to_string(),
                old: before,
                new: self.current(&top).and_then(small_copy),
            });
        }
        Ok(())
    }

    /// The object holding the attributes of `schema`: the resource for a core schema, else
    /// the extension object, created (and listed in `schemas`) when `create` is set.
    fn container(&mut self, schema: Option<&str>, create: bool) -> Result<Option<&mut Object>> {
        let urn = match schema {
            Some(urn) if !self.types.is_core_schema(urn) => urn,
            _ => return Ok(Some(&mut self.root)),
        };
        let key = match key_of(&self.root, urn) {
            Some(key) => key,
            None if create => {
                if let Some(Value::Array(schemas)) = get_mut(&mut self.root, "schemas") {
                    schemas.push(Value::String(urn.to_string()));
                }
                self.root.insert(urn.to_string(), Value::Object(Map::new()));
                urn.to_string()
            }
            None => return Ok(None),
        };
        match self.root.get_mut(&key) {
            Some(Value::Object(container)) => Ok(Some(container)),
            Some(Value::Null) | None => Ok(None),
            Some(_) => Err(invalid_value(format!(
                "`{urn}` holds no object of attributes"
            ))),
        }
    }

    /// The elements a single or multiple value stands for.
    fn elements(&self, value: Value, name: &str) -> Result<Vec<Value>> {
        match value {
            Value::Array(items) => Ok(items),
            single if self.tolerance.wrap_single_values => Ok(vec![single]),
            _ => Err(invalid_value(format!(
                "`{name}` is multi-valued; its value is an array"
            ))),
        }
    }

    /// `add` or `replace` with a value.
    fn write(&mut self, op: PatchOp, path: &PatchPath, value: Value) -> Result<bool> {
        let multi = self.is_multi_valued(&path.attr);
        let tolerance = *self.tolerance;
        let types = self.types;
        let elements = if path.filter.is_none() && path.attr.sub_attr.is_none() {
            let existing = self.current(&path.attr).filter(|v| !v.is_null());
            if value.is_array() && !multi && existing.is_some_and(|v| !v.is_array()) {
                return Err(invalid_value(format!(
                    "`{}` is single-valued; its value is not an array",
                    path.attr.attr
                )));
            }
            let existing_multi = existing.is_some_and(Value::is_array);
            (multi || existing_multi || value.is_array())
                .then(|| self.elements(value.clone(), &path.attr.attr))
                .transpose()?
        } else {
            None
        };
        let Some(container) = self.container(path.attr.schema.as_deref(), true)? else {
            return Ok(false);
        };
        let name = path.attr.attr.as_str();
        if let Some(filter) = &path.filter {
            return write_filtered(container, path, filter, op, value, &tolerance, types);
        }
        if let Some(sub) = &path.attr.sub_attr {
            if multi && get(container, name).is_none_or(Value::is_null) {
                return Err(no_target(path));
            }
            return match slot(container, name, Value::Object(Map::new())) {
                Value::Array(items) => Ok(items
                    .iter_mut()
                    .filter_map(Value::as_object_mut)
                    .fold(false, |changed, e| set(e, sub, value.clone()) | changed)),
                Value::Object(object) => Ok(set(object, sub, value)),
                _ => Err(invalid_path(format!("`{name}` has no sub-attributes"))),
            };
        }
        if let Some(items) = elements {
            let exact = value_case_exact(&path.attr, types);
            return match op {
                PatchOp::Replace => Ok(replace_all(container, name, items, exact)),
                _ => append(container, name, items, exact),
            };
        }
        match (get_mut(container, name), value) {
            (Some(Value::Object(existing)), Value::Object(members)) => Ok(merge(existing, members)),
            (_, value) => Ok(set(container, name, value)),
        }
    }

    /// `remove`, of the path or, under [`PatchTolerance::remove_by_value`], of the elements
    /// listed in `value`.
    fn remove(&mut self, path: &PatchPath, value: Option<Value>) -> Result<bool> {
        let types = self.types;
        let listed_items = value
            .map(|v| self.elements(v, &path.attr.attr))
            .transpose()?;
        let filter = path.filter.as_ref();
        let Some(container) = self.container(path.attr.schema.as_deref(), false)? else {
            return match filter {
                Some(_) => Err(no_target(path)),
                None => Ok(false),
            };
        };
        let name = path.attr.attr.as_str();
        if let Some(filter) = filter {
            let outer = outer(&path.attr);
            let Some(Value::Array(items)) = get_mut(container, name) else {
                return Err(no_target(path));
            };
            let matched = matching(items, filter, &outer, types);
            if matched.is_empty() {
                return Err(no_target(path));
            }
            match &path.attr.sub_attr {
                Some(sub) => {
                    let mut changed = false;
                    for i in matched {
                        if let Some(Value::Object(e)) = items.get_mut(i) {
                            changed |= remove(e, sub);
                        }
                    }
                    Ok(changed)
                }
                None => {
                    let mut i = 0;
                    items.retain(|_| {
                        i += 1;
                        !matched.contains(&(i - 1))
                    });
                    unassign_if_empty(container, name);
                    Ok(true)
                }
            }
        } else if let Some(listed_items) = listed_items {
            let Some(Value::Array(items)) = get_mut(container, name) else {
                return Ok(false);
            };
            let before = items.len();
            items.retain(|e| !listed_items.iter().any(|item| listed(e, item)));
            let changed = items.len() != before;
            unassign_if_empty(container, name);
            Ok(changed)
        } else if let Some(sub) = &path.attr.sub_attr {
            match get_mut(container, name) {
                Some(Value::Array(items)) => Ok(items
                    .iter_mut()
                    .filter_map(Value::as_object_mut)
                    .fold(false, |changed, e| remove(e, sub) | changed)),
                Some(Value::Object(object)) => {
                    let changed = remove(object, sub);
                    unassign_if_empty(container, name);
                    Ok(changed)
                }
                _ => Ok(false),
            }
        } else {
            Ok(remove(container, name))
        }
    }
}

fn no_target(path: &PatchPath) -> Error {
    Error::new(ErrorCode::NoTarget, format!("`{path}` matches no value"))
}

/// The attribute a value filter's paths are relative to.
fn outer(attr: &AttrPath) -> AttrPath {
    AttrPath {
        schema: attr.schema.clone(),
        attr: attr.attr.clone(),
        sub_attr: None,
    }
}

fn matching(
    items: &[Value],
    filter: &Filter,
    outer: &AttrPath,
    types: &dyn AttributeTypes,
) -> Vec<usize> {
    items
        .iter()
        .enumerate()
        .filter(|(_, e)| matches_element(filter, e, outer, types))
        .map(|(i, _)| i)
        .collect()
}

/// Removes an attribute left empty (`[]` or `{}`): it is unassigned (RFC 7643 §2.5).
fn unassign_if_empty(container: &mut Object, name: &str) {
    let empty = match get(container, name) {
        Some(Value::Array(items)) => items.is_empty(),
        Some(Value::Object(members)) => members.is_empty(),
        _ => false,
    };
    if empty {
        remove(container, name);
    }
}

/// Whether the `value` sub-attribute of the multi-valued attribute `attr` is `caseExact`.
fn value_case_exact(attr: &AttrPath, types: &dyn AttributeTypes) -> bool {
    types
        .attribute_type(&AttrPath {
            schema: attr.schema.clone(),
            attr: attr.attr.clone(),
            sub_attr: Some("value".into()),
        })
        .case_exact
}

/// `add` to a multi-valued attribute: new elements appended, ones already present merged.
fn append(
    container: &mut Object,
    name: &str,
    items: Vec<Value>,
    value_case_exact: bool,
) -> Result<bool> {
    if items.is_empty() {
        return Ok(false);
    }
    let Value::Array(elements) = slot(container, name, Value::Array(Vec::new())) else {
        return Err(invalid_value(format!(
            "`{name}` holds a single value; it cannot take several"
        )));
    };
    let mut changed = false;
    let mut touched = Vec::new();
    for item in items {
        match elements
            .iter()
            .position(|e| same_element(e, &item, value_case_exact))
        {
            Some(i) => {
                if let (Some(Value::Object(existing)), Value::Object(members)) =
                    (elements.get_mut(i), item)
                {
                    changed |= merge(existing, members);
                }
                touched.push(i);
            }
            None => {
                elements.push(item);
                touched.push(elements.len() - 1);
                changed = true;
            }
        }
    }
    Ok(keep_one_primary(elements, &touched) | changed)
}

/// `replace` of a whole multi-valued attribute; duplicates collapse, an empty list unassigns.
fn replace_all(
    container: &mut Object,
    name: &str,
    items: Vec<Value>,
    value_case_exact: bool,
) -> bool {
    let mut elements: Vec<Value> = Vec::new();
    for item in items {
        if !elements
            .iter()
            .any(|e| same_element(e, &item, value_case_exact))
        {
            elements.push(item);
        }
    }
    let touched: Vec<usize> = (0..elements.len()).collect();
    keep_one_primary(&mut elements, &touched);
    if elements.is_empty() {
        remove(container, name)
    } else {
        set(container, name, Value::Array(elements))
    }
}

/// `add` or `replace` through a value filter.
fn write_filtered(
    container: &mut Object,
    path: &PatchPath,
    filter: &Filter,
    op: PatchOp,
    value: Value,
    tolerance: &PatchTolerance,
    types: &dyn AttributeTypes,
) -> Result<bool> {
    let name = path.attr.attr.as_str();
    let outer = outer(&path.attr);
    let matched = match get(container, name) {
        Some(Value::Array(items)) => matching(items, filter, &outer, types),
        _ => Vec::new(),
    };
    if matched.is_empty() {
        let created = (op == PatchOp::Add && tolerance.add_creates_filtered_value)
            .then(|| element_from_filter(filter))
            .flatten();
        let Some(mut element) = created else {
            return Err(no_target(path));
        };
        match (&path.attr.sub_attr, value) {
            (Some(sub), value) => {
                set(&mut element, sub, value);
            }
            (None, Value::Object(members)) => {
                merge(&mut element, members);
            }
            (None, _) => {
                return Err(invalid_value(format!(
                    "an element of `{name}` is an object"
                )))
            }
        }
        let exact = value_case_exact(&path.attr, types);
        return append(container, name, vec![Value::Object(element)], exact);
    }
    let Some(Value::Array(items)) = get_mut(container, name) else {
        return Err(no_target(path));
    };
    let mut changed = false;
    for &i in &matched {
        let Some(Value::Object(element)) = items.get_mut(i) else {
            continue;
        };
        changed |= match (&path.attr.sub_attr, op, value.clone()) {
            (Some(sub), _, value) => set(element, sub, value),
            (None, PatchOp::Add, Value::Object(members)) => merge(element, members),
            (None, _, Value::Object(members)) => {
                let replaced = *element != members;
                *element = members;
                replaced
            }
            (None, _, _) => {
                return Err(invalid_value(format!(
                    "an element of `{name}` is an object"
                )))
            }
        };
    }
    Ok(keep_one_primary(items, &matched) | changed)
}
