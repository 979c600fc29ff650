//! The pyo3 binding of orgkit: nothing but binding code. Python gets the engine's one contract,
//! the JSON call API, statelessly ([`call`]) and on an [`Engine`] that holds the loaded
//! directory. The idiomatic surface (`OrgkitError` and its subclasses, one method per op,
//! results as dicts) is the pure-Python package `orgkit` around this module.
//!
//! Every call releases the GIL while the engine works: the input is parsed, the directory
//! loaded or the batch authorized on the Rust side, so other Python threads run meanwhile.
//! A panic never crosses the boundary: the core turns it into an `internal` error.

use pyo3::prelude::*;

/// The native module `orgkit._orgkit`.
#[pymodule]
mod _orgkit {
    use pyo3::exceptions::PyRuntimeError;
    use pyo3::prelude::*;
    use pyo3::pybacked::PyBackedStr;
    use pyo3::types::PyTuple;

    /// Adds the constants: `OPS` (every op name) and `__version__` (the engine's version).
    #[pymodule_init]
    fn init(module: &Bound<'_, PyModule>) -> PyResult<()> {
        module.add("OPS", PyTuple::new(module.py(), orgkit::OPS)?)?;
        module.add("__version__", env!("CARGO_PKG_VERSION"))
    }

    /// Runs `op` statelessly: the input may carry `directory`, `options` and `changes`.
    /// Returns `{"ok": …}` or `{"error": {…}}` as JSON text; never raises for engine errors.
    #[pyfunction]
    fn call(py: Python<'_>, op: PyBackedStr, input: PyBackedStr) -> String {
        py.detach(|| orgkit::call(&op, &input))
    }

    /// An engine holding a directory; `load` and `apply_changes` swap it atomically while
    /// other threads keep reading the snapshot they hold. Safe to share between threads.
    #[pyclass(frozen, module = "orgkit._orgkit")]
    struct Engine(orgkit::Engine);

    #[pymethods]
    impl Engine {
        /// An engine with an empty directory; the `load` op gives it one.
        #[new]
        fn new() -> PyResult<Self> {
            orgkit::Directory::empty(&orgkit::LoadOptions::default())
                .map(|dir| Engine(orgkit::Engine::new(dir)))
                .map_err(|e| PyRuntimeError::new_err(e.to_string()))
        }

        /// Runs `op` on the engine's directory; `load` and `apply_changes` make their result
        /// current. Returns `{"ok": …}` or `{"error": {…}}` as JSON text.
        fn call(&self, py: Python<'_>, op: PyBackedStr, input: PyBackedStr) -> String {
            py.detach(|| self.0.call(&op, &input))
        }
    }
}
