//! Characters a login form must never accept silently: control characters and characters that
//! render as nothing (zero-width, bidi controls, variation selectors, tags, fillers).

/// Why a character was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Forbidden {
    /// A C0/C1 control character, DEL, or NUL.
    Control,
    /// A character that renders as nothing or changes text direction.
    Invisible,
    /// Whitespace inside the value (leading and trailing whitespace is trimmed first).
    Whitespace,
}

impl Forbidden {
    /// The stable reason code for this class.
    pub(crate) fn reason(self) -> &'static str {
        match self {
            Self::Control => "control_character",
            Self::Invisible => "invisible_character",
            Self::Whitespace => "whitespace",
        }
    }
}

/// Classifies a character: `None` when it may appear in an address at all.
pub(crate) fn classify(c: char) -> Option<Forbidden> {
    if c.is_control() {
        Some(Forbidden::Control)
    } else if is_invisible(c) {
        Some(Forbidden::Invisible)
    } else if c.is_whitespace() {
        Some(Forbidden::Whitespace)
    } else {
        None
    }
}

/// Default-ignorable and format characters that display as nothing (UAX #44
/// `Default_Ignorable_Code_Point` plus the bidi controls and Hangul fillers).
fn is_invisible(c: char) -> bool {
    matches!(
        c as u32,
        0x00AD          // soft hyphen
        | 0x034F        // combining grapheme joiner
        | 0x061C        // arabic letter mark
        | 0x115F..=0x1160 // hangul fillers
        | 0x17B4..=0x17B5
        | 0x180B..=0x180F // mongolian free variation selectors, vowel separator
        | 0x200B..=0x200F // zero width space/non-joiner/joiner, LRM, RLM
        | 0x202A..=0x202E // bidi embeddings and overrides
        | 0x2060..=0x206F // word joiner, invisible operators, bidi isolates
        | 0x3164        // hangul filler
        | 0xFE00..=0xFE0F // variation selectors
        | 0xFEFF        // byte order mark
        | 0xFFA0        // halfwidth hangul filler
        | 0xFFF0..=0xFFFB // interlinear annotation and unassigned specials
        | 0x1BCA0..=0x1BCA3 // shorthand format controls
        | 0x1D173..=0x1D17A // musical symbol format controls
        | 0xE0000..=0xE0FFF // tags and variation selectors supplement
    )
}

/// The first forbidden character of `s`, with its character index.
pub(crate) fn first_forbidden(s: &str) -> Option<(usize, char, Forbidden)> {
    s.chars()
        .enumerate()
        .find_map(|(i, c)| classify(c).map(|class| (i, c, class)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_the_hostile_classes() {
        assert_eq!(classify('\0'), Some(Forbidden::Control));
        assert_eq!(classify('\u{7f}'), Some(Forbidden::Control));
        assert_eq!(classify('\u{85}'), Some(Forbidden::Control));
        assert_eq!(classify('\u{200b}'), Some(Forbidden::Invisible));
        assert_eq!(classify('\u{202e}'), Some(Forbidden::Invisible));
        assert_eq!(classify('\u{feff}'), Some(Forbidden::Invisible));
        assert_eq!(classify('\u{e0041}'), Some(Forbidden::Invisible));
        assert_eq!(classify(' '), Some(Forbidden::Whitespace));
        assert_eq!(classify('\u{3000}'), Some(Forbidden::Whitespace));
        assert_eq!(classify('a'), None);
        assert_eq!(classify('ü'), None);
    }

    #[test]
    fn reports_the_first_position() {
        assert_eq!(
            first_forbidden("ab\u{200d}c"),
            Some((2, '\u{200d}', Forbidden::Invisible))
        );
        assert_eq!(first_forbidden("abc"), None);
    }
}
