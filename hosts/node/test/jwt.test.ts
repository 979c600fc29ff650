// The WebCrypto verifier: RS256/384/512, PS256, ES256/384 and EdDSA signatures; the key comes from the configured
// JWKS only, and the algorithm must be allowed and fit the key.

import { test } from "node:test";
import assert from "node:assert/strict";
import { JwtVerifier, type SessionsConfig } from "../src/index.js";
import { claimsFor, ISSUER, JWS_ALGORITHMS, sessionsConfig, signingKey, signJwt } from "./fixtures.js";

const refused = (reason: string) => (e: unknown) => {
  assert.equal((e as { code?: string }).code, "invalid_token");
  assert.equal((e as { reason?: string }).reason, reason);
  return true;
};

for (const alg of JWS_ALGORITHMS) {
  test(`a ${alg} token verifies and yields its claims`, async () => {
    const key = await signingKey(alg, `k-${alg}`);
    const claims = claimsFor("u_ann", "org_acme");
    const verifier = new JwtVerifier(sessionsConfig([key]));
    assert.deepEqual(await verifier.verify(await signJwt(key, claims)), claims);
  });
}

test("a token signed by a key outside the JWKS is refused", async () => {
  const trusted = await signingKey("ES256", "trusted");
  const forged = { ...(await signingKey("ES256", "trusted")), jwk: trusted.jwk };
  const verifier = new JwtVerifier(sessionsConfig([trusted]));
  await assert.rejects(verifier.verify(await signJwt(forged, claimsFor("u_ann", "org_acme"))), refused("bad_signature"));
});

test("the key is never taken from jku, x5u or jwk headers", async () => {
  const trusted = await signingKey("ES256", "trusted");
  const attacker = await signingKey("ES256", "attacker");
  const verifier = new JwtVerifier(sessionsConfig([trusted]));
  const token = await signJwt(attacker, claimsFor("u_ann", "org_acme"), {
    jku: "https://attacker.test/jwks.json", x5u: "https://attacker.test/cert.pem", jwk: attacker.jwk,
  });
  await assert.rejects(verifier.verify(token), refused("unknown_key"));
});

test("the algorithm must be allowed for the issuer and fit the key", async () => {
  const rsa = await signingKey("RS256", "rsa");
  const config: SessionsConfig = sessionsConfig([rsa]);
  config.issuers[0]!.algorithms = ["ES256"];
  await assert.rejects(new JwtVerifier(config).verify(await signJwt(rsa, claimsFor("u_ann", "org_acme"))), refused("algorithm_not_allowed"));
  const ec = await signingKey("ES256", "ec");
  const verifier = new JwtVerifier(sessionsConfig([rsa, ec]));
  const claims = claimsFor("u_ann", "org_acme");
  await assert.rejects(verifier.verify(await signJwt(ec, claims, { kid: "rsa" })), refused("key_mismatch"));
  const unsigned = `${(await signJwt(ec, claims, { alg: "none" })).split(".").slice(0, 2).join(".")}.`;
  await assert.rejects(verifier.verify(unsigned), refused("algorithm_not_allowed"));
});

test("unknown issuers and malformed tokens are refused before any key is used", async () => {
  const key = await signingKey("ES256", "k");
  const verifier = new JwtVerifier(sessionsConfig([key]));
  const other = await signJwt(key, { ...claimsFor("u_ann", "org_acme"), iss: `${ISSUER}/other` });
  await assert.rejects(verifier.verify(other), refused("unknown_issuer"));
  await assert.rejects(verifier.verify("not-a-token"), refused("malformed"));
  const good = await signJwt(key, claimsFor("u_ann", "org_acme"));
  await assert.rejects(verifier.verify(`${good.split(".").slice(0, 2).join(".")}.!!`), refused("malformed"));
});
