//! What the PATCH engine forgives: each deviation from RFC 7644 that a real identity provider
//! sends, switchable one by one.

use serde::{Deserialize, Serialize};

/// The deviations from RFC 7644 §3.5.2 that [`PatchRequest`](super::PatchRequest) accepts.
/// Every field defaults to `true`; a field set to `false` restores the strict RFC behaviour
/// described on it. An organization's mapping profile sets them for its identity provider.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PatchTolerance {
    /// `op` in any case (`"Add"`, `"Replace"`, `"Remove"`). Microsoft Entra ID sends
    /// capitalised names unless the tenant URL carries its `aadOptscim062020` flag; some
    /// vendors' documented examples (JFrog, Miro) copy it. Strict: only the lowercase names, any
    /// other spelling is `invalid_patch`.
    pub op_any_case: bool,
    /// The strings `"True"`/`"False"` (any case) for the attributes that are booleans in the
    /// RFC 7643 core schema: `active`, and `primary` of multi-valued attributes. Microsoft Entra
    /// ID disables users with `{"op": "Replace", "path": "active", "value": "False"}` unless the
    /// `aadOptscim062020` flag is set. Strict: a string there is `invalid_value`.
    pub string_booleans: bool,
    /// In a path-less `add` or `replace`, keys of `value` that are paths rather than attribute
    /// names: `"name.givenName"`, or an extension attribute
    /// `"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department"`. Microsoft
    /// Entra ID sends these when it replaces several attributes at once (its RFC-compliant
    /// `aadOptscim062020` mode included). Strict: a dotted key is `invalid_path`, and a URN key
    /// names an extension schema whose value must be an object of its attributes.
    pub dotted_value_keys: bool,
    /// `remove` of a multi-valued attribute with the elements to remove in `value`
    /// (`{"op": "Remove", "path": "members", "value": [{"value": "u1"}]}`) instead of a value
    /// filter: only the listed elements are removed (an object element matches on its `value`
    /// sub-attribute). Microsoft Entra ID removes group members this way without the
    /// `aadOptscim062020` flag, and JumpCloud does for group members. Strict: `remove` with a
    /// `value` is `invalid_patch` (it never wipes the whole attribute).
    pub remove_by_value: bool,
    /// An `add` or `replace` that sets a read-only attribute (`id`, `meta`, `schemas`, a User's
    /// `groups`) to exactly the value it already has is skipped. Okta renames a pushed group with
    /// a path-less `replace` whose value carries the group's `id` beside `displayName`, and sends
    /// it again with every membership update. Strict: any operation on those attributes is
    /// `mutability`.
    pub readonly_echo: bool,
    /// An empty `Operations` list is a successful no-op. RFC 7644 requires "one or more"
    /// operations; clients that compute a PATCH from a diff send an empty list when nothing
    /// changed (no vendor documents it; tolerated because it is harmless). Strict:
    /// `invalid_patch`.
    pub empty_operations: bool,
    /// A single value where a multi-valued attribute expects an array
    /// (`{"op": "add", "path": "members", "value": {"value": "u1"}}`) is read as a one-element
    /// array. Seen from home-grown and scripted SCIM clients rather than from a documented
    /// vendor behaviour; Java SCIM SDKs accept it for the same reason. Strict: `invalid_value`.
    pub wrap_single_values: bool,
    /// An `add` whose path is a value filter that matches no element
    /// (`emails[type eq "work"].value` on a user without a work email) appends a new element
    /// built from the filter's `eq` comparisons and the value (`{"type": "work", "value": …}`).
    /// Microsoft Entra ID sends `Add` this way when an attribute mapped to a typed element first
    /// gets a value. Only filters made of `eq` comparisons joined by `and` qualify. Strict:
    /// `no_target`.
    pub add_creates_filtered_value: bool,
}

impl Default for PatchTolerance {
    fn default() -> Self {
        Self {
            op_any_case: true,
            string_booleans: true,
            dotted_value_keys: true,
            remove_by_value: true,
            readonly_echo: true,
            empty_operations: true,
            wrap_single_values: true,
            add_creates_filtered_value: true,
        }
    }
}

impl PatchTolerance {
    /// Every tolerance off: RFC 7644 exactly.
    pub fn strict() -> Self {
        Self {
            op_any_case: false,
            string_booleans: false,
            dotted_value_keys: false,
            remove_by_value: false,
            readonly_echo: false,
            empty_operations: false,
            wrap_single_values: false,
            add_creates_filtered_value: false,
        }
    }
}
