//! The command line.

use std::net::SocketAddr;

/// How the server runs.
#[derive(Debug, Clone)]
pub struct Config {
    /// The address to listen on (default `127.0.0.1:8080`).
    pub listen: SocketAddr,
    /// `sqlite://…` or `postgres://…` (default `sqlite://orgkit.db`, created on first start).
    pub database_url: String,
    /// The URL clients reach the server at (default `http://<listen>`).
    pub public_url: Option<String>,
    /// Seed the demo directory when the database is empty, and print example requests.
    pub demo: bool,
}

/// What to do.
#[derive(Debug, Clone)]
pub enum Command {
    /// Run the server.
    Serve(Config),
    /// Print a session token for a user (or, with `staff`, a staff token).
    MintToken {
        /// The database holding the signing key.
        database_url: String,
        /// The token's subject.
        subject: String,
        /// The org the token is bound to.
        org: Option<String>,
        /// A staff token rather than a user's.
        staff: bool,
        /// Lifetime in seconds.
        ttl: i64,
    },
    /// Print the usage.
    Help,
}

/// The usage text.
pub const USAGE: &str = "\
orgkit-server [--listen 127.0.0.1:8080] [--database-url sqlite://orgkit.db | postgres://…]
              [--database PATH] [--public-url URL] [--demo]
orgkit-server mint-token (--user ID [--org ID] | --staff ID) [--ttl SECONDS] [--database-url URL]

The database is created and migrated on first start. --demo seeds a demo directory into an
empty database (printing its SCIM token once) and prints example requests. ORGKIT_DATABASE_URL
sets the database when --database-url is not given.";

fn sqlite_url(path: &str) -> String {
    format!("sqlite://{path}?mode=rwc")
}

fn normalize(url: String) -> String {
    if url.starts_with("sqlite:") && !url.contains('?') {
        format!("{url}?mode=rwc")
    } else {
        url
    }
}

/// Parses the arguments after the program name.
pub fn parse(args: impl IntoIterator<Item = String>) -> Result<Command, String> {
    let mut args = args.into_iter().peekable();
    let mint = args.peek().is_some_and(|a| a == "mint-token");
    if mint {
        args.next();
    }
    let mut database_url = std::env::var("ORGKIT_DATABASE_URL").ok();
    let mut listen = "127.0.0.1:8080".to_string();
    let (mut public_url, mut demo, mut user, mut staff, mut org, mut ttl) =
        (None, false, None, None, None, 3600);
    while let Some(arg) = args.next() {
        let mut value = || args.next().ok_or_else(|| format!("{arg} needs a value"));
        match arg.as_str() {
            "--help" | "-h" => return Ok(Command::Help),
            "--listen" => listen = value()?,
            "--database-url" => database_url = Some(value()?),
            "--database" => database_url = Some(sqlite_url(&value()?)),
            "--public-url" => public_url = Some(value()?.trim_end_matches('/').to_string()),
            "--demo" if !mint => demo = true,
            "--user" if mint => user = Some(value()?),
            "--staff" if mint => staff = Some(value()?),
            "--org" if mint => org = Some(value()?),
            "--ttl" if mint => {
                ttl = value()?
                    .parse()
                    .map_err(|_| "--ttl takes seconds".to_string())?
            }
            other => return Err(format!("unknown argument `{other}`\n\n{USAGE}")),
        }
    }
    let database_url = normalize(database_url.unwrap_or_else(|| sqlite_url("orgkit.db")));
    if mint {
        let (subject, staff) = match (user, staff) {
            (Some(user), None) => (user, false),
            (None, Some(staff)) => (staff, true),
            _ => {
                return Err(format!(
                    "mint-token takes one of --user or --staff\n\n{USAGE}"
                ))
            }
        };
        return Ok(Command::MintToken {
            database_url,
            subject,
            org,
            staff,
            ttl,
        });
    }
    let listen = listen
        .parse()
        .map_err(|_| format!("--listen `{listen}` is not an address"))?;
    Ok(Command::Serve(Config {
        listen,
        database_url,
        public_url,
        demo,
    }))
}
