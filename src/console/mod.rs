//! The console: the shell around a pure core. `app` is the state and its one entry point
//! (`App::update`), `ui` draws it and adapts the terminal, `api_task` runs the API client
//! (and the audited actions) on its own tokio task, `clipboard` makes the OSC 52 sequence,
//! and `event_loop` is where they meet.

pub mod api_task;
pub mod app;
pub mod clipboard;
mod event_loop;
pub mod ui;

pub use event_loop::{check_terminal, run};
