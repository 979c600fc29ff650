//! JSON request bodies. [`Body`] takes the place of axum's `Json` extractor so that a refused
//! body is answered like every other error of the API, `{"error": {code, message, path?}}`
//! with the code's status, instead of axum's plain text: `unsupported_media_type` without a
//! JSON media type, `limit_exceeded` past the body limit, `invalid_input` for text that is not
//! JSON or does not fit the route's shape, with the path of the first mismatch.

use crate::error::ApiError;
use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::{header, StatusCode};
use orgkit::{Error, ErrorCode};
use serde::de::DeserializeOwned;

/// A request body read as JSON into `T`.
#[derive(Debug, Clone, Copy, Default)]
pub struct Body<T>(pub T);

impl<S, T> FromRequest<S> for Body<T>
where
    S: Send + Sync,
    T: DeserializeOwned,
{
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        if !is_json(request.headers().get(header::CONTENT_TYPE)) {
            return Err(ApiError::new(
                ErrorCode::UnsupportedMediaType,
                "the request body must be JSON (`content-type: application/json`)",
            ));
        }
        let bytes = Bytes::from_request(request, state)
            .await
            .map_err(|rejection| {
                let code = if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
                    ErrorCode::LimitExceeded
                } else {
                    ErrorCode::InvalidInput
                };
                ApiError::new(code, rejection.body_text())
            })?;
        decode(&bytes).map(Body)
    }
}

/// Whether a `content-type` names JSON: `application/json` or a `+json` type, with or without
/// parameters.
fn is_json(content_type: Option<&header::HeaderValue>) -> bool {
    let Some(Ok(value)) = content_type.map(|v| v.to_str()) else {
        return false;
    };
    let essence = value.split(';').next().unwrap_or_default().trim();
    let essence = essence.to_ascii_lowercase();
    essence == "application/json"
        || (essence.starts_with("application/") && essence.ends_with("+json"))
}

/// Decodes `bytes` as `T`, naming the path of the first mismatch (none at the top level or
/// in text that is not JSON).
fn decode<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    let refused = |message: String, path: Option<String>| {
        let error = Error::new(
            ErrorCode::InvalidInput,
            format!("the request body does not fit: {message}"),
        );
        ApiError::from(match path {
            Some(path) => error.at(path),
            None => error,
        })
    };
    let mut json = serde_json::Deserializer::from_slice(bytes);
    let value = serde_path_to_error::deserialize(&mut json).map_err(|e| {
        // A path only for a body that is JSON but of the wrong shape, not for broken text.
        let path = e.path().to_string();
        let shape = e.inner().classify() == serde_json::error::Category::Data;
        refused(
            e.into_inner().to_string(),
            (shape && path != ".").then_some(path),
        )
    })?;
    json.end().map_err(|e| refused(e.to_string(), None))?;
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize, PartialEq)]
    #[serde(deny_unknown_fields)]
    struct Shape {
        action: String,
        items: Vec<Item>,
    }

    #[derive(Debug, Deserialize, PartialEq)]
    #[serde(deny_unknown_fields)]
    struct Item {
        id: u32,
    }

    /// The code and path `text` is refused with, or `None` when it is accepted.
    fn refusal(text: &str) -> Option<(ErrorCode, Option<String>)> {
        decode::<Shape>(text.as_bytes())
            .err()
            .map(|e| (e.error().code, e.error().path.clone()))
    }

    #[test]
    fn a_body_that_fits_is_decoded() {
        let shape = decode::<Shape>(br#"{"action": "a", "items": [{"id": 1}]}"#).ok();
        assert_eq!(shape.map(|s| s.items), Some(vec![Item { id: 1 }]));
    }

    #[test]
    fn a_mismatch_is_invalid_input_at_its_path() {
        let at = |path: &str| Some((ErrorCode::InvalidInput, Some(path.to_string())));
        let whole = Some((ErrorCode::InvalidInput, None));
        assert_eq!(
            refusal(r#"{"action": "a", "items": [{"id": "x"}]}"#),
            at("items[0].id")
        );
        assert_eq!(
            refusal(r#"{"action": "a", "items": [], "principal": {}}"#),
            at("principal")
        );
        assert_eq!(refusal(r#"{"items": []}"#), whole);
        assert_eq!(refusal("{"), whole);
        assert_eq!(refusal(r#"{"action": "a", "items": []} trailing"#), whole);
    }

    #[test]
    fn json_media_types_are_recognised() {
        let is = |v: &'static str| is_json(Some(&header::HeaderValue::from_static(v)));
        assert!(is("application/json"));
        assert!(is("Application/JSON; charset=utf-8"));
        assert!(is("application/merge-patch+json"));
        assert!(!is("text/plain"));
        assert!(!is("application/jsonx"));
        assert!(!is_json(None));
    }
}
