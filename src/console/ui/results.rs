//! One page of `access_tokens/list` as a table: number, state, authentication code,
//! classification, account. Columns take the width their contents need (up to a cap), and
//! the account, which a clerk reads to pick the right row, gets whatever is left.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use unicode_width::UnicodeWidthStr;

use super::{pad, pointer, theme::Theme};
use crate::api::TokenSummary;
use crate::console::app::{App, ResultsView};

const TITLES: [&str; 5] = ["NUMBER", "STATE", "CODE", "CLASSIFICATION", "ACCOUNT"];
/// The widest each of the first four columns may grow.
const CAPS: [usize; 4] = [16, 20, 32, 20];
/// The narrowest the shrinkable columns (code, classification) and the account may get.
const MIN_SHRUNK: usize = 8;
const MIN_ACCOUNT: usize = 16;
/// The columns before the number: the pointer at the selected row, and the mark.
const LEAD: usize = 2;

fn cells(row: &TokenSummary, deleted: bool) -> [String; 5] {
    [
        row.number.clone().unwrap_or_else(|| "—".into()),
        if deleted {
            "DELETED".into()
        } else {
            row.state.to_string()
        },
        row.authentication_code
            .clone()
            .unwrap_or_else(|| "—".into()),
        row.classification.clone().unwrap_or_else(|| "—".into()),
        row.account_label().unwrap_or_default(),
    ]
}

/// Widths of the first four columns for a table `width` columns wide.
fn column_widths(results: &ResultsView, width: usize) -> [usize; 4] {
    let mut widths = [0; 4];
    for (i, title) in TITLES.iter().take(4).enumerate() {
        widths[i] = title.width();
    }
    for row in &results.rows {
        for (w, cell) in widths.iter_mut().zip(cells(&row.summary, row.deleted)) {
            *w = (*w).max(cell.width());
        }
    }
    for (w, cap) in widths.iter_mut().zip(CAPS) {
        *w = (*w).min(cap);
    }
    // Shrink the classification, then the code, until the account has room.
    let used = |w: &[usize; 4]| w.iter().map(|c| c + 1).sum::<usize>() + LEAD;
    for column in [3, 2] {
        let over = (used(&widths) + MIN_ACCOUNT).saturating_sub(width);
        widths[column] = widths[column].saturating_sub(over).max(MIN_SHRUNK);
    }
    widths
}

pub fn draw(frame: &mut Frame, app: &App, area: Rect) {
    let theme = Theme::of(app);
    let Some(results) = &app.results else { return };
    let width = usize::from(area.width);
    let widths = column_widths(results, width);
    let account_width = width
        .saturating_sub(widths.iter().map(|w| w + 1).sum::<usize>() + LEAD)
        .max(1);
    let mut header: Vec<Span> = vec![Span::raw(" ".repeat(LEAD))];
    for (title, w) in TITLES.iter().zip(widths.iter().chain([&account_width])) {
        header.push(Span::styled(pad(title, *w), theme.title()));
        header.push(Span::raw(" "));
    }
    let mut lines = vec![Line::from(header)];
    if results.rows.is_empty() {
        lines.push(Line::styled(
            format!(" No access tokens for {}.", results.query.owner),
            theme.dim(),
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
        let deleted = row.deleted;
        let mark = if results.is_marked(index) { "*" } else { " " };
        let row = &row.summary;
        let state_style = if deleted {
            theme.deleted_badge()
        } else {
            theme.badge(&row.state)
        };
        let [number, state, code, class, account] = cells(row, deleted);
        let state_cell = crate::console::ui::fit(&state, widths[1]);
        let state_fill = " ".repeat(widths[1] - state_cell.width() + 1);
        lines.push(Line::from(vec![
            pointer(theme, index == results.selected),
            Span::raw(mark),
            Span::raw(pad(&number, widths[0])),
            Span::raw(" "),
            Span::styled(state_cell, state_style),
            Span::raw(state_fill),
            Span::raw(pad(&code, widths[2])),
            Span::raw(" "),
            Span::raw(pad(&class, widths[3])),
            Span::raw(" "),
            Span::raw(pad(&account, account_width)),
        ]));
    }
    frame.render_widget(Paragraph::new(lines), area);
}
