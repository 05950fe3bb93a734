//! The idle lock: with no key for the profile's `idle_lock`, the console shows nothing of any
//! token and asks for the password again, without echo. The lock comes from the clock
//! (`Msg::Clock`), and `App::wake_at` wakes the loop at its deadline. The password is checked
//! by logging in again on the API task (`Operation::Unlock`); five wrong ones end the console
//! as a refused log-in does. What is in flight goes on underneath; the screen comes back as
//! it was, with personal data masked again. Lock, unlock and each refused password are
//! audited (`Effect::Audit`).

use std::time::Duration;

use zeroize::Zeroizing;

use crate::api::request::{ApiCommand, ApiEventKind, RequestId};
use crate::api::{ApiError, Operation, Secret};
use crate::audit::Event;
use tui_input::InputRequest;

use crate::keys::{Command, Context, Key};

use super::edit;

use super::msg::Effect;
use super::state::App;

/// How many wrong passwords end the console.
pub const MOST_WRONG_PASSWORDS: u8 = 5;

/// The longest password the lock screen takes; a paste beyond it is cut.
pub const LONGEST_PASSWORD: usize = 1024;

/// The idle lock's settings and its state.
#[derive(Debug, Default)]
pub struct IdleLock {
    /// How long without a key before the console locks; `None`: never.
    pub after: Option<Duration>,
    /// Whether a password can be checked (the console logged in with one). Without, the
    /// session came from a bare session token: Enter unlocks, and the audit says so.
    pub can_check: bool,
    /// When the clerk last pressed a key or pasted.
    pub last_key: Duration,
    /// The lock screen, while locked.
    pub locked: Option<Locked>,
}

/// The lock screen's state.
#[derive(Debug, Default)]
pub struct Locked {
    /// The password typed so far, wiped when dropped; never drawn.
    pub typed: Zeroizing<String>,
    /// Wrong passwords so far.
    pub wrong: u8,
    /// The check of a password in flight.
    pub checking: Option<RequestId>,
    /// Why the last Enter did not unlock.
    pub said: Option<String>,
}

impl IdleLock {
    /// When the console locks unless a key comes first.
    pub fn deadline(&self) -> Option<Duration> {
        match self.locked {
            Some(_) => None,
            None => self.after.map(|after| self.last_key + after),
        }
    }
}

impl App {
    pub fn locked(&self) -> bool {
        self.idle.locked.is_some()
    }

    /// On each clock: lock once the idle time has passed.
    pub(super) fn lock_if_idle(&mut self, effects: &mut Vec<Effect>) {
        if self
            .idle
            .deadline()
            .is_some_and(|deadline| self.clock.now >= deadline)
        {
            self.idle.locked = Some(Locked::default());
            self.mask_again();
            self.changed = true;
            effects.push(Effect::Audit(Event::Locked));
        }
    }

    /// A key or a paste: the clerk is here.
    pub(super) fn touched(&mut self) {
        self.idle.last_key = self.clock.now;
    }

    /// A key on the lock screen.
    pub(super) fn lock_key(&mut self, key: Key, effects: &mut Vec<Effect>) {
        let Some(locked) = &mut self.idle.locked else {
            return;
        };
        if locked.checking.is_some() {
            // One check at a time; what is typed meanwhile is not kept.
            self.changed = false;
            return;
        }
        // The password line answers as a typed confirmation does: its submit and cancel
        // keys, and the editing keys, come from the key table.
        let submit = self.keymap.hint(Context::TypedConfirm, Command::Submit);
        match self.keymap.command(&[Context::TypedConfirm], key) {
            Some(Command::Submit) if !self.idle.can_check => self.unlock(effects, false),
            Some(Command::Submit) if locked.typed.is_empty() => {
                locked.said = Some(format!("Type your password, then {submit}."));
            }
            Some(Command::Submit) => {
                let password = Secret::new(std::mem::take(&mut *locked.typed));
                let id = RequestId(self.next_request);
                self.next_request += 1;
                locked.checking = Some(id);
                locked.said = None;
                effects.push(Effect::Api(ApiCommand::Send {
                    id,
                    operation: Operation::Unlock { password },
                }));
            }
            Some(Command::Cancel) => locked.typed.clear(),
            _ => match edit::input_request(&self.keymap, key) {
                Some(InputRequest::InsertChar(c)) => push(&mut locked.typed, c),
                Some(InputRequest::DeletePrevChar) => {
                    locked.typed.pop();
                }
                Some(InputRequest::DeleteLine) => locked.typed.clear(),
                // No cursor to move.
                _ => {}
            },
        }
        // What is typed is never shown: only a submit's words change the screen.
        if self.keymap.command(&[Context::TypedConfirm], key) != Some(Command::Submit) {
            self.changed = false;
        }
    }

    /// A paste on the lock screen: into the password, without line breaks.
    pub(super) fn lock_paste(&mut self, text: &str) {
        if let Some(locked) = &mut self.idle.locked
            && locked.checking.is_none()
        {
            text.chars()
                .filter(|c| !c.is_control())
                .for_each(|c| push(&mut locked.typed, c));
        }
        // Never shown: nothing to draw.
        self.changed = false;
    }

    /// Whether `id` is the check of a password.
    pub(super) fn is_unlock_check(&self, id: RequestId) -> bool {
        self.idle
            .locked
            .as_ref()
            .is_some_and(|l| l.checking == Some(id))
    }

    /// The answer to the check of a password.
    pub(super) fn unlock_answer(&mut self, kind: ApiEventKind, effects: &mut Vec<Effect>) {
        let ApiEventKind::Finished(answer) = kind else {
            self.changed = false;
            return;
        };
        let Some(locked) = &mut self.idle.locked else {
            return;
        };
        locked.checking = None;
        match answer {
            Ok(_) => self.unlock(effects, true),
            Err(error @ ApiError::InvalidCredentials { .. }) => {
                locked.wrong += 1;
                effects.push(Effect::Audit(Event::UnlockRefused));
                if locked.wrong >= MOST_WRONG_PASSWORDS {
                    effects.push(Effect::LogInFailed(error));
                } else {
                    let left = MOST_WRONG_PASSWORDS - locked.wrong;
                    let tries = if left == 1 { "try" } else { "tries" };
                    locked.said = Some(format!(
                        "Wrong password; still locked. {left} {tries} left before the console ends."
                    ));
                }
            }
            Err(error) => {
                locked.said = Some(format!(
                    "The password could not be checked, so the console stays locked: {error}"
                ));
            }
        }
    }

    fn unlock(&mut self, effects: &mut Vec<Effect>, checked: bool) {
        self.idle.locked = None;
        self.idle.last_key = self.clock.now;
        // A reveal recorded while locked is not shown either.
        self.mask_again();
        effects.push(Effect::Audit(Event::Unlocked { checked }));
    }
}

fn push(typed: &mut Zeroizing<String>, c: char) {
    // Room made up front: growing the string would leave a copy of the start behind.
    if typed.capacity() == 0 {
        typed.reserve_exact(LONGEST_PASSWORD * 4);
    }
    if typed.chars().count() < LONGEST_PASSWORD {
        typed.push(c);
    }
}
