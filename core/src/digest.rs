//! SHA-256 as lowercase hex, the one form the engine stores and compares hashes in (SCIM
//! token hashes, audit chain links, redacted fields).

use sha2::{Digest, Sha256};
use std::fmt::Write;

/// The lowercase hex SHA-256 of `bytes` (64 characters).
pub(crate) fn sha256_hex(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(64);
    for b in Sha256::digest(bytes) {
        // Writing to a String cannot fail.
        let _ = write!(out, "{b:02x}");
    }
    out
}
