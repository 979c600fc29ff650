//! Home-realm discovery: from an email address to the organization and SSO connection that
//! should authenticate it, and the matching check on SSO assertions.
//!
//! The domain index is walked from the email's own domain up through its parents, so the cost
//! depends on the number of labels in the address, never on the number of organizations.

use crate::directory::records::{
    ConnectionStatus, OrgStatus, Organization, SsoConnection, Verification,
};
use crate::directory::snapshot::{Directory, DomainClaim};
use crate::error::{Error, ErrorCode, Result};
use crate::routing::claimable::self_and_parents;
use crate::routing::decision::{
    AssertionCheck, AssertionReason, ConnectionRef, DecisionKind, OrgRef, Reason, RouteDecision,
};
use crate::routing::email::{normalize_email, NormalizedEmail};

/// The most specific level of the domain tree at which verified claims match an email domain.
struct Match<'a> {
    /// The claimed domain at that level.
    domain: &'a str,
    /// The verified claims there, in index order.
    claims: Vec<&'a DomainClaim>,
    /// True when the claimed domain is the email's own domain.
    exact: bool,
    /// True when an unverified claim matched on the way.
    saw_unverified: bool,
}

/// Does `claim`, made on `level`, cover the email domain `domain`?
fn covers(claim: &DomainClaim, level: &str, domain: &str) -> bool {
    level == domain || claim.include_subdomains
}

impl Directory {
    fn best_match<'a>(&'a self, domain: &'a str) -> Match<'a> {
        let mut saw_unverified = false;
        for level in self_and_parents(domain).filter(|level| level.contains('.')) {
            let Some(claims) = self.domains.get(level) else {
                continue;
            };
            let mut verified = Vec::new();
            for claim in claims.iter().filter(|c| covers(c, level, domain)) {
                if claim.verification == Verification::Verified {
                    verified.push(claim);
                } else {
                    saw_unverified = true;
                }
            }
            if !verified.is_empty() {
                return Match {
                    domain: level,
                    claims: verified,
                    exact: level == domain,
                    saw_unverified,
                };
            }
        }
        Match {
            domain,
            claims: Vec::new(),
            exact: false,
            saw_unverified,
        }
    }

    /// Decides where the login for `email` goes. Errors only for an invalid address.
    pub fn route(&self, email: &str) -> Result<RouteDecision> {
        let email = normalize_email(email)?;
        Ok(self.route_normalized(&email))
    }

    /// [`Directory::route`] for an address already normalised.
    pub fn route_normalized(&self, email: &NormalizedEmail) -> RouteDecision {
        let mut decision = RouteDecision {
            decision: DecisionKind::DefaultLogin,
            email: email.email.clone(),
            domain: email.domain.clone(),
            matched_domain: None,
            org: None,
            connection: None,
            login_hint: None,
            candidates: Vec::new(),
            sso_required: false,
            reasons: Vec::new(),
        };
        if self.consumer.contains(&email.domain) {
            decision.reasons.push(Reason::ConsumerDomain);
            return decision;
        }
        let found = self.best_match(&email.domain);
        if found.saw_unverified {
            decision.reasons.push(Reason::UnverifiedClaimIgnored);
        }
        if found.claims.is_empty() {
            decision.reasons.push(Reason::NoOrgForDomain);
            return decision;
        }
        decision.matched_domain = Some(found.domain.to_string());
        decision.reasons.push(if found.exact {
            Reason::VerifiedDomain
        } else {
            Reason::VerifiedParentDomain
        });

        let mut orgs: Vec<&Organization> = found
            .claims
            .iter()
            .filter_map(|c| self.org(&c.org_id))
            .collect();
        orgs.sort_by(|a, b| a.id.cmp(&b.id));
        orgs.dedup_by(|a, b| a.id == b.id);
        let (active, disabled): (Vec<&Organization>, Vec<&Organization>) = orgs
            .into_iter()
            .partition(|o| o.status == OrgStatus::Active);

        match active.as_slice() {
            [] => {
                decision.decision = DecisionKind::Blocked;
                if let [only] = disabled.as_slice() {
                    decision.org = Some(OrgRef::from(*only));
                }
                decision.reasons.push(Reason::OrgDisabled);
            }
            [org] => {
                if !disabled.is_empty() {
                    decision.reasons.push(Reason::DisabledOrgSkipped);
                }
                self.decide_for_org(&mut decision, org, found.domain, email);
            }
            several => {
                decision.decision = DecisionKind::OrgPicker;
                decision.reasons.push(Reason::MultipleOrgs);
                if !disabled.is_empty() {
                    decision.reasons.push(Reason::DisabledOrgSkipped);
                }
                let max = self.limits.max_picker_candidates;
                decision.candidates = several.iter().take(max).map(|o| OrgRef::from(*o)).collect();
                if several.len() > max {
                    decision.reasons.push(Reason::CandidatesTruncated);
                }
                decision.sso_required = several.iter().all(|o| o.require_sso);
            }
        }
        decision
    }

    fn decide_for_org(
        &self,
        decision: &mut RouteDecision,
        org: &Organization,
        matched: &str,
        email: &NormalizedEmail,
    ) {
        decision.org = Some(OrgRef::from(org));
        decision.sso_required = org.require_sso;
        match routable_connection(org, matched) {
            Some(connection) => {
                decision.decision = DecisionKind::Sso;
                decision.connection = Some(ConnectionRef::from(connection));
                decision.login_hint = Some(email.email.clone());
                decision.reasons.push(Reason::ConnectionActive);
            }
            None => {
                decision.decision = if org.require_sso {
                    DecisionKind::Blocked
                } else {
                    DecisionKind::DefaultLogin
                };
                decision.reasons.push(Reason::NoActiveConnection);
            }
        }
        if org.require_sso {
            decision.reasons.push(Reason::SsoRequired);
        }
    }

    /// Checks that an SSO assertion's email lies inside the organization's verified domains
    /// (and, when `connection_id` is given, inside that connection's domains). An IdP admin of
    /// one org must not mint users on another org's domain.
    pub fn check_assertion_email(
        &self,
        org_id: &str,
        connection_id: Option<&str>,
        email: &str,
    ) -> Result<AssertionCheck> {
        let org = self.org(org_id).ok_or_else(|| {
            Error::new(
                ErrorCode::UnknownOrg,
                format!("no organization has id `{org_id}`"),
            )
            .at("org_id")
        })?;
        let connection =
            match connection_id {
                Some(id) => Some(org.sso_connections.iter().find(|c| c.id == id).ok_or_else(
                    || {
                        Error::new(
                            ErrorCode::UnknownConnection,
                            format!("organization `{org_id}` has no connection `{id}`"),
                        )
                        .at("connection_id")
                    },
                )?),
                None => None,
            };
        let email = normalize_email(email)?;
        let mut check = AssertionCheck {
            accepted: false,
            email: email.email.clone(),
            domain: email.domain.clone(),
            matched_domain: None,
            reasons: Vec::new(),
        };
        if org.status == OrgStatus::Disabled {
            check.reasons.push(AssertionReason::OrgDisabled);
            return Ok(check);
        }
        let mut unverified = false;
        let matched = self_and_parents(&email.domain).find_map(|level| {
            let claim = org
                .domains
                .iter()
                .find(|d| d.domain == level && (level == email.domain || d.include_subdomains))?;
            if claim.verification == Verification::Verified {
                Some(claim)
            } else {
                unverified = true;
                None
            }
        });
        let Some(claim) = matched else {
            check.reasons.push(if unverified {
                AssertionReason::DomainUnverified
            } else {
                AssertionReason::DomainNotInOrg
            });
            return Ok(check);
        };
        check.matched_domain = Some(claim.domain.clone());
        check.reasons.push(if claim.domain == email.domain {
            AssertionReason::VerifiedDomain
        } else {
            AssertionReason::VerifiedParentDomain
        });
        if let Some(connection) = connection {
            if connection.status != ConnectionStatus::Active {
                check.reasons.push(AssertionReason::ConnectionInactive);
                return Ok(check);
            }
            if !serves(connection, &claim.domain) {
                check
                    .reasons
                    .push(AssertionReason::DomainNotServedByConnection);
                return Ok(check);
            }
        }
        check.accepted = true;
        Ok(check)
    }
}

/// Does the connection serve this org domain? An empty domain list serves them all.
fn serves(connection: &SsoConnection, domain: &str) -> bool {
    connection.domains.is_empty() || connection.domains.iter().any(|d| d == domain)
}

/// The first active connection of the org, in its declared order, that serves `domain`.
fn routable_connection<'a>(org: &'a Organization, domain: &str) -> Option<&'a SsoConnection> {
    org.sso_connections
        .iter()
        .find(|c| c.status == ConnectionStatus::Active && serves(c, domain))
}
