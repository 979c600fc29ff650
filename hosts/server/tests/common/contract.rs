//! The OpenAPI document as a contract: every successful request the tests send, and its
//! response, is validated against the schemas the document declares for that route, method,
//! status and media type.

use jsonschema::Validator;
use serde_json::{json, Value};
use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

/// The document the server serves, and the validators built from it so far.
pub struct Contract {
    document: Value,
    /// `(method, path)` of every route, `path` as in the document (`{param}` segments).
    routes: Vec<(String, String)>,
    validators: Mutex<HashMap<String, Arc<Validator>>>,
}

/// The contract of this build's route list (one per test process).
pub fn contract() -> &'static Contract {
    static CONTRACT: OnceLock<Contract> = OnceLock::new();
    CONTRACT.get_or_init(|| {
        let (_, routes) = orgkit_server::routes::routes();
        Contract {
            document: orgkit_server::routes::openapi::document(&routes),
            routes: routes
                .iter()
                .map(|r| (r.method.to_string(), r.path.to_string()))
                .collect(),
            validators: Mutex::new(HashMap::new()),
        }
    })
}

/// The base media type of a `content-type` value (`application/json; charset=…` → …json).
fn media(content_type: &str) -> String {
    content_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase()
}

/// A body as the document describes it: JSON for JSON media types (`application/json`,
/// `…+json`), else the text itself (JSON Lines among them).
fn body_value(media: &str, text: &str) -> Value {
    if media == "application/json" || media.ends_with("+json") {
        serde_json::from_str(text)
            .unwrap_or_else(|e| panic!("a {media} body that is not JSON ({e}): {text}"))
    } else {
        Value::String(text.to_string())
    }
}

impl Contract {
    /// Every route, as `METHOD path`.
    pub fn routes(&self) -> Vec<String> {
        self.routes
            .iter()
            .map(|(m, p)| format!("{m} {p}"))
            .collect()
    }

    /// The document.
    pub fn document(&self) -> &Value {
        &self.document
    }

    /// The route a request path (with or without a query) is served by: its document path.
    /// Literal segments win over parameters (`/Users/.search` over `/Users/{id}`).
    pub fn route_of(&self, method: &str, path: &str) -> Option<String> {
        let path = path.split('?').next().unwrap_or_default();
        let segments: Vec<&str> = path.split('/').collect();
        self.routes
            .iter()
            .filter(|(m, _)| m == method)
            .filter_map(|(_, template)| {
                let parts: Vec<&str> = template.split('/').collect();
                if parts.len() != segments.len() {
                    return None;
                }
                let mut literal = 0;
                for (part, segment) in parts.iter().zip(&segments) {
                    if part.starts_with('{') {
                        continue;
                    }
                    if part != segment {
                        return None;
                    }
                    literal += 1;
                }
                Some((literal, template.clone()))
            })
            .max_by_key(|(literal, _)| *literal)
            .map(|(_, template)| template)
    }

    /// The operation of `method` on the document path `template`.
    pub fn operation(&self, method: &str, template: &str) -> &Value {
        let op = &self.document["paths"][template][method.to_ascii_lowercase()];
        assert!(op.is_object(), "no operation {method} {template}");
        op
    }

    fn validator(&self, schema: &Value) -> Arc<Validator> {
        let key = schema.to_string();
        let mut cache = self.validators.lock().unwrap();
        cache
            .entry(key)
            .or_insert_with(|| {
                // The schema with the document's components beside it, for its `$ref`s.
                let mut root = schema.clone();
                if let Value::Object(fields) = &mut root {
                    fields.insert(
                        "components".into(),
                        json!({"schemas": self.document["components"]["schemas"]}),
                    );
                }
                Arc::new(
                    jsonschema::validator_for(&root).unwrap_or_else(|e| {
                        panic!("a schema that does not compile: {e}: {schema}")
                    }),
                )
            })
            .clone()
    }

    fn validate(&self, what: &str, schema: &Value, value: &Value) {
        let validator = self.validator(schema);
        let problems: Vec<String> = validator
            .iter_errors(value)
            .map(|e| format!("  at {}: {e}", e.instance_path()))
            .collect();
        assert!(
            problems.is_empty(),
            "{what} does not match its schema {schema}:\n{}\nbody: {value}",
            problems.join("\n")
        );
    }

    /// An error answered in JSON matches the operation's `default` response of its media type
    /// (what the framework itself answers in plain text before a handler runs is not the
    /// document's; request bodies are read by `orgkit_server::body`, which answers in JSON).
    fn check_error(&self, what: &str, op: &Value, content_type: Option<&str>, text: &str) {
        let media = media(content_type.unwrap_or_default());
        if media != "application/json" && !media.ends_with("+json") {
            return;
        }
        let schema = &op["responses"]["default"]["content"][&media]["schema"];
        assert!(
            schema.is_object(),
            "{what}: the document declares no {media} error body"
        );
        self.validate(
            &format!("the error of {what}"),
            schema,
            &body_value(&media, text),
        );
    }

    /// Checks one exchange. When it succeeded (2xx or 304): the request body against the
    /// operation's `requestBody`, the status among its responses, the response body against
    /// the schema of its media type (none for a response without content); returns the route.
    /// Otherwise a JSON error body against the operation's `default` response.
    pub fn check(
        &self,
        method: &str,
        path: &str,
        request: Option<(&str, &Value)>,
        status: u16,
        content_type: Option<&str>,
        text: &str,
    ) -> Option<String> {
        let template = self.route_of(method, path)?;
        let op = self.operation(method, &template);
        let what = format!("{method} {path} ({status})");
        if !(200..300).contains(&status) && status != 304 {
            self.check_error(&what, op, content_type, text);
            return None;
        }
        if let Some((content_type, body)) = request {
            let media = media(content_type);
            let schema = &op["requestBody"]["content"][&media]["schema"];
            assert!(
                schema.is_object(),
                "{what}: the document declares no {media} request body"
            );
            self.validate(&format!("the request of {what}"), schema, body);
        }
        let response = &op["responses"][status.to_string()];
        assert!(
            response.is_object(),
            "{what}: the document declares no response {status}"
        );
        match response.get("content") {
            None => assert!(
                text.is_empty(),
                "{what}: the document declares no body, got {text}"
            ),
            Some(content) => {
                let media = media(content_type.unwrap_or_default());
                let schema = &content[&media]["schema"];
                assert!(
                    schema.is_object(),
                    "{what}: the document declares no {media} response body"
                );
                self.validate(
                    &format!("the response of {what}"),
                    schema,
                    &body_value(&media, text),
                );
            }
        }
        Some(format!("{method} {template}"))
    }
}
