#!/usr/bin/env python3
"""Makes the keys and signed tokens of the session vectors: tests/vectors/session_fixtures.json.

Tokens are built and signed here with Python's `cryptography` package, an implementation
independent of the engine's (jsonwebtoken over aws-lc-rs or RustCrypto). Keys are fresh on every
run, so the JSON is committed and generate.py only reads it; run this script (it needs
`cryptography`) only to add or change a token, then run generate.py.
"""
import base64
import hashlib
import hmac
import json
from pathlib import Path

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature

OUT = Path(__file__).resolve().parent / "session_fixtures.json"
NOW = 1_800_000_000
IDP = "https://idp.example.test"
HS = "https://hs.example.test"
APP = "https://app.example.test/orgkit"


def b64u(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def uint(n: int) -> str:
    return b64u(n.to_bytes((n.bit_length() + 7) // 8, "big"))


def compact(value) -> bytes:
    return json.dumps(value, separators=(",", ":"), sort_keys=False).encode()


class Keys:
    def __init__(self):
        self.rsa = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.rsa_pem = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.attacker = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.p256 = ec.generate_private_key(ec.SECP256R1())
        self.p384 = ec.generate_private_key(ec.SECP384R1())
        self.ed = ed25519.Ed25519PrivateKey.generate()
        self.ed_der = ed25519.Ed25519PrivateKey.generate()
        self.session = ed25519.Ed25519PrivateKey.generate()
        self.hs = bytes(range(1, 33)) + b"orgkit-vectors"

    def jwks(self):
        r = self.rsa.public_key().public_numbers()
        p256 = self.p256.public_key().public_numbers()
        p384 = self.p384.public_key().public_numbers()
        raw = lambda k: k.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        return {"keys": [
            {"kty": "RSA", "kid": "rsa1", "use": "sig", "n": uint(r.n), "e": uint(r.e)},
            {"kty": "EC", "kid": "ec256", "crv": "P-256", "alg": "ES256",
             "x": b64u(p256.x.to_bytes(32, "big")), "y": b64u(p256.y.to_bytes(32, "big"))},
            {"kty": "EC", "kid": "ec384", "crv": "P-384",
             "x": b64u(p384.x.to_bytes(48, "big")), "y": b64u(p384.y.to_bytes(48, "big"))},
            {"kty": "OKP", "kid": "ed1", "crv": "Ed25519", "alg": "EdDSA", "x": b64u(raw(self.ed))},
        ]}


def sign(keys, alg, key, message: bytes) -> bytes:
    if alg == "RS256":
        return key.sign(message, padding.PKCS1v15(), hashes.SHA256())
    if alg == "PS256":
        return key.sign(message, padding.PSS(mgf=padding.MGF1(hashes.SHA256()), salt_length=32), hashes.SHA256())
    if alg in ("ES256", "ES384"):
        size, digest = (32, hashes.SHA256()) if alg == "ES256" else (48, hashes.SHA384())
        r, s = decode_dss_signature(key.sign(message, ec.ECDSA(digest)))
        return r.to_bytes(size, "big") + s.to_bytes(size, "big")
    if alg == "EdDSA":
        return key.sign(message)
    if alg == "HS256":
        return hmac.new(key, message, hashlib.sha256).digest()
    raise ValueError(alg)


def token(keys, alg, key, claims, header=None):
    head = {"alg": alg, "typ": "JWT", **(header or {})}
    message = b64u(compact(head)).encode() + b"." + b64u(compact(claims)).encode()
    return (message + b"." + b64u(sign(keys, alg, key, message)).encode()).decode()


def claims(sub="u_alice", iss=IDP, aud="app", exp=NOW + 600, **extra):
    out = {"iss": iss, "sub": sub, "aud": aud, "exp": exp, "iat": NOW - 10}
    out.update(extra)
    return {k: v for k, v in out.items() if v is not None}


def pem_public(key):
    return key.public_key().public_bytes(serialization.Encoding.PEM,
                                         serialization.PublicFormat.SubjectPublicKeyInfo).decode()


def main():
    k = Keys()
    der = k.ed_der.public_key().public_bytes(serialization.Encoding.DER,
                                             serialization.PublicFormat.SubjectPublicKeyInfo)
    session_private = k.session.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                              serialization.NoEncryption()).decode()
    session_raw = k.session.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    options = {
        "issuers": [
            {"issuer": IDP, "audiences": ["app", "app-admin"],
             "algorithms": ["RS256", "PS256", "ES256", "ES384", "EdDSA"], "jwks": k.jwks(),
             "keys": [{"kid": "rsa-pem", "algorithm": "RS256", "pem": pem_public(k.rsa_pem)},
                      {"kid": "ed-der", "algorithm": "EdDSA", "der": base64.b64encode(der).decode()}]},
            {"issuer": HS, "audiences": ["app"], "algorithms": ["HS256"], "leeway_seconds": 0,
             "keys": [{"kid": "hs1", "algorithm": "HS256", "secret": b64u(k.hs)}]},
            {"issuer": APP, "audiences": ["app"], "algorithms": ["EdDSA"],
             "jwks": {"keys": [{"kty": "OKP", "kid": "sess1", "crv": "Ed25519", "alg": "EdDSA",
                                "x": b64u(session_raw)}]}},
        ],
        "signing": {"issuer": APP, "audience": "app", "ttl_seconds": 900,
                    "key": {"kid": "sess1", "algorithm": "EdDSA", "pem": session_private}},
    }
    T = {}
    T["rs256"] = token(k, "RS256", k.rsa, claims(), {"kid": "rsa1"})
    T["ps256"] = token(k, "PS256", k.rsa, claims(), {"kid": "rsa1"})
    T["es256"] = token(k, "ES256", k.p256, claims(), {"kid": "ec256"})
    T["es384"] = token(k, "ES384", k.p384, claims(), {"kid": "ec384"})
    T["eddsa"] = token(k, "EdDSA", k.ed, claims(), {"kid": "ed1"})
    T["rs256_pem_key"] = token(k, "RS256", k.rsa_pem, claims(), {"kid": "rsa-pem"})
    T["eddsa_der_key"] = token(k, "EdDSA", k.ed_der, claims(), {"kid": "ed-der"})
    T["hs256_no_kid"] = token(k, "HS256", k.hs, claims(iss=HS))
    T["aud_list"] = token(k, "EdDSA", k.ed, claims(aud=["other", "app-admin"]), {"kid": "ed1"})
    T["org_bound_acme"] = token(k, "EdDSA", k.ed, claims(org_id="org_a"), {"kid": "ed1"})
    T["org_bound_b_for_bob"] = token(k, "EdDSA", k.ed, claims(sub="u_bob", org_id="org_b"), {"kid": "ed1"})
    for user in ("u_bob", "u_carl", "u_dana", "u_erin", "u_nobody"):
        T[f"user_{user}"] = token(k, "EdDSA", k.ed, claims(sub=user), {"kid": "ed1"})
    T["expired"] = token(k, "EdDSA", k.ed, claims(exp=NOW - 61), {"kid": "ed1"})
    T["expired_within_leeway"] = token(k, "EdDSA", k.ed, claims(exp=NOW - 59), {"kid": "ed1"})
    T["hs_expired_no_leeway"] = token(k, "HS256", k.hs, claims(iss=HS, exp=NOW))
    T["nbf_future"] = token(k, "EdDSA", k.ed, claims(nbf=NOW + 61), {"kid": "ed1"})
    T["nbf_within_leeway"] = token(k, "EdDSA", k.ed, claims(nbf=NOW + 59), {"kid": "ed1"})
    T["iat_future"] = token(k, "EdDSA", k.ed, claims(iat=NOW + 3600), {"kid": "ed1"})
    T["wrong_audience"] = token(k, "EdDSA", k.ed, claims(aud="billing"), {"kid": "ed1"})
    T["no_exp"] = token(k, "EdDSA", k.ed, claims(exp=None), {"kid": "ed1"})
    T["no_aud"] = token(k, "EdDSA", k.ed, claims(aud=None), {"kid": "ed1"})
    T["exp_string"] = token(k, "EdDSA", k.ed, claims(exp="tomorrow"), {"kid": "ed1"})
    T["no_sub"] = token(k, "EdDSA", k.ed, claims(sub=None), {"kid": "ed1"})
    T["unknown_issuer"] = token(k, "EdDSA", k.ed, claims(iss="https://evil.example.test"), {"kid": "ed1"})
    T["unknown_kid"] = token(k, "EdDSA", k.ed, claims(), {"kid": "ed9"})
    T["no_kid_many_keys"] = token(k, "EdDSA", k.ed, claims())
    # The classic confusion: HMAC keyed with the issuer's public RSA key as the secret.
    T["hs256_with_rsa_public_key"] = token(k, "HS256", pem_public(k.rsa_pem).encode(), claims(), {"kid": "rsa-pem"})
    T["alg_key_mismatch"] = token(k, "RS256", k.rsa, claims(), {"kid": "ec256"})
    T["tampered"] = T["eddsa"].split(".")[0] + "." + b64u(compact(claims(sub="u_bob"))) + "." + T["eddsa"].split(".")[2]
    attacker = k.attacker.public_key().public_numbers()
    embedded = {"kty": "RSA", "kid": "attacker", "n": uint(attacker.n), "e": uint(attacker.e)}
    T["embedded_jwk_attacker_kid"] = token(k, "RS256", k.attacker, claims(), {"kid": "attacker", "jwk": embedded})
    T["embedded_jwk_known_kid"] = token(k, "RS256", k.attacker, claims(), {"kid": "rsa1", "jwk": embedded,
                                                                           "jku": "https://evil.example.test/jwks"})
    T["crit_header"] = token(k, "EdDSA", k.ed, claims(), {"kid": "ed1", "crit": ["exp"]})
    T["large"] = token(k, "EdDSA", k.ed, claims(padding="x" * 600), {"kid": "ed1"})
    head, body, sig = T["eddsa"].split(".")
    T["alg_none"] = b64u(compact({"alg": "none", "typ": "JWT"})) + "." + body + "."
    T["two_parts"] = head + "." + body
    T["bad_chars"] = head + "." + body + "." + sig + "=="
    OUT.write_text(json.dumps({"now": NOW, "options": options, "tokens": T}, indent=1) + "\n", encoding="utf-8")
    print(f"{len(T)} tokens written to {OUT.name}")


if __name__ == "__main__":
    main()
