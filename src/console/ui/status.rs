//! The three one-line regions: the search line at the top, the key hints and the status
//! bar at the bottom.

use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use unicode_width::UnicodeWidthStr;

use super::{LABEL_MAX_WIDTH, fit, hint, theme::Theme, wrap};
use crate::api::Action;
use crate::console::app::status::{REVEALED_BADGE, StatusKind};
use crate::console::app::{App, Screen};
use crate::keys::{Command, Context};
use crate::text::sanitize;

const SEARCH_LABEL: &str = " Search ";
const SEARCH_PLACEHOLDER: &str = "code · ac:CODE · id:ID pass:PASS · acr:NUMBER · rp:NUMBER";

/// The search line, with where the console is connected at its right end, so no clerk
/// acts on production thinking it is a test system: the environment's label in its colour
/// (the host without one), READ-ONLY, DEMO. When the row is narrow, who is logged in gives
/// way first; the label never does.
pub fn search_line(frame: &mut Frame, app: &App, area: Rect) {
    let theme = Theme::of(app);
    let env = &app.environment;
    let label = &env.label;
    let spans_width = |spans: &[Span]| -> usize { spans.iter().map(|s| s.content.width()).sum() };
    let min_search = SEARCH_LABEL.width() + 12;
    let mut badges = Vec::new();
    if env.read_only {
        badges.push(Span::raw(" "));
        badges.push(Span::styled(" READ-ONLY ", theme.read_only_badge()));
    }
    if env.demo {
        badges.push(Span::styled(" DEMO ", theme.demo_badge()));
    }
    // The badges and a configured label are kept whole; a bare host is what gives way,
    // shortened first, so a narrow screen never reads "127.0.0.1:46213  DE".
    let room = usize::from(area.width).saturating_sub(min_search + spans_width(&badges));
    let (who, place) = if label.configured {
        (
            format!(" {}@{} ", env.user, env.organisation),
            Span::styled(
                format!(" {} ", fit(&sanitize(&label.text), LABEL_MAX_WIDTH)),
                theme.environment_label(label),
            ),
        )
    } else {
        (
            format!(" {}@{} ·", env.user, env.organisation),
            Span::styled(
                format!(" {} ", fit(&sanitize(&env.host), room.saturating_sub(2))),
                theme.dim(),
            ),
        )
    };
    let mut right = vec![place];
    right.extend(badges);
    let who = Span::styled(sanitize(&who).into_owned(), theme.dim());
    if spans_width(&right) + who.content.width() + min_search <= usize::from(area.width) {
        right.insert(0, who);
    }
    let right_width = spans_width(&right);
    let search_width = usize::from(area.width)
        .saturating_sub(right_width)
        .max(min_search);
    let right_area = Rect::new(
        area.x + search_width as u16,
        area.y,
        area.width.saturating_sub(search_width as u16),
        1,
    );
    frame.render_widget(Paragraph::new(Line::from(right)), right_area);
    let area = Rect::new(area.x, area.y, (search_width as u16).min(area.width), 1);
    let label_style = if app.search.focused {
        theme.key()
    } else {
        theme.dim()
    };
    let label = Span::styled(SEARCH_LABEL, label_style);
    let field_width = usize::from(area.width).saturating_sub(SEARCH_LABEL.width() + 1);
    let value = app.search.input.value();
    let line = if value.is_empty() && app.search.focused {
        Line::from(vec![
            label,
            Span::styled(fit(SEARCH_PLACEHOLDER, field_width), theme.dim()),
        ])
    } else if value.is_empty() {
        let focus = app.keymap.hint(Context::Global, Command::FocusSearch);
        Line::from(vec![
            label,
            Span::styled(format!("press {focus} to search"), theme.dim()),
        ])
    } else if !app.search.focused {
        // No cursor to keep in view: the line reads from its start.
        Line::from(vec![label, Span::raw(fit(value, field_width))])
    } else {
        // Scroll the text so that the cursor stays in the field.
        let scroll = app.search.input.visual_scroll(field_width);
        let shown: String = value.chars().skip(scroll).collect();
        Line::from(vec![label, Span::raw(fit(&shown, field_width))])
    };
    frame.render_widget(Paragraph::new(line), area);
    if app.search.focused && app.modal.is_none() {
        let scroll = app.search.input.visual_scroll(field_width);
        let cursor = app.search.input.visual_cursor().saturating_sub(scroll);
        let x = area.x + SEARCH_LABEL.width() as u16 + cursor as u16;
        frame.set_cursor_position(Position::new(x.min(area.right().saturating_sub(1)), area.y));
    }
}

/// `Ctrl-r recent` on the home screen, once there are recent tokens to list.
fn recent_hint(app: &App) -> Option<(String, &'static str, bool)> {
    (app.screen == Screen::Home && !app.recent.tokens.is_empty()).then(|| {
        (
            app.keymap.hint(Context::Always, Command::Recent),
            "recent",
            true,
        )
    })
}

/// What the keys do here and now; actions the token's state forbids are crossed out.
/// When the row is too narrow, the screen's own hints give way, those that do not work now
/// first, then from the right, so that `/ search`, `? help` and `q quit` always show: a
/// clerk who sees `?` can find the rest.
fn keys(frame: &mut Frame, app: &App, area: Rect) {
    let theme = Theme::of(app);
    let key = |context: Context, command: Command| app.keymap.hint(context, command);
    let pair = |context: Context, first: Command, second: Command| {
        format!("{}/{}", key(context, first), key(context, second))
    };
    // (key, words, enabled): the screen's hints, then the ones that always show.
    let mut local: Vec<(String, &'static str, bool)> = Vec::new();
    let mut global: Vec<(String, &'static str, bool)> = Vec::new();
    if app.modal.is_some() {
        // A modal names its own keys; the screen's keys do nothing behind it.
    } else if app.search.focused {
        local.push((key(Context::Search, Command::Submit), "search", true));
        if app.search.history().next().is_some() {
            let history = pair(Context::Search, Command::Earlier, Command::Later);
            local.push((history, "history", true));
        }
        local.push((key(Context::Search, Command::Back), "leave the line", true));
        if app.search.input.value().is_empty() {
            local.push((key(Context::Global, Command::Help), "help", true));
        }
        local.extend(recent_hint(app));
    } else if app.finding() {
        // Every letter is text on the find line: only these keys do anything.
        local.push((key(Context::Find, Command::FindNext), "next match", true));
        local.push((key(Context::Find, Command::FindPrevious), "previous", true));
        local.push((key(Context::Find, Command::Back), "close", true));
        global.push((key(Context::Always, Command::Quit), "quit", true));
    } else {
        match app.screen {
            Screen::Token if app.token.as_ref().is_some_and(|t| t.raw.is_some()) => {
                local.push((
                    pair(Context::Tree, Command::Up, Command::Down),
                    "scroll",
                    true,
                ));
                local.push((key(Context::Tree, Command::Raw), "tree", true));
                local.extend(reveal_hint(app));
                local.push((key(Context::Global, Command::Back), "back", true));
            }
            Screen::Token if app.token.as_ref().is_some_and(|t| t.deleted) => {
                // A deleted token has no actions left; only reading it remains.
                local.extend(reveal_hint(app));
                local.push((key(Context::Tree, Command::ExpandAll), "expand all", true));
                local.push((key(Context::Tree, Command::Raw), "raw", true));
                local.push((key(Context::Global, Command::Back), "back", true));
            }
            Screen::Token => {
                for action in Action::ALL {
                    let enabled = app.action_refusal(action).is_none();
                    let command = Command::Act(action);
                    local.push((key(Context::Actions, command), action.verb(), enabled));
                }
                local.extend(reveal_hint(app));
                local.push((key(Context::Tree, Command::History), "history", true));
                local.push((key(Context::Tree, Command::ExpandAll), "expand all", true));
                local.push((key(Context::Tree, Command::ToggleEmpty), "empty", true));
                local.push((key(Context::Tree, Command::Raw), "raw", true));
                let busy = app.pending.as_ref().is_some_and(|p| p.purpose.is_action());
                local.push((key(Context::Tree, Command::Reread), "re-read", !busy));
            }
            Screen::Results if app.batch.is_some() => {
                local.push((
                    pair(Context::Results, Command::Up, Command::Down),
                    "move",
                    true,
                ));
                local.push((key(Context::Results, Command::Open), "details", true));
                let stopping = app.batch.as_ref().is_some_and(|run| run.stopping);
                let words = if !app.batch_running() {
                    Some("back to the list")
                } else if stopping {
                    None
                } else {
                    Some("stop sending")
                };
                if let Some(words) = words {
                    local.push((key(Context::Global, Command::Back), words, true));
                }
            }
            Screen::Results => {
                local.push((key(Context::Results, Command::Open), "open", true));
                if app.results.as_ref().is_some_and(|r| !r.marked.is_empty()) {
                    let acts: Vec<String> = Action::ALL
                        .iter()
                        .map(|&action| key(Context::Results, Command::Act(action)))
                        .collect();
                    local.push((acts.join("/"), "act on marked", !app.environment.read_only));
                } else {
                    local.push((key(Context::Results, Command::Mark), "mark", true));
                }
                let page = crate::console::app::layout::results_rows(
                    app.width,
                    app.height,
                    app.status_rows(),
                );
                let paging = app
                    .results
                    .as_ref()
                    .map(|r| (r.has_rows_after(page), r.first_shown() > 0));
                let next = || key(Context::Results, Command::NextPage);
                let previous = || key(Context::Results, Command::PreviousPage);
                // Once the table scrolls a line at a time, both keys stay named while rows
                // are past one end: the hint changing as the first row leaves the screen
                // would cost a one-line scroll 20 bytes more.
                match paging {
                    Some((true, _)) => {
                        local.push((format!("{}/{}", next(), previous()), "page", true))
                    }
                    Some((false, true)) => local.push((previous(), "previous page", true)),
                    _ => {}
                }
                local.push((key(Context::Global, Command::Back), "back", true));
            }
            Screen::Home => local.extend(recent_hint(app)),
        }
        global.push((key(Context::Global, Command::FocusSearch), "search", true));
        global.push((key(Context::Global, Command::Help), "help", true));
        global.push((key(Context::Global, Command::Quit), "quit", true));
    }
    let width = |hints: &[(String, &str, bool)]| -> usize {
        hints
            .iter()
            .map(|(k, w, _)| k.width() + 1 + w.width())
            .sum::<usize>()
            + 2 * hints.len().saturating_sub(1)
    };
    let global_width = if global.is_empty() {
        0
    } else {
        width(&global) + 2
    };
    // Keys that do not work now give way first (from the right), then the others: at 40
    // columns a NOT_EFFECTIVE token keeps `a re-activate`, not a crossed-out `d`.
    while !local.is_empty() && width(&local) + global_width > usize::from(area.width) {
        match local.iter().rposition(|(_, _, enabled)| !enabled) {
            Some(disabled) => {
                local.remove(disabled);
            }
            None => {
                local.pop();
            }
        }
    }
    let mut spans: Vec<Span> = Vec::new();
    for (key, words, enabled) in local.into_iter().chain(global) {
        if !spans.is_empty() {
            spans.push(Span::raw("  "));
        }
        spans.extend(hint(theme, key, words, enabled));
    }
    let line = Line::from(spans);
    frame.render_widget(Paragraph::new(line), area);
}

/// `v reveal` on a token with masked personal data, `v hide` while it is revealed.
fn reveal_hint(app: &App) -> Option<(String, &'static str, bool)> {
    let tree = &app.token.as_ref()?.tree;
    let words = if tree.revealed() {
        "hide"
    } else if tree.has_masked() {
        "reveal"
    } else {
        return None;
    };
    Some((app.keymap.hint(Context::Tree, Command::Reveal), words, true))
}

/// The bottom rows: the key hints, always, over the status bar, which holds the request
/// in flight with its elapsed time, else the last message, else what the screen is. A
/// message too long for one row gets two (the layout took one from the body), and is cut
/// with an ellipsis after the second.
pub fn bottom(frame: &mut Frame, app: &App, keys_area: Rect, status_area: Rect) {
    let theme = Theme::of(app);
    keys(frame, app, keys_area);
    // While personal data is in clear the bar says so at its right end, whatever else it
    // says: a clerk (and whoever looks over a shoulder) sees it is not masked.
    let text_width = app.status_text_width() as u16;
    if app.revealed() {
        let badge_width = status_area.width.saturating_sub(text_width);
        let badge = Rect::new(
            status_area.right().saturating_sub(badge_width),
            status_area.y,
            badge_width,
            1,
        );
        frame.render_widget(
            Paragraph::new(Line::from(vec![
                Span::raw(" "),
                Span::styled(REVEALED_BADGE, theme.revealed_badge()),
            ])),
            badge,
        );
    }
    let status_area = Rect::new(
        status_area.x,
        status_area.y,
        text_width.min(status_area.width),
        status_area.height,
    );
    let Some(status) = app.status_line() else {
        return;
    };
    let (text, style) = match status.kind {
        StatusKind::Spinner { elapsed } => (
            format!("{} {}", theme.spinner(elapsed.as_millis()), status.text),
            Style::new(),
        ),
        StatusKind::Notice(tone) => (status.text, theme.tone(tone)),
        StatusKind::Hint => (status.text, theme.dim()),
    };
    let width = usize::from(status_area.width);
    let rows = usize::from(status_area.height.max(1));
    let mut lines = if text.width() <= width {
        vec![text]
    } else {
        wrap(&text, width)
    };
    if lines.len() > rows {
        let rest = lines.split_off(rows - 1).join(" ");
        // What is left spans more than a row, so the cut shows.
        lines.push(fit(&rest, width));
    }
    let lines: Vec<Line> = lines
        .into_iter()
        .map(|l| Line::from(Span::styled(l, style)))
        .collect();
    frame.render_widget(Paragraph::new(lines), status_area);
}
