//! What a view that scrolls tells the screen: which rows are its, and which line of its
//! content is at the top. `ui::scroll_view` says it for the view on screen;
//! `frame_bytes::Screen` scrolls those rows by the terminal when the line at the top moves.

use ratatui::layout::Rect;

/// The views whose rows the terminal scrolls: a scroll goes from one frame of a view to
/// the next of the same view, never from one view to another in the same rows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scrolling {
    Tree,
    Raw,
    Results,
    Batch,
    Help,
    History,
    Recent,
}

/// The rows of the screen that scroll together, which view they show, and which line of
/// its content is at the top. The rows span the screen's width: the terminal scrolls
/// whole rows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ScrollView {
    pub what: Scrolling,
    pub rows: Rect,
    pub offset: usize,
}
