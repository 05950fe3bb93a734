//! The token screen: a header of the facts a clerk checks first, then the tree (or the raw
//! JSON). Only the rows on screen are touched; the tree model keeps the rest.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use unicode_width::UnicodeWidthStr;

use super::{fit, fit_line, theme::Theme};
use crate::console::app::layout::token_split;
use crate::console::app::token::find_line::FindLine;
use crate::console::app::{App, RawView, TokenView};
use crate::keys::{Command, Context};
use crate::mask::Mask;
use crate::text::sanitize;
use crate::tree::TokenTree;

/// The label column never takes more than this share of the width.
const LABEL_SHARE: usize = 45;

pub fn draw(frame: &mut Frame, app: &App, area: Rect) {
    let Some(token) = &app.token else { return };
    let (header, body) = token_split(area);
    draw_header(
        frame,
        Theme::of(app),
        token,
        &app.mask,
        header,
        usize::from(body.height),
    );
    let (body, find_row) = match &token.find {
        Some(_) if body.height > 1 => {
            let [body, find_row] =
                Layout::vertical([Constraint::Fill(1), Constraint::Length(1)]).areas(body);
            (body, Some(find_row))
        }
        _ => (body, None),
    };
    let found = token.find.as_ref().map_or(&[][..], |f| &f.matches[..]);
    match &token.raw {
        Some(raw) => draw_raw(frame, Theme::of(app), raw, found, body),
        None => draw_tree(
            frame,
            Theme::of(app),
            &token.tree,
            token.deleted,
            found,
            body,
            &app.keymap.hint(Context::Tree, Command::ToggleEmpty),
        ),
    }
    if let (Some(find), Some(area)) = (&token.find, find_row) {
        draw_find(frame, app, find, area);
    }
}

/// The find line: what is typed and where the cursor is among the matches (its keys are
/// in the key row below).
fn draw_find(frame: &mut Frame, app: &App, find: &FindLine, area: Rect) {
    let theme = Theme::of(app);
    let position = find.position();
    let typed = sanitize(find.input.value()).into_owned();
    let room = usize::from(area.width).saturating_sub(7 + position.width() + 2);
    let shown = fit(&typed, room.max(1));
    let line = Line::from(vec![
        Span::styled(" Find ", theme.title()),
        Span::raw(shown.clone()),
        Span::raw("  "),
        Span::styled(position, theme.title()),
    ]);
    frame.render_widget(
        Paragraph::new(fit_line(line, usize::from(area.width))),
        area,
    );
    let cursor = area.x + 6 + u16::try_from(shown.width()).unwrap_or(0);
    frame.set_cursor_position((cursor.min(area.right().saturating_sub(1)), area.y));
}

/// The header's facts, each masked when the config's `mask` names its field (the built-in
/// personal data is never among them).
fn draw_header(
    frame: &mut Frame,
    theme: Theme,
    token: &TokenView,
    mask: &Mask,
    area: Rect,
    body_rows: usize,
) {
    let s = &token.summary;
    let revealed = token.tree.revealed();
    let shown = |keys: &[&str], text: &str| mask.show(keys, text, revealed).into_owned();
    let badge = if token.deleted {
        Span::styled(" DELETED ", theme.deleted_badge())
    } else {
        Span::styled(format!(" {} ", s.state), theme.badge(&s.state))
    };
    let mut first = vec![
        Span::styled(
            format!(" {} ", shown(&["number"], &s.display_name())),
            theme.title(),
        ),
        badge,
    ];
    if let Some(code) = &s.authentication_code {
        first.push(Span::styled("  Code ", theme.label()));
        first.push(Span::raw(shown(&["authentication_code"], code)));
    }
    if let Some(classification) = &s.classification {
        first.push(Span::styled("  Class ", theme.label()));
        first.push(Span::raw(shown(&["classification"], classification)));
    }
    let account = s.account_label().map_or_else(
        || "none".into(),
        |a| shown(&["accounts_receivable", "number", "name"], &a),
    );
    let mut second = vec![Span::styled(" Account ", theme.label()), Span::raw(account)];
    if let Some(rp) = &s.participant_number {
        second.push(Span::styled("  Participant ", theme.label()));
        second.push(Span::raw(shown(&["rewards_participant", "number"], rp)));
    }
    // The rule says which view is below it, where in the raw JSON the screen is, and for
    // a deleted token that what is below is how it was.
    let mut captions = Vec::new();
    if token.deleted {
        captions.push("shown as it was when deleted".to_owned());
    }
    // What a clerk looks for first, not buried under Log information.
    if let Some(change) = crate::tree::format::last_change(&token.data) {
        captions.push(crate::text::sanitize(&crate::text::bounded(&change)).into_owned());
    }
    if let Some(raw) = &token.raw {
        captions.push(format!(
            "raw JSON, lines {}-{} of {}",
            raw.offset + 1,
            (raw.offset + body_rows).min(raw.lines.len()),
            raw.lines.len()
        ));
    }
    let caption = if captions.is_empty() {
        String::new()
    } else {
        format!("{}{} {} ", theme.rule(), theme.rule(), captions.join(" · "))
    };
    let rule_width = usize::from(area.width).saturating_sub(caption.width());
    let rule = Line::from(vec![
        Span::styled(caption, theme.dim()),
        Span::styled(theme.rule().repeat(rule_width), theme.dim()),
    ]);
    frame.render_widget(
        Paragraph::new(vec![Line::from(first), Line::from(second), rule]),
        area,
    );
}

/// The field whose value is the token's live state: a deleted token has none.
const STATE_FIELD: &str = "life_cycle_state";

fn draw_tree(
    frame: &mut Frame,
    theme: Theme,
    tree: &TokenTree,
    deleted: bool,
    found: &[usize],
    area: Rect,
    show_empties: &str,
) {
    let width = usize::from(area.width);
    if tree.visible().is_empty() {
        let message = if tree.node_count() == 0 {
            " The server sent no fields for this token.".to_owned()
        } else {
            format!(" Every field is empty; {show_empties} shows them.")
        };
        frame.render_widget(Paragraph::new(Line::styled(message, theme.dim())), area);
        return;
    }
    let rows: Vec<_> = tree.screen_rows().take(usize::from(area.height)).collect();
    // The label column fits the widest label on screen, within its share of the width.
    let label_width = rows
        .iter()
        .map(|r| {
            let node = tree.node(r.id);
            usize::from(node.depth) * 2 + 2 + node.label.width()
        })
        .max()
        .unwrap_or(0)
        .min(width * LABEL_SHARE / 100)
        .max(12);
    let lines: Vec<Line> = rows
        .iter()
        .map(|row| {
            let node = tree.node(row.id);
            let indent = "  ".repeat(usize::from(node.depth));
            let marker = if !node.is_branch() {
                " "
            } else if row.open {
                theme.open()
            } else {
                theme.closed()
            };
            // The highlight covers the marker and the label only, in the label's colour:
            // a cursor move changes one attribute on a few cells of two rows.
            let name = fit(
                &format!("{marker} {}", node.label),
                label_width.saturating_sub(indent.width()),
            );
            let fill = label_width.saturating_sub(indent.width() + name.width());
            let value_width = width.saturating_sub(label_width + 2);
            let value_style = if node.is_empty || node.is_branch() {
                theme.dim()
            } else {
                Style::new()
            };
            let value = if deleted && node.depth == 0 && node.key() == Some(STATE_FIELD) {
                fit(
                    &format!("DELETED (was {})", tree.value(row.id)),
                    value_width,
                )
            } else {
                fit(tree.value(row.id), value_width)
            };
            let name_style = if row.selected {
                theme.selected_label()
            } else if found.contains(&row.id) {
                theme.found()
            } else {
                theme.label()
            };
            let value_style = if !row.selected && found.contains(&row.id) {
                theme.found()
            } else {
                value_style
            };
            Line::from(vec![
                Span::raw(" "),
                Span::raw(indent),
                Span::styled(name, name_style),
                Span::raw(" ".repeat(fill + 1)),
                Span::styled(value, value_style),
            ])
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), area);
}

fn draw_raw(frame: &mut Frame, theme: Theme, raw: &RawView, found: &[usize], area: Rect) {
    let width = usize::from(area.width);
    let lines: Vec<Line> = raw
        .lines
        .iter()
        .skip(raw.offset)
        .take(usize::from(area.height))
        .enumerate()
        .map(|(i, l)| {
            let line = Line::raw(fit(l, width));
            if found.contains(&(raw.offset + i)) {
                line.style(theme.found())
            } else {
                line
            }
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), area);
}
