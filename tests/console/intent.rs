//! The console acts only on the token the clerk means (issue 6): a confirmation ignores keys
//! typed ahead of it, the search line never names something other than what is on screen,
//! an action is confirmed against fresh state, and what the screen says is true. Driven
//! through `App::update` with messages, as the event loop would; the harness plays the
//! server and the clock.

use crate::support;

use std::time::Duration;

use serde_json::Value;
use support::{Harness, KeyCode, not_effective_token, with_state};
use tokendesk::api::{AccessTokenIdentifier, Action, LifeCycleState, Operation};
use tokendesk::console::app::{Modal, Screen};
use tokendesk::keys::Key;

const CODE: &str = "99021047380";
const NUMBER: &str = "AT0000000671";

fn effective_token() -> Value {
    with_state(not_effective_token(), "EFFECTIVE")
}

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

fn on_token(token: Value) -> Harness {
    let mut h = Harness::new(80, 24);
    h.open(token);
    assert_eq!(h.app.screen, Screen::Token);
    h.take();
    h
}

fn is_confirm(h: &Harness, action: Action) -> bool {
    matches!(&h.app.modal, Some(Modal::Confirm(c)) if c.action == action)
}

fn actions_sent(h: &Harness) -> usize {
    h.requests
        .iter()
        .filter(|(_, op)| matches!(op, Operation::Act { .. }))
        .count()
}

fn state(h: &Harness) -> LifeCycleState {
    h.token().summary.state.clone()
}

// ---- the typed-ahead guard ------------------------------------------------------------------

#[test]
fn dandy1_typed_into_an_effective_tokens_tree_acts_on_nothing() {
    // The clerk believed the search line had the keyboard: d opens the confirmation, and the
    // n, d, y that came with it in one read must not close, reopen and confirm it.
    let mut h = on_token(effective_token());
    h.together("dandy1");
    assert_eq!(actions_sent(&h), 0);
    assert!(is_confirm(&h, Action::Deactivate), "the modal stays open");
    let screen = h.render();
    assert!(
        screen.contains("Keys typed before this appeared were"),
        "{screen}"
    );
    assert!(screen.contains("ignored: a n d y 1"), "{screen}");
    // Read, then answered deliberately: it works.
    h.key('y');
    assert_eq!(actions_sent(&h), 1);
}

#[test]
fn keys_within_half_a_second_of_the_confirmation_are_ignored() {
    for key in [
        Key::char('y'),
        Key::char('n'),
        Key::plain(KeyCode::Esc),
        Key::plain(KeyCode::Enter),
    ] {
        let mut h = on_token(effective_token());
        h.key('d');
        h.key_after(ms(200), key);
        h.key_after(ms(250), key);
        assert!(is_confirm(&h, Action::Deactivate), "{key} closed it early");
        assert_eq!(actions_sent(&h), 0, "{key}");
        assert!(
            h.render().contains("ignored:"),
            "{key}: the modal says what it ignored"
        );
    }
    // 500 ms after it appeared, y answers.
    let mut h = on_token(effective_token());
    h.key('d');
    h.key_after(ms(499), Key::char('y'));
    assert_eq!(actions_sent(&h), 0);
    h.key_after(ms(1), Key::char('y'));
    assert_eq!(actions_sent(&h), 1);
}

#[test]
fn the_delete_confirmation_ignores_a_number_typed_ahead() {
    let mut h = on_token(not_effective_token());
    h.together(&format!("X{NUMBER}"));
    h.send(tokendesk::console::app::Msg::Key(Key::plain(
        KeyCode::Enter,
    )));
    let Some(Modal::Confirm(confirm)) = &h.app.modal else {
        panic!("still confirming")
    };
    assert_eq!(
        confirm.question.line.value(),
        "",
        "nothing was typed into the field"
    );
    assert_eq!(actions_sent(&h), 0);
    h.keys(NUMBER).press(KeyCode::Enter);
    assert_eq!(actions_sent(&h), 1);
}

#[test]
fn the_confirmation_starts_taking_keys_on_its_own_after_half_a_second() {
    let mut h = on_token(effective_token());
    h.key('d');
    let opened = h.clock;
    assert_eq!(h.app.wake_at(), Some(opened + ms(500)), "the loop is woken");
    let row = key_line_row(&mut h);
    let dim = support::row_styles(h.buffer(), row);
    h.tick(ms(500));
    assert!(h.app.changed(), "the key line is drawn live");
    assert_eq!(h.app.wake_at(), None, "nothing more to wait for");
    let row = key_line_row(&mut h);
    let live = support::row_styles(h.buffer(), row);
    assert_ne!(
        dim, live,
        "the key line changes when its keys start to work"
    );
}

/// The row of the modal's key line ("y deactivate ...").
fn key_line_row(h: &mut Harness) -> u16 {
    h.render()
        .lines()
        .position(|l| l.contains("y deactivate"))
        .expect("the key line is on screen") as u16
}

#[test]
fn enter_in_a_y_n_confirmation_says_which_keys_answer_it() {
    let mut h = on_token(effective_token());
    h.key('d').press(KeyCode::Enter);
    assert!(is_confirm(&h, Action::Deactivate));
    let screen = h.render();
    assert!(
        screen.contains("Enter does not answer: y deactivates"),
        "{screen}"
    );
    h.key('y');
    assert_eq!(actions_sent(&h), 1);
}

#[test]
fn the_quit_question_ignores_keys_typed_ahead_too() {
    let mut h = on_token(effective_token());
    h.key('R');
    h.together("qy");
    assert!(!h.quit, "y came with the q that asked");
    assert!(matches!(h.app.modal, Some(Modal::QuitWhileBusy { .. })));
    h.press(KeyCode::Enter);
    assert!(
        h.render().contains("Enter does not answer"),
        "{}",
        h.render()
    );
    h.key('y');
    assert!(h.quit);
}

#[test]
fn ctrl_c_leaves_at_once_even_from_a_confirmation_just_opened() {
    let mut h = on_token(effective_token());
    h.key('d');
    h.key_after(ms(10), Key::ctrl('c'));
    assert!(h.quit);
    assert_eq!(actions_sent(&h), 0);
}

// ---- one truth between the search line and the screen ---------------------------------------

fn line(h: &Harness) -> String {
    h.app.search.input.value().to_owned()
}

fn cursor_at_end(h: &Harness) -> bool {
    h.app.search.input.cursor() == h.app.search.input.value().chars().count()
}

#[test]
fn leaving_an_edited_line_without_running_it_puts_back_the_query_on_screen() {
    for leave in [KeyCode::Esc, KeyCode::Tab] {
        let mut h = on_token(effective_token());
        h.key('/').keys("acr:ACR0000000069");
        h.press(leave);
        assert!(!h.app.search.focused, "{leave:?} leaves the line");
        assert_eq!(
            line(&h),
            CODE,
            "{leave:?}: the line names the token on screen"
        );
        assert!(h.render().contains(&format!(" Search {CODE} ")));
        // What was typed is not lost: Up in the line brings it back.
        h.key('/').press(KeyCode::Up);
        assert_eq!(line(&h), "acr:ACR0000000069");
    }
}

#[test]
fn the_line_names_the_results_page_and_the_token_opened_from_it() {
    let mut h = Harness::new(80, 24);
    h.search("acr:ACR1");
    h.answer(Ok(support::tokens_reply(vec![effective_token()])));
    assert_eq!(line(&h), "acr:ACR1");
    h.press(KeyCode::Enter);
    assert_eq!(
        line(&h),
        "acr:ACR1",
        "the page is on screen until the token is read"
    );
    h.answer_token(effective_token());
    assert_eq!(
        line(&h),
        CODE,
        "the token opened from the page, by its code"
    );
    h.key('/').keys("nothing").press(KeyCode::Tab);
    assert_eq!(line(&h), CODE);
    h.press(KeyCode::Esc);
    assert_eq!(h.app.screen, Screen::Results);
    assert_eq!(
        line(&h),
        "acr:ACR1",
        "back on the page, the line names it again"
    );
}

#[test]
fn a_failed_search_keeps_its_text_and_the_keyboard_and_the_old_token_is_not_actionable() {
    let mut h = on_token(effective_token());
    h.key('/').keys("id:250 pass:1111").press(KeyCode::Enter);
    assert!(
        h.app.search.focused,
        "the line keeps the keyboard while it searches"
    );
    h.answer(Err(tokendesk::api::ApiError::server(
        "NOT_FOUND",
        "Access token not found",
    )));
    assert!(h.app.search.focused, "and after it failed");
    assert_eq!(line(&h), "id:250 pass:1111");
    assert!(cursor_at_end(&h), "a typo is fixed with one key and Enter");
    // The clerk who thinks the tree has the keyboard types d: it is text, not an action.
    h.key('d');
    assert!(h.app.modal.is_none());
    assert_eq!(line(&h), "id:250 pass:1111d");
    assert_eq!(actions_sent(&h), 0);
    // One key fixes it and Enter searches again.
    h.press(KeyCode::Backspace)
        .press(KeyCode::Backspace)
        .key('2');
    h.press(KeyCode::Enter);
    assert_eq!(
        h.last_request().1,
        Operation::Show {
            identifier: AccessTokenIdentifier::Identifier {
                identifier: "250".into(),
                pass_code: "1112".into()
            },
            fields: None
        }
    );
    h.answer(Err(tokendesk::api::ApiError::server(
        "NOT_FOUND",
        "Access token not found",
    )));
    // Esc goes back to the token on screen and its query; then it acts.
    h.press(KeyCode::Esc);
    assert!(!h.app.search.focused);
    assert_eq!(line(&h), CODE);
    h.key('d');
    assert!(is_confirm(&h, Action::Deactivate));
}

#[test]
fn esc_in_the_line_cancels_the_search_it_started() {
    let mut h = on_token(effective_token());
    h.key('/').keys("acr:ACR1").press(KeyCode::Enter);
    let id = h.in_flight();
    h.press(KeyCode::Esc);
    assert_eq!(h.cancelled, vec![id]);
    assert!(!h.app.is_busy());
    assert_eq!(line(&h), CODE);
    assert_eq!(h.app.screen, Screen::Token);
}

#[test]
fn a_search_that_succeeds_hands_the_keyboard_to_what_it_found() {
    let mut h = on_token(effective_token());
    h.key('/').keys("acr:ACR1").press(KeyCode::Enter);
    h.answer(Ok(support::tokens_reply(vec![effective_token()])));
    assert!(!h.app.search.focused);
    assert_eq!(h.app.screen, Screen::Results);
    assert_eq!(line(&h), "acr:ACR1");
}

// ---- fresh state before an action -----------------------------------------------------------

fn by_code(code: &str) -> Operation {
    Operation::Show {
        identifier: AccessTokenIdentifier::AuthenticationCode(code.into()),
        fields: None,
    }
}

fn confirm_state(h: &Harness) -> Option<(bool, LifeCycleState)> {
    match &h.app.modal {
        Some(Modal::Confirm(c)) => Some((c.checking(), c.token.state.clone())),
        _ => None,
    }
}

#[test]
fn a_token_read_over_a_minute_ago_is_read_again_before_the_confirmation_asks() {
    let mut h = on_token(effective_token());
    h.tick(Duration::from_secs(61));
    let sent = h.request_count();
    h.key('d');
    assert_eq!(h.request_count(), sent + 1, "a re-read went out");
    assert_eq!(h.last_request().1, by_code(CODE));
    assert_eq!(confirm_state(&h), Some((true, LifeCycleState::Effective)));
    assert!(h.render().contains("checking…"), "{}", h.render());
    // Nothing confirms against the old state.
    h.key('y');
    assert_eq!(actions_sent(&h), 0);
    assert!(h.render().contains("ignored: y"), "{}", h.render());
    h.answer_token(effective_token());
    assert_eq!(confirm_state(&h), Some((false, LifeCycleState::Effective)));
    assert!(!h.render().contains("checking…"));
    h.key('y');
    assert_eq!(actions_sent(&h), 1);
}

#[test]
fn a_fresh_token_is_not_read_again() {
    let mut h = on_token(effective_token());
    h.tick(Duration::from_secs(55));
    let sent = h.request_count();
    h.key('d');
    assert_eq!(h.request_count(), sent);
    assert_eq!(confirm_state(&h), Some((false, LifeCycleState::Effective)));
}

#[test]
fn the_check_finds_the_state_changed_and_the_confirmation_closes_with_nothing_sent() {
    let mut h = on_token(effective_token());
    h.tick(Duration::from_secs(90));
    h.key('d');
    h.answer_token(not_effective_token());
    assert!(h.app.modal.is_none());
    assert_eq!(actions_sent(&h), 0);
    assert_eq!(
        state(&h),
        LifeCycleState::NotEffective,
        "the screen shows it"
    );
    assert_eq!(
        h.notice(),
        "AT0000000671 is NOT_EFFECTIVE now, so it cannot be deactivated; nothing was sent."
    );
    assert!(h.render().contains(&format!("{NUMBER}  NOT_EFFECTIVE ")));
}

#[test]
fn esc_while_checking_cancels_the_read_and_sends_nothing() {
    let mut h = on_token(effective_token());
    h.tick(Duration::from_secs(61));
    h.key('d');
    let check = h.in_flight();
    h.press(KeyCode::Esc);
    assert!(h.app.modal.is_none());
    assert_eq!(h.cancelled, vec![check]);
    assert_eq!(h.notice(), "Nothing was deactivated.");
    assert_eq!(actions_sent(&h), 0);
}

#[test]
fn a_check_that_fails_closes_the_confirmation_and_says_why() {
    let mut h = on_token(not_effective_token());
    h.tick(Duration::from_secs(61));
    h.key('X');
    h.answer(Err(tokendesk::api::ApiError::TimedOut {
        after: Duration::from_secs(30),
    }));
    assert!(h.app.modal.is_none());
    assert_eq!(actions_sent(&h), 0);
    assert_eq!(
        h.notice(),
        "Could not read AT0000000671 again to check its state: The server did not answer within 30 s. Nothing was deleted."
    );
}

#[test]
fn a_refusal_because_of_the_state_reads_the_token_again_and_says_what_it_is_now() {
    let mut h = on_token(effective_token());
    h.key('d').key('y');
    let sent = h.request_count();
    h.answer(Err(tokendesk::api::ApiError::server(
        "INVALID_LIFE_CYCLE_STATE",
        "Access token AT0000000671 is NOT_EFFECTIVE; only an access token that is EFFECTIVE can be deactivated.",
    )));
    assert_eq!(h.request_count(), sent + 1, "a re-read went out at once");
    assert_eq!(h.last_request().1, by_code(CODE));
    h.answer_token(not_effective_token());
    assert_eq!(actions_sent(&h), 1, "the action was not sent again");
    assert_eq!(state(&h), LifeCycleState::NotEffective);
    assert_eq!(
        h.notice(),
        "AT0000000671: Not deactivated: it is NOT_EFFECTIVE now, changed since it was read."
    );
    let screen = h.render();
    assert!(
        screen.contains(&format!("{NUMBER}  NOT_EFFECTIVE ")),
        "{screen}"
    );
    assert!(!screen.contains("INVALID_LIFE_CYCLE"), "{screen}");
}

// ---- habits, and hints that are true where they are shown ----------------------------------

#[test]
fn question_mark_on_an_empty_search_line_opens_the_help() {
    let mut h = Harness::new(80, 24);
    assert!(h.app.search.focused);
    h.key('?');
    assert!(matches!(h.app.modal, Some(Modal::Help)));
    assert_eq!(line(&h), "");
    // With text in the line it is a character like any other.
    h.press(KeyCode::Esc).key('/').keys("ab?");
    assert!(h.app.modal.is_none());
    assert_eq!(line(&h), "ab?");
}

#[test]
fn slash_on_an_empty_focused_line_does_nothing() {
    let mut h = Harness::new(80, 24);
    h.key('/');
    assert_eq!(
        line(&h),
        "",
        "the habit from less and vim searches for nothing"
    );
    assert!(!h.app.changed());
    h.keys(CODE);
    assert_eq!(line(&h), CODE);
    let mut h = on_token(effective_token());
    h.key('/').key('/').keys(CODE);
    assert_eq!(line(&h), CODE, "/ then / then the code");
}

#[test]
fn the_home_screen_says_question_mark_lists_the_keys_only_where_it_does() {
    let mut h = Harness::new(80, 24);
    assert!(h.render().contains("  ? lists every key."));
    h.keys("99");
    let screen = h.render();
    assert!(!screen.contains("  ? lists every key."), "{screen}");
    assert!(screen.contains("Esc, then ? lists every key."), "{screen}");
    h.press(KeyCode::Esc);
    let screen = h.render();
    assert!(screen.contains("  ? lists every key."), "{screen}");
    assert!(
        screen.contains("Press / and type in the search line"),
        "typing does not reach an unfocused line:\n{screen}"
    );
}

/// The key hints row (the second-last row of the screen).
fn hints(h: &mut Harness) -> String {
    let screen = h.render();
    let rows: Vec<&str> = screen.lines().collect();
    rows[rows.len() - 2].to_owned()
}

#[test]
fn the_search_lines_hints_name_only_what_works() {
    let mut h = Harness::new(80, 24);
    let first = hints(&mut h);
    assert!(!first.contains("history"), "no history yet: {first}");
    assert!(
        first.contains("? help"),
        "an empty line opens the help: {first}"
    );
    h.keys("nope").press(KeyCode::Enter);
    h.answer(Err(tokendesk::api::ApiError::server("NOT_FOUND", "")));
    let after = hints(&mut h);
    assert!(after.contains("Up/Down history"), "{after}");
    assert!(
        !after.contains("? help"),
        "? is typed into a line with text: {after}"
    );
}

#[test]
fn esc_cancels_is_said_only_where_esc_cancels() {
    let mut h = on_token(effective_token());
    h.key('d').key('y');
    assert!(h.render().contains("Esc cancels"));
    // With the keyboard in the search line, Esc leaves the line and cancels nothing.
    h.key('/');
    let screen = h.render();
    assert!(!screen.contains("Esc cancels"), "{screen}");
}

#[test]
fn the_results_hints_offer_paging_only_where_there_may_be_more() {
    let mut h = Harness::new(80, 24);
    h.search("acr:ACR1");
    h.answer(Ok(support::tokens_reply(vec![effective_token()])));
    let one_page = hints(&mut h);
    assert!(!one_page.contains("PgDn"), "{one_page}");
    assert!(!one_page.contains("PgUp"), "{one_page}");
}

// ---- a screen that never contradicts itself --------------------------------------------------

fn deleted_on_screen() -> Harness {
    let mut h = on_token(not_effective_token());
    h.key('X').keys(NUMBER).press(KeyCode::Enter);
    // The server answers a delete with the token as it was (the seed page's example).
    h.answer_token(not_effective_token());
    assert!(h.token().deleted);
    h
}

#[test]
fn a_deleted_tokens_tree_says_it_is_shown_as_it_was() {
    let mut h = deleted_on_screen();
    let screen = h.render();
    assert!(screen.contains("shown as it was when deleted"), "{screen}");
    assert!(
        screen.contains("Life cycle state    DELETED (was NOT_EFFECTIVE)"),
        "{screen}"
    );
    assert!(
        !screen.contains("Life cycle state    NOT_EFFECTIVE"),
        "no live state claimed:\n{screen}"
    );
    h.key('r');
    let raw = h.render();
    assert!(raw.contains("as it was when deleted"), "{raw}");
}

fn suggestion_for(h: &Harness, line: &str) -> Option<String> {
    h.app
        .suggestions
        .iter()
        .find(|s| s.line == line)
        .map(|s| s.meaning(&h.app.keymap))
}

#[test]
fn home_suggestions_follow_what_happened() {
    let mut h = Harness::demo(80, 24);
    let effective = support::demo_token_in("EFFECTIVE");
    let code = effective["authentication_code"]
        .as_str()
        .unwrap()
        .to_owned();
    let number = effective["number"].as_str().unwrap().to_owned();
    assert_eq!(
        suggestion_for(&h, &code).as_deref(),
        Some(format!("{number} EFFECTIVE: try d to deactivate").as_str())
    );
    // Deactivated: the suggestion now offers what a NOT_EFFECTIVE token allows.
    h.open(effective.clone());
    h.key('d').key('y');
    h.answer_token(with_state(effective.clone(), "NOT_EFFECTIVE"));
    assert_eq!(
        suggestion_for(&h, &code).as_deref(),
        Some(format!("{number} NOT_EFFECTIVE: a to re-activate, X to delete").as_str())
    );
    // Deleted: it is no longer suggested.
    h.key('X').keys(&number).press(KeyCode::Enter);
    h.answer_token(with_state(effective.clone(), "NOT_EFFECTIVE"));
    h.press(KeyCode::Esc);
    assert_eq!(h.app.screen, Screen::Home);
    assert_eq!(suggestion_for(&h, &code), None);
    let screen = h.render();
    assert!(
        !screen.contains(&format!("    {code} ")),
        "not among the suggestions:\n{screen}"
    );

    // A token deleted from the suggested account: the account has a token fewer.
    let acr_line = h
        .app
        .suggestions
        .iter()
        .map(|s| s.line.clone())
        .find(|l| l.starts_with("acr:"))
        .expect("an account is suggested");
    let tokens: Vec<Value> = support::demo_tokens()
        .into_iter()
        .filter(|t| {
            let account = tokendesk::api::TokenSummary::from_value(t).account_number;
            account.is_some_and(|a| acr_line == format!("acr:{a}"))
        })
        .collect();
    let count = tokens.len();
    assert_eq!(
        suggestion_for(&h, &acr_line),
        Some(format!("the {count} tokens of one account"))
    );
    let target = tokens
        .iter()
        .position(|t| t["life_cycle_state"] == "NOT_EFFECTIVE")
        .expect("the account has a NOT_EFFECTIVE token");
    let target_number = tokens[target]["number"].as_str().unwrap().to_owned();
    h.search(&acr_line);
    h.answer(Ok(support::tokens_reply(tokens.clone())));
    for _ in 0..target {
        h.press(KeyCode::Down);
    }
    h.press(KeyCode::Enter);
    h.answer_token(tokens[target].clone());
    h.key('X').keys(&target_number).press(KeyCode::Enter);
    h.answer_token(tokens[target].clone());
    assert_eq!(
        suggestion_for(&h, &acr_line),
        Some(format!("the {} tokens of one account", count - 1))
    );
}

// ---- search that finds what clerks have -----------------------------------------------------

fn by_identifier(identifier: &str, pass_code: &str) -> Operation {
    Operation::Show {
        identifier: AccessTokenIdentifier::Identifier {
            identifier: identifier.into(),
            pass_code: pass_code.into(),
        },
        fields: None,
    }
}

#[test]
fn identifiers_with_spaces_are_searched_whole() {
    for line in [
        r#"id:"+357 99 134585" pass:0006"#,
        "id:+357 99 134585 pass:0006",
        r#"pass:0006 id:"+357 99 134585""#,
        "pass:0006 id:+357 99 134585",
        "ID:+357 99 134585   PASS:0006",
    ] {
        let mut h = Harness::new(80, 24);
        h.search(line);
        assert_eq!(h.request_count(), 1, "{line:?}: {}", h.notice());
        assert_eq!(
            h.last_request().1,
            by_identifier("+357 99 134585", "0006"),
            "{line:?}"
        );
    }
}

#[test]
fn bare_account_participant_and_token_numbers_get_a_hint_naming_what_to_type() {
    for (line, hint) in [
        ("ACR0000000069", "type acr:ACR0000000069"),
        ("rp0000000010", "type rp:rp0000000010"),
        ("AT0000000671", "ac:AT0000000671"),
    ] {
        let mut h = Harness::new(80, 24);
        h.search(line);
        assert_eq!(h.request_count(), 0, "{line}");
        assert!(h.notice().contains(hint), "{line}: {}", h.notice());
        assert!(
            h.app.search.focused,
            "the line keeps the keyboard to fix it"
        );
    }
    let mut h = Harness::new(80, 24);
    h.search("AT0000000671");
    assert!(
        h.notice().contains("authentication code") && h.notice().contains("id:ID pass:PASS"),
        "{}",
        h.notice()
    );
    // Prefixed, it is searched as a code after all.
    h.search("ac:AT0000000671");
    assert_eq!(h.last_request().1, by_code("AT0000000671"));
}

fn page(h: &mut Harness, rows: usize) {
    h.answer(Ok(support::tokens_reply(
        support::demo_tokens()
            .into_iter()
            .cycle()
            .take(rows)
            .collect(),
    )));
}

#[test]
fn results_move_to_the_first_and_last_row_with_g_and_home_end() {
    let mut h = Harness::new(80, 24);
    h.search("acr:ACR1");
    page(&mut h, 7);
    for (key, row) in [
        (Key::char('G'), 6),
        (Key::char('g'), 0),
        (Key::plain(KeyCode::End), 6),
        (Key::plain(KeyCode::Home), 0),
    ] {
        h.key_after(support::KEY_GAP, key);
        assert_eq!(h.results().selected, row, "{key}");
    }
}

#[test]
fn results_say_the_total_once_it_is_known() {
    let size = tokendesk::console::app::layout::results_rows(80, 24, 1);
    let mut h = Harness::new(80, 24);
    h.search("acr:ACR1");
    page(&mut h, size);
    assert_eq!(
        h.app.results_position().as_deref(),
        Some("accounts receivable ACR1: tokens 1-20; PgDn for more.")
    );
    h.press(KeyCode::PageDown);
    page(&mut h, 3);
    assert_eq!(
        h.app.results_position().as_deref(),
        Some("accounts receivable ACR1: tokens 21-23 of 23.")
    );
    h.press(KeyCode::PageUp);
    page(&mut h, size);
    assert_eq!(
        h.app.results_position().as_deref(),
        Some("accounts receivable ACR1: tokens 1-20 of 23."),
        "the total is remembered"
    );
    // A full last page: known once the next one comes back empty.
    let mut h = Harness::new(80, 24);
    h.search("rp:RP1");
    page(&mut h, size);
    h.press(KeyCode::PageDown);
    page(&mut h, 0);
    assert_eq!(
        h.app.results_position().as_deref(),
        Some("rewards participant RP1: tokens 1-20 of 20.")
    );
}

// ---- messages a clerk can read ---------------------------------------------------------------

#[test]
fn transport_detail_becomes_a_plain_sentence() {
    let cases = [
        (
            tokendesk::api::ApiError::Disconnected {
                detail: "unexpected EOF during chunk size line".into(),
            },
            "The connection broke before the answer arrived.",
        ),
        (
            tokendesk::api::ApiError::Connect {
                host: "crm.example.com".into(),
                detail:
                    "error trying to connect: tcp connect error: Connection refused (os error 111)"
                        .into(),
            },
            "Cannot reach crm.example.com: it refused the connection. Check the URL and the network.",
        ),
        (
            tokendesk::api::ApiError::Connect {
                host: "crm.example.com".into(),
                detail:
                    "dns error: failed to lookup address information: Name or service not known"
                        .into(),
            },
            "Cannot reach crm.example.com: the name was not found. Check the URL and the network.",
        ),
        (
            tokendesk::api::ApiError::Connect {
                host: "crm.example.com".into(),
                detail: "something nobody foresaw".into(),
            },
            "Cannot reach crm.example.com. Check the URL and the network.",
        ),
    ];
    for (error, sentence) in cases {
        let mut h = Harness::new(80, 24);
        h.search(CODE);
        h.answer(Err(error.clone()));
        assert_eq!(h.notice(), sentence, "{error:?}");
    }
}

#[test]
fn a_notice_goes_when_the_view_it_was_said_in_changes() {
    let mut h = Harness::new(80, 24);
    h.search("acr:ACR1");
    h.answer(Ok(support::tokens_reply(vec![effective_token()])));
    h.press(KeyCode::Enter);
    h.answer_token(effective_token());
    h.key('d').key('y');
    h.answer_token(not_effective_token());
    assert_eq!(h.notice(), "AT0000000671: Deactivated.");
    h.key('j');
    assert!(!h.notice().is_empty(), "moving in the same view keeps it");
    h.press(KeyCode::Esc);
    assert_eq!(h.app.screen, Screen::Results);
    assert_eq!(h.notice(), "", "said about the token, not the page");
    assert!(
        !h.render().contains("deactivated; it is now"),
        "{}",
        h.render()
    );
    // And a notice about the page goes when a token opens from it.
    h.press(KeyCode::PageDown);
    assert_eq!(h.notice(), "This is the last page.");
    h.press(KeyCode::Enter);
    assert_eq!(h.notice(), "");
}

/// The rows of the screen, top to bottom.
fn rows(h: &mut Harness) -> Vec<String> {
    h.render().lines().map(str::to_owned).collect()
}

#[test]
fn a_two_line_message_never_pushes_the_key_hints_off_screen() {
    for (width, height) in [(80, 24), (40, 10)] {
        let mut h = Harness::new(width, height);
        h.open(effective_token());
        h.key('E').key('G');
        // A long sentence: the refusal of a bare token number.
        h.key('/').keys("AT0000000671").press(KeyCode::Enter);
        assert!(h.notice().chars().count() > usize::from(width));
        let screen = rows(&mut h);
        let n = screen.len();
        assert!(
            screen[n - 3].starts_with("Enter search"),
            "{width}x{height}: the key hints keep their row:\n{}",
            screen.join("\n")
        );
        assert!(screen[n - 2].starts_with("AT0000000671 is a token number"));
        assert!(!screen[n - 1].is_empty(), "the message goes on");
        if h.notice().chars().count() > 2 * usize::from(width) {
            assert!(screen[n - 1].ends_with('…'), "cut after two rows");
        }
        // The tree gave up a row for it and keeps its cursor on screen.
        let tree = &h.token().tree;
        assert_eq!(
            tree.viewport_height(),
            tokendesk::console::app::layout::tree_rows(width, height, 2)
        );
        assert!(tree.cursor() < tree.offset() + tree.viewport_height());
    }
}

// ---- raw JSON in the server's order ------------------------------------------------------

#[test]
fn raw_json_keeps_the_servers_order() {
    let body = br#"{"status":{"code":"OK","message":"","description":""},
        "data":{"number":"AT1","life_cycle_state":"EFFECTIVE","authentication_code":"C1",
        "zulu":1,"alpha":{"yankee":true,"bravo":false}}}"#;
    let token = tokendesk::api::wire::read_envelope(200, body).expect("an envelope");
    let mut h = Harness::new(80, 24);
    h.open(token.value);
    h.key('r');
    let raw = &h.token().raw.as_ref().expect("the raw view").lines;
    let keys: Vec<&str> = raw
        .iter()
        .filter_map(|l| l.trim().strip_prefix('"')?.split('"').next())
        .collect();
    assert_eq!(
        keys,
        [
            "number",
            "life_cycle_state",
            "authentication_code",
            "zulu",
            "alpha",
            "yankee",
            "bravo"
        ]
    );
}

// ---- pinned by mutation testing (TESTING.md) ------------------------------------------------

#[test]
fn a_token_read_exactly_a_minute_ago_is_not_read_again() {
    let mut h = on_token(effective_token());
    h.tick(Duration::from_secs(60));
    let sent = h.request_count();
    h.key_after(Duration::ZERO, Key::char('d'));
    assert_eq!(h.request_count(), sent, "a minute is not over a minute");
    assert_eq!(confirm_state(&h), Some((false, LifeCycleState::Effective)));
}

#[test]
fn a_state_refusal_of_a_state_that_allows_it_says_the_server_refused() {
    let mut h = on_token(effective_token());
    h.key('d').key('y');
    h.answer(Err(tokendesk::api::ApiError::server(
        "INVALID_LIFE_CYCLE_STATE",
        "Not allowed now.",
    )));
    h.answer_token(effective_token());
    assert_eq!(actions_sent(&h), 1, "the action was not sent again");
    assert_eq!(
        h.notice(),
        "AT0000000671: Not allowed now. (INVALID_LIFE_CYCLE_STATE) It is EFFECTIVE now."
    );
}

#[test]
fn a_state_refusal_whose_re_read_fails_says_both() {
    let mut h = on_token(effective_token());
    h.key('d').key('y');
    h.answer(Err(tokendesk::api::ApiError::server(
        "INVALID_LIFE_CYCLE_STATE",
        "Not allowed now.",
    )));
    // The re-read fails, and so do the two tries again it gets.
    for _ in 0..3 {
        h.answer(Err(tokendesk::api::ApiError::TimedOut {
            after: Duration::from_secs(30),
        }));
    }
    assert_eq!(actions_sent(&h), 1);
    assert_eq!(
        h.notice(),
        "AT0000000671: Not allowed now. (INVALID_LIFE_CYCLE_STATE) Reading it again failed: The server did not answer within 30 s."
    );
}

#[test]
fn a_search_that_fails_for_any_reason_leaves_the_cursor_at_the_end() {
    let mut h = on_token(effective_token());
    h.key('/').keys("acr:ACR1").press(KeyCode::Home);
    assert!(!cursor_at_end(&h));
    h.press(KeyCode::Enter);
    h.answer(Err(tokendesk::api::ApiError::TimedOut {
        after: Duration::from_secs(30),
    }));
    assert_eq!(line(&h), "acr:ACR1");
    assert!(cursor_at_end(&h), "a typo is fixed with one key and Enter");
    assert_eq!(h.notice(), "The server did not answer within 30 s.");
}

/// PuTTY and MobaXterm, as many clerks have them set up, send Backspace as ^H, which the
/// terminal reads as Ctrl-h: it erases wherever text is typed.
#[test]
fn ctrl_h_erases_like_backspace_in_the_search_line_and_the_typed_confirmation() {
    let mut h = Harness::new(80, 24);
    h.key('/').keys("abc").ctrl('h');
    assert_eq!(h.app.search.input.value(), "ab");

    let mut h = on_token(not_effective_token());
    h.key('X');
    h.tick(ms(500));
    h.keys("AT06").ctrl('h');
    let Some(Modal::Confirm(confirm)) = &h.app.modal else {
        panic!("still confirming")
    };
    assert_eq!(confirm.question.line.value(), "AT0");
}

/// Another clerk deactivated the token while it was on screen; the server refuses `d`, `y`
/// with a generic code and a sentence. The API task read the token again (as it does after
/// any refusal): the screen shows the state now, and the sentence is the server's with it.
#[test]
fn a_refusal_worded_another_way_shows_the_state_now() {
    use tokendesk::console::api_task::{ApiEvent, ApiEventKind};
    let mut h = on_token(effective_token());
    h.key('d');
    h.tick(ms(500));
    h.key('y');
    assert_eq!(actions_sent(&h), 1);
    let id = h.in_flight();
    h.send(tokendesk::console::app::Msg::Api(ApiEvent {
        id,
        kind: ApiEventKind::Reread(Ok(tokendesk::api::Document::from(not_effective_token()))),
    }));
    h.answer(Err(tokendesk::api::ApiError::server(
        "ERROR",
        "Only Effective access tokens can be set as Not Effective",
    )));
    assert_eq!(state(&h), LifeCycleState::NotEffective);
    assert_eq!(
        h.notice(),
        format!("{NUMBER}: Not deactivated: it is NOT_EFFECTIVE now, changed since it was read.")
    );
    assert!(h.render().contains(&format!("{NUMBER}  NOT_EFFECTIVE ")));
    assert_eq!(actions_sent(&h), 1, "nothing sent again");
}

/// Quitting with an action sent and unanswered leaves its outcome unknown, and the console
/// knows which token that is (the terminal lists it once restored); one that still waits
/// for the audit log is never sent, so quitting leaves nothing unknown.
#[test]
fn quitting_knows_which_outcomes_it_leaves_unknown() {
    let mut h = on_token(effective_token());
    h.key('d');
    h.tick(ms(500));
    h.key('y');
    h.key('q');
    h.tick(ms(500));
    let screen = h.render();
    assert!(screen.contains("not sent yet"), "{screen}");
    h.key('y');
    assert!(h.quit);
    assert_eq!(h.app.ended_unknown, []);

    let mut h = on_token(effective_token());
    h.key('d');
    h.tick(ms(500));
    h.key('y');
    h.recorded();
    h.key('q');
    h.tick(ms(500));
    assert!(
        h.render()
            .contains("Quitting now leaves its outcome unknown.")
    );
    h.key('y');
    assert!(h.quit);
    assert_eq!(
        h.app.ended_unknown,
        [tokendesk::console::app::UnknownOutcome {
            action: Action::Deactivate,
            name: NUMBER.into(),
            code: Some("99021047380".into()),
        }]
    );
    assert_eq!(
        tokendesk::console::app::ending_sentence(&h.app.ended_unknown),
        format!(
            "The console ended with the outcome of 1 action not known; check it:\n  {NUMBER}  code 99021047380  deactivate: tokendesk show 99021047380"
        )
    );
}

/// A confirmation opens on a status line of its own: not above "Nothing was deactivated."
/// from the last one, nor "Copied …".
#[test]
fn a_question_opens_on_a_status_line_that_speaks_of_it_alone() {
    let mut h = on_token(effective_token());
    h.key('d');
    h.press(KeyCode::Esc);
    assert_eq!(h.notice(), "Nothing was deactivated.");
    h.key('d');
    assert_eq!(h.notice(), "", "the old sentence is gone");
    assert!(!h.render().contains("Nothing was deactivated."));
}
