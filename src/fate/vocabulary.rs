//! The one vocabulary a token's action ends in, and the words for each: the console's rows
//! and status bar, the command line's lines, summary and `--json`, and the audit log say
//! the same five things.

use serde::{Deserialize, Serialize};

use crate::api::{Action, ApiError, Document, LifeCycleState, TokenSummary};
use crate::text::capitalised;

/// How an action on one token ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Fate {
    /// Nothing sent: its state does not allow the action (or it is already in the state the
    /// action leads to), it was not found, it has nothing to be found by, or the batch was
    /// stopped first.
    LeftOut,
    /// Done: the answer shows it, or a re-read after a lost answer does.
    Done,
    /// The server said no (or, after a lost answer, the re-read shows it not done).
    Refused,
    /// Nothing happened: it could not be read, or the request could not go.
    Failed,
    /// Sent, and neither the answer nor a re-read says what happened.
    Unknown,
}

impl Fate {
    /// The word people read: "left out", "done", ...
    pub fn word(self) -> &'static str {
        match self {
            Fate::LeftOut => "left out",
            Fate::Done => "done",
            Fate::Refused => "refused",
            Fate::Failed => "failed",
            Fate::Unknown => "unknown",
        }
    }

    /// What an action's answer, when it arrived (or the request certainly did not go),
    /// proves: done, refused by the server (whatever its code, not found too), or failed.
    /// A lost answer (`ApiError::outcome_unknown`) proves nothing; the course re-reads.
    pub fn of_answer(result: &Result<Document, ApiError>) -> Fate {
        match result {
            Ok(_) => Fate::Done,
            Err(ApiError::Server { .. }) => Fate::Refused,
            Err(_) => Fate::Failed,
        }
    }
}

/// Why a token is left out, nothing sent.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LeftOut {
    /// Already in the state the action leads to: nothing left to do.
    Already(LifeCycleState),
    /// In a state the action is not allowed from.
    Forbidden(LifeCycleState),
    /// CRM.COM has no such token.
    NotFound,
    /// Nothing to find it by: no authentication code (or the input gave a number).
    NoCode,
    /// The batch was stopped before it was sent.
    Stopped,
}

/// Why a token without an authentication code is not acted on: CRM.COM acts by code.
pub const NO_CODE: &str = "No authentication code to act by; nothing sent.";

impl LeftOut {
    /// Why `token`, as last read, is left out of `action`, or `None` when it is acted on.
    pub fn of(action: Action, token: &TokenSummary) -> Option<LeftOut> {
        if token.authentication_code.is_none() {
            Some(LeftOut::NoCode)
        } else {
            LeftOut::by_state(action, &token.state)
        }
    }

    /// Why a token in `state` is left out of `action`, or `None` when the state allows it.
    pub fn by_state(action: Action, state: &LifeCycleState) -> Option<LeftOut> {
        if action.resulting_state().as_ref() == Some(state) {
            Some(LeftOut::Already(state.clone()))
        } else if action.refusal(state).is_some() {
            Some(LeftOut::Forbidden(state.clone()))
        } else {
            None
        }
    }

    /// Nothing is left to do for it: it is in the state the action leads to.
    pub fn settled(&self) -> bool {
        matches!(self, LeftOut::Already(_))
    }

    /// The words after a count: "already NOT_EFFECTIVE", "PENDING_VERIFICATION: needs
    /// EFFECTIVE".
    pub fn reason(&self, action: Action) -> String {
        match self {
            LeftOut::Already(state) => format!("already {state}"),
            LeftOut::Forbidden(state) => format!("{state}: needs {}", action.required_state()),
            LeftOut::NotFound => "not found".into(),
            LeftOut::NoCode => "without an authentication code".into(),
            LeftOut::Stopped => "stopped before they were sent".into(),
        }
    }

    /// The token's own sentence: "Already NOT_EFFECTIVE; nothing sent." A state the action
    /// is not allowed from is worded once, as `Action::refusal` says it, everywhere.
    pub fn sentence(&self, action: Action) -> String {
        match self {
            LeftOut::Already(state) => format!("Already {state}; nothing sent."),
            LeftOut::Forbidden(state) => format!(
                "{} Nothing sent.",
                action.refusal(state).unwrap_or_default()
            ),
            LeftOut::NotFound => "Not found; nothing sent.".into(),
            LeftOut::NoCode => NO_CODE.into(),
            LeftOut::Stopped => "Stopped before it was sent.".into(),
        }
    }
}

/// How one token ended, with the words for it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Outcome {
    pub fate: Fate,
    /// Why it was left out, when it was.
    pub left_out: Option<LeftOut>,
    /// What happened, in a sentence that does not name the token (a row names it).
    pub sentence: String,
    /// Its state when it was read before the action.
    pub before: Option<String>,
    /// Its state now, as last seen (`DELETED` once deleted).
    pub after: Option<String>,
    /// A resume took it as done from its journal's word, unread.
    pub from_journal: bool,
}

impl Outcome {
    pub(crate) fn new(fate: Fate, sentence: String) -> Outcome {
        Outcome {
            fate,
            left_out: None,
            sentence,
            before: None,
            after: None,
            from_journal: false,
        }
    }

    /// Left out of `action` for `why`, nothing sent.
    pub fn left_out(action: Action, why: LeftOut) -> Outcome {
        let mut outcome = Outcome::new(Fate::LeftOut, why.sentence(action));
        if let LeftOut::Already(state) | LeftOut::Forbidden(state) = &why {
            outcome.before = Some(state.to_string());
            outcome.after = Some(state.to_string());
        }
        outcome.left_out = Some(why);
        outcome
    }

    /// Left out for want of anything to find it by, in the input's own words (a token
    /// number given where a code goes says what to type instead).
    pub fn not_addressable(sentence: impl Into<String>) -> Outcome {
        Outcome {
            left_out: Some(LeftOut::NoCode),
            ..Outcome::new(Fate::LeftOut, sentence.into())
        }
    }

    /// Done by the interrupted run a resume goes on with: its journal says so, and it is
    /// not read again.
    pub fn done_before() -> Outcome {
        Outcome {
            from_journal: true,
            ..Outcome::new(
                Fate::Done,
                "Done by the interrupted run this one resumes (its journal says so); not read again."
                    .into(),
            )
        }
    }

    /// Nothing was sent, for a reason of the front-end's own (a journal that cannot be
    /// written): `why` completes "Not sent: ".
    pub fn not_sent(why: &str) -> Outcome {
        Outcome::new(Fate::Failed, format!("Not sent: {why}"))
    }

    /// Nothing left to do for it: done, or already in the state the action leads to.
    pub fn settled(&self) -> bool {
        self.fate == Fate::Done || self.left_out.as_ref().is_some_and(LeftOut::settled)
    }

    /// The sentence with the token's name as its subject, for a message about one token:
    /// "AT0000000671: Deactivated; it is now NOT_EFFECTIVE."
    pub fn said_of(&self, name: &str) -> String {
        format!("{name}: {}", self.sentence)
    }

    /// The sentence, with the audit log's news that it could not record how it ended.
    pub fn noting(mut self, unrecorded: Option<&str>) -> Outcome {
        if let Some(unrecorded) = unrecorded {
            self.sentence = format!("{} {unrecorded}", self.sentence);
        }
        self
    }
}

/// The state a token is in after `action` was answered with `answer`: `DELETED` after a
/// delete; else the state the answer shows, or the one the action leads to when the answer
/// does not say.
pub fn state_after(action: Action, answer: &Document) -> String {
    match action.resulting_state() {
        None => DELETED.to_owned(),
        Some(expected) => match TokenSummary::from_value(&answer.value).state {
            LifeCycleState::Unknown => expected.to_string(),
            state => state.to_string(),
        },
    }
}

/// How the state of a deleted token reads.
pub const DELETED: &str = "DELETED";

/// "Deactivated.": the state it is in now is beside it, in a row's state column.
pub(crate) fn done_sentence(action: Action) -> String {
    format!("{}.", capitalised(action.past_tense()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_five_words_are_the_json_words_too() {
        for (fate, word, json) in [
            (Fate::LeftOut, "left out", "left_out"),
            (Fate::Done, "done", "done"),
            (Fate::Refused, "refused", "refused"),
            (Fate::Failed, "failed", "failed"),
            (Fate::Unknown, "unknown", "unknown"),
        ] {
            assert_eq!(fate.word(), word);
            assert_eq!(serde_json::to_value(fate).expect("JSON"), json!(json));
        }
    }

    #[test]
    fn an_answer_proves_done_refused_or_failed() {
        let token = Document::from(json!({"life_cycle_state": "NOT_EFFECTIVE"}));
        assert_eq!(Fate::of_answer(&Ok(token)), Fate::Done);
        for refusal in [
            ApiError::server("ERROR", "Only Effective tokens"),
            ApiError::server("NOT_FOUND", "No such token."),
        ] {
            assert_eq!(Fate::of_answer(&Err(refusal)), Fate::Refused);
        }
        let unreachable = ApiError::Connect {
            host: "h".into(),
            detail: String::new(),
        };
        assert_eq!(Fate::of_answer(&Err(unreachable)), Fate::Failed);
    }

    #[test]
    fn a_token_is_left_out_by_its_state_or_for_want_of_a_code() {
        use LifeCycleState::*;
        let token = |state: LifeCycleState, code: Option<&str>| TokenSummary {
            state,
            authentication_code: code.map(Into::into),
            ..TokenSummary::default()
        };
        let deactivate = Action::Deactivate;
        assert_eq!(LeftOut::of(deactivate, &token(Effective, Some("c"))), None);
        assert_eq!(
            LeftOut::of(deactivate, &token(NotEffective, Some("c"))),
            Some(LeftOut::Already(NotEffective))
        );
        assert_eq!(
            LeftOut::of(deactivate, &token(PendingVerification, Some("c"))),
            Some(LeftOut::Forbidden(PendingVerification))
        );
        assert_eq!(
            LeftOut::of(deactivate, &token(Effective, None)),
            Some(LeftOut::NoCode)
        );
        // Nothing is ever "already deleted": a token read is there.
        assert_eq!(
            LeftOut::by_state(Action::Delete, &Effective),
            Some(LeftOut::Forbidden(Effective))
        );
        assert!(LeftOut::Already(NotEffective).settled());
        for unsettled in [
            LeftOut::Forbidden(Effective),
            LeftOut::NotFound,
            LeftOut::NoCode,
            LeftOut::Stopped,
        ] {
            assert!(!unsettled.settled(), "{unsettled:?}");
        }
    }

    #[test]
    fn a_state_the_action_is_not_allowed_from_is_worded_once() {
        let why = LeftOut::Forbidden(LifeCycleState::PendingVerification);
        assert_eq!(
            why.sentence(Action::Deactivate),
            "Only EFFECTIVE tokens can be deactivated; this one is PENDING_VERIFICATION. Nothing sent."
        );
        assert_eq!(
            why.reason(Action::Deactivate),
            "PENDING_VERIFICATION: needs EFFECTIVE"
        );
        assert_eq!(
            LeftOut::Already(LifeCycleState::NotEffective).reason(Action::Deactivate),
            "already NOT_EFFECTIVE"
        );
        assert_eq!(LeftOut::NotFound.reason(Action::Delete), "not found");
        assert_eq!(
            LeftOut::NoCode.reason(Action::Delete),
            "without an authentication code"
        );
        assert_eq!(
            LeftOut::Stopped.reason(Action::Delete),
            "stopped before they were sent"
        );
        for (why, sentence) in [
            (
                LeftOut::Already(LifeCycleState::Effective),
                "Already EFFECTIVE; nothing sent.",
            ),
            (LeftOut::NotFound, "Not found; nothing sent."),
            (LeftOut::NoCode, NO_CODE),
            (LeftOut::Stopped, "Stopped before it was sent."),
        ] {
            assert_eq!(why.sentence(Action::Activate), sentence);
        }
    }

    #[test]
    fn an_outcome_is_settled_only_when_nothing_is_left_to_do() {
        let action = Action::Deactivate;
        let already = Outcome::left_out(action, LeftOut::Already(LifeCycleState::NotEffective));
        assert!(already.settled());
        assert_eq!(already.before.as_deref(), Some("NOT_EFFECTIVE"));
        assert_eq!(already.after.as_deref(), Some("NOT_EFFECTIVE"));
        let forbidden = Outcome::left_out(action, LeftOut::Forbidden(LifeCycleState::Unknown));
        assert!(!forbidden.settled());
        assert!(Outcome::done_before().settled());
        assert!(Outcome::done_before().from_journal);
        assert_eq!(Outcome::done_before().fate, Fate::Done);
        assert!(!Outcome::not_sent("why.").settled());
        assert_eq!(Outcome::not_sent("why.").sentence, "Not sent: why.");
        let odd = Outcome::not_addressable("AT1 is a token number.");
        assert_eq!(
            (odd.fate, odd.left_out, odd.sentence.as_str()),
            (
                Fate::LeftOut,
                Some(LeftOut::NoCode),
                "AT1 is a token number."
            )
        );
        assert_eq!(forbidden.said_of("AT1").split(": ").next(), Some("AT1"));
        assert_eq!(
            already.clone().noting(Some("Unrecorded.")).sentence,
            "Already NOT_EFFECTIVE; nothing sent. Unrecorded."
        );
        assert_eq!(already.clone().noting(None), already);
    }

    #[test]
    fn the_state_after_an_answer_is_the_one_it_shows_else_the_one_expected() {
        let shows = |state: &str| Document::from(json!({ "life_cycle_state": state }));
        let blank = Document::from(json!({}));
        assert_eq!(state_after(Action::Delete, &shows("EFFECTIVE")), "DELETED");
        assert_eq!(
            state_after(Action::Deactivate, &blank),
            "NOT_EFFECTIVE",
            "an answer without a state"
        );
        assert_eq!(
            state_after(Action::Activate, &shows("PENDING_VERIFICATION")),
            "PENDING_VERIFICATION"
        );
        assert_eq!(done_sentence(Action::Activate), "Re-activated.");
        assert_eq!(done_sentence(Action::Delete), "Deleted.");
    }
}
