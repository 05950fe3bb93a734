//! The confirmation modal for the three actions, as a small state machine. Deactivate and
//! re-activate take `y`; delete cannot be undone, so the clerk types the token number and
//! presses Enter. Anything else either does nothing or cancels; nothing confirms by accident,
//! and no key typed ahead of the question answers it (`guard`).

use tui_input::{Input, InputRequest};

use super::clock::Moment;
use super::guard::TypeAheadGuard;
use super::keymap::{Key, KeyCode};
use crate::api::{AccessTokenIdentifier, Action, TokenSummary};

#[derive(Clone, Debug)]
pub struct Confirm {
    pub action: Action,
    pub token: TokenSummary,
    pub identifier: AccessTokenIdentifier,
    /// The host the action would hit, named in the modal.
    pub host: String,
    pub demo: bool,
    /// What the clerk has typed (delete only).
    pub typed: Input,
    /// Why the last Enter did not confirm.
    pub mistake: Option<String>,
    pub guard: TypeAheadGuard,
    /// The token on screen was read too long ago: it is being read again, and the question
    /// waits for the answer (only Esc counts meanwhile).
    pub checking: bool,
}

#[derive(Debug, PartialEq, Eq)]
pub enum Verdict {
    Waiting,
    Confirmed,
    Cancelled,
}

impl Confirm {
    pub fn new(
        action: Action,
        token: TokenSummary,
        identifier: AccessTokenIdentifier,
        host: String,
        demo: bool,
        shown: Moment,
    ) -> Confirm {
        Confirm {
            action,
            token,
            identifier,
            host,
            demo,
            typed: Input::default(),
            mistake: None,
            guard: TypeAheadGuard::new(shown),
            checking: false,
        }
    }

    /// The fresh state arrived and still allows the action: ask about it, and give the
    /// clerk time to read it.
    pub fn refresh(&mut self, token: TokenSummary, at: Moment) {
        self.token = token;
        self.checking = false;
        self.guard.restart(at);
    }

    pub fn needs_typing(&self) -> bool {
        self.action == Action::Delete
    }

    /// The text the clerk must type to delete: the token number, else its code.
    pub fn expected(&self) -> String {
        self.token.display_name()
    }

    /// `key`, pressed at `at`, applied to the question.
    pub fn key(&mut self, key: Key, at: Moment) -> Verdict {
        if !self.guard.admits(key, at) {
            return Verdict::Waiting;
        }
        if key.code == KeyCode::Esc {
            return Verdict::Cancelled;
        }
        if self.checking {
            // The question is not asked yet: nothing answers it.
            self.guard.ignore(key);
            return Verdict::Waiting;
        }
        if !self.needs_typing() {
            return match key.code {
                KeyCode::Char('y' | 'Y') if !key.ctrl && !key.alt => Verdict::Confirmed,
                KeyCode::Char('n' | 'N') if !key.ctrl && !key.alt => Verdict::Cancelled,
                KeyCode::Enter => {
                    self.mistake = Some(format!(
                        "Enter does not answer: y {}s, n or Esc keeps it.",
                        self.action.verb()
                    ));
                    Verdict::Waiting
                }
                _ => Verdict::Waiting,
            };
        }
        if key.code == KeyCode::Enter {
            if self.typed.value().trim() == self.expected() {
                return Verdict::Confirmed;
            }
            self.mistake = Some(format!(
                "That is not {}; type it exactly, or Esc to cancel.",
                self.expected()
            ));
            return Verdict::Waiting;
        }
        if let Some(request) = input_request(key) {
            self.typed.handle(request);
            self.mistake = None;
        }
        Verdict::Waiting
    }

    pub fn paste(&mut self, text: &str) {
        // Nothing is typed into a question not asked yet.
        if self.needs_typing() && !self.checking {
            let clean: String = text.chars().filter(|c| !c.is_control()).collect();
            insert_text(&mut self.typed, &clean);
        }
    }
}

/// `q` while a request is in flight: quitting now leaves its outcome unknown, so it asks.
#[derive(Clone, Debug)]
pub struct QuitPrompt {
    /// Why the last key did not answer.
    pub mistake: Option<String>,
    pub guard: TypeAheadGuard,
}

impl QuitPrompt {
    pub fn new(shown: Moment) -> QuitPrompt {
        QuitPrompt {
            mistake: None,
            guard: TypeAheadGuard::new(shown),
        }
    }

    /// `Confirmed` quits, `Cancelled` stays.
    pub fn key(&mut self, key: Key, at: Moment) -> Verdict {
        if !self.guard.admits(key, at) {
            return Verdict::Waiting;
        }
        match key.code {
            KeyCode::Char('y' | 'Y' | 'q') => Verdict::Confirmed,
            KeyCode::Char('n' | 'N') | KeyCode::Esc => Verdict::Cancelled,
            KeyCode::Enter => {
                self.mistake = Some("Enter does not answer: y quits, n or Esc stays.".into());
                Verdict::Waiting
            }
            _ => Verdict::Waiting,
        }
    }
}

/// Inserts `text` at the cursor in one step. tui-input inserts one character at a time,
/// each rebuilding the line, so a long paste fed to it costs the square of its length.
pub fn insert_text(input: &mut Input, text: &str) {
    let cursor = input.cursor();
    let value = input.value();
    let at = value
        .char_indices()
        .nth(cursor)
        .map_or(value.len(), |(at, _)| at);
    let mut line = String::with_capacity(value.len() + text.len());
    line.push_str(&value[..at]);
    line.push_str(text);
    line.push_str(&value[at..]);
    *input = Input::new(line).with_cursor(cursor + text.chars().count());
}

/// The editing keys of a one-line input, shared by the search line and this modal.
pub fn input_request(key: Key) -> Option<InputRequest> {
    use InputRequest as R;
    Some(match (key.code, key.ctrl, key.alt) {
        (KeyCode::Char('a'), true, _) | (KeyCode::Home, _, _) => R::GoToStart,
        (KeyCode::Char('e'), true, _) | (KeyCode::End, _, _) => R::GoToEnd,
        (KeyCode::Char('u'), true, _) => R::DeleteLine,
        (KeyCode::Char('w'), true, _) | (KeyCode::Backspace, _, true) => R::DeletePrevWord,
        (KeyCode::Char('k'), true, _) => R::DeleteTillEnd,
        (KeyCode::Left, true, _) | (KeyCode::Char('b'), _, true) => R::GoToPrevWord,
        (KeyCode::Right, true, _) | (KeyCode::Char('f'), _, true) => R::GoToNextWord,
        (KeyCode::Char(c), false, false) => R::InsertChar(c),
        (KeyCode::Backspace, false, false) => R::DeletePrevChar,
        (KeyCode::Delete, _, _) => R::DeleteNextChar,
        (KeyCode::Left, false, _) => R::GoToPrevChar,
        (KeyCode::Right, false, _) => R::GoToNextChar,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::LifeCycleState;

    /// A moment well after the confirmation appeared, when keys count.
    const LATER: Moment = Moment {
        now: std::time::Duration::from_secs(1),
        batch: 2,
    };

    fn confirm(action: Action) -> Confirm {
        let token = TokenSummary {
            number: Some("AT0000000671".into()),
            state: LifeCycleState::NotEffective,
            ..TokenSummary::default()
        };
        Confirm::new(
            action,
            token,
            AccessTokenIdentifier::AuthenticationCode("99021047380".into()),
            "crm.example.com".into(),
            false,
            Moment::default(),
        )
    }

    fn type_text(c: &mut Confirm, text: &str) {
        for ch in text.chars() {
            assert_eq!(c.key(Key::char(ch), LATER), Verdict::Waiting);
        }
    }

    #[test]
    fn y_confirms_and_n_or_esc_cancel_the_reversible_actions() {
        for action in [Action::Deactivate, Action::Activate] {
            assert_eq!(
                confirm(action).key(Key::char('y'), LATER),
                Verdict::Confirmed
            );
            assert_eq!(
                confirm(action).key(Key::char('n'), LATER),
                Verdict::Cancelled
            );
            assert_eq!(
                confirm(action).key(Key::plain(KeyCode::Esc), LATER),
                Verdict::Cancelled
            );
            assert_eq!(
                confirm(action).key(Key::plain(KeyCode::Enter), LATER),
                Verdict::Waiting
            );
            assert_eq!(confirm(action).key(Key::char('d'), LATER), Verdict::Waiting);
        }
    }

    #[test]
    fn delete_wants_the_number_typed_exactly() {
        let mut c = confirm(Action::Delete);
        assert_eq!(
            c.key(Key::char('y'), LATER),
            Verdict::Waiting,
            "y only types a letter"
        );
        assert_eq!(c.key(Key::plain(KeyCode::Enter), LATER), Verdict::Waiting);
        assert!(c.mistake.is_some());
        c.key(Key::ctrl('u'), LATER);
        type_text(&mut c, "AT000000067");
        assert_eq!(c.key(Key::plain(KeyCode::Enter), LATER), Verdict::Waiting);
        type_text(&mut c, "1");
        assert_eq!(c.mistake, None, "typing clears the mistake");
        assert_eq!(c.key(Key::plain(KeyCode::Enter), LATER), Verdict::Confirmed);
    }

    #[test]
    fn text_is_inserted_at_the_cursor_counted_in_characters() {
        let mut input = Input::new("añb".into()).with_cursor(2);
        insert_text(&mut input, "éé");
        assert_eq!(input.value(), "añééb");
        assert_eq!(input.cursor(), 4);
        let mut empty = Input::default();
        insert_text(&mut empty, "x");
        assert_eq!((empty.value(), empty.cursor()), ("x", 1));
    }

    #[test]
    fn pasting_the_number_works_but_not_its_control_characters() {
        let mut c = confirm(Action::Delete);
        c.paste("AT0000000671\n");
        assert_eq!(c.typed.value(), "AT0000000671");
        assert_eq!(c.key(Key::plain(KeyCode::Enter), LATER), Verdict::Confirmed);
    }
}
