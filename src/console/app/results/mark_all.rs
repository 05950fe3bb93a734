//! `A` in the results: mark every token of the search, on every page. The whole list is
//! read again from its start, a page of 200 after another, each page's tokens marked as it
//! comes (only the summary a batch needs is kept of each), with progress on the status bar
//! and `Esc` to stop, what is marked so far staying marked. A list longer than the
//! profile's `list_ceiling` is refused, as the command line refuses a batch on one: the
//! marks `A` made are taken back.

use crate::api::{Document, ListQuery, Operation, TokenSummary, WHOLE_LIST_PAGE};
use crate::text::count;

use super::super::msg::Effect;
use super::super::pending::{MarkingAll, Purpose};
use super::super::state::{App, Tone};
use super::page::mark_key;

impl App {
    /// `A`: starts reading the whole list to mark every token of it.
    pub(in crate::console::app) fn mark_all(&mut self, effects: &mut Vec<Effect>) {
        if let Some(refusal) = self.busy_with_action() {
            return self.notify(Tone::Warning, refusal);
        }
        let Some(results) = &mut self.results else {
            return;
        };
        results.marked_by_all.clear();
        let query = ListQuery {
            owner: results.query.owner.clone(),
            number_of_results: WHOLE_LIST_PAGE,
            offset: 0,
        };
        let marking = MarkingAll {
            query: query.clone(),
            read: 0,
            total: results.total,
        };
        self.notice = None;
        self.send(
            Purpose::MarkAll(marking),
            Operation::List {
                query,
                fields: None,
            },
            effects,
        );
    }

    /// A page of the whole list: its tokens marked, then the next page asked for, or the
    /// end said.
    pub(in crate::console::app) fn marked_page(
        &mut self,
        marking: MarkingAll,
        tokens: Vec<Document>,
        effects: &mut Vec<Effect>,
    ) {
        let ceiling = self.list_ceiling;
        let Some(results) = &mut self.results else {
            return;
        };
        let full = tokens.len() >= marking.query.number_of_results as usize;
        let read = marking.read + tokens.len();
        for token in tokens {
            let summary = TokenSummary::from_value(&token.value);
            if let Some(key) = mark_key(&summary)
                && !results.marked.contains_key(&key)
            {
                results.marked.insert(key.clone(), summary);
                results.marked_by_all.push(key);
            }
        }
        let owner = results.query.owner.to_string();
        if read as u64 > ceiling {
            for key in std::mem::take(&mut results.marked_by_all) {
                results.marked.remove(&key);
            }
            return self.notify(
                Tone::Warning,
                format!(
                    "{owner} holds more than {} tokens (the profile's list_ceiling), too many for one batch: A marked none of them.",
                    count(usize::try_from(ceiling).unwrap_or(usize::MAX))
                ),
            );
        }
        if !full {
            results.total = Some(read);
            results.marked_by_all.clear();
            let marked = results.marked.len();
            return self.notify(
                Tone::Success,
                format!("{} marked: every token of {owner}.", count(marked)),
            );
        }
        let query = marking.query.next_page();
        let next = MarkingAll {
            query: query.clone(),
            read,
            total: marking.total,
        };
        self.send(
            Purpose::MarkAll(next),
            Operation::List {
                query,
                fields: None,
            },
            effects,
        );
    }

    /// `Esc`, or a failed page: marking stops, and what it marked stays marked.
    pub(in crate::console::app) fn marking_stopped(&mut self, why: Option<String>) {
        let Some(results) = &mut self.results else {
            return;
        };
        results.marked_by_all.clear();
        let marked = count(results.marked.len());
        match why {
            None => self.notify(
                Tone::Info,
                format!("Stopped marking; the {marked} marked so far stay marked."),
            ),
            Some(why) => self.notify(
                Tone::Error,
                format!("Marking stopped: {why} The {marked} marked so far stay marked."),
            ),
        }
    }
}
