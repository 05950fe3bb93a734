//! A batch whose list comes on standard input (`--from -`), run by a clerk at a terminal:
//! standard input cannot answer the confirmation too, so it is asked on the terminal itself
//! (`/dev/tty`), as sudo and ssh ask; without a terminal, `--yes` is needed.
#![cfg(unix)]

#[allow(dead_code)]
use crate::support::pty;

use pty::Terminal;

const TOKENDESK: &str = env!("CARGO_BIN_EXE_tokendesk");

/// `printf CODE | tokendesk --demo deactivate --from -` typed at a shell in a terminal,
/// then the status it ended with.
fn piped_batch(home: &std::path::Path) -> Terminal {
    let script = format!(
        "printf '99021047380\\n' | '{TOKENDESK}' --demo deactivate --from -; echo status=$?"
    );
    Terminal::start_program("/bin/sh", 160, 24, home, &["-c", &script], &[])
}

#[test]
fn a_list_on_standard_input_is_confirmed_on_the_terminal() {
    let home = tempfile::tempdir().expect("temp dir");
    let mut terminal = piped_batch(home.path());
    terminal.wait_for_text("[y/N]");
    let asked = terminal.text();
    assert!(
        asked.contains("Deactivate 1 access token on ") && asked.contains("(demo simulator)?"),
        "{asked}"
    );
    terminal.send("y\r");
    terminal.wait_for_text("status=0");
    assert!(
        terminal.text().contains("Deactivated 1 of 1 token."),
        "{}",
        terminal.text()
    );
}

#[test]
fn no_on_the_terminal_sends_nothing() {
    let home = tempfile::tempdir().expect("temp dir");
    let mut terminal = piped_batch(home.path());
    terminal.wait_for_text("[y/N]");
    terminal.send("n\r");
    terminal.wait_for_text("status=5");
    assert!(
        terminal
            .text()
            .contains("Not confirmed; no token was deactivated."),
        "{}",
        terminal.text()
    );
}

/// `tokendesk --demo delete --acr ACR0000000071`: of its five tokens one is NOT_EFFECTIVE.
/// The confirmation names and counts only that one, and says how many are left out and
/// why; the summary does not call them refused.
#[test]
fn a_batch_confirms_only_what_it_will_send_and_says_what_it_leaves_out() {
    let home = tempfile::tempdir().expect("temp dir");
    let script = format!("'{TOKENDESK}' --demo delete --acr ACR0000000071; echo status=$?");
    let mut terminal =
        Terminal::start_program("/bin/sh", 200, 24, home.path(), &["-c", &script], &[]);
    terminal.wait_for_text("to confirm:");
    let asked = terminal.text();
    assert!(
        asked.contains("Delete 1 access token of accounts receivable ACR0000000071 on ")
            && asked.contains(
                "? 4 are left out: 2 EFFECTIVE: needs NOT_EFFECTIVE, 2 PENDING_VERIFICATION: needs NOT_EFFECTIVE."
            )
            && asked.contains("Type the number of tokens (1) to confirm:"),
        "{asked}"
    );
    terminal.send("1\r");
    terminal.wait_for_text("status=");
    let said = terminal.text();
    assert!(
        said.contains(
            "Deleted 1 of 5 tokens: 4 left out (2 EFFECTIVE: needs NOT_EFFECTIVE, 2 PENDING_VERIFICATION: needs NOT_EFFECTIVE)."
        ) && !said.contains("refused"),
        "{said}"
    );
    // Not every token is as asked: the status says so, as README's table has it.
    assert!(said.contains("status=1"), "{said}");
}
