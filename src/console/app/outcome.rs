//! Requests and their outcomes: what each request in flight is for, and what its answer (or
//! failure) does. An action whose answer proves nothing is an unknown outcome, checked by a
//! re-read before anything else may act on the token: this is the most safety-critical code.

use crate::api::request::{ApiCommand, ApiEvent, ApiEventKind, RequestId};
use crate::api::{
    AccessTokenIdentifier, Action, ApiError, Document, Operation, Reply, TokenSummary,
};

use super::layout;
use super::msg::Effect;
use super::pending::{Pending, Purpose};
use super::questions::confirm::Confirm;
use super::results::page::{Beyond, ResultsView};
use super::search::query::Query;
use super::state::{ActionCourse, App, Screen, Tone};
use crate::fate::{Course, Fate, Next, Request};
use crate::keys::{Command, Context};

impl App {
    pub(super) fn busy_with_action(&self) -> Option<String> {
        // Said after the batch's progress, which names the key that stops it.
        if self.batch_running() {
            return Some("Not while the batch runs.".into());
        }
        if self.pending.is_none() && self.action_course.is_some() {
            return Some(
                "The action waits for a busy server; it is sent again in a moment.".into(),
            );
        }
        self.pending
            .as_ref()
            .filter(|p| p.purpose.is_action())
            .map(|p| {
                format!(
                    "{} is still in flight; wait, or {} to cancel it.",
                    p.purpose.describe(),
                    self.keymap.hint(Context::Global, Command::Back)
                )
            })
    }

    /// Starts a request, replacing (and cancelling) any read in flight.
    pub(super) fn send(
        &mut self,
        purpose: Purpose,
        operation: Operation,
        effects: &mut Vec<Effect>,
    ) {
        if let Some(previous) = self.pending.take() {
            effects.push(Effect::Api(ApiCommand::Cancel(previous.id)));
            // Marking every token ends with its page, and says so as Esc would.
            if matches!(previous.purpose, Purpose::MarkAll(_)) {
                self.marking_stopped(None);
            }
        }
        let id = RequestId(self.next_request);
        self.next_request += 1;
        self.pending = Some(Pending {
            id,
            purpose,
            started: self.clock.now,
            unrecorded: None,
            reread: None,
            recorded: false,
        });
        let command = ApiCommand::Send { id, operation };
        match &mut self.logging_in {
            // Without a session it would log in a second time: it waits for the one coming.
            Some(log_in) => log_in.held = Some(command),
            None => effects.push(Effect::Api(command)),
        }
    }

    pub(super) fn send_action(&mut self, confirm: Confirm, effects: &mut Vec<Effect>) {
        // The state may have changed while the modal was open (a re-read landed).
        if let Some(reason) = self.action_refusal(confirm.action) {
            return self.notify(Tone::Warning, reason);
        }
        // The core's course judges every answer from here to the outcome.
        let mut course = Course::confirmed(
            confirm.action,
            confirm.identifier.clone(),
            confirm.token.clone(),
        );
        course.proceed();
        let flight = ActionCourse {
            course,
            resend_at: None,
            reason: confirm.question.given_reason(),
        };
        self.notice = None;
        self.send_act(flight, confirm.identifier, effects);
    }

    /// Sends the action of `flight`'s course to `identifier`, with the token as the course
    /// knows it and the clerk's reason, and keeps the course to judge the answer.
    fn send_act(
        &mut self,
        flight: ActionCourse,
        identifier: AccessTokenIdentifier,
        effects: &mut Vec<Effect>,
    ) {
        let action = flight.course.action();
        let token = flight.course.known().clone();
        let purpose = Purpose::Act {
            action,
            token_name: token.display_name(),
        };
        let operation = Operation::Act {
            action,
            identifier,
            fields: None,
            token: Box::new(token),
            batch: None,
            reason: flight.reason.clone(),
        };
        self.action_course = Some(flight);
        self.send(purpose, operation, effects);
    }

    pub(super) fn reread(&mut self, effects: &mut Vec<Effect>) {
        if let Some(refusal) = self.busy_with_action() {
            return self.notify(Tone::Warning, refusal);
        }
        let Some(token) = &self.token else {
            return self.notify(Tone::Warning, "There is no token on screen to re-read.");
        };
        if token.deleted {
            let name = token.summary.display_name();
            return self.notify(
                Tone::Info,
                format!("{name} has been deleted; there is nothing to re-read."),
            );
        }
        let Some(identifier) = token.identifier.clone() else {
            return self.notify(
                Tone::Warning,
                "This token has no authentication code to re-read it by.",
            );
        };
        let operation = Operation::Show {
            identifier,
            fields: None,
        };
        self.send(Purpose::Reread, operation, effects);
    }

    pub(super) fn verify(&mut self, action: Action, token_name: String, effects: &mut Vec<Effect>) {
        let Some(identifier) = self.token.as_ref().and_then(|t| t.identifier.clone()) else {
            return;
        };
        let operation = Operation::Show {
            identifier,
            fields: None,
        };
        self.send(Purpose::Verify { action, token_name }, operation, effects);
    }

    pub(super) fn api_event(&mut self, event: ApiEvent, effects: &mut Vec<Effect>) {
        if self.logging_in.as_ref().is_some_and(|l| l.id == event.id) {
            return self.log_in_event(event.kind, effects);
        }
        if self.is_unlock_check(event.id) {
            return self.unlock_answer(event.kind, effects);
        }
        let Some(event) = self.take_batch_event(event, effects) else {
            return;
        };
        // Only the answer awaited counts; anything else is a late answer to a request that
        // was cancelled or replaced, and is dropped.
        let Some(pending) = self.pending.as_mut().filter(|p| p.id == event.id) else {
            self.changed = false;
            return;
        };
        let outcome = match event.kind {
            ApiEventKind::Finished(outcome) => outcome,
            ApiEventKind::Unrecorded(sentence) => {
                pending.unrecorded = Some(sentence);
                self.changed = false;
                return;
            }
            ApiEventKind::Reread(found) => {
                pending.reread = Some(found);
                self.changed = false;
                return;
            }
            ApiEventKind::Started => {
                self.changed = false;
                return;
            }
            // The spinner now says the server, not the audit log.
            ApiEventKind::Recorded => {
                pending.recorded = true;
                return;
            }
        };
        let purpose = pending.purpose.clone();
        let unrecorded = pending.unrecorded.take();
        let reread = pending.reread.take();
        self.pending = None;
        match (outcome, purpose, self.action_course.take()) {
            // The action, and each re-read after it, go through the core's course: the
            // API task's own re-read (after a lost answer or a refusal) is the check.
            (result, Purpose::Act { token_name, .. }, Some(mut flight)) => {
                let result = token_of(result);
                let next = flight.course.acted(&result, reread.as_ref());
                let seen = match (&result, &reread) {
                    (Ok(token), _) | (Err(_), Some(Ok(token))) => Some(token.clone()),
                    _ => None,
                };
                self.follow_course(flight, &token_name, next, seen, &result, effects);
            }
            (result, Purpose::Verify { token_name, .. }, Some(mut flight)) => {
                let result = token_of(result);
                let next = flight.course.answered(&result);
                let seen = result.as_ref().ok().cloned();
                self.follow_course(flight, &token_name, next, seen, &result, effects);
            }
            (Ok(Reply::Tokens(tokens)), Purpose::MarkAll(marking), course) => {
                self.action_course = course;
                self.marked_page(marking, tokens, effects);
            }
            (outcome, purpose, course) => {
                self.action_course = course;
                match outcome {
                    Ok(reply) => self.succeeded(purpose, reply),
                    Err(error) => self.failed(purpose, error),
                }
            }
        }
        // The result stands, and so must the news that the audit log lacks it.
        if let Some(unrecorded) = unrecorded {
            let said = self.notice.take().map(|n| n.text).unwrap_or_default();
            self.notify(
                Tone::Error,
                format!("{said} {unrecorded}").trim_start().to_owned(),
            );
        }
    }

    pub(super) fn succeeded(&mut self, purpose: Purpose, reply: Reply) {
        match (purpose, reply) {
            (
                Purpose::Search {
                    query: Query::Show(identifier),
                    line,
                },
                Reply::Token(token),
            ) => {
                self.results = None;
                self.open_token(token, Some(identifier), line.clone());
                self.search.leave(&line, &self.mask);
                self.notice = None;
            }
            (
                Purpose::Search {
                    query: Query::List(query),
                    line,
                },
                Reply::Tokens(tokens),
            ) => {
                self.results = Some(ResultsView::new(
                    query,
                    line.clone(),
                    tokens,
                    self.clock.now,
                    None,
                ));
                self.token = None;
                self.screen = Screen::Results;
                self.search.leave(&line, &self.mask);
                self.notice = None;
            }
            (Purpose::Page(query), Reply::Tokens(tokens)) => {
                let Some(results) = &mut self.results else {
                    return;
                };
                if tokens.is_empty() && query.offset > 0 {
                    // The page on screen was the last one after all.
                    results.total = Some(query.offset as usize);
                    return self.notify(Tone::Info, "No more tokens after this page.");
                }
                let line = results.line.clone();
                let total = results.total;
                let marked = std::mem::take(&mut results.marked);
                let mut page = ResultsView::new(query, line, tokens, self.clock.now, total);
                page.marked = marked;
                self.results = Some(page);
                self.notice = None;
            }
            (Purpose::ReadMore { query, beyond }, Reply::Tokens(tokens)) => {
                let page = layout::results_rows(self.width, self.height, self.status_rows());
                let Some(results) = &mut self.results else {
                    return;
                };
                if results.take_read(beyond, &query, tokens, page) == 0 && beyond == Beyond::After {
                    self.notify(Tone::Info, "No more tokens after this one.");
                } else {
                    // What was said before (a read that failed, say) is over: the rows came.
                    self.notice = None;
                }
            }
            (Purpose::Open { code, .. }, Reply::Token(token)) => {
                // The page's row follows what the read found.
                if let Some(results) = &mut self.results {
                    let number = TokenSummary::from_value(&token.value).number;
                    results.update_token(number.as_deref(), Some(&token), false);
                }
                let identifier = AccessTokenIdentifier::AuthenticationCode(code.clone());
                self.open_token(token, Some(identifier), code.clone());
                self.search.leave(&code, &self.mask);
                self.notice = None;
            }
            (Purpose::Reread, Reply::Token(token)) => {
                self.replace_token(token);
                self.notify(Tone::Info, "Re-read from the server.");
            }
            (Purpose::Check { action, .. }, Reply::Token(token)) => self.checked(action, token),
            (purpose, _) => self.notify(
                Tone::Error,
                format!(
                    "The server's answer to \"{}\" was of the wrong kind.",
                    purpose.describe()
                ),
            ),
        }
    }

    /// Where the action's course goes after an answer: a re-read, a busy server's pause
    /// (the action is sent again when it ends), or its outcome, on screen in the core's
    /// words. `seen` is the token as the answer (or the API task's re-read) showed it.
    fn follow_course(
        &mut self,
        flight: ActionCourse,
        token_name: &str,
        next: Next,
        seen: Option<Document>,
        answer: &Result<Document, ApiError>,
        effects: &mut Vec<Effect>,
    ) {
        if let Some(token) = seen.filter(|t| t.value.is_object() && !flight.course.deleted()) {
            self.replace_token(token);
        }
        let action = flight.course.action();
        match next {
            Next::Send(Request::Reread) => {
                let said = match answer {
                    Err(lost) if lost.outcome_unknown() => format!(
                        "{lost} {token_name} may or may not have been {}; re-reading it to find out.",
                        action.past_tense()
                    ),
                    Err(refused) if refused.is_refusal() => {
                        format!("{refused} Re-reading {token_name} to show its state now.")
                    }
                    _ => format!("Re-reading {token_name} again to find out what happened."),
                };
                self.notify(Tone::Warning, said);
                self.action_course = Some(flight);
                self.verify(action, token_name.to_owned(), effects);
            }
            Next::Pause(wait) => {
                self.notify(
                    Tone::Warning,
                    format!("The server is busy; {token_name} is sent again in a moment."),
                );
                self.action_course = Some(ActionCourse {
                    resend_at: Some(self.clock.now + wait),
                    ..flight
                });
            }
            Next::End(outcome) | Next::Halt(outcome) => {
                if flight.course.deleted() {
                    self.mark_deleted();
                }
                let tone = match outcome.fate {
                    Fate::Done => Tone::Success,
                    Fate::LeftOut | Fate::Refused => Tone::Warning,
                    Fate::Failed | Fate::Unknown => Tone::Error,
                };
                let mut said = outcome.said_of(token_name);
                if outcome.fate == Fate::Unknown {
                    let reread = self.keymap.hint(Context::Tree, Command::Reread);
                    said = format!("{said} {reread} re-reads it.");
                }
                self.notify(tone, said);
            }
            Next::Send(_) | Next::Wait => self.action_course = Some(flight),
        }
    }

    /// A busy server's pause before the action is sent again has ended: send it.
    pub(super) fn resend_action_if_due(&mut self, effects: &mut Vec<Effect>) {
        let now = self.clock.now;
        if self.pending.is_some() {
            return;
        }
        let Some(mut flight) = self.action_course.take() else {
            return;
        };
        match flight.resend_at {
            Some(due) if due <= now => flight.resend_at = None,
            _ => {
                self.action_course = Some(flight);
                return;
            }
        }
        let course = &mut flight.course;
        let (Next::Send(Request::Act), Some(identifier)) =
            (course.proceed(), course.identifier().cloned())
        else {
            return;
        };
        // Sent again after a busy server's pause, with the reason the clerk gave.
        self.send_act(flight, identifier, effects);
    }

    pub(super) fn failed(&mut self, purpose: Purpose, error: ApiError) {
        match purpose {
            Purpose::Check { action, token_name } => {
                self.check_failed(action, &token_name, &error);
            }
            Purpose::MarkAll(_) => self.marking_stopped(Some(error.to_string())),
            Purpose::Search {
                query: Query::Show(identifier),
                ..
            } if error.is_not_found() => {
                self.search.cursor_to_end();
                self.notify(
                    Tone::Warning,
                    format!("No access token matches {identifier}."),
                );
            }
            Purpose::Search { .. } => {
                self.search.cursor_to_end();
                self.notify(Tone::Error, error.to_string());
            }
            Purpose::Open { name, .. } if error.is_not_found() => self.notify(
                Tone::Warning,
                format!("{name} is no longer there: it was deleted since the page was read."),
            ),
            Purpose::Open { name, .. } => {
                self.notify(Tone::Error, format!("{name} could not be opened: {error}"));
            }
            _ => self.notify(Tone::Error, error.to_string()),
        }
    }

    /// The token on screen is gone: show it as deleted, here and on the results page.
    pub(super) fn mark_deleted(&mut self) {
        let Some(view) = &mut self.token else { return };
        view.deleted = true;
        view.raw = None;
        if let (Some(view), Some(results)) = (&self.token, &mut self.results) {
            results.update_token(view.summary.number.as_deref(), None, true);
        }
        self.follow_token();
    }
}

/// An answer as the core's course takes it: a token, or why there is none.
fn token_of(result: Result<Reply, ApiError>) -> Result<Document, ApiError> {
    match result {
        Ok(Reply::Token(token)) => Ok(token),
        Ok(_) => Err(ApiError::UnexpectedData(
            "an answer of the wrong kind".into(),
        )),
        Err(error) => Err(error),
    }
}
