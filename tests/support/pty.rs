//! The real binary in a pseudo-terminal, read through a vt100 parser, and a simulator the
//! test owns (so it can count what reached it). Every wait polls the parsed screen against a
//! generous deadline; a missed deadline fails with the screen as it was. No sleep is an
//! assertion.
#![allow(dead_code)]

use std::io::{Read, Write};
use std::num::NonZeroU16;
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use portable_pty::{Child, CommandBuilder, ExitStatus, MasterPty, PtySize, native_pty_system};
use tempfile::TempDir;
use tokendesk::simulator::{Simulator, SimulatorConfig, SimulatorStats};

/// Long enough for a cold start of the debug binary on a loaded two-core machine.
pub const DEADLINE: Duration = Duration::from_secs(20);
const POLL: Duration = Duration::from_millis(20);

pub struct Console {
    parser: Arc<Mutex<vt100::Parser>>,
    master: Box<dyn MasterPty + Send>,
    writer: Box<dyn Write + Send>,
    child: Box<dyn Child + Send + Sync>,
    /// Closed by the reader thread when the pty reports end of output.
    reader_done: mpsc::Receiver<()>,
    /// The child's state, config and working directory, kept while it runs.
    _state_dir: TempDir,
}

impl Console {
    /// The console logged in to `url` as `clerk` with `password`.
    pub fn connected(cols: u16, rows: u16, url: &str, password: &str) -> Console {
        Console::start_with(
            cols,
            rows,
            &[
                "--url",
                url,
                "--username",
                "clerk",
                "--organisation",
                "DEMO",
            ],
            &[("TOKENDESK_PASSWORD", password)],
        )
    }

    pub fn start_with(cols: u16, rows: u16, args: &[&str], env: &[(&str, &str)]) -> Console {
        let pty = native_pty_system()
            .openpty(size(cols, rows))
            .unwrap_or_else(|e| panic!("cannot open a pty (is /dev/ptmx there?): {e:#}"));
        let state_dir = tempfile::tempdir().expect("a temporary directory");
        let mut command = CommandBuilder::new(env!("CARGO_BIN_EXE_tokendesk"));
        command.args(args);
        command.env("TERM", "xterm-256color");
        command.env("XDG_STATE_HOME", state_dir.path());
        command.env("XDG_CONFIG_HOME", state_dir.path());
        // Whatever the developer's shell points tokendesk at, what the test says runs here.
        for (name, _) in std::env::vars_os() {
            if name.to_string_lossy().starts_with("TOKENDESK_") {
                command.env_remove(name);
            }
        }
        for (name, value) in env {
            command.env(name, value);
        }
        command.cwd(state_dir.path());
        let child = pty
            .slave
            .spawn_command(command)
            .unwrap_or_else(|e| panic!("cannot start tokendesk in the pty: {e:#}"));
        // Only the child holds the slave now, so its exit ends the reader's stream.
        drop(pty.slave);
        let master = pty.master;
        let mut reader = master.try_clone_reader().expect("pty reader");
        let writer = master.take_writer().expect("pty writer");
        let parser = Arc::new(Mutex::new(vt100::Parser::new(
            nonzero(rows),
            nonzero(cols),
            0,
        )));
        let (done, reader_done) = mpsc::channel();
        let feed = Arc::clone(&parser);
        thread::spawn(move || {
            let mut buffer = [0u8; 8192];
            loop {
                match reader.read(&mut buffer) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => feed.lock().unwrap().process(&buffer[..n]),
                }
            }
            drop(done);
        });
        Console {
            parser,
            master,
            writer,
            child,
            reader_done,
            _state_dir: state_dir,
        }
    }

    /// The screen as text, one line per row.
    pub fn text(&self) -> String {
        let parser = self.parser.lock().unwrap();
        let screen = parser.screen();
        let (_, cols) = screen.size();
        screen.rows(0, cols.get()).collect::<Vec<_>>().join("\n")
    }

    /// Polls the parsed screen until `condition` holds; fails with the screen otherwise.
    pub fn wait_for(&mut self, what: &str, condition: impl Fn(&str) -> bool) {
        let start = Instant::now();
        loop {
            let text = self.text();
            if condition(&text) {
                return;
            }
            if start.elapsed() > DEADLINE {
                let status = self.child.try_wait();
                panic!(
                    "waited {DEADLINE:?} for {what}; the process is {status:?}; the screen:\n{text}\n"
                );
            }
            thread::sleep(POLL);
        }
    }

    pub fn wait_for_text(&mut self, needle: &str) {
        self.wait_for(&format!("{needle:?} on screen"), |s| s.contains(needle));
    }

    pub fn send(&mut self, bytes: &str) {
        self.writer
            .write_all(bytes.as_bytes())
            .and_then(|()| self.writer.flush())
            .expect("write to the pty");
    }

    /// Waits for the process to end and for the last of its output to be parsed.
    pub fn wait_for_exit(&mut self) -> ExitStatus {
        let start = Instant::now();
        let status = loop {
            if let Some(status) = self.child.try_wait().expect("try_wait") {
                break status;
            }
            if start.elapsed() > DEADLINE {
                let _ = self.child.kill();
                panic!(
                    "tokendesk did not exit within {DEADLINE:?}; the screen:\n{}\n",
                    self.text()
                );
            }
            thread::sleep(POLL);
        };
        let left = DEADLINE
            .saturating_sub(start.elapsed())
            .max(Duration::from_secs(5));
        match self.reader_done.recv_timeout(left) {
            Err(mpsc::RecvTimeoutError::Disconnected) => {}
            other => panic!("the pty output did not end after the exit: {other:?}"),
        }
        status
    }

    /// The local modes of the pty's line discipline, by name ("ICANON", "ECHO", ...).
    fn local_flags(&self) -> Vec<String> {
        let termios = self
            .master
            .get_termios()
            .expect("portable-pty reads the termios of a unix pty through its master");
        format!("{:?}", termios.local_flags)
            .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .map(str::to_owned)
            .collect()
    }

    /// The terminal is as the shell expects it: main screen, cursor shown, no bracketed
    /// paste, and the line discipline back in canonical mode with echo.
    pub fn assert_restored(&self) {
        let text = self.text();
        {
            let parser = self.parser.lock().unwrap();
            let screen = parser.screen();
            assert!(
                !screen.alternate_screen(),
                "still on the alternate screen:\n{text}"
            );
            assert!(!screen.hide_cursor(), "the cursor is still hidden");
            assert!(!screen.bracketed_paste(), "bracketed paste is still on");
        }
        let flags = self.local_flags();
        for wanted in ["ICANON", "ECHO", "ISIG"] {
            assert!(
                flags.iter().any(|f| f == wanted),
                "raw mode was not left: {wanted} is off; local flags: {flags:?}"
            );
        }
    }
}

impl Drop for Console {
    fn drop(&mut self) {
        if matches!(self.child.try_wait(), Ok(None)) {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

fn size(cols: u16, rows: u16) -> PtySize {
    PtySize {
        rows,
        cols,
        pixel_width: 0,
        pixel_height: 0,
    }
}

fn nonzero(n: u16) -> NonZeroU16 {
    NonZeroU16::new(n).expect("a screen is at least one cell")
}

/// A simulator the test owns, on a runtime of its own, so the test can count what reached it.
pub struct LocalSimulator {
    simulator: Option<Simulator>,
    runtime: tokio::runtime::Runtime,
}

impl LocalSimulator {
    /// A simulator that answers every request `latency` late.
    pub fn start(latency: Duration) -> LocalSimulator {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .expect("a tokio runtime");
        let config = SimulatorConfig {
            latency,
            ..SimulatorConfig::default()
        };
        let simulator = runtime
            .block_on(Simulator::start(
                config,
                "127.0.0.1:0".parse().expect("an address"),
            ))
            .expect("the simulator starts");
        LocalSimulator {
            simulator: Some(simulator),
            runtime,
        }
    }

    fn simulator(&self) -> &Simulator {
        self.simulator.as_ref().expect("running")
    }

    pub fn url(&self) -> String {
        self.simulator().base_url()
    }

    pub fn stats(&self) -> SimulatorStats {
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
