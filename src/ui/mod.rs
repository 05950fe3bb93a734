//! Drawing: reads `App`, writes cells, changes nothing. One file per region; `theme` holds
//! every colour and glyph. Text from the server arrives here already sanitised (the tree and
//! `TokenSummary` do it); notices pass through `sanitize` once more, because a sentence can
//! quote what a clerk typed.

mod home;
mod modal;
mod results;
mod status;
pub mod terminal;
mod theme;
mod token;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Span;
use ratatui::widgets::Paragraph;
use unicode_width::UnicodeWidthStr;

use crate::app::layout::{self, MIN_HEIGHT, MIN_WIDTH};
use crate::app::{App, Modal, Screen};

pub fn draw(frame: &mut Frame, app: &App) {
    let area = frame.area();
    let Some(regions) = layout::regions(area) else {
        return too_small(frame, area);
    };
    status::search_line(frame, app, regions.search);
    match app.screen {
        Screen::Home => home::draw(frame, app, regions.body),
        Screen::Results => results::draw(frame, app, regions.body),
        Screen::Token => token::draw(frame, app, regions.body),
    }
    status::bottom(frame, app, regions.keys, regions.status);
    match &app.modal {
        Some(Modal::Confirm(confirm)) => modal::confirm(frame, confirm, area),
        Some(Modal::QuitWhileBusy) => modal::quit_while_busy(frame, app, area),
        Some(Modal::Help) => modal::help(frame, app, area),
        None => {}
    }
}

fn too_small(frame: &mut Frame, area: Rect) {
    let text = format!(
        "Terminal too small ({}x{}): tokendesk needs {MIN_WIDTH}x{MIN_HEIGHT}. q quits.",
        area.width, area.height
    );
    frame.render_widget(
        Paragraph::new(text).wrap(ratatui::widgets::Wrap { trim: true }),
        area,
    );
}

/// `text` cut to `width` display columns, with an ellipsis where it was cut.
pub(crate) fn fit(text: &str, width: usize) -> String {
    if text.width() <= width {
        return text.to_owned();
    }
    if width == 0 {
        return String::new();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in text.chars() {
        let w = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if used + w > width - 1 {
            break;
        }
        out.push(c);
        used += w;
    }
    out.push('…');
    out
}

/// `text` cut or padded to exactly `width` display columns.
pub(crate) fn pad(text: &str, width: usize) -> String {
    let cut = fit(text, width);
    let fill = width.saturating_sub(cut.width());
    cut + &" ".repeat(fill)
}

/// A key hint: the key in the key style, then its words.
pub(crate) fn hint<'a>(key: String, words: &'a str, enabled: bool) -> Vec<Span<'a>> {
    if enabled {
        vec![
            Span::styled(key, theme::key()),
            Span::raw(" "),
            Span::raw(words),
        ]
    } else {
        vec![
            Span::styled(key, theme::disabled()),
            Span::raw(" "),
            Span::styled(words, theme::disabled()),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fit_counts_display_columns() {
        assert_eq!(fit("abcdef", 4), "abc…");
        assert_eq!(fit("日本語テキスト", 5), "日本…");
        assert_eq!(fit("abc", 3), "abc");
        assert_eq!(fit("abc", 0), "");
        assert_eq!(pad("ab", 4), "ab  ");
    }
}
