//! Text that came from outside (a server, a file, a user) made safe to print.

use std::borrow::Cow;

/// Removes what a terminal would interpret rather than print: C0 and C1 control characters,
/// DEL, and the bidirectional overrides that can make a line read differently from what it
/// holds. Tabs and newlines become a single space, so one value always stays on one line.
pub fn sanitize(input: &str) -> Cow<'_, str> {
    if !input.chars().any(needs_cleaning) {
        return Cow::Borrowed(input);
    }
    let mut out = String::with_capacity(input.len());
    for c in input.chars() {
        match c {
            '\t' | '\n' | '\r' => out.push(' '),
            c if needs_cleaning(c) => {}
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

fn needs_cleaning(c: char) -> bool {
    c.is_control() || is_bidi_control(c)
}

fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}')
}

/// Cuts `input` to at most `max` characters, marking the cut with an ellipsis.
pub fn truncate_chars(input: &str, max: usize) -> Cow<'_, str> {
    if input.chars().count() <= max {
        return Cow::Borrowed(input);
    }
    let kept: String = input.chars().take(max.saturating_sub(1)).collect();
    Cow::Owned(kept + "…")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_is_borrowed_untouched() {
        assert!(matches!(sanitize("Polina Kestora"), Cow::Borrowed(_)));
    }

    #[test]
    fn escape_sequences_lose_their_control_bytes() {
        assert_eq!(sanitize("\u{1b}[31mred\u{1b}[0m"), "[31mred[0m");
        assert_eq!(sanitize("a\u{7}b\u{9b}c\u{7f}d"), "abcd");
    }

    #[test]
    fn line_breaks_and_tabs_become_spaces() {
        assert_eq!(sanitize("one\ntwo\tthree\r"), "one two three ");
    }

    #[test]
    fn bidi_overrides_are_removed() {
        assert_eq!(sanitize("abc\u{202E}fed"), "abcfed");
    }

    #[test]
    fn truncation_marks_the_cut() {
        assert_eq!(truncate_chars("abcdef", 4), "abc…");
        assert_eq!(truncate_chars("abc", 4), "abc");
    }
}
