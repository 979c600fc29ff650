"""SCIM write vectors (`scim_write`): one request end to end — token → org, request checks, the
change, the mapped user, the membership effect and the audit event. Hand-written expectations.
"""
import hashlib

TOKEN_A = "orgkit_scim_" + "c1" * 32
TOKEN_B = "orgkit_scim_" + "d1" * 32
TOKEN_C = "orgkit_scim_" + "e1" * 32
CORE_USER = "urn:ietf:params:scim:schemas:core:2.0:User"
CORE_GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group"
PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
NOW = 1_800_000_000


def sha(token):
    return hashlib.sha256(token.encode()).hexdigest()


def build(case, ok, err, org, small_dir):
    def scim_org(oid, token, mapping):
        return org(oid, oid.replace("org_", ""), oid, [],
                   scim={"enabled": True, "tokens": [{"id": f"tok_{oid}", "sha256": sha(token)}],
                         "mapping": mapping})

    directory = small_dir(orgs=[
        scim_org("org_a", TOKEN_A, {"roles": [{"group": "Admins", "role": "admin"}], "default_role": "member"}),
        scim_org("org_b", TOKEN_B, {"deprovision": "remove"}),
        scim_org("org_c", TOKEN_C, {"missing_email": "reject"}),
    ])
    a, f = "scim", "write"
    json_ct = {"content_type": "application/scim+json"}

    def W(cid, fields, expected, token=TOKEN_A, note=None):
        case(a, f, f"scim-write-{cid}", "scim_write",
             {"directory": directory, "authorization": f"Bearer {token}", "now": NOW, "event_id": "evt-1", **fields},
             expected, note=note)

    def caller(org_id):
        return {"org_id": org_id, "token_id": f"tok_{org_id}"}

    def event(org_id, action, target, changes=()):
        kind, rid = target.split(":")
        return {"id": "evt-1", "org_id": org_id, "action": action, "version": 1, "occurred_at": NOW,
                "actor": {"type": "scim_token", "id": f"tok_{org_id}"},
                "targets": [{"type": kind.lower(), "id": rid}], "context": {}, "outcome": "success",
                "metadata": {"changes": list(changes)}}

    no_members = {"added": [], "removed": []}
    user_body = '{"schemas":["%s"],"userName":"bjensen@acme.com","active":true,' \
                '"emails":[{"value":"BJensen@Acme.com","type":"work","primary":true}]}' % CORE_USER
    created_user = {"schemas": [CORE_USER], "userName": "bjensen@acme.com", "active": True,
                    "emails": [{"value": "BJensen@Acme.com", "type": "work", "primary": True}], "id": "u-1"}
    mapped = {"email": "bjensen@acme.com", "fields": {"user_name": "bjensen@acme.com"}, "active": True,
              "status": "active", "roles": ["member"], "matched_rules": []}

    W("create-user-default-role",
      {"method": "POST", "path": "/Users", "headers": json_ct, "body": user_body, "new_id": "u-1"},
      ok({"caller": caller("org_a"), "action": "created", "kind": "User", "id": "u-1", "resource": created_user,
          "user": mapped, "membership": {"op": "upsert", "status": "active", "roles": ["member"]},
          "member_changes": no_members, "event": event("org_a", "scim.user.created", "User:u-1")}),
      note="no group rule matches: the mapping's default role")
    W("create-user-in-admin-group",
      {"method": "POST", "path": "/Users", "headers": json_ct, "body": user_body, "new_id": "u-1",
       "groups": [{"id": "g-1", "display_name": "admins"}]},
      ok({"caller": caller("org_a"), "action": "created", "kind": "User", "id": "u-1", "resource": created_user,
          "user": {**mapped, "roles": ["admin"], "matched_rules": [0]},
          "membership": {"op": "upsert", "status": "active", "roles": ["admin"]},
          "member_changes": no_members, "event": event("org_a", "scim.user.created", "User:u-1")}))
    W("create-client-id-ignored",
      {"method": "POST", "path": "/Users", "headers": json_ct, "new_id": "u-1",
       "body": '{"id":"chosen-by-client","userName":"bjensen@acme.com"}'},
      ok({"caller": caller("org_a"), "action": "created", "kind": "User", "id": "u-1",
          "resource": {"userName": "bjensen@acme.com", "id": "u-1"},
          "user": {**mapped, "active": True}, "membership": {"op": "upsert", "status": "active",
                                                              "roles": ["member"]},
          "member_changes": no_members, "event": event("org_a", "scim.user.created", "User:u-1")}),
      note="RFC 7643 §3.1: id is assigned by the service provider")
    W("create-needs-new-id", {"method": "POST", "path": "/Users", "headers": json_ct, "body": user_body},
      err("invalid_input"))
    no_at = {"code": "invalid_email", "message": "address has no `@` outside quotes", "path": "emails",
             "reason": "missing_at"}
    W("create-without-email-unlinked",
      {"method": "POST", "path": "/Users", "headers": json_ct, "new_id": "u-2",
       "body": '{"userName":"bjensen","displayName":"Barbara"}'},
      ok({"caller": caller("org_a"), "action": "created", "kind": "User", "id": "u-2",
          "resource": {"userName": "bjensen", "displayName": "Barbara", "id": "u-2"}, "unlinked": no_at,
          "membership": {"op": "remove"}, "member_changes": no_members,
          "event": {**event("org_a", "scim.user.created", "User:u-2"),
                    "metadata": {"changes": [], "unlinked": "invalid_email"}}}),
      note="RFC 7643 requires only userName: stored, linked to no orgkit user (userName, the last email "
           "source, is not an address), no membership")
    no_source = {"code": "invalid_value", "message": "the SCIM user carries no email address in any mapped source",
                 "path": "emails", "reason": "no_email"}
    W("put-without-emails-linked-by-username",
      {"method": "PUT", "path": "/Users/u-1", "headers": json_ct, "current": created_user,
       "body": '{"schemas":["%s"],"userName":"bjensen@acme.com","emails":[]}' % CORE_USER},
      ok({"caller": caller("org_b"), "action": "replaced", "kind": "User", "id": "u-1",
          "resource": {"schemas": [CORE_USER], "userName": "bjensen@acme.com", "emails": [], "id": "u-1"},
          "user": {**mapped, "status": "active", "roles": []},
          "membership": {"op": "upsert", "status": "active", "roles": []}, "member_changes": no_members,
          "event": event("org_b", "scim.user.replaced", "User:u-1")}),
      token=TOKEN_B, note="userName is an address: still linked")
    W("put-takes-the-address-away",
      {"method": "PUT", "path": "/Users/u-1", "headers": json_ct, "current": created_user,
       "body": '{"schemas":["%s"],"userName":"bjensen","emails":[]}' % CORE_USER},
      ok({"caller": caller("org_b"), "action": "replaced", "kind": "User", "id": "u-1",
          "resource": {"schemas": [CORE_USER], "userName": "bjensen", "emails": [], "id": "u-1"},
          "unlinked": no_at, "membership": {"op": "remove"}, "member_changes": no_members,
          "event": {**event("org_b", "scim.user.replaced", "User:u-1"),
                    "metadata": {"changes": [], "unlinked": "invalid_email"}}}),
      token=TOKEN_B, note="an address taken away takes the membership with it")
    W("create-without-email-refused",
      {"method": "POST", "path": "/Users", "headers": json_ct, "new_id": "u-2",
       "body": '{"userName":"bjensen","displayName":"Barbara"}'},
      err("invalid_email", reason="missing_at", path="emails"), token=TOKEN_C,
      note="org_c's mapping says `missing_email: reject`")
    W("create-no-email-source-refused",
      {"method": "POST", "path": "/Users", "headers": json_ct, "new_id": "u-2",
       "body": '{"displayName":"Barbara"}'},
      err("invalid_value", reason="no_email", path="emails"), token=TOKEN_C,
      note="no source has a value at all; this org's mapping refuses")
    W("create-no-email-source-unlinked",
      {"method": "POST", "path": "/Users", "headers": json_ct, "new_id": "u-2",
       "body": '{"displayName":"Barbara"}'},
      ok({"caller": caller("org_a"), "action": "created", "kind": "User", "id": "u-2",
          "resource": {"displayName": "Barbara", "id": "u-2"}, "unlinked": no_source,
          "membership": {"op": "remove"}, "member_changes": no_members,
          "event": {**event("org_a", "scim.user.created", "User:u-2"),
                    "metadata": {"changes": [], "unlinked": "no_email"}}}))

    patch_inactive = '{"schemas":["%s"],"Operations":[{"op":"Replace","path":"active","value":"False"}]}' % PATCH_OP
    W("patch-deactivate-suspends",
      {"method": "PATCH", "path": "/Users/u-1", "headers": {**json_ct, "if_match": 'W/"3"'},
       "body": patch_inactive, "current": created_user, "current_version": "3"},
      ok({"caller": caller("org_a"), "action": "patched", "kind": "User", "id": "u-1",
          "resource": {**created_user, "active": False},
          "user": {**mapped, "active": False, "status": "suspended"},
          "membership": {"op": "upsert", "status": "suspended", "roles": ["member"]},
          "member_changes": no_members,
          "changes": [{"kind": "replaced", "path": "active", "old": True, "new": False}],
          "event": event("org_a", "scim.user.patched", "User:u-1", [{"kind": "replaced", "path": "active"}])}),
      note="Entra ID deprovisions with a PATCH of active=\"False\"; the org suspends")
    W("patch-deactivate-removes",
      {"method": "PATCH", "path": "/Users/u-1", "headers": json_ct, "body": patch_inactive,
       "current": created_user},
      ok({"caller": caller("org_b"), "action": "patched", "kind": "User", "id": "u-1",
          "resource": {**created_user, "active": False},
          "user": {**mapped, "active": False, "status": None, "roles": []},
          "membership": {"op": "remove"}, "member_changes": no_members,
          "changes": [{"kind": "replaced", "path": "active", "old": True, "new": False}],
          "event": event("org_b", "scim.user.patched", "User:u-1", [{"kind": "replaced", "path": "active"}])}),
      token=TOKEN_B, note="org_b deprovisions by removing the membership; its token acts in org_b only")
    W("patch-stale-if-match",
      {"method": "PATCH", "path": "/Users/u-1", "headers": {**json_ct, "if_match": 'W/"2"'},
       "body": patch_inactive, "current": created_user, "current_version": "3"},
      err("precondition_failed"))
    W("patch-if-match-star",
      {"method": "PATCH", "path": "/Users/u-1", "headers": {**json_ct, "if_match": "*"},
       "body": patch_inactive, "current": created_user, "current_version": "3"},
      ok({"caller": caller("org_a"), "action": "patched", "kind": "User", "id": "u-1",
          "resource": {**created_user, "active": False},
          "user": {**mapped, "active": False, "status": "suspended"},
          "membership": {"op": "upsert", "status": "suspended", "roles": ["member"]},
          "member_changes": no_members,
          "changes": [{"kind": "replaced", "path": "active", "old": True, "new": False}],
          "event": event("org_a", "scim.user.patched", "User:u-1", [{"kind": "replaced", "path": "active"}])}))
    W("patch-missing-resource",
      {"method": "PATCH", "path": "/Users/u-9", "headers": json_ct, "body": patch_inactive},
      err("not_found"))
    W("patch-bad-op-changes-nothing",
      {"method": "PATCH", "path": "/Users/u-1", "headers": json_ct, "current": created_user,
       "body": '{"schemas":["%s"],"Operations":[{"op":"remove","path":"emails[type eq \\"home\\"]"}]}' % PATCH_OP},
      err("no_target"))
    W("put-replaces",
      {"method": "PUT", "path": "/Users/u-1", "headers": json_ct, "current": created_user, "current_version": "3",
       "body": '{"schemas":["%s"],"userName":"babs@acme.com"}' % CORE_USER},
      ok({"caller": caller("org_a"), "action": "replaced", "kind": "User", "id": "u-1",
          "resource": {"schemas": [CORE_USER], "userName": "babs@acme.com", "id": "u-1"},
          "user": {**mapped, "email": "babs@acme.com", "fields": {"user_name": "babs@acme.com"}},
          "membership": {"op": "upsert", "status": "active", "roles": ["member"]},
          "member_changes": no_members, "event": event("org_a", "scim.user.replaced", "User:u-1")}))
    W("delete-user-removes-membership",
      {"method": "DELETE", "path": "/Users/u-1", "current": created_user},
      ok({"caller": caller("org_a"), "action": "deleted", "kind": "User", "id": "u-1",
          "membership": {"op": "remove"}, "member_changes": no_members,
          "event": event("org_a", "scim.user.deleted", "User:u-1")}))
    W("delete-missing", {"method": "DELETE", "path": "/Users/u-9"}, err("not_found"))

    group = {"schemas": [CORE_GROUP], "displayName": "Admins", "members": [{"value": "u-1"}], "id": "g-1"}
    W("create-group-with-role-rule",
      {"method": "POST", "path": "/Groups", "headers": json_ct, "new_id": "g-1",
       "body": '{"schemas":["%s"],"displayName":"Admins","members":[{"value":"u-1"}]}' % CORE_GROUP},
      ok({"caller": caller("org_a"), "action": "created", "kind": "Group", "id": "g-1", "resource": group,
          "membership": {"op": "unchanged"}, "group_roles": ["admin"], "member_changes": no_members,
          "event": event("org_a", "scim.group.created", "Group:g-1")}),
      note="the group's members get `admin`; the host re-maps them")
    W("patch-group-add-member",
      {"method": "PATCH", "path": "/Groups/g-1", "headers": json_ct, "current": group,
       "body": '{"schemas":["%s"],"Operations":[{"op":"add","path":"members","value":[{"value":"u-2"}]}]}'
               % PATCH_OP},
      ok({"caller": caller("org_a"), "action": "patched", "kind": "Group", "id": "g-1",
          "resource": {**group, "members": [{"value": "u-1"}, {"value": "u-2"}]},
          "membership": {"op": "unchanged"}, "group_roles": ["admin"],
          "member_changes": {"added": ["u-2"], "removed": []},
          "changes": [{"kind": "added", "path": "members", "old": [{"value": "u-1"}],
                       "new": [{"value": "u-1"}, {"value": "u-2"}]}],
          "event": event("org_a", "scim.group.patched", "Group:g-1", [{"kind": "added", "path": "members"}])}))
    W("group-without-role-rule",
      {"method": "POST", "path": "/Groups", "headers": json_ct, "new_id": "g-2",
       "body": '{"displayName":"Everyone"}'},
      ok({"caller": caller("org_a"), "action": "created", "kind": "Group", "id": "g-2",
          "resource": {"displayName": "Everyone", "id": "g-2"}, "membership": {"op": "unchanged"},
          "member_changes": no_members, "event": event("org_a", "scim.group.created", "Group:g-2")}))
    W("bad-token", {"method": "POST", "path": "/Users", "headers": json_ct, "body": user_body, "new_id": "u-1"},
      err("invalid_token", reason="unknown"), token="orgkit_scim_wrong")
    W("read-is-not-a-write", {"method": "GET", "path": "/Users"}, err("invalid_input"))
    W("me-not-implemented", {"method": "POST", "path": "/Me", "headers": json_ct, "body": "{}"},
      err("not_implemented"))
    case(a, f, "scim-write-needs-directory", "scim_write",
         {"authorization": f"Bearer {TOKEN_A}", "method": "GET", "path": "/Users", "now": NOW, "event_id": "evt-1"},
         err("invalid_input", path="directory"))


def build_responses(case, ok, err):
    """scim_response and scim_list_response: RFC 7644 resources with meta, projection, lists."""
    a, f = "scim", "protocol"
    stored = {"schemas": [CORE_USER], "id": "stored-id", "userName": "bjensen", "password": "t1meMa$heen",
              "name": {"givenName": "Barbara", "familyName": "Jensen"}}
    meta = {"resourceType": "User", "created": "2023-11-14T22:13:20Z", "lastModified": "2023-11-14T22:13:20.123Z",
            "location": "https://api.acme.test/scim/v2/Users/u-1", "version": 'W/"3"'}
    base = {"resource": stored, "kind": "User", "id": "u-1", "created_ms": 1_700_000_000_000,
            "last_modified_ms": 1_700_000_000_123, "version": "3", "base_url": "https://api.acme.test/scim/v2/"}
    case(a, f, "scim-response-meta-and-never-returned", "scim_response", base,
         ok({"schemas": [CORE_USER], "id": "u-1", "userName": "bjensen",
             "name": {"givenName": "Barbara", "familyName": "Jensen"}, "meta": meta}),
         note="RFC 7643 §3.1 meta; §4.1.1 password is returned=never; the id is the service provider's")
    case(a, f, "scim-response-attributes", "scim_response",
         {**base, "projection": {"attributes": [{"attr": "name", "sub_attr": "familyName"}]}},
         ok({"schemas": [CORE_USER], "id": "u-1", "name": {"familyName": "Jensen"}, "meta": meta}),
         note="RFC 7644 §3.9: attributes=name.familyName; id, schemas and meta are always returned")
    case(a, f, "scim-response-excluded", "scim_response",
         {**base, "projection": {"excluded_attributes": [{"attr": "name"}]}},
         ok({"schemas": [CORE_USER], "id": "u-1", "userName": "bjensen", "meta": meta}))
    case(a, f, "scim-response-group-location", "scim_response",
         {**base, "kind": "Group", "id": "g 1", "resource": {"schemas": [CORE_GROUP], "displayName": "Admins"}},
         ok({"schemas": [CORE_GROUP], "displayName": "Admins", "id": "g 1",
             "meta": {**meta, "resourceType": "Group", "location": "https://api.acme.test/scim/v2/Groups/g%201"}}),
         note="the location's id is percent-encoded")
    case(a, f, "scim-response-bad-kind", "scim_response", {**base, "kind": "Widget"}, err("invalid_input"))
    case(a, f, "scim-list-response", "scim_list_response",
         {"resources": [{"id": "u-1"}, {"id": "u-2"}], "total": 12, "start_index": 11},
         ok({"schemas": ["urn:ietf:params:scim:api:messages:2.0:ListResponse"], "totalResults": 12,
             "startIndex": 11, "itemsPerPage": 2, "Resources": [{"id": "u-1"}, {"id": "u-2"}]}),
         note="RFC 7644 §3.4.2.4: itemsPerPage is the number of resources on this page")
    case(a, f, "scim-list-response-empty", "scim_list_response", {"resources": [], "total": 0, "start_index": 1},
         ok({"schemas": ["urn:ietf:params:scim:api:messages:2.0:ListResponse"], "totalResults": 0,
             "startIndex": 1, "itemsPerPage": 0, "Resources": []}))


def build_etags(case, ok, err):
    """scim_etag_matches: If-Match / If-None-Match against a stored version (RFC 9110 §13.1, weak comparison)."""
    a, f = "scim", "etag"

    def E(cid, header, version, expected, note=None):
        case(a, f, f"scim-etag-{cid}", "scim_etag_matches", {"header": header, "version": version}, expected,
             note=note)

    E("weak-tag", 'W/"3"', "3", ok(True))
    E("strong-tag-compared-weakly", '"3"', "3", ok(True), note="If-None-Match uses the weak comparison")
    E("other-version", 'W/"2"', "3", ok(False))
    E("star", "*", "3", ok(True))
    E("list", 'W/"1", W/"3"', "3", ok(True))
    E("list-without-it", 'W/"1" ,"2"', "3", ok(False))
    E("bare-value", "3", "3", ok(True), note="an unquoted element is compared leniently as a bare version")
    E("empty-header", "", "3", ok(False))
    case(a, f, "scim-etag-missing-version", "scim_etag_matches", {"header": "*"}, err("invalid_input"))
