//! A batch of marked tokens as the console holds it: what the confirmation counts, each
//! token's step while it runs, and what the table and the status bar say of it. How it
//! moves is in `mod.rs`.

use std::time::Duration;

use crate::api::request::RequestId;
use crate::api::{AccessTokenIdentifier, Action, ApiError, Document, TokenSummary};
use crate::console::app::results::page::keep_visible;
use crate::fate::tally::count_left_out;
use crate::fate::{Course, LeftOut, Outcome, Request, Tally};

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

/// Where one token of a batch is: on its way (the core's course decides each step), or
/// ended in the core's vocabulary.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Step {
    /// Waiting for a free slot, or for a busy server's pause to end.
    Queued,
    /// Read first, so that the action goes only to a token whose state allows it now.
    Reading,
    /// The action is in flight.
    Sending,
    /// The action's answer proved nothing, or was a refusal: the token is read again.
    Checking,
    Ended(Outcome),
}

impl Step {
    /// The word the table shows: where it is, or how it ended.
    pub fn word(&self) -> &'static str {
        match self {
            Step::Queued => "queued",
            Step::Reading => "reading",
            Step::Sending => "sending",
            Step::Checking => "checking",
            Step::Ended(outcome) => outcome.fate.word(),
        }
    }

    /// Why it ended as it did, for the table.
    pub fn sentence(&self) -> &str {
        match self {
            Step::Ended(outcome) => &outcome.sentence,
            Step::Queued | Step::Reading | Step::Sending | Step::Checking => "",
        }
    }

    /// How it ended, once it has.
    pub fn outcome(&self) -> Option<&Outcome> {
        match self {
            Step::Ended(outcome) => Some(outcome),
            _ => None,
        }
    }

    /// A request of it is on its way.
    pub fn in_flight(&self) -> bool {
        matches!(self, Step::Reading | Step::Sending | Step::Checking)
    }

    /// The step of a request the course asks for.
    pub fn sending(request: Request) -> Step {
        match request {
            Request::Read => Step::Reading,
            Request::Act => Step::Sending,
            Request::Reread => Step::Checking,
        }
    }
}

/// One marked token in a batch.
#[derive(Clone, Debug)]
pub struct BatchItem {
    /// Its way through the action: what is known of it, and what comes next.
    pub course: Course,
    pub step: Step,
    /// The request in flight for it.
    pub request: Option<RequestId>,
    /// What the API task's own re-read after a lost answer or a refusal found (for the
    /// audit log): the check, without a second read.
    pub reread: Option<Result<Document, ApiError>>,
    /// The audit log could not record how its action ended.
    pub unrecorded: Option<String>,
}

impl BatchItem {
    /// The token as last read: from the results page, then from its own reads.
    pub fn summary(&self) -> &TokenSummary {
        self.course.known()
    }

    /// The batch deleted it (or found it deleted after a lost answer).
    pub fn deleted(&self) -> bool {
        self.course.deleted()
    }
}

/// The marked tokens sorted for an action: those it will be sent for, and those left out
/// (with why), as the confirmation counts them.
#[derive(Clone, Debug)]
pub struct BatchPlan {
    pub action: Action,
    pub items: Vec<BatchItem>,
    /// The groups of tokens left out, with their counts.
    pub left_out: Vec<(LeftOut, usize)>,
}

impl BatchPlan {
    pub fn new(action: Action, marked: impl IntoIterator<Item = TokenSummary>) -> BatchPlan {
        let mut left_out: Vec<(LeftOut, usize)> = Vec::new();
        let items = marked
            .into_iter()
            .map(|summary| {
                // CRM.COM finds a token only by its code.
                let identifier = summary
                    .authentication_code
                    .clone()
                    .map(AccessTokenIdentifier::AuthenticationCode);
                let step = match LeftOut::of(action, &summary) {
                    Some(why) => {
                        count_left_out(&mut left_out, &why);
                        Step::Ended(Outcome::left_out(action, why))
                    }
                    None => Step::Queued,
                };
                BatchItem {
                    course: Course::read_first(action, identifier, summary),
                    step,
                    request: None,
                    reread: None,
                    unrecorded: None,
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
            .map(|i| i.summary().display_name())
            .collect()
    }
}

/// Where the tokens of a batch are: how many ended how (the core's tally), and how many
/// are still on their way.
#[derive(Clone, Debug, Default)]
pub struct Progress {
    pub ended: Tally,
    pub in_flight: usize,
    pub queued: usize,
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
    /// The clerk's reason, given once for every token of it.
    pub reason: Option<String>,
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
            reason: None,
            paused_until: None,
            halted: None,
            selected: 0,
            offset: 0,
        }
    }

    pub fn running(&self) -> bool {
        self.finished.is_none()
    }

    pub fn progress(&self) -> Progress {
        let mut progress = Progress::default();
        for item in &self.items {
            match &item.step {
                Step::Queued => progress.queued += 1,
                Step::Reading | Step::Sending | Step::Checking => progress.in_flight += 1,
                Step::Ended(outcome) => progress.ended.add(outcome),
            }
        }
        progress
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
    use crate::api::LifeCycleState;

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
                "queued", "left out", "left out", "left out", "queued", "left out"
            ]
        );
        assert_eq!(
            plan.items[2].step.sentence(),
            "Only EFFECTIVE tokens can be deactivated; this one is PENDING_VERIFICATION. Nothing sent."
        );
        assert_eq!(
            plan.items[1].step.sentence(),
            "Already NOT_EFFECTIVE; nothing sent."
        );
        assert_eq!(
            plan.items[0].course.identifier(),
            Some(&AccessTokenIdentifier::AuthenticationCode("c1".into()))
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
    fn the_progress_counts_every_step_once() {
        let plan = BatchPlan::new(
            Action::Activate,
            [
                token("AT1", LifeCycleState::NotEffective, Some("c1")),
                token("AT2", LifeCycleState::Effective, Some("c2")),
                token("AT3", LifeCycleState::NotEffective, Some("c3")),
            ],
        );
        let mut run = BatchRun::new("b".into(), plan, Duration::ZERO);
        run.items[0].step = Step::Sending;
        let progress = run.progress();
        assert_eq!(
            (
                progress.in_flight,
                progress.queued,
                progress.ended.left_out,
                progress.ended.total()
            ),
            (1, 1, 1, 1)
        );
        assert!(Step::Checking.in_flight() && !Step::Queued.in_flight());
        assert_eq!(Step::sending(Request::Reread), Step::Checking);
        assert_eq!(Step::sending(Request::Read), Step::Reading);
        assert_eq!(Step::sending(Request::Act), Step::Sending);
        assert_eq!(Step::Queued.outcome(), None);
        assert_eq!(Step::Checking.sentence(), "");
    }
}
