//! Percent-decoding of paths and queries, percent-encoding of path segments.

/// Decodes `%XX` escapes (and, in a query, `+` as a space). `None` when an escape is malformed
/// or the bytes are not UTF-8.
pub(super) fn decode(input: &str, plus_is_space: bool) -> Option<String> {
    let mut bytes = Vec::with_capacity(input.len());
    let mut rest = input.bytes();
    while let Some(byte) = rest.next() {
        match byte {
            b'%' => {
                let high = hex(rest.next()?)?;
                let low = hex(rest.next()?)?;
                bytes.push((high << 4) | low);
            }
            b'+' if plus_is_space => bytes.push(b' '),
            other => bytes.push(other),
        }
    }
    String::from_utf8(bytes).ok()
}

fn hex(byte: u8) -> Option<u8> {
    match byte {
        b'0'..=b'9' => Some(byte - b'0'),
        b'a'..=b'f' => Some(byte - b'a' + 10),
        b'A'..=b'F' => Some(byte - b'A' + 10),
        _ => None,
    }
}

/// Encodes a path segment: every byte but RFC 3986 unreserved characters, `:` and `@` becomes
/// `%XX`, so an id holding `/`, `?`, `#`, `%` or a space stays one segment.
pub(super) fn encode_segment(segment: &str) -> String {
    let mut out = String::with_capacity(segment.len());
    for byte in segment.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~:@".contains(&byte) {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}
