//! The console without a terminal: screens drawn on ratatui's `TestBackend` (insta snapshots at
//! 80x24), flows driven through `App::update` with messages, the bytes a frame puts on the wire,
//! and the console's batch over loopback to the simulator in this process.
//!
//! One test binary, one module per subject (TESTING.md, "Where a test goes").

#[path = "../support/mod.rs"]
mod support;

mod app_flows;
mod bytes;
mod console_batch;
mod console_batch_loopback;
mod console_environment;
mod copy;
mod find;
mod intent;
mod light_terminal;
mod logging_in;
mod marks;
mod masking;
mod mutants_keymap;
mod own_keys;
mod screens;
mod screens_plain;
