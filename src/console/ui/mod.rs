//! Drawing: reads `App`, writes cells, changes nothing. One file per region; `theme` holds
//! every colour and glyph. Text from the server arrives here already sanitised (the tree and
//! `TokenSummary` do it); notices pass through `sanitize` once more, because a sentence can
//! quote what a clerk typed.

mod background;
mod batch;
pub mod frame_bytes;
mod home;
mod list_box;
mod modal;
mod recent_list;
mod results;
pub mod scroll;
mod status;
pub mod terminal;
mod theme;
mod token;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use unicode_width::UnicodeWidthStr;

use crate::console::app::layout::{self, MIN_HEIGHT, MIN_WIDTH};
use crate::console::app::{App, Modal, Screen};
use crate::keys::{Command, Context};
use scroll::{ScrollView, Scrolling};
use theme::Theme;

/// The most columns an environment label takes; a longer one is cut with an ellipsis.
pub(crate) const LABEL_MAX_WIDTH: usize = 24;

pub fn draw(frame: &mut Frame, app: &App) {
    let area = frame.area();
    // Locked: nothing of any token, not even the search line that may hold a code.
    if app.locked() {
        modal::lock_screen(frame, app, area);
        return Theme::of(app).finish(frame.buffer_mut());
    }
    let Some(regions) = layout::regions(area, app.status_rows()) else {
        return too_small(frame, app, area);
    };
    status::search_line(frame, app, regions.search);
    match app.screen {
        Screen::Home => home::draw(frame, app, regions.body),
        Screen::Results => match &app.batch {
            Some(run) => batch::draw(frame, app, run, regions.body),
            None => results::draw(frame, app, regions.body),
        },
        Screen::Token => token::draw(frame, app, regions.body),
    }
    status::bottom(frame, app, regions.keys, regions.status);
    match &app.modal {
        Some(Modal::Confirm(confirm)) => modal::confirm(frame, confirm, app, area),
        Some(Modal::Batch(confirm)) => modal::batch_confirm(frame, confirm, app, area),
        Some(Modal::QuitWhileBusy(prompt)) => modal::quit_while_busy(frame, prompt, app, area),
        Some(Modal::Help) => modal::help(frame, app, area),
        Some(Modal::Recent(list)) => recent_list::draw(frame, app, list, area),
        Some(Modal::History(history)) => modal::history(frame, history, app, area),
        None => {}
    }
    Theme::of(app).finish(frame.buffer_mut());
}

/// The rows that scroll on this screen, which view they belong to, and which line of its
/// content is at the top: the list of a box over the screen (the help, a token's history,
/// the recent tokens), else the token's tree or raw JSON below its header, the results
/// table or a batch's rows below their titles. Each view that
/// scrolls says so here, and `frame_bytes::Screen` scrolls its rows by the terminal.
pub fn scroll_view(app: &App, area: Rect) -> Option<ScrollView> {
    // The lock screen shows nothing of what is behind it, so nothing of it scrolls.
    if app.locked() {
        return None;
    }
    // A screen too small for its regions shows none of them, nor a box over them.
    let regions = layout::regions(area, app.status_rows())?;
    if let Some(open) = &app.modal {
        return match open {
            Modal::Help => Some(modal::help_box(app).scroll_view(Scrolling::Help, area)),
            Modal::History(history) => {
                Some(modal::history_box(history, app).scroll_view(Scrolling::History, area))
            }
            Modal::Recent(list) => {
                Some(recent_list::list_box(app, list).scroll_view(Scrolling::Recent, area))
            }
            _ => None,
        };
    }
    let below_titles = |body: Rect| {
        let titles = body.height.min(layout::RESULTS_HEADER_ROWS);
        Rect::new(body.x, body.y + titles, body.width, body.height - titles)
    };
    let (what, rows, offset) = match app.screen {
        Screen::Home => return None,
        Screen::Token => {
            let token = app.token.as_ref()?;
            let (_, rows) = layout::token_split(regions.body);
            match &token.raw {
                Some(raw) => (Scrolling::Raw, rows, raw.offset),
                None => (Scrolling::Tree, rows, token.tree.offset()),
            }
        }
        Screen::Results => match (&app.batch, &app.results) {
            (Some(run), _) => (Scrolling::Batch, below_titles(regions.body), run.offset),
            (None, Some(results)) if !results.rows.is_empty() => (
                Scrolling::Results,
                below_titles(regions.body),
                results.first_shown(),
            ),
            _ => return None,
        },
    };
    Some(ScrollView { what, rows, offset })
}

fn too_small(frame: &mut Frame, app: &App, area: Rect) {
    let text = format!(
        "Terminal too small ({}x{}): tokendesk needs {MIN_WIDTH}x{MIN_HEIGHT}. {} quits.",
        area.width,
        area.height,
        app.keymap.hint(Context::Global, Command::Quit)
    );
    frame.render_widget(
        Paragraph::new(text).wrap(ratatui::widgets::Wrap { trim: true }),
        area,
    );
}

/// `text` cut to `width` display columns, with an ellipsis where it was cut.
pub(crate) fn fit(text: &str, width: usize) -> String {
    crate::text::fit_width(text, width).into_owned()
}

/// A line of styled spans cut to `width` display columns, with an ellipsis where it was cut.
pub(crate) fn fit_line(line: Line<'_>, width: usize) -> Line<'_> {
    if line.width() <= width {
        return line;
    }
    let mut spans = Vec::new();
    let mut left = width;
    for span in line.spans {
        let span_width = span.content.width();
        if span_width < left {
            left -= span_width;
            spans.push(span);
            continue;
        }
        // This span reaches the edge: cut it, leaving room for the ellipsis.
        let cut = fit(&format!("{}…", span.content), left);
        spans.push(Span::styled(cut, span.style));
        break;
    }
    Line::from(spans).style(line.style)
}

pub(crate) use crate::text::wrap;

/// `text` cut or padded to exactly `width` display columns.
pub(crate) fn pad(text: &str, width: usize) -> String {
    let cut = fit(text, width);
    let fill = width.saturating_sub(cut.width());
    cut + &" ".repeat(fill)
}

/// What points at the selected row of a list (the recent tokens, the results, a batch's
/// rows) in the column before it, where reverse video on the row would cost a move its
/// row's worth of bytes: ASCII, drawn alike by every terminal and read without colour.
pub(crate) fn pointer(theme: Theme, selected: bool) -> Span<'static> {
    if selected {
        Span::styled(">", theme.pointer())
    } else {
        Span::raw(" ")
    }
}

/// A key hint: the key in the key style, then its words.
pub(crate) fn hint<'a>(theme: Theme, key: String, words: &'a str, enabled: bool) -> Vec<Span<'a>> {
    if enabled {
        vec![
            Span::styled(key, theme.key()),
            Span::raw(" "),
            Span::raw(words),
        ]
    } else {
        vec![
            Span::styled(key, theme.disabled()),
            Span::raw(" "),
            Span::styled(words, theme.disabled()),
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

    #[test]
    fn wrap_breaks_at_spaces_and_cuts_only_overlong_words() {
        assert_eq!(wrap("one two three", 7), ["one two", "three"]);
        assert_eq!(wrap("abcdefghij x", 4), ["abc…", "x"]);
        assert_eq!(wrap("", 5), [""]);
    }

    #[test]
    fn fit_line_keeps_styles_and_marks_the_cut() {
        let line = Line::from(vec![Span::raw("Token "), Span::raw("AT0000000671")]);
        let cut = fit_line(line, 10);
        assert_eq!(cut.to_string(), "Token AT0…");
        assert_eq!(cut.width(), 10);
    }
}
