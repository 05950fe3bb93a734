//! The key table, pinned where mutation testing found it unpinned (TESTING.md, "Mutation
//! testing"). Kept apart from the module's own tests, which other work edits.

use tokendesk::api::Action;
use tokendesk::keys::{Command, Context, Edit, Key, KeyCode, KeyConflict, KeyMap, NotBound};

#[test]
fn a_conflict_and_a_missing_binding_read_as_sentences() {
    let conflict = KeyConflict {
        key: Key::char('j'),
        context: Context::Tree,
        first: Command::Down,
        second: Command::Raw,
    };
    assert_eq!(
        conflict.to_string(),
        "j is bound twice in the Token tree keys: to down and to raw."
    );
    let missing = NotBound {
        context: Context::Results,
        command: Command::Raw,
    };
    assert_eq!(
        missing.to_string(),
        "\"raw\" has no key in the Results keys to replace."
    );
}

#[test]
fn every_context_has_its_title() {
    let titles = [
        (Context::Global, "Anywhere"),
        (Context::Always, "Anywhere"),
        (Context::Tree, "Token tree"),
        (Context::Actions, "Actions"),
        (Context::Results, "Results"),
        (Context::Search, "Search line"),
        (Context::Edit, "Search line"),
        (Context::Confirm, "Confirmation"),
        (Context::TypedConfirm, "Confirmation"),
        (Context::QuitPrompt, "Quit prompt"),
        (Context::Help, "Help"),
    ];
    for (context, title) in titles {
        assert_eq!(context.title(), title, "{context:?}");
    }
}

#[test]
fn keys_with_modifiers_read_as_people_write_them() {
    let alt = |code| Key {
        code,
        ctrl: false,
        alt: true,
    };
    assert_eq!(alt(KeyCode::Char('b')).to_string(), "Alt-b");
    assert_eq!(
        Key {
            code: KeyCode::Left,
            ctrl: true,
            alt: true
        }
        .to_string(),
        "Ctrl-Alt-Left"
    );
    assert_eq!(Key::plain(KeyCode::BackTab).to_string(), "Shift-Tab");
    assert_eq!(Key::plain(KeyCode::Delete).to_string(), "Del");
}

#[test]
fn a_command_is_found_by_its_context_and_its_key_both() {
    let map = KeyMap::default();
    // The same key means different things in different contexts...
    assert_eq!(
        map.command(&[Context::Actions], Key::char('d')),
        Some(Command::Act(Action::Deactivate))
    );
    assert_eq!(map.command(&[Context::Tree], Key::char('d')), None);
    // ...and a context does not lend its keys to another.
    assert_eq!(map.command(&[Context::Confirm], Key::char('j')), None);
    assert_eq!(
        map.key_for(Context::Edit, Command::Edit(Edit::DeleteWord)),
        Some(Key::ctrl('w'))
    );
    assert_eq!(
        map.key_for(Context::Tree, Command::Edit(Edit::DeleteWord)),
        None
    );
    assert_eq!(map.hint(Context::Tree, Command::Submit), "?");
    assert_eq!(
        map.hint(Context::Actions, Command::Act(Action::Delete)),
        "X"
    );
}

#[test]
fn a_rebinding_keeps_the_same_command_in_other_contexts_and_other_commands() {
    let mut map = KeyMap::default();
    let before = map.bindings().len();
    map.rebind(
        Context::Edit,
        Command::Edit(Edit::DeleteWord),
        vec![Key::ctrl('b')],
    )
    .expect("delete word is bound");
    // Its second binding (Alt-Backspace) went; nothing else did.
    assert_eq!(map.bindings().len(), before - 1);
    let edit = [Context::Edit];
    assert_eq!(
        map.command(&edit, Key::ctrl('b')),
        Some(Command::Edit(Edit::DeleteWord))
    );
    assert_eq!(map.command(&edit, Key::ctrl('w')), None);
    let alt_backspace = Key {
        code: KeyCode::Backspace,
        ctrl: false,
        alt: true,
    };
    assert_eq!(map.command(&edit, alt_backspace), None);
    assert_eq!(
        map.command(&edit, Key::ctrl('u')),
        Some(Command::Edit(Edit::ClearLine))
    );
    // Down in the results comes after Down in the tree: rebinding it leaves the tree's.
    map.rebind(Context::Results, Command::Down, vec![Key::char('J')])
        .expect("down is bound in the results");
    assert_eq!(
        map.command(&[Context::Tree], Key::char('j')),
        Some(Command::Down)
    );
    assert_eq!(map.validate(), Ok(()));
}
