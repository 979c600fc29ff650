//! Reading directory and change documents from JSON, reporting every problem with its path:
//! each record is decoded on its own, so one malformed record does not hide the others.

use crate::directory::batch::{Batch, Mode};
use crate::directory::change::{Change, ChangeSet};
use crate::directory::problems::Problems;
use crate::directory::records::{DirectoryDoc, Membership, Organization, User, SCHEMA_VERSION};
use crate::directory::snapshot::Directory;
use crate::error::{join_path, Error, ErrorCode, Result};
use serde::de::DeserializeOwned;
use serde_json::Value;

/// Decodes one record, recording a problem (with the path inside the record) on failure.
fn decode<T: DeserializeOwned>(problems: &mut Problems, path: &str, value: Value) -> Option<T> {
    match serde_path_to_error::deserialize::<_, T>(value) {
        Ok(record) => Some(record),
        Err(error) => {
            let inner = error.path().to_string();
            let inner = if inner == "." { String::new() } else { inner };
            problems.push(
                path,
                &inner,
                ErrorCode::InvalidInput,
                Some("malformed"),
                error.into_inner().to_string(),
            );
            None
        }
    }
}

/// Takes the document object apart: checks the schema version and the allowed keys.
fn document_fields(
    value: Value,
    what: &str,
    allowed: &[&str],
    problems: &mut Problems,
) -> Result<serde_json::Map<String, Value>> {
    let Value::Object(mut fields) = value else {
        return Err(Error::new(
            ErrorCode::InvalidInput,
            format!("a {what} document must be a JSON object"),
        ));
    };
    match fields.remove("schema_version") {
        Some(Value::Number(n)) if n.as_u64() == Some(u64::from(SCHEMA_VERSION)) => {}
        Some(other) => {
            return Err(Error::new(
                ErrorCode::UnsupportedSchemaVersion,
                format!("{what} schema_version {other} is not supported; this engine reads version {SCHEMA_VERSION}"),
            )
            .at("schema_version"))
        }
        None => {
            return Err(Error::new(ErrorCode::InvalidInput, format!("a {what} document needs `schema_version: {SCHEMA_VERSION}`")).at("schema_version"))
        }
    }
    for key in fields.keys() {
        if !allowed.contains(&key.as_str()) {
            problems.push(
                "",
                key,
                ErrorCode::InvalidInput,
                Some("unknown_field"),
                format!("unknown field `{key}`; expected one of {allowed:?}"),
            );
        }
    }
    Ok(fields)
}

/// The array at `key`, each element with its path; a non-array is a problem.
fn array_items(
    fields: &mut serde_json::Map<String, Value>,
    key: &str,
    problems: &mut Problems,
) -> Vec<(String, Value)> {
    match fields.remove(key) {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(items)) => items
            .into_iter()
            .enumerate()
            .map(|(i, v)| (format!("{key}[{i}]"), v))
            .collect(),
        Some(_) => {
            problems.push(
                "",
                key,
                ErrorCode::InvalidInput,
                Some("malformed"),
                format!("`{key}` must be an array"),
            );
            Vec::new()
        }
    }
}

/// Loads a directory document (as JSON) onto an empty directory with the given settings.
pub(crate) fn load_value(empty: Directory, value: Value) -> Result<Directory> {
    let mut batch = Batch::new(empty, Mode::Load);
    let mut fields = document_fields(
        value,
        "directory",
        &["orgs", "users", "memberships"],
        &mut batch.problems,
    )?;
    for (path, item) in array_items(&mut fields, "orgs", &mut batch.problems) {
        if let Some(org) = decode::<Organization>(&mut batch.problems, &path, item) {
            batch.upsert_org(&org, &path);
        }
    }
    for (path, item) in array_items(&mut fields, "users", &mut batch.problems) {
        if let Some(user) = decode::<User>(&mut batch.problems, &path, item) {
            batch.upsert_user(&user, &path);
        }
    }
    for (path, item) in array_items(&mut fields, "memberships", &mut batch.problems) {
        if let Some(membership) = decode::<Membership>(&mut batch.problems, &path, item) {
            batch.upsert_membership(&membership, &path);
        }
    }
    batch
        .finish()
        .map_err(|p| p.into_error(ErrorCode::InvalidDirectory, "the directory"))
}

/// Loads a typed directory document onto an empty directory with the given settings.
pub(crate) fn load_doc(empty: Directory, doc: &DirectoryDoc) -> Result<Directory> {
    if doc.schema_version != SCHEMA_VERSION {
        return Err(Error::new(
            ErrorCode::UnsupportedSchemaVersion,
            format!("directory schema_version {} is not supported; this engine reads version {SCHEMA_VERSION}", doc.schema_version),
        )
        .at("schema_version"));
    }
    let mut batch = Batch::new(empty, Mode::Load);
    for (i, org) in doc.orgs.iter().enumerate() {
        batch.upsert_org(org, &format!("orgs[{i}]"));
    }
    for (i, user) in doc.users.iter().enumerate() {
        batch.upsert_user(user, &format!("users[{i}]"));
    }
    for (i, membership) in doc.memberships.iter().enumerate() {
        batch.upsert_membership(membership, &format!("memberships[{i}]"));
    }
    batch
        .finish()
        .map_err(|p| p.into_error(ErrorCode::InvalidDirectory, "the directory"))
}

/// Applies typed changes to a snapshot, all or nothing.
pub(crate) fn apply_changes(dir: &Directory, changes: &[Change]) -> Result<Directory> {
    let mut batch = Batch::new(dir.clone(), Mode::Change);
    for (i, change) in changes.iter().enumerate() {
        batch.apply(change, &format!("changes[{i}]"));
    }
    batch
        .finish()
        .map_err(|p| p.into_error(ErrorCode::InvalidChange, "the change set"))
}

/// Applies a change-set document (as JSON) to a snapshot, all or nothing.
pub(crate) fn apply_value(dir: &Directory, value: Value) -> Result<Directory> {
    let changes = decode_changes(dir, value)?;
    apply_decoded(dir, &changes)
}

/// The changes of a change-set document, each with its path; every problem reported.
pub(crate) fn decode_changes(dir: &Directory, value: Value) -> Result<Vec<(String, Change)>> {
    let mut problems = Problems::new(dir.limits.max_problems);
    let mut fields = document_fields(value, "change set", &["changes"], &mut problems)?;
    let mut changes = Vec::new();
    for (path, item) in array_items(&mut fields, "changes", &mut problems) {
        if let Some(change) = decode::<Change>(&mut problems, &path, item) {
            changes.push((path, change));
        }
    }
    if !problems.is_empty() {
        return Err(problems.into_error(ErrorCode::InvalidChange, "the change set"));
    }
    Ok(changes)
}

/// Applies decoded changes, all or nothing.
pub(crate) fn apply_decoded(dir: &Directory, changes: &[(String, Change)]) -> Result<Directory> {
    let mut batch = Batch::new(dir.clone(), Mode::Change);
    for (path, change) in changes {
        batch.apply(change, path);
    }
    batch
        .finish()
        .map_err(|p| p.into_error(ErrorCode::InvalidChange, "the change set"))
}

/// Typed form of [`apply_value`] for a [`ChangeSet`].
pub(crate) fn apply_set(dir: &Directory, set: &ChangeSet) -> Result<Directory> {
    if set.schema_version != SCHEMA_VERSION {
        return Err(Error::new(
            ErrorCode::UnsupportedSchemaVersion,
            format!("change set schema_version {} is not supported; this engine reads version {SCHEMA_VERSION}", set.schema_version),
        )
        .at(join_path("", "schema_version")));
    }
    apply_changes(dir, &set.changes)
}
