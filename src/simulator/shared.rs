//! What every request handler shares: the store behind its lock, the configuration, and the
//! request counter that fault injection counts by.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::Instant;

use super::config::SimulatorConfig;
use super::refusal::{ApiError, ErrorCode};
use super::store::Store;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SimulatorStats {
    /// Successful logins.
    pub logins: u64,
    /// Every request received, faulted ones included.
    pub requests: u64,
    /// Requests for a life-cycle method (deactivate, re-activate, delete), counted as they
    /// arrive, before latency, faults or any check: how a test proves nothing was acted on.
    pub actions: u64,
    /// Life-cycle requests that changed a token.
    pub changes: u64,
    /// Life-cycle requests refused because the token was not in the state the action needs
    /// (`INVALID_LIFE_CYCLE_STATE`): a client that reads before it acts sends none, so one
    /// here is a token acted on twice, or acted on blind.
    pub state_refusals: u64,
}

/// What every request handler shares.
pub(crate) struct AppState {
    store: Mutex<Store>,
    pub(crate) config: SimulatorConfig,
    pub(crate) requests: AtomicU64,
    pub(crate) actions: AtomicU64,
    changes: AtomicU64,
    state_refusals: AtomicU64,
}

impl AppState {
    /// The tokens move into the store, which owns them from here on.
    pub(crate) fn new(mut config: SimulatorConfig) -> Self {
        let tokens = std::mem::take(&mut config.tokens);
        AppState {
            store: Mutex::new(Store::new(tokens, config.session_ttl)),
            config,
            requests: AtomicU64::new(0),
            actions: AtomicU64::new(0),
            changes: AtomicU64::new(0),
            state_refusals: AtomicU64::new(0),
        }
    }

    /// A panic while holding the lock cannot leave the store half-changed in a way that
    /// matters to a simulator, so a poisoned lock is simply taken over.
    pub(crate) fn store(&self) -> MutexGuard<'_, Store> {
        self.store.lock().unwrap_or_else(PoisonError::into_inner)
    }

    pub(crate) fn expire_sessions(&self) {
        self.store().expire_sessions(Instant::now());
    }

    /// Counts what a life-cycle request that reached the store came to.
    pub(crate) fn count_action<T>(&self, applied: &Result<T, ApiError>) {
        match applied {
            Ok(_) => self.changes.fetch_add(1, Ordering::Relaxed),
            Err(error) if error.code == ErrorCode::InvalidLifeCycleState => {
                self.state_refusals.fetch_add(1, Ordering::Relaxed)
            }
            Err(_) => return,
        };
    }

    pub(crate) fn stats(&self) -> SimulatorStats {
        SimulatorStats {
            logins: self.store().logins_issued(),
            requests: self.requests.load(Ordering::Relaxed),
            actions: self.actions.load(Ordering::Relaxed),
            changes: self.changes.load(Ordering::Relaxed),
            state_refusals: self.state_refusals.load(Ordering::Relaxed),
        }
    }
}
