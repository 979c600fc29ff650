//! Ids and secrets from the operating system's randomness (the engine takes them as input).

use crate::error::{ApiError, ApiResult};
use orgkit::ErrorCode;

/// `n` random bytes.
pub fn random_bytes<const N: usize>() -> ApiResult<[u8; N]> {
    let mut bytes = [0u8; N];
    aws_lc_rs::rand::fill(&mut bytes)
        .map_err(|_| ApiError::new(ErrorCode::Internal, "the OS gave no randomness"))?;
    Ok(bytes)
}

/// Bytes as lowercase hex.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A new id: `prefix` and 16 random bytes in hex (`evt_3f…`).
pub fn new_id(prefix: &str) -> ApiResult<String> {
    Ok(format!("{prefix}{}", hex(&random_bytes::<16>()?)))
}

/// 32 random bytes as the 64 hex characters `scim_mint_token` takes.
pub fn token_randomness() -> ApiResult<String> {
    Ok(hex(&random_bytes::<32>()?))
}
