//! PATCH paths (RFC 7644 §3.5.2, Figure 4): `attrPath` or `valuePath [ "." subAttr ]`, parsed
//! with the filter language's own lexer and rules.

use crate::error::{Error, ErrorCode, Result};
use crate::limits::Limits;
use crate::scim::filter::{parse, parse_attr_path, AttrPath, Filter};
use std::fmt;

/// A parsed PATCH path: `name.givenName`, `members[value eq "2819c223"]`,
/// `emails[type eq "work"].value`,
/// `urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PatchPath {
    /// The schema, attribute and sub-attribute addressed. For a value path the sub-attribute is
    /// the one after the brackets (`value` in `emails[type eq "work"].value`).
    pub attr: AttrPath,
    /// The value filter between the brackets, selecting elements of a multi-valued attribute.
    pub filter: Option<Filter>,
}

impl PatchPath {
    /// The path of one attribute, without filter.
    pub fn attribute(attr: AttrPath) -> Self {
        Self { attr, filter: None }
    }
}

impl fmt::Display for PatchPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Some(filter) = &self.filter else {
            return self.attr.fmt(f);
        };
        if let Some(schema) = &self.attr.schema {
            write!(f, "{schema}:")?;
        }
        write!(f, "{}[{filter}]", self.attr.attr)?;
        if let Some(sub) = &self.attr.sub_attr {
            write!(f, ".{sub}")?;
        }
        Ok(())
    }
}

/// An `invalid_path` error with a reason.
fn invalid(reason: &str, message: impl Into<String>) -> Error {
    Error::new(ErrorCode::InvalidPath, message).because(reason)
}

/// Parses a PATCH path. Attribute names are matched case-insensitively later; the schema of a
/// qualified name is everything before its last `:` (so the `2.0` of a URN is no separator).
/// A path is at most [`Limits::max_filter_bytes`] long and its filter nests at most
/// [`Limits::max_filter_depth`] levels. Every failure is `invalid_path`, with reason
/// `too_long`, `empty`, `invalid_attribute`, `invalid_filter` (the filter's own message kept),
/// `unclosed_bracket` or `trailing_text`.
pub fn parse_path(text: &str, limits: &Limits) -> Result<PatchPath> {
    if text.len() > limits.max_filter_bytes {
        return Err(invalid(
            "too_long",
            format!(
                "path is {} bytes; the limit is {}",
                text.len(),
                limits.max_filter_bytes
            ),
        ));
    }
    if text.is_empty() {
        return Err(invalid("empty", "path is empty"));
    }
    let Some(open) = text.find('[') else {
        let attr = parse_attr_path(text)
            .map_err(|why| invalid("invalid_attribute", format!("`{text}`: {why}")))?;
        return Ok(PatchPath::attribute(attr));
    };
    let close = text
        .rfind(']')
        .filter(|&close| close > open)
        .ok_or_else(|| {
            invalid(
                "unclosed_bracket",
                format!("`[` at byte {open} is never closed"),
            )
        })?;
    let (value_path, rest) = text.split_at(close + 1);
    let sub_attr = match rest {
        "" => None,
        _ => Some(rest.strip_prefix('.').ok_or_else(|| {
            invalid(
                "trailing_text",
                format!("expected `.subAttr` or the end after `]` at byte {close}"),
            )
        })?),
    };
    let parsed = parse(value_path, limits)
        .map_err(|e| invalid("invalid_filter", format!("`{text}`: {}", e.message)))?;
    let Filter::ValuePath { path, filter } = parsed else {
        return Err(invalid(
            "invalid_filter",
            format!("`{text}` is not one `attribute[filter]` value path"),
        ));
    };
    if path.sub_attr.is_some() {
        return Err(invalid(
            "invalid_attribute",
            format!("`{text}`: a value filter applies to an attribute, not a sub-attribute"),
        ));
    }
    let attr = match sub_attr {
        None => path,
        Some(sub) => {
            // Checked with the filter's rules, as `attr.sub` would be.
            let checked = parse_attr_path(&format!("{}.{sub}", path.attr))
                .map_err(|why| invalid("invalid_attribute", format!("`{text}`: {why}")))?;
            AttrPath {
                sub_attr: checked.sub_attr,
                ..path
            }
        }
    };
    Ok(PatchPath {
        attr,
        filter: Some(*filter),
    })
}
