//! A page of `access_tokens/list` on screen: the rows, the selection, where the page is in
//! the whole list and, once known, how many tokens the list holds; and the keys that move
//! in it, page through it and open a token from it.

use std::time::Duration;

use super::keymap::{Command, Context};
use super::{App, Effect, Purpose, Screen, Tone, layout};
use crate::api::{Document, ListQuery, Operation, TokenSummary};

/// One token of a results page.
#[derive(Debug)]
pub struct ResultRow {
    /// The token as the server sent it, opened without a second request.
    pub token: Document,
    pub summary: TokenSummary,
    /// Deleted since the page was read.
    pub deleted: bool,
}

/// One page of `access_tokens/list`.
#[derive(Debug)]
pub struct ResultsView {
    pub query: ListQuery,
    /// The search line that lists this page.
    pub line: String,
    pub rows: Vec<ResultRow>,
    pub selected: usize,
    pub offset: usize,
    /// How many tokens the whole list holds, once a page that is not full (or an empty
    /// next page) has shown it.
    pub total: Option<usize>,
    /// When the page was read, on the app's clock.
    pub read_at: Duration,
}

impl ResultsView {
    pub(super) fn new(
        query: ListQuery,
        line: String,
        tokens: Vec<Document>,
        read_at: Duration,
        total: Option<usize>,
    ) -> ResultsView {
        let rows: Vec<ResultRow> = tokens
            .into_iter()
            .map(|token| ResultRow {
                summary: TokenSummary::from_value(&token.value),
                token,
                deleted: false,
            })
            .collect();
        // A page that is not full is the last: the total is known.
        let total = if rows.len() < query.number_of_results as usize {
            Some(query.offset as usize + rows.len())
        } else {
            total
        };
        ResultsView {
            query,
            line,
            rows,
            selected: 0,
            offset: 0,
            total,
            read_at,
        }
    }

    /// Whether a next page may hold more tokens: this one is full.
    pub fn may_have_more(&self) -> bool {
        self.rows.len() >= self.query.number_of_results as usize
    }

    pub(super) fn select(&mut self, index: usize, page_rows: usize) {
        self.selected = index.min(self.rows.len().saturating_sub(1));
        self.offset = keep_visible(self.offset, self.selected, page_rows);
    }

    /// Keeps the page in step with what an action did to one of its tokens.
    pub(super) fn update_token(
        &mut self,
        number: Option<&str>,
        token: Option<&Document>,
        deleted: bool,
    ) {
        let Some(number) = number else { return };
        for row in &mut self.rows {
            if row.summary.number.as_deref() == Some(number) {
                if let Some(token) = token.filter(|t| t.value.is_object()) {
                    row.summary = TokenSummary::from_value(&token.value);
                    row.token = token.clone();
                }
                row.deleted = deleted;
            }
        }
    }
}

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
        Some(crate::text::sanitize(&text).into_owned())
    }

    /// A page holds as many tokens as the screen shows, so PageDown reads one screenful.
    pub(super) fn results_page_size(&self) -> u32 {
        u32::try_from(layout::results_rows(self.width, self.height, 1))
            .unwrap_or(ListQuery::DEFAULT_PAGE)
            .clamp(5, 100)
    }

    pub(super) fn results_command(&mut self, command: Command, effects: &mut Vec<Effect>) {
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

/// The smallest scroll offset change that keeps `selected` within a page of `rows`.
fn keep_visible(offset: usize, selected: usize, rows: usize) -> usize {
    let rows = rows.max(1);
    if selected < offset {
        selected
    } else if selected >= offset + rows {
        selected + 1 - rows
    } else {
        offset
    }
}
