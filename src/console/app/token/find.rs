//! Find in the token (`f`): as the clerk types, labels and values that hold the text
//! (case does not matter) are found; the cursor goes to the first, opening the branches
//! that hide it. Masked values are searched only once revealed: finding by a hidden value
//! would tell what it is. In the raw view, lines are searched. `Esc` closes the line and
//! keeps the cursor where it is.

use super::find_line::FindLine;
use super::view::TokenView;
use crate::console::app::edit;
use crate::console::app::layout;
use crate::console::app::state::{App, Screen};
use crate::keys::{Command, Context, Key};

impl App {
    /// Whether the find line has the keyboard.
    pub fn finding(&self) -> bool {
        self.screen == Screen::Token && self.token.as_ref().is_some_and(|t| t.find.is_some())
    }

    /// Rows of the raw view above the find line.
    fn find_page(&self) -> usize {
        layout::raw_rows(self.width, self.height, self.status_rows())
            .saturating_sub(1)
            .max(1)
    }

    pub(in crate::console::app) fn open_find(&mut self) {
        if let Some(token) = &mut self.token {
            token.find = Some(FindLine::default());
        }
    }

    pub(in crate::console::app) fn find_key(&mut self, key: Key) {
        let page = self.find_page();
        let Some(token) = &mut self.token else { return };
        match self.keymap.command(&[Context::Find], key) {
            Some(Command::Back) => token.find = None,
            Some(Command::FindNext) => step(token, 1, page),
            Some(Command::FindPrevious) => step(token, -1, page),
            _ => {
                let Some(find) = &mut token.find else { return };
                let Some(request) = edit::input_request(&self.keymap, key) else {
                    self.changed = false;
                    return;
                };
                let before = find.input.value().to_owned();
                find.input.handle(request);
                if find.input.value() != before {
                    search(token, page);
                }
            }
        }
    }

    pub(in crate::console::app) fn find_paste(&mut self, text: &str) {
        let page = self.find_page();
        let Some(token) = &mut self.token else { return };
        let Some(find) = &mut token.find else { return };
        let line: String = text.chars().take(200).collect();
        edit::insert_text(&mut find.input, &line);
        search(token, page);
    }
}

/// Finds the line's text again and goes to the first match.
fn search(token: &mut TokenView, page: usize) {
    let Some(find) = &token.find else { return };
    let needle = find.input.value().to_lowercase();
    let matches = if needle.is_empty() {
        Vec::new()
    } else if let Some(raw) = &token.raw {
        (0..raw.lines.len())
            .filter(|&i| raw.lines[i].to_lowercase().contains(&needle))
            .collect()
    } else {
        let tree = &token.tree;
        (0..tree.node_count())
            .filter(|&id| {
                let node = tree.node(id);
                if node.is_empty && !tree.show_empty() {
                    return false;
                }
                let value_searched = !node.is_branch() && (!node.is_masked() || tree.revealed());
                node.label.to_lowercase().contains(&needle)
                    || (value_searched && tree.value(id).to_lowercase().contains(&needle))
            })
            .collect()
    };
    if let Some(find) = &mut token.find {
        find.matches = matches;
        find.current = 0;
    }
    go(token, page);
}

/// Moves to the next (`by` 1) or previous (-1) match, round the end.
fn step(token: &mut TokenView, by: isize, page: usize) {
    let Some(find) = &mut token.find else { return };
    let count = find.matches.len();
    if count == 0 {
        return;
    }
    find.current = (find.current as isize + by).rem_euclid(count as isize) as usize;
    go(token, page);
}

/// Puts the cursor (the raw view's scroll) on the current match.
fn go(token: &mut TokenView, page: usize) {
    let Some(find) = &token.find else { return };
    let Some(&at) = find.matches.get(find.current) else {
        return;
    };
    match &mut token.raw {
        Some(raw) => {
            let last = raw.lines.len().saturating_sub(page);
            if at < raw.offset || at >= raw.offset + page {
                raw.offset = at.saturating_sub(page / 2).min(last);
            }
        }
        None => token.tree.go_to(at),
    }
}
