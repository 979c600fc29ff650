//! The core's reference tables (`orgkit::reference_tables`) on real databases, SQLite and (with
//! `ORGKIT_TEST_POSTGRES_URL`) PostgreSQL: the schema created, SCIM resources and an audit event
//! written and removed with the engine's statements, and the rows found again by the engine's
//! own filter SQL (`scim_filter_sql`), timestamps, booleans and child tables included; and the
//! list statements (`sql_scim_list`) run: sorted, paged, across both types, in the same order
//! as the in-memory `scim_sort`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{backends, Backend};
use orgkit::audit::{chain, AuditEvent};
use orgkit::reference_tables::{
    audit_append, schema, scim_delete, scim_list, scim_put, scim_sort, ScimListQuery, Sort,
    SortItem, Statement, StoredScim,
};
use orgkit::scim::filter::{parse, Dialect, ReferenceColumns};
use orgkit::scim::protocol::ResourceKind;
use orgkit::Limits;
use orgkit_server::store::audit::bind_params;
use serde_json::{json, Value};
use sqlx::{AnyConnection, Connection, Row};

fn dialect(backend: &Backend) -> Dialect {
    match backend {
        Backend::Sqlite(_) => Dialect::Sqlite,
        Backend::Postgres(_) => Dialect::Postgres,
    }
}

async fn run(conn: &mut AnyConnection, statements: &[Statement]) {
    for statement in statements {
        bind_params(sqlx::query(&statement.sql), &statement.params)
            .execute(&mut *conn)
            .await
            .unwrap_or_else(|e| panic!("{}: {e}", statement.sql));
    }
}

/// The ids of `table`'s rows that the engine's SQL for `filter` selects, sorted.
async fn matching(
    conn: &mut AnyConnection,
    d: Dialect,
    kind: ResourceKind,
    filter: &str,
) -> Vec<String> {
    let (table, columns) = match kind {
        ResourceKind::User => ("scim_users", ReferenceColumns::Users),
        ResourceKind::Group => ("scim_groups", ReferenceColumns::Groups),
    };
    let fragment = parse(filter, &Limits::default())
        .unwrap()
        .to_sql(&columns, d)
        .unwrap();
    let sql = format!("SELECT id FROM {table} WHERE {} ORDER BY id", fragment.sql);
    bind_params(sqlx::query(&sql), &fragment.params)
        .fetch_all(&mut *conn)
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
        .iter()
        .map(|row| row.get::<String, _>("id"))
        .collect()
}

fn user(id: &str, user_name: &str, active: bool, created_at: i64) -> StoredScim {
    StoredScim {
        org_id: "org_a".into(),
        kind: ResourceKind::User,
        id: id.into(),
        created_at,
        updated_at: created_at + 1_500,
        version: "W/\"1\"".into(),
        resource: json!({
            "userName": user_name,
            "active": active,
            "name": {"givenName": "Barbara"},
            "emails": [{"value": user_name, "type": "work", "primary": true}],
        }),
    }
}

#[tokio::test]
async fn the_engines_statements_and_filters_agree_on_every_backend() {
    sqlx::any::install_default_drivers();
    // 2026-01-01T00:00:00Z and a day later, in microseconds.
    let (jan1, jan2) = (1_767_225_600_000_000_i64, 1_767_312_000_000_000_i64);
    for backend in backends().await {
        let d = dialect(&backend);
        let mut conn = AnyConnection::connect(&backend.url()).await.unwrap();
        let ddl: Vec<Statement> = schema(d)
            .into_iter()
            .map(|sql| Statement {
                sql,
                params: Vec::new(),
            })
            .collect();
        run(&mut conn, &ddl).await;
        run(&mut conn, &ddl).await; // idempotent

        for stored in [
            user("u-1", "bjensen@acme.com", true, jan1),
            user("u-2", "jsmith@acme.com", false, jan2),
        ] {
            run(&mut conn, &scim_put(d, &stored).unwrap()).await;
        }
        // Stored twice: the old rows are replaced, not doubled.
        run(
            &mut conn,
            &scim_put(d, &user("u-2", "jsmith@acme.com", false, jan2)).unwrap(),
        )
        .await;
        let group = StoredScim {
            kind: ResourceKind::Group,
            id: "g-1".into(),
            resource: json!({"displayName": "Admins", "members": [{"value": "u-1"}, {"value": "u-2"}]}),
            ..user("g-1", "", true, jan1)
        };
        run(&mut conn, &scim_put(d, &group).unwrap()).await;

        let cases: [(ResourceKind, &str, &[&str]); 6] = [
            (
                ResourceKind::User,
                r#"userName eq "BJENSEN@acme.com""#,
                &["u-1"],
            ),
            (ResourceKind::User, "active eq false", &["u-2"]),
            (
                ResourceKind::User,
                r#"meta.created gt "2026-01-01T12:00:00Z""#,
                &["u-2"],
            ),
            (
                ResourceKind::User,
                r#"emails[type eq "work" and primary eq true and value sw "js"]"#,
                &["u-2"],
            ),
            (
                ResourceKind::User,
                r#"name.givenName eq "Barbara""#,
                &["u-1", "u-2"],
            ),
            (ResourceKind::Group, r#"members[value eq "u-2"]"#, &["g-1"]),
        ];
        for (kind, filter, ids) in cases {
            let found = matching(&mut conn, d, kind, filter).await;
            assert_eq!(found, ids, "{d:?}: {filter}");
        }

        run(
            &mut conn,
            &scim_delete(d, "org_a", ResourceKind::User, "u-2"),
        )
        .await;
        let emails: i64 = sqlx::query("SELECT count(*) AS n FROM scim_user_emails")
            .fetch_one(&mut conn)
            .await
            .unwrap()
            .get("n");
        assert_eq!(emails, 1, "{d:?}: the deleted user's emails went with it");
        assert_eq!(
            matching(&mut conn, d, ResourceKind::User, r#"userName sw "j""#).await,
            Vec::<String>::new(),
            "{d:?}"
        );

        let event: AuditEvent = serde_json::from_value(json!({
            "id": "evt-1", "org_id": "org_a", "action": "scim.user.created", "version": 1,
            "occurred_at": 1_767_225_600, "actor": {"type": "scim_token", "id": "tok_a"},
            "targets": [{"type": "user", "id": "u-1"}], "context": {}, "outcome": "success",
            "metadata": {},
        }))
        .unwrap();
        let chained = chain(None, event).unwrap();
        run(&mut conn, &audit_append(d, &chained).unwrap()).await;
        let row = sqlx::query(
            "SELECT e.event AS event, t.target_id AS target FROM audit_events e \
             JOIN audit_event_targets t ON t.org_id = e.org_id AND t.seq = e.seq",
        )
        .fetch_one(&mut conn)
        .await
        .unwrap();
        let stored: Value = serde_json::from_str(&row.get::<String, _>("event")).unwrap();
        assert_eq!(stored["hash"], json!(chained.hash), "{d:?}");
        assert_eq!(row.get::<String, _>("target"), "u-1", "{d:?}");
    }
}

fn stored(kind: ResourceKind, id: &str, created_at: i64, resource: Value) -> StoredScim {
    StoredScim {
        org_id: "org_a".into(),
        kind,
        id: id.into(),
        created_at,
        updated_at: created_at + 7,
        version: "1".into(),
        resource,
    }
}

/// The total and the page's `Kind:id`s that `sql_scim_list`'s statements find.
async fn list(
    conn: &mut AnyConnection,
    d: Dialect,
    kind: Option<ResourceKind>,
    filter: Option<&str>,
    sort: (Option<&str>, Option<&str>),
    (offset, limit): (u64, u64),
) -> (i64, Vec<String>) {
    let query = ScimListQuery {
        org_id: "org_a".into(),
        kind,
        filter: filter.map(|f| parse(f, &Limits::default()).unwrap()),
        sort: Sort::parse(sort.0, sort.1).unwrap(),
        offset,
        limit,
    };
    let statements = scim_list(d, &query).unwrap();
    let count = &statements.count;
    let total: i64 = bind_params(sqlx::query(&count.sql), &count.params)
        .fetch_one(&mut *conn)
        .await
        .unwrap_or_else(|e| panic!("{}: {e}", count.sql))
        .get("total");
    let page = &statements.page;
    let rows = bind_params(sqlx::query(&page.sql), &page.params)
        .fetch_all(&mut *conn)
        .await
        .unwrap_or_else(|e| panic!("{}: {e}", page.sql));
    let ids = rows
        .iter()
        .map(|row| {
            let created: i64 = row.get("created_at");
            assert!(created >= 1_000_000, "{d:?}: created_at in microseconds");
            format!(
                "{}:{}",
                row.get::<String, _>("kind"),
                row.get::<String, _>("id")
            )
        })
        .collect();
    (total, ids)
}

#[tokio::test]
async fn the_list_statements_sort_page_and_search_across_types_on_every_backend() {
    sqlx::any::install_default_drivers();
    let t = 1_767_225_600_000_000_i64;
    let all = [
        stored(
            ResourceKind::User,
            "u-1",
            t + 10,
            json!({"userName": "bob", "active": true}),
        ),
        stored(
            ResourceKind::User,
            "u-2",
            t + 20,
            json!({"userName": "Alice", "displayName": "ann"}),
        ),
        stored(
            ResourceKind::User,
            "u-3",
            t + 30,
            json!({"userName": "", "active": false}),
        ),
        stored(
            ResourceKind::User,
            "u-4",
            t + 30,
            json!({"userName": "carol", "active": true}),
        ),
        stored(
            ResourceKind::Group,
            "g-1",
            t + 5,
            json!({"displayName": "Admins", "members": [{"value": "u-1"}]}),
        ),
        stored(
            ResourceKind::Group,
            "g-2",
            t + 40,
            json!({"displayName": "eng"}),
        ),
    ];
    let items: Vec<SortItem> = all.iter().map(SortItem::from).collect();
    for backend in backends().await {
        let d = dialect(&backend);
        let mut conn = AnyConnection::connect(&backend.url()).await.unwrap();
        for sql in schema(d) {
            run(
                &mut conn,
                &[Statement {
                    sql,
                    params: Vec::new(),
                }],
            )
            .await;
        }
        for s in &all {
            run(&mut conn, &scim_put(d, s).unwrap()).await;
        }
        let users = Some(ResourceKind::User);
        let page = (0, 10);
        let asc = list(&mut conn, d, users, None, (Some("userName"), None), page).await;
        assert_eq!(
            asc,
            (
                4,
                vec![
                    "User:u-2".into(),
                    "User:u-1".into(),
                    "User:u-4".into(),
                    "User:u-3".into()
                ]
            ),
            "{d:?}"
        );
        let desc = list(
            &mut conn,
            d,
            users,
            None,
            (Some("username"), Some("DESCENDING")),
            page,
        )
        .await;
        assert_eq!(
            desc.1,
            ["User:u-3", "User:u-4", "User:u-1", "User:u-2"],
            "{d:?}: no value first"
        );
        let paged = list(&mut conn, d, users, None, (Some("userName"), None), (1, 2)).await;
        assert_eq!(
            paged,
            (4, vec!["User:u-1".into(), "User:u-4".into()]),
            "{d:?}"
        );
        let filtered = list(
            &mut conn,
            d,
            users,
            Some("active pr"),
            (Some("active"), None),
            page,
        )
        .await;
        assert_eq!(
            filtered,
            (
                3,
                vec!["User:u-3".into(), "User:u-1".into(), "User:u-4".into()]
            ),
            "{d:?}"
        );

        // Root searches: a filter attribute only one type has matches none of the other.
        let root = list(
            &mut conn,
            d,
            None,
            Some(r#"userName sw "b" or displayName eq "ADMINS""#),
            (None, None),
            page,
        )
        .await;
        assert_eq!(
            root,
            (2, vec!["Group:g-1".into(), "User:u-1".into()]),
            "{d:?}"
        );
        let members = list(
            &mut conn,
            d,
            None,
            Some(r#"members[value eq "u-1"]"#),
            (None, None),
            page,
        )
        .await;
        assert_eq!(members, (1, vec!["Group:g-1".into()]), "{d:?}");
        let negated = list(
            &mut conn,
            d,
            None,
            Some(r#"not (userName eq "bob")"#),
            (Some("displayName"), None),
            page,
        )
        .await;
        assert_eq!(
            negated.1,
            ["Group:g-1", "User:u-2", "Group:g-2", "User:u-3", "User:u-4"],
            "{d:?}: Groups have no userName, so not (…) keeps them"
        );

        // The SQL order is scim_sort's, for every sortable attribute, both ways, with and without kind.
        for by in [
            None,
            Some("userName"),
            Some("displayName"),
            Some("id"),
            Some("active"),
            Some("meta.created"),
            Some("meta.lastModified"),
        ] {
            for order in [None, Some("descending")] {
                for kind in [None, users] {
                    let sort = Sort::parse(by, order).unwrap();
                    let scoped: Vec<SortItem> = items
                        .iter()
                        .filter(|i| kind.is_none_or(|k| i.kind == k))
                        .cloned()
                        .collect();
                    let expected: Vec<String> = scim_sort(&scoped, kind, &sort)
                        .unwrap()
                        .into_iter()
                        .map(|i| format!("{}:{}", scoped[i].kind.name(), scoped[i].id))
                        .collect();
                    let (total, found) = list(&mut conn, d, kind, None, (by, order), page).await;
                    assert_eq!(found, expected, "{d:?}: {by:?} {order:?} {kind:?}");
                    assert_eq!(total as usize, scoped.len());
                }
            }
        }
    }
}
