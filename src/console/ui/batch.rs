//! A batch's rows in place of the results page: each marked token, the state it was last
//! read in, where it is in the batch, and what happened to it in the server's words.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use unicode_width::UnicodeWidthStr;

use super::{fit, pad, pointer, theme::Theme};
use crate::console::app::batch::run::{BatchRun, Step};
use crate::console::app::{App, Tone};
use crate::fate::Fate;

const TITLES: [&str; 4] = ["NUMBER", "STATE", "STEP", "WHAT HAPPENED"];
/// The widest the number and state columns grow; the step's words are at most 8 wide.
const CAPS: [usize; 2] = [16, 20];
const STEP_WIDTH: usize = 8;

fn step_style(theme: Theme, step: &Step) -> Style {
    match step {
        Step::Reading | Step::Sending | Step::Checking => theme.key(),
        Step::Queued => theme.dim(),
        // Nothing left to do: already so.
        Step::Ended(outcome) if outcome.fate == Fate::LeftOut && outcome.settled() => theme.dim(),
        Step::Ended(outcome) => match outcome.fate {
            Fate::Done => theme.tone(Tone::Success),
            Fate::LeftOut | Fate::Refused => theme.tone(Tone::Warning),
            Fate::Failed | Fate::Unknown => theme.tone(Tone::Error),
        },
    }
}

pub fn draw(frame: &mut Frame, app: &App, run: &BatchRun, area: Rect) {
    let theme = Theme::of(app);
    let mut widths = [TITLES[0].width(), TITLES[1].width()];
    for item in &run.items {
        let cells = [
            item.summary().display_name(),
            item.summary().state.to_string(),
        ];
        for (w, cell) in widths.iter_mut().zip(cells) {
            *w = (*w).max(cell.width());
        }
    }
    for (w, cap) in widths.iter_mut().zip(CAPS) {
        *w = (*w).min(cap);
    }
    let used = 1 + widths[0] + 1 + widths[1] + 1 + STEP_WIDTH + 1;
    let rest = usize::from(area.width).saturating_sub(used).max(1);
    let header = Line::from(vec![
        Span::raw(" "),
        Span::styled(pad(TITLES[0], widths[0]), theme.title()),
        Span::raw(" "),
        Span::styled(pad(TITLES[1], widths[1]), theme.title()),
        Span::raw(" "),
        Span::styled(pad(TITLES[2], STEP_WIDTH), theme.title()),
        Span::raw(" "),
        Span::styled(pad(TITLES[3], rest), theme.title()),
    ]);
    let mut lines = vec![header];
    let rows = usize::from(area.height).saturating_sub(1);
    for (index, item) in run.items.iter().enumerate().skip(run.offset).take(rows) {
        let state = &item.summary().state;
        let (state_text, state_style) = if item.deleted() {
            ("DELETED".to_owned(), theme.deleted_badge())
        } else {
            (state.to_string(), theme.badge(state))
        };
        let state_cell = fit(&state_text, widths[1]);
        let state_fill = " ".repeat(widths[1] - state_cell.width() + 1);
        lines.push(Line::from(vec![
            pointer(theme, index == run.selected),
            Span::raw(pad(&item.summary().display_name(), widths[0])),
            Span::raw(" "),
            Span::styled(state_cell, state_style),
            Span::raw(state_fill),
            Span::styled(
                pad(item.step.word(), STEP_WIDTH),
                step_style(theme, &item.step),
            ),
            Span::raw(" "),
            Span::raw(pad(item.step.sentence(), rest)),
        ]));
    }
    frame.render_widget(Paragraph::new(lines), area);
}
