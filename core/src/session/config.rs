//! Session settings as the host passes them (`LoadOptions.sessions`), and their built form: every
//! key parsed once at load, bound to one algorithm, found by `kid`.

use crate::error::{Error, ErrorCode, Result};
use base64::Engine as _;
use jsonwebtoken::jwk::{AlgorithmParameters, EllipticCurve, Jwk, JwkSet, PublicKeyUse};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// Default accepted clock skew for `exp`, `nbf` and `iat`, in seconds.
const DEFAULT_LEEWAY: u64 = 60;
/// The largest leeway a host may configure, in seconds.
const MAX_LEEWAY: u64 = 300;
/// Default lifetime of an org-scoped session token the engine signs, in seconds.
const DEFAULT_TTL: i64 = 3600;
/// The longest lifetime a host may configure for a token the engine signs, in seconds.
const MAX_TTL: i64 = 86_400;
/// Default limit on a compact token's length, in bytes.
const DEFAULT_MAX_TOKEN_BYTES: usize = 8192;
/// The smallest HMAC secret accepted, in bytes (RFC 7518 §3.2: at least the hash size).
const MIN_HMAC_SECRET: usize = 32;

/// How the engine verifies session and ID tokens and signs org-scoped session tokens.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SessionOptions {
    /// The issuers whose tokens are accepted, each with its keys and rules.
    pub issuers: Vec<IssuerOptions>,
    /// The key and claims of the session tokens the engine signs on an org switch.
    pub signing: Option<SigningOptions>,
    /// The longest compact token accepted, in bytes (default 8192).
    pub max_token_bytes: Option<usize>,
}

/// One accepted issuer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IssuerOptions {
    /// The exact `iss` value.
    pub issuer: String,
    /// Accepted `aud` values; a token must name at least one.
    pub audiences: Vec<String>,
    /// The algorithms accepted from this issuer: RS256, RS384, RS512, PS256, ES256, ES384,
    /// EdDSA, and HS256 only when listed here with a secret key.
    pub algorithms: Vec<String>,
    /// Public keys as a JWKS document (`{"keys": [...]}`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub jwks: Option<serde_json::Value>,
    /// Keys given as PEM, DER or a shared secret.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub keys: Vec<KeyOptions>,
    /// Accepted clock skew in seconds (default 60, at most 300).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub leeway_seconds: Option<u64>,
    /// The claim holding the directory's user id (default `sub`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_claim: Option<String>,
    /// The claim holding the active org id, when the token carries one (default `org_id`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub org_claim: Option<String>,
}

/// A key given outside a JWKS: exactly one of `pem`, `der` (base64 SPKI) or `secret` (base64url,
/// HS256 only).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KeyOptions {
    /// The key id tokens name in their `kid` header.
    pub kid: String,
    /// The one algorithm this key verifies (or signs).
    pub algorithm: String,
    /// A PEM public key (`BEGIN PUBLIC KEY`, or `BEGIN RSA PUBLIC KEY`); for signing, a PEM
    /// private key (PKCS#8, or PKCS#1 for RSA).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pem: Option<String>,
    /// The key as base64 DER: SubjectPublicKeyInfo to verify, PKCS#8 to sign.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub der: Option<String>,
    /// A shared HS256 secret, base64url without padding (at least 32 bytes).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret: Option<String>,
}

/// The session tokens the engine signs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SigningOptions {
    /// The `iss` of signed tokens (configure it among `issuers` too, to accept them back).
    pub issuer: String,
    /// The `aud` of signed tokens.
    pub audience: String,
    /// The private key, with its `kid` and algorithm.
    pub key: KeyOptions,
    /// Token lifetime in seconds (default 3600, at most 86400).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ttl_seconds: Option<i64>,
}

/// The algorithms a host may allow. `none` and the HS384/HS512 variants never are.
pub(crate) const ALLOWED: [(&str, Algorithm); 8] = [
    ("RS256", Algorithm::RS256),
    ("RS384", Algorithm::RS384),
    ("RS512", Algorithm::RS512),
    ("PS256", Algorithm::PS256),
    ("ES256", Algorithm::ES256),
    ("ES384", Algorithm::ES384),
    ("EdDSA", Algorithm::EdDSA),
    ("HS256", Algorithm::HS256),
];

/// The name of an algorithm as it appears in a token header.
pub(crate) fn algorithm_name(alg: Algorithm) -> &'static str {
    ALLOWED
        .iter()
        .find(|(_, a)| *a == alg)
        .map_or("unsupported", |(name, _)| name)
}

fn parse_algorithm(name: &str, path: &str) -> Result<Algorithm> {
    ALLOWED
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, alg)| *alg)
        .ok_or_else(|| {
            invalid(
                path,
                "algorithm_not_allowed",
                format!(
                    "algorithm `{name}` is not one orgkit accepts (RS256, RS384, RS512, PS256, ES256, ES384, EdDSA, HS256)"
                ),
            )
        })
}

fn invalid(path: &str, reason: &str, message: String) -> Error {
    Error::new(ErrorCode::InvalidValue, message)
        .at(format!("options.sessions.{path}"))
        .because(reason)
}

/// A verification key bound to the one algorithm it accepts.
pub(crate) struct VerifyKey {
    pub(crate) algorithm: Algorithm,
    pub(crate) key: DecodingKey,
}

/// An issuer with its keys built.
pub(crate) struct Issuer {
    pub(crate) issuer: String,
    pub(crate) audiences: Vec<String>,
    pub(crate) algorithms: Vec<Algorithm>,
    /// `kid` → the keys with that id (one per algorithm a JWK without `alg` may serve).
    pub(crate) keys: HashMap<String, Vec<VerifyKey>>,
    pub(crate) leeway: i64,
    pub(crate) user_claim: String,
    pub(crate) org_claim: String,
}

/// The signing key with what goes into the tokens it signs.
pub(crate) struct Signer {
    pub(crate) issuer: String,
    pub(crate) audience: String,
    pub(crate) kid: String,
    pub(crate) algorithm: Algorithm,
    pub(crate) key: EncodingKey,
    pub(crate) ttl: i64,
}

/// The built session settings of a directory.
#[derive(Default)]
pub(crate) struct SessionConfig {
    pub(crate) issuers: Vec<Issuer>,
    pub(crate) signer: Option<Signer>,
    pub(crate) max_token_bytes: usize,
}

impl std::fmt::Debug for SessionConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SessionConfig")
            .field("issuers", &self.issuers.len())
            .field("signer", &self.signer.is_some())
            .finish_non_exhaustive()
    }
}

impl SessionConfig {
    /// Builds the settings; any bad issuer, algorithm or key refuses the whole set, with its path.
    pub(crate) fn build(options: &SessionOptions) -> Result<Self> {
        let mut issuers: Vec<Issuer> = Vec::with_capacity(options.issuers.len());
        for (i, raw) in options.issuers.iter().enumerate() {
            let issuer = build_issuer(raw, &format!("issuers[{i}]"))?;
            if issuers.iter().any(|other| other.issuer == issuer.issuer) {
                return Err(Error::new(
                    ErrorCode::Conflict,
                    format!("issuer `{}` is configured twice", issuer.issuer),
                )
                .at(format!("options.sessions.issuers[{i}].issuer")));
            }
            issuers.push(issuer);
        }
        let signer = options
            .signing
            .as_ref()
            .map(|s| build_signer(s, "signing"))
            .transpose()?;
        let max_token_bytes = options.max_token_bytes.unwrap_or(DEFAULT_MAX_TOKEN_BYTES);
        if !(256..=65_536).contains(&max_token_bytes) {
            return Err(invalid(
                "max_token_bytes",
                "out_of_range",
                "max_token_bytes must be between 256 and 65536".into(),
            ));
        }
        Ok(Self {
            issuers,
            signer,
            max_token_bytes,
        })
    }

    /// The configured issuer with this exact `iss`.
    pub(crate) fn issuer(&self, iss: &str) -> Option<&Issuer> {
        self.issuers.iter().find(|i| i.issuer == iss)
    }
}

fn build_issuer(raw: &IssuerOptions, path: &str) -> Result<Issuer> {
    if raw.issuer.is_empty() {
        return Err(invalid(
            &format!("{path}.issuer"),
            "empty",
            "issuer must not be empty".into(),
        ));
    }
    if raw.audiences.is_empty() || raw.audiences.iter().any(String::is_empty) {
        return Err(invalid(
            &format!("{path}.audiences"),
            "empty",
            "an issuer needs at least one non-empty audience".into(),
        ));
    }
    if raw.algorithms.is_empty() {
        return Err(invalid(
            &format!("{path}.algorithms"),
            "empty",
            "an issuer needs at least one allowed algorithm".into(),
        ));
    }
    let mut algorithms = Vec::with_capacity(raw.algorithms.len());
    for (i, name) in raw.algorithms.iter().enumerate() {
        algorithms.push(parse_algorithm(name, &format!("{path}.algorithms[{i}]"))?);
    }
    let leeway = raw.leeway_seconds.unwrap_or(DEFAULT_LEEWAY);
    if leeway > MAX_LEEWAY {
        return Err(invalid(
            &format!("{path}.leeway_seconds"),
            "out_of_range",
            format!("leeway_seconds is at most {MAX_LEEWAY}"),
        ));
    }
    let mut keys: HashMap<String, Vec<VerifyKey>> = HashMap::new();
    if let Some(jwks) = &raw.jwks {
        let set: JwkSet = serde_json::from_value(jwks.clone()).map_err(|e| {
            invalid(
                &format!("{path}.jwks"),
                "invalid_key",
                format!("not a JWKS document: {e}"),
            )
        })?;
        for (i, jwk) in set.keys.iter().enumerate() {
            let at = format!("{path}.jwks.keys[{i}]");
            let kid = jwk.common.key_id.clone().ok_or_else(|| {
                invalid(&at, "missing_kid", "every JWKS key needs a `kid`".into())
            })?;
            let built = jwk_keys(jwk, &algorithms, &at)?;
            add_keys(&mut keys, kid, built, &at)?;
        }
    }
    for (i, key) in raw.keys.iter().enumerate() {
        let at = format!("{path}.keys[{i}]");
        let algorithm = parse_algorithm(&key.algorithm, &format!("{at}.algorithm"))?;
        if !algorithms.contains(&algorithm) {
            return Err(invalid(
                &format!("{at}.algorithm"),
                "algorithm_not_allowed",
                format!("`{}` is not in this issuer's algorithms", key.algorithm),
            ));
        }
        let built = VerifyKey {
            algorithm,
            key: decoding_key(key, algorithm, &at)?,
        };
        add_keys(&mut keys, key.kid.clone(), vec![built], &at)?;
    }
    if keys.is_empty() {
        return Err(invalid(
            path,
            "no_keys",
            "an issuer needs at least one key (`jwks` or `keys`)".into(),
        ));
    }
    let claim = |value: &Option<String>, default: &str| {
        value.clone().unwrap_or_else(|| default.to_string())
    };
    Ok(Issuer {
        issuer: raw.issuer.clone(),
        audiences: raw.audiences.clone(),
        algorithms,
        keys,
        leeway: i64::try_from(leeway).unwrap_or(i64::MAX),
        user_claim: claim(&raw.user_claim, "sub"),
        org_claim: claim(&raw.org_claim, "org_id"),
    })
}

fn add_keys(
    keys: &mut HashMap<String, Vec<VerifyKey>>,
    kid: String,
    built: Vec<VerifyKey>,
    at: &str,
) -> Result<()> {
    if keys.contains_key(&kid) {
        return Err(Error::new(
            ErrorCode::Conflict,
            format!("key id `{kid}` is configured twice for this issuer"),
        )
        .at(format!("options.sessions.{at}")));
    }
    keys.insert(kid, built);
    Ok(())
}

/// The algorithms a JWK may verify: its own `alg` if it names one, else every allowed algorithm
/// of its key type (and curve). A key for encryption (`use: enc`) verifies nothing.
fn jwk_keys(jwk: &Jwk, allowed: &[Algorithm], at: &str) -> Result<Vec<VerifyKey>> {
    if matches!(jwk.common.public_key_use, Some(PublicKeyUse::Encryption)) {
        return Err(invalid(
            at,
            "not_a_signing_key",
            "a key with `use: enc` cannot verify signatures".into(),
        ));
    }
    let fits: Vec<Algorithm> = match &jwk.algorithm {
        AlgorithmParameters::RSA(_) => vec![
            Algorithm::RS256,
            Algorithm::RS384,
            Algorithm::RS512,
            Algorithm::PS256,
        ],
        AlgorithmParameters::EllipticCurve(ec) => match ec.curve {
            EllipticCurve::P256 => vec![Algorithm::ES256],
            EllipticCurve::P384 => vec![Algorithm::ES384],
            _ => vec![],
        },
        AlgorithmParameters::OctetKeyPair(okp) if okp.curve == EllipticCurve::Ed25519 => {
            vec![Algorithm::EdDSA]
        }
        AlgorithmParameters::OctetKey(_) => vec![Algorithm::HS256],
        _ => vec![],
    };
    let named = jwk
        .common
        .key_algorithm
        .map(|a| a.to_string())
        .map(|name| parse_algorithm(&name, &format!("{at}.alg")))
        .transpose()?;
    let chosen: Vec<Algorithm> = match named {
        Some(alg) if fits.contains(&alg) => vec![alg],
        Some(alg) => {
            return Err(invalid(
                at,
                "invalid_key",
                format!("`alg` {} does not fit the key type", algorithm_name(alg)),
            ))
        }
        None => fits,
    }
    .into_iter()
    .filter(|alg| allowed.contains(alg))
    .collect();
    if chosen.is_empty() {
        return Err(invalid(
            at,
            "algorithm_not_allowed",
            "the key serves none of this issuer's algorithms".into(),
        ));
    }
    if chosen.contains(&Algorithm::HS256) {
        if let AlgorithmParameters::OctetKey(oct) = &jwk.algorithm {
            check_secret_len(&oct.value, at)?;
        }
    }
    let key = DecodingKey::from_jwk(jwk)
        .map_err(|e| invalid(at, "invalid_key", format!("the key does not parse: {e}")))?;
    Ok(chosen
        .into_iter()
        .map(|algorithm| VerifyKey {
            algorithm,
            key: key.clone(),
        })
        .collect())
}

fn check_secret_len(secret_b64url: &str, at: &str) -> Result<Vec<u8>> {
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(secret_b64url.trim_end_matches('='))
        .map_err(|_| invalid(at, "invalid_key", "the secret is not base64url".into()))?;
    if bytes.len() < MIN_HMAC_SECRET {
        return Err(invalid(
            at,
            "weak_secret",
            format!("an HS256 secret needs at least {MIN_HMAC_SECRET} bytes"),
        ));
    }
    Ok(bytes)
}

/// The one key material of a [`KeyOptions`], as PEM text or a secret.
enum Material {
    Pem(Vec<u8>),
    Secret(Vec<u8>),
}

fn material(key: &KeyOptions, algorithm: Algorithm, at: &str, private: bool) -> Result<Material> {
    let given = [key.pem.is_some(), key.der.is_some(), key.secret.is_some()];
    if given.iter().filter(|g| **g).count() != 1 {
        return Err(invalid(
            at,
            "invalid_key",
            "give exactly one of `pem`, `der` or `secret`".into(),
        ));
    }
    if (algorithm == Algorithm::HS256) != key.secret.is_some() {
        return Err(invalid(
            at,
            "invalid_key",
            "HS256 takes a `secret`, and only HS256 does".into(),
        ));
    }
    if let Some(secret) = &key.secret {
        return Ok(Material::Secret(check_secret_len(secret, at)?));
    }
    if let Some(pem) = &key.pem {
        return Ok(Material::Pem(pem.as_bytes().to_vec()));
    }
    let der = key.der.as_deref().unwrap_or_default();
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(der.trim())
        .map_err(|_| invalid(at, "invalid_key", "`der` is not base64".into()))?;
    // DER keys are re-wrapped as PEM so one parser (with its format checks) reads both.
    let label = if private { "PRIVATE KEY" } else { "PUBLIC KEY" };
    let body = base64::engine::general_purpose::STANDARD.encode(bytes);
    let lines: Vec<&str> = body
        .as_bytes()
        .chunks(64)
        .map(|c| std::str::from_utf8(c).unwrap_or_default())
        .collect();
    Ok(Material::Pem(
        format!(
            "-----BEGIN {label}-----\n{}\n-----END {label}-----\n",
            lines.join("\n")
        )
        .into_bytes(),
    ))
}

fn decoding_key(key: &KeyOptions, algorithm: Algorithm, at: &str) -> Result<DecodingKey> {
    let parsed = match material(key, algorithm, at, false)? {
        Material::Secret(bytes) => DecodingKey::from_secret(&bytes),
        Material::Pem(pem) => match algorithm {
            Algorithm::ES256 | Algorithm::ES384 => DecodingKey::from_ec_pem(&pem),
            Algorithm::EdDSA => DecodingKey::from_ed_pem(&pem),
            _ => DecodingKey::from_rsa_pem(&pem),
        },
    };
    parsed.map_err(|e| invalid(at, "invalid_key", format!("the key does not parse: {e}")))
}

fn build_signer(raw: &SigningOptions, path: &str) -> Result<Signer> {
    let at = format!("{path}.key");
    let algorithm = parse_algorithm(&raw.key.algorithm, &format!("{at}.algorithm"))?;
    // Every runtime must sign the same claims into the same token, so only deterministic
    // signatures: PSS needs a random salt, and ECDSA nonces are random in aws-lc.
    if matches!(
        algorithm,
        Algorithm::PS256 | Algorithm::ES256 | Algorithm::ES384
    ) {
        return Err(invalid(
            &format!("{at}.algorithm"),
            "algorithm_not_allowed",
            "the engine signs with EdDSA, RS256/384/512 or HS256: deterministic signatures, identical in every runtime"
                .into(),
        ));
    }
    let parsed = match material(&raw.key, algorithm, &at, true)? {
        Material::Secret(bytes) => EncodingKey::from_secret(&bytes),
        Material::Pem(pem) => match algorithm {
            Algorithm::ES256 | Algorithm::ES384 => EncodingKey::from_ec_pem(&pem),
            Algorithm::EdDSA => EncodingKey::from_ed_pem(&pem),
            _ => EncodingKey::from_rsa_pem(&pem),
        },
    };
    let key = parsed.map_err(|e| {
        invalid(
            &at,
            "invalid_key",
            format!("the private key does not parse: {e}"),
        )
    })?;
    let ttl = raw.ttl_seconds.unwrap_or(DEFAULT_TTL);
    if !(60..=MAX_TTL).contains(&ttl) {
        return Err(invalid(
            &format!("{path}.ttl_seconds"),
            "out_of_range",
            format!("ttl_seconds must be between 60 and {MAX_TTL}"),
        ));
    }
    if raw.issuer.is_empty() || raw.audience.is_empty() {
        return Err(invalid(
            path,
            "empty",
            "signing needs an issuer and an audience".into(),
        ));
    }
    Ok(Signer {
        issuer: raw.issuer.clone(),
        audience: raw.audience.clone(),
        kid: raw.key.kid.clone(),
        algorithm,
        key,
        ttl,
    })
}
