//! Screen geometry, shared by `update` (which must know how many rows a page holds, to
//! keep the cursor on screen) and the view (which draws into these rectangles). It is plain
//! arithmetic on sizes; nothing here touches a terminal.

use ratatui::layout::Rect;

/// Below this the console shows one "terminal too small" line instead of a broken layout.
pub const MIN_WIDTH: u16 = 40;
pub const MIN_HEIGHT: u16 = 10;

/// Rows above the tree: two lines of token facts and a rule.
pub const TOKEN_HEADER_ROWS: u16 = 3;
/// The results table's column titles.
pub const RESULTS_HEADER_ROWS: u16 = 1;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Regions {
    pub search: Rect,
    pub body: Rect,
    pub keys: Rect,
    pub status: Rect,
}

pub fn regions(area: Rect) -> Option<Regions> {
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        return None;
    }
    let row = |y: u16, height: u16| Rect::new(area.x, area.y + y, area.width, height);
    Some(Regions {
        search: row(0, 1),
        body: row(1, area.height - 3),
        keys: row(area.height - 2, 1),
        status: row(area.height - 1, 1),
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
pub fn tree_rows(width: u16, height: u16) -> usize {
    regions(Rect::new(0, 0, width, height))
        .map(|r| usize::from(token_split(r.body).1.height))
        .unwrap_or(1)
        .max(1)
}

/// How many result rows fit on a screen of this size.
pub fn results_rows(width: u16, height: u16) -> usize {
    regions(Rect::new(0, 0, width, height))
        .map(|r| usize::from(r.body.height.saturating_sub(RESULTS_HEADER_ROWS)))
        .unwrap_or(1)
        .max(1)
}

/// How many lines of raw JSON fit: the same rows as the tree, under the same header.
pub fn raw_rows(width: u16, height: u16) -> usize {
    tree_rows(width, height)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn eighty_by_twenty_four_splits_into_the_four_regions() {
        let r = regions(Rect::new(0, 0, 80, 24)).expect("fits");
        assert_eq!(r.search, Rect::new(0, 0, 80, 1));
        assert_eq!(r.body, Rect::new(0, 1, 80, 21));
        assert_eq!(r.keys, Rect::new(0, 22, 80, 1));
        assert_eq!(r.status, Rect::new(0, 23, 80, 1));
        assert_eq!(tree_rows(80, 24), 18);
        assert_eq!(results_rows(80, 24), 20);
    }

    #[test]
    fn too_small_has_no_regions_but_row_counts_stay_positive() {
        assert_eq!(regions(Rect::new(0, 0, 20, 5)), None);
        assert_eq!(tree_rows(1, 1), 1);
        assert_eq!(results_rows(0, 0), 1);
    }
}
