//! Fuzzes `orgkit::scim::filter::parse`: it must never panic, and whatever it accepts must
//! print to a filter that parses back to the same AST, evaluate without panicking, and
//! translate to SQL (or fail with a typed error) with every value as a parameter.
#![no_main]

use libfuzzer_sys::fuzz_target;
use orgkit::scim::filter::{parse, CoreSchemas, Dialect, ReferenceColumns};
use orgkit::Limits;

fuzz_target!(|data: &[u8]| {
    let Ok(input) = std::str::from_utf8(data) else {
        return;
    };
    let limits = Limits::default();
    let Ok(filter) = parse(input, &limits) else {
        return;
    };
    let printed = filter.to_string();
    let again = parse(&printed, &limits).expect("a printed filter parses");
    assert_eq!(filter, again, "round trip through {printed:?}");
    let resource = serde_json::json!({
        "userName": "bjensen", "active": true, "emails": [{"value": "b@example.com", "type": "work"}],
        "meta": {"lastModified": "2011-05-13T04:42:34Z"}
    });
    let _ = filter.matches(&resource, &CoreSchemas);
    // Every value is a parameter: SQLite's `?` placeholders match the parameters one to one
    // (values are never spliced into the text, which holds only columns and operators).
    if let Ok(sql) = filter.to_sql(&ReferenceColumns::Users, Dialect::Sqlite) {
        assert_eq!(sql.sql.matches('?').count(), sql.params.len(), "{}", sql.sql);
        assert!(!sql.sql.contains('"'), "a literal reached the SQL text: {}", sql.sql);
    }
    let _ = filter.to_sql(&ReferenceColumns::Groups, Dialect::Postgres);
});
