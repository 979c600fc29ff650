use super::*;
use crate::scim::filter::AttrPath;

fn user() -> Value {
    json!({
        "schemas": [USER_SCHEMA, ENTERPRISE_USER_SCHEMA],
        "id": "2819c223",
        "externalId": "701984",
        "userName": "bjensen@example.com",
        "password": "t1meMa$heen",
        "name": {"familyName": "Jensen", "givenName": "Barbara"},
        "emails": [
            {"value": "bjensen@example.com", "type": "work", "primary": true},
            {"value": "babs@jensen.org", "type": "home"}
        ],
        "active": true,
        "x-custom": 1,
        ENTERPRISE_USER_SCHEMA: {
            "employeeNumber": "701984",
            "department": "Tour Operations",
            "manager": {"value": "26118915", "displayName": "John Smith"}
        },
        "meta": {"resourceType": "User", "version": "W/\"3\""}
    })
}

fn paths(text: &str) -> Vec<AttrPath> {
    list(&format!("attributes={text}")).projection.attributes
}

fn attributes(text: &str) -> Projection {
    Projection {
        attributes: paths(text),
        excluded_attributes: Vec::new(),
    }
}

fn excluding(text: &str) -> Projection {
    Projection {
        attributes: Vec::new(),
        excluded_attributes: paths(text),
    }
}

fn shaped(projection: &Projection) -> Value {
    project(&user(), projection, ResourceKind::User).unwrap()
}

fn keys(value: &Value) -> Vec<&str> {
    let mut keys: Vec<&str> = value
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort_unstable();
    keys
}

#[test]
fn default_drops_password_only() {
    let out = shaped(&Projection::default());
    let mut expected = user();
    expected.as_object_mut().unwrap().remove("password");
    assert_eq!(out, expected);
}

#[test]
fn attributes_keep_only_those_named_and_the_always_ones() {
    let out = shaped(&attributes("userName"));
    assert_eq!(keys(&out), ["id", "meta", "schemas", "userName"]);
    let qualified = shaped(&attributes(&format!("{USER_SCHEMA}:userName,externalId")));
    assert_eq!(
        keys(&qualified),
        ["externalId", "id", "meta", "schemas", "userName"]
    );
}

#[test]
fn sub_attribute_paths_keep_only_those_sub_attributes() {
    let out = shaped(&attributes("name.givenName,emails.value"));
    assert_eq!(out["name"], json!({"givenName": "Barbara"}));
    assert_eq!(
        out["emails"],
        json!([{"value": "bjensen@example.com"}, {"value": "babs@jensen.org"}])
    );
    let none_left = shaped(&attributes("emails.display,name.middleName"));
    assert!(none_left.get("emails").is_none());
    assert!(none_left.get("name").is_none());
}

#[test]
fn extension_attributes_are_named_with_their_urn() {
    let out = shaped(&attributes(&format!(
        "{ENTERPRISE_USER_SCHEMA}:employeeNumber,{ENTERPRISE_USER_SCHEMA}:manager.value"
    )));
    assert_eq!(
        out[ENTERPRISE_USER_SCHEMA],
        json!({"employeeNumber": "701984", "manager": {"value": "26118915"}})
    );
    let whole = shaped(&attributes(ENTERPRISE_USER_SCHEMA));
    assert_eq!(
        whole[ENTERPRISE_USER_SCHEMA],
        user()[ENTERPRISE_USER_SCHEMA]
    );
    assert!(whole.get("userName").is_none());
    // Unqualified names are core attributes only.
    let unqualified = shaped(&attributes("employeeNumber"));
    assert!(unqualified.get(ENTERPRISE_USER_SCHEMA).is_none());
}

#[test]
fn excluded_attributes_drop_attributes_sub_attributes_and_extensions() {
    let out = shaped(&excluding("emails,name.givenName,x-custom"));
    assert!(out.get("emails").is_none());
    assert!(out.get("x-custom").is_none());
    assert_eq!(out["name"], json!({"familyName": "Jensen"}));
    assert_eq!(out["userName"], "bjensen@example.com");
    let no_extension = shaped(&excluding(ENTERPRISE_USER_SCHEMA));
    assert!(no_extension.get(ENTERPRISE_USER_SCHEMA).is_none());
    let no_department = shaped(&excluding(&format!("{ENTERPRISE_USER_SCHEMA}:department")));
    assert!(no_department[ENTERPRISE_USER_SCHEMA]
        .get("department")
        .is_none());
    assert!(no_department[ENTERPRISE_USER_SCHEMA]
        .get("employeeNumber")
        .is_some());
}

#[test]
fn always_and_never_win_over_the_request() {
    let out = shaped(&excluding("id,schemas,meta"));
    assert_eq!(
        keys(&out)
            .iter()
            .filter(|k| ["id", "schemas", "meta"].contains(k))
            .count(),
        3
    );
    let password = shaped(&attributes("password"));
    assert!(password.get("password").is_none());
    assert_eq!(keys(&password), ["id", "meta", "schemas"]);
}

#[test]
fn both_parameters_apply() {
    let projection = Projection {
        attributes: paths("userName,emails"),
        excluded_attributes: paths("emails.type"),
    };
    let out = shaped(&projection);
    assert_eq!(keys(&out), ["emails", "id", "meta", "schemas", "userName"]);
    assert_eq!(
        out["emails"][0],
        json!({"value": "bjensen@example.com", "primary": true})
    );
}

#[test]
fn names_ignore_case() {
    let resource =
        json!({"ID": "1", "UserName": "b", "Name": {"GivenName": "B", "familyName": "J"}});
    let out = project(
        &resource,
        &attributes("USERNAME,name.givenname"),
        ResourceKind::User,
    )
    .unwrap();
    assert_eq!(
        out,
        json!({"ID": "1", "UserName": "b", "Name": {"GivenName": "B"}})
    );
    let out = project(&resource, &excluding("PASSWORD,NAME"), ResourceKind::User).unwrap();
    assert_eq!(out, json!({"ID": "1", "UserName": "b"}));
}

#[test]
fn entra_excludes_group_members() {
    let group = json!({
        "schemas": [GROUP_SCHEMA],
        "id": "e9e30dba",
        "displayName": "G",
        "members": [{"value": "2819c223", "$ref": "https://h/Users/2819c223", "display": "Babs"}],
        "meta": {"resourceType": "Group"}
    });
    let out = project(&group, &excluding("members"), ResourceKind::Group).unwrap();
    assert_eq!(keys(&out), ["displayName", "id", "meta", "schemas"]);
    let refs = project(&group, &attributes("members.$ref"), ResourceKind::Group).unwrap();
    assert_eq!(
        refs["members"],
        json!([{"$ref": "https://h/Users/2819c223"}])
    );
    // The enterprise extension is not a Group extension: its URN is an unknown attribute.
    let odd = json!({"id": "g", ENTERPRISE_USER_SCHEMA: {"a": 1}});
    let out = project(
        &odd,
        &excluding(&format!("{ENTERPRISE_USER_SCHEMA}:a")),
        ResourceKind::Group,
    )
    .unwrap();
    assert_eq!(out, odd);
}

#[test]
fn non_objects_and_simple_values_pass_through() {
    assert_eq!(
        project(&json!([1, 2]), &Projection::default(), ResourceKind::User).unwrap(),
        json!([1, 2])
    );
    let resource = json!({"id": "1", "userName": "b", "emails": ["plain@x"]});
    let out = project(
        &resource,
        &attributes("userName.x,emails.value"),
        ResourceKind::User,
    )
    .unwrap();
    assert_eq!(out, resource);
}
