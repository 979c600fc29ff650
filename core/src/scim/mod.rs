//! SCIM 2.0 (RFC 7643, RFC 7644) for provisioning from an identity provider: the [`filter`]
//! language of list queries (`GET /Users?filter=userName eq "bjensen"`), parsed into an AST,
//! evaluated against a JSON resource, or translated into a parameterised SQL `WHERE` fragment;
//! and [`patch`], PATCH requests applied to a resource held as JSON. Like the rest of the engine this module does no I/O; the host runs the SQL.

pub mod filter;
pub mod patch;
