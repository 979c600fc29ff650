//! Parsing PATCH paths.

use super::*;

fn parsed(text: &str) -> PatchPath {
    parse_path(text, &Limits::default()).unwrap_or_else(|e| panic!("{text}: {e}"))
}

fn refused(text: &str) -> String {
    let error = parse_path(text, &Limits::default()).expect_err(text);
    assert_eq!(error.code, ErrorCode::InvalidPath, "{text}");
    error.reason.unwrap()
}

#[test]
fn attribute_and_sub_attribute() {
    let path = parsed("name.givenName");
    assert_eq!(path.attr.attr, "name");
    assert_eq!(path.attr.sub_attr.as_deref(), Some("givenName"));
    assert!(path.filter.is_none());
    assert_eq!(path.to_string(), "name.givenName");
}

#[test]
fn urn_qualified_with_a_dotted_version() {
    let path = parsed(&format!("{ENTERPRISE}:manager.value"));
    assert_eq!(path.attr.schema.as_deref(), Some(ENTERPRISE));
    assert_eq!(path.attr.attr, "manager");
    assert_eq!(path.attr.sub_attr.as_deref(), Some("value"));
}

#[test]
fn value_paths_with_and_without_sub_attribute() {
    let path = parsed("emails[type eq \"work\"].value");
    assert_eq!(path.attr.attr, "emails");
    assert_eq!(path.attr.sub_attr.as_deref(), Some("value"));
    assert_eq!(path.to_string(), "emails[type eq \"work\"].value");
    let path = parsed("members[value eq \"a]b\"]");
    assert_eq!(path.attr.sub_attr, None);
    assert_eq!(path.to_string(), "members[value eq \"a]b\"]");
    let path = parsed(&format!("{ENTERPRISE}:things[a eq 1]"));
    assert_eq!(path.attr.schema.as_deref(), Some(ENTERPRISE));
}

#[test]
fn malformed_paths() {
    assert_eq!(refused(""), "empty");
    assert_eq!(refused("name.given.name"), "invalid_attribute");
    assert_eq!(refused("1abc"), "invalid_attribute");
    assert_eq!(refused("emails[type eq \"work\""), "unclosed_bracket");
    assert_eq!(refused("emails[type eq \"work\"]value"), "trailing_text");
    assert_eq!(refused("emails[type eq]"), "invalid_filter");
    assert_eq!(refused("emails[type eq \"w\"] or x pr"), "trailing_text");
    assert_eq!(refused("name.x[type eq \"w\"]"), "invalid_attribute");
    assert_eq!(refused("emails[type eq \"work\"].a.b"), "invalid_attribute");
    assert_eq!(refused("emails[a[b eq 1]]"), "invalid_filter");
}

#[test]
fn path_length_and_depth_limits() {
    let limits = Limits {
        max_filter_bytes: 20,
        max_filter_depth: 2,
        ..Limits::default()
    };
    let error = parse_path("emails[type eq \"a-long-value\"]", &limits).unwrap_err();
    assert_eq!(error.reason.as_deref(), Some("too_long"));
    let error = parse_path("e[((a pr))]", &limits).unwrap_err();
    assert_eq!(error.reason.as_deref(), Some("invalid_filter"));
    assert!(parse_path("e[(a pr)]", &limits).is_ok());
}
