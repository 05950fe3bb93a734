//! Keys of the clerk's own: a `[keys]` table in the config file rebinds commands, and the
//! footer and the help show the keys in force, since both are made from the same table.

use crate::support;

use std::path::Path;

use support::{Harness, KeyCode, not_effective_token, with_state};
use tokendesk::api::{Action, ApiError};
use tokendesk::console::app::Modal;
use tokendesk::setup::config_file::Config;

/// The key table of a config file holding `keys` as its `[keys]` table.
fn harness_with(keys: &str) -> Harness {
    let config = Config::parse(&format!("[keys]\n{keys}"), Path::new("/tmp/config.toml"))
        .expect("the config parses");
    let mut h = Harness::new(80, 24);
    h.app.keymap = config.keymap;
    h
}

fn deactivation_asked(h: &Harness) -> bool {
    matches!(&h.app.modal, Some(Modal::Confirm(c)) if c.action == Action::Deactivate)
}

#[test]
fn a_remapped_key_does_the_command_and_the_old_one_nothing() {
    let mut h = harness_with("deactivate = \"D\"\ndown = [\"J\", \"Down\", \"Ctrl-n\"]\n");
    h.open(with_state(not_effective_token(), "EFFECTIVE"));
    h.key('d');
    assert!(!deactivation_asked(&h), "d is no longer deactivate");
    h.key('j');
    assert_eq!(h.token().tree.cursor(), 0, "j no longer moves");
    h.ctrl('n');
    assert_eq!(h.token().tree.cursor(), 1, "Ctrl-n moves down");
    h.key('J');
    assert_eq!(h.token().tree.cursor(), 2, "J moves down");
    h.key('D');
    assert!(deactivation_asked(&h), "D asks to deactivate");
}

#[test]
fn the_footer_and_the_help_show_the_keys_in_force() {
    let mut h = harness_with("deactivate = \"D\"\ndown = [\"J\", \"Down\", \"Ctrl-n\"]\n");
    h.open(with_state(not_effective_token(), "EFFECTIVE"));
    let screen = h.render();
    let footer = screen.lines().nth(22).expect("the key row");
    assert!(footer.starts_with("D deactivate"), "{footer}");
    insta::assert_snapshot!("own_keys_token_80x24", screen);
    h.key('?').key('/').keys("move down").press(KeyCode::Enter);
    let help = h.render();
    assert!(help.contains("J Down Ctrl-n"), "{help}");
    insta::assert_snapshot!("own_keys_help_80x24", help);
    h.press(KeyCode::Esc);
}

#[test]
fn sentences_on_screen_name_the_keys_in_force() {
    let mut h =
        harness_with("search = \"S\"\nhelp = \"K\"\nback = \"Ctrl-g\"\nsubmit = \"Ctrl-j\"\n");
    let home = h.render();
    assert!(
        home.contains("  Type in the search line, then Ctrl-j:"),
        "{home}"
    );
    assert!(home.contains("  K lists every key."), "{home}");
    h.keys("ab");
    let typed = h.render();
    assert!(
        typed.contains("  Ctrl-g, then K lists every key."),
        "{typed}"
    );
    h.ctrl('g');
    let left = h.render();
    assert!(
        left.contains("  Press S and type in the search line, then Ctrl-j:"),
        "{left}"
    );

    let mut h = harness_with("reread = \"Ctrl-e\"\ntoggle_empty = \"e\"\n");
    h.open(with_state(not_effective_token(), "EFFECTIVE"));
    h.key('d').key('y');
    h.answer(Err(ApiError::TimedOut {
        after: std::time::Duration::from_secs(30),
    }));
    // The re-read fails, and so do the two tries again it gets.
    for _ in 0..3 {
        h.answer(Err(ApiError::Disconnected {
            detail: "reset".into(),
        }));
    }
    assert!(
        h.notice().ends_with(" Ctrl-e re-reads it."),
        "{}",
        h.notice()
    );
    h.app.token.as_mut().expect("a token is open").tree =
        tokendesk::tree::TokenTree::new(&serde_json::json!({ "pass_code": null }));
    let empty = h.render();
    assert!(
        empty.contains("Every field is empty; e shows them."),
        "{empty}"
    );
}

#[test]
fn the_recent_list_takes_its_own_key_from_the_search_line_too() {
    let mut h = harness_with("recent = \"Ctrl-o\"\n");
    assert!(h.app.search.focused, "the search line has the keyboard");
    h.ctrl('r');
    assert!(h.app.modal.is_none(), "Ctrl-r is no longer the list's key");
    h.ctrl('o');
    assert!(
        matches!(h.app.modal, Some(Modal::Recent(_))),
        "Ctrl-o opens the list"
    );
    let refused = Config::parse("[keys]\nrecent = \"R\"\n", Path::new("/tmp/config.toml"))
        .expect_err("a character would be typed into the search line");
    assert!(
        refused
            .to_string()
            .contains("R is typed as text in the Search line keys"),
        "{refused}"
    );
}
