//! Text that came from outside (a server, a file, a user) made safe to print.

use std::borrow::Cow;

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// Removes what a terminal would interpret rather than print: escape sequences whole (so
/// `ESC[31m` leaves no `[31m` behind), other C0 and C1 control characters, DEL, and the
/// bidirectional marks and overrides that can make a line read differently from what it
/// holds. Tabs, line breaks (a run of them is one) and the Unicode line and paragraph
/// separators (which some terminals break the line at) become a single space, so one value
/// always stays on one line.
pub fn sanitize(input: &str) -> Cow<'_, str> {
    if !input.chars().any(needs_cleaning) {
        return Cow::Borrowed(input);
    }
    let mut out = String::with_capacity(input.len());
    let mut chars = input.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' | '\n' => {
                // A run of line breaks is one space: a CRLF, or a paste whose terminal
                // turned each LF into CR, or a blank line, keeps the words apart once.
                while chars.next_if(|c| matches!(c, '\r' | '\n')).is_some() {}
                out.push(' ');
            }
            '\t' | '\u{2028}' | '\u{2029}' => out.push(' '),
            '\u{1b}' => skip_escape_sequence(&mut chars),
            '\u{9b}' => skip_control_sequence(&mut chars),
            '\u{9d}' | '\u{90}' | '\u{98}' | '\u{9e}' | '\u{9f}' => skip_string(&mut chars),
            c if needs_cleaning(c) => {}
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

type Chars<'a> = std::iter::Peekable<std::str::Chars<'a>>;

/// After ESC: a control sequence (`[`), a string (`]` OSC, `P` DCS, `X`, `^`, `_`), or a
/// two-character escape.
fn skip_escape_sequence(chars: &mut Chars<'_>) {
    match chars.peek() {
        Some('[') => {
            chars.next();
            skip_control_sequence(chars);
        }
        Some(']' | 'P' | 'X' | '^' | '_') => {
            chars.next();
            skip_string(chars);
        }
        Some(c) if (' '..='~').contains(c) => {
            chars.next();
        }
        _ => {}
    }
}

/// Parameters and intermediates up to and including the final byte (`@` to `~`).
fn skip_control_sequence(chars: &mut Chars<'_>) {
    for c in chars.by_ref() {
        if ('@'..='~').contains(&c) || !(' '..='?').contains(&c) {
            return;
        }
    }
}

/// Up to the string terminator: BEL, ESC `\\`, or ST.
fn skip_string(chars: &mut Chars<'_>) {
    while let Some(c) = chars.next() {
        match c {
            '\u{7}' | '\u{9c}' => return,
            '\u{1b}' => {
                if chars.peek() == Some(&'\\') {
                    chars.next();
                }
                return;
            }
            _ => {}
        }
    }
}

/// A character the sanitiser removes: a control character, a bidi mark, a line or
/// paragraph separator.
pub fn needs_cleaning(c: char) -> bool {
    c.is_control() || is_bidi_control(c) || matches!(c, '\u{2028}' | '\u{2029}')
}

/// Every character Unicode's bidirectional algorithm treats as a formatting instruction:
/// the Arabic letter mark, the left-to-right and right-to-left marks, the embeddings and
/// overrides, and the isolates.
fn is_bidi_control(c: char) -> bool {
    matches!(
        c,
        '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'
    )
}

/// A thing named by its number and its name, as "ACR000418 · Havier 6", or just the name
/// when it already holds the number (CRM.COM's names often start with it): said once.
pub fn number_and_name(number: &str, name: &str) -> String {
    if name.contains(number) {
        name.to_owned()
    } else {
        format!("{number} · {name}")
    }
}

/// `word` with its first letter in upper case: "deactivated" -> "Deactivated".
pub fn capitalised(word: &str) -> String {
    let mut chars = word.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// Cuts `input` to at most `max` characters, marking the cut with an ellipsis.
pub fn truncate_chars(input: &str, max: usize) -> Cow<'_, str> {
    if input.chars().count() <= max {
        return Cow::Borrowed(input);
    }
    let kept: String = input.chars().take(max.saturating_sub(1)).collect();
    Cow::Owned(kept + "…")
}

/// The most characters of one server value the audit log and the command line's text
/// write: a 10 MB token number is a server's mistake or an attack, and would otherwise make
/// a 10 MB audit line and flood the terminal.
pub const VALUE_LIMIT: usize = 1024;

/// `value` cut to about [`VALUE_LIMIT`] characters, the cut marked with an ellipsis and the
/// full length: `AT000…… (10485760 characters)`.
pub fn bounded(value: &str) -> Cow<'_, str> {
    let Some((cut, _)) = value.char_indices().nth(VALUE_LIMIT) else {
        return Cow::Borrowed(value);
    };
    let count = VALUE_LIMIT + value[cut..].chars().count();
    let kept = value[..cut]
        .char_indices()
        .nth(VALUE_LIMIT - 40)
        .map_or(cut, |(at, _)| at);
    Cow::Owned(format!("{}… ({count} characters)", &value[..kept]))
}

/// JSON for a terminal: serde_json escapes C0 controls in strings; this also escapes the
/// characters it leaves raw (DEL, C1 controls, bidi marks, line and paragraph separators)
/// so the output stays valid JSON that cannot drive the terminal.
pub fn json_for_terminal(data: &serde_json::Value) -> String {
    let pretty = serde_json::to_string_pretty(data).unwrap_or_else(|_| "null".into());
    let mut out = String::with_capacity(pretty.len() + 1);
    for c in pretty.chars() {
        if c != '\n' && needs_cleaning(c) {
            out.push_str(&format!("\\u{:04x}", c as u32));
        } else {
            out.push(c);
        }
    }
    out.push('\n');
    out
}

/// One JSON value on one line, with its newline, escaped for a terminal as
/// [`json_for_terminal`] escapes it: a JSON line a program reads, that cannot drive the
/// terminal it passes through.
pub fn json_line_for_terminal(data: &serde_json::Value) -> String {
    let compact = serde_json::to_string(data).unwrap_or_else(|_| "null".into());
    let mut out = String::with_capacity(compact.len() + 1);
    for c in compact.chars() {
        if needs_cleaning(c) {
            out.push_str(&format!("\\u{:04x}", c as u32));
        } else {
            out.push(c);
        }
    }
    out.push('\n');
    out
}

/// The widest a cell of the command line's tables may be, in terminal columns. A longer
/// value (a server's 65,536-character number, a 900 KB profile label) is cut with an
/// ellipsis before the columns are padded, so one cell cannot push every row off the
/// screen, and no padding width can reach what `format!` refuses (over 65,535 panics).
pub const CELL_WIDTH: usize = 120;

/// A count as the console and the command line write it: `2,000`, `100,000`.
pub fn count(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

/// Rows of cells as plain-text columns under a header, two spaces apart, each column as wide
/// as its widest cell (by display width, each cell first cut to [`CELL_WIDTH`]); trailing
/// spaces trimmed. For the command line's tables.
pub fn columns<const N: usize>(header: [&str; N], rows: &[[String; N]]) -> String {
    let header = header.map(|cell| fit_width(cell, CELL_WIDTH));
    let rows: Vec<[Cow<'_, str>; N]> = rows
        .iter()
        .map(|row| std::array::from_fn(|i| fit_width(&row[i], CELL_WIDTH)))
        .collect();
    let mut widths = [0; N];
    for row in std::iter::once(&header).chain(&rows) {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.width());
        }
    }
    let line = |cells: &[Cow<'_, str>; N]| {
        let mut out = String::new();
        for (index, (cell, width)) in cells.iter().zip(widths).enumerate() {
            if index > 0 {
                out.push_str("  ");
            }
            out.push_str(cell);
            // Padded by hand: a width is never handed to `format!`.
            out.extend(std::iter::repeat_n(' ', width.saturating_sub(cell.width())));
        }
        format!("{}\n", out.trim_end())
    };
    let mut out = line(&header);
    for row in &rows {
        out.push_str(&line(row));
    }
    out
}

/// `text` broken at spaces into lines of at most `width` display columns; a word longer
/// than a line is cut with an ellipsis.
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut current = String::new();
    for word in text.split_whitespace() {
        let word = fit_width(word, width);
        let needed = if current.is_empty() {
            word.width()
        } else {
            current.width() + 1 + word.width()
        };
        if needed > width && !current.is_empty() {
            lines.push(std::mem::take(&mut current));
        }
        if !current.is_empty() {
            current.push(' ');
        }
        current.push_str(&word);
    }
    if !current.is_empty() || lines.is_empty() {
        lines.push(current);
    }
    lines
}

/// `text` cut to `width` display columns, with an ellipsis where it was cut.
pub fn fit_width(text: &str, width: usize) -> Cow<'_, str> {
    if text.width() <= width {
        return Cow::Borrowed(text);
    }
    if width == 0 {
        return Cow::Borrowed("");
    }
    let mut out = String::new();
    let mut used = 0;
    for c in text.chars() {
        let w = c.width().unwrap_or(0);
        if used + w > width - 1 {
            break;
        }
        out.push(c);
        used += w;
    }
    out.push('…');
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    #[test]
    fn counts_are_grouped_by_thousands() {
        let written: Vec<String> = [0, 7, 999, 1000, 2000, 12345, 100_000, 1_234_567]
            .into_iter()
            .map(super::count)
            .collect();
        assert_eq!(
            written,
            [
                "0",
                "7",
                "999",
                "1,000",
                "2,000",
                "12,345",
                "100,000",
                "1,234,567"
            ]
        );
    }

    use super::*;
    use serde_json::{Value, json};

    #[test]
    fn json_output_escapes_what_serde_leaves_raw() {
        let text = json_for_terminal(&json!({"name": "a\u{9b}b\u{202e}c\u{1b}d"}));
        assert!(text.contains(r"a\u009bb\u202ec\u001bd"), "{text}");
        let back: Value = serde_json::from_str(&text).expect("still JSON");
        assert_eq!(back["name"], "a\u{9b}b\u{202e}c\u{1b}d");
    }

    #[test]
    fn plain_text_is_borrowed_untouched() {
        assert!(matches!(sanitize("Polina Kestora"), Cow::Borrowed(_)));
    }

    #[test]
    fn escape_sequences_lose_their_control_bytes() {
        assert_eq!(sanitize("\u{1b}[31mred\u{1b}[0m"), "red");
        assert_eq!(sanitize("\u{1b}[1;38;5;196mbold"), "bold");
        assert_eq!(sanitize("a\u{1b}]0;title\u{7}b"), "ab", "OSC ended by BEL");
        assert_eq!(
            sanitize("a\u{1b}]52;c;ZXZpbA==\u{1b}\\b"),
            "ab",
            "OSC 52 ended by ST"
        );
        assert_eq!(sanitize("a\u{1b}Pq#0\u{1b}\\b"), "ab", "DCS");
        assert_eq!(sanitize("a\u{1b}cb"), "ab", "two-character escape");
        assert_eq!(sanitize("a\u{9b}2Jb"), "ab", "C1 CSI");
        assert_eq!(sanitize("a\u{7}b\u{7f}d"), "abd");
        // Cut-off sequences lose only themselves, never panic.
        assert_eq!(sanitize("ab\u{1b}"), "ab");
        assert_eq!(sanitize("ab\u{1b}[12"), "ab");
        assert_eq!(sanitize("ab\u{1b}]unterminated"), "ab");
    }

    #[test]
    fn line_breaks_and_tabs_become_spaces() {
        assert_eq!(sanitize("one\ntwo\tthree\r"), "one two three ");
        assert_eq!(
            sanitize("one\r\ntwo\r\rthree\n\n\nfour\n\tfive"),
            "one two three four  five",
            "a run of line breaks is one"
        );
    }

    #[test]
    fn bidi_overrides_are_removed() {
        assert_eq!(sanitize("abc\u{202E}fed"), "abcfed");
    }

    #[test]
    fn every_bidi_mark_is_removed() {
        for mark in [
            '\u{061C}', '\u{200E}', '\u{200F}', '\u{202A}', '\u{202B}', '\u{202C}', '\u{202D}',
            '\u{202E}', '\u{2066}', '\u{2067}', '\u{2068}', '\u{2069}',
        ] {
            assert_eq!(
                sanitize(&format!("a{mark}b")),
                "ab",
                "U+{:04X}",
                mark as u32
            );
        }
    }

    #[test]
    fn line_and_paragraph_separators_become_spaces() {
        // A terminal may break the line at either, tearing the screen.
        assert_eq!(sanitize("one\u{2028}two\u{2029}three"), "one two three");
    }

    #[test]
    fn json_output_escapes_separators_and_every_bidi_mark() {
        let text = json_for_terminal(&json!({"n": "a\u{2028}b\u{2029}c\u{061C}d"}));
        assert!(text.contains(r"a\u2028b\u2029c\u061cd"), "{text}");
        let back: Value = serde_json::from_str(&text).expect("still JSON");
        assert_eq!(back["n"], "a\u{2028}b\u{2029}c\u{061C}d");
    }

    #[test]
    fn a_number_is_said_once() {
        assert_eq!(number_and_name("ACR1", "ACR1 Polina"), "ACR1 Polina");
        assert_eq!(number_and_name("ACR1", "Polina"), "ACR1 · Polina");
    }

    #[test]
    fn truncation_marks_the_cut() {
        assert_eq!(truncate_chars("abcdef", 4), "abc…");
        assert_eq!(truncate_chars("abc", 4), "abc");
    }

    #[test]
    fn a_value_past_the_limit_is_cut_with_its_length() {
        let short = "a".repeat(VALUE_LIMIT);
        assert!(matches!(bounded(&short), Cow::Borrowed(_)));
        let long = format!("{}é", "a".repeat(10 * 1024 * 1024));
        let cut = bounded(&long);
        assert!(cut.chars().count() <= VALUE_LIMIT, "{}", cut.len());
        assert!(cut.starts_with("aaaa"), "{cut:.10}");
        assert!(
            cut.ends_with("… (10485761 characters)"),
            "{}",
            &cut[cut.len() - 40..]
        );
        let one_over = "é".repeat(VALUE_LIMIT + 1);
        assert!(bounded(&one_over).ends_with(&format!("… ({} characters)", VALUE_LIMIT + 1)));
    }

    #[test]
    fn columns_align_under_the_widest_cell_and_trim_the_end() {
        let rows = [
            ["AT1".to_owned(), "EFFECTIVE".to_owned()],
            ["AT0000000671".to_owned(), "".to_owned()],
        ];
        assert_eq!(
            columns(["NUMBER", "STATE"], &rows),
            "NUMBER        STATE\nAT1           EFFECTIVE\nAT0000000671\n"
        );
    }

    #[test]
    fn a_cell_wider_than_format_can_pad_is_cut_first() {
        // `{:<w$}` panics for a width over 65,535: the cell is cut before it is padded.
        let huge = "9".repeat(70_000);
        let rows = [[huge.clone(), "EFFECTIVE".to_owned()]];
        let text = columns(["NUMBER", "STATE"], &rows);
        let row = text.lines().nth(1).expect("a row");
        assert_eq!(row, format!("{}…  EFFECTIVE", &huge[..CELL_WIDTH - 1]));
    }

    #[test]
    fn columns_are_as_wide_as_the_terminal_draws_them() {
        let rows = [
            ["名前".to_owned(), "x".to_owned()],
            ["ab".to_owned(), "y".to_owned()],
        ];
        assert_eq!(columns(["N", "V"], &rows), "N     V\n名前  x\nab    y\n");
    }

    #[test]
    fn fitting_cuts_by_display_width() {
        assert_eq!(fit_width("abcdef", 4), "abc…");
        assert_eq!(fit_width("abcd", 4), "abcd");
        assert_eq!(fit_width("名前です", 5), "名前…");
        assert_eq!(fit_width("abc", 0), "");
    }
}

/// Pinned by mutation testing (TESTING.md): where each kind of escape sequence ends, so no
/// remnant of one (`[31m`) is printed and no text after one is eaten.
#[cfg(test)]
mod sequence_end_tests {
    use super::*;

    #[test]
    fn a_control_sequence_is_removed_whole_and_only_itself() {
        assert_eq!(sanitize("a\u{1b}[31mred\u{1b}[0mb"), "aredb");
        assert!(!sanitize("\u{1b}[31mx").contains("[31m"));
        // Intermediate bytes (space to slash) come before the final byte.
        assert_eq!(sanitize("a\u{1b}[1 qb"), "ab", "cursor style: CSI 1 SP q");
        assert_eq!(sanitize("a\u{1b}[?25lb"), "ab", "private parameter");
        assert_eq!(sanitize("a\u{1b}[@b"), "ab", "lowest final byte");
        assert_eq!(sanitize("a\u{1b}[~b"), "ab", "highest final byte");
        assert_eq!(sanitize("a\u{9b}1;2Hb"), "ab", "C1 CSI");
    }

    #[test]
    fn a_control_sequence_broken_by_a_foreign_character_ends_there() {
        // A character that cannot belong to the sequence ends it, so the text after it is
        // kept rather than read as more of the sequence.
        assert_eq!(sanitize("a\u{1b}[12\u{e9}bc"), "abc");
        assert_eq!(sanitize("a\u{1b}[12\u{7f}bc"), "abc");
    }

    #[test]
    fn a_two_character_escape_takes_one_printable_character_only() {
        assert_eq!(sanitize("a\u{1b}7b"), "ab", "save cursor");
        assert_eq!(sanitize("a\u{1b} Fb"), "aFb", "space is the lowest");
        assert_eq!(sanitize("a\u{1b}~b"), "ab", "tilde is the highest");
        // ESC before a character no escape uses removes the ESC and keeps the character.
        assert_eq!(sanitize("a\u{1b}\u{e9}b"), "a\u{e9}b");
        assert_eq!(
            sanitize("a\u{1b}\u{202e}b"),
            "ab",
            "the bidi mark still goes"
        );
        assert_eq!(sanitize("a\u{1b}\nb"), "a b");
    }

    #[test]
    fn strings_end_at_their_terminator_and_keep_what_follows() {
        assert_eq!(
            sanitize("a\u{1b}]8;;http://x\u{1b}\\link\u{1b}]8;;\u{7}b"),
            "alinkb"
        );
        assert_eq!(sanitize("a\u{1b}_app\u{9c}b"), "ab", "APC ended by C1 ST");
        assert_eq!(sanitize("a\u{1b}Xsos\u{7}b"), "ab", "SOS");
        assert_eq!(sanitize("a\u{1b}^pm\u{7}b"), "ab", "PM");
        assert_eq!(sanitize("a\u{9d}0;t\u{7}b"), "ab", "C1 OSC");
        assert_eq!(sanitize("a\u{90}q\u{9c}b"), "ab", "C1 DCS");
        assert_eq!(sanitize("a\u{98}s\u{9c}b"), "ab", "C1 SOS");
        assert_eq!(sanitize("a\u{9e}p\u{9c}b"), "ab", "C1 PM");
        assert_eq!(sanitize("a\u{9f}a\u{9c}b"), "ab", "C1 APC");
        // An ESC that is not ST still ends the string, and what follows it is text.
        assert_eq!(sanitize("a\u{1b}]0;t\u{1b}bc"), "abc");
    }
}
