//! The recent tokens: the whole list over the screen (`Ctrl-r`), filtered as typed, and the
//! newest few on the home screen. Both draw a token on one line in the same columns.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Padding, Paragraph};

use super::modal::{boxed, centred, longest_that_fits};
use super::{pad, theme::Theme};
use crate::console::app::App;
use crate::console::app::recall::RecentList;
use crate::keys::{Command, Context};
use crate::recent::RecentToken;
use crate::text::sanitize;

/// The box's width at most.
const WIDTH: u16 = 72;

/// A token's line: its number, code, state when last seen, and when.
pub fn token_spans(theme: Theme, token: &RecentToken) -> Vec<Span<'static>> {
    vec![
        Span::styled(pad(&token.number, 13), theme.key()),
        Span::raw(pad(&token.code, 17)),
        Span::raw(pad(&token.state, 15)),
        Span::styled(token.when(), theme.dim()),
    ]
}

/// What the list says when it shows no token, if it shows none.
pub fn empty_sentence(app: &App) -> Option<&'static str> {
    if !app.recent.on {
        Some("Recent tokens are off (recent = false in the config file).")
    } else if app.recent.tokens.is_empty() {
        Some("No token opened yet: the ones you open are listed here.")
    } else {
        None
    }
}

pub fn draw(frame: &mut Frame, app: &App, list: &RecentList, area: Rect) {
    let theme = Theme::of(app);
    let matches = app.recent_matches();
    let typed = list.filter.value();
    let width = area.width.saturating_sub(4).min(WIDTH);
    let rows = u16::try_from(matches.len()).unwrap_or(u16::MAX).max(1);
    let height = rows
        .saturating_add(4)
        .min(area.height.saturating_sub(2))
        .max(5);
    let rect = centred(area, width, height);
    let visible = usize::from(height.saturating_sub(4)).max(1);
    // The selected token stays in view.
    let offset = list.selected.saturating_sub(visible - 1);
    let mut lines = vec![Line::from(vec![
        Span::styled("Filter: ", theme.dim()),
        Span::raw(sanitize(typed).into_owned()),
        Span::styled("_", theme.dim()),
    ])];
    lines.push(Line::raw(""));
    if let Some(sentence) = empty_sentence(app) {
        lines.push(Line::styled(sentence, theme.dim()));
    } else if matches.is_empty() {
        lines.push(Line::styled(
            format!("No recent token matches \"{}\".", sanitize(typed)),
            theme.dim(),
        ));
    }
    for (at, token) in matches.iter().enumerate().skip(offset).take(visible) {
        let mut line = Line::from(token_spans(theme, token));
        if at == list.selected {
            line = line.style(theme.selected());
        }
        lines.push(line);
    }
    let key = |command| app.keymap.hint(Context::Recent, command);
    let (up, down, open, close) = (
        key(Command::Earlier),
        key(Command::Later),
        key(Command::Submit),
        key(Command::Back),
    );
    let count = if matches.len() == app.recent.tokens.len() {
        format!("{}", matches.len())
    } else {
        format!("{} of {}", matches.len(), app.recent.tokens.len())
    };
    let forms = vec![
        format!(
            "Recent tokens, {count} (type to filter, {up}/{down}, {open} opens, {close} closes)"
        ),
        format!("Recent tokens ({open} opens, {close} closes)"),
        format!("{open} opens, {close} closes"),
    ];
    let title = longest_that_fits(forms, usize::from(width).saturating_sub(4));
    frame.render_widget(Clear, rect);
    let block = boxed(theme, &title, false).padding(Padding::horizontal(1));
    let inner = block.inner(rect);
    frame.render_widget(block, rect);
    frame.render_widget(Paragraph::new(lines), inner);
}
