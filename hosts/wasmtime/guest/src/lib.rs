//! The orgkit engine as a plain Wasm module for non-JS runtimes: nothing but ABI code. The ABI
//! is the core's JSON call API over linear memory (see `../README.md` for why not a WIT
//! component):
//!
//! 1. `orgkit_input(len) -> ptr`: the guest's input buffer, grown to `len` bytes; the host
//!    writes the op name and then the input JSON there, back to back.
//! 2. `orgkit_call(op_len, input_len) -> u64` runs the op statelessly ([`orgkit::call`]);
//!    `orgkit_engine_call` runs it on the instance's engine ([`orgkit::Engine::call`]). The
//!    result is `ptr << 32 | len` of the output JSON, which stays valid until the next call.
//! 3. `orgkit_last_panic() -> u64`: after a trap, the panic message (`0` if none). A panic
//!    cannot unwind on `wasm32-unknown-unknown`: it aborts the call with an `unreachable` trap,
//!    and the host discards the instance.
//!
//! `orgkit_abi_version()` lets a host refuse a module built for another ABI.
//!
//! The exports are `#[no_mangle]` on wasm32 only: natively the crate is only checked (clippy),
//! and the test harness `cargo test --workspace --lib` builds for it links none of the engine.

use std::cell::{OnceCell, RefCell};

/// The version of this ABI; a host checks it before its first call.
pub const ABI_VERSION: u32 = 1;

thread_local! {
    static INPUT: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
    static OUTPUT: RefCell<String> = const { RefCell::new(String::new()) };
    static ENGINE: OnceCell<Result<orgkit::Engine, String>> = const { OnceCell::new() };
    static LAST_PANIC: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// The version of this ABI ([`ABI_VERSION`]).
#[cfg_attr(target_arch = "wasm32", no_mangle)]
pub extern "C" fn orgkit_abi_version() -> u32 {
    ABI_VERSION
}

/// The address of the input buffer, resized to `len` bytes, for the host to write the op name
/// and the input into before a call.
#[cfg_attr(target_arch = "wasm32", no_mangle)]
pub extern "C" fn orgkit_input(len: u32) -> *mut u8 {
    INPUT.with(|input| {
        let mut input = input.borrow_mut();
        input.resize(len as usize, 0);
        input.as_mut_ptr()
    })
}

/// Runs the op named by the first `op_len` bytes of the input buffer statelessly on the next
/// `input_len` bytes; returns the output's `ptr << 32 | len`.
#[cfg_attr(target_arch = "wasm32", no_mangle)]
pub extern "C" fn orgkit_call(op_len: u32, input_len: u32) -> u64 {
    run(op_len, input_len, orgkit::call)
}

/// As [`orgkit_call`], on this instance's engine: `load` and `apply_changes` change its
/// directory, which later calls use.
#[cfg_attr(target_arch = "wasm32", no_mangle)]
pub extern "C" fn orgkit_engine_call(op_len: u32, input_len: u32) -> u64 {
    run(op_len, input_len, |op, input| {
        ENGINE.with(|engine| {
            match engine.get_or_init(|| {
                orgkit::Directory::empty(&orgkit::LoadOptions::default())
                    .map(orgkit::Engine::new)
                    .map_err(|error| serde_json::json!({ "error": error }).to_string())
            }) {
                Ok(engine) => engine.call(op, input),
                Err(envelope) => envelope.clone(),
            }
        })
    })
}

/// The message of the panic that aborted the last call as `ptr << 32 | len`, or `0`.
#[cfg_attr(target_arch = "wasm32", no_mangle)]
pub extern "C" fn orgkit_last_panic() -> u64 {
    LAST_PANIC.with(|last| match last.borrow().as_deref() {
        Some(message) => pack(message),
        None => 0,
    })
}

/// Panics on purpose, so the host's tests can prove a trap becomes a typed error. Not for use.
#[doc(hidden)]
#[cfg_attr(target_arch = "wasm32", no_mangle)]
pub extern "C" fn orgkit_panic_for_tests() {
    install_panic_hook();
    #[allow(clippy::panic)]
    {
        panic!("a panic the tests asked for");
    }
}

fn run(op_len: u32, input_len: u32, call: impl FnOnce(&str, &str) -> String) -> u64 {
    install_panic_hook();
    let output = INPUT.with(|input| {
        let input = input.borrow();
        let (op, rest) = input.split_at((op_len as usize).min(input.len()));
        let rest = rest.get(..input_len as usize).unwrap_or(rest);
        // The host writes Rust strings; anything else is decoded lossily rather than trusted.
        call(&String::from_utf8_lossy(op), &String::from_utf8_lossy(rest))
    });
    OUTPUT.with(|out| {
        let mut out = out.borrow_mut();
        *out = output;
        pack(&out)
    })
}

/// `ptr << 32 | len` of a string in this instance's memory (32-bit addresses on wasm32).
fn pack(text: &str) -> u64 {
    ((text.as_ptr() as usize as u64) << 32) | (text.len() as u64 & 0xffff_ffff)
}

fn install_panic_hook() {
    static HOOK: std::sync::Once = std::sync::Once::new();
    HOOK.call_once(|| {
        std::panic::set_hook(Box::new(|info| {
            let message = info.to_string();
            LAST_PANIC.with(|last| *last.borrow_mut() = Some(message));
        }));
    });
}
