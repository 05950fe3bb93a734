//! Every flow of the console, driven through `App::update` with messages, as the event loop
//! would; the harness plays the CRM.COM server. No terminal, no network.

use crate::support;

use std::time::Duration;

use serde_json::Value;
use support::{
    Harness, KeyCode, busiest_acr, delete_seed_token, demo_tokens, not_effective_token,
    token_reply, tokens_reply, with_state,
};
use tokendesk::api::{
    AccessTokenIdentifier, Action, ApiError, Document, LifeCycleState, ListOwner, ListQuery,
    Operation, Reply,
};
use tokendesk::console::api_task::{ApiEvent, ApiEventKind, RequestId};
use tokendesk::console::app::layout;
use tokendesk::console::app::{Effect, Modal, Msg, Purpose, SEARCH_LINE_MAX_CHARS, Screen};
use tokendesk::fate::reason::{ReasonPattern, ReasonPolicy, ReasonRule};

const CODE: &str = "99021047380";
const NUMBER: &str = "AT0000000671";

fn by_code(code: &str) -> Operation {
    Operation::Show {
        identifier: AccessTokenIdentifier::AuthenticationCode(code.into()),
        fields: None,
    }
}

fn effective_token() -> Value {
    with_state(not_effective_token(), "EFFECTIVE")
}

fn state(h: &Harness) -> LifeCycleState {
    h.app.token.as_ref().expect("a token").summary.state.clone()
}

fn is_confirm(h: &Harness, action: Action) -> bool {
    matches!(&h.app.modal, Some(Modal::Confirm(c)) if c.action == action)
}

/// A harness on the token screen with `token` open, nothing in flight, effects taken.
fn on_token(token: Value) -> Harness {
    let mut h = Harness::new(80, 24);
    h.open(token);
    assert_eq!(h.app.screen, Screen::Token);
    assert!(!h.app.is_busy());
    h.take();
    h
}

/// `count` demo tokens, cycling through the file.
fn page_of(count: usize) -> Vec<Value> {
    demo_tokens().into_iter().cycle().take(count).collect()
}

/// On the results screen of `acr:ACR1`, answered with `rows` tokens.
fn on_results(rows: usize) -> Harness {
    let mut h = Harness::new(80, 24);
    h.search("acr:ACR1");
    h.answer(Ok(tokens_reply(page_of(rows))));
    assert_eq!(h.app.screen, Screen::Results);
    h.take();
    h
}

// ---- search -------------------------------------------------------------------------------

#[test]
fn a_bare_code_and_ac_search_by_authentication_code() {
    let mut h = Harness::new(80, 24);
    assert!(
        h.app.search.focused,
        "the search line has the keyboard at start"
    );
    h.search(CODE);
    assert_eq!(h.last_request().1, by_code(CODE));
    h.answer_token(not_effective_token());
    assert_eq!(h.app.screen, Screen::Token);
    assert_eq!(h.token().summary.number.as_deref(), Some(NUMBER));

    h.search("ac:ABC123");
    assert_eq!(h.last_request().1, by_code("ABC123"));
}

#[test]
fn id_and_pass_search_by_identifier() {
    let mut h = Harness::new(80, 24);
    h.search("id:250 pass:p1");
    assert_eq!(
        h.last_request().1,
        Operation::Show {
            identifier: AccessTokenIdentifier::Identifier {
                identifier: "250".into(),
                pass_code: "p1".into()
            },
            fields: None
        }
    );
}

#[test]
fn acr_and_rp_list_a_screenful_from_the_first_token() {
    let mut h = Harness::new(80, 24);
    let page = layout::results_rows(80, 24, 1) as u32;
    h.search("acr:ACR0000000071");
    assert_eq!(
        h.last_request().1,
        Operation::List {
            query: ListQuery {
                owner: ListOwner::AccountsReceivable("ACR0000000071".into()),
                number_of_results: page,
                offset: 0
            },
            fields: None
        }
    );
    h.search("rp:RP7");
    assert_eq!(
        h.last_request().1,
        Operation::List {
            query: ListQuery {
                owner: ListOwner::RewardsParticipant("RP7".into()),
                number_of_results: page,
                offset: 0
            },
            fields: None
        }
    );
}

#[test]
fn a_malformed_query_gets_a_hint_and_sends_nothing() {
    for line in ["foo:1", "id:250", "pass:x", "acr:", "a b c", "   "] {
        let mut h = Harness::new(80, 24);
        h.search(line);
        assert_eq!(h.request_count(), 0, "{line:?} sent a request");
        let notice = h.app.notice.clone().expect("a hint");
        assert_eq!(
            notice.tone,
            tokendesk::console::app::Tone::Warning,
            "{line:?}"
        );
        assert!(!notice.text.is_empty());
        assert!(
            h.app.search.focused,
            "the line keeps the keyboard to fix it"
        );
    }
}

#[test]
fn up_and_down_walk_this_sessions_history() {
    let mut h = Harness::new(80, 24);
    h.search("first");
    h.answer(Err(ApiError::server("NOT_FOUND", "no such token")));
    h.search("second");
    h.answer(Err(ApiError::server("NOT_FOUND", "no such token")));
    h.key('/').ctrl('u').keys("draft");
    h.press(KeyCode::Up);
    assert_eq!(h.app.search.input.value(), "second");
    h.press(KeyCode::Up);
    assert_eq!(h.app.search.input.value(), "first");
    h.press(KeyCode::Up);
    assert_eq!(h.app.search.input.value(), "first", "stops at the oldest");
    h.press(KeyCode::Down);
    assert_eq!(h.app.search.input.value(), "second");
    h.press(KeyCode::Down);
    assert_eq!(
        h.app.search.input.value(),
        "draft",
        "back to what was typed"
    );
    assert_eq!(
        h.app.search.history().collect::<Vec<_>>(),
        vec!["first", "second"]
    );
}

#[test]
fn typing_in_the_search_line_never_triggers_a_global_key() {
    // On the empty screen, and again on a token where d, X, ? and q all mean something.
    let mut h = Harness::new(80, 24);
    h.assert_inert(|h| {
        h.keys("dX?q");
    });
    assert_eq!(h.app.search.input.value(), "dX?q");
    assert!(h.app.modal.is_none());

    let mut h = on_token(effective_token());
    h.assert_inert(|h| {
        h.key('/').ctrl('u').keys("dX?qaRrE");
    });
    assert_eq!(h.app.search.input.value(), "dX?qaRrE");
    assert!(h.app.modal.is_none());
    assert!(!h.quit);
}

#[test]
fn slash_focuses_the_search_line_and_esc_leaves_it() {
    let mut h = on_token(not_effective_token());
    assert!(
        !h.app.search.focused,
        "a search hands the keyboard to the answer"
    );
    h.key('/');
    assert!(h.app.search.focused);
    h.press(KeyCode::Esc);
    assert!(!h.app.search.focused);
    assert_eq!(
        h.app.screen,
        Screen::Token,
        "the first Esc only leaves the line"
    );
}

#[test]
fn not_found_reads_as_no_match() {
    let mut h = Harness::new(80, 24);
    h.search("nope");
    h.answer(Err(ApiError::server("NOT_FOUND", "Access token not found")));
    assert_eq!(
        h.notice(),
        "No access token matches authentication code nope."
    );
    assert_eq!(h.app.screen, Screen::Home);
}

// ---- results ------------------------------------------------------------------------------

#[test]
fn a_list_answer_opens_the_results_and_enter_opens_the_selected_token() {
    let (acr, tokens) = busiest_acr();
    let mut h = Harness::new(80, 24);
    h.search(&format!("acr:{acr}"));
    h.answer(Ok(tokens_reply(tokens.clone())));
    assert_eq!(h.app.screen, Screen::Results);
    assert_eq!(h.results().rows.len(), tokens.len());
    h.press(KeyCode::Down);
    assert_eq!(h.results().selected, 1);
    h.press(KeyCode::Enter);
    assert_eq!(h.app.screen, Screen::Results, "until the token is read");
    let (_, operation) = h.last_request();
    let code = tokens[1]["authentication_code"].as_str().expect("a code");
    assert_eq!(
        operation,
        Operation::Show {
            identifier: AccessTokenIdentifier::AuthenticationCode(code.into()),
            fields: None
        },
        "the page keeps summaries: the token is read whole by its code"
    );
    h.answer_token(tokens[1].clone());
    assert_eq!(h.app.screen, Screen::Token);
    assert_eq!(
        h.token().summary.number,
        tokens[1]["number"].as_str().map(str::to_owned)
    );
    h.press(KeyCode::Esc);
    assert_eq!(h.app.screen, Screen::Results, "Esc goes back to the page");
    assert_eq!(h.results().selected, 1);
}

#[test]
fn a_token_that_cannot_be_read_on_opening_is_said_and_the_page_stays() {
    let (acr, tokens) = busiest_acr();
    let mut h = Harness::new(80, 24);
    h.search(&format!("acr:{acr}"));
    h.answer(Ok(tokens_reply(tokens.clone())));
    let name = tokens[0]["number"].as_str().expect("a number").to_owned();
    h.press(KeyCode::Enter);
    assert!(
        h.render().contains(&format!("Opening {name}")),
        "{}",
        h.render()
    );
    h.answer(Err(ApiError::server("NOT_FOUND", "No access token")));
    assert_eq!(h.app.screen, Screen::Results);
    assert_eq!(
        h.notice(),
        format!("{name} is no longer there: it was deleted since the page was read.")
    );
    h.press(KeyCode::Enter);
    h.answer(Err(ApiError::TimedOut {
        after: Duration::from_secs(30),
    }));
    assert_eq!(h.app.screen, Screen::Results);
    assert_eq!(
        h.notice(),
        format!("{name} could not be opened: The server did not answer within 30 s.")
    );
    // Esc while it is being read cancels the read, and the page stays.
    h.press(KeyCode::Enter);
    let id = h.in_flight();
    h.press(KeyCode::Esc);
    assert_eq!(h.cancelled, [id]);
    assert_eq!(h.app.screen, Screen::Results);
}

#[test]
fn a_token_without_a_code_cannot_be_read_to_open_it_and_nothing_is_sent() {
    let mut h = Harness::new(80, 24);
    h.search("acr:ACR1");
    h.answer(Ok(tokens_reply(vec![serde_json::json!({
        "number": "AT0000000001", "life_cycle_state": "EFFECTIVE"
    })])));
    h.assert_inert(|h| {
        h.press(KeyCode::Enter);
    });
    assert_eq!(h.app.screen, Screen::Results);
    assert!(
        h.notice().starts_with(
            "AT0000000001 has no authentication code, and CRM.COM finds a token only by its code"
        ),
        "{}",
        h.notice()
    );
}

#[test]
fn down_stops_at_the_last_row() {
    let mut h = on_results(3);
    for _ in 0..10 {
        h.press(KeyCode::Down);
    }
    assert_eq!(h.results().selected, 2);
    h.press(KeyCode::Up);
    assert_eq!(h.results().selected, 1);
}

/// Two full pages read on to, and a read past them that comes back empty: the list ends
/// with the last row on screen, and PgDn says so instead of reading past the end.
#[test]
fn page_down_on_the_last_screenful_of_the_rows_read_on_says_it_is_the_last() {
    let page = layout::results_rows(80, 24, 1);
    let mut h = on_results(page);
    h.press(KeyCode::End);
    h.press(KeyCode::Down);
    h.answer(Ok(tokens_reply(page_of(page))));
    h.press(KeyCode::End);
    h.press(KeyCode::Down);
    h.answer(Ok(tokens_reply(Vec::new())));
    assert_eq!(h.notice(), "No more tokens after this one.");
    let results = h.results();
    assert_eq!(
        (results.rows.len(), results.offset, results.total),
        (2 * page, page, Some(2 * page)),
        "the last row at the foot of the screen"
    );
    h.assert_inert(|h| {
        h.press(KeyCode::PageDown);
    });
    assert_eq!(h.notice(), "This is the last page.");
}

#[test]
fn page_down_reads_the_next_page_only_when_this_one_is_full() {
    let page = layout::results_rows(80, 24, 1);
    let mut h = on_results(page - 1);
    h.assert_inert(|h| {
        h.press(KeyCode::PageDown);
    });
    assert_eq!(h.notice(), "This is the last page.");

    let mut h = on_results(page);
    h.press(KeyCode::PageDown);
    let (_, operation) = h.last_request();
    let Operation::List { query, .. } = operation else {
        panic!("a list request")
    };
    assert_eq!(query.offset, page as u32);
    assert_eq!(query.number_of_results, page as u32);
    h.answer(Ok(tokens_reply(page_of(3))));
    assert_eq!(h.results().rows.len(), 3);
    assert_eq!(h.results().query.offset, page as u32);
    assert_eq!(
        h.app.results_position().as_deref(),
        Some("accounts receivable ACR1: tokens 21-23 of 23.")
    );

    h.press(KeyCode::PageUp);
    let Operation::List { query, .. } = h.last_request().1 else {
        panic!("a list request")
    };
    assert_eq!(query.offset, 0);
    h.answer(Ok(tokens_reply(page_of(page))));
    h.assert_inert(|h| {
        h.press(KeyCode::PageUp);
    });
    assert_eq!(h.notice(), "This is the first page.");
}

#[test]
fn down_past_a_full_page_reads_on_and_scrolls_a_line_and_up_past_the_first_reads_back() {
    let page = layout::results_rows(80, 24, 1);
    let mut h = on_results(page);
    let sent = h.requests.len();
    for _ in 1..page {
        h.press(KeyCode::Down);
    }
    assert_eq!(h.requests.len(), sent, "moves within the page read nothing");
    h.press(KeyCode::Down);
    let Operation::List { query, .. } = h.last_request().1 else {
        panic!("a list request")
    };
    assert_eq!(query.offset, page as u32);
    h.answer(Ok(tokens_reply(page_of(page))));
    let results = h.results();
    assert_eq!(results.rows.len(), 2 * page);
    assert_eq!(
        (results.selected, results.offset),
        (page, 1),
        "a line further"
    );
    assert_eq!(
        h.app.results_position().as_deref(),
        Some("accounts receivable ACR1: tokens 2-21; PgDn for more.")
    );
    // PgDn pages from the first row on screen; Up above the page it read reads back.
    h.take();
    h.press(KeyCode::PageDown);
    let Operation::List { query, .. } = h.last_request().1 else {
        panic!("a list request")
    };
    assert_eq!(query.offset, 1 + page as u32);
    h.answer(Ok(tokens_reply(page_of(page))));
    h.take();
    h.press(KeyCode::Up);
    let Operation::List { query, .. } = h.last_request().1 else {
        panic!("a list request")
    };
    assert_eq!(query.offset, 1);
    h.answer(Ok(tokens_reply(page_of(page))));
    let results = h.results();
    assert_eq!((results.query.offset, results.selected), (1, page - 1));
    assert_eq!(results.rows.len(), 2 * page);
}

#[test]
fn moves_pressed_on_while_the_next_rows_are_read_are_made_when_they_come() {
    let page = layout::results_rows(80, 24, 1);
    let mut h = on_results(page);
    h.press(KeyCode::End);
    let sent = h.requests.len();
    // A held Down: the first reads on, the three after it wait for the rows.
    for _ in 0..4 {
        h.press(KeyCode::Down);
    }
    assert_eq!(h.requests.len(), sent + 1, "one read on its way at a time");
    assert_eq!(
        h.results().selected,
        page - 1,
        "nothing moves before the rows come"
    );
    // An Up meanwhile takes one of the waiting moves back.
    h.press(KeyCode::Up);
    assert_eq!(h.results().selected, page - 1);
    h.answer(Ok(tokens_reply(page_of(page))));
    let results = h.results();
    assert_eq!(
        (results.selected, results.offset),
        (page + 2, 3),
        "three rows on, scrolled three lines"
    );
    // Up past the first row held, likewise: read back, with the moves that waited.
    let mut h = on_results(page);
    h.press(KeyCode::PageDown);
    h.answer(Ok(tokens_reply(page_of(page))));
    h.take();
    let sent = h.requests.len();
    h.press(KeyCode::Up);
    h.press(KeyCode::Up);
    h.press(KeyCode::Down);
    h.press(KeyCode::Up);
    h.press(KeyCode::Up);
    assert_eq!(h.requests.len(), sent + 1, "one read back");
    h.answer(Ok(tokens_reply(page_of(page))));
    let results = h.results();
    assert_eq!((results.query.offset, results.selected), (0, page - 3));
}

#[test]
fn every_wait_for_a_read_on_ends_with_it_or_another_key() {
    let page = layout::results_rows(80, 24, 1);
    let mut h = on_results(page);
    h.press(KeyCode::End);
    h.press(KeyCode::Down);
    h.press(KeyCode::Down);
    // Every move taken back, and one Up more, which moves: the rows come, and the
    // highlight stays where it is.
    h.press(KeyCode::Up);
    h.press(KeyCode::Up);
    assert_eq!(h.results().selected, page - 1, "the moves were taken back");
    h.press(KeyCode::Up);
    assert_eq!(h.results().selected, page - 2, "nothing waits: a move");
    h.answer(Ok(tokens_reply(page_of(page))));
    assert_eq!(h.results().selected, page - 2);
    // A key other than a move forgets the moves that wait (`u` here), then the rows come.
    h.press(KeyCode::End);
    h.press(KeyCode::Down);
    h.press(KeyCode::Down);
    h.key('u');
    h.answer(Ok(tokens_reply(page_of(page))));
    assert_eq!(
        h.results().selected,
        2 * page - 1,
        "the highlight stays on the last row"
    );
    // A failed read leaves nothing waiting: the next read moves one row.
    h.press(KeyCode::End);
    h.press(KeyCode::Down);
    h.press(KeyCode::Down);
    h.answer(Err(ApiError::TimedOut {
        after: std::time::Duration::from_secs(30),
    }));
    assert!(!h.notice().is_empty(), "the failure is said");
    h.press(KeyCode::Down);
    h.answer(Ok(tokens_reply(page_of(page))));
    assert_eq!(h.results().selected, 3 * page);
    assert_eq!(
        h.notice(),
        "",
        "the rows came: the failure is no longer said"
    );
}

/// Reading back, as reading on: a Down takes back a waiting Up, and the Up that read moves
/// one row back when the rows come; a Down past the Up that read moves at once, and the
/// rows come in above the highlight's row.
#[test]
fn every_wait_for_a_read_back_ends_with_it_or_a_move_down() {
    let page = layout::results_rows(80, 24, 1);
    let mut h = on_results(page);
    h.press(KeyCode::PageDown);
    h.answer(Ok(tokens_reply(page_of(page))));
    h.press(KeyCode::Up);
    h.press(KeyCode::Up);
    h.press(KeyCode::Down);
    assert_eq!(h.results().selected, 0, "a waiting move was taken back");
    h.answer(Ok(tokens_reply(page_of(page))));
    assert_eq!(
        (h.results().query.offset, h.results().selected),
        (0, page - 1),
        "one row back"
    );
    h.press(KeyCode::Home);
    h.press(KeyCode::PageDown);
    h.answer(Ok(tokens_reply(page_of(page))));
    h.press(KeyCode::Up);
    h.press(KeyCode::Down);
    h.press(KeyCode::Down);
    assert_eq!(h.results().selected, 1, "nothing waits: a move");
    h.answer(Ok(tokens_reply(page_of(page))));
    assert_eq!(h.results().selected, page + 1, "the rows came before it");
}

/// Where the highlight is in the whole list: the first row held's place plus its own.
fn highlighted_place(h: &Harness) -> usize {
    let results = h.results();
    results.query.offset as usize + results.selected
}

#[test]
fn a_click_while_the_next_rows_are_read_is_where_the_highlight_stays() {
    use tokendesk::console::app::mouse::MouseKind::Click;
    let page = layout::results_rows(80, 24, 1);
    for (clicked, what) in [(2, "a row above"), (page - 1, "the last row itself")] {
        let mut h = on_results(page);
        h.app.mouse = true;
        h.press(KeyCode::End);
        h.press(KeyCode::Down);
        h.press(KeyCode::Down);
        // Row 0 is the search line, 1 the table's titles.
        h.send(mouse(Click, u16::try_from(2 + clicked).expect("a row")));
        h.answer(Ok(tokens_reply(page_of(page))));
        assert_eq!(h.results().rows.len(), 2 * page);
        assert_eq!(h.results().selected, clicked, "{what}: no move waited");
    }
}

#[test]
fn a_short_page_read_on_gives_the_lists_total() {
    let page = layout::results_rows(80, 24, 1);
    let mut h = on_results(page);
    h.press(KeyCode::End);
    h.press(KeyCode::Down);
    h.answer(Ok(tokens_reply(page_of(page - 3))));
    assert_eq!(h.results().total, Some(2 * page - 3));
    assert_eq!(h.results().selected, page);
    let position = h.app.results_position().unwrap_or_default();
    assert!(
        position.ends_with(&format!("of {}.", 2 * page - 3)),
        "{position}"
    );
}

/// Read on through seven pages: five pages at most are held (`MAX_HELD_PAGES`), the rows
/// furthest above the screen dropped, and the highlight and the view keep their places in
/// the whole list; read back past the first row held, the rows furthest below go, and with
/// the highlight moved to the last row meanwhile, its row stays.
#[test]
fn a_long_walk_holds_five_pages_and_every_place_stays_true() {
    let page = layout::results_rows(80, 24, 1);
    let mut h = on_results(page);
    for _ in 0..6 {
        h.press(KeyCode::End);
        h.press(KeyCode::Down);
        h.answer(Ok(tokens_reply(page_of(page))));
    }
    let results = h.results();
    assert_eq!(results.rows.len(), 5 * page, "five pages held");
    assert_eq!(
        highlighted_place(&h),
        6 * page,
        "the first row of the seventh page"
    );
    assert_eq!(
        results.query.offset as usize + results.offset,
        5 * page + 1,
        "the highlight at the foot of the screen"
    );
    // Back to the first row held, and past it.
    h.press(KeyCode::Home);
    let first_held = h.results().query.offset as usize;
    assert!(first_held >= page, "rows were dropped in front");
    h.press(KeyCode::Up);
    h.answer(Ok(tokens_reply(page_of(page))));
    let results = h.results();
    assert_eq!(results.rows.len(), 5 * page, "the rows furthest below went");
    assert_eq!(results.query.offset as usize, first_held - page);
    assert_eq!(
        (results.selected, results.offset),
        (page - 1, page - 1),
        "a line back, at the head of the screen"
    );
    // Up past the first row held again, and End while that read is on its way.
    h.press(KeyCode::Home);
    h.press(KeyCode::Up);
    h.press(KeyCode::End);
    let last = highlighted_place(&h);
    h.answer(Ok(tokens_reply(page_of(page))));
    let results = h.results();
    assert_eq!(highlighted_place(&h), last, "the highlight's row stays");
    assert_eq!(results.selected + 1, results.rows.len(), "and is held");
}

#[test]
fn an_empty_next_page_keeps_the_page_on_screen() {
    let page = layout::results_rows(80, 24, 1);
    let mut h = on_results(page);
    h.press(KeyCode::PageDown);
    h.answer(Ok(tokens_reply(Vec::new())));
    assert_eq!(h.notice(), "No more tokens after this page.");
    assert_eq!(h.results().rows.len(), page);
    assert_eq!(h.results().query.offset, 0);
}

// ---- the tree -----------------------------------------------------------------------------

#[test]
fn tree_keys_move_expand_collapse_and_show_empties() {
    let mut h = on_token(not_effective_token());
    let tree = |h: &Harness| h.token().tree.clone();
    let collapsed = tree(&h).visible().len();
    assert_eq!(tree(&h).cursor(), 0);
    h.key('j');
    assert_eq!(tree(&h).cursor(), 1);
    h.key('k');
    assert_eq!(tree(&h).cursor(), 0);
    h.key('E');
    let expanded = tree(&h).visible().len();
    assert!(expanded > collapsed, "{expanded} > {collapsed}");
    h.key('n');
    assert!(tree(&h).show_empty());
    assert!(tree(&h).visible().len() > expanded);
    assert_eq!(h.notice(), "Showing empty fields.");
    h.key('n');
    assert!(!tree(&h).show_empty());
    assert_eq!(h.notice(), "Hiding empty fields.");
    h.key('C');
    assert_eq!(tree(&h).visible().len(), collapsed);
}

#[test]
fn r_opens_the_raw_json_and_esc_closes_it_then_goes_home() {
    let mut h = on_token(not_effective_token());
    h.key('r');
    let raw = h
        .app
        .token
        .as_ref()
        .unwrap()
        .raw
        .as_ref()
        .expect("raw view");
    assert!(raw.lines.iter().any(|l| l.contains(NUMBER)));
    h.press(KeyCode::Esc);
    assert!(h.token().raw.is_none());
    assert_eq!(h.app.screen, Screen::Token);
    h.press(KeyCode::Esc);
    assert_eq!(h.app.screen, Screen::Home);
    assert!(h.app.search.focused);
}

#[test]
fn capital_r_rereads_the_token_and_keeps_the_view() {
    let mut h = on_token(not_effective_token());
    h.key('E').key('j').key('j');
    let expanded = h.token().tree.visible().len();
    h.key('R');
    assert_eq!(h.last_request().1, by_code(CODE));
    h.answer_token(effective_token());
    assert_eq!(state(&h), LifeCycleState::Effective);
    assert_eq!(h.token().tree.cursor(), 2);
    assert_eq!(h.token().tree.visible().len(), expanded, "still expanded");
    assert_eq!(h.notice(), "Re-read from the server.");
}

// ---- life-cycle rules ---------------------------------------------------------------------

#[test]
fn actions_the_state_forbids_open_no_modal_and_say_why() {
    let cases = [
        (
            "NOT_EFFECTIVE",
            'd',
            "Only EFFECTIVE tokens can be deactivated",
        ),
        (
            "EFFECTIVE",
            'a',
            "Only NOT_EFFECTIVE tokens can be re-activated",
        ),
        ("EFFECTIVE", 'X', "Only NOT_EFFECTIVE tokens can be deleted"),
        (
            "PENDING_VERIFICATION",
            'd',
            "this one is PENDING_VERIFICATION",
        ),
        (
            "PENDING_VERIFICATION",
            'a',
            "this one is PENDING_VERIFICATION",
        ),
        (
            "PENDING_VERIFICATION",
            'X',
            "this one is PENDING_VERIFICATION",
        ),
    ];
    for (token_state, key, reason) in cases {
        let mut h = on_token(with_state(not_effective_token(), token_state));
        h.assert_inert(|h| {
            h.key(key);
        });
        assert!(h.app.modal.is_none(), "{token_state} {key}");
        assert!(
            h.notice().contains(reason),
            "{token_state} {key}: {}",
            h.notice()
        );
    }
}

#[test]
fn d_on_an_effective_token_confirms_with_y_and_the_answer_replaces_the_token() {
    let mut h = on_token(effective_token());
    h.assert_inert(|h| {
        h.key('d');
    });
    assert!(is_confirm(&h, Action::Deactivate));
    let screen = h.render();
    // The header always shows the number; the modal's own lines name the token too.
    assert!(screen.contains("┌ Deactivate access token "), "{screen}");
    assert!(
        screen.contains("│ Token           AT0000000671 "),
        "{screen}"
    );
    assert!(
        screen.contains("│ Code            99021047380 "),
        "{screen}"
    );
    h.key('y');
    assert!(h.app.modal.is_none());
    let Operation::Act {
        action,
        identifier,
        fields,
        token,
        batch,
        reason: _,
    } = h.last_request().1
    else {
        panic!("an action is sent");
    };
    assert_eq!(
        (action, identifier, fields),
        (
            Action::Deactivate,
            AccessTokenIdentifier::AuthenticationCode(CODE.into()),
            None
        )
    );
    // The token as confirmed goes along, for the audit log to name it by its number.
    assert_eq!(token.number.as_deref(), Some(NUMBER));
    assert_eq!(batch, None, "one token is not a batch");
    assert!(matches!(
        h.app.pending.as_ref().unwrap().purpose,
        Purpose::Act {
            action: Action::Deactivate,
            ..
        }
    ));
    h.answer_token(not_effective_token());
    assert_eq!(state(&h), LifeCycleState::NotEffective);
    assert!(!h.app.is_busy());
    assert_eq!(h.notice(), "AT0000000671: Deactivated.");
    assert!(
        h.render().contains(" NOT_EFFECTIVE "),
        "the header badge follows"
    );
}

#[test]
fn a_on_a_not_effective_token_reactivates() {
    let mut h = on_token(not_effective_token());
    h.key('a');
    assert!(is_confirm(&h, Action::Activate));
    h.key('y');
    assert!(matches!(
        h.last_request().1,
        Operation::Act {
            action: Action::Activate,
            ..
        }
    ));
    h.answer_token(effective_token());
    assert_eq!(state(&h), LifeCycleState::Effective);
}

#[test]
fn n_and_esc_cancel_a_confirmation_with_nothing_sent() {
    for cancel in [KeyCode::Char('n'), KeyCode::Esc] {
        let mut h = on_token(effective_token());
        h.assert_inert(|h| {
            h.key('d').press(cancel);
        });
        assert!(h.app.modal.is_none());
        assert_eq!(h.notice(), "Nothing was deactivated.");
        assert_eq!(h.request_count(), 1, "only the search");
        assert_eq!(h.app.screen, Screen::Token, "Esc closes the modal only");
    }
}

#[test]
fn other_keys_leave_the_confirmation_open() {
    let mut h = on_token(effective_token());
    h.assert_inert(|h| {
        h.key('d').press(KeyCode::Enter).key('d').key('x');
    });
    assert!(is_confirm(&h, Action::Deactivate));
}

#[test]
fn delete_needs_the_typed_number_then_enter() {
    let mut h = on_token(not_effective_token());
    h.key('X');
    assert!(is_confirm(&h, Action::Delete));
    h.assert_inert(|h| {
        h.key('y').press(KeyCode::Enter);
    });
    assert!(is_confirm(&h, Action::Delete), "y only types a letter");
    h.ctrl('u').keys("AT000000067");
    h.assert_inert(|h| {
        h.press(KeyCode::Enter);
    });
    let Some(Modal::Confirm(confirm)) = &h.app.modal else {
        panic!("still confirming")
    };
    assert!(
        confirm
            .question
            .mistake
            .as_deref()
            .unwrap()
            .contains(NUMBER)
    );
    h.key('1').press(KeyCode::Enter);
    assert!(h.app.modal.is_none());
    assert!(matches!(
        h.last_request().1,
        Operation::Act {
            action: Action::Delete,
            ..
        }
    ));
    // CRM.COM answers a delete with the token as it was.
    let answer = h.token().data.clone();
    h.answer_token(answer);
    let token = h.token();
    assert!(token.deleted);
    assert_eq!(h.notice(), "AT0000000671: Deleted.");
    assert!(h.render().contains("DELETED"));
    for key in ['d', 'a', 'X'] {
        h.assert_inert(|h| {
            h.key(key);
        });
        assert!(h.app.modal.is_none());
        assert_eq!(h.notice(), "AT0000000671 has been deleted.");
    }
}

#[test]
fn a_deleted_token_stays_deleted_in_its_results_page() {
    // ACR0000000071's five tokens; the last (row 4) is NOT_EFFECTIVE, so Down walks to it.
    let acr = "ACR0000000071";
    let tokens: Vec<Value> = demo_tokens()
        .into_iter()
        .filter(|t| {
            tokendesk::api::TokenSummary::from_value(t)
                .account_number
                .as_deref()
                == Some(acr)
        })
        .collect();
    let target = tokens
        .iter()
        .rposition(|t| t["life_cycle_state"] == "NOT_EFFECTIVE")
        .expect("the account has a NOT_EFFECTIVE token");
    assert_eq!(target, 4, "{tokens:?}");
    let mut h = Harness::new(80, 24);
    h.search(&format!("acr:{acr}"));
    h.answer(Ok(tokens_reply(tokens.clone())));
    for _ in 0..target {
        h.press(KeyCode::Down);
    }
    h.press(KeyCode::Enter);
    h.answer_token(tokens[target].clone());
    let number = h.token().summary.display_name();
    assert_eq!(number, "AT0000000723", "Down walked to row 4");
    h.key('X').keys(&number).press(KeyCode::Enter);
    h.answer_token(tokens[target].clone());
    h.press(KeyCode::Esc);
    assert_eq!(h.app.screen, Screen::Results);
    let deleted: Vec<bool> = h.results().rows.iter().map(|r| r.deleted).collect();
    assert_eq!(deleted, [false, false, false, false, true]);
    h.assert_inert(|h| {
        h.press(KeyCode::Enter);
    });
    assert!(h.token().deleted, "shown as it was, without a read");
    assert_eq!(h.app.screen, Screen::Token);
    // Another deleted row, not the token held, has nothing to show.
    h.press(KeyCode::Esc);
    h.press(KeyCode::Up);
    let row = h.results().selected;
    h.app.results.as_mut().expect("results").rows[row].deleted = true;
    h.assert_inert(|h| {
        h.press(KeyCode::Enter);
    });
    assert_eq!(h.app.screen, Screen::Results);
    assert_eq!(h.notice(), "AT0000000719 was deleted.");
}

#[test]
fn no_double_submit_while_an_action_is_in_flight() {
    let mut h = on_token(effective_token());
    h.key('d').key('y');
    let id = h.in_flight();
    h.assert_inert(|h| {
        h.key('d');
    });
    assert!(h.app.modal.is_none(), "d opens no second confirmation");
    assert!(h.notice().contains("Wait for the action in flight"));
    h.take();
    h.key('y').key('a').key('X').press(KeyCode::Enter).key('y');
    // y on the tree copies the selected row; nothing is sent or cancelled.
    assert!(
        h.take()
            .iter()
            .all(|effect| matches!(effect, Effect::Copy { .. })),
        "stray keys send nothing"
    );
    h.assert_inert(|h| {
        h.key('R');
    });
    assert!(h.notice().contains("still in flight"), "{}", h.notice());
    h.assert_inert(|h| {
        h.search("12345");
    });
    assert!(h.notice().contains("still in flight"));
    assert_eq!(h.in_flight(), id, "the action is still the one awaited");
    assert_eq!(h.request_count(), 2);
}

#[test]
fn a_confirmation_that_lands_after_an_action_started_sends_nothing() {
    // The modal was opened before; an action began meanwhile (here: forced by hand).
    let mut h = on_token(effective_token());
    h.key('d');
    let Some(Modal::Confirm(confirm)) = h.app.modal.take() else {
        panic!("confirming")
    };
    h.key('d').key('y');
    assert_eq!(h.request_count(), 2);
    h.app.modal = Some(Modal::Confirm(confirm));
    h.assert_inert(|h| {
        h.key('y');
    });
    assert_eq!(h.request_count(), 2, "the second confirmation sent nothing");
}

// ---- cancelling, unknown outcomes, verification ---------------------------------------------

#[test]
fn esc_cancels_a_read_and_its_late_answer_is_dropped() {
    let mut h = Harness::new(80, 24);
    h.search(CODE);
    let id = h.in_flight();
    h.take();
    h.press(KeyCode::Esc);
    let effects = h.take();
    assert!(
        matches!(effects.as_slice(), [Effect::Api(tokendesk::console::api_task::ApiCommand::Cancel(c))] if *c == id),
        "{effects:?}"
    );
    assert!(!h.app.is_busy());
    assert_eq!(h.notice(), "Cancelled.");
    h.answer_to(id, Ok(token_reply(not_effective_token())));
    assert_eq!(h.app.screen, Screen::Home, "the late answer is dropped");
    assert!(h.app.token.is_none());
    assert_eq!(h.notice(), "Cancelled.");
}

#[test]
fn a_started_event_changes_nothing() {
    let mut h = Harness::new(80, 24);
    h.search(CODE);
    let id = h.in_flight();
    h.tick(Duration::from_millis(700));
    let notice = h.app.notice.clone();
    let screen = h.render();
    h.assert_inert(|h| {
        h.send(Msg::Api(tokendesk::console::api_task::ApiEvent {
            id,
            kind: ApiEventKind::Started,
        }));
    });
    assert!(!h.app.changed(), "no redraw for a Started event");
    assert_eq!(h.in_flight(), id);
    assert_eq!(h.app.pending_elapsed(), Some(Duration::from_millis(700)));
    assert_eq!(h.app.notice, notice);
    assert_eq!(h.app.screen, Screen::Home);
    assert_eq!(h.render(), screen);
}

#[test]
fn esc_during_an_action_cancels_it_and_verifies() {
    for (answer, expected) in [
        (
            not_effective_token(),
            "AT0000000671: Deactivated. Checked after a lost answer: Cancelled before the answer came.",
        ),
        (
            effective_token(),
            "AT0000000671: Not deactivated; it is EFFECTIVE. Checked after a lost answer: Cancelled before the answer came.",
        ),
    ] {
        let mut h = on_token(effective_token());
        h.key('d').key('y');
        let act = h.in_flight();
        h.take();
        // Its intent is on disk and it has gone out.
        h.send(Msg::Api(tokendesk::console::api_task::ApiEvent {
            id: act,
            kind: ApiEventKind::Recorded,
        }));
        h.press(KeyCode::Esc);
        assert_eq!(h.cancelled, vec![act]);
        assert_eq!(h.last_request().1, by_code(CODE), "a re-read goes out");
        assert!(matches!(
            h.app.pending.as_ref().unwrap().purpose,
            Purpose::Verify {
                action: Action::Deactivate,
                ..
            }
        ));
        assert!(h.notice().contains("may already have deactivated"));
        h.answer_to(act, Ok(token_reply(not_effective_token())));
        assert!(h.app.is_busy(), "the cancelled action's answer is dropped");
        h.answer_token(answer);
        assert_eq!(h.notice(), expected);
    }
}

/// Esc while the action still waits for the audit log (a slow disk): most likely nothing
/// went out, and the re-read finds out.
#[test]
fn esc_during_an_action_waiting_for_the_audit_log_says_so_and_verifies() {
    let mut h = on_token(effective_token());
    h.key('d').key('y');
    let act = h.in_flight();
    h.take();
    h.press(KeyCode::Esc);
    assert_eq!(h.cancelled, vec![act]);
    assert_eq!(h.last_request().1, by_code(CODE), "a re-read goes out");
    assert_eq!(
        h.notice(),
        "Cancelled while waiting for the audit log, so most likely before it was sent. Re-reading AT0000000671 to find out."
    );
    h.answer_token(effective_token());
    assert_eq!(
        h.notice(),
        "AT0000000671: Not deactivated; it is EFFECTIVE. Checked after a lost answer: Cancelled before the answer came."
    );
}

#[test]
fn an_unknown_outcome_rereads_and_says_so() {
    for error in [
        ApiError::TimedOut {
            after: Duration::from_secs(30),
        },
        ApiError::Disconnected {
            detail: "connection reset".into(),
        },
        // A proxy's page instead of the answer, and a body cut off mid-way: the action may
        // have happened behind them.
        ApiError::http_status(
            502,
            b"<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>",
        ),
        ApiError::not_json(b"{\"status"),
        // An answer that arrived but cannot say what happened: JSON that is not the
        // envelope, one too large to read, an envelope that says `status` twice, and an OK
        // without the token in its new state.
        ApiError::NotEnvelope,
        ApiError::TooLarge {
            limit_bytes: 32 * 1024 * 1024,
        },
        ApiError::RepeatedField("status"),
        ApiError::Unconfirmed("sent no access token back".into()),
    ] {
        let mut h = on_token(effective_token());
        h.key('d').key('y');
        h.answer(Err(error.clone()));
        assert_eq!(h.last_request().1, by_code(CODE), "{error:?}");
        assert!(matches!(
            h.app.pending.as_ref().unwrap().purpose,
            Purpose::Verify { .. }
        ));
        let notice = h.notice();
        assert_eq!(
            notice,
            format!(
                "{error} AT0000000671 may or may not have been deactivated; re-reading it to find out."
            ),
            "{error:?}"
        );
        h.answer_token(not_effective_token());
        assert!(
            h.notice()
                .starts_with("AT0000000671: Deactivated. Checked after a lost answer:")
        );
    }
}

/// The API task reads a token whose action's answer was lost, for its audit line, and hands
/// the console what it found: that is the check, and the token is not read a second time.
#[test]
fn an_unknown_outcome_the_api_task_already_re_read_is_not_read_again() {
    let mut h = on_token(effective_token());
    h.key('d').key('y');
    let act = h.in_flight();
    let sent = h.request_count();
    h.send(Msg::Api(ApiEvent {
        id: act,
        kind: ApiEventKind::Reread(Ok(Document::from(not_effective_token()))),
    }));
    h.answer_to(
        act,
        Err(ApiError::TimedOut {
            after: Duration::from_secs(30),
        }),
    );
    assert_eq!(h.request_count(), sent, "no second read");
    assert!(h.app.pending.is_none());
    assert_eq!(
        h.notice(),
        "AT0000000671: Deactivated. Checked after a lost answer: The server did not answer within 30 s."
    );
    assert_eq!(h.token().summary.state, LifeCycleState::NotEffective);
    // A re-read that failed in the task is no check: the console reads it itself.
    let mut h = on_token(effective_token());
    h.key('d').key('y');
    let act = h.in_flight();
    h.send(Msg::Api(ApiEvent {
        id: act,
        kind: ApiEventKind::Reread(Err(ApiError::Disconnected {
            detail: "connection reset".into(),
        })),
    }));
    h.answer_to(
        act,
        Err(ApiError::TimedOut {
            after: Duration::from_secs(30),
        }),
    );
    assert_eq!(h.last_request().1, by_code(CODE));
}

#[test]
fn a_token_keeps_its_numbers_and_marks_a_key_sent_twice() {
    let body = format!(
        r#"{{"number":"{NUMBER}","authentication_code":"{CODE}","life_cycle_state":"EFFECTIVE","life_cycle_state":"NOT_EFFECTIVE","balance":123456789012345678901234567890,"limit":1e400,"rate":1e-400}}"#
    );
    let document = Document::parse(body.as_bytes()).expect("valid JSON");
    let mut h = Harness::new(80, 24);
    h.search(CODE);
    h.answer(Ok(Reply::Token(document)));
    let screen = h.render();
    for row in [
        "Life cycle state (duplicate key) NOT_EFFECTIVE",
        "Balance  123456789012345678901234567890",
        "Limit  1e+400",
        "Rate  1e-400",
    ] {
        let squeezed: Vec<String> = screen
            .lines()
            .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
            .collect();
        let wanted = row.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(
            squeezed.iter().any(|l| l.contains(&wanted)),
            "{row:?} on\n{screen}"
        );
    }
    assert_eq!(
        h.token().summary.state,
        LifeCycleState::NotEffective,
        "the last one sent"
    );
    h.key('r');
    let raw = &h.token().raw.as_ref().expect("raw view").lines;
    for line in [
        r#"  "balance": 123456789012345678901234567890,"#,
        r#"  "limit": 1e+400,"#,
        r#"  "rate": 1e-400"#,
    ] {
        assert!(raw.iter().any(|l| l == line), "{line} in {raw:?}");
    }
}

#[test]
fn a_verify_after_delete_answered_not_found_marks_the_token_deleted() {
    let mut h = on_token(not_effective_token());
    h.key('X').keys(NUMBER).press(KeyCode::Enter);
    h.answer(Err(ApiError::TimedOut {
        after: Duration::from_secs(30),
    }));
    h.answer(Err(ApiError::server("NOT_FOUND", "Access token not found")));
    assert!(h.token().deleted);
    assert_eq!(
        h.notice(),
        "AT0000000671: Deleted. Checked after a lost answer: The server did not answer within 30 s."
    );
}

#[test]
fn a_verify_after_delete_that_finds_the_token_says_it_was_not_deleted() {
    let mut h = on_token(not_effective_token());
    h.key('X').keys(NUMBER).press(KeyCode::Enter);
    h.answer(Err(ApiError::TimedOut {
        after: Duration::from_secs(30),
    }));
    h.answer_token(not_effective_token());
    assert!(!h.token().deleted);
    assert!(
        h.notice()
            .starts_with("AT0000000671: Not deleted; it is NOT_EFFECTIVE."),
        "{}",
        h.notice()
    );
}

#[test]
fn a_refusal_not_about_the_state_says_so_re_reads_and_sends_nothing_more() {
    let mut h = on_token(effective_token());
    h.key('d').key('y');
    let sent = h.request_count();
    h.answer(Err(ApiError::server(
        "PERMISSION_DENIED",
        "Your role may not change access tokens",
    )));
    // Any refusal reads the token again (here the API task did not): never the action.
    assert_eq!(h.request_count(), sent + 1);
    assert_eq!(h.last_request().1, by_code(CODE));
    h.answer_token(effective_token());
    assert_eq!(h.request_count(), sent + 1);
    assert_eq!(
        h.notice(),
        "AT0000000671: Your role may not change access tokens. (PERMISSION_DENIED) It is EFFECTIVE now."
    );
    assert_eq!(state(&h), LifeCycleState::Effective);
}

#[test]
fn an_action_answered_with_a_redirect_was_not_carried_out_and_is_not_re_read() {
    let mut h = on_token(effective_token());
    h.key('d').key('y');
    let sent = h.request_count();
    let redirected = ApiError::Redirected {
        status: 307,
        location: Some(
            "http://127.0.0.2:8080/crmapi/rest/v2/access_tokens/set_as_not_effective".into(),
        ),
    };
    h.answer(Err(redirected.clone()));
    assert_eq!(
        h.request_count(),
        sent,
        "nothing to find out: nothing was done"
    );
    assert_eq!(
        h.notice(),
        format!("AT0000000671: Not deactivated: {redirected}")
    );
    assert_eq!(state(&h), LifeCycleState::Effective);
}

#[test]
fn errors_become_one_sentence_notices() {
    let errors = [
        ApiError::Connect {
            host: "crm.example.com".into(),
            detail: "connection refused".into(),
        },
        ApiError::http_status(
            502,
            b"<html><head><title>502 Bad Gateway</title></head><body><h1>Bad Gateway</h1>\n<p>nginx</p></body></html>",
        ),
        ApiError::not_json(b"<!DOCTYPE html><html><body>oops</body></html>"),
        ApiError::server("INTERNAL", "Something\nbroke"),
    ];
    for error in errors {
        let mut h = Harness::new(80, 24);
        h.search(CODE);
        h.answer(Err(error.clone()));
        let notice = h.app.notice.clone().expect("a notice");
        assert!(!notice.text.contains('<'), "{error:?}: {}", notice.text);
        assert!(!notice.text.contains('\n'), "{error:?}: {}", notice.text);
        assert!(
            notice.text.ends_with('.') || notice.text.ends_with(')'),
            "{}",
            notice.text
        );
        assert!(!h.app.is_busy());
    }
}

// ---- leaving ------------------------------------------------------------------------------

#[test]
fn q_quits_at_once_when_idle() {
    let mut h = on_token(not_effective_token());
    h.key('q');
    let effects = h.take();
    assert!(matches!(effects.as_slice(), [Effect::Quit]), "{effects:?}");
}

#[test]
fn q_asks_first_while_a_request_is_in_flight() {
    let mut h = on_token(not_effective_token());
    h.key('R');
    let id = h.in_flight();
    h.take();
    h.key('q');
    assert!(!h.quit);
    assert!(matches!(h.app.modal, Some(Modal::QuitWhileBusy(_))));
    h.key('x');
    assert!(
        matches!(h.app.modal, Some(Modal::QuitWhileBusy(_))),
        "other keys wait"
    );
    h.key('n');
    assert!(h.app.modal.is_none());
    assert!(!h.quit);
    assert_eq!(h.in_flight(), id, "staying keeps the request");

    h.key('q').key('y');
    assert!(h.quit);
    assert_eq!(h.cancelled, vec![id]);
}

#[test]
fn ctrl_c_quits_from_anywhere() {
    // From the search line.
    let mut h = Harness::new(80, 24);
    h.keys("abc").ctrl('c');
    assert!(h.quit);
    // From a confirmation.
    let mut h = on_token(effective_token());
    h.key('d').ctrl('c');
    assert!(h.quit);
    assert_eq!(h.request_count(), 1, "nothing was deactivated");
    // From the delete confirmation's text field.
    let mut h = on_token(not_effective_token());
    h.key('X').keys("AT").ctrl('c');
    assert!(h.quit);
    // From the help, and with a request in flight (cancelled on the way out).
    let mut h = on_token(not_effective_token());
    h.key('R');
    let id = h.in_flight();
    h.key('?').ctrl('c');
    assert!(h.quit);
    assert_eq!(h.cancelled, vec![id]);
}

#[test]
fn terminate_quits_and_cancels_what_is_in_flight() {
    let mut h = Harness::new(80, 24);
    h.send(Msg::Terminate);
    assert!(h.quit);
    let mut h = on_token(effective_token());
    h.key('d').key('y');
    let id = h.in_flight();
    h.send(Msg::Terminate);
    assert!(h.quit);
    assert_eq!(h.cancelled, vec![id]);
}

// ---- screen and overlays ------------------------------------------------------------------

#[test]
fn resize_keeps_the_tree_cursor_on_screen() {
    let mut h = Harness::new(80, 40);
    h.open(not_effective_token());
    h.key('E').key('n').key('G');
    let tree = &h.token().tree;
    let last = tree.visible().len() - 1;
    assert_eq!(tree.cursor(), last);
    for (w, hgt) in [(80, 12), (40, 10), (120, 40), (1, 1), (80, 24)] {
        h.resize(w, hgt);
        let tree = &h.token().tree;
        assert_eq!(tree.viewport_height(), layout::tree_rows(w, hgt, 1));
        assert_eq!(tree.cursor(), last);
        assert!(
            tree.offset() <= tree.cursor()
                && tree.cursor() < tree.offset() + tree.viewport_height(),
            "{w}x{hgt}: offset {} cursor {} rows {}",
            tree.offset(),
            tree.cursor(),
            tree.viewport_height()
        );
    }
}

#[test]
fn resize_keeps_the_results_selection_on_screen() {
    let mut h = Harness::new(80, 40);
    h.search("acr:ACR1");
    let page = layout::results_rows(80, 40, 1);
    h.answer(Ok(tokens_reply(page_of(page))));
    for _ in 0..page {
        h.press(KeyCode::Down);
    }
    h.resize(80, 12);
    let results = h.results();
    let rows = layout::results_rows(80, 12, 1);
    assert!(results.offset <= results.selected && results.selected < results.offset + rows);
    let number = results.rows[results.selected]
        .summary
        .number
        .clone()
        .unwrap();
    assert!(h.render().contains(&number));
}

#[test]
fn question_mark_opens_the_help_and_any_key_closes_it() {
    let mut h = on_token(effective_token());
    h.key('?');
    assert!(matches!(h.app.modal, Some(Modal::Help)));
    h.key('j');
    assert!(
        matches!(h.app.modal, Some(Modal::Help)),
        "j scrolls the help"
    );
    h.assert_inert(|h| {
        h.key('d');
    });
    assert!(
        h.app.modal.is_none(),
        "any other key closes it, and does nothing else"
    );
    h.key('?').press(KeyCode::Esc);
    assert!(h.app.modal.is_none());
    assert_eq!(h.app.screen, Screen::Token);
}

#[test]
fn the_delete_seed_with_reward_participant_opens() {
    let mut h = on_token(delete_seed_token());
    let summary = &h.token().summary;
    assert_eq!(summary.state, LifeCycleState::Effective);
    assert_eq!(summary.participant_number.as_deref(), Some("28"));
    assert_eq!(summary.account_number.as_deref(), Some("ACR000418"));
    assert!(
        h.render().contains(" Participant 28"),
        "the header names the participant"
    );
    h.key('E');
    let screen = h.render();
    assert!(
        screen.contains(" ▾ Rewards participant    28"),
        "the tree shows the rewards participant row, expanded:\n{screen}"
    );
    assert!(
        screen.contains("       Name               Havier 6"),
        "{screen}"
    );
}

#[test]
fn no_second_action_while_the_outcome_of_the_first_is_being_checked() {
    // The deactivation timed out; the screen still says EFFECTIVE while tokendesk re-reads.
    // A second `d`, `y` here would send the same action twice.
    let mut h = on_token(effective_token());
    h.key('d').key('y');
    h.answer(Err(ApiError::TimedOut {
        after: Duration::from_secs(30),
    }));
    assert!(matches!(
        h.app.pending.as_ref().unwrap().purpose,
        Purpose::Verify { .. }
    ));
    let sent = h.request_count();
    h.key('d');
    assert!(h.app.modal.is_none(), "no confirmation while checking");
    h.key('y');
    assert_eq!(h.request_count(), sent);
}

#[test]
fn a_delete_confirmed_by_the_check_is_remembered_in_the_results_page() {
    let mut h = Harness::new(80, 24);
    h.search("acr:ACR1");
    h.answer(Ok(tokens_reply(vec![not_effective_token()])));
    h.press(KeyCode::Enter);
    h.answer_token(not_effective_token());
    h.key('X').keys(NUMBER).press(KeyCode::Enter);
    h.answer(Err(ApiError::Disconnected {
        detail: "reset".into(),
    }));
    h.answer(Err(ApiError::server("NOT_FOUND", "Access token not found")));
    assert!(h.token().deleted);
    h.press(KeyCode::Esc);
    assert!(h.results().rows[0].deleted);
    h.press(KeyCode::Enter);
    assert!(
        h.token().deleted,
        "reopened from the page, it still reads as deleted"
    );
    h.assert_inert(|h| {
        h.key('X');
    });
    assert!(h.app.modal.is_none());
}

// ---- errors the clerk can only read, paste, redraws ----------------------------------------

#[test]
fn session_and_credential_errors_are_one_sentence_notices() {
    let cases = [
        (
            ApiError::SessionExpired,
            "The session expired and there is no password to log in again; start tokendesk with credentials.",
        ),
        (
            ApiError::invalid_credentials("Wrong password\n\u{1b}[31m"),
            "Log-in refused: Wrong password.",
        ),
    ];
    for (error, expected) in cases {
        // A search answered so: the error's sentence, nothing else, on one line.
        let mut h = Harness::new(80, 24);
        h.search(CODE);
        h.answer(Err(error.clone()));
        assert_eq!(h.notice(), expected, "{error:?}");
        assert!(!h.app.is_busy());
        let mut wide = Harness::new(120, 40);
        wide.search(CODE);
        wide.answer(Err(error.clone()));
        assert_eq!(
            wide.render().lines().last(),
            Some(expected),
            "the status line holds the whole sentence"
        );
        // An action answered so: the server refused before acting, so nothing is re-read.
        let mut h = on_token(effective_token());
        h.key('d').key('y');
        let sent = h.request_count();
        h.answer(Err(error.clone()));
        assert_eq!(h.request_count(), sent, "no re-read for {error:?}");
        assert_eq!(
            h.notice(),
            format!("AT0000000671: Not deactivated: {expected}")
        );
    }
}

#[test]
fn a_paste_goes_to_the_search_line_cleaned_and_sends_nothing_until_enter() {
    let mut h = on_token(effective_token());
    assert!(!h.app.search.focused, "the tree has the keyboard");
    h.assert_inert(|h| {
        h.send(Msg::Paste("acr:ACR00\n00000071\t\u{1b}[31m\u{7}".into()));
    });
    assert!(
        h.app.search.focused,
        "the paste took the keyboard to the search line"
    );
    assert_eq!(h.app.search.input.value(), "acr:ACR00 00000071 ");
    assert!(h.app.changed());
    assert_eq!(h.app.screen, Screen::Token, "nothing else moved");
    assert_eq!(h.request_count(), 1, "only the first search was sent");
    // Into a line that has the keyboard, a paste goes where the cursor is.
    h.press(KeyCode::Home);
    h.send(Msg::Paste("x\u{0}y".into()));
    assert_eq!(h.app.search.input.value(), "xyacr:ACR00 00000071 ");
    assert_eq!(h.request_count(), 1);
    // Enter sends what was pasted (after the clerk fixes it).
    h.ctrl('u');
    h.send(Msg::Paste("acr:ACR0000000071\r\n".into()));
    assert_eq!(h.app.search.input.value(), "acr:ACR0000000071 ");
    h.press(KeyCode::Enter);
    assert_eq!(h.request_count(), 2);
    assert!(matches!(
        h.last_request().1,
        Operation::List { query: ListQuery { owner: ListOwner::AccountsReceivable(ref acr), .. }, .. } if acr == "ACR0000000071"
    ));
}

#[test]
fn a_paste_into_the_delete_confirmation_types_the_number() {
    let mut h = on_token(not_effective_token());
    h.key('X');
    h.assert_inert(|h| {
        h.send(Msg::Paste(format!("{NUMBER}\u{7}")));
    });
    let Some(Modal::Confirm(confirm)) = &h.app.modal else {
        panic!("still confirming")
    };
    assert_eq!(confirm.question.line.value(), NUMBER);
    assert_eq!(
        h.app.search.input.value(),
        CODE,
        "the search line is untouched"
    );
    assert!(!h.app.search.focused);
    h.press(KeyCode::Enter);
    assert!(h.app.modal.is_none());
    assert!(matches!(
        h.last_request().1,
        Operation::Act {
            action: Action::Delete,
            ..
        }
    ));
}

#[test]
fn a_huge_paste_is_cut_to_the_search_lines_length_and_says_so() {
    let mut h = Harness::new(80, 24);
    h.keys("ac");
    h.send(Msg::Paste("x".repeat(100 * 1024)));
    let line = h.app.search.input.value().to_owned();
    assert_eq!(line.chars().count(), SEARCH_LINE_MAX_CHARS);
    assert!(
        line.starts_with("acxxx"),
        "typed text stays, the paste follows it"
    );
    assert_eq!(
        h.app.search.input.cursor(),
        SEARCH_LINE_MAX_CHARS,
        "the cursor after the paste"
    );
    assert_eq!(
        h.notice(),
        format!(
            "The paste was cut: a search line holds at most {SEARCH_LINE_MAX_CHARS} characters."
        )
    );
    // The line answers keys as before.
    h.key('z').press(KeyCode::Home).key('y');
    assert!(h.app.search.input.value().starts_with("yac"));
    // A paste that fits says nothing, and lands at the cursor in one piece.
    let mut h = Harness::new(80, 24);
    h.keys("acr:").press(KeyCode::Home);
    h.send(Msg::Paste("ab\u{2028}c".into()));
    assert_eq!(h.app.search.input.value(), "ab cacr:");
    assert_eq!(h.app.search.input.cursor(), 4);
    assert_eq!(h.notice(), "");
}

#[test]
fn a_huge_paste_into_the_delete_confirmation_leaves_it_answering() {
    let mut h = on_token(not_effective_token());
    h.key('X');
    h.send(Msg::Paste("9".repeat(100 * 1024)));
    h.press(KeyCode::Enter);
    let Some(Modal::Confirm(confirm)) = &h.app.modal else {
        panic!("still confirming")
    };
    assert!(
        confirm.question.mistake.is_some(),
        "a wrong number is not a confirmation"
    );
    assert!(h.render().contains("Delete access token"));
    h.ctrl('u');
    h.send(Msg::Paste(NUMBER.into()));
    h.press(KeyCode::Enter);
    assert!(h.app.modal.is_none());
}

/// Asserts that `steps` produced no effect, left `changed()` false and the screen as it was.
fn assert_unchanged(h: &mut Harness, what: &str, steps: impl FnOnce(&mut Harness)) {
    let notice = h.app.notice.clone();
    let screen = h.render();
    h.assert_inert(steps);
    assert!(!h.app.changed(), "{what}: changed() after it");
    assert_eq!(h.app.notice, notice, "{what}");
    assert_eq!(h.render(), screen, "{what}");
}

#[test]
fn changed_is_false_only_when_nothing_changed() {
    // Keys on a screen too small to draw.
    let mut h = on_token(effective_token());
    h.resize(39, 24);
    for c in ['j', 'd', 'E', '?', '/'] {
        assert_unchanged(&mut h, &format!("{c} too small"), |h| {
            h.key(c);
        });
    }
    h.resize(80, 9);
    assert_unchanged(&mut h, "Enter too small", |h| {
        h.press(KeyCode::Enter);
    });
    h.resize(80, 24);
    assert!(h.app.changed(), "a resize redraws");

    // A Started event for the request in flight, and a late answer to a replaced one.
    h.key('R');
    let first = h.in_flight();
    assert_unchanged(&mut h, "Started", |h| {
        h.send(Msg::Api(tokendesk::console::api_task::ApiEvent {
            id: first,
            kind: ApiEventKind::Started,
        }));
    });
    h.press(KeyCode::Esc);
    h.key('R');
    assert_ne!(h.in_flight(), first);
    assert_unchanged(&mut h, "late answer", |h| {
        h.answer_to(first, Ok(token_reply(not_effective_token())));
    });
    assert_eq!(
        state(&h),
        LifeCycleState::Effective,
        "the late answer was dropped"
    );

    // A tick while busy redraws (the spinner and the elapsed time move).
    h.tick(Duration::from_millis(300));
    assert!(h.app.changed(), "a tick while busy");
    assert_eq!(h.app.pending_elapsed(), Some(Duration::from_millis(300)));
    h.answer_token(effective_token());
    assert_unchanged(&mut h, "tick when idle", |h| {
        h.tick(Duration::from_millis(300));
    });
}

// ---- pinned by mutation testing (TESTING.md) ------------------------------------------------

#[test]
fn an_empty_first_page_is_shown_as_the_first_page_not_as_the_end() {
    // Tokens deleted meanwhile: going back to the first page finds it empty. That page is
    // shown; "no more after this page" is only said of a page after the one on screen.
    let page = layout::results_rows(80, 24, 1);
    let mut h = on_results(page);
    h.press(KeyCode::PageDown);
    h.answer(Ok(tokens_reply(page_of(3))));
    h.press(KeyCode::PageUp);
    h.answer(Ok(tokens_reply(Vec::new())));
    assert_eq!(h.results().query.offset, 0);
    assert!(h.results().rows.is_empty());
    assert_ne!(h.notice(), "No more tokens after this page.");
}

#[test]
fn an_unknown_outcome_whose_re_read_fails_says_it_is_still_not_known() {
    let mut h = on_token(effective_token());
    h.key('d').key('y');
    h.answer(Err(ApiError::TimedOut {
        after: Duration::from_secs(30),
    }));
    // The re-read fails, and so do the two tries again it gets.
    for _ in 0..3 {
        h.answer(Err(ApiError::Disconnected {
            detail: "reset".into(),
        }));
    }
    assert_eq!(
        h.notice(),
        "AT0000000671: Not known whether it was deactivated: the answer was lost, and reading it again failed. The server did not answer within 30 s. The connection broke before the answer arrived. R re-reads it."
    );
    assert!(!h.app.is_busy(), "no fourth read");
    assert_eq!(
        state(&h),
        LifeCycleState::Effective,
        "the token on screen stays as it was read"
    );
}

#[test]
fn a_delete_whose_re_read_fails_is_not_called_deleted() {
    // Only "not found" proves a delete; a re-read that failed otherwise proves nothing.
    let mut h = on_token(not_effective_token());
    h.key('X').keys(NUMBER).press(KeyCode::Enter);
    for _ in 0..4 {
        h.answer(Err(ApiError::TimedOut {
            after: Duration::from_secs(30),
        }));
    }
    assert!(
        h.notice()
            .starts_with("AT0000000671: Not known whether it was deleted:"),
        "{}",
        h.notice()
    );
    assert!(!h.token().deleted);
}

/// A pass code is masked on screen as the tree masks it, once Enter is pressed: in the line
/// above the token, and in the history. Up and Enter run it again with the real pass code,
/// which lives only in memory; a masked one edited by hand is never sent as a pass code.
#[test]
fn a_pass_code_is_masked_in_the_line_and_the_history_once_it_has_run() {
    let mut h = Harness::new(80, 24);
    h.search("id:250 pass:4821");
    let identifier = AccessTokenIdentifier::Identifier {
        identifier: "250".into(),
        pass_code: "4821".into(),
    };
    let sent = |h: &Harness| h.requests.last().map(|(_, op)| op.clone());
    assert_eq!(
        sent(&h),
        Some(Operation::Show {
            identifier: identifier.clone(),
            fields: None
        })
    );
    h.answer_token(effective_token());
    assert_eq!(h.app.screen, Screen::Token);
    assert_eq!(h.app.search.input.value(), "id:250 pass:••••21");
    let screen = h.render();
    assert!(!screen.contains("4821"), "{screen}");
    assert!(screen.contains("pass:••••21"), "{screen}");
    assert_eq!(
        h.app.search.history().collect::<Vec<_>>(),
        ["id:250 pass:••••21"]
    );

    // Up brings it back masked; Enter runs it with the real pass code.
    let before = h.requests.len();
    h.key('/').ctrl('u').press(KeyCode::Up);
    assert_eq!(h.app.search.input.value(), "id:250 pass:••••21");
    h.press(KeyCode::Enter);
    assert_eq!(h.requests.len(), before + 1);
    assert_eq!(
        sent(&h),
        Some(Operation::Show {
            identifier,
            fields: None
        })
    );
    h.answer_token(effective_token());

    // Edited by hand, the masked pass code is refused before anything is sent.
    let before = h.requests.len();
    h.key('/')
        .press(KeyCode::Up)
        .keys("0")
        .press(KeyCode::Enter);
    assert_eq!(
        h.requests.len(),
        before,
        "nothing sent: {:?}",
        h.requests.last()
    );
    let notice = h.app.notice.as_ref().expect("a sentence");
    assert!(
        notice.text.contains("Type the pass code again"),
        "{notice:?}"
    );
}

/// A busy server (429) did not take the action: the course waits it out on the clock, as a
/// batch does, and sends it again; meanwhile the action keys say why they wait.
#[test]
fn a_busy_server_is_waited_out_and_the_action_sent_again() {
    let mut h = on_token(effective_token());
    h.key('d').key('y');
    let sent = h.request_count();
    h.answer(Err(ApiError::HttpStatus {
        status: 429,
        snippet: String::new(),
    }));
    assert_eq!(h.request_count(), sent, "nothing before the pause ends");
    assert!(h.notice().contains("busy"), "{}", h.notice());
    h.key('d');
    assert!(h.app.modal.is_none(), "no second action meanwhile");
    h.tick(Duration::from_millis(250));
    assert_eq!(h.request_count(), sent + 1);
    assert!(matches!(h.last_request().1, Operation::Act { .. }));
    h.answer_token(not_effective_token());
    assert_eq!(h.notice(), "AT0000000671: Deactivated.");
    assert_eq!(state(&h), LifeCycleState::NotEffective);
}

// ---- the mouse ----------------------------------------------------------------------------

fn mouse(kind: tokendesk::console::app::mouse::MouseKind, row: u16) -> Msg {
    Msg::Mouse(tokendesk::console::app::mouse::Mouse {
        kind,
        column: 5,
        row,
    })
}

#[test]
fn ctrl_t_switches_mouse_reporting_and_says_which_and_a_report_while_off_does_nothing() {
    use tokendesk::console::app::mouse::MouseKind::Click;
    let mut h = on_results(5);
    h.assert_inert(|h| {
        h.send(mouse(Click, 4));
    });
    assert_eq!(h.results().selected, 0, "the mouse is off by default");
    h.ctrl('t');
    let effects = h.take();
    assert!(
        effects
            .iter()
            .any(|e| matches!(e, Effect::MouseReporting(true))),
        "{effects:?}"
    );
    assert!(h.notice().starts_with("Mouse on"), "{}", h.notice());
    h.ctrl('t');
    assert!(
        h.take()
            .iter()
            .any(|e| matches!(e, Effect::MouseReporting(false)))
    );
    assert!(h.notice().starts_with("Mouse off"), "{}", h.notice());
}

/// The wheel scrolls the box under it: a token's history and the recent tokens as their
/// keys do; with the mouse off it does nothing.
#[test]
fn the_wheel_scrolls_a_tokens_history_and_moves_in_the_recent_tokens() {
    use support::frame_bytes::{history_app, recent_list_app};
    use tokendesk::console::app::Modal;
    use tokendesk::console::app::mouse::MouseKind::{WheelDown, WheelUp};
    let history_offset = |app: &tokendesk::console::app::App| match &app.modal {
        Some(Modal::History(history)) => history.list.offset,
        _ => panic!("the history is open"),
    };
    let mut app = history_app(80, 24, 60);
    app.mouse = true;
    app.update(mouse(WheelDown, 5));
    app.update(mouse(WheelDown, 5));
    assert_eq!(history_offset(&app), 2);
    app.update(mouse(WheelUp, 5));
    assert_eq!(history_offset(&app), 1);
    app.mouse = false;
    app.update(mouse(WheelDown, 5));
    assert_eq!(history_offset(&app), 1, "the mouse off: nothing");

    let selected = |app: &tokendesk::console::app::App| match &app.modal {
        Some(Modal::Recent(list)) => list.list.selected,
        _ => panic!("the recent list is open"),
    };
    let mut app = recent_list_app(80, 24, 10);
    app.mouse = true;
    assert_eq!(selected(&app), Some(0));
    app.update(mouse(WheelDown, 5));
    app.update(mouse(WheelDown, 5));
    assert_eq!(selected(&app), Some(2));
    app.update(mouse(WheelUp, 5));
    assert_eq!(selected(&app), Some(1));
}

/// The wheel at the top of the help, a history or the recent list moves nothing, and so
/// draws nothing; a turn that scrolls does.
#[test]
fn the_wheel_at_a_lists_end_draws_nothing() {
    use support::frame_bytes::{history_app, recent_list_app, results_app};
    use tokendesk::console::app::mouse::MouseKind::{WheelDown, WheelUp};
    let mut help = results_app(80, 24, 5);
    help.update(Msg::Key(tokendesk::keys::Key::char('?')));
    let boxes = [
        ("the help", help),
        ("a history", history_app(80, 24, 60)),
        ("the recent list", recent_list_app(80, 24, 10)),
    ];
    for (what, mut app) in boxes {
        app.mouse = true;
        app.update(mouse(WheelUp, 5));
        assert!(!app.changed(), "{what}: the wheel up at the top");
        app.update(mouse(WheelDown, 5));
        assert!(app.changed(), "{what}: the wheel down");
    }
}

/// The table's rows reach down to its last row on screen and no further: a click there
/// selects it, one on the key hints below it selects nothing.
#[test]
fn a_click_on_the_last_row_of_a_full_page_selects_it_and_the_hints_below_are_no_row() {
    use tokendesk::console::app::layout::results_rows;
    use tokendesk::console::app::mouse::MouseKind::Click;
    let mut h = on_results(40);
    h.app.mouse = true;
    let shown = results_rows(80, 24, h.app.status_rows());
    assert!(shown < 40, "the page is full");
    // Row 0 is the search line, 1 the table's titles.
    let last_row = u16::try_from(2 + shown - 1).expect("a row");
    h.send(mouse(Click, last_row));
    assert_eq!(h.results().selected, shown - 1);
    h.send(mouse(Click, last_row + 1));
    h.send(mouse(Click, 22));
    assert_eq!(h.results().selected, shown - 1, "below the table is no row");
}

#[test]
fn a_click_selects_a_result_a_double_click_opens_it_and_the_wheel_moves() {
    use tokendesk::console::app::mouse::MouseKind::{Click, WheelDown, WheelUp};
    let mut h = on_results(5);
    h.app.mouse = true;
    // Row 0 is the search line, 1 the table's titles: row 4 is the third result.
    h.send(mouse(Click, 4));
    assert_eq!(h.results().selected, 2);
    let sent = h.request_count();
    // The titles and the key hints are no row.
    h.send(mouse(Click, 1));
    assert_eq!(h.results().selected, 2);
    h.send(mouse(WheelDown, 5));
    assert_eq!(h.results().selected, 3);
    h.send(mouse(WheelUp, 5));
    assert_eq!(h.results().selected, 2);
    // Two clicks too far apart are two clicks; two close together open the row.
    h.send(mouse(Click, 3));
    h.tick(Duration::from_secs(1));
    h.send(mouse(Click, 3));
    assert_eq!(h.request_count(), sent, "nothing opened");
    h.tick(Duration::from_millis(200));
    h.send(mouse(Click, 3));
    assert!(matches!(h.last_request().1, Operation::Show { .. }));
    assert_eq!(h.request_count(), sent + 1);
}

#[test]
fn a_click_selects_a_tree_row_and_a_double_click_toggles_it() {
    use tokendesk::console::app::mouse::MouseKind::Click;
    let mut h = Harness::new(80, 24);
    h.open(not_effective_token());
    h.app.mouse = true;
    let tree = &h.token().tree;
    let rows = tree.visible().len();
    let branch = tree
        .visible()
        .iter()
        .position(|&id| tree.node(id).is_branch())
        .expect("a branch on screen");
    // The tree starts below the search line and the token's three header rows.
    let row = 4 + branch as u16;
    h.send(mouse(Click, row));
    assert_eq!(h.token().tree.cursor(), branch);
    let node = h.token().tree.selected();
    h.send(mouse(Click, row));
    assert_eq!(h.token().tree.selected(), node);
    assert_ne!(h.token().tree.visible().len(), rows, "the node toggled");
}

/// Three demo tokens opened one after another, newest last; back on the home screen.
fn opened_three() -> (Harness, Vec<Value>) {
    let mut h = Harness::new(80, 24);
    let tokens: Vec<Value> = demo_tokens()
        .into_iter()
        .filter(|t| t["authentication_code"].is_string())
        .take(3)
        .collect();
    for token in &tokens {
        h.open(token.clone());
    }
    h.press(KeyCode::Esc);
    (h, tokens)
}

fn code_of(token: &Value) -> String {
    token["authentication_code"]
        .as_str()
        .expect("a code")
        .to_owned()
}

#[test]
fn each_token_opened_is_remembered_newest_first_with_its_state_and_never_more() {
    let mut h = Harness::new(80, 24);
    h.open(effective_token());
    let remembered: Vec<_> = h
        .take()
        .into_iter()
        .filter_map(|e| match e {
            Effect::Remember(sighting) => Some(sighting),
            _ => None,
        })
        .collect();
    assert_eq!(remembered.len(), 1, "{remembered:?}");
    assert_eq!(remembered[0].number, NUMBER);
    assert_eq!(remembered[0].code, CODE);
    assert_eq!(remembered[0].state, "EFFECTIVE");
    assert_eq!(
        remembered[0].server, "crm.example.com",
        "the host, as audited"
    );
    assert_eq!(
        h.app.recent.tokens.len(),
        1,
        "the loop's answer is the list"
    );
    // --demo: the simulator's port changes each run, so its tokens are the demo's.
    let mut demo = Harness::demo(80, 24);
    demo.open(effective_token());
    assert!(demo.take().iter().any(
        |e| matches!(e, Effect::Remember(sighting) if sighting.server == tokendesk::recent::DEMO_SERVER)
    ));
    // Moving in the tree notes nothing new.
    h.key('j');
    assert!(!h.take().iter().any(|e| matches!(e, Effect::Remember(_))));
}

/// A state too long for its column is cut and still keeps a space before the date.
#[test]
fn a_long_state_in_the_recent_tokens_is_cut_before_the_date() {
    let (mut h, _) = opened_three();
    h.app.recent.tokens[0].state = "PENDING_VERIFICATION".into();
    h.ctrl('r');
    let screen = h.render();
    let row = screen
        .lines()
        .find(|line| line.contains("PENDING"))
        .unwrap_or_else(|| panic!("the state is listed:\n{screen}"));
    assert!(row.contains("PENDING_VERIF\u{2026} 20"), "{row}");
}

#[test]
fn ctrl_r_lists_them_from_anywhere_typing_filters_and_enter_opens_by_code() {
    let (mut h, tokens) = opened_three();
    assert_eq!(h.app.screen, Screen::Home);
    assert!(h.app.search.focused, "Ctrl-r works from the search line");
    h.ctrl('r');
    assert!(matches!(h.app.modal, Some(Modal::Recent(_))));
    let newest_first: Vec<String> = h
        .app
        .recent_matches()
        .iter()
        .map(|t| t.code.clone())
        .collect();
    let mut expected: Vec<String> = tokens.iter().map(code_of).collect();
    expected.reverse();
    assert_eq!(newest_first, expected);
    // Typing narrows it to the oldest one; Down cannot move past the only match.
    let oldest = code_of(&tokens[0]);
    h.keys(&oldest);
    assert_eq!(h.app.recent_matches().len(), 1);
    assert_eq!(h.app.recent_matches()[0].code, oldest);
    h.press(KeyCode::Down);
    let before = h.request_count();
    h.press(KeyCode::Enter);
    assert!(h.app.modal.is_none());
    assert_eq!(h.request_count(), before + 1);
    assert_eq!(h.last_request().1, by_code(&oldest));
    h.answer_token(tokens[0].clone());
    assert_eq!(h.app.screen, Screen::Token);
    assert_eq!(
        h.app.search.input.value(),
        oldest,
        "the line names it by its code"
    );
    assert_eq!(
        h.app.recent.tokens[0].code, oldest,
        "reopening moves it to the top"
    );
}

/// A token opened on another server (PROD, in a demo run) is neither on the home screen nor
/// in `Ctrl-r`: its code would name nothing here, or another token. Nor is an entry an
/// older tokendesk wrote, whose server is not known.
#[test]
fn only_the_tokens_opened_on_this_server_are_listed() {
    use tokendesk::recent::{RecentToken, Sighting};
    let seen = |number: &str, code: &str, server: Option<&str>| RecentToken {
        server: server.map(str::to_owned),
        ..Sighting {
            number: number.into(),
            code: code.into(),
            state: "EFFECTIVE".into(),
            server: String::new(),
        }
        .at(std::time::UNIX_EPOCH + Duration::from_secs(support::RECENT_SEEN))
    };
    let file = vec![
        seen("AT0000000001", "11111111111", Some("prod.example.com")),
        seen("AT0000000002", "22222222222", Some("crm.example.com")),
        seen("AT0000000003", "33333333333", None),
    ];
    let mut h = Harness::new(80, 24);
    h.send(Msg::Remembered(Ok(file)));
    let home = h.render();
    assert!(home.contains("AT0000000002"), "{home}");
    for elsewhere in ["AT0000000001", "AT0000000003"] {
        assert!(!home.contains(elsewhere), "{elsewhere} listed:\n{home}");
    }
    h.ctrl('r');
    let listed: Vec<&str> = h
        .app
        .recent_matches()
        .iter()
        .map(|t| t.code.as_str())
        .collect();
    assert_eq!(listed, ["22222222222"]);
}

/// The file's answer is drawn where the recent tokens show, the home screen and their list,
/// and nowhere else: on a token it costs no frame.
#[test]
fn the_recent_files_answer_redraws_only_where_the_tokens_are_listed() {
    let (mut h, _) = opened_three();
    let file = h.app.recent.tokens.clone();
    assert_eq!(h.app.screen, Screen::Home);
    h.send(Msg::Remembered(Ok(file.clone())));
    assert!(h.app.changed(), "the home screen lists them");
    h.search(CODE);
    h.answer_token(effective_token());
    h.send(Msg::Remembered(Ok(file.clone())));
    assert!(!h.app.changed(), "a token's screen does not list them");
    h.ctrl('r');
    h.send(Msg::Remembered(Ok(file)));
    assert!(h.app.changed(), "their list does");
}

/// A code pasted into the recent list filters it as typing does, without its control
/// characters, and the highlight goes back to the first match.
#[test]
fn a_paste_into_the_recent_list_filters_it() {
    let (mut h, tokens) = opened_three();
    h.ctrl('r');
    h.press(KeyCode::Down);
    let oldest = code_of(&tokens[0]);
    h.send(Msg::Paste(format!("\u{1b}[31m{oldest}\n")));
    let listed: Vec<String> = h
        .app
        .recent_matches()
        .iter()
        .map(|t| t.code.clone())
        .collect();
    assert_eq!(listed, std::slice::from_ref(&oldest));
    h.press(KeyCode::Enter);
    assert_eq!(h.last_request().1, by_code(&oldest));
}

#[test]
fn in_the_recent_list_up_down_move_esc_closes_and_a_miss_opens_nothing() {
    let (mut h, tokens) = opened_three();
    h.press(KeyCode::Esc);
    h.ctrl('r');
    h.press(KeyCode::Down)
        .press(KeyCode::Down)
        .press(KeyCode::Down);
    h.press(KeyCode::Up);
    h.press(KeyCode::Enter);
    assert_eq!(
        h.last_request().1,
        by_code(&code_of(&tokens[1])),
        "the middle one"
    );
    h.answer_token(tokens[1].clone());
    h.ctrl('r');
    h.keys("zzzzqqq");
    assert!(h.app.recent_matches().is_empty());
    h.assert_inert(|h| {
        h.press(KeyCode::Enter);
    });
    assert!(
        matches!(h.app.modal, Some(Modal::Recent(_))),
        "it stays, saying so"
    );
    h.press(KeyCode::Esc);
    assert!(h.app.modal.is_none());
    assert_eq!(
        h.app.screen,
        Screen::Token,
        "the screen behind is as it was"
    );
}

#[test]
fn with_recent_off_nothing_is_remembered_and_the_list_says_it_is_off() {
    let mut h = Harness::new(80, 24);
    h.app.recent = tokendesk::console::app::recall::Recent::new(false, Vec::new());
    h.open(effective_token());
    assert!(!h.take().iter().any(|e| matches!(e, Effect::Remember(_))));
    h.ctrl('r');
    assert!(
        h.render()
            .contains("Recent tokens are off (recent = false in the config file).")
    );
}

// ---- the idle lock ------------------------------------------------------------------------

const IDLE: Duration = Duration::from_secs(60);

/// A harness on the token screen whose console locks after [`IDLE`] without a key; `can_check`
/// as when it logged in with a password.
fn lockable(can_check: bool) -> Harness {
    let mut h = on_token(effective_token());
    h.app.idle.after = Some(IDLE);
    h.app.idle.can_check = can_check;
    h
}

/// Idle until the lock comes.
fn locked(can_check: bool) -> Harness {
    let mut h = lockable(can_check);
    h.tick(IDLE);
    assert!(h.app.locked());
    h.take();
    h
}

fn unlock_with(h: &mut Harness, password: &str) -> RequestId {
    h.keys(password).press(KeyCode::Enter);
    let (id, Operation::Unlock { password: sent }) = h.last_request() else {
        panic!("the password is checked by logging in");
    };
    assert_eq!(sent.expose(), password);
    id
}

fn refused() -> ApiError {
    ApiError::invalid_credentials("Invalid credentials")
}

#[test]
fn the_console_locks_after_the_idle_time_without_a_key_and_keys_put_it_off() {
    use tokendesk::audit::Event;
    let mut h = lockable(true);
    let since = h.app.idle.last_key;
    assert_eq!(h.app.wake_at(), Some(since + IDLE), "the loop wakes for it");
    h.tick(IDLE / 2);
    assert!(!h.app.locked());
    h.key('j');
    let pressed = h.clock;
    assert_eq!(h.app.wake_at(), Some(pressed + IDLE), "a key puts it off");
    h.tick(IDLE - Duration::from_secs(1));
    assert!(!h.app.locked(), "{}s since the key", IDLE.as_secs() - 1);
    h.tick(Duration::from_secs(1));
    assert!(h.app.locked());
    assert_eq!(h.audits, [Event::Locked]);
    assert_eq!(h.app.wake_at(), None, "nothing more to wake for");
    let screen = h.render();
    assert!(screen.contains("Locked"), "{screen}");
    for shown in [CODE, NUMBER, "EFFECTIVE", "Search"] {
        assert!(
            !screen.contains(shown),
            "{shown} on the lock screen:\n{screen}"
        );
    }
    // Off: it never locks.
    let mut never = lockable(true);
    never.app.idle.after = None;
    never.tick(IDLE * 100);
    assert!(!never.app.locked());
    assert_eq!(never.app.wake_at(), None);
}

#[test]
fn a_wrong_password_keeps_it_locked_and_the_right_one_brings_the_screen_back() {
    use tokendesk::audit::Event;
    let mut h = locked(true);
    // Keys on the lock screen reach nothing behind it.
    h.key('d');
    assert!(h.app.modal.is_none(), "no confirmation behind the lock");
    h.press(KeyCode::Backspace);
    h.keys("hunter3");
    assert!(
        !h.render().contains("hunter3"),
        "the password is never drawn, not while it is typed"
    );
    h.press(KeyCode::Esc);
    let id = unlock_with(&mut h, "hunter3");
    assert!(
        !h.render().contains("hunter3"),
        "the password is never drawn"
    );
    h.answer_to(id, Err(refused()));
    assert!(h.app.locked());
    let screen = h.render();
    assert!(
        screen.contains("Wrong password; still locked. 4 tries"),
        "{screen}"
    );
    assert_eq!(h.audits, [Event::Locked, Event::UnlockRefused]);
    // Not a refusal: the server could not be asked. Still locked, not counted.
    let id = unlock_with(&mut h, "demo");
    h.answer_to(
        id,
        Err(ApiError::TimedOut {
            after: Duration::from_secs(30),
        }),
    );
    assert!(h.app.locked());
    assert!(
        h.render().contains("could not be checked"),
        "{}",
        h.render()
    );
    assert_eq!(h.app.idle.locked.as_ref().map(|l| l.wrong), Some(1));
    let id = unlock_with(&mut h, "demo");
    h.answer_to(id, Ok(Reply::LoggedIn));
    assert!(!h.app.locked());
    assert_eq!(h.audits.last(), Some(&Event::Unlocked { checked: true }));
    assert_eq!(h.app.screen, Screen::Token);
    assert!(h.render().contains(NUMBER), "the token as it was");
    assert!(!h.quit);
}

#[test]
fn five_wrong_passwords_end_the_console_as_a_refused_log_in_does() {
    let mut h = locked(true);
    for _ in 0..4 {
        let id = unlock_with(&mut h, "guess");
        h.answer_to(id, Err(refused()));
        assert!(!h.quit);
    }
    let id = unlock_with(&mut h, "guess");
    h.answer_to(id, Err(refused()));
    assert!(h.quit);
    assert!(
        h.take()
            .iter()
            .any(|e| matches!(e, Effect::LogInFailed(ApiError::InvalidCredentials { .. }))),
        "ends with the log-in's status"
    );
}

#[test]
fn without_a_password_to_check_enter_unlocks_and_the_audit_says_nobody_was_checked() {
    use tokendesk::audit::Event;
    let mut h = locked(false);
    assert!(
        h.render().contains("came from a session token"),
        "{}",
        h.render()
    );
    let before = h.request_count();
    h.press(KeyCode::Enter);
    assert!(!h.app.locked());
    assert_eq!(h.request_count(), before, "nothing sent");
    assert_eq!(
        h.audits,
        [Event::Locked, Event::Unlocked { checked: false }]
    );
}

#[test]
fn an_answer_that_lands_while_locked_shows_after_unlocking() {
    let mut h = lockable(true);
    h.key('R');
    let read = h.in_flight();
    h.tick(IDLE);
    assert!(h.app.locked(), "a request in flight does not keep it open");
    h.answer_to(read, Ok(token_reply(not_effective_token())));
    assert!(
        !h.render().contains("NOT_EFFECTIVE"),
        "nothing shown while locked"
    );
    let id = unlock_with(&mut h, "demo");
    h.answer_to(id, Ok(Reply::LoggedIn));
    assert_eq!(state(&h), LifeCycleState::NotEffective);
    assert!(h.render().contains("NOT_EFFECTIVE"), "{}", h.render());
}

#[test]
fn an_action_confirmed_before_the_lock_is_shown_after_unlocking_and_masked_again() {
    use tokendesk::audit::Event;
    let token = with_state(
        demo_tokens()
            .into_iter()
            .find(|t| t["number"] == "AT0000000709")
            .expect("the demo has AT0000000709, with personal data"),
        "EFFECTIVE",
    );
    let mut h = on_token(token.clone());
    h.app.idle.after = Some(IDLE);
    h.app.idle.can_check = true;
    h.key('v');
    assert!(h.app.revealed());
    h.key('d').key('y');
    let action = h.in_flight();
    assert!(matches!(
        h.last_request().1,
        Operation::Act {
            action: Action::Deactivate,
            ..
        }
    ));
    h.tick(IDLE);
    assert!(h.app.locked(), "an action in flight does not keep it open");
    h.answer_to(action, Ok(token_reply(with_state(token, "NOT_EFFECTIVE"))));
    assert!(!h.app.is_busy(), "the outcome was taken while locked");
    let screen = h.render();
    for shown in ["AT0000000709", "NOT_EFFECTIVE", "Deactivated", "REVEALED"] {
        assert!(
            !screen.contains(shown),
            "{shown} on the lock screen:\n{screen}"
        );
    }
    let id = unlock_with(&mut h, "demo");
    h.answer_to(id, Ok(Reply::LoggedIn));
    assert!(!h.app.locked());
    assert_eq!(state(&h), LifeCycleState::NotEffective);
    assert_eq!(h.notice(), "AT0000000709: Deactivated.");
    assert!(!h.app.revealed(), "personal data is masked again");
    let screen = h.render();
    assert!(screen.contains("AT0000000709: Deactivated."), "{screen}");
    assert!(!screen.contains("REVEALED"), "{screen}");
    assert_eq!(h.audits, [Event::Locked, Event::Unlocked { checked: true }]);
}

// ---- a token's history --------------------------------------------------------------------

fn history_rows(count: usize) -> Vec<tokendesk::audit::read::HistoryRow> {
    (0..count)
        .map(|i| tokendesk::audit::read::HistoryRow {
            time: format!("2025-06-{:02} 09:30:00", 28 - i),
            operator: "clerk".into(),
            action: if i % 2 == 0 { "deactivate" } else { "activate" }.into(),
            result: "done: NOT_EFFECTIVE".into(),
            reason: (i % 3 == 0).then(|| format!("INC-{i}")),
        })
        .collect()
}

#[test]
fn capital_h_reads_the_tokens_history_off_update_and_shows_it_newest_first() {
    use tokendesk::console::app::history::History;
    let mut h = on_token(effective_token());
    h.key('H');
    let asked: Vec<Vec<String>> = h
        .take()
        .into_iter()
        .filter_map(|effect| match effect {
            Effect::ReadHistory(names) => Some(names),
            _ => None,
        })
        .collect();
    assert_eq!(asked.len(), 1, "one read of the log");
    assert!(asked[0].contains(&NUMBER.to_owned()) && asked[0].contains(&CODE.to_owned()));
    assert!(h.render().contains("Reading the audit log…"));
    h.send(Msg::HistoryRead(Ok(history_rows(25))));
    let screen = h.render();
    assert!(screen.contains(&format!("History of {NUMBER}")), "{screen}");
    assert!(screen.contains("2025-06-28 09:30:00  clerk  deactivate  done: NOT_EFFECTIVE"));
    assert!(screen.contains("    reason: INC-0"), "{screen}");
    // It scrolls like the help, and stops at its last line.
    for _ in 0..100 {
        h.key('j');
    }
    let Some(Modal::History(History { list, .. })) = &h.app.modal else {
        panic!("j scrolls, it does not close");
    };
    // 25 rows, 9 of them with a reason under them.
    let lines = 25 + 9;
    assert_eq!(list.offset, lines - h.app.history_visible());
    assert!(
        h.render().contains("2025-06-04 09:30:00"),
        "the oldest at the foot"
    );
    h.press(KeyCode::Esc);
    assert!(h.app.modal.is_none(), "Esc closes it");
    assert_eq!(h.app.screen, Screen::Token);
    // A late answer, after it closed, opens nothing.
    h.send(Msg::HistoryRead(Ok(history_rows(1))));
    assert!(h.app.modal.is_none());
    // With nothing to scroll, any key closes it, as its box says, j included.
    h.key('H');
    h.send(Msg::HistoryRead(Ok(history_rows(2))));
    assert!(h.render().contains("any key closes"));
    h.key('j');
    assert!(
        h.app.modal.is_none(),
        "j closes a history that does not scroll"
    );
    // Nothing about it, or a log that cannot be read: said in the overlay.
    h.key('H');
    h.send(Msg::HistoryRead(Ok(Vec::new())));
    assert!(
        h.render()
            .contains("This machine's audit log holds nothing about"),
        "{}",
        h.render()
    );
    h.press(KeyCode::Esc);
    h.key('H');
    h.send(Msg::HistoryRead(Err(
        "Cannot read the audit log /x: denied.".into(),
    )));
    assert!(h.render().contains("Cannot read the audit log /x: denied."));
}

// ---- a reason on every action -------------------------------------------------------------

fn reason_policy(rule: ReasonRule) -> ReasonPolicy {
    ReasonPolicy {
        rule,
        pattern: Some(ReasonPattern::new("^[A-Z]+-[0-9]+$").expect("a pattern")),
    }
}

fn sent_reason(h: &Harness) -> Option<String> {
    let Operation::Act { reason, .. } = h.last_request().1 else {
        panic!("an action is sent");
    };
    reason
}

#[test]
fn a_required_reason_is_asked_first_checked_by_the_core_and_sent_with_the_action() {
    let mut h = on_token(effective_token());
    h.app.reason = reason_policy(ReasonRule::Required);
    h.key('d');
    assert!(is_confirm(&h, Action::Deactivate));
    assert!(
        h.render()
            .contains("Reason (required, like ^[A-Z]+-[0-9]+$), then Enter:")
    );
    let before = h.request_count();
    // y types into the reason line: it does not confirm yet.
    h.key('y');
    assert!(is_confirm(&h, Action::Deactivate));
    h.press(KeyCode::Enter);
    assert!(
        h.render()
            .contains("The reason must match ^[A-Z]+-[0-9]+$."),
        "{}",
        h.render()
    );
    assert!(
        is_confirm(&h, Action::Deactivate),
        "the question stays open"
    );
    h.ctrl('u');
    h.press(KeyCode::Enter);
    assert!(
        h.render().contains("This profile requires a reason"),
        "{}",
        h.render()
    );
    // A pasted newline neither sends it nor stays in it.
    h.send(Msg::Paste("INC-12\n".into()));
    h.press(KeyCode::Enter);
    assert!(
        h.render().contains("Reason          INC-12"),
        "{}",
        h.render()
    );
    assert_eq!(h.request_count(), before, "nothing sent before the answer");
    h.key('y');
    assert_eq!(sent_reason(&h), Some("INC-12".into()));
}

#[test]
fn an_optional_reason_may_be_left_empty_and_esc_cancels_from_the_reason_line() {
    let mut h = on_token(effective_token());
    h.app.reason = reason_policy(ReasonRule::Optional);
    h.key('d');
    h.press(KeyCode::Esc);
    assert!(h.app.modal.is_none(), "Esc on the reason line cancels");
    h.key('d');
    h.press(KeyCode::Enter);
    h.key('y');
    assert_eq!(sent_reason(&h), None);
    // Off: no reason line, y answers at once.
    let mut off = on_token(effective_token());
    off.key('d');
    assert!(!off.render().contains("Reason"));
    off.key('y');
    assert_eq!(sent_reason(&off), None);
}

#[test]
fn a_batch_asks_its_reason_once_and_every_action_carries_it() {
    let mut h = on_results(3);
    h.app.reason = reason_policy(ReasonRule::Required);
    h.key('*');
    h.key('d');
    let Some(Modal::Batch(_)) = &h.app.modal else {
        panic!("the batch's question");
    };
    h.keys("OPS-3").press(KeyCode::Enter);
    let Some(Modal::Batch(confirm)) = &h.app.modal else {
        panic!("still the batch's question");
    };
    assert_eq!(confirm.question.given_reason().as_deref(), Some("OPS-3"));
    h.key('y');
    let run = h.app.batch.as_ref().expect("a batch runs");
    assert_eq!(run.reason.as_deref(), Some("OPS-3"));
}

#[test]
fn on_the_lock_esc_clears_what_was_typed_and_only_the_rest_is_checked() {
    let mut h = locked(true);
    h.keys("wrong");
    h.press(KeyCode::Esc);
    assert!(h.app.locked(), "Esc does not unlock");
    unlock_with(&mut h, "demo");
}

#[test]
fn the_lock_s_password_line_edits_as_a_typed_line_and_an_empty_one_is_not_sent() {
    let mut h = locked(true);
    let sent = h.request_count();
    h.press(KeyCode::Enter);
    assert_eq!(h.request_count(), sent, "no password, no check");
    assert!(h.render().contains("Type your password, then Enter."));
    // Backspace takes the last character, Ctrl-u the whole line.
    h.keys("demoX")
        .press(KeyCode::Backspace)
        .press(KeyCode::Enter);
    let (first, Operation::Unlock { password }) = h.last_request() else {
        panic!("the password is checked by logging in");
    };
    assert_eq!(password.expose(), "demo");
    h.answer_to(first, Err(refused()));
    h.keys("typo").ctrl('u');
    let second = unlock_with(&mut h, "demo");
    assert_ne!(second, first, "each check is a request of its own");
    h.answer_to(second, Ok(Reply::LoggedIn));
    assert!(!h.app.locked());
    h.key('R');
    let (reread, _) = h.last_request();
    assert!(
        ![first, second].contains(&reread),
        "the next request has an id of its own, so an old answer is never taken for it"
    );
}

#[test]
fn a_paste_on_the_lock_loses_its_line_breaks_and_stops_at_the_longest_password_in_place() {
    use tokendesk::console::app::lock::LONGEST_PASSWORD;
    let typed = |h: &Harness| {
        let locked = h.app.idle.locked.as_ref().expect("locked");
        (locked.typed.chars().count(), locked.typed.capacity())
    };
    let mut h = locked(true);
    h.send(Msg::Paste("de\r\nmo\n".into()));
    assert_eq!(typed(&h).0, 4, "the line breaks are not part of it");
    h.press(KeyCode::Enter);
    let (id, Operation::Unlock { password }) = h.last_request() else {
        panic!("the password is checked by logging in");
    };
    assert_eq!(password.expose(), "demo");
    h.answer_to(id, Err(refused()));
    // Room for the longest password of the widest characters is made at the first one, so
    // the string never grows and leaves no copy of its start behind.
    h.send(Msg::Paste("\u{1F511}".into()));
    let (_, room) = typed(&h);
    h.send(Msg::Paste("\u{1F511}".repeat(LONGEST_PASSWORD + 10)));
    assert_eq!(typed(&h), (LONGEST_PASSWORD, room));
}

#[test]
fn the_mouse_does_nothing_behind_the_lock_and_keeps_it_away_while_unlocked() {
    use tokendesk::console::app::mouse::MouseKind::{Click, WheelDown};
    let mut h = lockable(true);
    h.app.mouse = true;
    // Clicking and scrolling is the clerk at work: no lock comes while they do.
    h.tick(IDLE - Duration::from_secs(1));
    h.send(mouse(WheelDown, 6));
    h.tick(Duration::from_secs(2));
    assert!(!h.app.locked(), "the wheel kept the lock away");
    h.tick(IDLE);
    assert!(h.app.locked());
    h.take();
    let cursor = h.token().tree.cursor();
    let sent = h.request_count();
    h.assert_inert(|h| {
        h.send(mouse(Click, 6));
        h.send(mouse(Click, 6));
        h.send(mouse(WheelDown, 6));
    });
    assert_eq!(
        h.token().tree.cursor(),
        cursor,
        "nothing behind the lock moved"
    );
    assert_eq!(h.request_count(), sent);
}

#[test]
fn a_syslog_that_refuses_is_said_on_the_status_bar() {
    let mut h = on_token(effective_token());
    h.send(Msg::AuditNotice(
        "Audit lines are not copied to the syslog at /dev/log: No such file or directory.".into(),
    ));
    assert!(
        h.notice()
            .starts_with("Audit lines are not copied to the syslog at /dev/log"),
        "{}",
        h.notice()
    );
}

#[test]
fn dollar_typed_into_the_reason_line_is_text_and_copies_once_the_reason_is_given() {
    let mut h = on_token(effective_token());
    h.app.reason = ReasonPolicy {
        rule: ReasonRule::Required,
        pattern: None,
    };
    h.key('d');
    h.take();
    h.keys("refund $5");
    assert!(
        !h.take().iter().any(|e| matches!(e, Effect::Copy { .. })),
        "the reason line has the keyboard"
    );
    h.press(KeyCode::Enter);
    assert!(
        h.render().contains("Reason          refund $5"),
        "{}",
        h.render()
    );
    h.key('$');
    assert!(
        h.take().iter().any(|e| matches!(e, Effect::Copy { .. })),
        "answered by a key now, $ copies the command line"
    );
}

#[test]
fn the_lock_screen_is_not_drawn_again_for_what_it_does_not_show() {
    let mut h = lockable(true);
    h.key('R');
    assert!(h.app.pending.is_some(), "a read in flight");
    h.tick(IDLE);
    assert!(h.app.locked());
    // Under the lock the spinner of the read in flight is not drawn.
    h.tick(Duration::from_millis(100));
    assert!(!h.app.changed(), "a clock tick");
    // A password typed or pasted is never shown: the screen stays as it is.
    h.send(Msg::Key(tokendesk::keys::Key::char('a')));
    assert!(!h.app.changed(), "a typed character");
    h.send(Msg::Paste("bcd".into()));
    assert!(!h.app.changed(), "a paste");
    // Enter's words do change it.
    h.press(KeyCode::Enter);
    assert!(h.app.changed());
}

#[test]
fn a_history_line_too_long_for_its_box_is_wrapped_not_cut() {
    let mut h = on_token(effective_token());
    h.key('H');
    let why = format!(
        "Cannot read the audit log /home/clerk/{}/audit.jsonl: Permission denied (os error 13).",
        "a-long-directory-name/".repeat(3)
    );
    h.send(Msg::HistoryRead(Err(why)));
    let screen = h.render();
    assert!(
        screen.contains("Permission denied (os error 13)."),
        "{screen}"
    );
}
