//! What frames put on the wire, shared by `tests/console/bytes.rs` (the byte budgets) and
//! `benches/frame.rs` (the table): the console's own `ui::frame_bytes::Screen` over a writer that
//! keeps every byte, and a real `App` driven by messages. A `vt100` parser fed the same
//! bytes says what a terminal would show.
#![allow(dead_code)]

use std::cell::RefCell;
use std::io::{self, Write};
use std::num::NonZeroU16;
use std::rc::Rc;

use serde_json::Value;
use tokendesk::api::Reply;
use tokendesk::console::api_task::{ApiCommand, ApiEvent, ApiEventKind, RequestId};
use tokendesk::console::app::{App, Effect, Environment, Msg};
use tokendesk::console::ui::frame_bytes::Screen;
use tokendesk::keys::{Key, KeyCode};

/// Keeps what is written.
#[derive(Clone, Default)]
pub struct Tape(Rc<RefCell<Vec<u8>>>);

impl Write for Tape {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.borrow_mut().extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// A terminal of a fixed size: the console's screen writing onto a tape.
pub struct Wire {
    screen: Screen<Tape>,
    tape: Tape,
    pub width: u16,
    pub height: u16,
}

impl Wire {
    pub fn new(width: u16, height: u16) -> Wire {
        Wire::with_scroll_regions(width, height, true)
    }

    /// A terminal without scroll regions when `scroll_regions` is false (`TERM=dumb`).
    pub fn with_scroll_regions(width: u16, height: u16, scroll_regions: bool) -> Wire {
        let tape = Tape::default();
        let screen = Screen::fixed(tape.clone(), width, height, scroll_regions);
        Wire {
            screen,
            tape,
            width,
            height,
        }
    }

    /// Draws `app` and returns the bytes that frame wrote.
    pub fn draw(&mut self, app: &App) -> usize {
        self.draw_bytes(app).len()
    }

    /// Draws `app` and returns what that frame wrote.
    pub fn draw_bytes(&mut self, app: &App) -> Vec<u8> {
        let before = self.tape.0.borrow().len();
        self.screen.draw(app).expect("draw");
        self.tape.0.borrow()[before..].to_vec()
    }

    /// The terminal is resized: the screen follows, as the console's does on its own.
    pub fn resize(&mut self, width: u16, height: u16) {
        self.screen.resize(width, height).expect("resize");
        self.width = width;
        self.height = height;
    }

    /// Every byte written so far.
    pub fn bytes(&self) -> Vec<u8> {
        self.tape.0.borrow().clone()
    }
}

/// What a terminal shows after `bytes`, resized where the wire was: each `(width, height,
/// from)` in `sizes` applies from byte `from` on.
pub fn terminal_after(sizes: &[(u16, u16, usize)], bytes: &[u8]) -> vt100::Parser {
    let (width, height, _) = sizes[0];
    let mut parser = vt100::Parser::new(nonzero(height), nonzero(width), 0);
    let mut done = 0;
    for &(width, height, from) in sizes {
        parser.process(&bytes[done..from]);
        parser
            .screen_mut()
            .set_size(nonzero(height), nonzero(width));
        done = from;
    }
    parser.process(&bytes[done..]);
    parser
}

fn nonzero(n: u16) -> NonZeroU16 {
    NonZeroU16::new(n).expect("a screen is at least one cell")
}

/// Every row of a terminal's screen: its text, then each run of cells of one look (the
/// colours and attributes) with its length.
pub fn cells(screen: &vt100::Screen) -> Vec<String> {
    let (rows, columns) = screen.size();
    let (rows, columns) = (rows.get(), columns.get());
    (0..rows)
        .map(|row| {
            row_of(
                (0..columns)
                    .filter_map(|column| screen.cell(row, column))
                    .map(|c| {
                        let text = if c.has_contents() { c.contents() } else { " " };
                        let look = format!(
                            "{:?}/{:?}/{}{}{}{}{}",
                            c.fgcolor(),
                            c.bgcolor(),
                            u8::from(c.bold()),
                            u8::from(c.dim()),
                            u8::from(c.italic()),
                            u8::from(c.underline()),
                            u8::from(c.inverse())
                        );
                        (text.to_owned(), look)
                    }),
            )
        })
        .collect()
}

/// A row's cells, each its text and its look, written as its text, then each run of cells
/// of one look with its length.
fn row_of(cells: impl Iterator<Item = (String, String)>) -> String {
    let mut text = String::new();
    let mut looks: Vec<(String, usize)> = Vec::new();
    for (symbol, look) in cells {
        text.push_str(&symbol);
        match looks.last_mut() {
            Some((last, n)) if *last == look => *n += 1,
            _ => looks.push((look, 1)),
        }
    }
    let looks: Vec<String> = looks.iter().map(|(l, n)| format!("{n}x{l}")).collect();
    format!("{text:?} {}", looks.join(" "))
}

/// The rows of a frame as ratatui drew them, written as `cells` writes a terminal's: its
/// text, then each run of cells of one look, the colours as a terminal numbers them.
pub fn drawn_cells(app: &App) -> Vec<String> {
    use ratatui::style::{Color, Modifier};
    let mut terminal =
        ratatui::Terminal::new(ratatui::backend::TestBackend::new(app.width, app.height))
            .expect("a test backend");
    let frame = terminal
        .draw(|frame| tokendesk::console::ui::draw(frame, app))
        .expect("a draw");
    let buffer = frame.buffer;
    let colour = |c: Color| match c {
        Color::Reset => vt100::Color::Default,
        Color::Black => vt100::Color::Idx(0),
        Color::Red => vt100::Color::Idx(1),
        Color::Green => vt100::Color::Idx(2),
        Color::Yellow => vt100::Color::Idx(3),
        Color::Blue => vt100::Color::Idx(4),
        Color::Magenta => vt100::Color::Idx(5),
        Color::Cyan => vt100::Color::Idx(6),
        Color::Gray => vt100::Color::Idx(7),
        Color::DarkGray => vt100::Color::Idx(8),
        Color::LightRed => vt100::Color::Idx(9),
        Color::LightGreen => vt100::Color::Idx(10),
        Color::LightYellow => vt100::Color::Idx(11),
        Color::LightBlue => vt100::Color::Idx(12),
        Color::LightMagenta => vt100::Color::Idx(13),
        Color::LightCyan => vt100::Color::Idx(14),
        Color::White => vt100::Color::Idx(15),
        Color::Indexed(i) => vt100::Color::Idx(i),
        Color::Rgb(r, g, b) => vt100::Color::Rgb(r, g, b),
    };
    (0..app.height)
        .map(|y| {
            row_of((0..app.width).map(|x| {
                let cell = &buffer[(x, y)];
                let on = |m: Modifier| u8::from(cell.modifier.contains(m));
                let look = format!(
                    "{:?}/{:?}/{}{}{}{}{}",
                    colour(cell.fg),
                    colour(cell.bg),
                    on(Modifier::BOLD),
                    on(Modifier::DIM),
                    on(Modifier::ITALIC),
                    on(Modifier::UNDERLINED),
                    on(Modifier::REVERSED)
                );
                (cell.symbol().to_owned(), look)
            }))
        })
        .collect()
}

/// What `app` looks like drawn whole on a fresh terminal of its size.
pub fn fresh(app: &App) -> vt100::Parser {
    let mut wire = Wire::new(app.width, app.height);
    wire.draw(app);
    terminal_after(&[(app.width, app.height, 0)], &wire.bytes())
}

pub fn environment() -> Environment {
    Environment {
        host: "127.0.0.1:35729".into(),
        user: "clerk".into(),
        organisation: "DEMO".into(),
        demo: true,
        label: tokendesk::setup::environment_label::Label::resolve(None, None, "127.0.0.1:35729"),
        read_only: false,
    }
}

pub fn key(c: char) -> Msg {
    Msg::Key(Key::char(c))
}

pub fn press(code: KeyCode) -> Msg {
    Msg::Key(Key::plain(code))
}

/// The request id the app just asked the API task to send.
pub fn sent(effects: &[Effect]) -> RequestId {
    effects
        .iter()
        .find_map(|e| match e {
            Effect::Api(ApiCommand::Send { id, .. }) => Some(*id),
            _ => None,
        })
        .expect("the key sent a request")
}

/// An app as the demo opens it, at `width`x`height`.
pub fn home(width: u16, height: u16) -> App {
    let mut app = App::new(environment(), width, height);
    let tokens: Vec<_> = tokendesk::simulator::demo_tokens()
        .into_iter()
        .map(|t| t.data)
        .collect();
    app.suggestions = tokendesk::console::app::search::suggestions::for_demo(&tokens);
    app
}

/// Searches for `code` and answers the request with `token`: the token screen.
pub fn open(app: &mut App, code: &str, token: Value) {
    app.update(Msg::Paste(code.into()));
    let id = sent(&app.update(press(KeyCode::Enter)));
    app.update(Msg::Api(ApiEvent {
        id,
        kind: ApiEventKind::Finished(Ok(Reply::Token(token.into()))),
    }));
    assert!(app.token.is_some(), "the answer opened the token");
}

/// The demo's AT0000000671, exactly as the simulator serves it.
pub fn demo_token() -> Value {
    tokendesk::simulator::demo_tokens()
        .into_iter()
        .map(|t| t.data)
        .find(|d| d["authentication_code"] == "99021047380")
        .expect("the demo has 99021047380")
}

/// The demo's AT0000000671 open on the token screen.
pub fn demo_app(width: u16, height: u16) -> App {
    let mut app = home(width, height);
    open(&mut app, "99021047380", demo_token());
    app
}

/// Tokens `from..to` of a long list, each its own (number, code), made from the seed token.
pub fn listed(from: usize, to: usize) -> Vec<Value> {
    let seed = demo_token();
    (from..to)
        .map(|n| {
            let mut token = seed.clone();
            token["number"] = format!("AT{n:010}").into();
            token["authentication_code"] = format!("9{n:010}").into();
            token
        })
        .collect()
}

/// Answers the list request among `effects` as a list of `total` tokens would; whether
/// there was one.
pub fn serve_list(app: &mut App, effects: &[Effect], total: usize) -> bool {
    use tokendesk::api::{Document, Operation};
    let Some((id, query)) = effects.iter().find_map(|e| match e {
        Effect::Api(ApiCommand::Send {
            id,
            operation: Operation::List { query, .. },
        }) => Some((*id, query.clone())),
        _ => None,
    }) else {
        return false;
    };
    let from = (query.offset as usize).min(total);
    let to = (from + query.number_of_results as usize).min(total);
    let tokens = listed(from, to).into_iter().map(Document::from).collect();
    app.update(Msg::Api(ApiEvent {
        id,
        kind: ApiEventKind::Finished(Ok(Reply::Tokens(tokens))),
    }));
    true
}

/// Presses `msg` and answers the list request it sends, if any, from a list of `total`.
pub fn press_served(app: &mut App, msg: Msg, total: usize) {
    let effects = app.update(msg);
    serve_list(app, &effects, total);
}

/// The results of `acr:ACR1`, a list of `total` tokens, its first page read.
pub fn results_app(width: u16, height: u16, total: usize) -> App {
    let mut app = home(width, height);
    app.update(Msg::Paste("acr:ACR1".into()));
    press_served(&mut app, press(KeyCode::Enter), total);
    assert!(app.results.is_some(), "the list answer opened the results");
    app
}

/// The home screen with `count` recent tokens (each its own number and code, a third of
/// them NOT_EFFECTIVE), their list open (`Ctrl-r`).
pub fn recent_list_app(width: u16, height: u16, count: usize) -> App {
    use tokendesk::console::app::recall::Recent;
    use tokendesk::recent::RecentToken;
    let mut app = home(width, height);
    let server = app.recent_server();
    let tokens = (0..count)
        .map(|n| RecentToken {
            number: format!("AT{n:010}"),
            code: format!("9{n:010}"),
            state: if n % 3 == 0 {
                "NOT_EFFECTIVE"
            } else {
                "EFFECTIVE"
            }
            .into(),
            seen: format!("2026-12-05T{:02}:{:02}:00Z", 9 + n / 60, 59 - n % 60),
            server: Some(server.clone()),
        })
        .collect();
    app.recent = Recent::new(true, tokens);
    app.update(Msg::Key(Key::ctrl('r')));
    app
}

/// The demo's token with its history open (`H`), `count` rows read from the log (every
/// fifth with a reason under it).
pub fn history_app(width: u16, height: u16, count: usize) -> App {
    use tokendesk::audit::read::HistoryRow;
    let rows = (0..count)
        .map(|n| HistoryRow {
            time: format!("2026-12-{:02} 09:30:{:02}", 1 + n / 60, n % 60),
            operator: "clerk".into(),
            action: if n % 2 == 0 { "deactivate" } else { "activate" }.into(),
            result: "done".into(),
            reason: (n % 5 == 0).then(|| format!("INC-{n}")),
        })
        .collect();
    let mut app = demo_app(width, height);
    app.update(key('H'));
    app.update(Msg::HistoryRead(Ok(rows)));
    app
}
