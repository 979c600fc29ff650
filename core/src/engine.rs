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
        Self {
            current: ArcSwap::from_pointee(directory),
            writer: Mutex::new(()),
        }
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
    pub(crate) fn update(
        &self,
        change: impl FnOnce(&Directory) -> Result<Directory>,
    ) -> Result<Stats> {
        self.update_with(|dir| change(dir).map(|next| (next, ())))
            .map(|(stats, ())| stats)
    }

    /// [`Engine::update`] for a change that also yields a value (e.g. its audit events),
    /// computed against exactly the snapshot it replaces.
    pub(crate) fn update_with<T>(
        &self,
        change: impl FnOnce(&Directory) -> Result<(Directory, T)>,
    ) -> Result<(Stats, T)> {
        let _guard = self.writer.lock().unwrap_or_else(PoisonError::into_inner);
        let (next, value) = change(&self.current.load())?;
        let stats = next.stats();
        self.current.store(Arc::new(next));
        Ok((stats, value))
    }

    /// Applies changes atomically and returns the audit event of each; see
    /// [`Directory::apply_audited`].
    pub fn apply_audited(
        &self,
        changes: &[Change],
        audit: &crate::audit::ChangeAudit,
    ) -> Result<(Stats, Vec<crate::audit::AuditEvent>)> {
        self.update_with(|dir| dir.apply_audited(changes, audit))
    }

    /// Routes an email address on the current snapshot.
    pub fn route(&self, email: &str) -> Result<RouteDecision> {
        self.current.load().route(email)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::directory::records::Organization;

    fn org(i: usize) -> Organization {
        serde_json::from_value(serde_json::json!({
            "id": format!("o{i}"), "name": "O", "slug": format!("o{i}"),
            "domains": [{"domain": format!("o{i}.com"), "verification": "verified"}]
        }))
        .unwrap()
    }

    #[test]
    fn readers_keep_their_snapshot_while_writers_swap() {
        let engine = Engine::load(
            &DirectoryDoc {
                schema_version: 1,
                orgs: vec![org(0)],
                users: vec![],
                memberships: vec![],
            },
            &LoadOptions::default(),
        )
        .unwrap();
        let held = engine.snapshot();
        std::thread::scope(|scope| {
            for t in 0..2 {
                let engine = &engine;
                scope.spawn(move || {
                    for i in 0..50 {
                        engine
                            .apply(&[Change::UpsertOrg {
                                org: org(1 + t * 100 + i),
                            }])
                            .unwrap();
                    }
                });
            }
            scope.spawn(|| {
                for _ in 0..200 {
                    let decision = engine.route("x@o0.com").unwrap();
                    assert_eq!(decision.org.unwrap().id, "o0");
                }
            });
        });
        assert_eq!(held.stats().orgs, 1, "a held snapshot never changes");
        let now = engine.snapshot().stats();
        assert_eq!(now.orgs, 101, "no write was lost");
        assert_eq!(now.version, 101);
    }

    #[test]
    fn call_api_swaps_on_apply_and_keeps_errors_typed() {
        let engine = Engine::new(Directory::empty(&LoadOptions::default()).unwrap());
        let out = engine.call("apply_changes", r#"{"changes":{"schema_version":1,"changes":[{"op":"upsert_org","org":{"id":"a","name":"A","slug":"a","domains":[{"domain":"a.com","verification":"verified"}]}}]}}"#);
        assert!(out.contains(r#""orgs":1"#), "{out}");
        let out = engine.call("route", r#"{"email":"x@a.com"}"#);
        assert!(out.contains(r#""id":"a""#), "{out}");
        let out = engine.call("route", r#"{"email":"x@a.com","directory":{}}"#);
        assert!(out.contains(r#""code":"invalid_input""#), "{out}");
        let out = engine.call("load", r#"{"directory":{"schema_version":1}}"#);
        assert!(out.contains(r#""orgs":0"#), "{out}");
    }
}
