//! Hot swap: moving a [`Sandbox`] to another guest module without losing its engine's directory.
//!
//! The new module is instantiated under the sandbox's limits, the old instance's directory is
//! exported (the core's `export` op) and loaded into the new one with the `options` of the last
//! successful `load`; only then does the new instance replace the old one. Any failure before
//! that leaves the sandbox as it was (save an `export` that traps: see [`SwapError::Export`]).

use super::{classify, Directory, Entry, Failure, Guest, Limits, Live, Sandbox, SetupError};
use serde::Deserialize;
use serde_json::Value;
use std::fmt;
use std::path::Path;

/// Why a swap was refused. The sandbox keeps its module, instance and directory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SwapError {
    /// The new module could not be read, compiled, checked (exports, ABI version) or
    /// instantiated under the sandbox's limits.
    Setup(SetupError),
    /// The old instance could not export its directory; the engine's error envelope. If the
    /// export trapped, the old instance was discarded as after any trap (the directory must be
    /// loaded again, see [`Sandbox::needs_load`]); otherwise nothing changed.
    Export(String),
    /// The new instance refused the exported directory or trapped loading it (e.g. a newer
    /// engine that validates more strictly, or the limits); the engine's error envelope.
    Load(String),
}

impl SwapError {
    /// The stable code: the [`SetupError::code`] of a setup failure, `swap_export_failed` or
    /// `swap_load_failed`.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Setup(error) => error.code(),
            Self::Export(_) => "swap_export_failed",
            Self::Load(_) => "swap_load_failed",
        }
    }
}

impl fmt::Display for SwapError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Setup(error) => write!(f, "{error}"),
            Self::Export(envelope) | Self::Load(envelope) => {
                write!(f, "{}: {envelope}", self.code())
            }
        }
    }
}

impl std::error::Error for SwapError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Setup(error) => Some(error),
            Self::Export(_) | Self::Load(_) => None,
        }
    }
}

impl Sandbox {
    /// Moves this sandbox to `guest`: a new instance under the same limits, holding the
    /// directory the old instance's engine holds, loaded with the same `options`. The old
    /// instance answers until the new one has loaded it, and stays if anything fails. A sandbox
    /// with nothing loaded (or whose directory a trap lost) just gets a fresh instance of `guest`,
    /// in the same state. During the swap both instances and two copies of the exported directory
    /// (as JSON text) are alive at once.
    pub fn swap(&mut self, guest: &Guest) -> Result<(), SwapError> {
        let mut live = guest.instantiate(self.limits).map_err(SwapError::Setup)?;
        if self.directory == Directory::Loaded {
            let exported = self.run(Entry::Engine, "export", "{}");
            let Some(doc) = ok_payload(&exported) else {
                return Err(SwapError::Export(exported));
            };
            let input = match &self.load_options {
                Some(options) => format!("{{\"directory\":{doc},\"options\":{options}}}"),
                None => format!("{{\"directory\":{doc}}}"),
            };
            drop(exported);
            let loaded = load(&mut live, self.limits, &input);
            if ok_payload(&loaded).is_none() {
                return Err(SwapError::Load(loaded));
            }
        }
        self.guest = guest.clone();
        self.live = Some(live);
        Ok(())
    }

    /// [`Sandbox::swap`] to the module at `path`, compiled as [`Guest::from_file`] does
    /// (`guest_unreadable` if it cannot be read). [`Sandbox::guest`] gives the compiled module
    /// afterwards, e.g. to swap other sandboxes without compiling it again.
    pub fn swap_file(&mut self, path: impl AsRef<Path>) -> Result<(), SwapError> {
        let guest = Guest::from_file(path).map_err(SwapError::Setup)?;
        self.swap(&guest)
    }

    /// [`Sandbox::swap`] to the module `bytes`, compiled as [`Guest::from_bytes`] does.
    pub fn swap_bytes(&mut self, bytes: &[u8]) -> Result<(), SwapError> {
        let guest = Guest::from_bytes(bytes).map_err(SwapError::Setup)?;
        self.swap(&guest)
    }

    /// The module this sandbox runs.
    pub fn guest(&self) -> &Guest {
        &self.guest
    }
}

/// The `options` of a `load` input as JSON text, if it has any. The directory is skipped, not
/// built: a `load` input may be large.
pub(crate) fn options_of(load_input: &str) -> Option<String> {
    #[derive(Deserialize)]
    struct LoadInput {
        #[serde(default)]
        options: Option<Value>,
    }
    serde_json::from_str::<LoadInput>(load_input)
        .ok()
        .and_then(|input| input.options)
        .map(|options| options.to_string())
}

/// The text of `value` in an `{"ok":value}` envelope, or `None` for an error.
fn ok_payload(envelope: &str) -> Option<&str> {
    envelope.strip_prefix("{\"ok\":")?.strip_suffix('}')
}

/// Runs `load` on an instance not yet in use; a trap becomes its error envelope.
fn load(live: &mut Live, limits: Limits, input: &str) -> String {
    match live.call(Entry::Engine, "load", input, limits.fuel_per_call) {
        Ok(output) => output,
        Err(Failure::Abi(message)) => super::abi_envelope(&message),
        Err(Failure::Trap(error)) => super::envelope(classify(Some(live), limits, error)),
    }
}
