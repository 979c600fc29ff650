"""SCIM list vectors: the statements that count and page one org's resources over the reference tables
(`sql_scim_list`, core/src/reference_tables/list.rs) and the same order applied in memory (`scim_sort`,
core/src/reference_tables/sort.rs). Every expected statement is written out here, from the pieces below."""

USER_COLS = ("SELECT 'User' AS kind, scim_users.id AS id, {c} AS created_at, {u} AS updated_at, "
             "scim_users.version AS version, scim_users.resource AS resource")
GROUP_COLS = ("SELECT 'Group' AS kind, scim_groups.id AS id, {c} AS created_at, {u} AS updated_at, "
              "scim_groups.version AS version, scim_groups.resource AS resource")
PG_MICROS = "CAST(EXTRACT(EPOCH FROM {}) * 1000000 AS BIGINT)"
PAGE = "SELECT kind, id, created_at, updated_at, version, resource FROM ({}) AS listed ORDER BY {} LIMIT {} OFFSET {}"
COUNT = "SELECT count(*) AS total FROM ({}) AS listed"
NULLS = "CASE WHEN sort_key IS NULL THEN 1 ELSE 0 END {}"


def cols(kind, pg):
    table = "scim_users" if kind == "User" else "scim_groups"
    if pg:
        c, u = PG_MICROS.format(f"{table}.created_at"), PG_MICROS.format(f"{table}.updated_at")
    else:
        c, u = f"{table}.created_at", f"{table}.updated_at"
    return (USER_COLS if kind == "User" else GROUP_COLS).format(c=c, u=u)


def where(kind, org, condition):
    table = "scim_users" if kind == "User" else "scim_groups"
    return f"FROM {table} WHERE {table}.org_id = {org} AND {condition}"


def order(pg, key=None, direction="ASC", text=True):
    c = ' COLLATE "C"' if pg else ""
    parts = []
    if key:
        parts = [NULLS.format(direction), f"sort_key{c if text else ''} {direction}"]
    return ", ".join(parts + ["created_at", f"id{c}", f"kind{c}"])


def st(sql, *params):
    return {"sql": sql, "params": list(params)}


def build(case, ok, err):
    a, f = "wire", "sql"
    base = {"org_id": "org_a", "offset": 0, "limit": 10}

    everything = "1 = 1"
    case(a, f, "sql-scim-list-users-default-order", "sql_scim_list", {"dialect": "sqlite", "kind": "User", **base},
         ok({"count": st(COUNT.format(f"SELECT 1 AS one {where('User', '?', everything)}"), "org_a"),
             "page": st(PAGE.format(f"{cols('User', False)} {where('User', '?', everything)}", order(False), "?", "?"),
                        "org_a", 10, 0)}),
         note="no filter, no sortBy: creation time, then id (then kind), ascending")

    filter_sql = "lower(scim_users.user_name) LIKE lower(?) ESCAPE '\\'"
    key = ", lower(NULLIF(scim_users.family_name, '')) AS sort_key"
    case(a, f, "sql-scim-list-users-sorted-sqlite", "sql_scim_list",
         {"dialect": "sqlite", "kind": "User", "filter": 'userName sw "b"', "sort_by": "name.familyName",
          "sort_order": "Descending", "org_id": "org_a", "offset": 5, "limit": 5},
         ok({"count": st(COUNT.format(f"SELECT 1 AS one {where('User', '?', filter_sql)}"), "org_a", "b%"),
             "page": st(PAGE.format(f"{cols('User', False)}{key} {where('User', '?', filter_sql)}",
                                    order(False, key=True, direction="DESC"), "?", "?"),
                        "org_a", "b%", 5, 5)}),
         note="caseExact=false text sorts on lower(); an empty string counts as no value; in descending order "
              "resources without the value come first; the tie-break stays ascending")

    group_filter = "lower(scim_groups.display_name) LIKE lower($2) ESCAPE '\\'"
    group_key = ", lower(NULLIF(scim_groups.display_name, '')) AS sort_key"
    case(a, f, "sql-scim-list-groups-sorted-postgres", "sql_scim_list",
         {"dialect": "postgres", "kind": "Group", "filter": 'displayName co "eng"', "sort_by": "DISPLAYNAME",
          **base},
         ok({"count": st(COUNT.format(f"SELECT 1 AS one {where('Group', '$1', group_filter)}"), "org_a", "%eng%"),
             "page": st(PAGE.format(f"{cols('Group', True)}{group_key} {where('Group', '$1', group_filter)}",
                                    order(True, key=True), "$3", "$4"),
                        "org_a", "%eng%", 10, 0)}),
         note="PostgreSQL: timestamps read back as microseconds, text ordered by code point (COLLATE \"C\") like "
              "SQLite; sortBy's name ignores case")

    case(a, f, "sql-scim-list-users-by-created-postgres", "sql_scim_list",
         {"dialect": "postgres", "kind": "User", "sort_by": "meta.created", "sort_order": "descending", **base},
         ok({"count": st(COUNT.format(f"SELECT 1 AS one {where('User', '$1', everything)}"), "org_a"),
             "page": st(PAGE.format(f"{cols('User', True)}, {PG_MICROS.format('scim_users.created_at')} AS sort_key "
                                    f"{where('User', '$1', everything)}",
                                    order(True, key=True, direction="DESC", text=False), "$2", "$3"),
                        "org_a", 10, 0)}),
         note="a timestamp sorts in time order, no collation")

    # Root searches: Users and Groups together.
    u_cond = "lower(scim_users.user_name) = lower(?)"
    g_cond = "lower(CAST(NULL AS TEXT)) = lower(?)"
    u_key = ", lower(NULLIF(scim_users.user_name, '')) AS sort_key"
    g_key = ", CAST(NULL AS TEXT) AS sort_key"
    case(a, f, "sql-scim-list-root-sqlite", "sql_scim_list",
         {"dialect": "sqlite", "filter": 'userName eq "bjensen"', "sort_by": "userName", **base},
         ok({"count": st(COUNT.format(f"SELECT 1 AS one {where('User', '?', u_cond)} UNION ALL "
                                      f"SELECT 1 AS one {where('Group', '?', g_cond)}"),
                         "org_a", "bjensen", "org_a", "bjensen"),
             "page": st(PAGE.format(f"{cols('User', False)}{u_key} {where('User', '?', u_cond)} UNION ALL "
                                    f"{cols('Group', False)}{g_key} {where('Group', '?', g_cond)}",
                                    order(False, key=True), "?", "?"),
                        "org_a", "bjensen", "org_a", "bjensen", 10, 0)}),
         note="no kind: Users and Groups together, each row naming its kind; an attribute only Users have is a "
              "NULL for Groups, in the filter (matching none) and in the sort key (sorted last)")

    g_members = "EXISTS (SELECT 1 FROM scim_group_members m WHERE m.group_id = scim_groups.id AND lower(m.member_id) = lower($4))"
    u_members = "lower(CAST(NULL AS TEXT)) = lower($2)"
    case(a, f, "sql-scim-list-root-postgres", "sql_scim_list",
         {"dialect": "postgres", "filter": 'members.value eq "u-1"', "sort_by": "id", **base},
         ok({"count": st(COUNT.format(f"SELECT 1 AS one {where('User', '$1', u_members)} UNION ALL "
                                      f"SELECT 1 AS one {where('Group', '$3', g_members)}"),
                         "org_a", "u-1", "org_a", "u-1"),
             "page": st(PAGE.format(f"{cols('User', True)}, NULLIF(scim_users.id, '') AS sort_key "
                                    f"{where('User', '$1', u_members)} UNION ALL "
                                    f"{cols('Group', True)}, NULLIF(scim_groups.id, '') AS sort_key "
                                    f"{where('Group', '$3', g_members)}",
                                    order(True, key=True), "$5", "$6"),
                        "org_a", "u-1", "org_a", "u-1", 10, 0)}),
         note="a sub-attribute only Groups have; placeholders numbered across the whole statement; id is case-exact")

    since = '2026-01-01T00:00:00z'
    u_since, g_since = "scim_users.created_at > $2::timestamptz", "scim_groups.created_at > $4::timestamptz"
    case(a, f, "sql-scim-list-root-timestamps-postgres", "sql_scim_list",
         {"dialect": "postgres", "filter": f'meta.created gt "{since}"', **base, "offset": 20},
         ok({"count": st(COUNT.format(f"SELECT 1 AS one {where('User', '$1', u_since)} UNION ALL "
                                      f"SELECT 1 AS one {where('Group', '$3', g_since)}"),
                         "org_a", since.upper(), "org_a", since.upper()),
             "page": st(PAGE.format(f"{cols('User', True)} {where('User', '$1', u_since)} UNION ALL "
                                    f"{cols('Group', True)} {where('Group', '$3', g_since)}",
                                    order(True), "$5", "$6"),
                        "org_a", since.upper(), "org_a", since.upper(), 10, 20)}),
         note="each type's filter renumbered into the whole statement, casts kept; no sortBy: creation order")

    u_emails = "EXISTS (SELECT 1 FROM scim_user_emails e WHERE e.user_id = scim_users.id AND lower(e.type) = lower(?))"
    case(a, f, "sql-scim-list-root-value-path", "sql_scim_list",
         {"dialect": "sqlite", "filter": 'emails[type eq "work"]', "sort_by": "active", **base},
         ok({"count": st(COUNT.format(f"SELECT 1 AS one {where('User', '?', u_emails)} UNION ALL "
                                      f"SELECT 1 AS one {where('Group', '?', '0 = 1')}"),
                         "org_a", "work", "org_a"),
             "page": st(PAGE.format(f"{cols('User', False)}, scim_users.active AS sort_key "
                                    f"{where('User', '?', u_emails)} UNION ALL "
                                    f"{cols('Group', False)}, CAST(NULL AS INTEGER) AS sort_key "
                                    f"{where('Group', '?', '0 = 1')}",
                                    order(False, key=True, text=False), "?", "?"),
                        "org_a", "work", "org_a", 10, 0)}),
         note="a value path into a multi-valued attribute only Users have matches no Group; booleans sort "
              "false before true")

    for cid, extra, expected in [
        ("sql-scim-list-unsortable-multi-valued", {"kind": "User", "sort_by": "emails"},
         err("invalid_value", path="sortBy")),
        ("sql-scim-list-unsortable-for-kind", {"kind": "Group", "sort_by": "userName"},
         err("invalid_value", path="sortBy")),
        ("sql-scim-list-unsortable-anywhere", {"sort_by": "title"}, err("invalid_value", path="sortBy")),
        ("sql-scim-list-unsortable-extension", {"kind": "User", "sort_by":
                                                "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber"},
         err("invalid_value", path="sortBy")),
        ("sql-scim-list-sort-by-not-a-path", {"kind": "User", "sort_by": "user name"},
         err("invalid_value", path="sortBy")),
        ("sql-scim-list-bad-sort-order", {"kind": "User", "sort_by": "userName", "sort_order": "up"},
         err("invalid_value", path="sortOrder")),
        ("sql-scim-list-filter-unknown-to-both", {"filter": 'title eq "x"'},
         err("invalid_filter", reason="unsupported_attribute")),
        ("sql-scim-list-filter-type-mismatch", {"filter": 'active gt true'},
         err("invalid_filter", reason="type_mismatch")),
        ("sql-scim-list-unknown-kind", {"kind": "Device"}, err("invalid_input")),
    ]:
        case(a, f, cid, "sql_scim_list", {"dialect": "sqlite", **base, **extra}, expected)
    case(a, f, "sql-scim-list-no-limit", "sql_scim_list", {"dialect": "sqlite", "org_id": "org_a"},
         err("invalid_input"))


def item(kind, id, created, resource):
    return {"kind": kind, "id": id, "created_at": created, "updated_at": created + 1, "resource": resource}


def build_sort(case, ok, err):
    a, f = "scim", "sort"
    users = [
        item("User", "u-1", 100, {"userName": "bob", "active": True, "name": {"familyName": "Zed"}}),
        item("User", "u-2", 200, {"userName": "Alice", "active": False}),
        item("User", "u-3", 300, {"userName": ""}),
        item("User", "u-4", 400, {"USERNAME": "carol", "active": True, "name": {"familyName": "abel"}}),
        item("User", "u-5", 50, {"userName": 7}),
        item("User", "u-0", 400, {"userName": "BOB"}),
    ]
    case(a, f, "scim-sort-default-order", "scim_sort", {"resources": users, "kind": "User"},
         ok([4, 0, 1, 2, 5, 3]), note="no sortBy: creation time, then id")
    case(a, f, "scim-sort-ascending", "scim_sort", {"resources": users, "kind": "User", "sort_by": "userName"},
         ok([1, 0, 5, 3, 4, 2]),
         note="ASCII case folded; ties by creation time then id; no value (an empty string, a number) last")
    case(a, f, "scim-sort-descending", "scim_sort",
         {"resources": users, "kind": "User", "sort_by": "userName", "sort_order": "DESCENDING"},
         ok([4, 2, 3, 0, 5, 1]),
         note="the reverse, no value first; the tie-break stays ascending")
    case(a, f, "scim-sort-sub-attribute", "scim_sort",
         {"resources": users, "kind": "User", "sort_by": "name.familyName"}, ok([3, 0, 4, 1, 2, 5]))
    case(a, f, "scim-sort-boolean", "scim_sort",
         {"resources": users, "kind": "User", "sort_by": "active", "sort_order": "descending"},
         ok([4, 2, 5, 0, 3, 1]), note="true after false; no value first in descending order")
    case(a, f, "scim-sort-case-exact", "scim_sort",
         {"resources": [item("User", "b", 1, {}), item("User", "B", 2, {}), item("User", "a", 3, {})],
          "kind": "User", "sort_by": "id"},
         ok([1, 2, 0]), note="id is case-exact: code point order, upper case first")
    mixed = [
        item("Group", "g-1", 100, {"displayName": "Engineering"}),
        item("User", "u-1", 100, {"userName": "ann", "displayName": "ann"}),
        item("Group", "g-2", 50, {"displayName": "admins"}),
        item("User", "u-2", 10, {"userName": "zoe"}),
    ]
    case(a, f, "scim-sort-root-shared-attribute", "scim_sort",
         {"resources": mixed, "sort_by": "displayName"}, ok([2, 1, 0, 3]),
         note="Users and Groups together on an attribute both have")
    case(a, f, "scim-sort-root-user-attribute", "scim_sort",
         {"resources": mixed, "sort_by": "userName"}, ok([1, 3, 2, 0]),
         note="Groups have no userName: last in ascending order")
    case(a, f, "scim-sort-root-created", "scim_sort",
         {"resources": mixed, "sort_by": "meta.created", "sort_order": "descending"}, ok([0, 1, 2, 3]),
         note="equal creation times tie-break on id")
    case(a, f, "scim-sort-empty", "scim_sort", {"resources": [], "kind": "Group", "sort_by": "displayName"}, ok([]))
    case(a, f, "scim-sort-unsortable", "scim_sort", {"resources": mixed, "sort_by": "members"},
         err("invalid_value", path="sortBy"))
    case(a, f, "scim-sort-unsortable-for-kind", "scim_sort",
         {"resources": [], "kind": "Group", "sort_by": "name.givenName"}, err("invalid_value", path="sortBy"))
    case(a, f, "scim-sort-bad-order", "scim_sort",
         {"resources": mixed, "sort_by": "displayName", "sort_order": "random"}, err("invalid_value", path="sortOrder"))
    case(a, f, "scim-sort-item-unknown-field", "scim_sort",
         {"resources": [{**mixed[0], "version": "1"}]}, err("invalid_input"))
