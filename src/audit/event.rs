//! The audit log's lines that are not an action or a reveal: the console's idle lock.

/// A line of the log that is not an action or a reveal: the console's idle lock.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Event {
    /// The console locked itself after the clerk's idle time.
    Locked,
    /// The console unlocked; `checked` is false when nobody could be checked (a session
    /// from a bare session token: Enter unlocks).
    Unlocked { checked: bool },
    /// A password that did not unlock the console.
    UnlockRefused,
}

impl Event {
    pub(super) fn name(self) -> &'static str {
        match self {
            Event::Locked => "lock",
            Event::Unlocked { .. } | Event::UnlockRefused => "unlock",
        }
    }

    pub(super) fn result(self) -> Option<&'static str> {
        match self {
            Event::Locked => None,
            Event::Unlocked { .. } => Some("success"),
            Event::UnlockRefused => Some("failure"),
        }
    }

    pub(super) fn detail(self) -> Option<&'static str> {
        match self {
            Event::Unlocked { checked: false } => {
                Some("no password to check: the session came from a session token")
            }
            Event::Locked | Event::Unlocked { checked: true } | Event::UnlockRefused => None,
        }
    }
}
