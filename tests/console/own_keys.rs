//! Keys of the clerk's own: a `[keys]` table in the config file rebinds commands, and the
//! footer and the help show the keys in force, since both are made from the same table.

use crate::support;

use std::path::Path;

use support::{Harness, KeyCode, not_effective_token, with_state};
use tokendesk::api::Action;
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
