//! What goes to the terminal, kept small: over a 9,600-baud link a clerk waits for every
//! byte. Two things on top of ratatui's cell diff:
//!
//! - `LeanBackend` remembers the terminal's pen (colours and attributes), its cursor and
//!   whether the cursor shows, across frames, and writes the shortest sequences for them
//!   itself (crossterm's are longer; it still prints the cells and hides or shows the
//!   cursor): no style reset at the end of every frame, no cursor hide or move that
//!   changes nothing.
//! - `Screen` scrolls a view (the tree, the raw JSON, the results, a batch's rows, the
//!   help, a token's history, the recent list: `ui::scroll_view` says which rows are
//!   whose) with the terminal's own scroll
//!   region (DECSTBM with SU/SD) when the view's offset moved by fewer rows than it holds, and
//!   shifts its copy of the last frame to match, so the diff redraws only the rows that
//!   came into view. The scroll is decided from the app's state (how far the view's offset
//!   moved), never guessed from the cells; without scroll regions (`TERM=dumb`) or after a
//!   resize the diff alone redraws.

use std::io::{self, Write};
use std::ops::Range;

use crossterm::cursor::{Hide, Show};
use crossterm::queue;
use crossterm::style::Print;
use ratatui::backend::{Backend, ClearType, CrosstermBackend, WindowSize};
use ratatui::buffer::{Buffer, Cell};
use ratatui::layout::{Position, Rect, Size};
use ratatui::style::{Color, Modifier};
use ratatui::{Terminal, TerminalOptions, Viewport};
use unicode_width::UnicodeWidthStr;

use super::scroll::ScrollView;
use crate::console::app::App;

/// The colours and attributes the terminal draws with.
#[derive(Clone, Copy, PartialEq, Eq)]
struct Pen {
    fg: Color,
    bg: Color,
    modifier: Modifier,
}

const PLAIN: Pen = Pen {
    fg: Color::Reset,
    bg: Color::Reset,
    modifier: Modifier::empty(),
};

/// A ratatui backend over crossterm that writes only what changes the terminal.
pub struct LeanBackend<W: Write> {
    inner: CrosstermBackend<W>,
    /// The terminal's pen, once this backend has set it.
    pen: Option<Pen>,
    /// Where the terminal's cursor is, when known.
    at: Option<Position>,
    /// Whether the cursor shows, once this backend has said.
    cursor_shown: Option<bool>,
    /// The rows a scroll just opened, blank on the terminal and in the frame's cells
    /// skipped there: a short step right over them is written as spaces, shorter than a
    /// cursor move.
    opened: Range<u16>,
}

impl<W: Write> LeanBackend<W> {
    pub fn new(writer: W) -> LeanBackend<W> {
        LeanBackend {
            inner: CrosstermBackend::new(writer),
            pen: None,
            at: None,
            cursor_shown: None,
            opened: 0..0,
        }
    }

    fn writer(&mut self) -> &mut W {
        self.inner.writer_mut()
    }

    /// Changes the pen in one SGR sequence: only what differs, or a reset and all of `to`
    /// when that is shorter (always the first time, when the terminal's pen is unknown).
    fn set_pen(&mut self, to: Pen) -> io::Result<()> {
        if self.pen == Some(to) {
            return Ok(());
        }
        let mut reset = vec!["0".to_owned()];
        reset.extend(pen_params(to));
        if reset.len() == 1 {
            // A bare `ESC[m` resets.
            reset.clear();
        }
        let params = match self.pen {
            Some(from) => {
                let changes = changed_params(from, to);
                if sgr_len(&changes) <= sgr_len(&reset) {
                    changes
                } else {
                    reset
                }
            }
            None => reset,
        };
        write!(self.writer(), "\x1b[{}m", params.join(";"))?;
        self.pen = Some(to);
        Ok(())
    }

    /// Moves the cursor the shortest way: not at all, a carriage return, a line feed to the
    /// start of the next row, a step along the row or down the column where it can, else
    /// to the row and column (the column left out when it is the first).
    fn move_to(&mut self, to: Position) -> io::Result<()> {
        let (row, column) = (to.y + 1, to.x + 1);
        match self.at {
            Some(at) if at == to => {}
            Some(at) if at.y == to.y && to.x == 0 => self.writer().write_all(b"\r")?,
            // Within the screen (never from its last row) a line feed scrolls nothing.
            Some(at) if to.y == at.y + 1 && to.x == 0 => self.writer().write_all(b"\r\n")?,
            Some(at) if at.y == to.y && to.x > at.x => step(self.writer(), to.x - at.x, 'C')?,
            Some(at) if at.x == to.x && to.y > at.y => step(self.writer(), to.y - at.y, 'B')?,
            Some(at) if at.y == to.y => write!(self.writer(), "\x1b[{column}G")?,
            _ if to.x == 0 => write!(self.writer(), "\x1b[{row}H")?,
            _ => write!(self.writer(), "\x1b[{row};{column}H")?,
        }
        self.at = Some(to);
        Ok(())
    }

    /// Over a short gap in a row a scroll just opened, with the plain pen on or about to
    /// be (the next cell's): spaces of the plain pen, shorter than a cursor move, are what
    /// the gap holds. Whether it did.
    fn fill_gap(&mut self, to: Position, pen: Pen) -> io::Result<bool> {
        let Some(at) = self.at else { return Ok(false) };
        let gap = to.x.saturating_sub(at.x);
        let plain = pen == PLAIN || self.pen == Some(PLAIN);
        if at.y != to.y || !(1..=3).contains(&gap) || !self.opened.contains(&at.y) || !plain {
            return Ok(false);
        }
        self.set_pen(PLAIN)?;
        self.writer().write_all(&b"   "[..usize::from(gap)])?;
        self.at = Some(to);
        Ok(true)
    }

    /// Scrolls the rows of `region` by `amount`, up (`S`) or down (`T`): the region set
    /// (DECSTBM), scrolled (SU or SD) and reset, the count left out when it is one.
    fn scroll_region(
        &mut self,
        region: Range<u16>,
        amount: u16,
        direction: char,
    ) -> io::Result<()> {
        self.plain_background()?;
        // Setting and resetting the region home the cursor.
        self.at = None;
        let writer = self.writer();
        write!(writer, "\x1b[{};{}r", region.start + 1, region.end)?;
        step(writer, amount, direction)?;
        writer.write_all(b"\x1b[r")
    }

    /// Blank rows (after a scroll or a clear) take the current background on most
    /// terminals: make it the default first.
    fn plain_background(&mut self) -> io::Result<()> {
        if let Some(pen) = self.pen
            && pen.bg != Color::Reset
        {
            self.set_pen(Pen {
                bg: Color::Reset,
                ..pen
            })?;
        }
        Ok(())
    }
}

/// A sequence that takes a count, `n` times in `direction`: a cursor step (`C` right, `B`
/// down) or a scroll (`S` up, `T` down), the count left out when it is one.
fn step(w: &mut impl Write, n: u16, direction: char) -> io::Result<()> {
    if n == 1 {
        write!(w, "\x1b[{direction}")
    } else {
        write!(w, "\x1b[{n}{direction}")
    }
}

/// The length of an SGR sequence of `params`.
fn sgr_len(params: &[String]) -> usize {
    3 + params.iter().map(String::len).sum::<usize>() + params.len().saturating_sub(1)
}

/// The SGR parameter of a colour, in the foreground (`fg`) or background: the 16 basic
/// colours have short codes (crossterm writes them as 256-colour indexes, twice as long).
fn colour_param(colour: Color, fg: bool) -> String {
    let base = if fg { 30 } else { 40 };
    let basic = |n: u8| {
        if n < 8 {
            format!("{}", base + n)
        } else {
            format!("{}", base + 60 + n - 8)
        }
    };
    let extended = if fg { 38 } else { 48 };
    match colour {
        Color::Reset => format!("{}", base + 9),
        Color::Black => basic(0),
        Color::Red => basic(1),
        Color::Green => basic(2),
        Color::Yellow => basic(3),
        Color::Blue => basic(4),
        Color::Magenta => basic(5),
        Color::Cyan => basic(6),
        Color::Gray => basic(7),
        Color::DarkGray => basic(8),
        Color::LightRed => basic(9),
        Color::LightGreen => basic(10),
        Color::LightYellow => basic(11),
        Color::LightBlue => basic(12),
        Color::LightMagenta => basic(13),
        Color::LightCyan => basic(14),
        Color::White => basic(15),
        Color::Indexed(i) => format!("{extended};5;{i}"),
        Color::Rgb(r, g, b) => format!("{extended};2;{r};{g};{b}"),
    }
}

/// The attributes and their SGR parameters: the one that sets each, the one that ends it.
const ATTRIBUTES: [(Modifier, &str, &str); 9] = [
    (Modifier::REVERSED, "7", "27"),
    (Modifier::BOLD, "1", "22"),
    (Modifier::DIM, "2", "22"),
    (Modifier::ITALIC, "3", "23"),
    (Modifier::UNDERLINED, "4", "24"),
    (Modifier::CROSSED_OUT, "9", "29"),
    (Modifier::HIDDEN, "8", "28"),
    (Modifier::SLOW_BLINK, "5", "25"),
    (Modifier::RAPID_BLINK, "6", "25"),
];

/// Everything of `pen` that differs from the plain pen.
fn pen_params(pen: Pen) -> Vec<String> {
    let mut params: Vec<String> = ATTRIBUTES
        .iter()
        .filter(|(modifier, _, _)| pen.modifier.contains(*modifier))
        .map(|(_, set, _)| (*set).to_owned())
        .collect();
    if pen.fg != Color::Reset {
        params.push(colour_param(pen.fg, true));
    }
    if pen.bg != Color::Reset {
        params.push(colour_param(pen.bg, false));
    }
    params
}

/// Only what differs between two pens. Bold and dim end together: normal intensity ends
/// both, then the one kept returns; blinks end together likewise.
fn changed_params(from: Pen, to: Pen) -> Vec<String> {
    let (removed, added) = (from.modifier - to.modifier, to.modifier - from.modifier);
    let mut ends: Vec<&str> = Vec::new();
    let mut sets: Vec<&str> = Vec::new();
    for (modifier, _, end) in ATTRIBUTES {
        if removed.contains(modifier) && !ends.contains(&end) {
            ends.push(end);
        }
    }
    for (modifier, set, end) in ATTRIBUTES {
        // Still wanted, but ended with another attribute that shares its end.
        let ended_with_another = to.modifier.contains(modifier) && ends.contains(&end);
        if added.contains(modifier) || ended_with_another {
            sets.push(set);
        }
    }
    let mut params: Vec<String> = ends.into_iter().chain(sets).map(str::to_owned).collect();
    if from.fg != to.fg {
        params.push(colour_param(to.fg, true));
    }
    if from.bg != to.bg {
        params.push(colour_param(to.bg, false));
    }
    params
}

/// What stands in for a grapheme cluster whose width a terminal may not agree on, when its
/// first code point alone cannot: ASCII, which every terminal draws one cell wide (vt100,
/// for one, draws nothing for U+FFFD).
const STAND_IN: char = '?';

/// A cell's symbol as the terminal is to draw it. A cluster of several code points whose
/// width unicode-width gives differently from the sum of its code points' (a ZWJ emoji
/// sequence such as 🧑🏽‍🚀, an emoji with a skin tone or a presentation selector) is drawn
/// however each terminal likes: as one glyph, or one per code point, pushing the rest of
/// the row along and leaving glyphs behind that the next diff never clears. It is drawn
/// as its first code point when that alone is as wide (🧑), else as `?` padded with spaces
/// to the width the screen gave it, so every cell after it is where the diff believes.
fn drawable(symbol: &str) -> std::borrow::Cow<'_, str> {
    use unicode_width::UnicodeWidthChar;
    let mut chars = symbol.chars();
    let Some(first) = chars.next() else {
        return std::borrow::Cow::Borrowed(symbol);
    };
    if chars.next().is_none() {
        return std::borrow::Cow::Borrowed(symbol);
    }
    let width = symbol.width();
    let counted: usize = symbol.chars().map(|c| c.width().unwrap_or(0)).sum();
    if counted == width || width == 0 {
        return std::borrow::Cow::Borrowed(symbol);
    }
    if first.width() == Some(width) {
        return std::borrow::Cow::Owned(first.to_string());
    }
    let mut stand_in = String::from(STAND_IN);
    stand_in.extend(std::iter::repeat_n(' ', width - 1));
    std::borrow::Cow::Owned(stand_in)
}

impl<W: Write> Backend for LeanBackend<W> {
    type Error = io::Error;

    fn draw<'a, I>(&mut self, content: I) -> io::Result<()>
    where
        I: Iterator<Item = (u16, u16, &'a Cell)>,
    {
        for (x, y, cell) in content {
            let pen = Pen {
                fg: cell.fg,
                bg: cell.bg,
                modifier: cell.modifier,
            };
            if !self.fill_gap(Position { x, y }, pen)? {
                self.move_to(Position { x, y })?;
            }
            self.set_pen(pen)?;
            let symbol = cell.symbol();
            queue!(self.writer(), Print(drawable(symbol)))?;
            // A wide symbol's width is the terminal's to decide: move explicitly after one.
            self.at = (symbol.width() == 1).then_some(Position { x: x + 1, y });
        }
        Ok(())
    }

    // Queued, not flushed: the frame goes out whole when ratatui flushes after it.
    fn hide_cursor(&mut self) -> io::Result<()> {
        if self.cursor_shown != Some(false) {
            queue!(self.writer(), Hide)?;
            self.cursor_shown = Some(false);
        }
        Ok(())
    }

    fn show_cursor(&mut self) -> io::Result<()> {
        if self.cursor_shown != Some(true) {
            queue!(self.writer(), Show)?;
            self.cursor_shown = Some(true);
        }
        Ok(())
    }

    fn get_cursor_position(&mut self) -> io::Result<Position> {
        self.inner.get_cursor_position()
    }

    fn set_cursor_position<P: Into<Position>>(&mut self, position: P) -> io::Result<()> {
        self.move_to(position.into())
    }

    fn clear(&mut self) -> io::Result<()> {
        self.clear_region(ClearType::All)
    }

    fn clear_region(&mut self, clear_type: ClearType) -> io::Result<()> {
        self.plain_background()?;
        self.at = None;
        self.inner.clear_region(clear_type)
    }

    fn append_lines(&mut self, n: u16) -> io::Result<()> {
        self.at = None;
        self.inner.append_lines(n)
    }

    fn size(&self) -> io::Result<Size> {
        self.inner.size()
    }

    fn window_size(&mut self) -> io::Result<WindowSize> {
        self.inner.window_size()
    }

    fn flush(&mut self) -> io::Result<()> {
        // The frame is out: the rows opened are no longer blank.
        self.opened = 0..0;
        Backend::flush(&mut self.inner)
    }

    fn scroll_region_up(&mut self, region: Range<u16>, amount: u16) -> io::Result<()> {
        self.scroll_region(region, amount, 'S')
    }

    fn scroll_region_down(&mut self, region: Range<u16>, amount: u16) -> io::Result<()> {
        self.scroll_region(region, amount, 'T')
    }
}

/// The last frame as the terminal shows it, with where its scrolling view was.
struct Shown {
    buffer: Buffer,
    view: ScrollView,
}

/// The console's screen: ratatui's terminal over `LeanBackend`, scrolling by the terminal
/// where it can.
pub struct Screen<W: Write> {
    terminal: Terminal<LeanBackend<W>>,
    /// The last frame, kept only while it had a view that may scroll.
    shown: Option<Shown>,
    scroll_regions: bool,
}

impl<W: Write> Screen<W> {
    /// A screen the size of the terminal behind `writer`, following its resizes.
    pub fn new(writer: W, scroll_regions: bool) -> io::Result<Screen<W>> {
        Ok(Screen {
            terminal: Terminal::new(LeanBackend::new(writer))?,
            shown: None,
            scroll_regions,
        })
    }

    /// A screen of a fixed size that asks no terminal anything (for measuring what frames
    /// cost); `resize` changes it.
    pub fn fixed(writer: W, width: u16, height: u16, scroll_regions: bool) -> Screen<W> {
        let options = TerminalOptions {
            viewport: Viewport::Fixed(Rect::new(0, 0, width, height)),
        };
        let terminal = Terminal::with_options(LeanBackend::new(writer), options)
            .expect("a fixed viewport asks the terminal nothing");
        Screen {
            terminal,
            shown: None,
            scroll_regions,
        }
    }

    /// Resizes a fixed screen, as the terminal does on its own for `new`: cleared and
    /// drawn whole next time.
    pub fn resize(&mut self, width: u16, height: u16) -> io::Result<()> {
        self.terminal.resize(Rect::new(0, 0, width, height))
    }

    pub fn size(&self) -> io::Result<Size> {
        self.terminal.size()
    }

    pub fn writer(&self) -> &W {
        self.terminal.backend().inner.writer()
    }

    /// Writes `bytes` that neither move the cursor nor change the pen (OSC 52) between
    /// two frames.
    pub fn write_through(&mut self, bytes: &[u8]) -> io::Result<()> {
        let writer = self.terminal.backend_mut().writer();
        writer.write_all(bytes)?;
        writer.flush()
    }

    /// Forgets what the terminal shows (it was given back, and is blank now): its pen, its
    /// cursor and the last frame, so the next draw writes every cell. Not
    /// `Terminal::clear`, which asks the terminal where its cursor is, a question not every
    /// terminal answers and whose answer the events thread would take.
    pub fn forget(&mut self) {
        let backend = self.terminal.backend_mut();
        backend.pen = None;
        backend.at = None;
        backend.cursor_shown = None;
        self.shown = None;
        self.terminal.swap_buffers();
        self.terminal.current_buffer_mut().reset();
    }

    pub fn show_cursor(&mut self) -> io::Result<()> {
        self.terminal.show_cursor()?;
        Backend::flush(self.terminal.backend_mut())
    }

    pub fn draw(&mut self, app: &App) -> io::Result<()> {
        self.terminal.autoresize()?;
        let area = self.terminal.get_frame().area();
        let view = super::scroll_view(app, area);
        if let (Some(shown), Some(view)) = (self.shown.take(), view)
            && self.scroll_regions
            && shown.buffer.area == area
            && shown.view.rows == view.rows
            && shown.view.what == view.what
        {
            self.scroll(shown, view)?;
        }
        let frame = self.terminal.draw(|frame| super::draw(frame, app))?;
        self.shown = view.map(|view| Shown {
            buffer: frame.buffer.clone(),
            view,
        });
        Ok(())
    }

    /// Scrolls the terminal's rows as the view moved, and makes the terminal's copy of the
    /// last frame what the terminal now shows, so the diff fills in only the new rows.
    fn scroll(&mut self, shown: Shown, view: ScrollView) -> io::Result<()> {
        let rows = view.rows;
        let moved = view.offset.abs_diff(shown.view.offset);
        if moved == 0 || moved >= usize::from(rows.height) {
            return Ok(());
        }
        let moved = moved as u16;
        let up = view.offset > shown.view.offset;
        let region = rows.top()..rows.bottom();
        let backend = self.terminal.backend_mut();
        if up {
            backend.scroll_region_up(region.clone(), moved)?;
            backend.opened = region.end - moved..region.end;
        } else {
            backend.scroll_region_down(region.clone(), moved)?;
            backend.opened = region.start..region.start + moved;
        }
        let mut buffer = shown.buffer;
        shift(&mut buffer, rows, moved, up);
        // The current buffer is blank between frames: filled with what the terminal now
        // shows and swapped, it becomes the one the next frame is compared with.
        *self.terminal.current_buffer_mut() = buffer;
        self.terminal.swap_buffers();
        Ok(())
    }
}

/// Moves whole rows of `rows` by `by`, as SU (`up`) or SD does; the rows that open are blank.
fn shift(buffer: &mut Buffer, rows: Rect, by: u16, up: bool) {
    let width = usize::from(buffer.area.width);
    let row = |y: u16| usize::from(y - buffer.area.y) * width;
    let (top, bottom) = (row(rows.top()), row(rows.bottom()));
    let by = usize::from(by) * width;
    let content = &mut buffer.content[top..bottom];
    if up {
        content.rotate_left(by);
        let len = content.len();
        content[len - by..].fill(Cell::EMPTY);
    } else {
        content.rotate_right(by);
        content[..by].fill(Cell::EMPTY);
    }
}

#[cfg(test)]
mod drawable_tests {
    use super::drawable;

    #[test]
    fn only_clusters_a_terminal_may_measure_otherwise_are_replaced() {
        // As they are: one code point, a combining accent, a flag.
        for plain in ["a", "名", "e\u{301}", "\u{1F1EC}\u{1F1E7}", ""] {
            assert_eq!(drawable(plain), plain, "{plain:?}");
        }
        // A ZWJ sequence and a skin tone: the person alone, as wide.
        assert_eq!(drawable("\u{1F9D1}\u{1F3FD}\u{200D}\u{1F680}"), "\u{1F9D1}");
        assert_eq!(drawable("\u{1F44B}\u{1F3FD}"), "\u{1F44B}");
        // A heart made an emoji by its selector: the heart alone is narrower.
        assert_eq!(drawable("\u{2764}\u{FE0F}"), "? ");
    }
}

#[cfg(test)]
mod lean_tests {
    use super::*;

    /// A backend over a vector whose terminal has its cursor at `at` and its pen `pen`.
    fn backend(at: Option<(u16, u16)>, pen: Option<Pen>) -> LeanBackend<Vec<u8>> {
        let mut backend = LeanBackend::new(Vec::new());
        backend.at = at.map(|(x, y)| Position { x, y });
        backend.pen = pen;
        backend
    }

    fn written(backend: &LeanBackend<Vec<u8>>) -> String {
        String::from_utf8_lossy(backend.inner.writer()).into_owned()
    }

    fn pen(fg: Color, bg: Color, modifier: Modifier) -> Pen {
        Pen { fg, bg, modifier }
    }

    #[test]
    fn the_cursor_moves_the_shortest_way() {
        let from = Some((5, 3));
        let cases = [
            (from, (5, 3), ""),
            (from, (0, 3), "\r"),
            (from, (0, 4), "\r\n"),
            (from, (6, 3), "\x1b[C"),
            (from, (9, 3), "\x1b[4C"),
            (from, (5, 4), "\x1b[B"),
            (from, (5, 7), "\x1b[4B"),
            (from, (2, 3), "\x1b[3G"),
            (from, (0, 9), "\x1b[10H"),
            (from, (4, 9), "\x1b[10;5H"),
            // Up a column has no short form here.
            (from, (5, 1), "\x1b[2;6H"),
            (None, (0, 0), "\x1b[1H"),
        ];
        for (at, (x, y), expected) in cases {
            let mut lean = backend(at, None);
            lean.move_to(Position { x, y })
                .expect("a vector takes every byte");
            assert_eq!(written(&lean), expected, "from {at:?} to ({x}, {y})");
            assert_eq!(lean.at, Some(Position { x, y }));
        }
    }

    #[test]
    fn a_pen_changes_in_one_sequence_or_a_shorter_reset() {
        let none = Modifier::empty();
        let bold_cyan = pen(Color::Cyan, Color::Reset, Modifier::BOLD);
        let badge = pen(Color::Black, Color::Green, Modifier::BOLD);
        let both = pen(Color::Cyan, Color::Green, Modifier::BOLD | Modifier::DIM);
        let blinks = Modifier::SLOW_BLINK | Modifier::RAPID_BLINK;
        let cases = [
            (None, PLAIN, "\x1b[m"),
            (None, bold_cyan, "\x1b[0;1;36m"),
            (Some(PLAIN), PLAIN, ""),
            (Some(PLAIN), badge, "\x1b[1;30;42m"),
            (Some(badge), PLAIN, "\x1b[m"),
            // Normal intensity and a colour (8 bytes) is longer than a reset (7).
            (
                Some(bold_cyan),
                pen(Color::DarkGray, Color::Reset, none),
                "\x1b[0;90m",
            ),
            (
                Some(bold_cyan),
                pen(
                    Color::Cyan,
                    Color::Reset,
                    Modifier::BOLD | Modifier::UNDERLINED,
                ),
                "\x1b[4m",
            ),
            // Dim kept when bold goes: normal intensity ends both, dim returns.
            (
                Some(both),
                pen(Color::Cyan, Color::Green, Modifier::DIM),
                "\x1b[22;2m",
            ),
            (
                Some(pen(Color::Cyan, Color::Green, blinks)),
                pen(Color::Cyan, Color::Green, Modifier::RAPID_BLINK),
                "\x1b[25;6m",
            ),
            (
                Some(PLAIN),
                pen(Color::LightRed, Color::LightBlue, none),
                "\x1b[91;104m",
            ),
            (
                Some(PLAIN),
                pen(Color::Indexed(200), Color::Rgb(1, 2, 3), none),
                "\x1b[38;5;200;48;2;1;2;3m",
            ),
            (
                Some(PLAIN),
                pen(Color::Reset, Color::Reset, Modifier::REVERSED),
                "\x1b[7m",
            ),
            (
                Some(pen(Color::White, Color::Red, Modifier::REVERSED)),
                pen(Color::White, Color::Red, none),
                "\x1b[27m",
            ),
        ];
        for (from, to, expected) in cases {
            let mut lean = backend(None, from);
            lean.set_pen(to).expect("a vector takes every byte");
            assert_eq!(written(&lean), expected, "{expected:?}");
            assert!(lean.pen == Some(to));
        }
    }

    #[test]
    fn an_sgr_sequence_is_counted_as_long_as_it_is_written() {
        for params in [&[][..], &["7"], &["1", "30", "42"], &["38;5;200", "49"]] {
            let params: Vec<String> = params.iter().map(|p| (*p).to_owned()).collect();
            let written = format!("\x1b[{}m", params.join(";"));
            assert_eq!(sgr_len(&params), written.len(), "{written:?}");
        }
    }

    #[test]
    fn a_short_gap_in_a_row_a_scroll_opened_is_spaces_of_the_plain_pen() {
        let badge = pen(Color::Black, Color::Green, Modifier::BOLD);
        let cases = [
            // The plain pen on: spaces, whatever the next cell's.
            (Some((3, 20)), Some(PLAIN), (6, 20), badge, Some("   ")),
            // The next cell's plain pen first, then spaces.
            (Some((3, 20)), Some(badge), (5, 20), PLAIN, Some("\x1b[m  ")),
            (Some((3, 20)), Some(badge), (5, 20), badge, None),
            (Some((3, 20)), Some(PLAIN), (7, 20), PLAIN, None),
            (Some((3, 19)), Some(PLAIN), (5, 19), PLAIN, None),
            (Some((3, 20)), Some(PLAIN), (5, 21), PLAIN, None),
            (Some((3, 20)), Some(PLAIN), (3, 20), PLAIN, None),
            (None, Some(PLAIN), (5, 20), PLAIN, None),
        ];
        for (at, now, (x, y), next, expected) in cases {
            let mut lean = backend(at, now);
            lean.opened = 20..22;
            let filled = lean
                .fill_gap(Position { x, y }, next)
                .expect("a vector takes every byte");
            assert_eq!(filled, expected.is_some(), "from {at:?} to ({x}, {y})");
            assert_eq!(written(&lean), expected.unwrap_or_default());
            if filled {
                assert_eq!(lean.at, Some(Position { x, y }));
            }
        }
    }

    #[test]
    fn a_scroll_sets_the_region_scrolls_and_resets_it_on_a_plain_background() {
        let mut lean = backend(Some((4, 4)), Some(PLAIN));
        lean.scroll_region_up(2..22, 1)
            .expect("a vector takes every byte");
        assert_eq!(written(&lean), "\x1b[3;22r\x1b[S\x1b[r");
        assert_eq!(lean.at, None, "the region's reset homes the cursor");
        let badge = pen(Color::Black, Color::Green, Modifier::BOLD);
        let mut lean = backend(Some((4, 4)), Some(badge));
        lean.scroll_region_down(2..22, 3)
            .expect("a vector takes every byte");
        assert_eq!(written(&lean), "\x1b[49m\x1b[3;22r\x1b[3T\x1b[r");
    }
}
