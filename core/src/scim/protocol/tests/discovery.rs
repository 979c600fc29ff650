use super::*;

const BASE: &str = "https://example.com/scim/v2/";

/// Checks every attribute definition carries RFC 7643 §7's characteristics, recursively.
fn check_attributes(attributes: &Value, at: &str) -> usize {
    let mut count = 0;
    for attribute in attributes.as_array().unwrap() {
        let name = attribute["name"].as_str().unwrap();
        let at = format!("{at}.{name}");
        let kind = attribute["type"].as_str().unwrap();
        assert!(
            [
                "string",
                "boolean",
                "decimal",
                "integer",
                "dateTime",
                "binary",
                "reference",
                "complex"
            ]
            .contains(&kind),
            "{at}"
        );
        assert!(attribute["multiValued"].is_boolean(), "{at}");
        assert!(attribute["required"].is_boolean(), "{at}");
        let mutability = attribute["mutability"].as_str().unwrap();
        assert!(
            ["readOnly", "readWrite", "immutable", "writeOnly"].contains(&mutability),
            "{at}"
        );
        let returned = attribute["returned"].as_str().unwrap();
        assert!(
            ["always", "never", "default", "request"].contains(&returned),
            "{at}"
        );
        if ["string", "reference", "binary"].contains(&kind) {
            assert!(attribute["caseExact"].is_boolean(), "{at}");
            let uniqueness = attribute["uniqueness"].as_str().unwrap();
            assert!(["none", "server", "global"].contains(&uniqueness), "{at}");
        }
        if kind == "reference" {
            assert!(attribute["referenceTypes"].is_array(), "{at}");
        }
        if kind == "complex" {
            count += check_attributes(&attribute["subAttributes"], &at);
        }
        count += 1;
    }
    count
}

fn attribute<'a>(schema: &'a Value, name: &str) -> &'a Value {
    schema["attributes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["name"] == name)
        .unwrap_or_else(|| panic!("no attribute {name}"))
}

#[test]
fn schemas_list_the_three_schemas() {
    let list = schemas(BASE).unwrap();
    assert_eq!(list["schemas"], json!([LIST_RESPONSE]));
    assert_eq!(list["totalResults"], 3);
    let ids: Vec<&str> = list["Resources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, [USER_SCHEMA, GROUP_SCHEMA, ENTERPRISE_USER_SCHEMA]);
    for schema in list["Resources"].as_array().unwrap() {
        assert_eq!(
            schema["schemas"],
            json!(["urn:ietf:params:scim:schemas:core:2.0:Schema"])
        );
        assert_eq!(schema["meta"]["resourceType"], "Schema");
        assert!(check_attributes(&schema["attributes"], schema["name"].as_str().unwrap()) > 0);
    }
}

#[test]
fn schema_characteristics_follow_rfc_7643() {
    let user = schema(USER_SCHEMA, BASE).unwrap();
    assert_eq!(
        user["meta"]["location"],
        format!("https://example.com/scim/v2/Schemas/{USER_SCHEMA}")
    );
    let user_name = attribute(&user, "userName");
    assert_eq!(user_name["uniqueness"], "server");
    assert_eq!(user_name["required"], true);
    assert_eq!(user_name["caseExact"], false);
    let password = attribute(&user, "password");
    assert_eq!(
        (&password["returned"], &password["mutability"]),
        (&json!("never"), &json!("writeOnly"))
    );
    assert_eq!(attribute(&user, "groups")["mutability"], "readOnly");
    assert_eq!(attribute(&user, "emails")["multiValued"], true);
    assert_eq!(
        check_attributes(&user["attributes"], "User"),
        21 + 6 + 4 * 7 + 8 + 4
    );
    let group = schema(GROUP_SCHEMA, BASE).unwrap();
    let members = attribute(&group, "members");
    assert_eq!(members["multiValued"], true);
    assert_eq!(members["subAttributes"][0]["mutability"], "immutable");
    let enterprise = schema(ENTERPRISE_USER_SCHEMA, BASE).unwrap();
    assert_eq!(attribute(&enterprise, "manager")["type"], "complex");
    assert_eq!(enterprise["name"], "EnterpriseUser");
}

#[test]
fn schema_lookup_ignores_case_and_refuses_unknowns() {
    assert!(schema(&USER_SCHEMA.to_uppercase(), BASE).is_ok());
    assert_eq!(code(schema("urn:example:nope", BASE)), ErrorCode::NotFound);
}

#[test]
fn service_provider_config_advertises_what_is_supported() {
    let limits = Limits {
        max_page_size: 200,
        ..Limits::default()
    };
    let config = service_provider_config(&limits, BASE);
    assert_eq!(
        config["schemas"],
        json!(["urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"])
    );
    assert_eq!(config["patch"]["supported"], true);
    assert_eq!(config["bulk"]["supported"], false);
    assert_eq!(
        config["filter"],
        json!({"supported": true, "maxResults": 200})
    );
    assert_eq!(config["changePassword"]["supported"], false);
    assert_eq!(config["sort"]["supported"], true);
    assert_eq!(config["etag"]["supported"], true);
    assert_eq!(
        config["authenticationSchemes"][0]["type"],
        "oauthbearertoken"
    );
    assert_eq!(
        config["meta"]["location"],
        "https://example.com/scim/v2/ServiceProviderConfig"
    );
}

#[test]
fn resource_types_user_with_enterprise_and_group() {
    let list = resource_types(BASE);
    assert_eq!(list["totalResults"], 2);
    let user = &list["Resources"][0];
    assert_eq!(user["endpoint"], "/Users");
    assert_eq!(user["schema"], USER_SCHEMA);
    assert_eq!(
        user["schemaExtensions"],
        json!([{"schema": ENTERPRISE_USER_SCHEMA, "required": false}])
    );
    assert_eq!(
        user["meta"]["location"],
        "https://example.com/scim/v2/ResourceTypes/User"
    );
    let group = resource_type("group", BASE).unwrap();
    assert_eq!(group["endpoint"], "/Groups");
    assert!(group.get("schemaExtensions").is_none());
    assert_eq!(code(resource_type("Device", BASE)), ErrorCode::NotFound);
}

#[test]
fn resource_kinds() {
    assert_eq!(ResourceKind::User.name(), "User");
    assert_eq!(ResourceKind::Group.endpoint(), "/Groups");
    assert_eq!(ResourceKind::Group.schema(), GROUP_SCHEMA);
    assert!(ResourceKind::Group.extensions().is_empty());
}
