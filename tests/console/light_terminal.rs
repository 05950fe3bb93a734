//! A light terminal: the answer about its background (`Msg::Background`) chooses the
//! palette under the `auto` theme, and only there; in the light palette keys, labels,
//! successes and warnings take colours that read on white, and badges keep their own
//! background. The snapshots hold the text and the styles of the rows where colour
//! carries meaning.
//!
//! Update with `INSTA_UPDATE=always cargo test --test console light_terminal::`, then read
//! the changed `.snap` files before committing them.

use crate::support;

use ratatui::style::Color;
use support::{Harness, KeyCode, busiest_acr, row_styles, tokens_reply};
use tokendesk::console::app::{Msg, Tone};
use tokendesk::setup::display::{ColourChoice, Display, Palette, Rgb, ThemeChoice};

const WHITE: Rgb = Rgb {
    red: u16::MAX,
    green: u16::MAX,
    blue: u16::MAX,
};
const BLACK: Rgb = Rgb {
    red: 0,
    green: 0,
    blue: 0,
};

/// The foreground colours of the cells of row `y` that show `text`.
fn colours_of(h: &Harness, y: u16, text: &str) -> Vec<Color> {
    let buffer = h.buffer();
    let row: String = (0..buffer.area.width)
        .map(|x| buffer[(x, y)].symbol())
        .collect();
    let at = row
        .find(text)
        .unwrap_or_else(|| panic!("{text:?} is not on row {y}: {row:?}"));
    let column = row[..at].chars().count() as u16;
    (column..column + text.chars().count() as u16)
        .map(|x| buffer[(x, y)].fg)
        .collect()
}

/// The row that holds `text`.
fn row_of(h: &Harness, text: &str) -> u16 {
    let buffer = h.buffer();
    (0..buffer.area.height)
        .find(|&y| {
            let row: String = (0..buffer.area.width)
                .map(|x| buffer[(x, y)].symbol())
                .collect();
            row.contains(text)
        })
        .unwrap_or_else(|| panic!("{text:?} is not on screen"))
}

/// Every character of `text`, where it is on screen, is drawn in `colour`.
fn assert_drawn_in(h: &Harness, text: &str, colour: Color, what: &str) {
    let y = row_of(h, text);
    assert!(
        colours_of(h, y, text).iter().all(|&c| c == colour),
        "{what}: {}",
        row_styles(h.buffer(), y)
    );
}

#[test]
fn the_answer_switches_the_palette_only_under_auto_and_redraws_only_on_a_change() {
    let mut h = Harness::new(80, 24);
    assert_eq!(h.app.display.theme, ThemeChoice::Auto);
    assert_eq!(
        h.app.display.palette,
        Palette::Dark,
        "dark until it answers"
    );
    assert_eq!(h.send(Msg::Background(WHITE)), 0, "nothing to carry out");
    assert_eq!(h.app.display.palette, Palette::Light);
    assert!(h.app.changed(), "a new palette is drawn");
    h.send(Msg::Background(WHITE));
    assert!(!h.app.changed(), "the same palette again is not");
    h.send(Msg::Background(BLACK));
    assert_eq!(h.app.display.palette, Palette::Dark);
    assert!(h.app.changed());
    // A theme in the config or on the command line wins over the answer.
    for theme in [ThemeChoice::Dark, ThemeChoice::Light] {
        let mut h = Harness::new(80, 24);
        h.app.display = Display::resolve(ColourChoice::Always, false, theme);
        let palette = h.app.display.palette;
        for colour in [WHITE, BLACK] {
            h.send(Msg::Background(colour));
            assert_eq!(h.app.display.palette, palette, "{theme:?}");
            assert!(!h.app.changed(), "{theme:?}: nothing to redraw");
        }
    }
    // Without colour there is no palette to choose.
    let mut h = Harness::new(80, 24);
    h.app.display.colour = false;
    h.send(Msg::Background(WHITE));
    assert_eq!(h.app.display.palette, Palette::Dark);
    assert!(!h.app.changed());
}

/// At this level the answer is its own message and cannot become keys (that the event loop
/// parses it apart from them is `pty::light_terminal`'s to prove): coming between typed
/// keys, it leaves the search line as they typed it.
#[test]
fn an_answer_between_typed_keys_leaves_the_typed_line_as_typed() {
    let mut h = Harness::new(80, 24);
    h.keys("9902");
    h.send(Msg::Background(WHITE));
    h.keys("1047380");
    assert_eq!(h.app.search.input.value(), "99021047380");
}

#[test]
fn the_demo_home_in_the_light_palette() {
    let mut h = Harness::demo(80, 24);
    h.send(Msg::Background(WHITE));
    let text = h.render();
    insta::assert_snapshot!("light_home_80x24", text);
    assert_drawn_in(
        &h,
        "99021047380",
        Color::Blue,
        "the suggestions are keys to type: blue, not the dark palette's cyan",
    );
    let styles: String = (0..24).map(|y| row_styles(h.buffer(), y)).collect();
    insta::assert_snapshot!("light_home_styles", styles);
    // The same screen on a dark background: cyan keys.
    h.send(Msg::Background(BLACK));
    h.render();
    assert_drawn_in(&h, "99021047380", Color::Cyan, "on a dark background");
}

#[test]
fn results_and_notices_in_the_light_palette() {
    let (acr, tokens) = busiest_acr();
    let mut h = Harness::new(80, 24);
    h.send(Msg::Background(WHITE));
    h.search(&format!("acr:{acr}"));
    h.answer(Ok(tokens_reply(tokens)));
    h.press(KeyCode::Down);
    h.app.notify(Tone::Warning, "Careful: a warning.");
    let text = h.render();
    insta::assert_snapshot!("light_results_80x24", text);
    assert_drawn_in(
        &h,
        "Careful: a warning.",
        Color::Magenta,
        "a warning is magenta, not yellow",
    );
    let rows: String = [2, 3, 22, 23]
        .into_iter()
        .map(|y| row_styles(h.buffer(), y))
        .collect();
    insta::assert_snapshot!("light_results_styles", rows);
    h.app.notify(Tone::Success, "It worked.");
    h.render();
    assert_drawn_in(
        &h,
        "It worked.",
        Color::Blue,
        "a success on a light background",
    );
}
