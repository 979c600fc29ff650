//! What every request shares: the database, the engine holding the current directory, the
//! writer lock, the DNS resolver and the server's public URL.

use crate::db::Db;
use crate::dns::TxtResolver;
use crate::keys::SigningKey;
use orgkit::Engine;
use std::sync::Arc;
use tokio::sync::Mutex;

/// The shared state of the server (cheap to clone).
#[derive(Clone)]
pub struct AppState(Arc<Shared>);

/// The parts of [`AppState`].
pub struct Shared {
    /// The database.
    pub db: Db,
    /// The engine: the directory as stored, swapped after each committed change.
    pub engine: Engine,
    /// Serialises writes, so that the engine's next snapshot is computed from the one that
    /// was current when the transaction began, and each org's audit chain grows one event at
    /// a time.
    pub writer: Arc<Mutex<()>>,
    /// Looks up DNS TXT records for domain verification.
    pub dns: Arc<dyn TxtResolver>,
    /// The URL clients reach the server at (for SCIM `meta.location`), without a trailing `/`.
    pub public_url: String,
    /// The key that signs session tokens.
    pub key: SigningKey,
}

impl AppState {
    /// Wraps the shared parts.
    pub fn new(shared: Shared) -> Self {
        Self(Arc::new(shared))
    }
}

impl std::ops::Deref for AppState {
    type Target = Shared;

    fn deref(&self) -> &Shared {
        &self.0
    }
}
