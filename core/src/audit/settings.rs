//! An organization's audit settings: redaction, and the volume of `authz.decision` events.

use crate::audit::event::{AuditEvent, Outcome};
use crate::audit::redact::Redaction;
use crate::error::{Error, ErrorCode};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// The denominator of [`AuditSettings::allow_sample_per_10k`].
const PER: u32 = 10_000;

/// An organization's audit settings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AuditSettings {
    /// Fields dropped or hashed before an event leaves the engine.
    #[serde(default)]
    pub redaction: Redaction,
    /// Of the `authz.decision` events that allow, how many in 10,000 are kept (10,000: all,
    /// the default). Denies are always kept. The choice is a hash of the event id, so a
    /// retried request keeps or drops the same event in every runtime.
    #[serde(default = "all")]
    pub allow_sample_per_10k: u32,
}

fn all() -> u32 {
    PER
}

impl Default for AuditSettings {
    fn default() -> Self {
        Self {
            redaction: Redaction::default(),
            allow_sample_per_10k: PER,
        }
    }
}

impl AuditSettings {
    /// Every problem of the settings, each with its path.
    pub(crate) fn problems(&self) -> Vec<(String, Error)> {
        let mut problems: Vec<(String, Error)> = self
            .redaction
            .problems()
            .into_iter()
            .map(|(path, e)| (format!("redaction.{path}"), e))
            .collect();
        if self.allow_sample_per_10k > PER {
            problems.push((
                "allow_sample_per_10k".into(),
                Error::new(
                    ErrorCode::InvalidValue,
                    "a sample rate is 0 to 10000 per 10,000",
                ),
            ));
        }
        problems
    }

    /// Whether `event` is recorded: everything but the allowing `authz.decision` events
    /// outside the sample.
    pub fn records(&self, event: &AuditEvent) -> bool {
        if event.action != "authz.decision" || event.outcome != Outcome::Allow {
            return true;
        }
        let digest = Sha256::digest(event.id.as_bytes());
        let mut head = [0u8; 4];
        head.copy_from_slice(digest.get(..4).unwrap_or(&[0; 4]));
        let bucket = u32::from_be_bytes(head) % PER;
        bucket < self.allow_sample_per_10k
    }
}

impl crate::directory::Directory {
    /// Applies the event's org's redaction rules (checked at load) to an event the engine
    /// made, so nothing the org redacts leaves the engine. `audit_record` applying them again
    /// changes nothing.
    pub(crate) fn redact_own(&self, event: &mut AuditEvent) {
        let settings = self.org(&event.org_id).and_then(|org| org.audit.as_deref());
        if let Some(settings) = settings.filter(|s| !s.redaction.is_empty()) {
            crate::audit::redact::apply_rules(event, &settings.redaction);
        }
    }
}
