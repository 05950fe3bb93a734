//! What one frame costs: the bytes it puts on the wire (what a clerk on a slow SSH link
//! waits for) and the time to draw it, and the time of a key press on a ~68,000-node token.
//!
//! Bytes are counted through the real path, `ratatui::Terminal` over `CrosstermBackend`,
//! into a writer that only counts; they are exact and printed as a table before the timings.

use std::cell::Cell;
use std::hint::black_box;
use std::io::{self, Write};
use std::rc::Rc;
use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};
use ratatui::backend::{CrosstermBackend, TestBackend};
use ratatui::layout::Rect;
use ratatui::{Terminal, TerminalOptions, Viewport};
use serde_json::Value;
use tokendesk::api::Reply;
use tokendesk::api::task::{ApiCommand, ApiEvent, ApiEventKind};
use tokendesk::app::keymap::{Key, KeyCode};
use tokendesk::app::{App, Effect, Environment, Msg};
use tokendesk::ui;

mod support;
use support::{big_token, select_row};

/// Counts what is written and throws it away.
#[derive(Clone, Default)]
struct Counter(Rc<Cell<usize>>);

impl Write for Counter {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.set(self.0.get() + buf.len());
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// A terminal of a fixed size over crossterm, writing into a `Counter`.
struct Wire {
    terminal: Terminal<CrosstermBackend<Counter>>,
    count: Counter,
}

impl Wire {
    fn new(width: u16, height: u16) -> Wire {
        let count = Counter::default();
        let terminal = Terminal::with_options(
            CrosstermBackend::new(count.clone()),
            TerminalOptions {
                viewport: Viewport::Fixed(Rect::new(0, 0, width, height)),
            },
        )
        .expect("a fixed viewport needs no terminal");
        Wire { terminal, count }
    }

    /// Draws `app` and returns the bytes that frame wrote.
    fn draw(&mut self, app: &App) -> usize {
        let before = self.count.0.get();
        self.terminal
            .draw(|frame| ui::draw(frame, app))
            .expect("draw");
        self.count.0.get() - before
    }
}

fn environment() -> Environment {
    Environment {
        host: "127.0.0.1:35729".into(),
        user: "clerk".into(),
        organisation: "DEMO".into(),
        demo: true,
        label: tokendesk::label::Label::resolve(None, None, "127.0.0.1:35729"),
        read_only: false,
    }
}

fn key(c: char) -> Msg {
    Msg::Key(Key::char(c))
}

fn press(code: KeyCode) -> Msg {
    Msg::Key(Key::plain(code))
}

/// The request id the app just asked the API task to send.
fn sent(effects: &[Effect]) -> tokendesk::api::task::RequestId {
    effects
        .iter()
        .find_map(|e| match e {
            Effect::Api(ApiCommand::Send { id, .. }) => Some(*id),
            _ => None,
        })
        .expect("the key sent a request")
}

/// An app as the demo opens it, at `width`x`height`.
fn home(width: u16, height: u16) -> App {
    let mut app = App::new(environment(), width, height);
    let tokens: Vec<_> = tokendesk::simulator::demo_tokens()
        .into_iter()
        .map(|t| t.data)
        .collect();
    app.suggestions = tokendesk::app::suggestions::for_demo(&tokens);
    app
}

/// Searches for `code` and answers the request with `token`: the token screen.
fn open(app: &mut App, code: &str, token: Value) {
    app.update(Msg::Paste(code.into()));
    let id = sent(&app.update(press(KeyCode::Enter)));
    app.update(Msg::Api(ApiEvent {
        id,
        kind: ApiEventKind::Finished(Ok(Reply::Token(token.into()))),
    }));
    assert!(app.token.is_some(), "the answer opened the token");
}

/// The demo's AT0000000671, exactly as the simulator serves it.
fn demo_token() -> Value {
    tokendesk::simulator::demo_tokens()
        .into_iter()
        .map(|t| t.data)
        .find(|d| d["authentication_code"] == "99021047380")
        .expect("the demo has 99021047380")
}

fn demo_app(width: u16, height: u16) -> App {
    let mut app = home(width, height);
    open(&mut app, "99021047380", demo_token());
    app
}

/// The bytes table: exact, so printed once rather than sampled.
fn bytes_per_frame() {
    let mut rows: Vec<(&str, usize)> = Vec::new();

    let mut wire = Wire::new(80, 24);
    let mut app = home(80, 24);
    rows.push(("first frame, home screen (demo hints)", wire.draw(&app)));
    rows.push(("same state drawn again (no change)", wire.draw(&app)));

    let mut wire = Wire::new(80, 24);
    let mut app_token = demo_app(80, 24);
    rows.push(("first frame, token AT0000000671", wire.draw(&app_token)));
    app_token.update(key('j'));
    rows.push(("cursor move (j)", wire.draw(&app_token)));
    app_token.update(key('j'));
    rows.push(("cursor move (j), again", wire.draw(&app_token)));
    app_token.update(key('E'));
    rows.push(("expand all (E)", wire.draw(&app_token)));
    app_token.update(key('C'));
    rows.push(("collapse all (C)", wire.draw(&app_token)));
    // R re-reads: a request in flight, then the spinner's 100 ms ticks.
    app_token.update(key('R'));
    rows.push(("request starts (R): spinner appears", wire.draw(&app_token)));
    let mut ticks = Vec::new();
    for n in 1..=10u64 {
        app_token.update(Msg::Clock(Duration::from_millis(100 * n)));
        ticks.push(wire.draw(&app_token));
    }
    let mean = ticks.iter().sum::<usize>() / ticks.len();
    rows.push(("spinner tick (mean of 10, 100 ms apart)", mean));
    rows.push((
        "spinner tick (max of 10)",
        ticks.iter().copied().max().unwrap_or(0),
    ));

    // Typing one letter in the search line, for scale.
    app.update(key('9'));
    let mut wire = Wire::new(80, 24);
    wire.draw(&home(80, 24));
    rows.push(("one letter typed in the search line", wire.draw(&app)));

    let mut wire = Wire::new(200, 60);
    let app_wide = demo_app(200, 60);
    rows.push(("first frame, token, 200x60", wire.draw(&app_wide)));

    println!();
    println!("| frame (80x24 unless said) | bytes |");
    println!("|---|---:|");
    for (what, bytes) in &rows {
        println!("| {what} | {bytes} |");
    }
    println!();
}

/// One frame into a `TestBackend`: layout, widgets and ratatui's diff, no terminal I/O.
fn draw(terminal: &mut Terminal<TestBackend>, app: &App) -> Rect {
    terminal
        .draw(|frame| ui::draw(frame, app))
        .map(|f| f.area)
        .expect("draw")
}

fn bench_frames(c: &mut Criterion) {
    bytes_per_frame();

    // ui::draw into a TestBackend: layout, widgets and ratatui's diff, no terminal I/O.
    for (width, height) in [(80u16, 24u16), (200, 60)] {
        let mut token_app = demo_app(width, height);
        token_app.update(key('E'));
        let mut terminal = Terminal::new(TestBackend::new(width, height)).expect("test backend");
        for (screen, app) in [("token expanded", token_app), ("home", home(width, height))] {
            c.bench_function(
                &format!("ui::draw, {screen}, TestBackend {width}x{height}"),
                |b| b.iter(|| draw(&mut terminal, black_box(&app))),
            );
        }
    }

    // A key press on the big token: App::update, then the frame, as the event loop does.
    let token = big_token();
    let mut app = home(80, 24);
    open(&mut app, "99021047380", token);
    let nodes = app.token.as_ref().map_or(0, |t| t.tree.node_count());
    eprintln!("big token: {nodes} nodes");
    let mut terminal = Terminal::new(TestBackend::new(80, 24)).expect("test backend");
    let mut step = |app: &mut App, msg: Msg| {
        app.update(msg);
        draw(&mut terminal, app)
    };

    // j with everything open: the cursor walks 68k rows, wrapping to the top at the end.
    step(&mut app, key('E'));
    c.bench_function("key j + draw (68k nodes, all expanded)", |b| {
        b.iter(|| {
            let at_end = app
                .token
                .as_ref()
                .is_some_and(|t| t.tree.cursor() + 1 == t.tree.visible().len());
            let msg = if at_end {
                press(KeyCode::Home)
            } else {
                key('j')
            };
            black_box(step(&mut app, msg))
        })
    });

    // Space on the 2,000-item array, collapsed around it: 2,000 rows in, then out.
    step(&mut app, key('C'));
    if let Some(token) = app.token.as_mut() {
        select_row(&mut token.tree, "Entries");
    }
    c.bench_function("key Space + draw (toggle the 2,000-item array)", |b| {
        b.iter(|| black_box(step(&mut app, key(' '))))
    });

    // E from all collapsed; the collapse (C) before each press is not timed.
    c.bench_function("key E + draw (expand all 68k nodes)", |b| {
        b.iter_custom(|iterations| {
            let mut total = Duration::ZERO;
            for _ in 0..iterations {
                step(&mut app, key('C'));
                let start = Instant::now();
                black_box(step(&mut app, key('E')));
                total += start.elapsed();
            }
            total
        })
    });

    bench_paste(c);
}

/// A 100 KB paste: into the search line (cut to its length) and into the delete
/// confirmation (kept whole), each from an empty line, with the frame after it.
fn bench_paste(c: &mut Criterion) {
    let paste = "9".repeat(100 * 1024);
    let mut terminal = Terminal::new(TestBackend::new(80, 24)).expect("test backend");
    c.bench_function("paste 100 KB into the search line + draw", |b| {
        b.iter_batched(
            || home(80, 24),
            |mut app| {
                app.update(Msg::Paste(paste.clone()));
                black_box(draw(&mut terminal, &app))
            },
            criterion::BatchSize::SmallInput,
        )
    });
    // Delete needs a NOT_EFFECTIVE token.
    let mut not_effective = demo_token();
    not_effective["life_cycle_state"] = Value::from("NOT_EFFECTIVE");
    c.bench_function("paste 100 KB into the delete confirmation + draw", |b| {
        b.iter_batched(
            || {
                let mut app = home(80, 24);
                open(&mut app, "99021047380", not_effective.clone());
                app.update(key('X'));
                assert!(app.modal.is_some(), "the delete confirmation is open");
                app
            },
            |mut app| {
                app.update(Msg::Paste(paste.clone()));
                black_box(draw(&mut terminal, &app))
            },
            criterion::BatchSize::SmallInput,
        )
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default();
    targets = bench_frames
}
criterion_main!(benches);
