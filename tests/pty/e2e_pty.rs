//! The real binary in a pseudo-terminal: `tokendesk --demo` runs in a pty, its output goes
//! through a vt100 parser, and the tests type at it as a clerk would. Every wait polls the
//! parsed screen against a generous deadline (CI runs this beside everything else on two
//! cores); a missed deadline fails with the screen as it was. No sleep is an assertion.
//!
//! A machine without ptys (no /dev/ptmx) fails these tests loudly: they are the only proof
//! that the terminal is given back to the shell, so they must not skip themselves.
#![cfg(unix)]

use std::ops::{Deref, DerefMut};
use std::time::Duration;

use tempfile::TempDir;

use crate::support::pty::{TOKENDESK, Terminal, framed, run, screen_text};
use crate::support::{audit_log, local_simulator};
use local_simulator::LocalSimulator;

const CODE: &str = "99021047380";
const NUMBER: &str = "AT0000000671";

/// tokendesk in the pty harness, with a state directory of its own (its `XDG_STATE_HOME`,
/// config directory and working directory) that outlives the process.
struct Console {
    // First, so that the process has ended before its directory is removed.
    terminal: Terminal,
    state_dir: TempDir,
}

impl Deref for Console {
    type Target = Terminal;

    fn deref(&self) -> &Terminal {
        &self.terminal
    }
}

impl DerefMut for Console {
    fn deref_mut(&mut self) -> &mut Terminal {
        &mut self.terminal
    }
}

impl Console {
    /// `tokendesk --demo`, its simulator inside it.
    fn start(cols: u16, rows: u16) -> Console {
        Console::start_with(cols, rows, TOKENDESK, &["--demo"], &[])
    }

    /// `tokendesk --demo` started by a shell that ignores SIGHUP and does not pass it on
    /// (zsh with NO_HUP, a wrapper script with `trap '' HUP`). The kernel sends SIGHUP only
    /// to the session leader, so when this terminal is hung up, nothing but the terminal
    /// itself tells the console. The shell exits with the console's status.
    fn under_a_shell_that_keeps_sighup(cols: u16, rows: u16) -> Console {
        let script = r#"trap '' HUP; "$0" --demo; exit $?"#;
        Console::start_with(cols, rows, "sh", &["-c", script, TOKENDESK], &[])
    }

    /// The console logged in to the simulator at `url` as the demo clerk.
    fn connected(cols: u16, rows: u16, url: &str) -> Console {
        Console::logging_in(cols, rows, url, "demo")
    }

    /// The console logging in to the simulator at `url` as the demo clerk with `password`.
    fn logging_in(cols: u16, rows: u16, url: &str, password: &str) -> Console {
        Console::start_with(
            cols,
            rows,
            TOKENDESK,
            &[
                "--url",
                url,
                "--username",
                "clerk",
                "--organisation",
                "DEMO",
            ],
            &[("TOKENDESK_PASSWORD", password)],
        )
    }

    fn start_with(
        cols: u16,
        rows: u16,
        program: &str,
        args: &[&str],
        env: &[(&str, &str)],
    ) -> Console {
        Console::start_in(temp_dir(), cols, rows, program, args, env)
    }

    /// As [`Console::start_with`], with `state_dir` (an earlier run's) as its state.
    fn start_in(
        state_dir: TempDir,
        cols: u16,
        rows: u16,
        program: &str,
        args: &[&str],
        env: &[(&str, &str)],
    ) -> Console {
        let terminal = Terminal::start_program(program, cols, rows, state_dir.path(), args, env);
        Console {
            terminal,
            state_dir,
        }
    }

    /// The diagnostic log as far as it was written: `$XDG_STATE_HOME/tokendesk/tokendesk.log`.
    fn log(&self) -> String {
        let path = self
            .state_dir
            .path()
            .join("tokendesk")
            .join("tokendesk.log");
        std::fs::read_to_string(path).unwrap_or_default()
    }

    /// The audit log's lines about tokens as far as they were written:
    /// `$XDG_STATE_HOME/tokendesk/audit.jsonl`.
    fn audit(&self) -> Vec<serde_json::Value> {
        audit_log::records(&audit_log::in_state_dir(self.state_dir.path()))
    }

    /// Every line of the audit log, whatever its event.
    fn audit_events(&self) -> Vec<serde_json::Value> {
        audit_log::events(&audit_log::in_state_dir(self.state_dir.path()))
    }
}

fn temp_dir() -> TempDir {
    tempfile::Builder::new()
        .prefix("tokendesk-e2e-")
        .tempdir()
        .expect("temp dir")
}

/// The home screen is up: raw mode is on and the event loop reads keys.
fn ready(console: &mut Console) {
    console.wait_for_text("Find an access token");
    console.assert_raw();
}

#[test]
fn find_expand_deactivate_delete_and_quit() {
    let mut console = Console::start(80, 24);
    ready(&mut console);

    console.send(&format!("{CODE}\r"));
    console.wait_for("the token with its state", |s| {
        // "EFFECTIVE" alone would also match NOT_EFFECTIVE: the header's own spacing.
        s.contains(&format!("{NUMBER}  EFFECTIVE ")) && s.contains("Polina Kestora")
    });

    console.send("E");
    console.wait_for_text("Account owner");

    console.send("d");
    console.wait_for("the deactivate modal naming the token", |s| {
        s.contains("Deactivate access token") && s.contains(&format!("Token           {NUMBER}"))
    });
    console.wait_for_live_key("y deactivate");
    console.send("y");
    console.wait_for_text(&format!("{NUMBER}  NOT_EFFECTIVE"));

    console.send("X");
    console.wait_for("the delete modal asking for the number", |s| {
        s.contains("Delete access token") && s.contains(&format!("Type {NUMBER}"))
    });
    console.wait_for_live_key("Esc keeps the token");
    console.send(&format!("{NUMBER}\r"));
    console.wait_for_text(&format!("{NUMBER}  DELETED"));

    console.send("q");
    let status = console.wait_for_exit();
    assert!(status.success(), "q should exit with 0, got {status:?}");
    console.assert_restored();
}

#[test]
fn ctrl_c_from_the_search_line_quits_and_restores_the_terminal() {
    let mut console = Console::start(80, 24);
    ready(&mut console);
    console.send("abc");
    console.wait_for_text("Search abc");
    console.send("\x03");
    let status = console.wait_for_exit();
    assert!(
        status.success(),
        "Ctrl-C should exit with 0, got {status:?}"
    );
    console.assert_restored();
}

#[test]
fn sigterm_restores_the_terminal_and_exits() {
    let mut console = Console::start(80, 24);
    ready(&mut console);
    // On the token screen the cursor is hidden: the restore must show it again.
    console.send(&format!("{CODE}\r"));
    console.wait_for_text("Account ACR0000000069");
    // The text can be parsed before the escape that hides the cursor after it.
    console.wait_until("the cursor hidden", vt100::Screen::hide_cursor);
    console.signal(libc::SIGTERM);
    let status = console.wait_for_exit();
    assert!(
        status.success(),
        "SIGTERM ends the console cleanly, got {status:?}"
    );
    console.assert_restored();
}

#[test]
fn too_small_says_so_and_recovers_when_the_terminal_grows() {
    let mut console = Console::start(20, 5);
    console.wait_for("the too-small line", |s| {
        s.contains("Terminal too small") && s.contains("(20x5)")
    });
    assert!(console.alive(), "tokendesk died at 20x5");

    console.resize(80, 24);
    console.wait_for_text("Find an access token");
    console.wait_for_text("Search code");
    assert!(console.alive());

    // Too small again: q quits, as the line says, though the search line is focused.
    console.resize(20, 5);
    console.wait_for_text("Terminal too small");
    console.send("q");
    let status = console.wait_for_exit();
    assert!(
        status.success(),
        "q at 20x5 should exit with 0, got {status:?}"
    );
    console.assert_restored();
}

#[test]
fn command_letters_typed_in_the_search_line_are_just_text() {
    // On a token, where d, X, ? and q all act once the search line lets go of the keys.
    let mut console = Console::start(80, 24);
    ready(&mut console);
    console.send(&format!("{CODE}\r"));
    console.wait_for_text(&format!("{NUMBER}  EFFECTIVE "));
    console.send("/");
    // The emptied line shows its placeholder.
    console.wait_for_text(" Search code · ");
    console.send("dX?q");
    console.wait_for_text(" Search dX?q ");
    let text = console.text();
    assert!(
        !text.contains("access token"),
        "a letter opened an action's modal instead of being typed:\n{}",
        framed(&text)
    );
    assert!(
        !text.contains("Keys ("),
        "? opened the help instead of being typed:\n{}",
        framed(&text)
    );
    assert!(
        text.contains(&format!("{NUMBER}  EFFECTIVE ")),
        "still on the token:\n{}",
        framed(&text)
    );
    assert!(console.alive(), "q in the search line quit the console");
    // Still reading keys: Ctrl-C leaves.
    console.send("\x03");
    let status = console.wait_for_exit();
    assert!(status.success(), "{status:?}");
    console.assert_restored();
}

#[test]
fn dandy1_typed_into_an_effective_tokens_tree_sends_nothing() {
    // A clerk who believes the search line has the keyboard types into the tree: d opens the
    // confirmation, and the n, d, y after it must neither close, reopen nor answer it.
    let server = LocalSimulator::start();
    let mut console = Console::connected(80, 24, &server.url());
    ready(&mut console);
    console.send(&format!("{CODE}\r"));
    console.wait_for_text(&format!("{NUMBER}  EFFECTIVE "));
    console.send("dandy1");
    console.wait_for("the confirmation saying what it ignored", |s| {
        s.contains("Deactivate access token")
            && s.contains("Keys typed before this appeared were ignored: a n d y 1")
    });
    assert_eq!(server.actions(), 0, "the simulator saw an action request");
    // It stays open and answers only what is pressed after it could be read.
    console.wait_for_live_key("y deactivate");
    console.send("n");
    console.wait_for_text("Nothing was deactivated.");
    assert_eq!(server.actions(), 0);
    assert!(console.text().contains(&format!("{NUMBER}  EFFECTIVE ")));
    console.send("q");
    let status = console.wait_for_exit();
    assert!(status.success(), "{status:?}");
    console.assert_restored();
}

#[test]
fn a_token_deactivated_by_the_command_line_ends_with_its_fresh_state_on_screen() {
    let server = LocalSimulator::start();
    let url = server.url();
    let mut console = Console::connected(80, 24, &url);
    ready(&mut console);
    console.send(&format!("{CODE}\r"));
    console.wait_for_text(&format!("{NUMBER}  EFFECTIVE "));

    // Another clerk deactivates it from the command line, under the console's feet.
    let elsewhere = run(std::process::Command::new(TOKENDESK)
        .args([
            "--url",
            &url,
            "--username",
            "clerk",
            "--organisation",
            "DEMO",
        ])
        .args(["deactivate", CODE, "--yes"])
        .env("TOKENDESK_PASSWORD", "demo")
        .env("XDG_STATE_HOME", console.state_dir.path()));
    assert!(elsewhere.status.success(), "{elsewhere:?}");
    assert_eq!(server.actions(), 1);
    assert!(
        console.text().contains(&format!("{NUMBER}  EFFECTIVE ")),
        "the console does not know yet"
    );

    console.send("d");
    console.wait_for_live_key("y deactivate");
    console.send("y");
    console.wait_for("the fresh state on screen, in one sentence", |s| {
        s.contains(&format!("{NUMBER}  NOT_EFFECTIVE "))
            && s.contains("AT0000000671: Not deactivated: it is NOT_EFFECTIVE now")
    });
    let text = console.text();
    assert!(!text.contains("INVALID_LIFE_CYCLE"), "{}", framed(&text));
    assert_eq!(
        server.actions(),
        2,
        "the console sent its action once and did not repeat it"
    );
    console.send("q");
    let status = console.wait_for_exit();
    assert!(status.success(), "{status:?}");
    console.assert_restored();
}

/// The console connected to `server`, listing ACR0000000071: AT0000000709 and 712
/// EFFECTIVE, 716 and 719 PENDING_VERIFICATION, 723 NOT_EFFECTIVE.
fn on_account_71(server: &LocalSimulator) -> Console {
    let mut console = Console::connected(80, 24, &server.url());
    ready(&mut console);
    console.send("acr:ACR0000000071\r");
    console.wait_for_text("AT0000000716 PENDING_VERIFICATION");
    console
}

/// Marking three rows of an account and deactivating them as one batch, in the real
/// console against a simulator that counts the actions it receives: the two EFFECTIVE
/// tokens are deactivated, the PENDING_VERIFICATION one is left out without a request (the
/// confirmation said so, and the summary does not call it refused), and every audit line
/// names the one batch.
#[test]
fn marking_three_rows_and_deactivating_them_as_one_batch() {
    let server = LocalSimulator::start();
    let mut console = on_account_71(&server);
    console.send("   ");
    console.wait_for_text("3 marked.");
    console.send("d");
    console.wait_for("the batch's confirmation", |s| {
        s.contains("Deactivate access tokens")
            && s.contains("To deactivate   2 tokens")
            && s.contains("AT0000000709, AT0000000712")
            && s.contains("1 PENDING_VERIFICATION: needs EFFECTIVE")
    });
    assert_eq!(server.actions(), 0, "asking sends nothing");
    console.wait_for_live_key("y deactivate 2");
    console.send("y");
    console.wait_for("the batch's summary", |s| {
        s.contains("Deactivated 2 of 3 tokens: 1 left out (1 PENDING_VERIFICATION: needs")
    });
    let text = console.text();
    for row in [
        "AT0000000709 NOT_EFFECTIVE        done",
        "AT0000000712 NOT_EFFECTIVE        done",
        "AT0000000716 PENDING_VERIFICATION left out",
    ] {
        assert!(text.contains(row), "{row:?} in\n{}", framed(&text));
    }
    assert_eq!(
        server.actions(),
        2,
        "one action per token the batch changed"
    );
    let audit = console.audit();
    assert_eq!(
        audit.len(),
        4,
        "an intent and an outcome per action: {audit:?}"
    );
    let batch = &audit[0]["batch"];
    assert!(batch.is_string(), "{audit:?}");
    assert!(
        audit.iter().all(|line| &line["batch"] == batch),
        "{audit:?}"
    );
    // Back to the page: the new states, and the token left out still marked.
    console.send("\x1b");
    console.wait_for_text("1 marked.");
    let text = console.text();
    assert!(
        text.contains(" AT0000000709 NOT_EFFECTIVE") && text.contains("*AT0000000716"),
        "{}",
        framed(&text)
    );
    console.send("q");
    assert!(console.wait_for_exit().success());
    console.assert_restored();
}

/// `v` in the real console: the event loop writes the reveal's audit line (without the
/// data) before the value shows, and a log it cannot write refuses the reveal.
#[test]
fn v_reveals_after_the_audit_line_is_written() {
    // AT0000000716: verification code 294751, at the token's top level.
    let code = "99029319146";
    let mut console = Console::start_with(80, 24, TOKENDESK, &["--demo"], &[("LC_ALL", "C.UTF-8")]);
    ready(&mut console);
    console.send(&format!("{code}\r"));
    console.wait_for("the masked verification code", |s| s.contains("••••51"));
    assert!(!console.text().contains("294751"));
    console.send("v");
    console.wait_for("the code in clear and REVEALED", |s| {
        s.contains("294751") && s.contains("REVEALED")
    });
    let log = console
        .state_dir
        .path()
        .join("tokendesk")
        .join("audit.jsonl");
    let text = std::fs::read_to_string(&log).expect("the audit log was written");
    let lines: Vec<&str> = text.lines().filter(|l| l.contains(r#""token":"#)).collect();
    assert_eq!(lines.len(), 1, "{text}");
    assert!(lines[0].contains(r#""event":"reveal""#), "{text}");
    assert!(lines[0].contains("AT0000000716"), "{text}");
    assert!(!lines[0].contains("294751"), "{text}");
    console.send("q");
    assert!(console.wait_for_exit().success());

    let mut refused = Console::start_with(
        80,
        24,
        TOKENDESK,
        &["--demo", "--audit-log", "/dev/full"],
        &[("LC_ALL", "C.UTF-8")],
    );
    ready(&mut refused);
    refused.send(&format!("{code}\r"));
    refused.wait_for("the masked verification code", |s| s.contains("••••51"));
    refused.send("v");
    refused.wait_for_text("nothing was revealed");
    let screen = refused.text();
    assert!(
        !screen.contains("294751") && !screen.contains("REVEALED"),
        "{screen}"
    );
    refused.send("q");
    assert!(refused.wait_for_exit().success());
}

/// The exit status of a console whose terminal went away.
const TERMINAL_LOST: u32 = tokendesk::exit::TERMINAL_LOST as u32;

/// How long the slow simulator holds every answer: long enough that a step of the test
/// (a quit prompt starting to take keys, a hang-up) surely happens while the action is
/// still in flight, even on a loaded machine. Every request pays it, the log-in included.
const IN_FLIGHT: Duration = Duration::from_secs(4);

/// The clerk hung up (the master side closed) with `console` as it is: it ends with the
/// lost-terminal status, not a panic (101), and its log says why. Nothing it printed could
/// be read any more; the status is what shows that nothing panicked trying.
fn assert_a_hang_up_ends_quietly(console: &mut Console) -> String {
    console.hang_up();
    let status = console.wait_for_exit();
    let log = console.log();
    assert_eq!(
        status.exit_code(),
        TERMINAL_LOST,
        "a lost terminal ends with its own status: {status:?}; the log:\n{log}"
    );
    assert!(
        log.contains("the terminal is gone"),
        "the log does not say the terminal is gone:\n{log}"
    );
    log
}

#[test]
fn a_hang_up_with_a_token_on_screen_ends_quietly_with_status_8() {
    let mut console = Console::start(80, 24);
    ready(&mut console);
    console.send(&format!("{CODE}\r"));
    console.wait_for_text(&format!("{NUMBER}  EFFECTIVE "));
    assert_a_hang_up_ends_quietly(&mut console);
}

#[test]
fn a_hang_up_without_a_sighup_is_noticed_all_the_same() {
    let mut console = Console::under_a_shell_that_keeps_sighup(80, 24);
    ready(&mut console);
    // The home screen: nothing in flight, nothing to draw, so no failed write tells either.
    assert_a_hang_up_ends_quietly(&mut console);
}

#[test]
fn a_hang_up_with_a_results_page_on_screen_ends_quietly_with_status_8() {
    let mut console = Console::start(80, 24);
    ready(&mut console);
    console.send("acr:ACR0000000071\r");
    console.wait_for_text("accounts receivable ACR0000000071: tokens 1-5 of 5.");
    assert_a_hang_up_ends_quietly(&mut console);
}

/// The clerk's deactivation of the demo token, sent to a slow simulator and on its way.
fn deactivation_in_flight(server: &LocalSimulator) -> Console {
    let mut console = Console::connected(80, 24, &server.url());
    ready(&mut console);
    console.send(&format!("{CODE}\r"));
    console.wait_for_text(&format!("{NUMBER}  EFFECTIVE "));
    console.send("d");
    console.wait_for_live_key("y deactivate");
    console.send("y");
    console.wait_for_text(&format!("Deactivating {NUMBER}…"));
    console
}

#[test]
fn a_hang_up_while_an_action_is_in_flight_waits_for_its_outcome_and_records_it() {
    let server = LocalSimulator::slow(IN_FLIGHT);
    let mut console = deactivation_in_flight(&server);
    let log = assert_a_hang_up_ends_quietly(&mut console);
    assert!(
        log.contains(&format!(
            "waiting for \"Deactivating {NUMBER}\" to finish before leaving"
        )),
        "the hang-up did not wait for the action in flight:\n{log}"
    );
    assert!(
        log.contains(&format!(
            "after the terminal was lost: {NUMBER}: Deactivated."
        )),
        "the action's outcome is not in the log:\n{log}"
    );
    assert_eq!(server.actions(), 1, "the simulator saw one action");
    let audit = console.audit();
    let phases: Vec<_> = audit
        .iter()
        .map(|line| (line["phase"].as_str(), line["outcome"].as_str()))
        .collect();
    assert_eq!(
        phases,
        [(Some("intent"), None), (Some("outcome"), Some("done"))],
        "the audit log holds the action and its outcome: {audit:?}"
    );
    assert_eq!(audit[1]["state"], "NOT_EFFECTIVE", "{audit:?}");
}

/// The link drops while a batch's actions are in flight: the batch sends nothing new, the
/// actions in flight are waited for and recorded, and the log ends with the summary.
#[test]
fn a_hang_up_mid_batch_sends_nothing_new_and_records_what_was_in_flight() {
    let server = LocalSimulator::slow(Duration::from_secs(2));
    let mut console = on_account_71(&server);
    console.send("*d");
    console.wait_for_live_key("y deactivate 2");
    console.send("y");
    console.wait_for("the two actions in flight", |s| {
        s.contains("AT0000000709 EFFECTIVE            sending")
            && s.contains("AT0000000712 EFFECTIVE            sending")
    });
    let log = assert_a_hang_up_ends_quietly(&mut console);
    assert!(
        log.contains("waiting for \"the batch's requests in flight\" to finish before leaving"),
        "the hang-up did not wait for the batch:\n{log}"
    );
    assert!(
        log.contains(
            "after the terminal was lost: Deactivated 2 of 5 tokens: 3 left out (1 already NOT_EFFECTIVE, 2 PENDING_VERIFICATION: needs EFFECTIVE)."
        ),
        "the batch's summary is not in the log:\n{log}"
    );
    assert_eq!(server.actions(), 2);
    let outcomes: Vec<_> = console
        .audit()
        .iter()
        .filter_map(|line| line["outcome"].as_str().map(str::to_owned))
        .collect();
    assert_eq!(outcomes, ["done", "done"], "both recorded done");
}

#[test]
fn quitting_while_an_action_is_in_flight_says_its_outcome_is_unknown_and_how_to_check() {
    let server = LocalSimulator::slow(IN_FLIGHT);
    let mut console = deactivation_in_flight(&server);
    console.send("q");
    console.wait_for_text("Quitting now leaves its outcome unknown.");
    console.wait_for_live_key("y quit anyway");
    console.send("y");
    let status = console.wait_for_exit();
    // The command line's status for an unknown outcome, and on the restored terminal the
    // token with the command that checks it.
    assert_eq!(status.exit_code(), 3, "{status:?}");
    console.assert_restored();
    console.wait_for_text("The console ended with the outcome of 1 action not known; check it:");
    console.wait_for_text(&format!(
        "{NUMBER}  code {CODE}  deactivate: tokendesk show {CODE}"
    ));
    let log = console.log();
    assert!(
        log.contains(&format!(
            "quit while \"Deactivating {NUMBER}\" was in flight: its outcome is unknown"
        )),
        "the log does not say the quit left the outcome unknown:\n{log}"
    );
}

#[test]
fn a_resize_storm_loses_no_key_and_ends_drawn_at_its_last_size() {
    let mut console = Console::start(80, 24);
    ready(&mut console);
    // 2,000 resizes, as fast as the pty takes them, in 20 gusts: too small, huge, and sizes
    // in between. Each gust ends with a size that fits and a key right behind it, and
    // nothing else is sent until the key shows: a key that arrives with a resize and is
    // not read at once would wait for the next input, which never comes. (crossterm's
    // default input source does that; on a loaded machine this test catches it in most
    // runs, which is why tokendesk uses its `use-dev-tty` source.)
    let sizes = [(1, 1), (200, 60), (20, 5), (41, 11), (120, 40), (39, 9)];
    let last_sizes = [(100, 30), (90, 26)];
    let keys = "abcdefghijklmnopqrst";
    let mut typed = String::new();
    for (gust, key) in keys.chars().enumerate() {
        for &(cols, rows) in sizes.iter().cycle().skip(gust).take(99) {
            console.resize(cols, rows);
        }
        let (cols, rows) = last_sizes[gust % 2];
        console.resize(cols, rows);
        console.send(&key.to_string());
        typed.push(key);
        let line = format!(" Search {typed} ");
        console.wait_for(&format!("{line:?} at {cols}x{rows}"), |s| {
            let lines: Vec<&str> = s.split('\n').collect();
            lines.len() == usize::from(rows)
                && lines[0].starts_with(&line)
                // The header's badge ends one column before the right edge, as at any width.
                && lines[0].trim_end().ends_with("DEMO")
                && lines[0].trim_end().chars().count() == usize::from(cols) - 1
                // The key line is the second-last row.
                && lines[usize::from(rows) - 2].contains("Esc leave the line")
        });
    }
    assert!(console.alive(), "tokendesk died in the storm");
    console.send("\x03");
    let status = console.wait_for_exit();
    assert!(status.success(), "{status:?}");
    console.assert_restored();
}

#[test]
fn a_100_kb_paste_is_cut_to_the_search_line_and_the_console_answers_keys_after_it() {
    let max = tokendesk::console::app::SEARCH_LINE_MAX_CHARS;
    let mut console = Console::start(80, 24);
    ready(&mut console);
    // The line keeps the paste's first `max` characters, the last of them "bcdefg": the
    // cursor ends after them, so the line shows them and no "h" of what was cut.
    let paste = format!("{}bcdefg{}", "a".repeat(max - 6), "h".repeat(100 * 1024));
    console.send(&format!("\x1b[200~{paste}\x1b[201~"));
    console.wait_for("the cut line and the sentence saying so", |s| {
        s.contains(&format!(
            "The paste was cut: a search line holds at most {max} characters."
        )) && s.lines().next().is_some_and(|line| {
            line.starts_with(" Search aaa") && line.contains("aabcdefg ") && !line.contains("gh")
        })
    });
    // Ctrl-U clears the line; the search after it works.
    console.send(&format!("\x15{CODE}\r"));
    console.wait_for_text(&format!("{NUMBER}  EFFECTIVE "));
    console.send("q");
    let status = console.wait_for_exit();
    assert!(status.success(), "{status:?}");
    console.assert_restored();
}

// ---- the first frame comes first ----------------------------------------------------------
// Against a simulator that answers every request 2 s late: the search screen is on the
// terminal while the log-in is unanswered, a search typed meanwhile is sent once the session
// exists, and a refused log-in or an unreachable server ends the console on a restored
// terminal with the sentence and status a log-in before the screen gave.

/// How late the simulator answers in the first-frame tests.
const LOG_IN_LATENCY: Duration = Duration::from_secs(2);

#[test]
fn the_search_screen_shows_before_the_log_in_and_a_search_typed_meanwhile_goes_once() {
    let server = LocalSimulator::slow(LOG_IN_LATENCY);
    let mut console = Console::connected(80, 24, &server.url());
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
    let server = LocalSimulator::slow(LOG_IN_LATENCY);
    let mut console = Console::logging_in(80, 24, &server.url(), "not the password");
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
    // The refusal is in the audit log, with the sentence the clerk read and no password.
    let events = console.audit_events();
    let login = events
        .iter()
        .find(|line| line["event"] == "login")
        .unwrap_or_else(|| panic!("no login line: {events:#?}"));
    assert_eq!(login["result"], "failure");
    assert_eq!(login["operator"], "clerk");
    let detail = login["detail"].as_str().expect("the reason");
    assert!(
        text.contains(detail),
        "the reason is the sentence the clerk read: {detail:?}\n{text}"
    );
    let audit = std::fs::read_to_string(console.state_dir.path().join("tokendesk/audit.jsonl"))
        .expect("the audit log");
    assert!(
        !audit.contains("not the password"),
        "the password is in the audit log:\n{audit}"
    );
}

#[test]
fn an_unreachable_server_ends_the_console_with_status_3() {
    // A port nothing listens on: bound, then closed.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    let url = format!("http://127.0.0.1:{port}");
    let mut console = Console::connected(80, 24, &url);
    let status = console.wait_for_exit();
    assert_eq!(status.exit_code(), 3, "{status:?}");
    console.assert_restored();
    let text = console.text();
    assert!(text.contains("tokendesk: "), "no sentence:\n{text}");
}

/// An audit log that is a symbolic link: the console refuses the action with the sentence
/// after the clerk confirms it, sends nothing (the token stays EFFECTIVE) and never writes
/// through the link; the reveal is refused the same way.
#[test]
fn a_symlinked_audit_log_refuses_every_action_with_the_sentence() {
    let dir = tempfile::tempdir().expect("temp dir");
    let elsewhere = dir.path().join("elsewhere.txt");
    std::fs::write(&elsewhere, "precious\n").expect("written");
    let link = dir.path().join("audit.jsonl");
    std::os::unix::fs::symlink(&elsewhere, &link).expect("a link");
    let link = link.display().to_string();
    let mut console = Console::start_with(
        80,
        24,
        TOKENDESK,
        &["--demo", "--audit-log", &link],
        &[("LC_ALL", "C.UTF-8")],
    );
    ready(&mut console);
    console.send(&format!("{CODE}\r"));
    console.wait_for_text(&format!("{NUMBER}  EFFECTIVE "));
    console.send("d");
    console.wait_for_live_key("y deactivate");
    console.send("y");
    console.wait_for("the refusal", |s| {
        s.contains(&format!("{NUMBER}: Cannot write to the audit log"))
            && s.contains("symbolic link")
    });
    assert!(console.text().contains(&format!("{NUMBER}  EFFECTIVE ")));
    // AT0000000716 holds a verification code to reveal.
    console.send("/99029319146\r");
    console.wait_for("the masked verification code", |s| s.contains("••••51"));
    console.send("v");
    console.wait_for_text("nothing was revealed");
    console.send("q");
    assert!(console.wait_for_exit().success());
    assert_eq!(
        std::fs::read_to_string(&elsewhere).expect("still there"),
        "precious\n"
    );
}

/// `--mouse`: the terminal is asked for presses and the wheel in the SGR encoding (1000,
/// 1006, not every motion); Ctrl-T switches it off and on, saying which on the status
/// line; quitting switches it off.
#[test]
fn mouse_reporting_is_asked_for_switched_by_its_key_and_switched_off_on_exit() {
    use vt100::{MouseProtocolEncoding, MouseProtocolMode};
    let reporting = |screen: &vt100::Screen| {
        screen.mouse_protocol_mode() == MouseProtocolMode::PressRelease
            && screen.mouse_protocol_encoding() == MouseProtocolEncoding::Sgr
    };
    let off = |screen: &vt100::Screen| {
        screen.mouse_protocol_mode() == MouseProtocolMode::None
            && screen.mouse_protocol_encoding() == MouseProtocolEncoding::Default
    };
    let mut console = Console::start_with(80, 24, TOKENDESK, &["--demo", "--mouse"], &[]);
    ready(&mut console);
    console.wait_until("mouse reporting on", reporting);
    // A wheel turn and a click, in the SGR encoding, on the home screen: nothing breaks.
    console.send("\x1b[<65;10;10M\x1b[<0;10;10M\x1b[<0;10;10m");
    console.send("\x14");
    console.wait_until("mouse reporting off", |s| {
        off(s) && screen_text(s).contains("Mouse off")
    });
    console.send("\x14");
    console.wait_until("mouse reporting on again", |s| {
        reporting(s) && screen_text(s).contains("Mouse on")
    });
    console.send("\x03");
    let status = console.wait_for_exit();
    assert!(status.success(), "{status:?}");
    assert!(
        console.screen(off),
        "mouse reporting left on after the exit"
    );
    console.assert_restored();
}

/// SIGHUP (a terminal window closed, sshd's hang-up) switches mouse reporting off with the
/// rest of the terminal's modes before the console ends with the lost-terminal status: a
/// terminal that outlives the console (tmux, a shell that keeps the pty) gets no escape
/// sequences for its clicks.
#[test]
fn sighup_switches_mouse_reporting_off() {
    let mut console = Console::start_with(80, 24, TOKENDESK, &["--demo", "--mouse"], &[]);
    ready(&mut console);
    console.wait_until("mouse reporting on", |s| {
        s.mouse_protocol_mode() == vt100::MouseProtocolMode::PressRelease
    });
    console.signal(libc::SIGHUP);
    let status = console.wait_for_exit();
    assert_eq!(
        status.exit_code(),
        TERMINAL_LOST,
        "{status:?}\n{}",
        console.log()
    );
    let mode = console.screen(|s| s.mouse_protocol_mode());
    assert_eq!(mode, vt100::MouseProtocolMode::None, "left on after SIGHUP");
    console.assert_restored();
}

/// Without `--mouse` the terminal is never asked to report the mouse.
#[test]
fn without_mouse_the_terminal_keeps_its_own_selection() {
    let mut console = Console::start(80, 24);
    ready(&mut console);
    let mode = console.screen(|s| s.mouse_protocol_mode());
    assert_eq!(mode, vt100::MouseProtocolMode::None);
    console.send("\x03");
    console.wait_for_exit();
}

#[test]
fn a_token_opened_in_one_run_is_listed_in_the_next_and_ctrl_r_opens_it() {
    let mut first = Console::start(80, 24);
    ready(&mut first);
    first.send("testpassnew1\r");
    first.wait_for_text("35  NOT_EFFECTIVE");
    first.send("q");
    assert!(first.wait_for_exit().success());
    // The next run, with the same state directory.
    let state_dir = std::mem::replace(&mut first.state_dir, temp_dir());
    drop(first);
    let mut second = Console::start_in(state_dir, 80, 24, TOKENDESK, &["--demo"], &[]);
    ready(&mut second);
    second.wait_for("the home screen listing it", |s| {
        s.contains("Opened lately (Ctrl-r lists them all):")
            && s.contains("35           testpassnew1     NOT_EFFECTIVE")
    });
    second.send("\x12");
    second.wait_for_text("Filter: _");
    second.send("tstp\r");
    second.wait_for("the token opened by its code", |s| {
        s.contains("Search testpassnew1") && s.contains("35  NOT_EFFECTIVE")
    });
    second.send("q");
    assert!(second.wait_for_exit().success());
    second.assert_restored();
}

#[test]
fn the_idle_lock_hides_the_token_until_the_demo_password_is_typed() {
    let config_dir = temp_dir();
    let config = config_dir.path().join("config.toml");
    std::fs::write(&config, "idle_lock = \"2s\"\n").expect("config written");
    let config = config.to_str().expect("a UTF-8 path");
    let mut console = Console::start_with(80, 24, TOKENDESK, &["--demo", "--config", config], &[]);
    ready(&mut console);
    console.open_and_wait_for_the_lock(CODE, NUMBER);
    console.send("hunter3x\r");
    console.wait_for_text("Wrong password; still locked.");
    // Every byte the console wrote, the frames drawn while it was typed included.
    let written = String::from_utf8_lossy(&console.written()).into_owned();
    assert!(
        !written.contains("hunter3x"),
        "the password is never shown, not even while typed"
    );
    console.send("demo\r");
    console.wait_for_text(&format!("{NUMBER}  EFFECTIVE "));
    // Ctrl-C: whether or not it has locked again meanwhile.
    console.send("\x03");
    let status = console.wait_for_exit();
    assert!(status.success(), "{status:?}");
    console.assert_restored();
    let events: Vec<(String, String)> = console
        .audit_events()
        .iter()
        .filter(|line| line["event"] == "lock" || line["event"] == "unlock")
        .map(|line| {
            (
                line["event"].as_str().unwrap_or_default().to_owned(),
                line["result"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .take(3)
        .collect();
    let expected = [("lock", ""), ("unlock", "failure"), ("unlock", "success")]
        .map(|(event, result)| (event.to_owned(), result.to_owned()));
    assert_eq!(events, expected);
}
