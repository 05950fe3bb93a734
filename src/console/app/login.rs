//! The log-in the console starts with. It runs on the API task while the first frame is
//! already on screen; a search made meanwhile waits for the session (see `send`) and goes
//! once it exists. A failed log-in ends the console with its sentence and status.

use crate::api::Operation;
use crate::api::request::{ApiCommand, ApiEventKind, RequestId};

use super::msg::Effect;
use super::pending::LogIn;
use super::state::App;

impl App {
    /// Starts the log-in: the status bar says so until it ends.
    pub fn log_in(&mut self) -> Vec<Effect> {
        let id = RequestId(self.next_request);
        self.next_request += 1;
        self.logging_in = Some(LogIn {
            id,
            started: self.clock.now,
            held: None,
        });
        self.changed = true;
        vec![Effect::Api(ApiCommand::Send {
            id,
            operation: Operation::LogIn,
        })]
    }

    pub(super) fn log_in_event(&mut self, kind: ApiEventKind, effects: &mut Vec<Effect>) {
        let ApiEventKind::Finished(outcome) = kind else {
            self.changed = false;
            return;
        };
        let Some(log_in) = self.logging_in.take() else {
            return;
        };
        match outcome {
            Ok(_) => {
                // Only the request still awaited: one cancelled or replaced meanwhile is not sent.
                if let Some(held @ ApiCommand::Send { id, .. }) = log_in.held
                    && self.pending.as_ref().is_some_and(|p| p.id == id)
                {
                    effects.push(Effect::Api(held));
                }
            }
            Err(error) => effects.push(Effect::LogInFailed(error)),
        }
    }
}
