//! The console's state: what is on screen, what is in flight, and the questions about it
//! that the concern files and the view ask. How it changes is in `update` (`mod.rs`) and the
//! concern files beside it.

use std::time::Duration;

use crate::api::{Action, LifeCycleState};
use crate::audit::AuditToken;
use crate::fate::Course;
use crate::mask::Mask;
use crate::setup::connect::Environment;
use crate::setup::display::Display;

use super::batch::run::BatchRun;
use super::clock::{self, Moment};
use super::pending::{LogIn, Pending};
use super::questions::confirm::{BatchConfirm, Confirm, QuitPrompt};
use super::questions::guard;
use super::questions::question::Prompt;
use super::results::page::ResultsView;
use super::search::line::SearchLine;
use super::search::suggestions;
use super::token::view::TokenView;
use crate::keys::{Command, Context, KeyMap};

/// Why no action can be taken in a read-only console.
pub const READ_ONLY_REFUSAL: &str =
    "Read-only: this console changes no tokens (--read-only or a read_only profile).";

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
    pub view: View,
}

/// Which view a message was said in: the screen, and the token or list on it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct View {
    screen: Option<Screen>,
    subject: String,
}

#[derive(Debug)]
pub enum Modal {
    Confirm(Box<Confirm>),
    /// `d`, `a`, `X` with tokens marked: the batch's confirmation.
    Batch(Box<BatchConfirm>),
    /// `q` while a request is in flight.
    QuitWhileBusy(QuitPrompt),
    Help,
    /// `Ctrl-r`: the tokens opened lately, filtered as typed.
    Recent(super::recall::RecentList),
    /// `H`: the token's history in the audit log.
    History(super::history::History),
}

impl Modal {
    /// The question on screen; none for the help, the recent list and a history.
    pub fn prompt(&self) -> Option<&dyn Prompt> {
        match self {
            Modal::Confirm(confirm) => Some(confirm.as_ref()),
            Modal::Batch(confirm) => Some(confirm.as_ref()),
            Modal::QuitWhileBusy(prompt) => Some(prompt),
            Modal::Help | Modal::Recent(_) | Modal::History(_) => None,
        }
    }

    pub fn prompt_mut(&mut self) -> Option<&mut dyn Prompt> {
        match self {
            Modal::Confirm(confirm) => Some(confirm.as_mut()),
            Modal::Batch(confirm) => Some(confirm.as_mut()),
            Modal::QuitWhileBusy(prompt) => Some(prompt),
            Modal::Help | Modal::Recent(_) | Modal::History(_) => None,
        }
    }
}

/// An action on the token on screen, on its way through the core's course.
#[derive(Debug)]
pub struct ActionCourse {
    pub course: Course,
    /// When a busy server's pause ends and the action is sent again, while it waits one out.
    pub resend_at: Option<Duration>,
    /// The reason the clerk gave, sent again with the action after a pause.
    pub reason: Option<String>,
}

#[derive(Debug)]
pub struct App {
    pub environment: Environment,
    pub keymap: KeyMap,
    /// Which personal data is masked, and how.
    pub mask: Mask,
    /// Colour or not, UTF-8 or ASCII: what the view draws with.
    pub display: Display,
    /// Whether `y`, `Y` and `c` copy (`--clipboard osc52`) or say copying is off.
    pub copy: bool,
    /// Whether the terminal reports the mouse (`--mouse`, `mouse = true`, its key).
    pub mouse: bool,
    /// The last click, to tell a double click.
    pub last_click: Option<super::mouse::LastClick>,
    pub screen: Screen,
    pub search: SearchLine,
    pub results: Option<ResultsView>,
    pub token: Option<TokenView>,
    pub modal: Option<Modal>,
    pub pending: Option<Pending>,
    /// The action on the token on screen, on its way from its confirmation to its outcome.
    pub action_course: Option<ActionCourse>,
    /// The batch of marked tokens running, or run and still on screen.
    pub batch: Option<BatchRun>,
    /// Names this console's batches in the audit log: the event loop sets it from the
    /// clock and the process id, so that two consoles' batches never share a name.
    pub console_id: String,
    /// A reveal whose audit record is being written: the token it is for. Until the audit
    /// log answers, the status bar says so and `v` asks for no second record.
    pub revealing: Option<AuditToken>,
    /// The log-in in flight, until the session exists.
    pub logging_in: Option<LogIn>,
    pub notice: Option<Notice>,
    /// Search lines to try, shown on the empty screen (the demo fills these in).
    pub suggestions: Vec<suggestions::Suggestion>,
    pub width: u16,
    pub height: u16,
    pub help_list: super::scrolling::ScrollingList,
    /// The help's filter, once `/` is pressed in it.
    pub help_filter: Option<super::help::HelpFilter>,
    /// What another tokendesk needs to reach this server, for the command lines `$` copies.
    pub reach: crate::setup::reach::Reach,
    /// The most tokens `A` marks of one list (the profile's `list_ceiling`).
    pub list_ceiling: u64,
    /// The tokens opened lately, this session's and earlier ones.
    pub recent: super::recall::Recent,
    /// What time it is and which batch of messages is being handled.
    pub clock: Moment,
    pub(super) next_request: u64,
    pub(super) batches_run: u64,
    /// Set as the console quits: the actions it leaves with outcomes not known.
    pub ended_unknown: Vec<super::UnknownOutcome>,
    /// Whether the last `update` may have changed the screen.
    pub(super) changed: bool,
    /// What an action's reason must be (`reason`, `reason_pattern`).
    pub reason: crate::fate::reason::ReasonPolicy,
    /// The idle lock: when it comes, and the lock screen while it is on.
    pub idle: super::lock::IdleLock,
}

impl App {
    pub fn new(environment: Environment, width: u16, height: u16) -> App {
        App {
            environment,
            keymap: KeyMap::default(),
            mask: Mask::default(),
            display: Display::default(),
            copy: true,
            mouse: false,
            last_click: None,
            screen: Screen::Home,
            search: SearchLine::focused(),
            results: None,
            token: None,
            modal: None,
            pending: None,
            action_course: None,
            batch: None,
            console_id: "console".into(),
            revealing: None,
            logging_in: None,
            notice: None,
            suggestions: Vec::new(),
            width,
            height,
            help_list: super::scrolling::ScrollingList::default(),
            help_filter: None,
            list_ceiling: crate::api::DEFAULT_LIST_CEILING,
            reach: crate::setup::reach::Reach::default(),
            // On and empty until the event loop reads the file: a test's console keeps it.
            recent: super::recall::Recent::new(true, Vec::new()),
            clock: Moment::default(),
            next_request: 1,
            batches_run: 0,
            ended_unknown: Vec::new(),
            changed: true,
            idle: super::lock::IdleLock::default(),
            reason: crate::fate::reason::ReasonPolicy::default(),
        }
    }

    /// False when the last `update` provably changed nothing on screen (a key bound to
    /// nothing, a late answer dropped, a tick with nothing in flight), so the event loop
    /// need not draw.
    pub fn changed(&self) -> bool {
        self.changed
    }

    pub fn is_busy(&self) -> bool {
        self.pending.is_some() || self.batch_running()
    }

    /// A batch is on its way: not every token of it has settled.
    pub fn batch_running(&self) -> bool {
        self.batch.as_ref().is_some_and(BatchRun::running)
    }

    /// How long the request in flight has been waiting.
    pub fn pending_elapsed(&self) -> Option<Duration> {
        self.pending.as_ref().map(|p| self.clock.since(p.started))
    }

    /// When the app next needs a `Msg::Clock` although nothing else happens: the spinner's
    /// next frame while a request or the log-in is in flight, a confirmation starting to take
    /// keys, the idle lock. `None`: not until something happens.
    pub fn wake_at(&self) -> Option<Duration> {
        let spinner = (self.pending.is_some() || self.logging_in.is_some() || self.batch_running())
            .then_some(self.clock.now + clock::SPINNER_FRAME);
        let guard = self
            .modal_guard()
            .and_then(|guard| guard.arms_at(self.clock));
        spinner
            .into_iter()
            .chain(guard)
            .chain(self.idle.deadline())
            .min()
    }

    /// The typed-ahead guard of the confirmation on screen, if one is.
    pub fn modal_guard(&self) -> Option<&guard::TypeAheadGuard> {
        let prompt = self.modal.as_ref().and_then(Modal::prompt)?;
        Some(&prompt.question().guard)
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
        if self.environment.read_only {
            return Some(READ_ONLY_REFUSAL.into());
        }
        if token.identifier.is_none() {
            return Some("This token has no authentication code to act on.".into());
        }
        if let Some(pending) = &self.pending
            && pending.purpose.is_action()
        {
            return Some(format!(
                "Wait for the action in flight to finish ({} cancels it).",
                self.keymap.hint(Context::Global, Command::Back)
            ));
        }
        action.refusal(&token.summary.state)
    }

    /// One sentence on why some action keys are crossed out: read-only, or the state they
    /// need, grouped: "a and X need NOT_EFFECTIVE; this one is EFFECTIVE."
    pub fn disabled_actions_hint(&self) -> Option<String> {
        let token = self.token.as_ref().filter(|t| !t.deleted)?;
        if self.environment.read_only {
            return Some(READ_ONLY_REFUSAL.into());
        }
        token.identifier.as_ref()?;
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

    /// The view on screen now.
    pub fn view(&self) -> View {
        let subject = match self.screen {
            Screen::Token => self
                .token
                .as_ref()
                .map(|t| t.summary.display_name())
                .unwrap_or_default(),
            Screen::Results => self
                .results
                .as_ref()
                .map(|r| r.line.clone())
                .unwrap_or_default(),
            Screen::Home => String::new(),
        };
        View {
            screen: Some(self.screen),
            subject,
        }
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
