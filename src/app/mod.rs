//! The console's state and its one entry point, `App::update`: a message in, the state
//! changed, and the effects to carry out returned as values. Nothing here touches the
//! terminal, the network or the clock; the event loop (`console`) feeds in key presses,
//! API events and ticks, and carries out the effects. Tests drive it the same way.

pub mod clock;
pub mod confirm;
pub mod fresh;
pub mod guard;
pub mod keymap;
pub mod layout;
pub mod query;
pub mod results;
pub mod search;
pub mod status;
pub mod suggestions;

use std::time::Duration;

use serde_json::Value;

use crate::api::task::{ApiCommand, ApiEvent, ApiEventKind, RequestId};
use crate::api::{
    AccessTokenIdentifier, Action, ApiError, Document, LifeCycleState, ListQuery, Operation, Reply,
    TokenSummary,
};
use crate::text::json_for_terminal;
use crate::tree::TokenTree;
use clock::Moment;
use confirm::{Confirm, QuitPrompt, Verdict};
use keymap::{Command, Context, Key, KeyCode, KeyMap};
use query::Query;
pub use results::ResultsView;
pub use search::SearchLine;

/// The longest search line a paste makes: every search is far shorter, and a paste of a
/// whole document must not become a line to draw and send.
pub const SEARCH_LINE_MAX_CHARS: usize = 256;

/// Where the console is connected, named in the status bar and in every confirmation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Environment {
    pub host: String,
    pub user: String,
    pub organisation: String,
    pub demo: bool,
}

/// Everything that can happen to the app.
#[derive(Debug)]
pub enum Msg {
    Key(Key),
    /// Text pasted in one piece (bracketed paste).
    Paste(String),
    Resize {
        width: u16,
        height: u16,
    },
    /// The time since the console started; the event loop sends it first in every batch
    /// of messages it read together (see `clock`).
    Clock(Duration),
    Api(ApiEvent),
    /// Ctrl-C from outside the key stream, SIGTERM, SIGHUP: leave now.
    Terminate,
}

/// What `update` asks the event loop to do.
#[derive(Debug)]
pub enum Effect {
    Api(ApiCommand),
    Quit,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Screen {
    /// Nothing loaded yet (or everything closed): the search hints.
    Home,
    Results,
    Token,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tone {
    Info,
    Success,
    Warning,
    Error,
}

/// The status bar's message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Notice {
    pub tone: Tone,
    pub text: String,
    /// The view it was said in; it goes when that view does.
    pub view: status::View,
}

/// The token on screen.
#[derive(Debug)]
pub struct TokenView {
    pub data: Value,
    pub summary: TokenSummary,
    pub tree: TokenTree,
    /// How the token is addressed for re-reads and actions.
    pub identifier: Option<AccessTokenIdentifier>,
    /// The search line that names this token.
    pub query: String,
    /// When the data was read, on the app's clock.
    pub read_at: Duration,
    pub deleted: bool,
    /// The raw JSON view, when open.
    pub raw: Option<RawView>,
}

#[derive(Debug)]
pub struct RawView {
    pub lines: Vec<String>,
    pub offset: usize,
}

/// What a request in flight is for, so its answer lands in the right place.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Purpose {
    /// A search line's query, and the line as typed.
    Search { query: Query, line: String },
    /// Another page of the results on screen.
    Page(ListQuery),
    /// `R`: read the token on screen again.
    Reread,
    /// An action on the token on screen.
    Act { action: Action, token_name: String },
    /// After an action whose outcome is unknown, read the token to find out what happened.
    Verify { action: Action, token_name: String },
    /// Before a confirmation asks about a token read long ago, read it again.
    Check { action: Action, token_name: String },
    /// After the server refused an action because of the token's state, read it again.
    Recheck { action: Action, token_name: String },
}

impl Purpose {
    /// An action, or the check of an action's unknown outcome: while either is in flight
    /// the state on screen may be stale, and acting on it could send the same action twice.
    pub fn is_action(&self) -> bool {
        matches!(
            self,
            Purpose::Act { .. }
                | Purpose::Verify { .. }
                | Purpose::Check { .. }
                | Purpose::Recheck { .. }
        )
    }

    /// "Deactivating AT0000000671", for the spinner.
    pub fn describe(&self) -> String {
        match self {
            Purpose::Search {
                query: Query::List(query),
                ..
            }
            | Purpose::Page(query) => {
                format!("Listing the tokens of {}", query.owner)
            }
            Purpose::Search {
                query: Query::Show(identifier),
                ..
            } => format!("Looking up {identifier}"),
            Purpose::Reread => "Re-reading the token".into(),
            Purpose::Act { action, token_name } => {
                format!("{} {token_name}", gerund(*action))
            }
            Purpose::Verify { action, token_name } => {
                format!("Checking whether {token_name} was {}", action.past_tense())
            }
            Purpose::Check { action, token_name } => {
                format!("Checking {token_name} before it is {}", action.past_tense())
            }
            Purpose::Recheck { token_name, .. } => format!("Reading {token_name} again"),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pending {
    pub id: RequestId,
    pub purpose: Purpose,
    /// When it was sent, on the app's clock.
    pub started: Duration,
}

#[derive(Debug)]
pub enum Modal {
    Confirm(Box<Confirm>),
    /// `q` while a request is in flight.
    QuitWhileBusy(QuitPrompt),
    Help,
}

#[derive(Debug)]
pub struct App {
    pub environment: Environment,
    pub keymap: KeyMap,
    pub screen: Screen,
    pub search: SearchLine,
    pub results: Option<ResultsView>,
    pub token: Option<TokenView>,
    pub modal: Option<Modal>,
    pub pending: Option<Pending>,
    pub notice: Option<Notice>,
    /// Search lines to try, shown on the empty screen (the demo fills these in).
    pub suggestions: Vec<suggestions::Suggestion>,
    pub width: u16,
    pub height: u16,
    pub help_offset: usize,
    /// What time it is and which batch of messages is being handled.
    pub clock: Moment,
    next_request: u64,
    /// Whether the last `update` may have changed the screen.
    changed: bool,
}

impl App {
    pub fn new(environment: Environment, width: u16, height: u16) -> App {
        App {
            environment,
            keymap: KeyMap::default(),
            screen: Screen::Home,
            search: SearchLine::focused(),
            results: None,
            token: None,
            modal: None,
            pending: None,
            notice: None,
            suggestions: Vec::new(),
            width,
            height,
            help_offset: 0,
            clock: Moment::default(),
            next_request: 1,
            changed: true,
        }
    }

    /// False when the last `update` provably changed nothing on screen (a key bound to
    /// nothing, a late answer dropped, a tick with nothing in flight), so the event loop
    /// need not draw.
    pub fn changed(&self) -> bool {
        self.changed
    }

    pub fn is_busy(&self) -> bool {
        self.pending.is_some()
    }

    /// How long the request in flight has been waiting.
    pub fn pending_elapsed(&self) -> Option<Duration> {
        self.pending.as_ref().map(|p| self.clock.since(p.started))
    }

    /// When the app next needs a `Msg::Clock` although nothing else happens: the spinner's
    /// next frame while a request is in flight. `None`: not until something happens.
    pub fn wake_at(&self) -> Option<Duration> {
        let spinner = self
            .pending
            .as_ref()
            .map(|_| self.clock.now + clock::SPINNER_FRAME);
        let guard = self
            .modal_guard()
            .and_then(|guard| guard.arms_at(self.clock));
        spinner.into_iter().chain(guard).min()
    }

    /// The typed-ahead guard of the confirmation on screen, if one is.
    pub fn modal_guard(&self) -> Option<&guard::TypeAheadGuard> {
        match &self.modal {
            Some(Modal::Confirm(confirm)) => Some(&confirm.guard),
            Some(Modal::QuitWhileBusy(prompt)) => Some(&prompt.guard),
            Some(Modal::Help) | None => None,
        }
    }

    /// Whether the confirmation on screen takes keys yet.
    pub fn modal_armed(&self) -> bool {
        self.modal_guard()
            .is_some_and(|guard| guard.armed(self.clock))
    }

    /// The contexts whose bindings apply to the screen as it is now, the first that binds a
    /// key winning: on a token the actions and the tree before the global keys.
    pub fn contexts(&self) -> &'static [Context] {
        match self.screen {
            Screen::Results => &[Context::Results, Context::Global],
            Screen::Token => &[Context::Actions, Context::Tree, Context::Global],
            Screen::Home => &[Context::Global],
        }
    }

    /// Why `action` cannot be taken now on the token on screen, or `None` when it can.
    pub fn action_refusal(&self, action: Action) -> Option<String> {
        let Some(token) = &self.token else {
            return Some("Open a token first.".into());
        };
        if token.deleted {
            return Some(format!(
                "{} has been deleted.",
                token.summary.display_name()
            ));
        }
        if token.identifier.is_none() {
            return Some("This token has no authentication code to act on.".into());
        }
        if let Some(pending) = &self.pending
            && pending.purpose.is_action()
        {
            return Some("Wait for the action in flight to finish (Esc cancels it).".into());
        }
        action.refusal(&token.summary.state)
    }

    /// One sentence on why some action keys are crossed out, grouped by the state they
    /// need: "a and X need NOT_EFFECTIVE; this one is EFFECTIVE."
    pub fn disabled_actions_hint(&self) -> Option<String> {
        let token = self
            .token
            .as_ref()
            .filter(|t| !t.deleted && t.identifier.is_some())?;
        let state = &token.summary.state;
        let mut groups: Vec<(LifeCycleState, Vec<String>)> = Vec::new();
        for action in Action::ALL {
            if action.refusal(state).is_none() {
                continue;
            }
            let key = self
                .keymap
                .key_for(Context::Actions, Command::Act(action))
                .map_or_else(|| action.verb().to_owned(), |k| k.to_string());
            let needed = action.required_state();
            match groups.iter_mut().find(|(s, _)| *s == needed) {
                Some((_, keys)) => keys.push(key),
                None => groups.push((needed, vec![key])),
            }
        }
        if groups.is_empty() {
            return None;
        }
        let parts: Vec<String> = groups
            .iter()
            .map(|(needed, keys)| {
                let verb = if keys.len() == 1 { "needs" } else { "need" };
                format!("{} {verb} {needed}", keys.join(" and "))
            })
            .collect();
        Some(format!("{}; this one is {state}.", parts.join(", ")))
    }

    /// The search line of what is on screen: the line that found it, or for a token opened
    /// from a results page, its code.
    pub fn shown_query(&self) -> &str {
        match self.screen {
            Screen::Token => self.token.as_ref().map_or("", |t| t.query.as_str()),
            Screen::Results => self.results.as_ref().map_or("", |r| r.line.as_str()),
            Screen::Home => "",
        }
    }

    pub fn update(&mut self, msg: Msg) -> Vec<Effect> {
        let mut effects = Vec::new();
        // Most messages change what is on screen; the few that provably do not say so.
        self.changed = true;
        match msg {
            Msg::Key(key) => self.key(key, &mut effects),
            Msg::Paste(text) => self.paste(&text),
            Msg::Resize { width, height } => self.resize(width, height),
            Msg::Clock(now) => {
                let armed = self.modal_armed();
                self.clock = self.clock.next(now);
                // Only the spinner and a confirmation starting to take keys show the time.
                self.changed = self.pending.is_some() || armed != self.modal_armed();
            }
            Msg::Api(event) => self.api_event(event, &mut effects),
            Msg::Terminate => self.quit(&mut effects),
        }
        // Whatever happened, a line without the keyboard names what is on screen, a message
        // is about the view it was said in, and what is drawn fits the rows it has.
        if !self.search.focused {
            let shown = self.shown_query().to_owned();
            self.search.show(&shown);
        }
        self.forget_other_views_notice();
        self.fit_viewports();
        effects
    }

    fn key(&mut self, key: Key, effects: &mut Vec<Effect>) {
        // Ctrl-C leaves from anywhere, even from the search line or a modal.
        if key == Key::ctrl('c') {
            return self.quit(effects);
        }
        // Below the minimum size the screen shows only "too small ... q quits": keep that
        // promise even while the search line has the keyboard, and let no other key act on
        // a screen the clerk cannot see.
        if layout::regions(ratatui::layout::Rect::new(0, 0, self.width, self.height), 1).is_none() {
            if self.keymap.command(&[Context::Global], key) == Some(Command::Quit) {
                self.quit(effects);
            }
            self.changed = false;
            return;
        }
        if let Some(modal) = self.modal.take() {
            return self.modal_key(modal, key, effects);
        }
        if self.search.focused {
            return self.search_key(key, effects);
        }
        let Some(command) = self.keymap.command(self.contexts(), key) else {
            self.changed = false;
            return;
        };
        self.command(command, effects);
    }

    fn command(&mut self, command: Command, effects: &mut Vec<Effect>) {
        match command {
            Command::Help => {
                self.help_offset = 0;
                self.modal = Some(Modal::Help);
            }
            Command::FocusSearch => {
                // `/` starts a fresh search, as in less and vim; Up brings the last one back.
                self.search.input.reset();
                self.search.focused = true;
            }
            Command::Back => self.back(effects),
            Command::Quit if self.is_busy() => {
                self.modal = Some(Modal::QuitWhileBusy(QuitPrompt::new(self.clock)));
            }
            Command::Quit => self.quit(effects),
            Command::Act(action) => self.request_action(action, effects),
            Command::Reread => self.reread(effects),
            other => match self.screen {
                Screen::Token => self.tree_command(other),
                Screen::Results => self.results_command(other, effects),
                Screen::Home => {}
            },
        }
    }

    fn quit(&mut self, effects: &mut Vec<Effect>) {
        if let Some(pending) = self.pending.take() {
            effects.push(Effect::Api(ApiCommand::Cancel(pending.id)));
        }
        effects.push(Effect::Quit);
    }

    /// Esc: cancel what is in flight, else close the raw view, else go back a screen.
    fn back(&mut self, effects: &mut Vec<Effect>) {
        if let Some(pending) = self.pending.take() {
            effects.push(Effect::Api(ApiCommand::Cancel(pending.id)));
            if let Purpose::Act { action, token_name } = pending.purpose {
                // The request may already have reached the server: find out, don't guess.
                self.notify(
                    Tone::Warning,
                    format!(
                        "Cancelled; the server may already have {} {token_name}. Re-reading it to find out.",
                        action.past_tense()
                    ),
                );
                self.verify(action, token_name, effects);
            } else {
                self.notify(Tone::Info, "Cancelled.");
            }
            return;
        }
        if let Some(token) = &mut self.token
            && self.screen == Screen::Token
            && token.raw.is_some()
        {
            token.raw = None;
            return;
        }
        match self.screen {
            Screen::Token if self.results.is_some() => self.screen = Screen::Results,
            Screen::Token | Screen::Results => {
                self.screen = Screen::Home;
                self.search.focused = true;
            }
            Screen::Home => self.search.focused = true,
        }
    }

    fn modal_key(&mut self, modal: Modal, key: Key, effects: &mut Vec<Effect>) {
        match modal {
            Modal::Help => self.help_key(key),
            Modal::QuitWhileBusy(mut prompt) => match prompt.key(key, self.clock) {
                Verdict::Confirmed => self.quit(effects),
                Verdict::Cancelled => {}
                Verdict::Waiting => self.modal = Some(Modal::QuitWhileBusy(prompt)),
            },
            Modal::Confirm(mut confirm) => match confirm.key(key, self.clock) {
                Verdict::Waiting => self.modal = Some(Modal::Confirm(confirm)),
                Verdict::Cancelled => {
                    // A check of the state is for this question only.
                    if let Some(check) = self
                        .pending
                        .take_if(|p| matches!(p.purpose, Purpose::Check { .. }))
                    {
                        effects.push(Effect::Api(ApiCommand::Cancel(check.id)));
                    }
                    self.notify(
                        Tone::Info,
                        format!("Nothing was {}.", confirm.action.past_tense()),
                    );
                }
                Verdict::Confirmed => self.send_action(*confirm, effects),
            },
        }
    }

    fn help_key(&mut self, key: Key) {
        match key.code {
            KeyCode::Down | KeyCode::Char('j') => {
                self.help_offset = self.help_offset.saturating_add(1)
            }
            KeyCode::Up | KeyCode::Char('k') => {
                self.help_offset = self.help_offset.saturating_sub(1)
            }
            KeyCode::PageDown => self.help_offset = self.help_offset.saturating_add(10),
            KeyCode::PageUp => self.help_offset = self.help_offset.saturating_sub(10),
            // Any other key closes the help, as a clerk expects of an overlay.
            _ => return,
        }
        self.modal = Some(Modal::Help);
    }

    fn search_key(&mut self, key: Key, effects: &mut Vec<Effect>) {
        // On an empty line `?` asks for the help and `/` (the habit from less and vim) is
        // already where it leads; with text in the line both are characters.
        if self.search.input.value().is_empty() {
            match self.keymap.command(&[Context::Global], key) {
                Some(Command::Help) => return self.command(Command::Help, effects),
                Some(Command::FocusSearch) => {
                    self.changed = false;
                    return;
                }
                _ => {}
            }
        }
        match key.code {
            KeyCode::Enter => self.submit_search(effects),
            KeyCode::Esc => {
                // Esc first leaves the line, abandoning the search it started; a second Esc
                // (now unfocused) goes back.
                if let Some(pending) = self
                    .pending
                    .take_if(|p| matches!(p.purpose, Purpose::Search { .. }))
                {
                    effects.push(Effect::Api(ApiCommand::Cancel(pending.id)));
                    self.notify(Tone::Info, "Cancelled.");
                }
                let shown = self.shown_query().to_owned();
                self.search.leave(&shown);
            }
            KeyCode::Up => self.search.walk_back(),
            KeyCode::Down => self.search.walk_forward(),
            KeyCode::Tab if self.screen != Screen::Home => {
                let shown = self.shown_query().to_owned();
                self.search.leave(&shown);
            }
            _ => {
                if let Some(request) = confirm::input_request(key) {
                    self.search.input.handle(request);
                }
            }
        }
    }

    fn paste(&mut self, text: &str) {
        if let Some(Modal::Confirm(confirm)) = &mut self.modal {
            confirm.paste(text);
        } else if self.modal.is_none() {
            // A paste is a search: it goes to the search line, whatever had the keyboard.
            // One line: what a paste holds becomes spaces, never controls. Onto a line that
            // did not have the keyboard it starts a fresh search, as `/` does; it is not
            // glued to the end of the last one.
            if !self.search.focused {
                self.search.input.reset();
                self.search.focused = true;
            }
            let clean = crate::text::sanitize(text);
            let room =
                SEARCH_LINE_MAX_CHARS.saturating_sub(self.search.input.value().chars().count());
            let kept = match clean.char_indices().nth(room) {
                Some((cut, _)) => {
                    self.notify(
                        Tone::Warning,
                        format!(
                            "The paste was cut: a search line holds at most {SEARCH_LINE_MAX_CHARS} characters."
                        ),
                    );
                    &clean[..cut]
                }
                None => &clean[..],
            };
            confirm::insert_text(&mut self.search.input, kept);
        }
    }

    fn submit_search(&mut self, effects: &mut Vec<Effect>) {
        let line = self.search.input.value().trim().to_owned();
        let query = match query::parse(&line) {
            Ok(query) => query,
            Err(hint) => return self.notify(Tone::Warning, hint.to_string()),
        };
        if let Some(refusal) = self.busy_with_action() {
            return self.notify(Tone::Warning, refusal);
        }
        // The line keeps the keyboard until the answer comes: until then the screen shows
        // something else than the line names, and no key may act on it.
        self.search.remember(&line);
        let query = match query {
            Query::List(mut list) => {
                list.number_of_results = self.results_page_size();
                Query::List(list)
            }
            show => show,
        };
        let operation = match &query {
            Query::Show(identifier) => Operation::Show {
                identifier: identifier.clone(),
                fields: None,
            },
            Query::List(list) => Operation::List {
                query: list.clone(),
                fields: None,
            },
        };
        self.send(Purpose::Search { query, line }, operation, effects);
    }

    fn busy_with_action(&self) -> Option<String> {
        self.pending
            .as_ref()
            .filter(|p| p.purpose.is_action())
            .map(|p| {
                format!(
                    "{} is still in flight; wait, or Esc to cancel it.",
                    p.purpose.describe()
                )
            })
    }

    /// Starts a request, replacing (and cancelling) any read in flight.
    pub(super) fn send(
        &mut self,
        purpose: Purpose,
        operation: Operation,
        effects: &mut Vec<Effect>,
    ) {
        if let Some(previous) = self.pending.take() {
            effects.push(Effect::Api(ApiCommand::Cancel(previous.id)));
        }
        let id = RequestId(self.next_request);
        self.next_request += 1;
        self.pending = Some(Pending {
            id,
            purpose,
            started: self.clock.now,
        });
        effects.push(Effect::Api(ApiCommand::Send { id, operation }));
    }

    fn send_action(&mut self, confirm: Confirm, effects: &mut Vec<Effect>) {
        // The state may have changed while the modal was open (a re-read landed).
        if let Some(reason) = self.action_refusal(confirm.action) {
            return self.notify(Tone::Warning, reason);
        }
        let purpose = Purpose::Act {
            action: confirm.action,
            token_name: confirm.token.display_name(),
        };
        let operation = Operation::Act {
            action: confirm.action,
            identifier: confirm.identifier,
            fields: None,
        };
        self.notice = None;
        self.send(purpose, operation, effects);
    }

    fn reread(&mut self, effects: &mut Vec<Effect>) {
        if let Some(refusal) = self.busy_with_action() {
            return self.notify(Tone::Warning, refusal);
        }
        let Some(token) = &self.token else {
            return self.notify(Tone::Warning, "There is no token on screen to re-read.");
        };
        if token.deleted {
            let name = token.summary.display_name();
            return self.notify(
                Tone::Info,
                format!("{name} has been deleted; there is nothing to re-read."),
            );
        }
        let Some(identifier) = token.identifier.clone() else {
            return self.notify(
                Tone::Warning,
                "This token has no authentication code to re-read it by.",
            );
        };
        let operation = Operation::Show {
            identifier,
            fields: None,
        };
        self.send(Purpose::Reread, operation, effects);
    }

    fn verify(&mut self, action: Action, token_name: String, effects: &mut Vec<Effect>) {
        let Some(identifier) = self.token.as_ref().and_then(|t| t.identifier.clone()) else {
            return;
        };
        let operation = Operation::Show {
            identifier,
            fields: None,
        };
        self.send(Purpose::Verify { action, token_name }, operation, effects);
    }

    fn api_event(&mut self, event: ApiEvent, effects: &mut Vec<Effect>) {
        // Only the answer awaited counts; anything else is a late answer to a request that
        // was cancelled or replaced, and is dropped.
        let Some(pending) = self.pending.as_ref().filter(|p| p.id == event.id) else {
            self.changed = false;
            return;
        };
        let ApiEventKind::Finished(outcome) = event.kind else {
            self.changed = false;
            return;
        };
        let purpose = pending.purpose.clone();
        self.pending = None;
        match outcome {
            Ok(reply) => self.succeeded(purpose, reply),
            Err(error) => self.failed(purpose, error, effects),
        }
    }

    fn succeeded(&mut self, purpose: Purpose, reply: Reply) {
        match (purpose, reply) {
            (
                Purpose::Search {
                    query: Query::Show(identifier),
                    line,
                },
                Reply::Token(token),
            ) => {
                self.results = None;
                self.open_token(token, Some(identifier), line.clone());
                self.search.leave(&line);
                self.notice = None;
            }
            (
                Purpose::Search {
                    query: Query::List(query),
                    line,
                },
                Reply::Tokens(tokens),
            ) => {
                self.results = Some(ResultsView::new(
                    query,
                    line.clone(),
                    tokens,
                    self.clock.now,
                    None,
                ));
                self.token = None;
                self.screen = Screen::Results;
                self.search.leave(&line);
                self.notice = None;
            }
            (Purpose::Page(query), Reply::Tokens(tokens)) => {
                let Some(results) = &mut self.results else {
                    return;
                };
                if tokens.is_empty() && query.offset > 0 {
                    // The page on screen was the last one after all.
                    results.total = Some(results.query.offset as usize + results.rows.len());
                    return self.notify(Tone::Info, "No more tokens after this page.");
                }
                let line = results.line.clone();
                let total = results.total;
                self.results = Some(ResultsView::new(query, line, tokens, self.clock.now, total));
                self.notice = None;
            }
            (Purpose::Reread, Reply::Token(token)) => {
                self.replace_token(token);
                self.notify(Tone::Info, "Re-read from the server.");
            }
            (Purpose::Act { action, token_name }, Reply::Token(token)) => {
                self.acted(action, &token_name, token);
            }
            (Purpose::Check { action, .. }, Reply::Token(token)) => self.checked(action, token),
            (Purpose::Recheck { action, token_name }, Reply::Token(token)) => {
                self.rechecked(action, &token_name, token);
            }
            (Purpose::Verify { action, token_name }, Reply::Token(token)) => {
                let state = TokenSummary::from_value(&token.value).state;
                self.replace_token(token);
                // A token still there to read was not deleted.
                if action.resulting_state() == Some(state.clone()) {
                    self.notify(
                        Tone::Success,
                        format!(
                            "Checked: {token_name} was {} (it is now {state}).",
                            action.past_tense()
                        ),
                    );
                } else {
                    self.notify(
                        Tone::Warning,
                        format!(
                            "Checked: {token_name} was not {}; it is {state}.",
                            action.past_tense()
                        ),
                    );
                }
            }
            (purpose, _) => self.notify(
                Tone::Error,
                format!(
                    "The server's answer to \"{}\" was of the wrong kind.",
                    purpose.describe()
                ),
            ),
        }
    }

    /// The client hands over only answers that show the action done (a token, in the state
    /// the action leads to); any other answer arrives as an error whose outcome is unknown.
    fn acted(&mut self, action: Action, token_name: &str, token: Document) {
        self.replace_token(token);
        if action == Action::Delete {
            self.mark_deleted();
            return self.notify(Tone::Success, format!("{token_name} deleted."));
        }
        let state = self
            .token
            .as_ref()
            .map(|t| t.summary.state.clone())
            .unwrap_or_default();
        self.notify(
            Tone::Success,
            format!("{token_name} {}; it is now {state}.", action.past_tense()),
        );
    }

    fn failed(&mut self, purpose: Purpose, error: ApiError, effects: &mut Vec<Effect>) {
        match purpose {
            Purpose::Act { action, token_name } if error.outcome_unknown() => {
                self.notify(
                    Tone::Warning,
                    format!(
                        "{error} {token_name} may or may not have been {}; re-reading it to find out.",
                        action.past_tense()
                    ),
                );
                self.verify(action, token_name, effects);
            }
            Purpose::Act { action, token_name } if error.is_state_refusal() => {
                self.refused_for_state(action, token_name, effects);
            }
            Purpose::Check { action, token_name } => {
                self.check_failed(action, &token_name, &error);
            }
            Purpose::Recheck { action, token_name } => {
                self.recheck_failed(action, &token_name, &error);
            }
            Purpose::Act { action, token_name } => self.notify(
                Tone::Error,
                format!("{token_name} was not {}: {error}", action.past_tense()),
            ),
            Purpose::Verify {
                action: Action::Delete,
                token_name,
            } if error.is_not_found() => {
                self.mark_deleted();
                self.notify(Tone::Success, format!("Checked: {token_name} was deleted."));
            }
            Purpose::Verify { action, token_name } => self.notify(
                Tone::Error,
                format!(
                    "Could not find out whether {token_name} was {}: {error} Press R to try again.",
                    action.past_tense()
                ),
            ),
            Purpose::Search {
                query: Query::Show(identifier),
                ..
            } if error.is_not_found() => {
                self.search.cursor_to_end();
                self.notify(
                    Tone::Warning,
                    format!("No access token matches {identifier}."),
                );
            }
            Purpose::Search { .. } => {
                self.search.cursor_to_end();
                self.notify(Tone::Error, error.to_string());
            }
            _ => self.notify(Tone::Error, error.to_string()),
        }
    }

    /// The token on screen is gone: show it as deleted, here and on the results page.
    fn mark_deleted(&mut self) {
        let Some(view) = &mut self.token else { return };
        view.deleted = true;
        view.raw = None;
        if let (Some(view), Some(results)) = (&self.token, &mut self.results) {
            results.update_token(view.summary.number.as_deref(), None, true);
        }
        self.follow_token();
    }

    /// The suggestions on the empty screen follow what the token on screen is now.
    fn follow_token(&mut self) {
        if let Some(view) = &self.token {
            suggestions::follow_token(&mut self.suggestions, &view.summary, view.deleted);
        }
    }

    fn open_token(
        &mut self,
        data: Document,
        searched: Option<AccessTokenIdentifier>,
        query: String,
    ) {
        let summary = TokenSummary::from_value(&data.value);
        // Act on the token by its code when it has one: it works for every method.
        let identifier = summary
            .authentication_code
            .clone()
            .map(AccessTokenIdentifier::AuthenticationCode)
            .or(searched);
        let tree = self.fresh_tree(&data);
        self.token = Some(TokenView {
            data: data.value,
            summary,
            tree,
            identifier,
            query,
            read_at: self.clock.now,
            deleted: false,
            raw: None,
        });
        self.screen = Screen::Token;
        self.follow_token();
    }

    /// A new answer for the token on screen: keep what the clerk had open where it still
    /// exists, and keep the results page in step.
    pub(super) fn replace_token(&mut self, data: Document) {
        if self.token.is_none() {
            return self.open_token(data, None, String::new());
        }
        let mut tree = self.fresh_tree(&data);
        let Some(view) = &mut self.token else { return };
        tree.adopt_view_of(&view.tree);
        view.summary = TokenSummary::from_value(&data.value);
        if let Some(code) = view.summary.authentication_code.clone() {
            view.identifier = Some(AccessTokenIdentifier::AuthenticationCode(code));
        }
        view.tree = tree;
        view.read_at = self.clock.now;
        if view.raw.is_some() {
            view.raw = Some(raw_view(&data.value));
        }
        if let (Some(view), Some(results)) = (&self.token, &mut self.results) {
            results.update_token(view.summary.number.as_deref(), Some(&data), false);
        }
        if let Some(view) = &mut self.token {
            view.data = data.value;
        }
        self.follow_token();
    }

    fn fresh_tree(&self, data: &Document) -> TokenTree {
        let mut tree = TokenTree::from_document(data);
        tree.set_viewport_height(layout::tree_rows(
            self.width,
            self.height,
            self.status_rows(),
        ));
        tree
    }

    fn tree_command(&mut self, command: Command) {
        let page = layout::raw_rows(self.width, self.height, self.status_rows());
        let Some(token) = &mut self.token else { return };
        if let Some(raw) = &mut token.raw {
            let last = raw.lines.len().saturating_sub(page);
            raw.offset = match command {
                Command::Up => raw.offset.saturating_sub(1),
                Command::Down => raw.offset + 1,
                Command::PageUp => raw.offset.saturating_sub(page),
                Command::PageDown => raw.offset + page,
                Command::Home => 0,
                Command::End => last,
                Command::Raw => {
                    token.raw = None;
                    return;
                }
                _ => raw.offset,
            }
            .min(last);
            return;
        }
        let tree = &mut token.tree;
        match command {
            Command::Up => tree.move_up(),
            Command::Down => tree.move_down(),
            Command::PageUp => tree.page_up(),
            Command::PageDown => tree.page_down(),
            Command::Home => tree.home(),
            Command::End => tree.end(),
            Command::Expand => tree.expand_or_enter(),
            Command::Collapse => tree.collapse_or_parent(),
            Command::Toggle => tree.toggle(),
            Command::ExpandAll => tree.expand_all(),
            Command::CollapseAll => tree.collapse_all(),
            Command::ToggleEmpty => {
                tree.toggle_show_empty();
                let shown = tree.show_empty();
                self.notify(
                    Tone::Info,
                    if shown {
                        "Showing empty fields."
                    } else {
                        "Hiding empty fields."
                    },
                );
            }
            Command::Raw => token.raw = Some(raw_view(&token.data)),
            _ => {}
        }
    }

    fn resize(&mut self, width: u16, height: u16) {
        self.width = width;
        self.height = height;
        // `update` fits the tree and the results to the new size on its way out.
    }

    /// Sets the status bar's message.
    pub fn notify(&mut self, tone: Tone, text: impl Into<String>) {
        self.notice = Some(Notice {
            tone,
            text: text.into(),
            view: self.view(),
        });
    }
}

fn raw_view(data: &Value) -> RawView {
    RawView {
        lines: json_for_terminal(data).lines().map(str::to_owned).collect(),
        offset: 0,
    }
}

fn gerund(action: Action) -> &'static str {
    match action {
        Action::Deactivate => "Deactivating",
        Action::Activate => "Re-activating",
        Action::Delete => "Deleting",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn app(width: u16, height: u16) -> App {
        let environment = Environment {
            host: "127.0.0.1".into(),
            user: "clerk".into(),
            organisation: "DEMO".into(),
            demo: true,
        };
        App::new(environment, width, height)
    }

    #[test]
    fn only_messages_that_change_nothing_skip_the_redraw() {
        let mut app = app(80, 24);
        app.update(Msg::Key(Key::plain(KeyCode::Esc)));
        assert!(app.changed(), "leaving the search line changes the screen");
        app.update(Msg::Key(Key::char('z')));
        assert!(!app.changed(), "z is bound to nothing");
        app.update(Msg::Clock(Duration::from_millis(100)));
        assert!(!app.changed(), "the clock with nothing in flight");
        app.update(Msg::Api(ApiEvent {
            id: RequestId(99),
            kind: ApiEventKind::Finished(Ok(Reply::Tokens(Vec::new()))),
        }));
        assert!(!app.changed(), "an answer nobody waits for");
        app.update(Msg::Key(Key::char('?')));
        assert!(app.changed(), "help opens");
    }

    #[test]
    fn q_quits_a_screen_too_small_to_draw_even_with_the_search_line_focused() {
        let mut app = app(20, 5);
        assert!(app.search.focused);
        let effects = app.update(Msg::Key(Key::char('x')));
        assert!(effects.is_empty());
        assert_eq!(
            app.search.input.value(),
            "",
            "no typing into an unseen line"
        );
        let effects = app.update(Msg::Key(Key::char('q')));
        assert!(matches!(effects.as_slice(), [Effect::Quit]), "{effects:?}");
    }

    #[test]
    fn q_is_typed_into_the_search_line_at_a_usable_size() {
        let mut app = app(80, 24);
        let effects = app.update(Msg::Key(Key::char('q')));
        assert!(effects.is_empty());
        assert_eq!(app.search.input.value(), "q");
    }
}
