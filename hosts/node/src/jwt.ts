// JWT signature verification with WebCrypto (`crypto.subtle`, in Node ≥ 20 and Workers): RS256,
// RS384, RS512, PS256, ES256, ES384 and EdDSA (Ed25519). Only the signature is checked here:
// the key is looked up by `kid` in the JWKS configured for the token's issuer (never from
// `jku`, `x5u`, `jwk` or `x5c` headers), and `alg` must be on the issuer's allow-list and fit
// the key. The verified claims then go to the engine, which checks
// every claim (iss, aud, exp, nbf, org binding).

import type { KeyOptions, SigningOptions } from "@orgkit/engine";
import { HostError } from "./errors.js";

/** A public key of a JWKS (RFC 7517), as the issuer publishes it. */
export interface Jwk extends JsonWebKey {
  kid?: string;
  use?: string;
}

/** One trusted issuer, as the engine's `options.sessions.issuers` takes it. */
export interface IssuerConfig {
  issuer: string;
  audiences: string[];
  /** The signature algorithms accepted from this issuer. */
  algorithms: string[];
  /** The issuer's public keys as a JWKS document: the only keys the adapter verifies with. */
  jwks?: { keys: Jwk[] };
  /** PEM, DER or HS256 keys, for the engine's own verification (the adapter ignores them). */
  keys?: KeyOptions[];
  leeway_seconds?: number;
  user_claim?: string;
  org_claim?: string;
}

/** The engine's `options.sessions`. */
export interface SessionsConfig {
  issuers: IssuerConfig[];
  /** The key and claims of the tokens the engine signs on an org switch (engine only). */
  signing?: SigningOptions;
  /** The longest token accepted, in bytes (default 8192, as in the engine). */
  max_token_bytes?: number;
}

/** The claims of a token whose signature verified. */
export type VerifiedClaims = { [claim: string]: unknown };

/** WebCrypto parameters per JWS algorithm (RFC 7518), and the key type each needs. */
interface AlgorithmParams {
  kty: string;
  crv?: string;
  importAs: RsaHashedImportParams | EcKeyImportParams | Algorithm;
  verifyAs: Algorithm | EcdsaParams | RsaPssParams;
}

const rsa = (hash: string): AlgorithmParams => ({
  kty: "RSA",
  importAs: { name: "RSASSA-PKCS1-v1_5", hash },
  verifyAs: { name: "RSASSA-PKCS1-v1_5" },
});
const ec = (crv: string, hash: string): AlgorithmParams => ({
  kty: "EC",
  crv,
  importAs: { name: "ECDSA", namedCurve: crv },
  verifyAs: { name: "ECDSA", hash },
});

const ALGORITHMS = new Map<string, AlgorithmParams>([
  ["RS256", rsa("SHA-256")],
  ["RS384", rsa("SHA-384")],
  ["RS512", rsa("SHA-512")],
  ["PS256", { kty: "RSA", importAs: { name: "RSA-PSS", hash: "SHA-256" }, verifyAs: { name: "RSA-PSS", saltLength: 32 } }],
  ["ES256", ec("P-256", "SHA-256")],
  ["ES384", ec("P-384", "SHA-384")],
  ["EdDSA", { kty: "OKP", crv: "Ed25519", importAs: { name: "Ed25519" }, verifyAs: { name: "Ed25519" } }],
]);

/** A token the adapter reads no further: the engine's `invalid_token`, with a reason. */
const invalid = (reason: string, message: string) => new HostError("invalid_token", message, reason);

function base64url(part: string): Uint8Array<ArrayBuffer> {
  if (!/^[A-Za-z0-9_-]*$/.test(part)) throw invalid("malformed", "a token part is not base64url");
  const binary = atob(part.replace(/-/g, "+").replace(/_/g, "/"));
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

function jsonPart(part: string, what: string): { [key: string]: unknown } {
  try {
    const value: unknown = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(base64url(part)));
    if (typeof value === "object" && value !== null && !Array.isArray(value)) return value as { [key: string]: unknown };
  } catch (e) {
    if (e instanceof HostError) throw e;
  }
  throw invalid("malformed", `the token's ${what} is not a JSON object`);
}

/** Verifies compact JWS tokens against the configured issuers' keys. */
export class JwtVerifier {
  readonly #issuers: Map<string, IssuerConfig>;
  readonly #maxBytes: number;
  readonly #keys = new Map<string, Promise<CryptoKey>>();

  /** A verifier for `config`'s issuers; tokens over `max_token_bytes` are refused unread. */
  constructor(config: SessionsConfig) {
    this.#issuers = new Map(config.issuers.map((i) => [i.issuer, i]));
    this.#maxBytes = config.max_token_bytes ?? 8192;
  }

  /** The claims of `token` once its signature verifies; throws `invalid_token` otherwise. */
  async verify(token: string): Promise<VerifiedClaims> {
    if (token.length > this.#maxBytes) throw invalid("too_large", "the token is too large");
    const parts = token.split(".");
    if (parts.length !== 3) throw invalid("malformed", "a token is three dot-separated parts");
    const [head, body, signature] = parts as [string, string, string];
    const header = jsonPart(head, "header");
    const claims = jsonPart(body, "payload");
    if ("crit" in header) throw invalid("unsupported_header", "the token names critical header parameters");
    const issuer = typeof claims.iss === "string" ? this.#issuers.get(claims.iss) : undefined;
    if (!issuer) throw invalid("unknown_issuer", "the token's issuer is not configured");
    const alg = typeof header.alg === "string" ? header.alg : "";
    const params = ALGORITHMS.get(alg);
    if (!params || !issuer.algorithms.includes(alg)) {
      throw invalid("algorithm_not_allowed", `the algorithm \`${alg}\` is not allowed for this issuer`);
    }
    const key = await this.#key(issuer, header.kid, alg, params);
    const signed = new TextEncoder().encode(`${head}.${body}`);
    if (!(await crypto.subtle.verify(params.verifyAs, key, base64url(signature), signed))) {
      throw invalid("bad_signature", "the token's signature does not verify");
    }
    return claims;
  }

  /** The issuer's key named `kid` (the only key when the token names none), imported for `alg`. */
  #key(issuer: IssuerConfig, kid: unknown, alg: string, params: AlgorithmParams): Promise<CryptoKey> {
    const keys = issuer.jwks?.keys ?? [];
    const jwk = kid === undefined && keys.length === 1 ? keys[0] : keys.find((k) => k.kid === kid);
    if (!jwk) throw invalid("unknown_key", "no configured key has the token's `kid`");
    const fits =
      jwk.kty === params.kty &&
      (params.crv === undefined || jwk.crv === params.crv) &&
      (jwk.alg === undefined || jwk.alg === alg) &&
      (jwk.use === undefined || jwk.use === "sig");
    if (!fits) throw invalid("key_mismatch", `the key \`${String(kid)}\` is not a ${alg} signing key`);
    const cacheKey = JSON.stringify([issuer.issuer, jwk.kid ?? null, alg]);
    let imported = this.#keys.get(cacheKey);
    if (!imported) {
      imported = crypto.subtle.importKey("jwk", jwk, params.importAs, false, ["verify"]);
      imported.catch(() => this.#keys.delete(cacheKey));
      this.#keys.set(cacheKey, imported);
    }
    return imported;
  }
}
