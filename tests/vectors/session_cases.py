"""Session vectors: token verification, active org resolution, org switch, feature flags.

Tokens and keys come from session_fixtures.json (signed by session_fixtures.py with Python's
`cryptography`). The token the engine signs on an org switch is computed here too, with
`cryptography` (EdDSA is deterministic), so generate.py needs that package.
"""
import base64
import copy
import json
from pathlib import Path

from cryptography.hazmat.primitives import serialization

FIXTURES = json.loads((Path(__file__).resolve().parent / "session_fixtures.json").read_text(encoding="utf-8"))
NOW = FIXTURES["now"]
T = FIXTURES["tokens"]
OPTIONS = {"sessions": FIXTURES["options"], "feature_flags": {"sso": True, "seats": 5, "plan": "free"}}
IDP = "https://idp.example.test"
APP = "https://app.example.test/orgkit"

ADMIN = ["audit.read", "branding.read", "branding.update", "domains.manage", "org.read", "org.switch",
         "roles.manage", "roles.read", "scim.configure", "scim.read", "sso.configure", "sso.read", "support.grant",
         "users.assign_roles", "users.invite", "users.read", "users.remove", "users.suspend"]
MEMBER = ["branding.read", "org.read", "org.switch", "roles.read", "users.read"]
FLAGS_A = {"beta": True, "plan": "free", "seats": 50, "sso": True}
FLAGS_B = {"plan": "free", "seats": 5, "sso": True}


def directory(org, small_dir):
    orgs = [org("org_a", "acme", "Acme", [], feature_flags={"seats": 50, "beta": True}),
            org("org_b", "beta", "Beta", []),
            org("org_off", "off", "Off", [], status="disabled")]
    users = [{"id": u, "email": f"{u[2:]}@example.com"} for u in ("u_alice", "u_bob", "u_carl", "u_dana", "u_erin")]
    mem = lambda u, o, roles, status="active": {"user_id": u, "org_id": o, "roles": roles, "status": status}
    memberships = [mem("u_alice", "org_a", ["admin"]), mem("u_alice", "org_b", ["member"]),
                   mem("u_alice", "org_off", ["admin"]),
                   mem("u_bob", "org_a", ["member"]), mem("u_carl", "org_a", ["admin"], "suspended"),
                   mem("u_dana", "org_b", ["member"], "invited")]
    return small_dir(orgs, users, memberships)


def claims_of(token):
    body = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))


def verified(name, kid, alg, sub="u_alice", org_id=None):
    c = claims_of(T[name])
    out = {"issuer": c["iss"], "kid": kid, "algorithm": alg, "user_id": sub}
    if org_id:
        out["org_id"] = org_id
    out.update({"expires_at": c["exp"], "claims": c})
    return {k: v for k, v in out.items() if v is not None}


def active(org_id, roles, permissions, flags, user="u_alice", issuer=IDP, expires_at=NOW + 600):
    return {"status": "active", "user_id": user, "org_id": org_id, "issuer": issuer, "expires_at": expires_at,
            "membership": {"status": "active", "roles": roles}, "permissions": permissions, "feature_flags": flags}


def expected_switch_token(claims):
    """The EdDSA token the engine must sign: jsonwebtoken's header order, the claims in the order
    core/src/session/issue.rs documents."""
    key = serialization.load_pem_private_key(FIXTURES["options"]["signing"]["key"]["pem"].encode(), None)
    b64 = lambda b: base64.urlsafe_b64encode(b).rstrip(b"=").decode()
    dump = lambda v: json.dumps(v, separators=(",", ":")).encode()
    message = (b64(b'{"typ":"JWT","alg":"EdDSA","kid":"sess1"}') + "." + b64(dump(claims))).encode()
    return message.decode() + "." + b64(key.sign(message))


def build(case, ok, err, org, small_dir):
    d = directory(org, small_dir)
    base = {"directory": d, "options": OPTIONS}

    def V(cid, token, expected, note=None, options=None, now=NOW):
        inp = {"directory": d, "options": options or OPTIONS, "token": T[token] if token in T else token,
               "now": now}
        case("session", "verify", cid, "session_verify", inp, expected, note)

    bad = lambda reason, **f: err("invalid_token", reason=reason, **f)
    V("rs256-jwks", "rs256", ok(verified("rs256", "rsa1", "RS256")), "a JWK without `alg` serves its type's algorithms")
    V("ps256-jwks", "ps256", ok(verified("ps256", "rsa1", "PS256")))
    V("es256-jwks", "es256", ok(verified("es256", "ec256", "ES256")))
    V("es384-jwks", "es384", ok(verified("es384", "ec384", "ES384")), "P-384 key: ES384 only")
    V("eddsa-jwks", "eddsa", ok(verified("eddsa", "ed1", "EdDSA")))
    V("rs256-pem-key", "rs256_pem_key", ok(verified("rs256_pem_key", "rsa-pem", "RS256")))
    V("eddsa-der-key", "eddsa_der_key", ok(verified("eddsa_der_key", "ed-der", "EdDSA")))
    V("hs256-configured-no-kid", "hs256_no_kid", ok(verified("hs256_no_kid", None, "HS256")),
      "HS256 only where configured; no kid is fine when the issuer has one key")
    V("audience-in-list", "aud_list", ok(verified("aud_list", "ed1", "EdDSA")))
    V("org-claim", "org_bound_acme", ok(verified("org_bound_acme", "ed1", "EdDSA", org_id="org_a")))
    V("expired", "expired", bad("expired", path="exp"), "61 s past exp with 60 s leeway")
    V("expired-within-leeway", "expired_within_leeway", ok(verified("expired_within_leeway", "ed1", "EdDSA")))
    V("expired-at-exp-no-leeway", "hs_expired_no_leeway", bad("expired", path="exp"),
      "now == exp is expired (RFC 7519: now must be before exp)")
    V("nbf-future", "nbf_future", bad("not_yet_valid", path="nbf"))
    V("nbf-within-leeway", "nbf_within_leeway", ok(verified("nbf_within_leeway", "ed1", "EdDSA")))
    V("iat-future", "iat_future", bad("issued_in_future", path="iat"))
    V("wrong-audience", "wrong_audience", bad("audience_mismatch", path="aud"))
    V("no-exp", "no_exp", bad("missing_claim", path="exp"))
    V("no-aud", "no_aud", bad("missing_claim", path="aud"))
    V("exp-not-a-number", "exp_string", bad("invalid_claim", path="exp"))
    V("no-sub", "no_sub", bad("missing_claim", path="sub"))
    V("unknown-issuer", "unknown_issuer", bad("unknown_issuer"))
    V("unknown-kid", "unknown_kid", bad("unknown_key"))
    V("no-kid-several-keys", "no_kid_many_keys", bad("unknown_key"))
    V("hs256-confusion-refused", "hs256_with_rsa_public_key", bad("algorithm_not_allowed"),
      "HMAC keyed with the issuer's public key: HS256 is not allowed for this issuer")
    V("alg-does-not-fit-key", "alg_key_mismatch", bad("algorithm_not_allowed"), "RS256 naming an EC key")
    V("tampered-claims", "tampered", bad("bad_signature"))
    V("embedded-jwk-ignored", "embedded_jwk_attacker_kid", bad("unknown_key"),
      "the header's own `jwk` is never used: its kid is not configured")
    V("embedded-jwk-and-jku-ignored", "embedded_jwk_known_kid", bad("bad_signature"),
      "kid of a configured key, signed by the attacker's key from `jwk`/`jku`")
    V("crit-header-refused", "crit_header", bad("unsupported_header"))
    V("alg-none", "alg_none", bad("malformed"))
    V("two-parts", "two_parts", bad("malformed"))
    V("not-base64url", "bad_chars", bad("malformed"))
    V("too-large", "large", bad("too_large"), options={**OPTIONS, "sessions": {**OPTIONS["sessions"],
                                                                                "max_token_bytes": 512}})
    V("empty-token", "", bad("malformed"))
    case("session", "verify", "neither-token-nor-claims", "session_verify", {**base, "now": NOW},
         err("invalid_input"))
    case("session", "verify", "both-token-and-claims", "session_verify",
         {**base, "now": NOW, "token": T["eddsa"], "verified_claims": claims_of(T["eddsa"])}, err("invalid_input"))
    case("session", "verify", "host-verified-claims", "session_verify",
         {**base, "now": NOW, "verified_claims": claims_of(T["rs256"])},
         ok({k: v for k, v in verified("rs256", None, None).items()}),
         "claims a host verified with WebCrypto: every claim check but the signature")
    for name, reason, path in (("expired", "expired", "exp"), ("wrong_audience", "audience_mismatch", "aud"),
                               ("unknown_issuer", "unknown_issuer", None), ("nbf_future", "not_yet_valid", "nbf")):
        fields = {"path": path} if path else {}
        case("session", "verify", f"host-verified-claims-{reason.replace('_', '-')}", "session_verify",
             {**base, "now": NOW, "verified_claims": claims_of(T[name])}, bad(reason, **fields))

    def R(cid, expected, note=None, token="eddsa", org_id=None, claims=None):
        inp = {**base, "now": NOW}
        if claims is not None:
            inp["verified_claims"] = claims
        else:
            inp["token"] = T[token]
        if org_id:
            inp["org_id"] = org_id
        case("session", "resolve", cid, "session_resolve", inp, expected, note)

    R("several-orgs-pick", ok({"status": "organization_selection_required", "user_id": "u_alice", "candidates": [
        {"org_id": "org_a", "slug": "acme", "name": "Acme", "roles": ["admin"]},
        {"org_id": "org_b", "slug": "beta", "name": "Beta", "roles": ["member"]}], "truncated": False}),
      "active memberships in active orgs only: the disabled org is no candidate")
    R("chosen-org", ok(active("org_b", ["member"], MEMBER, FLAGS_B)), org_id="org_b")
    R("chosen-org-admin", ok(active("org_a", ["admin"], ADMIN, FLAGS_A)), org_id="org_a",
      note="permissions: the actions the membership allows on the org; flags: defaults under the org's own")
    R("one-org-no-choice-needed", ok(active("org_a", ["member"], MEMBER, FLAGS_A, user="u_bob")), token="user_u_bob")
    R("token-bound-org", ok(active("org_a", ["admin"], ADMIN, FLAGS_A)), token="org_bound_acme")
    R("token-bound-org-same-choice", ok(active("org_a", ["admin"], ADMIN, FLAGS_A)), token="org_bound_acme",
      org_id="org_a")
    R("token-bound-org-other-choice", err("forbidden", reason="org_mismatch", path="org_id"), token="org_bound_acme",
      org_id="org_b", note="a bound token never resolves to another org: switching signs a new token")
    R("token-bound-org-not-member", err("forbidden", reason="not_a_member", path="org_id"),
      token="org_bound_b_for_bob")
    R("suspended-only", ok({"status": "no_organization", "user_id": "u_carl"}), token="user_u_carl")
    R("suspended-chosen", err("forbidden", reason="membership_suspended", path="org_id"), token="user_u_carl",
      org_id="org_a")
    R("invited-chosen", err("forbidden", reason="membership_invited", path="org_id"), token="user_u_dana",
      org_id="org_b")
    R("no-membership", ok({"status": "no_organization", "user_id": "u_erin"}), token="user_u_erin")
    R("disabled-org-chosen", err("forbidden", reason="org_not_active", path="org_id"), org_id="org_off")
    R("unknown-org-chosen", err("unknown_org", path="org_id"), org_id="org_zz")
    R("unknown-user", err("invalid_token", reason="unknown_user"), token="user_u_nobody")
    R("resolve-host-verified-claims", ok(active("org_b", ["member"], MEMBER, FLAGS_B)), claims=claims_of(T["eddsa"]),
      org_id="org_b")
    R("resolve-host-verified-claims-expired", err("invalid_token", reason="expired", path="exp"),
      claims=claims_of(T["expired"]))
    R("invalid-signature-never-resolves", err("invalid_token", reason="bad_signature"), token="tampered")

    def S(cid, expected, note=None, token="org_bound_acme", org_id="org_b", options=None, **extra):
        inp = {"directory": d, "options": options or OPTIONS, "token": T[token], "now": NOW, "org_id": org_id,
               "token_id": "tok-1", "event_id": "ev-1", **extra}
        case("session", "switch", cid, "session_switch_org", inp, expected, note)

    claims = {"iss": APP, "sub": "u_alice", "aud": "app", "iat": NOW, "nbf": NOW, "exp": NOW + 600, "jti": "tok-1",
              "org_id": "org_b", "roles": ["member"], "permissions": MEMBER, "feature_flags": FLAGS_B}
    signed = expected_switch_token(claims)
    event = {"id": "ev-1", "org_id": "org_b", "action": "session.org_switched", "version": 1, "occurred_at": NOW,
             "actor": {"type": "user", "id": "u_alice"}, "targets": [{"type": "organization", "id": "org_b"}],
             "context": {"ip": "203.0.113.9"}, "outcome": "success",
             "metadata": {"expires_at": NOW + 600, "from_org": "org_a", "issuer": IDP, "token_id": "tok-1"}}
    S("switch-signs-org-token", ok({"token": signed, "claims": claims,
                                    "session": {k: v for k, v in active("org_b", ["member"], MEMBER, FLAGS_B,
                                                                        issuer=APP).items() if k != "status"},
                                    "event": event}),
      "EdDSA: deterministic, so every runtime signs the same bytes; exp capped at the old token's",
      audit_context={"ip": "203.0.113.9"})
    S("switch-not-member", err("forbidden", reason="not_a_member", path="org_id"), token="user_u_bob")
    S("switch-suspended", err("forbidden", reason="membership_suspended", path="org_id"), token="user_u_carl",
      org_id="org_a")
    S("switch-expired-session", err("invalid_token", reason="expired"), token="expired")
    S("switch-without-signing-key", err("invalid_input"),
      options={**OPTIONS, "sessions": {k: v for k, v in OPTIONS["sessions"].items() if k != "signing"}})
    S("switch-empty-token-id", err("invalid_value", path="token_id"), token_id="")

    def C(cid, sessions, expected, note=None):
        case("session", "config", cid, "session_verify",
             {"directory": d, "options": {"sessions": sessions}, "token": T["eddsa"], "now": NOW}, expected, note)

    issuer = copy.deepcopy(FIXTURES["options"]["issuers"][0])
    hs = copy.deepcopy(FIXTURES["options"]["issuers"][1])
    C("alg-none-never-allowed", {"issuers": [{**issuer, "algorithms": ["none"]}]},
      err("invalid_value", reason="algorithm_not_allowed", path="options.sessions.issuers[0].algorithms[0]"))
    C("hs512-not-offered", {"issuers": [{**issuer, "algorithms": ["HS512"]}]},
      err("invalid_value", reason="algorithm_not_allowed", path="options.sessions.issuers[0].algorithms[0]"))
    C("weak-hmac-secret", {"issuers": [{**hs, "keys": [{**hs["keys"][0], "secret": "c2hvcnQ"}]}]},
      err("invalid_value", reason="weak_secret", path="options.sessions.issuers[0].keys[0]"))
    C("secret-for-rsa-refused", {"issuers": [{**issuer, "keys": [{"kid": "x", "algorithm": "RS256",
                                                                    "secret": hs["keys"][0]["secret"]}]}]},
      err("invalid_value", reason="invalid_key", path="options.sessions.issuers[0].keys[0]"))
    C("key-alg-not-allowed", {"issuers": [{**issuer, "keys": [{**issuer["keys"][0], "algorithm": "HS256"}]}]},
      err("invalid_value", reason="algorithm_not_allowed", path="options.sessions.issuers[0].keys[0].algorithm"),
      "a key bound to an algorithm its issuer does not allow")
    C("pem-key-of-other-type", {"issuers": [{**issuer, "keys": [{**issuer["keys"][0], "algorithm": "ES256"}]}]},
      err("invalid_value", reason="invalid_key", path="options.sessions.issuers[0].keys[0]"),
      "an RSA PEM bound to ES256 does not parse as an EC key")
    jwks = copy.deepcopy(issuer["jwks"])
    del jwks["keys"][0]["kid"]
    C("jwk-without-kid", {"issuers": [{**issuer, "jwks": jwks}]},
      err("invalid_value", reason="missing_kid", path="options.sessions.issuers[0].jwks.keys[0]"))
    C("no-keys", {"issuers": [{k: v for k, v in issuer.items() if k not in ("jwks", "keys")}]},
      err("invalid_value", reason="no_keys", path="options.sessions.issuers[0]"))
    C("no-audience", {"issuers": [{**issuer, "audiences": []}]},
      err("invalid_value", reason="empty", path="options.sessions.issuers[0].audiences"))
    C("leeway-too-large", {"issuers": [{**issuer, "leeway_seconds": 3600}]},
      err("invalid_value", reason="out_of_range", path="options.sessions.issuers[0].leeway_seconds"))
    C("duplicate-issuer", {"issuers": [issuer, issuer]}, err("conflict", path="options.sessions.issuers[1].issuer"))
    C("duplicate-kid", {"issuers": [{**issuer, "keys": [issuer["keys"][0], issuer["keys"][0]]}]},
      err("conflict", path="options.sessions.issuers[0].keys[1]"))
    signing = FIXTURES["options"]["signing"]
    C("signing-ecdsa-refused", {"issuers": [issuer], "signing": {**signing, "key": {**signing["key"],
                                                                                   "algorithm": "ES256"}}},
      err("invalid_value", reason="algorithm_not_allowed", path="options.sessions.signing.key.algorithm"),
      "ECDSA nonces are random in aws-lc: the engine signs only deterministically")
    C("signing-ttl-too-long", {"issuers": [issuer], "signing": {**signing, "ttl_seconds": 604800}},
      err("invalid_value", reason="out_of_range", path="options.sessions.signing.ttl_seconds"))
    C("signing-bad-pem", {"issuers": [issuer], "signing": {**signing, "key": {**signing["key"], "pem": "nope"}}},
      err("invalid_value", reason="invalid_key", path="options.sessions.signing.key"))
    C("max-token-bytes-out-of-range", {"issuers": [issuer], "max_token_bytes": 10},
      err("invalid_value", reason="out_of_range", path="options.sessions.max_token_bytes"))
    C("unknown-option", {"issuers": [issuer], "jwks_url": "https://evil.example.test"}, err("invalid_input"),
      "keys are never fetched: there is no URL option")

    def F(cid, org_id, expected, options=OPTIONS):
        case("session", "flags", cid, "feature_flags", {"directory": d, "options": options, "org_id": org_id},
             expected)

    F("org-overrides-defaults", "org_a", ok(FLAGS_A))
    F("defaults-only", "org_b", ok(FLAGS_B))
    F("no-defaults", "org_a", ok({"beta": True, "seats": 50}), options={})
    F("unknown-org", "org_zz", err("unknown_org", path="org_id"))
    F("bad-default-key", "org_a", err("invalid_value", reason="invalid_key", path="options.feature_flags.Beta!"),
      options={"feature_flags": {"Beta!": True}})
