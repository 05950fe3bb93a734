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

use super::outcome::{DELETED, Fate, LeftOut, Outcome, done_sentence, state_after};

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
            // Its state now explains the refusal: said so, in the words of a state
            // refusal, whatever the server's code and words (the audit log keeps those).
            Unproven::Refused(_) if action.refusal(&state).is_some() => self.end_with(
                Fate::Refused,
                format!(
                    "Not {}: it is {state} now, changed since it was read.",
                    action.past_tense()
                ),
                after,
            ),
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

/// Each answer's decision on its own, for every path a token can take: what `cargo
/// mutants` needs to see each rule pinned.
#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    const CODE: &str = "CODE7";

    fn code() -> AccessTokenIdentifier {
        AccessTokenIdentifier::AuthenticationCode(CODE.into())
    }

    /// One token as a results page or a list showed it.
    fn listed(state: LifeCycleState) -> TokenSummary {
        TokenSummary {
            id: Some("4f1c".into()),
            number: Some("AT0000000007".into()),
            authentication_code: Some(CODE.into()),
            state,
            ..TokenSummary::default()
        }
    }

    fn fresh(action: Action) -> Course {
        Course::read_first(action, Some(code()), listed(action.required_state()))
    }

    /// An answer that shows only the token's state.
    fn token_in(state: &str) -> Result<Document, ApiError> {
        Ok(Document::from(json!({ "life_cycle_state": state })))
    }

    fn not_found() -> ApiError {
        ApiError::server("NOT_FOUND", "No such token.")
    }

    fn refusal() -> ApiError {
        ApiError::server(
            "ERROR",
            "Only Effective access tokens can be set as Not Effective",
        )
    }

    fn unreachable() -> ApiError {
        ApiError::Connect {
            host: "crm.example".into(),
            detail: "connection refused".into(),
        }
    }

    fn status(status: u16) -> ApiError {
        ApiError::HttpStatus {
            status,
            snippet: String::new(),
        }
    }

    fn timed_out() -> ApiError {
        ApiError::TimedOut {
            after: Duration::from_secs(30),
        }
    }

    /// Read, found in the state the action needs: the action is to be sent.
    fn to_act(action: Action) -> Course {
        let mut course = fresh(action);
        assert_eq!(course.proceed(), Next::Send(Request::Read));
        assert_eq!(course.out(), Some(Request::Read));
        let state = action.required_state().to_string();
        assert_eq!(course.answered(&token_in(&state)), Next::Send(Request::Act));
        assert_eq!(course.out(), Some(Request::Act));
        course
    }

    fn ended(next: Next) -> Outcome {
        match next {
            Next::End(outcome) => outcome,
            other => panic!("not ended: {other:?}"),
        }
    }

    /// The action was answered with `lost`: the token is to be read again.
    fn lost(action: Action, error: ApiError) -> Course {
        let mut course = to_act(action);
        assert_eq!(course.acted(&Err(error), None), Next::Send(Request::Reread));
        assert_eq!(course.out(), Some(Request::Reread));
        course
    }

    #[test]
    fn a_token_read_in_the_state_the_action_needs_is_acted_on_and_done() {
        let mut course = to_act(Action::Deactivate);
        let done = ended(course.acted(&token_in("NOT_EFFECTIVE"), None));
        assert_eq!(done.fate, Fate::Done);
        assert_eq!(done.sentence, "Deactivated.");
        assert_eq!(done.before.as_deref(), Some("EFFECTIVE"));
        assert_eq!(done.after.as_deref(), Some("NOT_EFFECTIVE"));
        assert_eq!(course.known().state, LifeCycleState::NotEffective);
        assert!(!course.deleted());
        assert_eq!(course.outcome(), Some(&done));
        assert_eq!(course.proceed(), Next::End(done), "ended stays ended");
        assert_eq!(course.out(), None);

        let mut course = to_act(Action::Delete);
        let deleted = ended(course.acted(&token_in("NOT_EFFECTIVE"), None));
        assert_eq!(
            (
                deleted.fate,
                deleted.sentence.as_str(),
                deleted.after.as_deref()
            ),
            (Fate::Done, "Deleted.", Some("DELETED"))
        );
        assert!(course.deleted());
        assert_eq!(
            course.known().state,
            LifeCycleState::NotEffective,
            "a deleted token's answer is not learnt"
        );
    }

    #[test]
    fn a_token_whose_state_does_not_allow_the_action_is_left_out_unsent() {
        for (state, why) in [
            (
                "NOT_EFFECTIVE",
                LeftOut::Already(LifeCycleState::NotEffective),
            ),
            (
                "PENDING_VERIFICATION",
                LeftOut::Forbidden(LifeCycleState::PendingVerification),
            ),
        ] {
            let mut course = fresh(Action::Deactivate);
            course.proceed();
            let left_out = ended(course.answered(&token_in(state)));
            assert_eq!(left_out.fate, Fate::LeftOut, "{state}");
            assert_eq!(left_out.sentence, why.sentence(Action::Deactivate));
            assert_eq!(left_out.left_out, Some(why));
            assert_eq!(left_out.before.as_deref(), Some(state));
            assert_eq!(left_out.after.as_deref(), Some(state));
        }
    }

    #[test]
    fn a_read_that_finds_no_token_leaves_it_out_and_one_that_fails_fails() {
        let mut course = fresh(Action::Deactivate);
        course.proceed();
        let gone = ended(course.answered(&Err(not_found())));
        assert_eq!(
            (gone.fate, gone.left_out),
            (Fate::LeftOut, Some(LeftOut::NotFound))
        );
        assert_eq!(gone.sentence, "Nothing sent: No such token. (NOT_FOUND)");

        let mut course = course_failing_read();
        let failed = ended(course.answered(&Err(unreachable())));
        assert_eq!(failed.fate, Fate::Failed);
        assert!(
            failed
                .sentence
                .starts_with("Nothing sent: it could not be read. Cannot reach"),
            "{failed:?}"
        );
        assert_eq!(failed.before, None);
    }

    fn course_failing_read() -> Course {
        let mut course = fresh(Action::Activate);
        course.proceed();
        course
    }

    #[test]
    fn a_token_with_nothing_to_find_it_by_is_left_out_without_a_request() {
        let mut course = Course::read_first(
            Action::Delete,
            None,
            TokenSummary {
                state: LifeCycleState::NotEffective,
                ..TokenSummary::default()
            },
        );
        let left_out = ended(course.proceed());
        assert_eq!(left_out.left_out, Some(LeftOut::NoCode));
        assert_eq!(course.identifier(), None);
        assert_eq!(course.action(), Action::Delete);
    }

    #[test]
    fn a_busy_server_is_waited_out_five_times_then_the_token_fails() {
        for (request, consequence) in [(Request::Read, "Nothing sent"), (Request::Act, "Not done")]
        {
            let mut course = match request {
                Request::Act => to_act(Action::Deactivate),
                _ => {
                    let mut course = fresh(Action::Deactivate);
                    course.proceed();
                    course
                }
            };
            for retry in 0..BUSY_RETRIES {
                let next = match request {
                    Request::Act => course.acted(&Err(status(429)), None),
                    _ => course.answered(&Err(status(429))),
                };
                assert_eq!(next, Next::Pause(busy_back_off(retry)), "{request:?}");
                assert_eq!(course.out(), None, "nothing out during the pause");
                assert_eq!(course.proceed(), Next::Send(request), "the same again");
            }
            let given_up = match request {
                Request::Act => ended(course.acted(&Err(status(429)), None)),
                _ => ended(course.answered(&Err(status(429)))),
            };
            assert_eq!(given_up.fate, Fate::Failed);
            assert!(
                given_up
                    .sentence
                    .starts_with(&format!("{consequence}: the server stayed busy.")),
                "{given_up:?}"
            );
        }
    }

    #[test]
    fn a_lost_answer_is_checked_by_a_re_read_never_by_sending_again() {
        let mut course = lost(Action::Deactivate, timed_out());
        let done = ended(course.answered(&token_in("NOT_EFFECTIVE")));
        assert_eq!(done.fate, Fate::Done);
        assert_eq!(
            done.sentence,
            "Deactivated. Checked after a lost answer: The server did not answer within 30 s."
        );
        assert_eq!(done.after.as_deref(), Some("NOT_EFFECTIVE"));

        let mut course = lost(Action::Activate, timed_out());
        let not_done = ended(course.answered(&token_in("NOT_EFFECTIVE")));
        assert_eq!(not_done.fate, Fate::Refused);
        assert!(
            not_done
                .sentence
                .starts_with("Not re-activated; it is NOT_EFFECTIVE. Checked after a lost answer:"),
            "{not_done:?}"
        );
        assert_eq!(not_done.before.as_deref(), Some("NOT_EFFECTIVE"));
        assert_eq!(not_done.after.as_deref(), Some("NOT_EFFECTIVE"));
    }

    #[test]
    fn the_audited_actions_own_re_read_is_the_check_and_a_failed_one_is_tried_again() {
        let mut course = to_act(Action::Deactivate);
        let done = ended(course.acted(&Err(timed_out()), Some(&token_in("NOT_EFFECTIVE"))));
        assert_eq!(done.fate, Fate::Done);

        let mut course = to_act(Action::Deactivate);
        assert_eq!(
            course.acted(&Err(timed_out()), Some(&Err(unreachable()))),
            Next::Send(Request::Reread),
            "its re-read failed: read again"
        );
        assert_eq!(
            ended(course.answered(&token_in("NOT_EFFECTIVE"))).fate,
            Fate::Done
        );
    }

    #[test]
    fn a_failed_re_read_is_tried_again_twice_then_the_outcome_is_unknown() {
        let mut course = lost(Action::Deactivate, timed_out());
        for _ in 0..REREADS {
            assert_eq!(
                course.answered(&Err(unreachable())),
                Next::Send(Request::Reread)
            );
        }
        let unknown = ended(course.answered(&Err(unreachable())));
        assert_eq!(unknown.fate, Fate::Unknown);
        assert!(
            unknown.sentence.starts_with(
                "Not known whether it was deactivated: the answer was lost, and reading it again failed. The server did not answer within 30 s. Cannot reach"
            ),
            "{unknown:?}"
        );
        assert_eq!(unknown.after, None);
    }

    #[test]
    fn a_lost_delete_is_done_only_when_the_re_read_finds_no_token() {
        let mut course = lost(Action::Delete, timed_out());
        let gone = ended(course.answered(&Err(not_found())));
        assert_eq!(gone.fate, Fate::Done);
        assert!(
            gone.sentence
                .starts_with("Deleted. Checked after a lost answer:")
        );
        assert_eq!(gone.after.as_deref(), Some("DELETED"));
        assert!(course.deleted());

        // A deactivation's token gone: whether it was deactivated nobody knows.
        let mut course = lost(Action::Deactivate, timed_out());
        let vanished = ended(course.answered(&Err(not_found())));
        assert_eq!(vanished.fate, Fate::Unknown);
        assert!(vanished.sentence.contains("found no such token"));
        assert!(!course.deleted());

        // A delete's token still there, not deleted.
        let mut course = lost(Action::Delete, timed_out());
        let there = ended(course.answered(&token_in("NOT_EFFECTIVE")));
        assert_eq!(there.fate, Fate::Refused);
        assert!(!course.deleted());
    }

    #[test]
    fn a_busy_lost_answer_is_sent_again_only_while_the_token_still_needs_it() {
        // A 503 may or may not have been acted on; the re-read shows it was not.
        let mut course = lost(Action::Deactivate, status(503));
        assert_eq!(
            course.answered(&token_in("EFFECTIVE")),
            Next::Pause(busy_back_off(0))
        );
        assert_eq!(course.proceed(), Next::Send(Request::Act));
        assert_eq!(
            ended(course.acted(&token_in("NOT_EFFECTIVE"), None)).fate,
            Fate::Done
        );

        // Now in a state the action is not taken from: not sent again.
        let mut course = lost(Action::Deactivate, status(503));
        let changed = ended(course.answered(&token_in("PENDING_VERIFICATION")));
        assert_eq!(changed.fate, Fate::Refused);

        // Not busy, only lost: never sent again.
        let mut course = lost(Action::Deactivate, timed_out());
        assert_eq!(
            ended(course.answered(&token_in("EFFECTIVE"))).fate,
            Fate::Refused
        );

        // Waited out five times already: given up.
        let mut course = to_act(Action::Deactivate);
        for _ in 0..BUSY_RETRIES {
            course.acted(&Err(status(429)), None);
            course.proceed();
        }
        assert_eq!(
            course.acted(&Err(status(503)), None),
            Next::Send(Request::Reread)
        );
        assert_eq!(
            ended(course.answered(&token_in("EFFECTIVE"))).fate,
            Fate::Refused
        );
    }

    #[test]
    fn a_busy_re_read_is_waited_out_and_read_again() {
        let mut course = lost(Action::Deactivate, timed_out());
        assert_eq!(
            course.answered(&Err(status(429))),
            Next::Pause(busy_back_off(0))
        );
        assert_eq!(course.proceed(), Next::Send(Request::Reread));
        assert_eq!(
            ended(course.answered(&token_in("NOT_EFFECTIVE"))).fate,
            Fate::Done
        );
    }

    #[test]
    fn any_refusal_however_worded_re_reads_and_says_the_state_now() {
        for refused in [
            refusal(),
            ApiError::server("INVALID_LIFE_CYCLE_STATE", "No."),
        ] {
            let mut course = to_act(Action::Deactivate);
            assert_eq!(
                course.acted(&Err(refused.clone()), None),
                Next::Send(Request::Reread),
                "{refused:?}"
            );
            let outcome = ended(course.answered(&token_in("NOT_EFFECTIVE")));
            assert_eq!(outcome.fate, Fate::Refused);
            assert_eq!(
                outcome.sentence,
                "Not deactivated: it is NOT_EFFECTIVE now, changed since it was read."
            );
            assert_eq!(outcome.after.as_deref(), Some("NOT_EFFECTIVE"));
            assert_eq!(course.known().state, LifeCycleState::NotEffective);
        }
        // The audited action read it again: that is the re-read.
        let mut course = to_act(Action::Deactivate);
        let outcome = ended(course.acted(&Err(refusal()), Some(&token_in("EFFECTIVE"))));
        assert_eq!(
            outcome.sentence,
            format!("{} It is EFFECTIVE now.", refusal()),
            "a state that allows it: the server's own words"
        );

        // Reading it again failed: tried again, then the refusal with the failure.
        let mut course = to_act(Action::Deactivate);
        assert_eq!(
            course.acted(&Err(refusal()), Some(&Err(unreachable()))),
            Next::Send(Request::Reread)
        );
        assert_eq!(
            course.answered(&Err(unreachable())),
            Next::Send(Request::Reread)
        );
        let outcome = ended(course.answered(&Err(unreachable())));
        assert_eq!(outcome.fate, Fate::Refused);
        assert!(
            outcome
                .sentence
                .contains("(ERROR) Reading it again failed: Cannot reach")
        );
        assert_eq!(outcome.after.as_deref(), Some("EFFECTIVE"), "as last read");

        // The token is gone since.
        let mut course = to_act(Action::Deactivate);
        let outcome = ended(course.acted(&Err(refusal()), Some(&Err(not_found()))));
        assert_eq!(outcome.fate, Fate::Refused);
        assert!(
            outcome
                .sentence
                .ends_with("Reading it again found no such token.")
        );
    }

    #[test]
    fn an_action_that_failed_or_found_no_token_is_not_re_read() {
        let mut course = to_act(Action::Deactivate);
        let failed = ended(course.acted(&Err(unreachable()), None));
        assert_eq!(failed.fate, Fate::Failed);
        assert!(failed.sentence.starts_with("Not deactivated: Cannot reach"));
        assert_eq!(failed.after.as_deref(), Some("EFFECTIVE"));

        let mut course = to_act(Action::Deactivate);
        let refused = ended(course.acted(&Err(not_found()), None));
        assert_eq!(refused.fate, Fate::Refused);
        assert_eq!(refused.sentence, not_found().to_string());
    }

    #[test]
    fn an_intent_the_audit_log_cannot_record_halts_the_batch() {
        let mut course = to_act(Action::Deactivate);
        let Next::Halt(outcome) =
            course.acted(&Err(ApiError::NotAudited("Cannot write.".into())), None)
        else {
            panic!("halts");
        };
        assert_eq!(outcome.fate, Fate::Failed);
        assert_eq!(outcome.sentence, "Cannot write.");
        assert_eq!(course.outcome(), Some(&outcome));
    }

    #[test]
    fn stopping_leaves_out_only_what_has_not_gone_out_and_a_lost_answer_is_still_checked() {
        // Not started yet.
        let mut course = fresh(Action::Deactivate);
        let stopped = course.stop().expect("left out");
        assert_eq!(stopped.left_out, Some(LeftOut::Stopped));
        assert_eq!(course.proceed(), Next::End(stopped));
        // Read, its action not sent.
        let mut course = to_act(Action::Deactivate);
        let stopped = course.stop().expect("left out");
        assert_eq!(stopped.before.as_deref(), Some("EFFECTIVE"));
        assert_eq!(stopped.after.as_deref(), Some("EFFECTIVE"));
        // A read out: it ends on its own.
        let mut course = fresh(Action::Deactivate);
        course.proceed();
        assert_eq!(course.stop(), None);
        // Checking a lost answer: never given up.
        let mut course = lost(Action::Deactivate, timed_out());
        assert_eq!(course.stop(), None);
        assert_eq!(course.halt(), None);
        // Ended: stays as it ended.
        let mut course = to_act(Action::Deactivate);
        course.acted(&token_in("NOT_EFFECTIVE"), None);
        assert_eq!(course.stop(), None);

        let mut course = course_failing_read();
        assert_eq!(course.stop(), None);
        let mut course = to_act(Action::Activate);
        let halted = course.halt().expect("failed");
        assert_eq!(
            (halted.fate, halted.sentence.as_str()),
            (
                Fate::Failed,
                "Not sent: the audit log could not be written."
            )
        );
        // Paused after a busy read: its read is due again, and nothing is out.
        let mut course = fresh(Action::Deactivate);
        course.proceed();
        course.answered(&Err(status(429)));
        assert!(course.stop().is_some());
    }

    #[test]
    fn an_action_the_clerk_cancelled_is_found_out_by_a_re_read() {
        let mut course = to_act(Action::Deactivate);
        assert_eq!(course.cancelled(), Next::Send(Request::Reread));
        assert_eq!(course.cancelled(), Next::Wait, "only an action out");
        let done = ended(course.answered(&token_in("NOT_EFFECTIVE")));
        assert_eq!(done.fate, Fate::Done);
        assert_eq!(
            done.sentence,
            format!("Deactivated. Checked after a lost answer: {CANCELLED}")
        );
        // Never sent again, even when it is still undone.
        let mut course = to_act(Action::Deactivate);
        course.cancelled();
        assert_eq!(
            ended(course.answered(&token_in("EFFECTIVE"))).fate,
            Fate::Refused
        );
    }

    #[test]
    fn an_answer_not_awaited_changes_nothing() {
        let mut course = fresh(Action::Deactivate);
        assert_eq!(course.answered(&token_in("EFFECTIVE")), Next::Wait);
        assert_eq!(course.acted(&token_in("NOT_EFFECTIVE"), None), Next::Wait);
        course.proceed();
        assert_eq!(course.proceed(), Next::Wait, "its read is out");
        assert_eq!(course.acted(&token_in("NOT_EFFECTIVE"), None), Next::Wait);
        assert_eq!(
            course.answered(&token_in("EFFECTIVE")),
            Next::Send(Request::Act)
        );
        assert_eq!(course.answered(&token_in("EFFECTIVE")), Next::Wait);
    }

    #[test]
    fn what_a_read_does_not_show_is_kept_from_what_was_known() {
        let mut course = to_act(Action::Deactivate);
        let known = course.known();
        assert_eq!(known.number.as_deref(), Some("AT0000000007"));
        assert_eq!(known.id.as_deref(), Some("4f1c"));
        assert_eq!(known.authentication_code.as_deref(), Some(CODE));
        // A fuller answer adds to it; a value that is not a token changes nothing.
        course.acted(
            &Ok(Document::from(json!({
                "number": "AT0000000008",
                "identifier": "250",
                "life_cycle_state": "NOT_EFFECTIVE",
            }))),
            None,
        );
        let known = course.known();
        assert_eq!(known.number.as_deref(), Some("AT0000000008"));
        assert_eq!(known.identifier.as_deref(), Some("250"));
        assert_eq!(known.id.as_deref(), Some("4f1c"));
        let mut course = fresh(Action::Deactivate);
        course.proceed();
        assert_eq!(
            course.answered(&Ok(Document::from(json!(["not a token"])))),
            Next::Send(Request::Act),
            "the state known stands"
        );
        assert_eq!(course.known().number.as_deref(), Some("AT0000000007"));
    }

    #[test]
    fn a_resume_finds_what_the_killed_run_did() {
        let resumed = |action| {
            Course::read_first(action, Some(code()), TokenSummary::default()).sent_before()
        };
        let mut course = resumed(Action::Deactivate);
        course.proceed();
        let done = ended(course.answered(&token_in("NOT_EFFECTIVE")));
        assert_eq!(done.fate, Fate::Done);
        assert_eq!(
            done.sentence,
            "Already NOT_EFFECTIVE: done by the earlier run that was cut short."
        );
        let mut course = resumed(Action::Delete);
        course.proceed();
        let deleted = ended(course.answered(&Err(not_found())));
        assert_eq!(deleted.fate, Fate::Done);
        assert_eq!(deleted.after.as_deref(), Some("DELETED"));
        assert!(course.deleted());
        // Still needing it: acted on.
        let mut course = resumed(Action::Deactivate);
        course.proceed();
        assert_eq!(
            course.answered(&token_in("EFFECTIVE")),
            Next::Send(Request::Act)
        );
        // Without a killed run's request, already so is left out.
        let mut course =
            Course::read_first(Action::Deactivate, Some(code()), TokenSummary::default());
        course.proceed();
        assert_eq!(
            ended(course.answered(&token_in("NOT_EFFECTIVE"))).fate,
            Fate::LeftOut
        );
        let mut course = Course::read_first(Action::Delete, Some(code()), TokenSummary::default());
        course.proceed();
        assert_eq!(
            ended(course.answered(&Err(not_found()))).fate,
            Fate::LeftOut
        );
    }

    #[test]
    fn a_confirmed_token_is_acted_on_at_once() {
        let mut course = Course::confirmed(
            Action::Deactivate,
            code(),
            listed(LifeCycleState::Effective),
        );
        assert_eq!(course.proceed(), Next::Send(Request::Act));
        let refused = ended(course.acted(&Err(unreachable()), None));
        assert_eq!(refused.before.as_deref(), Some("EFFECTIVE"));
        // Unread (`--yes`): no state to start from.
        let mut course = Course::confirmed(Action::Deactivate, code(), TokenSummary::default());
        assert_eq!(course.proceed(), Next::Send(Request::Act));
        assert_eq!(ended(course.acted(&Err(unreachable()), None)).before, None);
    }
}
