// Shared test fixtures: a directory with a SCIM token minted by the engine, signing keys made
// with WebCrypto, JWTs signed with them, and a host served over HTTP on 127.0.0.1.

import assert from "node:assert/strict";
import { loadOrgkit, type DirectoryDoc, type Orgkit, type Organization } from "@orgkit/engine";
import { createHost, serveNode, type Host, type Jwk, type NodeServer, type SessionsConfig, type Store } from "../src/index.js";

/** The engine instance the tests share. */
export const orgkit: Orgkit = await loadOrgkit();

/** Why a session test cannot run yet, or `undefined` once the engine has `session_resolve`. */
export const sessionsMissing = orgkit.ops.includes("session_resolve")
  ? undefined
  : "the engine has no `session_resolve` op yet (issue #5)";

/** 32 random bytes as hex, from the host's CSPRNG. */
const randomHex = () =>
  Array.from(crypto.getRandomValues(new Uint8Array(32)), (b) => b.toString(16).padStart(2, "0")).join("");

/** A SCIM bearer token for Acme, minted by the engine; its hash goes into the directory. */
export const scimToken = orgkit.call("scim_mint_token", { random: randomHex() }) as { token: string; sha256: string };

/** A second org's token, to prove a token reaches its own org only. */
export const globexToken = orgkit.call("scim_mint_token", { random: randomHex() }) as { token: string; sha256: string };

/** The test issuer. */
export const ISSUER = "https://idp.test";
/** The audience the test app accepts. */
export const AUDIENCE = "orgkit-tests";

/** An org claiming one verified domain, with a SCIM token; `extra` adds or overrides fields. */
const org = (id: string, name: string, domain: string, tokenHash: string, extra: Partial<Organization> = {}): Organization => ({
  id, name, slug: name.toLowerCase(), sso_connections: [],
  domains: [{ domain, verification: "verified" }],
  scim: { enabled: true, tokens: [{ id: `tok_${name.toLowerCase()}`, sha256: tokenHash }] },
  ...extra,
});

/** The directory document of the tests: Acme (SSO, branding, SCIM role mapping) and Globex. */
export const directory: DirectoryDoc = {
  schema_version: 1,
  orgs: [
    org("org_acme", "Acme", "acme.com", scimToken.sha256, {
      sso_connections: [{ id: "conn_acme", protocol: "oidc", status: "active", oidc: { issuer: "https://idp.acme.test", client_id: "app" } }],
      branding: { login_title: "Sign in to Acme", primary_color: "#112233" },
      scim: {
        enabled: true, tokens: [{ id: "tok_acme", sha256: scimToken.sha256 }],
        mapping: { roles: [{ group: "Admins", role: "admin" }], default_role: "member" },
      },
    }),
    org("org_globex", "Globex", "globex.io", globexToken.sha256),
  ],
  users: ["ann", "bob"].map((name) => ({ id: `u_${name}`, email: `${name}@acme.com` })),
  memberships: [
    { user_id: "u_ann", org_id: "org_acme", roles: ["admin"], status: "active" },
    { user_id: "u_bob", org_id: "org_acme", roles: ["member"], status: "active" },
  ],
};

/** A signing key pair and its public JWK (with `kid` and `alg`). */
export interface SigningKey {
  alg: string;
  kid: string;
  privateKey: CryptoKey;
  jwk: Jwk;
}

const rsa = (name: string, hash: string): RsaHashedKeyGenParams =>
  ({ name, modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash });

/** Key generation and signing parameters per JWS algorithm. */
const ALGORITHMS: Record<string, { generate: EcKeyGenParams | RsaHashedKeyGenParams | Algorithm; sign: Algorithm | EcdsaParams | RsaPssParams }> = {
  RS256: { generate: rsa("RSASSA-PKCS1-v1_5", "SHA-256"), sign: { name: "RSASSA-PKCS1-v1_5" } },
  RS384: { generate: rsa("RSASSA-PKCS1-v1_5", "SHA-384"), sign: { name: "RSASSA-PKCS1-v1_5" } },
  RS512: { generate: rsa("RSASSA-PKCS1-v1_5", "SHA-512"), sign: { name: "RSASSA-PKCS1-v1_5" } },
  PS256: { generate: rsa("RSA-PSS", "SHA-256"), sign: { name: "RSA-PSS", saltLength: 32 } as RsaPssParams },
  ES256: { generate: { name: "ECDSA", namedCurve: "P-256" }, sign: { name: "ECDSA", hash: "SHA-256" } as EcdsaParams },
  ES384: { generate: { name: "ECDSA", namedCurve: "P-384" }, sign: { name: "ECDSA", hash: "SHA-384" } as EcdsaParams },
  EdDSA: { generate: { name: "Ed25519" }, sign: { name: "Ed25519" } },
};

/** The algorithms the adapter verifies. */
export const JWS_ALGORITHMS = Object.keys(ALGORITHMS);

/** A fresh key pair for `alg`, generated with WebCrypto and exported as a JWK. */
export async function signingKey(alg: string, kid: string): Promise<SigningKey> {
  const pair = (await crypto.subtle.generateKey(ALGORITHMS[alg]!.generate, true, ["sign", "verify"])) as CryptoKeyPair;
  const jwk = { ...(await crypto.subtle.exportKey("jwk", pair.publicKey)), kid, alg } as Jwk;
  return { alg, kid, privateKey: pair.privateKey, jwk };
}

const base64url = (bytes: Uint8Array) =>
  btoa(String.fromCharCode(...bytes)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
const encode = (value: unknown) => base64url(new TextEncoder().encode(JSON.stringify(value)));

/** A compact JWS of `claims`, signed with `key`; `header` adds or overrides header fields. */
export async function signJwt(key: SigningKey, claims: object, header: object = {}): Promise<string> {
  const signed = `${encode({ alg: key.alg, kid: key.kid, typ: "JWT", ...header })}.${encode(claims)}`;
  const signature = await crypto.subtle.sign(ALGORITHMS[key.alg]!.sign, key.privateKey, new TextEncoder().encode(signed));
  return `${signed}.${base64url(new Uint8Array(signature))}`;
}

/** The sessions config trusting `keys` for the test issuer. */
export function sessionsConfig(keys: SigningKey[]): SessionsConfig {
  return {
    issuers: [{ issuer: ISSUER, audiences: [AUDIENCE], algorithms: JWS_ALGORITHMS, jwks: { keys: keys.map((k) => k.jwk) } }],
  };
}

/** Claims of a session for `user` in `org`, valid for an hour from now. */
export function claimsFor(user: string, org: string): object {
  const now = Math.floor(Date.now() / 1000);
  return { iss: ISSUER, aud: AUDIENCE, sub: user, org_id: org, iat: now, nbf: now - 5, exp: now + 3600 };
}

/** A host over `store`, seeded with the test directory, served on 127.0.0.1. */
export async function startHost(store: Store, sessions?: SessionsConfig): Promise<{ host: Host; server: NodeServer }> {
  await store.directory.putSnapshot({ directory });
  const host = await createHost({ orgkit, store, ...(sessions ? { sessions } : {}) });
  return { host, server: await serveNode(host.app) };
}

/** An HTTP answer: status, headers and the parsed JSON body (or text). */
export interface Answer {
  status: number;
  headers: Headers;
  body: any;
}

/** Sends a request to the server and reads the answer. */
export async function send(server: Pick<NodeServer, "url">, method: string, path: string, options: { token?: string; body?: unknown; headers?: Record<string, string> } = {}): Promise<Answer> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.body !== undefined && !headers["content-type"]) headers["content-type"] = "application/scim+json";
  const response = await fetch(`${server.url}${path}`, {
    method,
    headers,
    ...(options.body === undefined ? {} : { body: typeof options.body === "string" ? options.body : JSON.stringify(options.body) }),
  });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON: kept as text
  }
  return { status: response.status, headers: response.headers, body };
}

/** The authorization request the session tests send: configuring Acme's SSO. */
export const SSO_CONFIGURE = { action: "sso.configure", resource: { type: "Organization", id: "org_acme" } };

/** Checks home-realm discovery on `server`: Acme's connection and branding, and a typed error. */
export async function checkDiscovery(server: Pick<NodeServer, "url">): Promise<void> {
  const routed = await send(server, "POST", "/v1/route", { body: { email: "Zoe@ACME.com" } });
  assert.equal(routed.status, 200);
  assert.equal(routed.body.decision, "sso");
  assert.equal(routed.body.org.id, "org_acme");
  assert.equal(routed.body.connection.id, "conn_acme");
  assert.equal(routed.body.branding.login_title, "Sign in to Acme");
  assert.equal(routed.body.branding.primary_color, "#112233");
  const bad = await send(server, "POST", "/v1/route", { body: { email: "no-at-sign" } });
  assert.equal(bad.status, 400);
  assert.equal(bad.body.error.code, "invalid_email");
}

/** Checks that `server` refuses a token signed by another key under `key`'s `kid`, and no token. */
export async function checkForgedAndMissingTokens(server: Pick<NodeServer, "url">, key: SigningKey): Promise<void> {
  const forger = await signingKey(key.alg, key.kid);
  const forged = await send(server, "POST", "/v1/authorize", { token: await signJwt(forger, claimsFor("u_ann", "org_acme")), body: SSO_CONFIGURE });
  assert.equal(forged.status, 401);
  assert.equal(forged.body.error.reason, "bad_signature");
  const missing = await send(server, "POST", "/v1/authorize", { body: SSO_CONFIGURE });
  assert.equal(missing.status, 401);
}
