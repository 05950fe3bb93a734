//! The empty screen: how to search, and on the demo a few lines to try.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::{pad, theme::Theme};
use crate::console::app::App;
use crate::keys::{Command, Context};

const FORMS: [(&str, &str); 4] = [
    ("CODE  or  ac:CODE", "one token by authentication code"),
    ("id:ID pass:PASS", "one token by identifier and pass code"),
    ("acr:NUMBER", "the tokens of an accounts receivable"),
    ("rp:NUMBER", "the tokens of a rewards participant"),
];

pub fn draw(frame: &mut Frame, app: &App, area: Rect) {
    let theme = Theme::of(app);
    let key = |context, command| app.keymap.hint(context, command);
    let submit = key(Context::Search, Command::Submit);
    let column = 22;
    let mut lines = vec![
        Line::raw(""),
        Line::styled("  Find an access token", theme.title()),
        Line::raw(""),
        Line::raw(if app.search.focused {
            format!("  Type in the search line, then {submit}:")
        } else {
            format!(
                "  Press {} and type in the search line, then {submit}:",
                key(Context::Global, Command::FocusSearch)
            )
        }),
    ];
    for (form, meaning) in FORMS {
        lines.push(Line::from(vec![
            Span::raw("    "),
            Span::styled(pad(form, column), theme.key()),
            Span::raw(meaning),
        ]));
    }
    if !app.suggestions.is_empty() {
        lines.push(Line::raw(""));
        lines.push(Line::raw("  Try these on the demo:"));
        for suggestion in &app.suggestions {
            lines.push(Line::from(vec![
                Span::raw("    "),
                Span::styled(pad(&suggestion.line, column), theme.key()),
                Span::raw(suggestion.meaning(&app.keymap)),
            ]));
        }
    }
    lines.push(Line::raw(""));
    // `?` is a character in a line that holds text.
    let help = key(Context::Global, Command::Help);
    let help = if app.search.focused && !app.search.input.value().is_empty() {
        format!(
            "  {}, then {help} lists every key.",
            key(Context::Search, Command::Back)
        )
    } else {
        format!("  {help} lists every key.")
    };
    lines.push(Line::styled(help, theme.dim()));
    frame.render_widget(Paragraph::new(lines), area);
}
