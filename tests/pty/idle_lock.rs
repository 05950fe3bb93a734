//! The idle lock through the real binary in a pty, where the demo test
//! (`e2e_pty::the_idle_lock_hides_the_token_until_the_demo_password_is_typed`) does not go:
//! a console started from a bare session token, which has no password to check, and five
//! wrong passwords, which end the console as a refused log-in does.
#![cfg(unix)]

use tempfile::TempDir;

use crate::support::audit_log;
use crate::support::local_simulator::LocalSimulator;
use crate::support::pty::Terminal;

const CODE: &str = "99021047380";
const NUMBER: &str = "AT0000000671";

/// A state and config directory whose config file locks the console after two seconds
/// without a key.
fn locking_in_two_seconds() -> TempDir {
    let home = tempfile::Builder::new()
        .prefix("tokendesk-lock-")
        .tempdir()
        .expect("temp dir");
    let dir = home.path().join("tokendesk");
    std::fs::create_dir_all(&dir).expect("config dir");
    std::fs::write(dir.join("config.toml"), "idle_lock = \"2s\"\n").expect("config written");
    home
}

#[test]
fn a_session_token_alone_is_unlocked_by_enter_and_the_audit_says_nobody_was_checked() {
    let server = LocalSimulator::start();
    let session = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime")
        .block_on(audit_log::session_token(server.simulator()));
    let home = locking_in_two_seconds();
    let url = server.url();
    let mut console = Terminal::start(
        80,
        24,
        home.path(),
        &["--url", &url],
        &[("TOKENDESK_SESSION_TOKEN", &session)],
    );
    console.open_and_wait_for_the_lock(CODE, NUMBER);
    console.wait_for_text("This session came from a session token");
    console.send("\r");
    console.wait_for_text(&format!("{NUMBER}  EFFECTIVE "));
    // Ctrl-C: whether or not it has locked again meanwhile.
    console.send("\x03");
    let status = console.wait_for_exit();
    assert!(status.success(), "{status:?}");
    console.assert_restored();
    let lines = audit_log::events(&audit_log::in_state_dir(home.path()));
    let unlock = lines
        .iter()
        .find(|line| line["event"] == "unlock")
        .unwrap_or_else(|| panic!("no unlock line: {lines:#?}"));
    assert_eq!(unlock["result"], "success");
    assert_eq!(unlock["detail"], tokendesk::audit::UNLOCK_UNCHECKED);
    let text = std::fs::read_to_string(home.path().join("tokendesk").join("audit.jsonl"))
        .expect("the audit log");
    assert!(
        !text.contains(&session),
        "the session token is in the audit log"
    );
}

#[test]
fn five_wrong_passwords_end_the_console_with_status_4_and_the_terminal_restored() {
    let home = locking_in_two_seconds();
    let mut console = Terminal::start(80, 24, home.path(), &["--demo"], &[]);
    console.open_and_wait_for_the_lock(CODE, NUMBER);
    for left in ["4 tries", "3 tries", "2 tries", "1 try"] {
        console.send("guess\r");
        console.wait_for_text(&format!("Wrong password; still locked. {left} left"));
    }
    console.send("guess\r");
    let status = console.wait_for_exit();
    assert_eq!(status.exit_code(), 4, "as a refused log-in: {status:?}");
    console.assert_restored();
    let text = console.text();
    assert!(
        text.contains("tokendesk: "),
        "no sentence on the restored terminal:\n{text}"
    );
    let refused = audit_log::events(&audit_log::in_state_dir(home.path()))
        .iter()
        .filter(|line| line["event"] == "unlock" && line["result"] == "failure")
        .count();
    assert_eq!(refused, 5);
}
