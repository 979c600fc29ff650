//! From a verified session to the request's active org: the membership in the directory decides
//! (status, roles), and a user with several orgs and none chosen gets the candidates to pick from.

use super::verify::{token_error, VerifiedToken};
use crate::authz::{MembershipView, Principal, Resource};
use crate::directory::records::{FlagValue, MembershipStatus, OrgStatus};
use crate::directory::Directory;
use crate::error::{Error, ErrorCode, Result};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// What a host hands in: a token to verify, or claims it verified itself (exactly one).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SessionInput {
    /// A compact JWS for the engine to verify.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token: Option<String>,
    /// Claims whose signature the host verified (e.g. with WebCrypto); every claim check
    /// still applies.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verified_claims: Option<Map<String, Value>>,
    /// The host's clock, Unix seconds.
    pub now: i64,
    /// The org the user chose, when the token names none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub org_id: Option<String>,
}

/// An org a user may pick.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OrgCandidate {
    /// The org's id.
    pub org_id: String,
    /// Its slug.
    pub slug: String,
    /// Its display name.
    pub name: String,
    /// The user's roles there.
    pub roles: Vec<String>,
}

/// A session bound to one active org.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ActiveSession {
    /// The user.
    pub user_id: String,
    /// The active org.
    pub org_id: String,
    /// The issuer of the token the session came from.
    pub issuer: String,
    /// When the token expires, Unix seconds.
    pub expires_at: i64,
    /// The membership that decides: status and role keys.
    pub membership: MembershipView,
    /// The actions the membership allows on the org itself, by the engine's policies: a
    /// summary for UI gating, not a substitute for `authorize`.
    pub permissions: Vec<String>,
    /// The org's feature flags and entitlements, defaults applied.
    pub feature_flags: BTreeMap<String, FlagValue>,
}

/// Where a session lands.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum SessionOutcome {
    /// One active org.
    Active(ActiveSession),
    /// Several active memberships and no org chosen: the user picks one.
    OrganizationSelectionRequired {
        /// The user.
        user_id: String,
        /// The orgs to choose from, by org id.
        candidates: Vec<OrgCandidate>,
        /// True when more orgs exist than the picker limit lets through.
        truncated: bool,
    },
    /// No active membership at all.
    NoOrganization {
        /// The user.
        user_id: String,
    },
}

fn refused(reason: &str, message: String) -> Error {
    Error::new(ErrorCode::Forbidden, message)
        .because(reason)
        .at("org_id")
}

impl Directory {
    /// Verifies the session (token or host-verified claims) and checks its user and claims.
    pub fn verify_session(&self, input: &SessionInput) -> Result<VerifiedToken> {
        match (&input.token, &input.verified_claims) {
            (Some(token), None) => self.sessions.verify_token(token, input.now),
            (None, Some(claims)) => self
                .sessions
                .check_verified_claims(claims.clone(), input.now),
            _ => Err(Error::new(
                ErrorCode::InvalidInput,
                "give exactly one of `token` or `verified_claims`",
            )),
        }
    }

    /// The active org of a session: the token's org claim, else the org the host passes, else
    /// the user's only active org; several and none chosen → the candidates. A token bound to
    /// one org never resolves to another (switching issues a new token).
    pub fn resolve_session(&self, input: &SessionInput) -> Result<SessionOutcome> {
        let verified = self.verify_session(input)?;
        self.outcome(&verified, input.org_id.as_deref(), input.now)
    }

    pub(crate) fn outcome(
        &self,
        verified: &VerifiedToken,
        requested: Option<&str>,
        now: i64,
    ) -> Result<SessionOutcome> {
        let user_id = &verified.user_id;
        if self.user(user_id).is_none() {
            return Err(token_error(
                "unknown_user",
                format!("the token names user `{user_id}`, who is not in the directory"),
            ));
        }
        let chosen = match (verified.org_id.as_deref(), requested) {
            (Some(bound), Some(asked)) if bound != asked => {
                return Err(refused(
                    "org_mismatch",
                    format!("the session is bound to org `{bound}`, not `{asked}`"),
                ))
            }
            (Some(org), _) | (None, Some(org)) => Some(org),
            (None, None) => None,
        };
        if let Some(org_id) = chosen {
            return self
                .active_session(verified, org_id, now)
                .map(SessionOutcome::Active);
        }
        let limit = self.limits.max_picker_candidates;
        let mut candidates = Vec::new();
        let mut truncated = false;
        for org_id in self.user_org_ids(user_id) {
            let (Some(org), Some(membership)) =
                (self.org(org_id), self.membership(user_id, org_id))
            else {
                continue;
            };
            if membership.status != MembershipStatus::Active || org.status != OrgStatus::Active {
                continue;
            }
            if candidates.len() == limit {
                truncated = true;
                break;
            }
            candidates.push(OrgCandidate {
                org_id: org.id.clone(),
                slug: org.slug.clone(),
                name: org.name.clone(),
                roles: membership.roles.iter().map(|r| r.to_string()).collect(),
            });
        }
        match candidates.as_slice() {
            [] => Ok(SessionOutcome::NoOrganization {
                user_id: user_id.clone(),
            }),
            [only] if !truncated => {
                let org_id = only.org_id.clone();
                self.active_session(verified, &org_id, now)
                    .map(SessionOutcome::Active)
            }
            _ => Ok(SessionOutcome::OrganizationSelectionRequired {
                user_id: user_id.clone(),
                candidates,
                truncated,
            }),
        }
    }

    /// The session in `org_id`, if the user's membership there is active and the org is too.
    pub(crate) fn active_session(
        &self,
        verified: &VerifiedToken,
        org_id: &str,
        now: i64,
    ) -> Result<ActiveSession> {
        let user_id = &verified.user_id;
        let org = self.org(org_id).ok_or_else(|| {
            Error::new(ErrorCode::UnknownOrg, format!("no organization `{org_id}`")).at("org_id")
        })?;
        if org.status != OrgStatus::Active {
            return Err(refused(
                "org_not_active",
                format!("organization `{org_id}` is not active"),
            ));
        }
        let membership = self.membership(user_id, org_id).ok_or_else(|| {
            refused(
                "not_a_member",
                format!("user `{user_id}` is not a member of `{org_id}`"),
            )
        })?;
        match membership.status {
            MembershipStatus::Active => {}
            MembershipStatus::Invited => {
                return Err(refused(
                    "membership_invited",
                    format!("user `{user_id}` has not accepted the invitation to `{org_id}`"),
                ))
            }
            MembershipStatus::Suspended => {
                return Err(refused(
                    "membership_suspended",
                    format!("user `{user_id}` is suspended in `{org_id}`"),
                ))
            }
        }
        let permissions = self.allowed_actions(
            &Principal::User(user_id.clone()),
            org_id,
            &Resource {
                kind: "Organization".into(),
                id: org_id.into(),
                org: None,
                attrs: None,
            },
            now,
            &Map::new(),
            None,
        )?;
        Ok(ActiveSession {
            user_id: user_id.clone(),
            org_id: org_id.to_string(),
            issuer: verified.issuer.clone(),
            expires_at: verified.expires_at,
            membership: MembershipView {
                status: "active".into(),
                roles: membership.roles.iter().map(|r| r.to_string()).collect(),
            },
            permissions,
            feature_flags: self.feature_flags(org_id)?,
        })
    }
}
