//! The organization directory: records, validation, the indexed immutable snapshot, and
//! incremental changes that yield a new snapshot sharing structure with the old one.

mod batch;
pub mod change;
mod load;
mod problems;
pub mod records;
pub mod snapshot;
pub mod validate;

use crate::error::{Error, ErrorCode, Result};
use crate::limits::Limits;
use crate::routing::claimable::ConsumerDomains;
use crate::routing::domain::normalize_domain;
use change::{Change, ChangeSet};
use records::DirectoryDoc;
use serde::{Deserialize, Serialize};
pub use snapshot::Directory;

/// Settings a host gives when it loads a directory.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LoadOptions {
    /// Limits to hold the directory to.
    pub limits: Limits,
    /// Consumer mail domains to refuse besides the embedded list.
    pub extra_consumer_domains: Vec<String>,
}

impl LoadOptions {
    fn empty_directory(&self) -> Result<Directory> {
        let mut extra = Vec::with_capacity(self.extra_consumer_domains.len());
        for (i, raw) in self.extra_consumer_domains.iter().enumerate() {
            let domain = normalize_domain(raw).map_err(|e| {
                Error::new(ErrorCode::InvalidInput, format!("extra consumer domain: {}", e.message))
                    .at(format!("options.extra_consumer_domains[{i}]"))
                    .because(e.reason.unwrap_or_default())
            })?;
            extra.push(domain.domain);
        }
        Ok(Directory {
            limits: self.limits,
            consumer: ConsumerDomains::with_extra(extra),
            ..Directory::default()
        })
    }
}

impl Directory {
    /// Loads and validates a typed directory document. Every problem is reported.
    pub fn load(doc: &DirectoryDoc, options: &LoadOptions) -> Result<Self> {
        load::load_doc(options.empty_directory()?, doc)
    }

    /// Loads and validates a directory document given as JSON. Every problem is reported,
    /// each with its path, even when several records are malformed.
    pub fn load_json(value: serde_json::Value, options: &LoadOptions) -> Result<Self> {
        load::load_value(options.empty_directory()?, value)
    }

    /// The snapshot after `changes`, all or nothing; `self` is unchanged either way.
    pub fn apply(&self, changes: &[Change]) -> Result<Self> {
        load::apply_changes(self, changes)
    }

    /// [`Directory::apply`] for a typed change-set document.
    pub fn apply_set(&self, set: &ChangeSet) -> Result<Self> {
        load::apply_set(self, set)
    }

    /// [`Directory::apply`] for a change-set document given as JSON.
    pub fn apply_json(&self, value: serde_json::Value) -> Result<Self> {
        load::apply_value(self, value)
    }
}
