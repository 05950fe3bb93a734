//! Overlays: the confirmation of an action, the question before quitting with a request in
//! flight, and the help generated from the key map. The two questions keep their key line
//! and input at every size the console accepts; the text above gives way first.

use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Padding, Paragraph};
use unicode_width::UnicodeWidthStr;

use super::list_box::{ListBox, boxed, centred};
use super::{LABEL_MAX_WIDTH, fit, fit_line, pad, theme::Theme, wrap};
use crate::api::Action;
use crate::console::app::batch::run::{BatchPlan, tokens};
use crate::console::app::help::{HELP_KEYS_WIDTH, HelpLine};
use crate::console::app::history::History;
use crate::console::app::questions::confirm::{BatchConfirm, Confirm, QuitPrompt};
use crate::console::app::questions::question::{AnswerLine, Prompt, Question, ReasonLine};
use crate::console::app::{App, Tone};
use crate::fate::reason::ReasonRule;
use crate::keys::{Command, Context};
use crate::text::sanitize;

/// The widest a confirmation's text gets.
const MODAL_TEXT_WIDTH: u16 = 60;

/// One row of a dialog, by how it gives way on a small screen: the controls (the key line
/// and the input) never do; facts are cut to the width and, when rows run short, dropped
/// least important first behind an ellipsis; notes wrap and go only after every fact.
enum Row<'a> {
    Spacer,
    /// Where facts were dropped.
    Ellipsis,
    /// A fact; the higher the rank, the sooner it is dropped.
    Fact(Line<'a>, u8),
    Note(String, Style),
    Control(Line<'a>),
    /// The typed input, its cursor column within the shown text.
    Input(String, usize),
}

struct Dialog<'a> {
    title: &'a str,
    /// The environment's label, in its colour at the right of the top border.
    label: Option<Span<'a>>,
    danger: bool,
    theme: Theme,
    /// The widest the text inside may be.
    width: u16,
    rows: Vec<Row<'a>>,
}

impl Dialog<'_> {
    /// Draws the dialog centred in `area`, cut to fit as `Row` describes.
    fn render(self, frame: &mut Frame, area: Rect) {
        let theme = self.theme;
        // Two columns of border and two of padding around the text.
        let width = self.width.min(area.width.saturating_sub(4));
        let room = usize::from(area.height.saturating_sub(2));
        let columns = usize::from(width);
        // Notes are wrapped first, so every row below is one screen row.
        let mut rows: Vec<Row> = Vec::new();
        for row in self.rows {
            match row {
                Row::Note(text, style) => rows.extend(
                    wrap(&text, columns)
                        .into_iter()
                        .map(|line| Row::Note(line, style)),
                ),
                other => rows.push(other),
            }
        }
        let mut kept: Vec<Option<Row>> = rows.into_iter().map(Some).collect();
        let count = |kept: &[Option<Row>]| kept.iter().flatten().count();
        let mut ellipsis = false;
        while count(&kept) > room {
            if let Some(spacer) = kept.iter().position(|r| matches!(r, Some(Row::Spacer))) {
                kept[spacer] = None;
                continue;
            }
            let least = kept
                .iter()
                .enumerate()
                .filter_map(|(i, r)| match r {
                    Some(Row::Fact(_, rank)) => Some((*rank, i)),
                    _ => None,
                })
                .max();
            if let Some((_, i)) = least {
                // The first fact dropped leaves an ellipsis in its place, which takes a row
                // of its own: one more fact goes for it.
                kept[i] = (!ellipsis).then_some(Row::Ellipsis);
                ellipsis = true;
                continue;
            }
            match kept.iter().position(|r| matches!(r, Some(Row::Note(..)))) {
                Some(note) => kept[note] = None,
                // Only controls are left: they are drawn even if the last rows are cut.
                None => break,
            }
        }
        let mut lines: Vec<Line> = Vec::new();
        let mut cursor = None;
        for row in kept.into_iter().flatten() {
            lines.push(match row {
                Row::Ellipsis => Line::styled("…", theme.dim()),
                Row::Spacer => Line::raw(""),
                Row::Fact(line, _) | Row::Control(line) => fit_line(line, columns),
                Row::Note(text, style) => Line::styled(text, style),
                Row::Input(shown, column) => {
                    cursor = Some((lines.len(), 2 + column));
                    Line::from(vec![
                        Span::styled("> ", theme.key()),
                        Span::raw(fit(&shown, columns.saturating_sub(2))),
                    ])
                }
            });
        }
        let rect = centred(area, width + 4, lines.len() as u16 + 2);
        frame.render_widget(Clear, rect);
        let mut block = boxed(self.theme, self.title, self.danger).padding(Padding::horizontal(1));
        if let Some(label) = self.label {
            block = block.title_top(Line::from(label).right_aligned());
        }
        let inner = block.inner(rect);
        frame.render_widget(Paragraph::new(lines).block(block), rect);
        if let Some((row, column)) = cursor {
            let x = (inner.x + column as u16).min(inner.right().saturating_sub(1));
            let y = inner.y + row as u16;
            if y < inner.bottom() {
                frame.set_cursor_position(Position::new(x, y));
            }
        }
    }
}

/// A configured label goes on a confirmation's border too, in its colour: the Server row
/// may give way on a small screen, the border does not.
fn configured_label(app: &App, theme: Theme) -> Option<Span<'static>> {
    let environment = &app.environment.label;
    (environment.configured && !app.environment.demo).then(|| {
        Span::styled(
            format!(" {} ", fit(&sanitize(&environment.text), LABEL_MAX_WIDTH)),
            theme.environment_label(environment),
        )
    })
}

/// A key and what it does, as a modal's key line shows it: the key dim until the modal
/// takes keys.
fn key_span(theme: Theme, key: &str, live: bool) -> Span<'static> {
    Span::styled(key.to_owned(), if live { theme.key() } else { theme.dim() })
}

/// What a question says of the keys it ignored, and why the last key did not answer it.
fn notes(theme: Theme, question: &Question) -> (Option<Row<'static>>, Option<Row<'static>>) {
    let warning = |text: String| Row::Note(text, theme.tone(Tone::Warning));
    (
        question
            .guard
            .ignored_sentence()
            .map(|ignored| warning(sanitize(&ignored).into_owned())),
        question.mistake.as_ref().map(|m| warning(m.clone())),
    )
}

/// A named fact of a confirmation; the higher its `rank`, the sooner it gives way.
fn fact(theme: Theme, name: &str, value: String, rank: u8) -> Row<'static> {
    Row::Fact(
        Line::from(vec![
            Span::styled(pad(name, 16), theme.label()),
            Span::raw(value),
        ]),
        rank,
    )
}

/// A confirmation's title and what the action does, for one token or for `many`.
fn what_it_does(theme: Theme, action: Action, many: bool) -> (&'static str, Line<'static>) {
    let pick = |one, several| if many { several } else { one };
    match action {
        Action::Deactivate => (
            pick("Deactivate access token", "Deactivate access tokens"),
            Line::raw(pick(
                "It stops working at once; it can be re-activated later.",
                "They stop working at once; they can be re-activated later.",
            )),
        ),
        Action::Activate => (
            pick("Re-activate access token", "Re-activate access tokens"),
            Line::raw(pick("It works again at once.", "They work again at once.")),
        ),
        Action::Delete => (
            pick("Delete access token", "Delete access tokens"),
            Line::styled("Deleting cannot be undone.", theme.danger()),
        ),
    }
}

/// How soon what an action does gives way on a small screen: "Deleting cannot be undone."
/// never before the token's name; the others first.
fn consequence_rank(action: Action) -> u8 {
    if action == Action::Delete { 0 } else { 5 }
}

/// A delete's answer: what to type (`ask`), the input with its cursor, and why the last
/// Enter did not confirm.
fn typed_answer<'a>(ask: Line<'a>, line: &AnswerLine, mistake: Option<Row<'a>>) -> Vec<Row<'a>> {
    let typed = line.input();
    let field_width = usize::from(MODAL_TEXT_WIDTH) - 2;
    let scroll = typed.visual_scroll(field_width);
    let shown: String = typed.value().chars().skip(scroll).collect();
    let column = typed.visual_cursor().saturating_sub(scroll);
    let mut rows = vec![Row::Control(ask), Row::Input(shown, column)];
    rows.extend(mistake);
    rows
}

/// The reason line while it has the keyboard: what the profile asks, the line, why the
/// last Enter did not take it, and the key that cancels.
fn reason_rows<'a>(
    theme: Theme,
    app: &App,
    reason: &ReasonLine,
    mistake: Option<Row<'a>>,
    live: bool,
) -> Vec<Row<'a>> {
    let key = |command| app.keymap.hint(Context::TypedConfirm, command);
    let needed = match reason.policy.rule {
        ReasonRule::Required => "required",
        ReasonRule::Optional | ReasonRule::Off => "optional",
    };
    let pattern = reason
        .policy
        .pattern
        .as_ref()
        .map(|p| format!(", like {}", p.written()))
        .unwrap_or_default();
    let ask = Line::from(vec![
        Span::styled("Reason", theme.title()),
        Span::raw(format!(
            " ({needed}{pattern}), then {}:",
            key(Command::Submit)
        )),
    ]);
    let mut rows = typed_answer(ask, &reason.line, mistake);
    rows.push(Row::Control(Line::from(vec![
        key_span(theme, &key(Command::Cancel), live),
        Span::raw(" cancels"),
    ])));
    rows
}

/// The reason accepted, as a fact above the answer.
fn given_reason(theme: Theme, question: &Question) -> Option<Row<'static>> {
    let reason = question.given_reason()?;
    Some(fact(theme, "Reason", reason, 0))
}

/// A y/n answer: why the last key did not answer, then `y` does, `n` or Esc keeps.
fn yes_or_no<'a>(
    theme: Theme,
    live: bool,
    [yes, no, cancel]: [&str; 3],
    does: String,
    keeps: &'static str,
    mistake: Option<Row<'a>>,
) -> Vec<Row<'a>> {
    let mut rows: Vec<Row<'a>> = mistake.into_iter().collect();
    rows.push(Row::Control(Line::from(vec![
        key_span(theme, yes, live),
        Span::raw(does),
        key_span(theme, no, live),
        Span::raw(" or "),
        key_span(theme, cancel, live),
        Span::raw(keeps),
    ])));
    rows
}

pub fn confirm(frame: &mut Frame, confirm: &Confirm, app: &App, area: Rect) {
    let theme = Theme::of(app);
    let question = &confirm.question;
    let live = question.guard.armed(app.clock);
    let answering = confirm.answering();
    let context = answering.context();
    let [yes, no, cancel, submit] = [Command::Yes, Command::No, Command::Cancel, Command::Submit]
        .map(|command| app.keymap.hint(context, command));
    let t = &confirm.token;
    let field = |name: &str, value: String, rank: u8| fact(theme, name, value, rank);
    let mut rows = vec![
        field("Token", t.display_name(), 0),
        field(
            "Code",
            t.authentication_code.clone().unwrap_or_else(|| "—".into()),
            3,
        ),
        field(
            "Account",
            t.account_label().unwrap_or_else(|| "—".into()),
            4,
        ),
        field(
            "State now",
            if confirm.checking() {
                format!("checking… (read as {})", t.state)
            } else {
                t.state.to_string()
            },
            1,
        ),
        field("Server", confirm.server.clone(), 2),
        Row::Spacer,
    ];
    let (title, consequence) = what_it_does(theme, confirm.action, false);
    rows.push(Row::Fact(consequence, consequence_rank(confirm.action)));
    rows.push(Row::Spacer);
    rows.extend(given_reason(theme, question));
    let (ignored, mistake) = notes(theme, question);
    rows.extend(ignored);
    if let Some(reason) = question.asking_reason().filter(|_| !confirm.checking()) {
        rows.extend(reason_rows(theme, app, reason, mistake, live));
    } else if confirm.checking() {
        // Nothing but Esc counts until the fresh state is in the question.
        rows.push(Row::Control(Line::from(vec![
            Span::styled("Wait for the check", theme.dim()),
            Span::raw("   "),
            key_span(theme, &cancel, live),
            Span::raw(" keep it"),
        ])));
    } else if let Some(expected) = answering.typed() {
        let ask = Line::from(vec![
            Span::raw("Type "),
            Span::styled(expected.to_owned(), theme.title()),
            Span::raw(format!(" and press {submit}:")),
        ]);
        rows.extend(typed_answer(ask, &question.line, mistake));
        rows.push(Row::Control(Line::from(vec![
            key_span(theme, &cancel, live),
            Span::raw(" keeps the token"),
        ])));
    } else {
        let does = format!(" {}   ", confirm.action.verb());
        rows.extend(yes_or_no(
            theme,
            live,
            [&yes, &no, &cancel],
            does,
            " keep it",
            mistake,
        ));
    }
    Dialog {
        title,
        label: configured_label(app, theme),
        danger: confirm.action == Action::Delete,
        theme,
        width: MODAL_TEXT_WIDTH,
        rows,
    }
    .render(frame, area);
}

/// The confirmation of a batch: how many tokens change, the first of them, how many are
/// left out and why, and the server; then `y`, or the count typed for a delete.
pub fn batch_confirm(frame: &mut Frame, confirm: &BatchConfirm, app: &App, area: Rect) {
    let theme = Theme::of(app);
    let question = &confirm.question;
    let live = question.guard.armed(app.clock);
    let answering = confirm.answering();
    let context = answering.context();
    let [yes, no, cancel, submit] = [Command::Yes, Command::No, Command::Cancel, Command::Submit]
        .map(|command| app.keymap.hint(context, command));
    let plan = &confirm.plan;
    let action = plan.action;
    let count = plan.to_change();
    let field = |name: &str, value: String, rank: u8| fact(theme, name, value, rank);
    // The names fit the dialog as drawn, narrower than its widest on a small terminal.
    let names_width =
        usize::from(MODAL_TEXT_WIDTH.min(area.width.saturating_sub(4))).saturating_sub(16);
    let mut rows = vec![
        field("Marked", tokens(plan.items.len(), ""), 3),
        field(&format!("To {}", action.verb()), tokens(count, ""), 0),
        field("", first_names(plan, names_width), 1),
    ];
    for (index, (why, left_out)) in plan.left_out.iter().enumerate() {
        let name = if index == 0 { "Left out" } else { "" };
        rows.push(field(name, format!("{left_out} {}", why.reason(action)), 4));
    }
    rows.push(field("Server", confirm.server.clone(), 2));
    rows.push(Row::Spacer);
    let (title, consequence) = what_it_does(theme, action, true);
    rows.push(Row::Fact(consequence, consequence_rank(action)));
    rows.push(Row::Note(
        "Each is read again just before; one whose state has changed is left alone.".into(),
        theme.dim(),
    ));
    rows.push(Row::Spacer);
    rows.extend(given_reason(theme, question));
    let (ignored, mistake) = notes(theme, question);
    rows.extend(ignored);
    if let Some(reason) = question.asking_reason() {
        rows.extend(reason_rows(theme, app, reason, mistake, live));
    } else if let Some(expected) = answering.typed() {
        let ask = Line::from(vec![
            Span::raw("Type the number of tokens, "),
            Span::styled(expected.to_owned(), theme.title()),
            Span::raw(format!(", and press {submit}:")),
        ]);
        rows.extend(typed_answer(ask, &question.line, mistake));
        rows.push(Row::Control(Line::from(vec![
            key_span(theme, &cancel, live),
            Span::raw(" keeps the tokens"),
        ])));
    } else {
        let does = format!(" {} {count}   ", action.verb());
        rows.extend(yes_or_no(
            theme,
            live,
            [&yes, &no, &cancel],
            does,
            " keep them",
            mistake,
        ));
    }
    Dialog {
        title,
        label: configured_label(app, theme),
        danger: action == Action::Delete,
        theme,
        width: MODAL_TEXT_WIDTH,
        rows,
    }
    .render(frame, area);
}

/// The names of the tokens a batch will change that fit in `width` columns, then how many
/// more there are.
fn first_names(plan: &BatchPlan, width: usize) -> String {
    let names = plan.first_names(plan.to_change());
    let mut shown = String::new();
    for (index, name) in names.iter().enumerate() {
        let more = names.len() - index;
        let candidate = if shown.is_empty() {
            name.clone()
        } else {
            format!("{shown}, {name}")
        };
        // Room for ", +N more" after it, unless it is the last.
        let tail = if more > 1 {
            format!(", +{} more", more - 1).width()
        } else {
            0
        };
        if candidate.width() + tail > width {
            return format!("{shown}, +{more} more");
        }
        shown = candidate;
    }
    shown
}

pub fn quit_while_busy(frame: &mut Frame, prompt: &QuitPrompt, app: &App, area: Rect) {
    let theme = Theme::of(app);
    let live = prompt.question.guard.armed(app.clock);
    // The question follows the request: once it has finished, nothing is lost by quitting.
    let batch = app.batch.as_ref().filter(|run| run.running());
    // As many as the terminal will list once the console has ended.
    let unknown = app.unknown_outcomes().len();
    let situation = match &app.pending {
        _ if let Some(run) = batch => format!(
            "A batch of {} is running, {} of them in flight. Quitting now leaves {} unknown and sends no more.",
            tokens(run.items.len(), ""),
            run.progress().in_flight,
            if unknown == 1 {
                "the outcome of 1 token".to_owned()
            } else {
                format!("the outcomes of {unknown} tokens")
            }
        ),
        Some(pending)
            if matches!(pending.purpose, crate::console::app::Purpose::Act { .. })
                && !pending.recorded =>
        {
            format!(
                "{} waits for the audit log and is not sent yet. Quitting now sends nothing.",
                pending.purpose.describe()
            )
        }
        Some(pending) if pending.purpose.is_action() => format!(
            "{} is still in flight. Quitting now leaves its outcome unknown.",
            pending.purpose.describe()
        ),
        Some(pending) => format!(
            "{} is still in flight. Quitting now abandons it.",
            pending.purpose.describe()
        ),
        None => "The request has finished; quitting now leaves nothing unknown.".into(),
    };
    let mut rows = vec![Row::Note(sanitize(&situation).into_owned(), Style::new())];
    rows.push(Row::Spacer);
    let (ignored, mistake) = notes(theme, &prompt.question);
    rows.extend(ignored);
    rows.extend(mistake);
    let quit = if app.is_busy() {
        " quit anyway   "
    } else {
        " quit   "
    };
    let context = prompt.answering().context();
    let key = |command: Command| app.keymap.hint(context, command);
    let (yes, no, cancel) = (key(Command::Yes), key(Command::No), key(Command::Cancel));
    rows.push(Row::Control(Line::from(vec![
        key_span(theme, &yes, live),
        Span::raw(quit),
        key_span(theme, &no, live),
        Span::raw(" or "),
        key_span(theme, &cancel, live),
        Span::raw(" stay"),
    ])));
    Dialog {
        title: "Quit?",
        label: None,
        danger: false,
        theme,
        width: 52,
        rows,
    }
    .render(frame, area);
}

/// `H`: the token's history, a line per action or reveal (its reason under it), newest
/// first, scrolling like the help.
pub fn history(frame: &mut Frame, history: &History, app: &App, area: Rect) {
    history_box(history, app).draw(frame, Theme::of(app), area);
}

/// The history's lines in their box; the hint says how it closes, and how it scrolls while
/// there is more than fits.
pub(super) fn history_box<'a>(history: &History, app: &App) -> ListBox<'a> {
    let lines = history.lines(app.history_width());
    let scrolls = app.history_scrolls(lines.len());
    let key = |command| app.keymap.hint(Context::Help, command);
    ListBox {
        titles: vec![format!("History of {}", sanitize(&history.token_name))],
        // Said even when nothing scrolls: the box has no key of its own to close it.
        hint: Some(if scrolls {
            format!(
                "{}/{} scroll, any other key closes",
                key(Command::Down),
                key(Command::Up)
            )
        } else {
            "any key closes".to_owned()
        }),
        widest: u16::MAX,
        head: Vec::new(),
        lines: lines.into_iter().map(Line::raw).collect(),
        list: history.list,
    }
}

/// The idle lock: the whole screen, nothing of any token under it. What is typed is never
/// drawn, not even as a mark per character: the length of a password is not shown either.
pub fn lock_screen(frame: &mut Frame, app: &App, area: Rect) {
    let Some(locked) = &app.idle.locked else {
        return;
    };
    let theme = Theme::of(app);
    frame.render_widget(Clear, area);
    let idle = app
        .idle
        .after
        .map(|after| humantime::format_duration(after).to_string())
        .unwrap_or_default();
    let host = sanitize(&app.environment.host).into_owned();
    let user = sanitize(&app.environment.user).into_owned();
    let mut rows = vec![
        Row::Note(
            format!("No key for {idle}: every token is hidden until you come back."),
            Style::new(),
        ),
        Row::Spacer,
    ];
    let submit = app.keymap.hint(Context::TypedConfirm, Command::Submit);
    if app.idle.can_check {
        rows.push(Row::Note(
            format!("Type the password of {user} on {host}, then {submit}. It is not shown."),
            Style::new(),
        ));
    } else {
        rows.push(Row::Note(
            "This session came from a session token: there is no password to check.".into(),
            Style::new(),
        ));
    }
    if locked.checking.is_some() {
        rows.push(Row::Note(
            format!("Checking the password with {host}…"),
            theme.dim(),
        ));
    }
    if let Some(said) = &locked.said {
        rows.push(Row::Note(
            sanitize(said).into_owned(),
            theme.tone(Tone::Error),
        ));
    }
    rows.push(Row::Spacer);
    let quit = app.keymap.hint(Context::Always, Command::Quit);
    rows.push(Row::Control(Line::from(vec![
        key_span(theme, &submit, true),
        Span::raw(" unlock   "),
        key_span(theme, &quit, true),
        Span::raw(" quit"),
    ])));
    Dialog {
        title: "Locked",
        label: configured_label(app, theme),
        danger: false,
        theme,
        width: 56,
        rows,
    }
    .render(frame, area);
}

/// Every key of every context, from the same table that decides what keys do, filtered as
/// typed after `/`. One column that scrolls; a description too long for its row wraps
/// under itself rather than being cut.
pub fn help(frame: &mut Frame, app: &App, area: Rect) {
    help_box(app).draw(frame, Theme::of(app), area);
}

/// The help's lines in their box, titled with how it scrolls, filters and closes.
pub(super) fn help_box(app: &App) -> ListBox<'static> {
    let theme = Theme::of(app);
    let (width, layout) = app.help_layout();
    let filter = app.help_filter.as_ref();
    let key = |context: Context, command: Command| app.keymap.hint(context, command);
    let (up, down) = (
        key(Context::Help, Command::Up),
        key(Context::Help, Command::Down),
    );
    // Each title in its longest form that fits the box: a cut title would hide how the
    // help closes.
    let forms = match filter {
        Some(f) if f.typing => {
            let (keep, clear) = (
                key(Context::Search, Command::Submit),
                key(Context::Search, Command::Back),
            );
            let typed = f.input.value();
            vec![
                format!("Filter: {typed}_ ({keep} keeps it, {clear} clears it)"),
                format!("Filter: {typed}_ ({keep} keeps, {clear} clears)"),
                format!("Filter: {typed}_"),
                format!("{typed}_"),
            ]
        }
        Some(f) => {
            let typed = f.input.value();
            vec![
                format!("Keys with \"{typed}\" ({up}/{down} scroll, any other key closes)"),
                format!("Keys with \"{typed}\" (other keys close)"),
                "other keys close".to_owned(),
            ]
        }
        None => {
            let filters = key(Context::Help, Command::FocusSearch);
            vec![
                format!("Keys ({up}/{down} scroll, {filters} filters, any other key closes)"),
                format!("Keys ({up}/{down} scroll, other keys close)"),
                format!("{up}/{down} scroll, other keys close"),
                "other keys close".to_owned(),
            ]
        }
    };
    let mut lines: Vec<Line> = layout
        .into_iter()
        .map(|line| match line {
            HelpLine::Section(title) => Line::styled(title, theme.title()),
            HelpLine::Blank => Line::raw(""),
            HelpLine::Keys(keys) => {
                Line::from(vec![Span::raw("  "), Span::styled(keys, theme.key())])
            }
            HelpLine::Row { keys, words } => Line::from(vec![
                Span::raw("  "),
                Span::styled(pad(&keys, HELP_KEYS_WIDTH), theme.key()),
                Span::raw(words),
            ]),
        })
        .collect();
    if lines.is_empty() {
        lines.push(Line::styled("No key matches the filter.", theme.dim()));
    }
    ListBox {
        titles: forms
            .iter()
            .map(|form| sanitize(form).into_owned())
            .collect(),
        hint: None,
        widest: width,
        head: Vec::new(),
        lines,
        list: app.help_list,
    }
}
