//! Byte budgets: what a frame puts on the wire, counted exactly through the console's own
//! screen (`ui::frame_bytes::Screen`: ratatui's `Terminal` over crossterm) into a tape, with a real
//! `App` driven by messages. Over a 9,600-baud link 1,000 bytes take a second. Each budget
//! is checked at 80x24 and 120x40, and every scroll leaves the terminal (a `vt100` parser
//! fed the same bytes) showing exactly what a fresh draw of the same state shows.

use crate::support::frame_bytes;

use std::time::Duration;

use frame_bytes::{
    Wire, cells, demo_app, fresh, key, press, press_served, results_app, terminal_after,
};
use tokendesk::console::app::{App, Msg};
use tokendesk::keys::{Key, KeyCode};

const SIZES: [(u16, u16); 2] = [(80, 24), (120, 40)];

/// The terminal fed everything `wire` wrote shows what a fresh draw of `app` shows.
fn assert_shows(wire: &Wire, sizes: &[(u16, u16, usize)], app: &App, what: &str) {
    let terminal = terminal_after(sizes, &wire.bytes());
    let expected = fresh(app);
    assert_same_rows(
        what,
        "a fresh draw",
        terminal.screen(),
        &cells(expected.screen()),
    );
}

/// The terminal fed everything `wire` wrote shows the cells ratatui drew for `app`: the
/// same text, colours and attributes (what the screen's shortcuts write means what the
/// frame says, not only the same as a fresh draw through them).
fn assert_shows_the_frame(wire: &Wire, app: &App, what: &str) {
    let terminal = terminal_after(&[at(wire)], &wire.bytes());
    assert_same_rows(
        what,
        "the frame",
        terminal.screen(),
        &frame_bytes::drawn_cells(app),
    );
}

/// The terminal's rows are `expected` (what `expected_is` names), row for row and as many:
/// a zip alone would pass a screen that lost rows.
fn assert_same_rows(what: &str, expected_is: &str, screen: &vt100::Screen, expected: &[String]) {
    let shown = cells(screen);
    let wrong: Vec<String> = shown
        .iter()
        .zip(expected)
        .enumerate()
        .filter(|(_, (a, b))| a != b)
        .map(|(row, (a, b))| format!("row {row}:\n  shown    {a}\n  expected {b}"))
        .collect();
    assert!(
        wrong.is_empty() && shown.len() == expected.len(),
        "{what}: the terminal shows something else than {expected_is} ({} rows shown, {} \
         expected):\n{}\n{}",
        shown.len(),
        expected.len(),
        screen.contents(),
        wrong.join("\n")
    );
}

/// The seed token with everything open, drawn once.
fn expanded(width: u16, height: u16) -> (Wire, App) {
    let mut wire = Wire::new(width, height);
    let mut app = demo_app(width, height);
    app.update(key('E'));
    wire.draw(&app);
    (wire, app)
}

/// Whether a frame sets a scroll region (and so scrolls): it ends with resetting it.
fn scrolls(frame: &[u8]) -> bool {
    String::from_utf8_lossy(frame).contains("\x1b[r")
}

fn at(wire: &Wire) -> (u16, u16, usize) {
    (wire.width, wire.height, 0)
}

#[test]
fn one_cursor_move_costs_at_most_100_bytes() {
    for (width, height) in SIZES {
        let (mut wire, mut app) = expanded(width, height);
        for n in 1..=3 {
            app.update(key('j'));
            let bytes = wire.draw(&app);
            assert!(bytes <= 100, "{width}x{height}, move {n}: {bytes} bytes");
        }
        app.update(key('k'));
        let bytes = wire.draw(&app);
        assert!(bytes <= 100, "{width}x{height}, up: {bytes} bytes");
        assert_shows(&wire, &[at(&wire)], &app, "after moves");
    }
}

#[test]
fn thirty_held_moves_down_the_expanded_token_cost_at_most_5000_bytes() {
    for (width, height) in SIZES {
        let (mut wire, mut app) = expanded(width, height);
        let start = app.token.as_ref().map_or(0, |t| t.tree.offset());
        let mut total = 0;
        for _ in 0..30 {
            app.update(key('j'));
            total += wire.draw(&app);
        }
        let scrolled = app.token.as_ref().map_or(0, |t| t.tree.offset()) - start;
        if height == 24 {
            assert!(scrolled > 10, "the moves scroll the tree ({scrolled} rows)");
        }
        assert!(total <= 5000, "{width}x{height}: {total} bytes");
        assert_shows(&wire, &[at(&wire)], &app, "after 30 moves");
    }
}

#[test]
fn a_scroll_of_one_row_moves_the_rows_by_the_terminal() {
    for (width, height) in SIZES {
        let (mut wire, mut app) = expanded(width, height);
        let rows = app.token.as_ref().map_or(0, |t| t.tree.viewport_height());
        for _ in 1..rows {
            app.update(key('j'));
            wire.draw(&app);
        }
        app.update(key('j'));
        let frame = wire.draw_bytes(&app);
        let text = String::from_utf8_lossy(&frame);
        assert!(
            scrolls(&frame) && text.contains("\x1b[S"),
            "{width}x{height}: no scroll up in {text:?}"
        );
        // The rows that only moved are not sent again: one new row and two highlights.
        assert!(frame.len() < usize::from(width) * 3, "{}", frame.len());
        assert_shows(&wire, &[at(&wire)], &app, "one row down");
        app.update(press(KeyCode::Home));
        wire.draw(&app);
        app.update(key('j'));
        wire.draw(&app);
        app.update(key('k'));
        wire.draw(&app);
        assert_shows(&wire, &[at(&wire)], &app, "back up");
    }
}

#[test]
fn a_page_down_and_up_leave_the_screen_right() {
    for (width, height) in SIZES {
        let (mut wire, mut app) = expanded(width, height);
        app.update(press(KeyCode::PageDown));
        wire.draw(&app);
        assert_shows(&wire, &[at(&wire)], &app, "a page down");
        app.update(key('k'));
        wire.draw(&app);
        app.update(press(KeyCode::PageUp));
        wire.draw(&app);
        assert_shows(&wire, &[at(&wire)], &app, "a page up");
    }
}

#[test]
fn a_scroll_after_a_resize_redraws_whole_and_right() {
    let (mut wire, mut app) = expanded(80, 24);
    for _ in 0..20 {
        app.update(key('j'));
        wire.draw(&app);
    }
    let resized_at = wire.bytes().len();
    wire.resize(100, 30);
    app.update(Msg::Resize {
        width: 100,
        height: 30,
    });
    // The terminal cleared the screen: this frame is drawn whole, no scroll.
    let frame = wire.draw_bytes(&app);
    assert!(!scrolls(&frame), "a scroll on a screen just cleared");
    let sizes = [(80, 24, 0), (100, 30, resized_at)];
    assert_shows(&wire, &sizes, &app, "after the resize");
    for _ in 0..30 {
        app.update(key('j'));
        wire.draw(&app);
    }
    assert_shows(&wire, &sizes, &app, "moves after the resize");
}

#[test]
fn without_scroll_regions_the_diff_alone_redraws_right() {
    let mut wire = Wire::with_scroll_regions(80, 24, false);
    let mut app = demo_app(80, 24);
    app.update(key('E'));
    wire.draw(&app);
    for _ in 0..30 {
        app.update(key('j'));
        let frame = wire.draw_bytes(&app);
        assert!(
            !scrolls(&frame),
            "a scroll region on a terminal without them"
        );
    }
    assert_shows(&wire, &[at(&wire)], &app, "30 moves without scroll regions");
}

#[test]
fn an_idle_console_writes_nothing() {
    for (width, height) in SIZES {
        let (mut wire, mut app) = expanded(width, height);
        assert_eq!(wire.draw(&app), 0, "{width}x{height}: the same frame again");
        // The search line has the keyboard: its cursor shows, and stays put.
        app.update(key('/'));
        wire.draw(&app);
        assert_eq!(
            wire.draw(&app),
            0,
            "{width}x{height}: with the cursor shown"
        );
    }
}

#[test]
fn a_spinner_tick_costs_at_most_20_bytes() {
    for (width, height) in SIZES {
        let (mut wire, mut app) = expanded(width, height);
        app.update(key('R'));
        wire.draw(&app);
        for n in 1..=25u64 {
            app.update(Msg::Clock(Duration::from_millis(100 * n)));
            let bytes = wire.draw(&app);
            assert!(bytes <= 20, "{width}x{height}, tick {n}: {bytes} bytes");
        }
        assert_shows(&wire, &[at(&wire)], &app, "after the ticks");
    }
}

/// A name holding a ZWJ emoji sequence (🧑🏽‍🚀: four code points, one glyph) that
/// unicode-width and a terminal measure differently: after each page down (a scroll by the
/// terminal) the terminal shows what a fresh draw shows, no glyph left behind.
#[test]
fn a_zwj_emoji_sequence_leaves_no_glyph_behind_after_a_page_down() {
    let astronaut = "\u{1F9D1}\u{1F3FD}\u{200D}\u{1F680}";
    let mut token = frame_bytes::demo_token();
    for n in 0..40 {
        token[format!("crew_{n:02}")] = format!("{astronaut} Polina {n} {astronaut}").into();
    }
    for (width, height) in SIZES {
        let mut wire = Wire::new(width, height);
        let mut app = frame_bytes::home(width, height);
        frame_bytes::open(&mut app, "99021047380", token.clone());
        app.update(key('E'));
        wire.draw(&app);
        for n in 1..=3 {
            app.update(press(KeyCode::PageDown));
            wire.draw(&app);
            assert_shows(&wire, &[at(&wire)], &app, &format!("page down {n}"));
        }
        for _ in 0..5 {
            app.update(key('j'));
            wire.draw(&app);
        }
        assert_shows(&wire, &[at(&wire)], &app, "moves down");
    }
}

const MOVE_BUDGET: usize = 100;
const SCROLL_BUDGET: usize = 100;
/// A one-line scroll writes the row that comes into view whole, and two views' rows are
/// nearly 100 bytes alone at 80 columns (BENCHMARKS.md has where the bytes go): a results
/// row (about 75 characters and its state badge; the status line's range changes too) and
/// a recent token's (four columns and the box's borders). These hold what is, so that it
/// does not grow; reaching 100 takes something off those rows.
const RESULTS_SCROLL_BUDGET: usize = 150;
const RECENT_SCROLL_BUDGET: usize = 130;

/// A list of this many tokens: more than a page at either size.
const LISTED: usize = 100;

/// Presses `msg` (answering a list request it sends), draws, and holds the frame to the
/// budgets: a move at most `MOVE_BUDGET` bytes, a scroll at most its view's
/// (`RESULTS_SCROLL_BUDGET` for the results, `RECENT_SCROLL_BUDGET` for the recent tokens,
/// `SCROLL_BUDGET` elsewhere), scrolling by the terminal when `scrolling`, and the terminal
/// showing what a fresh draw shows.
fn within_budget(wire: &mut Wire, app: &mut App, msg: Msg, scrolling: bool, what: &str) {
    press_served(app, msg, LISTED);
    let frame = wire.draw_bytes(app);
    let size = format!("{}x{}", wire.width, wire.height);
    let results = app.screen == tokendesk::console::app::Screen::Results
        && app.modal.is_none()
        && app.batch.is_none();
    let recent = matches!(app.modal, Some(tokendesk::console::app::Modal::Recent(_)));
    let budget = match (scrolling, results, recent) {
        (false, _, _) => MOVE_BUDGET,
        (true, true, _) => RESULTS_SCROLL_BUDGET,
        (true, _, true) => RECENT_SCROLL_BUDGET,
        (true, false, false) => SCROLL_BUDGET,
    };
    eprintln!("{size}, {what}: {} bytes", frame.len());
    assert!(
        frame.len() <= budget,
        "{size}, {what}: {} bytes {:?}",
        frame.len(),
        String::from_utf8_lossy(&frame)
    );
    assert_eq!(
        scrolls(&frame),
        scrolling,
        "{size}, {what}: {:?}",
        String::from_utf8_lossy(&frame)
    );
    assert_shows(wire, &[at(wire)], app, &format!("{size}, {what}"));
}

/// A view's moves and one-line scrolls, each within the budget: `moves` presses of `j`
/// that only move the highlight (or none, for a view without one), then one that scrolls
/// down, `moves` presses of `k` back to the top row on screen, one that scrolls up.
fn moves_and_scrolls(wire: &mut Wire, app: &mut App, moves: usize, what: &str) {
    moves_and_scrolls_with(wire, app, moves, [Key::char('j'), Key::char('k')], what);
}

/// `moves_and_scrolls` with the view's own keys for down and up.
fn moves_and_scrolls_with(
    wire: &mut Wire,
    app: &mut App,
    moves: usize,
    [down, up]: [Key; 2],
    what: &str,
) {
    for n in 0..moves {
        within_budget(
            wire,
            app,
            Msg::Key(down),
            false,
            &format!("{what}: move {n} down"),
        );
    }
    within_budget(
        wire,
        app,
        Msg::Key(down),
        true,
        &format!("{what}: a scroll down"),
    );
    for n in 0..moves {
        within_budget(
            wire,
            app,
            Msg::Key(up),
            false,
            &format!("{what}: move {n} up"),
        );
    }
    within_budget(
        wire,
        app,
        Msg::Key(up),
        true,
        &format!("{what}: a scroll up"),
    );
}

#[test]
fn the_results_move_within_100_bytes_and_scroll_a_line_reading_on_past_the_page() {
    for (width, height) in SIZES {
        let mut wire = Wire::new(width, height);
        let mut app = results_app(width, height, LISTED);
        wire.draw(&app);
        let page = tokendesk::console::app::layout::results_rows(width, height, 1);
        assert_eq!(app.results.as_ref().map(|r| r.rows.len()), Some(page));
        // Past the page's last row: the next page is read and the table scrolls a line.
        moves_and_scrolls(&mut wire, &mut app, page - 1, "results");
        let results = app.results.as_ref().expect("results");
        assert_eq!(results.rows.len(), 2 * page, "the next page was read");
        assert_eq!((results.first_shown(), results.selected), (0, 0));
    }
}

/// A key held past the last row while the next rows are read: when they come, the table
/// scrolls by as many lines as moves waited, by the terminal, in one frame.
#[test]
fn the_moves_a_held_key_made_during_a_read_on_scroll_the_table_in_one_frame() {
    for (width, height) in SIZES {
        let mut wire = Wire::new(width, height);
        let mut app = results_app(width, height, LISTED);
        app.update(press(KeyCode::End));
        wire.draw(&app);
        let read = app.update(key('j'));
        for _ in 0..3 {
            assert!(app.update(key('j')).is_empty(), "one read on its way");
        }
        assert!(frame_bytes::serve_list(&mut app, &read, LISTED));
        let frame = wire.draw_bytes(&app);
        let text = String::from_utf8_lossy(&frame);
        assert!(
            text.contains("\x1b[4S"),
            "{width}x{height}: four lines: {text:?}"
        );
        assert!(
            frame.len() <= 4 * RESULTS_SCROLL_BUDGET,
            "{width}x{height}: {text:?}"
        );
        assert_shows(&wire, &[at(&wire)], &app, "after the moves that waited");
    }
}

#[test]
fn a_batchs_rows_move_within_100_bytes_and_scroll_by_the_terminal() {
    for (width, height) in SIZES {
        let mut app = results_app(width, height, LISTED);
        // Every row of the page marked, deactivated as a batch: its rows replace the page.
        app.update(key('*'));
        app.update(key('d'));
        app.update(Msg::Clock(Duration::from_secs(5)));
        app.update(key('y'));
        let run = app.batch.as_ref().expect("the batch runs");
        let rows = tokendesk::console::app::layout::results_rows(width, height, 1);
        assert_eq!(run.items.len(), rows);
        // Scrolling needs rows past the screen: the screen gets a row shorter.
        let shorter = height - 1;
        app.update(Msg::Resize {
            width,
            height: shorter,
        });
        let mut wire = Wire::new(width, shorter);
        wire.draw(&app);
        moves_and_scrolls(&mut wire, &mut app, rows - 2, "a batch's rows");
    }
}

#[test]
fn the_raw_json_scrolls_one_line_within_100_bytes() {
    for (width, height) in SIZES {
        let mut wire = Wire::new(width, height);
        let mut app = demo_app(width, height);
        app.update(key('r'));
        assert!(app.token.as_ref().is_some_and(|t| t.raw.is_some()));
        wire.draw(&app);
        // No highlight: every j and k scrolls.
        moves_and_scrolls(&mut wire, &mut app, 0, "raw JSON");
    }
}

#[test]
fn the_help_scrolls_one_line_within_100_bytes() {
    for (width, height) in SIZES {
        let mut wire = Wire::new(width, height);
        let mut app = results_app(width, height, LISTED);
        app.update(key('?'));
        wire.draw(&app);
        moves_and_scrolls(&mut wire, &mut app, 0, "the help");
    }
}

/// Rows of a list box at `height`: the screen less two rows around the box and its two
/// borders, less `head` rows of its own above the list.
fn list_box_rows(height: u16, head: usize) -> usize {
    usize::from(height) - 4 - head
}

#[test]
fn the_recent_list_moves_within_100_bytes_and_scrolls_a_line_by_the_terminal() {
    for (width, height) in SIZES {
        let mut wire = Wire::new(width, height);
        let mut app = frame_bytes::recent_list_app(width, height, 50);
        wire.draw(&app);
        // The filter line and a blank line above the tokens.
        let rows = list_box_rows(height, 2);
        let keys = [Key::plain(KeyCode::Down), Key::plain(KeyCode::Up)];
        moves_and_scrolls_with(&mut wire, &mut app, rows - 1, keys, "the recent list");
    }
}

#[test]
fn a_tokens_history_scrolls_one_line_within_100_bytes() {
    for (width, height) in SIZES {
        let mut wire = Wire::new(width, height);
        let mut app = frame_bytes::history_app(width, height, 60);
        wire.draw(&app);
        // No highlight: every j and k scrolls.
        moves_and_scrolls(&mut wire, &mut app, 0, "a token's history");
    }
}

#[test]
fn every_view_shows_on_the_terminal_what_was_drawn_after_moves_and_scrolls() {
    for (width, height) in SIZES {
        let views: Vec<(&str, App, [Key; 2])> = vec![
            (
                "the tree",
                demo_app(width, height),
                [Key::char('E'), Key::char('j')],
            ),
            (
                "the results",
                results_app(width, height, LISTED),
                [Key::char('*'), Key::char('j')],
            ),
            (
                "the recent list",
                frame_bytes::recent_list_app(width, height, 50),
                [Key::plain(KeyCode::Down), Key::plain(KeyCode::Down)],
            ),
            (
                "a history",
                frame_bytes::history_app(width, height, 60),
                [Key::char('j'), Key::char('j')],
            ),
        ];
        for (what, mut app, [first, then]) in views {
            let mut wire = Wire::new(width, height);
            wire.draw(&app);
            assert_shows_the_frame(&wire, &app, &format!("{width}x{height}, {what}"));
            press_served(&mut app, Msg::Key(first), LISTED);
            wire.draw(&app);
            for n in 0..usize::from(height) + 2 {
                press_served(&mut app, Msg::Key(then), LISTED);
                wire.draw(&app);
                assert_shows_the_frame(&wire, &app, &format!("{width}x{height}, {what}, {n}"));
            }
        }
    }
}
