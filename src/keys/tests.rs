//! The key table's own tests: which binding wins, conflicts, rebinding and command names.

use super::*;

#[test]
fn context_bindings_win_and_globals_fill_in() {
    let map = KeyMap::default();
    assert_eq!(
        map.command(&[Context::Tree, Context::Global], Key::char('j')),
        Some(Command::Down)
    );
    assert_eq!(
        map.command(
            &[Context::Results, Context::Global],
            Key::plain(KeyCode::Enter)
        ),
        Some(Command::Open)
    );
    assert_eq!(
        map.command(
            &[Context::Tree, Context::Global],
            Key::plain(KeyCode::Enter)
        ),
        Some(Command::Toggle)
    );
    assert_eq!(
        map.command(&[Context::Tree, Context::Global], Key::char('?')),
        Some(Command::Help)
    );
    assert_eq!(
        map.command(&[Context::Actions], Key::char('X')),
        Some(Command::Act(Action::Delete))
    );
    assert_eq!(map.command(&[Context::Actions], Key::char('x')), None);
    assert_eq!(
        map.command(&[Context::Always], Key::ctrl('c')),
        Some(Command::Quit)
    );
}

#[test]
fn the_default_table_binds_no_key_twice_in_one_context() {
    assert_eq!(KeyMap::default().validate(), Ok(()));
}

#[test]
fn a_key_bound_twice_in_one_context_is_named_with_both_commands() {
    let mut map = KeyMap::default();
    map.rebind(Context::Tree, Command::Raw, vec![Key::char('j')])
        .expect("raw is bound in the tree");
    assert_eq!(
        map.validate(),
        Err(KeyConflict {
            key: Key::char('j'),
            context: Context::Tree,
            first: Command::Down,
            second: Command::Raw,
        })
    );
    // The same key in two contexts is no conflict: the context decides.
    let mut map = KeyMap::default();
    map.rebind(Context::Results, Command::Open, vec![Key::char('r')])
        .expect("open is bound in the results");
    assert_eq!(map.validate(), Ok(()));
}

#[test]
fn a_rebinding_replaces_every_key_of_the_command_in_its_context_only() {
    let mut map = KeyMap::default();
    map.rebind(Context::Tree, Command::Down, vec![Key::char('J')])
        .expect("down is bound in the tree");
    let tree = [Context::Tree];
    assert_eq!(map.command(&tree, Key::char('J')), Some(Command::Down));
    assert_eq!(map.command(&tree, Key::char('j')), None);
    assert_eq!(map.command(&tree, Key::plain(KeyCode::Down)), None);
    assert_eq!(
        map.command(&[Context::Results], Key::char('j')),
        Some(Command::Down)
    );
    assert_eq!(
        map.rebind(Context::Results, Command::Raw, vec![Key::char('r')]),
        Err(NotBound {
            context: Context::Results,
            command: Command::Raw
        })
    );
}

#[test]
fn every_command_has_one_name() {
    for (name, command) in COMMANDS {
        assert_eq!(Command::named(name), Some(command));
        assert_eq!(command.name(), name);
    }
}

#[test]
fn a_command_rebound_takes_its_keys_in_every_context_but_ctrl_cs() {
    let mut map = KeyMap::default();
    map.apply(Command::Down, vec![Key::char('J'), Key::ctrl('n')])
        .expect("applies");
    for context in [Context::Tree, Context::Results, Context::Help] {
        assert_eq!(map.command(&[context], Key::ctrl('n')), Some(Command::Down));
        assert_eq!(map.command(&[context], Key::char('j')), None);
    }
    map.apply(Command::Quit, vec![Key::char('Q')])
        .expect("applies");
    assert_eq!(
        map.command(&[Context::Always], Key::ctrl('c')),
        Some(Command::Quit)
    );
    assert_eq!(
        map.command(&[Context::Global], Key::char('Q')),
        Some(Command::Quit)
    );
    assert_eq!(
        map.apply(Command::Submit, vec![Key::char('s')]),
        Err(RebindError::Typed {
            key: Key::char('s'),
            context: Context::Search
        })
    );
}

#[test]
fn a_key_that_works_anywhere_is_rebound_and_never_to_a_character() {
    let mut map = KeyMap::default();
    map.apply(Command::Recent, vec![Key::ctrl('o')])
        .expect("applies");
    assert_eq!(
        map.command(&[Context::Always], Key::ctrl('o')),
        Some(Command::Recent)
    );
    assert_eq!(map.command(&[Context::Always], Key::ctrl('r')), None);
    assert_eq!(map.hint(Context::Always, Command::Recent), "Ctrl-o");
    assert_eq!(map.validate(), Ok(()));
    map.apply(Command::Suspend, vec![Key::ctrl('y')])
        .expect("applies");
    assert_eq!(
        map.command(&[Context::Always], Key::ctrl('y')),
        Some(Command::Suspend)
    );
    // A character would be typed into the search line, where these keys work too.
    let refused = map
        .apply(Command::Recent, vec![Key::char('R')])
        .expect_err("R is typed");
    assert_eq!(
        refused,
        RebindError::Typed {
            key: Key::char('R'),
            context: Context::Search
        }
    );
    assert_eq!(
        refused.to_string(),
        "R is typed as text in the Search line keys; give a key with Ctrl- or Alt-, or a named key such as Enter."
    );
}

#[test]
fn a_screen_key_that_hides_a_global_one_is_a_conflict() {
    let mut map = KeyMap::default();
    map.apply(Command::Act(Action::Deactivate), vec![Key::char('q')])
        .expect("applies");
    let conflict = map.validate().expect_err("q is quit too");
    assert_eq!(
        conflict.to_string(),
        "q is bound twice in the Anywhere keys: to quit and to deactivate."
    );
}

#[test]
fn keys_read_as_people_write_them() {
    assert_eq!(Key::ctrl('c').to_string(), "Ctrl-c");
    assert_eq!(Key::char(' ').to_string(), "Space");
    assert_eq!(Key::plain(KeyCode::PageDown).to_string(), "PgDn");
}
