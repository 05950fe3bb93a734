//! Keys as the app sees them (no terminal library in here), and the key map as data: one
//! table drives both what a key does and what the help overlay says, so the two cannot
//! drift apart. Remapping from the config file will replace entries of this table.

use std::fmt;

use crate::api::Action;

/// A key press, reduced to what tokendesk distinguishes. Shifted letters arrive as their
/// capital (`X`), so Shift is not a separate flag.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Key {
    pub code: KeyCode,
    pub ctrl: bool,
    pub alt: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum KeyCode {
    Char(char),
    Enter,
    Esc,
    Backspace,
    Delete,
    Tab,
    BackTab,
    Up,
    Down,
    Left,
    Right,
    Home,
    End,
    PageUp,
    PageDown,
}

impl Key {
    pub const fn plain(code: KeyCode) -> Key {
        Key {
            code,
            ctrl: false,
            alt: false,
        }
    }

    pub const fn char(c: char) -> Key {
        Key::plain(KeyCode::Char(c))
    }

    pub const fn ctrl(c: char) -> Key {
        Key {
            code: KeyCode::Char(c),
            ctrl: true,
            alt: false,
        }
    }
}

impl fmt::Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.ctrl {
            f.write_str("Ctrl-")?;
        }
        if self.alt {
            f.write_str("Alt-")?;
        }
        match self.code {
            KeyCode::Char(' ') => f.write_str("Space"),
            KeyCode::Char(c) => write!(f, "{c}"),
            KeyCode::Enter => f.write_str("Enter"),
            KeyCode::Esc => f.write_str("Esc"),
            KeyCode::Backspace => f.write_str("Backspace"),
            KeyCode::Delete => f.write_str("Del"),
            KeyCode::Tab => f.write_str("Tab"),
            KeyCode::BackTab => f.write_str("Shift-Tab"),
            KeyCode::Up => f.write_str("Up"),
            KeyCode::Down => f.write_str("Down"),
            KeyCode::Left => f.write_str("Left"),
            KeyCode::Right => f.write_str("Right"),
            KeyCode::Home => f.write_str("Home"),
            KeyCode::End => f.write_str("End"),
            KeyCode::PageUp => f.write_str("PgUp"),
            KeyCode::PageDown => f.write_str("PgDn"),
        }
    }
}

/// Where a binding applies. Global bindings apply everywhere the search line does not
/// have the keyboard.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Context {
    Global,
    Tree,
    Actions,
    Results,
}

impl Context {
    pub fn title(self) -> &'static str {
        match self {
            Context::Global => "Anywhere",
            Context::Tree => "Token tree",
            Context::Actions => "Actions",
            Context::Results => "Results",
        }
    }
}

/// What a key asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Command {
    Help,
    FocusSearch,
    Back,
    Quit,
    Up,
    Down,
    PageUp,
    PageDown,
    Home,
    End,
    Expand,
    Collapse,
    Toggle,
    ExpandAll,
    CollapseAll,
    ToggleEmpty,
    Raw,
    Reread,
    /// One of the life-cycle actions; the action itself says which.
    Act(Action),
    Open,
    NextPage,
    PreviousPage,
}

#[derive(Clone, Debug)]
pub struct Binding {
    pub context: Context,
    pub keys: Vec<Key>,
    pub command: Command,
    pub description: &'static str,
}

#[derive(Clone, Debug)]
pub struct KeyMap {
    bindings: Vec<Binding>,
}

impl Default for KeyMap {
    fn default() -> Self {
        use Command as C;
        use Context::*;
        use KeyCode as K;
        let p = Key::plain;
        let c = Key::char;
        let bind = |context, keys: Vec<Key>, command, description| Binding {
            context,
            keys,
            command,
            description,
        };
        KeyMap {
            bindings: vec![
                bind(Global, vec![c('?')], C::Help, "help"),
                bind(Global, vec![c('/')], C::FocusSearch, "search"),
                bind(Global, vec![p(K::Esc)], C::Back, "back or cancel"),
                bind(Global, vec![c('q'), Key::ctrl('c')], C::Quit, "quit"),
                bind(Tree, vec![p(K::Up), c('k')], C::Up, "move up"),
                bind(Tree, vec![p(K::Down), c('j')], C::Down, "move down"),
                bind(Tree, vec![p(K::PageUp)], C::PageUp, "page up"),
                bind(Tree, vec![p(K::PageDown)], C::PageDown, "page down"),
                bind(Tree, vec![p(K::Home), c('g')], C::Home, "first row"),
                bind(Tree, vec![p(K::End), c('G')], C::End, "last row"),
                bind(Tree, vec![p(K::Right), c('l')], C::Expand, "expand"),
                bind(
                    Tree,
                    vec![p(K::Left), c('h')],
                    C::Collapse,
                    "collapse, or to parent",
                ),
                bind(Tree, vec![c(' '), p(K::Enter)], C::Toggle, "toggle"),
                bind(Tree, vec![c('E')], C::ExpandAll, "expand all"),
                bind(Tree, vec![c('C')], C::CollapseAll, "collapse all"),
                bind(Tree, vec![c('n')], C::ToggleEmpty, "show/hide empty fields"),
                bind(Tree, vec![c('r')], C::Raw, "raw JSON"),
                bind(Tree, vec![c('R')], C::Reread, "re-read from server"),
                bind(
                    Actions,
                    vec![c('d')],
                    C::Act(Action::Deactivate),
                    "deactivate",
                ),
                bind(
                    Actions,
                    vec![c('a')],
                    C::Act(Action::Activate),
                    "re-activate",
                ),
                bind(Actions, vec![c('X')], C::Act(Action::Delete), "delete"),
                bind(Results, vec![p(K::Up), c('k')], C::Up, "move up"),
                bind(Results, vec![p(K::Down), c('j')], C::Down, "move down"),
                bind(Results, vec![p(K::Home), c('g')], C::Home, "first row"),
                bind(Results, vec![p(K::End), c('G')], C::End, "last row"),
                bind(Results, vec![p(K::Enter)], C::Open, "open"),
                bind(Results, vec![p(K::PageDown)], C::NextPage, "next page"),
                bind(
                    Results,
                    vec![p(K::PageUp)],
                    C::PreviousPage,
                    "previous page",
                ),
            ],
        }
    }
}

impl KeyMap {
    /// The command `key` means under `contexts`, the first context in the list that binds
    /// it winning: a screen's own bindings before the global ones.
    pub fn command(&self, contexts: &[Context], key: Key) -> Option<Command> {
        contexts.iter().find_map(|context| {
            self.bindings
                .iter()
                .find(|b| b.context == *context && b.keys.contains(&key))
                .map(|b| b.command)
        })
    }

    pub fn bindings(&self) -> &[Binding] {
        &self.bindings
    }

    /// The first key bound to `command` in `context` (for hints such as "d deactivate").
    pub fn key_for(&self, context: Context, command: Command) -> Option<Key> {
        self.bindings
            .iter()
            .find(|b| b.context == context && b.command == command)
            .and_then(|b| b.keys.first().copied())
    }
}

#[cfg(test)]
mod tests {
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
            map.command(&[Context::Global], Key::ctrl('c')),
            Some(Command::Quit)
        );
    }

    #[test]
    fn no_key_is_bound_twice_in_one_context() {
        let map = KeyMap::default();
        for (i, a) in map.bindings().iter().enumerate() {
            for b in &map.bindings()[i + 1..] {
                if a.context == b.context {
                    for key in &a.keys {
                        assert!(
                            !b.keys.contains(key),
                            "{key} bound twice in {:?}",
                            a.context
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn keys_read_as_people_write_them() {
        assert_eq!(Key::ctrl('c').to_string(), "Ctrl-c");
        assert_eq!(Key::char(' ').to_string(), "Space");
        assert_eq!(Key::plain(KeyCode::PageDown).to_string(), "PgDn");
    }
}
