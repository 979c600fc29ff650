//! orgkit: an embeddable engine for B2B customer identity.
//!
//! The organization (tenant) is the first-class boundary: each org owns its email domains, SSO
//! connections, SCIM settings, roles, branding and feature flags; a user may belong to several
//! orgs. This crate makes every decision and does no I/O: no clock, no randomness, no storage,
//! no network. Hosts pass time and ids in and store what comes out.
//!
//! Two entry points carry the same semantics:
//! - the typed API: [`Directory`] (load, apply changes, route, look up) and [`Engine`] (the
//!   current snapshot, swapped atomically);
//! - the JSON call API: [`call`] and [`Engine::call`], which every binding exposes unchanged.
#![forbid(unsafe_code)]

pub mod audit;
pub mod authz;
pub mod branding;
mod digest;
pub mod directory;
pub mod engine;
pub mod error;
mod flags;
pub mod limits;
pub mod reference_tables;
pub mod routing;
pub mod scim;
pub mod session;
pub mod wire;

pub use authz::{
    AuthorizeRequest, AuthzDecision, AuthzOptions, Check, CheckRequest, Decision, Principal,
    Resource, SupportGrant,
};
pub use directory::change::{Change, ChangeSet};
pub use directory::records::*;
pub use directory::snapshot::{MembershipEntry, Stats};
pub use directory::{Directory, LoadOptions};
pub use engine::Engine;
pub use error::{Error, ErrorCode, ErrorFamily, Problem, Result};
pub use limits::Limits;
pub use routing::decision::{
    AssertionCheck, AssertionReason, ConnectionRef, DecisionKind, OrgRef, Reason, RouteDecision,
};
pub use routing::domain::{normalize_domain, NormalizedDomain};
pub use routing::email::{normalize_email, NormalizedEmail};
pub use wire::{call, OPS};
