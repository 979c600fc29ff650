//! The one error type of the engine: a stable code, a human message, where it happened, and for
//! validation failures every problem found.

use serde::{Deserialize, Serialize};
use std::fmt;

/// Stable, machine-readable error codes. The string form (`invalid_email`, …) never changes once
/// released; every binding exposes it unchanged. A new code is also listed in
/// [`ErrorCode::ALL`] and given its [`ErrorFamily`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// The input was not well-formed JSON.
    InvalidJson,
    /// The input was JSON but not the shape the operation expects.
    InvalidInput,
    /// The operation name is not one the engine knows.
    UnknownOp,
    /// An email address failed normalisation; `reason` says which rule.
    InvalidEmail,
    /// A domain name failed normalisation; `reason` says which rule.
    InvalidDomain,
    /// A directory document failed validation; `problems` lists every problem found.
    InvalidDirectory,
    /// A batch of directory changes failed validation; nothing was applied.
    InvalidChange,
    /// The document's `schema_version` is not one this engine reads.
    UnsupportedSchemaVersion,
    /// No organization has the given id or slug.
    UnknownOrg,
    /// No user has the given id.
    UnknownUser,
    /// No SSO connection has the given id (in the given organization).
    UnknownConnection,
    /// No membership links the given user and organization.
    UnknownMembership,
    /// The record names a role that neither the built-in templates nor the org define.
    UnknownRole,
    /// The action is not declared in the authorization schema.
    UnknownAction,
    /// A Cedar policy was refused (parse, validation or scope); `message` carries Cedar's diagnostics.
    InvalidPolicy,
    /// A SCIM filter failed to parse or exceeds its limits; `reason` says which rule (SCIM
    /// `scimType` `invalidFilter`, HTTP 400).
    InvalidFilter,
    /// A bearer token was missing, malformed or not valid; `reason` says which (HTTP 401).
    InvalidToken,
    /// A consumer mail domain (gmail.com, …) can never be claimed by an organization.
    ConsumerDomain,
    /// A public suffix or top-level domain cannot be claimed by an organization.
    PublicSuffix,
    /// The record collides with another (duplicate id, slug, domain, …).
    Conflict,
    /// A documented size, count or depth limit was exceeded.
    LimitExceeded,
    /// A value is well-typed but not acceptable (bad URL, bad slug, bad colour, …); in SCIM, a
    /// value of the wrong type or form for its attribute (`scimType` `invalidValue`, HTTP 400).
    InvalidValue,
    /// A SCIM PATCH `path` is malformed or names no attribute that can be addressed
    /// (`scimType` `invalidPath`, HTTP 400).
    InvalidPath,
    /// A SCIM PATCH value filter matched nothing to replace or remove, or `remove` came without a
    /// `path` (`scimType` `noTarget`, HTTP 400).
    NoTarget,
    /// A SCIM PATCH request body or operation is malformed (`scimType` `invalidSyntax`,
    /// HTTP 400).
    InvalidPatch,
    /// The request changes an attribute its schema does not let clients change (`id`, `meta`,
    /// …) (`scimType` `mutability`, HTTP 400).
    Mutability,
    /// A bug in the engine; the engine stays usable.
    Internal,
    /// No resource or endpoint answers to the request's path (HTTP 404).
    NotFound,
    /// The endpoint exists but does not take the request's HTTP method (HTTP 405).
    MethodNotAllowed,
    /// The request body's media type is not JSON (HTTP 415).
    UnsupportedMediaType,
    /// The endpoint is part of SCIM but this engine does not offer it, e.g. `/Me` (HTTP 501).
    NotImplemented,
    /// An `If-Match` precondition does not hold for the resource's current version (HTTP 412).
    PreconditionFailed,
    /// The request is not well-formed: undecodable query, wrong body shape (SCIM `scimType`
    /// `invalidSyntax`, HTTP 400).
    InvalidSyntax,
    /// A query would yield more results than the host will process (SCIM `scimType` `tooMany`,
    /// HTTP 400).
    TooMany,
    /// The request body exceeds its size limit (HTTP 413).
    PayloadTooLarge,
    /// The request is understood but refused, e.g. a filter on a discovery endpoint (HTTP 403).
    Forbidden,
}

impl ErrorCode {
    /// The stable string form of the code.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::InvalidJson => "invalid_json",
            Self::InvalidInput => "invalid_input",
            Self::UnknownOp => "unknown_op",
            Self::InvalidEmail => "invalid_email",
            Self::InvalidDomain => "invalid_domain",
            Self::InvalidDirectory => "invalid_directory",
            Self::InvalidChange => "invalid_change",
            Self::UnsupportedSchemaVersion => "unsupported_schema_version",
            Self::UnknownOrg => "unknown_org",
            Self::UnknownUser => "unknown_user",
            Self::UnknownConnection => "unknown_connection",
            Self::UnknownMembership => "unknown_membership",
            Self::UnknownRole => "unknown_role",
            Self::UnknownAction => "unknown_action",
            Self::InvalidPolicy => "invalid_policy",
            Self::InvalidFilter => "invalid_filter",
            Self::InvalidToken => "invalid_token",
            Self::ConsumerDomain => "consumer_domain",
            Self::PublicSuffix => "public_suffix",
            Self::Conflict => "conflict",
            Self::LimitExceeded => "limit_exceeded",
            Self::InvalidValue => "invalid_value",
            Self::InvalidPath => "invalid_path",
            Self::NoTarget => "no_target",
            Self::InvalidPatch => "invalid_patch",
            Self::Mutability => "mutability",
            Self::Internal => "internal",
            Self::NotFound => "not_found",
            Self::MethodNotAllowed => "method_not_allowed",
            Self::UnsupportedMediaType => "unsupported_media_type",
            Self::NotImplemented => "not_implemented",
            Self::PreconditionFailed => "precondition_failed",
            Self::InvalidSyntax => "invalid_syntax",
            Self::TooMany => "too_many",
            Self::PayloadTooLarge => "payload_too_large",
            Self::Forbidden => "forbidden",
        }
    }
}

impl ErrorCode {
    /// The HTTP status and SCIM `scimType` (RFC 7644 §3.12) a host reports this code with.
    /// Exhaustive on purpose: a new code must be classified here.
    ///
    /// Malformed input is 400 `invalidSyntax`; a value the operation cannot take is 400
    /// `invalidValue` (`unknown_role` and `unknown_action` too: they name a value the request
    /// refers to, not the resource addressed); unknown records are 404; `limit_exceeded` is 400
    /// without a `scimType` (`tooMany` is kept for a filter that matches more than the host
    /// will process, `too_many`).
    fn http_outcome(self) -> (u16, Option<&'static str>) {
        use ErrorCode::*;
        match self {
            InvalidJson
            | InvalidInput
            | InvalidSyntax
            | UnsupportedSchemaVersion
            | InvalidPatch => (400, Some("invalidSyntax")),
            InvalidEmail | InvalidDomain | InvalidDirectory | InvalidChange | UnknownRole
            | UnknownAction | InvalidPolicy | ConsumerDomain | PublicSuffix | InvalidValue => {
                (400, Some("invalidValue"))
            }
            InvalidFilter => (400, Some("invalidFilter")),
            InvalidPath => (400, Some("invalidPath")),
            NoTarget => (400, Some("noTarget")),
            Mutability => (400, Some("mutability")),
            TooMany => (400, Some("tooMany")),
            UnknownOp | LimitExceeded => (400, None),
            InvalidToken => (401, None),
            Forbidden => (403, None),
            UnknownOrg | UnknownUser | UnknownConnection | UnknownMembership | NotFound => {
                (404, None)
            }
            MethodNotAllowed => (405, None),
            Conflict => (409, Some("uniqueness")),
            PreconditionFailed => (412, None),
            PayloadTooLarge => (413, None),
            UnsupportedMediaType => (415, None),
            Internal => (500, None),
            NotImplemented => (501, None),
        }
    }

    /// The SCIM `scimType` of an error response for the codes that have one.
    pub fn scim_type(self) -> Option<&'static str> {
        self.http_outcome().1
    }

    /// The HTTP status a host answers with when it reports this error.
    pub fn http_status(self) -> u16 {
        self.http_outcome().0
    }
}

/// The family of an error code: what kind of failure it is, for hosts and bindings that branch
/// on kinds rather than on single codes (an exception class, a uniffi error variant, an HTTP
/// handler). One table, here, for every binding: a new code must be given its family.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorFamily {
    /// The input is not what the op takes: malformed JSON, the wrong shape, an unknown op.
    Input,
    /// A directory document or change set was refused, a value the engine cannot take, a
    /// collision.
    Validation,
    /// An email address failed normalisation.
    InvalidEmail,
    /// A domain failed normalisation, or can never be claimed (consumer mail domain, public
    /// suffix).
    InvalidDomain,
    /// No organization has the given id or slug. Its own family because hosts branch on it (a
    /// login URL with an unknown slug); bindings with inheritance may make it a kind of
    /// [`ErrorFamily::NotFound`].
    UnknownOrg,
    /// No user, SSO connection or membership has the given id.
    NotFound,
    /// An action the authorization schema does not declare, or a request refused.
    Authz,
    /// A SCIM request or payload the engine refuses.
    Scim,
    /// A SCIM bearer token or a session token was missing, malformed or not valid.
    Token,
    /// A documented size, count or depth limit was exceeded.
    Limit,
    /// A bug in the engine, caught inside the call.
    Internal,
}

impl ErrorFamily {
    /// The stable string form of the family (`input`, `unknown_org`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Input => "input",
            Self::Validation => "validation",
            Self::InvalidEmail => "invalid_email",
            Self::InvalidDomain => "invalid_domain",
            Self::UnknownOrg => "unknown_org",
            Self::NotFound => "not_found",
            Self::Authz => "authz",
            Self::Scim => "scim",
            Self::Token => "token",
            Self::Limit => "limit",
            Self::Internal => "internal",
        }
    }
}

impl ErrorCode {
    /// Every code, in declaration order (for bindings that build a table from the core's).
    pub const ALL: [ErrorCode; 36] = [
        Self::InvalidJson,
        Self::InvalidInput,
        Self::UnknownOp,
        Self::InvalidEmail,
        Self::InvalidDomain,
        Self::InvalidDirectory,
        Self::InvalidChange,
        Self::UnsupportedSchemaVersion,
        Self::UnknownOrg,
        Self::UnknownUser,
        Self::UnknownConnection,
        Self::UnknownMembership,
        Self::UnknownRole,
        Self::UnknownAction,
        Self::InvalidPolicy,
        Self::InvalidFilter,
        Self::InvalidToken,
        Self::ConsumerDomain,
        Self::PublicSuffix,
        Self::Conflict,
        Self::LimitExceeded,
        Self::InvalidValue,
        Self::InvalidPath,
        Self::NoTarget,
        Self::InvalidPatch,
        Self::Mutability,
        Self::Internal,
        Self::NotFound,
        Self::MethodNotAllowed,
        Self::UnsupportedMediaType,
        Self::NotImplemented,
        Self::PreconditionFailed,
        Self::InvalidSyntax,
        Self::TooMany,
        Self::PayloadTooLarge,
        Self::Forbidden,
    ];

    /// The family this code belongs to. Exhaustive on purpose: a new code must be classified.
    pub fn family(self) -> ErrorFamily {
        use ErrorCode::*;
        match self {
            InvalidJson | InvalidInput | UnknownOp => ErrorFamily::Input,
            InvalidDirectory
            | InvalidChange
            | UnsupportedSchemaVersion
            | UnknownRole
            | InvalidPolicy
            | InvalidValue
            | Conflict => ErrorFamily::Validation,
            InvalidEmail => ErrorFamily::InvalidEmail,
            InvalidDomain | ConsumerDomain | PublicSuffix => ErrorFamily::InvalidDomain,
            UnknownOrg => ErrorFamily::UnknownOrg,
            UnknownUser | UnknownConnection | UnknownMembership => ErrorFamily::NotFound,
            UnknownAction | Forbidden => ErrorFamily::Authz,
            InvalidFilter | InvalidPath | NoTarget | InvalidPatch | Mutability | NotFound
            | MethodNotAllowed | UnsupportedMediaType | NotImplemented | PreconditionFailed
            | InvalidSyntax => ErrorFamily::Scim,
            InvalidToken => ErrorFamily::Token,
            LimitExceeded | TooMany | PayloadTooLarge => ErrorFamily::Limit,
            Internal => ErrorFamily::Internal,
        }
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One problem found while validating a document: what, where, and a stable code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Problem {
    /// Where in the input the problem is, as a JSON path such as `orgs[3].domains[0].domain`.
    pub path: String,
    /// The stable code of the problem.
    pub code: ErrorCode,
    /// A finer machine-readable reason where the code has several (e.g. `label_too_long`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// What was wrong, for people.
    pub message: String,
}

/// An engine error. Serialises to the wire as `{code, message, path?, reason?, problems?}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Error {
    /// The stable code.
    pub code: ErrorCode,
    /// What was wrong and where, for people.
    pub message: String,
    /// The input field the error is about, when there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// A finer machine-readable reason (e.g. `control_character` for `invalid_email`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// Every problem found, for validation errors.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub problems: Vec<Problem>,
    /// True when `problems` was cut at the configured maximum.
    #[serde(default, skip_serializing_if = "is_false")]
    pub problems_truncated: bool,
}

fn is_false(b: &bool) -> bool {
    !*b
}

impl Error {
    /// A new error with a code and a message.
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
            path: None,
            reason: None,
            problems: Vec::new(),
            problems_truncated: false,
        }
    }

    /// The same error, about the input field at `path`.
    pub fn at(mut self, path: impl Into<String>) -> Self {
        self.path = Some(path.into());
        self
    }

    /// The same error with a finer reason code.
    pub fn because(mut self, reason: impl Into<String>) -> Self {
        self.reason = Some(reason.into());
        self
    }

    /// This error as a [`Problem`] at `path` (its own path, if any, is appended).
    pub fn into_problem(self, path: &str) -> Problem {
        let path = match self.path {
            Some(inner) if !inner.is_empty() => join_path(path, &inner),
            _ => path.to_string(),
        };
        Problem {
            path,
            code: self.code,
            reason: self.reason,
            message: self.message,
        }
    }
}

/// Joins a parent path and a child path (`a` + `b[0]` → `a.b[0]`, `a` + `[0]` → `a[0]`).
pub(crate) fn join_path(parent: &str, child: &str) -> String {
    if parent.is_empty() {
        child.to_string()
    } else if child.is_empty() {
        parent.to_string()
    } else if child.starts_with('[') {
        format!("{parent}{child}")
    } else {
        format!("{parent}.{child}")
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code, self.message)?;
        if let Some(path) = &self.path {
            write!(f, " (at {path})")?;
        }
        Ok(())
    }
}

impl std::error::Error for Error {}

/// The engine's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_serialise_to_their_stable_strings() {
        for code in [
            ErrorCode::InvalidEmail,
            ErrorCode::UnknownOrg,
            ErrorCode::ConsumerDomain,
        ] {
            let json = serde_json::to_string(&code).unwrap();
            assert_eq!(json, format!("\"{}\"", code.as_str()));
        }
    }

    #[test]
    fn scim_types_and_statuses() {
        assert_eq!(ErrorCode::InvalidPath.scim_type(), Some("invalidPath"));
        assert_eq!(ErrorCode::NoTarget.scim_type(), Some("noTarget"));
        assert_eq!(ErrorCode::InvalidPatch.scim_type(), Some("invalidSyntax"));
        assert_eq!(ErrorCode::InvalidValue.scim_type(), Some("invalidValue"));
        assert_eq!(ErrorCode::Mutability.scim_type(), Some("mutability"));
        assert_eq!(ErrorCode::UnknownRole.scim_type(), Some("invalidValue"));
        assert_eq!(ErrorCode::NoTarget.http_status(), 400);
        assert_eq!(ErrorCode::UnknownUser.http_status(), 404);
        assert_eq!(ErrorCode::Conflict.http_status(), 409);
        assert_eq!(ErrorCode::Internal.http_status(), 500);
        assert_eq!(ErrorCode::Mutability.as_str(), "mutability");
    }

    #[test]
    fn every_code_is_listed_once_and_has_a_family() {
        let names: std::collections::HashSet<&str> =
            ErrorCode::ALL.iter().map(|c| c.as_str()).collect();
        assert_eq!(names.len(), ErrorCode::ALL.len());
        for code in ErrorCode::ALL {
            let back: ErrorCode = serde_json::from_str(&format!("\"{code}\"")).unwrap();
            assert_eq!(back, code);
        }
        assert_eq!(ErrorCode::UnknownOrg.family(), ErrorFamily::UnknownOrg);
        assert_eq!(ErrorCode::UnknownUser.family().as_str(), "not_found");
        assert_eq!(
            ErrorCode::ConsumerDomain.family(),
            ErrorFamily::InvalidDomain
        );
        assert_eq!(ErrorCode::PayloadTooLarge.family(), ErrorFamily::Limit);
        assert_eq!(ErrorCode::NotFound.family(), ErrorFamily::Scim);
    }

    #[test]
    fn problem_paths_join() {
        let p = Error::new(ErrorCode::InvalidDomain, "bad")
            .at("domain")
            .into_problem("orgs[1].domains[0]");
        assert_eq!(p.path, "orgs[1].domains[0].domain");
        assert_eq!(join_path("orgs", "[2]"), "orgs[2]");
    }
}
