//! Colours and glyphs in one place, as a value chosen at start from the terminal's
//! `Display`. In colour only the 16 basic colours are used, so the console reads the same on
//! a 16-colour terminal as on 256; selection is reverse video in the tree and a `>` in lists,
//! which need none. Without colour, bold, reverse and underline carry what colour carries:
//! badges are bold and reverse (the state badge bold and underlined), errors bold and
//! underlined. In ASCII, every glyph the console chooses
//! is ASCII.
//!
//! Two palettes, one for each kind of background (`Display::palette`). Text coloured
//! without a background of its own must read on the terminal's: on a dark one yellow, cyan
//! and green do, and dark grey is quiet; on a light one they all but vanish (most schemes
//! give them a contrast of 2 or less against white), so there keys, successes and warnings
//! take blue and magenta, and dim text stays dark grey, which is quiet there and still
//! readable (grey, colour 7, is near white). Badges set their background and text both,
//! and read on either.

use ratatui::buffer::Buffer;
use ratatui::style::{Color, Modifier, Style};
use ratatui::symbols::border;

use crate::api::LifeCycleState;
use crate::console::app::{App, Tone};
use crate::setup::display::{Display, Palette};
use crate::setup::environment_label::{Colour, Label};

const SPINNER: [&str; 10] = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];
const ASCII_SPINNER: [&str; 4] = ["|", "/", "-", "\\"];

/// Borders of plain ASCII.
const ASCII_BORDER: border::Set = border::Set {
    top_left: "+",
    top_right: "+",
    bottom_left: "+",
    bottom_right: "+",
    vertical_left: "|",
    vertical_right: "|",
    horizontal_top: "-",
    horizontal_bottom: "-",
};

/// Punctuation the app and the tree put into text they make up (an ellipsis where text was
/// cut, a dash for nothing, a dot between facts), and its ASCII stand-in.
const PUNCTUATION: [(&str, &str); 3] = [("…", "~"), ("—", "-"), ("·", "-")];

#[derive(Clone, Copy, Debug)]
pub struct Theme {
    colour: bool,
    ascii: bool,
    palette: Palette,
}

impl Theme {
    pub fn new(display: Display) -> Theme {
        Theme {
            colour: display.colour,
            ascii: display.ascii,
            palette: display.palette,
        }
    }

    pub fn of(app: &App) -> Theme {
        Theme::new(app.display)
    }

    /// A colour, or only the attributes without colour.
    fn pick(self, coloured: Style, plain: Style) -> Style {
        if self.colour { coloured } else { plain }
    }

    /// Text in the colour that reads on the terminal's background, or plain text.
    fn ink(self, on_dark: Color, on_light: Color) -> Style {
        let colour = match self.palette {
            Palette::Dark => on_dark,
            Palette::Light => on_light,
        };
        self.pick(Style::new().fg(colour), Style::new())
    }

    pub fn spinner(self, elapsed_ms: u128) -> &'static str {
        let frames: &[&'static str] = if self.ascii { &ASCII_SPINNER } else { &SPINNER };
        frames[(elapsed_ms / 100) as usize % frames.len()]
    }

    pub fn open(self) -> &'static str {
        if self.ascii { "v" } else { "▾" }
    }

    pub fn closed(self) -> &'static str {
        if self.ascii { ">" } else { "▸" }
    }

    pub fn rule(self) -> &'static str {
        if self.ascii { "-" } else { "─" }
    }

    pub fn border(self) -> border::Set<'static> {
        if self.ascii {
            ASCII_BORDER
        } else {
            border::PLAIN
        }
    }

    /// In ASCII, the punctuation that text made up by the app and the tree carries becomes
    /// ASCII too; data that happens to hold the same characters does as well.
    pub fn finish(self, buffer: &mut Buffer) {
        if !self.ascii {
            return;
        }
        for cell in &mut buffer.content {
            if let Some((_, ascii)) = PUNCTUATION.iter().find(|(p, _)| *p == cell.symbol()) {
                cell.set_symbol(ascii);
            }
        }
    }

    /// Personal data shown in clear: loud, and readable without colour.
    pub fn revealed_badge(self) -> Style {
        self.pick(
            Style::new().fg(Color::Black).bg(Color::Yellow),
            Style::new().add_modifier(Modifier::REVERSED),
        )
        .add_modifier(Modifier::BOLD)
    }

    pub fn title(self) -> Style {
        Style::new().add_modifier(Modifier::BOLD)
    }

    pub fn dim(self) -> Style {
        self.ink(Color::DarkGray, Color::DarkGray)
    }

    pub fn key(self) -> Style {
        self.ink(Color::Cyan, Color::Blue)
            .add_modifier(Modifier::BOLD)
    }

    /// A key that does not work now: dimmed as well as crossed out, since some terminals
    /// cannot draw strikethrough and, without colour, it would be all there was.
    pub fn disabled(self) -> Style {
        self.dim()
            .add_modifier(Modifier::DIM)
            .add_modifier(Modifier::CROSSED_OUT)
    }

    /// The `>` at a list's selected row: bold, and no colour, which would cost each of its
    /// moves bytes for a glyph that reads without it.
    pub fn pointer(self) -> Style {
        Style::new().add_modifier(Modifier::BOLD)
    }

    /// The label under the tree's cursor: reverse video in the label's colour.
    pub fn selected_label(self) -> Style {
        self.label().add_modifier(Modifier::REVERSED)
    }

    /// What the find line found.
    pub fn found(self) -> Style {
        self.pick(
            Style::new().fg(Color::Black).bg(Color::Cyan),
            Style::new().add_modifier(Modifier::UNDERLINED),
        )
        .add_modifier(Modifier::BOLD)
    }

    pub fn label(self) -> Style {
        self.ink(Color::Blue, Color::Blue)
    }

    pub fn badge(self, state: &LifeCycleState) -> Style {
        let colour = match state {
            LifeCycleState::Effective => Color::Green,
            LifeCycleState::NotEffective => Color::Yellow,
            LifeCycleState::PendingVerification => Color::Cyan,
            LifeCycleState::Other(_) | LifeCycleState::Unknown => Color::Gray,
        };
        self.pick(
            Style::new().fg(Color::Black).bg(colour),
            Style::new().add_modifier(Modifier::UNDERLINED),
        )
        .add_modifier(Modifier::BOLD)
    }

    pub fn deleted_badge(self) -> Style {
        self.pick(
            Style::new().fg(Color::White).bg(Color::Red),
            Style::new().add_modifier(Modifier::REVERSED | Modifier::UNDERLINED),
        )
        .add_modifier(Modifier::BOLD)
    }

    pub fn demo_badge(self) -> Style {
        self.pick(
            Style::new().fg(Color::Black).bg(Color::Magenta),
            Style::new().add_modifier(Modifier::REVERSED),
        )
        .add_modifier(Modifier::BOLD)
    }

    /// The environment label: a badge in the profile's colour (reverse without colour), bold
    /// without one, and the host that stands in for a missing label as quiet as the rest of
    /// the line.
    pub fn environment_label(self, label: &Label) -> Style {
        let Some(colour) = label.colour else {
            return if label.configured {
                self.title()
            } else {
                self.dim()
            };
        };
        let (background, text) = match colour {
            Colour::Red => (Color::Red, Color::White),
            Colour::Yellow => (Color::Yellow, Color::Black),
            Colour::Green => (Color::Green, Color::Black),
            Colour::Cyan => (Color::Cyan, Color::Black),
            Colour::Blue => (Color::Blue, Color::White),
            Colour::Magenta => (Color::Magenta, Color::White),
            Colour::White => (Color::White, Color::Black),
        };
        self.pick(
            Style::new().fg(text).bg(background),
            Style::new().add_modifier(Modifier::REVERSED),
        )
        .add_modifier(Modifier::BOLD)
    }

    pub fn read_only_badge(self) -> Style {
        self.pick(
            Style::new().fg(Color::Black).bg(Color::Yellow),
            Style::new().add_modifier(Modifier::REVERSED),
        )
        .add_modifier(Modifier::BOLD)
    }

    pub fn tone(self, tone: Tone) -> Style {
        match tone {
            Tone::Info => Style::new(),
            Tone::Success => self.ink(Color::Green, Color::Blue),
            Tone::Warning => self.pick(
                self.ink(Color::Yellow, Color::Magenta),
                Style::new().add_modifier(Modifier::BOLD),
            ),
            Tone::Error => self.danger(),
        }
    }

    pub fn danger(self) -> Style {
        self.pick(
            Style::new().fg(Color::Red),
            Style::new().add_modifier(Modifier::UNDERLINED),
        )
        .add_modifier(Modifier::BOLD)
    }
}
