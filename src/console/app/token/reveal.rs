//! `v`: the token's personal data in clear, or masked again. A reveal is recorded in the
//! audit log before anything is shown: the app asks the event loop to write the record
//! (`Effect::AuditReveal`) and reveals only when it answers that the record is on disk. It
//! lasts until another token is opened; a re-read of the same token keeps it.

use super::raw_view;
use crate::audit::AuditToken;
use crate::console::app::msg::Effect;
use crate::console::app::state::{App, Screen, Tone};

impl App {
    /// Whether the token on screen shows its personal data in clear (the status bar says
    /// REVEALED).
    pub fn revealed(&self) -> bool {
        self.screen == Screen::Token && self.token.as_ref().is_some_and(|t| t.tree.revealed())
    }

    pub(in crate::console::app) fn reveal(&mut self, effects: &mut Vec<Effect>) {
        let Some(token) = &mut self.token else { return };
        if token.tree.revealed() {
            // The REVEALED badge going is the answer; no message to outstay it.
            token.tree.reveal(false);
            self.refresh_raw();
            return;
        }
        if !token.tree.has_masked() {
            let name = token.summary.display_name();
            self.notify(Tone::Info, format!("{name} holds no masked personal data."));
            return;
        }
        let record = audit_token(token);
        let name = token.summary.display_name();
        if self.revealing.as_ref() == Some(&record) {
            self.notify(
                Tone::Info,
                format!("Still waiting for the audit log to record the reveal of {name}."),
            );
            return;
        }
        // The record may take a while (a slow disk): say what is awaited.
        self.notify(
            Tone::Info,
            format!("Writing the reveal of {name} to the audit log; it shows once recorded."),
        );
        self.revealing = Some(record.clone());
        effects.push(Effect::AuditReveal(record));
    }

    /// Personal data masked again (the idle lock): a reveal must be asked for anew.
    pub(in crate::console::app) fn mask_again(&mut self) {
        if let Some(token) = &mut self.token
            && token.tree.revealed()
        {
            token.tree.reveal(false);
            self.refresh_raw();
        }
    }

    /// The audit log's answer: reveal, if the record is for the token still on screen.
    pub(in crate::console::app) fn reveal_audited(&mut self, recorded: Result<AuditToken, String>) {
        self.revealing = None;
        match recorded {
            Err(sentence) => self.notify(Tone::Error, sentence),
            Ok(recorded) => {
                let Some(token) = &mut self.token else { return };
                // Nothing is revealed behind the lock: the clerk asks again once back.
                if self.screen != Screen::Token
                    || audit_token(token) != recorded
                    || self.idle.locked.is_some()
                {
                    return;
                }
                token.tree.reveal(true);
                // An earlier message (a refused reveal) no longer holds.
                self.notice = None;
                self.refresh_raw();
            }
        }
    }

    /// The raw JSON view, when open, follows the reveal.
    fn refresh_raw(&mut self) {
        let Some(token) = &mut self.token else { return };
        if let Some(raw) = &token.raw {
            let offset = raw.offset;
            let mut fresh = raw_view(&token.data, &self.mask, token.tree.revealed());
            fresh.offset = offset.min(fresh.lines.len().saturating_sub(1));
            token.raw = Some(fresh);
        }
    }
}

/// How the audit log names the token on screen: never by its personal data.
fn audit_token(token: &super::view::TokenView) -> AuditToken {
    let known = AuditToken::from_summary(&token.summary);
    match &token.identifier {
        Some(identifier) => known.or(&AuditToken::from_identifier(identifier)),
        None => known,
    }
}
