//! The marked tokens of a results page, acted on as one batch: `d`, `a`, `X` count them in
//! a confirmation; once confirmed, up to [`BATCH_IN_FLIGHT`] tokens are on their way at a
//! time, each read before its action (`step` decides what each answer leads to); Esc
//! stops new requests while those in flight finish and are reconciled; a summary ends it.
//! The batch's rows replace the page on screen until Esc goes back to it.

pub mod run;
pub(super) mod step;

use crate::api::error::busy_back_off;
use crate::api::request::{ApiCommand, ApiEvent, ApiEventKind, RequestId};
use crate::api::{Action, Operation};
use crate::fate::confirmation;

use super::layout;
use super::msg::Effect;
use super::questions::confirm::BatchConfirm;
use super::results::page::mark_key;
use super::state::{App, Modal, READ_ONLY_REFUSAL, Tone};
use crate::keys::{Command, Context};
use run::{BATCH_IN_FLIGHT, BatchPlan, BatchRun, NO_CODE, Step, tokens};
use step::{Next, advance};

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
            Some(&self.environment.label),
        );
        // A question opens on a status line that speaks of it alone, not of what came before.
        self.notice = None;
        self.modal = Some(Modal::Batch(Box::new(BatchConfirm::new(
            plan, server, self.clock,
        ))));
    }

    /// The confirmed batch starts.
    pub(super) fn start_batch(&mut self, confirm: BatchConfirm, effects: &mut Vec<Effect>) {
        if let Some(refusal) = self.busy_with_action() {
            return self.notify(Tone::Warning, refusal);
        }
        self.batches_run += 1;
        let id = format!("{}-{}", self.console_id, self.batches_run);
        self.batch = Some(BatchRun::new(id, confirm.plan, self.clock.now));
        self.notice = None;
        self.pump_batch(effects);
    }

    /// Sends the next queued tokens' reads while fewer than [`BATCH_IN_FLIGHT`] are on
    /// their way, unless the batch is stopping or waiting out a busy server; ends the batch
    /// once every token has settled.
    pub(super) fn pump_batch(&mut self, effects: &mut Vec<Effect>) {
        let now = self.clock.now;
        let mut next_request = self.next_request;
        let Some(run) = self.batch.as_mut().filter(|run| run.running()) else {
            return;
        };
        if run.stopping || run.halted.is_some() {
            for item in run.items.iter_mut().filter(|i| i.step == Step::Queued) {
                item.step = Step::NotSent;
            }
        } else if run.paused_until.is_none_or(|until| until <= now) {
            run.paused_until = None;
            let mut in_flight = run.items.iter().filter(|i| i.step.in_flight()).count();
            for item in run.items.iter_mut().filter(|i| i.step == Step::Queued) {
                if in_flight >= BATCH_IN_FLIGHT {
                    break;
                }
                let Some(identifier) = item.identifier() else {
                    item.step = Step::Refused(NO_CODE.into());
                    continue;
                };
                let id = RequestId(next_request);
                next_request += 1;
                item.step = Step::Reading;
                item.request = Some(id);
                in_flight += 1;
                effects.push(Effect::Api(ApiCommand::Send {
                    id,
                    operation: Operation::Show {
                        identifier,
                        fields: None,
                    },
                }));
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
        let (action, id) = (run.action, run.id.clone());
        let item = &mut run.items[index];
        item.request = None;
        let was = std::mem::replace(&mut item.step, Step::Queued);
        let advanced = advance(action, &id, item, &was, result);
        item.deleted |= advanced.deleted;
        let number = item.summary.number.clone();
        let mut send = None;
        match advanced.next {
            Next::Settle(step) => item.step = noted(step, item.unrecorded.take()),
            Next::Halt(step) => {
                item.step = step;
                run.halted = Some(item.step.sentence().to_owned());
            }
            // Esc stopped the batch while the token was being read: its action is a new
            // request, and none is sent any more. A check of a lost answer still is.
            Next::Send(_, Step::Sending) if run.stopping || run.halted.is_some() => {
                item.step = Step::NotSent;
            }
            Next::Send(operation, step) => {
                item.step = step;
                send = Some(operation);
            }
            Next::Retry => {
                // A busy server slows the whole batch, as it does the command line's.
                let until = self.clock.now + busy_back_off(item.busy_retries.saturating_sub(1));
                run.paused_until = Some(run.paused_until.map_or(until, |p| p.max(until)));
            }
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
            && (advanced.token.is_some() || advanced.deleted)
        {
            results.update_token(number.as_deref(), advanced.token.as_ref(), advanced.deleted);
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
            let in_flight = run.tally().in_flight;
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
        let rows = layout::results_rows(self.width, self.height, self.status_rows());
        let back = self.keymap.hint(Context::Global, Command::Back);
        let refusal = self.busy_with_action();
        let Some(run) = &mut self.batch else { return };
        if matches!(
            command,
            Command::Up | Command::Down | Command::Home | Command::End
        ) {
            // What was said was about another row, or another key.
            self.notice = None;
        }
        match command {
            Command::Up => run.select(run.selected.saturating_sub(1), rows),
            Command::Down => run.select(run.selected + 1, rows),
            Command::Home => run.select(0, rows),
            Command::End => run.select(usize::MAX, rows),
            // The table cuts a long sentence; Enter says it whole.
            Command::Open => {
                if let Some(item) = run.items.get(run.selected) {
                    let text = format!(
                        "{}: {}. {}",
                        item.summary.display_name(),
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

    /// Every token has settled: the batch ends with its summary, and the marks stay only
    /// on the tokens it did not change.
    fn finish_batch_if_settled(&mut self) {
        let now = self.clock.now;
        let Some(run) = self.batch.as_mut().filter(|run| run.running()) else {
            return;
        };
        let tally = run.tally();
        if tally.settled() < run.items.len() {
            return;
        }
        run.finished = Some(now);
        let elapsed = now.saturating_sub(run.started).as_secs_f64();
        let mut remaining = 0;
        if let Some(results) = &mut self.results {
            for item in &run.items {
                let Some(key) = mark_key(&item.summary) else {
                    continue;
                };
                if matches!(item.step, Step::Done(_) | Step::Skipped(_)) {
                    results.marked.remove(&key);
                } else if results.marked.contains_key(&key) {
                    remaining += 1;
                }
            }
        }
        let action = run.action;
        let still_marked = match remaining {
            0 => String::new(),
            1 => " The one not done is still marked.".to_owned(),
            n => format!(" The {n} not done are still marked."),
        };
        let halted = run
            .halted
            .as_ref()
            .map(|why| format!(" Stopped: {why}"))
            .unwrap_or_default();
        let tone = if tally.unknown > 0 || run.halted.is_some() {
            Tone::Error
        } else if tally.refused + tally.failed + tally.not_sent > 0 {
            Tone::Warning
        } else {
            Tone::Success
        };
        let text = format!(
            "{} {}: {}, in {elapsed:.1} s.{halted}{still_marked} {} goes back to the list.",
            crate::text::capitalised(action.verb()),
            tokens(run.items.len(), "marked"),
            tally.words(),
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

/// `step`, with the audit log's news that it could not record the outcome.
fn noted(step: Step, unrecorded: Option<String>) -> Step {
    let Some(unrecorded) = unrecorded else {
        return step;
    };
    let note = |sentence: String| format!("{sentence} {unrecorded}");
    match step {
        Step::Done(s) => Step::Done(note(s)),
        Step::Refused(s) => Step::Refused(note(s)),
        Step::Unknown(s) => Step::Unknown(note(s)),
        Step::Failed(s) => Step::Failed(note(s)),
        other => other,
    }
}
