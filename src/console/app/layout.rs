//! Screen geometry, shared by `update` (which must know how many rows a page holds, to
//! keep the cursor on screen) and the view (which draws into these rectangles). It is plain
//! arithmetic on sizes; nothing here touches a terminal.

use ratatui::layout::Rect;

/// Below this the console shows one "terminal too small" line instead of a broken layout.
pub const MIN_WIDTH: u16 = 40;
pub const MIN_HEIGHT: u16 = 10;

/// Rows above the tree: two lines of token facts and a rule.
pub const TOKEN_HEADER_ROWS: u16 = 3;
/// The most rows a status message takes.
pub const MAX_STATUS_ROWS: u16 = 2;

/// The results table's column titles.
pub const RESULTS_HEADER_ROWS: u16 = 1;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Regions {
    pub search: Rect,
    pub body: Rect,
    pub keys: Rect,
    pub status: Rect,
}

/// The regions of `area`, the status bar `status_rows` high (one, or two for a message
/// too long for one: the key hints keep their row, the body gives one up).
pub fn regions(area: Rect, status_rows: u16) -> Option<Regions> {
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        return None;
    }
    let status_rows = status_rows.clamp(1, MAX_STATUS_ROWS);
    let row = |y: u16, height: u16| Rect::new(area.x, area.y + y, area.width, height);
    Some(Regions {
        search: row(0, 1),
        body: row(1, area.height - 2 - status_rows),
        keys: row(area.height - 1 - status_rows, 1),
        status: row(area.height - status_rows, status_rows),
    })
}

/// The token's header and tree within the body.
pub fn token_split(body: Rect) -> (Rect, Rect) {
    let header = body.height.min(TOKEN_HEADER_ROWS);
    (
        Rect::new(body.x, body.y, body.width, header),
        Rect::new(body.x, body.y + header, body.width, body.height - header),
    )
}

/// How many tree rows fit on a screen of this size.
pub fn tree_rows(width: u16, height: u16, status_rows: u16) -> usize {
    regions(Rect::new(0, 0, width, height), status_rows)
        .map(|r| usize::from(token_split(r.body).1.height))
        .unwrap_or(1)
        .max(1)
}

/// How many result rows fit on a screen of this size.
pub fn results_rows(width: u16, height: u16, status_rows: u16) -> usize {
    regions(Rect::new(0, 0, width, height), status_rows)
        .map(|r| usize::from(r.body.height.saturating_sub(RESULTS_HEADER_ROWS)))
        .unwrap_or(1)
        .max(1)
}

/// How many lines of raw JSON fit: the same rows as the tree, under the same header.
pub fn raw_rows(width: u16, height: u16, status_rows: u16) -> usize {
    tree_rows(width, height, status_rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn eighty_by_twenty_four_splits_into_the_four_regions() {
        let r = regions(Rect::new(0, 0, 80, 24), 1).expect("fits");
        assert_eq!(r.search, Rect::new(0, 0, 80, 1));
        assert_eq!(r.body, Rect::new(0, 1, 80, 21));
        assert_eq!(r.keys, Rect::new(0, 22, 80, 1));
        assert_eq!(r.status, Rect::new(0, 23, 80, 1));
        assert_eq!(tree_rows(80, 24, 1), 18);
        assert_eq!(results_rows(80, 24, 1), 20);
    }

    #[test]
    fn a_two_row_message_takes_a_row_from_the_body_not_from_the_key_hints() {
        let r = regions(Rect::new(0, 0, 40, 10), 2).expect("fits");
        assert_eq!(r.body, Rect::new(0, 1, 40, 6));
        assert_eq!(r.keys, Rect::new(0, 7, 40, 1));
        assert_eq!(r.status, Rect::new(0, 8, 40, 2));
        assert_eq!(regions(Rect::new(0, 0, 40, 10), 9), Some(r), "two at most");
    }

    #[test]
    fn too_small_has_no_regions_but_row_counts_stay_positive() {
        assert_eq!(regions(Rect::new(0, 0, 20, 5), 1), None);
        assert_eq!(tree_rows(1, 1, 1), 1);
        assert_eq!(results_rows(0, 0, 2), 1);
    }
}
