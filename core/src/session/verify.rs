//! Token verification: the signature with a configured key chosen by `kid`, then every claim
//! check against the host's `now`. Claims a host verified itself (WebCrypto) go through the same
//! claim checks.

use super::config::{algorithm_name, Issuer, SessionConfig};
use crate::error::{Error, ErrorCode, Result};
use jsonwebtoken::errors::ErrorKind;
use jsonwebtoken::{decode, decode_header, Validation};
use serde::Serialize;
use serde_json::{Map, Value};

/// A token whose signature and claims were checked.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct VerifiedToken {
    /// The issuer that vouched for it.
    pub issuer: String,
    /// The key that verified it (`None` for claims the host verified).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kid: Option<String>,
    /// The algorithm of the signature (`None` for claims the host verified).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub algorithm: Option<&'static str>,
    /// The directory user id the token names.
    pub user_id: String,
    /// The org the token is bound to, if it carries one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub org_id: Option<String>,
    /// When it expires, Unix seconds.
    pub expires_at: i64,
    /// Every claim, as sent.
    pub claims: Map<String, Value>,
}

pub(crate) fn token_error(reason: &str, message: impl Into<String>) -> Error {
    Error::new(ErrorCode::InvalidToken, message).because(reason)
}

impl SessionConfig {
    /// Verifies a compact JWS: size, shape, issuer, algorithm allow-list, key by `kid` from the
    /// configured set only (`jku`, `x5u`, `jwk` and `x5c` headers are never followed), the
    /// signature, then the claims.
    pub(crate) fn verify_token(&self, token: &str, now: i64) -> Result<VerifiedToken> {
        if token.len() > self.max_token_bytes {
            return Err(token_error(
                "too_large",
                format!("the token exceeds {} bytes", self.max_token_bytes),
            ));
        }
        let parts = token.split('.').count();
        if parts != 3 || !token.bytes().all(|b| b == b'.' || is_base64url(b)) {
            return Err(token_error(
                "malformed",
                "a token is three base64url parts joined by dots",
            ));
        }
        let header = decode_header(token).map_err(|e| {
            token_error(
                "malformed",
                format!("the token's header does not parse: {e}"),
            )
        })?;
        if header.crit.is_some() {
            // No extension is understood, so a critical one can never be honoured (RFC 7515 §4.1.11).
            return Err(token_error(
                "unsupported_header",
                "the token marks header parameters critical (`crit`); orgkit understands none",
            ));
        }
        let unverified: Map<String, Value> = jsonwebtoken::dangerous::insecure_decode_claims(token)
            .map_err(|e| {
                token_error("malformed", format!("the token's claims do not parse: {e}"))
            })?;
        // The issuer picks the key set; nothing read before the signature check is trusted.
        let issuer = self.issuer_of(&unverified)?;
        if !issuer.algorithms.contains(&header.alg) {
            return Err(token_error(
                "algorithm_not_allowed",
                format!(
                    "`{:?}` is not allowed for issuer `{}`",
                    header.alg, issuer.issuer
                ),
            ));
        }
        let keys = match &header.kid {
            Some(kid) => issuer.keys.get(kid).ok_or_else(|| {
                token_error("unknown_key", format!("no configured key has kid `{kid}`"))
            })?,
            None => match issuer.keys.values().collect::<Vec<_>>().as_slice() {
                [only] => *only,
                _ => {
                    return Err(token_error(
                        "unknown_key",
                        "the token names no `kid` and the issuer has several keys",
                    ))
                }
            },
        };
        let key = keys
            .iter()
            .find(|k| k.algorithm == header.alg)
            .ok_or_else(|| {
                token_error(
                    "algorithm_not_allowed",
                    format!(
                        "the key `{}` does not verify `{:?}`",
                        header.kid.as_deref().unwrap_or_default(),
                        header.alg
                    ),
                )
            })?;
        let mut validation = Validation::new(header.alg);
        // Every claim is checked below, against the host's clock, never the system's.
        validation.validate_exp = false;
        validation.validate_nbf = false;
        validation.validate_aud = false;
        validation.required_spec_claims.clear();
        let data =
            decode::<Map<String, Value>>(token, &key.key, &validation).map_err(|e| {
                match e.kind() {
                    ErrorKind::InvalidSignature => {
                        token_error("bad_signature", "the signature does not verify")
                    }
                    _ => token_error("malformed", format!("the token does not decode: {e}")),
                }
            })?;
        let mut verified = check_claims(issuer, data.claims, now)?;
        verified.kid = header.kid;
        verified.algorithm = Some(algorithm_name(header.alg));
        Ok(verified)
    }

    /// Applies every claim check to claims whose signature the host verified itself.
    pub(crate) fn check_verified_claims(
        &self,
        claims: Map<String, Value>,
        now: i64,
    ) -> Result<VerifiedToken> {
        let issuer = self.issuer_of(&claims)?;
        check_claims(issuer, claims, now)
    }

    fn issuer_of(&self, claims: &Map<String, Value>) -> Result<&Issuer> {
        let iss = claims
            .get("iss")
            .ok_or_else(|| missing("iss"))?
            .as_str()
            .ok_or_else(|| claim_type("iss"))?;
        self.issuer(iss).ok_or_else(|| {
            token_error(
                "unknown_issuer",
                format!("issuer `{iss}` is not configured"),
            )
        })
    }
}

fn is_base64url(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'-' || b == b'_'
}

fn missing(claim: &str) -> Error {
    token_error("missing_claim", format!("the token has no `{claim}` claim")).at(claim)
}

fn claim_type(claim: &str) -> Error {
    token_error(
        "invalid_claim",
        format!("the `{claim}` claim has the wrong type"),
    )
    .at(claim)
}

/// A NumericDate claim in whole seconds (fractions are cut toward the safe side by the caller).
fn date(claims: &Map<String, Value>, claim: &str) -> Result<Option<f64>> {
    match claims.get(claim) {
        None => Ok(None),
        Some(value) => value
            .as_f64()
            .filter(|v| v.is_finite())
            .map(Some)
            .ok_or_else(|| claim_type(claim)),
    }
}

fn check_claims(issuer: &Issuer, claims: Map<String, Value>, now: i64) -> Result<VerifiedToken> {
    let audience_ok = match claims.get("aud").ok_or_else(|| missing("aud"))? {
        Value::String(aud) => issuer.audiences.contains(aud),
        Value::Array(list) => {
            let mut any = false;
            for aud in list {
                let aud = aud.as_str().ok_or_else(|| claim_type("aud"))?;
                any |= issuer.audiences.iter().any(|a| a == aud);
            }
            any
        }
        _ => return Err(claim_type("aud")),
    };
    if !audience_ok {
        return Err(token_error(
            "audience_mismatch",
            "the token is not meant for a configured audience",
        )
        .at("aud"));
    }
    let now_f = now as f64;
    let leeway = issuer.leeway as f64;
    let exp = date(&claims, "exp")?.ok_or_else(|| missing("exp"))?;
    if now_f >= exp + leeway {
        return Err(token_error("expired", "the token has expired").at("exp"));
    }
    if let Some(nbf) = date(&claims, "nbf")? {
        if now_f + leeway < nbf {
            return Err(token_error("not_yet_valid", "the token is not valid yet").at("nbf"));
        }
    }
    if let Some(iat) = date(&claims, "iat")? {
        if iat > now_f + leeway {
            return Err(
                token_error("issued_in_future", "the token was issued in the future").at("iat"),
            );
        }
    }
    let user_id = claims
        .get(&issuer.user_claim)
        .ok_or_else(|| missing(&issuer.user_claim))?
        .as_str()
        .filter(|s| !s.is_empty())
        .ok_or_else(|| claim_type(&issuer.user_claim))?
        .to_string();
    let org_id = match claims.get(&issuer.org_claim) {
        None | Some(Value::Null) => None,
        Some(Value::String(org)) if !org.is_empty() => Some(org.clone()),
        Some(_) => return Err(claim_type(&issuer.org_claim)),
    };
    Ok(VerifiedToken {
        issuer: issuer.issuer.clone(),
        kid: None,
        algorithm: None,
        user_id,
        org_id,
        // Cut toward the safe side: a fractional expiry ends at its whole second.
        expires_at: exp.floor() as i64,
        claims,
    })
}
