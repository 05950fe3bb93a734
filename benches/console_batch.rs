//! The console during a 2,000-token batch (issue 11's budget: a key is handled and drawn in
//! under 5 ms with 2,000 rows in flight).
//!
//! A real `App`, driven by messages as the event loop drives it (each batch of messages
//! starts with `Msg::Clock`, then one frame): a clerk searches the simulator's bulk account
//! of 2,000 tokens, marks every page with `*` and PageDown, presses `d` and `y`; the bench
//! plays the server, answering the oldest request first, until hundreds are done with four
//! in flight. Then it times one key (`Down` through the batch's rows) and one API answer
//! landing, each `App::update` plus the frame drawn at 80x24 into a `TestBackend`, and
//! prints the bytes such frames put on the wire (the console's own screen, onto a tape).

use std::collections::HashMap;
use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::layout::Rect;
use serde_json::Value;
use tokendesk::api::{AccessTokenIdentifier, Document, Operation, Reply};
use tokendesk::console::api_task::{ApiCommand, ApiEvent, ApiEventKind, RequestId};
use tokendesk::console::app::{App, Effect, Modal, Msg};
use tokendesk::console::ui;
use tokendesk::keys::KeyCode;

#[path = "../tests/support/frame_bytes.rs"]
mod frame_bytes;
use frame_bytes::{Wire, home, key, press};

const ACCOUNT: &str = "ACR0000009000";
const TOKENS: usize = 2000;
/// Done before the timing starts: the batch well under way.
const DONE_BEFORE: usize = 300;
/// Done when a fresh batch is set up for the answers' timing, so that it never ends.
const DONE_AT_MOST: usize = 1200;
const WIDTH: u16 = 80;
const HEIGHT: u16 = 24;

/// The server, as the simulator's bulk account holds it: 2,000 tokens, seven in ten
/// EFFECTIVE.
struct Crm {
    tokens: Vec<Value>,
    by_code: HashMap<String, usize>,
}

impl Crm {
    fn new() -> Crm {
        let tokens: Vec<Value> = tokendesk::simulator::bulk_account(ACCOUNT, TOKENS as u32, 0)
            .into_iter()
            .map(|t| t.data)
            .collect();
        let by_code = tokens
            .iter()
            .enumerate()
            .map(|(at, t)| (t["authentication_code"].as_str().unwrap().to_owned(), at))
            .collect();
        Crm { tokens, by_code }
    }

    fn answer(&mut self, operation: &Operation) -> Reply {
        let code = |identifier: &AccessTokenIdentifier| match identifier {
            AccessTokenIdentifier::AuthenticationCode(code) => code.clone(),
            other => panic!("the batch finds tokens by code, not {other:?}"),
        };
        match operation {
            Operation::List { query, .. } => {
                let page = self
                    .tokens
                    .iter()
                    .skip(query.offset as usize)
                    .take(query.number_of_results as usize)
                    .cloned()
                    .map(Document::from);
                Reply::Tokens(page.collect())
            }
            Operation::Show { identifier, .. } => Reply::Token(Document::from(
                self.tokens[self.by_code[&code(identifier)]].clone(),
            )),
            Operation::Act {
                action, identifier, ..
            } => {
                let token = &mut self.tokens[self.by_code[&code(identifier)]];
                let state = action
                    .resulting_state()
                    .expect("deactivate leads to a state");
                token["life_cycle_state"] = Value::from(state.to_string());
                Reply::Token(Document::from(token.clone()))
            }
            other => panic!("the console sends no {other:?} here"),
        }
    }
}

/// The clerk at the console and the server behind it, as the event loop joins them.
struct Console {
    app: App,
    crm: Crm,
    now: Duration,
    /// The requests sent and not yet answered, oldest first.
    in_flight: Vec<(RequestId, Operation)>,
}

impl Console {
    /// One batch of messages as the event loop makes it: the clock, then `msg`.
    fn send(&mut self, gap: Duration, msg: Msg) {
        self.now += gap;
        for msg in [Msg::Clock(self.now), msg] {
            for effect in self.app.update(msg) {
                if let Effect::Api(ApiCommand::Send { id, operation }) = effect {
                    self.in_flight.push((id, operation));
                }
            }
        }
    }

    /// The server's answer to the oldest request in flight, as the API task would send it.
    fn next_answer(&mut self) -> Msg {
        let (id, operation) = self.in_flight.remove(0);
        let reply = self.crm.answer(&operation);
        Msg::Api(ApiEvent {
            id,
            kind: ApiEventKind::Finished(Ok(reply)),
        })
    }

    fn serve_one(&mut self) {
        let answer = self.next_answer();
        self.send(Duration::from_millis(5), answer);
    }

    fn done(&self) -> usize {
        self.app
            .batch
            .as_ref()
            .map_or(0, |run| run.progress().ended.done)
    }

    /// A 2,000-token deactivation under way: every page of the account marked, confirmed,
    /// and served until `done` tokens are done.
    fn batch_under_way(done: usize) -> Console {
        let mut console = Console {
            app: home(WIDTH, HEIGHT),
            crm: Crm::new(),
            now: Duration::ZERO,
            in_flight: Vec::new(),
        };
        let second = Duration::from_secs(1);
        console.send(second, Msg::Paste(format!("acr:{ACCOUNT}")));
        console.send(second, press(KeyCode::Enter));
        console.serve_one();
        loop {
            console.send(second, key('*'));
            let results = console.app.results.as_ref().expect("a results page");
            if results.marked.len() >= TOKENS {
                break;
            }
            console.send(second, press(KeyCode::PageDown));
            console.serve_one();
        }
        console.send(second, key('d'));
        assert!(
            matches!(console.app.modal, Some(Modal::Batch(_))),
            "d with marks asks"
        );
        console.send(second, key('y'));
        while console.done() < done {
            console.serve_one();
        }
        let run = console.app.batch.as_ref().expect("the batch runs");
        let progress = run.progress();
        assert_eq!(run.items.len(), TOKENS);
        assert_eq!(progress.in_flight, 4, "four in flight");
        assert!(run.running());
        console
    }
}

/// One frame into a `TestBackend`: layout, widgets and ratatui's diff, no terminal I/O.
fn draw(terminal: &mut Terminal<TestBackend>, app: &App) -> Rect {
    terminal
        .draw(|frame| ui::draw(frame, app))
        .map(|f| f.area)
        .expect("draw")
}

/// `Down` through the batch's rows, back to the first at the last.
fn down_or_home(app: &App) -> Msg {
    let at_end = app
        .batch
        .as_ref()
        .is_some_and(|run| run.selected + 1 >= run.items.len());
    press(if at_end { KeyCode::Home } else { KeyCode::Down })
}

/// What such frames put on the wire: exact, so printed once rather than sampled.
fn bytes_per_frame() {
    let mut console = Console::batch_under_way(DONE_BEFORE);
    let mut wire = Wire::new(WIDTH, HEIGHT);
    let mut rows: Vec<(&str, usize)> = Vec::new();
    rows.push(("first frame, batch under way", wire.draw(&console.app)));
    let mut downs = Vec::new();
    for _ in 0..30 {
        let msg = down_or_home(&console.app);
        console.send(Duration::from_millis(100), msg);
        downs.push(wire.draw(&console.app));
    }
    let mean = |sizes: &[usize]| sizes.iter().sum::<usize>() / sizes.len();
    let max = |sizes: &[usize]| sizes.iter().copied().max().unwrap_or(0);
    rows.push(("Down, within the screen (the first)", downs[0]));
    rows.push(("Down, scrolling one row (the last of 30)", downs[29]));
    rows.push(("30 held Downs from the top", downs.iter().sum()));
    let answer_bytes = |console: &mut Console, wire: &mut Wire| {
        let sizes: Vec<usize> = (0..30)
            .map(|_| {
                console.serve_one();
                wire.draw(&console.app)
            })
            .collect();
        (mean(&sizes), max(&sizes))
    };
    let (off_mean, off_max) = answer_bytes(&mut console, &mut wire);
    // The clerk follows the rows in flight: the answers change rows on screen.
    while let Some(run) = console.app.batch.as_ref()
        && !run.items[run.selected].step.in_flight()
    {
        console.send(Duration::from_millis(100), press(KeyCode::Down));
    }
    wire.draw(&console.app);
    let (on_mean, on_max) = answer_bytes(&mut console, &mut wire);
    rows.push((
        "an answer landing, rows in flight off screen (mean of 30)",
        off_mean,
    ));
    rows.push((
        "an answer landing, rows in flight off screen (max of 30)",
        off_max,
    ));
    rows.push((
        "an answer landing, rows in flight on screen (mean of 30)",
        on_mean,
    ));
    rows.push((
        "an answer landing, rows in flight on screen (max of 30)",
        on_max,
    ));
    println!();
    println!("| frame during a 2,000-token batch, 80x24 | bytes |");
    println!("|---|---:|");
    for (what, bytes) in &rows {
        println!("| {what} | {bytes} |");
    }
    println!();
}

fn bench_batch(c: &mut Criterion) {
    bytes_per_frame();

    let mut terminal = Terminal::new(TestBackend::new(WIDTH, HEIGHT)).expect("test backend");
    let mut console = Console::batch_under_way(DONE_BEFORE);
    draw(&mut terminal, &console.app);

    c.bench_function("2,000-token batch: ui::draw alone, 80x24", |b| {
        b.iter(|| black_box(draw(&mut terminal, black_box(&console.app))))
    });

    // The clerk moves through the rows while the batch runs: nothing is answered meanwhile.
    c.bench_function("2,000-token batch: key Down + draw, 80x24", |b| {
        b.iter(|| {
            let msg = down_or_home(&console.app);
            console.send(Duration::from_millis(100), msg);
            black_box(draw(&mut terminal, &console.app))
        })
    });

    // An answer lands: a read leads to the action, an action's answer settles the token
    // and sends the next read. The answer is made outside the timed part, and a fresh
    // batch replaces one that has done DONE_AT_MOST.
    c.bench_function("2,000-token batch: an API answer + draw, 80x24", |b| {
        b.iter_custom(|iterations| {
            let mut total = Duration::ZERO;
            for _ in 0..iterations {
                if console.done() >= DONE_AT_MOST {
                    console = Console::batch_under_way(DONE_BEFORE);
                    draw(&mut terminal, &console.app);
                }
                let answer = console.next_answer();
                let start = Instant::now();
                console.send(Duration::from_millis(5), answer);
                black_box(draw(&mut terminal, &console.app));
                total += start.elapsed();
            }
            total
        })
    });

    let progress = console.app.batch.as_ref().map(|run| run.progress());
    eprintln!("the batch at the end of the timing: {progress:?}");
}

criterion_group! {
    name = benches;
    config = Criterion::default();
    targets = bench_batch
}
criterion_main!(benches);
