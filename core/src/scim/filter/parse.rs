//! The filter parser: a lexer into tokens, then recursive descent with one function per
//! precedence level. Nesting is checked against the depth limit before each descent.

use super::{invalid, AttrPath, CompValue, CompareOp, Filter, Operands, DEPTH_CEILING};
use crate::error::{Error, Result};
use crate::limits::Limits;
use std::iter::Peekable;
use std::vec::IntoIter;

/// Parses a SCIM filter; see the module docs for the grammar and every error reason.
pub fn parse(filter: &str, limits: &Limits) -> Result<Filter> {
    if filter.len() > limits.max_filter_bytes {
        return Err(invalid(
            "too_long",
            format!(
                "filter is {} bytes; the limit is {}",
                filter.len(),
                limits.max_filter_bytes
            ),
        ));
    }
    let tokens = lex(filter)?;
    if tokens.is_empty() {
        return Err(invalid("empty", "filter is empty"));
    }
    let mut parser = Parser {
        tokens: tokens.into_iter().peekable(),
        max_depth: limits.max_filter_depth.min(DEPTH_CEILING),
        end: filter.len(),
    };
    let parsed = parser.or(0, false)?;
    match parser.tokens.next() {
        None => Ok(parsed),
        Some(token) => Err(match token.tok {
            Tok::Close => unexpected(&token, "no `(` is open"),
            Tok::CloseBracket => unexpected(&token, "no `[` is open"),
            _ => unexpected(&token, "expected `and`, `or` or the end of the filter"),
        }),
    }
}

#[derive(Debug, PartialEq)]
enum Tok<'a> {
    Open,
    Close,
    OpenBracket,
    CloseBracket,
    Word(&'a str),
    Str(String),
}

struct Token<'a> {
    tok: Tok<'a>,
    /// Byte offset of the token's first character.
    at: usize,
}

fn is_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\r' | '\n')
}

fn ends_word(c: char) -> bool {
    is_space(c) || matches!(c, '(' | ')' | '[' | ']' | '"')
}

fn lex(input: &str) -> Result<Vec<Token<'_>>> {
    let mut tokens = Vec::new();
    let mut chars = input.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        let tok = match c {
            c if is_space(c) => continue,
            '(' => Tok::Open,
            ')' => Tok::Close,
            '[' => Tok::OpenBracket,
            ']' => Tok::CloseBracket,
            '"' => {
                let (text, end) = lex_string(input, at)?;
                while chars.next_if(|&(i, _)| i < end).is_some() {}
                if let Some(&(i, c)) = chars.peek() {
                    if !is_space(c) && c != ')' && c != ']' {
                        return Err(invalid(
                            "unexpected_token",
                            format!("expected a space after the string, found `{c}` at byte {i}"),
                        ));
                    }
                }
                Tok::Str(text)
            }
            _ => {
                let mut end = input.len();
                while let Some(&(i, c)) = chars.peek() {
                    if ends_word(c) {
                        end = i;
                        if c == '"' {
                            return Err(invalid(
                                "unexpected_token",
                                format!("expected a space before the string at byte {i}"),
                            ));
                        }
                        break;
                    }
                    chars.next();
                }
                // Words start and end at ASCII delimiters or the ends, always char boundaries.
                Tok::Word(input.get(at..end).unwrap_or_default())
            }
        };
        tokens.push(Token { tok, at });
    }
    Ok(tokens)
}

/// Reads the JSON string whose opening quote is at `start`; returns its text and the offset
/// just past the closing quote.
fn lex_string(input: &str, start: usize) -> Result<(String, usize)> {
    let body = start + 1;
    let mut chars = input.get(body..).unwrap_or_default().char_indices();
    let mut text = String::new();
    let unterminated = || {
        invalid(
            "unterminated_string",
            format!("the string opened at byte {start} is never closed"),
        )
    };
    while let Some((i, c)) = chars.next() {
        let at = body + i;
        match c {
            '"' => return Ok((text, at + 1)),
            '\\' => {
                let (_, escape) = chars.next().ok_or_else(unterminated)?;
                let decoded = match escape {
                    '"' | '\\' | '/' => escape,
                    'b' => '\u{8}',
                    'f' => '\u{c}',
                    'n' => '\n',
                    'r' => '\r',
                    't' => '\t',
                    'u' => unicode_escape(&mut chars, at)
                        .map_err(|e| e.unwrap_or_else(unterminated))?,
                    other => {
                        return Err(invalid(
                            "invalid_escape",
                            format!("`\\{other}` at byte {at} is not a JSON escape"),
                        ))
                    }
                };
                text.push(decoded);
            }
            c if c < ' ' => {
                return Err(invalid(
                    "control_character",
                    format!(
                        "control character U+{:04X} at byte {at} must be escaped",
                        u32::from(c)
                    ),
                ))
            }
            c => text.push(c),
        }
    }
    Err(unterminated())
}

/// Decodes the rest of a `\u` escape at `at` (a surrogate pair takes two escapes). `Err(None)`
/// means the input ended.
fn unicode_escape(
    chars: &mut std::str::CharIndices<'_>,
    at: usize,
) -> std::result::Result<char, Option<Error>> {
    let bad = |what: &str| Some(invalid("invalid_escape", format!("{what} at byte {at}")));
    let high = hex4(chars)
        .ok_or(None)?
        .ok_or_else(|| bad("`\\u` needs four hex digits"))?;
    let code = match high {
        0xD800..=0xDBFF => {
            for expected in ['\\', 'u'] {
                let (_, c) = chars.next().ok_or(None)?;
                if c != expected {
                    return Err(bad(
                        "a high surrogate must be followed by a `\\u` low surrogate",
                    ));
                }
            }
            let low = hex4(chars)
                .ok_or(None)?
                .ok_or_else(|| bad("`\\u` needs four hex digits"))?;
            if !(0xDC00..=0xDFFF).contains(&low) {
                return Err(bad("a high surrogate must be followed by a low surrogate"));
            }
            0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00)
        }
        0xDC00..=0xDFFF => return Err(bad("a low surrogate without a high one")),
        other => other,
    };
    char::from_u32(code).ok_or_else(|| bad("not a Unicode scalar value"))
}

/// Four hex digits: `None` if the input ends, `Some(None)` if one is not a hex digit.
fn hex4(chars: &mut std::str::CharIndices<'_>) -> Option<Option<u32>> {
    let mut value = 0;
    for _ in 0..4 {
        let (_, c) = chars.next()?;
        match c.to_digit(16) {
            Some(digit) => value = value * 16 + digit,
            None => return Some(None),
        }
    }
    Some(Some(value))
}

struct Parser<'a> {
    tokens: Peekable<IntoIter<Token<'a>>>,
    max_depth: usize,
    /// Length of the input, the offset reported when it ends too soon.
    end: usize,
}

/// How a token is named in messages (long words are shortened).
fn describe(tok: &Tok<'_>) -> String {
    match tok {
        Tok::Open => "`(`".into(),
        Tok::Close => "`)`".into(),
        Tok::OpenBracket => "`[`".into(),
        Tok::CloseBracket => "`]`".into(),
        Tok::Str(_) => "a string".into(),
        Tok::Word(word) => {
            let short: String = word.chars().take(40).collect();
            if short.len() < word.len() {
                format!("`{short}…`")
            } else {
                format!("`{short}`")
            }
        }
    }
}

fn unexpected(token: &Token<'_>, expected: &str) -> Error {
    invalid(
        "unexpected_token",
        format!(
            "unexpected {} at byte {}: {expected}",
            describe(&token.tok),
            token.at
        ),
    )
}

fn is_keyword(token: Option<&Token<'_>>, keyword: &str) -> bool {
    matches!(token, Some(Token { tok: Tok::Word(word), .. }) if word.eq_ignore_ascii_case(keyword))
}

impl<'a> Parser<'a> {
    fn ended(&self, reason: &str, expected: &str) -> Error {
        invalid(
            reason,
            format!("the filter ends at byte {}: {expected}", self.end),
        )
    }

    /// Refuses to open a level below `depth` when that would pass the limit.
    fn enter(&self, depth: usize, at: usize) -> Result<()> {
        if depth >= self.max_depth {
            return Err(invalid(
                "too_deep",
                format!(
                    "nesting at byte {at} is deeper than the limit of {} levels",
                    self.max_depth
                ),
            ));
        }
        Ok(())
    }

    /// Consumes the token closing the group opened at `open_at`.
    fn close(&mut self, closing: Tok<'static>, open_at: usize) -> Result<()> {
        let (open, close) = if closing == Tok::Close {
            ("(", ")")
        } else {
            ("[", "]")
        };
        match self.tokens.next() {
            Some(token) if token.tok == closing => Ok(()),
            Some(token) => Err(unexpected(
                &token,
                &format!("expected `{close}` to close the `{open}` at byte {open_at}"),
            )),
            None => Err(self.ended(
                "unexpected_end",
                &format!("the `{open}` at byte {open_at} is never closed"),
            )),
        }
    }

    /// `or` chains of `and` chains.
    fn or(&mut self, depth: usize, in_value_path: bool) -> Result<Filter> {
        self.chain("or", Self::and, Filter::Or, depth, in_value_path)
    }

    /// `and` chains of unary filters.
    fn and(&mut self, depth: usize, in_value_path: bool) -> Result<Filter> {
        self.chain("and", Self::unary, Filter::And, depth, in_value_path)
    }

    fn chain(
        &mut self,
        keyword: &str,
        operand: fn(&mut Self, usize, bool) -> Result<Filter>,
        wrap: fn(Operands) -> Filter,
        depth: usize,
        in_value_path: bool,
    ) -> Result<Filter> {
        let first = operand(self, depth, in_value_path)?;
        if !is_keyword(self.tokens.peek(), keyword) {
            return Ok(first);
        }
        self.tokens.next();
        let mut operands = Operands::new(first, operand(self, depth, in_value_path)?);
        while is_keyword(self.tokens.peek(), keyword) {
            self.tokens.next();
            operands.push(operand(self, depth, in_value_path)?);
        }
        Ok(wrap(operands))
    }

    /// `not ( … )`, `( … )` or an attribute expression.
    fn unary(&mut self, depth: usize, in_value_path: bool) -> Result<Filter> {
        const EXPECTED: &str = "expected an attribute path, `(` or `not`";
        let Some(token) = self.tokens.next() else {
            return Err(self.ended("unexpected_end", EXPECTED));
        };
        match token.tok {
            Tok::Word(word) if word.eq_ignore_ascii_case("not") => {
                let open_at = match self.tokens.next() {
                    Some(Token { tok: Tok::Open, at }) => at,
                    Some(other) => return Err(unexpected(&other, "expected `(` after `not`")),
                    None => return Err(self.ended("unexpected_end", "expected `(` after `not`")),
                };
                self.enter(depth, open_at)?;
                let inner = self.or(depth + 1, in_value_path)?;
                self.close(Tok::Close, open_at)?;
                Ok(Filter::Not(Box::new(inner)))
            }
            Tok::Open => {
                self.enter(depth, token.at)?;
                let inner = self.or(depth + 1, in_value_path)?;
                self.close(Tok::Close, token.at)?;
                Ok(inner)
            }
            Tok::Word(word) if KEYWORDS.iter().any(|k| word.eq_ignore_ascii_case(k)) => {
                Err(unexpected(&token, EXPECTED))
            }
            Tok::Word(word) => self.attribute_expression(word, token.at, depth, in_value_path),
            _ => Err(unexpected(&token, EXPECTED)),
        }
    }

    /// `path pr`, `path op value` or `path[filter]`.
    fn attribute_expression(
        &mut self,
        word: &str,
        at: usize,
        depth: usize,
        in_value_path: bool,
    ) -> Result<Filter> {
        let path = attr_path(word, at)?;
        let missing_operator = |found: &str| {
            invalid(
                "missing_operator",
                format!("expected an operator after `{path}` (byte {at}), found {found}"),
            )
        };
        let Some(token) = self.tokens.next() else {
            return Err(missing_operator("the end of the filter"));
        };
        match token.tok {
            Tok::OpenBracket if in_value_path => Err(invalid(
                "nested_value_path",
                format!(
                    "value path at byte {} is inside another value path",
                    token.at
                ),
            )),
            Tok::OpenBracket => {
                self.enter(depth, token.at)?;
                let inner = self.or(depth + 1, true)?;
                self.close(Tok::CloseBracket, token.at)?;
                if let Some(Token {
                    tok: Tok::Word(next),
                    at,
                }) = self.tokens.peek()
                {
                    if next.starts_with('.') {
                        return Err(invalid(
                            "value_path_sub_attribute",
                            format!(
                                "`{path}[…]{next}` at byte {at} is a PATCH path, not a filter; \
                                 test the sub-attribute inside the brackets instead"
                            ),
                        ));
                    }
                }
                Ok(Filter::ValuePath {
                    path,
                    filter: Box::new(inner),
                })
            }
            Tok::Word(op) if op.eq_ignore_ascii_case("pr") => Ok(Filter::Present { path }),
            Tok::Word(op) => {
                let Some(compare) = CompareOp::ALL
                    .into_iter()
                    .find(|known| known.as_str().eq_ignore_ascii_case(op))
                else {
                    return Err(invalid(
                        "unknown_operator",
                        format!(
                            "{} at byte {} is not an operator (eq ne co sw ew gt lt ge le pr)",
                            describe(&token.tok),
                            token.at
                        ),
                    ));
                };
                let value = self.value(compare, token.at)?;
                Ok(Filter::Compare {
                    path,
                    op: compare,
                    value,
                })
            }
            other => Err(missing_operator(&describe(&other))),
        }
    }

    /// The literal after the operator `op` at `op_at`.
    fn value(&mut self, op: CompareOp, op_at: usize) -> Result<CompValue> {
        let missing = || {
            invalid(
                "missing_value",
                format!("expected a value after `{}` at byte {op_at}", op.as_str()),
            )
        };
        let Some(token) = self.tokens.next() else {
            return Err(missing());
        };
        let word = match token.tok {
            Tok::Str(text) => return Ok(CompValue::String(text)),
            Tok::Close | Tok::CloseBracket => return Err(missing()),
            Tok::Word(word)
                if word.eq_ignore_ascii_case("and") || word.eq_ignore_ascii_case("or") =>
            {
                return Err(missing())
            }
            Tok::Word(word) => word,
            other => {
                return Err(invalid(
                    "invalid_value",
                    format!("{} at byte {} is not a value", describe(&other), token.at),
                ))
            }
        };
        if word.eq_ignore_ascii_case("true") {
            Ok(CompValue::Bool(true))
        } else if word.eq_ignore_ascii_case("false") {
            Ok(CompValue::Bool(false))
        } else if word.eq_ignore_ascii_case("null") {
            Ok(CompValue::Null)
        } else if word.starts_with(|c: char| c == '-' || c.is_ascii_digit()) {
            json_number(word).map(CompValue::Number).ok_or_else(|| {
                invalid(
                    "invalid_number",
                    format!(
                        "{} at byte {} is not a JSON number in range",
                        describe(&Tok::Word(word)),
                        token.at
                    ),
                )
            })
        } else {
            Err(invalid(
                "invalid_value",
                format!(
                    "{} at byte {} is not a value: strings are double-quoted; \
                     other values are numbers, true, false or null",
                    describe(&Tok::Word(word)),
                    token.at
                ),
            ))
        }
    }
}

/// A JSON number (RFC 8259 grammar): an integer when it has neither fraction nor exponent and
/// fits 64 bits, else the nearest finite `f64` (Rust's parser rounds correctly, so printed
/// numbers read back the same).
fn json_number(word: &str) -> Option<serde_json::Number> {
    let unsigned = word.strip_prefix('-').unwrap_or(word);
    let (mantissa, exponent) = match unsigned.split_once(['e', 'E']) {
        Some((mantissa, exponent)) => (mantissa, Some(exponent)),
        None => (unsigned, None),
    };
    let (int, fraction) = match mantissa.split_once('.') {
        Some((int, fraction)) => (int, Some(fraction)),
        None => (mantissa, None),
    };
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let valid = digits(int)
        && (int == "0" || !int.starts_with('0'))
        && fraction.is_none_or(digits)
        && exponent.is_none_or(|e| digits(e.strip_prefix(['+', '-']).unwrap_or(e)));
    if !valid {
        return None;
    }
    if fraction.is_none() && exponent.is_none() {
        let integer = if word.starts_with('-') {
            word.parse::<i64>().ok().map(serde_json::Number::from)
        } else {
            word.parse::<u64>().ok().map(serde_json::Number::from)
        };
        if integer.is_some() {
            return integer;
        }
    }
    serde_json::Number::from_f64(word.parse().ok()?)
}

/// Splits a word into an attribute path: the schema is everything before the last `:`.
fn attr_path(word: &str, at: usize) -> Result<AttrPath> {
    parse_attr_path(word).map_err(|why| {
        invalid(
            "invalid_attribute",
            format!(
                "{} at byte {at} is not an attribute path: {why}",
                describe(&Tok::Word(word))
            ),
        )
    })
}

/// Reads one attribute path on its own (`name.givenName`, `urn:…:User:employeeNumber`), as the
/// filter grammar spells it: the schema is everything before the last `:`. Says why not.
pub(crate) fn parse_attr_path(word: &str) -> std::result::Result<AttrPath, String> {
    let (schema, rest) = match word.rsplit_once(':') {
        Some((schema, rest)) => (Some(schema.to_string()), rest),
        None => (None, word),
    };
    let (attr, sub_attr) = match rest.split_once('.') {
        Some((attr, sub)) => (attr, Some(sub.to_string())),
        None => (rest, None),
    };
    let path = AttrPath {
        schema,
        attr: attr.to_string(),
        sub_attr,
    };
    check_attr_path(&path)?;
    Ok(path)
}

/// An attribute name: a letter then letters, digits, `-` or `_` (RFC 7644 ATTRNAME), or `$ref`.
fn is_name(name: &str) -> bool {
    let mut chars = name.chars();
    name.eq_ignore_ascii_case("$ref")
        || (chars.next().is_some_and(|c| c.is_ascii_alphabetic())
            && chars.all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'))
}

/// The words that cannot stand alone as an attribute name.
const KEYWORDS: [&str; 3] = ["not", "and", "or"];

/// Checks that a path prints as a filter that reads back the same; says why not.
pub(super) fn check_attr_path(path: &AttrPath) -> std::result::Result<(), String> {
    if let Some(schema) = &path.schema {
        if schema.is_empty() || schema.chars().any(|c| ends_word(c) || c.is_control()) {
            return Err("the schema URI is empty or holds a space, quote or bracket".into());
        }
    } else if path.sub_attr.is_none() && KEYWORDS.iter().any(|k| path.attr.eq_ignore_ascii_case(k))
    {
        return Err(format!("`{}` alone is a keyword", path.attr));
    }
    if !is_name(&path.attr) {
        return Err(format!(
            "`{}` is not an attribute name (a letter, then letters, digits, `-` or `_`)",
            path.attr
        ));
    }
    match &path.sub_attr {
        Some(sub) if !is_name(sub) => Err(format!(
            "`{sub}` is not a sub-attribute name (one `.` at most, then a letter, letters, \
             digits, `-` or `_`)"
        )),
        _ => Ok(()),
    }
}
