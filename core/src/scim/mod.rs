//! SCIM 2.0 (RFC 7643, RFC 7644) for provisioning from an identity provider:
//! - [`filter`]: the filter language of list queries (`GET /Users?filter=userName eq "bjensen"`),
//!   parsed into an AST, evaluated against a JSON resource, or translated into a parameterised
//!   SQL `WHERE` fragment;
//! - [`patch`]: PATCH requests applied to a resource held as JSON, with the tolerances real IdPs
//!   need;
//! - [`protocol`]: the HTTP-facing shape: requests parsed from method, path, query, headers and
//!   body; error bodies and statuses; list responses, projection, `meta` and ETags; discovery;
//! - [`token`]: per-org bearer tokens, stored hashed;
//! - [`mapping`]: the per-org mapping of SCIM users to orgkit users and org roles;
//! - [`write`](mod@write): one SCIM write end to end (token, request, apply, map, membership, event).
//!
//! Like the rest of the engine this module does no I/O: the host stores, runs the SQL and
//! speaks HTTP.

pub mod filter;
pub mod mapping;
pub mod patch;
pub mod protocol;
pub mod token;
pub mod write;
