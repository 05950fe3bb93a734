//! The API client, the API task and the audit writer against the simulator and servers of our
//! own over loopback, and the simulator itself over HTTP.
//!
//! One test binary, one module per subject (TESTING.md, "Where a test goes").

#[path = "../support/mod.rs"]
mod support;

mod client;
mod client_guard;
mod client_limits;
mod console_audit;
mod mutants_audit;
mod other_servers;
mod simulator_http;
