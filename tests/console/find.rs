//! Find in the token (`f`): as the clerk types, labels and values holding the text are
//! found (case does not matter; masked values only once revealed), branches hiding a match
//! open, the cursor goes to the first; Enter/Down and Up walk the matches; Esc closes and
//! keeps the cursor. The same in the raw view. `/` still searches CRM.COM.

use crate::support;

use serde_json::Value;
use support::{Harness, KeyCode, demo_tokens};

/// The demo token whose account owner (Andreas Constantinou) has demographics: ID number
/// 817678653 (masked `••••53`), passport number and date of birth.
fn token_with_demographics() -> Value {
    demo_tokens()
        .into_iter()
        .find(|t| t["number"] == "AT0000000709")
        .expect("the demo has AT0000000709")
}

fn on_token() -> Harness {
    let mut h = Harness::new(80, 24);
    h.open(token_with_demographics());
    h
}

/// The label of the selected row.
fn selected(h: &Harness) -> String {
    let tree = &h.token().tree;
    let id = tree.selected().expect("a row");
    tree.node(id).label.clone()
}

fn position(h: &Harness) -> String {
    h.token()
        .find
        .as_ref()
        .expect("the find line is open")
        .position()
}

#[test]
fn a_match_inside_collapsed_branches_opens_them_and_takes_the_cursor() {
    let mut h = on_token();
    let before = h.token().tree.visible().len();
    h.key('f').keys("TITLE");
    // The owner shows twice: under the rewards participant and as the accounts receivable.
    assert_eq!(position(&h), "1/2");
    assert_eq!(selected(&h), "Title");
    assert!(
        h.token().tree.visible().len() > before,
        "the branches above it opened"
    );
}

#[test]
fn enter_and_up_walk_the_matches_round_the_ends() {
    let mut h = on_token();
    h.key('f').keys("andreas");
    let count: usize = position(&h)
        .split('/')
        .nth(1)
        .and_then(|n| n.parse().ok())
        .expect("n/m");
    assert!(count > 2, "{}", position(&h));
    let first = h.token().tree.cursor();
    h.press(KeyCode::Enter);
    assert_eq!(position(&h), format!("2/{count}"));
    assert_ne!(h.token().tree.cursor(), first);
    h.press(KeyCode::Up);
    assert_eq!(position(&h), format!("1/{count}"));
    assert_eq!(h.token().tree.cursor(), first);
    h.press(KeyCode::Up);
    assert_eq!(
        position(&h),
        format!("{count}/{count}"),
        "round to the last"
    );
}

#[test]
fn nothing_found_says_so_and_leaves_the_cursor() {
    let mut h = on_token();
    h.key('j').key('j');
    let cursor = h.token().tree.cursor();
    h.key('f').keys("zzzz");
    assert_eq!(position(&h), "no match");
    assert_eq!(h.token().tree.cursor(), cursor);
    h.press(KeyCode::Enter);
    assert_eq!(h.token().tree.cursor(), cursor);
}

#[test]
fn esc_closes_the_line_and_keeps_the_cursor() {
    let mut h = on_token();
    h.key('f').keys("title");
    h.press(KeyCode::Esc);
    assert!(h.token().find.is_none());
    assert_eq!(selected(&h), "Title");
    // The keys are the tree's again.
    h.key('k');
    assert_ne!(selected(&h), "Title");
}

#[test]
fn letters_typed_in_the_find_line_are_text_not_commands() {
    let mut h = on_token();
    h.key('f');
    h.assert_inert(|h| {
        h.keys("dqXv");
    });
    assert!(h.app.modal.is_none());
    assert_eq!(h.token().find.as_ref().expect("open").input.value(), "dqXv");
}

#[test]
fn a_masked_value_is_found_only_once_revealed() {
    let mut h = on_token();
    h.key('f').keys("817678653");
    assert_eq!(
        position(&h),
        "no match",
        "the masked ID number is not searched"
    );
    h.press(KeyCode::Esc);
    h.key('v');
    h.key('f').keys("817678653");
    assert!(position(&h).starts_with("1/"), "{}", position(&h));
    let tree = &h.token().tree;
    let id = tree.selected().expect("a row");
    assert!(
        tree.node(id).is_masked(),
        "found in personal data: {}",
        selected(&h)
    );
}

#[test]
fn in_the_raw_view_lines_are_found_and_scrolled_to() {
    let mut h = on_token();
    h.key('r');
    assert_eq!(h.token().raw.as_ref().expect("raw").offset, 0);
    h.key('f').keys("\"title\"");
    assert_eq!(position(&h), "1/2");
    let raw = h.token().raw.as_ref().expect("raw");
    let line = h.token().find.as_ref().expect("open").matches[0];
    assert!(raw.lines[line].contains("\"title\""));
    assert!(raw.offset > 0 && raw.offset <= line, "scrolled to it");
}

#[test]
fn slash_still_searches_crm_com() {
    let mut h = on_token();
    h.key('/');
    assert!(h.app.search.focused);
    assert!(h.token().find.is_none());
}

#[test]
fn the_find_line_under_the_tree_and_the_raw_view() {
    let mut h = on_token();
    h.key('f').keys("andreas").press(KeyCode::Enter);
    insta::assert_snapshot!("find_in_the_tree_80x24", h.render());
    // The other matches on screen are marked; the current one is the selected row.
    let marked = h
        .buffer()
        .content
        .iter()
        .filter(|cell| cell.bg == ratatui::style::Color::Cyan)
        .count();
    assert!(marked > 0, "no match is marked");
    h.press(KeyCode::Esc);
    h.key('r').key('f').keys("constantinou");
    insta::assert_snapshot!("find_in_the_raw_view_80x24", h.render());
}
