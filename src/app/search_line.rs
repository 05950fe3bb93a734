//! The search line: a tui-input buffer, whether it has the keyboard, this session's history,
//! and the one rule that keeps it honest: when the keyboard is not in the line, the line
//! shows the query of what is on screen. So a clerk never reads one query above another
//! token and acts on the token the line does not name.

use tui_input::{Input, InputRequest};

/// The longest search line a paste makes: every search is far shorter, and a paste of a
/// whole document must not become a line to draw and send.
pub const SEARCH_LINE_MAX_CHARS: usize = 256;

/// The search line; the history is newest last.
#[derive(Debug, Default)]
pub struct SearchLine {
    pub input: Input,
    pub focused: bool,
    pub history: Vec<String>,
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
    pub fn leave(&mut self, shown: &str) {
        self.focused = false;
        let typed = self.input.value().trim().to_owned();
        if !typed.is_empty() && typed != shown && !self.history.contains(&typed) {
            self.remember(&typed);
        }
        self.show(shown);
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

    pub(super) fn walk_back(&mut self) {
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
        self.input = Input::new(self.history[next].clone());
    }

    pub(super) fn walk_forward(&mut self) {
        match self.browsing {
            None => {}
            Some(i) if i + 1 < self.history.len() => {
                self.browsing = Some(i + 1);
                self.input = Input::new(self.history[i + 1].clone());
            }
            Some(_) => {
                self.browsing = None;
                self.input = Input::new(std::mem::take(&mut self.draft));
            }
        }
    }

    pub(super) fn remember(&mut self, line: &str) {
        self.browsing = None;
        self.draft.clear();
        if self.history.last().map(String::as_str) != Some(line) {
            self.history.push(line.to_owned());
        }
    }
}
