//! The pyo3 binding of orgkit: nothing but binding code. Python gets the engine's one contract,
//! the JSON call API, statelessly ([`call`]) and on an [`Engine`] that holds the loaded
//! directory, and typed calls for authorization (`Engine.authorize`, `authorize_batch`,
//! `check`, `allowed_actions`) that take Python values and give Python objects with no JSON text in
//! between. The idiomatic surface (`OrgkitError` and its subclasses, one method per op,
//! results as dicts) is the pure-Python package `orgkit` around this module.
//!
//! Every call releases the GIL while the engine works: the input is parsed, the directory
//! loaded or the batch authorized on the Rust side, so other Python threads run meanwhile.
//! A panic never crosses the boundary: the core turns it into an `internal` error.

mod request;
mod to_py;

use pyo3::prelude::*;

pyo3::create_exception!(
    _orgkit,
    EngineError,
    pyo3::exceptions::PyException,
    "An engine error from a typed call; its one argument is the error object (a dict), as the \
     JSON call API's `error`. The package raises it as the `OrgkitError` subclass of its code."
);

/// The native module `orgkit._orgkit`.
#[pymodule]
mod _orgkit {
    use crate::request::Reader;
    use crate::to_py::to_py;
    use pyo3::exceptions::PyRuntimeError;
    use pyo3::prelude::*;
    use pyo3::pybacked::PyBackedStr;
    use pyo3::types::{PyDict, PyList, PyTuple};
    use std::sync::Arc;

    #[pymodule_export]
    use super::EngineError;

    /// Adds the constants: `OPS` (every op name), `ERROR_FAMILIES` (the core's family of every
    /// error code) and `__version__` (the engine's version).
    #[pymodule_init]
    fn init(module: &Bound<'_, PyModule>) -> PyResult<()> {
        let py = module.py();
        module.add("OPS", PyTuple::new(py, orgkit::OPS)?)?;
        let families = PyDict::new(py);
        for code in orgkit::ErrorCode::ALL {
            families.set_item(code.as_str(), code.family().as_str())?;
        }
        module.add("ERROR_FAMILIES", families)?;
        module.add("__version__", env!("CARGO_PKG_VERSION"))
    }

    /// Runs `op` statelessly: the input may carry `directory`, `options` and `changes`.
    /// Returns `{"ok": …}` or `{"error": {…}}` as JSON text; never raises for engine errors.
    #[pyfunction]
    fn call(py: Python<'_>, op: PyBackedStr, input: PyBackedStr) -> String {
        py.detach(|| orgkit::call(&op, &input))
    }

    /// The ok value as Python objects, or the error raised as [`EngineError`].
    fn answer<'py, T: serde::Serialize>(
        py: Python<'py>,
        result: orgkit::Result<T>,
    ) -> PyResult<Option<Bound<'py, PyAny>>> {
        match result {
            Ok(value) => to_py(py, &value).map(Some),
            Err(error) => Err(EngineError::new_err((to_py(py, &error)?.unbind(),))),
        }
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

        /// `authorize` on Python values: the input's fields as a dict, the decision as the
        /// dict the JSON call API's `ok` decodes to. `None` when the input is not of the
        /// typed shape (the package then runs it through `call`, which answers exactly).
        fn authorize<'py>(
            &self,
            py: Python<'py>,
            request: &Bound<'py, PyAny>,
        ) -> PyResult<Option<Bound<'py, PyAny>>> {
            let Some((snapshot, request)) = self.read(request, Reader::authorize) else {
                return Ok(None);
            };
            let decision = py.detach(|| orgkit::wire::guarded(|| snapshot.authorize(&request)));
            answer(py, decision)
        }

        /// `check` on Python values, as `authorize`: `{decision, policies, errors}`. It keeps
        /// the GIL: the decision takes less time than releasing and taking it back would.
        fn check<'py>(
            &self,
            py: Python<'py>,
            request: &Bound<'py, PyAny>,
        ) -> PyResult<Option<Bound<'py, PyAny>>> {
            let Some((snapshot, request)) = self.read(request, Reader::check) else {
                return Ok(None);
            };
            answer(py, orgkit::wire::guarded(|| snapshot.check(&request)))
        }

        /// `authorize_batch` on Python values: one `{"ok": decision}` or `{"error": {…}}`
        /// dict per request; `None` as for `authorize` (a batch over the size limit too).
        fn authorize_batch<'py>(
            &self,
            py: Python<'py>,
            input: &Bound<'py, PyAny>,
        ) -> PyResult<Option<Bound<'py, PyAny>>> {
            let Some((snapshot, requests)) = self.read(input, Reader::batch) else {
                return Ok(None);
            };
            if requests.len() > snapshot.limits().max_batch {
                return Ok(None);
            }
            let results =
                py.detach(|| orgkit::wire::guarded(|| Ok(snapshot.authorize_batch(&requests))));
            let results = match results {
                Ok(results) => results,
                Err(error) => return answer::<()>(py, Err(error)),
            };
            let list = PyList::empty(py);
            for result in results {
                let item = PyDict::new(py);
                match result {
                    Ok(decision) => item.set_item("ok", to_py(py, &decision)?)?,
                    Err(error) => item.set_item("error", to_py(py, &error)?)?,
                }
                list.append(item)?;
            }
            Ok(Some(list.into_any()))
        }

        /// `allowed_actions` on Python values: the sorted action names; `None` as for
        /// `authorize`.
        fn allowed_actions<'py>(
            &self,
            py: Python<'py>,
            input: &Bound<'py, PyAny>,
        ) -> PyResult<Option<Bound<'py, PyAny>>> {
            let Some((snapshot, scope)) = self.read(input, Reader::scope) else {
                return Ok(None);
            };
            let actions = py.detach(|| {
                orgkit::wire::guarded(|| {
                    snapshot.allowed_actions(
                        &scope.principal,
                        &scope.active_org,
                        &scope.resource,
                        scope.now,
                        &scope.context,
                        scope.grant.as_ref(),
                    )
                })
            });
            answer(py, actions)
        }
    }

    impl Engine {
        /// The current snapshot and a typed input read from Python values, when the input is
        /// of the typed shape and surely within the snapshot's input size limit.
        fn read<'py, T>(
            &self,
            input: &Bound<'py, PyAny>,
            read: impl FnOnce(&mut Reader, &Bound<'py, PyAny>) -> Option<T>,
        ) -> Option<(Arc<orgkit::Directory>, T)> {
            let snapshot = self.0.snapshot();
            let mut reader = Reader::new();
            let value = read(&mut reader, input)?;
            reader
                .fits(snapshot.limits().max_input_bytes)
                .then_some((snapshot, value))
        }
    }
}
