//! SCIM bearer tokens: each organization has its own, stored only as SHA-256 hashes. A
//! presented token is hashed, found through the directory's hash index, compared in constant
//! time, and resolves to exactly one organization, so a token of org A can never reach org B.
//! Rotation is two token records at once; revocation is removing a record.

use crate::digest::sha256_hex;
use crate::directory::Directory;
use crate::error::{Error, ErrorCode, Result};
use serde::{Deserialize, Serialize};
use subtle::ConstantTimeEq;

/// Bytes of the longest token accepted (the header value is refused before hashing beyond it).
pub const MAX_TOKEN_BYTES: usize = 1024;

/// The prefix of tokens minted by [`mint_token`], so secret scanners can recognise them.
pub const TOKEN_PREFIX: &str = "orgkit_scim_";

/// The organization and token record a request authenticated as.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScimCaller {
    /// The organization whose SCIM data the request may reach, and no other.
    pub org_id: String,
    /// The id of the token record that matched (for audit and rotation).
    pub token_id: String,
}

/// A freshly minted token: show `token` once, store only `sha256`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MintedToken {
    /// The bearer token to hand to the IdP.
    pub token: String,
    /// Its hash, for the org's `scim.tokens` record.
    pub sha256: String,
}

/// The lowercase hex SHA-256 of `token`: the form a token is stored in.
pub fn hash_token(token: &str) -> String {
    sha256_hex(token.as_bytes())
}

/// A new token from 32 random bytes the host supplies (the engine has no randomness of its
/// own), with its hash.
pub fn mint_token(random: &[u8; 32]) -> MintedToken {
    let token = format!(
        "{TOKEN_PREFIX}{}",
        random
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect::<String>()
    );
    let sha256 = hash_token(&token);
    MintedToken { token, sha256 }
}

fn refused(reason: &str, message: &str) -> Error {
    Error::new(ErrorCode::InvalidToken, message)
        .at("authorization")
        .because(reason)
}

/// The token of an `Authorization` header value: `Bearer <token>`, scheme in any case.
fn bearer(authorization: &str) -> Result<&str> {
    if authorization.len() > MAX_TOKEN_BYTES + 16 {
        return Err(refused("too_long", "the bearer token is too long"));
    }
    let (scheme, token) = authorization
        .trim()
        .split_once(char::is_whitespace)
        .ok_or_else(|| refused("not_bearer", "expected `Authorization: Bearer <token>`"))?;
    let token = token.trim();
    if !scheme.eq_ignore_ascii_case("bearer") {
        return Err(refused(
            "not_bearer",
            "expected `Authorization: Bearer <token>`",
        ));
    }
    if token.is_empty() || token.contains(char::is_whitespace) {
        return Err(refused(
            "malformed",
            "the bearer token is empty or malformed",
        ));
    }
    Ok(token)
}

impl Directory {
    /// The organization an `Authorization` header value (`Bearer <token>`) authenticates as
    /// for SCIM. Fails with `invalid_token` (reason `not_bearer`, `malformed`, `too_long`,
    /// `unknown` or `scim_disabled`); an unknown token and a token of a disabled org or
    /// endpoint are told apart only by `reason`, never by timing of the comparison.
    pub fn scim_authenticate(&self, authorization: &str) -> Result<ScimCaller> {
        let token = bearer(authorization)?;
        let digest = hash_token(token);
        let owner = self.scim_tokens.get(digest.as_str());
        // The index is keyed by the hash, never the secret; the final comparison of the
        // stored hash runs in constant time all the same.
        let stored = owner
            .and_then(|o| self.org(&o.org_id))
            .and_then(|org| org.scim.as_ref())
            .and_then(|scim| {
                scim.tokens
                    .iter()
                    .find(|t| bool::from(t.sha256.as_bytes().ct_eq(digest.as_bytes())))
                    .map(|t| (scim.enabled, t))
            });
        let (Some(owner), Some((enabled, _))) = (owner, stored) else {
            return Err(refused("unknown", "the bearer token is not valid"));
        };
        let active = self
            .org(&owner.org_id)
            .is_some_and(|org| org.status == crate::directory::records::OrgStatus::Active);
        if !enabled || !active {
            return Err(refused(
                "scim_disabled",
                "the organization's SCIM endpoint is switched off",
            ));
        }
        Ok(ScimCaller {
            org_id: owner.org_id.to_string(),
            token_id: owner.token_id.to_string(),
        })
    }
}
