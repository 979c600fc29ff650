//! The error of every fallible call: one variant per [`ErrorFamily`] of the core, each carrying
//! the engine's stable `code`, its `message`, `reason` and `path`, and the whole error object.
//!
//! Which variant a code lands in is the core's table ([`ErrorCode::family`]); this file only
//! names a variant per family, once, in [`families!`].

use orgkit::{ErrorCode, ErrorFamily};

/// Declares [`OrgkitError`] with one variant per family (named as the core's [`ErrorFamily`]),
/// all with the same fields, and the one mapping from a family to its variant.
macro_rules! families {
    ($($(#[doc = $doc:literal])* $variant:ident,)*) => {
        /// An error from the engine (Kotlin: `OrgkitException`, Swift: `OrgkitError`), one
        /// variant per family of codes. Every variant has the same fields:
        /// - `code`: the stable code (`invalid_email`, `unknown_org`, …);
        /// - `message`: what was wrong, for people;
        /// - `reason`: a finer stable sub-code, when there is one;
        /// - `path`: the input field concerned, when there is one;
        /// - `details_json`: the whole error object of the JSON call API (with `problems` for a
        ///   validation) as JSON text.
        #[derive(Debug, Clone, PartialEq, Eq, uniffi::Error)]
        pub enum OrgkitError {
            $(
                $(#[doc = $doc])*
                $variant {
                    /// The stable code.
                    code: String,
                    /// What was wrong, for people.
                    message: String,
                    /// A finer stable sub-code.
                    reason: Option<String>,
                    /// The input field concerned.
                    path: Option<String>,
                    /// The whole error object, as JSON text.
                    details_json: String,
                },
            )*
        }

        impl OrgkitError {
            /// The error of the variant that `error`'s code belongs to.
            fn of_family(family: ErrorFamily, fields: Fields) -> Self {
                let Fields { code, message, reason, path, details_json } = fields;
                match family {
                    $(ErrorFamily::$variant => Self::$variant { code, message, reason, path, details_json },)*
                }
            }

            /// The fields every variant carries.
            fn fields(&self) -> (&str, &str, Option<&str>, Option<&str>, &str) {
                match self {
                    $(Self::$variant { code, message, reason, path, details_json } => (
                        code,
                        message,
                        reason.as_deref(),
                        path.as_deref(),
                        details_json,
                    ),)*
                }
            }
        }
    };
}

families! {
    /// Family `input`: `invalid_json`, `invalid_input`, `unknown_op`.
    Input,
    /// Family `validation`: a refused directory or change set (every problem in
    /// `details_json`), a value or role the engine cannot take, a collision.
    Validation,
    /// Family `invalid_email`: the address broke a rule of normalisation, named by `reason`.
    InvalidEmail,
    /// Family `invalid_domain`: `invalid_domain`, `consumer_domain`, `public_suffix`.
    InvalidDomain,
    /// Family `unknown_org`: no organization with that id or slug (a login URL's slug, say).
    UnknownOrg,
    /// Family `not_found`: `unknown_user`, `unknown_connection`, `unknown_membership`.
    NotFound,
    /// Family `authz`: `unknown_action`, `forbidden` (e.g. a session's org it may not enter).
    Authz,
    /// Family `scim`: the SCIM protocol's refusals (not used by the typed methods).
    Scim,
    /// Family `token`: `invalid_token`, with `reason` (`expired`, `bad_signature`, …).
    Token,
    /// Family `limit`: `limit_exceeded`, `too_many`, `payload_too_large`.
    Limit,
    /// Family `internal`: a bug caught inside the call (a panic too); the engine stays usable.
    Internal,
}

/// The fields of a variant, taken from a core error.
struct Fields {
    code: String,
    message: String,
    reason: Option<String>,
    path: Option<String>,
    details_json: String,
}

impl From<orgkit::Error> for OrgkitError {
    fn from(error: orgkit::Error) -> Self {
        let details_json = serde_json::to_string(&error).unwrap_or_else(|_| "{}".to_string());
        let family = error.code.family();
        let fields = Fields {
            code: error.code.as_str().to_string(),
            message: error.message,
            reason: error.reason,
            path: error.path,
            details_json,
        };
        Self::of_family(family, fields)
    }
}

impl OrgkitError {
    /// An error the binding itself finds in what it was given (e.g. an argument that should be
    /// JSON text and is not), with the core's code and family.
    pub(crate) fn new(code: ErrorCode, message: String, path: Option<&str>) -> Self {
        let error = orgkit::Error::new(code, message);
        match path {
            Some(path) => error.at(path).into(),
            None => error.into(),
        }
    }
}

/// The fields every variant has, for code that catches the error whatever its variant
/// (Kotlin: `catch (e: OrgkitException) { e.code() }`).
#[uniffi::export]
impl OrgkitError {
    /// The stable code (`invalid_email`, `unknown_org`, …).
    pub fn code(&self) -> String {
        self.fields().0.to_string()
    }

    /// What was wrong, for people.
    pub fn error_message(&self) -> String {
        self.fields().1.to_string()
    }

    /// The finer stable sub-code, if any.
    pub fn reason(&self) -> Option<String> {
        self.fields().2.map(str::to_string)
    }

    /// The input field concerned, if any.
    pub fn path(&self) -> Option<String> {
        self.fields().3.map(str::to_string)
    }

    /// The whole error object of the JSON call API, as JSON text.
    pub fn details_json(&self) -> String {
        self.fields().4.to_string()
    }
}

impl std::fmt::Display for OrgkitError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (code, message, _, path, _) = self.fields();
        write!(f, "{code}: {message}")?;
        if let Some(path) = path {
            write!(f, " (at {path})")?;
        }
        Ok(())
    }
}

impl std::error::Error for OrgkitError {}

#[cfg(test)]
mod tests {
    use super::*;

    /// The variant of each family, by the core's name for the family.
    fn family_of(error: &OrgkitError) -> &'static str {
        match error {
            OrgkitError::Input { .. } => "input",
            OrgkitError::Validation { .. } => "validation",
            OrgkitError::InvalidEmail { .. } => "invalid_email",
            OrgkitError::InvalidDomain { .. } => "invalid_domain",
            OrgkitError::UnknownOrg { .. } => "unknown_org",
            OrgkitError::NotFound { .. } => "not_found",
            OrgkitError::Authz { .. } => "authz",
            OrgkitError::Scim { .. } => "scim",
            OrgkitError::Token { .. } => "token",
            OrgkitError::Limit { .. } => "limit",
            OrgkitError::Internal { .. } => "internal",
        }
    }

    #[test]
    fn every_code_lands_in_the_variant_of_its_family() {
        for code in ErrorCode::ALL {
            let error = OrgkitError::from(orgkit::Error::new(code, "m"));
            assert_eq!(family_of(&error), code.family().as_str(), "{code}");
            assert_eq!(error.code(), code.as_str());
        }
    }

    #[test]
    fn the_fields_and_the_whole_error_are_kept() {
        let core = orgkit::Error::new(ErrorCode::InvalidEmail, "bad address")
            .at("email")
            .because("empty");
        let error = OrgkitError::from(core.clone());
        assert_eq!(
            error,
            OrgkitError::InvalidEmail {
                code: "invalid_email".into(),
                message: "bad address".into(),
                reason: Some("empty".into()),
                path: Some("email".into()),
                details_json: serde_json::to_string(&core).unwrap(),
            }
        );
        assert_eq!(error.error_message(), "bad address");
        assert_eq!(error.reason().as_deref(), Some("empty"));
        assert_eq!(error.path().as_deref(), Some("email"));
        let back: orgkit::Error = serde_json::from_str(&error.details_json()).unwrap();
        assert_eq!(back, core);
        assert_eq!(error.to_string(), "invalid_email: bad address (at email)");
    }
}
