//! One page of `access_tokens/list` as a table: number, state, authentication code,
//! classification, account.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::{fit, pad, theme};
use crate::app::App;

/// Fixed widths of the first four columns; the account takes the rest.
const COLUMNS: [(&str, usize); 4] = [
    ("NUMBER", 14),
    ("STATE", 14),
    ("AUTHENTICATION CODE", 21),
    ("CLASSIFICATION", 16),
];

pub fn draw(frame: &mut Frame, app: &App, area: Rect) {
    let Some(results) = &app.results else { return };
    let width = usize::from(area.width);
    let fixed: usize = COLUMNS.iter().map(|(_, w)| w + 1).sum::<usize>() + 1;
    let account_width = width.saturating_sub(fixed).max(8);
    let mut header: Vec<Span> = vec![Span::raw(" ")];
    for (title, w) in COLUMNS {
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
            cell(row.number.as_deref().unwrap_or("—"), COLUMNS[0].1),
            Span::styled(" ", base),
            Span::styled(fit(&state_text, COLUMNS[1].1), state_style),
            Span::styled(
                " ".repeat(COLUMNS[1].1 - fit(&state_text, COLUMNS[1].1).chars().count() + 1),
                base,
            ),
            cell(
                row.authentication_code.as_deref().unwrap_or("—"),
                COLUMNS[2].1,
            ),
            Span::styled(" ", base),
            cell(row.classification.as_deref().unwrap_or("—"), COLUMNS[3].1),
            Span::styled(" ", base),
            cell(&account, account_width),
        ]));
    }
    frame.render_widget(Paragraph::new(lines), area);
}
