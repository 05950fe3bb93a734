//! A batch of marked tokens as the console holds it: what the confirmation counts, each
//! token's step while it runs, and what the table and the status bar say of it. How it
//! moves is in `mod.rs`.

use std::time::Duration;

use crate::api::request::RequestId;
use crate::api::{AccessTokenIdentifier, Action, ApiError, Document, LifeCycleState, TokenSummary};
use crate::console::app::results::page::keep_visible;
use crate::text::capitalised;

/// How many tokens of a batch are in flight at once (the command line's default).
pub const BATCH_IN_FLIGHT: usize = 4;

/// "1 token", "3 tokens"; with `what` before it: "3 marked tokens".
pub fn tokens(count: usize, what: &str) -> String {
    let noun = if count == 1 { "token" } else { "tokens" };
    if what.is_empty() {
        format!("{count} {noun}")
    } else {
        format!("{count} {what} {noun}")
    }
}

/// Why a token without an authentication code is not acted on: CRM.COM acts by code.
pub const NO_CODE: &str = "No authentication code to act by; nothing sent.";

/// Where one token of a batch is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Step {
    /// Waiting for a free slot, or for a busy server's pause to end.
    Queued,
    /// Read first, so that the action goes only to a token whose state allows it now.
    Reading,
    /// The action is in flight.
    Sending,
    /// The action's answer was lost: the token is read to find out what happened.
    Checking,
    Done(String),
    /// Already in the target state: nothing sent.
    Skipped(String),
    /// Not done: its state forbids the action, or the server said no.
    Refused(String),
    /// Sent, and neither the answer nor a re-read says what happened.
    Unknown(String),
    /// Not done, and nothing sent (it could not be read, the server stayed busy).
    Failed(String),
    /// The batch was stopped (Esc) before it was sent.
    NotSent,
}

impl Step {
    /// The word the table shows.
    pub fn word(&self) -> &'static str {
        match self {
            Step::Queued => "queued",
            Step::Reading => "reading",
            Step::Sending => "sending",
            Step::Checking => "checking",
            Step::Done(_) => "done",
            Step::Skipped(_) => "skipped",
            Step::Refused(_) => "refused",
            Step::Unknown(_) => "unknown",
            Step::Failed(_) => "failed",
            Step::NotSent => "not sent",
        }
    }

    /// Why it ended as it did, for the table.
    pub fn sentence(&self) -> &str {
        match self {
            Step::Done(s) | Step::Skipped(s) | Step::Refused(s) | Step::Unknown(s) => s,
            Step::Failed(s) => s,
            Step::NotSent => "Stopped before it was sent.",
            Step::Queued | Step::Reading | Step::Sending | Step::Checking => "",
        }
    }

    /// A request of it is on its way.
    pub fn in_flight(&self) -> bool {
        matches!(self, Step::Reading | Step::Sending | Step::Checking)
    }
}

/// One marked token in a batch.
#[derive(Clone, Debug)]
pub struct BatchItem {
    /// The token as last read: from the results page, then from its own read.
    pub summary: TokenSummary,
    pub step: Step,
    /// The request in flight for it.
    pub request: Option<RequestId>,
    /// Busy answers waited out so far.
    pub busy_retries: u32,
    /// Re-reads of a lost answer tried again after failing.
    pub rereads: u32,
    /// The action's lost answer, while the re-read finds out what happened.
    pub lost: Option<ApiError>,
    /// What the API task's own re-read of a lost answer found (for the audit log): the
    /// check, without a second read.
    pub reread: Option<Result<Document, ApiError>>,
    /// The audit log could not record how its action ended.
    pub unrecorded: Option<String>,
    /// The batch deleted it (or found it deleted after a lost answer).
    pub deleted: bool,
}

impl BatchItem {
    /// How the token is found and acted on: by its code, the only way CRM.COM has.
    pub fn identifier(&self) -> Option<AccessTokenIdentifier> {
        self.summary
            .authentication_code
            .clone()
            .map(AccessTokenIdentifier::AuthenticationCode)
    }
}

/// Why a marked token is left out of a batch before anything is sent, as the
/// confirmation groups them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LeftOut {
    /// Already in the state the action leads to.
    Already(LifeCycleState),
    /// In a state the action is not allowed from.
    Forbidden(LifeCycleState),
    /// It has no authentication code to act on it by.
    NoCode,
}

impl LeftOut {
    /// Why `token` is left out of `action`, or `None` when it is acted on.
    pub fn of(action: Action, token: &TokenSummary) -> Option<LeftOut> {
        if token.authentication_code.is_none() {
            Some(LeftOut::NoCode)
        } else if action.resulting_state() == Some(token.state.clone()) {
            Some(LeftOut::Already(token.state.clone()))
        } else if action.refusal(&token.state).is_some() {
            Some(LeftOut::Forbidden(token.state.clone()))
        } else {
            None
        }
    }

    /// The confirmation's words after the count: "already NOT_EFFECTIVE".
    pub fn reason(&self, action: Action) -> String {
        match self {
            LeftOut::Already(state) => format!("already {state}"),
            LeftOut::Forbidden(state) => {
                format!("{state}: needs {}", action.required_state())
            }
            LeftOut::NoCode => "without an authentication code".into(),
        }
    }

    /// The row's step in the batch: skipped or refused, nothing sent.
    fn step(&self, action: Action) -> Step {
        match self {
            LeftOut::Already(state) => Step::Skipped(format!("Already {state}; nothing sent.")),
            LeftOut::Forbidden(_) => Step::Refused(format!(
                "{} needs {}; nothing sent.",
                capitalised(action.verb()),
                action.required_state()
            )),
            LeftOut::NoCode => Step::Refused(NO_CODE.into()),
        }
    }
}

/// The marked tokens sorted for an action: those it will be sent for, and those left out
/// (with why), as the confirmation counts them.
#[derive(Clone, Debug)]
pub struct BatchPlan {
    pub action: Action,
    pub items: Vec<BatchItem>,
    /// The groups of tokens left out, in the order first met, with their counts.
    pub left_out: Vec<(LeftOut, usize)>,
}

impl BatchPlan {
    pub fn new(action: Action, marked: impl IntoIterator<Item = TokenSummary>) -> BatchPlan {
        let mut left_out: Vec<(LeftOut, usize)> = Vec::new();
        let items = marked
            .into_iter()
            .map(|summary| {
                let step = match LeftOut::of(action, &summary) {
                    Some(why) => {
                        let step = why.step(action);
                        match left_out.iter_mut().find(|(w, _)| *w == why) {
                            Some((_, count)) => *count += 1,
                            None => left_out.push((why, 1)),
                        }
                        step
                    }
                    None => Step::Queued,
                };
                BatchItem {
                    summary,
                    step,
                    request: None,
                    busy_retries: 0,
                    rereads: 0,
                    lost: None,
                    reread: None,
                    unrecorded: None,
                    deleted: false,
                }
            })
            .collect();
        BatchPlan {
            action,
            items,
            left_out,
        }
    }

    /// How many tokens the action will be sent for.
    pub fn to_change(&self) -> usize {
        self.items.iter().filter(|i| i.step == Step::Queued).count()
    }

    /// The names of the first `count` tokens the action will be sent for.
    pub fn first_names(&self, count: usize) -> Vec<String> {
        self.items
            .iter()
            .filter(|i| i.step == Step::Queued)
            .take(count)
            .map(|i| i.summary.display_name())
            .collect()
    }
}

/// How many tokens of a batch are where.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Tally {
    pub done: usize,
    pub skipped: usize,
    pub refused: usize,
    pub unknown: usize,
    pub failed: usize,
    pub not_sent: usize,
    pub in_flight: usize,
    pub queued: usize,
}

impl Tally {
    pub fn settled(&self) -> usize {
        self.done + self.skipped + self.refused + self.unknown + self.failed + self.not_sent
    }

    /// "3 done, 1 skipped, 1 refused": the counts that are not zero.
    pub fn words(&self) -> String {
        let parts: Vec<String> = [
            (self.done, "done"),
            (self.skipped, "skipped"),
            (self.refused, "refused"),
            (self.failed, "failed"),
            (self.unknown, "unknown"),
            (self.not_sent, "not sent"),
        ]
        .iter()
        .filter(|(count, _)| *count > 0)
        .map(|(count, word)| format!("{count} {word}"))
        .collect();
        if parts.is_empty() {
            "nothing".into()
        } else {
            parts.join(", ")
        }
    }
}

/// A confirmed batch, running or run.
#[derive(Clone, Debug)]
pub struct BatchRun {
    /// Every audit line of the batch names it.
    pub id: String,
    pub action: Action,
    pub items: Vec<BatchItem>,
    /// When it started, on the app's clock.
    pub started: Duration,
    /// When its last token settled.
    pub finished: Option<Duration>,
    /// What the batch came to, once it has ended.
    pub summary: Option<String>,
    /// Esc: no new request goes out; those in flight finish and are reconciled.
    pub stopping: bool,
    /// A busy server asked for a pause: nothing is sent before this.
    pub paused_until: Option<Duration>,
    /// Nothing more may be sent: the audit log could not record an intent (its sentence).
    pub halted: Option<String>,
    pub selected: usize,
    pub offset: usize,
}

impl BatchRun {
    pub fn new(id: String, plan: BatchPlan, started: Duration) -> BatchRun {
        BatchRun {
            id,
            action: plan.action,
            items: plan.items,
            started,
            finished: None,
            summary: None,
            stopping: false,
            paused_until: None,
            halted: None,
            selected: 0,
            offset: 0,
        }
    }

    pub fn running(&self) -> bool {
        self.finished.is_none()
    }

    pub fn tally(&self) -> Tally {
        let mut tally = Tally::default();
        for item in &self.items {
            let count = match item.step {
                Step::Queued => &mut tally.queued,
                Step::Reading | Step::Sending | Step::Checking => &mut tally.in_flight,
                Step::Done(_) => &mut tally.done,
                Step::Skipped(_) => &mut tally.skipped,
                Step::Refused(_) => &mut tally.refused,
                Step::Unknown(_) => &mut tally.unknown,
                Step::Failed(_) => &mut tally.failed,
                Step::NotSent => &mut tally.not_sent,
            };
            *count += 1;
        }
        tally
    }

    /// The token whose request `id` is.
    pub fn item_for(&self, id: RequestId) -> Option<usize> {
        self.items.iter().position(|i| i.request == Some(id))
    }

    /// The requests in flight.
    pub fn requests(&self) -> impl Iterator<Item = RequestId> + '_ {
        self.items.iter().filter_map(|i| i.request)
    }

    pub(in crate::console::app) fn select(&mut self, index: usize, rows: usize) {
        self.selected = index.min(self.items.len().saturating_sub(1));
        self.offset = keep_visible(self.offset, self.selected, rows);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn token(number: &str, state: LifeCycleState, code: Option<&str>) -> TokenSummary {
        TokenSummary {
            number: Some(number.into()),
            state,
            authentication_code: code.map(Into::into),
            ..TokenSummary::default()
        }
    }

    #[test]
    fn a_plan_sorts_the_marks_and_counts_what_is_left_out() {
        use LifeCycleState::*;
        let plan = BatchPlan::new(
            Action::Deactivate,
            [
                token("AT1", Effective, Some("c1")),
                token("AT2", NotEffective, Some("c2")),
                token("AT3", PendingVerification, Some("c3")),
                token("AT4", Effective, None),
                token("AT5", Effective, Some("c5")),
                token("AT6", NotEffective, Some("c6")),
            ],
        );
        assert_eq!(plan.to_change(), 2);
        assert_eq!(plan.first_names(1), ["AT1"]);
        assert_eq!(plan.first_names(9), ["AT1", "AT5"]);
        assert_eq!(
            plan.left_out,
            [
                (LeftOut::Already(NotEffective), 2),
                (LeftOut::Forbidden(PendingVerification), 1),
                (LeftOut::NoCode, 1),
            ]
        );
        let steps: Vec<&str> = plan.items.iter().map(|i| i.step.word()).collect();
        assert_eq!(
            steps,
            [
                "queued", "skipped", "refused", "refused", "queued", "skipped"
            ]
        );
        assert_eq!(
            plan.items[2].step.sentence(),
            "Deactivate needs EFFECTIVE; nothing sent."
        );
        assert_eq!(
            plan.items[1].step.sentence(),
            "Already NOT_EFFECTIVE; nothing sent."
        );
        assert_eq!(
            LeftOut::Forbidden(PendingVerification).reason(Action::Deactivate),
            "PENDING_VERIFICATION: needs EFFECTIVE"
        );
    }

    #[test]
    fn delete_leaves_out_what_is_not_deactivated_and_nothing_is_already_deleted() {
        use LifeCycleState::*;
        let plan = BatchPlan::new(
            Action::Delete,
            [
                token("AT1", Effective, Some("c1")),
                token("AT2", NotEffective, Some("c2")),
            ],
        );
        assert_eq!(plan.to_change(), 1);
        assert_eq!(plan.left_out, [(LeftOut::Forbidden(Effective), 1)]);
    }

    #[test]
    fn the_tally_counts_every_step_once() {
        let plan = BatchPlan::new(
            Action::Activate,
            [
                token("AT1", LifeCycleState::NotEffective, Some("c1")),
                token("AT2", LifeCycleState::Effective, Some("c2")),
            ],
        );
        let mut run = BatchRun::new("b".into(), plan, Duration::ZERO);
        run.items[0].step = Step::Sending;
        let tally = run.tally();
        assert_eq!((tally.in_flight, tally.skipped, tally.settled()), (1, 1, 1));
        assert_eq!(tally.words(), "1 skipped");
        run.items[0].step = Step::NotSent;
        assert_eq!(run.tally().words(), "1 skipped, 1 not sent");
        assert!(Step::Checking.in_flight() && !Step::Queued.in_flight());
    }
}
