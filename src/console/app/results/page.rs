//! A page of `access_tokens/list` as the app holds it: the rows, the selection, and where
//! the page is in the whole list.

use std::collections::BTreeMap;
use std::time::Duration;

use crate::api::{Document, ListQuery, TokenSummary};

/// One token of a results page: what its row shows, not the whole token, which is read
/// when it is opened.
#[derive(Debug)]
pub struct ResultRow {
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
    /// The marked tokens of the whole list, on this page or others, by `mark_key`: paging
    /// carries them over, so a clerk can mark across pages.
    pub marked: BTreeMap<String, TokenSummary>,
    /// The marks `A` has made so far while it reads the whole list: taken back if the list
    /// proves longer than the ceiling.
    pub marked_by_all: Vec<String>,
}

/// What tells a token apart in the marks: its number, else its id, else its code.
pub fn mark_key(summary: &TokenSummary) -> Option<String> {
    summary
        .number
        .clone()
        .or_else(|| summary.id.clone())
        .or_else(|| summary.authentication_code.clone())
}

impl ResultsView {
    pub(in crate::console::app) fn new(
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
            marked: BTreeMap::new(),
            marked_by_all: Vec::new(),
        }
    }

    /// Whether the row at `index` is marked.
    pub fn is_marked(&self, index: usize) -> bool {
        self.rows
            .get(index)
            .and_then(|row| mark_key(&row.summary))
            .is_some_and(|key| self.marked.contains_key(&key))
    }

    /// Marks the row at `index`, or unmarks it when it is marked. A deleted row cannot be.
    pub(in crate::console::app) fn toggle_mark(&mut self, index: usize) {
        let Some(row) = self.rows.get(index).filter(|row| !row.deleted) else {
            return;
        };
        let Some(key) = mark_key(&row.summary) else {
            return;
        };
        if self.marked.remove(&key).is_none() {
            self.marked.insert(key, row.summary.clone());
        }
    }

    /// Marks every row of the page (those deleted aside).
    pub(in crate::console::app) fn mark_page(&mut self) {
        for row in self.rows.iter().filter(|row| !row.deleted) {
            if let Some(key) = mark_key(&row.summary) {
                self.marked.insert(key, row.summary.clone());
            }
        }
    }

    /// Whether a next page may hold more tokens: this one is full.
    pub fn may_have_more(&self) -> bool {
        self.rows.len() >= self.query.number_of_results as usize
    }

    pub(in crate::console::app) fn select(&mut self, index: usize, page_rows: usize) {
        self.selected = index.min(self.rows.len().saturating_sub(1));
        self.offset = keep_visible(self.offset, self.selected, page_rows);
    }

    /// Keeps the page in step with what an action did to one of its tokens.
    pub(in crate::console::app) fn update_token(
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
                }
                row.deleted = deleted;
            }
        }
    }
}

/// The smallest scroll offset change that keeps `selected` within a page of `rows`.
pub(in crate::console::app) fn keep_visible(offset: usize, selected: usize, rows: usize) -> usize {
    let rows = rows.max(1);
    if selected < offset {
        selected
    } else if selected >= offset + rows {
        selected + 1 - rows
    } else {
        offset
    }
}
