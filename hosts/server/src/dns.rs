//! DNS TXT lookups for domain verification. The server asks a [`TxtResolver`]; tests inject a
//! fake one.

use std::future::Future;
use std::pin::Pin;

/// The TXT strings found at a name.
pub type TxtFuture<'a> = Pin<Box<dyn Future<Output = Result<Vec<String>, String>> + Send + 'a>>;

/// Looks up TXT records.
pub trait TxtResolver: Send + Sync {
    /// The TXT strings at `name` (empty when there are none).
    fn txt<'a>(&'a self, name: &'a str) -> TxtFuture<'a>;
}

/// The system's resolver (from `/etc/resolv.conf`).
pub struct SystemResolver(hickory_resolver::TokioResolver);

impl SystemResolver {
    /// The resolver the system configures, or the library's defaults when it has none.
    pub fn new() -> Self {
        let builder = hickory_resolver::TokioResolver::builder_tokio().unwrap_or_else(|_| {
            hickory_resolver::TokioResolver::builder_with_config(
                hickory_resolver::config::ResolverConfig::default(),
                hickory_resolver::name_server::TokioConnectionProvider::default(),
            )
        });
        Self(builder.build())
    }
}

impl Default for SystemResolver {
    fn default() -> Self {
        Self::new()
    }
}

impl TxtResolver for SystemResolver {
    fn txt<'a>(&'a self, name: &'a str) -> TxtFuture<'a> {
        Box::pin(async move {
            match self.0.txt_lookup(name).await {
                Ok(records) => Ok(records
                    .iter()
                    .map(|txt| {
                        txt.txt_data()
                            .iter()
                            .map(|part| String::from_utf8_lossy(part).into_owned())
                            .collect::<String>()
                    })
                    .collect()),
                Err(e) if e.is_no_records_found() => Ok(Vec::new()),
                Err(e) => Err(e.to_string()),
            }
        })
    }
}
