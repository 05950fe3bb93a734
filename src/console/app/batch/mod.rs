//! The marked tokens of a results page, acted on as one batch: `d`, `a`, `X` count them in
//! a confirmation; once confirmed, up to [`BATCH_IN_FLIGHT`] tokens are on their way at a
//! time, each read before its action (the core's course, `fate::Course`, decides what each
//! answer leads to); Esc stops new requests while those in flight finish and are
//! reconciled; a summary ends it. The batch's rows replace the page on screen until Esc
//! goes back to it.

pub mod run;

use crate::api::request::{ApiCommand, ApiEvent, ApiEventKind, RequestId};
use crate::api::{Action, ApiError, Operation, Reply};
use crate::fate::confirmation;
use crate::fate::{Course, LeftOut, Next, Outcome, Request, Verdict};

use super::layout;
use super::msg::Effect;
use super::questions::confirm::BatchConfirm;
use super::results::page::mark_key;
use super::state::{App, Modal, READ_ONLY_REFUSAL, Tone};
use crate::keys::{Command, Context};
use run::{BATCH_IN_FLIGHT, BatchPlan, BatchRun, Step};

impl App {
    /// `d`, `a`, `X` on the results page: the marked tokens, counted in a confirmation.
    pub(super) fn request_batch(&mut self, action: Action) {
        if self.environment.read_only {
            return self.notify(Tone::Warning, READ_ONLY_REFUSAL);
        }
        if let Some(refusal) = self.busy_with_action() {
            return self.notify(Tone::Warning, refusal);
        }
        let Some(results) = &self.results else { return };
        if results.marked.is_empty() {
            let mark = self.keymap.hint(Context::Results, Command::Mark);
            let open = self.keymap.hint(Context::Results, Command::Open);
            return self.notify(
                Tone::Info,
                format!(
                    "No tokens are marked: {mark} marks the selected one, {open} opens it to {} it alone.",
                    action.verb()
                ),
            );
        }
        // A marked row on the page on screen may have been read again since it was marked.
        let marked = results.marked.iter().map(|(key, marked)| {
            results
                .rows
                .iter()
                .find(|row| mark_key(&row.summary).as_ref() == Some(key))
                .map_or_else(|| marked.clone(), |row| row.summary.clone())
        });
        let plan = BatchPlan::new(action, marked.collect::<Vec<_>>());
        if plan.to_change() == 0 {
            let reasons: Vec<String> = plan
                .left_out
                .iter()
                .map(|(why, count)| format!("{count} {}", why.reason(action)))
                .collect();
            let past = action.past_tense();
            let reasons = reasons.join(", ");
            return self.notify(
                Tone::Warning,
                match plan.items.len() {
                    1 => format!(
                        "The marked token cannot be {past}: {}. Nothing was sent.",
                        plan.left_out
                            .first()
                            .map(|(why, _)| why.reason(action))
                            .unwrap_or_default()
                    ),
                    n => format!(
                        "None of the {n} marked tokens can be {past}: {reasons}. Nothing was sent."
                    ),
                },
            );
        }
        let server = confirmation::server_name(
            &self.environment.host,
            self.environment.demo,
            Some(self.environment.label.place(&self.environment.host)),
        );
        // A question opens on a status line that speaks of it alone, not of what came before.
        self.notice = None;
        let mut confirm = BatchConfirm::new(plan, server, self.clock);
        // One reason for the whole batch, asked once.
        confirm.question.ask_reason(&self.reason);
        self.modal = Some(Modal::Batch(Box::new(confirm)));
    }

    /// The confirmed batch starts.
    pub(super) fn start_batch(&mut self, confirm: BatchConfirm, effects: &mut Vec<Effect>) {
        if let Some(refusal) = self.busy_with_action() {
            return self.notify(Tone::Warning, refusal);
        }
        self.batches_run += 1;
        let id = format!("{}-{}", self.console_id, self.batches_run);
        let reason = confirm.question.given_reason();
        let mut run = BatchRun::new(id, confirm.plan, self.clock.now);
        run.reason = reason;
        self.batch = Some(run);
        self.notice = None;
        self.pump_batch(effects);
    }

    /// Sends what the next queued tokens' courses ask for (a read, or after a busy
    /// server's pause the request it did not take) while fewer than [`BATCH_IN_FLIGHT`]
    /// are on their way, unless the batch is stopping or waiting out a busy server; ends
    /// the batch once every token has settled.
    pub(super) fn pump_batch(&mut self, effects: &mut Vec<Effect>) {
        let now = self.clock.now;
        let mut next_request = self.next_request;
        let Some(run) = self.batch.as_mut().filter(|run| run.running()) else {
            return;
        };
        let halted = run.halted.is_some();
        if run.stopping || halted {
            // What has not gone out is left out (or, halted, fails); a lost answer waiting
            // for its check still gets it.
            for item in run.items.iter_mut().filter(|i| i.step == Step::Queued) {
                let ended = if halted {
                    item.course.halt()
                } else {
                    item.course.stop()
                };
                if let Some(outcome) = ended {
                    item.step = Step::Ended(outcome);
                }
            }
        }
        if run.paused_until.is_none_or(|until| until <= now) {
            run.paused_until = None;
            let mut in_flight = run.items.iter().filter(|i| i.step.in_flight()).count();
            for item in run.items.iter_mut().filter(|i| i.step == Step::Queued) {
                if in_flight >= BATCH_IN_FLIGHT {
                    break;
                }
                match item.course.proceed() {
                    Next::Send(request) => {
                        let Some(operation) =
                            operation(&item.course, request, &run.id, run.reason.as_deref())
                        else {
                            item.step = Step::Ended(Outcome::left_out(run.action, LeftOut::NoCode));
                            continue;
                        };
                        let id = RequestId(next_request);
                        next_request += 1;
                        item.step = Step::sending(request);
                        item.request = Some(id);
                        in_flight += 1;
                        effects.push(Effect::Api(ApiCommand::Send { id, operation }));
                    }
                    Next::End(outcome) | Next::Halt(outcome) => item.step = Step::Ended(outcome),
                    // A course whose turn it is asks to send or ends; nothing else.
                    Next::Pause(_) | Next::Wait => {}
                }
            }
        }
        self.next_request = next_request;
        self.finish_batch_if_settled();
    }

    /// Takes an event for one of the batch's requests; gives back any other.
    pub(super) fn take_batch_event(
        &mut self,
        event: ApiEvent,
        effects: &mut Vec<Effect>,
    ) -> Option<ApiEvent> {
        let Some(run) = &mut self.batch else {
            return Some(event);
        };
        let Some(index) = run.item_for(event.id) else {
            return Some(event);
        };
        let result = match event.kind {
            ApiEventKind::Started | ApiEventKind::Recorded => {
                self.changed = false;
                return None;
            }
            ApiEventKind::Unrecorded(sentence) => {
                run.items[index].unrecorded = Some(sentence);
                self.changed = false;
                return None;
            }
            ApiEventKind::Reread(found) => {
                run.items[index].reread = Some(found);
                self.changed = false;
                return None;
            }
            ApiEventKind::Finished(result) => result,
        };
        let result = match result {
            Ok(Reply::Token(token)) => Ok(token),
            Ok(_) => Err(ApiError::UnexpectedData(
                "an answer of the wrong kind".into(),
            )),
            Err(error) => Err(error),
        };
        let stopping = run.stopping || run.halted.is_some();
        let halted = run.halted.is_some();
        let item = &mut run.items[index];
        item.request = None;
        let was = std::mem::replace(&mut item.step, Step::Queued);
        let reread = item.reread.take();
        let next = match was {
            Step::Sending => item.course.acted(&result, reread.as_ref()),
            Step::Reading | Step::Checking => item.course.answered(&result),
            Step::Queued | Step::Ended(_) => Next::Wait,
        };
        // The page's row follows the token as last seen.
        let seen = match (&was, &reread, &result) {
            (Step::Sending, Some(Ok(token)), Err(_)) | (_, _, Ok(token)) => Some(token.clone()),
            _ => None,
        }
        .filter(|token| token.value.is_object());
        let number = item.summary().number.clone();
        let deleted = item.deleted();
        let mut send = None;
        match next {
            // Esc stopped the batch while the token was being read: its action is a new
            // request, and none is sent any more. A check of a lost answer still is.
            Next::Send(Request::Act) if stopping => {
                let ended = if halted {
                    item.course.halt()
                } else {
                    item.course.stop()
                };
                item.step = ended.map_or(Step::Queued, Step::Ended);
            }
            Next::Send(request) => {
                match operation(&item.course, request, &run.id, run.reason.as_deref()) {
                    Some(operation) => {
                        item.step = Step::sending(request);
                        send = Some(operation);
                    }
                    None => item.step = Step::Ended(Outcome::left_out(run.action, LeftOut::NoCode)),
                }
            }
            Next::Pause(wait) => {
                // A busy server slows the whole batch, as it does the command line's.
                let until = self.clock.now + wait;
                run.paused_until = Some(run.paused_until.map_or(until, |p| p.max(until)));
            }
            Next::End(outcome) => {
                item.step = Step::Ended(outcome.noting(item.unrecorded.take().as_deref()));
            }
            Next::Halt(outcome) => {
                run.halted = Some(outcome.sentence.clone());
                item.step = Step::Ended(outcome);
            }
            Next::Wait => item.step = was,
        }
        if let Some(operation) = send {
            let id = RequestId(self.next_request);
            self.next_request += 1;
            if let Some(item) = self.batch.as_mut().and_then(|run| run.items.get_mut(index)) {
                item.request = Some(id);
            }
            effects.push(Effect::Api(ApiCommand::Send { id, operation }));
        }
        if let Some(results) = &mut self.results
            && (seen.is_some() || deleted)
        {
            let token = seen.filter(|_| !deleted);
            results.update_token(number.as_deref(), token.as_ref(), deleted);
        }
        self.pump_batch(effects);
        None
    }

    /// Esc while a batch is on screen: stop sending (those in flight finish), or, once it
    /// has ended, go back to the page it was marked on.
    pub(super) fn batch_back(&mut self, effects: &mut Vec<Effect>) {
        let Some(run) = &mut self.batch else { return };
        if !run.running() {
            // The summary's "Esc goes back" is done with; the page says where it is.
            self.batch = None;
            self.notice = None;
            return;
        }
        if run.stopping {
            let in_flight = run.progress().in_flight;
            return self.notify(
                Tone::Info,
                format!("Stopping: {in_flight} already sent finish first; nothing new is sent."),
            );
        }
        self.stop_batch(effects);
    }

    /// No new request of the batch goes out; those in flight finish and are reconciled.
    pub(super) fn stop_batch(&mut self, effects: &mut Vec<Effect>) {
        if let Some(run) = self.batch.as_mut().filter(|run| run.running()) {
            run.stopping = true;
            self.pump_batch(effects);
        }
    }

    /// Keys on the batch's rows: moving through them; nothing that reads another page or
    /// acts while the batch is on screen.
    pub(super) fn batch_command(&mut self, command: Command) {
        let back = self.keymap.hint(Context::Global, Command::Back);
        let refusal = self.busy_with_action();
        let Some(run) = &self.batch else { return };
        let row = match command {
            Command::Up => Some(run.selected.saturating_sub(1)),
            Command::Down => Some(run.selected + 1),
            Command::Home => Some(0),
            Command::End => Some(usize::MAX),
            _ => None,
        };
        if let Some(row) = row {
            return self.select_batch_row(row);
        }
        match command {
            // The table cuts a long sentence; Enter says it whole.
            Command::Open => {
                if let Some(item) = run.items.get(run.selected) {
                    let text = format!(
                        "{}: {}. {}",
                        item.summary().display_name(),
                        crate::text::capitalised(item.step.word()),
                        item.step.sentence()
                    );
                    self.notify(Tone::Info, text.trim_end().to_owned());
                }
            }
            _ if let Some(refusal) = refusal => self.notify(Tone::Warning, refusal),
            _ => self.notify(
                Tone::Info,
                format!("The batch's rows are on screen: {back} goes back to the list."),
            ),
        }
    }

    /// Selects a batch's row (the last one for any index past it), by a key or a click.
    pub(super) fn select_batch_row(&mut self, index: usize) {
        let rows = layout::results_rows(self.width, self.height, self.status_rows());
        if let Some(run) = &mut self.batch {
            run.select(index, rows);
            // What was said was about another row, or another key.
            self.notice = None;
        }
    }

    /// Every token has settled: the batch ends with the core's summary, and the marks stay
    /// only on the tokens not yet as the action asks.
    fn finish_batch_if_settled(&mut self) {
        let now = self.clock.now;
        let Some(run) = self.batch.as_mut().filter(|run| run.running()) else {
            return;
        };
        let progress = run.progress();
        if progress.ended.total() < run.items.len() {
            return;
        }
        run.finished = Some(now);
        let mut remaining = 0;
        if let Some(results) = &mut self.results {
            for item in &run.items {
                let Some(key) = mark_key(item.summary()) else {
                    continue;
                };
                if item.step.outcome().is_some_and(Outcome::settled) {
                    results.marked.remove(&key);
                } else if results.marked.contains_key(&key) {
                    remaining += 1;
                }
            }
        }
        let still_marked = match remaining {
            0 => String::new(),
            n => format!(" {n} still marked."),
        };
        let halted = run
            .halted
            .as_ref()
            .map(|why| format!(" Nothing more was sent: {why}"))
            .unwrap_or_default();
        let tone = match progress.ended.verdict() {
            _ if run.halted.is_some() => Tone::Error,
            Verdict::NotKnown if progress.ended.unknown > 0 => Tone::Error,
            Verdict::AsAsked => Tone::Success,
            Verdict::NotKnown | Verdict::NotDone => Tone::Warning,
        };
        let text = format!(
            "{}{halted}{still_marked} {} goes back.",
            progress.ended.summary(run.action),
            self.keymap.hint(Context::Global, Command::Back),
        );
        run.summary = Some(text.clone());
        self.notify(tone, text);
    }

    /// Quitting: the batch's requests in flight are given up (the API task records their
    /// outcomes as unknown).
    pub(super) fn abandon_batch(&mut self, effects: &mut Vec<Effect>) {
        if let Some(run) = &self.batch {
            effects.extend(run.requests().map(|id| Effect::Api(ApiCommand::Cancel(id))));
        }
    }
}

/// The request `request` of `course`'s token, in the batch `batch` given `reason`; `None` for a token
/// with nothing to find it by, for which a course never asks one.
fn operation(
    course: &Course,
    request: Request,
    batch: &str,
    reason: Option<&str>,
) -> Option<Operation> {
    let identifier = course.identifier()?.clone();
    Some(match request {
        Request::Read | Request::Reread => Operation::Show {
            identifier,
            fields: None,
        },
        Request::Act => Operation::Act {
            action: course.action(),
            identifier,
            fields: None,
            token: Box::new(course.known().clone()),
            batch: Some(batch.to_owned()),
            reason: reason.map(str::to_owned),
        },
    })
}
