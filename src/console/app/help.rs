//! The help overlay's state and keys: every key of every context, from the key table that
//! decides what keys do, filtered by what the clerk types after `/`.

use tui_input::Input;

use super::edit;
use super::scrolling::{ScrollingList, visible_lines};
use super::state::{App, Modal};
use crate::keys::{Command, Context, Key, KeyMap};

/// The filter typed after `/` in the help: while `typing`, keys edit it.
#[derive(Debug, Default)]
pub struct HelpFilter {
    pub input: Input,
    pub typing: bool,
}

/// One row of the help: its section's title, the keys, and what they do.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HelpRow {
    pub section: &'static str,
    pub keys: String,
    pub words: &'static str,
}

/// The width of the keys' column.
pub const HELP_KEYS_WIDTH: usize = 14;

/// The help's width at most: one column of keys and words.
pub const HELP_WIDTH: u16 = 64;

/// A line of the help as laid out for a width: what the view draws, and what the app
/// counts to know how far the help scrolls.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum HelpLine {
    Section(&'static str),
    Blank,
    /// Keys too wide for their column, on a line of their own above their words.
    Keys(String),
    /// Keys (or none, under wide keys or on a wrapped line) and words.
    Row {
        keys: String,
        words: String,
    },
}

/// `rows` laid out in lines with the words `words_width` wide, wrapped rather than cut.
pub fn help_lines(rows: &[HelpRow], words_width: usize) -> Vec<HelpLine> {
    let mut lines = Vec::new();
    let mut section = "";
    for row in rows {
        if row.section != section {
            if !lines.is_empty() {
                lines.push(HelpLine::Blank);
            }
            lines.push(HelpLine::Section(row.section));
            section = row.section;
        }
        let mut keys = row.keys.clone();
        if unicode_width::UnicodeWidthStr::width(keys.as_str()) > HELP_KEYS_WIDTH {
            lines.push(HelpLine::Keys(keys));
            keys = String::new();
        }
        for (i, words) in crate::text::wrap(row.words, words_width)
            .into_iter()
            .enumerate()
        {
            lines.push(HelpLine::Row {
                keys: if i == 0 { keys.clone() } else { String::new() },
                words,
            });
        }
    }
    lines
}

/// The contexts the help lists, a section each, in the order a clerk meets them.
const SECTIONS: [&[Context]; 10] = [
    &[Context::Global, Context::Always],
    &[Context::Search, Context::Edit],
    &[Context::Results],
    &[Context::Tree],
    &[Context::Actions],
    &[Context::Find],
    &[Context::Confirm, Context::TypedConfirm],
    &[Context::QuitPrompt],
    &[Context::Help],
    &[Context::Recent],
];

/// Every binding of `keymap` with words, by section; neighbours with the same words share
/// a row. Only the rows whose keys or words hold `filter` (any case), when one is given.
pub fn help_rows(keymap: &KeyMap, filter: &str) -> Vec<HelpRow> {
    let filter = filter.trim().to_lowercase();
    let mut rows: Vec<HelpRow> = Vec::new();
    for contexts in SECTIONS {
        let section = contexts[0].title();
        for binding in keymap
            .bindings()
            .iter()
            .filter(|b| contexts.contains(&b.context) && !b.description.is_empty())
        {
            let keys: Vec<String> = binding.keys.iter().map(ToString::to_string).collect();
            let keys = keys.join(" ");
            match rows.last_mut() {
                Some(row) if row.section == section && row.words == binding.description => {
                    row.keys.push(' ');
                    row.keys.push_str(&keys);
                }
                _ => rows.push(HelpRow {
                    section,
                    keys,
                    words: binding.description,
                }),
            }
        }
    }
    if filter.is_empty() {
        return rows;
    }
    rows.into_iter()
        .filter(|row| {
            row.keys.to_lowercase().contains(&filter) || row.words.to_lowercase().contains(&filter)
        })
        .collect()
}

impl App {
    /// The help's rows as shown now, filtered as typed.
    pub fn help_rows(&self) -> Vec<HelpRow> {
        let filter = self.help_filter.as_ref().map_or("", |f| f.input.value());
        help_rows(&self.keymap, filter)
    }

    /// The help's box, laid out for the terminal: its width and its lines.
    pub fn help_layout(&self) -> (u16, Vec<HelpLine>) {
        let width = self.width.saturating_sub(2).min(HELP_WIDTH);
        let words_width = usize::from(width.saturating_sub(4))
            .saturating_sub(HELP_KEYS_WIDTH + 2)
            .max(8);
        let lines = help_lines(&self.help_rows(), words_width);
        (width, lines)
    }

    /// Scrolls the help as a scrolling command asks; false for any other command.
    pub(super) fn help_scroll(&mut self, command: Command) -> bool {
        let (_, lines) = self.help_layout();
        self.help_list
            .scroll(command, lines.len(), visible_lines(self.height, 0))
    }

    /// A key in the help: its scrolling keys scroll, `/` starts a filter (typed keys then
    /// edit it, Enter keeps it, Esc clears it), and any other key closes the help.
    pub(super) fn help_key(&mut self, key: Key) {
        if let Some(filter) = self.help_filter.as_mut().filter(|f| f.typing) {
            // The search line's keys: Enter ends the filter's typing, Esc drops it.
            match self.keymap.command(&[Context::Search], key) {
                Some(Command::Submit) => filter.typing = false,
                Some(Command::Back) => self.help_filter = None,
                _ => {
                    if let Some(request) = edit::input_request(&self.keymap, key) {
                        filter.input.handle(request);
                    }
                }
            }
            self.help_list = ScrollingList::default();
            self.modal = Some(Modal::Help);
            return;
        }
        match self.keymap.command(&[Context::Help], key) {
            Some(Command::FocusSearch) => {
                self.help_filter = Some(HelpFilter {
                    input: Input::default(),
                    typing: true,
                });
                self.help_list = ScrollingList::default();
            }
            Some(command) if self.help_scroll(command) => {}
            // Any other key closes the help, as a clerk expects of an overlay.
            _ => {
                self.help_filter = None;
                return;
            }
        }
        self.modal = Some(Modal::Help);
    }
}
