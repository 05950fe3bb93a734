//! The terminal's background colour: asked for once, after the first frame (OSC 11,
//! `ESC ] 11 ; ? ESC \`), and its answer picked out of the keys. Not terminal-colorsaurus:
//! it reads the terminal itself, racing the thread that reads every key
//! (`terminal::Session::events`), and whichever read first would take the other's bytes.
//!
//! crossterm knows nothing of the answer. `ESC ] 11 ; rgb:ffff/ffff/ffff ESC \` reaches us
//! as Alt-], one key for each of `11;rgb:ffff/ffff/ffff`, and Alt-\ (ended by BEL
//! instead, Ctrl-G). An ESC that ends one read of the terminal is a key of its own: an
//! answer read in two pieces may begin with Esc and `]`, or end with Esc and `\`. So while
//! an answer is awaited, [`Replies`] holds back what could begin one, takes an answer out
//! whole, and lets everything else through as it came, in order. The answer may come late,
//! after keys or before them, or never: it is awaited for as long as the console runs.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use crossterm::event::{Event, KeyCode, KeyEventKind, KeyModifiers};

use crate::setup::display::Rgb;

/// The question: "what is your background colour?", ended by ST as xterm documents it.
pub const QUERY: &str = "\x1b]11;?\x1b\\";

/// What follows the opening `ESC ]` of an answer, before its colour.
const ANSWER_PREFIX: [char; 3] = ['1', '1', ';'];

/// The longest colour text taken: `rgba:ffff/ffff/ffff/ffff` is 24 characters.
const LONGEST_COLOUR: usize = 32;

/// What the terminal said, for the event loop.
#[derive(Debug)]
pub enum Input {
    Event(Event),
    /// The answer: the terminal's background colour.
    Background(Rgb),
}

/// Where the events seen so far stand against an answer.
#[derive(Debug, PartialEq, Eq)]
enum State {
    /// Nothing held back.
    Passing,
    /// An Esc is held: it may be an answer's ESC, read apart from its `]`.
    Escape,
    /// The opening (Alt-], or Esc and `]`) and this many characters of `11;` are held.
    Opening(usize),
    /// Inside an answer, after `11;`: the colour so far; `None` once it is too long to be
    /// one. Nothing of an answer is ever let through.
    Colour(Option<String>),
    /// The answer ended with an ESC read on its own: a `\` next is its end too.
    Closing,
}

/// Watches the terminal's events for the answer to [`QUERY`].
pub struct Replies {
    /// Set when the question is sent; cleared once an answer, whole or not, has come.
    awaited: Arc<AtomicBool>,
    /// The events that may begin an answer, held back until they do or cannot.
    held: Vec<Event>,
    state: State,
}

impl Replies {
    pub fn new(awaited: Arc<AtomicBool>) -> Replies {
        Replies {
            awaited,
            held: Vec::new(),
            state: State::Passing,
        }
    }

    /// What `event` lets through: nothing while it may be part of an answer, the events
    /// held before it with it once they cannot, the colour once an answer ends.
    pub fn feed(&mut self, event: Event) -> Vec<Input> {
        let mut out = Vec::new();
        self.step(event, &mut out);
        out
    }

    /// Whether what is held would be let through if nothing followed: the reader then
    /// waits only a moment for the next event (see [`Replies::quiet`]). Inside an answer
    /// it waits as long as it takes: nothing held there is a key.
    pub fn waiting(&self) -> bool {
        matches!(
            self.state,
            State::Escape | State::Opening(_) | State::Closing
        )
    }

    /// Nothing came for a moment: what was held is keys after all, in the order typed.
    pub fn quiet(&mut self) -> Vec<Input> {
        let mut out = Vec::new();
        if self.waiting() {
            self.release(&mut out);
        }
        out
    }

    fn step(&mut self, event: Event, out: &mut Vec<Input>) {
        let key = key_of(&event);
        match std::mem::replace(&mut self.state, State::Passing) {
            State::Passing if !self.awaited.load(Ordering::SeqCst) => {
                out.push(Input::Event(event));
            }
            State::Passing => match key {
                Some((KeyCode::Esc, KeyModifiers::NONE)) => self.hold(event, State::Escape),
                Some((KeyCode::Char(']'), KeyModifiers::ALT)) => {
                    self.hold(event, State::Opening(0));
                }
                _ => out.push(Input::Event(event)),
            },
            State::Escape if key == plain(']') => self.hold(event, State::Opening(0)),
            State::Opening(matched) if key == plain(ANSWER_PREFIX[matched]) => {
                if matched + 1 == ANSWER_PREFIX.len() {
                    self.held.clear();
                    self.state = State::Colour(Some(String::new()));
                } else {
                    self.hold(event, State::Opening(matched + 1));
                }
            }
            State::Escape | State::Opening(_) => {
                self.release(out);
                self.step(event, out);
            }
            State::Colour(colour) => match key {
                Some((KeyCode::Char('g'), KeyModifiers::CONTROL))
                | Some((KeyCode::Char('\\'), KeyModifiers::ALT)) => self.answered(colour, out),
                Some((KeyCode::Esc, KeyModifiers::NONE)) => {
                    self.answered(colour, out);
                    self.state = State::Closing;
                }
                Some((KeyCode::Char(c), KeyModifiers::NONE | KeyModifiers::SHIFT))
                    if c.is_ascii_alphanumeric() || c == ':' || c == '/' =>
                {
                    self.state = State::Colour(
                        colour
                            .map(|text| text + c.encode_utf8(&mut [0; 4]))
                            .filter(|text| text.len() <= LONGEST_COLOUR),
                    );
                }
                // Not a colour's character: the answer was cut short, and this is a key.
                _ => {
                    self.answered(colour, out);
                    self.step(event, out);
                }
            },
            State::Closing if key == plain('\\') => {}
            State::Closing => self.step(event, out),
        }
    }

    fn hold(&mut self, event: Event, state: State) {
        self.held.push(event);
        self.state = state;
    }

    fn release(&mut self, out: &mut Vec<Input>) {
        out.extend(self.held.drain(..).map(Input::Event));
        self.state = State::Passing;
    }

    /// The answer has ended: no other is awaited, whether it held a colour or not.
    fn answered(&mut self, colour: Option<String>, out: &mut Vec<Input>) {
        self.awaited.store(false, Ordering::SeqCst);
        match colour.as_deref().and_then(parse) {
            Some(rgb) => out.push(Input::Background(rgb)),
            None => tracing::info!("the terminal's answer about its background is no colour"),
        }
    }
}

/// A key press's code and modifiers; `None` for anything else.
fn key_of(event: &Event) -> Option<(KeyCode, KeyModifiers)> {
    match event {
        Event::Key(key) if key.kind != KeyEventKind::Release => Some((key.code, key.modifiers)),
        _ => None,
    }
}

fn plain(c: char) -> Option<(KeyCode, KeyModifiers)> {
    Some((KeyCode::Char(c), KeyModifiers::NONE))
}

/// The colour of an answer, after its `11;`: `rgb:R/G/B` or `rgba:R/G/B/A` (alpha
/// ignored), each channel 1 to 4 hex digits, scaled to 16 bits (`f` is `ffff`, `8` is `8888`).
fn parse(colour: &str) -> Option<Rgb> {
    let (channels, count) = match colour.strip_prefix("rgba:") {
        Some(channels) => (channels, 4),
        None => (colour.strip_prefix("rgb:")?, 3),
    };
    let parts: Vec<&str> = channels.split('/').collect();
    if parts.len() != count {
        return None;
    }
    let channel = |hex: &str| {
        if !(1..=4).contains(&hex.len()) || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        let value = u32::from_str_radix(hex, 16).ok()?;
        let most = (1u32 << (4 * hex.len())) - 1;
        u16::try_from((value * u32::from(u16::MAX) + most / 2) / most).ok()
    };
    if count == 4 {
        channel(parts[3])?;
    }
    Some(Rgb {
        red: channel(parts[0])?,
        green: channel(parts[1])?,
        blue: channel(parts[2])?,
    })
}

#[cfg(test)]
mod tests;
