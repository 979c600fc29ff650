//! The engine a host keeps for its process: the current directory snapshot, swapped atomically
//! on change while other threads keep reading the snapshot they hold.

use crate::directory::change::Change;
use crate::directory::records::DirectoryDoc;
use crate::directory::snapshot::Stats;
use crate::directory::{Directory, LoadOptions};
use crate::error::Result;
use crate::routing::decision::RouteDecision;
use arc_swap::ArcSwap;
use std::sync::{Arc, Mutex, PoisonError};

/// The in-process engine. `Send + Sync`: share one per process.
#[derive(Debug)]
pub struct Engine {
    current: ArcSwap<Directory>,
    /// Serialises writers so that no change is lost between read and swap.
    writer: Mutex<()>,
}

impl Engine {
    /// An engine serving `directory`.
    pub fn new(directory: Directory) -> Self {
        Self { current: ArcSwap::from_pointee(directory), writer: Mutex::new(()) }
    }

    /// Loads and validates a directory document.
    pub fn load(doc: &DirectoryDoc, options: &LoadOptions) -> Result<Self> {
        Directory::load(doc, options).map(Self::new)
    }

    /// The current snapshot. It stays valid, and unchanged, for as long as it is held.
    pub fn snapshot(&self) -> Arc<Directory> {
        self.current.load_full()
    }

    /// Applies changes all or nothing and makes the result current; returns its stats.
    pub fn apply(&self, changes: &[Change]) -> Result<Stats> {
        self.update(|dir| dir.apply(changes))
    }

    /// Replaces the whole directory (e.g. after a reload from storage).
    pub fn replace(&self, directory: Directory) -> Stats {
        let _guard = self.writer.lock().unwrap_or_else(PoisonError::into_inner);
        let stats = directory.stats();
        self.current.store(Arc::new(directory));
        stats
    }

    /// Runs `change` on the current snapshot under the writer lock and stores its result.
    pub(crate) fn update(&self, change: impl FnOnce(&Directory) -> Result<Directory>) -> Result<Stats> {
        let _guard = self.writer.lock().unwrap_or_else(PoisonError::into_inner);
        let next = change(&self.current.load())?;
        let stats = next.stats();
        self.current.store(Arc::new(next));
        Ok(stats)
    }

    /// Routes an email address on the current snapshot.
    pub fn route(&self, email: &str) -> Result<RouteDecision> {
        self.current.load().route(email)
    }
}
