//! The first frame comes first: the real binary in a pty against a simulator that answers
//! every request 2 s late. The search screen is on the terminal while the log-in is still
//! unanswered, a search typed meanwhile is sent once the session exists (once: the
//! simulator counts), and a refused log-in or an unreachable server ends the console on a
//! restored terminal with the same sentence and status as a log-in before the screen did.
#![cfg(unix)]

#[path = "support/pty.rs"]
mod pty;

use std::time::Duration;

use pty::{Console, LocalSimulator};

const LATENCY: Duration = Duration::from_secs(2);

#[test]
fn the_search_screen_shows_before_the_log_in_and_a_search_typed_meanwhile_goes_once() {
    let server = LocalSimulator::start(LATENCY);
    let mut console = Console::connected(80, 24, &server.url(), "demo");
    // The screen is up and says the log-in is under way: the simulator has not answered.
    console.wait_for("the search screen while logging in", |s| {
        s.contains("Search") && s.contains("Logging in to 127.0.0.1")
    });
    assert_eq!(server.stats().logins, 0, "the log-in was answered already");
    console.send("99021047380\r");
    console.wait_for("the search waiting for the session", |s| {
        s.contains("then: Looking up")
    });
    console.wait_for_text("AT0000000671  EFFECTIVE");
    let stats = server.stats();
    assert_eq!(stats.logins, 1, "{stats:?}");
    assert_eq!(stats.requests, 2, "one log-in and one search: {stats:?}");
    console.send("q");
    let status = console.wait_for_exit();
    assert!(status.success(), "{status:?}");
    console.assert_restored();
}

#[test]
fn refused_credentials_end_the_console_with_the_sentence_and_status_4() {
    let server = LocalSimulator::start(LATENCY);
    let mut console = Console::connected(80, 24, &server.url(), "not the password");
    console.wait_for_text("Logging in to 127.0.0.1");
    let status = console.wait_for_exit();
    assert_eq!(status.exit_code(), 4, "{status:?}");
    console.assert_restored();
    let text = console.text();
    assert!(
        text.contains("tokendesk: The server refused the username, password or organisation.")
            || text.contains("tokendesk: Log-in refused:"),
        "no sentence on the restored terminal:\n{text}"
    );
    assert_eq!(server.stats().logins, 0);
}

#[test]
fn an_unreachable_server_ends_the_console_with_status_3() {
    // A port nothing listens on: bound, then closed.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    let url = format!("http://127.0.0.1:{port}");
    let mut console = Console::connected(80, 24, &url, "demo");
    let status = console.wait_for_exit();
    assert_eq!(status.exit_code(), 3, "{status:?}");
    console.assert_restored();
    let text = console.text();
    assert!(text.contains("tokendesk: "), "no sentence:\n{text}");
}
