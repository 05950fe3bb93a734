//! The command line end to end: the real binary run as a script would run it, against the
//! simulator or a server of our own, checking output, exit statuses, the audit log and what
//! the server received.
//!
//! One test binary, one module per subject (TESTING.md, "Where a test goes").

#[path = "../support/mod.rs"]
mod support;

mod batch;
mod bounds;
mod cli;
mod deploy;
mod lists;
mod redirects;
mod secrets;
