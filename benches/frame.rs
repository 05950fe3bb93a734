//! What one frame costs: the bytes it puts on the wire (what a clerk on a slow SSH link
//! waits for) and the time to draw it, and the time of a key press on a ~68,000-node token.
//!
//! Bytes are counted through the console's own screen (`ui::frame_bytes::Screen`: ratatui's
//! `Terminal` over crossterm, scrolling by the terminal) into a tape, with the harness
//! `tests/console/bytes.rs` uses; they are exact and printed as a table before the timings.

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::layout::Rect;
use serde_json::Value;
use tokendesk::console::app::{App, Msg};
use tokendesk::console::ui;
use tokendesk::keys::KeyCode;

mod support;
use support::{big_token, select_row};
#[path = "../tests/support/frame_bytes.rs"]
mod frame_bytes;
use frame_bytes::{
    Wire, demo_app, demo_token, history_app, home, key, open, press, press_served, recent_list_app,
    results_app,
};

/// The bytes table: exact, so printed once rather than sampled. The rows with a budget are
/// held by `tests/console/bytes.rs`.
fn bytes_per_frame() {
    let mut rows: Vec<(String, usize)> = Vec::new();
    let mut row = |what: &str, bytes: usize| rows.push((what.to_owned(), bytes));

    let mut wire = Wire::new(80, 24);
    let mut app = home(80, 24);
    row("first frame, home screen (demo hints)", wire.draw(&app));
    row("same state drawn again (no change)", wire.draw(&app));

    for (width, height) in [(80u16, 24u16), (120, 40)] {
        let size = format!("{width}x{height}");
        let mut wire = Wire::new(width, height);
        let mut token = demo_app(width, height);
        row(
            &format!("first frame, token AT0000000671, {size}"),
            wire.draw(&token),
        );
        token.update(key('j'));
        row(&format!("cursor move (j), {size}"), wire.draw(&token));
        token.update(key('k'));
        row(&format!("cursor move (k), {size}"), wire.draw(&token));
        token.update(key('E'));
        row(&format!("expand all (E), {size}"), wire.draw(&token));
        let mut held = 0;
        for _ in 0..30 {
            token.update(key('j'));
            held += wire.draw(&token);
        }
        row(
            &format!("30 held moves (j) down the expanded token, {size}"),
            held,
        );
        token.update(key('j'));
        row(
            &format!("one more move, scrolling one row, {size}"),
            wire.draw(&token),
        );
        token.update(press(KeyCode::PageDown));
        row(&format!("page down, {size}"), wire.draw(&token));
        row(
            &format!("idle (drawn again, no change), {size}"),
            wire.draw(&token),
        );
        token.update(key('C'));
        row(&format!("collapse all (C), {size}"), wire.draw(&token));
        // R re-reads: a request in flight, then the spinner's 100 ms ticks.
        token.update(key('R'));
        row(
            &format!("request starts (R): spinner appears, {size}"),
            wire.draw(&token),
        );
        let mut ticks = Vec::new();
        for n in 1..=30u64 {
            token.update(Msg::Clock(Duration::from_millis(100 * n)));
            ticks.push(wire.draw(&token));
        }
        let mean = ticks.iter().sum::<usize>() / ticks.len();
        row(
            &format!("spinner tick (mean of 30, 100 ms apart), {size}"),
            mean,
        );
        let max = ticks.iter().copied().max().unwrap_or(0);
        row(&format!("spinner tick (max of 30), {size}"), max);
    }

    // The other views that scroll (issue 21): a move of the highlight, and a scroll by a
    // line, down (past the last row on screen: the results read on) and back up.
    for (width, height) in [(80u16, 24u16), (120, 40)] {
        let size = format!("{width}x{height}");
        let listed = 100;
        let page = tokendesk::console::app::layout::results_rows(width, height, 1);
        let step = |app: &mut App, wire: &mut Wire, msg: Msg| {
            press_served(app, msg, listed);
            wire.draw(app)
        };
        let mut wire = Wire::new(width, height);
        let mut results = results_app(width, height, listed);
        wire.draw(&results);
        row(
            &format!("results: move (j), {size}"),
            step(&mut results, &mut wire, key('j')),
        );
        for _ in 2..page {
            step(&mut results, &mut wire, key('j'));
        }
        row(
            &format!("results: j past the last row (reads on, scrolls a line), {size}"),
            step(&mut results, &mut wire, key('j')),
        );
        for _ in 1..page {
            step(&mut results, &mut wire, key('k'));
        }
        row(
            &format!("results: k above the first row (scrolls a line), {size}"),
            step(&mut results, &mut wire, key('k')),
        );

        let mut batch = results_app(width, height, listed);
        batch.update(key('*'));
        batch.update(key('d'));
        batch.update(Msg::Clock(Duration::from_secs(5)));
        batch.update(key('y'));
        // A row shorter, so the batch's rows go past the screen.
        batch.update(Msg::Resize {
            width,
            height: height - 1,
        });
        let mut wire = Wire::new(width, height - 1);
        wire.draw(&batch);
        row(
            &format!("a batch's rows: Down, {size}"),
            step(&mut batch, &mut wire, press(KeyCode::Down)),
        );
        for _ in 2..page - 1 {
            step(&mut batch, &mut wire, press(KeyCode::Down));
        }
        row(
            &format!("a batch's rows: Down, scrolling a line, {size}"),
            step(&mut batch, &mut wire, press(KeyCode::Down)),
        );

        let mut wire = Wire::new(width, height);
        let mut raw = demo_app(width, height);
        raw.update(key('r'));
        wire.draw(&raw);
        row(
            &format!("raw JSON: j, scrolling a line, {size}"),
            step(&mut raw, &mut wire, key('j')),
        );

        let mut wire = Wire::new(width, height);
        let mut help = home(width, height);
        help.update(key('?'));
        wire.draw(&help);
        row(
            &format!("help: j, scrolling a line, {size}"),
            step(&mut help, &mut wire, key('j')),
        );

        let mut wire = Wire::new(width, height);
        let mut history = history_app(width, height, 60);
        wire.draw(&history);
        row(
            &format!("a token's history: j, scrolling a line, {size}"),
            step(&mut history, &mut wire, key('j')),
        );

        let mut wire = Wire::new(width, height);
        let mut recent = recent_list_app(width, height, 50);
        wire.draw(&recent);
        row(
            &format!("the recent list: Down, {size}"),
            step(&mut recent, &mut wire, press(KeyCode::Down)),
        );
        // To the last token on screen, below the filter line and a blank one.
        let shown = tokendesk::console::app::scrolling::visible_lines(
            height,
            tokendesk::console::app::recall::RECENT_HEAD_ROWS,
        );
        for _ in 2..shown {
            step(&mut recent, &mut wire, press(KeyCode::Down));
        }
        row(
            &format!("the recent list: Down, scrolling a line, {size}"),
            step(&mut recent, &mut wire, press(KeyCode::Down)),
        );
    }

    // Typing one letter in the search line, for scale.
    app.update(key('9'));
    let mut wire = Wire::new(80, 24);
    wire.draw(&home(80, 24));
    row("one letter typed in the search line", wire.draw(&app));

    let mut wire = Wire::new(200, 60);
    row("first frame, token, 200x60", wire.draw(&demo_app(200, 60)));

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
