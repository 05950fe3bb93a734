//! The real binary in a pseudo-terminal: keys in, the screen out (parsed by vt100), and
//! every byte it wrote kept, so a test can search what reached the terminal.

use std::io::{Read, Write};
use std::num::NonZeroU16;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use portable_pty::{Child, CommandBuilder, ExitStatus, MasterPty, PtySize, native_pty_system};

/// Long enough to find a polled condition on a loaded machine; reaching it is a failure.
pub const DEADLINE: Duration = Duration::from_secs(60);

pub struct Terminal {
    screen: Arc<Mutex<vt100::Parser>>,
    written: Arc<Mutex<Vec<u8>>>,
    keys: Box<dyn Write + Send>,
    child: Box<dyn Child + Send + Sync>,
    // Held so the pty stays open while the child runs.
    _master: Box<dyn MasterPty + Send>,
}

impl Terminal {
    /// `tokendesk ARGS` at `cols`x`rows`, with `home` as its XDG state and config directory,
    /// no `TOKENDESK_*` variable from outside, and `env` set.
    pub fn start(cols: u16, rows: u16, home: &Path, args: &[&str], env: &[(&str, &str)]) -> Self {
        Terminal::start_program(env!("CARGO_BIN_EXE_tokendesk"), cols, rows, home, args, env)
    }

    /// `program ARGS` as [`Terminal::start`] starts tokendesk (a shell, to start tokendesk
    /// under job control).
    pub fn start_program(
        program: &str,
        cols: u16,
        rows: u16,
        home: &Path,
        args: &[&str],
        env: &[(&str, &str)],
    ) -> Self {
        let size = PtySize {
            rows,
            cols,
            pixel_width: 0,
            pixel_height: 0,
        };
        let pty = native_pty_system()
            .openpty(size)
            .unwrap_or_else(|e| panic!("cannot open a pty: {e:#}"));
        let mut command = CommandBuilder::new(program);
        command.args(args);
        command.cwd(home);
        for (name, _) in std::env::vars_os() {
            if name.to_string_lossy().starts_with("TOKENDESK_") {
                command.env_remove(name);
            }
        }
        command.env("TERM", "xterm-256color");
        command.env("XDG_STATE_HOME", home);
        command.env("XDG_CONFIG_HOME", home);
        for (name, value) in env {
            command.env(name, value);
        }
        let child = pty
            .slave
            .spawn_command(command)
            .unwrap_or_else(|e| panic!("cannot start tokendesk in the pty: {e:#}"));
        drop(pty.slave);
        let mut output = pty.master.try_clone_reader().expect("pty reader");
        let keys = pty.master.take_writer().expect("pty writer");
        let nonzero = |n: u16| NonZeroU16::new(n).expect("a screen has cells");
        let screen = Arc::new(Mutex::new(vt100::Parser::new(
            nonzero(rows),
            nonzero(cols),
            0,
        )));
        let written = Arc::new(Mutex::new(Vec::new()));
        let (parse, keep) = (Arc::clone(&screen), Arc::clone(&written));
        thread::spawn(move || {
            let mut chunk = [0u8; 8192];
            while let Ok(n @ 1..) = output.read(&mut chunk) {
                parse.lock().expect("screen").process(&chunk[..n]);
                keep.lock().expect("output").extend_from_slice(&chunk[..n]);
            }
        });
        Terminal {
            screen,
            written,
            keys,
            child,
            _master: pty.master,
        }
    }

    /// The screen now, one line a row.
    pub fn text(&self) -> String {
        let parser = self.screen.lock().expect("screen");
        let screen = parser.screen();
        let (_, cols) = screen.size();
        screen.rows(0, cols.get()).collect::<Vec<_>>().join("\n")
    }

    /// Reads the screen as vt100 parsed it: its cells and their attributes.
    pub fn screen<T>(&self, read: impl FnOnce(&vt100::Screen) -> T) -> T {
        read(self.screen.lock().expect("screen").screen())
    }

    /// The process id of the program started.
    pub fn pid(&self) -> u32 {
        self.child.process_id().expect("the child has a pid")
    }

    /// Every byte the program has written to the terminal so far.
    pub fn written(&self) -> Vec<u8> {
        self.written.lock().expect("output").clone()
    }

    /// Polls the screen until `needle` is on it; fails with the screen after [`DEADLINE`].
    pub fn wait_for(&mut self, needle: &str) {
        self.wait_until(needle, |text| text.contains(needle));
    }

    pub fn wait_until(&mut self, what: &str, condition: impl Fn(&str) -> bool) {
        let start = Instant::now();
        loop {
            let text = self.text();
            if condition(&text) {
                return;
            }
            if start.elapsed() > DEADLINE {
                let status = self.child.try_wait();
                panic!(
                    "waited {DEADLINE:?} for {what}; the process is {status:?}; the screen:\n{text}"
                );
            }
            thread::sleep(Duration::from_millis(20));
        }
    }

    /// Waits until the first character of `needle`, on screen, is drawn in a key's colour
    /// rather than dim: a confirmation's keys are dim until it takes keys.
    pub fn wait_for_live_key(&mut self, needle: &str) {
        let start = Instant::now();
        loop {
            if self.key_is_live(needle) {
                return;
            }
            assert!(
                start.elapsed() < DEADLINE,
                "the key of {needle:?} never went live:\n{}",
                self.text()
            );
            thread::sleep(Duration::from_millis(20));
        }
    }

    fn key_is_live(&self, needle: &str) -> bool {
        let parser = self.screen.lock().expect("screen");
        let screen = parser.screen();
        let (_, cols) = screen.size();
        for (y, row) in screen.rows(0, cols.get()).enumerate() {
            if let Some(at) = row.find(needle) {
                // One cell a character: the box drawing before a modal's key line is narrow.
                let column = row[..at].chars().count() as u16;
                return screen
                    .cell(y as u16, column)
                    .is_some_and(|cell| cell.fgcolor() != vt100::Color::Idx(8) && cell.bold());
            }
        }
        false
    }

    /// Types `text` as the clerk would.
    pub fn type_text(&mut self, text: &str) {
        self.keys.write_all(text.as_bytes()).expect("keys written");
        self.keys.flush().expect("keys flushed");
    }

    /// Waits for the program to end.
    pub fn wait_for_exit(&mut self) -> ExitStatus {
        let start = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().expect("child status") {
                return status;
            }
            assert!(
                start.elapsed() < DEADLINE,
                "tokendesk did not end:\n{}",
                self.text()
            );
            thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Terminal {
    fn drop(&mut self) {
        let _ = self.child.kill();
    }
}
