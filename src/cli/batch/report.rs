//! How each token of a batch ended, as a line for people or for programs, and the summary
//! and exit status of the whole batch.

use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::api::Action;
use crate::exit;
use crate::text::{bounded, sanitize};

/// How one token ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Sent and done (or found done by the re-read of a lost answer).
    Done,
    /// Done or skipped by the interrupted run this one resumes (its journal says so): not
    /// read again, nothing sent.
    DoneBefore,
    /// Already in the target state: nothing sent.
    Skipped,
    /// Not done: its state forbids the action (nothing sent), the server said no, or the
    /// input names nothing CRM.COM can find.
    Refused,
    /// Sent, and neither the answer nor a re-read says what happened.
    Unknown,
    /// Not done, and nothing sent: the token could not be read, or the request could not go.
    Failed,
}

impl Status {
    /// Nothing left to do for it.
    pub fn settled(self) -> bool {
        matches!(self, Status::Done | Status::DoneBefore | Status::Skipped)
    }

    fn word(self) -> &'static str {
        match self {
            Status::Done => "done",
            Status::DoneBefore => "done before",
            Status::Skipped => "skipped",
            Status::Refused => "refused",
            Status::Unknown => "unknown",
            Status::Failed => "failed",
        }
    }
}

/// One token of a batch, as it ended. Text from the server is sanitised on the way in.
#[derive(Clone, Debug)]
pub struct Row {
    pub key: String,
    pub code: Option<String>,
    pub number: Option<String>,
    pub before: Option<String>,
    pub after: Option<String>,
    pub status: Status,
    pub sentence: String,
}

impl Row {
    /// The `--json` line: one object, on one line.
    pub fn json_line(&self) -> String {
        let clean = |text: &Option<String>| text.as_deref().map(|t| shown(t).into_owned());
        let value = json!({
            "code": clean(&self.code),
            "number": clean(&self.number),
            "state_before": clean(&self.before),
            "state_after": clean(&self.after),
            "outcome": self.status,
            "sentence": shown(&self.sentence),
        });
        format!("{value}\n")
    }

    /// The text line: who, the states, how it ended and why.
    pub fn text_line(&self) -> String {
        let name = self.number.as_deref().unwrap_or(&self.key);
        let states = match (&self.before, &self.after) {
            (Some(before), Some(after)) if before != after => format!("{before} -> {after}"),
            (Some(state), _) | (None, Some(state)) => state.clone(),
            (None, None) => "-".to_owned(),
        };
        format!(
            "{}  {}  {}: {}\n",
            shown(name),
            shown(&states),
            self.status.word(),
            shown(&self.sentence)
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

/// What a batch came to so far.
#[derive(Clone, Debug, Default)]
pub struct Tally {
    pub done: usize,
    pub done_before: usize,
    pub skipped: usize,
    pub refused: usize,
    pub unknown: usize,
    pub failed: usize,
}

impl Tally {
    pub fn add(&mut self, status: Status) {
        let count = match status {
            Status::Done => &mut self.done,
            Status::DoneBefore => &mut self.done_before,
            Status::Skipped => &mut self.skipped,
            Status::Refused => &mut self.refused,
            Status::Unknown => &mut self.unknown,
            Status::Failed => &mut self.failed,
        };
        *count += 1;
    }

    pub fn total(&self) -> usize {
        self.done + self.done_before + self.skipped + self.refused + self.unknown + self.failed
    }

    /// 0 when every token is done or skipped, 1 when any was refused, 3 when the outcome of
    /// any is unknown (or it could not even be read).
    pub fn exit_status(&self) -> u8 {
        if self.unknown + self.failed > 0 {
            exit::UNREACHABLE
        } else if self.refused > 0 {
            exit::REFUSED
        } else {
            0
        }
    }

    /// "Deactivated 312 of 450 tokens: 90 skipped (already in that state), 45 refused."
    pub fn summary(&self, action: Action) -> String {
        let mut parts = Vec::new();
        if self.done_before > 0 {
            parts.push(format!(
                "{} done by the interrupted run this one resumes",
                self.done_before
            ));
        }
        if self.skipped > 0 {
            parts.push(format!(
                "{} skipped (already {})",
                self.skipped,
                action
                    .resulting_state()
                    .map_or_else(|| "gone".to_owned(), |s| s.to_string())
            ));
        }
        if self.refused > 0 {
            parts.push(format!("{} refused", self.refused));
        }
        if self.unknown > 0 {
            parts.push(format!(
                "{} unknown (run the same command again to re-read them)",
                self.unknown
            ));
        }
        if self.failed > 0 {
            parts.push(format!("{} failed, nothing sent", self.failed));
        }
        let mut past = action.past_tense().to_owned();
        if let Some(first) = past.get_mut(..1) {
            first.make_ascii_uppercase();
        }
        let head = format!("{past} {} of {} tokens", self.done, self.total());
        if parts.is_empty() {
            format!("{head}.")
        } else {
            format!("{head}: {}.", parts.join(", "))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_exit_status_is_the_worst_outcome() {
        let mut tally = Tally::default();
        for status in [Status::Done, Status::Skipped, Status::DoneBefore] {
            tally.add(status);
        }
        assert_eq!(tally.exit_status(), 0);
        tally.add(Status::Refused);
        assert_eq!(tally.exit_status(), 1);
        tally.add(Status::Unknown);
        assert_eq!(tally.exit_status(), 3);
        assert_eq!(
            tally.summary(Action::Deactivate),
            "Deactivated 1 of 5 tokens: 1 done by the interrupted run this one resumes, 1 skipped (already NOT_EFFECTIVE), 1 refused, 1 unknown (run the same command again to re-read them)."
        );
    }

    #[test]
    fn a_json_line_is_one_line_without_terminal_controls() {
        let row = Row {
            key: "1".into(),
            code: Some("1\u{1b}[2J".into()),
            number: Some("AT1".into()),
            before: Some("EFFECTIVE".into()),
            after: Some("NOT_EFFECTIVE".into()),
            status: Status::Done,
            sentence: "Deactivated.\nReally".into(),
        };
        let line = row.json_line();
        assert_eq!(line.matches('\n').count(), 1, "{line}");
        assert!(!line.contains('\u{1b}'), "{line}");
        let value: serde_json::Value = serde_json::from_str(&line).expect("JSON");
        assert_eq!(value["outcome"], "done");
        assert_eq!(value["state_before"], "EFFECTIVE");
    }
}
