//! SCIM PATCH (RFC 7644 §3.5.2) applied to a resource held as JSON: [`PatchRequest::parse`]
//! reads the body, [`PatchRequest::apply`] applies it, [`apply_patch`] does both with the core
//! schemas' types.
//!
//! # Paths
//!
//! [`parse_path`] reads `attrPath` or `valuePath [ "." subAttr ]`: `title`, `name.givenName`,
//! `members[value eq "2819c223"]`, `emails[type eq "work"].value`,
//! `urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value` (the schema is
//! everything before the last `:`). Filters are the [`filter`](super::filter) language.
//! Attribute names match the resource's keys case-insensitively; a new key takes the
//! spelling of the path. Attributes of a core schema (a path without schema, or one qualified
//! with the User or Group URN) live at the top level; an extension's live in the object under
//! its URN, which an `add` or `replace` creates when missing (and lists in `schemas`).
//!
//! # Operations
//!
//! Applied in order to a copy of the resource; the first error discards them all.
//!
//! - `add` with a path: a single-valued attribute is set; a multi-valued one (an array now, an
//!   array given, or one of RFC 7643's multi-valued core attributes) gets the elements not
//!   already present appended (an element already present, equal or with the same `value` and
//!   no different `type`, has the new sub-attributes merged in instead); a complex one has the
//!   given sub-attributes set, the others kept. `attr.sub` on a multi-valued attribute sets the
//!   sub-attribute on every element. Through a value filter, the matching elements get the
//!   sub-attribute set or the object merged; no match is `no_target` unless
//!   [`PatchTolerance::add_creates_filtered_value`]. An array for an attribute that holds a
//!   single value is `invalid_value`; a `null` member of a path-less value adds nothing.
//! - `replace` with a path: like `add`, except that a multi-valued attribute without filter is
//!   replaced whole (`[]` unassigns it), and through a value filter each matching element is
//!   replaced whole, or its sub-attribute set; no match is `no_target`. A `null` value removes
//!   the target.
//! - `add` or `replace` without path: `value` is an object whose members are attributes (or,
//!   for a URN key, an extension's object of attributes), each applied as above.
//! - `remove`: the attribute, a sub-attribute (of every element when multi-valued), or the
//!   elements a value filter matches (or their sub-attribute); a filter matching nothing is
//!   `no_target`, as is a missing path. An attribute left empty is unassigned (removed).
//!
//! After an operation writes elements of a multi-valued attribute, the last written element
//! with `primary: true` keeps it and every other element's `primary` becomes `false`.
//! `active` and `primary` must be booleans (`invalid_value`). `id`, `meta`, `schemas` and a
//! User's `groups` are read-only: any operation on them is `mutability`.
//!
//! # Outcome
//!
//! A [`PatchOutcome`] holds the new resource, one [`Change`] per operation step that changed
//! something, and for a Group (its `schemas` list the core Group URN or its
//! `meta.resourceType` is `Group`) the net [`MemberChanges`]: member ids present after but not
//! before, and before but not after.
//!
//! # Tolerance
//!
//! [`PatchTolerance`] lists what real identity providers send beyond the RFC, each switchable;
//! all are on by default.

mod apply;
mod path;
mod request;
mod tolerance;
mod values;

pub use apply::ENTERPRISE_USER_URN;
pub use path::{parse_path, PatchPath};
pub use request::{PatchOp, PatchOperation, PatchRequest, PATCH_OP_URN};
pub use tolerance::PatchTolerance;
pub use values::SMALL_VALUE_BYTES;

use crate::error::Result;
use crate::limits::Limits;
use crate::scim::filter::CoreSchemas;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// What a PATCH did: the new resource and what changed in it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PatchOutcome {
    /// The resource after every operation.
    pub resource: Value,
    /// One record per operation step that changed the resource, in order (a path-less
    /// operation makes one step per attribute it names).
    pub changes: Vec<Change>,
    /// For a Group, the members added and removed; empty otherwise.
    pub member_changes: MemberChanges,
}

/// What one operation step changed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Change {
    /// The operation that changed it.
    pub kind: ChangeKind,
    /// The path written, printed canonically (`emails[type eq "work"].value`,
    /// `urn:…:User:department`).
    pub path: String,
    /// The whole attribute before, when it had a value of at most [`SMALL_VALUE_BYTES`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub old: Option<Value>,
    /// The whole attribute after, when it has a value of at most [`SMALL_VALUE_BYTES`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub new: Option<Value>,
}

/// The kind of a [`Change`]: the operation that made it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    /// Made by `add`.
    Added,
    /// Made by `replace`.
    Replaced,
    /// Made by `remove`.
    Removed,
}

/// A Group's net membership change, as member ids (the `value` of each `members` element).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberChanges {
    /// Ids that are members after the PATCH and were not before, in the group's order.
    pub added: Vec<String>,
    /// Ids that were members before the PATCH and are not after, in the group's former order.
    pub removed: Vec<String>,
}

/// Parses `body` and applies it to `resource` with RFC 7643's User and Group types
/// ([`CoreSchemas`]): [`PatchRequest::parse`] then [`PatchRequest::apply`].
pub fn apply_patch(
    resource: &Value,
    body: &Value,
    tolerance: &PatchTolerance,
    limits: &Limits,
) -> Result<PatchOutcome> {
    PatchRequest::parse(body, tolerance, limits)?.apply(resource, tolerance, limits, &CoreSchemas)
}

#[cfg(test)]
mod tests;
