//! Screens without colour and in ASCII, as a clerk on an old terminal or a `LANG=C` jump
//! host sees them. Without colour, the snapshots of styles show only bold, reverse and
//! underline; the tests check on the cells that they still carry what colour carries.
//!
//! Update with `INSTA_UPDATE=always cargo test --test console screens_plain::`, then read the changed
//! `.snap` files before committing them.

use crate::support;

use ratatui::buffer::Buffer;
use ratatui::style::{Color, Modifier};
use support::{
    Harness, KeyCode, busiest_acr, labelled, not_effective_token, row_styles, tokens_reply,
    with_state,
};
use tokendesk::setup::display::{Display, Palette, ThemeChoice};

const MONOCHROME: Display = Display {
    colour: false,
    ascii: false,
    theme: ThemeChoice::Auto,
    palette: Palette::Dark,
};
const PLAIN: Display = Display {
    colour: false,
    ascii: true,
    theme: ThemeChoice::Auto,
    palette: Palette::Dark,
};

fn assert_no_colour(buffer: &Buffer) {
    for cell in &buffer.content {
        assert_eq!(
            (cell.fg, cell.bg),
            (Color::Reset, Color::Reset),
            "a coloured cell without colour: {cell:?}"
        );
    }
}

#[test]
fn without_colour_the_selected_row_is_pointed_at_and_the_state_badges_bold_and_underlined() {
    let (acr, tokens) = busiest_acr();
    let mut h = Harness::new(80, 24);
    h.app.display = MONOCHROME;
    h.search(&format!("acr:{acr}"));
    h.answer(Ok(tokens_reply(tokens)));
    h.press(KeyCode::Down);
    h.render();
    assert_no_colour(h.buffer());
    let rows = format!("{}{}", row_styles(h.buffer(), 2), row_styles(h.buffer(), 3));
    insta::assert_snapshot!("monochrome_results_second_row_selected_styles", rows);
    let selected = &h.buffer()[(0, 3)];
    assert_eq!(selected.symbol(), ">");
    assert!(selected.modifier.contains(Modifier::BOLD));
    assert_eq!(h.buffer()[(0, 2)].symbol(), " ");
}

#[test]
fn without_colour_the_label_and_read_only_are_reverse_badges() {
    let mut h = Harness::with_environment(labelled("PROD-EU", true), 80, 24);
    h.app.display = MONOCHROME;
    h.open(with_state(not_effective_token(), "EFFECTIVE"));
    h.render();
    assert_no_colour(h.buffer());
    insta::assert_snapshot!("monochrome_prod_top_row_styles", row_styles(h.buffer(), 0));
    insta::assert_snapshot!("monochrome_badge_row_styles", row_styles(h.buffer(), 1));
    let top = row_styles(h.buffer(), 0);
    for badge in ["[ PROD-EU ]", "[ READ-ONLY"] {
        let line = top
            .lines()
            .find(|l| l.starts_with(badge))
            .unwrap_or_else(|| panic!("{badge} is a run of its own:\n{top}"));
        assert!(line.contains("BOLD") && line.contains("REVERSED"), "{line}");
    }
}

#[test]
fn in_ascii_the_tree_and_the_help_use_only_ascii() {
    let mut h = Harness::new(80, 24);
    h.app.display = PLAIN;
    h.open(not_effective_token());
    let tree = h.render();
    insta::assert_snapshot!("ascii_token_collapsed_80x24", tree);
    h.key('?');
    let help = h.render();
    insta::assert_snapshot!("ascii_help_80x24", help);
    for screen in [tree, help] {
        assert!(screen.is_ascii(), "{screen}");
    }
}
