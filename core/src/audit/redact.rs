//! Per-org redaction, applied before an event leaves the engine (and before it is chained, so
//! the chain covers exactly what is stored): named fields are dropped, or replaced by a salted
//! SHA-256 (`sha256:<hex>`) that still lets equal values be matched within the org's log.

use crate::audit::event::AuditEvent;
use crate::digest::sha256_hex;
use crate::error::{Error, ErrorCode, Result};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The fields a redaction rule may name: `context.ip`, `context.user_agent`, `actor.display`,
/// `targets.display`, and any `metadata.<key>`.
pub const FIELDS: [&str; 4] = [
    "context.ip",
    "context.user_agent",
    "actor.display",
    "targets.display",
];

/// An organization's redaction rules.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Redaction {
    /// Fields removed from every event.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub drop: Vec<String>,
    /// Fields replaced by `sha256:<hex of SHA-256(salt ‖ value)>`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub hash: Vec<String>,
    /// The org's salt for hashed fields (the host keeps it secret; at least 16 characters
    /// when `hash` names any field).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub salt: String,
}

impl Redaction {
    /// Every problem of the rules, each with its path.
    pub(crate) fn problems(&self) -> Vec<(String, Error)> {
        let mut problems = Vec::new();
        let known = |field: &str| {
            FIELDS.contains(&field)
                || field
                    .strip_prefix("metadata.")
                    .is_some_and(|key| !key.is_empty() && !key.contains('.'))
        };
        for (list, fields) in [("drop", &self.drop), ("hash", &self.hash)] {
            for (i, field) in fields.iter().enumerate() {
                if !known(field) {
                    problems.push((
                        format!("{list}[{i}]"),
                        Error::new(
                            ErrorCode::InvalidValue,
                            format!(
                                "`{field}` is not a redactable field ({} or metadata.<key>)",
                                FIELDS.join(", ")
                            ),
                        )
                        .because("unknown_field"),
                    ));
                }
            }
        }
        if !self.hash.is_empty() && self.salt.chars().count() < 16 {
            problems.push((
                "salt".into(),
                Error::new(
                    ErrorCode::InvalidValue,
                    "hashed fields need a salt of at least 16 characters",
                )
                .because("weak_salt"),
            ));
        }
        problems
    }

    /// The salted hash of `value`; a value already in hashed form is kept, so redacting an
    /// event the engine redacted when it made it changes nothing.
    fn hashed(&self, value: &str) -> String {
        if is_hashed(value) {
            return value.to_string();
        }
        format!(
            "sha256:{}",
            sha256_hex(format!("{}{value}", self.salt).as_bytes())
        )
    }

    /// True when the rules change nothing.
    pub(crate) fn is_empty(&self) -> bool {
        self.drop.is_empty() && self.hash.is_empty()
    }

    /// What to do with a field: `Some(None)` drop, `Some(Some(h))` replace, `None` keep.
    fn apply(&self, field: &str, value: &str) -> Option<Option<String>> {
        if self.drop.iter().any(|f| f == field) {
            Some(None)
        } else if self.hash.iter().any(|f| f == field) {
            Some(Some(self.hashed(value)))
        } else {
            None
        }
    }
}

fn redact_text(rules: &Redaction, field: &str, slot: &mut Option<String>) {
    if let Some(value) = slot.as_deref() {
        if let Some(replacement) = rules.apply(field, value) {
            *slot = replacement;
        }
    }
}

/// `sha256:` and 64 lowercase hex digits.
fn is_hashed(value: &str) -> bool {
    value.strip_prefix("sha256:").is_some_and(|hex| {
        hex.len() == 64
            && hex
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    })
}

/// `event` with `rules` applied. Fails with `invalid_value` when the rules are not sound.
/// Idempotent: applying the same rules twice gives the same event.
pub fn redact(mut event: AuditEvent, rules: &Redaction) -> Result<AuditEvent> {
    if let Some((path, error)) = rules.problems().into_iter().next() {
        return Err(error.at(format!("redaction.{path}")));
    }
    apply_rules(&mut event, rules);
    Ok(event)
}

/// Applies rules already known to be sound (an org's, checked when the directory loaded).
pub(crate) fn apply_rules(event: &mut AuditEvent, rules: &Redaction) {
    redact_text(rules, "context.ip", &mut event.context.ip);
    redact_text(rules, "context.user_agent", &mut event.context.user_agent);
    redact_text(rules, "actor.display", &mut event.actor.display);
    for target in &mut event.targets {
        redact_text(rules, "targets.display", &mut target.display);
    }
    let keys: Vec<String> = event.metadata.keys().cloned().collect();
    for key in keys {
        let field = format!("metadata.{key}");
        let text = match event.metadata.get(&key) {
            Some(Value::String(s)) => s.clone(),
            Some(other) => other.to_string(),
            None => continue,
        };
        match rules.apply(&field, &text) {
            Some(None) => {
                event.metadata.remove(&key);
            }
            Some(Some(hashed)) => {
                event.metadata.insert(key, Value::String(hashed));
            }
            None => {}
        }
    }
}
