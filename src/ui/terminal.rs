//! The terminal session: raw mode, the alternate screen and bracketed paste on the way in,
//! and all of it undone on the way out, whether by return, error or panic. Also the
//! translation of crossterm's events into the app's messages, so `app` never sees crossterm.

use std::io::{self, Stdout};
use std::sync::Once;

use crossterm::event::{
    DisableBracketedPaste, EnableBracketedPaste, Event, EventStream, KeyCode as CtKeyCode,
    KeyEvent, KeyEventKind, KeyModifiers,
};
use crossterm::execute;
use crossterm::terminal::{
    EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;

use crate::app::keymap::{Key, KeyCode};
use crate::app::{App, Msg};

pub struct Session {
    terminal: Terminal<CrosstermBackend<Stdout>>,
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
        match Terminal::new(CrosstermBackend::new(stdout)) {
            Ok(terminal) => Ok(Session { terminal }),
            Err(e) => {
                restore();
                Err(e)
            }
        }
    }

    /// The terminal's size, or 80x24 when it cannot say.
    pub fn size(&self) -> (u16, u16) {
        self.terminal
            .size()
            .map(|s| (s.width, s.height))
            .unwrap_or((80, 24))
    }

    pub fn events(&self) -> EventStream {
        EventStream::new()
    }

    pub fn draw(&mut self, app: &App) -> io::Result<()> {
        self.terminal
            .draw(|frame| super::draw(frame, app))
            .map(drop)
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        let _ = self.terminal.show_cursor();
        restore();
    }
}

/// Puts the terminal back as the shell expects it. Safe to call more than once. It shows
/// the cursor too: the panic hook calls this without the `Session`, and ratatui hides the
/// cursor whenever the search line does not have the keyboard.
pub fn restore() {
    let _ = execute!(
        io::stdout(),
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

/// The message for a terminal event, if it means anything to the app.
pub fn to_msg(event: Event) -> Option<Msg> {
    match event {
        Event::Key(key) => to_key(key).map(Msg::Key),
        Event::Paste(text) => Some(Msg::Paste(text)),
        Event::Resize(width, height) => Some(Msg::Resize { width, height }),
        _ => None,
    }
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
}
