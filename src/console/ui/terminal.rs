//! The terminal session: raw mode, the alternate screen and bracketed paste on the way in,
//! and all of it undone on the way out, whether by return, error or panic. Also the
//! translation of crossterm's events into the app's messages, so `app` never sees crossterm.
//!
//! A terminal can go away under the console (the SSH link drops): then every write fails
//! with EIO. The first failure is reported to the caller; after it, writes are dropped, so
//! that nothing on the way out (ratatui's own `Drop` included, which prints to standard
//! error when it cannot show the cursor) tries to report on a terminal nobody reads.

use std::io::{self, BufWriter, Stdout, Write};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Once};
use std::time::Duration;

use crossterm::event::{
    DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, Event, KeyCode as CtKeyCode,
    KeyEvent, KeyEventKind, KeyModifiers, MouseButton, MouseEvent, MouseEventKind,
};
use crossterm::execute;
use crossterm::terminal::{
    Clear, ClearType, EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};
use tokio::sync::mpsc;

use super::background::{self, Input, Replies};
use super::frame_bytes::Screen;

use crate::console::app::mouse::{Mouse, MouseKind};
use crate::console::app::{App, Msg};
use crate::keys::{Key, KeyCode};
use crate::setup::display::Display;

pub struct Session {
    /// Buffered so that a frame reaches the terminal in one write, when ratatui flushes
    /// after it: a terminal never shows half a frame.
    screen: Screen<BufWriter<TerminalOut>>,
    /// Whether the terminal reports the mouse: taken again after a suspend.
    mouse: bool,
    /// Set while the terminal's answer about its background is awaited, for the reader
    /// thread (see `background`).
    background_asked: Arc<AtomicBool>,
}

/// Mouse reporting: presses, releases and the wheel (1000), in the SGR encoding (1006),
/// which has no limit on the column. Not crossterm's `EnableMouseCapture`, which asks for
/// every motion too (1003): a report per cell the pointer crosses, on a slow link.
const ENABLE_MOUSE: &str = "\x1b[?1000h\x1b[?1006h";
const DISABLE_MOUSE: &str = "\x1b[?1006l\x1b[?1000l";

/// Room for any frame: a full 200x60 screen takes a few kilobytes.
const FRAME_BUFFER: usize = 64 * 1024;

/// Standard output that goes quiet once the terminal behind it is gone.
struct TerminalOut {
    out: Stdout,
    gone: bool,
}

impl TerminalOut {
    fn check<T>(&mut self, result: io::Result<T>) -> io::Result<T> {
        if let Err(e) = &result
            && !matches!(
                e.kind(),
                io::ErrorKind::Interrupted | io::ErrorKind::WouldBlock
            )
        {
            self.gone = true;
        }
        result
    }
}

impl Write for TerminalOut {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if self.gone {
            return Ok(buf.len());
        }
        let result = self.out.write(buf);
        self.check(result)
    }

    fn flush(&mut self) -> io::Result<()> {
        if self.gone {
            return Ok(());
        }
        let result = self.out.flush();
        self.check(result)
    }
}

impl Session {
    pub fn enter() -> io::Result<Session> {
        install_panic_hook();
        enable_raw_mode()?;
        let mut stdout = io::stdout();
        if let Err(e) = execute!(stdout, EnterAlternateScreen, EnableBracketedPaste) {
            restore();
            return Err(e);
        }
        let out = TerminalOut {
            out: stdout,
            gone: false,
        };
        match Screen::new(
            BufWriter::with_capacity(FRAME_BUFFER, out),
            scroll_regions(),
        ) {
            Ok(screen) => Ok(Session {
                screen,
                mouse: false,
                background_asked: Arc::new(AtomicBool::new(false)),
            }),
            Err(e) => {
                restore();
                Err(e)
            }
        }
    }

    /// The terminal's size, or 80x24 when it cannot say.
    pub fn size(&self) -> (u16, u16) {
        self.screen
            .size()
            .map(|s| (s.width, s.height))
            .unwrap_or((80, 24))
    }

    /// The terminal's events, read on a thread of their own. Not crossterm's `EventStream`:
    /// it reads on the thread that polls it, and crossterm's reader spins forever on a
    /// hung-up terminal (every read gives 0 bytes and it only stops on "would block"),
    /// which would keep the event loop from ever seeing the SIGHUP that says the terminal
    /// is gone. On a thread of its own the spin lasts only until the console exits, and
    /// at most a second when no SIGHUP comes (see [`next_event`]). The terminal's answer
    /// about its background is taken out here, before anything can take it for keys.
    pub fn events(&self) -> mpsc::UnboundedReceiver<io::Result<Input>> {
        // crossterm starts watching for SIGWINCH on its first poll. Here, before the first
        // draw, not whenever the thread gets to it: a resize in between would be lost, and
        // the screen drawn for the old size would stay until a key. (An error here is the
        // thread's first poll's error too, and is reported from there.)
        let _ = crossterm::event::poll(Duration::ZERO);
        let (events, receiver) = mpsc::unbounded_channel();
        let mut replies = Replies::new(Arc::clone(&self.background_asked));
        std::thread::spawn(move || {
            loop {
                let inputs = if replies.waiting() {
                    event_within(ANSWER_GAP).map(|event| match event {
                        Some(event) => replies.feed(event),
                        None => replies.quiet(),
                    })
                } else {
                    next_event().map(|event| replies.feed(event))
                };
                match inputs {
                    Ok(inputs) => {
                        if inputs
                            .into_iter()
                            .any(|input| events.send(Ok(input)).is_err())
                        {
                            break;
                        }
                    }
                    Err(e) => {
                        let _ = events.send(Err(e));
                        break;
                    }
                }
            }
        });
        receiver
    }

    /// Asks the terminal for its background colour (OSC 11), between two frames; the
    /// answer comes among the events, as [`Input::Background`].
    pub fn ask_background(&mut self) -> io::Result<()> {
        // Awaited before it is asked: an answer can come before the write returns.
        self.background_asked.store(true, Ordering::SeqCst);
        self.screen.write_through(background::QUERY.as_bytes())
    }

    /// Ctrl-Z: gives the terminal back as the shell expects it, stops the process with
    /// SIGTSTP as the terminal would have, and once continued (`fg`, SIGCONT) takes the
    /// terminal again and makes the next draw a whole one. A process nobody can continue
    /// (its process group orphaned, as when tokendesk is the command of a tmux window) is
    /// not stopped by the kernel: it comes straight back.
    pub fn suspend(&mut self) -> io::Result<()> {
        let _ = self.screen.show_cursor();
        restore();
        #[cfg(unix)]
        // SAFETY: raise only sends a signal to this process.
        unsafe {
            libc::raise(libc::SIGTSTP);
        }
        enable_raw_mode()?;
        execute!(
            io::stdout(),
            EnterAlternateScreen,
            EnableBracketedPaste,
            Clear(ClearType::All)
        )?;
        if self.mouse {
            self.screen.write_through(ENABLE_MOUSE.as_bytes())?;
        }
        self.screen.forget();
        Ok(())
    }

    /// Mouse reporting on or off. Off, the terminal selects text as it does on its own.
    pub fn set_mouse(&mut self, on: bool) -> io::Result<()> {
        self.mouse = on;
        if on {
            self.screen.write_through(ENABLE_MOUSE.as_bytes())
        } else {
            self.screen.write_through(DISABLE_MOUSE.as_bytes())
        }
    }

    /// Puts `text` on the clerk's clipboard with OSC 52, between two frames.
    pub fn copy(&mut self, text: &str) -> io::Result<()> {
        self.screen
            .write_through(crate::console::clipboard::osc52(text).as_bytes())
    }

    pub fn draw(&mut self, app: &App) -> io::Result<()> {
        self.screen.draw(app)
    }
}

/// How long the terminal may stay silent before it is asked whether it is still there.
const STILL_THERE_CHECK: Duration = Duration::from_secs(1);

/// How long an Esc (or Alt-]) that may begin the terminal's answer is held back for the
/// rest of it: a terminal writes its answer at once, so the rest is already on its way. A
/// lone Esc reaches the app this much later while an answer is awaited.
const ANSWER_GAP: Duration = Duration::from_millis(50);

/// Whether to ask the terminal for its background colour: when the theme follows it, and
/// the terminal says what it is (never a dumb one, which would print the question) and is
/// a terminal at both ends.
pub fn asks_background(display: Display) -> bool {
    use std::io::IsTerminal;
    display.follows_background()
        && described_terminal()
        && io::stdin().is_terminal()
        && io::stdout().is_terminal()
}

/// The terminal's next event. SIGHUP goes only to the session leader: under a shell that
/// does not pass it on (zsh with NO_HUP, `trap '' HUP`), nothing says the terminal is
/// gone, and crossterm reports nothing either. So a terminal that stays silent is asked
/// its size: a hung-up one answers with an error, which ends the console.
fn next_event() -> io::Result<Event> {
    loop {
        if let Some(event) = event_within(STILL_THERE_CHECK)? {
            return Ok(event);
        }
        // Not `terminal::size`, which runs tput when the terminal does not answer.
        #[cfg(unix)]
        crossterm::terminal::window_size()?;
    }
}

/// The terminal's next event if one comes within `gap`.
fn event_within(gap: Duration) -> io::Result<Option<Event>> {
    if crossterm::event::poll(gap)? {
        crossterm::event::read().map(Some)
    } else {
        Ok(None)
    }
}

/// Whether the terminal has scroll regions (DECSTBM): every terminal that says what it is.
fn scroll_regions() -> bool {
    described_terminal()
}

/// Whether `TERM` names a terminal, and not a dumb one.
fn described_terminal() -> bool {
    describes_a_terminal(std::env::var("TERM").ok().as_deref())
}

/// Whether `term` (`TERM`'s value, if set) names a terminal, and not a dumb one.
fn describes_a_terminal(term: Option<&str>) -> bool {
    term.is_some_and(|term| !term.is_empty() && term != "dumb")
}

impl Drop for Session {
    fn drop(&mut self) {
        let _ = self.screen.show_cursor();
        restore();
    }
}

/// Puts the terminal back as the shell expects it. Safe to call more than once. It shows
/// the cursor too: the panic hook calls this without the `Session`, and ratatui hides the
/// cursor whenever the search line does not have the keyboard, and resets the colours and
/// attributes, which the screen leaves as its last cell had them.
pub fn restore() {
    let _ = execute!(
        io::stdout(),
        crossterm::style::SetAttribute(crossterm::style::Attribute::Reset),
        // Whether or not it was on: a shell left with mouse reporting on gets escape
        // sequences for every click.
        DisableMouseCapture,
        DisableBracketedPaste,
        LeaveAlternateScreen,
        crossterm::cursor::Show
    );
    let _ = disable_raw_mode();
}

/// A panic restores the terminal before the message is printed, so the message is
/// readable and the shell is usable.
fn install_panic_hook() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            restore();
            previous(info);
        }));
    });
}

/// What the event stream gave, as a message (if the event means anything to the app), or
/// why the terminal can no longer be read.
pub fn read(input: Option<io::Result<Input>>) -> Result<Option<Msg>, String> {
    match input {
        Some(Ok(Input::Event(event))) => Ok(to_msg(event)),
        Some(Ok(Input::Background(colour))) => Ok(Some(Msg::Background(colour))),
        Some(Err(e)) => Err(e.to_string()),
        None => Err("the terminal's input ended".to_owned()),
    }
}

/// The message for a terminal event, if it means anything to the app.
pub fn to_msg(event: Event) -> Option<Msg> {
    match event {
        Event::Key(key) => to_key(key).map(Msg::Key),
        Event::Paste(text) => Some(Msg::Paste(text)),
        Event::Resize(width, height) => Some(Msg::Resize { width, height }),
        Event::Mouse(mouse) => to_mouse(mouse).map(Msg::Mouse),
        _ => None,
    }
}

/// The mouse reports the app acts on: a press of the left button and the wheel.
fn to_mouse(event: MouseEvent) -> Option<Mouse> {
    let kind = match event.kind {
        MouseEventKind::Down(MouseButton::Left) => MouseKind::Click,
        MouseEventKind::ScrollUp => MouseKind::WheelUp,
        MouseEventKind::ScrollDown => MouseKind::WheelDown,
        _ => return None,
    };
    Some(Mouse {
        kind,
        column: event.column,
        row: event.row,
    })
}

fn to_key(event: KeyEvent) -> Option<Key> {
    // Key releases and repeats (on terminals that report them) are not presses.
    if event.kind == KeyEventKind::Release {
        return None;
    }
    let code = match event.code {
        CtKeyCode::Char(c) => KeyCode::Char(c),
        CtKeyCode::Enter => KeyCode::Enter,
        CtKeyCode::Esc => KeyCode::Esc,
        CtKeyCode::Backspace => KeyCode::Backspace,
        CtKeyCode::Delete => KeyCode::Delete,
        CtKeyCode::Tab => KeyCode::Tab,
        CtKeyCode::BackTab => KeyCode::BackTab,
        CtKeyCode::Up => KeyCode::Up,
        CtKeyCode::Down => KeyCode::Down,
        CtKeyCode::Left => KeyCode::Left,
        CtKeyCode::Right => KeyCode::Right,
        CtKeyCode::Home => KeyCode::Home,
        CtKeyCode::End => KeyCode::End,
        CtKeyCode::PageUp => KeyCode::PageUp,
        CtKeyCode::PageDown => KeyCode::PageDown,
        _ => return None,
    };
    Some(Key {
        code,
        ctrl: event.modifiers.contains(KeyModifiers::CONTROL),
        alt: event.modifiers.contains(KeyModifiers::ALT),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shifted_letters_arrive_as_capitals_and_ctrl_is_kept() {
        let x = KeyEvent::new(CtKeyCode::Char('X'), KeyModifiers::SHIFT);
        assert_eq!(to_key(x), Some(Key::char('X')));
        let c = KeyEvent::new(CtKeyCode::Char('c'), KeyModifiers::CONTROL);
        assert_eq!(to_key(c), Some(Key::ctrl('c')));
        let mut release = KeyEvent::new(CtKeyCode::Char('d'), KeyModifiers::NONE);
        release.kind = KeyEventKind::Release;
        assert_eq!(to_key(release), None);
    }

    /// What decides asking the background and scrolling by the terminal: a dumb terminal
    /// would print the question, and has no scroll regions.
    #[test]
    fn only_a_named_terminal_that_is_not_dumb_is_described() {
        assert!(describes_a_terminal(Some("xterm-256color")));
        assert!(describes_a_terminal(Some("screen")));
        assert!(!describes_a_terminal(Some("dumb")));
        assert!(!describes_a_terminal(Some("")));
        assert!(!describes_a_terminal(None));
    }
}
