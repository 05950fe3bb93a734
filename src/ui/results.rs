//! One page of `access_tokens/list` as a table: number, state, authentication code,
//! classification, account.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::{fit, pad, theme};
use unicode_width::UnicodeWidthStr;

use crate::app::{App, ResultsView};

/// The first four columns, each with the most it takes on a narrow screen; the account
/// takes the rest.
const COLUMNS: [(&str, usize); 4] = [
    ("NUMBER", 14),
    ("STATE", 14),
    ("CODE", 16),
    ("CLASSIFICATION", 16),
];

/// The account column is cut no narrower than this while the other columns can give way.
const ACCOUNT_MIN: usize = 24;

/// Each column as wide as its widest cell on the page (with room for its title), so that a
/// short number or code leaves its space to the account; the caps apply only when the
/// natural widths would squeeze the account below `ACCOUNT_MIN`.
fn column_widths(results: &ResultsView, width: usize) -> [usize; 4] {
    if results.rows.is_empty() {
        return COLUMNS.map(|(_, cap)| cap);
    }
    let widest = |i: usize| {
        results
            .rows
            .iter()
            .enumerate()
            .map(|(row_index, row)| {
                let deleted = results.deleted.get(row_index).copied().unwrap_or(false);
                match i {
                    0 => row.number.as_deref().map_or(1, UnicodeWidthStr::width),
                    1 if deleted => "DELETED".len(),
                    1 => row.state.as_str().width(),
                    2 => row
                        .authentication_code
                        .as_deref()
                        .map_or(1, UnicodeWidthStr::width),
                    _ => row
                        .classification
                        .as_deref()
                        .map_or(1, UnicodeWidthStr::width),
                }
            })
            .max()
            .unwrap_or(0)
    };
    let natural: [usize; 4] = std::array::from_fn(|i| widest(i).max(COLUMNS[i].0.width()));
    let fixed = |widths: &[usize; 4]| widths.iter().map(|w| w + 1).sum::<usize>() + 1;
    if width.saturating_sub(fixed(&natural)) >= ACCOUNT_MIN {
        return natural;
    }
    std::array::from_fn(|i| natural[i].min(COLUMNS[i].1))
}

pub fn draw(frame: &mut Frame, app: &App, area: Rect) {
    let Some(results) = &app.results else { return };
    let width = usize::from(area.width);
    let widths = column_widths(results, width);
    let fixed: usize = widths.iter().map(|w| w + 1).sum::<usize>() + 1;
    let account_width = width.saturating_sub(fixed).max(8);
    let mut header: Vec<Span> = vec![Span::raw(" ")];
    for ((title, _), w) in COLUMNS.into_iter().zip(widths) {
        header.push(Span::styled(pad(title, w), theme::title()));
        header.push(Span::raw(" "));
    }
    header.push(Span::styled(fit("ACCOUNT", account_width), theme::title()));
    let mut lines = vec![Line::from(header)];
    if results.rows.is_empty() {
        lines.push(Line::styled(
            format!(" No access tokens for {}.", results.query.owner),
            theme::dim(),
        ));
    }
    let rows = usize::from(area.height).saturating_sub(1);
    for (index, row) in results
        .rows
        .iter()
        .enumerate()
        .skip(results.offset)
        .take(rows)
    {
        let deleted = results.deleted.get(index).copied().unwrap_or(false);
        let selected = index == results.selected;
        let base = if selected {
            theme::selected()
        } else {
            Style::new()
        };
        let (state_text, state_style) = if deleted {
            ("DELETED".to_owned(), theme::deleted_badge())
        } else {
            (row.state.to_string(), theme::badge(&row.state))
        };
        let account = row.account_label().unwrap_or_default();
        let cell = |text: &str, w: usize| Span::styled(pad(text, w), base);
        lines.push(Line::from(vec![
            Span::styled(" ", base),
            cell(row.number.as_deref().unwrap_or("—"), widths[0]),
            Span::styled(" ", base),
            Span::styled(fit(&state_text, widths[1]), state_style),
            Span::styled(
                " ".repeat(widths[1] - fit(&state_text, widths[1]).width() + 1),
                base,
            ),
            cell(row.authentication_code.as_deref().unwrap_or("—"), widths[2]),
            Span::styled(" ", base),
            cell(row.classification.as_deref().unwrap_or("—"), widths[3]),
            Span::styled(" ", base),
            cell(&account, account_width),
        ]));
    }
    frame.render_widget(Paragraph::new(lines), area);
}
