//! The real binary in a pseudo-terminal (`support::pty`): the demo console typed at as a clerk
//! would, odd terminals, Ctrl-Z under a shell, a batch confirmed on `/dev/tty`, a stalled audit
//! log.
//!
//! One test binary, one module per subject (TESTING.md, "Where a test goes").

#[path = "../support/mod.rs"]
mod support;

mod any_terminal;
mod batch_terminal;
mod e2e_pty;
mod idle_lock;
mod light_terminal;
mod stalled_audit;
mod suspend;
