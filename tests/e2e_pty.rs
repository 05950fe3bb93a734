//! The real binary in a pseudo-terminal: `tokendesk --demo` runs in a pty, its output goes
//! through a vt100 parser, and the tests type at it as a clerk would. Every wait polls the
//! parsed screen against a generous deadline (CI runs this beside everything else on two
//! cores); a missed deadline fails with the screen as it was. No sleep is an assertion.
//!
//! A machine without ptys (no /dev/ptmx) fails these tests loudly: they are the only proof
//! that the terminal is given back to the shell, so they must not skip themselves.
#![cfg(unix)]

use std::io::{Read, Write};
use std::num::NonZeroU16;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use portable_pty::{Child, CommandBuilder, ExitStatus, MasterPty, PtySize, native_pty_system};

/// Long enough for a cold start of the debug binary and the demo simulator on a loaded
/// two-core machine; a passing run takes well under a second per step.
const DEADLINE: Duration = Duration::from_secs(20);
const POLL: Duration = Duration::from_millis(20);

const CODE: &str = "99021047380";
const NUMBER: &str = "AT0000000671";

struct Console {
    parser: Arc<Mutex<vt100::Parser>>,
    /// `None` once the terminal has been hung up.
    master: Option<Box<dyn MasterPty + Send>>,
    writer: Option<Box<dyn Write + Send>>,
    child: Box<dyn Child + Send + Sync>,
    /// Closed by the reader thread when the pty reports end of output, or after a hang-up.
    reader_done: mpsc::Receiver<()>,
    /// Tells the reader thread to let go of its end of the pty after its next read.
    hang_up: Arc<AtomicBool>,
    state_dir: PathBuf,
}

impl Console {
    fn start(cols: u16, rows: u16) -> Console {
        Console::start_with(cols, rows, &["--demo"], &[])
    }

    /// `tokendesk ARGS` with `env` set and nothing else from the caller's `TOKENDESK_*`.
    fn start_with(cols: u16, rows: u16, args: &[&str], env: &[(&str, &str)]) -> Console {
        let spawning = spawn_lock();
        let pty = native_pty_system()
            .openpty(size(cols, rows))
            .unwrap_or_else(|e| panic!("cannot open a pty (is /dev/ptmx there?): {e:#}"));
        let state_dir = temp_dir();
        let mut command = CommandBuilder::new(env!("CARGO_BIN_EXE_tokendesk"));
        command.args(args);
        command.env("TERM", "xterm-256color");
        command.env("XDG_STATE_HOME", &state_dir);
        // Whatever the developer's shell points tokendesk at, the test says what runs here.
        for (name, _) in std::env::vars_os() {
            if name.to_string_lossy().starts_with("TOKENDESK_") {
                command.env_remove(name);
            }
        }
        for (name, value) in env {
            command.env(name, value);
        }
        command.cwd(&state_dir);
        let child = pty
            .slave
            .spawn_command(command)
            .unwrap_or_else(|e| panic!("cannot start tokendesk in the pty: {e:#}"));
        drop(spawning);
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
        let hang_up = Arc::new(AtomicBool::new(false));
        let hung_up = Arc::clone(&hang_up);
        thread::spawn(move || {
            let mut buffer = [0u8; 8192];
            loop {
                match reader.read(&mut buffer) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => feed.lock().unwrap().process(&buffer[..n]),
                }
                if hung_up.load(Ordering::SeqCst) {
                    break;
                }
            }
            // Drops this thread's copy of the master side too.
            drop(reader);
            drop(done);
        });
        Console {
            parser,
            master: Some(master),
            writer: Some(writer),
            child,
            reader_done,
            hang_up,
            state_dir,
        }
    }

    fn master(&self) -> &(dyn MasterPty + Send) {
        self.master.as_deref().expect("the terminal is still there")
    }

    /// Closes the master side of the pty, as sshd does when the link drops: the kernel
    /// hangs the terminal up (SIGHUP, then EIO on every read and write). The reader thread
    /// holds a copy of the master, so it is told to let go after its next read and the
    /// console is made to print something: a resize makes it redraw.
    fn hang_up(&mut self) {
        self.hang_up.store(true, Ordering::SeqCst);
        let master = self.master.take().expect("hung up once");
        let _ = master.resize(size(81, 25));
        drop(self.writer.take());
        drop(master);
        // The reader's copy goes when the redraw (or a spinner frame) arrives.
        let _ = self.reader_done.recv_timeout(DEADLINE);
    }

    /// The diagnostic log, as far as it was written.
    fn log(&self) -> String {
        std::fs::read_to_string(self.state_dir.join("tokendesk").join("tokendesk.log"))
            .unwrap_or_default()
    }

    /// The screen as text, one line per row.
    fn text(&self) -> String {
        let parser = self.parser.lock().unwrap();
        let screen = parser.screen();
        let (_, cols) = screen.size();
        screen.rows(0, cols.get()).collect::<Vec<_>>().join("\n")
    }

    /// Polls the parsed screen until `condition` holds; fails with the screen otherwise.
    fn wait_for(&mut self, what: &str, condition: impl Fn(&str) -> bool) {
        let start = Instant::now();
        loop {
            let text = self.text();
            if condition(&text) {
                return;
            }
            if start.elapsed() > DEADLINE {
                let status = self.child.try_wait();
                panic!(
                    "waited {DEADLINE:?} for {what}; the process is {status:?}; the screen:\n{}\n",
                    framed(&text)
                );
            }
            thread::sleep(POLL);
        }
    }

    fn wait_for_text(&mut self, needle: &str) {
        self.wait_for(&format!("{needle:?} on screen"), |s| s.contains(needle));
    }

    fn send(&mut self, bytes: &str) {
        let writer = self.writer.as_mut().expect("the terminal is still there");
        writer
            .write_all(bytes.as_bytes())
            .and_then(|()| writer.flush())
            .expect("write to the pty");
    }

    fn resize(&mut self, cols: u16, rows: u16) {
        // The parser first, so the redraw the resize causes lands on a screen of its size.
        self.parser
            .lock()
            .unwrap()
            .screen_mut()
            .set_size(nonzero(rows), nonzero(cols));
        self.master()
            .resize(size(cols, rows))
            .expect("resize the pty");
    }

    fn alive(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }

    /// Waits for the process to end and for the last of its output to be parsed.
    fn wait_for_exit(&mut self) -> ExitStatus {
        let start = Instant::now();
        let status = loop {
            if let Some(status) = self.child.try_wait().expect("try_wait") {
                break status;
            }
            if start.elapsed() > DEADLINE {
                let _ = self.child.kill();
                panic!(
                    "tokendesk did not exit within {DEADLINE:?}; the screen:\n{}\nthe log:\n{}",
                    framed(&self.text()),
                    self.log()
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
            .master()
            .get_termios()
            .expect("portable-pty reads the termios of a unix pty through its master");
        // Named through Debug so the test needs no direct dependency on nix.
        format!("{:?}", termios.local_flags)
            .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .map(str::to_owned)
            .collect()
    }

    fn assert_raw(&self) {
        let flags = self.local_flags();
        assert!(
            !flags.iter().any(|f| f == "ICANON") && !flags.iter().any(|f| f == "ECHO"),
            "the console should run in raw mode; local flags: {flags:?}"
        );
    }

    /// The terminal is as the shell expects it: main screen, cursor shown, no bracketed
    /// paste, and the line discipline back in canonical mode with echo.
    fn assert_restored(&self) {
        let text = self.text();
        {
            let parser = self.parser.lock().unwrap();
            let screen = parser.screen();
            assert!(
                !screen.alternate_screen(),
                "still on the alternate screen:\n{}",
                framed(&text)
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
        if self.alive() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
        let _ = std::fs::remove_dir_all(&self.state_dir);
    }
}

/// Held while a pty is opened and while a process is started. portable-pty opens a pty and
/// only then marks it close-on-exec: a process another test starts in between would keep
/// the master open for its whole life, and a hang-up would never happen.
fn spawn_lock() -> std::sync::MutexGuard<'static, ()> {
    static SPAWNING: Mutex<()> = Mutex::new(());
    SPAWNING
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
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

fn temp_dir() -> PathBuf {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let dir = std::env::temp_dir().join(format!(
        "tokendesk-e2e-{}-{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    ));
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

fn framed(text: &str) -> String {
    text.lines()
        .map(|l| format!("|{l}|"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The home screen is up: raw mode is on and the event loop reads keys.
fn ready(console: &mut Console) {
    console.wait_for_text("Find an access token");
    console.assert_raw();
}

#[test]
fn find_expand_deactivate_delete_and_quit() {
    let mut console = Console::start(80, 24);
    ready(&mut console);

    console.send(&format!("{CODE}\r"));
    console.wait_for("the token with its state", |s| {
        // "EFFECTIVE" alone would also match NOT_EFFECTIVE: the header's own spacing.
        s.contains(&format!("{NUMBER}  EFFECTIVE ")) && s.contains("Polina Kestora")
    });

    console.send("E");
    console.wait_for_text("Account owner");

    console.send("d");
    console.wait_for("the deactivate modal naming the token", |s| {
        s.contains("Deactivate access token") && s.contains(&format!("Token           {NUMBER}"))
    });
    console.send("y");
    console.wait_for_text(&format!("{NUMBER}  NOT_EFFECTIVE"));

    console.send("X");
    console.wait_for("the delete modal asking for the number", |s| {
        s.contains("Delete access token") && s.contains(&format!("Type {NUMBER}"))
    });
    console.send(&format!("{NUMBER}\r"));
    console.wait_for_text(&format!("{NUMBER}  DELETED"));

    console.send("q");
    let status = console.wait_for_exit();
    assert!(status.success(), "q should exit with 0, got {status:?}");
    console.assert_restored();
}

#[test]
fn ctrl_c_from_the_search_line_quits_and_restores_the_terminal() {
    let mut console = Console::start(80, 24);
    ready(&mut console);
    console.send("abc");
    console.wait_for_text("Search abc");
    console.send("\x03");
    let status = console.wait_for_exit();
    assert!(
        status.success(),
        "Ctrl-C should exit with 0, got {status:?}"
    );
    console.assert_restored();
}

#[test]
fn sigterm_restores_the_terminal_and_exits() {
    let mut console = Console::start(80, 24);
    ready(&mut console);
    // On the token screen the cursor is hidden: the restore must show it again.
    console.send(&format!("{CODE}\r"));
    console.wait_for_text("Account ACR0000000069");
    assert!(console.parser.lock().unwrap().screen().hide_cursor());
    let pid = console.child.process_id().expect("the child's pid");
    let kill = {
        let _spawning = spawn_lock();
        std::process::Command::new("kill")
            .args(["-TERM", &pid.to_string()])
            .status()
            .expect("run kill")
    };
    assert!(kill.success(), "kill -TERM {pid} failed: {kill:?}");
    let status = console.wait_for_exit();
    assert!(
        status.success(),
        "SIGTERM ends the console cleanly, got {status:?}"
    );
    console.assert_restored();
}

#[test]
fn too_small_says_so_and_recovers_when_the_terminal_grows() {
    let mut console = Console::start(20, 5);
    console.wait_for("the too-small line", |s| {
        s.contains("Terminal too small") && s.contains("(20x5)")
    });
    assert!(console.alive(), "tokendesk died at 20x5");

    console.resize(80, 24);
    console.wait_for_text("Find an access token");
    console.wait_for_text("Search code");
    assert!(console.alive());

    // Too small again: q quits, as the line says, though the search line is focused.
    console.resize(20, 5);
    console.wait_for_text("Terminal too small");
    console.send("q");
    let status = console.wait_for_exit();
    assert!(
        status.success(),
        "q at 20x5 should exit with 0, got {status:?}"
    );
    console.assert_restored();
}

#[test]
fn command_letters_typed_in_the_search_line_are_just_text() {
    // On a token, where d, X, ? and q all act once the search line lets go of the keys.
    let mut console = Console::start(80, 24);
    ready(&mut console);
    console.send(&format!("{CODE}\r"));
    console.wait_for_text(&format!("{NUMBER}  EFFECTIVE "));
    console.send("/");
    // The emptied line shows its placeholder.
    console.wait_for_text(" Search code · ");
    console.send("dX?q");
    console.wait_for_text(" Search dX?q ");
    let text = console.text();
    assert!(
        !text.contains("access token"),
        "a letter opened an action's modal instead of being typed:\n{}",
        framed(&text)
    );
    assert!(
        !text.contains("Keys ("),
        "? opened the help instead of being typed:\n{}",
        framed(&text)
    );
    assert!(
        text.contains(&format!("{NUMBER}  EFFECTIVE ")),
        "still on the token:\n{}",
        framed(&text)
    );
    assert!(console.alive(), "q in the search line quit the console");
    // Still reading keys: Ctrl-C leaves.
    console.send("\x03");
    let status = console.wait_for_exit();
    assert!(status.success(), "{status:?}");
    console.assert_restored();
}

/// The exit status of a console whose terminal went away.
const TERMINAL_LOST: u32 = tokendesk::commands::exit::TERMINAL_LOST as u32;

/// `tokendesk simulate` on its own, for a console that talks to it over loopback; killed
/// when dropped.
struct Simulator {
    child: std::process::Child,
    url: String,
    _stdout: std::io::BufReader<std::process::ChildStdout>,
}

impl Simulator {
    fn start(extra: &[&str]) -> Simulator {
        use std::io::BufRead;
        let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_tokendesk"));
        for (name, _) in std::env::vars_os() {
            if name.to_string_lossy().starts_with("TOKENDESK_") {
                command.env_remove(name);
            }
        }
        let spawning = spawn_lock();
        let mut child = command
            .args(["simulate", "--listen", "127.0.0.1:0"])
            .args(extra)
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::piped())
            .spawn()
            .expect("tokendesk simulate starts");
        drop(spawning);
        let mut stdout = std::io::BufReader::new(child.stdout.take().expect("stdout"));
        let mut line = String::new();
        stdout.read_line(&mut line).expect("the ready line");
        let url = line
            .split_whitespace()
            .skip_while(|w| *w != "at")
            .nth(1)
            .unwrap_or_else(|| panic!("no URL in {line:?}"))
            .to_owned();
        Simulator {
            child,
            url,
            _stdout: stdout,
        }
    }

    /// The token's state as the simulator now holds it.
    fn state_of(&self, code: &str) -> String {
        let _spawning = spawn_lock();
        let output = std::process::Command::new(env!("CARGO_BIN_EXE_tokendesk"))
            .args([
                "--url",
                &self.url,
                "--username",
                "clerk",
                "--organisation",
                "DEMO",
            ])
            .args(["show", code, "--json", "--fields", "life_cycle_state"])
            .env("TOKENDESK_PASSWORD", "demo")
            .env("XDG_STATE_HOME", std::env::temp_dir())
            .stdin(std::process::Stdio::null())
            .output()
            .expect("tokendesk show runs");
        let token: serde_json::Value =
            serde_json::from_slice(&output.stdout).expect("the token as JSON");
        token["life_cycle_state"]
            .as_str()
            .unwrap_or_default()
            .to_owned()
    }
}

impl Drop for Simulator {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn a_hang_up_with_a_token_on_screen_ends_quietly() {
    let mut console = Console::start(80, 24);
    ready(&mut console);
    console.send(&format!("{CODE}\r"));
    console.wait_for_text(&format!("{NUMBER}  EFFECTIVE "));
    console.hang_up();
    let status = console.wait_for_exit();
    assert_eq!(
        status.exit_code(),
        TERMINAL_LOST,
        "a lost terminal ends with its own status, not a panic (101): {status:?}"
    );
    let log = console.log();
    assert!(log.contains("the terminal is gone"), "{log}");
}

#[test]
fn a_hang_up_while_an_action_is_in_flight_waits_for_its_outcome_and_logs_it() {
    let simulator = Simulator::start(&["--latency", "1500"]);
    let mut console = Console::start_with(
        80,
        24,
        &[
            "--url",
            &simulator.url,
            "--username",
            "clerk",
            "--organisation",
            "DEMO",
        ],
        &[("TOKENDESK_PASSWORD", "demo")],
    );
    ready(&mut console);
    console.send(&format!("{CODE}\r"));
    console.wait_for_text(&format!("{NUMBER}  EFFECTIVE "));
    console.send("d");
    console.wait_for_text("Deactivate access token");
    console.send("y");
    console.wait_for_text(&format!("Deactivating {NUMBER}"));
    console.hang_up();
    let status = console.wait_for_exit();
    assert_eq!(status.exit_code(), TERMINAL_LOST, "{status:?}");
    let log = console.log();
    assert!(
        log.contains(&format!("{NUMBER} deactivated; it is now NOT_EFFECTIVE.")),
        "the outcome is in the log:\n{log}"
    );
    assert_eq!(simulator.state_of(CODE), "NOT_EFFECTIVE");
}

#[test]
fn a_resize_storm_leaves_the_console_answering_keys() {
    let mut console = Console::start(80, 24);
    ready(&mut console);
    console.send(&format!("{CODE}\r"));
    console.wait_for_text(&format!("{NUMBER}  EFFECTIVE "));
    let sizes = [(1, 1), (200, 60), (20, 5), (41, 11), (120, 40), (39, 9)];
    for (cols, rows) in sizes.iter().cycle().take(2000) {
        console.resize(*cols, *rows);
    }
    console.resize(80, 24);
    assert!(console.alive(), "tokendesk died in the storm");
    console.send("/abc");
    console.wait_for_text(" Search abc");
    console.send("\x03");
    let status = console.wait_for_exit();
    assert!(status.success(), "{status:?}");
    console.assert_restored();
}

#[test]
fn a_100_kb_paste_is_cut_and_the_console_answers_keys_after_it() {
    let mut console = Console::start(80, 24);
    ready(&mut console);
    let paste = "9".repeat(100 * 1024);
    console.send(&format!("\x1b[200~{paste}\x1b[201~"));
    console.wait_for_text("The paste was cut");
    console.send(&format!("\x15{CODE}\r"));
    console.wait_for_text(&format!("{NUMBER}  EFFECTIVE "));
    console.send("q");
    let status = console.wait_for_exit();
    assert!(status.success(), "{status:?}");
    console.assert_restored();
}

#[test]
fn quitting_while_an_action_is_in_flight_records_its_outcome_as_unknown() {
    let simulator = Simulator::start(&["--latency", "1500"]);
    let mut console = Console::start_with(
        80,
        24,
        &[
            "--url",
            &simulator.url,
            "--username",
            "clerk",
            "--organisation",
            "DEMO",
        ],
        &[("TOKENDESK_PASSWORD", "demo")],
    );
    ready(&mut console);
    console.send(&format!("{CODE}\r"));
    console.wait_for_text(&format!("{NUMBER}  EFFECTIVE "));
    console.send("d");
    console.wait_for_text("Deactivate access token");
    console.send("y");
    console.wait_for_text(&format!("Deactivating {NUMBER}"));
    console.send("q");
    console.wait_for_text("Quitting now leaves its outcome unknown.");
    console.send("y");
    let status = console.wait_for_exit();
    assert!(status.success(), "{status:?}");
    console.assert_restored();
    let log = console.log();
    assert!(
        log.contains(&format!(
            "quit while \"Deactivating {NUMBER}\" was in flight: its outcome is unknown"
        )),
        "{log}"
    );
}
