//! Ctrl-Z under a shell with job control, as a clerk uses it: the console gives the
//! terminal back (the alternate screen left), stops, and `fg` (SIGCONT) takes the terminal
//! again and redraws the whole screen.

// Shared with other tests, which use the parts this file does not.
#[allow(dead_code)]
use crate::support::pty;

use std::time::{Duration, Instant};

use crate::support::local_simulator;
use local_simulator::LocalSimulator;

/// The state letter of process `pid` (`T` stopped, `S` sleeping, ...), from /proc.
fn state(pid: u32) -> Option<char> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // "pid (comm) S ...": the comm may hold spaces, the state follows its last ')'.
    stat.rsplit_once(')')?.1.trim_start().chars().next()
}

/// The tokendesk that the shell `shell` started.
fn child_of(shell: u32) -> Option<u32> {
    std::fs::read_dir("/proc")
        .ok()?
        .flatten()
        .find_map(|entry| {
            let pid: u32 = entry.file_name().to_str()?.parse().ok()?;
            let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
            let (comm, rest) = stat.split_once(") ")?;
            let parent: u32 = rest.split_whitespace().nth(1)?.parse().ok()?;
            (parent == shell && comm.ends_with("(tokendesk")).then_some(pid)
        })
}

fn wait_until(what: &str, console: &pty::Terminal, condition: impl Fn() -> bool) {
    let start = Instant::now();
    while !condition() {
        assert!(
            start.elapsed() < pty::DEADLINE,
            "waited for {what}; the screen:\n{}",
            console.text()
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Interactive bash in a pty, its prompt on screen; `env` reaches what it runs.
fn shell(home: &std::path::Path, env: &[(&str, &str)]) -> pty::Terminal {
    let env: Vec<(&str, &str)> = [("LC_ALL", "C.UTF-8"), ("PS1", "shell$ ")]
        .into_iter()
        .chain(env.iter().copied())
        .collect();
    let mut console =
        pty::Terminal::start_program("bash", 80, 24, home, &["--norc", "--noprofile", "-i"], &env);
    console.wait_for_text("shell$");
    console
}

#[test]
fn ctrl_z_gives_the_terminal_back_and_stops_and_fg_redraws() {
    let home = tempfile::tempdir().expect("a temporary directory");
    let mut console = shell(home.path(), &[]);
    console.send(&format!("{} --demo\r", env!("CARGO_BIN_EXE_tokendesk")));
    console.wait_for_text("Find an access token");
    let shell = console.pid();
    wait_until("tokendesk under the shell", &console, || {
        child_of(shell).is_some()
    });
    let pid = child_of(shell).expect("tokendesk's pid");
    let before = console.written().len();

    console.send("\x1a");
    wait_until("tokendesk stopped", &console, || state(pid) == Some('T'));
    console.wait_for_text("Stopped");
    let given_back = console.written()[before..].to_vec();
    assert!(
        given_back.windows(8).any(|w| w == b"\x1b[?1049l"),
        "the alternate screen was not left"
    );
    assert!(
        !console.text().contains("Find an access token"),
        "the shell's screen is back:\n{}",
        console.text()
    );

    let stopped_at = console.written().len();
    console.send("fg\r");
    console.wait_for_text("Find an access token");
    wait_until("tokendesk running", &console, || state(pid) != Some('T'));
    let taken_again = console.written()[stopped_at..].to_vec();
    assert!(
        taken_again.windows(8).any(|w| w == b"\x1b[?1049h"),
        "the alternate screen was not entered again"
    );
    // The whole screen is drawn again, not only what changed: the status line is there.
    console.wait_for_text("clerk@DEMO");
    // Ctrl-C: the search line has the keyboard on the first screen.
    console.send("\x03");
    wait_until("tokendesk gone", &console, || {
        state(pid).is_none_or(|s| s == 'Z')
    });
}

/// A search sent just before Ctrl-Z is answered while the console is stopped; after `fg`
/// its answer is on screen, with nothing typed again.
#[test]
fn a_request_in_flight_at_ctrl_z_is_answered_on_screen_after_fg() {
    const LATENCY: Duration = Duration::from_millis(1500);
    let server = LocalSimulator::slow(LATENCY);
    let home = tempfile::tempdir().expect("a temporary directory");
    let mut console = shell(home.path(), &[("TOKENDESK_PASSWORD", "demo")]);
    console.send(&format!(
        "{} --url {} --username clerk --organisation DEMO\r",
        env!("CARGO_BIN_EXE_tokendesk"),
        server.url()
    ));
    console.wait_for_text("Find an access token");
    wait_until("the log-in answered", &console, || {
        server.stats().logins == 1 && !console.text().contains("Logging in")
    });
    let shell_pid = console.pid();
    let pid = child_of(shell_pid).expect("tokendesk's pid");

    console.send("99021047380\r");
    console.wait_for_text("Looking up");
    console.send("\x1a");
    wait_until("tokendesk stopped", &console, || state(pid) == Some('T'));
    // The search reached the server before the stop; let the server answer it while the
    // console cannot read.
    wait_until("the search at the server", &console, || {
        server.stats().requests >= 2
    });
    std::thread::sleep(LATENCY + Duration::from_millis(500));
    assert_eq!(state(pid), Some('T'), "still stopped while the answer came");

    console.send("fg\r");
    console.wait_for_text("AT0000000671  EFFECTIVE");
    assert_eq!(
        server.stats().requests,
        2,
        "one log-in and one search, none again"
    );
    console.send("q");
    wait_until("tokendesk gone", &console, || {
        state(pid).is_none_or(|s| s == 'Z')
    });
}
