//! Collects every validation problem of a document or change batch, up to a limit.

use crate::error::{join_path, Error, ErrorCode, Problem};

/// A bounded list of problems.
#[derive(Debug)]
pub(crate) struct Problems {
    list: Vec<Problem>,
    max: usize,
    truncated: bool,
}

impl Problems {
    pub(crate) fn new(max: usize) -> Self {
        Self {
            list: Vec::new(),
            max,
            truncated: false,
        }
    }

    /// How many problems were recorded (to tell whether a step added any).
    pub(crate) fn count(&self) -> usize {
        self.list.len() + usize::from(self.truncated)
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.count() == 0
    }

    /// Records a problem at `path` (relative to `base`).
    pub(crate) fn push(
        &mut self,
        base: &str,
        path: &str,
        code: ErrorCode,
        reason: Option<&str>,
        message: String,
    ) {
        self.add(Problem {
            path: join_path(base, path),
            code,
            reason: reason.map(str::to_string),
            message,
        });
    }

    /// Records an error as a problem at `base` (its own path appended).
    pub(crate) fn push_error(&mut self, base: &str, error: Error) {
        self.add(error.into_problem(base));
    }

    fn add(&mut self, problem: Problem) {
        if self.list.len() < self.max {
            self.list.push(problem);
        } else {
            self.truncated = true;
        }
    }

    /// The error that carries these problems.
    pub(crate) fn into_error(self, code: ErrorCode, what: &str) -> Error {
        let total = self.list.len();
        let first = self
            .list
            .first()
            .map(|p| format!("; first: {} at {}", p.message, p.path))
            .unwrap_or_default();
        let mut error = Error::new(
            code,
            format!(
                "{what} has {total}{} problem(s){first}",
                if self.truncated { "+" } else { "" }
            ),
        );
        error.problems = self.list;
        error.problems_truncated = self.truncated;
        error
    }
}
