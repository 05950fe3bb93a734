//! How each token of a batch ended, as a line for people or for programs, and the exit
//! status of the whole batch; the outcomes, their words and the tally are the core's
//! (`fate`).

use serde_json::json;

use crate::exit;
use crate::fate::{Outcome, Verdict};
use crate::text::{bounded, sanitize};

/// One token of a batch, as it ended. Text from the server is sanitised on the way in.
#[derive(Clone, Debug)]
pub struct Row {
    pub key: String,
    pub code: Option<String>,
    pub number: Option<String>,
    pub outcome: Outcome,
}

impl Row {
    /// The `--json` line: one object, on one line.
    pub fn json_line(&self) -> String {
        let clean = |text: &Option<String>| text.as_deref().map(|t| shown(t).into_owned());
        let outcome = &self.outcome;
        let value = json!({
            "code": clean(&self.code),
            "number": clean(&self.number),
            "state_before": clean(&outcome.before),
            "state_after": clean(&outcome.after),
            "outcome": outcome.fate,
            "from_journal": outcome.from_journal,
            "sentence": shown(&outcome.sentence),
        });
        format!("{value}\n")
    }

    /// The text line: who, the states, how it ended and why.
    pub fn text_line(&self) -> String {
        let name = self.number.as_deref().unwrap_or(&self.key);
        let outcome = &self.outcome;
        let states = match (&outcome.before, &outcome.after) {
            (Some(before), Some(after)) if before != after => format!("{before} -> {after}"),
            (Some(state), _) | (None, Some(state)) => state.clone(),
            (None, None) => "-".to_owned(),
        };
        format!(
            "{}  {}  {}: {}\n",
            shown(name),
            shown(&states),
            outcome.fate.word(),
            shown(&outcome.sentence)
        )
    }
}

/// Server text as a row shows it: without what a terminal would interpret, and cut to
/// about a kilobyte.
fn shown(text: &str) -> std::borrow::Cow<'_, str> {
    match sanitize(text) {
        std::borrow::Cow::Borrowed(clean) => bounded(clean),
        std::borrow::Cow::Owned(clean) => std::borrow::Cow::Owned(bounded(&clean).into_owned()),
    }
}

/// 0 when every token is as the action asked (done, or already so), 1 when any was
/// refused or left out for another reason, 3 when the outcome of any is unknown (or it
/// could not even be read).
pub fn exit_status(verdict: Verdict) -> u8 {
    match verdict {
        Verdict::AsAsked => 0,
        Verdict::NotDone => exit::REFUSED,
        Verdict::NotKnown => exit::UNREACHABLE,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::{Action, LifeCycleState};
    use crate::fate::{Fate, LeftOut, Tally};

    #[test]
    fn the_exit_status_is_the_worst_outcome() {
        let action = Action::Deactivate;
        let mut tally = Tally::default();
        tally.add(&Outcome::done_before());
        tally.add(&Outcome::left_out(
            action,
            LeftOut::Already(LifeCycleState::NotEffective),
        ));
        assert_eq!(exit_status(tally.verdict()), 0);
        tally.add(&Outcome::left_out(action, LeftOut::NotFound));
        assert_eq!(exit_status(tally.verdict()), 1);
        tally.add(&Outcome::not_sent("the journal could not be written."));
        assert_eq!(exit_status(tally.verdict()), 3);
    }

    #[test]
    fn a_json_line_is_one_line_without_terminal_controls() {
        let mut outcome = Outcome::done_before();
        outcome.before = Some("EFFECTIVE".into());
        outcome.sentence = "Deactivated.\nReally".into();
        let row = Row {
            key: "1".into(),
            code: Some("1\u{1b}[2J".into()),
            number: Some("AT1".into()),
            outcome,
        };
        let line = row.json_line();
        assert_eq!(line.matches('\n').count(), 1, "{line}");
        assert!(!line.contains('\u{1b}'), "{line}");
        let value: serde_json::Value = serde_json::from_str(&line).expect("JSON");
        assert_eq!(value["outcome"], "done");
        assert_eq!(value["from_journal"], true);
        assert_eq!(value["state_before"], "EFFECTIVE");
        assert_eq!(row.outcome.fate, Fate::Done);
        assert_eq!(
            row.text_line(),
            "AT1  EFFECTIVE  done: Deactivated. Really\n"
        );
    }
}
