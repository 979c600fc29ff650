//! Python values to the core's typed authorization requests, without JSON text.
//!
//! Only the input the JSON call API would decode without a complaint is taken here: exact
//! `dict`/`list`/`tuple`/`str`/`int`/`bool`/`None` in the fields' own shapes. Anything else (a
//! missing or unknown field, a wrong type, a float, an int outside 64 bits, a very deep or
//! possibly oversized value, a string Python cannot encode) gives `None`, and the caller runs
//! the same input through the JSON call API, which answers exactly as it always has (the same
//! error, or `TypeError` from `json.dumps`). So both paths give the same result for every input.

use orgkit::audit::AuditContext;
use orgkit::{AuthorizeRequest, CheckRequest, Principal, Resource, SupportGrant};
use pyo3::intern;
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyInt, PyList, PyString, PyTuple};
use serde_json::{Map, Value};

/// serde_json refuses a document nested deeper than 128 levels; values nested deeper than this
/// go through the JSON call API so that they get its answer.
const MAX_DEPTH: usize = 100;

/// A reader of one request, keeping an upper bound of the length of the JSON text the request
/// would be (`json.dumps`): past the engine's input limit, the JSON call API answers.
pub(crate) struct Reader {
    bound: usize,
}

/// The fields of `authorize_batch`'s and `allowed_actions`' inputs but the action.
pub(crate) struct Scope {
    pub principal: Principal,
    pub active_org: String,
    pub resource: Resource,
    pub now: i64,
    pub context: Map<String, Value>,
    pub grant: Option<SupportGrant>,
}

/// An input's scope, and its `action`, `event_id` and `audit_context`.
type Request = (Scope, Option<String>, Option<String>, Option<AuditContext>);

impl Reader {
    pub(crate) fn new() -> Self {
        Self { bound: 2 }
    }

    /// Whether the JSON text of what was read is surely within `max_bytes`.
    pub(crate) fn fits(&self, max_bytes: usize) -> bool {
        self.bound <= max_bytes
    }

    /// A key or string: at most 6 bytes of JSON per UTF-8 byte (`\u0001`), quotes, separator.
    fn count(&mut self, text: &str) {
        self.bound = self
            .bound
            .saturating_add(orgkit::wire::json_string_bound(text.len()));
    }

    fn str(&mut self, value: &Bound<'_, PyAny>) -> Option<String> {
        let text = value.cast_exact::<PyString>().ok()?.to_cow().ok()?;
        self.count(&text);
        Some(text.into_owned())
    }

    /// `None` → `None`, a string → `Some`.
    fn opt_str(&mut self, value: Option<Bound<'_, PyAny>>) -> Option<Option<String>> {
        match value {
            None => Some(None),
            Some(v) if v.is_none() => Some(None),
            Some(v) => self.str(&v).map(Some),
        }
    }

    fn i64(&mut self, value: &Bound<'_, PyAny>) -> Option<i64> {
        self.bound = self.bound.saturating_add(24);
        value.cast_exact::<PyInt>().ok()?.extract::<i64>().ok()
    }

    /// The fields of a dict by name, when it has no other (`None` otherwise).
    fn fields<'py, const N: usize>(
        &mut self,
        value: &Bound<'py, PyAny>,
        names: [&Bound<'py, PyString>; N],
    ) -> Option<[Option<Bound<'py, PyAny>>; N]> {
        let dict = value.cast_exact::<PyDict>().ok()?;
        let mut found = 0;
        let mut out: [Option<Bound<'py, PyAny>>; N] = std::array::from_fn(|_| None);
        for (slot, name) in out.iter_mut().zip(names) {
            if let Some(v) = dict.get_item(name).ok()? {
                self.bound = self.bound.saturating_add(name.len().ok()? + 4);
                found += 1;
                *slot = Some(v);
            }
        }
        (found == dict.len()).then_some(out)
    }

    fn principal(&mut self, value: &Bound<'_, PyAny>) -> Option<Principal> {
        let py = value.py();
        let [user, staff] = self.fields(value, [intern!(py, "user"), intern!(py, "staff")])?;
        match (user, staff) {
            (Some(id), None) => self.str(&id).map(Principal::User),
            (None, Some(id)) => self.str(&id).map(Principal::Staff),
            _ => None,
        }
    }

    fn resource(&mut self, value: &Bound<'_, PyAny>) -> Option<Resource> {
        let py = value.py();
        let [kind, id, org, attrs] = self.fields(
            value,
            [
                intern!(py, "type"),
                intern!(py, "id"),
                intern!(py, "org"),
                intern!(py, "attrs"),
            ],
        )?;
        Some(Resource {
            kind: self.str(&kind?)?,
            id: self.str(&id?)?,
            org: self.opt_str(org)?,
            attrs: match attrs {
                Some(v) if !v.is_none() => Some(self.object(&v, 1)?),
                _ => None,
            },
        })
    }

    fn grant(&mut self, value: Option<Bound<'_, PyAny>>) -> Option<Option<SupportGrant>> {
        let value = match value {
            Some(v) if !v.is_none() => v,
            _ => return Some(None),
        };
        let py = value.py();
        let [id, staff_id, org_id, reason, actions, expires_at] = self.fields(
            &value,
            [
                intern!(py, "id"),
                intern!(py, "staff_id"),
                intern!(py, "org_id"),
                intern!(py, "reason"),
                intern!(py, "actions"),
                intern!(py, "expires_at"),
            ],
        )?;
        let actions = self.strings(&actions?)?;
        Some(Some(SupportGrant {
            id: self.str(&id?)?,
            staff_id: self.str(&staff_id?)?,
            org_id: self.str(&org_id?)?,
            reason: self.str(&reason?)?,
            actions,
            expires_at: self.i64(&expires_at?)?,
        }))
    }

    fn strings(&mut self, value: &Bound<'_, PyAny>) -> Option<Vec<String>> {
        if let Ok(list) = value.cast_exact::<PyList>() {
            list.iter().map(|v| self.str(&v)).collect()
        } else {
            let tuple = value.cast_exact::<PyTuple>().ok()?;
            tuple.iter().map(|v| self.str(&v)).collect()
        }
    }

    fn audit_context(&mut self, value: Option<Bound<'_, PyAny>>) -> Option<Option<AuditContext>> {
        let value = match value {
            Some(v) if !v.is_none() => v,
            _ => return Some(None),
        };
        let py = value.py();
        let [ip, user_agent, request_id] = self.fields(
            &value,
            [
                intern!(py, "ip"),
                intern!(py, "user_agent"),
                intern!(py, "request_id"),
            ],
        )?;
        Some(Some(AuditContext {
            ip: self.opt_str(ip)?,
            user_agent: self.opt_str(user_agent)?,
            request_id: self.opt_str(request_id)?,
        }))
    }

    /// A JSON object given as a dict with string keys.
    fn object(&mut self, value: &Bound<'_, PyAny>, depth: usize) -> Option<Map<String, Value>> {
        if depth > MAX_DEPTH {
            return None;
        }
        let dict = value.cast_exact::<PyDict>().ok()?;
        let mut map = Map::with_capacity(dict.len());
        for (key, item) in dict.iter() {
            let key = self.str(&key)?;
            let item = self.value(&item, depth + 1)?;
            map.insert(key, item);
        }
        Some(map)
    }

    /// Any JSON value but a float (`json.dumps` and serde_json might not agree on its digits).
    fn value(&mut self, value: &Bound<'_, PyAny>, depth: usize) -> Option<Value> {
        if value.is_none() {
            self.bound = self.bound.saturating_add(6);
            return Some(Value::Null);
        }
        if let Ok(b) = value.cast_exact::<PyBool>() {
            self.bound = self.bound.saturating_add(6);
            return Some(Value::Bool(b.is_true()));
        }
        if let Ok(int) = value.cast_exact::<PyInt>() {
            self.bound = self.bound.saturating_add(24);
            return match int.extract::<i64>() {
                Ok(i) => Some(Value::from(i)),
                Err(_) => int.extract::<u64>().ok().map(Value::from),
            };
        }
        if value.is_exact_instance_of::<PyString>() {
            return self.str(value).map(Value::String);
        }
        if value.is_exact_instance_of::<PyDict>() {
            return self.object(value, depth).map(Value::Object);
        }
        if depth > MAX_DEPTH {
            return None;
        }
        self.bound = self.bound.saturating_add(2);
        if let Ok(list) = value.cast_exact::<PyList>() {
            list.iter().map(|v| self.value(&v, depth + 1)).collect()
        } else {
            let tuple = value.cast_exact::<PyTuple>().ok()?;
            tuple.iter().map(|v| self.value(&v, depth + 1)).collect()
        }
    }

    /// `context`: absent is empty; present, an object (`None` is not: the JSON call API refuses it).
    fn context(&mut self, value: Option<Bound<'_, PyAny>>) -> Option<Map<String, Value>> {
        match value {
            None => Some(Map::new()),
            Some(v) => self.object(&v, 1),
        }
    }

    /// The fields of an `authorize` input (`with_action`) or of an `allowed_actions` input
    /// (no `action`, `event_id` or `audit_context`).
    fn request(&mut self, value: &Bound<'_, PyAny>, with_action: bool) -> Option<Request> {
        let py = value.py();
        let [principal, active_org, action, resource, now, context, grant, event_id, audit_context] =
            self.fields(
                value,
                [
                    intern!(py, "principal"),
                    intern!(py, "active_org"),
                    intern!(py, "action"),
                    intern!(py, "resource"),
                    intern!(py, "now"),
                    intern!(py, "context"),
                    intern!(py, "grant"),
                    intern!(py, "event_id"),
                    intern!(py, "audit_context"),
                ],
            )?;
        if !with_action && (action.is_some() || event_id.is_some() || audit_context.is_some()) {
            return None;
        }
        let scope = Scope {
            principal: self.principal(&principal?)?,
            active_org: self.str(&active_org?)?,
            resource: self.resource(&resource?)?,
            now: self.i64(&now?)?,
            context: self.context(context)?,
            grant: self.grant(grant)?,
        };
        let action = match action {
            Some(action) => Some(self.str(&action)?),
            None if with_action => return None,
            None => None,
        };
        Some((
            scope,
            action,
            self.opt_str(event_id)?,
            self.audit_context(audit_context)?,
        ))
    }

    /// An `authorize` input.
    pub(crate) fn authorize(&mut self, value: &Bound<'_, PyAny>) -> Option<AuthorizeRequest> {
        let (scope, action, event_id, audit_context) = self.request(value, true)?;
        Some(AuthorizeRequest {
            principal: scope.principal,
            active_org: scope.active_org,
            action: action?,
            resource: scope.resource,
            now: scope.now,
            context: scope.context,
            grant: scope.grant,
            event_id,
            audit_context,
        })
    }

    /// A `check` input: an `authorize` input without `grant`, `event_id` or `audit_context`.
    pub(crate) fn check(&mut self, value: &Bound<'_, PyAny>) -> Option<CheckRequest> {
        self.authorize(value)?.into_check()
    }

    /// An `allowed_actions` input.
    pub(crate) fn scope(&mut self, value: &Bound<'_, PyAny>) -> Option<Scope> {
        self.request(value, false).map(|(scope, ..)| scope)
    }

    /// An `authorize_batch` input: `requests`, a list of `authorize` inputs.
    pub(crate) fn batch(&mut self, value: &Bound<'_, PyAny>) -> Option<Vec<AuthorizeRequest>> {
        let py = value.py();
        let [requests] = self.fields(value, [intern!(py, "requests")])?;
        let requests = requests?;
        let list = requests.cast_exact::<PyList>().ok()?;
        list.iter().map(|r| self.authorize(&r)).collect()
    }
}
