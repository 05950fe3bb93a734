//! A page of `access_tokens/list` as the app holds it: the rows, the selection, and where
//! the page is in the whole list.

use std::collections::BTreeMap;
use std::time::Duration;

use crate::api::{Document, ListQuery, TokenSummary};

/// The most pages of rows held: moving on past the rows held reads a page more, and the
/// rows furthest from the screen go, so a long walk through a list costs little memory.
pub const MAX_HELD_PAGES: usize = 5;

/// One token of a results page: what its row shows, not the whole token, which is read
/// when it is opened.
#[derive(Debug)]
pub struct ResultRow {
    pub summary: TokenSummary,
    /// Deleted since the page was read.
    pub deleted: bool,
}

/// Which way a read goes past the rows held: on after the last, or back before the first.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Beyond {
    After,
    Before,
}

/// The rows of `access_tokens/list` held at once: a page, and the pages moving past its
/// ends read on to, a few screenfuls at most.
#[derive(Debug)]
pub struct ResultsView {
    /// The query of the first row held: its offset is that row's place in the whole list,
    /// its number of results the size of a page.
    pub query: ListQuery,
    /// The search line that lists this page.
    pub line: String,
    pub rows: Vec<ResultRow>,
    pub selected: usize,
    /// The first row on screen, an index into `rows`.
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
    /// Moves pressed on past an end that wait for the read past it (the one that sent it
    /// among them): made when its rows come, so a held key loses none of its presses.
    pub moves_ahead: usize,
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
            moves_ahead: 0,
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

    /// Marks every row held (those deleted aside).
    pub(in crate::console::app) fn mark_page(&mut self) {
        for row in self.rows.iter().filter(|row| !row.deleted) {
            if let Some(key) = mark_key(&row.summary) {
                self.marked.insert(key, row.summary.clone());
            }
        }
    }

    /// Whether the list may hold tokens after the last row held: its total is not known,
    /// or is more than the rows up to there.
    pub fn may_have_more(&self) -> bool {
        let end = self.query.offset as usize + self.rows.len();
        self.total.is_none_or(|total| end < total)
    }

    /// Whether the list holds rows after the screen: held, or maybe on the server.
    pub fn has_rows_after(&self, page_rows: usize) -> bool {
        self.rows.len() > self.offset + page_rows || self.may_have_more()
    }

    /// The place in the whole list of the first row on screen: where the view is, for a
    /// scroll by the terminal, and where paging goes on from.
    pub fn first_shown(&self) -> usize {
        self.query.offset as usize + self.offset
    }

    /// The page that starts at the first row on screen, as the next and previous pages
    /// are counted from it.
    pub fn shown_page(&self) -> ListQuery {
        ListQuery {
            offset: u32::try_from(self.first_shown()).unwrap_or(u32::MAX),
            ..self.query.clone()
        }
    }

    /// The page after the last row held, to read on past it.
    pub(in crate::console::app) fn following(&self) -> ListQuery {
        let rows = u32::try_from(self.rows.len()).unwrap_or(u32::MAX);
        ListQuery {
            offset: self.query.offset.saturating_add(rows),
            ..self.query.clone()
        }
    }

    /// The page before the first row held, to read back past it.
    pub(in crate::console::app) fn preceding(&self) -> Option<ListQuery> {
        self.query.previous_page()
    }

    /// Takes the page a read past the rows held brought, and moves the highlight into it
    /// when the highlight is at that end, a row for each move that waited for it (none
    /// when none waited or no row came). Returns how many rows came.
    pub(in crate::console::app) fn take_read(
        &mut self,
        beyond: Beyond,
        query: &ListQuery,
        tokens: Vec<Document>,
        page_rows: usize,
    ) -> usize {
        let moves = std::mem::take(&mut self.moves_ahead);
        match beyond {
            Beyond::After => {
                let at_end = self.selected + 1 == self.rows.len();
                let came = self.append(query, tokens);
                if at_end {
                    self.select(self.selected + moves.min(came), page_rows);
                }
                came
            }
            Beyond::Before => {
                let at_start = self.selected == 0;
                let came = self.prepend(query, tokens);
                if at_start {
                    self.select(self.selected - moves.min(came), page_rows);
                }
                came
            }
        }
    }

    /// Appends the page `query` read, when it follows the rows held, and drops rows from
    /// the front beyond `MAX_HELD_PAGES` pages (they are off screen). A page that is not
    /// full shows the total. Returns how many rows came.
    fn append(&mut self, query: &ListQuery, tokens: Vec<Document>) -> usize {
        if query.offset != self.following().offset || query.owner != self.query.owner {
            return 0;
        }
        let came = tokens.len();
        if came < query.number_of_results as usize {
            self.total = Some(query.offset as usize + came);
        }
        self.rows.extend(tokens.into_iter().map(|token| ResultRow {
            summary: TokenSummary::from_value(&token.value),
            deleted: false,
        }));
        let held = MAX_HELD_PAGES * self.query.number_of_results as usize;
        let over = self.rows.len().saturating_sub(held).min(self.offset);
        self.rows.drain(..over);
        self.query.offset = self
            .query
            .offset
            .saturating_add(u32::try_from(over).unwrap_or(u32::MAX));
        self.selected -= over;
        self.offset -= over;
        came
    }

    /// Puts the rows of the page `query` read that come before the rows held in front of
    /// them, and drops rows from the back beyond `MAX_HELD_PAGES` pages. Returns how many
    /// rows came.
    fn prepend(&mut self, query: &ListQuery, tokens: Vec<Document>) -> usize {
        let Some(gap) = self.query.offset.checked_sub(query.offset) else {
            return 0;
        };
        if query.owner != self.query.owner {
            return 0;
        }
        let before: Vec<ResultRow> = tokens
            .into_iter()
            .take(gap as usize)
            .map(|token| ResultRow {
                summary: TokenSummary::from_value(&token.value),
                deleted: false,
            })
            .collect();
        let came = before.len();
        if came < gap as usize {
            // The list shrank since: the rows held are no longer where they were.
            return 0;
        }
        self.rows.splice(..0, before);
        self.query.offset = query.offset;
        self.selected += came;
        self.offset += came;
        // The highlight may be far down (End while the read was on its way): its row stays.
        let held = MAX_HELD_PAGES * self.query.number_of_results as usize;
        self.rows.truncate(held.max(self.selected + 1));
        came
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

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::{MAX_HELD_PAGES, ResultsView};
    use crate::api::{Document, ListOwner, ListQuery};

    fn tokens(from: usize, count: usize) -> Vec<Document> {
        (from..from + count)
            .map(|n| Document::from(serde_json::json!({ "number": format!("AT{n:04}") })))
            .collect()
    }

    fn page(offset: u32) -> ListQuery {
        ListQuery {
            offset,
            number_of_results: 10,
            ..ListQuery::first_page(ListOwner::AccountsReceivable("ACR1".into()))
        }
    }

    fn number(view: &ResultsView, index: usize) -> Option<&str> {
        view.rows[index].summary.number.as_deref()
    }

    #[test]
    fn reading_on_holds_a_few_pages_and_drops_the_rows_furthest_from_the_screen() {
        let mut view = ResultsView::new(page(0), "acr".into(), tokens(0, 10), Duration::ZERO, None);
        for n in 1..=MAX_HELD_PAGES as u32 + 2 {
            let next = view.following();
            assert_eq!(
                next.offset,
                page(10 * n).offset,
                "the page after the rows held"
            );
            view.select(view.rows.len() - 1, 10);
            assert_eq!(view.append(&next, tokens(10 * n as usize, 10)), 10);
            view.select(view.selected + 1, 10);
        }
        assert_eq!(view.rows.len(), MAX_HELD_PAGES * 10);
        assert_eq!(number(&view, view.selected), Some("AT0070"));
        assert_eq!(view.first_shown(), 61, "the screen stays where it was");
        assert_eq!(
            view.query.offset as usize + view.selected,
            70,
            "the selection is the same token"
        );
        // A page that is not where the rows end, or of another list, is not taken; a short
        // one ends the list.
        assert_eq!(view.append(&page(0), tokens(0, 10)), 0);
        let other = ListQuery {
            owner: ListOwner::AccountsReceivable("ACR2".into()),
            ..view.following()
        };
        assert_eq!(view.append(&other, tokens(80, 10)), 0);
        let last = view.following();
        assert_eq!(view.append(&last, tokens(80, 3)), 3);
        assert!(!view.may_have_more());
    }

    #[test]
    fn reading_back_puts_the_rows_before_in_front_and_keeps_the_selection() {
        let mut view =
            ResultsView::new(page(20), "acr".into(), tokens(20, 10), Duration::ZERO, None);
        let before = view.preceding().expect("a page before");
        assert_eq!(before.offset, 10);
        assert_eq!(view.prepend(&before, tokens(10, 10)), 10);
        assert_eq!((view.query.offset, view.selected), (10, 10));
        assert_eq!(number(&view, view.selected), Some("AT0020"));
        // The list shrank since: a page too short to reach the rows held is not taken.
        let before = view.preceding().expect("a page before");
        assert_eq!(view.prepend(&before, tokens(0, 4)), 0);
        assert_eq!(view.query.offset, 10);
    }
}
