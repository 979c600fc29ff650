//! The server's session signing key: an Ed25519 key generated on first start and kept in the
//! database (never in the repository), the session settings the engine verifies tokens with,
//! and the signing of tokens for demo users and staff (`orgkit-server mint-token`).

use crate::db::{text, Db};
use crate::error::{ApiError, ApiResult};
use crate::ids;
use aws_lc_rs::signature::{Ed25519KeyPair, KeyPair};
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine as _;
use orgkit::session::SessionOptions;
use orgkit::ErrorCode;
use serde_json::{json, Value};

/// The issuer (and audience) of users' session tokens.
pub const USER_ISSUER: &str = "orgkit-server";
/// The issuer of platform staff tokens: a token from it makes its subject a staff principal.
pub const STAFF_ISSUER: &str = "orgkit-server/staff";
/// The audience of every token the server signs.
pub const AUDIENCE: &str = "orgkit-server";

/// The stored signing key.
#[derive(Debug, Clone)]
pub struct SigningKey {
    /// The key id tokens name.
    pub kid: String,
    /// PKCS#8 DER of the private key.
    pkcs8: Vec<u8>,
    /// The raw 32-byte public key.
    public: Vec<u8>,
}

fn key_error(message: &str) -> ApiError {
    ApiError::new(ErrorCode::Internal, message)
}

impl SigningKey {
    /// The database's key, generated and stored on first use.
    pub async fn load_or_create(db: &Db) -> ApiResult<Self> {
        if let Some(key) = Self::load(db).await? {
            return Ok(key);
        }
        let pair = Ed25519KeyPair::generate().map_err(|_| key_error("key generation failed"))?;
        let pkcs8 = pair
            .to_pkcs8v1()
            .map_err(|_| key_error("key encoding failed"))?;
        let kid = ids::new_id("k_")?;
        // Two processes starting at once: the first insert wins and both read it back.
        sqlx::query(
            "INSERT INTO signing_keys (kid, private_pkcs8, public_key, created_at) \
             VALUES ($1, $2, $3, $4) ON CONFLICT (kid) DO NOTHING",
        )
        .bind(&kid)
        .bind(STANDARD.encode(pkcs8.as_ref()))
        .bind(URL_SAFE_NO_PAD.encode(pair.public_key().as_ref()))
        .bind(crate::clock::now())
        .execute(db.pool())
        .await?;
        Self::load(db)
            .await?
            .ok_or_else(|| key_error("the signing key was not stored"))
    }

    async fn load(db: &Db) -> ApiResult<Option<Self>> {
        let row = sqlx::query(
            "SELECT kid, private_pkcs8, public_key FROM signing_keys ORDER BY created_at, kid LIMIT 1",
        )
        .fetch_optional(db.pool())
        .await?;
        let Some(row) = row else { return Ok(None) };
        let decode = |value: String, engine: &base64::engine::GeneralPurpose| {
            engine
                .decode(value)
                .map_err(|_| key_error("a stored key is not base64"))
        };
        Ok(Some(Self {
            kid: text(&row, "kid")?,
            pkcs8: decode(text(&row, "private_pkcs8")?, &STANDARD)?,
            public: decode(text(&row, "public_key")?, &URL_SAFE_NO_PAD)?,
        }))
    }

    /// The engine's session settings: users' tokens and staff tokens are accepted from this
    /// server's two issuers, and org switches are signed with this key.
    pub fn session_options(&self) -> ApiResult<SessionOptions> {
        let jwks = json!({"keys": [{
            "kty": "OKP", "crv": "Ed25519", "alg": "EdDSA", "use": "sig",
            "kid": self.kid, "x": URL_SAFE_NO_PAD.encode(&self.public),
        }]});
        let issuer = |name: &str| json!({"issuer": name, "audiences": [AUDIENCE], "algorithms": ["EdDSA"], "jwks": jwks});
        let options = json!({
            "issuers": [issuer(USER_ISSUER), issuer(STAFF_ISSUER)],
            "signing": {
                "issuer": USER_ISSUER,
                "audience": AUDIENCE,
                "key": {"kid": self.kid, "algorithm": "EdDSA", "der": STANDARD.encode(&self.pkcs8)},
            },
        });
        serde_json::from_value(options).map_err(|e| key_error(&format!("session options: {e}")))
    }

    /// A signed token for `subject` from `issuer`, valid `ttl` seconds from `now`, bound to
    /// `org` when given.
    pub fn mint(
        &self,
        issuer: &str,
        subject: &str,
        org: Option<&str>,
        now: i64,
        ttl: i64,
    ) -> ApiResult<String> {
        let header = json!({"alg": "EdDSA", "typ": "JWT", "kid": self.kid});
        let mut claims = json!({
            "iss": issuer, "sub": subject, "aud": AUDIENCE,
            "iat": now, "nbf": now, "exp": now + ttl, "jti": ids::new_id("t_")?,
        });
        if let (Some(org), Value::Object(map)) = (org, &mut claims) {
            map.insert("org_id".into(), Value::String(org.to_string()));
        }
        let signing_input = format!(
            "{}.{}",
            URL_SAFE_NO_PAD.encode(header.to_string()),
            URL_SAFE_NO_PAD.encode(claims.to_string())
        );
        let pair = Ed25519KeyPair::from_pkcs8(&self.pkcs8)
            .map_err(|_| key_error("the stored key does not parse"))?;
        let signature = pair.sign(signing_input.as_bytes());
        Ok(format!(
            "{signing_input}.{}",
            URL_SAFE_NO_PAD.encode(signature.as_ref())
        ))
    }
}
