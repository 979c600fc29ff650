//! SCIM 2.0 (RFC 7643, RFC 7644) for provisioning from an identity provider: the [`filter`]
//! language of list queries (`GET /Users?filter=userName eq "bjensen"`), parsed into an AST,
//! evaluated against a JSON resource, or translated into a parameterised SQL `WHERE` fragment.
//! The [`protocol`] module is the HTTP-facing shape of SCIM: requests parsed from method, path,
//! query, headers and body; error bodies and statuses; list responses, projection, `meta` and
//! ETags; the discovery documents. Like the rest of the engine this module does no I/O; the
//! host runs the SQL and speaks HTTP.

pub mod filter;
pub mod protocol;
