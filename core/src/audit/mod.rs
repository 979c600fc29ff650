//! Audit events: one schema for everything orgkit decides or changes, per-org redaction, a
//! per-org hash chain that makes edits, gaps and reordering detectable, and the envelopes an
//! event leaves in (CloudEvents 1.0, JSON Lines, CSV). No I/O: the host passes ids and times
//! in and stores what comes out.
//!
//! The life of an event: the host (or another engine module) builds an [`AuditEvent`];
//! [`redact`] applies the org's [`Redaction`] rules; [`chain`] links it after the org's last
//! event; the host stores the [`ChainedEvent`]; [`verify_chain`] checks a stored run of events
//! and names the first broken link.

mod chain;
mod event;
mod export;
mod query;
mod redact;
mod settings;

pub use chain::{
    chain, verify_chain, BrokenLink, ChainVerdict, ChainedEvent, LinkProblem, GENESIS,
};
pub use event::{Actor, AuditContext, AuditEvent, Outcome, Target};
pub use export::{to_cloudevent, to_csv, to_jsonl, CSV_COLUMNS};
pub use query::{
    AuditQuery, QueryCaller, QueryPlan, MAX_QUERY_LIMIT, MAX_QUERY_ORGS, MAX_QUERY_VALUES,
};
pub use redact::{redact, Redaction, FIELDS as REDACTABLE_FIELDS};
pub use settings::AuditSettings;
