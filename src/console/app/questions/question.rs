//! What every question the console asks has in common, written once: the guard that keeps
//! keys typed ahead of it from answering it, the key that leaves it unanswered, the line a
//! typed answer goes into (with the search line's editing keys) and pastes into that line.
//! Each prompt (`confirm.rs`) only says what it asks and what its answers mean
//! ([`Prompt::answering`]), from the core's rule (`fate::confirmation`) for confirmations.
//!
//! A question whose profile asks a reason (`fate::reason`) asks it first, on a line of its
//! own ([`ReasonLine`]): keys and pastes go there until the core's rule accepts what was
//! typed, and only then does the question take its answer.

use tui_input::Input;

use super::guard::TypeAheadGuard;
use crate::console::app::clock::Moment;
use crate::console::app::edit::{input_request, insert_text};
use crate::fate::confirmation::{Answer, Typed};
use crate::fate::reason::{Reason, ReasonPolicy};
use crate::keys::{Command, Context, Key, KeyMap};

/// What a key did to a question.
#[derive(Debug, PartialEq, Eq)]
pub enum Verdict {
    Waiting,
    Confirmed,
    Cancelled,
}

/// The words of a question answered by a key: yes, or no, in the keys of `context`. A
/// clerk who presses the key that sends a typed answer (Enter) is told which keys answer:
/// "{yes} {yes_does}, {no} or {cancel} {no_does}."
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct YesOrNo {
    pub context: Context,
    /// What yes does, as the clerk is told it: "deactivates", "quits".
    pub yes_does: String,
    /// What no does: "keeps it", "stays".
    pub no_does: &'static str,
}

/// How a question is answered, now.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Answering {
    YesOrNo(YesOrNo),
    /// `shown` typed into the answer line, then the key that sends it (Enter). `wanted` is
    /// `None` when nothing typed can confirm it (a token with neither a number nor a code):
    /// the question then asks for `shown`, which no typing matches.
    Typed {
        wanted: Option<Typed>,
        shown: String,
    },
}

impl Answering {
    /// The core's `answer` as the console asks it: a yes by `yes_or_no`, or the text typed;
    /// when nothing could be typed, a typed question about `name` that nothing confirms.
    pub fn from_core(answer: Answer, yes_or_no: YesOrNo, name: impl FnOnce() -> String) -> Self {
        match answer {
            Answer::Yes => Answering::YesOrNo(yes_or_no),
            Answer::Type(typed) => Answering::Typed {
                shown: typed.text.clone(),
                wanted: Some(typed),
            },
            Answer::Impossible => Answering::Typed {
                wanted: None,
                shown: name(),
            },
        }
    }

    /// The keys of the question: its own for a yes or no, the typed confirmation's else.
    pub fn context(&self) -> Context {
        match self {
            Answering::YesOrNo(words) => words.context,
            Answering::Typed { .. } => Context::TypedConfirm,
        }
    }

    /// The text to type, for a typed question.
    pub fn typed(&self) -> Option<&str> {
        match self {
            Answering::YesOrNo(_) => None,
            Answering::Typed { shown, .. } => Some(shown),
        }
    }
}

/// A line the clerk types an answer into: the search line's editing keys, and pastes
/// without their escape sequences and control characters (a newline never sends it).
#[derive(Clone, Debug, Default)]
pub struct AnswerLine {
    input: Input,
}

impl AnswerLine {
    pub fn value(&self) -> &str {
        self.input.value()
    }

    /// The line with its cursor, for the view.
    pub fn input(&self) -> &Input {
        &self.input
    }

    /// Applies `key` if it types or edits; whether it did.
    fn key(&mut self, keys: &KeyMap, key: Key) -> bool {
        let Some(request) = input_request(keys, key) else {
            return false;
        };
        self.input.handle(request);
        true
    }

    /// A paste of what is typed as one word (a number): escape sequences go whole, so a
    /// copied colour leaves no `[31m` behind, and so do spaces and line breaks.
    fn paste_word(&mut self, text: &str) {
        let word: String = crate::text::sanitize(text)
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect();
        insert_text(&mut self.input, &word);
    }

    /// A paste of words (a reason): escape sequences go whole, and a line break or a tab
    /// is a space, so two pasted lines do not run into one word.
    fn paste_words(&mut self, text: &str) {
        insert_text(&mut self.input, &crate::text::sanitize(text));
    }
}

/// The reason a question asks for, on a line of its own, before its answer.
#[derive(Clone, Debug)]
pub struct ReasonLine {
    pub policy: ReasonPolicy,
    pub line: AnswerLine,
    /// The reason the rule accepted (`Some(None)`: none, which it allows); `None` while it
    /// is being typed.
    pub accepted: Option<Option<Reason>>,
}

impl ReasonLine {
    /// Whether the reason line has the keyboard.
    pub fn asking(&self) -> bool {
        self.accepted.is_none()
    }
}

/// A question on screen: what every prompt shares.
#[derive(Clone, Debug)]
pub struct Question {
    pub guard: TypeAheadGuard,
    /// Where a typed answer goes; a question answered by a key leaves it empty.
    pub line: AnswerLine,
    /// Why the last key did not answer.
    pub mistake: Option<String>,
    /// False while what it asks is not known yet (the token's state is being read again):
    /// only the cancel key counts, and nothing is typed or pasted.
    asked: bool,
    /// The reason asked for first, when the profile asks one (boxed: most questions have
    /// none).
    pub reason: Option<Box<ReasonLine>>,
}

impl Question {
    pub fn new(shown: Moment) -> Question {
        Question {
            guard: TypeAheadGuard::new(shown),
            line: AnswerLine::default(),
            mistake: None,
            asked: true,
            reason: None,
        }
    }

    /// Asks a reason first, when `policy` asks one.
    pub fn ask_reason(&mut self, policy: &ReasonPolicy) {
        self.reason = policy.asks().then(|| {
            Box::new(ReasonLine {
                policy: policy.clone(),
                line: AnswerLine::default(),
                accepted: None,
            })
        });
    }

    /// The reason accepted, as the audit log records it.
    pub fn given_reason(&self) -> Option<String> {
        let accepted = self.reason.as_ref()?.accepted.clone()??;
        Some(accepted.into_string())
    }

    /// The reason line while it has the keyboard.
    pub fn asking_reason(&self) -> Option<&ReasonLine> {
        self.reason.as_deref().filter(|reason| reason.asking())
    }

    /// What it asks is not known yet: nothing answers it until [`Question::ask`].
    pub fn hold(&mut self) {
        self.asked = false;
    }

    /// What it asks is known (again): it is asked, and keys count once it can be read.
    pub fn ask(&mut self, at: Moment) {
        self.asked = true;
        self.guard.restart(at);
    }

    pub fn asked(&self) -> bool {
        self.asked
    }

    /// The keys the question reads now: the typed confirmation's while a reason is typed
    /// (they send it and cancel), else those of how it is answered.
    pub fn context(&self, answering: &Answering) -> Context {
        if self.asking_reason().is_some() {
            Context::TypedConfirm
        } else {
            answering.context()
        }
    }

    /// `key`, pressed at `at`, applied to the question answered as `answering`, in the keys
    /// of `keys`.
    pub fn key(&mut self, keys: &KeyMap, key: Key, at: Moment, answering: &Answering) -> Verdict {
        if !self.guard.admits(key, at) {
            return Verdict::Waiting;
        }
        let context = self.context(answering);
        if let Some(reason) = self.reason.as_mut().filter(|r| r.asking()) {
            let command = keys.command(&[context], key);
            if command == Some(Command::Cancel) {
                return Verdict::Cancelled;
            }
            if !self.asked {
                self.guard.ignore(key);
            } else if command == Some(Command::Submit) {
                match reason.policy.check(Some(reason.line.value())) {
                    Ok(accepted) => {
                        reason.accepted = Some(accepted);
                        self.mistake = None;
                    }
                    Err(problem) => self.mistake = Some(problem.to_string()),
                }
            } else if reason.line.key(keys, key) {
                self.mistake = None;
            }
            return Verdict::Waiting;
        }
        let command = keys.command(&[context], key);
        if command == Some(Command::Cancel) {
            return Verdict::Cancelled;
        }
        if !self.asked {
            self.guard.ignore(key);
            return Verdict::Waiting;
        }
        match answering {
            Answering::YesOrNo(words) => match command {
                Some(Command::Yes) => Verdict::Confirmed,
                Some(Command::No) => Verdict::Cancelled,
                // The key that sends a typed answer is what a clerk presses by habit: say
                // which keys answer this one.
                _ if keys.command(&[Context::TypedConfirm], key) == Some(Command::Submit) => {
                    let hint = |context, command| keys.hint(context, command);
                    self.mistake = Some(format!(
                        "{} does not answer: {} {}, {} or {} {}.",
                        hint(Context::TypedConfirm, Command::Submit),
                        hint(context, Command::Yes),
                        words.yes_does,
                        hint(context, Command::No),
                        hint(context, Command::Cancel),
                        words.no_does,
                    ));
                    Verdict::Waiting
                }
                _ => Verdict::Waiting,
            },
            Answering::Typed { wanted, shown } => {
                if command == Some(Command::Submit) {
                    if wanted
                        .as_ref()
                        .is_some_and(|w| w.matches(self.line.value()))
                    {
                        return Verdict::Confirmed;
                    }
                    self.mistake = Some(format!(
                        "That is not {shown}; type it exactly, or {} to cancel.",
                        keys.hint(context, Command::Cancel),
                    ));
                } else if self.line.key(keys, key) {
                    self.mistake = None;
                }
                Verdict::Waiting
            }
        }
    }

    /// A paste goes into the answer line of a typed question that is asked.
    pub fn paste(&mut self, text: &str, answering: &Answering) {
        if let Some(reason) = self.reason.as_mut().filter(|r| r.asking()) {
            if self.asked {
                reason.line.paste_words(text);
            }
            return;
        }
        if self.asked && matches!(answering, Answering::Typed { .. }) {
            self.line.paste_word(text);
        }
    }
}

/// A prompt: a question and what it asks. Keys and pastes go through its [`Question`].
pub trait Prompt {
    fn question(&self) -> &Question;
    fn question_mut(&mut self) -> &mut Question;
    /// How it is answered, now.
    fn answering(&self) -> Answering;

    /// The keys it reads now.
    fn context(&self) -> Context {
        self.question().context(&self.answering())
    }

    /// `key`, pressed at `at`, applied to the prompt, in the keys of `keys`.
    fn key(&mut self, keys: &KeyMap, key: Key, at: Moment) -> Verdict {
        let answering = self.answering();
        self.question_mut().key(keys, key, at, &answering)
    }

    fn paste(&mut self, text: &str) {
        let answering = self.answering();
        self.question_mut().paste(text, &answering);
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;
    use crate::keys::KeyCode;

    /// A moment well after the question appeared, when keys count.
    const LATER: Moment = Moment {
        now: Duration::from_secs(1),
        batch: 2,
    };

    fn yes_or_no() -> Answering {
        Answering::YesOrNo(YesOrNo {
            context: Context::Confirm,
            yes_does: "deactivates".into(),
            no_does: "keeps it",
        })
    }

    fn typed(text: &str) -> Answering {
        Answering::Typed {
            wanted: Some(Typed {
                what: "token number",
                text: text.into(),
            }),
            shown: text.into(),
        }
    }

    fn press(question: &mut Question, answering: &Answering, key: Key) -> Verdict {
        question.key(&KeyMap::default(), key, LATER, answering)
    }

    fn alt(code: KeyCode) -> Key {
        Key {
            code,
            ctrl: false,
            alt: true,
        }
    }

    fn ctrl(code: KeyCode) -> Key {
        Key {
            code,
            ctrl: true,
            alt: false,
        }
    }

    #[test]
    fn y_answers_yes_n_no_and_other_keys_nothing() {
        let answering = yes_or_no();
        for (key, verdict) in [
            (Key::char('y'), Verdict::Confirmed),
            (Key::char('Y'), Verdict::Confirmed),
            (Key::char('n'), Verdict::Cancelled),
            (Key::plain(KeyCode::Esc), Verdict::Cancelled),
            (Key::char('x'), Verdict::Waiting),
            (Key::plain(KeyCode::Enter), Verdict::Waiting),
        ] {
            let mut question = Question::new(Moment::default());
            assert_eq!(press(&mut question, &answering, key), verdict, "{key}");
            assert_eq!(question.line.value(), "", "{key} types nothing");
        }
    }

    #[test]
    fn keys_the_guard_refuses_answer_nothing_not_even_cancel() {
        let mut question = Question::new(LATER);
        for key in [Key::char('y'), Key::plain(KeyCode::Esc)] {
            assert_eq!(press(&mut question, &yes_or_no(), key), Verdict::Waiting);
        }
        assert_eq!(
            question.guard.ignored_sentence().as_deref(),
            Some("Keys typed before this appeared were ignored: y Esc")
        );
    }

    #[test]
    fn a_question_not_asked_yet_takes_only_the_cancel_key() {
        let answering = typed("AT0000000671");
        let mut question = Question::new(Moment::default());
        question.hold();
        assert!(!question.asked());
        assert_eq!(
            press(&mut question, &answering, Key::char('A')),
            Verdict::Waiting
        );
        question.paste("AT0000000671", &answering);
        assert_eq!(question.line.value(), "", "nothing typed or pasted");
        assert_eq!(
            question.guard.ignored_sentence().as_deref(),
            Some("Keys typed before this appeared were ignored: A")
        );
        let mut yes = Question::new(Moment::default());
        yes.hold();
        assert_eq!(
            press(&mut yes, &yes_or_no(), Key::char('y')),
            Verdict::Waiting
        );
        assert_eq!(
            press(&mut yes, &yes_or_no(), Key::plain(KeyCode::Esc)),
            Verdict::Cancelled
        );
        let at = Moment {
            now: Duration::from_secs(5),
            batch: 9,
        };
        yes.ask(at);
        assert!(yes.asked());
        assert_eq!(
            yes.key(&KeyMap::default(), Key::char('y'), at, &yes_or_no()),
            Verdict::Waiting,
            "asked again: half a second to read it"
        );
        let later = Moment {
            now: Duration::from_secs(6),
            batch: 10,
        };
        assert_eq!(
            yes.key(&KeyMap::default(), Key::char('y'), later, &yes_or_no()),
            Verdict::Confirmed
        );
    }

    #[test]
    fn the_key_that_sends_a_typed_answer_is_told_it_does_not_answer_a_yes_or_no() {
        let mut question = Question::new(Moment::default());
        press(&mut question, &yes_or_no(), Key::char('x'));
        assert_eq!(question.mistake, None);
        press(&mut question, &yes_or_no(), Key::plain(KeyCode::Enter));
        assert_eq!(
            question.mistake.as_deref(),
            Some("Enter does not answer: y deactivates, n or Esc keeps it.")
        );
        // With the typed answer sent by another key, that key is the one named.
        let mut keys = KeyMap::default();
        keys.apply(Command::Submit, vec![ctrl(KeyCode::Char('j'))])
            .expect("applies");
        let mut question = Question::new(Moment::default());
        let answering = yes_or_no();
        question.key(&keys, Key::plain(KeyCode::Enter), LATER, &answering);
        assert_eq!(question.mistake, None, "Enter sends nothing now");
        question.key(&keys, Key::ctrl('j'), LATER, &answering);
        assert_eq!(
            question.mistake.as_deref(),
            Some("Ctrl-j does not answer: y deactivates, n or Esc keeps it.")
        );
    }

    #[test]
    fn a_typed_answer_confirms_only_when_it_is_the_text_asked_for() {
        let answering = typed("450");
        let mut question = Question::new(Moment::default());
        assert_eq!(
            press(&mut question, &answering, Key::char('y')),
            Verdict::Waiting,
            "y is a letter typed"
        );
        assert_eq!(question.line.value(), "y");
        assert_eq!(
            press(&mut question, &answering, Key::plain(KeyCode::Enter)),
            Verdict::Waiting
        );
        assert_eq!(
            question.mistake.as_deref(),
            Some("That is not 450; type it exactly, or Esc to cancel.")
        );
        press(&mut question, &answering, Key::ctrl('u'));
        assert_eq!(question.mistake, None, "editing clears the mistake");
        for c in "450".chars() {
            press(&mut question, &answering, Key::char(c));
        }
        assert_eq!(
            press(&mut question, &answering, Key::plain(KeyCode::Enter)),
            Verdict::Confirmed
        );
        let mut cancelled = Question::new(Moment::default());
        assert_eq!(
            press(&mut cancelled, &answering, Key::plain(KeyCode::Esc)),
            Verdict::Cancelled
        );
    }

    #[test]
    fn nothing_typed_confirms_a_question_that_cannot_be_answered() {
        let answering = Answering::from_core(
            Answer::Impossible,
            YesOrNo {
                context: Context::Confirm,
                yes_does: "deletes".into(),
                no_does: "keeps it",
            },
            || "a token".into(),
        );
        assert_eq!(answering.typed(), Some("a token"));
        let mut question = Question::new(Moment::default());
        question.paste("a token", &answering);
        assert_eq!(
            press(&mut question, &answering, Key::plain(KeyCode::Enter)),
            Verdict::Waiting
        );
        assert_eq!(
            question.mistake.as_deref(),
            Some("That is not a token; type it exactly, or Esc to cancel.")
        );
    }

    #[test]
    fn the_cores_answer_decides_typed_or_yes() {
        let words = || YesOrNo {
            context: Context::QuitPrompt,
            yes_does: "quits".into(),
            no_does: "stays",
        };
        let yes = Answering::from_core(Answer::Yes, words(), || unreachable!());
        assert_eq!(yes, Answering::YesOrNo(words()));
        assert_eq!(yes.context(), Context::QuitPrompt);
        assert_eq!(yes.typed(), None);
        let number = Typed {
            what: "token number",
            text: "AT0000000671".into(),
        };
        let typed = Answering::from_core(Answer::Type(number.clone()), words(), || unreachable!());
        assert_eq!(
            typed,
            Answering::Typed {
                wanted: Some(number),
                shown: "AT0000000671".into()
            }
        );
        assert_eq!(typed.context(), Context::TypedConfirm);
        assert_eq!(typed.typed(), Some("AT0000000671"));
    }

    #[test]
    fn a_paste_is_typed_without_its_control_characters_and_sends_nothing() {
        let answering = typed("AT0000000671");
        let mut question = Question::new(Moment::default());
        question.paste("AT00\u{1b}[1m000\u{1b}[m\t00671\r\n", &answering);
        assert_eq!(question.line.value(), "AT0000000671");
        assert_eq!(question.mistake, None);
        assert_eq!(
            press(&mut question, &answering, Key::plain(KeyCode::Enter)),
            Verdict::Confirmed
        );
        let mut yes_no = Question::new(Moment::default());
        yes_no.paste("y", &yes_or_no());
        assert_eq!(yes_no.line.value(), "", "nothing is typed into a yes or no");
    }

    #[test]
    fn a_pasted_reason_keeps_its_words_apart_and_loses_its_escape_sequences() {
        let mut question = Question::new(Moment::default());
        question.ask_reason(&ReasonPolicy {
            rule: crate::fate::reason::ReasonRule::Required,
            pattern: None,
        });
        question.paste(
            "Customer called\r\nlost \u{1b}[31mphone\u{1b}[m\tT-12",
            &typed("3"),
        );
        let reason = question.asking_reason().expect("the reason is asked");
        assert_eq!(reason.line.value(), "Customer called lost phone T-12");
        assert_eq!(
            question.line.value(),
            "",
            "the answer line waits for its turn"
        );
    }

    #[test]
    fn alt_or_ctrl_with_a_letter_types_nothing() {
        let answering = typed("AT0000000671");
        let mut question = Question::new(Moment::default());
        for key in [
            alt(KeyCode::Char('y')),
            Key::ctrl('y'),
            Key {
                code: KeyCode::Char('A'),
                ctrl: true,
                alt: true,
            },
        ] {
            assert_eq!(press(&mut question, &answering, key), Verdict::Waiting);
        }
        assert_eq!(question.line.value(), "");
    }

    /// The typed question holding `text` with the cursor at `cursor` (in characters), after
    /// `key`: what it holds and where the cursor is.
    fn edit(text: &str, cursor: usize, key: Key) -> (String, usize) {
        let mut question = Question::new(Moment::default());
        question.line.input = Input::new(text.into()).with_cursor(cursor);
        question.mistake = Some("That is not it".into());
        assert_eq!(
            press(&mut question, &typed("AT0000000671"), key),
            Verdict::Waiting
        );
        assert_eq!(question.mistake, None, "{key} is editing: the mistake goes");
        (
            question.line.value().to_owned(),
            question.line.input().cursor(),
        )
    }

    #[test]
    fn every_editing_key_of_the_answer_line_does_its_edit() {
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
}
