//! A list in a box over the screen that scrolls a line at a time: the help, a token's
//! history and the recent tokens keep where they are in the same state, scroll by the same
//! keys' commands, and are drawn in the same box (`ui::list_box`), whose rows the terminal
//! scrolls.

use super::state::{App, Modal};
use crate::keys::Command;

/// Where a list in a box is: its first line shown, and the line highlighted in a list
/// that has one.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ScrollingList {
    pub offset: usize,
    pub selected: Option<usize>,
}

/// How many lines of a list show at once in its box on a screen `height` rows high, under
/// `head` rows of the box's own (the recent list's filter): the screen less a row above
/// and below the box and the box's two borders.
pub fn visible_lines(height: u16, head: usize) -> usize {
    usize::from(height).saturating_sub(4 + head).max(1)
}

impl App {
    /// Where the list of the box over the screen is, when one is open.
    pub(super) fn box_list(&self) -> Option<ScrollingList> {
        match &self.modal {
            Some(Modal::Help) => Some(self.help_list),
            Some(Modal::History(history)) => Some(history.list),
            Some(Modal::Recent(recent)) => Some(recent.list),
            _ => None,
        }
    }
}

impl ScrollingList {
    /// A list with its first line highlighted.
    pub fn selecting() -> ScrollingList {
        ScrollingList {
            offset: 0,
            selected: Some(0),
        }
    }

    /// Scrolls a list of `len` lines, `visible` at once, as a scrolling command asks (a line
    /// or a page, down or up), never past its last line at the foot of the box: `Up` then
    /// scrolls back at once. False for any other command.
    pub fn scroll(&mut self, command: Command, len: usize, visible: usize) -> bool {
        let offset = match command {
            Command::Down => self.offset.saturating_add(1),
            Command::Up => self.offset.saturating_sub(1),
            Command::PageDown => self.offset.saturating_add(visible),
            Command::PageUp => self.offset.saturating_sub(visible),
            _ => return false,
        };
        self.offset = offset.min(len.saturating_sub(visible));
        true
    }

    /// Highlights line `index` of a list of `len` (the last if past it), scrolling just
    /// enough to keep it in view: a move past the last line shown scrolls by one.
    pub fn select(&mut self, index: usize, len: usize, visible: usize) {
        let index = index.min(len.saturating_sub(1));
        self.selected = Some(index);
        if index < self.offset {
            self.offset = index;
        } else if index >= self.offset + visible {
            self.offset = index + 1 - visible;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_scroll_stops_with_the_last_line_at_the_foot() {
        let mut list = ScrollingList::default();
        for _ in 0..20 {
            assert!(list.scroll(Command::Down, 12, 5));
        }
        assert_eq!(list.offset, 7);
        assert!(list.scroll(Command::Up, 12, 5));
        assert_eq!(list.offset, 6);
        list.scroll(Command::PageUp, 12, 5);
        assert_eq!(list.offset, 1);
        list.scroll(Command::PageDown, 12, 5);
        assert_eq!(list.offset, 6);
        // Shorter than the box: nothing to scroll.
        list.scroll(Command::Down, 3, 5);
        assert_eq!(list.offset, 0);
        assert!(!list.scroll(Command::Open, 12, 5));
    }

    #[test]
    fn a_box_shows_the_screen_less_four_rows_and_its_head_and_never_none() {
        assert_eq!(visible_lines(24, 0), 20);
        assert_eq!(visible_lines(40, 2), 34);
        assert_eq!(visible_lines(5, 2), 1);
    }

    #[test]
    fn the_highlight_stays_in_view_scrolling_a_line_at_a_time() {
        let mut list = ScrollingList::selecting();
        assert_eq!((list.offset, list.selected), (0, Some(0)));
        for index in 1..5 {
            list.select(index, 12, 5);
        }
        assert_eq!((list.offset, list.selected), (0, Some(4)));
        list.select(5, 12, 5);
        assert_eq!((list.offset, list.selected), (1, Some(5)));
        // Back up within the lines shown: no scroll until past the first.
        for index in (1..5).rev() {
            list.select(index, 12, 5);
        }
        assert_eq!((list.offset, list.selected), (1, Some(1)));
        list.select(0, 12, 5);
        assert_eq!((list.offset, list.selected), (0, Some(0)));
        list.select(usize::MAX, 12, 5);
        assert_eq!((list.offset, list.selected), (7, Some(11)));
    }
}
