//! Every operation on every kind of path, multi-valued rules, changes and atomicity.

use super::*;

// ---- add ----

#[test]
fn add_simple_attribute_sets_or_overwrites() {
    let out = patch(
        &user(),
        json!([{"op": "add", "path": "title", "value": "Tour Guide"}]),
    );
    assert_eq!(out.resource["title"], "Tour Guide");
    let out = patch(
        &user(),
        json!([{"op": "add", "path": "userName", "value": "babs"}]),
    );
    assert_eq!(out.resource["userName"], "babs");
    assert_eq!(out.changes[0].old, Some(json!("bjensen")));
    assert_eq!(out.changes[0].new, Some(json!("babs")));
}

#[test]
fn add_to_multi_valued_appends_without_duplicates() {
    let out = patch(
        &user(),
        json!([{"op": "add", "path": "emails", "value": [
            {"value": "bjensen@example.com", "type": "work"},
            {"value": "b@other.org", "type": "other"}
        ]}]),
    );
    let emails = out.resource["emails"].as_array().unwrap();
    assert_eq!(emails.len(), 3);
    assert_eq!(emails[2]["value"], "b@other.org");
    // Adding an identical member twice changes nothing.
    let out = patch(
        &group(&[BABS]),
        json!([{"op": "add", "path": "members", "value": [{"value": BABS}]}]),
    );
    assert_eq!(out.resource, group(&[BABS]));
    assert!(out.changes.is_empty());
    assert!(out.member_changes.added.is_empty());
}

#[test]
fn add_known_multi_valued_attribute_to_empty_resource() {
    let out = patch(
        &json!({"schemas": [USER_URN]}),
        json!([{"op": "add", "path": "phoneNumbers", "value": [{"value": "555-1234", "type": "work"}]}]),
    );
    assert_eq!(
        out.resource["phoneNumbers"],
        json!([{"value": "555-1234", "type": "work"}])
    );
}

#[test]
fn add_complex_merges_sub_attributes() {
    let out = patch(
        &user(),
        json!([{"op": "add", "path": "name", "value": {"middleName": "Jane"}}]),
    );
    assert_eq!(
        out.resource["name"],
        json!({"givenName": "Barbara", "familyName": "Jensen", "middleName": "Jane"})
    );
}

#[test]
fn add_sub_attribute() {
    let out = patch(
        &user(),
        json!([{"op": "add", "path": "name.honorificPrefix", "value": "Ms."}]),
    );
    assert_eq!(out.resource["name"]["honorificPrefix"], "Ms.");
    assert_eq!(out.resource["name"]["givenName"], "Barbara");
    let out = patch(
        &json!({"schemas": [USER_URN]}),
        json!([{"op": "add", "path": "name.givenName", "value": "Babs"}]),
    );
    assert_eq!(out.resource["name"], json!({"givenName": "Babs"}));
}

#[test]
fn add_through_value_filter() {
    let out = patch(
        &user(),
        json!([{"op": "add", "path": "emails[type eq \"work\"]", "value": {"display": "Work"}}]),
    );
    assert_eq!(out.resource["emails"][0]["display"], "Work");
    assert_eq!(out.resource["emails"][0]["value"], "bjensen@example.com");
    assert!(out.resource["emails"][1].get("display").is_none());
}

#[test]
fn add_through_value_filter_with_sub_attribute() {
    let out = patch(
        &user(),
        json!([{"op": "add", "path": "emails[type eq \"work\"].value", "value": "babs@example.com"}]),
    );
    assert_eq!(out.resource["emails"][0]["value"], "babs@example.com");
    assert_eq!(out.changes[0].path, "emails[type eq \"work\"].value");
}

#[test]
fn add_extension_attribute() {
    let out = patch(
        &user(),
        json!([{"op": "add", "path": format!("{ENTERPRISE}:costCenter"), "value": "4130"}]),
    );
    assert_eq!(out.resource[ENTERPRISE]["costCenter"], "4130");
    assert_eq!(out.resource[ENTERPRISE]["department"], "Tour Operations");
}

#[test]
fn add_to_a_new_extension_creates_it_and_lists_its_schema() {
    let urn = "urn:example:params:scim:schemas:extension:acme:2.0:User";
    let out = patch(
        &json!({"schemas": [USER_URN], "userName": "b"}),
        json!([{"op": "add", "path": format!("{urn}:badge"), "value": "B-7"}]),
    );
    assert_eq!(out.resource[urn], json!({"badge": "B-7"}));
    assert_eq!(out.resource["schemas"], json!([USER_URN, urn]));
}

#[test]
fn add_core_urn_qualified_attribute_lives_at_top_level() {
    let out = patch(
        &user(),
        json!([{"op": "add", "path": format!("{USER_URN}:nickName"), "value": "Babs"}]),
    );
    assert_eq!(out.resource["nickName"], "Babs");
    assert!(out.resource.get(USER_URN).is_none());
}

#[test]
fn attribute_names_are_case_insensitive_and_keep_their_spelling() {
    let out = patch(
        &user(),
        json!([
            {"op": "replace", "path": "NAME.GIVENNAME", "value": "Babs"},
            {"op": "replace", "path": "Emails[TYPE eq \"WORK\"].Value", "value": "x@example.com"}
        ]),
    );
    assert_eq!(out.resource["name"]["givenName"], "Babs");
    assert!(out.resource["name"].get("GIVENNAME").is_none());
    assert_eq!(out.resource["emails"][0]["value"], "x@example.com");
}

// ---- replace ----

#[test]
fn replace_simple_attribute_and_absent_one() {
    let out = patch(
        &user(),
        json!([{"op": "replace", "path": "userName", "value": "babs"}]),
    );
    assert_eq!(out.resource["userName"], "babs");
    assert_eq!(out.changes[0].kind, ChangeKind::Replaced);
    // An absent target is added.
    let out = patch(
        &user(),
        json!([{"op": "replace", "path": "title", "value": "Guide"}]),
    );
    assert_eq!(out.resource["title"], "Guide");
}

#[test]
fn replace_multi_valued_attribute_whole() {
    let out = patch(
        &user(),
        json!([{"op": "replace", "path": "emails", "value": [{"value": "only@example.com"}]}]),
    );
    assert_eq!(
        out.resource["emails"],
        json!([{"value": "only@example.com"}])
    );
    let out = patch(
        &user(),
        json!([{"op": "replace", "path": "emails", "value": []}]),
    );
    assert!(out.resource.get("emails").is_none());
}

#[test]
fn replace_complex_keeps_unnamed_sub_attributes() {
    let out = patch(
        &user(),
        json!([{"op": "replace", "path": "name", "value": {"givenName": "Babs"}}]),
    );
    assert_eq!(
        out.resource["name"],
        json!({"givenName": "Babs", "familyName": "Jensen"})
    );
}

#[test]
fn replace_sub_attribute() {
    let out = patch(
        &user(),
        json!([{"op": "replace", "path": "name.familyName", "value": "Smith"}]),
    );
    assert_eq!(
        out.resource["name"],
        json!({"givenName": "Barbara", "familyName": "Smith"})
    );
}

#[test]
fn replace_sub_attribute_of_every_element() {
    let out = patch(
        &user(),
        json!([{"op": "replace", "path": "addresses.locality", "value": "LA"}]),
    );
    assert_eq!(out.resource["addresses"][0]["locality"], "LA");
    assert_eq!(out.resource["addresses"][1]["locality"], "LA");
}

#[test]
fn replace_extension_sub_attribute() {
    let out = patch(
        &user(),
        json!([{"op": "replace", "path": format!("{ENTERPRISE}:manager.value"), "value": "99"}]),
    );
    assert_eq!(out.resource[ENTERPRISE]["manager"], json!({"value": "99"}));
    assert_eq!(out.changes[0].path, format!("{ENTERPRISE}:manager.value"));
}

#[test]
fn replace_with_null_removes() {
    let out = patch(
        &user(),
        json!([{"op": "replace", "path": "name.familyName", "value": null}]),
    );
    assert_eq!(out.resource["name"], json!({"givenName": "Barbara"}));
}

#[test]
fn replace_without_path_with_extension_object() {
    let out = patch(
        &user(),
        json!([{"op": "replace", "value": {ENTERPRISE: {"department": "Sales"}, "displayName": "Babs"}}]),
    );
    assert_eq!(out.resource[ENTERPRISE]["department"], "Sales");
    assert_eq!(
        out.resource[ENTERPRISE]["manager"],
        json!({"value": "26118915"})
    );
    assert_eq!(out.resource["displayName"], "Babs");
    assert_eq!(out.changes.len(), 2);
}

// ---- remove ----

#[test]
fn remove_attribute_and_absent_attribute() {
    let out = patch(&user(), json!([{"op": "remove", "path": "name"}]));
    assert!(out.resource.get("name").is_none());
    assert_eq!(out.changes[0].kind, ChangeKind::Removed);
    assert_eq!(out.changes[0].new, None);
    let out = patch(&user(), json!([{"op": "remove", "path": "nickName"}]));
    assert_eq!(out.resource, user());
    assert!(out.changes.is_empty());
}

#[test]
fn remove_sub_attribute() {
    let out = patch(
        &user(),
        json!([{"op": "remove", "path": "name.familyName"}]),
    );
    assert_eq!(out.resource["name"], json!({"givenName": "Barbara"}));
}

#[test]
fn remove_last_sub_attribute_unassigns_the_attribute() {
    let out = patch(
        &user(),
        json!([{"op": "remove", "path": format!("{ENTERPRISE}:manager.value")}]),
    );
    assert!(out.resource[ENTERPRISE].get("manager").is_none());
}

#[test]
fn remove_through_value_filter_with_sub_attribute() {
    let out = patch(
        &user(),
        json!([{"op": "remove", "path": "addresses[type eq \"home\"].locality"}]),
    );
    assert!(out.resource["addresses"][1].get("locality").is_none());
    assert_eq!(out.resource["addresses"][0], user()["addresses"][0]);
}

#[test]
fn remove_extension_attribute() {
    let out = patch(
        &user(),
        json!([{"op": "remove", "path": format!("{ENTERPRISE}:department")}]),
    );
    assert!(out.resource[ENTERPRISE].get("department").is_none());
    let out = patch(
        &json!({"schemas": [USER_URN]}),
        json!([{"op": "remove", "path": format!("{ENTERPRISE}:department")}]),
    );
    assert!(out.changes.is_empty());
}

#[test]
fn remove_member_by_filter_in_any_case() {
    let out = patch(
        &group(&[BABS, JAMES]),
        json!([{"op": "remove", "path": format!("MEMBERS[VALUE EQ \"{JAMES}\"]")}]),
    );
    assert_eq!(out.member_changes.removed, vec![JAMES.to_string()]);
}

// ---- filters and types ----

#[test]
fn filters_follow_case_exactness() {
    // Email values are case-insensitive.
    let out = patch(
        &user(),
        json!([{"op": "remove", "path": "emails[value eq \"BJENSEN@EXAMPLE.COM\"]"}]),
    );
    assert_eq!(out.resource["emails"].as_array().unwrap().len(), 1);
    // Certificate values are caseExact.
    let resource = json!({"schemas": [USER_URN], "x509Certificates": [{"value": "MIIDQzCC"}]});
    fails(
        &resource,
        json!([{"op": "remove", "path": "x509Certificates[value eq \"miidqzcc\"]"}]),
        ErrorCode::NoTarget,
    );
}

// ---- primary ----

#[test]
fn added_primary_clears_the_others() {
    let out = patch(
        &user(),
        json!([{"op": "add", "path": "emails", "value": [{"value": "new@example.com", "primary": true}]}]),
    );
    assert_eq!(out.resource["emails"][0]["primary"], false);
    assert_eq!(out.resource["emails"][2]["primary"], true);
}

#[test]
fn primary_set_through_a_filter_clears_the_others() {
    let out = patch(
        &user(),
        json!([{"op": "replace", "path": "emails[type eq \"home\"].primary", "value": true}]),
    );
    assert_eq!(out.resource["emails"][0]["primary"], false);
    assert_eq!(out.resource["emails"][1]["primary"], true);
}

#[test]
fn replacing_a_list_with_two_primaries_keeps_the_last() {
    let out = patch(
        &user(),
        json!([{"op": "replace", "path": "emails", "value": [
            {"value": "a@example.com", "primary": true},
            {"value": "b@example.com", "primary": true}
        ]}]),
    );
    assert_eq!(out.resource["emails"][0]["primary"], false);
    assert_eq!(out.resource["emails"][1]["primary"], true);
}

#[test]
fn a_non_primary_write_leaves_primary_alone() {
    let out = patch(
        &user(),
        json!([{"op": "add", "path": "emails", "value": [{"value": "n@example.com", "primary": false}]}]),
    );
    assert_eq!(out.resource["emails"][0]["primary"], true);
}

// ---- outcome ----

#[test]
fn changes_keep_small_values_only() {
    let big: Vec<Value> = (0..50)
        .map(|i| json!({"value": format!("member-{i:04}")}))
        .collect();
    let resource = json!({"schemas": [GROUP_URN], "displayName": "G", "members": big});
    let out = patch(
        &resource,
        json!([
            {"op": "add", "path": "members", "value": [{"value": "new"}]},
            {"op": "replace", "path": "displayName", "value": "H"}
        ]),
    );
    assert_eq!(out.changes.len(), 2);
    assert_eq!(out.changes[0].old, None);
    assert_eq!(out.changes[0].new, None);
    assert_eq!(out.changes[1].old, Some(json!("G")));
    assert_eq!(out.changes[1].new, Some(json!("H")));
    assert_eq!(out.member_changes.added, vec!["new".to_string()]);
    let json = serde_json::to_value(&out.changes[1]).unwrap();
    assert_eq!(
        json,
        json!({"kind": "replaced", "path": "displayName", "old": "G", "new": "H"})
    );
}

#[test]
fn users_have_no_member_changes() {
    let resource = json!({"schemas": [USER_URN], "members": [{"value": "x"}]});
    let out = patch(&resource, json!([{"op": "remove", "path": "members"}]));
    assert_eq!(out.member_changes, MemberChanges::default());
}

#[test]
fn a_failing_third_operation_applies_nothing() {
    let original = user();
    let operations = json!([
        {"op": "replace", "path": "userName", "value": "babs"},
        {"op": "add", "path": "emails", "value": [{"value": "n@example.com"}]},
        {"op": "remove", "path": "emails[type eq \"fax\"]"}
    ]);
    let error = fails(&original, operations.clone(), ErrorCode::NoTarget);
    assert_eq!(error.path.as_deref(), Some("Operations[2]"));
    assert_eq!(original, user());
    // The first two alone do apply.
    let first_two = json!([operations[0].clone(), operations[1].clone()]);
    assert_eq!(patch(&original, first_two).changes.len(), 2);
}

#[test]
fn operations_see_the_result_of_the_previous_ones() {
    let out = patch(
        &group(&[]),
        json!([
            {"op": "add", "path": "members", "value": [{"value": "a"}, {"value": "b"}]},
            {"op": "remove", "path": "members[value eq \"a\"]"},
            {"op": "add", "path": "members", "value": [{"value": "c"}]}
        ]),
    );
    assert_eq!(
        out.resource["members"],
        json!([{"value": "b"}, {"value": "c"}])
    );
    assert_eq!(
        out.member_changes.added,
        vec!["b".to_string(), "c".to_string()]
    );
}
