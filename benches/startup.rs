//! Exec to the first frame, as a person sees it: the binary started in a pseudo-terminal
//! against a simulator that answers every request 1 s late, timed from the spawn to the
//! moment the search line's label arrives on the pty. The log-in runs behind the screen, so
//! the server's second never shows here. Prints the runs and their median.

use std::io::Read;
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use portable_pty::{CommandBuilder, PtySize, native_pty_system};
use tokendesk::simulator::{Simulator, SimulatorConfig};

const RUNS: usize = 15;

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .expect("a tokio runtime");
    let config = SimulatorConfig {
        latency: Duration::from_secs(1),
        ..SimulatorConfig::default()
    };
    let simulator = runtime
        .block_on(Simulator::start(
            config,
            "127.0.0.1:0".parse().expect("an address"),
        ))
        .expect("the simulator starts");
    let url = simulator.base_url();
    let state = tempfile::tempdir().expect("a temporary directory");
    let mut times: Vec<Duration> = (0..RUNS).map(|_| first_frame(&url, state.path())).collect();
    times.sort();
    let ms = |d: &Duration| format!("{:.1}", d.as_secs_f64() * 1000.0);
    println!(
        "exec to first frame, server answering in 1 s ({RUNS} runs, ms): {}",
        times.iter().map(ms).collect::<Vec<_>>().join(" ")
    );
    println!(
        "median {} ms, fastest {} ms, slowest {} ms",
        ms(&times[RUNS / 2]),
        ms(&times[0]),
        ms(&times[RUNS - 1])
    );
    runtime.block_on(simulator.shutdown());
}

/// One start: spawn, wait for the search line, then kill.
fn first_frame(url: &str, state: &std::path::Path) -> Duration {
    let pty = native_pty_system()
        .openpty(PtySize {
            rows: 24,
            cols: 80,
            pixel_width: 0,
            pixel_height: 0,
        })
        .expect("a pty");
    let mut command = CommandBuilder::new(env!("CARGO_BIN_EXE_tokendesk"));
    command.args([
        "--url",
        url,
        "--username",
        "clerk",
        "--organisation",
        "DEMO",
    ]);
    command.env("TOKENDESK_PASSWORD", "demo");
    command.env("TERM", "xterm-256color");
    command.env("XDG_STATE_HOME", state);
    command.env("XDG_CONFIG_HOME", state);
    for (name, _) in std::env::vars_os() {
        if name.to_string_lossy().starts_with("TOKENDESK_") && name != "TOKENDESK_PASSWORD" {
            command.env_remove(name);
        }
    }
    let mut reader = pty.master.try_clone_reader().expect("pty reader");
    let (seen, first) = mpsc::channel();
    let start = Instant::now();
    let mut child = pty.slave.spawn_command(command).expect("spawn");
    drop(pty.slave);
    thread::spawn(move || {
        let mut output = Vec::new();
        let mut buffer = [0u8; 4096];
        while let Ok(n) = reader.read(&mut buffer) {
            if n == 0 {
                break;
            }
            output.extend_from_slice(&buffer[..n]);
            if String::from_utf8_lossy(&output).contains(" Search ") {
                let _ = seen.send(Instant::now());
                break;
            }
        }
    });
    let at = first
        .recv_timeout(Duration::from_secs(20))
        .expect("the search line within 20 s");
    let _ = child.kill();
    let _ = child.wait();
    at - start
}
