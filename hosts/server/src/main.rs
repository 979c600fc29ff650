//! `orgkit-server`: serve (SQLite or PostgreSQL), or mint a session token for a demo user.

use orgkit_server::config::{self, Command, USAGE};
use orgkit_server::dns::SystemResolver;
use orgkit_server::keys::{STAFF_ISSUER, USER_ISSUER};
use orgkit_server::{clock, open, shutdown_signal, Server};
use std::process::ExitCode;
use std::sync::Arc;

#[tokio::main]
async fn main() -> ExitCode {
    match run().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("orgkit-server: {message}");
            ExitCode::FAILURE
        }
    }
}

async fn run() -> Result<(), String> {
    match config::parse(std::env::args().skip(1))? {
        Command::Help => {
            println!("{USAGE}");
            Ok(())
        }
        Command::MintToken {
            database_url,
            subject,
            org,
            staff,
            ttl,
        } => {
            let state = open(
                &database_url,
                String::new(),
                Arc::new(SystemResolver::new()),
            )
            .await?;
            let issuer = if staff { STAFF_ISSUER } else { USER_ISSUER };
            let token = state
                .key
                .mint(issuer, &subject, org.as_deref(), clock::now(), ttl)
                .map_err(|e| e.to_string())?;
            println!("{token}");
            state.db.close().await;
            Ok(())
        }
        Command::Serve(config) => {
            let server = Server::bind(&config, Arc::new(SystemResolver::new())).await?;
            let addr = server.addr()?;
            if let Some(banner) = &server.banner {
                println!("{banner}");
            }
            println!(
                "orgkit-server listening on http://{addr} ({})",
                config.database_url
            );
            server.run(shutdown_signal()).await
        }
    }
}
