//! The examples of RFC 7644 §3.5.2.1–3.5.2.3, as printed there.

use super::*;

#[test]
fn add_member_to_group() {
    let out = patch(
        &group(&[JAMES]),
        json!([{
            "op": "add",
            "path": "members",
            "value": [{
                "display": "Babs Jensen",
                "$ref": format!("https://example.com/v2/Users/{BABS}"),
                "value": BABS
            }]
        }]),
    );
    assert_eq!(out.resource["members"].as_array().unwrap().len(), 2);
    assert_eq!(out.resource["members"][1]["display"], "Babs Jensen");
    assert_eq!(out.member_changes.added, vec![BABS.to_string()]);
    assert!(out.member_changes.removed.is_empty());
}

#[test]
fn add_without_path() {
    let out = patch(
        &user(),
        json!([{
            "op": "add",
            "value": {
                "emails": [{"value": "babs@jensen.org", "type": "home"}],
                "nickname": "Babs"
            }
        }]),
    );
    // The home address was already there: not duplicated.
    assert_eq!(out.resource["emails"], user()["emails"]);
    assert_eq!(out.resource["nickname"], "Babs");
    assert_eq!(out.changes.len(), 1);
    assert_eq!(out.changes[0].path, "nickname");
    assert_eq!(out.changes[0].kind, ChangeKind::Added);
}

#[test]
fn remove_single_member() {
    let out = patch(
        &group(&[BABS, JAMES]),
        json!([{"op": "remove", "path": format!("members[value eq \"{BABS}\"]")}]),
    );
    assert_eq!(out.resource["members"], json!([{"value": JAMES}]));
    assert_eq!(out.member_changes.removed, vec![BABS.to_string()]);
}

#[test]
fn remove_all_members() {
    let out = patch(
        &group(&[BABS, JAMES]),
        json!([{"op": "remove", "path": "members"}]),
    );
    assert!(out.resource.get("members").is_none());
    assert_eq!(
        out.member_changes.removed,
        vec![BABS.to_string(), JAMES.to_string()]
    );
}

#[test]
fn remove_emails_by_compound_filter() {
    let resource = json!({
        "schemas": [USER_URN],
        "emails": [
            {"value": "a@example.com", "type": "work"},
            {"value": "a@example.org", "type": "work"},
            {"value": "a@example.com", "type": "home"}
        ]
    });
    let out = patch(
        &resource,
        json!([{"op": "remove", "path": "emails[type eq \"work\" and value ew \"example.com\"]"}]),
    );
    assert_eq!(
        out.resource["emails"],
        json!([{"value": "a@example.org", "type": "work"}, {"value": "a@example.com", "type": "home"}])
    );
}

#[test]
fn remove_all_members_then_add_new_ones() {
    let out = patch(
        &group(&[BABS]),
        json!([
            {"op": "remove", "path": "members"},
            {"op": "add", "path": "members", "value": [
                {"display": "Babs Jensen", "$ref": format!("https://example.com/v2/Users/{BABS}"), "value": BABS},
                {"display": "James Smith", "$ref": format!("https://example.com/v2/Users/{JAMES}"), "value": JAMES}
            ]}
        ]),
    );
    assert_eq!(out.resource["members"].as_array().unwrap().len(), 2);
    // Net: Babs stayed, James joined.
    assert_eq!(out.member_changes.added, vec![JAMES.to_string()]);
    assert!(out.member_changes.removed.is_empty());
}

#[test]
fn replace_all_members() {
    let out = patch(
        &group(&["old-member"]),
        json!([{
            "op": "replace",
            "path": "members",
            "value": [
                {"display": "Babs Jensen", "$ref": format!("https://example.com/v2/Users/{BABS}"), "value": BABS},
                {"display": "James Smith", "$ref": format!("https://example.com/v2/Users/{JAMES}"), "value": JAMES}
            ]
        }]),
    );
    assert_eq!(
        out.member_changes.added,
        vec![BABS.to_string(), JAMES.to_string()]
    );
    assert_eq!(out.member_changes.removed, vec!["old-member".to_string()]);
}

#[test]
fn replace_work_address() {
    let address = json!({
        "type": "work",
        "streetAddress": "911 Universal City Plaza",
        "locality": "Hollywood",
        "region": "CA",
        "postalCode": "91608",
        "country": "US",
        "formatted": "911 Universal City Plaza\nHollywood, CA 91608 US",
        "primary": true
    });
    let out = patch(
        &user(),
        json!([{"op": "replace", "path": "addresses[type eq \"work\"]", "value": address}]),
    );
    assert_eq!(out.resource["addresses"][0], address);
    assert_eq!(out.resource["addresses"][1], user()["addresses"][1]);
}

#[test]
fn replace_work_street_address() {
    let out = patch(
        &user(),
        json!([{
            "op": "replace",
            "path": "addresses[type eq \"work\"].streetAddress",
            "value": "1010 Broadway Ave"
        }]),
    );
    assert_eq!(
        out.resource["addresses"][0]["streetAddress"],
        "1010 Broadway Ave"
    );
    assert_eq!(out.resource["addresses"][0]["locality"], "Hollywood");
    assert_eq!(out.resource["addresses"][1], user()["addresses"][1]);
}

#[test]
fn replace_without_path() {
    let out = patch(
        &user(),
        json!([{
            "op": "replace",
            "value": {
                "emails": [
                    {"value": "bjensen@example.com", "type": "work", "primary": true},
                    {"value": "babs@jensen.org", "type": "home"}
                ],
                "nickname": "Babs"
            }
        }]),
    );
    assert_eq!(out.resource["emails"], user()["emails"]);
    assert_eq!(out.resource["nickname"], "Babs");
    assert_eq!(out.changes.len(), 1, "{:?}", out.changes);
}
