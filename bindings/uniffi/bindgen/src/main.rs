//! The workspace's `uniffi-bindgen`, pinned to the uniffi version of `orgkit-uniffi`, as the
//! uniffi docs recommend. Library mode, from the built cdylib:
//!
//! ```text
//! cargo run -p orgkit-uniffi-bindgen -- generate --library target/debug/liborgkit_uniffi.so \
//!     --language kotlin --out-dir target/uniffi/kotlin
//! ```

fn main() {
    uniffi::uniffi_bindgen_main()
}
