//! Errors as HTTP responses. Every failure is an [`orgkit::Error`] with the engine's stable
//! code: the JSON API answers `{"error": {code, message, …}}` with the code's HTTP status, the
//! SCIM endpoints the RFC 7644 error body (see [`ScimError`]).

use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use orgkit::{Error, ErrorCode};
use serde_json::{json, Map, Value};

/// A failed request of the JSON API (boxed: results stay small).
#[derive(Debug)]
pub struct ApiError(Box<Failure>);

/// What an [`ApiError`] holds.
#[derive(Debug)]
pub struct Failure {
    /// The engine-coded error.
    pub error: Error,
    /// Fields added to the error object (e.g. the org `candidates` of a session that must
    /// choose one).
    pub extra: Map<String, Value>,
}

impl ApiError {
    /// An error with `code` and `message`.
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Error::new(code, message).into()
    }

    /// The same error with one more field in its body.
    pub fn with(mut self, key: &str, value: Value) -> Self {
        self.0.extra.insert(key.to_string(), value);
        self
    }

    /// The engine-coded error.
    pub fn error(&self) -> &Error {
        &self.0.error
    }
}

impl From<Error> for ApiError {
    fn from(error: Error) -> Self {
        Self(Box::new(Failure {
            error,
            extra: Map::new(),
        }))
    }
}

impl From<sqlx::Error> for ApiError {
    fn from(error: sqlx::Error) -> Self {
        storage_error(&error).into()
    }
}

/// A storage failure as an engine-coded error: a uniqueness violation is a `conflict`,
/// anything else `internal`.
pub fn storage_error(error: &sqlx::Error) -> Error {
    match error {
        sqlx::Error::Database(db) if db.is_unique_violation() => Error::new(
            ErrorCode::Conflict,
            "the record collides with a stored one (a unique value is taken)",
        ),
        other => Error::new(ErrorCode::Internal, format!("storage error: {other}")),
    }
}

/// The HTTP status of an engine error code.
pub fn status_of(code: ErrorCode) -> StatusCode {
    StatusCode::from_u16(code.http_status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let Failure { error, extra } = *self.0;
        let status = status_of(error.code);
        let mut body = match serde_json::to_value(&error) {
            Ok(Value::Object(map)) => map,
            _ => Map::new(),
        };
        body.extend(extra);
        (status, axum::Json(json!({ "error": body }))).into_response()
    }
}

/// A failed SCIM request: RFC 7644 §3.12's error body, as the engine shapes it, in
/// `application/scim+json`.
#[derive(Debug)]
pub struct ScimError(pub Box<Error>);

impl From<ApiError> for ScimError {
    fn from(error: ApiError) -> Self {
        Self(Box::new(error.0.error))
    }
}

impl From<Error> for ScimError {
    fn from(error: Error) -> Self {
        Self(Box::new(error))
    }
}

impl From<sqlx::Error> for ScimError {
    fn from(error: sqlx::Error) -> Self {
        Self(Box::new(storage_error(&error)))
    }
}

impl IntoResponse for ScimError {
    fn into_response(self) -> Response {
        let status = status_of(self.0.code);
        let body = orgkit::scim::protocol::error_response(&self.0);
        let mut response = (
            status,
            [(header::CONTENT_TYPE, crate::routes::scim::SCIM_JSON)],
            body.to_string(),
        )
            .into_response();
        if self.0.code == ErrorCode::InvalidToken {
            response.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                header::HeaderValue::from_static("Bearer"),
            );
        }
        response
    }
}

/// The JSON API's result type.
pub type ApiResult<T> = Result<T, ApiError>;

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.error.fmt(f)
    }
}
