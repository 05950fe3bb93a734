//! A test harness for the console: it owns an `App` and a ratatui `TestBackend`, feeds the
//! app messages the way the event loop would, records every effect, and plays the CRM.COM
//! server by answering the request in flight. The idea follows slumber's
//! `crates/tui/src/view/test_util.rs` (a harness that owns the app and a test backend);
//! the code is tokendesk's own.
//!
//! Each test module takes what it needs, so some helpers go unused in one file or another.
#![allow(dead_code)]

// What the test binaries share beside the console harness below.
pub mod audit_log;
pub mod frame_bytes;
pub mod local_simulator;
pub mod odd_server;
pub mod output;
pub mod pty;
pub mod start;

use std::time::Duration;

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use serde_json::Value;
use unicode_width::UnicodeWidthStr;

use tokendesk::api::{ApiError, Document, Operation, Reply, TokenSummary};
use tokendesk::audit::AuditToken;
use tokendesk::console::api_task::{ApiCommand, ApiEvent, ApiEventKind, RequestId};
use tokendesk::console::app::{App, Effect, Environment, Msg, ResultsView, TokenView};
use tokendesk::keys::Key;
pub use tokendesk::keys::KeyCode;
use tokendesk::setup::environment_label::Label;

pub const HOST: &str = "crm.example.com";

/// The time between two keys the harness presses one by one: a clerk's deliberate pace, well
/// past the half second a confirmation ignores keys for.
pub const KEY_GAP: Duration = Duration::from_secs(1);

pub fn environment(demo: bool) -> Environment {
    Environment {
        host: HOST.into(),
        user: "clerk".into(),
        organisation: "ACME".into(),
        demo,
        label: Label::resolve(None, None, HOST),
        read_only: false,
    }
}

/// A profile labelled `label` (in its default colour: red when it says PROD).
pub fn labelled(label: &str, read_only: bool) -> Environment {
    Environment {
        label: Label::resolve(Some(label), None, HOST),
        read_only,
        ..environment(false)
    }
}

pub struct Harness {
    pub app: App,
    terminal: Terminal<TestBackend>,
    /// Effects not yet taken by the test (see [`Harness::take`]).
    effects: Vec<Effect>,
    /// Every request sent since the harness was built, oldest first.
    pub requests: Vec<(RequestId, Operation)>,
    /// Every request cancelled since the harness was built.
    pub cancelled: Vec<RequestId>,
    /// Whether any update asked to quit.
    pub quit: bool,
    /// Every reveal the app asked to record, as the event loop would write it.
    pub reveals: Vec<AuditToken>,
    /// When set, the audit log cannot be written: reveals are answered with this sentence.
    pub audit_refuses: Option<String>,
    /// The app's clock as the harness last sent it.
    pub clock: Duration,
    /// The recent tokens' file as the event loop would keep it, every entry seen at
    /// [`RECENT_SEEN`].
    pub recent_file: Vec<tokendesk::recent::RecentToken>,
    /// Every line the app asked to write to the audit log (the idle lock's).
    pub audits: Vec<tokendesk::audit::Event<'static>>,
}

/// When the harness's event loop says a recent token was seen: 2026-12-05 09:30 UTC.
pub const RECENT_SEEN: u64 = 1_796_463_000;

impl Harness {
    pub fn new(width: u16, height: u16) -> Harness {
        Harness::with_environment(environment(false), width, height)
    }

    /// The `--demo` console: the DEMO badge and the suggestions on the empty screen.
    pub fn demo(width: u16, height: u16) -> Harness {
        let mut h = Harness::with_environment(environment(true), width, height);
        h.app.suggestions = tokendesk::console::app::search::suggestions::for_demo(&demo_tokens());
        h
    }

    pub fn with_environment(environment: Environment, width: u16, height: u16) -> Harness {
        Harness {
            app: App::new(environment, width, height),
            terminal: Terminal::new(TestBackend::new(width, height)).expect("test backend"),
            effects: Vec::new(),
            requests: Vec::new(),
            cancelled: Vec::new(),
            quit: false,
            reveals: Vec::new(),
            audit_refuses: None,
            clock: Duration::ZERO,
            recent_file: Vec::new(),
            audits: Vec::new(),
        }
    }

    /// Sends one message, records its effects, and returns how many it produced.
    pub fn send(&mut self, msg: Msg) -> usize {
        let effects = self.app.update(msg);
        let count = effects.len();
        let mut answers = Vec::new();
        let mut remembered = Vec::new();
        for effect in &effects {
            match effect {
                Effect::Api(ApiCommand::Send { id, operation }) => {
                    self.requests.push((*id, operation.clone()))
                }
                Effect::Api(ApiCommand::Cancel(id)) => self.cancelled.push(*id),
                // Answered at once, as the event loop does, from the log it may not write.
                Effect::AuditReveal(token) => answers.push(match &self.audit_refuses {
                    None => {
                        self.reveals.push(token.clone());
                        Ok(token.clone())
                    }
                    Some(sentence) => Err(sentence.clone()),
                }),
                Effect::Quit | Effect::LogInFailed(_) => self.quit = true,
                Effect::Remember(sighting) => {
                    let seen = std::time::UNIX_EPOCH + Duration::from_secs(RECENT_SEEN);
                    tokendesk::recent::record(&mut self.recent_file, sighting.clone().at(seen));
                    remembered.push(self.recent_file.clone());
                }
                Effect::Audit(event) => self.audits.push(*event),
                // Taken by the tests that copy or read a history (see `take`).
                Effect::Copy { .. }
                | Effect::Suspend
                | Effect::MouseReporting(_)
                | Effect::ReadHistory(_) => {}
            }
        }
        self.effects.extend(effects);
        for answer in answers {
            self.send(Msg::RevealAudited(answer));
        }
        for list in remembered {
            self.send(Msg::Remembered(Ok(list)));
        }
        count
    }

    /// Takes (and forgets) the effects recorded since the last take.
    pub fn take(&mut self) -> Vec<Effect> {
        std::mem::take(&mut self.effects)
    }

    /// Asserts that `steps` produced no effect at all: nothing sent, cancelled or quit.
    pub fn assert_inert(&mut self, steps: impl FnOnce(&mut Harness)) {
        self.take();
        steps(self);
        let effects = self.take();
        assert!(effects.is_empty(), "expected no effects, got {effects:?}");
    }

    /// Starts a batch `gap` after the last one, as the event loop does for every read.
    pub fn batch_after(&mut self, gap: Duration) -> &mut Harness {
        self.clock += gap;
        self.send(Msg::Clock(self.clock));
        self
    }

    /// One key pressed on its own, a key gap after the last input.
    pub fn key(&mut self, c: char) -> &mut Harness {
        self.key_after(KEY_GAP, Key::char(c))
    }

    /// One key on its own, `gap` after the last input.
    pub fn key_after(&mut self, gap: Duration, key: Key) -> &mut Harness {
        self.batch_after(gap);
        self.send(Msg::Key(key));
        self
    }

    /// Each character as its own key press.
    pub fn keys(&mut self, text: &str) -> &mut Harness {
        for c in text.chars() {
            self.key(c);
        }
        self
    }

    /// The characters of `text` arriving in one read from the terminal, as fast typing or
    /// keys queued behind a slow screen do.
    pub fn together(&mut self, text: &str) -> &mut Harness {
        self.batch_after(KEY_GAP);
        for c in text.chars() {
            self.send(Msg::Key(Key::char(c)));
        }
        self
    }

    pub fn press(&mut self, code: KeyCode) -> &mut Harness {
        self.key_after(KEY_GAP, Key::plain(code))
    }

    pub fn ctrl(&mut self, c: char) -> &mut Harness {
        self.key_after(KEY_GAP, Key::ctrl(c))
    }

    /// Lets `elapsed` pass with nothing else happening: the loop's wake-up for the app.
    pub fn tick(&mut self, elapsed: Duration) -> &mut Harness {
        self.batch_after(elapsed)
    }

    pub fn resize(&mut self, width: u16, height: u16) -> &mut Harness {
        self.send(Msg::Resize { width, height });
        self.terminal = Terminal::new(TestBackend::new(width, height)).expect("test backend");
        self
    }

    /// Types `line` into the search line (focusing and clearing it first) and presses Enter.
    pub fn search(&mut self, line: &str) -> &mut Harness {
        if !self.app.search.focused {
            self.key('/');
        }
        self.ctrl('u');
        self.keys(line);
        self.press(KeyCode::Enter)
    }

    /// The most recent request sent.
    pub fn last_request(&self) -> (RequestId, Operation) {
        self.requests.last().cloned().expect("no request was sent")
    }

    pub fn request_count(&self) -> usize {
        self.requests.len()
    }

    /// The id of the request the app is waiting for.
    pub fn in_flight(&self) -> RequestId {
        self.app
            .pending
            .as_ref()
            .expect("no request is in flight")
            .id
    }

    /// Plays the server: answers the request in flight.
    /// The API task's news that the action in flight is in the audit log and sent.
    pub fn recorded(&mut self) -> &mut Harness {
        let id = self.in_flight();
        self.send(Msg::Api(ApiEvent {
            id,
            kind: ApiEventKind::Recorded,
        }));
        self
    }

    pub fn answer(&mut self, outcome: Result<Reply, ApiError>) -> &mut Harness {
        let id = self.in_flight();
        self.answer_to(id, outcome)
    }

    /// Answers a given request, in flight or not (late answers).
    pub fn answer_to(&mut self, id: RequestId, outcome: Result<Reply, ApiError>) -> &mut Harness {
        // An answer is read in a batch of its own, at once.
        self.batch_after(Duration::ZERO);
        self.send(Msg::Api(ApiEvent {
            id,
            kind: ApiEventKind::Finished(outcome),
        }));
        self
    }

    pub fn answer_token(&mut self, token: Value) -> &mut Harness {
        self.answer(Ok(token_reply(token)))
    }

    /// Searches by `token`'s own authentication code and answers with `token`.
    pub fn open(&mut self, token: Value) -> &mut Harness {
        let code = TokenSummary::from_value(&token)
            .authentication_code
            .expect("the token has an authentication code");
        self.search(&code);
        self.answer_token(token)
    }

    /// The screen as plain text: one line per row, trailing spaces cut.
    pub fn render(&mut self) -> String {
        let app = &self.app;
        self.terminal
            .draw(|frame| tokendesk::console::ui::draw(frame, app))
            .expect("draw");
        buffer_text(self.terminal.backend().buffer())
    }

    /// The row of the screen that contains `needle`, for style checks.
    pub fn buffer(&self) -> &Buffer {
        self.terminal.backend().buffer()
    }

    /// The token on screen; panics when none is open.
    pub fn token(&self) -> &TokenView {
        self.app.token.as_ref().expect("a token is open")
    }

    /// The results page; panics when there is none.
    pub fn results(&self) -> &ResultsView {
        self.app.results.as_ref().expect("a results page is open")
    }

    /// The notice's text, or "" when there is none.
    pub fn notice(&self) -> String {
        self.app
            .notice
            .as_ref()
            .map(|n| n.text.clone())
            .unwrap_or_default()
    }
}

/// A server's answer of one token with no key repeated.
pub fn token_reply(token: Value) -> Reply {
    Reply::Token(Document::from(token))
}

/// A server's answer of a page of tokens with no key repeated.
pub fn tokens_reply(tokens: Vec<Value>) -> Reply {
    Reply::Tokens(tokens.into_iter().map(Document::from).collect())
}

/// The buffer's symbols, one line per row; the cells a wide character covers are skipped.
pub fn buffer_text(buffer: &Buffer) -> String {
    let width = usize::from(buffer.area.width);
    let mut out = String::new();
    for row in buffer.content.chunks(width.max(1)) {
        let mut line = String::new();
        let mut skip = 0;
        for cell in row {
            if skip > 0 {
                skip -= 1;
                continue;
            }
            line.push_str(cell.symbol());
            skip = cell.symbol().width().saturating_sub(1);
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// One row of the buffer as styled runs: `[text]{fg bg modifiers}` for each run of cells
/// with the same style, so a snapshot shows what is coloured and what is not.
pub fn row_styles(buffer: &Buffer, y: u16) -> String {
    let mut out = String::new();
    let mut run = String::new();
    let mut style: Option<String> = None;
    for x in 0..buffer.area.width {
        let cell = &buffer[(x, y)];
        let this = format!("{:?}/{:?}/{:?}", cell.fg, cell.bg, cell.modifier);
        if style.as_deref() != Some(this.as_str()) {
            if let Some(previous) = style.take() {
                out.push_str(&format!("[{run}] {previous}\n"));
            }
            run.clear();
            style = Some(this);
        }
        run.push_str(cell.symbol());
    }
    if let Some(previous) = style {
        out.push_str(&format!("[{}] {previous}\n", run.trim_end()));
    }
    out
}

/// A fixture's token: `tests/fixtures/NAME.response.json`, its `data`.
pub fn fixture(name: &str) -> Value {
    let path = format!(
        "{}/tests/fixtures/{name}.response.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let envelope: Value = serde_json::from_str(&text).expect("fixture is JSON");
    envelope["data"].clone()
}

/// The seed of `set_as_not_effective`: AT0000000671, NOT_EFFECTIVE, code 99021047380.
pub fn not_effective_token() -> Value {
    fixture("set_as_not_effective")
}

/// The seed of `delete`: number 35, EFFECTIVE, with `reward_participant`.
pub fn delete_seed_token() -> Value {
    fixture("delete")
}

/// `token` with another life-cycle state.
pub fn with_state(mut token: Value, state: &str) -> Value {
    token["life_cycle_state"] = Value::from(state);
    token
}

/// The tokens of `assets/demo-tokens.json`.
pub fn demo_tokens() -> Vec<Value> {
    let path = format!("{}/assets/demo-tokens.json", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(path).expect("demo tokens");
    let doc: Value = serde_json::from_str(&text).expect("demo tokens are JSON");
    doc["tokens"]
        .as_array()
        .expect("tokens")
        .iter()
        .map(|t| t["data"].clone())
        .collect()
}

/// The demo's accounts receivable with the most tokens (of a tie, the last by number, as
/// the demo's empty screen suggests it), and those tokens in file order.
pub fn busiest_acr() -> (String, Vec<Value>) {
    let tokens = demo_tokens();
    let accounts: Vec<Option<String>> = tokens
        .iter()
        .map(|t| TokenSummary::from_value(t).account_number)
        .collect();
    let mut numbers: Vec<&String> = accounts.iter().flatten().collect();
    numbers.sort();
    numbers.dedup();
    let count = |n: &String| accounts.iter().filter(|a| a.as_ref() == Some(n)).count();
    let busiest = numbers
        .iter()
        .copied()
        .max_by(|a, b| count(a).cmp(&count(b)).then(a.cmp(b)))
        .expect("the demo has accounts")
        .clone();
    let mine = tokens
        .into_iter()
        .zip(&accounts)
        .filter(|(_, a)| a.as_ref() == Some(&busiest))
        .map(|(t, _)| t)
        .collect();
    (busiest, mine)
}

/// Demo tokens in `state`.
pub fn demo_token_in(state: &str) -> Value {
    demo_tokens()
        .into_iter()
        .find(|t| t["life_cycle_state"] == state && t["authentication_code"].is_string())
        .unwrap_or_else(|| panic!("no demo token is {state}"))
}

/// A client of the simulator at `base_url`, logging in with the demo's credentials.
pub fn demo_client(base_url: String) -> tokendesk::api::Client {
    let mut config = tokendesk::api::ClientConfig::new(base_url);
    config.credentials = Some(tokendesk::api::Credentials {
        username: "clerk".into(),
        password: tokendesk::api::Secret::new("demo"),
        organisation: "DEMO".into(),
        unit: None,
    });
    tokendesk::api::Client::new(config).expect("client builds")
}

pub fn secs(s: f64) -> Duration {
    Duration::from_secs_f64(s)
}
