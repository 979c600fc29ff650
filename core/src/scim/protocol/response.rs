//! Response shaping: ListResponse, `meta`, locations, times and ETags.

use super::percent::encode_segment;
use super::{ResourceKind, LIST_RESPONSE};
use crate::error::{Error, ErrorCode, Result};
use serde_json::{json, Value};

/// A ListResponse (RFC 7644 §3.4.2): `totalResults` is `total` (every match, not just this
/// page), `itemsPerPage` the number of `resources` on this page, `startIndex` as the query
/// gave it ([`ListQuery::start_index`](super::ListQuery::start_index)). `Resources` is always
/// present, empty on an empty page.
pub fn list_response(resources: Vec<Value>, total: usize, start_index: usize) -> Value {
    json!({
        "schemas": [LIST_RESPONSE],
        "totalResults": total,
        "startIndex": start_index,
        "itemsPerPage": resources.len(),
        "Resources": resources,
    })
}

/// The URL of a resource: `base_url` (trailing `/` dropped) + `/Users/` + the id,
/// percent-encoded as a path segment.
pub fn location(base_url: &str, kind: ResourceKind, id: &str) -> String {
    format!(
        "{}{}/{}",
        base_url.trim_end_matches('/'),
        kind.endpoint(),
        encode_segment(id)
    )
}

/// The `meta` of a resource (RFC 7643 §3.1): `resourceType`, `created` and `lastModified`
/// from milliseconds since the Unix epoch (see [`rfc3339_millis`]), `location` (see
/// [`location`]) and `version` as a weak ETag (see [`weak_etag`]). Fails with
/// `invalid_value` for a time outside years 0000 to 9999.
pub fn meta(
    kind: ResourceKind,
    id: &str,
    created_ms: i64,
    last_modified_ms: i64,
    version: &str,
    base_url: &str,
) -> Result<Value> {
    Ok(json!({
        "resourceType": kind.name(),
        "created": rfc3339_millis(created_ms)?,
        "lastModified": rfc3339_millis(last_modified_ms)?,
        "location": location(base_url, kind, id),
        "version": weak_etag(version),
    }))
}

/// Milliseconds since the Unix epoch as an RFC 3339 UTC date-time: `2011-08-01T18:29:49Z`
/// on a whole second, `2011-08-01T18:29:49.123Z` otherwise. Years 0000 to 9999 only; others
/// fail with `invalid_value`.
pub fn rfc3339_millis(ms: i64) -> Result<String> {
    let days = ms.div_euclid(86_400_000);
    let in_day = ms.rem_euclid(86_400_000);
    let (year, month, day) = civil_from_days(days);
    if !(0..=9999).contains(&year) {
        return Err(Error::new(
            ErrorCode::InvalidValue,
            format!("{ms} ms since the epoch is outside years 0000 to 9999"),
        ));
    }
    let (secs, millis) = (in_day / 1000, in_day % 1000);
    let (hour, minute, second) = (secs / 3600, secs / 60 % 60, secs % 60);
    let fraction = if millis == 0 {
        String::new()
    } else {
        format!(".{millis:03}")
    };
    Ok(format!(
        "{year:04}-{month:02}-{day:02}T{hour:02}:{minute:02}:{second:02}{fraction}Z"
    ))
}

/// The proleptic Gregorian date of a day count since 1970-01-01 (Howard Hinnant's algorithm).
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// A version as a weak entity tag, `W/"<version>"`. The version is the host's opaque value
/// (a counter, a hash) and should hold no `"`, space or control character.
pub fn weak_etag(version: &str) -> String {
    format!("W/\"{version}\"")
}

/// True when an `If-Match` or `If-None-Match` header value names `version`: `*`, or a
/// comma-separated list of entity tags one of which has `version` as its opaque value, weak
/// (`W/"3"`) or strong (`"3"`) alike (weak comparison, RFC 9110 §8.8.3.2). An unquoted element
/// is compared as a bare version, leniently. `version` is the bare value [`weak_etag`] wraps.
pub fn etag_matches(header: &str, version: &str) -> bool {
    let mut rest = header.trim();
    if rest == "*" {
        return true;
    }
    loop {
        rest = rest.trim_start_matches(|c: char| c == ',' || c.is_ascii_whitespace());
        if rest.is_empty() {
            return false;
        }
        let tag = rest.strip_prefix("W/").unwrap_or(rest);
        let (opaque, after) = match tag.strip_prefix('"') {
            Some(quoted) => match quoted.split_once('"') {
                Some((opaque, after)) => (opaque, after),
                None => (quoted, ""),
            },
            None => match tag.split_once(',') {
                Some((bare, after)) => (bare.trim(), after),
                None => (tag.trim(), ""),
            },
        };
        if opaque == version || opaque == "*" {
            return true;
        }
        rest = after;
    }
}

/// Checks an `If-Match` header against the current version of the resource addressed: no
/// header, or one that [`etag_matches`], passes; otherwise `precondition_failed` (412).
pub fn check_if_match(if_match: Option<&str>, version: &str) -> Result<()> {
    match if_match {
        Some(header) if !etag_matches(header, version) => Err(Error::new(
            ErrorCode::PreconditionFailed,
            format!(
                "If-Match `{header}` does not match the current version {}",
                weak_etag(version)
            ),
        )),
        _ => Ok(()),
    }
}
