//! The real binary in a pseudo-terminal, the one harness for every test that types at it:
//! keys in, the screen out (parsed by vt100), and every byte it wrote kept, so a test can
//! search what reached the terminal. Every wait polls against one generous [`DEADLINE`] (CI
//! runs the tests beside everything else on two cores); a missed deadline fails with the
//! screen as it was. No sleep is an assertion.
//!
//! A machine without ptys (no /dev/ptmx) fails these tests loudly: they are the only proof
//! that the terminal is given back to the shell, so they must not skip themselves.

use std::io::{Read, Write};
use std::num::NonZeroU16;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::thread;
use std::time::{Duration, Instant};

use portable_pty::{Child, CommandBuilder, ExitStatus, MasterPty, PtySize, native_pty_system};

/// Long enough to find a polled condition, or a cold start of the debug binary, on a loaded
/// two-core machine; a passing run takes well under a second per step. Reaching it is a
/// failure.
pub const DEADLINE: Duration = Duration::from_secs(60);
const POLL: Duration = Duration::from_millis(20);

pub use super::start::TOKENDESK;

pub struct Terminal {
    screen: Arc<Mutex<vt100::Parser>>,
    written: Arc<Mutex<Vec<u8>>>,
    /// `None` once the terminal has been hung up.
    keys: Option<Box<dyn Write + Send>>,
    /// `None` once the terminal has been hung up.
    master: Option<Box<dyn MasterPty + Send>>,
    child: Box<dyn Child + Send + Sync>,
    /// Closed by the reader thread when the pty reports end of output, or after a hang-up.
    reader_done: mpsc::Receiver<()>,
    /// Tells the reader thread to let go of its copy of the master side after its next read.
    hang_up: Arc<AtomicBool>,
}

impl Terminal {
    /// `tokendesk ARGS` at `cols`x`rows`, with `home` as its XDG state and config directory,
    /// no `TOKENDESK_*` variable from outside, and `env` set.
    pub fn start(cols: u16, rows: u16, home: &Path, args: &[&str], env: &[(&str, &str)]) -> Self {
        Terminal::start_program(TOKENDESK, cols, rows, home, args, env)
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
        let spawning = spawn_lock();
        let pty = native_pty_system()
            .openpty(size(cols, rows))
            .unwrap_or_else(|e| panic!("cannot open a pty (is /dev/ptmx there?): {e:#}"));
        let mut command = CommandBuilder::new(program);
        command.args(args);
        command.cwd(home);
        // Whatever the developer's shell points tokendesk at, what the test says runs here.
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
            .unwrap_or_else(|e| panic!("cannot start {program} in the pty: {e:#}"));
        drop(spawning);
        // Only the child holds the slave now, so its exit ends the reader's stream.
        drop(pty.slave);
        let master = pty.master;
        let mut output = master.try_clone_reader().expect("pty reader");
        let keys = master.take_writer().expect("pty writer");
        let screen = Arc::new(Mutex::new(vt100::Parser::new(
            nonzero(rows),
            nonzero(cols),
            0,
        )));
        let written = Arc::new(Mutex::new(Vec::new()));
        let (done, reader_done) = mpsc::channel();
        let hang_up = Arc::new(AtomicBool::new(false));
        let (parse, keep, hung_up) = (
            Arc::clone(&screen),
            Arc::clone(&written),
            Arc::clone(&hang_up),
        );
        thread::spawn(move || {
            let mut chunk = [0u8; 8192];
            while let Ok(n @ 1..) = output.read(&mut chunk) {
                parse.lock().expect("screen").process(&chunk[..n]);
                keep.lock().expect("output").extend_from_slice(&chunk[..n]);
                if hung_up.load(Ordering::SeqCst) {
                    break;
                }
            }
            // The reader is a copy of the master side: a hang-up needs it closed too.
            drop(output);
            drop(done);
        });
        Terminal {
            screen,
            written,
            keys: Some(keys),
            master: Some(master),
            child,
            reader_done,
            hang_up,
        }
    }

    /// The screen now, one line a row.
    pub fn text(&self) -> String {
        screen_text(self.screen.lock().expect("screen").screen())
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

    /// Polls the parsed screen until `condition` holds; fails with the screen after
    /// [`DEADLINE`].
    pub fn wait_until(&mut self, what: &str, condition: impl Fn(&vt100::Screen) -> bool) {
        let start = Instant::now();
        loop {
            if self.screen(&condition) {
                return;
            }
            if start.elapsed() > DEADLINE {
                let status = self.child.try_wait();
                panic!(
                    "waited {DEADLINE:?} for {what}; the process is {status:?}; the screen:\n{}\n",
                    framed(&self.text())
                );
            }
            thread::sleep(POLL);
        }
    }

    /// Polls the screen's text until `condition` holds.
    pub fn wait_for(&mut self, what: &str, condition: impl Fn(&str) -> bool) {
        self.wait_until(what, |screen| condition(&screen_text(screen)));
    }

    /// Polls the screen until `needle` is on it.
    pub fn wait_for_text(&mut self, needle: &str) {
        self.wait_for(&format!("{needle:?} on screen"), |s| s.contains(needle));
    }

    /// Waits until the first character of `needle` (a modal's key line), on screen, is drawn
    /// as a live key, bold and not dim: a confirmation draws its keys dim for the half second
    /// it ignores them.
    pub fn wait_for_live_key(&mut self, needle: &str) {
        self.wait_until(&format!("{needle:?} to take keys"), |screen| {
            let (_, cols) = screen.size();
            screen
                .rows(0, cols.get())
                .enumerate()
                .find_map(|(row, line)| {
                    // One cell a character: the box drawing before a modal's key line is narrow.
                    let column = line[..line.find(needle)?].chars().count();
                    let cell = screen.cell(row as u16, column as u16)?;
                    Some(cell.bold() && cell.fgcolor() != vt100::Color::Idx(8))
                })
                .unwrap_or(false)
        });
    }

    /// Types `bytes` as the clerk would (keys, escape sequences, a paste).
    pub fn send(&mut self, bytes: &str) {
        let keys = self.keys.as_mut().expect("the terminal is still there");
        keys.write_all(bytes.as_bytes())
            .and_then(|()| keys.flush())
            .expect("write to the pty");
    }

    /// Opens the token `code` (whose number is `number`) from the home screen, then types
    /// nothing: the idle lock comes by itself (the loop wakes at its deadline) and shows
    /// nothing of the token.
    pub fn open_and_wait_for_the_lock(&mut self, code: &str, number: &str) {
        self.wait_for_text("Find an access token");
        self.send(&format!("{code}\r"));
        self.wait_for_text(&format!("{number}  EFFECTIVE "));
        self.wait_for("the lock screen, nothing of the token", |s| {
            s.contains("Locked") && !s.contains(number) && !s.contains(code)
        });
    }

    /// Sends `signal` to the program started, as `kill` from another shell would.
    #[cfg(unix)]
    pub fn signal(&self, signal: libc::c_int) {
        let pid = libc::pid_t::try_from(self.pid()).expect("a pid");
        // SAFETY: `kill` with a signal number, to the child this terminal started.
        let sent = unsafe { libc::kill(pid, signal) };
        assert_eq!(
            sent,
            0,
            "signal {signal} to {pid}: {}",
            std::io::Error::last_os_error()
        );
    }

    /// Resizes the terminal, as a clerk dragging the window's corner.
    pub fn resize(&mut self, cols: u16, rows: u16) {
        // The parser first, so the redraw the resize causes lands on a screen of its size.
        self.screen
            .lock()
            .expect("screen")
            .screen_mut()
            .set_size(nonzero(rows), nonzero(cols));
        self.master()
            .resize(size(cols, rows))
            .expect("resize the pty");
    }

    /// Closes the master side of the pty, as sshd does when the link drops: the kernel
    /// hangs the terminal up (SIGHUP, then EIO on every read and write). The reader thread
    /// holds a copy of the master, blocked in a read, so it is told to let go after that
    /// read, and a resize makes the program draw something for it to read.
    pub fn hang_up(&mut self) {
        self.hang_up.store(true, Ordering::SeqCst);
        let master = self.master.take().expect("hung up once");
        let (rows, cols) = self.screen(|screen| screen.size());
        let _ = master.resize(size(cols.get() + 1, rows.get() + 1));
        drop(self.keys.take());
        drop(master);
        match self.reader_done.recv_timeout(DEADLINE) {
            Err(mpsc::RecvTimeoutError::Disconnected) => {}
            other => panic!(
                "the reader thread did not let go of the pty within {DEADLINE:?} ({other:?}): \
                 the terminal was never hung up; the screen:\n{}\n",
                framed(&self.text())
            ),
        }
    }

    pub fn alive(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }

    /// Waits for the program to end and for the last of its output to be parsed.
    pub fn wait_for_exit(&mut self) -> ExitStatus {
        let start = Instant::now();
        let status = loop {
            if let Some(status) = self.child.try_wait().expect("try_wait") {
                break status;
            }
            if start.elapsed() > DEADLINE {
                let _ = self.child.kill();
                panic!(
                    "the program did not exit within {DEADLINE:?}; the screen:\n{}",
                    framed(&self.text())
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
    pub fn local_flags(&self) -> Vec<String> {
        let termios = self
            .master()
            .get_termios()
            .expect("portable-pty reads the termios of a unix pty through its master");
        // Named through Debug so the test needs no direct dependency on nix.
        format!("{:?}", termios.local_flags)
            .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .map(str::to_owned)
            .collect()
    }

    pub fn assert_raw(&self) {
        let flags = self.local_flags();
        assert!(
            !flags.iter().any(|f| f == "ICANON") && !flags.iter().any(|f| f == "ECHO"),
            "the console should run in raw mode; local flags: {flags:?}"
        );
    }

    /// The terminal is as the shell expects it: main screen, cursor shown, no bracketed
    /// paste, and the line discipline back in canonical mode with echo.
    pub fn assert_restored(&self) {
        let text = self.text();
        self.screen(|screen| {
            assert!(
                !screen.alternate_screen(),
                "still on the alternate screen:\n{}",
                framed(&text)
            );
            assert!(!screen.hide_cursor(), "the cursor is still hidden");
            assert!(!screen.bracketed_paste(), "bracketed paste is still on");
        });
        let flags = self.local_flags();
        for wanted in ["ICANON", "ECHO", "ISIG"] {
            assert!(
                flags.iter().any(|f| f == wanted),
                "raw mode was not left: {wanted} is off; local flags: {flags:?}"
            );
        }
    }

    fn master(&self) -> &(dyn MasterPty + Send) {
        self.master.as_deref().expect("the terminal is still there")
    }
}

impl Drop for Terminal {
    fn drop(&mut self) {
        if self.alive() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// Held while a pty is opened and while a process is started. portable-pty opens a pty and
/// only then marks it close-on-exec: a process another test starts in between would inherit
/// that master side and hold it for its whole life, and a hang-up would never happen.
pub fn spawn_lock() -> MutexGuard<'static, ()> {
    static SPAWNING: Mutex<()> = Mutex::new(());
    SPAWNING.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Runs `command` to its end, started under [`spawn_lock`], its input empty.
pub fn run(command: &mut std::process::Command) -> std::process::Output {
    let child = {
        let _spawning = spawn_lock();
        command
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot run {command:?}: {e}"))
    };
    child
        .wait_with_output()
        .unwrap_or_else(|e| panic!("{command:?} did not end: {e}"))
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

pub fn screen_text(screen: &vt100::Screen) -> String {
    let (_, cols) = screen.size();
    screen.rows(0, cols.get()).collect::<Vec<_>>().join("\n")
}

/// The screen's lines between bars, so that trailing spaces show in a failure.
pub fn framed(text: &str) -> String {
    text.lines()
        .map(|l| format!("|{l}|"))
        .collect::<Vec<_>>()
        .join("\n")
}
