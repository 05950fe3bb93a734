//! The results page's keys: moving in it, paging through it and opening a token from it.

pub(super) mod mark_all;
pub(super) mod page;

use super::layout;
use super::msg::Effect;
use super::pending::Purpose;
use super::state::{App, Screen, Tone};
use crate::api::{AccessTokenIdentifier, ListQuery, Operation};
use crate::keys::{Command, Context};
use page::Beyond;

impl App {
    /// Where the results page is in the whole list, and the total once it is known.
    pub fn results_position(&self) -> Option<String> {
        let results = self
            .results
            .as_ref()
            .filter(|_| self.screen == Screen::Results)?;
        if results.rows.is_empty() {
            // The empty table says so itself.
            return None;
        }
        // A page's worth from the first row on screen (the rows on screen depend on the
        // status bar's height, which depends on this text).
        let page = results.query.number_of_results as usize;
        let first = results.first_shown() + 1;
        let last = results.first_shown() + page.min(results.rows.len() - results.offset);
        let owner = &results.query.owner;
        let text = match results.total {
            Some(total) => format!("{owner}: tokens {first}-{last} of {total}."),
            None => {
                let key = self
                    .keymap
                    .key_for(Context::Results, Command::NextPage)
                    .map_or_else(|| "the next page".to_owned(), |k| k.to_string());
                format!("{owner}: tokens {first}-{last}; {key} for more.")
            }
        };
        let marks = match results.marked.len() {
            0 => String::new(),
            n => format!(" {} marked.", crate::text::count(n)),
        };
        Some(crate::text::sanitize(&text).into_owned() + &marks)
    }

    /// A page holds as many tokens as the screen shows, so PageDown reads one screenful.
    pub(super) fn results_page_size(&self) -> u32 {
        u32::try_from(layout::results_rows(self.width, self.height, 1))
            .unwrap_or(ListQuery::DEFAULT_PAGE)
            .clamp(5, 100)
    }

    pub(super) fn results_command(&mut self, command: Command, effects: &mut Vec<Effect>) {
        if self.batch.is_some() {
            return self.batch_command(command);
        }
        let page = layout::results_rows(self.width, self.height, self.status_rows());
        let busy_with_action = self.busy_with_action();
        let reading = self.reading_beyond();
        let Some(results) = &mut self.results else {
            return;
        };
        if !matches!(command, Command::Up | Command::Down) {
            // Moves pressed on past an end count only while the clerk goes on moving.
            results.moves_ahead = 0;
        }
        match command {
            // A move back while moves on wait for a read takes one of them back.
            Command::Up if reading == Some(Beyond::After) && results.moves_ahead > 0 => {
                results.moves_ahead -= 1;
            }
            Command::Down if reading == Some(Beyond::Before) && results.moves_ahead > 0 => {
                results.moves_ahead -= 1;
            }
            Command::Up if results.selected == 0 => {
                if let Some(query) = results.preceding() {
                    self.read_more(query, Beyond::Before, busy_with_action, effects);
                }
            }
            Command::Down
                if results.selected + 1 >= results.rows.len()
                    && results.may_have_more()
                    && !results.rows.is_empty() =>
            {
                let query = results.following();
                self.read_more(query, Beyond::After, busy_with_action, effects);
            }
            Command::Up => results.select(results.selected - 1, page),
            Command::Down => results.select(results.selected + 1, page),
            Command::Home => results.select(0, page),
            Command::End => results.select(usize::MAX, page),
            Command::Open => {
                if let Some(refusal) = busy_with_action {
                    return self.notify(Tone::Warning, refusal);
                }
                self.open_selected(effects);
            }
            Command::Mark => {
                results.toggle_mark(results.selected);
                results.select(results.selected + 1, page);
            }
            Command::MarkPage => results.mark_page(),
            Command::MarkAll => self.mark_all(effects),
            Command::ClearMarks => {
                let cleared = results.marked.len();
                results.marked.clear();
                if cleared > 0 {
                    self.notify(Tone::Info, format!("{cleared} marks cleared."));
                }
            }
            Command::NextPage | Command::PreviousPage => {
                if let Some(refusal) = busy_with_action {
                    return self.notify(Tone::Warning, refusal);
                }
                let shown = results.shown_page();
                let target = if command == Command::NextPage {
                    if !results.has_rows_after(page) {
                        return self.notify(Tone::Info, "This is the last page.");
                    }
                    shown.next_page()
                } else {
                    match shown.previous_page() {
                        Some(q) => q,
                        None => return self.notify(Tone::Info, "This is the first page."),
                    }
                };
                let operation = Operation::List {
                    query: target.clone(),
                    fields: None,
                };
                self.send(Purpose::Page(target), operation, effects);
            }
            _ => {}
        }
    }

    /// Which way the read past the rows held that is on its way goes, if one is.
    fn reading_beyond(&self) -> Option<Beyond> {
        match self.pending.as_ref()?.purpose {
            Purpose::ReadMore { beyond, .. } => Some(beyond),
            _ => None,
        }
    }

    /// Reads the page past an end of the rows held, as the cursor moves past it; once, while
    /// such a read is on its way: a move on past the same end meanwhile waits for it, up to
    /// a page of them. An action in flight is not cancelled for it.
    fn read_more(
        &mut self,
        query: ListQuery,
        beyond: Beyond,
        busy_with_action: Option<String>,
        effects: &mut Vec<Effect>,
    ) {
        if let Some(refusal) = busy_with_action {
            return self.notify(Tone::Warning, refusal);
        }
        if let Some(reading) = self.reading_beyond() {
            if let Some(results) = self.results.as_mut().filter(|_| reading == beyond) {
                let page = results.query.number_of_results as usize;
                results.moves_ahead = (results.moves_ahead + 1).min(page);
            }
            return;
        }
        if let Some(results) = &mut self.results {
            results.moves_ahead = 1;
        }
        let operation = Operation::List {
            query: query.clone(),
            fields: None,
        };
        self.send(Purpose::ReadMore { query, beyond }, operation, effects);
    }

    /// Opens the selected result by reading it whole: the page keeps only each token's
    /// summary (what its row shows), so a long list costs little memory, and the token
    /// opened is as the server has it now. It is read by its code, the one way CRM.COM finds
    /// a token; the search line then names it by that code.
    fn open_selected(&mut self, effects: &mut Vec<Effect>) {
        let Some(results) = &self.results else { return };
        let Some(row) = results.rows.get(results.selected) else {
            return;
        };
        let name = row.summary.display_name();
        if row.deleted {
            // The token last opened is still held whole: shown as it was when deleted.
            let number = row.summary.number.as_deref();
            if number.is_some()
                && self
                    .token
                    .as_ref()
                    .is_some_and(|t| t.summary.number.as_deref() == number)
            {
                self.screen = Screen::Token;
                self.notice = None;
                return;
            }
            return self.notify(Tone::Info, format!("{name} was deleted."));
        }
        let Some(code) = row.summary.authentication_code.clone() else {
            return self.notify(
                Tone::Warning,
                format!(
                    "{name} has no authentication code, and CRM.COM finds a token only by its code (or identifier and pass code): it cannot be opened."
                ),
            );
        };
        let operation = Operation::Show {
            identifier: AccessTokenIdentifier::AuthenticationCode(code.clone()),
            fields: None,
        };
        // What was said about the page is not about the token being opened.
        self.notice = None;
        self.send(Purpose::Open { code, name }, operation, effects);
    }
}
