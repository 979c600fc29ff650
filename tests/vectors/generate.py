#!/usr/bin/env python3
"""Writes the conformance vectors under tests/vectors/<area>/*.jsonl.

Every expected value below is written by hand from the rules in the core's docs: this script
only inlines the shared fixture directories so each JSON line stays self-contained. Run it after
editing a case; `--check` (run in CI) fails when the committed files differ from its output.
"""
import json
import sys
from pathlib import Path

import scim_cases as scim_vectors
import scim_write_cases as scim_write_vectors
import audit_cases as audit_vectors
import session_cases as session_vectors
import branding_cases as branding_vectors
import sql_cases as sql_vectors
import sql_list_cases as sql_list_vectors

ROOT = Path(__file__).resolve().parent

# ---------------------------------------------------------------- fixture directory

SAML = {"idp_entity_id": "https://idp.example.net/acme", "sso_url": "https://idp.example.net/acme/sso"}
OIDC = {"issuer": "https://login.globex-idp.net", "client_id": "globex-app", "client_secret_ref": "vault:globex/oidc"}


def conn(cid, protocol, status="active", domains=None):
    c = {"id": cid, "protocol": protocol, "status": status}
    if domains is not None:
        c["domains"] = domains
    c[protocol] = SAML if protocol == "saml" else OIDC
    return c


def org(oid, slug, name, domains, connections=(), require_sso=False, status=None, **extra):
    o = {"id": oid, "name": name, "slug": slug,
         "domains": [{"domain": d, "verification": v, "include_subdomains": s} for d, v, s in domains],
         "sso_connections": list(connections), "require_sso": require_sso}
    if status:
        o["status"] = status
    o.update(extra)
    return o


ORGS = [
    org("org_acme", "acme", "Acme Corp",
        [("acme.com", "verified", True), ("acme.io", "verified", False), ("acme-pending.com", "pending", False)],
        [conn("conn_acme_saml", "saml"), conn("conn_acme_oidc", "oidc", "draft")], require_sso=True,
        branding={"logo_url": "https://cdn.acme.com/logo.svg", "primary_color": "#ff6600"},
        roles=[{"key": "auditor", "permissions": ["audit.read", "sso.read"]}],
        feature_flags={"audit_export": True, "seats": 250}),
    org("org_acmelabs", "acme-labs", "Acme Labs", [("labs.acme.com", "verified", False)],
        [conn("conn_labs_oidc", "oidc")]),
    org("org_globex", "globex", "Globex",
        [("globex.com", "verified", False), ("globex.net", "verified", False), ("globex.org", "failed", False)],
        [conn("conn_globex_oidc", "oidc", domains=["globex.com"]), conn("conn_globex_saml", "saml", "disabled")]),
    org("org_initech", "initech", "Initech", [("initech.com", "verified", True), ("pending.acme.com", "pending", True)]),
    org("org_umbrella", "umbrella", "Umbrella", [("umbrella.com", "verified", False)],
        [conn("conn_umbrella_saml", "saml", "disabled")], require_sso=True),
    org("org_hooli", "hooli", "Hooli", [("hooli.com", "verified", False), ("partners.com", "verified", False)],
        [conn("conn_hooli_saml", "saml")], status="disabled"),
    org("org_stark", "stark", "Stark Industries",
        [("stark.com", "verified", False), ("partners.com", "verified", False)], [conn("conn_stark_saml", "saml")],
        require_sso=True),
    org("org_wayne", "wayne", "Wayne Enterprises",
        [("wayne.com", "verified", False), ("partners.com", "verified", False)], [conn("conn_wayne_oidc", "oidc")]),
    org("org_buecher", "buecher", "Bücher GmbH", [("bücher.de", "verified", True)], [conn("conn_buecher_saml", "saml")]),
    org("org_cyber", "cyber", "Cyberdyne", [("cyberdyne.co.uk", "verified", False)],
        [conn("conn_cyber_saml", "saml", "active")]),
]

USERS = [
    {"id": "u_alice", "email": "Alice@Acme.com", "name": "Alice"},
    {"id": "u_bob", "email": "bob@globex.com"},
    {"id": "u_carol", "email": "carol@consulting.net", "name": "Carol (consultant)"},
]

MEMBERSHIPS = [
    {"user_id": "u_alice", "org_id": "org_acme", "roles": ["admin", "auditor"], "status": "active",
     "joined_at": "2026-01-05T09:00:00Z", "authenticated_via": "conn_acme_saml"},
    {"user_id": "u_bob", "org_id": "org_globex", "roles": ["member"], "status": "invited"},
    {"user_id": "u_carol", "org_id": "org_acme", "roles": ["viewer"], "status": "active"},
    {"user_id": "u_carol", "org_id": "org_globex", "roles": ["admin"], "status": "suspended"},
]

BASE = {"schema_version": 1, "orgs": ORGS, "users": USERS, "memberships": MEMBERSHIPS}
ORG_BY_ID = {o["id"]: o for o in ORGS}


def ref(oid):
    o = ORG_BY_ID[oid]
    return {"id": o["id"], "slug": o["slug"], "name": o["name"], "require_sso": o["require_sso"]}


def with_dir(fields, directory=BASE):
    return {"directory": directory, **fields}

# ---------------------------------------------------------------- expected-value helpers


def ok(value):
    return {"ok": value}


def err(code, **fields):
    return {"error": {"code": code, **fields}}


def email_ok(email, local, domain, unicode=None):
    return ok({"email": email, "local": local, "domain": domain, "domain_unicode": unicode or domain})


def decision(kind, email, domain, reasons, matched=None, org_id=None, connection=None, candidates=None,
             sso_required=False):
    d = {"decision": kind, "email": email, "domain": domain}
    if matched:
        d["matched_domain"] = matched
    if org_id:
        d["org"] = org_id if isinstance(org_id, dict) else ref(org_id)
    if connection:
        d["connection"] = {"id": connection[0], "protocol": connection[1]}
        d["login_hint"] = email
    if candidates:
        d["candidates"] = [ref(c) for c in candidates]
    d["sso_required"] = sso_required
    d["reasons"] = reasons
    return ok(d)


# ---------------------------------------------------------------- cases

FILES = {}


def case(area, file, cid, op, input, expected, note=None):
    line = {"id": cid, "op": op, "input": input, "expected": expected}
    if note:
        line = {"id": cid, "note": note, "op": op, "input": input, "expected": expected}
    FILES.setdefault((area, file), []).append(line)


def email_cases():
    a, f = "normalize", "email"
    good = [
        ("plain", "alice@acme.com", "alice@acme.com", "alice", "acme.com"),
        ("uppercase-folded", "Alice@ACME.COM", "alice@acme.com", "alice", "acme.com"),
        ("trimmed", "  alice@acme.com\t\n", "alice@acme.com", "alice", "acme.com"),
        ("trailing-root-dot", "alice@acme.com.", "alice@acme.com", "alice", "acme.com"),
        ("plus-tag", "alice+sso@acme.com", "alice+sso@acme.com", "alice+sso", "acme.com"),
        ("atext-symbols", "o'brien!#$%&*=?^_`{|}~-/@acme.com", "o'brien!#$%&*=?^_`{|}~-/@acme.com",
         "o'brien!#$%&*=?^_`{|}~-/", "acme.com"),
        ("dots-in-local", "first.last@acme.com", "first.last@acme.com", "first.last", "acme.com"),
        ("subdomain", "ops@eu.west.acme.com", "ops@eu.west.acme.com", "ops", "eu.west.acme.com"),
        ("quoted-simple-unquoted", "\"alice\"@acme.com", "alice@acme.com", "alice", "acme.com"),
        ("quoted-space-kept", "\"alice smith\"@acme.com", "\"alice smith\"@acme.com", "\"alice smith\"", "acme.com"),
        ("quoted-at-sign-kept", "\"alice@evil.com\"@acme.com", "\"alice@evil.com\"@acme.com", "\"alice@evil.com\"",
         "acme.com"),
        ("quoted-escaped-quote", "\"a\\\"b\"@acme.com", "\"a\\\"b\"@acme.com", "\"a\\\"b\"", "acme.com"),
        ("quoted-escape-dropped", "\"\\a\\b\"@acme.com", "ab@acme.com", "ab", "acme.com"),
        ("quoted-double-dot-kept", "\"a..b\"@acme.com", "\"a..b\"@acme.com", "\"a..b\"", "acme.com"),
        ("utf8-local", "JÖRG@acme.com", "jörg@acme.com", "jörg", "acme.com"),
        ("utf8-local-nfc", "jo\u0308rg@acme.com", "jörg@acme.com", "jörg", "acme.com"),
        ("digits-domain", "a@123.example.com", "a@123.example.com", "a", "123.example.com"),
        ("hyphen-domain", "a@my-company.co.uk", "a@my-company.co.uk", "a", "my-company.co.uk"),
        ("label-63", "a@" + "b" * 63 + ".com", "a@" + "b" * 63 + ".com", "a", "b" * 63 + ".com"),
        ("local-64", "l" * 64 + "@acme.com", "l" * 64 + "@acme.com", "l" * 64, "acme.com"),
    ]
    for cid, inp, email, local, domain in good:
        case(a, f, f"email-{cid}", "normalize_email", {"email": inp}, email_ok(email, local, domain))
    idn = [
        ("idn-unicode", "user@bücher.de"), ("idn-uppercase", "user@BÜCHER.DE"), ("idn-punycode", "user@xn--bcher-kva.de"),
        ("idn-punycode-upper", "user@XN--BCHER-KVA.DE"), ("idn-fullwidth-dot", "user@bücher\u3002de"),
    ]
    for cid, inp in idn:
        case(a, f, f"email-{cid}", "normalize_email", {"email": inp},
             email_ok("user@xn--bcher-kva.de", "user", "xn--bcher-kva.de", "bücher.de"))
    case(a, f, "email-idn-japanese", "normalize_email", {"email": "taro@例え.jp"},
         email_ok("taro@xn--r8jz45g.jp", "taro", "xn--r8jz45g.jp", "例え.jp"))
    case(a, f, "email-idn-cyrillic-tld", "normalize_email", {"email": "ivan@правительство.рф"},
         email_ok("ivan@xn--80aealotwbjpid2k.xn--p1ai", "ivan", "xn--80aealotwbjpid2k.xn--p1ai", "правительство.рф"))
    case(a, f, "email-idn-sharp-s-nontransitional", "normalize_email", {"email": "a@straße.de"},
         email_ok("a@xn--strae-oqa.de", "a", "xn--strae-oqa.de", "straße.de"))
    case(a, f, "email-fullwidth-letters", "normalize_email", {"email": "a@ＡＣＭＥ.com"},
         email_ok("a@acme.com", "a", "acme.com"))
    bad = [
        ("empty", "", "empty"), ("blank", "   ", "empty"), ("no-at", "alice.acme.com", "missing_at"),
        ("only-at", "@", "empty_local_part"), ("no-local", "@acme.com", "empty_local_part"),
        ("no-domain", "alice@", "empty"), ("two-at", "a@b@acme.com", "invalid_local_part"),
        ("display-name", "Alice <alice@acme.com>", "invalid_local_part"),
        ("angle-only", "<alice@acme.com>", "invalid_local_part"),
        ("comment", "alice(work)@acme.com", "invalid_local_part"),
        ("leading-dot", ".alice@acme.com", "invalid_local_part"), ("trailing-dot-local", "alice.@acme.com", "invalid_local_part"),
        ("double-dot-local", "a..b@acme.com", "invalid_local_part"), ("space-in-local", "ali ce@acme.com", "invalid_local_part"),
        ("comma", "a,b@acme.com", "invalid_local_part"), ("obsolete-mixed-quote", "\"a\".b@acme.com", "invalid_local_part"),
        ("quote-then-text", "\"a\"b@acme.com", "invalid_local_part"),
        ("unterminated-quote", "\"alice@acme.com", "unterminated_quote"),
        ("quoted-at-no-split", "\"alice@acme.com\"", "missing_at"),
        ("local-65", "l" * 65 + "@acme.com", "local_part_too_long"),
        ("address-255", "a" * 64 + "@" + ".".join(["b" * 60] * 3) + ".ccccccc", "too_long"),
        ("input-over-1024", "a@" + "b" * 1100 + ".com", "too_long"),
        ("domain-literal-ipv4", "alice@[192.0.2.1]", "domain_literal"),
        ("domain-literal-ipv6", "alice@[IPv6:2001:db8::1]", "domain_literal"),
        ("ip-domain", "alice@192.0.2.1", "numeric_tld"),
        ("nul", "alice\u0000@acme.com", "control_character"), ("nul-in-domain", "alice@acme\u0000.com", "control_character"),
        ("newline-inside", "alice\n@acme.com", "control_character"), ("tab-inside", "ali\tce@acme.com", "control_character"),
        ("del", "alice\u007f@acme.com", "control_character"), ("c1-control", "alice\u0085@acme.com", "control_character"),
        ("nul-in-quotes", "\"a\u0000b\"@acme.com", "control_character"),
        ("zero-width-space", "alice@ac\u200bme.com", "invisible_character"),
        ("zero-width-joiner-local", "ali\u200dce@acme.com", "invisible_character"),
        ("rtl-override", "alice@\u202emoc.emca", "invisible_character"),
        ("bom", "\ufeffalice@acme.com", "invisible_character"), ("soft-hyphen", "alice@ac\u00adme.com", "invisible_character"),
        ("tag-character", "alice@acme.com\U000e0041", "invisible_character"),
        ("space-in-domain", "alice@ac me.com", "whitespace"), ("single-label", "alice@localhost", "single_label"),
        ("underscore-domain", "alice@acme_corp.com", "invalid_character"),
        ("leading-hyphen-label", "alice@-acme.com", "hyphen_position"), ("double-dot-domain", "alice@acme..com", "empty_label"),
        ("label-64", "a@" + "b" * 64 + ".com", "label_too_long"),
        ("homoglyph-cyrillic-a", "alice@\u0430cme.com", "mixed_script"),
        ("whole-script-confusable", "alice@\u0430\u0440\u0440\u04cf\u0435.com", "confusable"),
        ("punycode-mixed-script", "alice@xn--pple-43d.com", "mixed_script"),
        ("greek-omicron", "alice@g\u03bfogle.com", "mixed_script"),
        ("latin-alpha-restricted", "alice@\u0251cme.com", "restricted_character"),
        ("dotless-i-confusable", "alice@\u0131bm.com", "confusable"),
        ("bad-punycode", "alice@xn--zz-zzzzzzzzzzzz.com", "idna"),
        ("emoji-domain", "alice@\U0001F600.com", "restricted_character"),
        ("slash-in-domain", "alice@acme.com/evil", "invalid_character"),
    ]
    for cid, inp, reason in bad:
        case(a, f, f"email-bad-{cid}", "normalize_email", {"email": inp}, err("invalid_email", reason=reason))
    case(a, f, "email-bad-type", "normalize_email", {"email": 42}, err("invalid_input", path="email"))
    case(a, f, "email-bad-missing-field", "normalize_email", {}, err("invalid_input"))
    case(a, f, "email-bad-extra-field", "normalize_email", {"email": "a@acme.com", "tenant": "x"}, err("invalid_input"))


def domain_cases():
    a, f = "normalize", "domain"

    def info(domain, unicode=None, consumer=False, public_suffix=False):
        return ok({"domain": domain, "unicode": unicode or domain, "consumer": consumer, "public_suffix": public_suffix})

    good = [
        ("ascii", "acme.com", info("acme.com")), ("upper", "ACME.Com", info("acme.com")),
        ("root-dot", "acme.com.", info("acme.com")), ("trimmed", " acme.com ", info("acme.com")),
        ("unicode", "bücher.de", info("xn--bcher-kva.de", "bücher.de")),
        ("punycode", "xn--bcher-kva.de", info("xn--bcher-kva.de", "bücher.de")),
        ("consumer-gmail", "gmail.com", info("gmail.com", consumer=True)),
        ("consumer-gmail-upper", "GMail.com", info("gmail.com", consumer=True)),
        ("consumer-subdomain", "eu.gmail.com", info("eu.gmail.com", consumer=True)),
        ("consumer-outlook", "outlook.com", info("outlook.com", consumer=True)),
        ("consumer-proton", "proton.me", info("proton.me", consumer=True)),
        ("not-consumer-lookalike", "gmail.com.evil.com", info("gmail.com.evil.com")),
        ("not-consumer-suffix-lookalike", "notgmail.com", info("notgmail.com")),
        ("public-suffix-co-uk", "co.uk", info("co.uk", public_suffix=True)),
        ("public-suffix-wildcard", "anything.ck", info("anything.ck", public_suffix=True)),
        ("public-suffix-exception", "www.ck", info("www.ck")),
        ("registrable-under-suffix", "acme.co.uk", info("acme.co.uk")),
        ("public-suffix-idn", "xn--55qx5d.hk", info("xn--55qx5d.hk", "公司.hk", public_suffix=True)),
    ]
    for cid, inp, exp in good:
        case(a, f, f"domain-{cid}", "normalize_domain", {"domain": inp}, exp)
    bad = [
        ("empty", "", "empty"), ("single-label", "com", "single_label"), ("numeric", "1.2.3.4", "numeric_tld"),
        ("leading-dot", ".acme.com", "empty_label"), ("trailing-hyphen", "acme-.com", "hyphen_position"),
        ("at-sign", "alice@acme.com", "invalid_character"), ("port", "acme.com:443", "invalid_character"),
        ("too-long", ".".join(["a" * 63] * 4), "domain_too_long"),
        ("nul", "acme.com\u0000", "control_character"), ("zwj", "ac\u200dme.com", "invisible_character"),
        ("mixed-script", "p\u0430ypal.com", "mixed_script"),
        ("confusable", "\u0440\u0430\u0443\u0440\u0430\u04cf.com", "confusable"),
        ("hyphen-34", "ab--cd.com", "idna"),
    ]
    for cid, inp, reason in bad:
        case(a, f, f"domain-bad-{cid}", "normalize_domain", {"domain": inp}, err("invalid_domain", reason=reason))
    ext = {"directory": {"schema_version": 1}, "options": {"extra_consumer_domains": ["Mail.ISP-Example.net"]}}
    case(a, f, "domain-host-extended-consumer", "normalize_domain", {**ext, "domain": "mail.isp-example.net"},
         info("mail.isp-example.net", consumer=True))
    case(a, f, "domain-host-extended-consumer-subdomain", "normalize_domain", {**ext, "domain": "x.mail.isp-example.net"},
         info("x.mail.isp-example.net", consumer=True))


def route_cases():
    a, f = "routing", "route"
    R = lambda cid, email, exp, note=None: case(a, f, f"route-{cid}", "route", with_dir({"email": email}), exp, note)
    R("sso-exact", "alice@acme.com", decision("sso", "alice@acme.com", "acme.com",
      ["verified_domain", "connection_active", "sso_required"], "acme.com", "org_acme", ("conn_acme_saml", "saml"),
      sso_required=True))
    R("sso-normalised-input", "  ALICE@Acme.COM. ", decision("sso", "alice@acme.com", "acme.com",
      ["verified_domain", "connection_active", "sso_required"], "acme.com", "org_acme", ("conn_acme_saml", "saml"),
      sso_required=True))
    R("sso-subdomain-included", "bob@eu.acme.com", decision("sso", "bob@eu.acme.com", "eu.acme.com",
      ["verified_parent_domain", "connection_active", "sso_required"], "acme.com", "org_acme",
      ("conn_acme_saml", "saml"), sso_required=True))
    R("sso-deep-subdomain-included", "bob@a.b.c.acme.com", decision("sso", "bob@a.b.c.acme.com", "a.b.c.acme.com",
      ["verified_parent_domain", "connection_active", "sso_required"], "acme.com", "org_acme",
      ("conn_acme_saml", "saml"), sso_required=True))
    R("sso-second-domain", "x@acme.io", decision("sso", "x@acme.io", "acme.io",
      ["verified_domain", "connection_active", "sso_required"], "acme.io", "org_acme", ("conn_acme_saml", "saml"),
      sso_required=True))
    R("subdomain-not-included", "x@eu.acme.io", decision("default_login", "x@eu.acme.io", "eu.acme.io",
      ["no_org_for_domain"]), "acme.io does not include subdomains")
    R("most-specific-wins", "x@labs.acme.com", decision("sso", "x@labs.acme.com", "labs.acme.com",
      ["verified_domain", "connection_active"], "labs.acme.com", "org_acmelabs", ("conn_labs_oidc", "oidc")))
    R("most-specific-without-subdomains-falls-back", "x@eu.labs.acme.com", decision("sso", "x@eu.labs.acme.com",
      "eu.labs.acme.com", ["verified_parent_domain", "connection_active", "sso_required"], "acme.com", "org_acme",
      ("conn_acme_saml", "saml"), sso_required=True))
    R("unverified-specific-claim-ignored", "x@pending.acme.com", decision("sso", "x@pending.acme.com",
      "pending.acme.com", ["unverified_claim_ignored", "verified_parent_domain", "connection_active", "sso_required"],
      "acme.com", "org_acme", ("conn_acme_saml", "saml"), sso_required=True))
    R("unverified-subdomain-claim-ignored", "x@a.pending.acme.com", decision("sso", "x@a.pending.acme.com",
      "a.pending.acme.com", ["unverified_claim_ignored", "verified_parent_domain", "connection_active", "sso_required"],
      "acme.com", "org_acme", ("conn_acme_saml", "saml"), sso_required=True))
    R("pending-domain-never-routes", "x@acme-pending.com", decision("default_login", "x@acme-pending.com",
      "acme-pending.com", ["unverified_claim_ignored", "no_org_for_domain"]))
    R("failed-domain-never-routes", "x@globex.org", decision("default_login", "x@globex.org", "globex.org",
      ["unverified_claim_ignored", "no_org_for_domain"]))
    R("oidc-connection", "bob@globex.com", decision("sso", "bob@globex.com", "globex.com",
      ["verified_domain", "connection_active"], "globex.com", "org_globex", ("conn_globex_oidc", "oidc")))
    R("connection-scoped-to-other-domain", "bob@globex.net", decision("default_login", "bob@globex.net", "globex.net",
      ["verified_domain", "no_active_connection"], "globex.net", "org_globex"),
      "the only active connection serves globex.com; the disabled one never routes")
    R("org-without-connection", "x@initech.com", decision("default_login", "x@initech.com", "initech.com",
      ["verified_domain", "no_active_connection"], "initech.com", "org_initech"))
    R("org-without-connection-subdomain", "x@hq.initech.com", decision("default_login", "x@hq.initech.com",
      "hq.initech.com", ["verified_parent_domain", "no_active_connection"], "initech.com", "org_initech"))
    R("sso-required-no-active-connection-blocked", "x@umbrella.com", decision("blocked", "x@umbrella.com",
      "umbrella.com", ["verified_domain", "no_active_connection", "sso_required"], "umbrella.com", "org_umbrella",
      sso_required=True))
    R("disabled-org-blocked", "x@hooli.com", decision("blocked", "x@hooli.com", "hooli.com",
      ["verified_domain", "org_disabled"], "hooli.com", "org_hooli"))
    R("shared-domain-picker", "x@partners.com", decision("org_picker", "x@partners.com", "partners.com",
      ["verified_domain", "multiple_orgs", "disabled_org_skipped"], "partners.com", candidates=["org_stark", "org_wayne"]),
      "three orgs verify partners.com; the disabled one is left out; never a silent guess")
    R("idn-unicode", "anna@bücher.de", decision("sso", "anna@xn--bcher-kva.de", "xn--bcher-kva.de",
      ["verified_domain", "connection_active"], "xn--bcher-kva.de", "org_buecher", ("conn_buecher_saml", "saml")))
    R("idn-punycode", "anna@xn--bcher-kva.de", decision("sso", "anna@xn--bcher-kva.de", "xn--bcher-kva.de",
      ["verified_domain", "connection_active"], "xn--bcher-kva.de", "org_buecher", ("conn_buecher_saml", "saml")))
    R("idn-subdomain", "anna@shop.BÜCHER.de", decision("sso", "anna@shop.xn--bcher-kva.de", "shop.xn--bcher-kva.de",
      ["verified_parent_domain", "connection_active"], "xn--bcher-kva.de", "org_buecher", ("conn_buecher_saml", "saml")))
    R("co-uk-registrable", "x@cyberdyne.co.uk", decision("sso", "x@cyberdyne.co.uk", "cyberdyne.co.uk",
      ["verified_domain", "connection_active"], "cyberdyne.co.uk", "org_cyber", ("conn_cyber_saml", "saml")))
    R("suffix-lookalike-no-match", "x@acme.com.evil.com", decision("default_login", "x@acme.com.evil.com",
      "acme.com.evil.com", ["no_org_for_domain"]), "acme.com as a prefix of another domain is not acme.com")
    R("prefix-lookalike-no-match", "x@evilacme.com", decision("default_login", "x@evilacme.com", "evilacme.com",
      ["no_org_for_domain"]))
    R("hyphen-lookalike-no-match", "x@acme-com.com", decision("default_login", "x@acme-com.com", "acme-com.com",
      ["no_org_for_domain"]))
    R("tld-swap-no-match", "x@acme.co", decision("default_login", "x@acme.co", "acme.co", ["no_org_for_domain"]))
    R("consumer-gmail", "alice@gmail.com", decision("default_login", "alice@gmail.com", "gmail.com", ["consumer_domain"]))
    R("consumer-outlook-upper", "Alice@OUTLOOK.com", decision("default_login", "alice@outlook.com", "outlook.com",
      ["consumer_domain"]))
    R("consumer-googlemail", "a@googlemail.com", decision("default_login", "a@googlemail.com", "googlemail.com",
      ["consumer_domain"]))
    R("unknown-domain", "x@unknown-company.com", decision("default_login", "x@unknown-company.com",
      "unknown-company.com", ["no_org_for_domain"]))
    R("quoted-local-holding-claimed-domain", "\"x@acme.com\"@evil.com", decision("default_login",
      "\"x@acme.com\"@evil.com", "evil.com", ["no_org_for_domain"]), "the domain is what follows the last unquoted @")
    R("quoted-local-routes-by-real-domain", "\"x@evil.com\"@acme.com", decision("sso", "\"x@evil.com\"@acme.com",
      "acme.com", ["verified_domain", "connection_active", "sso_required"], "acme.com", "org_acme",
      ("conn_acme_saml", "saml"), sso_required=True))
    for cid, email, reason in [
        ("homoglyph-refused", "x@\u0430cme.com", "mixed_script"), ("zero-width-refused", "x@ac\u200bme.com", "invisible_character"),
        ("nul-refused", "x@acme.com\u0000", "control_character"), ("empty-refused", "", "empty"),
        ("two-at-refused", "x@acme.com@evil.com", "invalid_local_part"), ("oversized-refused", "x@" + "a" * 2000 + ".com", "too_long"),
        ("whole-script-confusable-refused", "x@\u0430\u0441\u0435.com", "confusable"),
        ("display-name-refused", "Alice <alice@acme.com>", "invalid_local_part"),
    ]:
        R(cid, email, err("invalid_email", reason=reason))
    case(a, f, "route-needs-directory", "route", {"email": "alice@acme.com"}, err("invalid_input", path="directory"))
    # Picker truncation and candidate order under a tiny limit.
    many = {"schema_version": 1, "orgs": [
        org(f"org_p{i}", f"p{i}", f"P{i}", [("joint.com", "verified", False)]) for i in (3, 1, 2)]}
    case(a, f, "route-picker-truncated", "route",
         {"directory": many, "options": {"limits": {"max_picker_candidates": 2}}, "email": "x@joint.com"},
         ok({"decision": "org_picker", "email": "x@joint.com", "domain": "joint.com", "matched_domain": "joint.com",
             "candidates": [{"id": "org_p1", "slug": "p1", "name": "P1", "require_sso": False},
                            {"id": "org_p2", "slug": "p2", "name": "P2", "require_sso": False}],
             "sso_required": False, "reasons": ["verified_domain", "multiple_orgs", "candidates_truncated"]}))
    # Host-extended consumer list: routing ignores it even if an org claimed it earlier? It cannot: load refuses.
    case(a, f, "route-host-consumer-domain", "route",
         {"directory": {"schema_version": 1}, "options": {"extra_consumer_domains": ["isp-mail.net"]},
          "email": "x@isp-mail.net"},
         ok({"decision": "default_login", "email": "x@isp-mail.net", "domain": "isp-mail.net", "sso_required": False,
             "reasons": ["consumer_domain"]}))
    # Connection order: the first active connection serving the domain wins.
    ordered = {"schema_version": 1, "orgs": [org("org_o", "o", "O", [("order.com", "verified", False)],
               [conn("c_draft", "saml", "draft"), conn("c_oidc", "oidc"), conn("c_saml", "saml")])]}
    case(a, f, "route-first-active-connection", "route", {"directory": ordered, "email": "x@order.com"},
         ok({"decision": "sso", "email": "x@order.com", "domain": "order.com", "matched_domain": "order.com",
             "org": {"id": "org_o", "slug": "o", "name": "O", "require_sso": False},
             "connection": {"id": "c_oidc", "protocol": "oidc"}, "login_hint": "x@order.com", "sso_required": False,
             "reasons": ["verified_domain", "connection_active"]}))


def assertion_cases():
    a, f = "routing", "assertion"

    def check(accepted, email, domain, reasons, matched=None):
        d = {"accepted": accepted, "email": email, "domain": domain}
        if matched:
            d["matched_domain"] = matched
        d["reasons"] = reasons
        return ok(d)

    C = lambda cid, inp, exp: case(a, f, f"assertion-{cid}", "check_assertion_email", with_dir(inp), exp)
    C("inside-verified", {"org_id": "org_acme", "email": "Alice@acme.com"},
      check(True, "alice@acme.com", "acme.com", ["verified_domain"], "acme.com"))
    C("inside-subdomain", {"org_id": "org_acme", "email": "a@eu.acme.com"},
      check(True, "a@eu.acme.com", "eu.acme.com", ["verified_parent_domain"], "acme.com"))
    C("outside-org", {"org_id": "org_acme", "email": "mallory@globex.com"},
      check(False, "mallory@globex.com", "globex.com", ["domain_not_in_org"]))
    C("consumer-outside", {"org_id": "org_acme", "email": "mallory@gmail.com"},
      check(False, "mallory@gmail.com", "gmail.com", ["domain_not_in_org"]))
    C("unverified-refused", {"org_id": "org_acme", "email": "a@acme-pending.com"},
      check(False, "a@acme-pending.com", "acme-pending.com", ["domain_unverified"]))
    C("subdomain-not-included", {"org_id": "org_acme", "email": "a@x.acme.io"},
      check(False, "a@x.acme.io", "x.acme.io", ["domain_not_in_org"]))
    C("lookalike-refused", {"org_id": "org_acme", "email": "a@acme.com.evil.com"},
      check(False, "a@acme.com.evil.com", "acme.com.evil.com", ["domain_not_in_org"]))
    C("other-org-subdomain-of-own", {"org_id": "org_acmelabs", "email": "a@acme.com"},
      check(False, "a@acme.com", "acme.com", ["domain_not_in_org"]))
    C("connection-serves", {"org_id": "org_globex", "connection_id": "conn_globex_oidc", "email": "b@globex.com"},
      check(True, "b@globex.com", "globex.com", ["verified_domain"], "globex.com"))
    C("connection-does-not-serve", {"org_id": "org_globex", "connection_id": "conn_globex_oidc", "email": "b@globex.net"},
      check(False, "b@globex.net", "globex.net", ["verified_domain", "domain_not_served_by_connection"], "globex.net"))
    C("connection-inactive", {"org_id": "org_globex", "connection_id": "conn_globex_saml", "email": "b@globex.com"},
      check(False, "b@globex.com", "globex.com", ["verified_domain", "connection_inactive"], "globex.com"))
    C("org-disabled", {"org_id": "org_hooli", "email": "a@hooli.com"},
      check(False, "a@hooli.com", "hooli.com", ["org_disabled"]))
    C("idn", {"org_id": "org_buecher", "email": "a@BÜCHER.de"},
      check(True, "a@xn--bcher-kva.de", "xn--bcher-kva.de", ["verified_domain"], "xn--bcher-kva.de"))
    C("unknown-org", {"org_id": "org_nope", "email": "a@acme.com"}, err("unknown_org", path="org_id"))
    C("connection-of-other-org", {"org_id": "org_acme", "connection_id": "conn_globex_oidc", "email": "a@acme.com"},
      err("unknown_connection", path="connection_id"))
    C("invalid-email", {"org_id": "org_acme", "email": "a@ac\u200bme.com"}, err("invalid_email", reason="invisible_character"))


def slug_cases():
    a, f = "routing", "slug"
    S = lambda cid, slug, exp: case(a, f, f"slug-{cid}", "org_by_slug", with_dir({"slug": slug}), exp)
    S("found-with-branding", "acme", ok({"id": "org_acme", "slug": "acme", "name": "Acme Corp", "status": "active",
      "require_sso": True, "branding": {"logo_url": "https://cdn.acme.com/logo.svg", "primary_color": "#ff6600"}}))
    S("case-insensitive", " ACME ", ok({"id": "org_acme", "slug": "acme", "name": "Acme Corp", "status": "active",
      "require_sso": True, "branding": {"logo_url": "https://cdn.acme.com/logo.svg", "primary_color": "#ff6600"}}))
    S("found-no-branding", "globex", ok({"id": "org_globex", "slug": "globex", "name": "Globex", "status": "active",
      "require_sso": False}))
    S("disabled-org", "hooli", ok({"id": "org_hooli", "slug": "hooli", "name": "Hooli", "status": "disabled",
      "require_sso": False}))
    S("unknown", "nope", err("unknown_org", path="slug"))
    S("id-is-not-slug", "org_acme", err("unknown_org", path="slug"))


def small_dir(orgs=(), users=(), memberships=()):
    return {"schema_version": 1, "orgs": list(orgs), "users": list(users), "memberships": list(memberships)}


def load_cases():
    a, f = "directory", "load"
    L = lambda cid, directory, exp, options=None: case(
        a, f, f"load-{cid}", "load", {"directory": directory, **({"options": options} if options else {})}, exp)
    stats = lambda orgs, domains, connections, users, memberships: ok(
        {"version": 1, "orgs": orgs, "domains": domains, "connections": connections, "users": users,
         "memberships": memberships, "quarantined_orgs": 0})
    L("base-fixture", BASE, stats(10, 16, 11, 3, 4))
    L("empty", {"schema_version": 1}, stats(0, 0, 0, 0, 0))
    L("missing-version", {"orgs": []}, err("invalid_input", path="schema_version"))
    L("future-version", {"schema_version": 2}, err("unsupported_schema_version", path="schema_version"))
    case(a, f, "load-not-object", "load", {"directory": [1, 2]}, err("invalid_input"))
    L("unknown-top-field", {"schema_version": 1, "tenants": []},
      err("invalid_directory", problems=[{"path": "tenants", "code": "invalid_input", "reason": "unknown_field"}]))
    L("unknown-org-field", small_dir([{**org("o1", "o1", "O", []), "plan": "gold"}]),
      err("invalid_directory", problems=[{"path": "orgs[0].plan", "code": "invalid_input", "reason": "malformed"}]))
    L("client-secret-refused", small_dir([org("o1", "o1", "O", [("o1.com", "verified", False)], [
        {"id": "c1", "protocol": "oidc", "status": "active",
         "oidc": {"issuer": "https://i.o1.com", "client_id": "x", "client_secret": "hunter2"}}])]),
      err("invalid_directory", problems=[{"path": "orgs[0].sso_connections[0].oidc.client_secret", "code": "invalid_input",
                                          "reason": "malformed"}]))
    L("consumer-domain-refused", small_dir([org("o1", "o1", "O", [("gmail.com", "verified", False)])]),
      err("invalid_directory", problems=[{"path": "orgs[0].domains[0].domain", "code": "consumer_domain"}]))
    L("consumer-subdomain-refused", small_dir([org("o1", "o1", "O", [("eu.gmail.com", "pending", False)])]),
      err("invalid_directory", problems=[{"path": "orgs[0].domains[0].domain", "code": "consumer_domain"}]))
    L("consumer-unicode-spelling-refused", small_dir([org("o1", "o1", "O", [("ＧＭＡＩＬ.com", "verified", False)])]),
      err("invalid_directory", problems=[{"path": "orgs[0].domains[0].domain", "code": "consumer_domain"}]))
    L("host-consumer-domain-refused", small_dir([org("o1", "o1", "O", [("isp-mail.net", "verified", False)])]),
      err("invalid_directory", problems=[{"path": "orgs[0].domains[0].domain", "code": "consumer_domain"}]),
      options={"extra_consumer_domains": ["isp-mail.net"]})
    L("public-suffix-refused", small_dir([org("o1", "o1", "O", [("co.uk", "verified", True)])]),
      err("invalid_directory", problems=[{"path": "orgs[0].domains[0].domain", "code": "public_suffix"}]))
    L("invalid-domain-refused", small_dir([org("o1", "o1", "O", [("\u0430cme.com", "verified", False)])]),
      err("invalid_directory", problems=[{"path": "orgs[0].domains[0].domain", "code": "invalid_domain",
                                          "reason": "mixed_script"}]))
    L("duplicate-domain-spellings", small_dir([org("o1", "o1", "O", [("bücher.de", "verified", False),
                                                                  ("xn--bcher-kva.de", "pending", False)])]),
      err("invalid_directory", problems=[{"path": "orgs[0].domains[1].domain", "code": "conflict",
                                          "reason": "duplicate_domain"}]))
    L("duplicate-org-id", small_dir([org("o1", "a", "A", []), org("o1", "b", "B", [])]),
      err("invalid_directory", problems=[{"path": "orgs[1].id", "code": "conflict", "reason": "duplicate_id"}]))
    L("duplicate-slug", small_dir([org("o1", "same", "A", []), org("o2", "same", "B", [])]),
      err("invalid_directory", problems=[{"path": "orgs[1].slug", "code": "conflict", "reason": "duplicate_slug"}]))
    L("duplicate-connection-id-across-orgs", small_dir([
        org("o1", "a", "A", [], [conn("c1", "saml")]), org("o2", "b", "B", [], [conn("c1", "saml")])]),
      err("invalid_directory", problems=[{"path": "orgs[1].sso_connections[0].id", "code": "conflict",
                                          "reason": "duplicate_id"}]))
    L("settings-mismatch", small_dir([org("o1", "a", "A", [], [
        {"id": "c1", "protocol": "saml", "status": "active", "oidc": OIDC}])]),
      err("invalid_directory", problems=[{"path": "orgs[0].sso_connections[0].saml", "code": "invalid_value",
                                          "reason": "settings_mismatch"}]))
    L("http-sso-url-refused", small_dir([org("o1", "a", "A", [], [
        {"id": "c1", "protocol": "saml", "status": "active",
         "saml": {"idp_entity_id": "x", "sso_url": "http://idp.a.com/sso"}}])]),
      err("invalid_directory", problems=[{"path": "orgs[0].sso_connections[0].saml.sso_url", "code": "invalid_value",
                                          "reason": "not_https_url"}]))
    L("connection-domain-not-claimed", small_dir([org("o1", "a", "A", [("a.com", "verified", False)],
                                                      [conn("c1", "saml", domains=["b.com"])])]),
      err("invalid_directory", problems=[{"path": "orgs[0].sso_connections[0].domains[0]", "code": "invalid_value",
                                          "reason": "domain_not_claimed"}]))
    L("bad-slug", small_dir([org("o1", "Acme Corp", "A", [])]),
      err("invalid_directory", problems=[{"path": "orgs[0].slug", "code": "invalid_value", "reason": "invalid_slug"}]))
    L("bad-id", small_dir([org("o 1", "a", "A", [])]),
      err("invalid_directory", problems=[{"path": "orgs[0].id", "code": "invalid_value", "reason": "invalid_id"}]))
    L("scim-token-in-clear-refused", small_dir([org("o1", "a", "A", [], scim={
        "enabled": True, "tokens": [{"id": "t1", "sha256": "my-secret-token"}]})]),
      err("invalid_directory", problems=[{"path": "orgs[0].scim.tokens[0].sha256", "code": "invalid_value",
                                          "reason": "not_sha256_hex"}]))
    L("branding-colour-refused", small_dir([org("o1", "a", "A", [], branding={"primary_color": "red"})]),
      err("invalid_directory", problems=[{"path": "orgs[0].branding.primary_color", "code": "invalid_value",
                                          "reason": "not_hex_color"}]))
    L("membership-unknown-refs", small_dir([org("o1", "a", "A", [])], [], [
        {"user_id": "ghost", "org_id": "nowhere", "roles": [], "status": "active"}]),
      err("invalid_directory", problems=[{"path": "memberships[0].user_id", "code": "unknown_user"},
                                         {"path": "memberships[0].org_id", "code": "unknown_org"}]))
    L("membership-unknown-role", small_dir([org("o1", "a", "A", [])], [{"id": "u1", "email": "u@a.com"}], [
        {"user_id": "u1", "org_id": "o1", "roles": ["member", "billing"], "status": "active"}]),
      err("invalid_directory", problems=[{"path": "memberships[0].roles[1]", "code": "unknown_role"}]))
    L("membership-duplicate", small_dir([org("o1", "a", "A", [])], [{"id": "u1", "email": "u@a.com"}], [
        {"user_id": "u1", "org_id": "o1", "status": "active"}, {"user_id": "u1", "org_id": "o1", "status": "invited"}]),
      err("invalid_directory", problems=[{"path": "memberships[1]", "code": "conflict",
                                          "reason": "duplicate_membership"}]))
    L("membership-bad-status-and-time", small_dir([org("o1", "a", "A", [])], [{"id": "u1", "email": "u@a.com"}], [
        {"user_id": "u1", "org_id": "o1", "status": "banned"},
        {"user_id": "u1", "org_id": "o1", "status": "active", "joined_at": "yesterday"}]),
      err("invalid_directory", problems=[{"path": "memberships[0].status", "code": "invalid_input"},
                                         {"path": "memberships[1].joined_at", "code": "invalid_value",
                                          "reason": "not_rfc3339"}]))
    L("membership-connection-of-other-org", small_dir(
        [org("o1", "a", "A", [], [conn("c1", "saml")]), org("o2", "b", "B", [])], [{"id": "u1", "email": "u@a.com"}],
        [{"user_id": "u1", "org_id": "o2", "status": "active", "authenticated_via": "c1"}]),
      err("invalid_directory", problems=[{"path": "memberships[0].authenticated_via", "code": "unknown_connection"}]))
    L("user-bad-email", small_dir([], [{"id": "u1", "email": "not-an-email"}]),
      err("invalid_directory", problems=[{"path": "users[0].email", "code": "invalid_email", "reason": "missing_at"}]))
    L("parent-missing", small_dir([org("o1", "a", "A", [], parent_id="o9")]),
      err("invalid_directory", problems=[{"path": "orgs[0].parent_id", "code": "unknown_org"}]))
    L("parent-cycle", small_dir([org("o1", "a", "A", [], parent_id="o2"), org("o2", "b", "B", [], parent_id="o1")]),
      err("invalid_directory", problems=[{"path": "orgs[0].parent_id", "code": "invalid_value", "reason": "parent_chain"},
                                         {"path": "orgs[1].parent_id", "code": "invalid_value", "reason": "parent_chain"}]))
    L("parent-listed-after-child", small_dir([org("o2", "b", "B", [], parent_id="o1"), org("o1", "a", "A", [])]),
      stats(2, 0, 0, 0, 0))
    L("limit-domains-per-org", small_dir([org("o1", "a", "A", [("a.com", "verified", False), ("b.com", "verified", False)])]),
      err("invalid_directory", problems=[{"path": "orgs[0].domains", "code": "limit_exceeded", "reason": "too_many"}]),
      options={"limits": {"max_domains_per_org": 1}})
    L("limit-orgs", small_dir([org("o1", "a", "A", []), org("o2", "b", "B", [])]),
      err("invalid_directory", problems=[{"path": "orgs[1]", "code": "limit_exceeded", "reason": "too_many_orgs"}]),
      options={"limits": {"max_orgs": 1}})
    L("all-problems-reported", small_dir([
        org("o1", "a", "A", [("gmail.com", "verified", False), ("co.uk", "verified", False)]),
        {"id": "o2", "name": "B", "slug": "b", "domains": [{"domain": "b.com", "verification": "maybe"}]},
        org("o3", "a", "", [])]),
      err("invalid_directory", problems=[
          {"path": "orgs[0].domains[0].domain", "code": "consumer_domain"},
          {"path": "orgs[0].domains[1].domain", "code": "public_suffix"},
          {"path": "orgs[1].domains[0].verification", "code": "invalid_input", "reason": "malformed"},
          {"path": "orgs[2].name", "code": "invalid_value", "reason": "empty"}]))
    L("problems-truncated", small_dir([org(f"o{i}", f"s{i}", "", []) for i in range(3)]),
      err("invalid_directory", problems_truncated=True,
          problems=[{"path": "orgs[0].name", "code": "invalid_value"}, {"path": "orgs[1].name", "code": "invalid_value"}]),
      options={"limits": {"max_problems": 2}})
    L("unknown-option", {"schema_version": 1}, err("invalid_input", path="options.max_orgs"), options={"max_orgs": 3})
    # Load canonicalises: export shows canonical domains, emails and connection domain lists.
    canon = small_dir([org("o1", "a", "A", [("BÜCHER.de.", "verified", True)], [conn("c1", "saml", domains=["Bücher.DE"])])],
                      [{"id": "u1", "email": "\"Anna\"@BÜCHER.de"}],
                      [{"user_id": "u1", "org_id": "o1", "roles": ["admin"], "status": "active"}])
    case(a, f, "load-export-canonical", "export", {"directory": canon},
         ok({"schema_version": 1,
             "orgs": [{"id": "o1", "name": "A", "slug": "a", "status": "active",
                       "domains": [{"domain": "xn--bcher-kva.de", "verification": "verified", "include_subdomains": True}],
                       "sso_connections": [{"id": "c1", "protocol": "saml", "status": "active",
                                            "domains": ["xn--bcher-kva.de"], "saml": {**SAML, "signing_certificates": []}}],
                       "require_sso": False, "roles": [], "feature_flags": {}}],
             "users": [{"id": "u1", "email": "anna@xn--bcher-kva.de"}],
             "memberships": [{"user_id": "u1", "org_id": "o1", "roles": ["admin"], "status": "active"}]}))


def change_cases():
    a, f = "directory", "changes"

    def cs(*changes):
        return {"schema_version": 1, "changes": list(changes)}

    def R(cid, changes, email, exp, note=None):
        case(a, f, f"changes-{cid}", "route", {"directory": BASE, "changes": changes, "email": email}, exp, note)

    R("verify-pending-domain-routes", cs({"op": "upsert_domain", "org_id": "org_acme",
      "domain": {"domain": "acme-pending.com", "verification": "verified"}}), "x@acme-pending.com",
      decision("sso", "x@acme-pending.com", "acme-pending.com", ["verified_domain", "connection_active", "sso_required"],
               "acme-pending.com", "org_acme", ("conn_acme_saml", "saml"), sso_required=True))
    R("remove-domain-stops-routing", cs({"op": "remove_domain", "org_id": "org_acme", "domain": "ACME.io"}), "x@acme.io",
      decision("default_login", "x@acme.io", "acme.io", ["no_org_for_domain"]))
    R("activate-connection", cs({"op": "upsert_connection", "org_id": "org_umbrella",
      "connection": conn("conn_umbrella_saml", "saml")}), "x@umbrella.com",
      decision("sso", "x@umbrella.com", "umbrella.com", ["verified_domain", "connection_active", "sso_required"],
               "umbrella.com", "org_umbrella", ("conn_umbrella_saml", "saml"), sso_required=True))
    R("remove-connection", cs({"op": "remove_connection", "org_id": "org_globex", "connection_id": "conn_globex_oidc"}),
      "x@globex.com", decision("default_login", "x@globex.com", "globex.com", ["verified_domain", "no_active_connection"],
                               "globex.com", "org_globex"))
    R("remove-org-frees-picker", cs({"op": "remove_org", "org_id": "org_wayne"}), "x@partners.com",
      decision("sso", "x@partners.com", "partners.com", ["verified_domain", "disabled_org_skipped", "connection_active",
               "sso_required"], "partners.com", "org_stark", ("conn_stark_saml", "saml"), sso_required=True))
    hooli_on = {**ORG_BY_ID["org_hooli"]}
    del hooli_on["status"]
    R("reenable-org", cs({"op": "upsert_org", "org": hooli_on}), "x@hooli.com",
      decision("sso", "x@hooli.com", "hooli.com", ["verified_domain", "connection_active"], "hooli.com", "org_hooli",
               ("conn_hooli_saml", "saml")))
    R("upsert-org-replaces-domains", cs({"op": "upsert_org", "org": org("org_initech", "initech", "Initech",
      [("initech.net", "verified", False)])}), "x@initech.com",
      decision("default_login", "x@initech.com", "initech.com", ["no_org_for_domain"]))
    R("new-org-takes-subdomain", cs({"op": "upsert_org", "org": org("org_eu", "acme-eu", "Acme EU",
      [("eu.acme.com", "verified", False)], [conn("conn_eu", "oidc")])}), "x@eu.acme.com",
      decision("sso", "x@eu.acme.com", "eu.acme.com", ["verified_domain", "connection_active"], "eu.acme.com",
               {"id": "org_eu", "slug": "acme-eu", "name": "Acme EU", "require_sso": False}, ("conn_eu", "oidc")),
      "a more specific verified claim wins over acme.com's subdomains")
    R("batch-is-atomic", cs({"op": "remove_domain", "org_id": "org_acme", "domain": "acme.io"},
                            {"op": "remove_org", "org_id": "org_missing"}), "x@acme.io",
      err("invalid_change", problems=[{"path": "changes[1].org_id", "code": "unknown_org"}]),
      "one bad change refuses the whole batch")
    R("consumer-domain-refused", cs({"op": "upsert_domain", "org_id": "org_acme",
      "domain": {"domain": "yahoo.com", "verification": "verified"}}), "x@yahoo.com",
      err("invalid_change", problems=[{"path": "changes[0].domain.domain", "code": "consumer_domain"}]))
    R("slug-taken", cs({"op": "upsert_org", "org": org("org_new", "acme", "New", [])}), "x@acme.com",
      err("invalid_change", problems=[{"path": "changes[0].org.slug", "code": "conflict", "reason": "duplicate_slug"}]))
    R("remove-domain-in-use", cs({"op": "remove_domain", "org_id": "org_globex", "domain": "globex.com"}), "x@globex.com",
      err("invalid_change", problems=[{"path": "changes[0].domain", "code": "conflict", "reason": "domain_in_use"}]))
    R("remove-unclaimed-domain", cs({"op": "remove_domain", "org_id": "org_globex", "domain": "nothere.com"}), "x@globex.com",
      err("invalid_change", problems=[{"path": "changes[0].domain", "code": "invalid_value", "reason": "domain_not_claimed"}]))
    R("unknown-change-op", cs({"op": "rename_org", "org_id": "org_acme"}), "x@acme.com",
      err("invalid_change", problems=[{"path": "changes[0].op", "code": "invalid_input", "reason": "malformed"}]))
    R("changes-need-version", {"changes": []}, "x@acme.com", err("invalid_input", path="schema_version"))
    R("remove-parent-with-children", cs(
        {"op": "upsert_org", "org": org("org_child", "child", "Child", [], parent_id="org_acme")},
        {"op": "remove_org", "org_id": "org_acme"}), "x@acme.com",
      err("invalid_change", problems=[{"path": "changes[0].org.parent_id", "code": "unknown_org"},
                                      {"path": "changes[1].org_id", "code": "conflict", "reason": "has_children"}]),
      "the child would be left without its parent: both sides are reported")
    R("drop-role-in-use", cs({"op": "upsert_org", "org": {**ORG_BY_ID["org_acme"], "roles": []}}), "x@acme.com",
      err("invalid_change", problems=[{"path": "changes[0].org.roles", "code": "conflict", "reason": "role_in_use"}]))

    def M(cid, changes, inp, exp, op="membership"):
        case(a, f, f"changes-{cid}", op, {"directory": BASE, "changes": changes, **inp}, exp)

    M("membership-before", cs(), {"user_id": "u_alice", "org_id": "org_acme"},
      ok({"user_id": "u_alice", "org_id": "org_acme", "roles": ["admin", "auditor"], "status": "active",
          "joined_at": "2026-01-05T09:00:00Z", "authenticated_via": "conn_acme_saml"}))
    M("suspend-membership", cs({"op": "upsert_membership", "membership": {
        "user_id": "u_alice", "org_id": "org_acme", "roles": ["member"], "status": "suspended"}}),
      {"user_id": "u_alice", "org_id": "org_acme"},
      ok({"user_id": "u_alice", "org_id": "org_acme", "roles": ["member"], "status": "suspended"}))
    M("remove-membership", cs({"op": "remove_membership", "user_id": "u_carol", "org_id": "org_acme"}),
      {"user_id": "u_carol", "org_id": "org_acme"}, err("unknown_membership"))
    M("user-memberships-sorted", cs(), {"user_id": "u_carol"},
      ok([{"user_id": "u_carol", "org_id": "org_acme", "roles": ["viewer"], "status": "active"},
          {"user_id": "u_carol", "org_id": "org_globex", "roles": ["admin"], "status": "suspended"}]),
      op="user_memberships")
    M("remove-org-cascades-memberships", cs({"op": "remove_org", "org_id": "org_acme"}), {"user_id": "u_carol"},
      ok([{"user_id": "u_carol", "org_id": "org_globex", "roles": ["admin"], "status": "suspended"}]),
      op="user_memberships")
    M("remove-user-cascades", cs({"op": "remove_user", "user_id": "u_carol"}), {"user_id": "u_carol", "org_id": "org_acme"},
      err("unknown_membership"))
    M("remove-user-gone", cs({"op": "remove_user", "user_id": "u_carol"}), {"user_id": "u_carol"},
      err("unknown_user", path="user_id"), op="user_memberships")
    case(a, f, "changes-stats", "apply_changes",
         {"directory": BASE, "changes": cs({"op": "remove_org", "org_id": "org_wayne"},
                                           {"op": "upsert_user", "user": {"id": "u_dan", "email": "dan@wayne.com"}})},
         ok({"version": 2, "orgs": 9, "domains": 15, "connections": 10, "users": 4, "memberships": 4,
             "quarantined_orgs": 0}))
    case(a, f, "changes-without-directory", "route", {"changes": cs(), "email": "a@acme.com"},
         err("invalid_input", path="directory"))


def wire_cases():
    a, f = "wire", "errors"
    case(a, f, "wire-unknown-op", "frobnicate", {}, err("unknown_op"))
    case(a, f, "wire-input-not-object", "normalize_email", ["a@acme.com"], err("invalid_input"))
    case(a, f, "wire-stats-needs-directory", "stats", {}, err("invalid_input", path="directory"))
    case(a, f, "wire-load-needs-directory", "load", {}, err("invalid_input", path="directory"))
    case(a, f, "wire-stats-extra-field", "stats", {"directory": {"schema_version": 1}, "x": 1}, err("invalid_input"))
    line = {"id": "wire-invalid-json", "op": "normalize_email", "input_raw": "{\"email\": ", "expected": err("invalid_json")}
    FILES.setdefault((a, f), []).append(line)
    line = {"id": "wire-empty-input", "op": "normalize_email", "input_raw": "", "expected": err("invalid_json")}
    FILES.setdefault((a, f), []).append(line)


# ---------------------------------------------------------------- authorization

NOW = 1798761600  # 2027-01-01T00:00:00Z

APP_SCHEMA = """namespace App {
  entity Document in [Orgkit::Organization] = { "owner": Orgkit::User, "public": Bool };
  action "document.read", "document.edit"
    appliesTo { principal: [Orgkit::User], resource: [Document], context: Orgkit::Context };
  action "beta.use"
    appliesTo { principal: [Orgkit::User], resource: [Orgkit::Organization], context: Orgkit::Context };
}"""

APP_POLICIES = """@id("doc.read")
permit (principal is Orgkit::User, action == App::Action::"document.read", resource is App::Document)
when { context.membership.status == "active" && resource in context.active_org &&
       (context.membership.builtin_roles.contains("member") || context.membership.builtin_roles.contains("admin") ||
        context.membership.builtin_roles.contains("viewer") || resource.public) };
@id("doc.edit.owner")
permit (principal is Orgkit::User, action == App::Action::"document.edit", resource is App::Document)
when { context.membership.status == "active" && resource.owner == principal && resource in context.active_org };
@id("doc.edit.mfa")
forbid (principal, action == App::Action::"document.edit", resource)
unless { context.host has mfa && context.host.mfa };
@id("beta")
permit (principal is Orgkit::User, action == App::Action::"beta.use", resource)
when { context.membership.status == "active" && context.flags.contains("beta") && resource in context.active_org };"""

AUTHZ_OPTIONS = {"authz": {"schema": APP_SCHEMA, "host_context": '{ "mfa"?: Bool }', "policies": APP_POLICIES}}

POLICYCO_POLICIES = [
    {"id": "no-invites", "cedar": 'forbid (principal, action == Orgkit::Action::"users.invite", '
                                  'resource in Orgkit::Organization::"org_policyco");'},
    {"id": "members-brand", "cedar": 'permit (principal, action == Orgkit::Action::"branding.update", '
                                     'resource in Orgkit::Organization::"org_policyco") '
                                     'when { context.membership.status == "active" && '
                                     'context.membership.builtin_roles.contains("member") };'},
]

AUTHZ_ORGS = [
    org("org_acme", "acme", "Acme Corp", [("acme.com", "verified", True)], [conn("conn_acme_saml", "saml")],
        roles=[{"key": "auditor", "permissions": ["audit.read", "sso.read"]}],
        feature_flags={"beta": True, "seats": 10}),
    org("org_globex", "globex", "Globex", [("globex.com", "verified", False)], [conn("conn_globex_oidc", "oidc")],
        feature_flags={"beta": False}),
    org("org_shadow", "shadow", "Shadow Inc", [],
        roles=[{"key": "admin", "name": "Admin (read only)", "permissions": ["org.read"]}]),
    org("org_policyco", "policyco", "PolicyCo", [], policies=POLICYCO_POLICIES),
]

AUTHZ_USERS = [{"id": u, "email": f"{u}@example.com"} for u in
               ["alice", "bob", "carol", "dave", "erin", "frank", "gina", "hank", "ivan", "jill", "kate", "olga"]]


def mem(user, org_id, roles, status="active"):
    return {"user_id": user, "org_id": org_id, "roles": roles, "status": status}


AUTHZ_MEMBERSHIPS = [
    mem("alice", "org_acme", ["admin"]), mem("alice", "org_globex", ["member"]),
    mem("bob", "org_acme", ["member"]), mem("carol", "org_acme", ["admin"], "suspended"),
    mem("dave", "org_acme", ["member"], "invited"), mem("erin", "org_acme", ["viewer"]),
    mem("gina", "org_globex", ["owner"]), mem("hank", "org_acme", ["auditor"]),
    mem("ivan", "org_shadow", ["admin"]), mem("jill", "org_policyco", ["member"]),
    mem("kate", "org_policyco", ["admin"]), mem("olga", "org_acme", ["owner"]),
]

AUTHZ_DIR = {"schema_version": 1, "orgs": AUTHZ_ORGS, "users": AUTHZ_USERS, "memberships": AUTHZ_MEMBERSHIPS}
MEMBERSHIP = {(m["user_id"], m["org_id"]): m for m in AUTHZ_MEMBERSHIPS}


def res(kind, rid, org_id=None, attrs=None):
    r = {"type": kind, "id": rid}
    if org_id:
        r["org"] = org_id
    if attrs is not None:
        r["attrs"] = attrs
    return r


def target(resource):
    kind = resource["type"] if "::" in resource["type"] else "Orgkit::" + resource["type"]
    return {"type": kind, "id": resource["id"]}


def authz_request(principal, active_org, action, resource, **extra):
    kind, pid = principal
    return {"principal": {kind: pid}, "active_org": active_org, "action": action, "resource": resource,
            "now": extra.pop("now", NOW), **extra}


def verdict(request, outcome, policies, errors=()):
    kind, pid = next(iter(request["principal"].items()))
    m = MEMBERSHIP.get((pid, request["active_org"])) if kind == "user" else None
    membership = {"status": m["status"], "roles": m["roles"]} if m else {"status": "none", "roles": []}
    policies = sorted(policies)
    return {"decision": outcome, "policies": policies, "errors": list(errors), "membership": membership,
            "event": {"id": request.get("event_id", ""), "org_id": request["active_org"], "action": "authz.decision",
                      "version": 1, "occurred_at": request["now"], "actor": {"type": kind, "id": pid},
                      "targets": [target(request["resource"])], "context": request.get("audit_context", {}),
                      "outcome": outcome, "metadata": {"requested_action": request["action"], "policies": policies}}}


def A(cid, principal, active_org, action, resource, outcome, policies, note=None, **extra):
    request = authz_request(principal, active_org, action, resource, **extra)
    case("authz", FILE_OF.get(cid.split("-")[0], "decisions"), f"authz-{cid}", "authorize",
         {"directory": AUTHZ_DIR, "options": AUTHZ_OPTIONS, **request}, ok(verdict(request, outcome, policies)), note)
    # `check` answers the same question without the audit event, so without a grant.
    if "grant" not in extra:
        asked = {k: v for k, v in request.items() if k not in ("event_id", "audit_context")}
        answer = {k: verdict(request, outcome, policies)[k] for k in ("decision", "policies", "errors")}
        case("authz", "check", f"authz-check-{cid}", "check",
             {"directory": AUTHZ_DIR, "options": AUTHZ_OPTIONS, **asked}, ok(answer), note)


def A_err(cid, request, error, file="errors"):
    case("authz", file, f"authz-{cid}", "authorize", {"directory": AUTHZ_DIR, "options": AUTHZ_OPTIONS, **request}, error)
    if "grant" not in request:
        case("authz", "check", f"authz-check-{cid}", "check",
             {"directory": AUTHZ_DIR, "options": AUTHZ_OPTIONS, **request}, error)


def check_cases():
    """What `check` refuses that `authorize` takes: the fields of an audited decision."""
    base = authz_request(("user", "alice"), "org_acme", "org.read", res("Organization", "org_acme"))
    grant = {"id": "g1", "staff_id": "s_sam", "org_id": "org_acme", "reason": "ticket #1",
             "actions": ["sso.read"], "expires_at": NOW + 60}
    for cid, field, value in [("grant", "grant", grant), ("event-id", "event_id", "ev1"),
                              ("audit-context", "audit_context", {"ip": "192.0.2.1"})]:
        case("authz", "check", f"authz-check-refuses-{cid}", "check",
             {"directory": AUTHZ_DIR, "options": AUTHZ_OPTIONS, **base, field: value}, err("invalid_input"),
             note=f"`{field}` belongs to an audited decision: `authorize`")
    case("authz", "check", "authz-check-needs-directory", "check", base, err("invalid_input", path="directory"))


FILE_OF = {"role": "roles", "custom": "roles", "shadow": "roles", "member": "membership", "cross": "isolation",
           "staff": "support", "analytics": "support", "app": "app", "orgpolicy": "org_policies", "flag": "app"}

# The built-in role templates, as the base pack defines them (the spec of the table below).
ADMIN_ACTIONS = {"org.read", "org.switch", "domains.manage", "users.read", "users.invite", "users.suspend",
                 "users.remove", "users.assign_roles", "roles.read", "roles.manage", "sso.read", "sso.configure",
                 "scim.read", "scim.configure", "branding.read", "branding.update", "audit.read", "support.grant"}
TEMPLATES = {
    "owner": ADMIN_ACTIONS | {"org.update"},
    "admin": ADMIN_ACTIONS,
    "member": {"org.read", "org.switch", "users.read", "roles.read", "branding.read"},
    "viewer": {"org.read", "org.switch", "branding.read"},
}
ROLE_USERS = {"owner": "olga", "admin": "alice", "member": "bob", "viewer": "erin"}
ORG_ACTIONS = ["org.read", "org.update", "org.switch", "domains.manage", "users.read", "users.invite",
               "users.suspend", "users.remove", "users.assign_roles", "roles.read", "roles.manage", "sso.read",
               "sso.configure", "scim.read", "scim.configure", "branding.read", "branding.update", "audit.read",
               "support.grant"]


def authz_cases():
    acme = res("Organization", "org_acme")
    for role, user in ROLE_USERS.items():
        for action in ORG_ACTIONS:
            allowed = action in TEMPLATES[role]
            A(f"role-{role}-{action}", ("user", user), "org_acme", action, acme, "allow" if allowed else "deny",
              [f"orgkit.role.{role}"] if allowed else [])
    # Resources inside the org, not only the org itself.
    A("role-admin-configures-connection", ("user", "alice"), "org_acme", "sso.configure",
      res("SsoConnection", "conn_acme_saml"), "allow", ["orgkit.role.admin"],
      "the connection's org comes from the directory")
    A("role-admin-reads-audit-log", ("user", "alice"), "org_acme", "audit.read", res("AuditLog", "log", "org_acme"),
      "allow", ["orgkit.role.admin"])
    A("role-member-cannot-read-audit-log", ("user", "bob"), "org_acme", "audit.read", res("AuditLog", "log", "org_acme"),
      "deny", [])
    A("role-decision-event-with-host-ids", ("user", "alice"), "org_acme", "audit.read",
      res("AuditLog", "log", "org_acme"), "allow", ["orgkit.role.admin"],
      "the event carries the host's event id and request context, ready for audit_record",
      event_id="evt_42", audit_context={"ip": "198.51.100.4", "user_agent": "curl/8", "request_id": "req-9"})
    A("role-admin-suspends-member", ("user", "alice"), "org_acme", "users.suspend", res("Member", "bob", "org_acme"),
      "allow", ["orgkit.role.admin"])
    A("role-member-cannot-suspend", ("user", "bob"), "org_acme", "users.suspend", res("Member", "erin", "org_acme"),
      "deny", [])
    # Custom roles and shadowing.
    A("custom-auditor-reads-audit", ("user", "hank"), "org_acme", "audit.read", acme, "allow", ["org.org_acme.role.auditor"])
    A("custom-auditor-reads-sso", ("user", "hank"), "org_acme", "sso.read", res("SsoConnection", "conn_acme_saml"),
      "allow", ["org.org_acme.role.auditor"])
    A("custom-auditor-cannot-configure", ("user", "hank"), "org_acme", "sso.configure", acme, "deny", [])
    A("custom-auditor-cannot-read-users", ("user", "hank"), "org_acme", "users.read", acme, "deny", [])
    A("shadow-admin-gets-only-its-own", ("user", "ivan"), "org_shadow", "org.read", res("Organization", "org_shadow"),
      "allow", ["org.org_shadow.role.admin"], "a custom role named admin gets only its own permissions")
    for action in ["users.invite", "sso.configure", "roles.manage", "org.switch"]:
        A(f"shadow-admin-denied-{action}", ("user", "ivan"), "org_shadow", action, res("Organization", "org_shadow"),
          "deny", [])
    # Membership states.
    for action in ["org.read", "users.read", "sso.configure", "org.switch"]:
        A(f"member-suspended-{action}", ("user", "carol"), "org_acme", action, acme, "deny", ["orgkit.suspended"],
          "suspended memberships are denied everything, even as admin")
        A(f"member-invited-{action}", ("user", "dave"), "org_acme", action, acme, "deny", ["orgkit.invited.only_accept"])
        A(f"member-none-{action}", ("user", "frank"), "org_acme", action, acme, "deny", ["orgkit.no_membership"])
    A("member-invited-accepts-own", ("user", "dave"), "org_acme", "invitation.accept",
      res("Invitation", "inv_dave", "org_acme", {"invitee": {"type": "Orgkit::User", "id": "dave"}}),
      "allow", ["orgkit.invitation.accept"])
    A("member-invited-cannot-accept-others", ("user", "dave"), "org_acme", "invitation.accept",
      res("Invitation", "inv_frank", "org_acme", {"invitee": {"type": "Orgkit::User", "id": "frank"}}), "deny", [])
    A("member-active-cannot-accept", ("user", "bob"), "org_acme", "invitation.accept",
      res("Invitation", "inv_bob", "org_acme", {"invitee": {"type": "Orgkit::User", "id": "bob"}}), "deny", [])
    A("member-none-cannot-accept", ("user", "frank"), "org_acme", "invitation.accept",
      res("Invitation", "inv_frank2", "org_acme", {"invitee": {"type": "Orgkit::User", "id": "frank"}}),
      "deny", ["orgkit.no_membership"])
    # The org boundary and consultants with several memberships.
    A("cross-consultant-admin-in-acme", ("user", "alice"), "org_acme", "sso.configure", acme, "allow", ["orgkit.role.admin"])
    A("cross-consultant-member-in-globex", ("user", "alice"), "org_globex", "sso.configure",
      res("Organization", "org_globex"), "deny", [], "the active org's membership decides, not the strongest one")
    A("cross-consultant-reads-in-globex", ("user", "alice"), "org_globex", "org.read", res("Organization", "org_globex"),
      "allow", ["orgkit.role.member"])
    A("cross-admin-elsewhere-resource", ("user", "alice"), "org_globex", "sso.configure", acme, "deny",
      ["orgkit.org_boundary"], "a resource of another org is denied even where the user is admin")
    A("cross-admin-acme-on-globex-resource", ("user", "alice"), "org_acme", "sso.configure",
      res("SsoConnection", "conn_globex_oidc"), "deny", ["orgkit.org_boundary"])
    A("cross-owner-acme-on-globex-member", ("user", "olga"), "org_acme", "users.suspend", res("Member", "gina", "org_globex"),
      "deny", ["orgkit.org_boundary"])
    A("cross-non-member-active-org", ("user", "gina"), "org_acme", "org.read", acme, "deny", ["orgkit.no_membership"],
      "the owner of globex is nobody in acme")
    A("cross-app-document-other-org", ("user", "bob"), "org_acme", "App::document.read",
      res("App::Document", "d9", "org_globex", {"owner": {"type": "Orgkit::User", "id": "gina"}, "public": True}),
      "deny", ["orgkit.org_boundary"])
    A("cross-switch-to-member-org", ("user", "alice"), "org_globex", "org.switch", res("Organization", "org_globex"),
      "allow", ["orgkit.role.member"])
    A("cross-switch-to-foreign-org", ("user", "bob"), "org_globex", "org.switch", res("Organization", "org_globex"),
      "deny", ["orgkit.no_membership"])
    # Platform staff through support grants.
    def grant(**overrides):
        g = {"id": "g1", "staff_id": "s_sam", "org_id": "org_acme", "reason": "ticket #4711: SSO broken",
             "actions": ["sso.read", "sso.configure", "audit.read"], "expires_at": NOW + 3600}
        g.update(overrides)
        return g
    A("staff-valid-grant", ("staff", "s_sam"), "org_acme", "sso.configure", res("SsoConnection", "conn_acme_saml"),
      "allow", ["orgkit.support.grant"], grant=grant())
    A("staff-valid-grant-audit", ("staff", "s_sam"), "org_acme", "audit.read", acme, "allow", ["orgkit.support.grant"],
      grant=grant())
    A("staff-no-grant", ("staff", "s_sam"), "org_acme", "sso.read", acme, "deny", ["orgkit.support.grant_required"])
    A("staff-expired-grant", ("staff", "s_sam"), "org_acme", "sso.read", acme, "deny", ["orgkit.support.grant_required"],
      grant=grant(expires_at=NOW - 1))
    A("staff-grant-expires-now", ("staff", "s_sam"), "org_acme", "sso.read", acme, "deny",
      ["orgkit.support.grant_required"], "expiry is exclusive", grant=grant(expires_at=NOW))
    A("staff-out-of-scope", ("staff", "s_sam"), "org_acme", "users.suspend", res("Member", "bob", "org_acme"), "deny",
      ["orgkit.support.grant_required"], grant=grant())
    A("staff-grant-other-org", ("staff", "s_sam"), "org_acme", "sso.read", acme, "deny", ["orgkit.support.grant_required"],
      grant=grant(org_id="org_globex"))
    A("staff-grant-other-staff", ("staff", "s_sam"), "org_acme", "sso.read", acme, "deny",
      ["orgkit.support.grant_required"], grant=grant(staff_id="s_eve"))
    A("staff-grant-no-reason", ("staff", "s_sam"), "org_acme", "sso.read", acme, "deny", ["orgkit.support.grant_required"],
      grant=grant(reason=""))
    A("staff-grant-resource-elsewhere", ("staff", "s_sam"), "org_acme", "sso.read", res("SsoConnection", "conn_globex_oidc"),
      "deny", ["orgkit.org_boundary", "orgkit.support.grant_required"])
    A("staff-grant-active-org-elsewhere", ("staff", "s_sam"), "org_globex", "sso.read", res("Organization", "org_globex"),
      "deny", ["orgkit.support.grant_required"], grant=grant())
    A_err("staff-grant-for-user", authz_request(("user", "alice"), "org_acme", "sso.read", acme, grant=grant()),
          err("invalid_input", path="grant"), file="support")
    A_err("staff-grant-unknown-org", authz_request(("staff", "s_sam"), "org_acme", "sso.read", acme,
                                                    grant=grant(org_id="org_nope")),
          err("unknown_org", path="grant.org_id"), file="support")
    # Analytics: aggregates only.
    A("analytics-aggregate", ("staff", "s_ana"), "org_acme", "analytics.read",
      res("Analytics", "q1", attrs={"aggregate": True, "org_count": 12}), "allow", ["orgkit.analytics.aggregate"])
    A("analytics-single-org-rows", ("staff", "s_ana"), "org_acme", "analytics.read",
      res("Analytics", "q2", attrs={"aggregate": True, "org_count": 1}), "deny", [],
      "aggregated analytics never return one org's rows")
    A("analytics-few-orgs", ("staff", "s_ana"), "org_acme", "analytics.read",
      res("Analytics", "q3", attrs={"aggregate": True, "org_count": 4}), "deny", [])
    A("analytics-not-aggregate", ("staff", "s_ana"), "org_acme", "analytics.read",
      res("Analytics", "q4", attrs={"aggregate": False, "org_count": 50}), "deny", [])
    A("analytics-user-denied", ("user", "olga"), "org_acme", "analytics.read",
      res("Analytics", "q5", attrs={"aggregate": True, "org_count": 50}), "deny", [])
    # The host's own resources, actions, context and feature flags.
    doc = lambda owner, public=False, org_id="org_acme": res(
        "App::Document", "d1", org_id, {"owner": {"type": "Orgkit::User", "id": owner}, "public": public})
    A("app-member-reads", ("user", "bob"), "org_acme", "App::document.read", doc("erin"), "allow", ["host.doc.read"])
    A("app-viewer-reads", ("user", "erin"), "org_acme", "App::document.read", doc("bob"), "allow", ["host.doc.read"])
    A("app-custom-role-public-only", ("user", "hank"), "org_acme", "App::document.read", doc("bob", True), "allow",
      ["host.doc.read"])
    A("app-custom-role-private", ("user", "hank"), "org_acme", "App::document.read", doc("bob"), "deny", [])
    A("app-owner-edits-with-mfa", ("user", "bob"), "org_acme", "App::document.edit", doc("bob"), "allow",
      ["host.doc.edit.owner"], context={"mfa": True})
    A("app-owner-edits-without-mfa", ("user", "bob"), "org_acme", "App::document.edit", doc("bob"), "deny",
      ["host.doc.edit.mfa"])
    A("app-owner-edits-mfa-false", ("user", "bob"), "org_acme", "App::document.edit", doc("bob"), "deny",
      ["host.doc.edit.mfa"], context={"mfa": False})
    A("app-non-owner-edits", ("user", "erin"), "org_acme", "App::document.edit", doc("bob"), "deny", [],
      context={"mfa": True})
    A("app-suspended-owner", ("user", "carol"), "org_acme", "App::document.edit", doc("carol"), "deny",
      ["orgkit.suspended"], context={"mfa": True})
    A("app-owner-template-covers-app", ("user", "olga"), "org_acme", "App::document.edit", doc("bob"), "allow",
      ["orgkit.role.owner"], "owners may do anything inside their org", context={"mfa": True})
    A("flag-beta-on", ("user", "bob"), "org_acme", "App::beta.use", acme, "allow", ["host.beta"])
    A("flag-beta-off", ("user", "alice"), "org_globex", "App::beta.use", res("Organization", "org_globex"), "deny", [])
    A_err("app-bad-attr-type", authz_request(("user", "bob"), "org_acme", "App::document.read",
          res("App::Document", "d1", "org_acme", {"owner": {"type": "Orgkit::User", "id": "bob"}, "public": "yes"})),
          err("invalid_input", path="resource.attrs"), file="app")
    A_err("app-missing-attr", authz_request(("user", "bob"), "org_acme", "App::document.read",
          res("App::Document", "d1", "org_acme", {"public": True})), err("invalid_input", path="resource.attrs"), file="app")
    A_err("app-bad-host-context", authz_request(("user", "bob"), "org_acme", "App::document.edit", doc("bob"),
          context={"mfa": "yes"}), err("invalid_input", path="context"), file="app")
    A_err("app-unknown-host-context", authz_request(("user", "bob"), "org_acme", "App::document.edit", doc("bob"),
          context={"ip": "10.0.0.1"}), err("invalid_input", path="context"), file="app")
    # Policies written by an org's admins.
    A("orgpolicy-forbid-invites", ("user", "kate"), "org_policyco", "users.invite", res("Organization", "org_policyco"),
      "deny", ["org.org_policyco.policy.no-invites"], "the org's own forbid beats the admin template")
    A("orgpolicy-admin-still-reads", ("user", "kate"), "org_policyco", "users.read", res("Organization", "org_policyco"),
      "allow", ["orgkit.role.admin"])
    A("orgpolicy-members-brand", ("user", "jill"), "org_policyco", "branding.update", res("Organization", "org_policyco"),
      "allow", ["org.org_policyco.policy.members-brand"])
    A("orgpolicy-not-elsewhere", ("user", "bob"), "org_acme", "branding.update", acme, "deny", [],
      "policyco's policies are never evaluated for another org")
    A("orgpolicy-invites-elsewhere-unaffected", ("user", "alice"), "org_acme", "users.invite", acme, "allow",
      ["orgkit.role.admin"])
    # Input errors.
    base = authz_request(("user", "alice"), "org_acme", "org.read", acme)
    A_err("input-unknown-action", {**base, "action": "org.delete"}, err("unknown_action", path="action"))
    A_err("input-unknown-org", {**base, "active_org": "org_nope"}, err("unknown_org", path="active_org"))
    A_err("input-unknown-user", {**base, "principal": {"user": "zed"}}, err("unknown_user", path="principal.user"))
    A_err("input-unknown-type", {**base, "resource": res("Spaceship", "x", "org_acme")},
          err("invalid_input", path="resource.type"))
    A_err("input-resource-needs-org", {**base, "resource": res("AuditLog", "log")}, err("invalid_input", path="resource.org"))
    A_err("input-resource-unknown-org", {**base, "resource": res("AuditLog", "log", "org_nope")},
          err("unknown_org", path="resource.org"))
    A_err("input-connection-org-mismatch", {**base, "resource": res("SsoConnection", "conn_acme_saml", "org_globex")},
          err("invalid_input", path="resource.org"))
    A_err("input-unknown-connection", {**base, "resource": res("SsoConnection", "conn_nope")},
          err("unknown_connection", path="resource.id"))
    A_err("input-missing-now", {k: v for k, v in base.items() if k != "now"}, err("invalid_input"))
    A_err("input-bad-principal", {**base, "principal": {"robot": "r2"}}, err("invalid_input", path="principal"))
    A_err("input-unknown-field", {**base, "tenant": "x"}, err("invalid_input"))
    case("authz", "errors", "authz-input-needs-directory", "authorize", base, err("invalid_input", path="directory"))


def authz_api_cases():
    acme = res("Organization", "org_acme")

    def L(cid, principal, active_org, resource, expected, **extra):
        kind, pid = principal
        case("authz", "allowed_actions", f"authz-allowed-{cid}", "allowed_actions",
             {"directory": AUTHZ_DIR, "options": AUTHZ_OPTIONS, "principal": {kind: pid}, "active_org": active_org,
              "resource": resource, "now": NOW, **extra}, expected)

    L("owner-org", ("user", "olga"), "org_acme", acme, ok(sorted(
        ORG_ACTIONS + ["App::beta.use"])))
    L("admin-org", ("user", "alice"), "org_acme", acme, ok(sorted(
        [a for a in ORG_ACTIONS if a in TEMPLATES["admin"]] + ["App::beta.use"])))
    L("member-org", ("user", "bob"), "org_acme", acme, ok(sorted(TEMPLATES["member"] | {"App::beta.use"})))
    L("viewer-org", ("user", "erin"), "org_acme", acme, ok(sorted(TEMPLATES["viewer"] | {"App::beta.use"})))
    L("suspended-org", ("user", "carol"), "org_acme", acme, ok([]))
    L("auditor-connection", ("user", "hank"), "org_acme", res("SsoConnection", "conn_acme_saml"), ok(["sso.read"]))
    L("admin-connection", ("user", "alice"), "org_acme", res("SsoConnection", "conn_acme_saml"),
      ok(["sso.configure", "sso.read"]))
    L("staff-grant-org", ("staff", "s_sam"), "org_acme", acme, ok(["audit.read", "sso.configure", "sso.read"]),
      grant={"id": "g1", "staff_id": "s_sam", "org_id": "org_acme", "reason": "ticket #1",
             "actions": ["sso.read", "sso.configure", "audit.read"], "expires_at": NOW + 60})
    L("document-member", ("user", "bob"), "org_acme",
      res("App::Document", "d1", "org_acme", {"owner": {"type": "Orgkit::User", "id": "bob"}, "public": False}),
      ok(["App::document.edit", "App::document.read"]), context={"mfa": True})
    L("unknown-org", ("user", "bob"), "org_nope", acme, err("unknown_org", path="active_org"))

    good = authz_request(("user", "alice"), "org_acme", "sso.configure", res("SsoConnection", "conn_acme_saml"))
    bad = authz_request(("user", "alice"), "org_acme", "nope.nope", acme)
    denied = authz_request(("user", "bob"), "org_acme", "sso.configure", acme)
    case("authz", "batch", "authz-batch-mixed", "authorize_batch",
         {"directory": AUTHZ_DIR, "options": AUTHZ_OPTIONS, "requests": [good, bad, denied, {"principal": 3}]},
         ok([{"ok": verdict(good, "allow", ["orgkit.role.admin"])},
             {"error": {"code": "unknown_action", "message": "`nope.nope` is not an action of the schema",
                        "path": "action"}},
             {"ok": verdict(denied, "deny", [])},
             {"error": {"code": "invalid_input", "message": "invalid type: integer `3`, expected string or map",
                        "path": "requests[3].principal"}}]))
    case("authz", "batch", "authz-batch-empty", "authorize_batch",
         {"directory": AUTHZ_DIR, "options": AUTHZ_OPTIONS, "requests": []}, ok([]))
    case("authz", "batch", "authz-batch-too-large", "authorize_batch",
         {"directory": AUTHZ_DIR, "options": {**AUTHZ_OPTIONS, "limits": {"max_batch": 2}},
          "requests": [good, good, good]}, err("limit_exceeded", path="requests"))


def authz_load_cases():
    def D(cid, directory, expected, options=None, op="load", note=None, **fields):
        case("authz", "load", f"authz-load-{cid}", op,
             {"directory": directory, **({"options": options} if options else {}), **fields}, expected, note)

    one = lambda **kw: {"schema_version": 1, "orgs": [org("o1", "o1", "O", [], **kw)],
                        "users": [{"id": "u1", "email": "u1@example.com"}],
                        "memberships": [mem("u1", "o1", ["admin"])]}
    stats = lambda q: ok({"version": 1, "orgs": 1, "domains": 0, "connections": 0, "users": 1, "memberships": 1,
                          "quarantined_orgs": q})
    D("unknown-permission", one(roles=[{"key": "x", "permissions": ["org.read", "billing.pay"]}]),
      err("invalid_directory", problems=[{"path": "orgs[0].roles[0].permissions[1]", "code": "unknown_action"},
                                         {"path": "memberships[0].org_id", "code": "unknown_org"}]),
      note="the refused org is not loaded, so its membership is reported too")
    D("host-permission-known", one(roles=[{"key": "x", "permissions": ["App::document.read"]}]), stats(0),
      AUTHZ_OPTIONS)
    D("host-permission-without-schema", one(roles=[{"key": "x", "permissions": ["App::document.read"]}]),
      err("invalid_directory", problems=[{"path": "orgs[0].roles[0].permissions[0]", "code": "unknown_action"},
                                         {"path": "memberships[0].org_id", "code": "unknown_org"}]))
    bad_policies = {
        "syntax": "permit (principal, action, resource in Orgkit::Organization::\"o1\"",
        "unscoped": "permit (principal, action, resource);",
        "other-org": "permit (principal, action, resource in Orgkit::Organization::\"o2\");",
        "schema": "permit (principal, action, resource in Orgkit::Organization::\"o1\") when { context.nope };",
        "two": "permit (principal, action, resource in Orgkit::Organization::\"o1\");"
               "permit (principal, action, resource in Orgkit::Organization::\"o1\");",
    }
    for name, text in bad_policies.items():
        directory = one(policies=[{"id": "p", "cedar": text}])
        D(f"policy-{name}-quarantines", directory, stats(1), note="the load succeeds; the org fails closed")
        request = authz_request(("user", "u1"), "o1", "org.read", res("Organization", "o1"))
        case("authz", "load", f"authz-load-policy-{name}-fails-closed", "authorize", {"directory": directory, **request},
             ok({**verdict({**request}, "deny", []), "membership": {"status": "active", "roles": ["admin"]},
                 "errors": [{"policy": "org.o1.policies", "message": "the organization's policies were refused at "
                             "load; it fails closed until they are fixed"}]}))
    D("refused-policies-listed", one(policies=[{"id": "p", "cedar": "permit (principal, action, resource);"}]),
      ok([{"org_id": "o1", "refused": [{"id": "p", "diagnostics": "an organization's policy must be scoped "
           "`resource in Orgkit::Organization::\"o1\"` (or `resource is T in Orgkit::Organization::\"o1\"`)"}]}]),
      op="refused_policies")
    D("good-policy-loads", one(policies=[{"id": "p", "cedar": "permit (principal, action, resource in "
                                                               "Orgkit::Organization::\"o1\");"}]), stats(0))
    D("host-schema-refused", {"schema_version": 1}, err("invalid_input", path="options.authz"),
      {"authz": {"schema": "namespace App { entity Doc in [Nope]; }"}})
    D("host-policy-refused", {"schema_version": 1}, err("invalid_input", path="options.authz.policies"),
      {"authz": {"policies": "permit (principal, action, resource) when { context.nope };"}})
    D("host-policy-syntax", {"schema_version": 1}, err("invalid_input", path="options.authz.policies"),
      {"authz": {"policies": "permit (principal"}})
    D("host-context-refused", {"schema_version": 1}, err("invalid_input", path="options.authz"),
      {"authz": {"host_context": "{ mfa: Nope }"}})
    D("policy-limit", one(policies=[{"id": "a", "cedar": "x"}, {"id": "b", "cedar": "y"}]),
      err("invalid_directory", problems=[{"path": "orgs[0].policies", "code": "limit_exceeded"}, {"path": "memberships[0].org_id", "code": "unknown_org"}]),
      {"limits": {"max_policies_per_org": 1}})
    # A change with a bad policy is refused; the org keeps its previous policies.
    change = {"schema_version": 1, "changes": [{"op": "upsert_org", "org": org(
        "org_policyco", "policyco", "PolicyCo", [], policies=[{"id": "p", "cedar": "permit (principal, action, resource);"}])}]}
    request = authz_request(("user", "kate"), "org_policyco", "users.invite", res("Organization", "org_policyco"))
    case("authz", "load", "authz-load-change-bad-policy-refused", "authorize",
         {"directory": AUTHZ_DIR, "options": AUTHZ_OPTIONS, "changes": change, **request},
         err("invalid_change", problems=[{"path": "changes[0].org.policies", "code": "invalid_policy"}]))
    lifted = {"schema_version": 1, "changes": [{"op": "upsert_org", "org": org("org_policyco", "policyco", "PolicyCo", [])}]}
    case("authz", "load", "authz-load-change-removes-policy", "authorize",
         {"directory": AUTHZ_DIR, "options": AUTHZ_OPTIONS, "changes": lifted, **request},
         ok(verdict(request, "allow", ["orgkit.role.admin"])))
    grant_role = {"schema_version": 1, "changes": [{"op": "upsert_membership", "membership": mem("bob", "org_acme", ["auditor"])}]}
    request = authz_request(("user", "bob"), "org_acme", "audit.read", res("Organization", "org_acme"))
    case("authz", "load", "authz-load-change-role-assignment", "authorize",
         {"directory": AUTHZ_DIR, "options": AUTHZ_OPTIONS, "changes": grant_role, **request},
         ok({**verdict(request, "allow", ["org.org_acme.role.auditor"]), "membership": {"status": "active",
                                                                                       "roles": ["auditor"]}}))


def scim_cases():
    scim_vectors.build_all(case, ok, err, org, small_dir)
    scim_write_vectors.build(case, ok, err, org, small_dir)
    scim_write_vectors.build_responses(case, ok, err)
    scim_write_vectors.build_etags(case, ok, err)


def audit_cases():
    audit_vectors.build(case, ok, err, org, small_dir)
    audit_vectors.build_query(case, ok, err, org, small_dir)
    audit_vectors.build_changes(case, ok, err, org, small_dir)


def session_cases():
    session_vectors.build(case, ok, err, org, small_dir)
    branding_vectors.build(case, ok, err, org, small_dir)
    sql_vectors.build(case, ok, err)
    sql_list_vectors.build(case, ok, err)
    sql_list_vectors.build_sort(case, ok, err)


def main():
    for build in (email_cases, domain_cases, route_cases, assertion_cases, slug_cases, load_cases, change_cases,
                  wire_cases, authz_cases, authz_api_cases, check_cases, authz_load_cases, scim_cases, audit_cases,
                  session_cases):
        build()
    ids = [c["id"] for cases in FILES.values() for c in cases]
    dupes = {i for i in ids if ids.count(i) > 1}
    if dupes:
        sys.exit(f"duplicate vector ids: {sorted(dupes)}")
    check = "--check" in sys.argv
    stale = []
    for (area, name), cases in sorted(FILES.items()):
        path = ROOT / area / f"{name}.jsonl"
        text = "".join(json.dumps(c, ensure_ascii=False, sort_keys=False) + "\n" for c in cases)
        if check:
            if not path.exists() or path.read_text(encoding="utf-8") != text:
                stale.append(str(path.relative_to(ROOT)))
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
    if stale:
        sys.exit(f"vectors are stale, run tests/vectors/generate.py: {stale}")
    print(f"{len(ids)} vectors in {len(FILES)} files" + (" (up to date)" if check else ""))


if __name__ == "__main__":
    main()
