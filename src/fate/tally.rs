//! What a batch came to: the count of each outcome, the tokens left out grouped by why,
//! and the one summary sentence both front-ends end a batch with.

use crate::api::Action;
use crate::text::capitalised;

use super::vocabulary::{Fate, LeftOut, Outcome};

/// What the outcomes, taken together, say of the batch: the command line's exit status
/// is made of it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// Every token is in the state the action leads to: done, or already so.
    AsAsked,
    /// Some token was not done, and it is known: refused, or left out (its state forbids
    /// the action, it was not found, it could not be addressed, the batch was stopped).
    NotDone,
    /// For some token nobody knows: its outcome is unknown, or it could not even be read.
    NotKnown,
}

/// How many tokens of a batch ended how.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Tally {
    pub done: usize,
    /// Of those done, how many a resume took from its journal, unread.
    pub from_journal: usize,
    pub left_out: usize,
    pub refused: usize,
    pub failed: usize,
    pub unknown: usize,
    /// The tokens left out, grouped by why (see [`count_left_out`]).
    pub why_left_out: Vec<(LeftOut, usize)>,
}

impl Tally {
    pub fn add(&mut self, outcome: &Outcome) {
        let count = match outcome.fate {
            Fate::LeftOut => &mut self.left_out,
            Fate::Done => &mut self.done,
            Fate::Refused => &mut self.refused,
            Fate::Failed => &mut self.failed,
            Fate::Unknown => &mut self.unknown,
        };
        *count += 1;
        self.from_journal += usize::from(outcome.from_journal);
        if let Some(why) = &outcome.left_out {
            count_left_out(&mut self.why_left_out, why);
        }
    }

    pub fn total(&self) -> usize {
        self.done + self.left_out + self.refused + self.failed + self.unknown
    }

    pub fn verdict(&self) -> Verdict {
        let unsettled_left_out = self
            .why_left_out
            .iter()
            .filter(|(why, _)| !why.settled())
            .map(|(_, count)| count)
            .sum::<usize>();
        if self.unknown + self.failed > 0 {
            Verdict::NotKnown
        } else if self.refused + unsettled_left_out > 0 {
            Verdict::NotDone
        } else {
            Verdict::AsAsked
        }
    }

    /// "Deactivated 3 of 6 tokens: 2 left out (1 already NOT_EFFECTIVE, 1
    /// PENDING_VERIFICATION: needs EFFECTIVE), 1 refused."
    pub fn summary(&self, action: Action) -> String {
        let mut parts = Vec::new();
        if self.from_journal > 0 {
            parts.push(format!(
                "{} of them by the interrupted run this one resumes",
                self.from_journal
            ));
        }
        if self.left_out > 0 {
            parts.push(format!(
                "{} left out ({})",
                self.left_out,
                left_out_words(&self.why_left_out, action)
            ));
        }
        if self.refused > 0 {
            parts.push(format!("{} refused", self.refused));
        }
        if self.failed > 0 {
            parts.push(format!("{} failed, nothing sent", self.failed));
        }
        if self.unknown > 0 {
            parts.push(format!(
                "{} unknown (read again to find out what happened)",
                self.unknown
            ));
        }
        let head = format!(
            "{} {} of {}",
            capitalised(action.past_tense()),
            self.done,
            tokens(self.total())
        );
        if parts.is_empty() {
            format!("{head}.")
        } else {
            format!("{head}: {}.", parts.join(", "))
        }
    }
}

/// Counts one more token left out for `why`. The groups are kept in one order, however
/// the tokens came (a batch's tokens end in any order): already so first, then by state,
/// then not found, not addressable, stopped.
pub fn count_left_out(groups: &mut Vec<(LeftOut, usize)>, why: &LeftOut) {
    match groups.binary_search_by(|(w, _)| order(w).cmp(&order(why))) {
        Ok(found) => groups[found].1 += 1,
        Err(at) => groups.insert(at, (why.clone(), 1)),
    }
}

fn order(why: &LeftOut) -> (u8, &str) {
    match why {
        LeftOut::Already(state) => (0, state.as_str()),
        LeftOut::Forbidden(state) => (1, state.as_str()),
        LeftOut::NotFound => (2, ""),
        LeftOut::NoCode => (3, ""),
        LeftOut::Stopped => (4, ""),
    }
}

/// "1 already NOT_EFFECTIVE, 2 PENDING_VERIFICATION: needs EFFECTIVE": each group with its
/// count, as a confirmation and a summary say them.
pub fn left_out_words(groups: &[(LeftOut, usize)], action: Action) -> String {
    groups
        .iter()
        .map(|(why, count)| format!("{count} {}", why.reason(action)))
        .collect::<Vec<_>>()
        .join(", ")
}

/// "1 token", "3 tokens".
pub fn tokens(count: usize) -> String {
    let noun = if count == 1 { "token" } else { "tokens" };
    format!("{count} {noun}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::LifeCycleState::*;

    fn outcome(fate: Fate) -> Outcome {
        Outcome::new(fate, String::new())
    }

    #[test]
    fn the_summary_calls_nothing_left_out_refused() {
        // `delete --acr ACR0000000071`: one of five can be deleted.
        let action = Action::Delete;
        let mut tally = Tally::default();
        tally.add(&outcome(Fate::Done));
        for state in [
            Effective,
            Effective,
            PendingVerification,
            PendingVerification,
        ] {
            tally.add(&Outcome::left_out(action, LeftOut::Forbidden(state)));
        }
        assert_eq!(
            tally.summary(action),
            "Deleted 1 of 5 tokens: 4 left out (2 EFFECTIVE: needs NOT_EFFECTIVE, 2 PENDING_VERIFICATION: needs NOT_EFFECTIVE)."
        );
        assert_eq!((tally.refused, tally.left_out, tally.total()), (0, 4, 5));
        assert_eq!(tally.verdict(), Verdict::NotDone);
    }

    #[test]
    fn the_verdict_is_the_worst_outcome() {
        let action = Action::Deactivate;
        let mut tally = Tally::default();
        assert_eq!(tally.verdict(), Verdict::AsAsked);
        assert_eq!(tally.summary(action), "Deactivated 0 of 0 tokens.");
        tally.add(&outcome(Fate::Done));
        tally.add(&Outcome::done_before());
        tally.add(&Outcome::left_out(action, LeftOut::Already(NotEffective)));
        assert_eq!(tally.verdict(), Verdict::AsAsked, "already so is as asked");
        for why in [
            LeftOut::Forbidden(Unknown),
            LeftOut::NotFound,
            LeftOut::NoCode,
            LeftOut::Stopped,
        ] {
            let mut one = tally.clone();
            one.add(&Outcome::left_out(action, why.clone()));
            assert_eq!(one.verdict(), Verdict::NotDone, "{why:?}");
        }
        tally.add(&outcome(Fate::Refused));
        assert_eq!(tally.verdict(), Verdict::NotDone);
        let mut failed = tally.clone();
        failed.add(&outcome(Fate::Failed));
        assert_eq!(failed.verdict(), Verdict::NotKnown);
        tally.add(&outcome(Fate::Unknown));
        assert_eq!(tally.verdict(), Verdict::NotKnown);
        tally.add(&outcome(Fate::Failed));
        assert_eq!(
            tally.summary(action),
            "Deactivated 2 of 6 tokens: 1 of them by the interrupted run this one resumes, 1 left out (1 already NOT_EFFECTIVE), 1 refused, 1 failed, nothing sent, 1 unknown (read again to find out what happened)."
        );
        assert_eq!((tally.done, tally.from_journal, tally.total()), (2, 1, 6));
    }

    #[test]
    fn left_out_tokens_are_grouped_by_why_in_one_order_whatever_order_they_come_in() {
        let whys = [
            LeftOut::Stopped,
            LeftOut::NoCode,
            LeftOut::Forbidden(PendingVerification),
            LeftOut::Already(Effective),
            LeftOut::NoCode,
            LeftOut::NotFound,
            LeftOut::Forbidden(Effective),
        ];
        let expected = "2 without an authentication code";
        for reversed in [false, true] {
            let mut groups = Vec::new();
            let mut order: Vec<&LeftOut> = whys.iter().collect();
            if reversed {
                order.reverse();
            }
            for why in order {
                count_left_out(&mut groups, why);
            }
            assert_eq!(
                left_out_words(&groups, Action::Activate),
                format!(
                    "1 already EFFECTIVE, 1 EFFECTIVE: needs NOT_EFFECTIVE, 1 PENDING_VERIFICATION: needs NOT_EFFECTIVE, 1 not found, {expected}, 1 stopped before they were sent"
                )
            );
        }
        assert_eq!(tokens(1), "1 token");
        assert_eq!(tokens(0), "0 tokens");
    }
}
