//! The protocol tests.
