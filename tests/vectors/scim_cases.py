"""SCIM conformance vectors: tokens, filters, the per-org mapping.

Expected values are written by hand from RFC 7644 and the core's module docs; token hashes come
from Python's own hashlib (an independent SHA-256), never from the engine.
"""
import hashlib
import json

SECRET_A = "orgkit_scim_" + "a1" * 32
SECRET_A2 = "orgkit_scim_" + "a2" * 32
SECRET_B = "orgkit_scim_" + "b1" * 32
SECRET_OFF = "orgkit_scim_" + "0f" * 32
ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
CORE_USER = "urn:ietf:params:scim:schemas:core:2.0:User"


def sha(token):
    return hashlib.sha256(token.encode()).hexdigest()


def build(case, ok, err, org, small_dir):
    def scim_org(oid, tokens, enabled=True, mapping=None, status=None, roles=None):
        settings = {"enabled": enabled, "tokens": [{"id": tid, "sha256": sha(t)} for tid, t in tokens]}
        if mapping is not None:
            settings["mapping"] = mapping
        extra = {"scim": settings}
        if roles:
            extra["roles"] = roles
        return org(oid, oid.replace("org_", ""), oid, [], status=status, **extra)

    directory = small_dir(orgs=[
        scim_org("org_a", [("tok_2025", SECRET_A), ("tok_2026", SECRET_A2)]),
        scim_org("org_b", [("tok_b", SECRET_B)]),
        scim_org("org_off", [("tok_off", SECRET_OFF)], enabled=False),
    ])

    # ------------------------------------------------------------ tokens
    a, f = "scim", "tokens"
    for cid, token in [("empty", ""), ("abc", "abc"), ("minted-shape", SECRET_A), ("unicode", "jeton-ünicode")]:
        case(a, f, f"scim-hash-{cid}", "scim_hash_token", {"token": token}, ok({"sha256": sha(token)}))
    random = "00" * 16 + "ff" * 16
    minted = "orgkit_scim_" + random
    case(a, f, "scim-mint-from-host-randomness", "scim_mint_token", {"random": random},
         ok({"token": minted, "sha256": sha(minted)}), note="the engine has no RNG: the host passes 32 bytes")
    case(a, f, "scim-mint-short-random", "scim_mint_token", {"random": "00ff"},
         err("invalid_input", path="random"))
    case(a, f, "scim-mint-not-hex", "scim_mint_token", {"random": "zz" * 32}, err("invalid_input", path="random"))

    def auth(cid, header, expected, note=None):
        case(a, f, f"scim-auth-{cid}", "scim_authenticate", {"directory": directory, "authorization": header},
             expected, note=note)

    auth("valid", f"Bearer {SECRET_A}", ok({"org_id": "org_a", "token_id": "tok_2025"}))
    auth("rotation-second-token", f"Bearer {SECRET_A2}", ok({"org_id": "org_a", "token_id": "tok_2026"}),
         note="during a rotation both tokens of the org are valid")
    auth("other-org", f"Bearer {SECRET_B}", ok({"org_id": "org_b", "token_id": "tok_b"}),
         note="a token resolves to its own org only")
    auth("scheme-any-case", f"bearer {SECRET_B}", ok({"org_id": "org_b", "token_id": "tok_b"}))
    auth("extra-spaces", f"  Bearer   {SECRET_B}  ", ok({"org_id": "org_b", "token_id": "tok_b"}))
    auth("unknown", "Bearer orgkit_scim_nope", err("invalid_token", reason="unknown", path="authorization"))
    auth("hash-instead-of-token", f"Bearer {sha(SECRET_A)}", err("invalid_token", reason="unknown"),
         note="the stored hash is not a credential")
    auth("token-case-matters", f"Bearer {SECRET_A.upper()}", err("invalid_token", reason="unknown"))
    auth("disabled-endpoint", f"Bearer {SECRET_OFF}", err("invalid_token", reason="scim_disabled"))
    auth("basic-scheme", "Basic dXNlcjpwYXNz", err("invalid_token", reason="not_bearer"))
    auth("no-scheme", SECRET_A, err("invalid_token", reason="not_bearer"))
    auth("empty", "", err("invalid_token", reason="not_bearer"))
    auth("two-tokens", f"Bearer {SECRET_A} {SECRET_B}", err("invalid_token", reason="malformed"))
    auth("too-long", "Bearer " + "x" * 2000, err("invalid_token", reason="too_long"))
    case(a, f, "scim-auth-revoked-by-change", "scim_authenticate",
         {"directory": directory,
          "changes": {"schema_version": 1, "changes": [{"op": "upsert_org", "org": scim_org("org_a", [("tok_2026", SECRET_A2)])}]},
          "authorization": f"Bearer {SECRET_A}"},
         err("invalid_token", reason="unknown"), note="revocation: the record is removed, the token fails at once")
    case(a, f, "scim-auth-after-rotation-new-token", "scim_authenticate",
         {"directory": directory,
          "changes": {"schema_version": 1, "changes": [{"op": "upsert_org", "org": scim_org("org_a", [("tok_2026", SECRET_A2)])}]},
          "authorization": f"Bearer {SECRET_A2}"},
         ok({"org_id": "org_a", "token_id": "tok_2026"}))
    case(a, f, "scim-auth-org-disabled", "scim_authenticate",
         {"directory": small_dir(orgs=[scim_org("org_a", [("t", SECRET_A)], status="disabled")]),
          "authorization": f"Bearer {SECRET_A}"},
         err("invalid_token", reason="scim_disabled"))
    case(a, f, "scim-auth-needs-directory", "scim_authenticate", {"authorization": f"Bearer {SECRET_A}"},
         err("invalid_input", path="directory"))
    case(a, f, "scim-load-token-shared-by-two-orgs", "load",
         {"directory": small_dir(orgs=[scim_org("org_a", [("t1", SECRET_A)]), scim_org("org_b", [("t2", SECRET_A)])])},
         err("invalid_directory", problems=[{"path": "orgs[1].scim.tokens[0].sha256", "code": "conflict",
                                             "reason": "duplicate_token"}]))
    case(a, f, "scim-load-token-listed-twice", "load",
         {"directory": small_dir(orgs=[scim_org("org_a", [("t1", SECRET_A), ("t2", SECRET_A)])])},
         err("invalid_directory", problems=[{"path": "orgs[0].scim.tokens[1].sha256", "code": "conflict",
                                             "reason": "duplicate_token"}]))

    # ------------------------------------------------------------ filters
    f = "filters"

    def path(attr, sub=None, schema=None):
        p = {}
        if schema:
            p["schema"] = schema
        p["attr"] = attr
        if sub:
            p["sub_attr"] = sub
        return p

    def cmp(op, attr, value, sub=None, schema=None):
        return {"op": op, "path": path(attr, sub, schema), "value": value}

    def F(cid, text, ast, note=None):
        case(a, f, f"scim-filter-{cid}", "scim_parse_filter", {"filter": text}, ok(ast), note=note)

    # RFC 7644 §3.4.2.2 examples
    F("rfc-username-eq", 'userName Eq "john"', cmp("eq", "userName", "john"), note="operators in any case")
    F("rfc-urn-username", f'{CORE_USER}:userName sw "J"', cmp("sw", "userName", "J", schema=CORE_USER),
      note="the 2.0 inside the URN is not a sub-attribute separator")
    F("rfc-name-family-co", 'name.familyName co "O\'Malley"', cmp("co", "name", "O'Malley", sub="familyName"))
    F("rfc-title-pr", "title pr", {"op": "pr", "path": path("title")})
    F("rfc-meta-gt", 'meta.lastModified gt "2011-05-13T04:42:34Z"',
      cmp("gt", "meta", "2011-05-13T04:42:34Z", sub="lastModified"))
    F("rfc-and", 'title pr and userType eq "Employee"',
      {"and": [{"op": "pr", "path": path("title")}, cmp("eq", "userType", "Employee")]})
    F("rfc-or", 'title pr or userType eq "Intern"',
      {"or": [{"op": "pr", "path": path("title")}, cmp("eq", "userType", "Intern")]})
    F("rfc-grouping", 'userType eq "Employee" and (emails co "example.com" or emails.value co "example.org")',
      {"and": [cmp("eq", "userType", "Employee"),
               {"or": [cmp("co", "emails", "example.com"), cmp("co", "emails", "example.org", sub="value")]}]})
    F("rfc-not", 'userType ne "Employee" and not (emails co "example.com" or emails.value co "example.org")',
      {"and": [cmp("ne", "userType", "Employee"),
               {"not": {"or": [cmp("co", "emails", "example.com"), cmp("co", "emails", "example.org", sub="value")]}}]})
    F("rfc-value-path", 'emails[type eq "work" and value co "@example.com"]',
      {"path": path("emails"), "filter": {"and": [cmp("eq", "type", "work"), cmp("co", "value", "@example.com")]}})
    F("precedence-and-binds-tighter", 'a eq 1 or b eq 2 and c eq 3',
      {"or": [cmp("eq", "a", 1), {"and": [cmp("eq", "b", 2), cmp("eq", "c", 3)]}]})
    F("flat-or-chain", 'a eq 1 or b eq 2 or c eq 3',
      {"or": [cmp("eq", "a", 1), cmp("eq", "b", 2), cmp("eq", "c", 3)]})
    F("enterprise-urn", f'{ENTERPRISE}:employeeNumber eq "701984"',
      cmp("eq", "employeeNumber", "701984", schema=ENTERPRISE))
    F("enterprise-manager-sub", f'{ENTERPRISE}:manager.value eq "26118915"',
      cmp("eq", "manager", "26118915", sub="value", schema=ENTERPRISE))
    F("okta-username", 'userName eq "isaac.brock@example.com"', cmp("eq", "userName", "isaac.brock@example.com"))
    F("entra-externalid", 'externalId eq "0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef"',
      cmp("eq", "externalId", "0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef"))
    F("entra-group-displayname", 'displayName eq "Group1DisplayName"', cmp("eq", "displayName", "Group1DisplayName"))
    F("double-spaces", 'userName  eq   "x"', cmp("eq", "userName", "x"), note="real IdPs send runs of spaces")
    F("bool-any-case", "active eq True", cmp("eq", "active", True))
    F("null-literal", "nickName eq null", cmp("eq", "nickName", None))
    F("number", "x.count ge -1.5e2", cmp("ge", "x", -150.0, sub="count"))
    F("string-escapes", r'displayName eq "a\"b\\c\u00e9"', cmp("eq", "displayName", 'a"b\\cé'))

    def FE(cid, text, reason, note=None):
        case(a, f, f"scim-filter-error-{cid}", "scim_parse_filter", {"filter": text},
             err("invalid_filter", reason=reason), note=note)

    FE("empty", "", "empty")
    FE("unknown-operator", 'userName eqq "x"', "unknown_operator")
    FE("missing-value", "userName eq", "missing_value")
    FE("unterminated-string", 'userName eq "x', "unterminated_string")
    FE("bad-escape", r'userName eq "\q"', "invalid_escape")
    FE("nested-value-path", 'emails[type[value eq "x"] eq "y"]', "nested_value_path")
    FE("patch-path-in-filter", 'emails[type eq "work"].value eq "x"', "value_path_sub_attribute",
       note="`[…].sub` is PATCH path syntax, not a filter")
    FE("unbalanced", '(userName eq "x"', "unexpected_end")
    FE("trailing", 'userName eq "x")', "unexpected_token")
    FE("too-deep", "(" * 17 + 'a eq 1' + ")" * 17, "too_deep")
    FE("too-long", 'userName eq "' + "x" * 5000 + '"', "too_long")
    FE("pr-with-value", 'title pr "x"', "unexpected_token")

    def M(cid, text, resource, expected, note=None):
        case(a, f, f"scim-match-{cid}", "scim_filter_matches", {"filter": text, "resource": resource}, ok(expected),
             note=note)

    user = {"schemas": [CORE_USER, ENTERPRISE], "id": "2819c223", "userName": "BJensen", "active": True,
            "name": {"familyName": "Jensen", "givenName": "Barbara"},
            "emails": [{"value": "bjensen@example.com", "type": "work", "primary": True},
                       {"value": "babs@jensen.org", "type": "home"}],
            "meta": {"lastModified": "2011-05-13T04:42:34Z"},
            ENTERPRISE: {"employeeNumber": "701984", "department": "Tour Operations"}}
    M("username-case-insensitive", 'userName eq "bjensen"', user, True, note="userName is caseExact=false")
    M("id-case-exact", 'id eq "2819C223"', user, False, note="id is caseExact=true")
    M("multi-valued-any", 'emails co "jensen.org"', user, True)
    M("value-path-both-conditions", 'emails[type eq "work" and value co "jensen.org"]', user, False,
      note="both conditions must hold on the same element")
    M("value-path-match", 'emails[type eq "home" and value co "jensen.org"]', user, True)
    M("enterprise-extension", f'{ENTERPRISE}:department sw "tour"', user, True)
    M("core-urn-prefix", f'{CORE_USER}:name.givenName eq "barbara"', user, True)
    M("datetime-with-offset", 'meta.lastModified gt "2011-05-13T06:00:00+02:00"', user, True,
      note="04:42:34Z is later than 04:00:00Z")
    M("not-present", "nickName pr", user, False)
    M("not", 'not (active eq false)', user, True)
    M("bool-type-mismatch", 'active gt true', user, False, note="ordering on booleans never matches")

    def S(cid, text, resource_type, dialect, sql, params):
        case(a, f, f"scim-sql-{cid}", "scim_filter_sql",
             {"filter": text, "resource_type": resource_type, "dialect": dialect}, ok({"sql": sql, "params": params}))

    S("username-sqlite", 'userName eq "bjensen"', "User", "sqlite", "lower(scim_users.user_name) = lower(?)",
      ["bjensen"])
    S("externalid-postgres", 'externalId ne "701984"', "User", "postgres", "scim_users.external_id <> $1", ["701984"])
    S("like-escaped", 'displayName co "50%_off"', "User", "sqlite",
      "lower(scim_users.display_name) LIKE lower(?) ESCAPE '\\'", ["%50\\%\\_off%"],)
    S("injection-stays-a-parameter", "userName eq \"x' OR 1=1 --\"", "User", "sqlite",
      "lower(scim_users.user_name) = lower(?)", ["x' OR 1=1 --"])
    case(a, f, "scim-sql-unsupported-attribute", "scim_filter_sql",
         {"filter": 'nickName eq "x"', "resource_type": "User", "dialect": "sqlite"},
         err("invalid_filter", reason="unsupported_attribute"))

    # ------------------------------------------------------------ mapping
    f = "mapping"
    roles = [{"key": "billing", "permissions": ["users.read"]}]
    groups_mapping = {"roles": [{"group": "Org Admins", "role": "admin"}, {"group_id": "grp-42", "role": "billing"}],
                      "default_role": "member"}
    attribute_mapping = {"roles": [{"attribute": "roles.value", "equals": "Administrator", "role": "admin"},
                                   {"attribute": f"{ENTERPRISE}:department", "equals": "Finance", "role": "billing"},
                                   {"attribute": "urn:ietf:params:scim:schemas:extension:acme:2.0:User:appRoles",
                                    "delimiter": ";", "equals": "viewer", "role": "viewer"}],
                         "role_selection": "all", "deprovision": "remove"}
    mdir = small_dir(orgs=[
        scim_org("org_groups", [("t1", SECRET_A)], mapping=groups_mapping, roles=roles),
        scim_org("org_attrs", [("t2", SECRET_B)], mapping=attribute_mapping, roles=roles),
        scim_org("org_first", [("t3", SECRET_OFF)], roles=roles,
                 mapping={**attribute_mapping, "role_selection": "first", "deprovision": "suspend",
                          "attributes": {"email": ["emails[type eq \"work\"].value"],
                                         "display_name": ["nickName", "displayName"]}}),
        scim_org("org_plain", [("t4", SECRET_A2)]),
    ])

    def MAP(cid, org_id, user_doc, expected, groups=(), note=None):
        case(a, f, f"scim-map-{cid}", "scim_map_user",
             {"directory": mdir, "org_id": org_id, "user": user_doc, "groups": list(groups)}, expected, note=note)

    okta_user = {"schemas": [CORE_USER], "userName": "isaac.brock@example.com",
                 "name": {"givenName": "Isaac", "familyName": "Brock"},
                 "emails": [{"primary": True, "value": "Isaac.Brock@Example.com", "type": "work"}],
                 "displayName": "Isaac Brock", "locale": "en-US", "externalId": "00ujl29u0le5T6Aj10h7",
                 "active": True}
    MAP("okta-defaults", "org_plain", okta_user,
        ok({"email": "isaac.brock@example.com", "fields": {"display_name": "Isaac Brock", "external_id":
            "00ujl29u0le5T6Aj10h7", "family_name": "Brock", "given_name": "Isaac",
            "user_name": "isaac.brock@example.com"}, "active": True, "status": "active", "roles": [],
            "matched_rules": []}),
        note="default sources; the address is normalised (lowercased)")
    MAP("group-name-any-case", "org_groups", okta_user,
        ok({"email": "isaac.brock@example.com", "fields": {"display_name": "Isaac Brock", "external_id":
            "00ujl29u0le5T6Aj10h7", "family_name": "Brock", "given_name": "Isaac",
            "user_name": "isaac.brock@example.com"}, "active": True, "status": "active", "roles": ["admin"],
            "matched_rules": [0]}),
        groups=[{"id": "grp-1", "display_name": "org admins"}])
    MAP("group-id-and-name", "org_groups", okta_user,
        ok({"email": "isaac.brock@example.com", "fields": {"display_name": "Isaac Brock", "external_id":
            "00ujl29u0le5T6Aj10h7", "family_name": "Brock", "given_name": "Isaac",
            "user_name": "isaac.brock@example.com"}, "active": True, "status": "active",
            "roles": ["admin", "billing"], "matched_rules": [0, 1]}),
        groups=[{"id": "grp-1", "display_name": "Org Admins"}, {"id": "grp-42", "display_name": "Renamed"}],
        note="the id rule survives a group rename")
    MAP("default-role", "org_groups", okta_user,
        ok({"email": "isaac.brock@example.com", "fields": {"display_name": "Isaac Brock", "external_id":
            "00ujl29u0le5T6Aj10h7", "family_name": "Brock", "given_name": "Isaac",
            "user_name": "isaac.brock@example.com"}, "active": True, "status": "active", "roles": ["member"],
            "matched_rules": []}),
        groups=[{"id": "grp-9", "display_name": "Everyone"}])
    entra_user = {"schemas": [CORE_USER, ENTERPRISE], "externalId": "0a21f0f2", "userName": "Test_User@contoso.com",
                  "active": "False", "displayName": "Test User",
                  "emails": [{"primary": True, "type": "work", "value": "Test_User@contoso.com"}],
                  "roles": [{"primary": "True", "type": "WindowsAzureActiveDirectoryRole", "value": "Administrator"}],
                  ENTERPRISE: {"department": "Finance"},
                  "urn:ietf:params:scim:schemas:extension:acme:2.0:User": {"appRoles": "editor; Viewer"}}
    MAP("entra-roles-attribute-and-string-false", "org_attrs", entra_user,
        ok({"email": "test_user@contoso.com", "fields": {"department": "Finance", "display_name": "Test User",
            "external_id": "0a21f0f2", "user_name": "Test_User@contoso.com"}, "active": False, "status": None,
            "roles": ["admin", "billing", "viewer"], "matched_rules": [0, 1, 2]}),
        note="Entra sends active as the string \"False\"; deprovision=remove gives no status")
    MAP("first-rule-wins-and-suspend", "org_first", entra_user,
        ok({"email": "test_user@contoso.com", "fields": {"department": "Finance", "display_name": "Test User",
            "external_id": "0a21f0f2", "user_name": "Test_User@contoso.com"}, "active": False,
            "status": "suspended", "roles": ["admin"], "matched_rules": [0]}))
    MAP("custom-email-source-and-display-fallback", "org_first",
        {"userName": "jdoe", "emails": [{"value": "home@example.org", "type": "home"},
                                          {"value": "JDoe@Initech.com", "type": "work"}], "displayName": "J"},
        ok({"email": "jdoe@initech.com", "fields": {"display_name": "J", "user_name": "jdoe"}, "active": True,
            "status": "active", "roles": [], "matched_rules": []}))
    MAP("email-from-username", "org_plain", {"userName": "Grace@Example.COM"},
        ok({"email": "grace@example.com", "fields": {"user_name": "Grace@Example.COM"}, "active": True,
            "status": "active", "roles": [], "matched_rules": []}),
        note="no emails: the last default source is userName")
    MAP("no-email", "org_plain", {"userName": "not-an-address-free"},
        err("invalid_email"), note="userName is the last source and is not an address")
    MAP("no-source-at-all", "org_plain", {"displayName": "x"}, err("invalid_value", reason="no_email", path="emails"))
    MAP("unknown-org", "org_nope", okta_user, err("unknown_org", path="org_id"))

    def bad_mapping(cid, mapping, problems, org_roles=None):
        case(a, f, f"scim-mapping-load-{cid}", "load",
             {"directory": small_dir(orgs=[scim_org("org_a", [], mapping=mapping, roles=org_roles)])},
             err("invalid_directory", problems=problems))

    bad_mapping("unknown-role", {"roles": [{"group": "G", "role": "superuser"}]},
                [{"path": "orgs[0].scim.mapping.roles[0].role", "code": "unknown_role"}])
    bad_mapping("unknown-default-role", {"default_role": "superuser"},
                [{"path": "orgs[0].scim.mapping.default_role", "code": "unknown_role"}])
    bad_mapping("rule-with-two-sources", {"roles": [{"group": "G", "group_id": "g", "role": "admin"}]},
                [{"path": "orgs[0].scim.mapping.roles[0]", "code": "invalid_value", "reason": "ambiguous_rule"}])
    bad_mapping("rule-with-no-source", {"roles": [{"role": "admin"}]},
                [{"path": "orgs[0].scim.mapping.roles[0]", "code": "invalid_value", "reason": "ambiguous_rule"}])
    bad_mapping("equals-on-group-rule", {"roles": [{"group": "G", "equals": "x", "role": "admin"}]},
                [{"path": "orgs[0].scim.mapping.roles[0]", "code": "invalid_value", "reason": "ambiguous_rule"}])
    bad_mapping("bad-attribute-path", {"roles": [{"attribute": "roles[value eq", "role": "admin"}]},
                [{"path": "orgs[0].scim.mapping.roles[0].attribute", "code": "invalid_value",
                  "reason": "invalid_path"}])
    bad_mapping("unknown-field", {"attributes": {"shoe_size": ["x"]}},
                [{"path": "orgs[0].scim.mapping.attributes.shoe_size", "code": "invalid_value",
                  "reason": "unknown_field"}])
    bad_mapping("bad-source-path", {"attributes": {"email": ["emails[type eq \"work\"]value"]}},
                [{"path": "orgs[0].scim.mapping.attributes.email[0]", "code": "invalid_value",
                  "reason": "invalid_path"}])
    bad_mapping("empty-delimiter", {"roles": [{"attribute": "x", "delimiter": "", "role": "admin"}]},
                [{"path": "orgs[0].scim.mapping.roles[0].delimiter", "code": "invalid_value"}])
    case(a, f, "scim-mapping-load-custom-role-ok", "load",
         {"directory": small_dir(orgs=[scim_org("org_a", [], roles=roles,
                                                mapping={"roles": [{"group": "Billing", "role": "billing"}]})])},
         ok({"version": 1, "orgs": 1, "domains": 0, "connections": 0, "users": 0, "memberships": 0,
             "quarantined_orgs": 0}))
    case(a, f, "scim-mapping-unknown-key", "load",
         {"directory": small_dir(orgs=[scim_org("org_a", [], mapping={"groups": []})])},
         err("invalid_directory"))


PATCH_URN = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group"


def patch_body(*ops):
    return {"schemas": [PATCH_URN], "Operations": list(ops)}


def build_patch(case, ok, err):
    a, f = "scim", "patch"

    def P(cid, resource, body, expected, note=None, **extra):
        case(a, f, f"scim-patch-{cid}", "scim_patch", {"resource": resource, "patch": body, **extra}, expected,
             note=note)

    group = {"schemas": [GROUP], "id": "e9e30dba", "displayName": "Tour Guides",
             "members": [{"value": "2819c223", "display": "Babs Jensen"}, {"value": "902c246b"}]}
    # RFC 7644 §3.5.2.1: add a member
    P("rfc-add-member", group,
      patch_body({"op": "add", "path": "members", "value": [{"display": "James Smith", "value": "08e1d05d"}]}),
      ok({"resource": {**group, "members": group["members"] + [{"display": "James Smith", "value": "08e1d05d"}]},
          "changes": [{"kind": "added", "path": "members", "old": group["members"],
                       "new": group["members"] + [{"display": "James Smith", "value": "08e1d05d"}]}],
          "member_changes": {"added": ["08e1d05d"], "removed": []}}))
    # RFC 7644 §3.5.2.2: remove one member by value filter
    P("rfc-remove-member-filter", group,
      patch_body({"op": "remove", "path": 'members[value eq "2819c223"]'}),
      ok({"resource": {**group, "members": [{"value": "902c246b"}]},
          "changes": [{"kind": "removed", "path": 'members[value eq "2819c223"]', "old": group["members"],
                       "new": [{"value": "902c246b"}]}],
          "member_changes": {"added": [], "removed": ["2819c223"]}}))
    P("remove-filter-matches-nothing", group, patch_body({"op": "remove", "path": 'members[value eq "nobody"]'}),
      err("no_target"))
    P("entra-remove-members-by-value", group,
      patch_body({"op": "Remove", "path": "members", "value": [{"value": "902c246b"}]}),
      ok({"resource": {**group, "members": [{"value": "2819c223", "display": "Babs Jensen"}]},
          "changes": [{"kind": "removed", "path": "members", "old": group["members"],
                       "new": [{"value": "2819c223", "display": "Babs Jensen"}]}],
          "member_changes": {"added": [], "removed": ["902c246b"]}}),
      note="Entra ID: op in capitals, members listed in value instead of a filter")
    P("strict-refuses-capital-op", group,
      patch_body({"op": "Remove", "path": "members", "value": [{"value": "902c246b"}]}),
      err("invalid_patch"), tolerance={"op_any_case": False, "remove_by_value": False})
    user = {"schemas": [CORE_USER], "id": "2819c223", "userName": "bjensen", "active": True,
            "emails": [{"value": "bjensen@example.com", "type": "work", "primary": True}]}
    P("entra-deactivate-string-false", user,
      patch_body({"op": "Replace", "path": "active", "value": "False"}),
      ok({"resource": {**user, "active": False},
          "changes": [{"kind": "replaced", "path": "active", "old": True, "new": False}],
          "member_changes": {"added": [], "removed": []}}),
      note="Entra ID sends booleans as strings")
    P("strict-refuses-string-boolean", user, patch_body({"op": "replace", "path": "active", "value": "False"}),
      err("invalid_value"), tolerance={"string_booleans": False})
    P("read-only-id", user, patch_body({"op": "replace", "path": "id", "value": "other"}), err("mutability"))
    P("bad-path", user, patch_body({"op": "replace", "path": "emails[type eq", "value": "x"}), err("invalid_path"))
    P("not-a-patch-message", user, {"Operations": "replace"}, err("invalid_patch"))
    P("atomic-third-op-fails", user,
      patch_body({"op": "replace", "path": "userName", "value": "babs"},
                 {"op": "add", "path": "title", "value": "Tour Guide"},
                 {"op": "remove", "path": 'emails[type eq "home"]'}),
      err("no_target"), note="nothing of the first two operations is kept")
    P("too-many-operations", user, patch_body(*([{"op": "add", "path": "title", "value": "x"}] * 1001)),
      err("limit_exceeded"))

    # ------------------------------------------------------------ protocol
    f = "protocol"

    def R(cid, method, path, expected, query=None, headers=None, body=None, note=None):
        fields = {"method": method, "path": path}
        if query is not None:
            fields["query"] = query
        if headers is not None:
            fields["headers"] = headers
        if body is not None:
            fields["body"] = body
        case(a, f, f"scim-request-{cid}", "scim_parse_request", fields, expected, note=note)

    R("me-not-implemented", "GET", "/Me", err("not_implemented"))
    R("unknown-endpoint", "GET", "/Widgets", err("not_found"))
    R("method-not-allowed", "DELETE", "/Users", err("method_not_allowed"))
    R("bad-filter", "GET", "/Users", err("invalid_filter"), query="filter=userName+eq")
    R("bad-content-type", "POST", "/Users", err("unsupported_media_type"),
      headers={"content_type": "text/plain"}, body='{"userName":"x"}')
    R("body-not-json", "POST", "/Users", err("invalid_json"),
      headers={"content_type": "application/scim+json"}, body="{userName:")
    R("body-too-large", "POST", "/Users", err("payload_too_large"),
      headers={"content_type": "application/json"}, body='{"x":"' + "y" * (1 << 20) + '"}')

    def E(cid, error, expected):
        case(a, f, f"scim-error-{cid}", "scim_error_response", {"error": error}, ok(expected))

    E("invalid-filter", {"code": "invalid_filter", "message": "bad filter"},
      {"schemas": ["urn:ietf:params:scim:api:messages:2.0:Error"], "status": "400", "scimType": "invalidFilter",
       "detail": "bad filter", "http_status": 400})
    E("not-found", {"code": "unknown_user", "message": "no such user"},
      {"schemas": ["urn:ietf:params:scim:api:messages:2.0:Error"], "status": "404", "detail": "no such user",
       "http_status": 404})
    E("conflict-uniqueness", {"code": "conflict", "message": "userName taken"},
      {"schemas": ["urn:ietf:params:scim:api:messages:2.0:Error"], "status": "409", "scimType": "uniqueness",
       "detail": "userName taken", "http_status": 409})
    E("token", {"code": "invalid_token", "message": "the bearer token is not valid"},
      {"schemas": ["urn:ietf:params:scim:api:messages:2.0:Error"], "status": "401",
       "detail": "the bearer token is not valid", "http_status": 401})
    E("no-target", {"code": "no_target", "message": "nothing matched"},
      {"schemas": ["urn:ietf:params:scim:api:messages:2.0:Error"], "status": "400", "scimType": "noTarget",
       "detail": "nothing matched", "http_status": 400})
    case(a, f, "scim-error-unknown-code", "scim_error_response", {"error": {"code": "teapot", "message": "x"}},
         err("invalid_input"))
    case(a, f, "scim-discovery-unknown-document", "scim_discovery",
         {"document": "Bulk", "base_url": "https://api.example.com/scim/v2"}, err("invalid_input"))


def build_all(case, ok, err, org, small_dir):
    build(case, ok, err, org, small_dir)
    build_patch(case, ok, err)
    build_protocol_requests(case, ok, err)
    build_discovery_and_errors(case, ok, err)
    build_patch_more(case, ok, err, org, small_dir)
    build_filters_more(case, ok, err)
    build_mapping_idps(case, ok, err, org, small_dir)


# ====================================================================== more vectors
# Every expected value below is written by hand from RFC 7643/7644, the IdPs' documentation
# cited in each `note`, and the module docs of core/src/scim (never from the engine's output).

ACME = "urn:ietf:params:scim:schemas:extension:acme:2.0:User"
CUSTOM_EXT = "urn:ietf:params:scim:schemas:extension:CustomExtensionName:2.0:User"
SEARCH_URN = "urn:ietf:params:scim:api:messages:2.0:SearchRequest"
LIST_URN = "urn:ietf:params:scim:api:messages:2.0:ListResponse"
ERROR_URN = "urn:ietf:params:scim:api:messages:2.0:Error"
EMPTY_DIR = {"schema_version": 1}


def AP(attr, sub=None, schema=None):
    """An attribute path as the JSON form of filters and projections spells it."""
    p = {}
    if schema:
        p["schema"] = schema
    p["attr"] = attr
    if sub:
        p["sub_attr"] = sub
    return p


def EQ(attr, value, sub=None, schema=None, op="eq"):
    return {"op": op, "path": AP(attr, sub, schema), "value": value}


def build_protocol_requests(case, ok, err):
    """scim_parse_request: the exact request shape (RFC 7644 §3) and every refusal."""
    a, f = "scim", "protocol"

    def R(cid, method, path, expected, query=None, headers=None, body=None, note=None, options=None):
        fields = {"method": method, "path": path}
        if query is not None:
            fields["query"] = query
        if headers is not None:
            fields["headers"] = headers
        if body is not None:
            fields["body"] = body
        if options is not None:
            fields = {"directory": EMPTY_DIR, "options": options, **fields}
        case(a, f, f"scim-req-{cid}", "scim_parse_request", fields, expected, note=note)

    def proj(attrs=(), excluded=()):
        return {"attributes": list(attrs), "excluded_attributes": list(excluded)}

    def lq(filter=None, start=1, count=100, sort_by=None, order="ascending", projection=None):
        return {"filter": filter, "start_index": start, "count": count, "sort_by": sort_by, "sort_order": order,
                "projection": projection or proj()}

    def req(operation, if_match=None, if_none_match=None):
        return ok({"operation": operation, "if_match": if_match, "if_none_match": if_none_match})

    def listing(kind, **query):
        return req({"op": "list", "kind": kind, "query": lq(**query)})

    json_ct = {"content_type": "application/scim+json"}

    # ---------------------------------------------------------------- list queries
    R("rfc-list-filter-page", "GET", "/Users", listing("User", filter=EQ("userName", "bjensen"), start=1, count=10),
      query="filter=userName%20eq%20%22bjensen%22&startIndex=1&count=10",
      note="RFC 7644 §3.4.2: %20 and %22 decode to a space and a quote")
    R("okta-user-lookup", "GET", "/Users",
      listing("User", filter=EQ("userName", "test.user@okta.local"), start=1, count=100),
      query="filter=userName%20eq%20%22test.user%40okta.local%22&startIndex=1&count=100",
      note="Okta SCIM 2.0 reference: 'Determine if the User already exists'")
    R("entra-plus-and-raw-quotes", "GET", "/Users",
      listing("User", filter=EQ("userName", "Test_User_dfeef4c5-5681-4387-b016-bdf221e82081")),
      query='filter=userName+eq+"Test_User_dfeef4c5-5681-4387-b016-bdf221e82081"',
      note="Entra ID docs (Get User by query): `+` is a space in a form-encoded query; no count means max_page_size")
    R("entra-group-by-name-excluding-members", "GET", "/Groups",
      listing("Group", filter=EQ("displayName", "displayName"), projection=proj(excluded=[AP("members")])),
      query="excludedAttributes=members&filter=displayName+eq+%22displayName%22",
      note="Entra ID docs (Get Group by displayName): groups are read without members")
    R("entra-get-group-excluding-members", "GET", "/Groups/40734ae655284ad3abcc",
      req({"op": "get", "kind": "Group", "id": "40734ae655284ad3abcc", "projection": proj(excluded=[AP("members")])}),
      query="excludedAttributes=members", note="Entra ID docs (Get Group)")
    R("okta-import-groups-page", "GET", "/Groups", listing("Group", start=101, count=100),
      query="startIndex=101&count=100", note="Okta SCIM 2.0 reference: the next page starts at startIndex+100")
    R("sort-descending-any-case", "GET", "/Users",
      listing("User", sort_by=AP("name", "familyName"), order="descending"),
      query="sortBy=name.familyName&sortOrder=DESCENDING", note="RFC 7644 §3.4.2.3; sortOrder in any case")
    R("sort-ascending-urn", "GET", "/Users", listing("User", sort_by=AP("userName", schema=CORE_USER)),
      query=f"sortBy={CORE_USER}:userName&sortOrder=ascending")
    R("attributes-projection", "GET", "/Users",
      listing("User", projection=proj([AP("userName"), AP("name", "givenName"), AP("employeeNumber", schema=ENTERPRISE)])),
      query=f"attributes=userName,%20name.givenName,,{ENTERPRISE}:employeeNumber",
      note="RFC 7644 §3.9: comma-separated paths; blanks around commas and empty entries skipped")
    R("attributes-and-excluded-both-kept", "GET", "/Users",
      listing("User", projection=proj([AP("userName"), AP("emails")], [AP("emails", "display")])),
      query="attributes=userName,emails&excludedAttributes=emails.display",
      note="module docs: when both are given, both apply")
    R("count-above-max-page-size", "GET", "/Users", listing("User", count=100), query="count=500",
      note="RFC 7644 §3.4.2.4: the provider may return fewer; the engine caps at max_page_size (100)")
    R("count-zero", "GET", "/Users", listing("User", count=0), query="count=0",
      note="RFC 7644 §3.4.2.4: count=0 asks for totalResults only")
    R("count-negative", "GET", "/Users", listing("User", count=0), query="count=-5",
      note="RFC 7644 §3.4.2.4: a negative count is interpreted as 0")
    R("start-index-zero", "GET", "/Users", listing("User", start=1), query="startIndex=0",
      note="RFC 7644 §3.4.2.4: a startIndex below 1 is interpreted as 1")
    R("start-index-negative", "GET", "/Users", listing("User", start=1, count=5), query="startIndex=-20&count=5")
    R("start-index-plus-sign", "GET", "/Users", listing("User", start=7), query="startIndex=%2B7",
      note="%2B is a literal +, an optional sign")
    R("count-over-custom-limit", "GET", "/Users", listing("User", count=25), query="count=80",
      options={"limits": {"max_page_size": 25}}, note="the cap is the directory's max_page_size")
    R("parameter-names-any-case", "GET", "/Users",
      listing("User", filter=EQ("userName", "x"), start=3, count=4),
      query='FILTER=userName+eq+"x"&STARTINDEX=3&Count=4', note="module docs: names match ignoring ASCII case")
    R("unknown-parameters-ignored", "GET", "/Users", listing("User", count=2),
      query="foo=%ZZ&count=2&bar", note="RFC 7644 §3.4.2: unknown parameters are ignored, even undecodable ones")
    R("leading-question-mark-and-empty-pairs", "GET", "/Users", listing("User", count=5), query="?&&count=5&")
    R("percent-2b-is-plus", "GET", "/Users", listing("User", filter=EQ("userName", "a+b@example.com")),
      query='filter=userName%20eq%20"a%2Bb@example.com"', note="%2B decodes to +, a raw + to a space")
    R("filter-rfc-complex", "GET", "/Users",
      listing("User", filter={"and": [EQ("userType", "Employee"),
                                      {"path": AP("emails"), "filter": {"and": [EQ("type", "work"),
                                                                               EQ("value", "@example.com", op="co")]}}]}),
      query="filter=userType+eq+%22Employee%22+and+emails%5Btype+eq+%22work%22+and+value+co+%22%40example.com%22%5D",
      note="RFC 7644 §3.4.2.2 value-path example, form-encoded")
    R("empty-filter-value", "GET", "/Users", err("invalid_filter", reason="empty"), query="filter=",
      note="a present but empty filter is not a filter")

    # ---------------------------------------------------------------- one resource
    R("get-user", "GET", "/Users/2819c223-7f76-453a-919d-413861904646",
      req({"op": "get", "kind": "User", "id": "2819c223-7f76-453a-919d-413861904646", "projection": proj()}))
    R("get-percent-encoded-id", "GET", "/Users/CEC50F275D83C4530A495FCF%40834d0e1e5d8235f90a495fda",
      req({"op": "get", "kind": "User", "id": "CEC50F275D83C4530A495FCF@834d0e1e5d8235f90a495fda", "projection": proj()}),
      note="Entra ID docs (Disable User) show ids holding @; the id is percent-decoded")
    R("get-id-with-encoded-slash-and-space", "GET", "/Users/a%2Fb%20c",
      req({"op": "get", "kind": "User", "id": "a/b c", "projection": proj()}),
      note="%2F keeps the slash inside one segment")
    R("get-id-plus-stays-plus", "GET", "/Groups/a+b",
      req({"op": "get", "kind": "Group", "id": "a+b", "projection": proj()}), note="module docs: + stays + in a path")
    R("get-id-unicode", "GET", "/Users/%C3%A9t%C3%A9",
      req({"op": "get", "kind": "User", "id": "été", "projection": proj()}))
    R("get-with-attributes", "GET", "/Users/u1",
      req({"op": "get", "kind": "User", "id": "u1", "projection": proj([AP("userName"), AP("active")])}),
      query="attributes=userName,active")
    R("get-if-none-match", "GET", "/Users/u1",
      req({"op": "get", "kind": "User", "id": "u1", "projection": proj()}, if_none_match='W/"3694e05e9dff591"'),
      headers={"if_none_match": 'W/"3694e05e9dff591"'}, note="RFC 7644 §3.14: passed on for a 304")
    R("trailing-slash-collection", "GET", "/Users/", listing("User"), note="module docs: one trailing / tolerated")
    R("trailing-slash-resource", "DELETE", "/Groups/g1/", req({"op": "delete", "kind": "Group", "id": "g1"}))
    R("endpoint-any-case", "GET", "/users", listing("User"))
    okta_put = {"schemas": [CORE_USER], "id": "23a35c27-23d3-4c03-b4c5-6443c09e7173", "userName": "test.user@okta.local",
                "name": {"givenName": "Another", "middleName": "Excited", "familyName": "User"},
                "emails": [{"primary": True, "value": "test.user@okta.local", "type": "work",
                            "display": "test.user@okta.local"}],
                "active": True, "groups": [], "meta": {"resourceType": "User"}}
    R("okta-put-user-if-match", "PUT", "/Users/23a35c27-23d3-4c03-b4c5-6443c09e7173",
      req({"op": "replace", "kind": "User", "id": "23a35c27-23d3-4c03-b4c5-6443c09e7173", "resource": okta_put,
           "projection": proj()}, if_match='W/"e180ee84f0671b1"'),
      headers={"content_type": "application/scim+json; charset=utf-8", "if_match": 'W/"e180ee84f0671b1"'},
      body=json.dumps(okta_put),
      note="Okta SCIM 2.0 reference (Update the User, PUT); If-Match per RFC 7644 §3.14 is passed on")
    okta_deactivate = {"schemas": [PATCH_URN], "Operations": [{"op": "replace", "value": {"active": False}}]}
    R("okta-patch-deactivate", "PATCH", "/Users/23a35c27-23d3-4c03-b4c5-6443c09e7173",
      req({"op": "patch", "kind": "User", "id": "23a35c27-23d3-4c03-b4c5-6443c09e7173", "patch": okta_deactivate,
           "projection": proj()}),
      body=json.dumps(okta_deactivate), note="Okta SCIM 2.0 reference: no Content-Type header is accepted as JSON")
    R("patch-with-projection", "PATCH", "/Users/u1",
      req({"op": "patch", "kind": "User", "id": "u1", "patch": okta_deactivate,
           "projection": proj(excluded=[AP("groups")])}),
      query="excludedAttributes=groups", headers=json_ct, body=json.dumps(okta_deactivate))
    R("delete-body-ignored", "DELETE", "/Users/5171a35d82074e068ce2",
      req({"op": "delete", "kind": "User", "id": "5171a35d82074e068ce2"}), body="not json at all",
      headers={"content_type": "text/plain"}, note="module docs: bodies of GET and DELETE are ignored")
    okta_group = {"schemas": [GROUP], "displayName": "Test SCIMv2", "members": []}
    R("okta-create-group", "POST", "/Groups",
      req({"op": "create", "kind": "Group", "resource": okta_group, "projection": proj()}),
      headers={"content_type": "application/json"}, body=json.dumps(okta_group),
      note="Okta SCIM 2.0 reference (Create Groups)")
    entra_group = {"schemas": [GROUP, "http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group"],
                   "externalId": "8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159", "displayName": "displayName",
                   "meta": {"resourceType": "Group"}}
    R("entra-create-group", "POST", "/Groups",
      req({"op": "create", "kind": "Group", "resource": entra_group, "projection": proj()}),
      headers={"content_type": "application/scim+json;charset=\"UTF-8\""}, body=json.dumps(entra_group),
      note="Entra ID docs (Create Group); charset may be quoted and in any case")

    # ---------------------------------------------------------------- search and discovery
    search = {"schemas": [SEARCH_URN], "attributes": ["displayName", "userName"], "filter": 'displayName sw "smith"',
              "startIndex": 1, "count": 10}
    R("rfc-search-root", "POST", "/.search",
      req({"op": "list", "kind": None, "query": lq(filter=EQ("displayName", "smith", op="sw"), count=10,
                                                 projection=proj([AP("displayName"), AP("userName")]))}),
      headers=json_ct, body=json.dumps(search), note="RFC 7644 §3.4.3 example: /.search searches every type")
    R("search-users-sort-null-members", "POST", "/Users/.search",
      req({"op": "list", "kind": "User", "query": lq(start=3, sort_by=AP("userName"), order="descending",
                                                   projection=proj(excluded=[AP("emails")]))}),
      headers=json_ct, body=json.dumps({"schemas": [SEARCH_URN], "SORTBY": "userName", "sortOrder": "descending",
                                        "startIndex": 3, "count": None, "filter": None,
                                        "excludedAttributes": ["emails"], "other": {"ignored": True}}),
      note="member names in any case, null as absent, other members ignored")
    R("search-count-not-integer", "POST", "/Users/.search", err("invalid_syntax", path="count"),
      headers=json_ct, body=json.dumps({"schemas": [SEARCH_URN], "count": "10"}))
    R("search-attributes-not-array", "POST", "/Groups/.search", err("invalid_syntax", path="attributes"),
      headers=json_ct, body=json.dumps({"schemas": [SEARCH_URN], "attributes": "displayName"}))
    R("search-bad-filter", "POST", "/.search", err("invalid_filter", reason="unknown_operator"),
      headers=json_ct, body=json.dumps({"schemas": [SEARCH_URN], "filter": 'userName eqq "x"'}))
    R("service-provider-config", "GET", "/ServiceProviderConfig", req({"op": "service_provider_config"}))
    R("resource-types", "GET", "/ResourceTypes/", req({"op": "resource_types"}))
    R("resource-type-user", "GET", "/ResourceTypes/User", req({"op": "resource_type", "name": "User"}))
    R("schemas", "GET", "/schemas", req({"op": "schemas"}))
    R("schema-by-urn", "GET", f"/Schemas/{ENTERPRISE}", req({"op": "schema", "id": ENTERPRISE}),
      note="the colons of a URN stay in one segment")
    R("discovery-ignores-parameters", "GET", "/ServiceProviderConfig", req({"op": "service_provider_config"}),
      query="attributes=patch&count=3", note="module docs: discovery endpoints ignore every parameter but filter")

    # ---------------------------------------------------------------- refusals
    R("405-put-collection", "PUT", "/Users", err("method_not_allowed"), headers=json_ct, body="{}")
    R("405-patch-groups-collection", "PATCH", "/Groups", err("method_not_allowed"), headers=json_ct, body="{}")
    R("405-post-resource", "POST", "/Users/u1", err("method_not_allowed"), headers=json_ct, body="{}")
    R("405-get-search", "GET", "/.search", err("method_not_allowed"), note="RFC 7644 §3.4.3: .search is POST only")
    R("405-get-users-search", "GET", "/Users/.search", err("method_not_allowed"))
    R("405-post-service-provider-config", "POST", "/ServiceProviderConfig", err("method_not_allowed"),
      headers=json_ct, body="{}")
    R("405-delete-schema", "DELETE", f"/Schemas/{CORE_USER}", err("method_not_allowed"))
    R("405-lowercase-method", "get", "/Users", err("method_not_allowed"), note="RFC 9110: methods are case-sensitive")
    R("405-before-query", "PUT", "/Users", err("method_not_allowed"), query="filter=userName+eq",
      note="module docs: the method is checked before the query")
    R("404-root", "GET", "/", err("not_found"))
    R("404-mount-not-stripped", "GET", "/scim/v2/Users", err("not_found"),
      note="module docs: the host strips its mount point")
    R("404-no-leading-slash", "GET", "Users", err("not_found"))
    R("404-nested-segment", "GET", "/Users/u1/groups", err("not_found"))
    R("404-double-slash", "GET", "/Users//", err("not_found"), note="only one trailing slash is tolerated")
    R("404-discovery-sub-path", "GET", "/ServiceProviderConfig/x", err("not_found"))
    R("501-me-any-method", "DELETE", "/Me", err("not_implemented"),
      note="RFC 7644 §3.11 /Me is optional; module docs: the path is checked before the method")
    R("501-bulk", "POST", "/Bulk", err("not_implemented"), headers=json_ct, body="{}")
    R("501-me-lowercase", "GET", "/me", err("not_implemented"))
    R("415-patch-text", "PATCH", "/Users/u1", err("unsupported_media_type"),
      headers={"content_type": "text/plain"}, body=json.dumps(okta_deactivate))
    R("415-latin1", "POST", "/Groups", err("unsupported_media_type"),
      headers={"content_type": "application/json; charset=ISO-8859-1"}, body=json.dumps(okta_group))
    R("415-form", "PUT", "/Users/u1", err("unsupported_media_type"),
      headers={"content_type": "application/x-www-form-urlencoded"}, body="userName=x")
    R("413-custom-limit", "PUT", "/Users/u1", err("payload_too_large"), headers=json_ct, body=json.dumps(okta_put),
      options={"limits": {"max_scim_body_bytes": 64}})
    R("body-missing", "POST", "/Users", err("invalid_syntax"), headers=json_ct,
      note="module docs: POST needs a body")
    R("body-empty", "PATCH", "/Users/u1", err("invalid_syntax"), headers=json_ct, body="")
    R("body-array", "POST", "/Users", err("invalid_syntax"), headers=json_ct, body="[]")
    R("invalid-filter", "GET", "/Users", err("invalid_filter", reason="missing_value"), query="filter=userName%20eq")
    R("entra-unquoted-value", "GET", "/Users", err("invalid_filter"), query="filter=externalId+eq+jyoung",
      note="Entra ID docs (Develop a SCIM endpoint) sample `externalId eq jyoung`: RFC 7644 compValue needs quotes")
    R("duplicate-parameter", "GET", "/Users", err("invalid_syntax", path="count"), query="count=1&count=2")
    R("duplicate-parameter-other-case", "GET", "/Users", err("invalid_syntax", path="filter"),
      query='filter=userName+eq+"a"&Filter=userName+eq+"b"', note="names match ignoring case, so this is twice")
    R("bad-percent-encoding", "GET", "/Users", err("invalid_syntax", path="filter"), query="filter=%ZZ")
    R("bad-utf8-in-query", "GET", "/Users", err("invalid_syntax", path="filter"), query="filter=%C3%28")
    R("bad-percent-in-id", "GET", "/Users/%E0%A4", err("invalid_syntax"))
    R("start-index-not-integer", "GET", "/Users", err("invalid_value", path="startIndex"), query="startIndex=one")
    R("count-decimal", "GET", "/Users", err("invalid_value", path="count"), query="count=1.5")
    R("sort-order-unknown", "GET", "/Users", err("invalid_value", path="sortOrder"), query="sortOrder=up")
    R("sort-by-not-a-path", "GET", "/Users", err("invalid_value", path="sortBy"), query="sortBy=emails[type")
    R("attributes-not-a-path", "GET", "/Users/u1", err("invalid_value", path="attributes"),
      query="attributes=userName,name..givenName")
    R("403-filter-on-schemas", "GET", "/Schemas", err("forbidden", path="filter"), query="filter=id+pr",
      note="RFC 7644 §4: a filter on a discovery endpoint is 403")
    R("403-filter-on-resource-types", "GET", "/ResourceTypes/User", err("forbidden", path="filter"),
      query='filter=name+eq+"User"')
    R("query-too-long", "GET", "/Users", err("limit_exceeded"), query="count=1&" + "x=y&" * 10,
      options={"limits": {"max_scim_query_bytes": 32}})
    R("id-too-long", "GET", "/Users/" + "%41" * 17, err("limit_exceeded"), options={"limits": {"max_text_bytes": 16}},
      note="the decoded id counts: 17 bytes over a limit of 16")
    R("query-checked-before-body", "POST", "/Users", err("invalid_syntax", path="count"), query="count=1&count=1",
      headers={"content_type": "text/plain"}, body="x",
      note="module docs: query errors (400) come before body errors (415)")
    R("query-before-body-projection", "POST", "/Users", err("invalid_value", path="attributes"),
      query="attributes=name..givenName", headers={"content_type": "text/plain"}, body="x",
      note="module docs: query errors (400) come before body errors (415), `attributes` included")
    R("search-under-users-any-case", "POST", "/Users/.SEARCH", req({"op": "list", "kind": "User", "query": lq()}),
      headers=json_ct, body="{}", note="module docs: endpoint names match ignoring ASCII case")
    R("search-root-any-case", "POST", "/.SEARCH", req({"op": "list", "kind": None, "query": lq()}), headers=json_ct,
      body="{}", note="module docs: endpoint names match ignoring ASCII case")


def build_discovery_and_errors(case, ok, err):
    """scim_discovery documents (RFC 7643 §5, §6, RFC 7644 §4) and scim_error_response bodies (§3.12)."""
    a, f = "scim", "protocol"

    def spc(base, location, max_results=100):
        return {"schemas": ["urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"],
                "patch": {"supported": True},
                "bulk": {"supported": False, "maxOperations": 0, "maxPayloadSize": 0},
                "filter": {"supported": True, "maxResults": max_results},
                "changePassword": {"supported": False},
                "sort": {"supported": True},
                "etag": {"supported": True},
                "authenticationSchemes": [{"type": "oauthbearertoken", "name": "OAuth Bearer Token",
                                           "description": "Authentication with a bearer token in the Authorization header",
                                           "specUri": "https://www.rfc-editor.org/info/rfc6750", "primary": True}],
                "meta": {"resourceType": "ServiceProviderConfig", "location": location}}

    def D(cid, document, base, expected, options=None, note=None):
        fields = {"document": document, "base_url": base}
        if options is not None:
            fields = {"directory": EMPTY_DIR, "options": options, **fields}
        case(a, f, f"scim-discovery-{cid}", "scim_discovery", fields, expected, note=note)

    D("service-provider-config", "ServiceProviderConfig", "https://api.example.com/scim/v2",
      ok(spc("https://api.example.com/scim/v2", "https://api.example.com/scim/v2/ServiceProviderConfig")),
      note="RFC 7643 §5: patch, filter, sort and etag supported; bulk and changePassword not; bearer tokens")
    D("service-provider-config-trailing-slash-and-limit", "ServiceProviderConfig", "https://acme.example/scim/v2/",
      ok(spc("", "https://acme.example/scim/v2/ServiceProviderConfig", max_results=25)),
      options={"limits": {"max_page_size": 25}}, note="filter.maxResults is max_page_size; one / between base and path")

    def rt(base):
        return {"schemas": [LIST_URN], "totalResults": 2, "startIndex": 1, "itemsPerPage": 2, "Resources": [
            {"schemas": ["urn:ietf:params:scim:schemas:core:2.0:ResourceType"], "id": "User", "name": "User",
             "endpoint": "/Users", "description": "User Account", "schema": CORE_USER,
             "schemaExtensions": [{"schema": ENTERPRISE, "required": False}],
             "meta": {"resourceType": "ResourceType", "location": f"{base}/ResourceTypes/User"}},
            {"schemas": ["urn:ietf:params:scim:schemas:core:2.0:ResourceType"], "id": "Group", "name": "Group",
             "endpoint": "/Groups", "description": "Group", "schema": GROUP,
             "meta": {"resourceType": "ResourceType", "location": f"{base}/ResourceTypes/Group"}}]}

    D("resource-types", "ResourceTypes", "https://example.com/v2", ok(rt("https://example.com/v2")),
      note="RFC 7643 §6 and §8.6: User with the (optional) enterprise extension, then Group, as a ListResponse")
    D("resource-types-trailing-slash", "ResourceTypes", "https://example.com/tenants/t1/scim/v2/",
      ok(rt("https://example.com/tenants/t1/scim/v2")))
    case(a, f, "scim-discovery-no-base-url", "scim_discovery", {"document": "Schemas"}, err("invalid_input"))
    case(a, f, "scim-discovery-document-case-matters", "scim_discovery",
         {"document": "schemas", "base_url": "https://example.com/v2"}, err("invalid_input"))

    def E(cid, code, status, scim_type=None, note=None):
        body = {"schemas": [ERROR_URN], "status": str(status), "detail": f"{code} happened", "http_status": status}
        if scim_type:
            body["scimType"] = scim_type
        case(a, f, f"scim-error-{cid}", "scim_error_response", {"error": {"code": code, "message": f"{code} happened"}},
             ok(body), note=note)

    E("invalid-path", "invalid_path", 400, "invalidPath")
    E("invalid-value", "invalid_value", 400, "invalidValue")
    E("mutability", "mutability", 400, "mutability")
    E("invalid-patch", "invalid_patch", 400, "invalidSyntax", note="a malformed PATCH body is invalidSyntax")
    E("invalid-syntax", "invalid_syntax", 400, "invalidSyntax")
    E("too-many", "too_many", 400, "tooMany")
    E("limit-exceeded", "limit_exceeded", 400, note="error docs: limit_exceeded has no scimType")
    E("forbidden", "forbidden", 403)
    E("not-found-endpoint", "not_found", 404)
    E("unknown-org", "unknown_org", 404)
    E("method-not-allowed", "method_not_allowed", 405)
    E("precondition-failed", "precondition_failed", 412, note="RFC 7644 §3.14: If-Match mismatch")
    E("payload-too-large", "payload_too_large", 413)
    E("unsupported-media-type", "unsupported_media_type", 415)
    E("internal", "internal", 500)
    E("not-implemented", "not_implemented", 501)
    E("unknown-role", "unknown_role", 400, "invalidValue")
    case(a, f, "scim-error-path-and-reason-not-in-body", "scim_error_response",
         {"error": {"code": "invalid_filter", "message": "bad", "path": "filter", "reason": "empty"}},
         ok({"schemas": [ERROR_URN], "status": "400", "scimType": "invalidFilter", "detail": "bad", "http_status": 400}),
         note="RFC 7644 §3.12 bodies carry schemas, status, scimType and detail only")


_MISSING = object()


def _json_len(value):
    return len(json.dumps(value, separators=(",", ":"), ensure_ascii=False))


def CH(kind, path, old=_MISSING, new=_MISSING):
    """A change record: `old`/`new` are the whole attribute, kept only when its JSON is at most 256 bytes
    (patch module docs, SMALL_VALUE_BYTES). Values are kept away from that boundary (the engine estimates the size)."""
    c = {"kind": kind, "path": path}
    for key, value in (("old", old), ("new", new)):
        if value is _MISSING:
            continue
        n = _json_len(value)
        assert n < 220 or n > 280, f"{path}: {n} bytes is too close to the 256-byte boundary"
        if n <= 256:
            c[key] = value
    return c


def build_patch_more(case, ok, err, org, small_dir):
    """scim_patch: each op × path kind, RFC 7644 §3.5.2 examples, IdP payloads, tolerances on and off, errors."""
    import copy
    a, f = "scim", "patch"
    D = copy.deepcopy

    def P(cid, resource, ops, expected, note=None, body=None, **extra):
        case(a, f, f"scim-patch-{cid}", "scim_patch",
             {"resource": resource, "patch": body if body is not None else patch_body(*ops), **extra}, expected,
             note=note)

    def out(resource, changes, added=(), removed=()):
        return ok({"resource": resource, "changes": changes,
                   "member_changes": {"added": list(added), "removed": list(removed)}})

    def upd(base, drop=(), **values):
        r = D(base)
        for k in drop:
            r.pop(k, None)
        r.update(D(values))
        return r

    strict = {"op_any_case": False, "string_booleans": False, "dotted_value_keys": False, "remove_by_value": False,
              "readonly_echo": False, "empty_operations": False, "wrap_single_values": False,
              "add_creates_filtered_value": False}

    W = {"value": "bjensen@example.com", "type": "work", "primary": True}
    H = {"value": "babs@jensen.org", "type": "home"}
    NAME = {"givenName": "Barbara", "familyName": "Jensen"}
    U = {"schemas": [CORE_USER], "id": "2819c223", "userName": "bjensen", "name": NAME, "emails": [W, H],
         "active": True}
    ENT = ENTERPRISE

    # ---------------------------------------------------------------- add
    U1 = upd(U, emails=[W])
    P("rfc-add-no-path", U1,
      [{"op": "add", "value": {"emails": [{"value": "babs@jensen.org", "type": "home"}], "nickName": "Babs"}}],
      out(upd(U1, emails=[W, H], nickName="Babs"),
          [CH("added", "emails", [W], [W, H]), CH("added", "nickName", new="Babs")]),
      note="RFC 7644 §3.5.2.1: a path-less add appends to emails and sets nickName")
    P("add-no-path-element-already-present", U,
      [{"op": "add", "value": {"emails": [{"value": "babs@jensen.org", "type": "home"}], "nickName": "Babs"}}],
      out(upd(U, nickName="Babs"), [CH("added", "nickName", new="Babs")]),
      note="an element already present is not added twice; no change is recorded for it")
    P("add-single-valued-replaces", U, [{"op": "add", "path": "userName", "value": "babs"}],
      out(upd(U, userName="babs"), [CH("added", "userName", "bjensen", "babs")]),
      note="RFC 7644 §3.5.2.1: add to a single-valued attribute replaces its value")
    name_mid = {**NAME, "middleName": "Jane"}
    P("add-sub-attribute", U, [{"op": "add", "path": "name.middleName", "value": "Jane"}],
      out(upd(U, name=name_mid), [CH("added", "name.middleName", NAME, name_mid)]))
    name_merged = {"givenName": "Barbara", "familyName": "Jensen-Smith", "middleName": "Jane"}
    P("add-complex-merges-sub-attributes", U,
      [{"op": "add", "path": "name", "value": {"middleName": "Jane", "familyName": "Jensen-Smith"}}],
      out(upd(U, name=name_merged), [CH("added", "name", NAME, name_merged)]),
      note="RFC 7644 §3.5.2.1: the given sub-attributes are set, the others kept")
    other = {"value": "bj@work.example", "type": "other"}
    P("add-element-appended", U, [{"op": "add", "path": "emails", "value": [other]}],
      out(upd(U, emails=[W, H, other]), [CH("added", "emails", [W, H], [W, H, other])]))
    H_disp = {**H, "display": "Babs (home)"}
    P("add-same-value-merges", U,
      [{"op": "add", "path": "emails", "value": [{"value": "babs@jensen.org", "display": "Babs (home)"}]}],
      out(upd(U, emails=[W, H_disp]), [CH("added", "emails", [W, H], [W, H_disp])]),
      note="same value and no different type: the element is merged, not duplicated")
    H_other = {"value": "babs@jensen.org", "type": "other"}
    P("add-same-value-other-type-appends", U, [{"op": "add", "path": "emails", "value": [H_other]}],
      out(upd(U, emails=[W, H, H_other]), [CH("added", "emails", [W, H], [W, H, H_other])]))
    H_home = {**H, "display": "Home"}
    P("add-value-filter-merges", U, [{"op": "add", "path": 'emails[type eq "home"]', "value": {"display": "Home"}}],
      out(upd(U, emails=[W, H_home]), [CH("added", 'emails[type eq "home"]', [W, H], [W, H_home])]))
    W_disp = {**W, "display": "Work"}
    P("add-value-filter-sub-attribute", U, [{"op": "add", "path": 'emails[type eq "work"].display', "value": "Work"}],
      out(upd(U, emails=[W_disp, H]), [CH("added", 'emails[type eq "work"].display', [W, H], [W_disp, H])]))
    both = [{**W, "display": "Barbara"}, {**H, "display": "Barbara"}]
    P("add-sub-attribute-of-every-element", U, [{"op": "add", "path": "emails.display", "value": "Barbara"}],
      out(upd(U, emails=both), [CH("added", "emails.display", [W, H], both)]),
      note="patch docs: attr.sub on a multi-valued attribute sets it on every element")
    P("add-sub-attribute-of-absent-multi-valued", upd(U, drop=["emails"]),
      [{"op": "add", "path": "emails.display", "value": "x"}], err("no_target", path="Operations[0]"))
    P("add-enterprise-attribute-creates-extension", U,
      [{"op": "add", "path": f"{ENT}:department", "value": "Tour Operations"}],
      out(upd(U, schemas=[CORE_USER, ENT], **{ENT: {"department": "Tour Operations"}}),
          [CH("added", f"{ENT}:department", new="Tour Operations")]),
      note="patch docs: the extension object is created and listed in schemas")
    U_ent = upd(U, schemas=[CORE_USER, ENT], **{ENT: {"department": "Tour Operations"}})
    P("add-enterprise-manager-value", U_ent, [{"op": "add", "path": f"{ENT}:manager.value", "value": "26118915"}],
      out(upd(U_ent, **{ENT: {"department": "Tour Operations", "manager": {"value": "26118915"}}}),
          [CH("added", f"{ENT}:manager.value", new={"value": "26118915"})]),
      note="RFC 7643 §4.3 manager.value, addressed with its URN")
    P("add-whole-extension", U,
      [{"op": "add", "path": ENT, "value": {"department": "Tour Operations", "employeeNumber": "701984"}}],
      out(upd(U, schemas=[CORE_USER, ENT], **{ENT: {"department": "Tour Operations", "employeeNumber": "701984"}}),
          [CH("added", f"{ENT}:department", new="Tour Operations"),
           CH("added", f"{ENT}:employeeNumber", new="701984")]),
      note="a path that is the extension's URN addresses the whole extension (not the attribute `User` of "
           "a schema `urn:…:enterprise:2.0`): each given attribute is set")
    P("replace-whole-extension", U_ent, [{"op": "replace", "path": ENT, "value": {"department": "Finance"}}],
      out(upd(U_ent, **{ENT: {"department": "Finance"}}),
          [CH("replaced", f"{ENT}:department", "Tour Operations", "Finance")]))
    P("remove-whole-extension", U_ent, [{"op": "remove", "path": ENT}],
      out(U, [CH("removed", f"{ENT}:department", old="Tour Operations")]),
      note="its attributes, the extension object and its `schemas` entry are removed")
    P("remove-absent-extension", U, [{"op": "remove", "path": ENT}], out(U, []))
    P("add-whole-extension-not-an-object", U, [{"op": "add", "path": ENT, "value": "Tour Operations"}],
      err("invalid_value", path="Operations[0]"))
    P("entra-add-custom-extension-attribute", U, [{"op": "Add", "path": f"{CUSTOM_EXT}:CustomAttribute",
                                                   "value": "701984"}],
      out(upd(U, schemas=[CORE_USER, CUSTOM_EXT], **{CUSTOM_EXT: {"CustomAttribute": "701984"}}),
          [CH("added", f"{CUSTOM_EXT}:CustomAttribute", new="701984")]),
      note="Entra ID docs (customize attribute mappings): custom extension urn:…:CustomExtensionName:2.0:User")
    P("add-null-member-of-path-less-value", U, [{"op": "add", "value": {"nickName": None, "title": "Tour Guide"}}],
      out(upd(U, title="Tour Guide"), [CH("added", "title", new="Tour Guide")]),
      note="RFC 7643 §2.5: null is no value; adding it adds nothing")
    P("add-array-to-single-valued", U, [{"op": "add", "path": "userName", "value": ["a", "b"]}],
      err("invalid_value", path="Operations[0]"))

    # ---------------------------------------------------------------- replace
    okta_user = {"schemas": [CORE_USER], "id": "23a35c27-23d3-4c03-b4c5-6443c09e7173",
                 "userName": "test.user@okta.local", "name": {"givenName": "Another", "familyName": "User"},
                 "emails": [{"primary": True, "value": "test.user@okta.local", "type": "work"}], "active": True,
                 "groups": [], "meta": {"resourceType": "User"}}
    P("okta-deactivate-path-less", okta_user, [{"op": "replace", "value": {"active": False}}],
      out(upd(okta_user, active=False), [CH("replaced", "active", True, False)]),
      note="Okta SCIM 2.0 reference (Update a specific User, PATCH): deactivation")
    P("okta-reactivate-path-less", upd(okta_user, active=False), [{"op": "replace", "value": {"active": True}}],
      out(okta_user, [CH("replaced", "active", False, True)]))
    P("entra-replace-username", U,
      [{"op": "Replace", "path": "userName", "value": "5b50642d-79fc-4410-9e90-4c077cdd1a59@testuser.com"}],
      out(upd(U, userName="5b50642d-79fc-4410-9e90-4c077cdd1a59@testuser.com"),
          [CH("replaced", "userName", "bjensen", "5b50642d-79fc-4410-9e90-4c077cdd1a59@testuser.com")]),
      note="Entra ID docs (Update User [Single-valued properties])")
    W_upd = {**W, "value": "updatedEmail@microsoft.com"}
    name_upd = {"givenName": "Barbara", "familyName": "updatedFamilyName"}
    P("entra-replace-multi-valued-properties", U,
      [{"op": "Replace", "path": 'emails[type eq "work"].value', "value": "updatedEmail@microsoft.com"},
       {"op": "Replace", "path": "name.familyName", "value": "updatedFamilyName"}],
      out(upd(U, emails=[W_upd, H], name=name_upd),
          [CH("replaced", 'emails[type eq "work"].value', [W, H], [W_upd, H]),
           CH("replaced", "name.familyName", NAME, name_upd)]),
      note="Entra ID docs (Update User [Multi-valued properties])")
    P("entra-disable-user-boolean", U, [{"op": "Replace", "path": "active", "value": False}],
      out(upd(U, active=False), [CH("replaced", "active", True, False)]), note="Entra ID docs (Disable User)")
    new_mail = {"value": "new@example.com", "type": "work", "primary": True}
    P("replace-multi-valued-whole", U, [{"op": "replace", "path": "emails", "value": [new_mail]}],
      out(upd(U, emails=[new_mail]), [CH("replaced", "emails", [W, H], [new_mail])]),
      note="RFC 7644 §3.5.2.3: without filter, all values are replaced")
    P("replace-multi-valued-with-empty-unassigns", U, [{"op": "replace", "path": "emails", "value": []}],
      out(upd(U, drop=["emails"]), [CH("replaced", "emails", [W, H])]), note="RFC 7643 §2.5: [] is unassigned")
    H_new = {"value": "babs@example.org", "type": "home"}
    P("replace-value-filter-whole-element", U,
      [{"op": "replace", "path": 'emails[type eq "home"]', "value": H_new}],
      out(upd(U, emails=[W, H_new]), [CH("replaced", 'emails[type eq "home"]', [W, H], [W, H_new])]))
    P("replace-value-filter-no-match", U,
      [{"op": "replace", "path": 'emails[type eq "other"].value', "value": "x@example.com"}],
      err("no_target", path="Operations[0]"),
      note="RFC 7644 §3.5.2.3: no match is 400 noTarget; add_creates_filtered_value is for add only")
    P("replace-null-removes", upd(U, nickName="Babs"), [{"op": "replace", "path": "nickName", "value": None}],
      out(U, [CH("replaced", "nickName", "Babs")]), note="patch docs: a null value removes the target")
    P("replace-missing-attribute-adds", U, [{"op": "replace", "path": "title", "value": "Tour Guide"}],
      out(upd(U, title="Tour Guide"), [CH("replaced", "title", new="Tour Guide")]),
      note="RFC 7644 §3.5.2.3: a missing attribute is treated as an add")
    P("replace-name-any-case-keeps-key", U, [{"op": "replace", "path": "USERNAME", "value": "babs"}],
      out(upd(U, userName="babs"), [CH("replaced", "USERNAME", "bjensen", "babs")]),
      note="RFC 7643 §2.1: names are case-insensitive; the existing key keeps its spelling")
    P("rfc-replace-no-path", U1,
      [{"op": "replace", "value": {"emails": [{"value": "bjensen@example.com", "type": "work", "primary": True},
                                              {"value": "babs@jensen.org", "type": "home"}], "nickName": "Babs"}}],
      out(upd(U1, emails=[W, H], nickName="Babs"),
          [CH("replaced", "emails", [W], [W, H]), CH("replaced", "nickName", new="Babs")]),
      note="RFC 7644 §3.5.2.3 path-less replace example")
    rfc_group = {"schemas": [GROUP], "id": "acbf3ae7-8463-4692-b4fd-9b4da3f908ce", "displayName": "Tour Guides",
                 "members": [{"value": "2819c223-7f76-453a-919d-413861904646", "display": "Babs Jensen"}]}
    new_members = [{"display": "Babs Jensen", "$ref": "https://example.com/v2/Users/2819c223-7f76-453a-919d-413861904646",
                    "value": "2819c223-7f76-453a-919d-413861904646"},
                   {"display": "James Smith", "$ref": "https://example.com/v2/Users/08e1d05d-121c-4561-8b96-473d93df9210",
                    "value": "08e1d05d-121c-4561-8b96-473d93df9210"}]
    P("rfc-replace-members", rfc_group, [{"op": "replace", "path": "members", "value": new_members}],
      out(upd(rfc_group, members=new_members), [CH("replaced", "members", rfc_group["members"], new_members)],
          added=["08e1d05d-121c-4561-8b96-473d93df9210"]),
      note="RFC 7644 §3.5.2.3; the new list is over 256 bytes, so the change record omits `new`")
    addr = {"type": "work", "streetAddress": "100 Universal City Plaza", "locality": "Hollywood", "region": "CA",
            "postalCode": "91608", "country": "USA", "primary": True}
    U_addr = upd(U, addresses=[addr])
    addr_new = {"type": "work", "streetAddress": "911 Universal City Plaza", "locality": "Hollywood", "region": "CA",
                "postalCode": "91608", "country": "US", "primary": True}
    P("rfc-replace-address-filter", U_addr, [{"op": "replace", "path": 'addresses[type eq "work"]', "value": addr_new}],
      out(upd(U_addr, addresses=[addr_new]), [CH("replaced", 'addresses[type eq "work"]', [addr], [addr_new])]),
      note="RFC 7644 §3.5.2.3 (the example's formatted line left out)")
    addr_street = {**addr, "streetAddress": "1010 Broadway Ave"}
    P("rfc-replace-address-street", U_addr,
      [{"op": "replace", "path": 'addresses[type eq "work"].streetAddress', "value": "1010 Broadway Ave"}],
      out(upd(U_addr, addresses=[addr_street]),
          [CH("replaced", 'addresses[type eq "work"].streetAddress', [addr], [addr_street])]),
      note="RFC 7644 §3.5.2.3")
    P("replace-extension-object-path-less", U, [{"op": "replace", "value": {ENT: {"department": "Finance",
                                                                                  "costCenter": "4130"}}}],
      out(upd(U, schemas=[CORE_USER, ENT], **{ENT: {"department": "Finance", "costCenter": "4130"}}),
          [CH("replaced", f"{ENT}:department", new="Finance"), CH("replaced", f"{ENT}:costCenter", new="4130")]),
      note="RFC 7644 §3.5.2: a URN key of a path-less value holds the extension's attributes")

    name_x = {"givenName": "X", "familyName": "Jensen"}
    P("rfc-replace-complex-path-less-merges", U, [{"op": "replace", "value": {"name": {"givenName": "X"}}}],
      out(upd(U, name=name_x), [CH("replaced", "name", NAME, name_x)]),
      note="RFC 7644 §3.5.2.3: sub-attributes not given in value are left unchanged")
    P("rfc-replace-complex-path-merges", U, [{"op": "replace", "path": "name", "value": {"givenName": "X"}}],
      out(upd(U, name=name_x), [CH("replaced", "name", NAME, name_x)]))
    P("core-urn-qualified-path", U, [{"op": "replace", "path": f"{CORE_USER}:name.givenName", "value": "X"}],
      out(upd(U, name=name_x), [CH("replaced", f"{CORE_USER}:name.givenName", NAME, name_x)]),
      note="a core-schema attribute may carry its URN; it lives at the top level")
    P("entra-add-creates-primary-from-string", upd(U, drop=["emails"]),
      [{"op": "Add", "path": 'emails[type eq "work"].primary', "value": "True"}],
      out(upd(U, emails=[{"type": "work", "primary": True}]),
          [CH("added", 'emails[type eq "work"].primary', new=[{"type": "work", "primary": True}])]),
      note="Entra ID: string boolean in an add that creates the typed element")

    # ---------------------------------------------------------------- remove
    P("remove-attribute", upd(U, nickName="Babs"), [{"op": "remove", "path": "nickName"}],
      out(U, [CH("removed", "nickName", "Babs")]))
    P("remove-sub-attribute", U, [{"op": "remove", "path": "name.givenName"}],
      out(upd(U, name={"familyName": "Jensen"}), [CH("removed", "name.givenName", NAME, {"familyName": "Jensen"})]))
    P("remove-last-sub-attribute-unassigns", upd(U, name={"givenName": "Barbara"}),
      [{"op": "remove", "path": "name.givenName"}],
      out(upd(U, drop=["name"]), [CH("removed", "name.givenName", {"givenName": "Barbara"})]),
      note="patch docs: an attribute left empty is unassigned")
    untyped = [{"value": "bjensen@example.com", "primary": True}, {"value": "babs@jensen.org"}]
    P("remove-sub-attribute-of-every-element", U, [{"op": "remove", "path": "emails.type"}],
      out(upd(U, emails=untyped), [CH("removed", "emails.type", [W, H], untyped)]))
    P("rfc-remove-filter-and", U, [{"op": "remove", "path": 'emails[type eq "work" and value ew "example.com"]'}],
      out(upd(U, emails=[H]), [CH("removed", 'emails[type eq "work" and value ew "example.com"]', [W, H], [H])]),
      note="RFC 7644 §3.5.2.2: remove the values a filter matches")
    P("remove-filter-all-unassigns", U, [{"op": "remove", "path": "emails[value pr]"}],
      out(upd(U, drop=["emails"]), [CH("removed", "emails[value pr]", [W, H])]))
    W_np = {"value": "bjensen@example.com", "type": "work"}
    P("remove-filter-sub-attribute", U, [{"op": "remove", "path": 'emails[type eq "work"].primary'}],
      out(upd(U, emails=[W_np, H]), [CH("removed", 'emails[type eq "work"].primary', [W, H], [W_np, H])]))
    U_mgr = upd(U, schemas=[CORE_USER, ENT], **{ENT: {"department": "Tour Operations",
                                                      "manager": {"value": "26118915", "displayName": "John Smith"}}})
    P("remove-enterprise-attribute", U_mgr, [{"op": "remove", "path": f"{ENT}:manager"}],
      out(upd(U_mgr, **{ENT: {"department": "Tour Operations"}}),
          [CH("removed", f"{ENT}:manager", {"value": "26118915", "displayName": "John Smith"})]))
    P("remove-without-path", U, [{"op": "remove"}], err("no_target", path="Operations[0].path"),
      note="RFC 7644 §3.5.2.2: remove without path is 400 noTarget")
    tour = {"schemas": [GROUP], "id": "e9e30dba", "displayName": "Tour Guides",
            "members": [{"value": "2819c223", "display": "Babs Jensen"}, {"value": "902c246b"}]}
    P("rfc-remove-all-members", tour, [{"op": "remove", "path": "members"}],
      out(upd(tour, drop=["members"]), [CH("removed", "members", tour["members"])], removed=["2819c223", "902c246b"]),
      note="RFC 7644 §3.5.2.2: remove all members")
    fresh = [{"display": "Babs Jensen", "value": "2819c223"}, {"display": "James Smith", "value": "08e1d05d"}]
    P("rfc-remove-all-then-add", tour,
      [{"op": "remove", "path": "members"}, {"op": "add", "path": "members", "value": fresh}],
      out(upd(tour, members=fresh), [CH("removed", "members", tour["members"]), CH("added", "members", new=fresh)],
          added=["08e1d05d"], removed=["902c246b"]),
      note="RFC 7644 §3.5.2.2 replace-members example; member_changes are net: 2819c223 stays a member")
    P("rfc-add-existing-member-no-change", tour,
      [{"op": "add", "path": "members", "value": [{"value": "2819c223"}]}], out(tour, []),
      note="an existing member added again changes nothing")
    P("group-by-meta-resource-type", {"id": "g1", "meta": {"resourceType": "Group"}, "members": [{"value": "u1"}]},
      [{"op": "add", "path": "members", "value": [{"value": "u2"}]}],
      out({"id": "g1", "meta": {"resourceType": "Group"}, "members": [{"value": "u1"}, {"value": "u2"}]},
          [CH("added", "members", [{"value": "u1"}], [{"value": "u1"}, {"value": "u2"}])], added=["u2"]),
      note="patch docs: a Group is known by its schemas or meta.resourceType")

    # ---------------------------------------------------------------- primary uniqueness
    W_demoted = {**W, "primary": False}
    new_primary = {"value": "b.jensen@example.com", "type": "other", "primary": True}
    P("add-primary-demotes-others", U, [{"op": "add", "path": "emails", "value": [new_primary]}],
      out(upd(U, emails=[W_demoted, H, new_primary]), [CH("added", "emails", [W, H], [W_demoted, H, new_primary])]),
      note="RFC 7643 §2.4: the primary attribute value true MUST appear no more than once")
    H_primary = {**H, "primary": True}
    P("replace-filter-primary-moves", U, [{"op": "replace", "path": 'emails[type eq "home"].primary', "value": True}],
      out(upd(U, emails=[W_demoted, H_primary]),
          [CH("replaced", 'emails[type eq "home"].primary', [W, H], [W_demoted, H_primary])]))
    P("entra-string-true-primary", U, [{"op": "Replace", "path": 'emails[type eq "home"].primary', "value": "True"}],
      out(upd(U, emails=[W_demoted, H_primary]),
          [CH("replaced", 'emails[type eq "home"].primary', [W, H], [W_demoted, H_primary])]),
      note="Entra ID known issues: booleans sent as strings; string_booleans covers primary")
    P("strict-string-true-primary", U, [{"op": "replace", "path": 'emails[type eq "home"].primary', "value": "True"}],
      err("invalid_value"), tolerance={"string_booleans": False})
    two = [{"value": "a@example.com", "primary": True}, {"value": "b@example.com", "primary": True}]
    two_fixed = [{"value": "a@example.com", "primary": False}, {"value": "b@example.com", "primary": True}]
    P("replace-two-primaries-last-wins", U, [{"op": "replace", "path": "emails", "value": two}],
      out(upd(U, emails=two_fixed), [CH("replaced", "emails", [W, H], two_fixed)]))
    P("primary-not-boolean", U, [{"op": "add", "path": "emails", "value": [{"value": "x@example.com",
                                                                            "primary": "yes"}]}],
      err("invalid_value", path="Operations[0]"))
    P("active-not-boolean-even-tolerant", U, [{"op": "replace", "path": "active", "value": "yes"}],
      err("invalid_value", path="Operations[0]"), note="only True/False strings are tolerated")

    # ---------------------------------------------------------------- Okta group payloads
    okta_gid = "abf4dd94-a4c0-4f67-89c9-76b03340cb9b"
    okta_group = {"schemas": [GROUP], "id": okta_gid, "displayName": "Test SCIM",
                  "members": [{"value": "89bb1940-b905-4575-9e7f-6f887cfb368e", "display": "old.user@okta.local"}]}
    rename = {"op": "replace", "value": {"id": okta_gid, "displayName": "Test SCIMv2"}}
    P("okta-rename-group-echoes-id", okta_group, [rename],
      out(upd(okta_group, displayName="Test SCIMv2"), [CH("replaced", "displayName", "Test SCIM", "Test SCIMv2")]),
      note="Okta SCIM 2.0 reference (Update a specific Group name): the value carries the group's own id")
    P("strict-okta-rename-group", okta_group, [rename], err("mutability", path="Operations[0]"),
      tolerance={"readonly_echo": False})
    P("okta-rename-with-other-id", okta_group,
      [{"op": "replace", "value": {"id": "another-id", "displayName": "Test SCIMv2"}}],
      err("mutability", path="Operations[0]"), note="readonly_echo skips only the value the group already has")
    member_old = okta_group["members"][0]
    member_new = {"value": "23a35c27-23d3-4c03-b4c5-6443c09e7173", "display": "test.user@okta.local"}
    okta_membership = [{"op": "remove", "path": 'members[value eq "89bb1940-b905-4575-9e7f-6f887cfb368e"]'},
                       {"op": "add", "path": "members", "value": [member_new]}]
    P("okta-membership-remove-and-add", okta_group, okta_membership,
      out(upd(okta_group, members=[member_new]),
          [CH("removed", 'members[value eq "89bb1940-b905-4575-9e7f-6f887cfb368e"]', [member_old]),
           CH("added", "members", new=[member_new])],
          added=["23a35c27-23d3-4c03-b4c5-6443c09e7173"], removed=["89bb1940-b905-4575-9e7f-6f887cfb368e"]),
      note="Okta SCIM 2.0 reference (Update specific Group membership)")
    P("okta-rename-with-membership-update", okta_group,
      [{"op": "replace", "value": {"id": okta_gid, "displayName": "Test SCIMv20"}}] + okta_membership,
      out(upd(okta_group, displayName="Test SCIMv20", members=[member_new]),
          [CH("replaced", "displayName", "Test SCIM", "Test SCIMv20"),
           CH("removed", 'members[value eq "89bb1940-b905-4575-9e7f-6f887cfb368e"]', [member_old]),
           CH("added", "members", new=[member_new])],
          added=["23a35c27-23d3-4c03-b4c5-6443c09e7173"], removed=["89bb1940-b905-4575-9e7f-6f887cfb368e"]),
      note="Okta: the name update is sent with every membership update; displayName replace with members add/remove")
    full_push = [{"value": "23a35c27-23d3-4c03-b4c5-6443c09e7173", "display": "test.user@okta.local"},
                 {"value": "89bb1940-b905-4575-9e7f-6f887cfb368e", "display": "test.user@okta.local"}]
    P("okta-full-membership-push", okta_group, [{"op": "replace", "path": "members", "value": full_push}],
      out(upd(okta_group, members=full_push), [CH("replaced", "members", [member_old], full_push)],
          added=["23a35c27-23d3-4c03-b4c5-6443c09e7173"]),
      note="Okta SCIM 2.0 reference: a full push of the membership with replace; 89bb1940 stays a member")

    # ---------------------------------------------------------------- Entra ID payloads
    entra_group = {"schemas": [GROUP], "id": "a99962b9f99d4c4fac67", "displayName": "displayName", "members": []}
    added_member = {"$ref": None, "value": "f648f8d5ea4e4cd38e9c"}
    P("entra-add-member-null-ref", entra_group,
      [{"op": "Add", "path": "members", "value": [{"$ref": None, "value": "f648f8d5ea4e4cd38e9c"}]}],
      out(upd(entra_group, members=[added_member]), [CH("added", "members", [], [added_member])],
          added=["f648f8d5ea4e4cd38e9c"]),
      note="Entra ID docs (Update Group [Add Members]); the element is stored as sent")
    P("entra-remove-member-null-ref", upd(entra_group, members=[{"value": "f648f8d5ea4e4cd38e9c"}]),
      [{"op": "Remove", "path": "members", "value": [{"$ref": None, "value": "f648f8d5ea4e4cd38e9c"}]}],
      out(upd(entra_group, drop=["members"]), [CH("removed", "members", [{"value": "f648f8d5ea4e4cd38e9c"}])],
          removed=["f648f8d5ea4e4cd38e9c"]),
      note="Entra ID docs (Update Group [Remove Members]): matched on value; the emptied list is unassigned")
    P("entra-rename-group", entra_group,
      [{"op": "Replace", "path": "displayName", "value": "1879db59-3bdf-4490-ad68-ab880a269474updatedDisplayName"}],
      out(upd(entra_group, displayName="1879db59-3bdf-4490-ad68-ab880a269474updatedDisplayName"),
          [CH("replaced", "displayName", "displayName", "1879db59-3bdf-4490-ad68-ab880a269474updatedDisplayName")]),
      note="Entra ID docs (Update Group [Non-member attributes])")
    u1091 = upd(entra_group, members=[{"value": "u1091"}, {"value": "u2000"}])
    P("entra-remove-member-without-flag", u1091,
      [{"op": "Remove", "path": "members", "value": [{"value": "u1091"}]}],
      out(upd(u1091, members=[{"value": "u2000"}]),
          [CH("removed", "members", [{"value": "u1091"}, {"value": "u2000"}], [{"value": "u2000"}])],
          removed=["u1091"]),
      note="Entra ID known issues (without aadOptscim062020): members listed in value")
    flagged = upd(entra_group, members=[{"value": "7f4bc1a3-285e-48ae-8202-5accb43efb0e"}, {"value": "u2000"}])
    P("entra-remove-member-with-flag", flagged,
      [{"op": "remove", "path": 'members[value eq "7f4bc1a3-285e-48ae-8202-5accb43efb0e"]'}],
      out(upd(flagged, members=[{"value": "u2000"}]),
          [CH("removed", 'members[value eq "7f4bc1a3-285e-48ae-8202-5accb43efb0e"]', flagged["members"],
              [{"value": "u2000"}])],
          removed=["7f4bc1a3-285e-48ae-8202-5accb43efb0e"]),
      note="Entra ID known issues (with aadOptscim062020): RFC filter; strict mode accepts it",
      tolerance=strict)
    P("strict-remove-by-value", u1091, [{"op": "remove", "path": "members", "value": [{"value": "u1091"}]}],
      err("invalid_patch", path="Operations[0].value"), tolerance={"remove_by_value": False},
      note="strict: remove takes no value (it never wipes the whole attribute)")
    P("jumpcloud-remove-members-by-value", u1091,
      [{"op": "remove", "path": "members", "value": [{"value": "u2000"}, {"value": "u1091"}]}],
      out(upd(u1091, drop=["members"]), [CH("removed", "members", u1091["members"])], removed=["u1091", "u2000"]),
      note="JumpCloud removes group members with a value list (tolerance docs)")
    P("remove-by-value-with-filter-path", u1091,
      [{"op": "remove", "path": 'members[value eq "u1091"]', "value": [{"value": "u1091"}]}],
      err("invalid_patch", path="Operations[0].value"), note="a value list only goes with a plain attribute path")
    E0 = {"schemas": [CORE_USER, ENT], "id": "5171a35d82074e068ce2", "userName": "Test_User@contoso.com",
          "displayName": "Old", "name": {"givenName": "G", "familyName": "F"}, "externalId": "Old",
          "emails": [{"value": "old@test.microsoft.com", "type": "work", "primary": True}], "active": True,
          ENT: {"employeeNumber": "1"}}
    e_old = E0["emails"]
    e_new1 = [{"value": "TestBcwqnm@test.microsoft.com", "type": "work", "primary": True}]
    P("entra-replace-multiple-without-flag", E0,
      [{"op": "Replace", "path": "displayName", "value": "Pvlo"},
       {"op": "Replace", "path": 'emails[type eq "work"].value', "value": "TestBcwqnm@test.microsoft.com"},
       {"op": "Replace", "path": "name.givenName", "value": "Gtfd"},
       {"op": "Replace", "path": "name.familyName", "value": "Pkqf"},
       {"op": "Replace", "path": "externalId", "value": "Eqpj"},
       {"op": "Replace", "path": f"{ENT}:employeeNumber", "value": "Eqpj"}],
      out(upd(E0, displayName="Pvlo", emails=e_new1, name={"givenName": "Gtfd", "familyName": "Pkqf"},
              externalId="Eqpj", **{ENT: {"employeeNumber": "Eqpj"}}),
          [CH("replaced", "displayName", "Old", "Pvlo"),
           CH("replaced", 'emails[type eq "work"].value', e_old, e_new1),
           CH("replaced", "name.givenName", {"givenName": "G", "familyName": "F"}, {"givenName": "Gtfd", "familyName": "F"}),
           CH("replaced", "name.familyName", {"givenName": "Gtfd", "familyName": "F"},
              {"givenName": "Gtfd", "familyName": "Pkqf"}),
           CH("replaced", "externalId", "Old", "Eqpj"),
           CH("replaced", f"{ENT}:employeeNumber", "1", "Eqpj")]),
      note="Entra ID known issues: 'Requests to replace multiple attributes' without the feature flag")
    e_new2 = [{"value": "TestMhvaes@test.microsoft.com", "type": "work", "primary": True}]
    flag_ops = [{"op": "replace", "path": 'emails[type eq "work"].value', "value": "TestMhvaes@test.microsoft.com"},
                {"op": "replace", "value": {"displayName": "Bjfe", "name.givenName": "Kkom", "name.familyName": "Unua",
                                            f"{ENT}:employeeNumber": "Aklq"}}]
    P("entra-replace-multiple-with-flag", E0, flag_ops,
      out(upd(E0, displayName="Bjfe", emails=e_new2, name={"givenName": "Kkom", "familyName": "Unua"},
              **{ENT: {"employeeNumber": "Aklq"}}),
          [CH("replaced", 'emails[type eq "work"].value', e_old, e_new2),
           CH("replaced", "displayName", "Old", "Bjfe"),
           CH("replaced", "name.givenName", {"givenName": "G", "familyName": "F"}, {"givenName": "Kkom", "familyName": "F"}),
           CH("replaced", "name.familyName", {"givenName": "Kkom", "familyName": "F"},
              {"givenName": "Kkom", "familyName": "Unua"}),
           CH("replaced", f"{ENT}:employeeNumber", "1", "Aklq")]),
      note="Entra ID known issues (with aadOptscim062020): path-less replace with dotted and URN-qualified keys")
    P("strict-dotted-value-keys", E0, flag_ops, err("invalid_path"),
      tolerance={"dotted_value_keys": False}, note="strict: a dotted key is invalid_path")
    P("strict-urn-qualified-value-key", E0,
      [{"op": "replace", "value": {f"{ENT}:employeeNumber": "Aklq"}}], err("invalid_value"),
      tolerance={"dotted_value_keys": False},
      note="strict: a URN key names an extension whose value must be an object of attributes")
    E_noext = upd(E0, schemas=[CORE_USER], drop=[ENT])
    P("entra-urn-key-creates-extension", E_noext, [{"op": "Replace", "value": {f"{ENT}:department": "Finance"}}],
      out(upd(E_noext, schemas=[CORE_USER, ENT], **{ENT: {"department": "Finance"}}),
          [CH("replaced", f"{ENT}:department", new="Finance")]))
    P("entra-add-nickname-without-flag", E0, [{"op": "Add", "path": "nickName", "value": "Babs"}],
      out(upd(E0, nickName="Babs"), [CH("added", "nickName", new="Babs")]),
      note="Entra ID known issues: 'Requests made to add a single-value string attribute'")
    P("strict-capital-add", E0, [{"op": "Add", "path": "nickName", "value": "Babs"}],
      err("invalid_patch", path="Operations[0].op"), tolerance={"op_any_case": False})
    P("entra-add-creates-work-email", upd(U, emails=[H]),
      [{"op": "Add", "path": 'emails[type eq "work"].value', "value": "updatedEmail@microsoft.com"}],
      out(upd(U, emails=[H, {"type": "work", "value": "updatedEmail@microsoft.com"}]),
          [CH("added", 'emails[type eq "work"].value', [H], [H, {"type": "work", "value": "updatedEmail@microsoft.com"}])]),
      note="Entra ID adds emails[type eq \"work\"].value when a typed element first gets a value (tolerance docs)")
    P("strict-add-filtered-no-match", upd(U, emails=[H]),
      [{"op": "add", "path": 'emails[type eq "work"].value', "value": "updatedEmail@microsoft.com"}],
      err("no_target", path="Operations[0]"), tolerance={"add_creates_filtered_value": False})
    P("add-filtered-non-eq-no-match", upd(U, emails=[H]),
      [{"op": "add", "path": 'emails[type sw "wo"].value', "value": "x@example.com"}],
      err("no_target", path="Operations[0]"), note="only eq comparisons joined by and describe an element")
    role = {"primary": True, "type": "WindowsAzureActiveDirectoryRole", "value": "Admin"}
    P("entra-role-path-string-true", upd(U, roles=[role]),
      [{"op": "Replace", "path": 'roles[primary eq "True"].value', "value": "User"}],
      out(upd(U, roles=[{**role, "value": "User"}]),
          [CH("replaced", "roles[primary eq true].value", [role], [{**role, "value": "User"}])]),
      note="Entra ID docs (customize-application-attributes): SingleAppRoleAssignment targets "
           "roles[primary eq \"True\"].value; the role it created holds \"primary\": true")
    P("strict-role-path-string-true", upd(U, roles=[role]),
      [{"op": "replace", "path": 'roles[primary eq "True"].value', "value": "User"}],
      err("no_target", path="Operations[0]"), tolerance={"string_booleans": False},
      note="strict: the string \"True\" is not the boolean true")
    P("add-email-other-case-merges", upd(U, emails=[W]),
      [{"op": "add", "path": "emails", "value": [{"value": "BJensen@Example.com", "type": "work"}]}],
      out(upd(U, emails=[{**W, "value": "BJensen@Example.com"}]),
          [CH("added", "emails", [W], [{**W, "value": "BJensen@Example.com"}])]),
      note="RFC 7643 §4.1.2: emails.value is caseExact=false, so this is the same address (merged, not added)")
    admin_role = {"value": "{\"id\":\"06b07648-ecfe-589f-9d2f-6325724a46ee\",\"value\":\"25\",\"displayName\":\"Role1234\"}"}
    P("entra-single-app-role-assignment-add", U, [{"op": "Add", "path": "roles", "value": [admin_role]}],
      out(upd(U, roles=[admin_role]), [CH("added", "roles", new=[admin_role])]),
      note="Entra ID docs (Provisioning a role to a SCIM app, SingleAppRoleAssignment PATCH)")
    assertive = [{"primary": False, "type": "WindowsAzureActiveDirectoryRole", "display": "User", "value": "User"},
                 {"primary": False, "type": "WindowsAzureActiveDirectoryRole", "display": "Test", "value": "Test"}]
    P("entra-assertive-roles-replace", upd(U, roles=[{"value": "Old"}]),
      [{"op": "replace", "path": "roles", "value": assertive}],
      out(upd(U, roles=assertive), [CH("replaced", "roles", [{"value": "Old"}], assertive)]),
      note="Entra ID docs (AssertiveAppRoleAssignmentsComplex): replace removes roles not assigned in Entra")

    # ---------------------------------------------------------------- other tolerances, on and off
    P("op-any-case-tolerated", U, [{"op": "REPLACE", "path": "userName", "value": "babs"}],
      out(upd(U, userName="babs"), [CH("replaced", "userName", "bjensen", "babs")]))
    P("empty-operations-tolerated", tour, [], out(tour, []), note="tolerance docs: an empty list is a no-op")
    P("strict-empty-operations", tour, [], err("invalid_patch"), tolerance={"empty_operations": False},
      note="RFC 7644 §3.5.2: one or more operations")
    P("wrap-single-member", tour, [{"op": "add", "path": "members", "value": {"value": "u3"}}],
      out(upd(tour, members=tour["members"] + [{"value": "u3"}]),
          [CH("added", "members", tour["members"], tour["members"] + [{"value": "u3"}])], added=["u3"]))
    P("strict-wrap-single-member", tour, [{"op": "add", "path": "members", "value": {"value": "u3"}}],
      err("invalid_value", path="Operations[0]"), tolerance={"wrap_single_values": False})
    P("all-strict-rfc-request-passes", tour,
      [{"op": "add", "path": "members", "value": [{"display": "James Smith", "value": "08e1d05d"}]}],
      out(upd(tour, members=tour["members"] + [{"display": "James Smith", "value": "08e1d05d"}]),
          [CH("added", "members", tour["members"], tour["members"] + [{"display": "James Smith", "value": "08e1d05d"}])],
          added=["08e1d05d"]), tolerance=strict, note="an RFC-exact request passes with every tolerance off")
    tol_dir = small_dir(orgs=[
        org("org_strict", "strict", "Strict", [], scim={"enabled": True, "tokens": [],
                                                        "mapping": {"patch_tolerance": {"op_any_case": False}}}),
        org("org_loose", "loose", "Loose", [], scim={"enabled": True, "tokens": [], "mapping": {}})])
    P("org-tolerance-from-mapping", U, [{"op": "Replace", "path": "userName", "value": "babs"}],
      err("invalid_patch", path="Operations[0].op"), directory=tol_dir, org_id="org_strict",
      note="the org's mapping sets the tolerances for its IdP")
    P("org-tolerance-default", U, [{"op": "Replace", "path": "userName", "value": "babs"}],
      out(upd(U, userName="babs"), [CH("replaced", "userName", "bjensen", "babs")]), directory=tol_dir,
      org_id="org_loose")
    P("direct-tolerance-wins-over-org", U, [{"op": "Replace", "path": "userName", "value": "babs"}],
      out(upd(U, userName="babs"), [CH("replaced", "userName", "bjensen", "babs")]), directory=tol_dir,
      org_id="org_strict", tolerance={}, note="tolerances given directly win over the org's")
    P("org-tolerance-unknown-org", U, [{"op": "replace", "path": "userName", "value": "babs"}],
      err("unknown_org", path="org_id"), directory=tol_dir, org_id="org_nope")
    P("org-tolerance-needs-directory", U, [{"op": "replace", "path": "userName", "value": "babs"}],
      err("invalid_input", path="directory"), org_id="org_strict")

    # ---------------------------------------------------------------- errors
    P("remove-meta", upd(U, meta={"resourceType": "User"}), [{"op": "remove", "path": "meta"}],
      err("mutability", path="Operations[0]"), note="RFC 7643 §3.1: meta is readOnly")
    P("replace-meta-sub-attribute", upd(U, meta={"resourceType": "User"}),
      [{"op": "replace", "path": "meta.lastModified", "value": "2011-05-13T04:42:34Z"}],
      err("mutability", path="Operations[0]"))
    P("add-schemas", U, [{"op": "add", "path": "schemas", "value": [ENT]}], err("mutability", path="Operations[0]"))
    P("add-user-groups", U, [{"op": "add", "path": "groups", "value": [{"value": "g1"}]}],
      err("mutability", path="Operations[0]"), note="RFC 7643 §4.1.2: a User's groups are readOnly")
    P("path-less-id-change", U, [{"op": "replace", "value": {"id": "other", "userName": "x"}}],
      err("mutability", path="Operations[0]"))
    P("no-schemas", U, [], err("invalid_patch"),
      body={"Operations": [{"op": "add", "path": "title", "value": "x"}]})
    P("wrong-message-schema", U, [], err("invalid_patch"),
      body={"schemas": [CORE_USER], "Operations": [{"op": "add", "path": "title", "value": "x"}]})
    P("member-names-any-case", U, [],
      out(upd(U, title="x"), [CH("added", "title", new="x")]),
      body={"SCHEMAS": [PATCH_URN.upper()], "operations": [{"OP": "add", "Path": "title", "VALUE": "x"}]},
      note="RFC 7643 §2.1: attribute names, message members included, are case-insensitive")
    P("json-patch-op", U, [{"op": "move", "from": "/title", "path": "nickName"}],
      err("invalid_patch", path="Operations[0].op"), note="RFC 6902 operations are not SCIM operations")
    P("op-missing", U, [{"path": "title", "value": "x"}], err("invalid_patch", path="Operations[0].op"))
    P("add-without-value", U, [{"op": "add", "path": "title"}], err("invalid_patch", path="Operations[0].value"))
    P("add-null-value-with-path", U, [{"op": "add", "path": "title", "value": None}],
      err("invalid_patch", path="Operations[0].value"), note="request docs: add needs a value, never null")
    P("path-not-string", U, [{"op": "add", "path": ["title"], "value": "x"}],
      err("invalid_patch", path="Operations[0].path"))
    P("path-less-value-not-object", U, [{"op": "replace", "value": "x"}],
      err("invalid_patch", path="Operations[0].value"))
    P("operation-not-object", U, ["add"], err("invalid_patch", path="Operations[0]"))
    P("path-empty", U, [{"op": "add", "path": "", "value": "x"}], err("invalid_path", reason="empty"))
    P("path-trailing-text", U, [{"op": "replace", "path": 'emails[type eq "work"]value', "value": "x"}],
      err("invalid_path", reason="trailing_text"))
    P("path-unclosed-bracket", U, [{"op": "remove", "path": 'emails[type eq "work"'}],
      err("invalid_path", reason="unclosed_bracket"))
    P("path-bad-filter", U, [{"op": "remove", "path": 'emails[type zz "work"]'}],
      err("invalid_path", reason="invalid_filter"))
    P("path-bad-attribute", U, [{"op": "add", "path": "name..givenName", "value": "x"}],
      err("invalid_path", reason="invalid_attribute"))
    P("filtered-replace-with-scalar", U, [{"op": "replace", "path": 'emails[type eq "home"]', "value": "x"}],
      err("invalid_value", path="Operations[0]"), note="an element of emails is an object")
    P("resource-not-object", ["not", "a", "resource"], [{"op": "add", "path": "title", "value": "x"}],
      err("invalid_input"))
    P("custom-operation-limit", U, [{"op": "add", "path": "title", "value": "x"}] * 3,
      err("limit_exceeded"), directory=EMPTY_DIR, options={"limits": {"max_patch_operations": 2}})


def _micros(text):
    """Microseconds since the Unix epoch of an RFC 3339 date-time, by Python's own datetime."""
    from datetime import datetime
    return int(round(datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00")
                                            .replace("t", "T")).timestamp() * 1_000_000))


def build_filters_more(case, ok, err):
    """scim_filter_matches (RFC 7644 §3.4.2.2 semantics per the filter module docs) and scim_filter_sql."""
    a, f = "scim", "filters"

    def M(cid, text, resource, expected, note=None):
        case(a, f, f"scim-matches-{cid}", "scim_filter_matches", {"filter": text, "resource": resource}, ok(expected),
             note=note)

    user = {"schemas": [CORE_USER, ENTERPRISE, ACME], "id": "2819c223-7f76-453a-919d-413861904646",
            "externalId": "701984", "userName": "bjensen@example.com",
            "name": {"formatted": "Ms. Barbara J Jensen III", "familyName": "Jensen", "givenName": "Barbara"},
            "displayName": "Babs Jensen", "nickName": "", "title": None, "active": True,
            "emails": [{"value": "bjensen@example.com", "type": "work", "primary": True},
                       {"value": "babs@jensen.org", "type": "home"}],
            "phoneNumbers": [], "addresses": [{}], "x509Certificates": [{"value": "MIIDQzCCAqygAwIBAgICEAAwDQYJ"}],
            "meta": {"resourceType": "User", "created": "2010-01-23T04:56:22Z", "lastModified": "2011-05-13T04:42:34Z",
                     "version": 'W/"3694e05e9dff591"'},
            ENTERPRISE: {"employeeNumber": "701984", "costCenter": "4130", "department": "Tour Operations",
                         "manager": {"value": "26118915-6090-4610-87e4-49d8ca9f808d", "displayName": "John Smith"}},
            ACME: {"loginCount": 42, "score": 3.5}}
    # ne, ew, sw, case-exactness
    M("ne-same-ignoring-case", 'userName ne "BJensen@Example.com"', user, False)
    M("ne-different", 'userName ne "someone@example.com"', user, True)
    M("ne-absent-attribute", 'profileUrl ne "x"', user, False,
      note="filter docs: a comparison matches when some value matches; an absent attribute has none")
    M("not-eq-absent-attribute", 'not (profileUrl eq "x")', user, True)
    M("ne-empty-string-is-a-value", 'nickName ne "x"', user, True, note="\"\" is not \"x\", though it is not present")
    M("ew-ignoring-case", 'userName ew "@EXAMPLE.COM"', user, True)
    M("ew-multi-valued", 'emails ew ".org"', user, True, note="a complex value stands for its value sub-attribute")
    M("sw-id-case-exact-miss", 'id sw "2819C223"', user, False, note="RFC 7643 §3.1: id is caseExact")
    M("sw-id-case-exact-hit", 'id sw "2819c223"', user, True)
    M("externalid-eq", 'externalId eq "701984"', user, True)
    M("meta-version-case-exact", 'meta.version eq "w/\\"3694e05e9dff591\\""', user, False,
      note="RFC 7643 §3.1: meta.version is caseExact")
    M("x509-case-exact-miss", 'x509Certificates eq "miidqzccaqygawibagiceaawdqyj"', user, False,
      note="RFC 7643 §4.1.2: x509Certificates.value is caseExact")
    M("x509-case-exact-hit", 'x509Certificates.value sw "MIIDQzCC"', user, True)
    M("schemas-string-array", f'schemas eq "{ENTERPRISE}"', user, True, note="each value of a multi-valued string")
    # ordering on strings
    M("gt-string", 'userName gt "a"', user, True)
    M("lt-string-ignoring-case", 'userName lt "BJ"', user, False, note="\"bjensen@…\" sorts after \"bj\"")
    M("ge-string-equal", 'userName ge "BJENSEN@EXAMPLE.COM"', user, True)
    M("le-string", 'name.familyName le "jensen"', user, True)
    M("lt-string-equal", 'name.familyName lt "JENSEN"', user, False)
    M("gt-string-code-point", 'displayName gt "Babs Jensen "', user, False,
      note="a prefix sorts first by code point")
    # numbers
    M("gt-integer", f"{ACME}:loginCount gt 41", user, True)
    M("ge-integer-equal", f"{ACME}:loginCount ge 42", user, True)
    M("lt-integer-equal", f"{ACME}:loginCount lt 42", user, False)
    M("le-integer-vs-decimal", f"{ACME}:loginCount le 42.0", user, True, note="numbers compare numerically")
    M("gt-decimal", f"{ACME}:score gt 3", user, True)
    M("lt-exponent", f"{ACME}:score lt 3.5e0", user, False)
    M("ne-integer", f"{ACME}:loginCount ne 7", user, True)
    M("number-vs-string-literal", f'{ACME}:loginCount eq "42"', user, False, note="a type mismatch does not match")
    M("number-substring", f"{ACME}:loginCount co 4", user, False, note="co applies to strings only")
    # date-times
    M("datetime-lt", 'meta.created lt "2011-05-13T04:42:34Z"', user, True)
    M("datetime-ge-fraction", 'meta.lastModified ge "2011-05-13T04:42:34.000Z"', user, True)
    M("datetime-eq-offset", 'meta.lastModified eq "2011-05-13T06:42:34+02:00"', user, True,
      note="the same instant with an offset")
    M("datetime-gt-one-ms-later", 'meta.lastModified gt "2011-05-13T04:42:34.001Z"', user, False)
    M("datetime-le-lowercase-t-z", 'meta.lastModified le "2011-05-13t04:42:34z"', user, True)
    M("datetime-sw-never", 'meta.lastModified sw "2011"', user, False, note="co/sw/ew never match a dateTime")
    M("datetime-not-sw", 'not (meta.lastModified sw "2011")', user, True)
    M("datetime-bad-literal", 'meta.lastModified lt "yesterday"', user, False)
    # presence
    M("pr-empty-string", "nickName pr", user, False, note="RFC 7644 §3.4.2.2: pr needs a non-empty value")
    M("eq-null-empty-string", "nickName eq null", user, True)
    M("pr-null", "title pr", user, False)
    M("ne-null-null", "title ne null", user, False)
    M("pr-empty-array", "phoneNumbers pr", user, False)
    M("pr-array-of-empty-object", "addresses pr", user, False)
    M("pr-complex", "name pr", user, True)
    M("pr-sub-attribute-absent", "emails.display pr", user, False)
    M("pr-sub-attribute", "emails.value pr", user, True)
    M("ne-null-present", "emails ne null", user, True)
    M("gt-null-never", "title gt null", user, False, note="only eq and ne apply to null")
    # logic
    M("nested-groups", 'userName eq "x" or (name.givenName sw "bar" and (emails.type eq "work" or emails.type eq "other"))',
      user, True)
    M("not-after-group", '(userName eq "x" or name.givenName sw "bar") and not (active eq true)', user, False)
    M("value-path-or", 'emails[type eq "home" or primary eq true]', user, True)
    M("value-path-not", 'emails[not (type eq "work") and value ew "jensen.org"]', user, True)
    M("value-path-false-primary", 'emails[type eq "work" and primary eq false]', user, False)
    M("value-path-case-insensitive-value", 'emails[value eq "BJENSEN@EXAMPLE.COM"]', user, True)
    M("enterprise-manager-complex", f'{ENTERPRISE}:manager eq "26118915-6090-4610-87e4-49d8ca9f808d"', user, True,
      note="a complex value stands for its value sub-attribute")
    M("enterprise-manager-display", f'{ENTERPRISE}:manager.displayName co "SMITH"', user, True)
    M("boolean-ne", "active ne false", user, True)
    M("boolean-vs-string-literal", 'active eq "true"', user, False)
    M("primary-sub-attribute", "emails.primary eq true", user, True)
    M("value-path-negated", 'emails[type eq "work"] and not (emails[primary eq false])', user, True)
    F = lambda cid, text, expected, note=None: case(a, f, f"scim-filter-more-{cid}", "scim_parse_filter",
                                                    {"filter": text}, expected, note=note)
    F("not-without-space", 'not(userName eq "x")', ok({"not": EQ("userName", "x")}),
      note="RFC 7644 Figure 1: \"not\" \"(\" valFilter \")\" needs no space")
    F("ref-sub-attribute", 'members[$ref co "Users"]',
      ok({"path": AP("members"), "filter": EQ("$ref", "Users", op="co")}), note="RFC 7643 §2.1 $ref attribute")
    F("and-needs-space", 'userName eq "x"and title pr', err("invalid_filter", reason="unexpected_token"),
      note="RFC 7644 Figure 1: logExp = FILTER SP (\"and\" / \"or\") SP FILTER")
    F("not-value-path", 'emails[type eq "work"] and not (emails[primary eq true])',
      ok({"and": [{"path": AP("emails"), "filter": EQ("type", "work")},
                  {"not": {"path": AP("emails"), "filter": EQ("primary", True)}}]}))
    group = {"schemas": [GROUP], "id": "e9e30dba-f08f-4109-8486-d5c6a331660a", "displayName": "Tour Guides",
             "members": [{"value": "2819c223-7f76-453a-919d-413861904646", "display": "Babs Jensen", "type": "User"},
                         {"value": "902c246b-6245-4190-8e05-00816be7344a", "display": "Mandy Pepperidge",
                          "type": "User"}]}
    M("group-member-value-path", 'members[value eq "2819c223-7f76-453a-919d-413861904646"]', group, True,
      note="Entra ID asks whether a group has a member this way")
    M("group-member-display", 'members.display co "PEPPER"', group, True)
    M("group-display-name-urn", f'{GROUP}:displayName sw "tour"', group, True)
    M("group-member-and-type", 'members[type eq "Group" and value pr]', group, False)

    def S(cid, text, dialect, sql, params, kind="User", note=None):
        case(a, f, f"scim-sql-{cid}", "scim_filter_sql", {"filter": text, "resource_type": kind, "dialect": dialect},
             ok({"sql": sql, "params": params}), note=note)

    def SE(cid, text, reason, kind="User", dialect="sqlite", note=None):
        case(a, f, f"scim-sql-error-{cid}", "scim_filter_sql",
             {"filter": text, "resource_type": kind, "dialect": dialect}, err("invalid_filter", reason=reason), note=note)

    LIKE = "LIKE lower(?) ESCAPE '\\'"
    S("ne-text", 'userName ne "x"', "sqlite", "lower(scim_users.user_name) <> lower(?)", ["x"])
    S("ew-text", 'userName ew "@example.com"', "sqlite", f"lower(scim_users.user_name) {LIKE}", ["%@example.com"])
    S("sw-text", "name.familyName sw \"O'Ma\"", "sqlite", f"lower(scim_users.family_name) {LIKE}", ["O'Ma%"])
    S("gt-text", 'name.givenName gt "m"', "postgres", "lower(scim_users.given_name) > lower($1)", ["m"])
    S("le-text", 'displayName le "m"', "sqlite", "lower(scim_users.display_name) <= lower(?)", ["m"])
    S("eq-case-exact", 'id eq "2819c223"', "sqlite", "scim_users.id = ?", ["2819c223"])
    S("ge-case-exact", 'externalId ge "A"', "postgres", "scim_users.external_id >= $1", ["A"])
    S("glob-case-exact-sw", 'externalId sw "00u*[x]?"', "sqlite", "scim_users.external_id GLOB ?", ["00u[*][[]x][?]*"],
      note="SQLite's LIKE ignores case: a case-exact substring uses GLOB with *, ? and [ escaped")
    S("glob-case-exact-co", 'id co "a_b%"', "sqlite", "scim_users.id GLOB ?", ["*a_b%*"],
      note="_ and % are not GLOB wildcards")
    S("glob-case-exact-ew", 'externalId ew "-7"', "sqlite", "scim_users.external_id GLOB ?", ["*-7"])
    S("like-case-exact-postgres", 'externalId co "50%_off"', "postgres", "scim_users.external_id LIKE $1 ESCAPE '\\'",
      ["%50\\%\\_off%"], note="case-exact substring in PostgreSQL: LIKE without lower()")
    S("like-escapes-backslash", 'displayName co "a\\\\b"', "sqlite", f"lower(scim_users.display_name) {LIKE}",
      ["%a\\\\b%"], note="the filter's \\\\ is one backslash, escaped in the pattern")
    S("postgres-numbering-and-or", 'userName eq "a" and (displayName co "b" or externalId eq "c")', "postgres",
      "(lower(scim_users.user_name) = lower($1) AND (lower(scim_users.display_name) LIKE lower($2) ESCAPE '\\' "
      "OR scim_users.external_id = $3))", ["a", "%b%", "c"],
      note="placeholders are numbered in order across and/or")
    S("postgres-flat-or", 'userName eq "a" or userName eq "b" or userName eq "c"', "postgres",
      "(lower(scim_users.user_name) = lower($1) OR lower(scim_users.user_name) = lower($2) "
      "OR lower(scim_users.user_name) = lower($3))", ["a", "b", "c"])
    S("postgres-not-and-pr", "not (active eq false) and userName pr", "postgres",
      "(NOT COALESCE(scim_users.active = $1, FALSE) AND (scim_users.user_name IS NOT NULL AND scim_users.user_name <> ''))",
      [False])
    S("nested-groups-sqlite", '(userName sw "a" or (displayName ew "z" and externalId pr)) and active eq true', "sqlite",
      f"((lower(scim_users.user_name) {LIKE} OR (lower(scim_users.display_name) {LIKE} AND "
      "(scim_users.external_id IS NOT NULL AND scim_users.external_id <> ''))) AND scim_users.active = ?)",
      ["a%", "%z", True])
    S("emails-exists-co", 'emails co "example.com"', "sqlite",
      f"EXISTS (SELECT 1 FROM scim_user_emails e WHERE e.user_id = scim_users.id AND lower(e.value) {LIKE})",
      ["%example.com%"], note="a multi-valued attribute is an EXISTS sub-select on its value")
    S("emails-type-sub-attribute", 'emails.type eq "work"', "sqlite",
      "EXISTS (SELECT 1 FROM scim_user_emails e WHERE e.user_id = scim_users.id AND lower(e.type) = lower(?))",
      ["work"])
    S("emails-value-path-postgres", 'emails[type eq "work" and value ew "@acme.com"]', "postgres",
      "EXISTS (SELECT 1 FROM scim_user_emails e WHERE e.user_id = scim_users.id AND (lower(e.type) = lower($1) AND "
      "lower(e.value) LIKE lower($2) ESCAPE '\\'))", ["work", "%@acme.com"])
    S("emails-primary", "emails[primary eq true]", "sqlite",
      "EXISTS (SELECT 1 FROM scim_user_emails e WHERE e.user_id = scim_users.id AND e.primary_flag = ?)", [True])
    S("not-exists", 'not (emails co "x")', "postgres",
      "NOT COALESCE(EXISTS (SELECT 1 FROM scim_user_emails e WHERE e.user_id = scim_users.id AND lower(e.value) "
      "LIKE lower($1) ESCAPE '\\'), FALSE)", ["%x%"])
    S("not-inside-value-path", 'emails[not (type eq "work")]', "sqlite",
      "EXISTS (SELECT 1 FROM scim_user_emails e WHERE e.user_id = scim_users.id AND "
      "NOT COALESCE(lower(e.type) = lower(?), FALSE))", ["work"],
      note="an email without a type matches, as in evaluation")
    S("emails-pr", "emails pr", "sqlite", "EXISTS (SELECT 1 FROM scim_user_emails e WHERE e.user_id = scim_users.id)",
      [])
    S("emails-eq-null", "emails eq null", "postgres",
      "NOT EXISTS (SELECT 1 FROM scim_user_emails e WHERE e.user_id = scim_users.id)", [])
    S("emails-value-pr", "emails.value pr", "sqlite",
      "EXISTS (SELECT 1 FROM scim_user_emails e WHERE e.user_id = scim_users.id AND "
      "(e.value IS NOT NULL AND e.value <> ''))", [])
    S("emails-and-column-postgres", 'userName sw "j" and emails[type eq "work"] and emails co "@x.com"', "postgres",
      "(lower(scim_users.user_name) LIKE lower($1) ESCAPE '\\' AND EXISTS (SELECT 1 FROM scim_user_emails e WHERE "
      "e.user_id = scim_users.id AND lower(e.type) = lower($2)) AND EXISTS (SELECT 1 FROM scim_user_emails e WHERE "
      "e.user_id = scim_users.id AND lower(e.value) LIKE lower($3) ESCAPE '\\'))", ["j%", "work", "%@x.com%"])
    S("text-pr", "displayName pr", "sqlite", "(scim_users.display_name IS NOT NULL AND scim_users.display_name <> '')", [])
    S("text-eq-null", "displayName eq null", "sqlite", "(scim_users.display_name IS NULL OR scim_users.display_name = '')",
      [])
    S("text-ne-null", "displayName ne null", "postgres",
      "(scim_users.display_name IS NOT NULL AND scim_users.display_name <> '')", [])
    S("boolean-eq-null", "active eq null", "sqlite", "scim_users.active IS NULL", [])
    S("boolean-ne", "active ne true", "postgres", "scim_users.active <> $1", [True])
    S("datetime-sqlite", 'meta.lastModified gt "2011-05-13T04:42:34Z"', "sqlite", "scim_users.updated_at > ?",
      [_micros("2011-05-13T04:42:34Z")], note="SQLite timestamps are INTEGER microseconds since the epoch")
    S("datetime-sqlite-offset-fraction", 'meta.created ge "2011-05-13T06:42:34.5+02:00"', "sqlite",
      "scim_users.created_at >= ?", [_micros("2011-05-13T04:42:34.500000+00:00")])
    S("datetime-postgres", 'meta.created le "2011-05-13t04:42:34z"', "postgres",
      "scim_users.created_at <= $1::timestamptz", ["2011-05-13T04:42:34Z"],
      note="PostgreSQL timestamps: RFC 3339 text cast with ::timestamptz")
    S("core-urn-prefix", f'{CORE_USER}:userName eq "x"', "sqlite", "lower(scim_users.user_name) = lower(?)", ["x"])
    S("group-members-value-path", 'members[value eq "2819c223"]', "postgres",
      "EXISTS (SELECT 1 FROM scim_group_members m WHERE m.group_id = scim_groups.id AND lower(m.member_id) = lower($1))",
      ["2819c223"], kind="Group", note="Entra ID checks group membership with members[value eq …]")
    S("group-display-name", 'displayName eq "Tour Guides"', "sqlite", "lower(scim_groups.display_name) = lower(?)",
      ["Tour Guides"], kind="Group")
    S("group-members-type-and-external-id", 'members.type eq "User" and externalId eq "8aa1"', "sqlite",
      "(EXISTS (SELECT 1 FROM scim_group_members m WHERE m.group_id = scim_groups.id AND lower(m.member_type) = "
      "lower(?)) AND scim_groups.external_id = ?)", ["User", "8aa1"], kind="Group")
    S("group-meta-created", 'meta.created lt "2020-01-01T00:00:00Z"', "postgres",
      "scim_groups.created_at < $1::timestamptz", ["2020-01-01T00:00:00Z"], kind="Group")
    SE("boolean-gt", "active gt true", "type_mismatch", note="ordering does not apply to booleans")
    SE("boolean-vs-string", 'active eq "true"', "type_mismatch")
    SE("text-vs-number", "userName eq 5", "type_mismatch")
    SE("gt-null", "userName gt null", "type_mismatch", note="only eq and ne take null")
    SE("datetime-not-rfc3339", 'meta.created gt "yesterday"', "invalid_value")
    SE("datetime-substring", 'meta.created co "2011"', "type_mismatch")
    SE("enterprise-attribute", f'{ENTERPRISE}:department eq "x"', "unsupported_attribute",
      note="the reference schema has no column for extensions")
    SE("group-urn-on-users", f'{GROUP}:displayName eq "x"', "unsupported_attribute")
    SE("email-display", 'emails.display eq "x"', "unsupported_attribute")
    SE("members-on-users", 'members[value eq "x"]', "unsupported_attribute")
    SE("value-path-single-valued", 'name[givenName eq "x"]', "unsupported_attribute")
    SE("emails-on-groups", 'emails co "x"', "unsupported_attribute", kind="Group")
    SE("username-on-groups", 'userName eq "x"', "unsupported_attribute", kind="Group", dialect="postgres")
    case(a, f, "scim-sql-unknown-dialect", "scim_filter_sql",
         {"filter": 'userName eq "x"', "resource_type": "User", "dialect": "mysql"}, err("invalid_input"))


def build_mapping_idps(case, ok, err, org, small_dir):
    """scim_map_user on each IdP's documented create-user body, with group-based and role-based mappings."""
    a, f = "scim", "mapping"

    def scim_org(oid, mapping=None, roles=None):
        settings = {"enabled": True, "tokens": []}
        if mapping is not None:
            settings["mapping"] = mapping
        extra = {"scim": settings}
        if roles:
            extra["roles"] = roles
        return org(oid, oid.replace("org_", "").replace("_", "-"), oid, [], **extra)

    billing = [{"key": "billing", "permissions": ["users.read"]}]
    directory = small_dir(orgs=[
        scim_org("org_okta", {"roles": [{"group": "Test SCIMv2", "role": "admin"},
                                        {"group_id": "00g1emaKYZTWRYYRRTSK", "role": "billing"}],
                              "default_role": "member"}, billing),
        scim_org("org_entra", {"roles": [{"attribute": "roles.value", "equals": "Admin", "role": "admin"},
                                         {"attribute": "roles.value", "equals": "User", "role": "member"},
                                         {"attribute": f"{CUSTOM_EXT}:CustomAttribute", "delimiter": ",",
                                          "equals": "billing", "role": "billing"}],
                               "deprovision": "remove"}, billing),
        scim_org("org_entra_first", {"roles": [{"attribute": "roles[primary eq true].value", "role": "admin"},
                                               {"attribute": "roles.value", "equals": "User", "role": "member"}],
                                     "role_selection": "first", "default_role": "viewer"}),
        scim_org("org_onelogin", {"roles": [{"attribute": f"{ENTERPRISE}:department", "equals": "finance",
                                             "role": "billing"},
                                            {"group": "Admins", "role": "admin"}]}, billing),
        scim_org("org_jumpcloud", {"roles": [{"group": "IT Admins", "role": "admin"},
                                             {"group": "Engineering", "role": "member"}],
                                   "role_selection": "first"}),
        scim_org("org_google", {"attributes": {"email": ["userName"]},
                                "roles": [{"attribute": f"{ENTERPRISE}:department", "equals": "Finance",
                                           "role": "billing"}],
                                "default_role": "member"}, billing),
        scim_org("org_default"),
    ])

    def MAP(cid, org_id, user, expected, groups=(), note=None):
        case(a, f, f"scim-map-idp-{cid}", "scim_map_user",
             {"directory": directory, "org_id": org_id, "user": user, "groups": list(groups)}, expected, note=note)

    def mapped(email, fields, roles=(), matched=(), active=True, status="active"):
        return ok({"email": email, "fields": fields, "active": active, "status": status, "roles": list(roles),
                   "matched_rules": list(matched)})

    # Okta: SCIM 2.0 reference, 'Create the User'
    okta = {"schemas": [CORE_USER], "userName": "test.user@okta.local", "name": {"givenName": "Test", "familyName": "User"},
            "emails": [{"primary": True, "value": "test.user@okta.local", "type": "work"}], "displayName": "Test User",
            "locale": "en-US", "externalId": "00ujl29u0le5T6Aj10h7", "groups": [], "password": "1mz050nq",
            "active": True}
    okta_fields = {"display_name": "Test User", "external_id": "00ujl29u0le5T6Aj10h7", "family_name": "User",
                   "given_name": "Test", "user_name": "test.user@okta.local"}
    MAP("okta-create-user-pushed-group", "org_okta", okta,
        mapped("test.user@okta.local", okta_fields, ["admin"], [0]),
        groups=[{"id": "abf4dd94-a4c0-4f67-89c9-76b03340cb9b", "display_name": "Test SCIMv2"}],
        note="Okta SCIM 2.0 reference: create-user body; the pushed group 'Test SCIMv2' earns admin; password ignored")
    MAP("okta-group-id-and-name-both", "org_okta", okta,
        mapped("test.user@okta.local", okta_fields, ["admin", "billing"], [0, 1]),
        groups=[{"id": "00g1emaKYZTWRYYRRTSK", "display_name": "Billing"},
                {"id": "abf4dd94-a4c0-4f67-89c9-76b03340cb9b", "display_name": "TEST scimv2"}],
        note="roles come in rule order, whatever the order of the groups")
    MAP("okta-no-group-default-role", "org_okta", okta, mapped("test.user@okta.local", okta_fields, ["member"], []))
    MAP("okta-deactivated-suspends", "org_okta", {**okta, "active": False},
        mapped("test.user@okta.local", okta_fields, ["member"], [], active=False, status="suspended"),
        note="Okta deactivates with active=false; deprovision defaults to suspend")
    # Entra ID: 'Develop and plan provisioning for a SCIM endpoint', Create User
    entra = {"schemas": [CORE_USER, ENTERPRISE], "externalId": "0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef",
             "userName": "Test_User_ab6490ee-1e48-479e-a20b-2d77186b5dd1", "active": True,
             "emails": [{"primary": True, "type": "work",
                         "value": "Test_User_fd0ea19b-0777-472c-9f96-4f70d2226f2e@testuser.com"}],
             "meta": {"resourceType": "User"},
             "name": {"formatted": "givenName familyName", "familyName": "familyName", "givenName": "givenName"},
             "roles": []}
    entra_fields = {"display_name": "givenName familyName", "external_id": "0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef",
                    "family_name": "familyName", "given_name": "givenName",
                    "user_name": "Test_User_ab6490ee-1e48-479e-a20b-2d77186b5dd1"}
    MAP("entra-create-user", "org_entra", entra,
        mapped("test_user_fd0ea19b-0777-472c-9f96-4f70d2226f2e@testuser.com", entra_fields),
        note="Entra ID docs (Create User): display name falls back to name.formatted; no role rule matches")
    MAP("entra-create-user-default-mapping", "org_default", entra,
        mapped("test_user_fd0ea19b-0777-472c-9f96-4f70d2226f2e@testuser.com", entra_fields))
    single = {"schemas": [CORE_USER], "externalId": "alias", "userName": "alias@contoso.OnMicrosoft.com", "active": True,
              "displayName": "First Name Last Name", "meta": {"resourceType": "User"},
              "roles": [{"primary": True, "type": "WindowsAzureActiveDirectoryRole", "value": "Admin"}]}
    single_fields = {"display_name": "First Name Last Name", "external_id": "alias",
                     "user_name": "alias@contoso.OnMicrosoft.com"}
    MAP("entra-single-app-role", "org_entra", single,
        mapped("alias@contoso.onmicrosoft.com", single_fields, ["admin"], [0]),
        note="Entra ID docs (SingleAppRoleAssignment, POST); no emails: the address is userName")
    MAP("entra-single-app-role-primary-filter", "org_entra_first", single,
        mapped("alias@contoso.onmicrosoft.com", single_fields, ["admin"], [0]),
        note="rule source roles[primary eq true].value without equals: any value earns the role")
    complex_roles = {**single, "roles": [
        {"primary": False, "type": "WindowsAzureActiveDirectoryRole", "displayName": "Admin", "value": "Admin"},
        {"primary": False, "type": "WindowsAzureActiveDirectoryRole", "displayName": "User", "value": "User"}]}
    MAP("entra-app-role-assignments-complex", "org_entra", complex_roles,
        mapped("alias@contoso.onmicrosoft.com", single_fields, ["admin", "member"], [0, 1]),
        note="Entra ID docs (AppRoleAssignmentsComplex, POST): every role is primary=false")
    MAP("entra-complex-first-rule", "org_entra_first", complex_roles,
        mapped("alias@contoso.onmicrosoft.com", single_fields, ["member"], [1]),
        note="no primary role, so the first rule that matches is the second")
    MAP("entra-no-roles-default", "org_entra_first", {**single, "roles": []},
        mapped("alias@contoso.onmicrosoft.com", single_fields, ["viewer"], []))
    custom = {**entra, "schemas": [CORE_USER, CUSTOM_EXT], CUSTOM_EXT: {"CustomAttribute": "viewer, Billing"}}
    MAP("entra-custom-extension-delimited", "org_entra", custom,
        mapped("test_user_fd0ea19b-0777-472c-9f96-4f70d2226f2e@testuser.com", entra_fields, ["billing"], [2]),
        note="Entra ID docs (custom extension attribute); items trimmed and compared ignoring case")
    MAP("entra-disabled-remove", "org_entra", {**entra, "active": False},
        mapped("test_user_fd0ea19b-0777-472c-9f96-4f70d2226f2e@testuser.com", entra_fields, active=False, status=None),
        note="deprovision=remove: no membership status")
    # OneLogin: 'SCIM Provisioner with SAML (SCIM v2 Enterprise)' JSON template
    onelogin = {"schemas": [CORE_USER, ENTERPRISE], "userName": "jane.doe@acme.com",
                "name": {"familyName": "Doe", "givenName": "Jane"}, "title": "Controller", "userType": "Employee",
                "timezone": "America/Los_Angeles",
                "emails": [{"value": "Jane.Doe@acme.com", "type": "work", "primary": True}],
                "addresses": [{"locality": "Boulder", "region": "CO", "country": "US"}],
                ENTERPRISE: {"organization": "Acme", "division": "Corporate", "department": "Finance",
                             "manager": {"value": "00u1abcd", "displayName": "John Smith"}}}
    ol_fields = {"department": "Finance", "family_name": "Doe", "given_name": "Jane", "title": "Controller",
                 "user_name": "jane.doe@acme.com"}
    MAP("onelogin-enterprise-template", "org_onelogin", onelogin,
        mapped("jane.doe@acme.com", ol_fields, ["billing"], [0]),
        note="OneLogin docs (SCIM v2 Enterprise template): department earns billing; no displayName sent")
    MAP("onelogin-template-and-group", "org_onelogin", onelogin,
        mapped("jane.doe@acme.com", ol_fields, ["billing", "admin"], [0, 1]),
        groups=[{"id": "1234567", "display_name": "ADMINS"}])
    onelogin_object_email = {"schemas": [CORE_USER], "userName": "jdoe",
                             "name": {"familyName": "Doe", "givenName": "Jane", "formatted": "Jane Doe"},
                             "emails": {"value": "Jane.Doe@Acme.com", "type": "work", "primary": True}}
    MAP("onelogin-emails-as-object", "org_onelogin", onelogin_object_email,
        mapped("jane.doe@acme.com", {"display_name": "Jane Doe", "family_name": "Doe", "given_name": "Jane",
                                     "user_name": "jdoe"}),
        note="OneLogin docs ('Define your SCIM user schema') send emails as one object, not an array")
    # JumpCloud: 'Identity Management using a Custom SCIM Integration'; roles come from groups
    jc = {"schemas": [CORE_USER], "userName": "jsmith", "name": {"givenName": "John", "familyName": "Smith"},
          "emails": [{"value": "John.Smith@Example.org", "type": "work", "primary": True}],
          "displayName": "John Smith", "active": True}
    jc_fields = {"display_name": "John Smith", "family_name": "Smith", "given_name": "John", "user_name": "jsmith"}
    MAP("jumpcloud-first-group-rule", "org_jumpcloud", jc, mapped("john.smith@example.org", jc_fields, ["admin"], [0]),
        groups=[{"id": "5f8a0c1e", "display_name": "Engineering"}, {"id": "5f8a0c2f", "display_name": "IT Admins"}],
        note="JumpCloud docs: username, firstname, lastname, email map to userName, name.*, emails; "
             "JumpCloud sends no custom attributes, so roles come from user groups")
    MAP("jumpcloud-engineering", "org_jumpcloud", jc, mapped("john.smith@example.org", jc_fields, ["member"], [1]),
        groups=[{"id": "5f8a0c1e", "display_name": "engineering"}])
    MAP("jumpcloud-no-group-no-role", "org_jumpcloud", jc, mapped("john.smith@example.org", jc_fields))
    # Google Workspace / Cloud Identity SCIM User resource: userName is the primary email
    google = {"schemas": [CORE_USER, ENTERPRISE, "urn:ietf:params:scim:schemas:extension:google:2.0:CloudIdentityUser"],
              "userName": "Dana.Lee@example.com", "name": {"givenName": "Dana", "familyName": "Lee"},
              "displayName": "Dana Lee", "active": True, "externalId": "E012345",
              ENTERPRISE: {"employeeNumber": "E012345", "department": "Finance"}}
    g_fields = {"department": "Finance", "display_name": "Dana Lee", "employee_number": "E012345",
                "external_id": "E012345", "family_name": "Lee", "given_name": "Dana",
                "user_name": "Dana.Lee@example.com"}
    MAP("google-username-is-email", "org_google", google, mapped("dana.lee@example.com", g_fields, ["billing"], [0]),
        note="Google Cloud Identity SCIM User: userName is the primary email; enterprise department earns billing")
    MAP("google-other-department-default-role", "org_google",
        {**google, ENTERPRISE: {"employeeNumber": "E012345", "department": "Sales"}},
        mapped("dana.lee@example.com", {**g_fields, "department": "Sales"}, ["member"], []))
    MAP("google-mapping-ignores-emails", "org_google",
        {**google, "emails": [{"value": "dana.alias@example.net", "type": "work", "primary": True}]},
        mapped("dana.lee@example.com", g_fields, ["billing"], [0]),
        note="the org's email source is userName only")
    MAP("entra-string-false-active-suspends", "org_okta", {**okta, "active": "False"},
        mapped("test.user@okta.local", okta_fields, ["member"], [], active=False, status="suspended"),
        note="Entra ID sends active as the string \"False\"")
    MAP("unknown-org", "org_missing", okta, err("unknown_org", path="org_id"))
    case(a, f, "scim-map-idp-needs-directory", "scim_map_user", {"org_id": "org_okta", "user": okta},
         err("invalid_input", path="directory"))
    case(a, f, "scim-map-idp-bad-group-ref", "scim_map_user",
         {"directory": directory, "org_id": "org_okta", "user": okta, "groups": [{"id": "g1", "name": "x"}]},
         err("invalid_input"))
