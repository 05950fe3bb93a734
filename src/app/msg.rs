//! What can happen to the app, and what it asks the outside to do.

use std::time::Duration;

use super::keymap::Key;
use crate::api::request::{ApiCommand, ApiEvent};

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
    /// Ctrl-C from outside the key stream, SIGTERM, SIGHUP: leave now.
    Terminate,
}

/// What `update` asks the event loop to do.
#[derive(Debug)]
pub enum Effect {
    Api(ApiCommand),
    Quit,
}
