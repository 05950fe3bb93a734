//! The recent tokens: the whole list over the screen (`Ctrl-r`), filtered as typed, and the
//! newest few on the home screen. Both draw a token on one line in the same columns.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use super::list_box::ListBox;
use super::{fit, pad, theme::Theme};
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
        Span::styled(column(&token.number, 13), theme.key()),
        Span::raw(column(&token.code, 17)),
        Span::raw(column(&token.state, 15)),
        Span::styled(token.when(), theme.dim()),
    ]
}

/// `text` in a column `width` wide that keeps a space after it, even when it is cut
/// (`PENDING_VERIFICATION` would otherwise run into the next column).
fn column(text: &str, width: usize) -> String {
    pad(&fit(text, width - 1), width)
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
    list_box(app, list).draw(frame, Theme::of(app), area);
}

/// The filter above the matching tokens in their box, the selected one highlighted.
pub(super) fn list_box<'a>(app: &'a App, list: &RecentList) -> ListBox<'a> {
    let theme = Theme::of(app);
    let matches = app.recent_matches();
    let typed = list.filter.value();
    let head = vec![
        Line::from(vec![
            Span::styled("Filter: ", theme.dim()),
            Span::raw(sanitize(typed).into_owned()),
            Span::styled("_", theme.dim()),
        ]),
        Line::raw(""),
    ];
    // The app scrolls the list by the rows left under these.
    debug_assert_eq!(head.len(), crate::console::app::recall::RECENT_HEAD_ROWS);
    let mut selecting = list.list;
    let lines = if let Some(sentence) = empty_sentence(app) {
        selecting.selected = None;
        vec![Line::styled(sentence, theme.dim())]
    } else if matches.is_empty() {
        selecting.selected = None;
        vec![Line::styled(
            format!("No recent token matches \"{}\".", sanitize(typed)),
            theme.dim(),
        )]
    } else {
        matches
            .iter()
            .map(|token| Line::from(token_spans(theme, token)))
            .collect()
    };
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
    ListBox {
        titles: vec![
            format!(
                "Recent tokens, {count} (type to filter, {up}/{down}, {open} opens, {close} closes)"
            ),
            format!("Recent tokens ({open} opens, {close} closes)"),
            format!("{open} opens, {close} closes"),
        ],
        hint: None,
        widest: WIDTH,
        head,
        lines,
        list: selecting,
    }
}
