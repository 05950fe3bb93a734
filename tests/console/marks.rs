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

/// `count` tokens of one account, numbered from `from`, each with its own number and code.
fn account_page(from: usize, count: usize) -> Vec<Value> {
    let template = demo_tokens().into_iter().next().expect("a demo token");
    (from..from + count)
        .map(|n| {
            let mut token = template.clone();
            token["number"] = Value::from(format!("AT9{n:09}"));
            token["authentication_code"] = Value::from(format!("88{n:09}"));
            token
        })
        .collect()
}

/// The list request in flight: its offset and page size.
fn asked(h: &Harness) -> (u32, u32) {
    match h.last_request().1 {
        tokendesk::api::Operation::List { query, .. } => (query.offset, query.number_of_results),
        other => panic!("not a list: {other:?}"),
    }
}

/// On the first results page of a long account: a full page, so more may follow.
fn on_a_long_account() -> Harness {
    let mut h = Harness::new(80, 24);
    h.search("acr:ACR1");
    let (_, size) = asked(&h);
    h.answer(Ok(tokens_reply(account_page(0, size as usize))));
    assert!(h.results().may_have_more());
    h.take();
    h
}

#[test]
fn a_marks_every_token_of_the_search_reading_the_pages_one_after_another() {
    let mut h = on_a_long_account();
    h.key('A');
    assert_eq!(
        asked(&h),
        (0, 200),
        "the whole list, from its start, 200 a page"
    );
    h.answer(Ok(tokens_reply(account_page(0, 200))));
    assert_eq!(asked(&h), (200, 200));
    assert_eq!(h.results().marked.len(), 200);
    assert!(
        h.render().contains("Marking: 200 so far"),
        "progress on the status bar:\n{}",
        h.render()
    );
    h.answer(Ok(tokens_reply(account_page(200, 200))));
    h.answer(Ok(tokens_reply(account_page(400, 50))));
    assert_eq!(
        h.request_count(),
        1 + 3,
        "the search, then three pages; no more"
    );
    assert!(!h.app.is_busy());
    // The page's own tokens are among them: counted once.
    assert_eq!(h.results().marked.len(), 450);
    assert_eq!(
        h.notice(),
        "450 marked: every token of accounts receivable ACR1."
    );
}

#[test]
fn esc_stops_marking_and_what_was_marked_stays_marked() {
    let mut h = on_a_long_account();
    h.key('A');
    h.answer(Ok(tokens_reply(account_page(0, 200))));
    h.answer(Ok(tokens_reply(account_page(200, 200))));
    let in_flight = h.in_flight();
    h.press(KeyCode::Esc);
    assert!(h.cancelled.contains(&in_flight));
    assert!(!h.app.is_busy());
    assert_eq!(h.results().marked.len(), 400);
    assert_eq!(
        h.notice(),
        "Stopped marking; the 400 marked so far stay marked."
    );
    assert_eq!(
        h.app.screen,
        Screen::Results,
        "Esc stopped; it did not go back"
    );
    assert!(
        h.app
            .results_position()
            .is_some_and(|p| p.ends_with(" 400 marked.")),
        "{:?}",
        h.app.results_position()
    );
    // A late page changes nothing.
    h.answer_to(in_flight, Ok(tokens_reply(account_page(400, 200))));
    assert_eq!(h.results().marked.len(), 400);
}

#[test]
fn a_list_longer_than_the_ceiling_is_refused_and_a_takes_back_its_marks() {
    let mut h = on_a_long_account();
    h.app.list_ceiling = 300;
    h.key(' ');
    h.key('A');
    h.answer(Ok(tokens_reply(account_page(0, 200))));
    h.answer(Ok(tokens_reply(account_page(200, 200))));
    assert!(!h.app.is_busy(), "no third page is asked for");
    assert_eq!(
        h.notice(),
        "accounts receivable ACR1 holds more than 300 tokens (the profile's list_ceiling), too many for one batch: A marked none of them."
    );
    assert_eq!(marked_rows(&h), [0], "the mark made by hand stays");
    assert_eq!(h.results().marked.len(), 1);
}

#[test]
fn a_shows_its_progress_and_then_the_count_with_thousands_separators() {
    let mut h = on_a_long_account();
    h.key('A');
    for from in (0..1800).step_by(200) {
        h.answer(Ok(tokens_reply(account_page(from, 200))));
    }
    insta::assert_snapshot!("results_marking_all_80x24", h.render());
    h.answer(Ok(tokens_reply(account_page(1800, 200))));
    h.answer(Ok(tokens_reply(Vec::new())));
    insta::assert_snapshot!("results_all_marked_80x24", h.render());
    assert!(
        h.app
            .results_position()
            .is_some_and(|p| p.ends_with(" 2,000 marked.")),
        "{:?}",
        h.app.results_position()
    );
}

#[test]
fn a_read_that_replaces_the_marking_stops_it_and_says_so() {
    let mut h = on_a_long_account();
    h.key('A');
    h.answer(Ok(tokens_reply(account_page(0, 200))));
    let in_flight = h.in_flight();
    // Opening a row reads it, and that read takes the marking's place.
    h.press(KeyCode::Enter);
    assert!(h.cancelled.contains(&in_flight));
    assert_eq!(h.results().marked.len(), 200, "what was marked stays");
    assert!(h.results().marked_by_all.is_empty(), "nothing of it waits");
    assert_eq!(
        h.notice(),
        "Stopped marking; the 200 marked so far stay marked."
    );
}
