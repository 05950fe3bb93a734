//! Overlays: the confirmation of an action, the question before quitting with a request in
//! flight, and the help generated from the key map.

use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Wrap};

use super::{fit, pad, theme};
use crate::api::Action;
use crate::app::App;
use crate::app::confirm::Confirm;
use crate::app::keymap::Context;

/// A centred rectangle of at most `width` x `height` inside `area`.
fn centred(area: Rect, width: u16, height: u16) -> Rect {
    let width = width.min(area.width);
    let height = height.min(area.height);
    Rect::new(
        area.x + (area.width - width) / 2,
        area.y + (area.height - height) / 2,
        width,
        height,
    )
}

fn boxed<'a>(title: &'a str, danger: bool) -> Block<'a> {
    let style = if danger {
        theme::danger()
    } else {
        theme::title()
    };
    Block::bordered()
        .title(Span::styled(format!(" {title} "), style))
        .border_style(if danger {
            theme::danger()
        } else {
            theme::dim()
        })
}

pub fn confirm(frame: &mut Frame, confirm: &Confirm, area: Rect) {
    let t = &confirm.token;
    let server = if confirm.demo {
        format!("{} (demo simulator)", confirm.host)
    } else {
        confirm.host.clone()
    };
    let field = |name: &str, value: String| {
        Line::from(vec![
            Span::styled(pad(name, 16), theme::label()),
            Span::raw(value),
        ])
    };
    let mut lines = vec![
        field("Token", t.display_name()),
        field(
            "Code",
            t.authentication_code.clone().unwrap_or_else(|| "—".into()),
        ),
        field("Account", t.account_label().unwrap_or_else(|| "—".into())),
        field("State now", t.state.to_string()),
        field("Server", server),
        Line::raw(""),
    ];
    let title = match confirm.action {
        Action::Deactivate => {
            lines.push(Line::raw(
                "It stops working at once; it can be re-activated later.",
            ));
            "Deactivate access token"
        }
        Action::Activate => {
            lines.push(Line::raw("It works again at once."));
            "Re-activate access token"
        }
        Action::Delete => {
            lines.push(Line::styled("Deleting cannot be undone.", theme::danger()));
            "Delete access token"
        }
    };
    lines.push(Line::raw(""));
    let inner_width: u16 = 60;
    let mut cursor = None;
    if confirm.needs_typing() {
        lines.push(Line::from(vec![
            Span::raw("Type "),
            Span::styled(confirm.expected(), theme::title()),
            Span::raw(" and press Enter:"),
        ]));
        let field_width = usize::from(inner_width) - 2;
        let scroll = confirm.typed.visual_scroll(field_width);
        let shown: String = confirm.typed.value().chars().skip(scroll).collect();
        cursor = Some((
            lines.len(),
            2 + confirm.typed.visual_cursor().saturating_sub(scroll),
        ));
        lines.push(Line::from(vec![
            Span::styled("> ", theme::key()),
            Span::raw(fit(&shown, field_width)),
        ]));
        match &confirm.mistake {
            Some(mistake) => lines.push(Line::styled(
                mistake.clone(),
                theme::tone(crate::app::Tone::Warning),
            )),
            None => lines.push(Line::raw("")),
        }
        lines.push(Line::from(vec![
            Span::styled("Esc", theme::key()),
            Span::raw(" keeps the token"),
        ]));
    } else {
        lines.push(Line::from(vec![
            Span::styled("y", theme::key()),
            Span::raw(format!(" {}    ", confirm.action.verb())),
            Span::styled("n", theme::key()),
            Span::raw(" or "),
            Span::styled("Esc", theme::key()),
            Span::raw(" keep it as it is"),
        ]));
    }
    let height = lines.len() as u16 + 2;
    let rect = centred(area, inner_width + 4, height);
    frame.render_widget(Clear, rect);
    let block = boxed(title, confirm.action == Action::Delete)
        .padding(ratatui::widgets::Padding::horizontal(1));
    let inner = block.inner(rect);
    frame.render_widget(Paragraph::new(lines).block(block), rect);
    if let Some((row, column)) = cursor {
        let x = (inner.x + column as u16).min(inner.right().saturating_sub(1));
        let y = inner.y + row as u16;
        if y < inner.bottom() {
            frame.set_cursor_position(Position::new(x, y));
        }
    }
}

pub fn quit_while_busy(frame: &mut Frame, app: &App, area: Rect) {
    let what = app
        .pending
        .as_ref()
        .map(|p| p.purpose.describe())
        .unwrap_or_else(|| "A request".into());
    let lines = vec![
        Line::raw(format!("{what} is still in flight.")),
        Line::raw("Quitting now leaves its outcome unknown."),
        Line::raw(""),
        Line::from(vec![
            Span::styled("y", theme::key()),
            Span::raw(" quit anyway    "),
            Span::styled("n", theme::key()),
            Span::raw(" or "),
            Span::styled("Esc", theme::key()),
            Span::raw(" stay"),
        ]),
    ];
    let rect = centred(area, 56, lines.len() as u16 + 2);
    frame.render_widget(Clear, rect);
    frame.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .block(boxed("Quit?", false).padding(ratatui::widgets::Padding::horizontal(1))),
        rect,
    );
}

/// Every binding of the key map, by context: the same table that decides what keys do.
/// On a screen too short for one column, the sections flow into two.
pub fn help(frame: &mut Frame, app: &App, area: Rect) {
    let mut sections: Vec<(&str, Vec<(String, &str)>)> = Vec::new();
    for context in [
        Context::Global,
        Context::Tree,
        Context::Actions,
        Context::Results,
    ] {
        let rows = app
            .keymap
            .bindings()
            .iter()
            .filter(|b| b.context == context)
            .map(|b| {
                let keys: Vec<String> = b.keys.iter().map(|k| k.to_string()).collect();
                (keys.join(" "), b.description)
            })
            .collect();
        sections.push((context.title(), rows));
    }
    sections.push((
        "Search line",
        vec![
            ("Enter".into(), "search"),
            ("Up Down".into(), "earlier searches"),
            ("Esc Tab".into(), "leave the line"),
            ("Ctrl-u Ctrl-w".into(), "clear line / word"),
        ],
    ));
    let section_lines = |(title, rows): &(&str, Vec<(String, &str)>)| {
        let mut lines = vec![Line::styled(title.to_string(), theme::title())];
        for (keys, what) in rows {
            lines.push(Line::from(vec![
                Span::raw("  "),
                Span::styled(pad(keys, 14), theme::key()),
                Span::raw(what.to_string()),
            ]));
        }
        lines.push(Line::raw(""));
        lines
    };
    let total: usize = sections.iter().map(|s| s.1.len() + 2).sum();
    let room = usize::from(area.height.saturating_sub(4));
    let column_width = 38;
    let two_columns = total > room && usize::from(area.width) >= 2 * column_width + 4;
    let columns: Vec<Vec<Line>> = if two_columns {
        // The tree's keys and the actions on the left, everything else on the right: the
        // split that fits 80x24 without scrolling.
        let (left, right): (Vec<_>, Vec<_>) = sections.iter().partition(|(title, _)| {
            [Context::Tree.title(), Context::Actions.title()].contains(title)
        });
        vec![
            left.into_iter().flat_map(section_lines).collect(),
            right.into_iter().flat_map(section_lines).collect(),
        ]
    } else {
        vec![sections.iter().flat_map(section_lines).collect()]
    };
    let columns: Vec<Vec<Line>> = columns
        .into_iter()
        .map(|mut lines| {
            // No blank line at the foot of a column.
            lines.pop();
            lines
        })
        .collect();
    let height = columns.iter().map(Vec::len).max().unwrap_or(1) as u16 + 2;
    let width = (column_width * columns.len()) as u16 + 2;
    let rect = centred(
        area,
        width,
        height.min(area.height.saturating_sub(2)).max(3),
    );
    let visible = usize::from(rect.height.saturating_sub(2));
    let longest = columns.iter().map(Vec::len).max().unwrap_or(0);
    let offset = app.help_offset.min(longest.saturating_sub(visible));
    let title = if longest > visible {
        "Keys (Up/Down scroll, any other key closes)"
    } else {
        "Keys (any key closes)"
    };
    frame.render_widget(Clear, rect);
    let block = boxed(title, false).padding(ratatui::widgets::Padding::horizontal(1));
    let inner = block.inner(rect);
    frame.render_widget(block, rect);
    for (i, column) in columns.into_iter().enumerate() {
        let x = inner.x + (i * column_width) as u16;
        let column_area = Rect::new(
            x,
            inner.y,
            (column_width as u16).min(inner.right().saturating_sub(x)),
            inner.height,
        );
        frame.render_widget(
            Paragraph::new(column.into_iter().skip(offset).collect::<Vec<_>>()),
            column_area,
        );
    }
}
