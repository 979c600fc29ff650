//! The per-org hash chain. Each event carries its sequence number in the org's log and the
//! previous event's hash; its own hash is SHA-256 over its canonical serialisation:
//! the JSON object of the event plus `seq` and `prev_hash`, keys sorted by their UTF-8 bytes at
//! every level, no whitespace, strings escaped as JSON requires (`serde_json`'s escaping),
//! numbers as `serde_json` prints them. The first event of a log has `seq` 0 and
//! `prev_hash` [`GENESIS`]. Any edit of a stored event changes its hash; a removed event
//! leaves a gap in `seq`; a moved one breaks the order or the link.

use crate::audit::event::AuditEvent;
use crate::digest::sha256_hex;
use crate::error::{Error, ErrorCode, Result};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The `prev_hash` of a log's first event: 64 zeros.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// An event as stored: the event, its place in the org's log and the links.
/// Unknown fields are refused by the event's own schema.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChainedEvent {
    /// The event.
    #[serde(flatten)]
    pub event: AuditEvent,
    /// Its position in the org's log, from 0.
    pub seq: u64,
    /// The previous event's `hash` ([`GENESIS`] for the first).
    pub prev_hash: String,
    /// SHA-256 (lowercase hex) of this event's canonical serialisation.
    pub hash: String,
}

fn canonical(value: &Value, out: &mut String) {
    match value {
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            out.push('{');
            for (i, key) in keys.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&Value::String(key.clone()).to_string());
                out.push(':');
                if let Some(v) = map.get(key) {
                    canonical(v, out);
                }
            }
            out.push('}');
        }
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                canonical(item, out);
            }
            out.push(']');
        }
        scalar => out.push_str(&scalar.to_string()),
    }
}

/// The hash a chained event must carry.
fn hash_of(event: &AuditEvent, seq: u64, prev_hash: &str) -> Result<String> {
    let mut value =
        serde_json::to_value(event).map_err(|e| Error::new(ErrorCode::Internal, e.to_string()))?;
    if let Some(fields) = value.as_object_mut() {
        fields.insert("seq".into(), Value::from(seq));
        fields.insert("prev_hash".into(), Value::from(prev_hash));
    }
    let mut text = String::new();
    canonical(&value, &mut text);
    Ok(sha256_hex(text.as_bytes()))
}

/// Links `event` after `previous`, the last event of the same org's log (`None` for the
/// first). Fails with `invalid_input` when `previous` belongs to another org.
pub fn chain(previous: Option<&ChainedEvent>, event: AuditEvent) -> Result<ChainedEvent> {
    let (seq, prev_hash) = match previous {
        None => (0, GENESIS.to_string()),
        Some(prev) if prev.event.org_id != event.org_id => {
            return Err(Error::new(
                ErrorCode::InvalidInput,
                format!(
                    "the previous event is in `{}`'s log, not `{}`'s: each org has its own chain",
                    prev.event.org_id, event.org_id
                ),
            )
            .at("previous"))
        }
        Some(prev) => (prev.seq + 1, prev.hash.clone()),
    };
    let hash = hash_of(&event, seq, &prev_hash)?;
    Ok(ChainedEvent {
        event,
        seq,
        prev_hash,
        hash,
    })
}

/// What is wrong at a broken link.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LinkProblem {
    /// The event's content does not match its hash: it was edited after chaining.
    Edited,
    /// The event does not point at the hash of the event before it.
    Unlinked,
    /// Events are missing before this one (its `seq` skips ahead).
    Gap,
    /// The event is out of order (its `seq` is not after the previous one's).
    Reordered,
    /// The event is in another org's log.
    WrongOrg,
    /// The run does not start where it should (the anchor, or the genesis of the log).
    BadStart,
}

/// The first broken link of a run of events.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BrokenLink {
    /// Its index in the run given.
    pub index: usize,
    /// The `seq` it carries.
    pub seq: u64,
    /// What is wrong.
    pub problem: LinkProblem,
}

/// The verdict of [`verify_chain`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChainVerdict {
    /// True when every link holds.
    pub valid: bool,
    /// Events checked.
    pub checked: usize,
    /// The first broken link, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub broken: Option<BrokenLink>,
}

/// Checks a run of one org's stored events, oldest first. `anchor` is the last event verified
/// before the run (its `seq` and `hash`); without one, the run must start the log (`seq` 0,
/// `prev_hash` [`GENESIS`]). Names the first broken link.
pub fn verify_chain(events: &[ChainedEvent], anchor: Option<(u64, &str)>) -> ChainVerdict {
    let broken = |index: usize, event: &ChainedEvent, problem| ChainVerdict {
        valid: false,
        checked: index + 1,
        broken: Some(BrokenLink {
            index,
            seq: event.seq,
            problem,
        }),
    };
    let mut expected: (u64, String) = match anchor {
        Some((seq, hash)) => (seq + 1, hash.to_string()),
        None => (0, GENESIS.to_string()),
    };
    let org = events.first().map(|e| e.event.org_id.as_str());
    for (index, event) in events.iter().enumerate() {
        if Some(event.event.org_id.as_str()) != org {
            return broken(index, event, LinkProblem::WrongOrg);
        }
        if hash_of(&event.event, event.seq, &event.prev_hash)
            .ok()
            .as_deref()
            != Some(&event.hash)
        {
            return broken(index, event, LinkProblem::Edited);
        }
        let (seq, prev_hash) = &expected;
        if event.seq != *seq {
            // A later event carrying the expected seq means this one was moved, not that
            // events are missing.
            let moved = events
                .get(index + 1..)
                .is_some_and(|rest| rest.iter().any(|e| e.seq == *seq));
            let problem = match (index, event.seq > *seq && !moved) {
                (0, _) => LinkProblem::BadStart,
                (_, true) => LinkProblem::Gap,
                (_, false) => LinkProblem::Reordered,
            };
            return broken(index, event, problem);
        }
        if event.prev_hash != *prev_hash {
            let problem = if index == 0 {
                LinkProblem::BadStart
            } else {
                LinkProblem::Unlinked
            };
            return broken(index, event, problem);
        }
        expected = (event.seq + 1, event.hash.clone());
    }
    ChainVerdict {
        valid: true,
        checked: events.len(),
        broken: None,
    }
}
