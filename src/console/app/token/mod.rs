//! The token on screen: its tree's keys, its raw JSON view, and how a new answer replaces it.

pub(super) mod copy;
pub(super) mod copy_command;
pub(super) mod find;
pub mod find_line;
pub(super) mod fresh;
pub(super) mod reveal;
pub(super) mod view;

use serde_json::Value;

use crate::api::{AccessTokenIdentifier, Document, TokenSummary};
use crate::mask::Mask;
use crate::text::json_for_terminal;
use crate::tree::TokenTree;

use super::layout;
use super::search::suggestions;
use super::state::{App, Screen, Tone};
use crate::keys::Command;
use view::{RawView, TokenView};

impl App {
    /// The suggestions on the empty screen follow what the token on screen is now.
    pub(super) fn follow_token(&mut self) {
        if let Some(view) = &self.token {
            suggestions::follow_token(&mut self.suggestions, &view.summary, view.deleted);
        }
        self.note_recent();
    }

    pub(super) fn open_token(
        &mut self,
        data: Document,
        searched: Option<AccessTokenIdentifier>,
        query: String,
    ) {
        let summary = TokenSummary::from_value(&data.value);
        // Act on the token by its code when it has one: it works for every method.
        let identifier = summary
            .authentication_code
            .clone()
            .map(AccessTokenIdentifier::AuthenticationCode)
            .or(searched);
        let tree = self.fresh_tree(&data);
        self.token = Some(TokenView {
            data: data.value,
            summary,
            tree,
            identifier,
            query,
            read_at: self.clock.now,
            deleted: false,
            raw: None,
            find: None,
        });
        self.screen = Screen::Token;
        self.follow_token();
    }

    /// A new answer for the token on screen: keep what the clerk had open where it still
    /// exists, and keep the results page in step.
    pub(super) fn replace_token(&mut self, data: Document) {
        if self.token.is_none() {
            return self.open_token(data, None, String::new());
        }
        let mut tree = self.fresh_tree(&data);
        let Some(view) = &mut self.token else { return };
        tree.adopt_view_of(&view.tree);
        view.summary = TokenSummary::from_value(&data.value);
        if let Some(code) = view.summary.authentication_code.clone() {
            view.identifier = Some(AccessTokenIdentifier::AuthenticationCode(code));
        }
        view.tree = tree;
        view.read_at = self.clock.now;
        if view.raw.is_some() {
            view.raw = Some(raw_view(&data.value, &self.mask, view.tree.revealed()));
        }
        if let (Some(view), Some(results)) = (&self.token, &mut self.results) {
            results.update_token(view.summary.number.as_deref(), Some(&data), false);
        }
        if let Some(view) = &mut self.token {
            view.data = data.value;
        }
        self.follow_token();
    }

    pub(super) fn fresh_tree(&self, data: &Document) -> TokenTree {
        // A new tree starts masked: a reveal is for the token it was recorded for.
        let mut tree = TokenTree::from_document_masked(data, &self.mask);
        tree.set_viewport_height(layout::tree_rows(
            self.width,
            self.height,
            self.status_rows(),
        ));
        tree
    }

    pub(super) fn tree_command(&mut self, command: Command) {
        let page = layout::raw_rows(self.width, self.height, self.status_rows());
        let Some(token) = &mut self.token else { return };
        if let Some(raw) = &mut token.raw {
            let last = raw.lines.len().saturating_sub(page);
            raw.offset = match command {
                Command::Up => raw.offset.saturating_sub(1),
                Command::Down => raw.offset + 1,
                Command::PageUp => raw.offset.saturating_sub(page),
                Command::PageDown => raw.offset + page,
                Command::Home => 0,
                Command::End => last,
                Command::Raw => {
                    token.raw = None;
                    return;
                }
                _ => raw.offset,
            }
            .min(last);
            return;
        }
        let tree = &mut token.tree;
        match command {
            Command::Up => tree.move_up(),
            Command::Down => tree.move_down(),
            Command::PageUp => tree.page_up(),
            Command::PageDown => tree.page_down(),
            Command::Home => tree.home(),
            Command::End => tree.end(),
            Command::Expand => tree.expand_or_enter(),
            Command::Collapse => tree.collapse_or_parent(),
            Command::Toggle => tree.toggle(),
            Command::ExpandAll => tree.expand_all(),
            Command::CollapseAll => tree.collapse_all(),
            Command::ToggleEmpty => {
                tree.toggle_show_empty();
                let shown = tree.show_empty();
                self.notify(
                    Tone::Info,
                    if shown {
                        "Showing empty fields."
                    } else {
                        "Hiding empty fields."
                    },
                );
            }
            Command::Raw => {
                token.raw = Some(raw_view(&token.data, &self.mask, token.tree.revealed()));
            }
            _ => {}
        }
    }
}

/// The raw JSON, its personal data masked unless `revealed`.
pub(super) fn raw_view(data: &Value, mask: &Mask, revealed: bool) -> RawView {
    let text = if revealed {
        json_for_terminal(data)
    } else {
        json_for_terminal(&mask.json(data))
    };
    RawView {
        lines: text.lines().map(str::to_owned).collect(),
        offset: 0,
    }
}
