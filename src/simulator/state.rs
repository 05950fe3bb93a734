//! What every request handler shares: the store behind its lock, the configuration, and the
//! request counter that fault injection counts by.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::Instant;

use super::config::SimulatorConfig;
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
}

/// What every request handler shares.
pub(crate) struct AppState {
    store: Mutex<Store>,
    pub(crate) config: SimulatorConfig,
    pub(crate) requests: AtomicU64,
    pub(crate) actions: AtomicU64,
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

    pub(crate) fn stats(&self) -> SimulatorStats {
        SimulatorStats {
            logins: self.store().logins_issued(),
            requests: self.requests.load(Ordering::Relaxed),
            actions: self.actions.load(Ordering::Relaxed),
        }
    }
}
