//! Authorization with Cedar: memberships, org roles and admin delegation, evaluated at a cost
//! independent of the number of organizations.
//!
//! - `orgkit.cedarschema` declares orgkit's entity types and one action per delegated admin
//!   task; hosts add their own types and actions in a schema fragment.
//! - `base.cedar` is the base policy pack: built-in role templates (owner, admin, member,
//!   viewer), invitations, and invariants no organization can lift (suspended and non-members
//!   denied, the org boundary, staff only through a valid support grant, analytics only in
//!   aggregate).
//! - Each organization's custom roles (permission sets) become policies of its own slice, with
//!   the policies its admins wrote; a request evaluates the global set plus the active org's
//!   slice only, which a property test proves equivalent to evaluating everything.

mod compiled;
pub mod config;
mod decide;
mod index;
mod prebuilt;
pub mod request;
pub(crate) mod slice;

pub use config::AuthzOptions;
pub use request::{
    AuthorizeRequest, AuthzDecision, Check, CheckRequest, Decision, EvaluationError,
    MembershipView, Principal, Resource, SupportGrant,
};
pub use slice::RefusedPolicy;
