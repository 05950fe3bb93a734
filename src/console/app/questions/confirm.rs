//! The confirmation modal for the three actions, as a small state machine. Deactivate and
//! re-activate take `y`; delete cannot be undone, so the clerk types the token number and
//! presses Enter. Anything else either does nothing or cancels; nothing confirms by accident,
//! and no key typed ahead of the question answers it (`guard`).

use tui_input::Input;

use super::guard::TypeAheadGuard;
use crate::api::{AccessTokenIdentifier, Action, TokenSummary};
use crate::console::app::batch::run::BatchPlan;
use crate::console::app::clock::Moment;
use crate::console::app::edit::{input_request, insert_text};
use crate::fate::confirmation::{self, Answer};
use crate::keys::{Command, Context, Key, KeyCode, KeyMap};

#[derive(Clone, Debug)]
pub struct Confirm {
    pub action: Action,
    pub token: TokenSummary,
    pub identifier: AccessTokenIdentifier,
    /// The server the action would hit, as every confirmation names it
    /// ([`crate::fate::confirmation::server_name`]).
    pub server: String,
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
        server: String,
        shown: Moment,
    ) -> Confirm {
        Confirm {
            action,
            token,
            identifier,
            server,
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

    /// What confirms the action, by the rule the command line follows too.
    pub fn answer(&self) -> Answer {
        confirmation::answer(self.action, &self.token)
    }

    /// The text the clerk must type to delete: the token number, else its code. A token
    /// with neither shows its display name, which no typing matches.
    pub fn expected(&self) -> String {
        match self.answer() {
            Answer::Type(typed) => typed.text,
            Answer::Yes | Answer::Impossible => self.token.display_name(),
        }
    }

    /// The keys of this question: typed for delete, y/n for the others.
    pub fn context(&self) -> Context {
        question_context(self.action)
    }

    /// `key`, pressed at `at`, applied to the question, in the keys of `keys`.
    pub fn key(&mut self, keys: &KeyMap, key: Key, at: Moment) -> Verdict {
        if !self.guard.admits(key, at) {
            return Verdict::Waiting;
        }
        let context = self.context();
        let command = keys.command(&[context], key);
        if command == Some(Command::Cancel) {
            return Verdict::Cancelled;
        }
        if self.checking {
            // The question is not asked yet: nothing answers it.
            self.guard.ignore(key);
            return Verdict::Waiting;
        }
        let expected = self.expected();
        answer_key(
            keys,
            key,
            self.action,
            &self.answer(),
            &expected,
            &mut self.typed,
            &mut self.mistake,
        )
    }

    pub fn paste(&mut self, text: &str) {
        // Nothing is typed into a question not asked yet.
        if self.needs_typing() && !self.checking {
            let clean: String = text.chars().filter(|c| !c.is_control()).collect();
            insert_text(&mut self.typed, &clean);
        }
    }
}

/// The keys of a question about `action`: typed for delete, y/n for the others.
fn question_context(action: Action) -> Context {
    if action == Action::Delete {
        Context::TypedConfirm
    } else {
        Context::Confirm
    }
}

/// A key, let through by the guard and not Esc, on a question that `answer` confirms: `y`
/// or `n`; or, for a delete, `expected` typed and Enter.
fn answer_key(
    keys: &KeyMap,
    key: Key,
    action: Action,
    answer: &Answer,
    expected: &str,
    typed: &mut Input,
    mistake: &mut Option<String>,
) -> Verdict {
    let context = question_context(action);
    let command = keys.command(&[context], key);
    if action != Action::Delete {
        return match command {
            Some(Command::Yes) => Verdict::Confirmed,
            Some(Command::No) => Verdict::Cancelled,
            _ if key.code == KeyCode::Enter => {
                *mistake = Some(format!(
                    "Enter does not answer: {} {}s, {} or {} keeps it.",
                    keys.hint(context, Command::Yes),
                    action.verb(),
                    keys.hint(context, Command::No),
                    keys.hint(context, Command::Cancel),
                ));
                Verdict::Waiting
            }
            _ => Verdict::Waiting,
        };
    }
    if command == Some(Command::Submit) {
        if let Answer::Type(wanted) = answer
            && wanted.matches(typed.value())
        {
            return Verdict::Confirmed;
        }
        *mistake = Some(format!(
            "That is not {expected}; type it exactly, or {} to cancel.",
            keys.hint(context, Command::Cancel),
        ));
        return Verdict::Waiting;
    }
    if let Some(request) = input_request(keys, key) {
        typed.handle(request);
        *mistake = None;
    }
    Verdict::Waiting
}

/// The confirmation of a batch: how many marked tokens will change, how many are left out
/// and why. Deactivate and re-activate take `y`; delete wants the count typed, so a clerk
/// who meant three tokens cannot wave through three thousand.
#[derive(Clone, Debug)]
pub struct BatchConfirm {
    pub plan: BatchPlan,
    /// The server the batch would hit, named as every confirmation names it.
    pub server: String,
    /// What the clerk has typed (delete only).
    pub typed: Input,
    /// Why the last Enter did not confirm.
    pub mistake: Option<String>,
    pub guard: TypeAheadGuard,
}

impl BatchConfirm {
    pub fn new(plan: BatchPlan, server: String, shown: Moment) -> BatchConfirm {
        BatchConfirm {
            plan,
            server,
            typed: Input::default(),
            mistake: None,
            guard: TypeAheadGuard::new(shown),
        }
    }

    pub fn action(&self) -> Action {
        self.plan.action
    }

    pub fn answer(&self) -> Answer {
        confirmation::batch_answer(self.plan.action, self.plan.to_change())
    }

    pub fn needs_typing(&self) -> bool {
        self.plan.action == Action::Delete
    }

    /// The keys of this question: typed for delete, y/n for the others.
    pub fn context(&self) -> Context {
        question_context(self.action())
    }

    /// `key`, pressed at `at`, applied to the question, in the keys of `keys`.
    pub fn key(&mut self, keys: &KeyMap, key: Key, at: Moment) -> Verdict {
        if !self.guard.admits(key, at) {
            return Verdict::Waiting;
        }
        let context = self.context();
        if keys.command(&[context], key) == Some(Command::Cancel) {
            return Verdict::Cancelled;
        }
        let expected = self.plan.to_change().to_string();
        answer_key(
            keys,
            key,
            self.plan.action,
            &self.answer(),
            &expected,
            &mut self.typed,
            &mut self.mistake,
        )
    }

    pub fn paste(&mut self, text: &str) {
        if self.needs_typing() {
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
    pub fn key(&mut self, keys: &KeyMap, key: Key, at: Moment) -> Verdict {
        if !self.guard.admits(key, at) {
            return Verdict::Waiting;
        }
        let context = Context::QuitPrompt;
        match keys.command(&[context], key) {
            Some(Command::Yes) => Verdict::Confirmed,
            Some(Command::No | Command::Cancel) => Verdict::Cancelled,
            _ if key.code == KeyCode::Enter => {
                self.mistake = Some(format!(
                    "Enter does not answer: {} quits, {} or {} stays.",
                    keys.hint(context, Command::Yes),
                    keys.hint(context, Command::No),
                    keys.hint(context, Command::Cancel),
                ));
                Verdict::Waiting
            }
            _ => Verdict::Waiting,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::LifeCycleState;

    /// A moment well after the confirmation appeared, when keys count.
    pub(in crate::console::app) const LATER: Moment = Moment {
        now: std::time::Duration::from_secs(1),
        batch: 2,
    };

    fn confirm(action: Action) -> Confirm {
        confirm_in(action, LifeCycleState::NotEffective)
    }

    /// The question about AT0000000671, in `state`.
    pub(in crate::console::app) fn confirm_in(action: Action, state: LifeCycleState) -> Confirm {
        let token = TokenSummary {
            number: Some("AT0000000671".into()),
            state,
            ..TokenSummary::default()
        };
        Confirm::new(
            action,
            token,
            AccessTokenIdentifier::AuthenticationCode("99021047380".into()),
            "crm.example.com".into(),
            Moment::default(),
        )
    }

    fn type_text(c: &mut Confirm, text: &str) {
        for ch in text.chars() {
            assert_eq!(
                c.key(&KeyMap::default(), Key::char(ch), LATER),
                Verdict::Waiting
            );
        }
    }

    #[test]
    fn y_confirms_and_n_or_esc_cancel_the_reversible_actions() {
        for action in [Action::Deactivate, Action::Activate] {
            assert_eq!(
                confirm(action).key(&KeyMap::default(), Key::char('y'), LATER),
                Verdict::Confirmed
            );
            assert_eq!(
                confirm(action).key(&KeyMap::default(), Key::char('n'), LATER),
                Verdict::Cancelled
            );
            assert_eq!(
                confirm(action).key(&KeyMap::default(), Key::plain(KeyCode::Esc), LATER),
                Verdict::Cancelled
            );
            assert_eq!(
                confirm(action).key(&KeyMap::default(), Key::plain(KeyCode::Enter), LATER),
                Verdict::Waiting
            );
            assert_eq!(
                confirm(action).key(&KeyMap::default(), Key::char('d'), LATER),
                Verdict::Waiting
            );
        }
    }

    #[test]
    fn delete_wants_the_number_typed_exactly() {
        let mut c = confirm(Action::Delete);
        assert_eq!(
            c.key(&KeyMap::default(), Key::char('y'), LATER),
            Verdict::Waiting,
            "y only types a letter"
        );
        assert_eq!(
            c.key(&KeyMap::default(), Key::plain(KeyCode::Enter), LATER),
            Verdict::Waiting
        );
        assert!(c.mistake.is_some());
        c.key(&KeyMap::default(), Key::ctrl('u'), LATER);
        type_text(&mut c, "AT000000067");
        assert_eq!(
            c.key(&KeyMap::default(), Key::plain(KeyCode::Enter), LATER),
            Verdict::Waiting
        );
        type_text(&mut c, "1");
        assert_eq!(c.mistake, None, "typing clears the mistake");
        assert_eq!(
            c.key(&KeyMap::default(), Key::plain(KeyCode::Enter), LATER),
            Verdict::Confirmed
        );
    }

    #[test]
    fn pasting_the_number_works_but_not_its_control_characters() {
        let mut c = confirm(Action::Delete);
        c.paste("AT0000000671\n");
        assert_eq!(c.typed.value(), "AT0000000671");
        assert_eq!(
            c.key(&KeyMap::default(), Key::plain(KeyCode::Enter), LATER),
            Verdict::Confirmed
        );
    }
}

/// Pinned by mutation testing (TESTING.md): what each key does to a question, so that a
/// key that stops working, or starts answering, fails a test.
#[cfg(test)]
mod key_tests {
    use super::*;
    use crate::api::LifeCycleState;

    use super::tests::{LATER, confirm_in};

    fn confirm(action: Action) -> Confirm {
        confirm_in(action, LifeCycleState::Effective)
    }

    fn with_modifiers(code: KeyCode, ctrl: bool, alt: bool) -> Key {
        Key { code, ctrl, alt }
    }

    #[test]
    fn y_with_ctrl_or_alt_answers_no_question() {
        // Alt-Y is what a terminal sends for Esc then y typed quickly: a clerk cancelling
        // must not confirm instead.
        for action in [Action::Deactivate, Action::Activate] {
            for c in ['y', 'Y'] {
                for (ctrl, alt) in [(true, false), (false, true), (true, true)] {
                    let key = with_modifiers(KeyCode::Char(c), ctrl, alt);
                    let mut question = confirm(action);
                    assert_eq!(
                        question.key(&KeyMap::default(), key, LATER),
                        Verdict::Waiting,
                        "{key} on {action:?}"
                    );
                }
            }
        }
        let mut quit = QuitPrompt::new(Moment::default());
        for key in [
            Key::ctrl('y'),
            with_modifiers(KeyCode::Char('y'), false, true),
        ] {
            assert_eq!(
                quit.key(&KeyMap::default(), key, LATER),
                Verdict::Waiting,
                "{key} on quit"
            );
        }
    }

    #[test]
    fn alt_or_ctrl_with_a_letter_types_nothing_into_the_delete_question() {
        let mut question = confirm(Action::Delete);
        for key in [
            with_modifiers(KeyCode::Char('y'), false, true),
            Key::ctrl('y'),
            with_modifiers(KeyCode::Char('A'), true, true),
        ] {
            assert_eq!(
                question.key(&KeyMap::default(), key, LATER),
                Verdict::Waiting
            );
        }
        assert_eq!(question.typed.value(), "");
    }

    /// The delete question holding `text` with the cursor at `cursor` (in characters), after
    /// `key`: what it holds and where the cursor is.
    fn edit(text: &str, cursor: usize, key: Key) -> (String, usize) {
        let mut question = confirm(Action::Delete);
        question.typed = Input::new(text.into()).with_cursor(cursor);
        question.mistake = Some("That is not it".into());
        assert_eq!(
            question.key(&KeyMap::default(), key, LATER),
            Verdict::Waiting
        );
        assert_eq!(question.mistake, None, "{key} is editing: the mistake goes");
        (question.typed.value().to_owned(), question.typed.cursor())
    }

    #[test]
    fn every_editing_key_of_the_delete_question_does_its_edit() {
        let alt = |code| with_modifiers(code, false, true);
        let ctrl = |code| with_modifiers(code, true, false);
        let text = "AT06 AT07 AT08";
        let cases: [(Key, usize, &str, usize); 17] = [
            (Key::plain(KeyCode::Backspace), 14, "AT06 AT07 AT0", 13),
            (Key::plain(KeyCode::Delete), 0, "T06 AT07 AT08", 0),
            (Key::plain(KeyCode::Left), 14, text, 13),
            (Key::plain(KeyCode::Right), 0, text, 1),
            (Key::plain(KeyCode::Home), 7, text, 0),
            (Key::ctrl('a'), 7, text, 0),
            (Key::plain(KeyCode::End), 7, text, 14),
            (Key::ctrl('e'), 7, text, 14),
            (Key::ctrl('w'), 14, "AT06 AT07 ", 10),
            (alt(KeyCode::Backspace), 14, "AT06 AT07 ", 10),
            (Key::ctrl('k'), 7, "AT06 AT", 7),
            (Key::ctrl('u'), 7, "", 0),
            (ctrl(KeyCode::Left), 14, text, 10),
            (alt(KeyCode::Char('b')), 14, text, 10),
            (ctrl(KeyCode::Right), 0, text, 5),
            (alt(KeyCode::Char('f')), 0, text, 5),
            (Key::char('x'), 4, "AT06x AT07 AT08", 5),
        ];
        for (key, cursor, value, moved_to) in cases {
            assert_eq!(
                edit(text, cursor, key),
                (value.to_owned(), moved_to),
                "{key} at {cursor}"
            );
        }
    }

    #[test]
    fn a_mistyped_number_can_be_corrected_and_then_confirms() {
        let keys = KeyMap::default();
        let mut question = confirm(Action::Delete);
        for c in "AT00000006711".chars() {
            question.key(&keys, Key::char(c), LATER);
        }
        assert_eq!(
            question.key(&keys, Key::plain(KeyCode::Enter), LATER),
            Verdict::Waiting
        );
        question.key(&keys, Key::plain(KeyCode::Backspace), LATER);
        assert_eq!(
            question.key(&keys, Key::plain(KeyCode::Enter), LATER),
            Verdict::Confirmed
        );
    }

    #[test]
    fn only_enter_is_told_it_does_not_answer_a_y_n_question() {
        let keys = KeyMap::default();
        let mut question = confirm(Action::Deactivate);
        assert_eq!(question.key(&keys, Key::char('x'), LATER), Verdict::Waiting);
        assert_eq!(question.mistake, None, "a stray key is not called Enter");
        question.key(&keys, Key::plain(KeyCode::Enter), LATER);
        assert_eq!(
            question.mistake.as_deref(),
            Some("Enter does not answer: y deactivates, n or Esc keeps it.")
        );
        let mut quit = QuitPrompt::new(Moment::default());
        assert_eq!(quit.key(&keys, Key::char('x'), LATER), Verdict::Waiting);
        assert_eq!(quit.mistake, None);
        assert_eq!(
            quit.key(&keys, Key::plain(KeyCode::Enter), LATER),
            Verdict::Waiting
        );
        assert_eq!(
            quit.mistake.as_deref(),
            Some("Enter does not answer: y quits, n or Esc stays.")
        );
    }

    #[test]
    fn nothing_is_pasted_into_a_question_not_asked_yet_or_not_typed() {
        let mut checking = confirm(Action::Delete);
        checking.checking = true;
        checking.paste("AT0000000671");
        assert_eq!(checking.typed.value(), "");
        let mut yes_no = confirm(Action::Deactivate);
        yes_no.paste("y");
        assert_eq!(yes_no.typed.value(), "");
    }
}
