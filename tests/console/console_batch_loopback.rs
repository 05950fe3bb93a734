//! The console's batch end to end but for the terminal: the app driven by messages as the
//! event loop drives it, the real API task and client, and the simulator in this process
//! over loopback. A session that expires mid-batch is renewed once for all the requests in
//! flight, and answers lost after the server acted are checked by reading: every token ends
//! where it should, and none is acted on twice (the simulator counts).

use crate::support;
use crate::support::start;

use std::time::{Duration, Instant};

use tokendesk::api::ApiEvent;
use tokendesk::audit::{AuditContext, AuditLog};
use tokendesk::console::api_task::{self, ApiHandle};
use tokendesk::console::app::{App, Effect, Msg, Screen};
use tokendesk::keys::{Key, KeyCode};
use tokendesk::simulator::{Fault, Simulator, SimulatorConfig, bulk_account};
use tokio::sync::mpsc::UnboundedReceiver;

const ACCOUNT: &str = "ACR0000009000";
/// 28 EFFECTIVE, 8 NOT_EFFECTIVE, 4 PENDING_VERIFICATION (see `bulk_account`).
const COUNT: u32 = 40;
const EFFECTIVE: u64 = 28;

/// How the whole account ends: every EFFECTIVE token deactivated, the NOT_EFFECTIVE and
/// PENDING_VERIFICATION ones left out, none of those sent.
fn whole_account_ended() -> std::collections::BTreeMap<&'static str, u64> {
    [("done", EFFECTIVE), ("left out", 12)]
        .into_iter()
        .collect()
}

/// Long enough for a loaded machine; reaching it is a failure.
const DEADLINE: Duration = Duration::from_secs(60);

async fn simulator(config: SimulatorConfig) -> Simulator {
    let config = SimulatorConfig {
        latency: Duration::from_millis(5),
        tokens: bulk_account(ACCOUNT, COUNT, 0),
        ..config
    };
    start::simulator(config).await
}

/// The console's app and API task against `sim`, auditing to `dir`.
struct Console {
    app: App,
    api: ApiHandle,
    events: UnboundedReceiver<ApiEvent>,
    started: Instant,
}

impl Console {
    fn new(sim: &Simulator, dir: &tempfile::TempDir) -> Console {
        let client = support::demo_client(sim.base_url());
        let context = AuditContext {
            operator: Some("clerk".into()),
            os_user: None,
            organisation: Some("DEMO".into()),
            unit: None,
            profile: None,
            label: None,
            host: sim.addr().to_string(),
        };
        let audit = AuditLog::new(Some(dir.path().join("audit.jsonl")), context);
        let (api, events) = api_task::spawn(client, audit);
        // Tall enough for the whole account on one page.
        let app = App::new(support::environment(false), 80, 60);
        Console {
            app,
            api,
            events,
            started: Instant::now(),
        }
    }

    fn update(&mut self, msg: Msg) {
        for effect in self.app.update(msg) {
            if let Effect::Api(command) = effect {
                assert!(self.api.send(command), "the API task is running");
            }
        }
    }

    /// A key, in a batch of its own, as the event loop reads it.
    fn key(&mut self, key: Key) {
        self.update(Msg::Clock(self.started.elapsed()));
        self.update(Msg::Key(key));
    }

    fn type_line(&mut self, text: &str) {
        for c in text.chars() {
            self.key(Key::char(c));
        }
        self.key(Key::plain(KeyCode::Enter));
    }

    /// Feeds the API's events and the clock to the app until `done` holds of it.
    async fn until(&mut self, what: &str, mut step: impl FnMut(&App), done: impl Fn(&App) -> bool) {
        while !done(&self.app) {
            assert!(self.started.elapsed() < DEADLINE, "waited for {what}");
            if let Ok(Some(event)) =
                tokio::time::timeout(Duration::from_millis(50), self.events.recv()).await
            {
                self.update(Msg::Clock(self.started.elapsed()));
                self.update(Msg::Api(event));
            } else {
                self.update(Msg::Clock(self.started.elapsed()));
            }
            step(&self.app);
        }
    }

    /// Lists the account (again, as a clerk would, when a fault cut the answer), marks it
    /// all, and confirms `d`.
    async fn deactivate_the_whole_account(&mut self) {
        for _ in 0..5 {
            if !self.app.search.focused {
                self.key(Key::char('/'));
            }
            self.type_line(&format!("acr:{ACCOUNT}"));
            self.until(
                "an answer to the list",
                |_| {},
                |app| app.pending.is_none() && app.logging_in.is_none(),
            )
            .await;
            if self.app.screen == Screen::Results {
                break;
            }
        }
        assert_eq!(
            self.app.results.as_ref().map(|r| r.rows.len()),
            Some(COUNT as usize)
        );
        self.key(Key::char('*'));
        self.key(Key::char('d'));
        // The question ignores keys for half a second after it appears.
        tokio::time::sleep(Duration::from_millis(600)).await;
        self.key(Key::char('y'));
        assert!(self.app.batch_running(), "the batch started");
    }

    /// How many rows of the batch ended in each step.
    fn steps(&self) -> std::collections::BTreeMap<&'static str, u64> {
        let mut steps = std::collections::BTreeMap::new();
        for item in &self.app.batch.as_ref().expect("a batch").items {
            *steps.entry(item.step.word()).or_insert(0) += 1;
        }
        steps
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_session_expiring_mid_batch_is_renewed_once_and_no_token_is_lost_or_repeated() {
    let sim = simulator(SimulatorConfig::default()).await;
    let dir = tempfile::tempdir().expect("temp dir");
    let mut console = Console::new(&sim, &dir);
    console.deactivate_the_whole_account().await;
    let mut expired = false;
    console
        .until(
            "the batch's end",
            |_| {
                if !expired && sim.stats().actions >= 5 {
                    sim.expire_sessions();
                    expired = true;
                }
            },
            |app| !app.batch_running(),
        )
        .await;
    assert!(expired, "the session expired mid-batch");
    let steps = console.steps();
    assert_eq!(steps, whole_account_ended(), "{steps:?}");
    let stats = sim.stats();
    assert_eq!(stats.logins, 2, "one re-login for all: {stats:?}");
    // `actions` also counts those the expired session refused before they ran, which the
    // client sent again once logged in.
    assert_eq!(
        (stats.changes, stats.state_refusals),
        (EFFECTIVE, 0),
        "each token acted on once: {stats:?}"
    );
    console.api.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn answers_lost_after_the_server_acted_are_checked_never_sent_again() {
    // Every third action's answer is cut off after the server ran the method; no read
    // fails: of 28 actions, 9 answers are lost.
    let sim = simulator(SimulatorConfig {
        fail_every: std::num::NonZeroU32::new(3),
        fail_actions_only: true,
        fault: Fault::Disconnect,
        ..SimulatorConfig::default()
    })
    .await;
    let dir = tempfile::tempdir().expect("temp dir");
    let mut console = Console::new(&sim, &dir);
    console.deactivate_the_whole_account().await;
    console
        .until("the batch's end", |_| {}, |app| !app.batch_running())
        .await;
    let steps = console.steps();
    assert_eq!(
        steps,
        whole_account_ended(),
        "every lost answer was found done by its re-read: {steps:?}"
    );
    let checked = console
        .app
        .batch
        .as_ref()
        .expect("a batch")
        .items
        .iter()
        .filter(|i| i.step.sentence().contains("Checked after a lost answer"))
        .count();
    assert_eq!(checked, 9, "{steps:?}");
    let stats = sim.stats();
    assert_eq!(
        (stats.actions, stats.changes, stats.state_refusals),
        (EFFECTIVE, EFFECTIVE, 0),
        "each token acted on once, none sent again after its answer was lost: {stats:?}"
    );
    // The log-in, the list, a read and an action per token, and one read per lost answer:
    // the API task's, for the audit log, which the console takes as its check.
    assert_eq!(
        stats.requests,
        1 + 1 + EFFECTIVE + EFFECTIVE + 9,
        "{stats:?}"
    );
    console.api.close().await;
}
