//! The tokens opened lately, in this session and earlier ones: the home screen lists the
//! newest, `Ctrl-r` opens the whole list from anywhere, typing filters it fuzzily, and Enter
//! opens the token by its code as the results page does. The file itself is the event
//! loop's: the app notes each token it shows ([`Effect::Remember`]) and is given the list as
//! the file holds it ([`Msg::Remembered`]), of which it keeps the tokens of its own server.

use tui_input::Input;

use super::edit;
use super::msg::Effect;
use super::pending::Purpose;
use super::scrolling::{ScrollingList, visible_lines};
use super::state::{App, Modal, Tone};
use crate::api::{AccessTokenIdentifier, Operation};
use crate::keys::{Command, Context, Key};
use crate::recent::{self, RecentToken, Sighting, fuzzy};

/// The recent tokens as the app knows them.
#[derive(Debug, Default)]
pub struct Recent {
    /// False when `recent = false` (or there is no state directory): nothing is read or
    /// written, and the home screen and `Ctrl-r` say so.
    pub on: bool,
    /// Newest first, as the file held it when last read or written: the tokens opened on
    /// this console's server only.
    pub tokens: Vec<RecentToken>,
    /// Why the list could not be read or written, once: said when `Ctrl-r` opens it.
    pub problem: Option<String>,
    /// The token just shown, for the loop to record once this message is handled.
    noted: Option<Sighting>,
}

impl Recent {
    pub fn new(on: bool, tokens: Vec<RecentToken>) -> Recent {
        Recent {
            on,
            tokens,
            problem: None,
            noted: None,
        }
    }
}

/// The rows of the `Ctrl-r` list's box above its tokens: the filter and a blank line.
pub const RECENT_HEAD_ROWS: usize = 2;

/// The `Ctrl-r` list on screen: what is typed, and where the list of matching tokens is
/// (which of them is selected).
#[derive(Debug)]
pub struct RecentList {
    pub filter: Input,
    pub list: ScrollingList,
}

impl Default for RecentList {
    fn default() -> RecentList {
        RecentList {
            filter: Input::default(),
            list: ScrollingList::selecting(),
        }
    }
}

impl App {
    /// The server this console's recent tokens are recorded against.
    pub fn recent_server(&self) -> String {
        recent::server_key(&self.environment.host, self.environment.demo)
    }

    /// The tokens the `Ctrl-r` list shows now, best match first.
    pub fn recent_matches(&self) -> Vec<&RecentToken> {
        let typed = match &self.modal {
            Some(Modal::Recent(list)) => list.filter.value(),
            _ => "",
        };
        fuzzy::matching(&self.recent.tokens, typed)
            .into_iter()
            .filter_map(|at| self.recent.tokens.get(at))
            .collect()
    }

    /// Notes the token on screen as seen now (as it is: a deleted one as DELETED). A token
    /// without an authentication code is not kept: only its pass code would find it again.
    pub(super) fn note_recent(&mut self) {
        let Some(view) = &self.token else { return };
        let Some(code) = view.summary.authentication_code.clone() else {
            return;
        };
        let state = if view.deleted {
            "DELETED".to_owned()
        } else {
            view.summary.state.to_string()
        };
        self.recent.noted = Some(Sighting {
            number: view.summary.number.clone().unwrap_or_default(),
            code,
            state,
            server: self.recent_server(),
        });
    }

    /// The token noted while this message was handled, for the loop to record.
    pub(super) fn remember_noted(&mut self, effects: &mut Vec<Effect>) {
        if let Some(sighting) = self.recent.noted.take()
            && self.recent.on
        {
            effects.push(Effect::Remember(sighting));
        }
    }

    /// The loop's answer to [`Effect::Remember`]: the list as the file holds it now, or why
    /// it could not be written (said once, when the list is next opened).
    pub(super) fn remembered(&mut self, answer: Result<Vec<RecentToken>, String>) {
        match answer {
            Ok(tokens) => self.recent.tokens = recent::on_server(tokens, &self.recent_server()),
            Err(problem) => self.recent.problem = Some(problem),
        }
        self.changed = self.screen == super::Screen::Home || self.modal.is_some();
    }

    pub(super) fn open_recent_list(&mut self) {
        self.modal = Some(Modal::Recent(RecentList::default()));
        if let Some(problem) = self.recent.problem.take() {
            self.notify(Tone::Warning, problem);
        }
    }

    pub(super) fn recent_key(&mut self, mut list: RecentList, key: Key, effects: &mut Vec<Effect>) {
        let matches = fuzzy::matching(&self.recent.tokens, list.filter.value());
        let selected = list.list.selected.unwrap_or(0);
        match self.keymap.command(&[Context::Recent], key) {
            Some(Command::Back) => return,
            Some(command @ (Command::Earlier | Command::Later)) => {
                self.modal = Some(Modal::Recent(list));
                return self.recent_move(command == Command::Later);
            }
            Some(Command::Submit) => {
                let chosen = matches
                    .get(selected)
                    .and_then(|&at| self.recent.tokens.get(at))
                    .cloned();
                if let Some(token) = chosen {
                    return self.open_recent(token, effects);
                }
                // Nothing matches: the list stays, saying so.
                self.changed = false;
            }
            _ => {
                if let Some(request) = edit::input_request(&self.keymap, key) {
                    list.filter.handle(request);
                    list.list = ScrollingList::selecting();
                }
            }
        }
        self.modal = Some(Modal::Recent(list));
    }

    /// The selection one token down (`later`: `Later`, the wheel down) or up.
    pub(super) fn recent_move(&mut self, later: bool) {
        let visible = visible_lines(self.height, RECENT_HEAD_ROWS);
        let Some(Modal::Recent(list)) = &mut self.modal else {
            return;
        };
        let matches = fuzzy::matching(&self.recent.tokens, list.filter.value()).len();
        let selected = list.list.selected.unwrap_or(0);
        let to = if later {
            selected + 1
        } else {
            selected.saturating_sub(1)
        };
        list.list.select(to, matches, visible);
    }

    pub(super) fn recent_paste(&mut self, text: &str) {
        if let Some(Modal::Recent(list)) = &mut self.modal {
            edit::insert_text(&mut list.filter, &crate::text::sanitize(text));
            list.list = ScrollingList::selecting();
        }
    }

    /// Reads the token by its code, as the results page opens a row: what opens is the
    /// token as the server has it now, not as it was last seen.
    fn open_recent(&mut self, token: RecentToken, effects: &mut Vec<Effect>) {
        if let Some(refusal) = self.busy_with_action() {
            return self.notify(Tone::Warning, refusal);
        }
        let name = if token.number.is_empty() {
            token.code.clone()
        } else {
            token.number.clone()
        };
        let operation = Operation::Show {
            identifier: AccessTokenIdentifier::AuthenticationCode(token.code.clone()),
            fields: None,
        };
        self.notice = None;
        self.search.focused = false;
        self.send(
            Purpose::Open {
                code: token.code,
                name,
            },
            operation,
            effects,
        );
    }
}
