//! A CRM.COM simulator a test owns, on loopback on a runtime of its own, so a test that
//! drives the real binary can slow it down and count what reached it.
#![allow(dead_code)]

use std::time::Duration;

/// A simulator the test owns, on a runtime of its own, so the test can count what reached it.
pub struct LocalSimulator {
    simulator: Option<tokendesk::simulator::Simulator>,
    runtime: tokio::runtime::Runtime,
}

impl LocalSimulator {
    pub fn start() -> LocalSimulator {
        LocalSimulator::start_with(tokendesk::simulator::SimulatorConfig::default())
    }

    /// A simulator that waits `latency` before every answer, so a request can be caught
    /// in flight.
    pub fn slow(latency: Duration) -> LocalSimulator {
        LocalSimulator::start_with(tokendesk::simulator::SimulatorConfig {
            latency,
            ..Default::default()
        })
    }

    pub fn start_with(config: tokendesk::simulator::SimulatorConfig) -> LocalSimulator {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .expect("a tokio runtime");
        let simulator = runtime
            .block_on(tokendesk::simulator::Simulator::start(
                config,
                "127.0.0.1:0".parse().expect("an address"),
            ))
            .expect("the simulator starts");
        LocalSimulator {
            simulator: Some(simulator),
            runtime,
        }
    }

    pub fn simulator(&self) -> &tokendesk::simulator::Simulator {
        self.simulator.as_ref().expect("running")
    }

    pub fn url(&self) -> String {
        self.simulator().base_url()
    }

    /// Life-cycle action requests received so far.
    pub fn actions(&self) -> u64 {
        self.simulator().stats().actions
    }

    pub fn stats(&self) -> tokendesk::simulator::SimulatorStats {
        self.simulator().stats()
    }
}

impl Drop for LocalSimulator {
    fn drop(&mut self) {
        if let Some(simulator) = self.simulator.take() {
            self.runtime.block_on(simulator.shutdown());
        }
    }
}
