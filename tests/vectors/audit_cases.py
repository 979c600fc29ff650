"""Audit vectors: recording (redaction, sampling, chaining), chain verification, export.

Hashes are computed here with Python's own hashlib and json (an independent implementation of
the canonical form documented in core/src/audit/chain.rs: keys sorted, no whitespace, UTF-8).
"""
import copy
import hashlib
import json

GENESIS = "0" * 64
SALT = "org-acme-secret-salt"


def canonical(value):
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def event(eid, action="org.sso_connection.updated", org_id="org_acme", outcome="success", occurred_at=1_800_000_000,
          actor=None, targets=None, context=None, metadata=None, version=1):
    return {"id": eid, "org_id": org_id, "action": action, "version": version, "occurred_at": occurred_at,
            "actor": actor or {"type": "user", "id": "u_ann", "display": "Ann Admin"},
            "targets": targets if targets is not None else [{"type": "sso_connection", "id": "conn_acme"}],
            "context": context if context is not None else {"ip": "203.0.113.7", "user_agent": "Mozilla/5.0",
                                                            "request_id": "req-1"},
            "outcome": outcome, "metadata": metadata if metadata is not None else {"field": "sso_url"}}


def chained(ev, seq, prev_hash):
    body = {**ev, "seq": seq, "prev_hash": prev_hash}
    return {**body, "hash": hashlib.sha256(canonical(body).encode()).hexdigest()}


def log(*events):
    out, prev = [], GENESIS
    for seq, ev in enumerate(events):
        c = chained(ev, seq, prev)
        out.append(c)
        prev = c["hash"]
    return out


def salted(value):
    return "sha256:" + hashlib.sha256((SALT + value).encode()).hexdigest()


def build(case, ok, err, org, small_dir):
    a = "audit"
    e1, e2, e3 = event("evt_1"), event("evt_2", action="scim.user.created"), event("evt_3", outcome="failure")
    c1, c2, c3 = log(e1, e2, e3)

    def R(cid, fields, expected, note=None):
        case(a, "record", f"audit-record-{cid}", "audit_record", fields, expected, note=note)

    R("first-event-starts-the-chain", {"event": e1}, ok({"recorded": True, "event": c1}),
      note="seq 0 and a prev_hash of 64 zeros")
    R("next-event-links-to-the-last", {"event": e2, "previous": c1}, ok({"recorded": True, "event": c2}))
    R("previous-of-another-org", {"event": event("evt_9", org_id="org_globex"), "previous": c1},
      err("invalid_input", path="previous"), note="each org has its own chain")
    R("unknown-field", {"event": {**e1, "severity": "high"}}, err("invalid_input"))
    R("non-ascii-and-escapes", {"event": event("evt_u", metadata={"name": "Bücher \"GmbH\"\n", "n": 3})},
      ok({"recorded": True, "event": log(event("evt_u", metadata={"name": "Bücher \"GmbH\"\n", "n": 3}))[0]}),
      note="the canonical form keeps UTF-8 as is and escapes as JSON requires")

    rules = {"redaction": {"drop": ["context.ip"], "hash": ["actor.display", "metadata.email"], "salt": SALT}}
    raw = event("evt_r", metadata={"email": "ann@acme.com", "field": "sso_url"})
    redacted = copy.deepcopy(raw)
    del redacted["context"]["ip"]
    redacted["actor"]["display"] = salted("Ann Admin")
    redacted["metadata"]["email"] = salted("ann@acme.com")
    R("redaction-before-chaining", {"event": raw, "settings": rules},
      ok({"recorded": True, "event": log(redacted)[0]}),
      note="dropped and salted-hashed fields; the chain covers what is stored")
    R("redaction-weak-salt", {"event": raw, "settings": {"redaction": {"hash": ["context.ip"], "salt": "short"}}},
      err("invalid_value", reason="weak_salt", path="redaction.salt"))
    R("redaction-unknown-field", {"event": raw, "settings": {"redaction": {"drop": ["actor.id"]}}},
      err("invalid_value", reason="unknown_field", path="redaction.drop[0]"),
      note="ids stay: a log without them cannot be queried")

    audited_org = org("org_acme", "acme", "Acme", [], audit={**rules, "allow_sample_per_10k": 0})
    directory = small_dir(orgs=[audited_org])
    R("org-settings-from-directory", {"directory": directory, "event": raw},
      ok({"recorded": True, "event": log(redacted)[0]}))
    allow = event("evt_allow", action="authz.decision", outcome="allow", metadata={})
    deny = event("evt_deny", action="authz.decision", outcome="deny", metadata={})
    R("allows-sampled-out", {"directory": directory, "event": allow}, ok({"recorded": False}),
      note="allow_sample_per_10k 0: no allowing decision is recorded")
    deny_redacted = copy.deepcopy(deny)
    del deny_redacted["context"]["ip"]
    deny_redacted["actor"]["display"] = salted("Ann Admin")
    R("denies-always-recorded", {"directory": directory, "event": deny},
      ok({"recorded": True, "event": log(deny_redacted)[0]}))
    R("allows-all-by-default", {"event": allow}, ok({"recorded": True, "event": log(allow)[0]}))
    R("redacting-twice-changes-nothing", {"directory": directory, "event": redacted},
      ok({"recorded": True, "event": log(redacted)[0]}),
      note="engine-made events are redacted when made; recording them applies the rules again, idempotently")
    engine_rules = {"redaction": {"drop": ["context.user_agent"], "hash": ["context.ip"], "salt": SALT}}
    redacting_org = org("org_acme", "acme", "Acme", [], audit=engine_rules)
    member_dir = small_dir([redacting_org], [{"id": "u_ann", "email": "ann@acme.com"}],
                           [{"user_id": "u_ann", "org_id": "org_acme", "roles": ["admin"], "status": "active"}])
    request = {"principal": {"user": "u_ann"}, "active_org": "org_acme", "action": "audit.read",
               "resource": {"type": "AuditLog", "id": "log", "org": "org_acme"}, "now": 1_800_000_000,
               "event_id": "evt_a1", "audit_context": {"ip": "203.0.113.7", "user_agent": "Mozilla/5.0",
                                                        "request_id": "req-1"}}
    case(a, "record", "authz-event-redacted-by-its-org", "authorize", {"directory": member_dir, **request},
         ok({"decision": "allow", "policies": ["orgkit.role.admin"], "errors": [],
             "membership": {"status": "active", "roles": ["admin"]},
             "event": {"id": "evt_a1", "org_id": "org_acme", "action": "authz.decision", "version": 1,
                       "occurred_at": 1_800_000_000, "actor": {"type": "user", "id": "u_ann"},
                       "targets": [{"type": "Orgkit::AuditLog", "id": "log"}],
                       "context": {"ip": salted("203.0.113.7"), "request_id": "req-1"}, "outcome": "allow",
                       "metadata": {"requested_action": "audit.read", "policies": ["orgkit.role.admin"]}}}),
         note="no event leaves the engine with a field its org redacts")
    R("unknown-org", {"directory": directory, "event": event("evt_x", org_id="org_none")},
      err("unknown_org", path="event.org_id"))
    case(a, "record", "audit-load-bad-settings", "load",
         {"directory": small_dir(orgs=[org("org_acme", "acme", "Acme", [],
                                           audit={"redaction": {"hash": ["metadata.email"]},
                                                  "allow_sample_per_10k": 20000})])},
         err("invalid_directory", problems=[
             {"path": "orgs[0].audit.redaction.salt", "code": "invalid_value", "reason": "weak_salt"},
             {"path": "orgs[0].audit.allow_sample_per_10k", "code": "invalid_value"}]))

    def V(cid, events, expected, anchor=None, note=None):
        fields = {"events": events}
        if anchor:
            fields["anchor"] = anchor
        case(a, "verify", f"audit-verify-{cid}", "audit_verify_chain", fields, ok(expected), note=note)

    def broken(index, seq, problem, checked=None):
        return {"valid": False, "checked": checked if checked is not None else index + 1,
                "broken": {"index": index, "seq": seq, "problem": problem}}

    V("intact", [c1, c2, c3], {"valid": True, "checked": 3})
    V("empty", [], {"valid": True, "checked": 0})
    edited = {**c2, "action": "scim.user.deleted"}
    V("edited-content", [c1, edited, c3], broken(1, 1, "edited"), note="the action changed after chaining")
    V("edited-and-rehashed", [c1, chained({**e2, "action": "x.y"}, 1, c1["hash"]), c3], broken(2, 2, "unlinked"),
      note="re-hashing an edited event breaks the next link")
    V("gap", [c1, c3], broken(1, 2, "gap"), note="the event with seq 1 is missing")
    V("reordered", [c1, c3, c2], broken(1, 2, "reordered"))
    V("duplicate", [c1, c2, c2], broken(2, 1, "reordered"))
    V("unlinked", [c1, chained(e2, 1, "f" * 64)], broken(1, 1, "unlinked"))
    V("run-must-start-at-genesis", [c2, c3], broken(0, 1, "bad_start"))
    V("anchored-run", [c2, c3], {"valid": True, "checked": 2}, anchor={"seq": 0, "hash": c1["hash"]},
      note="a run verified from the last checked event")
    V("wrong-anchor", [c2, c3], broken(0, 1, "bad_start"), anchor={"seq": 0, "hash": "e" * 64})
    other = log(event("evt_g", org_id="org_globex"))[0]
    V("other-org-in-run", [c1, {**other, "seq": 1}], broken(1, 1, "wrong_org"))

    def X(cid, fields, expected, note=None):
        case(a, "export", f"audit-export-{cid}", "audit_export", fields, expected, note=note)

    X("jsonl", {"events": [c1, c2], "format": "jsonl"},
      ok("".join(json.dumps(c, ensure_ascii=False, separators=(",", ":")) + "\n" for c in [c1, c2])),
      note="one object per line, fields in schema order")
    header = ("seq,id,occurred_at,org_id,action,version,outcome,actor_type,actor_id,actor_display,targets,ip,"
              "user_agent,request_id,prev_hash,hash\r\n")
    row = lambda c: ",".join([str(c["seq"]), c["id"], "2027-01-15T08:00:00Z", c["org_id"], c["action"], "1",
                              c["outcome"], "user", "u_ann", "Ann Admin", "sso_connection:conn_acme", "203.0.113.7",
                              "Mozilla/5.0", "req-1", c["prev_hash"], c["hash"]]) + "\r\n"
    X("csv", {"events": [c1, c2], "format": "csv"}, ok(header + row(c1) + row(c2)))
    tricky = log(event("evt_t", actor={"type": "user", "id": "u_eve", "display": "=HYPERLINK(\"x\"),\"Eve\""}))[0]
    X("csv-quoting-and-formulas", {"events": [tricky], "format": "csv"},
      ok(header + ",".join(["0", "evt_t", "2027-01-15T08:00:00Z", "org_acme", "org.sso_connection.updated", "1",
                            "success", "user", "u_eve", '"\'=HYPERLINK(""x""),""Eve"""',
                            "sso_connection:conn_acme", "203.0.113.7", "Mozilla/5.0", "req-1", GENESIS,
                            tricky["hash"]]) + "\r\n"),
      note="RFC 4180 quoting; a leading = is neutralised against spreadsheet formula injection")
    X("cloudevents", {"events": [c1], "format": "cloudevents", "source": "https://api.acme.test/audit"},
      ok([{"specversion": "1.0", "id": "evt_1", "source": "https://api.acme.test/audit",
           "type": "dev.orgkit.audit.org.sso_connection.updated", "subject": "org_acme",
           "time": "2027-01-15T08:00:00Z", "datacontenttype": "application/json",
           "dataschema": "urn:orgkit:audit:org.sso_connection.updated:v1", "data": c1}]))
    X("cloudevents-needs-source", {"events": [c1], "format": "cloudevents"}, err("invalid_input", path="source"))
    X("unknown-format", {"events": [c1], "format": "xml"}, err("invalid_input"))


def build_query(case, ok, err, org, small_dir):
    a, f = "audit", "query"
    directory = small_dir(
        orgs=[org("org_acme", "acme", "Acme", []), org("org_globex", "globex", "Globex", [])],
        users=[{"id": "u_ann", "email": "ann@acme.com"}, {"id": "u_bob", "email": "bob@acme.com"}],
        memberships=[{"user_id": "u_ann", "org_id": "org_acme", "roles": ["admin"], "status": "active"},
                     {"user_id": "u_bob", "org_id": "org_acme", "roles": ["member"], "status": "active"}])
    now = 1_800_000_000

    def grant(org_id, gid="grant_1", actions=("audit.read",), expires_at=now + 3600):
        return {"id": gid, "staff_id": "s_1", "org_id": org_id, "reason": "ticket 4711", "actions": list(actions),
                "expires_at": expires_at}

    def caller(principal, active_org, grants=()):
        return {"principal": principal, "active_org": active_org, "grants": list(grants), "now": now,
                "event_id": "evt_q"}

    def Q(cid, c, query, expected, dialect=None, note=None):
        fields = {"directory": directory, "caller": c, "query": query}
        if dialect:
            fields["dialect"] = dialect
        case(a, f, f"audit-query-{cid}", "audit_query", fields, expected, note=note)

    def queried(active_org, actor, orgs, query, cross_org):
        return {"id": "evt_q", "org_id": active_org, "action": "audit.log.queried", "version": 1, "occurred_at": now,
                "actor": actor, "targets": [{"type": "audit_log", "id": o} for o in orgs], "context": {},
                "outcome": "success", "metadata": {"query": query, "cross_org": cross_org}}

    ann = {"user": "u_ann"}
    query = {"orgs": ["org_acme"], "from": 1_700_000_000, "to": now, "actions": ["scim.*", "authz.decision"],
             "actors": ["u_ann"], "limit": 50}
    Q("admin-reads-own-org", caller(ann, "org_acme"), query,
      ok({"sql": {"sql": "org_id IN (?) AND occurred_at >= ? AND occurred_at < ? AND "
                         "(action LIKE ? ESCAPE '\\' OR action = ?) AND actor_id IN (?)",
                  "params": ["org_acme", 1_700_000_000, now, "scim.%", "authz.decision", "u_ann"]},
          "order_and_limit": "ORDER BY org_id, seq LIMIT 50",
          "event": queried("org_acme", {"type": "user", "id": "u_ann"}, ["org_acme"], query, False)}),
      note="audit.read is an admin permission; the query itself is audited")
    q_pg = {"orgs": ["org_acme"], "targets": ["u_bob", "conn_1"], "outcomes": ["deny", "failure"], "after_seq": 41}
    Q("postgres-targets-outcomes-paging", caller(ann, "org_acme"), q_pg,
      ok({"sql": {"sql": "org_id IN ($1) AND EXISTS (SELECT 1 FROM audit_event_targets t WHERE "
                         "t.org_id = audit_events.org_id AND t.seq = audit_events.seq AND t.target_id IN ($2, $3)) "
                         "AND outcome IN ($4, $5) AND seq > $6",
                  "params": ["org_acme", "u_bob", "conn_1", "deny", "failure", 41]},
          "order_and_limit": "ORDER BY org_id, seq LIMIT 100",
          "event": queried("org_acme", {"type": "user", "id": "u_ann"}, ["org_acme"], {**q_pg, "limit": 100},
                           False)}),
      dialect="postgres")
    Q("member-refused", caller({"user": "u_bob"}, "org_acme"), {"orgs": ["org_acme"]},
      err("forbidden", path="query.orgs"), note="members do not read the audit log")
    Q("admin-of-one-org-cannot-read-another", caller(ann, "org_acme"), {"orgs": ["org_acme", "org_globex"]},
      err("forbidden", path="query.orgs"), note="cross-org reads need an explicit grant")
    staff = {"staff": "s_1"}
    both = {"orgs": ["org_acme", "org_globex"], "actions": ["support.*"]}
    Q("staff-with-grants-reads-across-orgs", caller(staff, "org_globex", [grant("org_globex"),
                                                                          grant("org_acme", "grant_2")]), both,
      ok({"sql": {"sql": "org_id IN (?, ?) AND (action LIKE ? ESCAPE '\\')",
                  "params": ["org_acme", "org_globex", "support.%"]},
          "order_and_limit": "ORDER BY org_id, seq LIMIT 100",
          "event": queried("org_globex", {"type": "staff", "id": "s_1"}, ["org_acme", "org_globex"],
                           {**both, "limit": 100}, True)}),
      note="a support grant per org read; the cross-org query is itself audited")
    Q("staff-grant-missing-for-one-org", caller(staff, "org_globex", [grant("org_globex")]), both,
      err("forbidden", path="query.orgs"))
    Q("staff-grant-expired", caller(staff, "org_globex", [grant("org_globex", expires_at=now - 1)]),
      {"orgs": ["org_globex"]}, err("forbidden", path="query.orgs"))
    Q("staff-grant-other-scope", caller(staff, "org_globex", [grant("org_globex", actions=("users.read",))]),
      {"orgs": ["org_globex"]}, err("forbidden", path="query.orgs"))
    Q("no-orgs", caller(ann, "org_acme"), {"orgs": []}, err("invalid_value", reason="org_count", path="query.orgs"))
    Q("bad-action", caller(ann, "org_acme"), {"orgs": ["org_acme"], "actions": ["SCIM.user"]},
      err("invalid_value", reason="bad_action", path="query.actions[0]"))
    Q("empty-range", caller(ann, "org_acme"), {"orgs": ["org_acme"], "from": now, "to": now},
      err("invalid_value", reason="empty_range", path="query.to"))
    Q("limit-too-large", caller(ann, "org_acme"), {"orgs": ["org_acme"], "limit": 5000},
      err("invalid_value", reason="bad_limit", path="query.limit"))
    Q("paging-needs-one-org", caller(staff, "org_globex"), {"orgs": ["org_acme", "org_globex"], "after_seq": 3},
      err("invalid_value", reason="seq_needs_one_org", path="query.after_seq"))
    Q("unknown-field", caller(ann, "org_acme"), {"orgs": ["org_acme"], "where": "1=1"}, err("invalid_input"))


def build_changes(case, ok, err, org, small_dir):
    """Audit events of directory changes (apply_changes with `audit`), hand-written per the table
    in core/src/audit/changes.rs."""
    now = 1_800_000_000
    oidc = {"issuer": "https://login.acme-idp.test", "client_id": "acme"}
    conn = {"id": "conn_a", "protocol": "oidc", "status": "active", "oidc": oidc}
    directory = small_dir(
        [org("org_acme", "acme", "Acme", [("acme.com", "verified", False)], [conn]),
         org("org_beta", "beta", "Beta", [])],
        [{"id": "u_ann", "email": "ann@acme.com", "name": "Ann"}, {"id": "u_bob", "email": "bob@acme.com"}],
        [{"user_id": "u_ann", "org_id": "org_acme", "roles": ["admin"], "status": "active"},
         {"user_id": "u_ann", "org_id": "org_beta", "roles": ["member"], "status": "active"},
         {"user_id": "u_bob", "org_id": "org_acme", "roles": ["member"], "status": "active"}])
    actor = {"type": "user", "id": "u_ann", "display": "Ann"}
    audit = {"actor": actor, "now": now, "event_id_prefix": "req-7", "audit_context": {"ip": "203.0.113.5"}}

    def ev(n, org_id, action, target, metadata):
        return {"id": f"req-7-{n}", "org_id": org_id, "action": action, "version": 1, "occurred_at": now,
                "actor": actor, "targets": [{"type": target[0], "id": target[1]}], "context": {"ip": "203.0.113.5"},
                "outcome": "success", "metadata": metadata}

    def stats(**over):
        out = {"version": 2, "orgs": 2, "domains": 1, "connections": 1, "users": 2, "memberships": 3,
               "quarantined_orgs": 0}
        out.update(over)
        return out

    def C(cid, changes, expected, note=None, a=audit):
        case("audit", "changes", f"change-events-{cid}", "apply_changes",
             {"directory": directory, "changes": {"schema_version": 1, "changes": changes}, "audit": a},
             expected, note)

    C("admin-batch", [
        {"op": "upsert_domain", "org_id": "org_acme",
         "domain": {"domain": "Acme.IO", "verification": "pending"}},
        {"op": "upsert_connection", "org_id": "org_acme", "connection": {**conn, "status": "disabled"}},
        {"op": "upsert_membership", "membership": {"user_id": "u_bob", "org_id": "org_acme",
                                                   "roles": ["admin"], "status": "active"}},
        {"op": "remove_membership", "user_id": "u_ann", "org_id": "org_beta"},
    ], ok({**stats(domains=2, memberships=2), "events": [
        ev(1, "org_acme", "org.domain.added", ("domain", "acme.io"),
           {"fields": ["domain", "include_subdomains", "verification"], "verification": "pending"}),
        ev(2, "org_acme", "org.sso_connection.updated", ("sso_connection", "conn_a"),
           {"fields": ["status"], "status": "disabled"}),
        ev(3, "org_acme", "org.member.updated", ("user", "u_bob"),
           {"roles": ["admin"], "status": "active", "previous": {"roles": ["member"], "status": "active"}}),
        ev(4, "org_beta", "org.member.removed", ("user", "u_ann"),
           {"previous": {"roles": ["member"], "status": "active"}}),
    ]}), "one event per change, in order; fields are names, never values")
    C("new-org-user-and-member", [
        {"op": "upsert_org", "org": org("org_new", "new", "New", [])},
        {"op": "upsert_user", "user": {"id": "u_cy", "email": "cy@new.test"}},
        {"op": "upsert_membership", "membership": {"user_id": "u_cy", "org_id": "org_new", "roles": ["owner"],
                                                   "status": "invited"}},
    ], ok({**stats(orgs=3, users=3, memberships=4), "events": [
        ev(1, "org_new", "org.created", ("organization", "org_new"),
           {"fields": ["domains", "feature_flags", "id", "name", "require_sso", "roles", "slug", "sso_connections",
                       "status"]}),
        ev(2, "org_new", "user.created", ("user", "u_cy"), {"fields": ["email", "id"]}),
        ev(3, "org_new", "org.member.added", ("user", "u_cy"), {"roles": ["owner"], "status": "invited"}),
    ]}), "a new user's event goes to the log of each org it belongs to after the batch")
    C("user-renamed-in-each-org", [
        {"op": "upsert_user", "user": {"id": "u_ann", "email": "ann@acme.com", "name": "Ann Smith"}},
    ], ok({**stats(), "events": [
        ev(1, "org_acme", "user.updated", ("user", "u_ann"), {"fields": ["name"]}),
        ev(2, "org_beta", "user.updated", ("user", "u_ann"), {"fields": ["name"]}),
    ]}))
    C("org-updated-and-removed", [
        {"op": "upsert_org", "org": org("org_beta", "beta", "Beta Ltd", [])},
        {"op": "remove_org", "org_id": "org_acme"},
    ], ok({**stats(orgs=1, domains=0, connections=0, memberships=1), "events": [
        ev(1, "org_beta", "org.updated", ("organization", "org_beta"), {"fields": ["name"]}),
        ev(2, "org_acme", "org.deleted", ("organization", "org_acme"), {}),
    ]}))
    C("domain-and-connection-removed", [
        {"op": "remove_connection", "org_id": "org_acme", "connection_id": "conn_a"},
        {"op": "remove_domain", "org_id": "org_acme", "domain": "ACME.com"},
    ], ok({**stats(domains=0, connections=0), "events": [
        ev(1, "org_acme", "org.sso_connection.deleted", ("sso_connection", "conn_a"),
           {"fields": ["domains", "id", "oidc", "protocol", "status"]}),
        ev(2, "org_acme", "org.domain.removed", ("domain", "acme.com"),
           {"fields": ["domain", "include_subdomains", "verification"]}),
    ]}))
    C("failed-batch-has-no-events", [
        {"op": "upsert_domain", "org_id": "org_acme", "domain": {"domain": "gmail.com", "verification": "verified"}},
    ], err("invalid_change"), "all or nothing: a refused batch yields an error, not events")
    C("empty-prefix", [], err("invalid_value", path="audit.event_id_prefix"), a={**audit, "event_id_prefix": ""})
    C("unknown-audit-field", [], err("invalid_input"), a={**audit, "severity": "high"})
