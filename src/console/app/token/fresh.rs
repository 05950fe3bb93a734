//! Acting on fresh state. Another clerk, or a script on the command line, may have changed
//! a token since it was read, and the screen would still show the old state. So:
//! - opening a confirmation on a token read more than [`STALE_AFTER`] ago reads it again
//!   first: the modal says "checking…" and takes no answer until the fresh state is in it;
//!   if that state no longer allows the action, the modal closes and says so;
//! - any refusal of an action reads it again (the core's course, `fate::Course`, decides
//!   that for the console and the command line alike), and says the state it is in now,
//!   which the screen then shows.

use std::time::Duration;

use crate::api::{Action, ApiError, Document, Operation};
use crate::console::app::msg::Effect;
use crate::console::app::pending::Purpose;
use crate::console::app::questions::confirm::Confirm;
use crate::console::app::state::{App, Modal, Tone};
use crate::fate::confirmation;

/// A token read longer ago than this is read again before a confirmation asks about it.
pub const STALE_AFTER: Duration = Duration::from_secs(60);

impl App {
    /// `d`, `a`, `X`: the confirmation, after a check of the state if it may be stale.
    pub(in crate::console::app) fn request_action(
        &mut self,
        action: Action,
        effects: &mut Vec<Effect>,
    ) {
        if let Some(reason) = self.action_refusal(action) {
            return self.notify(Tone::Warning, reason);
        }
        let Some(token) = &self.token else { return };
        let Some(identifier) = token.identifier.clone() else {
            return;
        };
        let stale = self.clock.since(token.read_at) > STALE_AFTER;
        let token_name = token.summary.display_name();
        let mut confirm = Confirm::new(
            action,
            token.summary.clone(),
            identifier.clone(),
            confirmation::server_name(
                &self.environment.host,
                self.environment.demo,
                Some(self.environment.label.place(&self.environment.host)),
            ),
            self.clock,
        );
        confirm.question.ask_reason(&self.reason);
        if stale {
            confirm.question.hold();
        }
        // A question opens on a status line that speaks of it alone, not of what came before.
        self.notice = None;
        self.modal = Some(Modal::Confirm(Box::new(confirm)));
        if stale {
            let operation = Operation::Show {
                identifier,
                fields: None,
            };
            self.send(Purpose::Check { action, token_name }, operation, effects);
        }
    }

    /// The fresh token for a confirmation that was checking: it asks about the fresh
    /// state, or closes if that state no longer allows the action.
    pub(in crate::console::app) fn checked(&mut self, action: Action, token: Document) {
        self.replace_token(token);
        let Some(view) = &self.token else { return };
        let summary = view.summary.clone();
        if let Some(Modal::Confirm(confirm)) = &mut self.modal
            && confirm.checking()
        {
            if action.refusal(&summary.state).is_none() {
                confirm.refresh(summary, self.clock);
                return;
            }
            self.modal = None;
            self.notify(
                Tone::Warning,
                format!(
                    "{} is {} now, so it cannot be {}; nothing was sent.",
                    summary.display_name(),
                    summary.state,
                    action.past_tense()
                ),
            );
        }
    }

    /// The check could not be made: nothing is confirmed against a state not known.
    pub(in crate::console::app) fn check_failed(
        &mut self,
        action: Action,
        token_name: &str,
        error: &ApiError,
    ) {
        if matches!(&self.modal, Some(Modal::Confirm(c)) if c.checking()) {
            self.modal = None;
        }
        self.notify(
            Tone::Error,
            format!(
                "Could not read {token_name} again to check its state: {error} Nothing was {}.",
                action.past_tense()
            ),
        );
    }
}
