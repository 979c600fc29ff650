"""Shared fixtures: a directory with SCIM tokens minted by the engine, an Ed25519 session key
made with ``cryptography``, JWTs signed with it, and the app served by uvicorn on 127.0.0.1 (an
ephemeral port, in a background thread), driven with httpx."""

from __future__ import annotations

import base64
import json
import secrets
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator

import httpx
import orgkit
import pytest
import uvicorn
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from starlette.applications import Starlette

from orgkit_host import DirectorySnapshot, SqliteStore, Store, create_app

ISSUER = "https://idp.test"
"""The test issuer."""
AUDIENCE = "orgkit-tests"
"""The audience the test app accepts."""
KID = "session-key"
"""The key id of the test issuer's signing key."""
STARTUP_SECONDS = 10.0
"""How long a server may take to start or stop before the test fails."""


def mint_scim_token() -> dict[str, str]:
    """A SCIM bearer token minted by the engine from 32 random bytes (``secrets``)."""
    token: dict[str, str] = orgkit.call("scim_mint_token", random=secrets.token_hex(32))
    return token


ACME_SCIM = mint_scim_token()
GLOBEX_SCIM = mint_scim_token()


def b64url(data: bytes) -> str:
    """Base64url without padding."""
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


class SigningKey:
    """An Ed25519 key pair: its public JWK for the engine's issuers, its PKCS#8 PEM for the
    engine's ``signing`` key, and JWT signing here."""

    def __init__(self, kid: str = KID) -> None:
        self.kid = kid
        self.private = Ed25519PrivateKey.generate()
        raw = self.private.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        self.jwk = {"kty": "OKP", "crv": "Ed25519", "kid": kid, "alg": "EdDSA", "use": "sig", "x": b64url(raw)}
        self.pem = self.private.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        ).decode()

    def sign(self, claims: dict[str, Any], header: dict[str, Any] | None = None) -> str:
        """A compact JWS (EdDSA) of ``claims``."""
        head = {"alg": "EdDSA", "kid": self.kid, "typ": "JWT", **(header or {})}
        signed = f"{b64url(json.dumps(head).encode())}.{b64url(json.dumps(claims).encode())}"
        return f"{signed}.{b64url(self.private.sign(signed.encode()))}"


def claims_for(user: str, org: str | None = "org_acme", lifetime: int = 3600) -> dict[str, Any]:
    """Claims of a session for ``user`` (in ``org``, or naming none), valid for ``lifetime`` s."""
    now = int(time.time())
    claims: dict[str, Any] = {"iss": ISSUER, "aud": AUDIENCE, "sub": user, "iat": now, "nbf": now - 5}
    claims["exp"] = now + lifetime
    if org is not None:
        claims["org_id"] = org
    return claims


def sessions_config(key: SigningKey) -> dict[str, Any]:
    """The engine's ``options.sessions``: the test issuer trusting ``key``, which also signs
    org-switch tokens."""
    return {
        "issuers": [
            {"issuer": ISSUER, "audiences": [AUDIENCE], "algorithms": ["EdDSA"], "jwks": {"keys": [key.jwk]}}
        ],
        "signing": {
            "issuer": ISSUER,
            "audience": AUDIENCE,
            "key": {"kid": key.kid, "algorithm": "EdDSA", "pem": key.pem},
        },
    }


def _org(id: str, name: str, domain: str, token_id: str, sha256: str, **extra: Any) -> dict[str, Any]:
    org = {
        "id": id,
        "name": name,
        "slug": name.lower(),
        "domains": [{"domain": domain, "verification": "verified"}],
        "scim": {"enabled": True, "tokens": [{"id": token_id, "sha256": sha256}]},
    }
    return {**org, **extra}


DIRECTORY: dict[str, Any] = {
    "schema_version": 1,
    "orgs": [
        _org(
            "org_acme", "Acme", "acme.com", "tok_acme", ACME_SCIM["sha256"],
            sso_connections=[{
                "id": "conn_acme", "protocol": "oidc", "status": "active",
                "oidc": {"issuer": "https://idp.acme.test", "client_id": "app"},
            }],
            branding={"login_title": "Sign in to Acme", "primary_color": "#112233"},
            scim={
                "enabled": True,
                "tokens": [{"id": "tok_acme", "sha256": ACME_SCIM["sha256"]}],
                "mapping": {"roles": [{"group": "Admins", "role": "admin"}], "default_role": "member"},
            },
        ),
        _org("org_globex", "Globex", "globex.io", "tok_globex", GLOBEX_SCIM["sha256"]),
    ],
    "users": [
        {"id": "u_ann", "email": "ann@acme.com"},
        {"id": "u_bob", "email": "bob@acme.com"},
        {"id": "u_cy", "email": "cy@globex.io"},
    ],
    "memberships": [
        {"user_id": "u_ann", "org_id": "org_acme", "roles": ["admin"], "status": "active"},
        {"user_id": "u_bob", "org_id": "org_acme", "roles": ["member"], "status": "active"},
        {"user_id": "u_cy", "org_id": "org_acme", "roles": ["viewer"], "status": "active"},
        {"user_id": "u_cy", "org_id": "org_globex", "roles": ["admin"], "status": "active"},
    ],
}
"""Acme (SSO, branding, SCIM group → role mapping) and Globex; Cy belongs to both."""

OPTIONS = {"branding": {"login_title": "Sign in", "primary_color": "#000000"}}
"""The app's load options: the default branding."""


@contextmanager
def serve(app: Starlette) -> Iterator[httpx.Client]:
    """Serves ``app`` with uvicorn on 127.0.0.1 (an ephemeral port) in a background thread and
    yields an httpx client for it; the server is stopped on exit. Every wait is bounded."""
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + STARTUP_SECONDS
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.01)
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=10.0) as client:
            yield client
    finally:
        server.should_exit = True
        thread.join(STARTUP_SECONDS)


def seeded(store: Store) -> Store:
    """``store`` with the test directory and options as its snapshot."""
    store.directory.put_snapshot(DirectorySnapshot(DIRECTORY, OPTIONS))
    return store


@pytest.fixture(scope="module")
def key() -> SigningKey:
    """The test issuer's session key."""
    return SigningKey()


@pytest.fixture(scope="module")
def sqlite_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SqliteStore]:
    """A seeded SQLite store in a file of its own (WAL)."""
    path: Path = tmp_path_factory.mktemp("orgkit-host") / "orgkit.db"
    store = SqliteStore(str(path))
    seeded(store)
    yield store
    store.close()


@pytest.fixture(scope="module")
def app(sqlite_store: SqliteStore, key: SigningKey) -> Starlette:
    """The app over the SQLite store, with the test issuer trusted."""
    return create_app(sqlite_store, sessions=sessions_config(key))


@pytest.fixture(scope="module")
def client(app: Starlette) -> Iterator[httpx.Client]:
    """An httpx client of the app served on 127.0.0.1."""
    with serve(app) as http:
        yield http
