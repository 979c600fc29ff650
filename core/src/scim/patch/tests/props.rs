//! Arbitrary operation lists never panic, and a PATCH is all or nothing: the caller's resource
//! never changes; when it fails at operation k, the first k operations alone do not fail at k
//! or later (they succeed, or fail earlier when operation k was refused before any was applied);
//! when it succeeds, applying the operations one request at a time ends at the same resource.

use super::*;
use proptest::prelude::*;

fn op_name() -> impl Strategy<Value = Value> {
    prop_oneof![
        prop::sample::select(vec![
            "add", "replace", "remove", "Add", "REPLACE", "Remove", "move"
        ])
        .prop_map(Value::from),
        Just(Value::Null),
        any::<i64>().prop_map(Value::from),
    ]
}

fn path() -> impl Strategy<Value = Option<String>> {
    let known = prop::sample::select(vec![
        "members",
        "members[value eq \"a\"]",
        "members[value eq \"b\"].display",
        "displayName",
        "id",
        "emails",
        "emails[type eq \"work\"]",
        "emails[type eq \"work\"].value",
        "emails[primary eq true].primary",
        "emails.value",
        "name",
        "name.givenName",
        "active",
        "meta.version",
        "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value",
        "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department",
        "urn:x:y:things[a eq 1]",
        "emails[type eq",
        "a..b",
        "",
    ])
    .prop_map(str::to_string);
    prop::option::of(prop_oneof![known, "[a-zA-Z\\[\\]\". :]{0,12}"])
}

fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i32>().prop_map(Value::from),
        prop::sample::select(vec!["a", "b", "work", "True", "false", ""]).prop_map(Value::from),
    ];
    leaf.prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map(
                prop::sample::select(vec![
                    "value",
                    "type",
                    "primary",
                    "display",
                    "givenName",
                    "active",
                    "id",
                    "name.givenName",
                    "members",
                    "emails",
                    "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User",
                    "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department",
                ])
                .prop_map(str::to_string),
                inner,
                0..4
            )
            .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

fn operation() -> impl Strategy<Value = Value> {
    (op_name(), path(), prop::option::of(json_value())).prop_map(|(op, path, value)| {
        let mut operation = serde_json::Map::new();
        operation.insert("op".into(), op);
        if let Some(path) = path {
            operation.insert("path".into(), Value::from(path));
        }
        if let Some(value) = value {
            operation.insert("value".into(), value);
        }
        Value::Object(operation)
    })
}

fn tolerance() -> impl Strategy<Value = PatchTolerance> {
    prop::collection::vec(any::<bool>(), 8).prop_map(|b| PatchTolerance {
        op_any_case: b[0],
        string_booleans: b[1],
        dotted_value_keys: b[2],
        remove_by_value: b[3],
        readonly_echo: b[4],
        empty_operations: b[5],
        wrap_single_values: b[6],
        add_creates_filtered_value: b[7],
    })
}

/// The index of the operation an error names (`Operations[3].path` → 3).
fn failed_at(error: &Error) -> Option<usize> {
    error
        .path
        .as_deref()
        .and_then(|p| p.strip_prefix("Operations["))
        .and_then(|p| p.split(']').next())
        .and_then(|i| i.parse().ok())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn never_panics_and_is_all_or_nothing(
        operations in prop::collection::vec(operation(), 0..6),
        tolerance in tolerance(),
        is_group in any::<bool>(),
    ) {
        let resource = if is_group { group(&["a", "b"]) } else { user() };
        let before = resource.clone();
        let result = try_patch(&resource, Value::Array(operations.clone()), &tolerance);
        prop_assert_eq!(&resource, &before);
        match result {
            Ok(outcome) => {
                prop_assert!(outcome.resource.is_object());
                let mut stepwise = resource.clone();
                for operation in &operations {
                    stepwise = try_patch(&stepwise, json!([operation]), &tolerance)
                        .map_err(|e| TestCaseError::fail(format!("one by one: {e}")))?
                        .resource;
                }
                prop_assert_eq!(stepwise, outcome.resource);
            }
            Err(error) => {
                if let Some(k) = failed_at(&error) {
                    let prefix = Value::Array(operations[..k].to_vec());
                    if k > 0 || tolerance.empty_operations {
                        if let Err(early) = try_patch(&resource, prefix, &tolerance) {
                            prop_assert!(failed_at(&early).is_some_and(|j| j < k), "{}", early);
                        }
                    }
                }
            }
        }
    }
}
