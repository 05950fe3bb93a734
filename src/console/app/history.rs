//! `H`: the token on screen's history, as this machine's audit log tells it, newest first,
//! in an overlay that scrolls like the help and closes on any other key. The log is read
//! off `update` (`Effect::ReadHistory`); its answer comes back as `Msg::HistoryRead`.

use crate::audit::read::HistoryRow;
use crate::keys::{Command, Context, Key};

use super::msg::Effect;
use super::scrolling::{ScrollingList, visible_lines};
use super::state::{App, Modal, Screen};

/// The history overlay.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct History {
    /// How the token is named in the title.
    pub token_name: String,
    /// `None` while the log is being read; `Err`: why it could not be.
    pub rows: Option<Result<Vec<HistoryRow>, String>>,
    /// Where it is scrolled to.
    pub list: ScrollingList,
}

impl History {
    /// The lines to show in `width` columns: one a row, its reason below it, and a line too
    /// long for the box (a path in a sentence, a long reason) wrapped as the help wraps, not
    /// cut.
    pub fn lines(&self, width: usize) -> Vec<String> {
        self.unwrapped()
            .into_iter()
            .flat_map(|line| {
                let line = crate::text::sanitize(&line).into_owned();
                if unicode_width::UnicodeWidthStr::width(line.as_str()) <= width {
                    vec![line]
                } else {
                    crate::text::wrap(&line, width)
                }
            })
            .collect()
    }

    fn unwrapped(&self) -> Vec<String> {
        match &self.rows {
            None => vec!["Reading the audit log…".into()],
            Some(Err(why)) => vec![why.clone()],
            Some(Ok(rows)) if rows.is_empty() => vec![format!(
                "This machine's audit log holds nothing about {}.",
                self.token_name
            )],
            Some(Ok(rows)) => rows
                .iter()
                .flat_map(|row| {
                    let line = format!(
                        "{}  {}  {}  {}",
                        row.time, row.operator, row.action, row.result
                    );
                    let reason = row.reason.as_ref().map(|r| format!("    reason: {r}"));
                    std::iter::once(line).chain(reason)
                })
                .collect(),
        }
    }
}

impl App {
    /// Opens the history of the token on screen and asks for the log to be read.
    pub(super) fn open_history(&mut self, effects: &mut Vec<Effect>) {
        let Some(token) = self.token.as_ref().filter(|_| self.screen == Screen::Token) else {
            self.changed = false;
            return;
        };
        let summary = &token.summary;
        let names: Vec<String> = [
            &summary.number,
            &summary.authentication_code,
            &summary.identifier,
            &summary.id,
        ]
        .into_iter()
        .flatten()
        .cloned()
        .collect();
        self.modal = Some(Modal::History(History {
            token_name: summary.display_name(),
            rows: None,
            list: ScrollingList::default(),
        }));
        effects.push(Effect::ReadHistory(names));
    }

    /// The log's answer, for the history still open.
    pub(super) fn history_read(&mut self, rows: Result<Vec<HistoryRow>, String>) {
        match &mut self.modal {
            Some(Modal::History(history)) if history.rows.is_none() => {
                history.rows = Some(rows);
            }
            _ => self.changed = false,
        }
    }

    /// How many of the history's lines show at once.
    pub fn history_visible(&self) -> usize {
        visible_lines(self.height, 0)
    }

    /// How wide the history's lines may be: the screen less its box's borders and padding.
    pub fn history_width(&self) -> usize {
        usize::from(self.width.saturating_sub(6)).max(1)
    }

    /// Whether a history of `lines` lines has more than its box shows: only then do keys
    /// scroll it.
    pub fn history_scrolls(&self, lines: usize) -> bool {
        lines > self.history_visible()
    }

    /// Scrolls the history as the help's scrolling keys do (a key or the wheel); false for
    /// any other command.
    pub(super) fn history_scroll(&mut self, command: Command) -> bool {
        let (width, visible) = (self.history_width(), self.history_visible());
        let Some(Modal::History(history)) = &mut self.modal else {
            return false;
        };
        let len = history.lines(width).len();
        history.list.scroll(command, len, visible)
    }

    /// A key in the history: the help's scrolling keys scroll while there is more than fits;
    /// any other key closes it.
    pub(super) fn history_key(&mut self, history: History, key: Key) {
        let Some(command) = self.keymap.command(&[Context::Help], key) else {
            return;
        };
        let scrolls = self.history_scrolls(history.lines(self.history_width()).len());
        self.modal = Some(Modal::History(history));
        // With nothing to scroll every key closes it, as its box says.
        if !(scrolls && self.history_scroll(command)) {
            self.modal = None;
        }
    }
}
