//! The organization directory: records, validation, the indexed immutable snapshot, and
//! incremental changes that yield a new snapshot sharing structure with the old one.

mod batch;
pub mod change;
mod load;
mod members;
mod problems;
pub mod records;
pub mod snapshot;
pub mod validate;

use crate::audit::{change_events, AuditEvent, ChangeAudit};
use crate::authz::config::{AuthzConfig, AuthzOptions};
use crate::error::{Error, ErrorCode, Result};
use crate::limits::Limits;
use crate::routing::claimable::ConsumerDomains;
use crate::routing::domain::normalize_domain;
use change::{Change, ChangeSet};
use records::DirectoryDoc;
use serde::{Deserialize, Serialize};
pub use snapshot::Directory;
use std::sync::Arc;

/// Settings a host gives when it loads a directory.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LoadOptions {
    /// Limits to hold the directory to.
    pub limits: Limits,
    /// Consumer mail domains to refuse besides the embedded list.
    pub extra_consumer_domains: Vec<String>,
    /// The host's authorization schema fragment, context type and policies.
    pub authz: AuthzOptions,
    /// Accepted token issuers and keys, and the key that signs org-scoped session tokens.
    pub sessions: crate::session::SessionOptions,
    /// The app's default feature flags and entitlements; each org's own values win.
    pub feature_flags: std::collections::BTreeMap<String, crate::directory::records::FlagValue>,
    /// The app's default login-screen branding, under each org's (and its parents') own.
    pub branding: Option<records::Branding>,
}

/// The app's default flags, keys and texts checked like an org's own.
fn flag_defaults(
    options: &LoadOptions,
) -> Result<std::collections::BTreeMap<String, records::FlagValue>> {
    for (key, value) in &options.feature_flags {
        let path = format!("options.feature_flags.{key}");
        if !validate::is_key(key, 64) {
            return Err(Error::new(
                ErrorCode::InvalidValue,
                format!("flag key `{key}` must be 1 to 64 of lowercase letters, digits and `-_.:`"),
            )
            .at(path)
            .because("invalid_key"));
        }
        if let records::FlagValue::Text(text) = value {
            if text.len() > options.limits.max_text_bytes {
                return Err(Error::new(
                    ErrorCode::LimitExceeded,
                    format!(
                        "a flag value is at most {} bytes",
                        options.limits.max_text_bytes
                    ),
                )
                .at(path));
            }
        }
    }
    if options.feature_flags.len() > options.limits.max_flags_per_org {
        return Err(Error::new(
            ErrorCode::LimitExceeded,
            format!("at most {} default flags", options.limits.max_flags_per_org),
        )
        .at("options.feature_flags"));
    }
    Ok(options.feature_flags.clone())
}

/// The app's default branding, checked like an org's.
fn default_branding(options: &LoadOptions) -> Result<Option<Arc<records::Branding>>> {
    let Some(branding) = &options.branding else {
        return Ok(None);
    };
    let consumer = ConsumerDomains::default();
    let rules = validate::Rules {
        limits: &options.limits,
        consumer: &consumer,
    };
    let mut problems = problems::Problems::new(options.limits.max_problems);
    match validate::check_branding(&mut problems, &rules, "options.branding", branding) {
        Some(canonical) => Ok(Some(Arc::new(canonical))),
        None => Err(problems.into_error(ErrorCode::InvalidValue, "the default branding")),
    }
}

impl Directory {
    /// An empty directory with these settings.
    pub fn empty(options: &LoadOptions) -> Result<Self> {
        let mut extra = Vec::with_capacity(options.extra_consumer_domains.len());
        for (i, raw) in options.extra_consumer_domains.iter().enumerate() {
            let domain = normalize_domain(raw).map_err(|e| {
                Error::new(
                    ErrorCode::InvalidInput,
                    format!("extra consumer domain: {}", e.message),
                )
                .at(format!("options.extra_consumer_domains[{i}]"))
                .because(e.reason.unwrap_or_default())
            })?;
            extra.push(domain.domain);
        }
        Ok(Directory {
            orgs: Default::default(),
            slugs: Default::default(),
            domains: Default::default(),
            connections: Default::default(),
            scim_tokens: Default::default(),
            scim_mappings: Default::default(),
            children: Default::default(),
            users: Default::default(),
            membership_count: 0,
            user_orgs: Default::default(),
            org_members: Default::default(),
            access: Default::default(),
            quarantined: Default::default(),
            authz: AuthzConfig::for_options(&options.authz)?,
            sessions: Arc::new(crate::session::SessionConfig::build(&options.sessions)?),
            flag_defaults: Arc::new(flag_defaults(options)?),
            branding_default: default_branding(options)?,
            limits: options.limits,
            consumer: ConsumerDomains::with_extra(extra),
            version: 0,
        })
    }

    /// Loads and validates a typed directory document. Every problem is reported.
    pub fn load(doc: &DirectoryDoc, options: &LoadOptions) -> Result<Self> {
        load::load_doc(Self::empty(options)?, doc)
    }

    /// Loads and validates a directory document given as JSON. Every problem is reported,
    /// each with its path, even when several records are malformed.
    pub fn load_json(value: serde_json::Value, options: &LoadOptions) -> Result<Self> {
        load::load_value(Self::empty(options)?, value)
    }

    /// The snapshot after `changes`, all or nothing; `self` is unchanged either way.
    pub fn apply(&self, changes: &[Change]) -> Result<Self> {
        load::apply_changes(self, changes)
    }

    /// [`Directory::apply`] for a typed change-set document.
    pub fn apply_set(&self, set: &ChangeSet) -> Result<Self> {
        load::apply_set(self, set)
    }

    /// [`Directory::apply`], with the audit event of each change (see
    /// [`crate::audit::ChangeAudit`] and the table in `orgkit::audit`'s change events).
    pub fn apply_audited(
        &self,
        changes: &[Change],
        audit: &ChangeAudit,
    ) -> Result<(Self, Vec<AuditEvent>)> {
        audit.check(self.limits.max_text_bytes)?;
        let next = self.apply(changes)?;
        let events = change_events(self, &next, changes, audit);
        Ok((next, events))
    }

    /// [`Directory::apply_audited`] for a change-set document given as JSON.
    pub fn apply_json_audited(
        &self,
        value: serde_json::Value,
        audit: &ChangeAudit,
    ) -> Result<(Self, Vec<AuditEvent>)> {
        audit.check(self.limits.max_text_bytes)?;
        let decoded = load::decode_changes(self, value)?;
        let next = load::apply_decoded(self, &decoded)?;
        let changes: Vec<Change> = decoded.into_iter().map(|(_, c)| c).collect();
        let events = change_events(self, &next, &changes, audit);
        Ok((next, events))
    }

    /// [`Directory::apply`] for a change-set document given as JSON.
    pub fn apply_json(&self, value: serde_json::Value) -> Result<Self> {
        load::apply_value(self, value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::directory::records::{EmailDomain, Organization, Verification};

    fn org(id: &str, domain: &str) -> Organization {
        serde_json::from_value(serde_json::json!({
            "id": id, "name": id, "slug": id,
            "domains": [{"domain": domain, "verification": "verified"}]
        }))
        .unwrap()
    }

    fn doc(orgs: Vec<Organization>) -> DirectoryDoc {
        DirectoryDoc {
            schema_version: 1,
            orgs,
            users: vec![],
            memberships: vec![],
        }
    }

    #[test]
    fn apply_leaves_the_old_snapshot_untouched() {
        let before =
            Directory::load(&doc(vec![org("a", "a.com")]), &LoadOptions::default()).unwrap();
        let after = before
            .apply(&[
                Change::UpsertOrg {
                    org: org("b", "b.com"),
                },
                Change::UpsertDomain {
                    org_id: "a".into(),
                    domain: EmailDomain {
                        domain: "a2.com".into(),
                        verification: Verification::Verified,
                        include_subdomains: false,
                    },
                },
            ])
            .unwrap();
        assert_eq!(before.stats().orgs, 1);
        assert_eq!(before.stats().domains, 1);
        assert!(before.route("x@b.com").unwrap().org.is_none());
        assert_eq!(after.stats().orgs, 2);
        assert_eq!(after.stats().domains, 3);
        assert_eq!(after.stats().version, before.stats().version + 1);
        assert_eq!(after.route("x@a2.com").unwrap().org.unwrap().id, "a");
    }

    #[test]
    fn a_failed_batch_changes_nothing() {
        let before =
            Directory::load(&doc(vec![org("a", "a.com")]), &LoadOptions::default()).unwrap();
        let error = before
            .apply(&[
                Change::RemoveOrg { org_id: "a".into() },
                Change::RemoveOrg {
                    org_id: "zzz".into(),
                },
            ])
            .unwrap_err();
        assert_eq!(error.code, ErrorCode::InvalidChange);
        assert_eq!(error.problems.len(), 1);
        assert_eq!(before.route("x@a.com").unwrap().org.unwrap().id, "a");
    }

    #[test]
    fn typed_and_json_loads_agree() {
        let typed = doc(vec![org("a", "Bücher.de"), org("b", "b.com")]);
        let from_typed = Directory::load(&typed, &LoadOptions::default()).unwrap();
        let from_json = Directory::load_json(
            serde_json::to_value(&typed).unwrap(),
            &LoadOptions::default(),
        )
        .unwrap();
        assert_eq!(from_typed.to_doc(), from_json.to_doc());
        assert_eq!(
            from_typed.to_doc().orgs[0].domains[0].domain,
            "xn--bcher-kva.de"
        );
    }

    #[test]
    fn exported_documents_load_back_identically() {
        let dir = Directory::load(
            &doc(vec![org("a", "a.com"), org("b", "b.com")]),
            &LoadOptions::default(),
        )
        .unwrap();
        let again = Directory::load(&dir.to_doc(), &LoadOptions::default()).unwrap();
        assert_eq!(dir.to_doc(), again.to_doc());
    }

    #[test]
    fn invalid_extra_consumer_domain_is_an_input_error() {
        let options = LoadOptions {
            extra_consumer_domains: vec!["not a domain".into()],
            ..LoadOptions::default()
        };
        let error = Directory::load(&doc(vec![]), &options).unwrap_err();
        assert_eq!(error.code, ErrorCode::InvalidInput);
        assert_eq!(
            error.path.as_deref(),
            Some("options.extra_consumer_domains[0]")
        );
    }

    /// The org's flags as `context.flags` sees them after a change to its flags alone.
    #[test]
    fn a_flag_change_reaches_authorization() {
        let org_with = |beta: bool| -> Organization {
            serde_json::from_value(serde_json::json!({
                "id": "a", "name": "a", "slug": "a",
                "feature_flags": {"beta": beta},
                "policies": [{"id": "beta-branding", "cedar":
                    "permit (principal, action == Orgkit::Action::\"branding.update\", resource in Orgkit::Organization::\"a\") when { context.flags.contains(\"beta\") };"}]
            }))
            .unwrap()
        };
        let mut start = doc(vec![org_with(false)]);
        start.users =
            vec![
                serde_json::from_value(serde_json::json!({"id": "u", "email": "u@a.com"})).unwrap(),
            ];
        start.memberships = vec![serde_json::from_value(
            serde_json::json!({"user_id": "u", "org_id": "a", "roles": ["member"], "status": "active"}),
        )
        .unwrap()];
        let request: crate::AuthorizeRequest = serde_json::from_value(serde_json::json!({
            "principal": {"user": "u"}, "active_org": "a", "action": "branding.update",
            "resource": {"type": "Organization", "id": "a"}, "now": 1
        }))
        .unwrap();
        let before = Directory::load(&start, &LoadOptions::default()).unwrap();
        assert_eq!(
            before.authorize(&request).unwrap().decision,
            crate::Decision::Deny
        );
        let after = before
            .apply(&[Change::UpsertOrg {
                org: org_with(true),
            }])
            .unwrap();
        assert_eq!(
            after.authorize(&request).unwrap().decision,
            crate::Decision::Allow
        );
        let back = after
            .apply(&[Change::UpsertOrg {
                org: org_with(false),
            }])
            .unwrap();
        assert_eq!(
            back.authorize(&request).unwrap().decision,
            crate::Decision::Deny
        );
    }

    /// The org's audit redaction after a change to its audit settings alone applies to its
    /// decisions' events.
    #[test]
    fn a_redaction_change_reaches_decision_events() {
        let mut start = doc(vec![org("a", "a.com")]);
        start.users =
            vec![
                serde_json::from_value(serde_json::json!({"id": "u", "email": "u@a.com"})).unwrap(),
            ];
        let request: crate::AuthorizeRequest = serde_json::from_value(serde_json::json!({
            "principal": {"user": "u"}, "active_org": "a", "action": "org.read",
            "resource": {"type": "Organization", "id": "a"}, "now": 1,
            "audit_context": {"ip": "192.0.2.1"}
        }))
        .unwrap();
        let before = Directory::load(&start, &LoadOptions::default()).unwrap();
        let ip = |dir: &Directory| dir.authorize(&request).unwrap().event.context.ip;
        assert_eq!(ip(&before).as_deref(), Some("192.0.2.1"));
        let mut redacting = org("a", "a.com");
        redacting.audit = Some(Box::new(
            serde_json::from_value(serde_json::json!({"redaction": {"drop": ["context.ip"]}}))
                .unwrap(),
        ));
        let after = before
            .apply(&[Change::UpsertOrg { org: redacting }])
            .unwrap();
        assert_eq!(ip(&after), None);
    }
}
