//! Copying over SSH: `y` the selected value, `Y` the subtree as JSON, `c` a result's
//! authentication code, each asked of the event loop as `Effect::Copy` and written as an
//! OSC 52 sequence; personal data copied masked unless revealed; the status bar names what
//! was copied and its length, never its content.

// Shared with other tests, which use the parts this file does not.
use crate::support;
#[allow(dead_code)]
use crate::support::pty;

use serde_json::Value;
use support::{Harness, demo_tokens, not_effective_token, tokens_reply};
use tokendesk::console::app::Effect;

/// AT0000000671's authentication code.
const CODE: &str = "99021047380";

/// The demo token with a verification code at its top level (masked: `••••51`).
fn token_with_verification_code() -> Value {
    demo_tokens()
        .into_iter()
        .find(|t| t["number"] == "AT0000000716")
        .expect("the demo has AT0000000716")
}

/// Moves the cursor to the first visible row labelled `label`.
fn select_row(h: &mut Harness, label: &str) {
    for _ in 0..200 {
        let tree = &h.token().tree;
        if tree.selected().map(|id| tree.node(id).label.as_str()) == Some(label) {
            return;
        }
        h.key('j');
    }
    panic!("no row {label:?}");
}

/// The copies asked for since the last take, as (label, text).
fn copies(h: &mut Harness) -> Vec<(String, String)> {
    h.take()
        .into_iter()
        .filter_map(|effect| match effect {
            Effect::Copy { label, text } => Some((label, text)),
            _ => None,
        })
        .collect()
}

#[test]
fn y_copies_the_selected_value_and_says_what_and_how_long_never_the_content() {
    let mut h = Harness::new(80, 24);
    h.open(not_effective_token());
    select_row(&mut h, "Authentication code");
    h.take();
    h.key('y');
    assert_eq!(
        copies(&mut h),
        [("Authentication code".to_owned(), CODE.to_owned())]
    );
    let notice = h.notice();
    assert_eq!(notice, "Copied Authentication code (11 characters).");
    assert!(!notice.contains(CODE));
}

#[test]
fn a_masked_value_copies_masked_until_revealed() {
    let mut h = Harness::new(80, 24);
    h.open(token_with_verification_code());
    select_row(&mut h, "Verification code");
    h.take();
    h.key('y');
    let masked = copies(&mut h);
    assert_eq!(masked.len(), 1);
    assert!(masked[0].1.starts_with("••••"), "{masked:?}");
    h.key('v');
    h.take();
    h.key('y');
    let clear = copies(&mut h);
    assert!(!clear[0].1.contains('•'), "{clear:?}");
    assert!(clear[0].1.ends_with(&masked[0].1[masked[0].1.len() - 2..]));
}

#[test]
fn capital_y_copies_the_subtree_as_pretty_json_masked() {
    let mut h = Harness::new(80, 24);
    h.open(token_with_verification_code());
    h.take();
    // The first row is a leaf: Y gives its JSON.
    h.key('Y');
    let copied = copies(&mut h);
    assert_eq!(copied.len(), 1);
    assert!(copied[0].0.ends_with("as JSON"), "{copied:?}");
    // In the raw view, Y copies the whole token, masked.
    h.key('r');
    h.take();
    h.key('Y');
    let whole = copies(&mut h);
    let json: Value = serde_json::from_str(&whole[0].1).expect("the copy is JSON");
    assert_eq!(json["number"], "AT0000000716");
    assert!(
        json["verification_code"]
            .as_str()
            .is_some_and(|v| v.starts_with("••••")),
        "{json}"
    );
    assert!(whole[0].1.contains("\n  \""), "pretty, not one line");
}

#[test]
fn c_on_the_results_copies_the_selected_tokens_code() {
    let mut h = Harness::new(80, 24);
    h.search("acr:ACR0000000069");
    h.answer(Ok(tokens_reply(vec![not_effective_token()])));
    h.take();
    h.key('c');
    assert_eq!(
        copies(&mut h),
        [("the authentication code".to_owned(), CODE.to_owned())]
    );
}

#[test]
fn with_copying_off_nothing_is_written_and_the_bar_says_why() {
    let mut h = Harness::new(80, 24);
    h.app.copy = false;
    h.open(not_effective_token());
    h.take();
    h.key('y');
    assert!(copies(&mut h).is_empty());
    assert!(h.notice().contains("Copying is off"), "{}", h.notice());
}

#[test]
fn a_copy_too_big_for_a_terminal_is_refused_with_a_sentence() {
    let mut token = not_effective_token();
    token["notes"] = Value::String("x".repeat(80_000));
    let mut h = Harness::new(80, 24);
    h.open(token);
    select_row(&mut h, "Notes");
    h.take();
    h.key('y');
    assert!(copies(&mut h).is_empty());
    assert!(
        h.notice().starts_with("Not copied: Notes is 80000 bytes"),
        "{}",
        h.notice()
    );
}

#[test]
fn y_in_a_pty_writes_the_osc_52_sequence_of_the_value() {
    let home = tempfile::tempdir().expect("a temporary directory");
    let mut console =
        pty::Terminal::start(80, 24, home.path(), &["--demo"], &[("LC_ALL", "C.UTF-8")]);
    console.wait_for_text("Find an access token");
    console.send(&format!("{CODE}\r"));
    console.wait_for_text("Authentication code");
    // Number, Life cycle state, Authentication code.
    console.send("jj");
    console.send("y");
    console.wait_for_text("Copied Authentication code (11 characters).");
    let written = String::from_utf8_lossy(&console.written()).into_owned();
    assert!(
        written.contains("\x1b]52;c;OTkwMjEwNDczODA=\x07"),
        "no OSC 52 sequence of {CODE} in what was written"
    );
}

/// The server as a profile names it, with an organisation a hostile hand chose.
fn reach() -> tokendesk::setup::reach::Reach {
    tokendesk::setup::reach::Reach {
        demo: false,
        profile: Some("prod".into()),
        url: Some("https://crm.example.com".into()),
        username: Some("jdoe".into()),
        organisation: Some("ACME $(id) 'x'".into()),
        unit: None,
        read_only: false,
    }
}

const REACHED: &str = r"tokendesk --profile prod --url https://crm.example.com --username jdoe --organisation 'ACME $(id) '\''x'\'''";

#[test]
fn dollar_copies_the_command_line_that_shows_the_token_on_screen() {
    let mut h = Harness::new(80, 24);
    h.app.reach = reach();
    h.open(with_effective(not_effective_token()));
    h.take();
    h.key('$');
    assert_eq!(
        copies(&mut h),
        the_command_line(format!("{REACHED} show {CODE}"))
    );
    assert!(
        h.notice().starts_with("Copied the command line ("),
        "{}",
        h.notice()
    );
}

fn with_effective(mut token: Value) -> Value {
    token["life_cycle_state"] = Value::from("EFFECTIVE");
    token
}

/// `token` open on a server reached as [`reach`], `key` pressed for its action, and the
/// question a second on, when keys count; what was asked before is taken.
fn asking(h: &mut Harness, token: Value, key: char) {
    h.app.reach = reach();
    h.open(token);
    h.key(key);
    h.tick(std::time::Duration::from_secs(1));
    h.take();
}

/// What copying `line` as the command line copies.
fn the_command_line(line: String) -> [(String, String); 1] {
    [("the command line".to_owned(), line)]
}

#[test]
fn dollar_in_a_confirmation_copies_the_action_and_answers_nothing() {
    let mut h = Harness::new(80, 24);
    asking(&mut h, with_effective(not_effective_token()), 'd');
    h.key('$');
    assert_eq!(
        copies(&mut h),
        the_command_line(format!("{REACHED} deactivate {CODE}"))
    );
    assert!(h.app.modal.is_some(), "the question is still asked");
    assert_eq!(h.request_count(), 1, "nothing sent but the search");
}

#[test]
fn dollar_on_the_results_copies_the_list_and_in_a_batch_the_marked_codes() {
    let mut h = Harness::new(80, 24);
    h.search("acr:ACR0000000071");
    let tokens: Vec<Value> = demo_tokens().into_iter().take(3).collect();
    h.answer(Ok(tokens_reply(tokens.clone())));
    h.take();
    h.key('$');
    assert_eq!(
        copies(&mut h),
        the_command_line("tokendesk list --acr ACR0000000071".to_owned())
    );
    // Two of the three marked: their codes, one a line.
    h.key(' ').key(' ');
    h.key('a');
    h.tick(std::time::Duration::from_secs(1));
    h.take();
    h.key('$');
    let copied = copies(&mut h);
    assert_eq!(copied.len(), 1, "{copied:?}");
    let (first, rest) = copied[0].1.split_once('\n').expect("a here-document");
    assert_eq!(first, "tokendesk activate --from - <<'END_OF_CODES'");
    let mut codes: Vec<&str> = rest.lines().collect();
    assert_eq!(codes.pop(), Some("END_OF_CODES"));
    let mut expected: Vec<String> = tokens[..2]
        .iter()
        .filter_map(|t| t["authentication_code"].as_str().map(str::to_owned))
        .collect();
    expected.sort();
    codes.sort_unstable();
    assert_eq!(codes, expected);
    // Every token of the list marked: the batch on the account itself.
    h.press(support::KeyCode::Esc);
    h.key('*');
    h.key('a');
    h.tick(std::time::Duration::from_secs(1));
    h.take();
    h.key('$');
    assert_eq!(
        copies(&mut h)[0].1,
        "tokendesk activate --acr ACR0000000071"
    );
}

/// A delete's question is typed into, as is a reason: `$` is text there, and Ctrl-x, the
/// key of every question, copies the command line; the status bar says which keys copy.
#[test]
fn ctrl_x_copies_the_command_line_where_dollar_is_typed() {
    use tokendesk::fate::reason::{ReasonPolicy, ReasonRule};
    let mut h = Harness::new(80, 24);
    asking(&mut h, not_effective_token(), 'X');
    assert!(
        h.render()
            .contains("Ctrl-x copies the command line that would do it."),
        "{}",
        h.render()
    );
    h.key('$');
    assert!(copies(&mut h).is_empty(), "$ is typed into the answer");
    h.ctrl('x');
    assert_eq!(
        copies(&mut h),
        the_command_line(format!("{REACHED} delete {CODE}"))
    );
    assert!(h.app.modal.is_some(), "the question is still asked");
    assert_eq!(h.request_count(), 1, "nothing sent but the search");
    // A reason being typed: the same, then `$` copies once it is answered by a key.
    let mut h = Harness::new(80, 24);
    h.app.reason = ReasonPolicy {
        rule: ReasonRule::Optional,
        pattern: None,
    };
    asking(&mut h, with_effective(not_effective_token()), 'd');
    h.key('$');
    assert!(copies(&mut h).is_empty(), "$ is typed into the reason");
    let hint = h.app.status_line().map(|line| line.text);
    assert_eq!(
        hint.as_deref(),
        Some("Ctrl-x copies the command line that would do it.")
    );
    h.ctrl('x');
    assert_eq!(
        copies(&mut h),
        the_command_line(format!("{REACHED} deactivate {CODE}")),
        "Ctrl-x copies while the reason is typed"
    );
    h.press(support::KeyCode::Backspace)
        .press(support::KeyCode::Enter);
    h.take();
    h.key('$');
    assert_eq!(
        copies(&mut h),
        the_command_line(format!("{REACHED} deactivate {CODE}")),
        "$ copies once answered by a key"
    );
}
