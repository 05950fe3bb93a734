//! `tokendesk list`: an owner's tokens on standard output as each page arrives, as text
//! rows, JSON lines (`--jsonl`) or one JSON array written as it grows (`--json`). One page
//! is held at a time, and a row is what is printed of it, never the whole answer; the list
//! stops after `--limit` tokens, or at the profile's `list_ceiling`, saying so.

use serde_json::Value;

use crate::api::{Client, FieldsSet, ListOwner, TokenSummary};
use crate::cli::say::write_more;
use crate::exit::note;
use crate::exit::{self, Failure};
use crate::mask::Mask;
use crate::setup::connect::Connection;
use crate::text::{json_for_terminal, json_line_for_terminal, sanitize};

/// How a list is printed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// A header and one row per token, in columns.
    Text,
    /// One JSON array, its tokens written as they come.
    Json,
    /// One JSON object a line.
    JsonLines,
}

/// What the list command was asked.
pub struct ListRequest<'a> {
    pub owner: &'a ListOwner,
    pub offset: u32,
    /// `--limit`: the clerk's own bound, said as such when the list is longer.
    pub limit: Option<u64>,
    pub fields: Option<&'a FieldsSet>,
    pub format: Format,
    pub reveal: bool,
}

/// Pages through the list, printing each page as it arrives.
pub async fn run(
    client: &Client,
    connection: &Connection,
    request: &ListRequest<'_>,
) -> Result<(), Failure> {
    let most = request.limit.unwrap_or(connection.list_ceiling);
    let mut pages = client.pages(request.owner, request.offset, most, request.fields);
    let mut printer = Printer::new(request.format);
    let owner = sanitize(&request.owner.to_string()).into_owned();
    let failure = loop {
        let page = match pages.next().await {
            Ok(Some(page)) => page,
            Ok(None) => break None,
            Err(error) => break Some(error),
        };
        let rendered = connection
            .revealed(
                request.reveal,
                page.iter().map(|token| &token.value),
                |token, mask| render(request.format, token, mask),
            )
            .await?;
        // The page's tokens are let go of here: what is kept is what is printed.
        drop(page);
        let text = printer.page(rendered);
        // Nobody reads any more (`| head`): no more pages are asked for.
        if !write_more(&text)? {
            return Ok(());
        }
    };
    let count = pages.fetched();
    let end = match (&failure, count) {
        // A first page that failed says nothing of the list, not even that it is empty.
        (Some(_), 0) => String::new(),
        _ => printer.end(&owner, request.offset),
    };
    write_more(&end)?;
    let tokens = |n: u64| format!("{n} access {}", if n == 1 { "token" } else { "tokens" });
    if let Some(error) = failure {
        let mut failure = Failure::from(error);
        if count > 0 {
            failure.message = format!(
                "{} Only the first {} of {owner} were fetched; the list is incomplete.",
                failure.message,
                tokens(count),
            );
        }
        return Err(failure);
    }
    if pages.cut() {
        let why = match request.limit {
            Some(limit) => format!("--limit {limit}"),
            None => format!(
                "the ceiling of {} tokens a list may have; list_ceiling in the profile raises it",
                connection.list_ceiling
            ),
        };
        return Err(Failure::new(
            exit::LIMITED,
            format!(
                "Stopped after {} of {owner} ({why}); it holds more: --offset {} goes on from there.",
                tokens(count),
                u64::from(request.offset) + count
            ),
        ));
    }
    let pages = pages.pages();
    note(&format!(
        "{} of {owner} fetched ({pages} {}).",
        tokens(count),
        if pages == 1 { "page" } else { "pages" }
    ));
    Ok(())
}

/// The most a text column is widened for one long cell on the first page; a longer cell
/// overflows its column rather than push every row.
const MOST_COLUMN_CHARS: usize = 40;

const HEADER: [&str; 5] = [
    "NUMBER",
    "STATE",
    "AUTHENTICATION CODE",
    "CLASSIFICATION",
    "ACCOUNT",
];

/// Turns page after page into the text to write. The text columns take their widths from
/// the first page that has tokens: later pages are not known when the header is written.
pub struct Printer {
    format: Format,
    /// Tokens printed so far.
    printed: u64,
    widths: Option<[usize; 5]>,
}

impl Printer {
    pub fn new(format: Format) -> Printer {
        Printer {
            format,
            printed: 0,
            widths: None,
        }
    }

    /// What to write for a page's tokens, as `render` made them.
    pub fn page(&mut self, rendered: Vec<Rendered>) -> String {
        let mut out = String::new();
        if self.widths.is_none() {
            let rows = rendered.iter().filter_map(|item| match item {
                Rendered::Cells(cells) => Some(cells),
                _ => None,
            });
            if let Some(widths) = widths_of(rows) {
                self.widths = Some(widths);
                out.push_str(&line(&HEADER.map(str::to_owned), widths));
            }
        }
        for item in rendered {
            match item {
                Rendered::Cells(cells) => {
                    out.push_str(&line(&cells, self.widths.unwrap_or_default()));
                }
                Rendered::Json(json) => {
                    out.push_str(if self.printed == 0 { "[\n" } else { ",\n" });
                    for (i, part) in json.trim_end().split('\n').enumerate() {
                        if i > 0 {
                            out.push('\n');
                        }
                        out.push_str("  ");
                        out.push_str(part);
                    }
                }
                Rendered::Line(json) => out.push_str(&json),
            }
            self.printed += 1;
        }
        out
    }

    /// What ends the output once the last page is written.
    pub fn end(&self, owner: &str, offset: u32) -> String {
        match (self.format, self.printed) {
            (Format::Json, 0) => "[]\n".to_owned(),
            (Format::Json, _) => "\n]\n".to_owned(),
            (Format::Text, 0) => format!("No access tokens for {owner} (from {offset}).\n"),
            _ => String::new(),
        }
    }
}

/// One token as printed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Rendered {
    Cells([String; 5]),
    /// Pretty JSON, to go into the array.
    Json(String),
    /// One line of JSON with its newline.
    Line(String),
}

/// A token as `format` prints it, masked by `mask` (`None`: in clear).
pub fn render(format: Format, token: &Value, mask: Option<&Mask>) -> Rendered {
    let masked = || mask.map_or_else(|| token.clone(), |mask| mask.json(token));
    match format {
        Format::Text => Rendered::Cells(cells(token, mask)),
        Format::Json => Rendered::Json(json_for_terminal(&masked())),
        Format::JsonLines => Rendered::Line(json_line_for_terminal(&masked())),
    }
}

/// Each column as wide as its header or its widest cell in `rows` (the first page's), up
/// to `MOST_COLUMN_CHARS`; `None` when there are no rows.
fn widths_of<'a>(rows: impl Iterator<Item = &'a [String; 5]>) -> Option<[usize; 5]> {
    let mut widths = None;
    for row in rows {
        let widths = widths.get_or_insert(HEADER.map(|h| h.chars().count()));
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count().min(MOST_COLUMN_CHARS));
        }
    }
    widths
}

/// A token's cells in the list, masked by `mask` (`None`: in clear).
pub fn cells(token: &Value, mask: Option<&Mask>) -> [String; 5] {
    let s = TokenSummary::from_value(token);
    let cell = |keys: &[&str], text: Option<String>| {
        let text = text.unwrap_or_default();
        match mask {
            Some(mask) => mask.show(keys, &text, false).into_owned(),
            None => text,
        }
    };
    // A server's 65,536-character number would push every row off the screen.
    [
        cell(&["number"], s.number.clone()),
        s.state.to_string(),
        cell(&["authentication_code"], s.authentication_code.clone()),
        cell(&["classification"], s.classification.clone()),
        cell(
            &["accounts_receivable", "number", "name"],
            s.account_label(),
        ),
    ]
    .map(|cell| crate::text::fit_width(&cell, crate::text::CELL_WIDTH).into_owned())
}

/// Cells two spaces apart, each padded to its width (a longer one overflows), the end
/// trimmed. Padded by hand: a width from a server's cell may be beyond what `format!`'s
/// width takes.
fn line(cells: &[String; 5], widths: [usize; 5]) -> String {
    let mut out = String::new();
    for (i, (cell, width)) in cells.iter().zip(widths).enumerate() {
        if i > 0 {
            out.push_str("  ");
        }
        out.push_str(cell);
        out.extend(std::iter::repeat_n(
            ' ',
            width.saturating_sub(cell.chars().count()),
        ));
    }
    let kept = out.trim_end().len();
    out.truncate(kept);
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// A page's tokens as `format` prints them, masked as by default.
    fn page(format: Format, values: &[Value]) -> Vec<Rendered> {
        values
            .iter()
            .map(|t| render(format, t, Some(&Mask::default())))
            .collect()
    }

    #[test]
    fn text_rows_align_under_the_first_pages_widths_and_later_pages_follow_them() {
        let mut printer = Printer::new(Format::Text);
        assert_eq!(printer.page(Vec::new()), "", "no header before a row");
        let first = printer.page(page(
            Format::Text,
            &[
                json!({"number": "AT1", "life_cycle_state": "EFFECTIVE", "authentication_code": "123",
                       "accounts_receivable": {"number": "ACR1", "name": "Polina"}}),
                json!({"number": "AT0000000002", "life_cycle_state": "NOT_EFFECTIVE"}),
            ],
        ));
        let lines: Vec<&str> = first.lines().collect();
        assert_eq!(lines.len(), 3, "{first}");
        assert_eq!(
            lines[0],
            "NUMBER        STATE          AUTHENTICATION CODE  CLASSIFICATION  ACCOUNT"
        );
        assert_eq!(
            lines[1],
            "AT1           EFFECTIVE      123                                  ACR1 · Polina"
        );
        assert_eq!(lines[2], "AT0000000002  NOT_EFFECTIVE");
        let second = printer.page(page(
            Format::Text,
            &[json!({"number": "AT0000000000003", "life_cycle_state": "EFFECTIVE"})],
        ));
        assert_eq!(second, "AT0000000000003  EFFECTIVE\n", "no header again");
        assert_eq!(printer.end("X", 0), "");
        assert_eq!(
            Printer::new(Format::Text).end("accounts receivable ACR9", 10),
            "No access tokens for accounts receivable ACR9 (from 10).\n"
        );
    }

    #[test]
    fn a_huge_cell_is_cut_and_overflows_its_column_without_widening_every_row_or_panicking() {
        let mut printer = Printer::new(Format::Text);
        let huge = "9".repeat(70_000);
        let out = printer.page(page(
            Format::Text,
            &[
                json!({"number": huge, "life_cycle_state": "EFFECTIVE"}),
                json!({"number": "AT2", "life_cycle_state": "EFFECTIVE"}),
            ],
        ));
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines[2], format!("AT2{}  EFFECTIVE", " ".repeat(37)));
        let cut = format!("{}…  EFFECTIVE", &huge[..crate::text::CELL_WIDTH - 1]);
        assert_eq!(lines[1], cut, "cut to the widest a cell may be");
    }

    #[test]
    fn json_is_one_array_written_as_it_grows_and_the_same_as_written_at_once() {
        let tokens = [
            json!({"number": "AT1", "n": [1, {"a": "\u{1b}[2J"}]}),
            json!({"number": "AT2"}),
            json!({"number": "AT3"}),
        ];
        let mut printer = Printer::new(Format::Json);
        let mut out = printer.page(page(Format::Json, &tokens[..2]));
        out.push_str(&printer.page(page(Format::Json, &tokens[2..])));
        out.push_str(&printer.page(Vec::new()));
        out.push_str(&printer.end("X", 0));
        assert_eq!(out, json_for_terminal(&Value::Array(tokens.to_vec())));
        assert!(!out.contains('\u{1b}'));
        assert_eq!(Printer::new(Format::Json).end("X", 0), "[]\n");
    }

    #[test]
    fn json_lines_are_one_token_a_line_without_terminal_controls() {
        let mut printer = Printer::new(Format::JsonLines);
        let out = printer.page(page(
            Format::JsonLines,
            &[
                json!({"number": "AT1", "name": "a\u{2028}b\u{1b}c"}),
                json!({"number": "AT2"}),
            ],
        ));
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines.len(), 2, "{out}");
        for line in &lines {
            let value: Value = serde_json::from_str(line).expect("each line is JSON");
            assert!(value["number"].is_string());
        }
        let first: Value = serde_json::from_str(lines[0]).expect("JSON");
        assert_eq!(first["name"], "a\u{2028}b\u{1b}c", "escaped, not lost");
        assert!(
            !out.contains('\u{1b}') && !out.contains('\u{2028}'),
            "{out}"
        );
        assert_eq!(printer.end("X", 0), "");
    }
}
