//! The console in terminals it did not choose, end to end in a pty: without colour
//! (`NO_COLOR`), only bold, reverse and underline reach the terminal, and they still tell
//! the selected row from a state badge; in ASCII (`--ascii`, or a locale that is not UTF-8)
//! no byte above 127 does, borders, tree symbols and spinner included; a dumb terminal or
//! none at all is refused with a sentence.

// Shared with other tests, which use the parts this file does not.
#[allow(dead_code)]
use crate::support::pty;

use crate::support::local_simulator;

use std::time::Duration;

use local_simulator::LocalSimulator;

/// An accounts receivable with five ASCII-only tokens in the demo data.
const ACCOUNT: &str = "ACR0000000071";

fn console(
    server: &LocalSimulator,
    home: &std::path::Path,
    extra: &[&str],
    env: &[(&str, &str)],
) -> pty::Terminal {
    let url = server.url();
    let mut args = vec![
        "--url",
        &url,
        "--username",
        "clerk",
        "--organisation",
        "DEMO",
    ];
    args.extend_from_slice(extra);
    let mut all_env = vec![("TOKENDESK_PASSWORD", "demo")];
    all_env.extend_from_slice(env);
    let mut terminal = pty::Terminal::start(80, 24, home, &args, &all_env);
    terminal.wait_for_text("Find an access token");
    terminal
}

/// The SGR parameters of every `ESC [ ... m` in `bytes` that set a colour.
fn colour_escapes(bytes: &[u8]) -> Vec<String> {
    let mut found = Vec::new();
    let mut rest = bytes;
    while let Some(at) = rest.windows(2).position(|w| w == b"\x1b[") {
        rest = &rest[at + 2..];
        let end = rest
            .iter()
            .position(|b| !(b.is_ascii_digit() || *b == b';' || *b == b':'))
            .unwrap_or(rest.len());
        if rest.get(end) == Some(&b'm') {
            let params = String::from_utf8_lossy(&rest[..end]).into_owned();
            let colour = params.split([';', ':']).any(|p| {
                p.parse::<u16>()
                    .is_ok_and(|n| matches!(n, 30..=38 | 40..=48 | 90..=97 | 100..=107))
            });
            if colour {
                found.push(params);
            }
        }
    }
    found
}

#[test]
fn colour_escapes_are_recognised() {
    assert_eq!(
        colour_escapes(b"\x1b[1m\x1b[7mA\x1b[0m"),
        Vec::<String>::new()
    );
    assert_eq!(colour_escapes(b"\x1b[1;32mA"), ["1;32"]);
    assert_eq!(colour_escapes(b"\x1b[38;5;8mA"), ["38;5;8"]);
    assert_eq!(colour_escapes(b"\x1b[103mA"), ["103"]);
}

#[test]
fn without_colour_attributes_tell_the_selected_row_from_the_state_badges() {
    let server = LocalSimulator::start();
    let home = tempfile::tempdir().expect("a temporary directory");
    let mut console = console(&server, home.path(), &[], &[("NO_COLOR", "1")]);
    console.send(&format!("acr:{ACCOUNT}\r"));
    console.wait_for_text("tokens 1-5 of 5");
    // Move to the second row, so the first row's badge is on an unselected row.
    console.send("j");
    let start = std::time::Instant::now();
    while console_selected_row(&console) != Some(3) {
        assert!(
            start.elapsed() < pty::DEADLINE,
            "the second row never got selected:\n{}",
            console.text()
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    let escapes = colour_escapes(&console.written());
    assert!(
        escapes.is_empty(),
        "colour escapes without colour: {escapes:?}"
    );
    console.screen(|screen| {
        let text: Vec<String> = screen.rows(0, 80).collect();
        // The header is row 1, the tokens from row 2: the second token is row 3.
        let selected = screen.cell(3, 0).expect("a cell");
        assert!(
            selected.contents() == ">" && selected.bold(),
            "the selected row has a bold > before it:\n{}",
            text.join("\n")
        );
        let unselected = screen.cell(2, 0).expect("a cell");
        assert!(!unselected.has_contents() || unselected.contents() == " ");
        let state_column = text[2].find("EFFECTIVE").expect("a state badge on row 2") as u16;
        let badge = screen.cell(2, state_column).expect("a cell");
        assert!(
            badge.bold() && badge.underline() && !badge.inverse(),
            "the state badge is bold and underlined, not reverse:\n{}",
            text.join("\n")
        );
    });
}

/// The row with the pointer under the header, if any.
fn console_selected_row(console: &pty::Terminal) -> Option<u16> {
    console.screen(|screen| {
        (2..22).find(|&row| screen.cell(row, 0).is_some_and(|c| c.contents() == ">"))
    })
}

/// Searches an account (the spinner turns while the slow server answers), opens a token's
/// tree, the help with its border, and checks that every byte written was ASCII.
fn assert_only_ascii(extra: &[&str], env: &[(&str, &str)]) {
    // Slow enough that the spinner is drawn.
    let server = LocalSimulator::slow(Duration::from_millis(600));
    let home = tempfile::tempdir().expect("a temporary directory");
    let mut console = console(&server, home.path(), extra, env);
    console.send(&format!("acr:{ACCOUNT}\r"));
    console.wait_for("the ASCII spinner", |text| {
        ["| ", "/ ", "- ", "\\ "]
            .iter()
            .any(|frame| text.contains(&format!("{frame}Listing the tokens")))
    });
    console.wait_for_text("tokens 1-5 of 5");
    console.send("\r");
    console.wait_for_text("Life cycle state");
    console.wait_for("a closed branch", |text| text.contains(" > "));
    console.send("?");
    console.wait_for("the help's ASCII border", |text| text.contains("+-"));
    let written = console.written();
    if let Some(at) = written.iter().position(|b| *b > 127) {
        let around = &written[at.saturating_sub(60)..(at + 20).min(written.len())];
        panic!(
            "a byte above 127 reached the terminal, in {:?}; the screen:\n{}",
            String::from_utf8_lossy(around),
            console.text()
        );
    }
}

#[test]
fn ascii_asked_for_writes_no_byte_above_127() {
    assert_only_ascii(&["--ascii"], &[("LC_ALL", "C.UTF-8")]);
}

#[test]
fn a_locale_that_is_not_utf8_writes_no_byte_above_127() {
    assert_only_ascii(&[], &[("LC_ALL", "C"), ("LANG", "C")]);
}

#[test]
fn a_dumb_terminal_is_refused_with_a_sentence_pointing_to_the_command_line() {
    let home = tempfile::tempdir().expect("a temporary directory");
    let mut console = pty::Terminal::start(80, 24, home.path(), &["--demo"], &[("TERM", "dumb")]);
    console.wait_for_text("tokendesk show CODE");
    let status = console.wait_for_exit();
    assert_eq!(status.exit_code(), 2, "the usage status");
    let text = console.text();
    assert!(text.contains("TERM=dumb"), "{text}");
    assert!(text.contains("tokendesk show CODE"), "{text}");
    assert!(
        !String::from_utf8_lossy(&console.written()).contains("\x1b[?1049h"),
        "no alternate screen"
    );
}

#[test]
fn no_terminal_is_refused_with_a_sentence_pointing_to_the_command_line() {
    let output = pty::run(
        std::process::Command::new(pty::TOKENDESK)
            .arg("--demo")
            .env("TERM", "xterm-256color"),
    );
    assert_eq!(output.status.code(), Some(2));
    let error = String::from_utf8_lossy(&output.stderr);
    assert!(error.contains("needs a terminal"), "{error}");
    assert!(error.contains("tokendesk show CODE"), "{error}");
    assert!(output.stdout.is_empty());
}
