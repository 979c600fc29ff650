use super::*;

fn sql(filter: &str, columns: &dyn ColumnMap, dialect: Dialect) -> (String, Vec<SqlParam>) {
    let fragment = p(filter).to_sql(columns, dialect).unwrap();
    (fragment.sql, fragment.params)
}

fn users(filter: &str) -> (String, Vec<SqlParam>) {
    sql(filter, &ReferenceColumns::Users, Dialect::Sqlite)
}

fn users_pg(filter: &str) -> (String, Vec<SqlParam>) {
    sql(filter, &ReferenceColumns::Users, Dialect::Postgres)
}

fn text(value: &str) -> SqlParam {
    SqlParam::Text(value.into())
}

fn sql_reason(filter: &str) -> String {
    let error = p(filter)
        .to_sql(&ReferenceColumns::Users, Dialect::Sqlite)
        .unwrap_err();
    assert_eq!(error.code, ErrorCode::InvalidFilter);
    error.reason.unwrap()
}

const EMAILS: &str = "EXISTS (SELECT 1 FROM scim_user_emails e WHERE e.user_id = scim_users.id";

#[test]
fn case_insensitive_and_exact_equality() {
    assert_eq!(
        users(r#"userName eq "bjensen""#),
        (
            "lower(scim_users.user_name) = lower(?)".into(),
            vec![text("bjensen")]
        )
    );
    assert_eq!(
        users_pg(r#"externalId ne "701984""#),
        ("scim_users.external_id <> $1".into(), vec![text("701984")])
    );
    assert_eq!(
        users(&format!(r#"{USER}:userName sw "J""#)),
        (
            "lower(scim_users.user_name) LIKE lower(?) ESCAPE '\\'".into(),
            vec![text("J%")]
        )
    );
}

#[test]
fn postgres_numbers_placeholders_in_order() {
    assert_eq!(
        users_pg(r#"userName eq "a" and (displayName co "b" or externalId sw "c") and id gt "d""#),
        (
            "(lower(scim_users.user_name) = lower($1) AND (lower(scim_users.display_name) LIKE \
             lower($2) ESCAPE '\\' OR scim_users.external_id LIKE $3 ESCAPE '\\') AND \
             scim_users.id > $4)"
                .into(),
            vec![text("a"), text("%b%"), text("c%"), text("d")]
        )
    );
    let (sqlite, params) =
        users(r#"userName eq "a" and (displayName co "b" or externalId sw "c") and id gt "d""#);
    assert_eq!(
        sqlite,
        "(lower(scim_users.user_name) = lower(?) AND (lower(scim_users.display_name) LIKE \
         lower(?) ESCAPE '\\' OR scim_users.external_id GLOB ?) AND scim_users.id > ?)"
    );
    assert_eq!(params, vec![text("a"), text("%b%"), text("c*"), text("d")]);
}

#[test]
fn ordering_operators() {
    for (op, symbol) in [("gt", ">"), ("ge", ">="), ("lt", "<"), ("le", "<=")] {
        assert_eq!(
            users(&format!(r#"displayName {op} "m""#)).0,
            format!("lower(scim_users.display_name) {symbol} lower(?)")
        );
    }
}

#[test]
fn like_patterns_escape_wildcards_in_the_parameter() {
    let (sql, params) = users(r#"displayName co "50%_off\\""#);
    assert_eq!(
        sql,
        "lower(scim_users.display_name) LIKE lower(?) ESCAPE '\\'"
    );
    assert_eq!(params, vec![text("%50\\%\\_off\\\\%")]);
    assert_eq!(users(r#"displayName ew "_""#).1, vec![text("%\\_")]);
    assert_eq!(
        users(r#"externalId ew "a*b?[c]""#),
        (
            "scim_users.external_id GLOB ?".into(),
            vec![text("*a[*]b[?][[]c]")]
        )
    );
    assert_eq!(
        users_pg(r#"externalId co "a%b""#),
        (
            "scim_users.external_id LIKE $1 ESCAPE '\\'".into(),
            vec![text("%a\\%b%")]
        )
    );
}

#[test]
fn values_never_reach_the_sql() {
    let hostile = r#"x' OR 1=1 --"#;
    for filter in [
        format!(r#"userName eq "{hostile}""#),
        format!(r#"emails[value co "{hostile}"]"#),
        format!(r#"not (externalId sw "{hostile}")"#),
    ] {
        for dialect in [Dialect::Sqlite, Dialect::Postgres] {
            let fragment = p(&filter)
                .to_sql(&ReferenceColumns::Users, dialect)
                .unwrap();
            assert!(!fragment.sql.contains("1=1"), "{}", fragment.sql);
            assert_eq!(fragment.params.len(), 1);
        }
    }
}

#[test]
fn presence_and_null() {
    assert_eq!(
        users("displayName pr").0,
        "(scim_users.display_name IS NOT NULL AND scim_users.display_name <> '')"
    );
    assert_eq!(
        users("displayName eq null").0,
        "(scim_users.display_name IS NULL OR scim_users.display_name = '')"
    );
    assert_eq!(users("active pr").0, "scim_users.active IS NOT NULL");
    assert_eq!(users("active ne null").0, "scim_users.active IS NOT NULL");
    assert_eq!(users("active eq null").0, "scim_users.active IS NULL");
    assert!(users("displayName pr").1.is_empty());
}

#[test]
fn booleans() {
    assert_eq!(
        users("active eq True"),
        ("scim_users.active = ?".into(), vec![SqlParam::Bool(true)])
    );
    assert_eq!(
        users_pg("emails[primary ne false]"),
        (
            format!("{EMAILS} AND e.primary_flag <> $1)"),
            vec![SqlParam::Bool(false)]
        )
    );
}

#[test]
fn multi_valued_attributes_use_exists() {
    assert_eq!(
        users(r#"emails co "@example.com""#),
        (
            format!("{EMAILS} AND lower(e.value) LIKE lower(?) ESCAPE '\\')"),
            vec![text("%@example.com%")]
        )
    );
    assert_eq!(
        users(r#"emails.type eq "work""#).0,
        format!("{EMAILS} AND lower(e.type) = lower(?))")
    );
    assert_eq!(users("emails pr").0, format!("{EMAILS})"));
    assert_eq!(users("emails eq null").0, format!("NOT {EMAILS})"));
    assert_eq!(
        users("emails.value pr").0,
        format!("{EMAILS} AND (e.value IS NOT NULL AND e.value <> ''))")
    );
}

#[test]
fn value_path_filters_one_row() {
    assert_eq!(
        users_pg(r#"emails[type eq "work" and value co "@example.com"]"#),
        (
            format!(
                "{} AND (lower(e.type) = lower($1) AND lower(e.value) LIKE lower($2) ESCAPE '\\'))",
                EMAILS
            ),
            vec![text("work"), text("%@example.com%")]
        )
    );
}

#[test]
fn not_coalesces_null() {
    assert_eq!(
        users(r#"not (userName eq "x")"#).0,
        "NOT COALESCE(lower(scim_users.user_name) = lower(?), FALSE)"
    );
    assert_eq!(
        users(r#"not (userName eq "x" or active eq true)"#).0,
        "NOT COALESCE((lower(scim_users.user_name) = lower(?) OR scim_users.active = ?), FALSE)"
    );
}

#[test]
fn timestamps() {
    let micros = SqlParam::Integer(1_305_261_754_000_000);
    assert_eq!(
        users(r#"meta.lastModified gt "2011-05-13T04:42:34Z""#),
        ("scim_users.updated_at > ?".into(), vec![micros.clone()])
    );
    assert_eq!(
        users(r#"meta.lastModified gt "2011-05-13T06:42:34+02:00""#).1,
        vec![micros]
    );
    assert_eq!(
        users_pg(r#"meta.created le "2011-05-13t04:42:34.5z""#),
        (
            "scim_users.created_at <= $1::timestamptz".into(),
            vec![text("2011-05-13T04:42:34.5Z")]
        )
    );
}

#[test]
fn groups() {
    let groups = ReferenceColumns::Groups;
    assert_eq!(
        sql(r#"displayName eq "Group""#, &groups, Dialect::Sqlite),
        (
            "lower(scim_groups.display_name) = lower(?)".into(),
            vec![text("Group")]
        )
    );
    assert_eq!(
        sql(IDP_EXAMPLES[4], &groups, Dialect::Postgres),
        (
            "(scim_groups.id = $1 AND EXISTS (SELECT 1 FROM scim_group_members m WHERE \
             m.group_id = scim_groups.id AND lower(m.member_id) = lower($2)))"
                .into(),
            vec![text("2819c223"), text("26118915")]
        )
    );
    let error = p("userName pr")
        .to_sql(&groups, Dialect::Sqlite)
        .unwrap_err();
    assert_eq!(error.reason.as_deref(), Some("unsupported_attribute"));
}

#[test]
fn type_mismatches_are_refused() {
    for filter in [
        "active gt true",
        "active eq 1",
        "userName eq 5",
        "userName gt null",
        r#"meta.created co "2011""#,
        "meta.created gt 5",
    ] {
        assert_eq!(sql_reason(filter), "type_mismatch", "{filter}");
    }
    assert_eq!(
        sql_reason(r#"meta.created gt "yesterday""#),
        "invalid_value"
    );
}

#[test]
fn unsupported_attributes() {
    for filter in [
        r#"nickName eq "x""#,
        &format!(r#"{ENTERPRISE}:employeeNumber eq "1""#),
        r#"urn:example:other:1.0:User:userName eq "x""#,
        r#"emails.display eq "x""#,
        r#"userName[value eq "x"]"#,
        r#"emails[display eq "x"]"#,
        r#"name.middleName eq "x""#,
    ] {
        assert_eq!(sql_reason(filter), "unsupported_attribute", "{filter}");
    }
}

#[test]
fn custom_column_maps_and_numbers() {
    struct Accounts;
    impl ColumnMap for Accounts {
        fn resolve(&self, path: &AttrPath) -> Option<Mapping<'_>> {
            path.attr.eq_ignore_ascii_case("loginCount").then(|| {
                Mapping::Column(Column {
                    expr: "a.login_count".into(),
                    kind: ColumnKind::Number,
                })
            })
        }
    }
    assert_eq!(
        sql(
            "loginCount ge 5 or loginCount lt -1.5",
            &Accounts,
            Dialect::Postgres
        ),
        (
            "(a.login_count >= $1 OR a.login_count < $2)".into(),
            vec![SqlParam::Integer(5), SqlParam::Real(-1.5)]
        )
    );
    let error = p("loginCount co 5")
        .to_sql(&Accounts, Dialect::Sqlite)
        .unwrap_err();
    assert_eq!(error.reason.as_deref(), Some("type_mismatch"));
}

#[test]
fn fragment_json() {
    let fragment = p(r#"userName eq "x" and active eq true"#)
        .to_sql(&ReferenceColumns::Users, Dialect::Sqlite)
        .unwrap();
    assert_eq!(
        serde_json::to_value(&fragment).unwrap(),
        json!({
            "sql": "(lower(scim_users.user_name) = lower(?) AND scim_users.active = ?)",
            "params": ["x", true]
        })
    );
    assert_eq!(
        serde_json::to_value(Dialect::Postgres).unwrap(),
        json!("postgres")
    );
}

#[test]
fn null_on_a_sub_attribute_of_a_multi_valued_attribute() {
    assert_eq!(
        users("emails.value eq null").0,
        format!("NOT {EMAILS} AND (e.value IS NOT NULL AND e.value <> ''))")
    );
    assert_eq!(
        users("emails.primary ne null").0,
        format!("{EMAILS} AND e.primary_flag IS NOT NULL)")
    );
}
