//! How a simulator is set up: its session lifetime, latency, fault injection and data.

use std::num::NonZeroU32;
use std::time::Duration;

use super::demo::{DemoToken, demo_tokens};

/// Where the API's methods live on a CRM.COM host.
pub const API_PREFIX: &str = "/crmapi/rest/v2";
#[derive(Clone, Debug)]
pub struct SimulatorConfig {
    /// How long a session token stays valid after login (the real JWT: two hours).
    pub session_ttl: Duration,
    /// Added before every answer.
    pub latency: Duration,
    /// A life-cycle action is carried out this long after it is received, on a task of its
    /// own: a client that hangs up meanwhile (a batch killed with `kill -9`) does not stop
    /// it. How a slow back end behaves, for trying a resume against.
    pub apply_delay: Duration,
    /// Every Nth request (all routes, counted from 1) gets `fault` instead of its answer.
    pub fail_every: Option<NonZeroU32>,
    /// `fail_every` counts only life-cycle actions: every Nth action fails, reads never.
    pub fail_actions_only: bool,
    pub fault: Fault,
    /// Errors carry 4xx/5xx instead of the real server's HTTP 200.
    pub http_error_status: bool,
    pub tokens: Vec<DemoToken>,
}

impl Default for SimulatorConfig {
    fn default() -> Self {
        SimulatorConfig {
            session_ttl: Duration::from_secs(2 * 60 * 60),
            latency: Duration::ZERO,
            apply_delay: Duration::ZERO,
            fail_every: None,
            fail_actions_only: false,
            fault: Fault::Html502,
            http_error_status: false,
            tokens: demo_tokens(),
        }
    }
}

/// How an injected failure looks to the client.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fault {
    /// HTTP 502 with a small nginx HTML page; the method does not run.
    Html502,
    /// The method's own answer (its HTTP status and headers included) carrying only the first
    /// half of its body; the method did run.
    Truncated,
    /// The connection is cut a few bytes into the method's own answer, after its status line;
    /// the method did run.
    Disconnect,
    /// An `INTERNAL_ERROR` envelope (HTTP 500 with `http_error_status`); the method does not run.
    InternalError,
}
