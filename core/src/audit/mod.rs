//! Audit events: one schema for everything orgkit decides or changes, per-org redaction, a
//! per-org hash chain that makes edits, gaps and reordering detectable, and the envelopes an
//! event leaves in (CloudEvents 1.0, JSON Lines, CSV). No I/O: the host passes ids and times
//! in and stores what comes out.
//!
//! The life of an event: the host (or another engine module) builds an [`AuditEvent`];
//! [`redact`] applies the org's [`Redaction`] rules; [`chain`] links it after the org's last
//! event; the host stores the [`ChainedEvent`]; [`verify_chain`] checks a stored run of events
//! and names the first broken link.

//! # OCSF classes
//!
//! For hosts that forward events to a SIEM, the main actions map to these OCSF 1.x classes:
//!
//! | orgkit action | OCSF class |
//! |---|---|
//! | `user.login.*` (routing, SSO assertion checks) | Authentication (3002) |
//! | `authz.decision` | Authorize Session (3003) |
//! | `scim.user.*` | Account Change (3001) |
//! | `scim.group.*` | Group Management (3006) |
//! | `org.*` (domains, SSO connections, SCIM tokens, branding, roles) | Entity Management (3004) |
//! | `support.access.*` (support grants) | User Access Management (3005) |
//! | `audit.log.queried`, `audit.log.exported` | API Activity (6003) |
//!
//! The event's `outcome` becomes OCSF's `status` (`success`/`allow` → Success,
//! `failure`/`deny` → Failure); `actor`, `targets` and `context` map to `actor`, the class's
//! entity fields and `src_endpoint`/`http_request`.

mod chain;
mod changes;
mod event;
mod export;
mod query;
mod redact;
mod settings;

pub use chain::{
    chain, verify_chain, BrokenLink, ChainVerdict, ChainedEvent, LinkProblem, GENESIS,
};
pub(crate) use changes::change_events;
pub use changes::ChangeAudit;
pub use event::{Actor, AuditContext, AuditEvent, Outcome, Target};
pub use export::{to_cloudevent, to_csv, to_jsonl, CSV_COLUMNS};
pub use query::{
    AuditQuery, QueryCaller, QueryPlan, MAX_QUERY_LIMIT, MAX_QUERY_ORGS, MAX_QUERY_VALUES,
};
pub(crate) use redact::apply_rules;
pub use redact::{redact, Redaction, FIELDS as REDACTABLE_FIELDS};
pub use settings::AuditSettings;
