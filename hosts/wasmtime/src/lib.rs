//! Runs the orgkit engine compiled to Wasm (the guest module, `guest/`) inside wasmtime, for hosts
//! that want the engine sandboxed or hot-swappable. The contract is the core's JSON call API,
//! unchanged: [`Sandbox::call`] is `orgkit::call` and [`Sandbox::engine_call`] is
//! `orgkit::Engine::call`, each returning `{"ok": …}` or `{"error": {…}}` as JSON text.
//!
//! - [`Guest`]: the guest module, compiled once; cheap to clone, shareable across threads.
//! - [`Sandbox`]: one instance of it under its [`Limits`], with its own memory and engine;
//!   `&mut self` calls (one per thread, or behind a lock).
//! - A hot swap ([`Sandbox::swap`], [`Sandbox::swap_file`], [`Sandbox::swap_bytes`]) moves a
//!   sandbox to another module with the engine's directory and load options carried over; the
//!   old instance is replaced only once the new one has loaded them (module `swap`).
//!
//! Every call gets a fresh fuel budget and runs under the memory limit. A trap (fuel or memory
//! exhausted, a panic in the engine, anything else) is returned as an error envelope, never a
//! crash or a Rust panic: the trapped instance is discarded and replaced by a fresh one. Its
//! engine's directory is lost with it, so until a `load` succeeds, [`Sandbox::engine_call`]
//! answers every other op with the error `internal` / `engine_reset` rather than decisions on an
//! empty directory. Codes and reasons are listed in `README.md`.

mod swap;

pub use swap::SwapError;

use orgkit::{Error as EngineError, ErrorCode};
use std::fmt;
use std::path::{Path, PathBuf};
use wasmtime::{
    Config, Engine, Instance, Linker, Memory, Module, ResourceLimiter, Store, Trap, TypedFunc,
};

/// The guest ABI version this host speaks (`orgkit_abi_version()` of the module).
pub const ABI_VERSION: u32 = 1;

/// The default memory limit of an instance: 1 GiB of linear memory.
pub const DEFAULT_MEMORY_BYTES: usize = 1 << 30;

/// The default fuel budget of one call: 20 billion units (about one per Wasm instruction).
pub const DEFAULT_FUEL_PER_CALL: u64 = 20_000_000_000;

/// What one instance may use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// The most linear memory the instance may grow to, in bytes (at most 4 GiB on wasm32).
    /// A call that needs more traps: `limit_exceeded` / `memory_exhausted`.
    pub memory_bytes: usize,
    /// The fuel given to each call (wasmtime's fuel: about one unit per Wasm instruction). A call
    /// that burns it all traps: `limit_exceeded` / `fuel_exhausted`.
    pub fuel_per_call: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            memory_bytes: DEFAULT_MEMORY_BYTES,
            fuel_per_call: DEFAULT_FUEL_PER_CALL,
        }
    }
}

/// Why a guest module could not be set up. Each kind has a stable [`SetupError::code`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SetupError {
    code: &'static str,
    message: String,
}

impl SetupError {
    /// The stable code: `guest_unreadable` (the file), `guest_invalid` (not a module wasmtime
    /// compiles), `guest_abi_mismatch` (an export missing or another ABI version) or
    /// `instantiate_failed` (e.g. the memory limit is below the module's initial memory).
    pub fn code(&self) -> &'static str {
        self.code
    }

    /// What went wrong, for people.
    pub fn message(&self) -> &str {
        &self.message
    }

    fn new(code: &'static str, message: impl fmt::Display) -> Self {
        Self {
            code,
            message: message.to_string(),
        }
    }
}

impl fmt::Display for SetupError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code, self.message)
    }
}

impl std::error::Error for SetupError {}

/// The guest module compiled for this machine.
#[derive(Clone)]
pub struct Guest {
    engine: Engine,
    module: Module,
    linker: Linker<State>,
}

impl Guest {
    /// Reads and compiles the guest module at `path` (see `README.md` for how to build it).
    pub fn from_file(path: impl AsRef<Path>) -> Result<Self, SetupError> {
        let path = path.as_ref();
        let bytes = std::fs::read(path)
            .map_err(|e| SetupError::new("guest_unreadable", format!("{}: {e}", path.display())))?;
        Self::from_bytes(&bytes)
    }

    /// Compiles the guest module from its bytes, with Cranelift's default optimisation.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, SetupError> {
        Self::compile(bytes, true)
    }

    /// As [`Guest::from_bytes`]; `optimize: false` compiles without Cranelift's optimisations,
    /// which starts faster and runs slower (for tests of a debug-built module).
    pub fn compile(bytes: &[u8], optimize: bool) -> Result<Self, SetupError> {
        let mut config = Config::new();
        config.consume_fuel(true);
        config.cranelift_opt_level(if optimize {
            wasmtime::OptLevel::Speed
        } else {
            wasmtime::OptLevel::None
        });
        let engine = Engine::new(&config).map_err(|e| SetupError::new("guest_invalid", e))?;
        let module =
            Module::new(&engine, bytes).map_err(|e| SetupError::new("guest_invalid", e))?;
        let mut linker = Linker::new(&engine);
        // The only imports are wasm-bindgen placeholders that the core's JWT crate pulls in on
        // wasm32 for a clock the engine never reads (it checks claims against the host's `now`).
        // Called anyway, they trap, and the trap is an error like any other.
        linker
            .define_unknown_imports_as_traps(&module)
            .map_err(|e| SetupError::new("guest_invalid", e))?;
        let guest = Self {
            engine,
            module,
            linker,
        };
        // Checks the exports and the ABI version once, here, rather than at the first call.
        guest.instantiate(Limits::default())?;
        Ok(guest)
    }

    /// A new instance under `limits`, with an empty engine.
    pub fn sandbox(&self, limits: Limits) -> Result<Sandbox, SetupError> {
        Ok(Sandbox {
            guest: self.clone(),
            limits,
            live: Some(self.instantiate(limits)?),
            directory: Directory::None,
            load_options: None,
        })
    }

    fn instantiate(&self, limits: Limits) -> Result<Live, SetupError> {
        let mut store = Store::new(
            &self.engine,
            State {
                max_memory: limits.memory_bytes,
                memory_denied: false,
            },
        );
        store.limiter(|state| state);
        set_fuel(&mut store, limits.fuel_per_call)?;
        let instance = self
            .linker
            .instantiate(&mut store, &self.module)
            .map_err(|e| SetupError::new("instantiate_failed", e))?;
        let mut live = Live::new(store, &instance)?;
        let version = live
            .abi_version
            .call(&mut live.store, ())
            .map_err(|e| SetupError::new("guest_abi_mismatch", e))?;
        if version != ABI_VERSION {
            return Err(SetupError::new(
                "guest_abi_mismatch",
                format!("the module speaks ABI {version}; this host speaks {ABI_VERSION}"),
            ));
        }
        Ok(live)
    }
}

impl fmt::Debug for Guest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Guest").finish_non_exhaustive()
    }
}

/// One instance of the guest: its memory, its engine (the directory `load` gave it) and its
/// fuel. Calls take `&mut self`.
pub struct Sandbox {
    guest: Guest,
    limits: Limits,
    /// `None` only after a trap whose fresh instance could not be made; retried at each call.
    live: Option<Live>,
    directory: Directory,
    /// The `options` of the last successful `load` as JSON text (`None`: loaded without any),
    /// for a swap to load the exported directory with.
    load_options: Option<String>,
}

/// What the instance's engine holds, as far as the host knows.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Directory {
    /// Nothing loaded yet (a fresh engine, as natively).
    None,
    /// A `load` succeeded on this instance.
    Loaded,
    /// The instance holding it trapped and was discarded; why, for the error.
    Lost(String),
}

impl Sandbox {
    /// Runs `op` statelessly (`orgkit::call`): the input may carry `directory`, `options` and
    /// `changes`. Returns `{"ok": …}` or `{"error": {…}}` as JSON text.
    pub fn call(&mut self, op: &str, input: &str) -> String {
        self.run(Entry::Stateless, op, input)
    }

    /// Runs `op` on this instance's engine (`orgkit::Engine::call`); `load` and `apply_changes`
    /// make their result current. After a trap lost the directory, every op but `load` answers
    /// `internal` / `engine_reset` until a `load` succeeds.
    pub fn engine_call(&mut self, op: &str, input: &str) -> String {
        if let Directory::Lost(why) = &self.directory {
            if op != "load" {
                return envelope(
                    EngineError::new(
                        ErrorCode::Internal,
                        format!(
                            "the engine's directory was lost when its instance was discarded \
                             after a trap ({why}); call `load` again"
                        ),
                    )
                    .because("engine_reset"),
                );
            }
        }
        let output = self.run(Entry::Engine, op, input);
        if op == "load" && output.starts_with("{\"ok\"") {
            self.directory = Directory::Loaded;
            self.load_options = swap::options_of(input);
        }
        output
    }

    /// The limits this instance runs under.
    pub fn limits(&self) -> Limits {
        self.limits
    }

    /// Whether the engine's directory was lost to a trap and not loaded again since.
    pub fn needs_load(&self) -> bool {
        matches!(self.directory, Directory::Lost(_))
    }

    /// The fuel the last call left unused (for measuring what an op costs).
    pub fn fuel_left(&self) -> u64 {
        self.live
            .as_ref()
            .and_then(|live| live.store.get_fuel().ok())
            .unwrap_or(0)
    }

    /// The guest's linear memory now, in bytes.
    pub fn memory_bytes(&self) -> usize {
        self.live
            .as_ref()
            .map(|live| live.memory.data_size(&live.store))
            .unwrap_or(0)
    }

    /// Makes the next call of the guest panic, for tests of the trap path. Not for use.
    #[doc(hidden)]
    pub fn panic_for_tests(&mut self) -> String {
        self.run(Entry::Panic, "", "")
    }

    fn run(&mut self, entry: Entry, op: &str, input: &str) -> String {
        if self.live.is_none() {
            match self.guest.instantiate(self.limits) {
                Ok(live) => self.live = Some(live),
                Err(e) => return envelope(instance_error(&e)),
            }
        }
        let Some(live) = self.live.as_mut() else {
            return envelope(EngineError::new(ErrorCode::Internal, "no instance"));
        };
        match live.call(entry, op, input, self.limits.fuel_per_call) {
            Ok(output) => output,
            Err(Failure::Abi(message)) => abi_envelope(&message),
            Err(Failure::Trap(error)) => {
                let error = classify(self.live.as_mut(), self.limits, error);
                self.discard(&error.message);
                envelope(error)
            }
        }
    }

    /// Replaces the trapped instance by a fresh one (or by none, retried at the next call).
    fn discard(&mut self, why: &str) {
        self.live = self.guest.instantiate(self.limits).ok();
        if self.directory == Directory::Loaded || self.needs_load() {
            self.directory = Directory::Lost(why.to_string());
        }
    }
}

impl fmt::Debug for Sandbox {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Sandbox")
            .field("limits", &self.limits)
            .field("directory", &self.directory)
            .finish_non_exhaustive()
    }
}

/// The path where this workspace's build puts the guest module:
/// `<target>/wasm32-unknown-unknown/<profile>/orgkit_wasmtime_guest.wasm`, with `<target>` from
/// `CARGO_TARGET_DIR` or the workspace's `target/`. `ORGKIT_WASMTIME_GUEST` overrides it. For
/// the tests and the benchmark.
pub fn workspace_guest_path(profile: &str) -> PathBuf {
    if let Some(path) = std::env::var_os("ORGKIT_WASMTIME_GUEST") {
        return PathBuf::from(path);
    }
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target"));
    target
        .join("wasm32-unknown-unknown")
        .join(profile)
        .join("orgkit_wasmtime_guest.wasm")
}

/// The store's data: the memory limit, and whether it refused a growth during this call.
struct State {
    max_memory: usize,
    memory_denied: bool,
}

impl ResourceLimiter for State {
    fn memory_growing(
        &mut self,
        _current: usize,
        desired: usize,
        _maximum: Option<usize>,
    ) -> wasmtime::Result<bool> {
        let allowed = desired <= self.max_memory;
        self.memory_denied |= !allowed;
        Ok(allowed)
    }

    fn table_growing(
        &mut self,
        _current: usize,
        desired: usize,
        _maximum: Option<usize>,
    ) -> wasmtime::Result<bool> {
        Ok(desired <= 100_000)
    }
}

/// Which export a call goes through.
#[derive(Clone, Copy)]
enum Entry {
    Stateless,
    Engine,
    Panic,
}

enum Failure {
    /// The call trapped (or wasmtime refused it); the instance is not to be trusted any more.
    Trap(wasmtime::Error),
    /// The guest returned something the ABI does not allow.
    Abi(String),
}

impl From<wasmtime::Error> for Failure {
    fn from(error: wasmtime::Error) -> Self {
        Self::Trap(error)
    }
}

/// A live instance and its exports.
struct Live {
    store: Store<State>,
    memory: Memory,
    abi_version: TypedFunc<(), u32>,
    input: TypedFunc<u32, u32>,
    call: TypedFunc<(u32, u32), u64>,
    engine_call: TypedFunc<(u32, u32), u64>,
    last_panic: TypedFunc<(), u64>,
    panic_for_tests: TypedFunc<(), ()>,
}

impl Live {
    fn new(mut store: Store<State>, instance: &Instance) -> Result<Self, SetupError> {
        let memory = instance
            .get_memory(&mut store, "memory")
            .ok_or_else(|| SetupError::new("guest_abi_mismatch", "no exported `memory`"))?;
        let mut export = |name: &str| {
            instance
                .get_export(&mut store, name)
                .and_then(|export| export.into_func())
                .ok_or_else(|| SetupError::new("guest_abi_mismatch", format!("no `{name}`")))
        };
        let (abi_version, input, call, engine_call, last_panic, panic_for_tests) = (
            export("orgkit_abi_version")?,
            export("orgkit_input")?,
            export("orgkit_call")?,
            export("orgkit_engine_call")?,
            export("orgkit_last_panic")?,
            export("orgkit_panic_for_tests")?,
        );
        let wrong = |e: wasmtime::Error| SetupError::new("guest_abi_mismatch", e);
        Ok(Self {
            abi_version: abi_version.typed(&store).map_err(wrong)?,
            input: input.typed(&store).map_err(wrong)?,
            call: call.typed(&store).map_err(wrong)?,
            engine_call: engine_call.typed(&store).map_err(wrong)?,
            last_panic: last_panic.typed(&store).map_err(wrong)?,
            panic_for_tests: panic_for_tests.typed(&store).map_err(wrong)?,
            store,
            memory,
        })
    }

    fn call(&mut self, entry: Entry, op: &str, input: &str, fuel: u64) -> Result<String, Failure> {
        self.store.set_fuel(fuel)?;
        self.store.data_mut().memory_denied = false;
        let (Ok(op_len), Ok(input_len), Ok(total)) = (
            u32::try_from(op.len()),
            u32::try_from(input.len()),
            u32::try_from(op.len() + input.len()),
        ) else {
            return Ok(envelope(
                EngineError::new(
                    ErrorCode::LimitExceeded,
                    "the input is larger than a 32-bit guest can take",
                )
                .because("input_too_large"),
            ));
        };
        let func = match entry {
            Entry::Stateless => self.call.clone(),
            Entry::Engine => self.engine_call.clone(),
            Entry::Panic => {
                self.panic_for_tests.call(&mut self.store, ())?;
                return Err(Failure::Abi("the panic hook returned".into()));
            }
        };
        let at = self.input.call(&mut self.store, total)? as usize;
        self.write(at, op.as_bytes())?;
        self.write(at + op.len(), input.as_bytes())?;
        let packed = func.call(&mut self.store, (op_len, input_len))?;
        self.read(packed)
    }

    fn write(&mut self, at: usize, bytes: &[u8]) -> Result<(), Failure> {
        self.memory
            .write(&mut self.store, at, bytes)
            .map_err(|_| Failure::Abi(format!("input buffer at {at} is out of bounds")))
    }

    /// The UTF-8 text at `ptr << 32 | len` in the guest's memory.
    fn read(&self, packed: u64) -> Result<String, Failure> {
        let (at, len) = ((packed >> 32) as usize, (packed & 0xffff_ffff) as usize);
        let bytes = self
            .memory
            .data(&self.store)
            .get(at..at.saturating_add(len))
            .ok_or_else(|| Failure::Abi(format!("output at {at}+{len} is out of bounds")))?;
        String::from_utf8(bytes.to_vec())
            .map_err(|_| Failure::Abi("the output is not UTF-8".into()))
    }

    /// The panic message the guest kept, if any (read from a trapped instance, with fresh fuel).
    fn last_panic(&mut self) -> Option<String> {
        self.store.set_fuel(10_000_000).ok()?;
        let packed = self.last_panic.call(&mut self.store, ()).ok()?;
        if packed == 0 {
            return None;
        }
        self.read(packed).ok()
    }
}

fn set_fuel(store: &mut Store<State>, fuel: u64) -> Result<(), SetupError> {
    store
        .set_fuel(fuel)
        .map_err(|e| SetupError::new("instantiate_failed", e))
}

/// The error a call returns when no instance could be made after a trap.
fn instance_error(error: &SetupError) -> EngineError {
    EngineError::new(
        ErrorCode::Internal,
        format!("no fresh instance after a trap: {error}"),
    )
    .because(error.code())
}

/// The error a trap becomes, read from the trapped instance before it is discarded.
fn classify(live: Option<&mut Live>, limits: Limits, error: wasmtime::Error) -> EngineError {
    let Some(live) = live else {
        return EngineError::new(ErrorCode::Internal, error.to_string());
    };
    if live.store.data().memory_denied {
        return EngineError::new(
            ErrorCode::LimitExceeded,
            format!(
                "the call needed more than the instance's memory limit of {} bytes",
                limits.memory_bytes
            ),
        )
        .because("memory_exhausted");
    }
    match error.downcast_ref::<Trap>() {
        Some(Trap::OutOfFuel) => EngineError::new(
            ErrorCode::LimitExceeded,
            format!(
                "the call used up its fuel budget of {} units",
                limits.fuel_per_call
            ),
        )
        .because("fuel_exhausted"),
        trap => match live.last_panic() {
            Some(message) => EngineError::new(
                ErrorCode::Internal,
                format!("the engine panicked: {message}"),
            )
            .because("guest_panic"),
            None => EngineError::new(
                ErrorCode::Internal,
                format!(
                    "the guest trapped: {}",
                    trap.map_or_else(|| error.to_string(), Trap::to_string)
                ),
            )
            .because("guest_trap"),
        },
    }
}

/// The error envelope of a guest that broke the ABI.
fn abi_envelope(message: &str) -> String {
    envelope(
        EngineError::new(
            ErrorCode::Internal,
            format!("the guest broke the ABI: {message}"),
        )
        .because("guest_abi"),
    )
}

/// The core's error envelope, `{"error": {…}}`, as JSON text.
fn envelope(error: EngineError) -> String {
    serde_json::json!({ "error": error }).to_string()
}
