//! Colours and glyphs in one place. Only the 16 basic colours are used, so the console
//! reads the same on a 16-colour terminal; selection is reverse video, which needs none.

use ratatui::style::{Color, Modifier, Style};

use crate::api::LifeCycleState;
use crate::app::Tone;
use crate::label::{Colour, Label};

pub const SPINNER: [&str; 10] = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];
pub const OPEN: &str = "▾";
pub const CLOSED: &str = "▸";
pub const RULE: &str = "─";

/// Personal data shown in clear: loud, and readable without colour.
pub fn revealed_badge() -> Style {
    Style::new()
        .fg(Color::Black)
        .bg(Color::Yellow)
        .add_modifier(Modifier::BOLD)
}

pub fn title() -> Style {
    Style::new().add_modifier(Modifier::BOLD)
}

pub fn dim() -> Style {
    Style::new().fg(Color::DarkGray)
}

pub fn key() -> Style {
    Style::new().fg(Color::Cyan).add_modifier(Modifier::BOLD)
}

pub fn disabled() -> Style {
    Style::new()
        .fg(Color::DarkGray)
        .add_modifier(Modifier::CROSSED_OUT)
}

pub fn selected() -> Style {
    Style::new().add_modifier(Modifier::REVERSED)
}

/// The label under the tree's cursor: reverse video in the label's colour.
pub fn selected_label() -> Style {
    label().add_modifier(Modifier::REVERSED)
}

pub fn label() -> Style {
    Style::new().fg(Color::Blue)
}

pub fn badge(state: &LifeCycleState) -> Style {
    let colour = match state {
        LifeCycleState::Effective => Color::Green,
        LifeCycleState::NotEffective => Color::Yellow,
        LifeCycleState::PendingVerification => Color::Cyan,
        LifeCycleState::Other(_) | LifeCycleState::Unknown => Color::Gray,
    };
    Style::new()
        .fg(Color::Black)
        .bg(colour)
        .add_modifier(Modifier::BOLD)
}

pub fn deleted_badge() -> Style {
    Style::new()
        .fg(Color::White)
        .bg(Color::Red)
        .add_modifier(Modifier::BOLD)
}

pub fn demo_badge() -> Style {
    Style::new()
        .fg(Color::Black)
        .bg(Color::Magenta)
        .add_modifier(Modifier::BOLD)
}

/// The environment label: a badge in the profile's colour, bold without one, and the host
/// that stands in for a missing label as quiet as the rest of the line.
pub fn environment_label(label: &Label) -> Style {
    let Some(colour) = label.colour else {
        return if label.configured { title() } else { dim() };
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
    Style::new()
        .fg(text)
        .bg(background)
        .add_modifier(Modifier::BOLD)
}

pub fn read_only_badge() -> Style {
    Style::new()
        .fg(Color::Black)
        .bg(Color::Yellow)
        .add_modifier(Modifier::BOLD)
}

pub fn tone(tone: Tone) -> Style {
    match tone {
        Tone::Info => Style::new(),
        Tone::Success => Style::new().fg(Color::Green),
        Tone::Warning => Style::new().fg(Color::Yellow),
        Tone::Error => Style::new().fg(Color::Red).add_modifier(Modifier::BOLD),
    }
}

pub fn danger() -> Style {
    Style::new().fg(Color::Red).add_modifier(Modifier::BOLD)
}
