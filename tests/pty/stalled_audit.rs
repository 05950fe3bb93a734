//! An audit log that does not answer must not freeze the console. The real binary in a
//! pseudo-terminal, its audit log held locked by another process: the audit writer takes
//! an exclusive `flock` on the log for each line (so consoles sharing a log never tear a
//! line), and this test holds that lock, so the writer waits as it would behind a stuck
//! process or a hung network filesystem. A FIFO would block too, but the audit log refuses
//! what is not a regular file, and a lock is what a real log can wait on. Meanwhile keys,
//! drawing and signals answer; the status bar says what is awaited; nothing is revealed or
//! sent before its record is on disk.

#[allow(dead_code)]
use crate::support::pty;

use std::fs::File;
use std::os::fd::AsRawFd;
use std::path::Path;

use pty::Terminal;

/// AT0000000716 of the demo: its verification code 294751 masked.
const MASKED: &str = "99029319146";

/// AT0000000671 of the demo: EFFECTIVE.
const EFFECTIVE: &str = "99021047380";

/// Holds an exclusive lock on the (new) file at `path` until dropped.
fn hold_locked(path: &Path) -> File {
    let file = File::create(path).expect("the log is created");
    // SAFETY: `flock` on a descriptor of a file this function owns.
    let locked = unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX) };
    assert_eq!(locked, 0, "the test holds the log's lock");
    file
}

/// The demo console at 80x24 writing its audit log to `log`, the token `code` open, once
/// `shown` is on screen.
fn console_on(home: &Path, log: &Path, code: &str, shown: &str) -> Terminal {
    let log = log.to_str().expect("a UTF-8 temporary path");
    let mut console = Terminal::start(
        80,
        24,
        home,
        &["--demo", "--audit-log", log],
        &[("LC_ALL", "C.UTF-8")],
    );
    console.wait_for_text("Find an access token");
    console.send(&format!("{code}\r"));
    console.wait_for_text(shown);
    console
}

#[test]
fn a_stalled_audit_log_leaves_keys_drawing_and_signals_answering() {
    for quit in ["q", "Ctrl-C", "SIGTERM", "SIGHUP"] {
        let home = tempfile::tempdir().expect("temp dir");
        let log = home.path().join("audit.jsonl");
        let held = hold_locked(&log);
        let mut console = console_on(home.path(), &log, MASKED, "••••51");
        console.send("v");
        console.wait_for_text("Writing the reveal of AT0000000716 to the audit log");
        // Keys still move and draw: the help opens and closes.
        console.send("?");
        console.wait_for_text("Keys");
        console.send("\x1b");
        console.wait_for("the help closed", |s| !s.contains("Keys"));
        // `v` again asks for no second record, and says what it waits for.
        console.send("v");
        console.wait_for_text("Still waiting for the audit log");
        assert!(!console.text().contains("294751"), "{}", console.text());
        assert!(!console.text().contains("REVEALED"), "{}", console.text());
        let expected = match quit {
            "q" => {
                console.send("q");
                Some(0)
            }
            "Ctrl-C" => {
                console.send("\x03");
                Some(0)
            }
            "SIGTERM" => {
                console.signal(libc::SIGTERM);
                Some(0)
            }
            _ => {
                console.signal(libc::SIGHUP);
                Some(u32::from(tokendesk::exit::TERMINAL_LOST))
            }
        };
        let status = console.wait_for_exit();
        assert_eq!(Some(status.exit_code()), expected, "{quit}");
        drop(held);
    }
}

#[test]
fn an_action_waiting_for_a_stalled_audit_log_says_so_sends_nothing_and_can_be_left() {
    let home = tempfile::tempdir().expect("temp dir");
    let log = home.path().join("audit.jsonl");
    let held = hold_locked(&log);
    let mut console = console_on(
        home.path(),
        &log,
        EFFECTIVE,
        "Authentication code 99021047380",
    );
    console.send("d");
    console.wait_for_live_key("y deactivate");
    console.send("y");
    console.wait_for_text("Audit log first: Deactivating AT0000000671");
    // Still waiting for the log, and the keys answer: the quit question, then quitting.
    console.send("q");
    console.wait_for_text("Quitting now sends nothing.");
    console.wait_for_live_key("y quit anyway");
    console.send("y");
    let status = console.wait_for_exit();
    assert!(status.success(), "{status:?}");
    drop(held);
    // Nothing was recorded, so nothing may have been sent: the demo's token is as it was.
    let text = std::fs::read_to_string(&log).expect("the log exists");
    assert!(!text.contains(r#""phase":"outcome""#), "{text}");
}

/// Esc on an action whose intent the audit log has not recorded yet: it is never sent, and
/// once the log answers, the intent is followed by an outcome saying so, so `tokendesk
/// audit` never shows an action nobody sent as NO OUTCOME.
#[test]
fn an_action_given_up_while_its_intent_waits_is_recorded_as_never_sent() {
    let home = tempfile::tempdir().expect("temp dir");
    let log = home.path().join("audit.jsonl");
    let held = hold_locked(&log);
    let mut console = console_on(
        home.path(),
        &log,
        EFFECTIVE,
        "Authentication code 99021047380",
    );
    console.send("d");
    console.wait_for_live_key("y deactivate");
    console.send("y");
    console.wait_for_text("Audit log first: Deactivating AT0000000671");
    // Cancelled, and the token read again (the notice of the cancel itself goes by fast).
    console.send("\x1b");
    console.wait_for_text("Not deactivated; it is EFFECTIVE");
    // The log answers: the intent is written, then its outcome.
    drop(held);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    let lines = loop {
        let text = std::fs::read_to_string(&log).expect("the log exists");
        if text.lines().filter(|l| l.contains(r#""phase":"#)).count() >= 2 {
            break text;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the intent and its outcome never came: {text}"
        );
        std::thread::sleep(std::time::Duration::from_millis(10));
    };
    console.send("q");
    assert!(console.wait_for_exit().success());
    let records: Vec<serde_json::Value> = lines
        .lines()
        .map(|line| serde_json::from_str::<serde_json::Value>(line).expect("a record"))
        // The action's lines: the session's have tests of their own.
        .filter(|record| record["event"] == "action")
        .collect();
    assert_eq!(records.len(), 2, "{lines}");
    assert_eq!(records[0]["phase"], "intent");
    assert_eq!(records[1]["phase"], "outcome");
    assert_eq!(records[1]["request"], records[0]["request"]);
    assert_eq!(records[1]["outcome"], "failed", "{lines}");
    assert_eq!(
        records[1]["reason"],
        "Never sent: given up while the audit log was recording its intent."
    );
}
