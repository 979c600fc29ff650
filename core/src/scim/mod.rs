//! SCIM 2.0 (RFC 7643, RFC 7644) for provisioning from an identity provider: the [`filter`]
//! language of list queries (`GET /Users?filter=userName eq "bjensen"`), parsed into an AST,
//! evaluated against a JSON resource, or translated into a parameterised SQL `WHERE` fragment;
//! [`patch`], PATCH requests applied to a resource held as JSON; per-org bearer [`token`]s; and
//! the per-org [`mapping`] of SCIM users to orgkit users and org roles. Like the rest of the
//! engine this module does no I/O; the host stores, and runs the SQL.

pub mod filter;
pub mod mapping;
pub mod patch;
pub mod token;
