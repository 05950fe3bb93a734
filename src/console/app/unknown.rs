//! What the console leaves unknown when it ends: the actions sent whose answer it will not
//! wait for, and a batch's rows whose outcome nobody could find out. Said on the restored
//! terminal, each with the command that checks it, so a clerk who quit mid-action still
//! knows what to look at.

use crate::api::Action;

use super::batch::run::Step;
use super::state::App;
use crate::fate::Fate;

/// A token whose outcome is not known.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownOutcome {
    pub action: Action,
    /// Its number, else its code.
    pub name: String,
    /// Its authentication code, when known: what `tokendesk show` finds it by.
    pub code: Option<String>,
}

impl App {
    /// The actions whose outcome is not known now: sent and not answered, answered without
    /// proof and not yet re-read, or (in a batch) settled as unknown.
    pub fn unknown_outcomes(&self) -> Vec<UnknownOutcome> {
        let mut unknown = Vec::new();
        if let Some(pending) = &self.pending {
            let action = match &pending.purpose {
                // Still waiting for the audit log: not sent (the API task sends it only
                // once its intent is on disk, and never after the console closes).
                super::Purpose::Act { action, .. } if pending.recorded => Some(*action),
                super::Purpose::Verify { action, .. } => Some(*action),
                _ => None,
            };
            if let (Some(action), Some(token)) = (action, &self.token) {
                unknown.push(UnknownOutcome {
                    action,
                    name: token.summary.display_name(),
                    code: token.summary.authentication_code.clone(),
                });
            }
        }
        if let Some(run) = &self.batch {
            for item in &run.items {
                if item.step == Step::Sending
                    || item.step == Step::Checking
                    || item.step.outcome().is_some_and(|o| o.fate == Fate::Unknown)
                {
                    unknown.push(UnknownOutcome {
                        action: run.action,
                        name: item.summary().display_name(),
                        code: item.summary().authentication_code.clone(),
                    });
                }
            }
        }
        unknown
    }
}

/// What the terminal says once the console has ended with `unknown` outcomes: one line per
/// token, with the command that checks it.
pub fn ending_sentence(unknown: &[UnknownOutcome]) -> String {
    let count = unknown.len();
    let mut out = format!(
        "The console ended with {} not known; check {}:",
        if count == 1 {
            "the outcome of 1 action".to_owned()
        } else {
            format!("the outcomes of {count} actions")
        },
        if count == 1 { "it" } else { "each" }
    );
    for token in unknown {
        let name = crate::text::sanitize(&token.name);
        let (code, check) = match token.code.as_deref() {
            Some(code) => {
                let code = crate::text::sanitize(code);
                (format!("code {code}"), format!("tokendesk show {code}"))
            }
            None => (
                "no code".to_owned(),
                "tokendesk list --acr ACCOUNT".to_owned(),
            ),
        };
        out.push_str(&format!(
            "\n  {name}  {code}  {}: {check}",
            token.action.verb()
        ));
    }
    out
}
