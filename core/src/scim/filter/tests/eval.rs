use super::*;

fn m(filter: &str) -> bool {
    p(filter).matches(&bjensen(), &CoreSchemas)
}

#[test]
fn rfc_examples_against_bjensen() {
    let expected = [
        true, true, true, true, true, true, true, false, false, true, true, true, true, false,
        true, true, true,
    ];
    for (filter, expected) in RFC_EXAMPLES.iter().zip(expected) {
        let filter = filter.replace("bjensen\"", "bjensen@example.com\"");
        let filter = filter
            .replace("O'Malley", "ens")
            .replace("sw \"J\"", "sw \"B\"");
        assert_eq!(m(&filter), expected, "{filter}");
    }
}

#[test]
fn case_exact_follows_the_schema() {
    assert!(m(r#"USERNAME eq "BJENSEN@EXAMPLE.COM""#));
    assert!(m(r#"id eq "2819c223-7f76-453a-919d-413861904646""#));
    assert!(!m(r#"id eq "2819C223-7F76-453A-919D-413861904646""#));
    assert!(m(r#"externalId eq "701984""#));
    assert!(!m(r#"meta.resourceType eq "user""#));
    assert!(m(r#"meta.resourceType eq "User""#));
    assert!(m(r#"emails[type eq "WORK"]"#));
}

#[test]
fn string_operators() {
    assert!(m(r#"displayName co "S JEN""#));
    assert!(m(r#"displayName sw "babs""#));
    assert!(m(r#"displayName ew "jensen""#));
    assert!(!m(r#"displayName ew "babs""#));
    assert!(m(r#"displayName ne "Barbara""#));
    assert!(m(r#"title gt "tour""#));
    assert!(m(r#"title lt "u""#));
    assert!(m(r#"title ge "Tour Guide" and title le "TOUR GUIDE""#));
    assert!(m(r#"displayName co """#));
}

#[test]
fn multi_valued_attributes_match_any_value() {
    assert!(m(r#"emails eq "babs@jensen.org""#));
    assert!(m(r#"emails.value ew "@example.com""#));
    assert!(m(r#"emails.type eq "home""#));
    assert!(!m(r#"emails.type eq "other""#));
    assert!(m(r#"emails[type eq "work" and value co "@example.com"]"#));
    // Both conditions on the same element: the home address is not at example.com.
    assert!(!m(r#"emails[type eq "home" and value co "@example.com"]"#));
    assert!(m(r#"emails[not (type eq "work")]"#));
    assert!(m(
        r#"emails[primary eq true] and not (emails[primary eq false])"#
    ));
    assert!(m(r#"ims[type eq "aim"]"#));
    assert!(!m(r#"name[givenName eq "x"]"#));
    assert!(m(r#"name[givenName eq "barbara"]"#));
}

#[test]
fn date_times_compare_chronologically() {
    assert!(m(r#"meta.lastModified gt "2011-05-13T04:42:34Z""#));
    assert!(m(r#"meta.lastModified eq "2011-05-13T06:42:34.25+02:00""#));
    assert!(m(r#"meta.lastModified lt "2011-05-13T00:42:35-04:00""#));
    assert!(!m(r#"meta.lastModified lt "2011-05-13T00:42:34-04:00""#));
    assert!(m(r#"meta.created le "2010-01-23T04:56:22.000Z""#));
    // Lexically smaller, chronologically later.
    assert!(m(r#"meta.created lt "2010-01-22T23:00:00-08:00""#));
    assert!(!m(r#"meta.created gt "yesterday""#));
    assert!(!m(r#"meta.created sw "2010""#));
    assert!(m(r#"not (meta.created sw "2010")"#));
}

#[test]
fn numbers_and_booleans() {
    assert!(m("loginCount eq 42"));
    assert!(m("loginCount eq 42.0"));
    assert!(m("loginCount gt 41.5 and loginCount lt 4.25e1"));
    assert!(!m("loginCount lt 4.2e1"));
    assert!(m("loginCount ge -1"));
    assert!(!m("loginCount gt 18446744073709551615"));
    assert!(m("active eq True"));
    assert!(m("active ne false"));
    assert!(!m("active gt false"));
    assert!(!m(r#"active eq "true""#));
}

#[test]
fn type_mismatches_do_not_match() {
    assert!(!m("userName eq 5"));
    assert!(!m("userName ne 5"));
    assert!(!m(r#"loginCount eq "42""#));
    assert!(!m("loginCount co 4"));
    assert!(!m("title gt null"));
    assert!(m("not (userName eq 5)"));
}

#[test]
fn presence() {
    assert!(m("title pr"));
    assert!(m("emails pr"));
    assert!(m("name.givenName pr"));
    for absent in [
        "nickName",
        "x509Certificates",
        "addresses",
        "preferredLanguage",
        "missing",
    ] {
        assert!(!m(&format!("{absent} pr")), "{absent}");
        assert!(m(&format!("{absent} eq null")), "{absent}");
        assert!(!m(&format!("{absent} ne null")), "{absent}");
    }
    assert!(m("title ne null"));
    assert!(!m("title eq null"));
    let sparse = json!({"emails": [null, ""], "tags": [{}]});
    assert!(!p("emails pr").matches(&sparse, &CoreSchemas));
    assert!(!p("tags pr").matches(&sparse, &CoreSchemas));
}

#[test]
fn schema_urns() {
    assert!(m(&format!(r#"{USER}:userName sw "b""#)));
    assert!(m(&format!(r#"{}:USERNAME sw "b""#, USER.to_uppercase())));
    assert!(m(&format!(r#"{ENTERPRISE}:employeeNumber eq "701984""#)));
    assert!(m(&format!(r#"{ENTERPRISE}:manager.value sw "26118915""#)));
    assert!(m(&format!(
        r#"{ENTERPRISE}:manager eq "26118915-6090-4610-87e4-49d8ca9f808d""#
    )));
    assert!(m(&format!(
        r#"{}:DEPARTMENT co "tour""#,
        ENTERPRISE.to_lowercase()
    )));
    // Not an extension the resource holds, nor a core schema: nothing there.
    assert!(!m(r#"urn:example:other:1.0:User:userName pr"#));
    assert!(!m(&format!(r#"{ENTERPRISE}:userName pr"#)));
}

#[test]
fn keys_match_case_insensitively() {
    let resource = json!({"USERNAME": "Alice", "Emails": [{"VALUE": "a@x.org", "Type": "work"}]});
    assert!(p(r#"userName eq "alice""#).matches(&resource, &CoreSchemas));
    assert!(p(r#"emails[type eq "work" and value ew "x.org"]"#).matches(&resource, &CoreSchemas));
    assert!(p(r#"emails eq "A@X.ORG""#).matches(&resource, &CoreSchemas));
}

#[test]
fn idp_lookups() {
    let group = json!({
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"],
        "id": "2819c223",
        "displayName": "Group",
        "members": [{"value": "26118915", "type": "User"}]
    });
    assert!(p(IDP_EXAMPLES[3]).matches(&group, &CoreSchemas));
    assert!(p(IDP_EXAMPLES[4]).matches(&group, &CoreSchemas));
    assert!(!p(r#"members[value eq "nobody"]"#).matches(&group, &CoreSchemas));
    assert!(!p(IDP_EXAMPLES[0]).matches(&bjensen(), &CoreSchemas));
    assert!(m(r#"userName eq "BJensen@Example.com""#));
}

#[test]
fn value_path_paths_are_typed_as_sub_attributes() {
    /// Like the core schemas, but `emails.type` is case-exact.
    struct ExactTypes;
    impl AttributeTypes for ExactTypes {
        fn attribute_type(&self, path: &AttrPath) -> AttrType {
            let exact = path.attr.eq_ignore_ascii_case("emails")
                && path.sub_attr.as_deref() == Some("type");
            AttrType {
                case_exact: exact,
                ..CoreSchemas.attribute_type(path)
            }
        }
        fn is_core_schema(&self, urn: &str) -> bool {
            CoreSchemas.is_core_schema(urn)
        }
    }
    let user = bjensen();
    assert!(p(r#"emails[type eq "WORK"]"#).matches(&user, &CoreSchemas));
    assert!(!p(r#"emails[type eq "WORK"]"#).matches(&user, &ExactTypes));
    assert!(p(r#"emails[type eq "work"]"#).matches(&user, &ExactTypes));
    assert!(!p(r#"emails.type eq "WORK""#).matches(&user, &ExactTypes));
    // Other sub-attributes keep their type.
    assert!(p(r#"emails[value eq "BABS@JENSEN.ORG"]"#).matches(&user, &ExactTypes));
}
