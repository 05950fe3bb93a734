//! Starting what a test talks to: the `tokendesk` binary, as the command line's tests run it,
//! and the simulator, in the test's own process on loopback.

use std::path::Path;
use std::process::{Command, Stdio};

use tokendesk::simulator::{Simulator, SimulatorConfig};

pub const TOKENDESK: &str = env!("CARGO_BIN_EXE_tokendesk");

/// `tokendesk` with `state` as its XDG state and config directory (so no config file but one
/// the test writes there), no `TOKENDESK_*` variable from the developer's shell, no input,
/// and its output captured.
pub fn tokendesk(state: &Path) -> Command {
    let mut command = Command::new(TOKENDESK);
    for (name, _) in std::env::vars_os() {
        if name.to_string_lossy().starts_with("TOKENDESK_") {
            command.env_remove(name);
        }
    }
    command
        .env("XDG_STATE_HOME", state)
        .env("XDG_CONFIG_HOME", state)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    command
}

/// The simulator on a free port of 127.0.0.1.
pub async fn simulator(config: SimulatorConfig) -> Simulator {
    Simulator::start(config, "127.0.0.1:0".parse().expect("address"))
        .await
        .expect("simulator starts")
}
