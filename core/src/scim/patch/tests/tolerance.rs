//! Each tolerance, on (what the identity provider sends works) and off (strict RFC).

use super::*;

fn without(change: impl FnOnce(&mut PatchTolerance)) -> PatchTolerance {
    let mut tolerance = PatchTolerance::default();
    change(&mut tolerance);
    tolerance
}

#[test]
fn defaults_are_all_on_and_deserialise_field_by_field() {
    let tolerance: PatchTolerance = serde_json::from_value(json!({"op_any_case": false})).unwrap();
    assert_eq!(tolerance, without(|t| t.op_any_case = false));
    let all: PatchTolerance = serde_json::from_value(json!({})).unwrap();
    assert_eq!(all, PatchTolerance::default());
    assert!(serde_json::from_value::<PatchTolerance>(json!({"unknown": true})).is_err());
    assert_ne!(PatchTolerance::strict(), PatchTolerance::default());
}

// Entra ID: {"op": "Replace", ...}
#[test]
fn op_any_case() {
    let ops = json!([{"op": "Replace", "path": "displayName", "value": "Babs"}]);
    assert_eq!(patch(&user(), ops.clone()).resource["displayName"], "Babs");
    let error = fails_with(
        &user(),
        ops,
        &without(|t| t.op_any_case = false),
        ErrorCode::InvalidPatch,
    );
    assert_eq!(error.path.as_deref(), Some("Operations[0].op"));
    assert_eq!(
        patch_strict(
            &user(),
            json!([{"op": "replace", "path": "title", "value": "x"}])
        )
        .resource["title"],
        "x"
    );
}

// Entra ID: {"op": "Replace", "path": "active", "value": "False"}
#[test]
fn string_booleans() {
    let ops = json!([{"op": "Replace", "path": "active", "value": "False"}]);
    assert_eq!(patch(&user(), ops.clone()).resource["active"], false);
    let out = patch(
        &user(),
        json!([{"op": "replace", "value": {"active": "TRUE"}}]),
    );
    assert_eq!(out.resource["active"], true);
    let out = patch(
        &user(),
        json!([{"op": "replace", "path": "emails[type eq \"home\"].primary", "value": "True"}]),
    );
    assert_eq!(out.resource["emails"][1]["primary"], true);
    assert_eq!(out.resource["emails"][0]["primary"], false);
    let out = patch(
        &user(),
        json!([{"op": "add", "path": "emails", "value": [{"value": "n@x.org", "primary": "true"}]}]),
    );
    assert_eq!(out.resource["emails"][2]["primary"], true);
    let off = without(|t| t.string_booleans = false);
    fails_with(
        &user(),
        json!([{"op": "replace", "path": "active", "value": "False"}]),
        &off,
        ErrorCode::InvalidValue,
    );
    // Never a boolean, whatever the tolerance.
    fails(
        &user(),
        json!([{"op": "replace", "path": "active", "value": "no"}]),
        ErrorCode::InvalidValue,
    );
    fails(
        &user(),
        json!([{"op": "replace", "path": "active", "value": 0}]),
        ErrorCode::InvalidValue,
    );
}

// Entra ID (aadOptscim062020): path-less replace with dotted and URN keys.
#[test]
fn dotted_value_keys() {
    let ops = json!([{"op": "replace", "value": {
        "displayName": "Bjfe",
        "name.givenName": "Kkom",
        "name.familyName": "Unua",
        format!("{ENTERPRISE}:employeeNumber"): "Aklq"
    }}]);
    let out = patch(&user(), ops.clone());
    assert_eq!(
        out.resource["name"],
        json!({"givenName": "Kkom", "familyName": "Unua"})
    );
    assert_eq!(out.resource[ENTERPRISE]["employeeNumber"], "Aklq");
    assert_eq!(out.resource[ENTERPRISE]["department"], "Tour Operations");
    assert_eq!(out.changes.len(), 4);
    // Also for a user that does not list the enterprise schema yet.
    let bare = json!({"schemas": [USER_URN], "userName": "x"});
    let out = patch(
        &bare,
        json!([{"op": "replace", "value": {format!("{ENTERPRISE}:department"): "Sales"}}]),
    );
    assert_eq!(out.resource[ENTERPRISE], json!({"department": "Sales"}));
    assert_eq!(out.resource["schemas"], json!([USER_URN, ENTERPRISE]));
    let off = without(|t| t.dotted_value_keys = false);
    let error = fails_with(
        &user(),
        json!([{"op": "replace", "value": {"name.givenName": "K"}}]),
        &off,
        ErrorCode::InvalidPath,
    );
    assert_eq!(
        error.path.as_deref(),
        Some("Operations[0].value.name.givenName")
    );
    fails_with(
        &user(),
        json!([{"op": "replace", "value": {format!("{ENTERPRISE}:department"): "Sales"}}]),
        &off,
        ErrorCode::InvalidValue,
    );
}

// Entra ID (without aadOptscim062020), JumpCloud: remove members listed in value.
#[test]
fn remove_by_value() {
    let ops = json!([{"op": "Remove", "path": "members", "value": [{"value": BABS}]}]);
    let out = patch(&group(&[BABS, JAMES]), ops.clone());
    assert_eq!(out.resource["members"], json!([{"value": JAMES}]));
    assert_eq!(out.member_changes.removed, vec![BABS.to_string()]);
    // Listing a non-member is a no-op, and a single object is one element.
    let out = patch(
        &group(&[JAMES]),
        json!([{"op": "remove", "path": "members", "value": {"value": BABS, "$ref": null}}]),
    );
    assert_eq!(out.resource, group(&[JAMES]));
    let off = without(|t| t.remove_by_value = false);
    let error = fails_with(
        &group(&[BABS]),
        json!([{"op": "remove", "path": "members", "value": [{"value": BABS}]}]),
        &off,
        ErrorCode::InvalidPatch,
    );
    assert_eq!(error.path.as_deref(), Some("Operations[0].value"));
    // With a filter the value has no meaning: refused either way.
    fails(
        &group(&[BABS]),
        json!([{"op": "remove", "path": format!("members[value eq \"{BABS}\"]"), "value": [{"value": BABS}]}]),
        ErrorCode::InvalidPatch,
    );
}

// Okta: group rename with the group's id, sent with every membership update.
#[test]
fn readonly_echo() {
    let resource = group(&[BABS]);
    let id = resource["id"].clone();
    let ops = json!([
        {"op": "replace", "value": {"id": id, "displayName": "Tour Guides"}},
        {"op": "remove", "path": format!("members[value eq \"{BABS}\"]")},
        {"op": "add", "path": "members", "value": [{"value": JAMES, "display": "James"}]}
    ]);
    let out = patch(&resource, ops.clone());
    assert_eq!(out.resource["displayName"], "Tour Guides");
    assert_eq!(out.member_changes.added, vec![JAMES.to_string()]);
    assert_eq!(out.member_changes.removed, vec![BABS.to_string()]);
    assert_eq!(
        out.changes.len(),
        2,
        "the id echo and the unchanged name record nothing"
    );
    let off = without(|t| t.readonly_echo = false);
    let error = fails_with(&resource, ops, &off, ErrorCode::Mutability);
    assert_eq!(error.code.scim_type(), Some("mutability"));
    // A different id is refused either way.
    fails(
        &resource,
        json!([{"op": "replace", "value": {"id": "other"}}]),
        ErrorCode::Mutability,
    );
}

#[test]
fn empty_operations() {
    let out = patch(&user(), json!([]));
    assert_eq!(out.resource, user());
    assert!(out.changes.is_empty());
    fails_with(
        &user(),
        json!([]),
        &PatchTolerance::strict(),
        ErrorCode::InvalidPatch,
    );
}

#[test]
fn wrap_single_values() {
    let ops = json!([{"op": "add", "path": "members", "value": {"value": BABS}}]);
    let out = patch(&group(&[]), ops.clone());
    assert_eq!(out.resource["members"], json!([{"value": BABS}]));
    let off = without(|t| t.wrap_single_values = false);
    fails_with(&group(&[]), ops, &off, ErrorCode::InvalidValue);
}

// Entra ID: Add on emails[type eq "work"].value for a user without a work email.
#[test]
fn add_creates_filtered_value() {
    let resource = json!({"schemas": [USER_URN], "userName": "b"});
    let ops =
        json!([{"op": "Add", "path": "emails[type eq \"work\"].value", "value": "b@example.com"}]);
    let out = patch(&resource, ops);
    assert_eq!(
        out.resource["emails"],
        json!([{"type": "work", "value": "b@example.com"}])
    );
    // A second add through the same filter now updates that element.
    let again =
        json!([{"op": "add", "path": "emails[type eq \"work\"].value", "value": "c@example.com"}]);
    let out = patch(&out.resource, again);
    assert_eq!(
        out.resource["emails"],
        json!([{"type": "work", "value": "c@example.com"}])
    );
    let out = patch(
        &resource,
        json!([{"op": "add", "path": "addresses[type eq \"work\" and country eq \"US\"]", "value": {"locality": "LA"}}]),
    );
    assert_eq!(
        out.resource["addresses"],
        json!([{"type": "work", "country": "US", "locality": "LA"}])
    );
    // Only eq-and filters describe an element.
    fails(
        &resource,
        json!([{"op": "add", "path": "emails[type ne \"work\"].value", "value": "x"}]),
        ErrorCode::NoTarget,
    );
    let off = without(|t| t.add_creates_filtered_value = false);
    fails_with(
        &resource,
        json!([{"op": "add", "path": "emails[type eq \"work\"].value", "value": "b@example.com"}]),
        &off,
        ErrorCode::NoTarget,
    );
}

#[test]
fn entra_disable_user_without_compliance_flag() {
    let out = patch(
        &user(),
        json!([{"op": "Replace", "path": "active", "value": "False"}]),
    );
    assert_eq!(out.resource["active"], false);
    assert_eq!(out.changes[0].old, Some(json!(true)));
}

#[test]
fn okta_deactivate_user() {
    let out = patch_strict(
        &user(),
        json!([{"op": "replace", "value": {"active": false}}]),
    );
    assert_eq!(out.resource["active"], false);
}
