//! The search line: a tui-input buffer, whether it has the keyboard, this session's history,
//! and the one rule that keeps it honest: when the keyboard is not in the line, the line
//! shows the query of what is on screen. So a clerk never reads one query above another
//! token and acts on the token the line does not name.

use tui_input::{Input, InputRequest};

use super::query;
use crate::mask::Mask;

/// The longest search line a paste makes: every search is far shorter, and a paste of a
/// whole document must not become a line to draw and send.
pub const SEARCH_LINE_MAX_CHARS: usize = 256;

/// A line of the history: as shown (a pass code masked, as the tree masks it) and as run.
/// The pass code itself lives only here, in memory, for Up and Enter to run it again.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Remembered {
    shown: String,
    line: String,
}

/// The search line; the history is newest last.
#[derive(Debug, Default)]
pub struct SearchLine {
    pub input: Input,
    pub focused: bool,
    history: Vec<Remembered>,
    /// Position while walking the history with Up/Down; `None` when editing fresh text.
    browsing: Option<usize>,
    /// The text being edited before the walk began, restored by walking past the newest.
    draft: String,
}

impl SearchLine {
    /// An empty line with the keyboard, as the console starts.
    pub fn focused() -> SearchLine {
        SearchLine {
            focused: true,
            ..SearchLine::default()
        }
    }

    /// The keyboard leaves the line without running it: the line shows `shown` (the query
    /// of what is on screen) again. What was typed is kept in the history, where Up finds it.
    pub fn leave(&mut self, shown: &str, mask: &Mask) {
        self.focused = false;
        let typed = self.line_to_run();
        let known = self
            .history
            .iter()
            .any(|r| r.line == typed || r.shown == typed);
        if !typed.is_empty() && typed != shown && !known {
            self.remember(&typed, mask);
        }
        self.show(shown);
    }

    /// The history as shown, oldest first.
    pub fn history(&self) -> impl Iterator<Item = &str> {
        self.history.iter().map(|r| r.shown.as_str())
    }

    /// What Enter runs: the line as typed, or, when it is a remembered line as shown (its
    /// pass code masked), that line as it was run.
    pub fn line_to_run(&self) -> String {
        let value = self.input.value().trim();
        self.history
            .iter()
            .rev()
            .find(|r| r.shown == value)
            .map_or_else(|| value.to_owned(), |r| r.line.clone())
    }

    /// Puts `query` in the line, the cursor at its end, unless it is there already.
    pub fn show(&mut self, query: &str) {
        self.browsing = None;
        if self.input.value() != query {
            self.input = Input::new(query.to_owned());
        }
    }

    /// The cursor to the end of the line, where a typo in a failed search is fixed.
    pub fn cursor_to_end(&mut self) {
        self.input.handle(InputRequest::GoToEnd);
    }

    pub(in crate::console::app) fn walk_back(&mut self) {
        let next = match self.browsing {
            None if self.history.is_empty() => return,
            None => {
                self.draft = self.input.value().to_owned();
                self.history.len() - 1
            }
            Some(0) => 0,
            Some(i) => i - 1,
        };
        self.browsing = Some(next);
        self.input = Input::new(self.history[next].shown.clone());
    }

    pub(in crate::console::app) fn walk_forward(&mut self) {
        match self.browsing {
            None => {}
            Some(i) if i + 1 < self.history.len() => {
                self.browsing = Some(i + 1);
                self.input = Input::new(self.history[i + 1].shown.clone());
            }
            Some(_) => {
                self.browsing = None;
                self.input = Input::new(std::mem::take(&mut self.draft));
            }
        }
    }

    pub(in crate::console::app) fn remember(&mut self, line: &str, mask: &Mask) {
        self.browsing = None;
        self.draft.clear();
        if self.history.last().map(|r| r.line.as_str()) != Some(line) {
            self.history.push(Remembered {
                shown: query::shown(line, mask),
                line: line.to_owned(),
            });
        }
    }
}
