//! The log-in behind the first frame, driven through `App::update` as the event loop does:
//! the status bar says it is under way, a search made meanwhile waits for the session and
//! goes once, and a failed log-in asks the console to end with its error.

use crate::support;

use std::time::Duration;

use support::{HOST, Harness, KeyCode};
use tokendesk::api::{ApiError, Operation, Reply};
use tokendesk::console::api_task::{ApiCommand, ApiEvent, ApiEventKind, RequestId};
use tokendesk::console::app::Effect;
use tokendesk::console::app::Msg;

const CODE: &str = "99021047380";

/// A console that has just started logging in, and the log-in's request id.
fn logging_in() -> (Harness, RequestId) {
    let mut h = Harness::new(80, 24);
    let effects = h.app.log_in();
    let id = match effects.as_slice() {
        [
            Effect::Api(ApiCommand::Send {
                id,
                operation: Operation::LogIn,
            }),
        ] => *id,
        other => panic!("log_in should send the log-in, not {other:?}"),
    };
    (h, id)
}

fn status(h: &Harness) -> String {
    h.app.status_line().map(|s| s.text).unwrap_or_default()
}

#[test]
fn the_status_bar_says_the_console_is_logging_in_and_the_spinner_runs() {
    let (mut h, _) = logging_in();
    assert_eq!(status(&h), format!("Logging in to {HOST}… 0.0 s"));
    assert!(h.app.wake_at().is_some(), "the spinner needs the clock");
    h.tick(Duration::from_millis(1500));
    assert!(h.app.changed(), "a tick moves the spinner");
    assert_eq!(status(&h), format!("Logging in to {HOST}… 1.5 s"));
    assert!(h.app.search.focused, "the clerk can type at once");
    let screen = h.render();
    assert!(screen.contains("Logging in to"), "{screen}");
}

#[test]
fn a_search_made_while_logging_in_is_sent_once_after_the_session_exists() {
    let (mut h, log_in) = logging_in();
    h.search(CODE);
    assert_eq!(h.request_count(), 0, "no search before the session exists");
    assert!(
        status(&h).contains(&format!("then: Looking up authentication code {CODE}")),
        "{}",
        status(&h)
    );
    // The log-in's own start changes nothing.
    h.send(Msg::Api(ApiEvent {
        id: log_in,
        kind: ApiEventKind::Started,
    }));
    assert!(!h.app.changed());
    assert_eq!(h.request_count(), 0);

    h.answer_to(log_in, Ok(Reply::LoggedIn));
    assert_eq!(
        h.request_count(),
        1,
        "the search goes now: {:?}",
        h.requests
    );
    let (id, operation) = h.last_request();
    assert_eq!(id, h.in_flight(), "it is the search the spinner waits for");
    assert!(matches!(operation, Operation::Show { .. }), "{operation:?}");
    assert!(h.app.logging_in.is_none());
    h.answer_token(support::demo_token_in("EFFECTIVE"));
    assert!(h.app.token.is_some(), "the answer opens the token");
    assert_eq!(h.request_count(), 1, "sent once");
}

#[test]
fn only_the_last_of_two_searches_goes_and_a_cancelled_one_not_at_all() {
    let (mut h, log_in) = logging_in();
    h.search("11111111111");
    h.search(CODE);
    h.answer_to(log_in, Ok(Reply::LoggedIn));
    assert_eq!(h.request_count(), 1, "{:?}", h.requests);
    let (_, operation) = h.last_request();
    assert!(format!("{operation:?}").contains(CODE), "{operation:?}");

    let (mut h, log_in) = logging_in();
    h.search(CODE);
    h.press(KeyCode::Esc);
    assert!(h.app.pending.is_none(), "Esc cancelled the search");
    h.answer_to(log_in, Ok(Reply::LoggedIn));
    assert_eq!(h.request_count(), 0, "a cancelled search is not sent");
    assert_eq!(status(&h), "Cancelled.");
}

#[test]
fn the_log_in_and_the_searches_made_meanwhile_each_have_an_id_of_their_own() {
    // An id used twice would let one answer land where another was awaited.
    let (mut h, log_in) = logging_in();
    h.search("11111111111");
    let first = h.in_flight();
    h.search(CODE);
    let second = h.in_flight();
    let ids = [log_in, first, second];
    for (i, id) in ids.iter().enumerate() {
        assert!(!ids[i + 1..].contains(id), "an id used twice: {ids:?}");
    }
}

#[test]
fn a_failed_log_in_asks_the_console_to_end_with_its_error() {
    let (mut h, log_in) = logging_in();
    h.search(CODE);
    h.take();
    h.answer_to(log_in, Err(ApiError::invalid_credentials("")));
    let effects = h.take();
    assert!(
        matches!(
            effects.as_slice(),
            [Effect::LogInFailed(ApiError::InvalidCredentials { .. })]
        ),
        "{effects:?}"
    );
    assert_eq!(h.request_count(), 0, "the search never went");
}

#[test]
fn without_a_log_in_a_search_goes_at_once() {
    let mut h = Harness::new(80, 24);
    h.search(CODE);
    assert_eq!(h.request_count(), 1);
}
