//! One token's way through an action, as a plain state machine both front-ends drive: the
//! console from its messages, the command line from its async loop. It decides what
//! reaches the server, so it is kept apart from either, and tested answer by answer.
//!
//! - Read first, so the action goes only to a token whose state allows it now; leave it out
//!   when it does not (or when there is no such token).
//! - Act, and judge the answer: done, refused, failed.
//! - An answer that proves nothing (lost, unreadable) is checked by reading the token
//!   again, never by sending the action again; so is any refusal, whatever the server's
//!   code and words, so that what is said (and shown) is the state it is in now.
//! - A busy server (429, 503) is waited out, up to [`BUSY_RETRIES`] times per token: the
//!   request it did not take is sent again after [`busy_back_off`]. An action answered 503
//!   is sent again only once a re-read shows it still undone.
//! - A re-read that fails is tried again, up to [`REREADS`] times, before the outcome is
//!   said to be unknown: a read cannot do anything twice, and the link that lost an answer
//!   often loses the next one too.

use std::time::Duration;

use crate::api::error::{BUSY_RETRIES, busy_back_off};
use crate::api::{AccessTokenIdentifier, Action, ApiError, Document, LifeCycleState, TokenSummary};

use super::vocabulary::{DELETED, Fate, LeftOut, Outcome, done_sentence, state_after};

/// How often a failed re-read is tried again before the outcome is said to be unknown.
pub const REREADS: u32 = 2;

/// A request the course asks its driver to send for the token.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Request {
    /// Read it before the action (`access_tokens/show`).
    Read,
    /// The action itself, through the audit log.
    Act,
    /// Read it again after an answer that proved nothing, or after a refusal.
    Reread,
}

/// What the driver does next for the token.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Next {
    /// Send this request, and hand its answer back.
    Send(Request),
    /// The server is busy: wait this long (holding back the other tokens of a batch too),
    /// then [`Course::proceed`].
    Pause(Duration),
    /// It ended so.
    End(Outcome),
    /// It ended so, and the audit log could not record an action's intent: nothing more of
    /// a batch may be sent.
    Halt(Outcome),
    /// Nothing to do: the answer was not one it waited for.
    Wait,
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Phase {
    /// Its turn has not come (not started, or after a pause): this is what it sends then.
    Due(Request),
    /// This request is out (or the driver was told to send it).
    Out(Request),
    Ended(Outcome),
}

/// An answer to the action that said nothing for sure: the re-read settles it.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Unproven {
    /// No answer (lost, or given up by the clerk), or one that does not prove what
    /// happened, in its own words; `busy` when the server said it was too busy to take it.
    Lost { said: String, busy: bool },
    /// The server said no: the re-read shows the state it is in now.
    Refused(ApiError),
}

/// What a clerk's cancelling of an action in flight leaves said of its answer.
pub const CANCELLED: &str = "Cancelled before the answer came.";

/// One token's way through an action.
#[derive(Clone, Debug)]
pub struct Course {
    action: Action,
    /// How it is found and acted on; `None` when there is nothing to do so by.
    identifier: Option<AccessTokenIdentifier>,
    /// What is known of it: first what the caller knew, then each answer's token.
    known: TokenSummary,
    /// Its state when it was read before the action.
    before: Option<LifeCycleState>,
    phase: Phase,
    /// Busy answers waited out so far.
    busy_retries: u32,
    /// Failed re-reads tried again so far.
    rereads: u32,
    unproven: Option<Unproven>,
    /// An earlier run sent the action without learning how it ended (a batch's journal).
    sent_before: bool,
    deleted: bool,
}

impl Course {
    /// A token to read first: the action goes only where the state read allows it.
    pub fn read_first(
        action: Action,
        identifier: Option<AccessTokenIdentifier>,
        known: TokenSummary,
    ) -> Course {
        Course::starting(action, identifier, known, Request::Read)
    }

    /// A token whose state the clerk has just confirmed the action against (or, from a
    /// script with `--yes`, one not read at all): the action is sent at once.
    pub fn confirmed(
        action: Action,
        identifier: AccessTokenIdentifier,
        known: TokenSummary,
    ) -> Course {
        let mut course = Course::starting(action, Some(identifier), known, Request::Act);
        course.before = Some(course.known.state.clone()).filter(|s| *s != LifeCycleState::Unknown);
        course
    }

    fn starting(
        action: Action,
        identifier: Option<AccessTokenIdentifier>,
        known: TokenSummary,
        first: Request,
    ) -> Course {
        Course {
            action,
            identifier,
            known,
            before: None,
            phase: Phase::Due(first),
            busy_retries: 0,
            rereads: 0,
            unproven: None,
            sent_before: false,
            deleted: false,
        }
    }

    /// An earlier run (killed) sent the action and never learnt how it ended: a read that
    /// finds it done (or, for a delete, gone) is that run's doing.
    pub fn sent_before(mut self) -> Course {
        self.sent_before = true;
        self
    }

    pub fn action(&self) -> Action {
        self.action
    }

    /// How the token is found and acted on.
    pub fn identifier(&self) -> Option<&AccessTokenIdentifier> {
        self.identifier.as_ref()
    }

    /// What is known of the token: what the caller knew, updated by every answer.
    pub fn known(&self) -> &TokenSummary {
        &self.known
    }

    /// The action deleted it (or a re-read after a lost answer found it gone).
    pub fn deleted(&self) -> bool {
        self.deleted
    }

    /// The request out for it, if any.
    pub fn out(&self) -> Option<Request> {
        match self.phase {
            Phase::Out(request) => Some(request),
            _ => None,
        }
    }

    /// How it ended, once it has.
    pub fn outcome(&self) -> Option<&Outcome> {
        match &self.phase {
            Phase::Ended(outcome) => Some(outcome),
            _ => None,
        }
    }

    /// Its turn: what to send (to begin, or after a pause). A token with nothing to be
    /// found by is left out.
    pub fn proceed(&mut self) -> Next {
        match &self.phase {
            Phase::Due(request) => {
                let request = *request;
                if self.identifier.is_none() {
                    return self.end(Outcome::left_out(self.action, LeftOut::NoCode));
                }
                self.phase = Phase::Out(request);
                Next::Send(request)
            }
            Phase::Out(_) => Next::Wait,
            Phase::Ended(outcome) => Next::End(outcome.clone()),
        }
    }

    /// The answer to a read ([`Request::Read`] or [`Request::Reread`]).
    pub fn answered(&mut self, result: &Result<Document, ApiError>) -> Next {
        match self.phase {
            Phase::Out(Request::Read) => self.read(result),
            Phase::Out(Request::Reread) => self.reread(result),
            _ => Next::Wait,
        }
    }

    /// The answer to the action, and what the audited action's own re-read found, when it
    /// made one (after a lost answer or a refusal): that is the check, made once.
    pub fn acted(
        &mut self,
        result: &Result<Document, ApiError>,
        reread: Option<&Result<Document, ApiError>>,
    ) -> Next {
        if self.phase != Phase::Out(Request::Act) {
            return Next::Wait;
        }
        match result {
            Ok(answer) => {
                let after = state_after(self.action, answer);
                if self.action == Action::Delete {
                    self.deleted = true;
                } else {
                    self.learn(answer);
                }
                let sentence = done_sentence(self.action);
                self.end_with(Fate::Done, sentence, Some(after))
            }
            Err(lost) if lost.outcome_unknown() => {
                self.unproven = Some(Unproven::Lost {
                    said: lost.to_string(),
                    busy: lost.is_busy(),
                });
                self.check(reread)
            }
            Err(busy) if busy.is_busy() => self.pause_or(Request::Act, busy, "Not done"),
            // Its sentence says that nothing was sent.
            Err(unaudited @ ApiError::NotAudited(_)) => {
                let outcome = Outcome::new(Fate::Failed, unaudited.to_string());
                self.phase = Phase::Ended(outcome.clone());
                Next::Halt(outcome)
            }
            Err(refused) if refused.is_refusal() => {
                self.unproven = Some(Unproven::Refused(refused.clone()));
                self.check(reread)
            }
            Err(error) => {
                let fate = Fate::of_answer(result);
                let sentence = match fate {
                    Fate::Refused => error.to_string(),
                    _ => format!("Not {}: {error}", self.action.past_tense()),
                };
                let after = self.before.as_ref().map(ToString::to_string);
                self.end_with(fate, sentence, after)
            }
        }
    }

    /// The clerk gave up waiting for the action's answer (it may have reached the server):
    /// what happened is found out by a re-read, as after a lost answer.
    pub fn cancelled(&mut self) -> Next {
        if self.phase != Phase::Out(Request::Act) {
            return Next::Wait;
        }
        self.unproven = Some(Unproven::Lost {
            said: CANCELLED.to_owned(),
            busy: false,
        });
        self.check(None)
    }

    /// The batch was stopped: a token whose action has not gone out is left out. One with
    /// a read or a check out goes on (`None`): the driver stops it instead of sending the
    /// action that read asks for, and a lost answer is always checked.
    pub fn stop(&mut self) -> Option<Outcome> {
        self.end_unsent(Outcome::left_out(self.action, LeftOut::Stopped))
    }

    /// The audit log could not record an intent: nothing more is sent, and a token whose
    /// action has not gone out fails, as [`Course::stop`] leaves it out.
    pub fn halt(&mut self) -> Option<Outcome> {
        self.end_unsent(Outcome::not_sent("the audit log could not be written."))
    }

    fn end_unsent(&mut self, outcome: Outcome) -> Option<Outcome> {
        match self.phase {
            Phase::Due(Request::Read | Request::Act) | Phase::Out(Request::Act) => {
                let outcome = Outcome {
                    before: self.before.as_ref().map(ToString::to_string),
                    after: self.before.as_ref().map(ToString::to_string),
                    ..outcome
                };
                self.phase = Phase::Ended(outcome.clone());
                Some(outcome)
            }
            _ => None,
        }
    }

    fn read(&mut self, result: &Result<Document, ApiError>) -> Next {
        let action = self.action;
        let token = match result {
            Ok(token) => token,
            Err(busy) if busy.is_busy() => {
                return self.pause_or(Request::Read, busy, "Nothing sent");
            }
            Err(gone) if gone.is_not_found() && self.sent_before && action == Action::Delete => {
                self.deleted = true;
                return self.end_with(
                    Fate::Done,
                    "Deleted by the earlier run that was cut short.".into(),
                    Some(DELETED.into()),
                );
            }
            Err(missing) if missing.is_not_found() => {
                return self.end(Outcome {
                    left_out: Some(LeftOut::NotFound),
                    ..Outcome::new(Fate::LeftOut, format!("Nothing sent: {missing}"))
                });
            }
            Err(failed) => {
                return self.end_with(
                    Fate::Failed,
                    format!("Nothing sent: it could not be read. {failed}"),
                    None,
                );
            }
        };
        self.learn(token);
        let state = self.known.state.clone();
        self.before = Some(state.clone());
        if self.sent_before && action.resulting_state().as_ref() == Some(&state) {
            return self.end_with(
                Fate::Done,
                format!("Already {state}: done by the earlier run that was cut short."),
                Some(state.to_string()),
            );
        }
        match LeftOut::by_state(action, &state) {
            Some(why) => self.end(Outcome::left_out(action, why)),
            None => {
                self.phase = Phase::Out(Request::Act);
                Next::Send(Request::Act)
            }
        }
    }

    /// The action's answer proved nothing, or was a refusal: what the audited action's own
    /// re-read found, else a re-read of its own.
    fn check(&mut self, reread: Option<&Result<Document, ApiError>>) -> Next {
        self.phase = Phase::Out(Request::Reread);
        match reread {
            Some(found) => self.reread(found),
            None => Next::Send(Request::Reread),
        }
    }

    fn reread(&mut self, result: &Result<Document, ApiError>) -> Next {
        let Some(unproven) = self.unproven.clone() else {
            return Next::Wait;
        };
        let past = self.action.past_tense();
        match (result, &unproven) {
            (Ok(token), _) => {
                self.learn(token);
                self.seen(&unproven)
            }
            (Err(gone), Unproven::Lost { said: lost, .. })
                if gone.is_not_found() && self.action == Action::Delete =>
            {
                self.deleted = true;
                self.end_with(
                    Fate::Done,
                    format!("Deleted. Checked after a lost answer: {lost}"),
                    Some(DELETED.into()),
                )
            }
            (Err(gone), Unproven::Refused(refused)) if gone.is_not_found() => self.end_with(
                Fate::Refused,
                format!("{refused} Reading it again found no such token."),
                None,
            ),
            (Err(gone), Unproven::Lost { said: lost, .. }) if gone.is_not_found() => self.end_with(
                Fate::Unknown,
                format!(
                    "Not known whether it was {past}: the answer was lost, and reading it again found no such token. {lost}"
                ),
                None,
            ),
            (Err(busy), _) if busy.is_busy() && self.busy_retries < BUSY_RETRIES => {
                self.pause(Request::Reread)
            }
            (Err(_), _) if self.rereads < REREADS => {
                self.rereads += 1;
                Next::Send(Request::Reread)
            }
            (Err(unread), Unproven::Refused(refused)) => {
                let after = self.before.as_ref().map(ToString::to_string);
                self.end_with(
                    Fate::Refused,
                    format!("{refused} Reading it again failed: {unread}"),
                    after,
                )
            }
            (Err(unread), Unproven::Lost { said: lost, .. }) => self.end_with(
                Fate::Unknown,
                format!(
                    "Not known whether it was {past}: the answer was lost, and reading it again failed. {lost} {unread}"
                ),
                None,
            ),
        }
    }

    /// What a re-read that found the token proves about an action that was not proven.
    fn seen(&mut self, unproven: &Unproven) -> Next {
        let action = self.action;
        let state = self.known.state.clone();
        let after = Some(state.to_string());
        match unproven {
            // Its state now explains the refusal: said so, whatever the server's code and
            // words (the audit log keeps those): changed since it was read, or, never read
            // (`--yes`), in the one wording of a state the action is not allowed from.
            Unproven::Refused(_) if action.refusal(&state).is_some() => {
                let sentence = match &self.before {
                    Some(before) if *before != state => format!(
                        "Not {}: it is {state} now, changed since it was read.",
                        action.past_tense()
                    ),
                    _ => action.refusal(&state).unwrap_or_default(),
                };
                self.end_with(Fate::Refused, sentence, after)
            }
            Unproven::Refused(refused) => self.end_with(
                Fate::Refused,
                format!("{refused} It is {state} now."),
                after,
            ),
            Unproven::Lost { said: lost, .. }
                if action.resulting_state().as_ref() == Some(&state) =>
            {
                let done = done_sentence(action);
                self.end_with(
                    Fate::Done,
                    format!("{done} Checked after a lost answer: {lost}"),
                    after,
                )
            }
            // A busy server did not take it, and it is still in the state the action needs:
            // sending it again cannot do it twice.
            Unproven::Lost { busy: true, .. }
                if state == action.required_state() && self.busy_retries < BUSY_RETRIES =>
            {
                self.unproven = None;
                self.pause(Request::Act)
            }
            Unproven::Lost { said: lost, .. } => self.end_with(
                Fate::Refused,
                format!(
                    "Not {}; it is {state}. Checked after a lost answer: {lost}",
                    action.past_tense()
                ),
                after,
            ),
        }
    }

    /// Waits out a busy server, up to [`BUSY_RETRIES`] times; then the token fails with
    /// `consequence` ("Nothing sent").
    fn pause_or(&mut self, request: Request, busy: &ApiError, consequence: &str) -> Next {
        if self.busy_retries < BUSY_RETRIES {
            return self.pause(request);
        }
        let after = self.before.as_ref().map(ToString::to_string);
        self.end_with(
            Fate::Failed,
            format!("{consequence}: the server stayed busy. {busy}"),
            after,
        )
    }

    fn pause(&mut self, then: Request) -> Next {
        self.busy_retries += 1;
        self.phase = Phase::Due(then);
        Next::Pause(busy_back_off(self.busy_retries - 1))
    }

    fn end_with(&mut self, fate: Fate, sentence: String, after: Option<String>) -> Next {
        self.end(Outcome {
            after,
            ..Outcome::new(fate, sentence)
        })
    }

    fn end(&mut self, outcome: Outcome) -> Next {
        let outcome = Outcome {
            before: outcome
                .before
                .or_else(|| self.before.as_ref().map(ToString::to_string)),
            ..outcome
        };
        self.phase = Phase::Ended(outcome.clone());
        Next::End(outcome)
    }

    /// What an answer shows of the token replaces what was known, except what it lacks.
    fn learn(&mut self, token: &Document) {
        if !token.value.is_object() {
            return;
        }
        let fresh = TokenSummary::from_value(&token.value);
        let known = std::mem::take(&mut self.known);
        self.known = TokenSummary {
            number: fresh.number.clone().or(known.number),
            authentication_code: fresh
                .authentication_code
                .clone()
                .or(known.authentication_code),
            id: fresh.id.clone().or(known.id),
            identifier: fresh.identifier.clone().or(known.identifier),
            ..fresh
        };
    }
}

#[cfg(test)]
mod tests;
