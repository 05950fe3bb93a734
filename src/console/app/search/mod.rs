//! The search line's keys, its paste, and the search it sends.

pub(super) mod line;
pub mod query;
pub mod suggestions;

use super::edit;
use super::msg::Effect;
use super::pending::Purpose;
use super::state::{App, Modal, Screen, Tone};
use crate::api::Operation;
use crate::api::request::ApiCommand;
use crate::keys::{Command, Context, Key};
use line::SEARCH_LINE_MAX_CHARS;
use query::Query;

/// The search line's keys, a paste, and sending the line.
impl App {
    pub(super) fn search_key(&mut self, key: Key, effects: &mut Vec<Effect>) {
        // On an empty line `?` asks for the help and `/` (the habit from less and vim) is
        // already where it leads; with text in the line both are characters.
        if self.search.input.value().is_empty() {
            match self.keymap.command(&[Context::Global], key) {
                Some(Command::Help) => return self.command(Command::Help, effects),
                Some(Command::FocusSearch) => {
                    self.changed = false;
                    return;
                }
                _ => {}
            }
        }
        match self.keymap.command(&[Context::Search], key) {
            Some(Command::Submit) => self.submit_search(effects),
            Some(Command::Back) => {
                // Esc first leaves the line, abandoning the search it started; a second Esc
                // (now unfocused) goes back.
                if let Some(pending) = self
                    .pending
                    .take_if(|p| matches!(p.purpose, Purpose::Search { .. }))
                {
                    effects.push(Effect::Api(ApiCommand::Cancel(pending.id)));
                    self.notify(Tone::Info, "Cancelled.");
                }
                let shown = self.shown_query().to_owned();
                self.search.leave(&shown, &self.mask);
            }
            Some(Command::Earlier) => self.search.walk_back(),
            Some(Command::Later) => self.search.walk_forward(),
            Some(Command::Leave) if self.screen != Screen::Home => {
                let shown = self.shown_query().to_owned();
                self.search.leave(&shown, &self.mask);
            }
            _ => {
                if let Some(request) = edit::input_request(&self.keymap, key) {
                    self.search.input.handle(request);
                }
            }
        }
    }

    pub(super) fn paste(&mut self, text: &str) {
        if let Some(prompt) = self.modal.as_mut().and_then(Modal::prompt_mut) {
            prompt.paste(text);
        } else if self.modal.is_none() && self.batch_running() {
            // A paste is a search, and no search replaces a batch that is running.
            self.changed = false;
        } else if self.modal.is_none() && self.finding() && !self.search.focused {
            // The find line has the keyboard: the paste is what to find.
            let clean = crate::text::sanitize(text);
            self.find_paste(&clean);
        } else if self.modal.is_none() {
            // A paste is a search: it goes to the search line, whatever had the keyboard.
            // One line: what a paste holds becomes spaces, never controls. Onto a line that
            // did not have the keyboard it starts a fresh search, as `/` does; it is not
            // glued to the end of the last one.
            if !self.search.focused {
                self.search.input.reset();
                self.search.focused = true;
            }
            let clean = crate::text::sanitize(text);
            let room =
                SEARCH_LINE_MAX_CHARS.saturating_sub(self.search.input.value().chars().count());
            let kept = match clean.char_indices().nth(room) {
                Some((cut, _)) => {
                    self.notify(
                        Tone::Warning,
                        format!(
                            "The paste was cut: a search line holds at most {SEARCH_LINE_MAX_CHARS} characters."
                        ),
                    );
                    &clean[..cut]
                }
                None => &clean[..],
            };
            edit::insert_text(&mut self.search.input, kept);
        }
    }

    pub(super) fn submit_search(&mut self, effects: &mut Vec<Effect>) {
        let line = self.search.line_to_run();
        let query = match query::parse(&line) {
            Ok(query) => query,
            Err(hint) => return self.notify(Tone::Warning, hint.to_string()),
        };
        if query::holds_a_mask(&query, &self.mask) {
            return self.notify(
                Tone::Warning,
                "Type the pass code again: the line shows it masked.",
            );
        }
        if let Some(refusal) = self.busy_with_action() {
            return self.notify(Tone::Warning, refusal);
        }
        // The line keeps the keyboard until the answer comes: until then the screen shows
        // something else than the line names, and no key may act on it.
        self.search.remember(&line, &self.mask);
        // From here on the line is shown with its pass code masked, as the tree shows it.
        let line = query::shown(&line, &self.mask);
        let query = match query {
            Query::List(mut list) => {
                list.number_of_results = self.results_page_size();
                Query::List(list)
            }
            show => show,
        };
        let operation = match &query {
            Query::Show(identifier) => Operation::Show {
                identifier: identifier.clone(),
                fields: None,
            },
            Query::List(list) => Operation::List {
                query: list.clone(),
                fields: None,
            },
        };
        self.send(Purpose::Search { query, line }, operation, effects);
    }
}
