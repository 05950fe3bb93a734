//! The console's state and its one entry point, `App::update`: a message in, the state
//! changed, and the effects to carry out returned as values. Nothing here touches the
//! terminal, the network or the clock; the event loop (`console::event_loop`) feeds in key presses,
//! API events and ticks, and carries out the effects. Tests drive it the same way.

pub mod batch;
pub mod clock;
pub mod edit;
pub mod help;
pub mod history;
pub mod layout;
pub mod lock;
mod login;
pub mod mouse;
mod msg;
mod outcome;
mod pending;
pub mod questions;
pub mod recall;
mod results;
pub mod scrolling;
pub mod search;
mod state;
pub mod status;
pub mod token;
mod unknown;

use crate::api::request::ApiCommand;
use crate::keys::{Command, Context, Key};
pub use crate::setup::connect::Environment;
pub use msg::{Effect, Msg};
pub use pending::{LogIn, Pending, Purpose};
use questions::confirm::QuitPrompt;
use questions::question::{Prompt, Verdict};
pub use results::page::{ResultRow, ResultsView};
pub use search::line::{SEARCH_LINE_MAX_CHARS, SearchLine};
pub use state::{App, Modal, Notice, READ_ONLY_REFUSAL, Screen, Tone};
pub use token::view::{RawView, TokenView};
pub use unknown::{UnknownOutcome, ending_sentence};

impl App {
    pub fn update(&mut self, msg: Msg) -> Vec<Effect> {
        let mut effects = Vec::new();
        // Most messages change what is on screen; the few that provably do not say so.
        self.changed = true;
        match msg {
            Msg::Key(key) => self.key(key, &mut effects),
            Msg::Paste(text) if self.locked() => self.lock_paste(&text),
            Msg::Paste(text) => {
                self.touched();
                self.paste(&text);
            }
            Msg::Resize { width, height } => self.resize(width, height),
            Msg::Clock(now) => {
                let armed = self.modal_armed();
                self.clock = self.clock.next(now);
                // Only the spinner and a confirmation starting to take keys show the time,
                // and the lock screen shows neither.
                self.changed = !self.locked()
                    && (self.pending.is_some()
                        || self.logging_in.is_some()
                        || self.batch_running()
                        || armed != self.modal_armed());
                // A busy server's pause may have ended.
                self.pump_batch(&mut effects);
                self.resend_action_if_due(&mut effects);
                self.lock_if_idle(&mut effects);
            }
            Msg::Api(event) => self.api_event(event, &mut effects),
            Msg::RevealAudited(recorded) => self.reveal_audited(recorded),
            // The mouse is the clerk's hand as keys are: nothing behind the lock answers
            // it, and while unlocked it keeps the lock away.
            Msg::Mouse(_) if self.locked() => self.changed = false,
            Msg::Mouse(mouse) => {
                self.touched();
                self.mouse(mouse, &mut effects);
            }
            Msg::Remembered(answer) => self.remembered(answer),
            Msg::AuditNotice(text) => self.notify(Tone::Warning, text),
            Msg::HistoryRead(rows) => self.history_read(rows),
            // Drawn again only if the palette changed.
            Msg::Background(colour) => self.changed = self.display.follow(colour),
            Msg::Terminate => self.quit(&mut effects),
            Msg::TerminalLost => self.stop_batch(&mut effects),
        }
        // Whatever happened, a line without the keyboard names what is on screen, a message
        // is about the view it was said in, and what is drawn fits the rows it has.
        if !self.search.focused {
            let shown = self.shown_query().to_owned();
            self.search.show(&shown);
        }
        self.forget_other_views_notice();
        self.fit_viewports();
        self.remember_noted(&mut effects);
        effects
    }

    fn key(&mut self, key: Key, effects: &mut Vec<Effect>) {
        // Ctrl-C leaves from anywhere, even from the search line or a modal.
        match self.keymap.command(&[Context::Always], key) {
            Some(Command::Quit) => return self.quit(effects),
            Some(Command::Suspend) => {
                self.changed = false;
                return effects.push(Effect::Suspend);
            }
            Some(Command::Mouse) => return self.switch_mouse(effects),
            _ => {}
        }
        if self.locked() {
            return self.lock_key(key, effects);
        }
        self.touched();
        // Below the minimum size the screen shows only "too small ... q quits": keep that
        // promise even while the search line has the keyboard, and let no other key act on
        // a screen the clerk cannot see.
        if layout::regions(ratatui::layout::Rect::new(0, 0, self.width, self.height), 1).is_none() {
            if self.keymap.command(&[Context::Global], key) == Some(Command::Quit) {
                self.quit(effects);
            }
            self.changed = false;
            return;
        }
        if let Some(modal) = self.modal.take() {
            return self.modal_key(modal, key, effects);
        }
        // Ctrl-r, as in the shell: from the search line too, but never over a question.
        if self.keymap.command(&[Context::Always], key) == Some(Command::Recent) {
            return self.open_recent_list();
        }
        if self.search.focused {
            return self.search_key(key, effects);
        }
        if self.finding() {
            return self.find_key(key);
        }
        let Some(command) = self.keymap.command(self.contexts(), key) else {
            self.changed = false;
            return;
        };
        self.command(command, effects);
    }

    fn command(&mut self, command: Command, effects: &mut Vec<Effect>) {
        match command {
            Command::Help => {
                self.help_list = scrolling::ScrollingList::default();
                self.help_filter = None;
                self.modal = Some(Modal::Help);
            }
            Command::FocusSearch if self.batch_running() => {
                if let Some(refusal) = self.busy_with_action() {
                    self.notify(Tone::Warning, refusal);
                }
            }
            Command::FocusSearch => {
                // Searching leaves a batch that has ended.
                self.batch = None;
                // `/` starts a fresh search, as in less and vim; Up brings the last one back.
                self.search.input.reset();
                self.search.focused = true;
            }
            Command::Back => self.back(effects),
            Command::Quit if self.is_busy() => {
                // A question opens on a status line that speaks of it alone, not of what came before.
                self.notice = None;
                self.modal = Some(Modal::QuitWhileBusy(QuitPrompt::new(self.clock)));
            }
            Command::Quit => self.quit(effects),
            Command::Act(action) if self.screen == Screen::Results => self.request_batch(action),
            Command::Act(action) => self.request_action(action, effects),
            Command::Reread => self.reread(effects),
            Command::Reveal => self.reveal(effects),
            Command::History => self.open_history(effects),
            Command::Copy | Command::CopyJson | Command::CopyCode | Command::CopyCommand => {
                self.copy(command, effects)
            }
            Command::Find => self.open_find(),
            other => match self.screen {
                Screen::Token => self.tree_command(other),
                Screen::Results => self.results_command(other, effects),
                Screen::Home => {}
            },
        }
    }

    fn quit(&mut self, effects: &mut Vec<Effect>) {
        // Known before what is in flight is let go of: the terminal says it once restored.
        self.ended_unknown = self.unknown_outcomes();
        self.abandon_batch(effects);
        if let Some(pending) = self.pending.take() {
            effects.push(Effect::Api(ApiCommand::Cancel(pending.id)));
        }
        effects.push(Effect::Quit);
    }

    /// Esc: cancel what is in flight, else close the raw view, else go back a screen.
    fn back(&mut self, effects: &mut Vec<Effect>) {
        if self.batch.is_some() && self.screen == Screen::Results {
            return self.batch_back(effects);
        }
        if let Some(pending) = self.pending.take() {
            effects.push(Effect::Api(ApiCommand::Cancel(pending.id)));
            if let Purpose::Act { action, token_name } = pending.purpose {
                // The course finds out by a re-read, as after a lost answer.
                if let Some(flight) = &mut self.action_course {
                    flight.course.cancelled();
                }
                // The request may already have reached the server: find out, don't guess.
                // Still waiting for the audit log when last heard of, it most likely had not
                // (the API task, which knows, sends it only once its intent is on disk).
                let said = if pending.recorded {
                    format!(
                        "Cancelled; the server may already have {} {token_name}. Re-reading it to find out.",
                        action.past_tense()
                    )
                } else {
                    format!(
                        "Cancelled while waiting for the audit log, so most likely before it was sent. Re-reading {token_name} to find out."
                    )
                };
                self.notify(Tone::Warning, said);
                self.verify(action, token_name, effects);
            } else if let Purpose::MarkAll(_) = pending.purpose {
                self.marking_stopped(None);
            } else {
                self.notify(Tone::Info, "Cancelled.");
            }
            return;
        }
        if let Some(token) = &mut self.token
            && self.screen == Screen::Token
            && token.raw.is_some()
        {
            token.raw = None;
            return;
        }
        match self.screen {
            Screen::Token if self.results.is_some() => self.screen = Screen::Results,
            Screen::Token | Screen::Results => {
                self.screen = Screen::Home;
                self.search.focused = true;
            }
            Screen::Home => self.search.focused = true,
        }
    }

    fn modal_key(&mut self, modal: Modal, key: Key, effects: &mut Vec<Effect>) {
        match modal {
            Modal::Help => self.help_key(key),
            Modal::Recent(list) => self.recent_key(list, key, effects),
            Modal::History(history) => self.history_key(history, key),
            Modal::QuitWhileBusy(mut prompt) => match prompt.key(&self.keymap, key, self.clock) {
                Verdict::Confirmed => self.quit(effects),
                Verdict::Cancelled => {}
                Verdict::Waiting => self.modal = Some(Modal::QuitWhileBusy(prompt)),
            },
            // `$` (or Ctrl-x, which works while an answer is typed) answers nothing: it
            // copies the command that would do the same.
            Modal::Confirm(confirm) if self.copies_command(confirm.as_ref(), key) => {
                self.copy_confirmed_command(&confirm, effects);
                self.modal = Some(Modal::Confirm(confirm));
            }
            Modal::Batch(confirm) if self.copies_command(confirm.as_ref(), key) => {
                self.copy_batch_command(confirm.action(), effects);
                self.modal = Some(Modal::Batch(confirm));
            }
            Modal::Confirm(mut confirm) => match confirm.key(&self.keymap, key, self.clock) {
                Verdict::Waiting => self.modal = Some(Modal::Confirm(confirm)),
                Verdict::Cancelled => {
                    // A check of the state is for this question only.
                    if let Some(check) = self
                        .pending
                        .take_if(|p| matches!(p.purpose, Purpose::Check { .. }))
                    {
                        effects.push(Effect::Api(ApiCommand::Cancel(check.id)));
                    }
                    self.notify(
                        Tone::Info,
                        format!("Nothing was {}.", confirm.action.past_tense()),
                    );
                }
                Verdict::Confirmed => self.send_action(*confirm, effects),
            },
            Modal::Batch(mut confirm) => match confirm.key(&self.keymap, key, self.clock) {
                Verdict::Waiting => self.modal = Some(Modal::Batch(confirm)),
                Verdict::Cancelled => self.notify(
                    Tone::Info,
                    format!(
                        "Nothing was {}; the marks stay.",
                        confirm.action().past_tense()
                    ),
                ),
                Verdict::Confirmed => self.start_batch(*confirm, effects),
            },
        }
    }

    fn resize(&mut self, width: u16, height: u16) {
        self.width = width;
        self.height = height;
        // `update` fits the tree and the results to the new size on its way out.
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    use crate::api::Reply;
    use crate::api::request::{ApiEvent, ApiEventKind, RequestId};
    use crate::keys::KeyCode;

    fn app(width: u16, height: u16) -> App {
        let environment = Environment {
            host: "127.0.0.1".into(),
            user: "clerk".into(),
            organisation: "DEMO".into(),
            demo: true,
            label: crate::setup::environment_label::Label::resolve(None, None, "127.0.0.1"),
            read_only: false,
        };
        App::new(environment, width, height)
    }

    #[test]
    fn only_messages_that_change_nothing_skip_the_redraw() {
        let mut app = app(80, 24);
        app.update(Msg::Key(Key::plain(KeyCode::Esc)));
        assert!(app.changed(), "leaving the search line changes the screen");
        app.update(Msg::Key(Key::char('z')));
        assert!(!app.changed(), "z is bound to nothing");
        app.update(Msg::Clock(Duration::from_millis(100)));
        assert!(!app.changed(), "the clock with nothing in flight");
        app.update(Msg::Api(ApiEvent {
            id: RequestId(99),
            kind: ApiEventKind::Finished(Ok(Reply::Tokens(Vec::new()))),
        }));
        assert!(!app.changed(), "an answer nobody waits for");
        app.update(Msg::Key(Key::char('?')));
        assert!(app.changed(), "help opens");
    }

    #[test]
    fn q_quits_a_screen_too_small_to_draw_even_with_the_search_line_focused() {
        let mut app = app(20, 5);
        assert!(app.search.focused);
        let effects = app.update(Msg::Key(Key::char('x')));
        assert!(effects.is_empty());
        assert_eq!(
            app.search.input.value(),
            "",
            "no typing into an unseen line"
        );
        let effects = app.update(Msg::Key(Key::char('q')));
        assert!(matches!(effects.as_slice(), [Effect::Quit]), "{effects:?}");
    }

    #[test]
    fn q_is_typed_into_the_search_line_at_a_usable_size() {
        let mut app = app(80, 24);
        let effects = app.update(Msg::Key(Key::char('q')));
        assert!(effects.is_empty());
        assert_eq!(app.search.input.value(), "q");
    }
}
