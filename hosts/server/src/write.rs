//! Every change goes through one [`Write`]: it holds the writer lock and a transaction, applies
//! directory changes to the engine's current snapshot (the engine validates them, all or
//! nothing), stores the records they touch and the audit events, commits, and only then makes
//! the engine's next snapshot current. A change and its event are in one transaction: neither
//! is visible without the other, and a crash before the commit leaves neither.

use crate::db::Tx;
use crate::error::ApiResult;
use crate::state::AppState;
use crate::store;
use orgkit::audit::{AuditEvent, ChainedEvent, ChangeAudit};
use orgkit::{Change, Directory};
use std::collections::HashMap;
use std::sync::Arc;
use tokio::sync::OwnedMutexGuard;

/// One write transaction in progress.
pub struct Write {
    state: AppState,
    _guard: OwnedMutexGuard<()>,
    tx: Tx,
    base: Arc<Directory>,
    next: Option<Directory>,
    /// The last event appended to each org's chain in this transaction.
    heads: HashMap<String, ChainedEvent>,
}

impl Write {
    /// Waits for the writer lock and begins a transaction.
    pub async fn begin(state: &AppState) -> ApiResult<Self> {
        let guard = Arc::clone(&state.writer).lock_owned().await;
        let tx = state.db.begin().await?;
        Ok(Self {
            state: state.clone(),
            _guard: guard,
            tx,
            base: state.engine.snapshot(),
            next: None,
            heads: HashMap::new(),
        })
    }

    /// The directory as this write has changed it so far.
    pub fn directory(&self) -> &Directory {
        self.next.as_ref().unwrap_or(&self.base)
    }

    /// The transaction, for the write's own statements.
    pub fn tx(&mut self) -> &mut Tx {
        &mut self.tx
    }

    /// Applies directory changes (refused as a whole by the engine if any is invalid) and
    /// stores the records they touch; their audit is the caller's (a SCIM write's event).
    pub async fn apply(&mut self, changes: &[Change]) -> ApiResult<()> {
        if changes.is_empty() {
            return Ok(());
        }
        let next = self.directory().apply(changes)?;
        store::directory::persist(&mut self.tx, &next, changes).await?;
        self.next = Some(next);
        Ok(())
    }

    /// Applies directory changes with the engine's audit (one event per change, in each
    /// concerned org's log) and stores the records and the events.
    pub async fn apply_audited(
        &mut self,
        changes: &[Change],
        audit: &ChangeAudit,
    ) -> ApiResult<()> {
        if changes.is_empty() {
            return Ok(());
        }
        let (next, events) = self.directory().apply_audited(changes, audit)?;
        store::directory::persist(&mut self.tx, &next, changes).await?;
        self.next = Some(next);
        for event in &events {
            self.audit(event).await?;
        }
        Ok(())
    }

    /// Appends an event to its org's chain.
    pub async fn audit(&mut self, event: &AuditEvent) -> ApiResult<()> {
        let previous = match self.heads.remove(&event.org_id) {
            Some(head) => Some(head),
            None => store::audit::last(&mut self.tx, &event.org_id).await?,
        };
        // The org's settings as this write leaves them (an org it creates has its own).
        let settings = self
            .directory()
            .org(&event.org_id)
            .and_then(|org| org.audit.as_deref().cloned())
            .unwrap_or_default();
        let stored =
            store::audit::append(&mut self.tx, &settings, event, previous.as_ref()).await?;
        if let Some(head) = stored.or(previous) {
            self.heads.insert(event.org_id.clone(), head);
        }
        Ok(())
    }

    /// Commits, then makes the changed directory current.
    pub async fn commit(self) -> ApiResult<()> {
        self.tx.commit().await?;
        if let Some(next) = self.next {
            self.state.engine.replace(next);
        }
        Ok(())
    }
}
