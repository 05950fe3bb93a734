//! Keys as the app sees them (no terminal library in here), and the key map as data: one
//! table drives both what a key does and what the help overlay says, so the two cannot
//! drift apart. The config file's `[keys]` replaces entries of this table (`KeyMap::apply`).
//!
//! A folder of its own, not the console's: start-up reads the config file's `[keys]` into
//! this table and the console acts by it, so both import it and it imports neither.

pub mod names;

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
/// have the keyboard; the search line, the confirmations, the quit prompt and the help
/// overlay each have their own keys, and `Edit` holds the line-editing keys shared by the
/// search line and the typed confirmation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Context {
    Global,
    /// Keys that work even in the search line and the modals.
    Always,
    Tree,
    /// The find line under a token (`f`).
    Find,
    Actions,
    Results,
    Search,
    Edit,
    /// The y/n confirmation of deactivate and re-activate.
    Confirm,
    /// The delete confirmation, answered by typing the token.
    TypedConfirm,
    QuitPrompt,
    Help,
    /// The list of the tokens opened lately (`Ctrl-r`), filtered as typed.
    Recent,
}

impl Context {
    pub fn title(self) -> &'static str {
        match self {
            Context::Global | Context::Always => "Anywhere",
            Context::Tree => "Token tree",
            Context::Find => "Find line",
            Context::Actions => "Actions",
            Context::Results => "Results",
            Context::Search | Context::Edit => "Search line",
            Context::Confirm | Context::TypedConfirm => "Confirmation",
            Context::QuitPrompt => "Quit prompt",
            Context::Help => "Help",
            Context::Recent => "Recent tokens",
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
    /// Show the token's personal data in clear, or masked again.
    Reveal,
    /// List this machine's audit lines for the token on screen, newest first.
    History,
    /// Copy the selected value, as shown (masked unless revealed).
    Copy,
    /// Copy the selected subtree as pretty JSON, as shown.
    CopyJson,
    /// Copy the selected token's authentication code.
    CopyCode,
    /// Copy the `tokendesk …` command line for what is on screen.
    CopyCommand,
    /// In a question, copy the command line that would do what it asks; a key that is not
    /// typed, so that it works while an answer or a reason is typed too.
    CopyCommandInQuestion,
    /// Give the terminal back to the shell and stop (Ctrl-Z); `fg` resumes.
    Suspend,
    /// Switch mouse reporting off (the terminal's own text selection) or on.
    Mouse,
    /// Open the find line under the token.
    Find,
    FindNext,
    FindPrevious,
    /// One of the life-cycle actions; the action itself says which.
    Act(Action),
    Open,
    NextPage,
    PreviousPage,
    /// Mark or unmark the selected result, then move down.
    Mark,
    /// Mark every row of the results page.
    MarkPage,
    /// Mark every token of the search, on every page.
    MarkAll,
    /// Clear every mark, on every page.
    ClearMarks,
    /// Send the search line, or the typed confirmation.
    Submit,
    /// Walk back and forth through earlier searches.
    Earlier,
    Later,
    /// Give the keyboard back to the screen, keeping any search in flight.
    Leave,
    /// Answer a question yes or no; `Cancel` leaves it unanswered, even while it waits.
    Yes,
    No,
    Cancel,
    /// Open the list of the tokens opened lately, in this session and earlier ones.
    Recent,
    /// A change to a one-line input (see [`crate::console::app::edit`]).
    Edit(Edit),
}

/// The editing keys of a one-line input. Printable characters are typed without a binding.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Edit {
    Start,
    End,
    ClearLine,
    DeleteWord,
    DeleteToEnd,
    WordLeft,
    WordRight,
    DeleteBack,
    DeleteForward,
    Left,
    Right,
}

/// Every command a `[keys]` entry can name, with its name.
pub const COMMANDS: [(&str, Command); 59] = [
    ("help", Command::Help),
    ("search", Command::FocusSearch),
    ("back", Command::Back),
    ("quit", Command::Quit),
    ("up", Command::Up),
    ("down", Command::Down),
    ("page_up", Command::PageUp),
    ("page_down", Command::PageDown),
    ("first", Command::Home),
    ("last", Command::End),
    ("expand", Command::Expand),
    ("collapse", Command::Collapse),
    ("toggle", Command::Toggle),
    ("expand_all", Command::ExpandAll),
    ("collapse_all", Command::CollapseAll),
    ("toggle_empty", Command::ToggleEmpty),
    ("raw", Command::Raw),
    ("reread", Command::Reread),
    ("reveal", Command::Reveal),
    ("history", Command::History),
    ("copy", Command::Copy),
    ("copy_json", Command::CopyJson),
    ("copy_code", Command::CopyCode),
    ("suspend", Command::Suspend),
    ("mouse", Command::Mouse),
    ("find", Command::Find),
    ("find_next", Command::FindNext),
    ("find_previous", Command::FindPrevious),
    ("deactivate", Command::Act(Action::Deactivate)),
    ("activate", Command::Act(Action::Activate)),
    ("delete", Command::Act(Action::Delete)),
    ("open", Command::Open),
    ("mark", Command::Mark),
    ("mark_page", Command::MarkPage),
    ("clear_marks", Command::ClearMarks),
    ("next_page", Command::NextPage),
    ("previous_page", Command::PreviousPage),
    ("submit", Command::Submit),
    ("earlier", Command::Earlier),
    ("later", Command::Later),
    ("leave", Command::Leave),
    ("yes", Command::Yes),
    ("no", Command::No),
    ("cancel", Command::Cancel),
    ("line_start", Command::Edit(Edit::Start)),
    ("line_end", Command::Edit(Edit::End)),
    ("clear_line", Command::Edit(Edit::ClearLine)),
    ("delete_word", Command::Edit(Edit::DeleteWord)),
    ("delete_to_end", Command::Edit(Edit::DeleteToEnd)),
    ("word_left", Command::Edit(Edit::WordLeft)),
    ("word_right", Command::Edit(Edit::WordRight)),
    ("delete_back", Command::Edit(Edit::DeleteBack)),
    ("delete_forward", Command::Edit(Edit::DeleteForward)),
    ("cursor_left", Command::Edit(Edit::Left)),
    ("cursor_right", Command::Edit(Edit::Right)),
    ("recent", Command::Recent),
    ("mark_all", Command::MarkAll),
    ("copy_command", Command::CopyCommand),
    ("copy_command_in_question", Command::CopyCommandInQuestion),
];

impl Command {
    /// The command the config file's `[keys]` calls `name`.
    pub fn named(name: &str) -> Option<Command> {
        COMMANDS
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, command)| *command)
    }

    /// Its name in the config file's `[keys]`.
    pub fn name(self) -> &'static str {
        COMMANDS
            .iter()
            .find(|(_, c)| *c == self)
            .map_or("?", |(name, _)| name)
    }
}

/// Keys in one context doing one command. A binding with an empty description is not
/// listed in the help overlay; rows of one context with the same description share a line.
#[derive(Clone, Debug, PartialEq)]
pub struct Binding {
    pub context: Context,
    pub keys: Vec<Key>,
    pub command: Command,
    pub description: &'static str,
}

/// A key bound to two commands in one context: the table cannot say which it means.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeyConflict {
    pub key: Key,
    pub context: Context,
    pub first: Command,
    pub second: Command,
}

impl fmt::Display for KeyConflict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} is bound twice in the {} keys: to {} and to {}.",
            self.key,
            self.context.title(),
            self.first.name(),
            self.second.name()
        )
    }
}

impl std::error::Error for KeyConflict {}

/// A rebinding of a command that has no binding in that context.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NotBound {
    pub context: Context,
    pub command: Command,
}

impl fmt::Display for NotBound {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "\"{}\" has no key in the {} keys to replace.",
            self.command.name(),
            self.context.title()
        )
    }
}

impl std::error::Error for NotBound {}

/// Contexts whose keys are read together (a screen's own, then the global ones): a key
/// in two of them would leave one command out of reach.
const READ_TOGETHER: [&[Context]; 9] = [
    &[Context::Always, Context::Find, Context::Edit],
    &[Context::Always, Context::Global, Context::Results],
    &[
        Context::Always,
        Context::Global,
        Context::Actions,
        Context::Tree,
    ],
    &[Context::Always, Context::Search, Context::Edit],
    &[Context::Always, Context::TypedConfirm, Context::Edit],
    &[Context::Always, Context::Confirm],
    &[Context::Always, Context::QuitPrompt],
    &[Context::Always, Context::Help],
    &[Context::Always, Context::Recent, Context::Edit],
];

/// Contexts where a plain character is typed, not a command.
const TYPED_INTO: [Context; 5] = [
    Context::Search,
    Context::Recent,
    Context::Edit,
    Context::TypedConfirm,
    Context::Find,
];

/// Why a `[keys]` entry cannot be taken.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RebindError {
    /// A key bound to two commands where both are read.
    Conflict(KeyConflict),
    /// A plain character given to a command of a line the clerk types into.
    Typed { key: Key, context: Context },
    /// No keys at all.
    Empty,
}

impl fmt::Display for RebindError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RebindError::Conflict(conflict) => conflict.fmt(f),
            RebindError::Typed { key, context } => write!(
                f,
                "{key} is typed as text in the {} keys; give a key with Ctrl- or Alt-, or a named key such as Enter.",
                context.title()
            ),
            RebindError::Empty => f.write_str("a command needs at least one key."),
        }
    }
}

impl std::error::Error for RebindError {}

#[derive(Clone, Debug, PartialEq)]
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
        let ctrl = Key::ctrl;
        let alt = |code| Key {
            code,
            ctrl: false,
            alt: true,
        };
        let ctrl_code = |code| Key {
            code,
            ctrl: true,
            alt: false,
        };
        let bind = |context, keys: Vec<Key>, command, description| Binding {
            context,
            keys,
            command,
            description,
        };
        let edit = |keys: Vec<Key>, edit, description| bind(Edit, keys, C::Edit(edit), description);
        let act = |context, key, action, description| {
            bind(context, vec![c(key)], C::Act(action), description)
        };
        use self::Edit as E;
        KeyMap {
            bindings: vec![
                bind(Global, vec![c('?')], C::Help, "help"),
                bind(Global, vec![c('/')], C::FocusSearch, "search"),
                bind(Global, vec![p(K::Esc)], C::Back, "back or cancel"),
                bind(Global, vec![c('q')], C::Quit, "quit"),
                bind(Always, vec![ctrl('c')], C::Quit, "quit"),
                bind(
                    Always,
                    vec![ctrl('z')],
                    C::Suspend,
                    "suspend (the shell's fg resumes)",
                ),
                bind(
                    Always,
                    vec![ctrl('t')],
                    C::Mouse,
                    "mouse on/off (off: text selection)",
                ),
                bind(
                    Always,
                    vec![ctrl('r')],
                    C::Recent,
                    "the tokens opened lately",
                ),
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
                    "collapse, or go up",
                ),
                bind(Tree, vec![c(' '), p(K::Enter)], C::Toggle, "toggle"),
                bind(Tree, vec![c('E')], C::ExpandAll, "expand all"),
                bind(Tree, vec![c('C')], C::CollapseAll, "collapse all"),
                bind(Tree, vec![c('n')], C::ToggleEmpty, "show/hide empty fields"),
                bind(Tree, vec![c('r')], C::Raw, "raw JSON"),
                bind(Tree, vec![c('R')], C::Reread, "re-read from server"),
                bind(Tree, vec![c('v')], C::Reveal, "reveal personal data"),
                bind(Tree, vec![c('H')], C::History, "history (audit log)"),
                bind(Tree, vec![c('f')], C::Find, "find in the token"),
                bind(
                    Find,
                    vec![p(K::Enter), p(K::Down)],
                    C::FindNext,
                    "next match",
                ),
                bind(Find, vec![p(K::Up)], C::FindPrevious, "previous match"),
                bind(Find, vec![p(K::Esc)], C::Back, "close the find line"),
                bind(Tree, vec![c('y')], C::Copy, "copy the value"),
                bind(Tree, vec![c('Y')], C::CopyJson, "copy as JSON"),
                bind(Tree, vec![c('$')], C::CopyCommand, "copy the command line"),
                act(Actions, 'd', Action::Deactivate, "deactivate"),
                act(Actions, 'a', Action::Activate, "re-activate"),
                act(Actions, 'X', Action::Delete, "delete"),
                bind(Results, vec![p(K::Up), c('k')], C::Up, "move up"),
                bind(Results, vec![p(K::Down), c('j')], C::Down, "move down"),
                bind(Results, vec![p(K::Home), c('g')], C::Home, "first row"),
                bind(Results, vec![p(K::End), c('G')], C::End, "last row"),
                // In a batch's rows, Enter says the row's whole sentence instead.
                bind(Results, vec![p(K::Enter)], C::Open, "open / details"),
                bind(Results, vec![c('c')], C::CopyCode, "copy the code"),
                bind(
                    Results,
                    vec![c('$')],
                    C::CopyCommand,
                    "copy the command line",
                ),
                bind(Results, vec![c(' ')], C::Mark, "mark / unmark the row"),
                bind(Results, vec![c('*')], C::MarkPage, "mark the page"),
                bind(
                    Results,
                    vec![c('A')],
                    C::MarkAll,
                    "mark every token, every page",
                ),
                bind(Results, vec![c('u')], C::ClearMarks, "unmark all"),
                // The marked tokens, as one batch.
                act(Results, 'd', Action::Deactivate, "act on the marked"),
                act(Results, 'a', Action::Activate, "act on the marked"),
                act(Results, 'X', Action::Delete, "act on the marked"),
                bind(Results, vec![p(K::PageDown)], C::NextPage, "next page"),
                bind(
                    Results,
                    vec![p(K::PageUp)],
                    C::PreviousPage,
                    "previous page",
                ),
                bind(Search, vec![p(K::Enter)], C::Submit, "search"),
                bind(Search, vec![p(K::Up)], C::Earlier, "earlier search"),
                bind(Search, vec![p(K::Down)], C::Later, "later search"),
                bind(Search, vec![p(K::Esc)], C::Back, "cancel, leave the line"),
                bind(Search, vec![p(K::Tab)], C::Leave, "leave the line"),
                edit(vec![ctrl('u')], E::ClearLine, "clear the line"),
                edit(vec![ctrl('w')], E::DeleteWord, "delete a word back"),
                edit(vec![alt(K::Backspace)], E::DeleteWord, "delete a word back"),
                edit(vec![ctrl('a'), p(K::Home)], E::Start, "to the start"),
                edit(vec![ctrl('e'), p(K::End)], E::End, "to the end"),
                edit(vec![ctrl('k')], E::DeleteToEnd, "delete to the end"),
                edit(
                    vec![ctrl_code(K::Left), alt(K::Char('b'))],
                    E::WordLeft,
                    "a word left",
                ),
                edit(
                    vec![ctrl_code(K::Right), alt(K::Char('f'))],
                    E::WordRight,
                    "a word right",
                ),
                // ^H: the Backspace of PuTTY and MobaXterm as many clerks have them set up.
                edit(
                    vec![p(K::Backspace), ctrl('h')],
                    E::DeleteBack,
                    "delete back",
                ),
                edit(vec![p(K::Delete)], E::DeleteForward, "delete forward"),
                edit(vec![p(K::Left)], E::Left, "a character left"),
                edit(vec![p(K::Right)], E::Right, "a character right"),
                bind(Confirm, vec![c('y'), c('Y')], C::Yes, "yes: act"),
                bind(Confirm, vec![c('n'), c('N')], C::No, "no: keep the token"),
                bind(Confirm, vec![p(K::Esc)], C::Cancel, "keep the token"),
                bind(
                    Confirm,
                    vec![c('$')],
                    C::CopyCommand,
                    "copy the command line that would do it",
                ),
                bind(
                    Confirm,
                    vec![ctrl('x')],
                    C::CopyCommandInQuestion,
                    "copy the command line that would do it",
                ),
                bind(
                    TypedConfirm,
                    vec![p(K::Enter)],
                    C::Submit,
                    "delete, once typed",
                ),
                bind(TypedConfirm, vec![p(K::Esc)], C::Cancel, "keep the token"),
                bind(
                    TypedConfirm,
                    vec![ctrl('x')],
                    C::CopyCommandInQuestion,
                    "copy the command line while typing",
                ),
                bind(QuitPrompt, vec![c('y'), c('Y'), c('q')], C::Yes, "quit"),
                bind(QuitPrompt, vec![c('n'), c('N')], C::No, "stay"),
                bind(QuitPrompt, vec![p(K::Esc)], C::Cancel, "stay"),
                bind(Help, vec![p(K::Down), c('j')], C::Down, "scroll down"),
                bind(Help, vec![p(K::Up), c('k')], C::Up, "scroll up"),
                bind(Help, vec![p(K::PageDown)], C::PageDown, "page down"),
                bind(Help, vec![p(K::PageUp)], C::PageUp, "page up"),
                bind(Help, vec![c('/')], C::FocusSearch, "filter the keys"),
                // The search line's commands: the list is typed into as the line is, so the
                // same rule (no plain character) holds for their keys in both.
                bind(Recent, vec![p(K::Up), ctrl('p')], C::Earlier, "move up"),
                bind(Recent, vec![p(K::Down), ctrl('n')], C::Later, "move down"),
                bind(Recent, vec![p(K::Enter)], C::Submit, "open the token"),
                bind(Recent, vec![p(K::Esc)], C::Back, "close the list"),
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

    /// `key_for` as the text a hint shows; "?" when nothing is bound (a table loaded from a
    /// config file may leave a command without a key).
    pub fn hint(&self, context: Context, command: Command) -> String {
        self.key_for(context, command)
            .map_or_else(|| "?".into(), |k| k.to_string())
    }

    /// Replaces the keys of `command` in `context`: its first binding takes `keys`, any
    /// other binding of it in that context goes.
    pub fn rebind(
        &mut self,
        context: Context,
        command: Command,
        keys: Vec<Key>,
    ) -> Result<(), NotBound> {
        let Some(first) = self
            .bindings
            .iter()
            .position(|b| b.context == context && b.command == command)
        else {
            return Err(NotBound { context, command });
        };
        self.bindings[first].keys = keys;
        let mut index = 0;
        self.bindings.retain(|b| {
            let keep = index <= first || b.context != context || b.command != command;
            index += 1;
            keep
        });
        Ok(())
    }

    /// Gives `command` the keys `keys` in every context it has keys in, `Always` included
    /// (`recent`, `suspend`, `mouse`), except Ctrl-C's own quit (it stays the way out from
    /// anywhere). The whole table is checked afterwards with [`KeyMap::validate`].
    pub fn apply(&mut self, command: Command, keys: Vec<Key>) -> Result<(), RebindError> {
        if keys.is_empty() {
            return Err(RebindError::Empty);
        }
        let mut contexts: Vec<Context> = Vec::new();
        for binding in &self.bindings {
            let ctrl_cs = binding.context == Context::Always && binding.command == Command::Quit;
            if binding.command == command && !ctrl_cs && !contexts.contains(&binding.context) {
                contexts.push(binding.context);
            }
        }
        for context in contexts {
            // The `Always` keys are read in the search line too, where a character is typed.
            let typed_in = match context {
                Context::Always => Some(Context::Search),
                _ => TYPED_INTO.contains(&context).then_some(context),
            };
            if let Some(context) = typed_in
                && let Some(&key) = keys
                    .iter()
                    .find(|k| !k.ctrl && !k.alt && matches!(k.code, KeyCode::Char(_)))
            {
                return Err(RebindError::Typed { key, context });
            }
            // The command has a binding in this context, so this cannot fail.
            let _ = self.rebind(context, command, keys.clone());
        }
        Ok(())
    }

    /// The first key bound to two different commands where both are read (one context, or
    /// a screen's and the global ones), if any.
    pub fn validate(&self) -> Result<(), KeyConflict> {
        let together = |a: Context, b: Context| {
            a == b
                || READ_TOGETHER
                    .iter()
                    .any(|group| group.contains(&a) && group.contains(&b))
        };
        for (i, a) in self.bindings.iter().enumerate() {
            for b in &self.bindings[i + 1..] {
                if !together(a.context, b.context) || a.command == b.command {
                    continue;
                }
                if let Some(&key) = a.keys.iter().find(|k| b.keys.contains(k)) {
                    return Err(KeyConflict {
                        key,
                        context: a.context,
                        first: a.command,
                        second: b.command,
                    });
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests;
