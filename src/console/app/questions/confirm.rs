//! The console's three prompts, each built on the one [`Question`]: the confirmation of an
//! action, of a batch, and the question before quitting with a request in flight. Each says
//! only what it asks and what its answers mean; what confirms an action (a `y`, or for a
//! delete the token's number typed) is the core's rule, `fate::confirmation`.

use super::question::{Answering, Prompt, Question, YesOrNo};
use crate::api::{AccessTokenIdentifier, Action, TokenSummary};
use crate::console::app::batch::run::BatchPlan;
use crate::console::app::clock::Moment;
use crate::fate::confirmation;
use crate::keys::Context;

/// The confirmation of an action on the token on screen.
#[derive(Clone, Debug)]
pub struct Confirm {
    pub action: Action,
    pub token: TokenSummary,
    pub identifier: AccessTokenIdentifier,
    /// The server the action would hit, as every confirmation names it
    /// ([`crate::fate::confirmation::server_name`]).
    pub server: String,
    pub question: Question,
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
            question: Question::new(shown),
        }
    }

    /// The token on screen was read too long ago: it is being read again, and the question
    /// waits for the answer (only the cancel key counts meanwhile).
    pub fn checking(&self) -> bool {
        !self.question.asked()
    }

    /// The fresh state arrived and still allows the action: ask about it, and give the
    /// clerk time to read it.
    pub fn refresh(&mut self, token: TokenSummary, at: Moment) {
        self.token = token;
        self.question.ask(at);
    }
}

impl Prompt for Confirm {
    fn question(&self) -> &Question {
        &self.question
    }

    fn question_mut(&mut self) -> &mut Question {
        &mut self.question
    }

    fn answering(&self) -> Answering {
        Answering::from_core(
            confirmation::answer(self.action, &self.token),
            YesOrNo {
                context: Context::Confirm,
                yes_does: format!("{}s", self.action.verb()),
                no_does: "keeps it",
            },
            // A token with neither number nor code: its name, which no typing matches.
            || self.token.display_name(),
        )
    }
}

/// The confirmation of a batch: how many marked tokens will change, how many are left out
/// and why. Answered as the core says: a `y`, or for delete the count typed, so a clerk who
/// meant three tokens cannot wave through three thousand.
#[derive(Clone, Debug)]
pub struct BatchConfirm {
    pub plan: BatchPlan,
    /// The server the batch would hit, named as every confirmation names it.
    pub server: String,
    pub question: Question,
}

impl BatchConfirm {
    pub fn new(plan: BatchPlan, server: String, shown: Moment) -> BatchConfirm {
        BatchConfirm {
            plan,
            server,
            question: Question::new(shown),
        }
    }

    pub fn action(&self) -> Action {
        self.plan.action
    }
}

impl Prompt for BatchConfirm {
    fn question(&self) -> &Question {
        &self.question
    }

    fn question_mut(&mut self) -> &mut Question {
        &mut self.question
    }

    fn answering(&self) -> Answering {
        let count = self.plan.to_change();
        Answering::from_core(
            confirmation::batch_answer(self.plan.action, count),
            YesOrNo {
                context: Context::Confirm,
                yes_does: format!("{}s", self.plan.action.verb()),
                no_does: "keeps them",
            },
            || count.to_string(),
        )
    }
}

/// `q` while a request is in flight: quitting now leaves its outcome unknown, so it asks.
/// Yes quits, no stays.
#[derive(Clone, Debug)]
pub struct QuitPrompt {
    pub question: Question,
}

impl QuitPrompt {
    pub fn new(shown: Moment) -> QuitPrompt {
        QuitPrompt {
            question: Question::new(shown),
        }
    }
}

impl Prompt for QuitPrompt {
    fn question(&self) -> &Question {
        &self.question
    }

    fn question_mut(&mut self) -> &mut Question {
        &mut self.question
    }

    fn answering(&self) -> Answering {
        Answering::YesOrNo(YesOrNo {
            context: Context::QuitPrompt,
            yes_does: "quits".into(),
            no_does: "stays",
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::LifeCycleState;
    use crate::console::app::questions::question::Verdict;
    use crate::keys::{Key, KeyCode, KeyMap};

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
        assert!(c.question.mistake.is_some());
        c.key(&KeyMap::default(), Key::ctrl('u'), LATER);
        type_text(&mut c, "AT000000067");
        assert_eq!(
            c.key(&KeyMap::default(), Key::plain(KeyCode::Enter), LATER),
            Verdict::Waiting
        );
        type_text(&mut c, "1");
        assert_eq!(c.question.mistake, None, "typing clears the mistake");
        assert_eq!(
            c.key(&KeyMap::default(), Key::plain(KeyCode::Enter), LATER),
            Verdict::Confirmed
        );
    }

    #[test]
    fn pasting_the_number_works_but_not_its_control_characters() {
        let mut c = confirm(Action::Delete);
        c.paste("AT0000000671\n");
        assert_eq!(c.question.line.value(), "AT0000000671");
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
    use crate::console::app::questions::question::Verdict;
    use crate::keys::{Key, KeyCode, KeyMap};

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
        assert_eq!(
            question.question.mistake, None,
            "a stray key is not called Enter"
        );
        question.key(&keys, Key::plain(KeyCode::Enter), LATER);
        assert_eq!(
            question.question.mistake.as_deref(),
            Some("Enter does not answer: y deactivates, n or Esc keeps it.")
        );
        let mut quit = QuitPrompt::new(Moment::default());
        assert_eq!(quit.key(&keys, Key::char('x'), LATER), Verdict::Waiting);
        assert_eq!(quit.question.mistake, None);
        assert_eq!(
            quit.key(&keys, Key::plain(KeyCode::Enter), LATER),
            Verdict::Waiting
        );
        assert_eq!(
            quit.question.mistake.as_deref(),
            Some("Enter does not answer: y quits, n or Esc stays.")
        );
    }

    /// A batch of `count` tokens in `state`, confirmed for `action`.
    fn batch(action: Action, state: LifeCycleState, count: usize) -> BatchConfirm {
        let tokens = (0..count).map(|n| TokenSummary {
            authentication_code: Some(format!("9902104738{n}")),
            state: state.clone(),
            ..TokenSummary::default()
        });
        BatchConfirm::new(
            BatchPlan::new(action, tokens),
            "crm.example.com".into(),
            Moment::default(),
        )
    }

    #[test]
    fn a_batch_takes_y_or_for_a_delete_its_count_typed() {
        let keys = KeyMap::default();
        let mut deactivate = batch(Action::Deactivate, LifeCycleState::Effective, 3);
        deactivate.key(&keys, Key::plain(KeyCode::Enter), LATER);
        assert_eq!(
            deactivate.question.mistake.as_deref(),
            Some("Enter does not answer: y deactivates, n or Esc keeps them.")
        );
        assert_eq!(
            deactivate.key(&keys, Key::char('y'), LATER),
            Verdict::Confirmed
        );
        let mut delete = batch(Action::Delete, LifeCycleState::NotEffective, 3);
        assert_eq!(delete.key(&keys, Key::char('y'), LATER), Verdict::Waiting);
        delete.key(&keys, Key::plain(KeyCode::Backspace), LATER);
        delete.paste("3\n");
        assert_eq!(delete.question.line.value(), "3");
        assert_eq!(
            delete.key(&keys, Key::plain(KeyCode::Enter), LATER),
            Verdict::Confirmed
        );
    }

    #[test]
    fn a_question_checking_the_state_is_asked_once_the_fresh_state_is_in() {
        let keys = KeyMap::default();
        let mut question = confirm(Action::Deactivate);
        question.question.hold();
        assert!(question.checking());
        assert_eq!(question.key(&keys, Key::char('y'), LATER), Verdict::Waiting);
        let fresh = TokenSummary {
            number: Some("AT0000000671".into()),
            state: LifeCycleState::Effective,
            authentication_code: Some("99021047380".into()),
            ..TokenSummary::default()
        };
        let at = Moment {
            now: std::time::Duration::from_secs(5),
            batch: 7,
        };
        question.refresh(fresh.clone(), at);
        assert!(!question.checking());
        assert_eq!(question.token, fresh);
        let later = Moment {
            now: std::time::Duration::from_secs(6),
            batch: 8,
        };
        assert_eq!(
            question.key(&keys, Key::char('y'), later),
            Verdict::Confirmed
        );
    }

    #[test]
    fn nothing_is_pasted_into_a_question_not_asked_yet_or_not_typed() {
        let mut checking = confirm(Action::Delete);
        checking.question.hold();
        checking.paste("AT0000000671");
        assert_eq!(checking.question.line.value(), "");
        let mut yes_no = confirm(Action::Deactivate);
        yes_no.paste("y");
        assert_eq!(yes_no.question.line.value(), "");
    }
}
