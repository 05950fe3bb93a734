//! What can happen to the app, and what it asks the outside to do.

use std::time::Duration;

use crate::api::ApiError;
use crate::api::request::{ApiCommand, ApiEvent};
use crate::audit::{AuditToken, Event};
use crate::keys::Key;
use crate::recent::{RecentToken, Sighting};

/// Everything that can happen to the app.
#[derive(Debug)]
pub enum Msg {
    Key(Key),
    /// Text pasted in one piece (bracketed paste).
    Paste(String),
    Resize {
        width: u16,
        height: u16,
    },
    /// The time since the console started; the event loop sends it first in every batch
    /// of messages it read together (see `clock`).
    Clock(Duration),
    Api(ApiEvent),
    /// The audit log's answer to [`Effect::AuditReveal`]: the token the reveal was recorded
    /// for, or the sentence saying why it could not be (then nothing is revealed).
    RevealAudited(Result<AuditToken, String>),
    /// The mouse, while its reporting is on.
    Mouse(super::mouse::Mouse),
    /// The answer to [`Effect::Remember`]: the recent tokens as the file holds them now, or
    /// the sentence saying why it could not be written.
    Remembered(Result<Vec<RecentToken>, String>),
    /// The audit log has something to say that does not stop anything: its copy to the
    /// syslog failed (said once).
    AuditNotice(String),
    /// The audit log's lines about a token, for [`Effect::ReadHistory`], newest first; or
    /// why it could not be read.
    HistoryRead(Result<Vec<crate::audit::read::HistoryRow>, String>),
    /// The terminal's background colour, as it answered the question the console asks
    /// after its first frame (OSC 11): the palette follows it under the `auto` theme.
    Background(crate::setup::display::Rgb),
    /// Ctrl-C from outside the key stream, SIGTERM, SIGHUP: leave now.
    Terminate,
    /// The terminal is gone (the SSH link dropped): nothing new is sent; what is in flight
    /// finishes, so the diagnostic log can say how it ended.
    TerminalLost,
}

/// What `update` asks the event loop to do.
#[derive(Debug)]
pub enum Effect {
    Api(ApiCommand),
    /// Record in the audit log that this token's personal data is about to be shown in
    /// clear, and answer with [`Msg::RevealAudited`]. Never holds the data itself.
    AuditReveal(AuditToken),
    /// Read the audit log for the token these names (number, code, identifier, id) name,
    /// and answer with [`Msg::HistoryRead`].
    ReadHistory(Vec<String>),
    /// Record `Event` (the idle lock's) in the audit log; nothing waits for it.
    Audit(Event<'static>),
    /// Put `text` on the clerk's clipboard (OSC 52). `label` says what it is, for the
    /// diagnostic log; the text is never logged or shown.
    Copy {
        label: String,
        text: String,
    },
    /// Switch the terminal's mouse reporting on or off.
    MouseReporting(bool),
    /// Record in the recent tokens' file that this token was just seen (the loop stamps the
    /// time), and answer with [`Msg::Remembered`].
    Remember(Sighting),
    /// Give the terminal back and stop the process (Ctrl-Z); on SIGCONT take the terminal
    /// again and redraw the whole screen.
    Suspend,
    Quit,
    /// The log-in failed (refused credentials, an unreachable server): the console ends
    /// with this error's sentence and status, as it did when it logged in before the screen.
    LogInFailed(ApiError),
}
