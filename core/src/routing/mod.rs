//! Email and domain normalisation, the domains no organization may claim, and home-realm
//! discovery.

mod chars;
pub mod claimable;
pub mod decision;
mod discovery;
pub mod domain;
pub mod email;
