//! [`Engine`]: the directory a mobile app synced, loaded once, and the calls a login screen and
//! a signed-in app make on it. Every method goes through the core's JSON call API
//! ([`orgkit::Engine::call`]): the typed methods build the op's input, and decode the small,
//! stable part of its output into records (keeping the whole output as `json`).

use crate::error::OrgkitError;
use crate::types::{
    Authorization, BrandingLookup, Check, ResolvedBranding, ResourceRef, RouteDecision,
    SessionCredential, SessionOutcome, SessionResolution, SessionScope, Stats, VerifiedSession,
};
use crate::{decode, guarded, json_arg, ok_text};
use orgkit::FlagValue;
use serde_json::{json, Map, Value};
use std::collections::HashMap;
use std::sync::Arc;

/// An engine holding a directory (the slice an app synced) in memory. `load` and
/// `apply_changes` swap it atomically while other threads keep reading the snapshot they hold:
/// share one per process, from any thread.
#[derive(Debug, uniffi::Object)]
pub struct Engine {
    inner: orgkit::Engine,
}

#[uniffi::export]
impl Engine {
    /// An engine with an empty directory; `load` gives it one.
    #[uniffi::constructor]
    pub fn new() -> Result<Arc<Self>, OrgkitError> {
        guarded(|| {
            let empty = orgkit::Directory::empty(&orgkit::LoadOptions::default())?;
            Ok(Arc::new(Self {
                inner: orgkit::Engine::new(empty),
            }))
        })
    }

    /// An engine with `directory_json` (a directory document) loaded, with `options_json`
    /// (load options: limits, sessions, branding and flag defaults) if given.
    #[uniffi::constructor(default(options_json))]
    pub fn with_directory(
        directory_json: String,
        options_json: Option<String>,
    ) -> Result<Arc<Self>, OrgkitError> {
        let engine = Self::new()?;
        engine.load(directory_json, options_json)?;
        Ok(engine)
    }

    /// Replaces the directory with `directory_json`, validated (every problem is listed in the
    /// error's `details_json`); returns the new directory's counts.
    #[uniffi::method(default(options_json))]
    pub fn load(
        &self,
        directory_json: String,
        options_json: Option<String>,
    ) -> Result<Stats, OrgkitError> {
        guarded(|| {
            let mut input = Map::new();
            input.insert("directory".into(), json_arg(&directory_json, "directory")?);
            if let Some(options) = options_json {
                input.insert("options".into(), json_arg(&options, "options")?);
            }
            self.typed("load", Value::Object(input))
                .map(|(stats, _)| stats)
        })
    }

    /// Applies a change set (`{schema_version, changes: [...]}`) all or nothing; returns the
    /// new directory's counts. (For the changes' audit events, `invoke("apply_changes", …)`
    /// with `audit`.)
    pub fn apply_changes(&self, changes_json: String) -> Result<Stats, OrgkitError> {
        guarded(|| {
            let input = json!({ "changes": json_arg(&changes_json, "changes")? });
            self.typed("apply_changes", input).map(|(stats, _)| stats)
        })
    }

    /// The directory's counts.
    pub fn stats(&self) -> Result<Stats, OrgkitError> {
        guarded(|| self.typed("stats", json!({})).map(|(stats, _)| stats))
    }

    /// Where `email` goes at login, before redirecting to the IdP: `sso` (with the connection),
    /// `org_picker`, `default_login` or `blocked`.
    pub fn route(&self, email: String) -> Result<RouteDecision, OrgkitError> {
        guarded(|| {
            let (decision, json) =
                self.typed::<RouteDecision>("route", json!({ "email": email }))?;
            Ok(RouteDecision { json, ..decision })
        })
    }

    /// The branding of the login screen, found by email, slug or connection, each field from the
    /// organization, its parents or the app default.
    pub fn branding_resolve(
        &self,
        lookup: BrandingLookup,
    ) -> Result<ResolvedBranding, OrgkitError> {
        guarded(|| {
            let input = match lookup {
                BrandingLookup::Email { email } => json!({ "email": email }),
                BrandingLookup::Slug { slug } => json!({ "slug": slug }),
                BrandingLookup::Connection { connection_id } => {
                    json!({ "connection_id": connection_id })
                }
            };
            let (branding, json) = self.typed::<ResolvedBranding>("branding_resolve", input)?;
            Ok(ResolvedBranding { json, ..branding })
        })
    }

    /// May the session's user take `action` on `resource` in the session's organization? For
    /// UI gating; `now` is the app's clock (Unix seconds), `context_json` the request context
    /// (a JSON object's text) if the policies read one.
    #[uniffi::method(default(context_json))]
    pub fn authorize(
        &self,
        scope: SessionScope,
        action: String,
        resource: ResourceRef,
        now: i64,
        context_json: Option<String>,
    ) -> Result<Authorization, OrgkitError> {
        guarded(|| {
            let (answer, json) = self.decision::<Authorization>(
                "authorize",
                scope,
                action,
                resource,
                now,
                context_json,
            )?;
            Ok(Authorization { json, ..answer })
        })
    }

    /// The same question as `authorize`, answered without building the audit event: for gating
    /// a screen or a button, where nothing is recorded. Same decision and policies as
    /// `authorize`; a support grant goes only through `authorize` (its use is audited).
    #[uniffi::method(default(context_json))]
    pub fn check(
        &self,
        scope: SessionScope,
        action: String,
        resource: ResourceRef,
        now: i64,
        context_json: Option<String>,
    ) -> Result<Check, OrgkitError> {
        guarded(|| {
            let (answer, json) =
                self.decision::<Check>("check", scope, action, resource, now, context_json)?;
            Ok(Check { json, ..answer })
        })
    }

    /// Every action the session's user may take on `resource` in the session's organization,
    /// sorted (e.g. to show or hide a screen's buttons).
    #[uniffi::method(default(context_json))]
    pub fn allowed_actions(
        &self,
        scope: SessionScope,
        resource: ResourceRef,
        now: i64,
        context_json: Option<String>,
    ) -> Result<Vec<String>, OrgkitError> {
        guarded(|| {
            let input = authz_input(scope, resource, now, context_json)?;
            self.typed("allowed_actions", Value::Object(input))
                .map(|(actions, _)| actions)
        })
    }

    /// Verifies a session token (signature and claims, against the keys in the directory's
    /// options) or checks claims the app verified itself; `now` is the app's clock.
    pub fn session_verify(
        &self,
        credential: SessionCredential,
        now: i64,
    ) -> Result<VerifiedSession, OrgkitError> {
        guarded(|| {
            let input = session_input(credential, now, None)?;
            let (session, json) = self.typed::<VerifiedSession>("session_verify", input)?;
            Ok(VerifiedSession { json, ..session })
        })
    }

    /// Where a verified session lands: its active organization (from the token, else `org_id`,
    /// else the user's only one), a choice to make, or no organization.
    #[uniffi::method(default(org_id))]
    pub fn session_resolve(
        &self,
        credential: SessionCredential,
        now: i64,
        org_id: Option<String>,
    ) -> Result<SessionResolution, OrgkitError> {
        guarded(|| {
            let input = session_input(credential, now, org_id)?;
            let (outcome, json) = self.typed::<SessionOutcome>("session_resolve", input)?;
            Ok(SessionResolution { outcome, json })
        })
    }

    /// The organization's feature flags and entitlements, the app's defaults applied.
    pub fn feature_flags(&self, org_id: String) -> Result<HashMap<String, FlagValue>, OrgkitError> {
        guarded(|| {
            self.typed("feature_flags", json!({ "org_id": org_id }))
                .map(|(flags, _)| flags)
        })
    }

    /// Runs any op of the JSON call API on this engine's directory: the `ok` value's JSON text,
    /// or the error thrown.
    pub fn invoke(&self, op: String, input_json: String) -> Result<String, OrgkitError> {
        guarded(|| ok_text(self.inner.call(&op, &input_json)))
    }

    /// Runs any op of the JSON call API on this engine's directory, as is: `{"ok": …}` or
    /// `{"error": {…}}` as JSON text, never thrown. `load` and `apply_changes` make their result
    /// current.
    pub fn call(&self, op: String, input_json: String) -> String {
        self.inner.call(&op, &input_json)
    }
}

impl Engine {
    /// Runs `op` on `input`; the output decoded as `T`, and its JSON text.
    fn typed<T: serde::de::DeserializeOwned>(
        &self,
        op: &str,
        input: Value,
    ) -> Result<(T, String), OrgkitError> {
        let json = ok_text(self.inner.call(op, &input.to_string()))?;
        Ok((decode(op, &json)?, json))
    }

    /// Runs `authorize` or `check`: `action` on `resource` for the session's user.
    fn decision<T: serde::de::DeserializeOwned>(
        &self,
        op: &str,
        scope: SessionScope,
        action: String,
        resource: ResourceRef,
        now: i64,
        context_json: Option<String>,
    ) -> Result<(T, String), OrgkitError> {
        let mut input = authz_input(scope, resource, now, context_json)?;
        input.insert("action".into(), Value::String(action));
        self.typed(op, Value::Object(input))
    }
}

/// The input fields `authorize`, `check` and `allowed_actions` share.
fn authz_input(
    scope: SessionScope,
    resource: ResourceRef,
    now: i64,
    context_json: Option<String>,
) -> Result<Map<String, Value>, OrgkitError> {
    let mut target = Map::new();
    target.insert("type".into(), Value::String(resource.kind));
    target.insert("id".into(), Value::String(resource.id));
    if let Some(org) = resource.org {
        target.insert("org".into(), Value::String(org));
    }
    if let Some(attrs) = resource.attrs_json {
        target.insert("attrs".into(), json_arg(&attrs, "resource.attrs")?);
    }
    let mut input = Map::new();
    input.insert("principal".into(), json!({ "user": scope.user_id }));
    input.insert("active_org".into(), Value::String(scope.org_id));
    input.insert("resource".into(), Value::Object(target));
    input.insert("now".into(), Value::from(now));
    if let Some(context) = context_json {
        input.insert("context".into(), json_arg(&context, "context")?);
    }
    Ok(input)
}

/// The input of the session ops.
fn session_input(
    credential: SessionCredential,
    now: i64,
    org_id: Option<String>,
) -> Result<Value, OrgkitError> {
    let mut input = Map::new();
    match credential {
        SessionCredential::Token { token } => {
            input.insert("token".into(), Value::String(token));
        }
        SessionCredential::VerifiedClaims { claims_json } => {
            input.insert(
                "verified_claims".into(),
                json_arg(&claims_json, "verified_claims")?,
            );
        }
    }
    input.insert("now".into(), Value::from(now));
    if let Some(org_id) = org_id {
        input.insert("org_id".into(), Value::String(org_id));
    }
    Ok(Value::Object(input))
}
