//! The results page's keys: moving in it, paging through it and opening a token from it.

use super::keymap::{Command, Context};
use super::layout;
use super::msg::Effect;
use super::pending::Purpose;
use super::state::{App, Screen, Tone};
use crate::api::{ListQuery, Operation, TokenSummary};

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
        let first = results.query.offset as usize + 1;
        let last = results.query.offset as usize + results.rows.len();
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
            1 => " 1 marked.".to_owned(),
            n => format!(" {n} marked."),
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
        let Some(results) = &mut self.results else {
            return;
        };
        match command {
            Command::Up => results.select(results.selected.saturating_sub(1), page),
            Command::Down => results.select(results.selected + 1, page),
            Command::Home => results.select(0, page),
            Command::End => results.select(usize::MAX, page),
            Command::Open => self.open_selected(),
            Command::Mark => {
                results.toggle_mark(results.selected);
                results.select(results.selected + 1, page);
            }
            Command::MarkPage => results.mark_page(),
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
                let target = if command == Command::NextPage {
                    if !results.may_have_more() {
                        return self.notify(Tone::Info, "This is the last page.");
                    }
                    results.query.next_page()
                } else {
                    match results.query.previous_page() {
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

    /// Opens the selected result from the page already read: no second request on a slow
    /// link; `R` re-reads it when freshness matters, and actions are checked by the server.
    fn open_selected(&mut self) {
        let Some(results) = &self.results else { return };
        let Some(row) = results.rows.get(results.selected) else {
            return;
        };
        let (data, deleted) = (row.token.clone(), row.deleted);
        // The line names the token by its code, which finds it again; else by the page.
        let query = TokenSummary::from_value(&data.value)
            .authentication_code
            .unwrap_or_else(|| results.line.clone());
        let read_at = results.read_at;
        self.open_token(data, None, query);
        if let Some(view) = &mut self.token {
            view.deleted = deleted;
            view.read_at = read_at;
        }
        self.notice = None;
    }
}
