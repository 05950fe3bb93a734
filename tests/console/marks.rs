//! Marking results in the console, driven through `App::update` as the event loop would:
//! `Space` marks or unmarks and moves down, `*` marks the page, `u` clears; the marks
//! survive paging and the status line counts them. A snapshot at 80x24 shows the marks.

use crate::support;

use serde_json::Value;
use support::{Harness, KeyCode, demo_tokens, tokens_reply};
use tokendesk::console::app::{Screen, layout};

/// `count` demo tokens, each once (the demo data holds more than a page).
fn page_of(count: usize, skip: usize) -> Vec<Value> {
    let tokens: Vec<Value> = demo_tokens().into_iter().skip(skip).take(count).collect();
    assert_eq!(tokens.len(), count, "enough demo tokens");
    tokens
}

fn on_results(rows: usize) -> Harness {
    let mut h = Harness::new(80, 24);
    h.search("acr:ACR1");
    h.answer(Ok(tokens_reply(page_of(rows, 0))));
    assert_eq!(h.app.screen, Screen::Results);
    h.take();
    h
}

fn marked_rows(h: &Harness) -> Vec<usize> {
    (0..h.results().rows.len())
        .filter(|&i| h.results().is_marked(i))
        .collect()
}

#[test]
fn space_marks_and_moves_down_and_a_second_space_unmarks() {
    let mut h = on_results(5);
    h.key(' ').key(' ');
    assert_eq!(marked_rows(&h), [0, 1]);
    assert_eq!(h.results().selected, 2);
    h.press(KeyCode::Up).key(' ');
    assert_eq!(marked_rows(&h), [0], "Space on a marked row unmarks it");
    assert_eq!(
        h.app.results_position().as_deref(),
        Some("accounts receivable ACR1: tokens 1-5 of 5. 1 marked.")
    );
    // Marking sends nothing.
    assert!(h.take().is_empty());
}

#[test]
fn star_marks_the_page_and_u_clears_every_mark() {
    let mut h = on_results(5);
    h.key('*');
    assert_eq!(marked_rows(&h), [0, 1, 2, 3, 4]);
    assert!(
        h.app
            .results_position()
            .is_some_and(|p| p.ends_with(" 5 marked.")),
        "{:?}",
        h.app.results_position()
    );
    h.key('u');
    assert!(marked_rows(&h).is_empty());
    assert_eq!(h.notice(), "5 marks cleared.");
    assert!(
        h.app
            .results_position()
            .is_some_and(|p| p.ends_with("of 5.")),
        "{:?}",
        h.app.results_position()
    );
}

#[test]
fn marks_survive_paging_and_are_counted_across_pages() {
    let page = layout::results_rows(80, 24, 1);
    let mut h = on_results(page);
    h.key(' ').key(' ');
    h.press(KeyCode::PageDown);
    h.answer(Ok(tokens_reply(page_of(3, page))));
    assert!(
        marked_rows(&h).is_empty(),
        "the second page's rows are not marked"
    );
    h.key(' ');
    assert_eq!(marked_rows(&h), [0]);
    assert_eq!(
        h.app.results_position().as_deref(),
        Some(
            format!(
                "accounts receivable ACR1: tokens {}-{} of {}. 3 marked.",
                page + 1,
                page + 3,
                page + 3
            )
            .as_str()
        )
    );
    h.press(KeyCode::PageUp);
    h.answer(Ok(tokens_reply(page_of(page, 0))));
    assert_eq!(
        marked_rows(&h),
        [0, 1],
        "the first page's marks are still there"
    );
    assert_eq!(h.results().marked.len(), 3);
}

#[test]
fn three_marked_rows_at_80x24() {
    let mut h = on_results(6);
    h.key(' ').press(KeyCode::Down).key(' ').key(' ');
    insta::assert_snapshot!("results_three_marked_80x24", h.render());
}
