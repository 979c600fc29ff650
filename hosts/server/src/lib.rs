//! orgkit-server: the reference server around the orgkit engine. HTTP (axum), SQLite by
//! default or PostgreSQL (sqlx), and no decision of its own: routing, authorization, sessions,
//! SCIM, audit chaining and query planning are the engine's; the server authenticates
//! transport, stores, and answers.

pub mod body;
pub mod call;
pub mod caller;
pub mod clock;
pub mod config;
pub mod db;
pub mod demo;
pub mod dns;
pub mod error;
pub mod events;
pub mod ids;
pub mod keys;
pub mod routes;
pub mod server;
pub mod state;
pub mod store;
pub mod write;

pub use config::{Command, Config};
pub use server::{open, shutdown_signal, Server};
