//! Every screen of the console as text, at 80x24 (the clerk's usual terminal) and 120x40.
//! The snapshots hold the buffer's symbols only; one more holds the styles of the token
//! header's badge row, where colour carries meaning.
//!
//! Update with `INSTA_UPDATE=always cargo test --test console screens::`, then read the changed
//! `.snap` files as a clerk would before committing them.

use crate::support;

use std::time::Duration;

use ratatui::buffer::{Buffer, Cell};
use ratatui::style::{Color, Modifier};
use serde_json::Value;
use support::{
    Harness, KeyCode, busiest_acr, delete_seed_token, labelled, not_effective_token, row_styles,
    tokens_reply, with_state,
};
use tokendesk::api::ApiError;
use tokendesk::console::app::{Environment, layout};
use tokendesk::setup::environment_label::{Colour, Label};

const SIZES: [(u16, u16); 2] = [(80, 24), (120, 40)];

/// Builds the screen with `steps` at both sizes and snapshots each.
fn screen(name: &str, steps: impl Fn(&mut Harness)) {
    for (width, height) in SIZES {
        let mut h = Harness::new(width, height);
        steps(&mut h);
        insta::assert_snapshot!(format!("{name}_{width}x{height}"), h.render());
    }
}

fn demo_screen(name: &str, steps: impl Fn(&mut Harness)) {
    for (width, height) in SIZES {
        let mut h = Harness::demo(width, height);
        steps(&mut h);
        insta::assert_snapshot!(format!("{name}_{width}x{height}"), h.render());
    }
}

fn effective_token() -> Value {
    with_state(not_effective_token(), "EFFECTIVE")
}

#[test]
fn home() {
    screen("home", |_| {});
}

#[test]
fn home_demo_with_suggestions() {
    demo_screen("home_demo", |_| {});
}

#[test]
fn search_line_focused_with_text() {
    screen("search_typing", |h| {
        h.keys("acr:ACR00000000");
    });
}

#[test]
fn search_line_unfocused_on_a_token() {
    // A query typed and left with Esc: the line names the token on screen again.
    screen("search_unfocused", |h| {
        h.open(not_effective_token());
        h.key('/').keys("acr:ACR0000000069").press(KeyCode::Esc);
    });
}

#[test]
fn malformed_query_hint() {
    screen("malformed_query", |h| {
        h.search("foo:1");
    });
}

#[test]
fn results_page_of_the_busiest_account() {
    let (acr, tokens) = busiest_acr();
    screen("results", |h| {
        h.search(&format!("acr:{acr}"));
        h.answer(Ok(tokens_reply(tokens.clone())));
        h.press(KeyCode::Down);
    });
    // The text cannot show which row Down selected; the styles of the first two rows can.
    let mut h = Harness::new(80, 24);
    h.search(&format!("acr:{acr}"));
    h.answer(Ok(tokens_reply(tokens)));
    h.press(KeyCode::Down);
    h.render();
    let rows = format!("{}{}", row_styles(h.buffer(), 2), row_styles(h.buffer(), 3));
    insta::assert_snapshot!("results_selected_second_row_styles", rows);
}

#[test]
fn results_with_no_tokens() {
    screen("results_empty", |h| {
        h.search("rp:RP404");
        h.answer(Ok(tokens_reply(Vec::new())));
    });
}

#[test]
fn token_collapsed() {
    screen("token_collapsed", |h| {
        h.open(not_effective_token());
    });
}

#[test]
fn token_expanded_all() {
    screen("token_expanded", |h| {
        h.open(not_effective_token());
        h.key('E');
    });
}

#[test]
fn token_expanded_with_empties() {
    screen("token_empties", |h| {
        h.open(not_effective_token());
        h.key('E').key('n');
    });
}

#[test]
fn token_scrolled_to_the_end() {
    screen("token_end", |h| {
        h.open(not_effective_token());
        h.key('E').key('G');
    });
}

#[test]
fn delete_seed_with_reward_participant() {
    screen("delete_seed_collapsed", |h| {
        h.open(delete_seed_token());
    });
    screen("delete_seed_expanded", |h| {
        h.open(delete_seed_token());
        h.key('E');
    });
}

#[test]
fn raw_json() {
    screen("raw_json", |h| {
        h.open(not_effective_token());
        h.key('r');
    });
}

#[test]
fn confirm_deactivate() {
    screen("confirm_deactivate", |h| {
        h.open(effective_token());
        h.key('d');
    });
}

#[test]
fn confirm_deactivate_on_the_demo() {
    demo_screen("confirm_deactivate_demo", |h| {
        h.open(effective_token());
        h.key('d');
    });
}

#[test]
fn confirm_reactivate() {
    screen("confirm_reactivate", |h| {
        h.open(not_effective_token());
        h.key('a');
    });
}

#[test]
fn confirm_delete_partly_typed() {
    screen("confirm_delete_typing", |h| {
        h.open(not_effective_token());
        h.key('X').keys("AT00000");
    });
}

#[test]
fn confirm_delete_with_a_mistake() {
    screen("confirm_delete_mistake", |h| {
        h.open(not_effective_token());
        h.key('X').keys("AT0000000617").press(KeyCode::Enter);
    });
}

#[test]
fn action_in_flight() {
    screen("in_flight_action", |h| {
        h.open(effective_token());
        h.key('d').key('y');
        h.tick(Duration::from_millis(1300));
    });
}

#[test]
fn search_in_flight() {
    screen("in_flight_search", |h| {
        h.search("99021047380");
        h.tick(Duration::from_millis(1300));
    });
}

#[test]
fn action_done() {
    screen("action_done", |h| {
        h.open(effective_token());
        h.key('d').key('y');
        h.answer_token(not_effective_token());
    });
}

#[test]
fn refused_action_notice() {
    screen("refused_action", |h| {
        h.open(not_effective_token());
        h.key('d');
    });
    // The actions this state forbids are crossed out in the key hints: only styles show it.
    let mut h = Harness::new(80, 24);
    h.open(not_effective_token());
    h.key('d');
    h.render();
    insta::assert_snapshot!(
        "refused_action_key_hints_styles",
        row_styles(h.buffer(), 22)
    );
}

#[test]
fn tree_cursor_row_styles() {
    // j moves the tree's cursor to the second row; the text alone cannot show it.
    let mut h = Harness::new(80, 24);
    h.open(not_effective_token());
    h.key('j');
    h.render();
    let rows = format!("{}{}", row_styles(h.buffer(), 4), row_styles(h.buffer(), 5));
    insta::assert_snapshot!("tree_second_row_selected_styles", rows);
}

/// The help overlay, the footer and a confirmation's key line are all built from the key
/// table: an action and an answer the table binds to other keys show those keys in all
/// three places, and the new keys are the ones that work.
#[test]
fn a_rebinding_in_the_table_shows_in_the_help_the_footer_and_the_modal() {
    use tokendesk::api::Action;
    use tokendesk::keys::{Command, Context, Key, KeyCode};
    let mut h = Harness::new(80, 24);
    let keys = &mut h.app.keymap;
    keys.rebind(
        Context::Actions,
        Command::Act(Action::Deactivate),
        vec![Key::char('D')],
    )
    .expect("deactivate is bound");
    keys.rebind(Context::Confirm, Command::Yes, vec![Key::char('o')])
        .expect("yes is bound in the confirmation");
    keys.rebind(Context::Confirm, Command::Cancel, vec![Key::char('Q')])
        .expect("cancel is bound in the confirmation");
    assert_eq!(keys.validate(), Ok(()));
    h.open(with_state(not_effective_token(), "EFFECTIVE"));
    let footer = h.render();
    assert!(footer.contains("D deactivate"), "{footer}");
    assert!(!footer.contains("d deactivate"), "{footer}");
    h.key('?').key('/').keys("deactivate").press(KeyCode::Enter);
    let help = h.render();
    assert!(help.contains(&format!("{:<14}deactivate", "D")), "{help}");
    h.press(KeyCode::Esc);
    h.key('D');
    let modal = h.render();
    assert!(modal.contains("o deactivate   n or Q keep it"), "{modal}");
    h.press(KeyCode::Enter);
    let mistake = h.render();
    assert!(
        mistake.contains("Enter does not answer: o deactivates, n or Q keeps it."),
        "{mistake}"
    );
    let before = h.request_count();
    h.key('y');
    assert_eq!(h.request_count(), before, "y is no longer the answer");
    h.key('o');
    assert_eq!(h.request_count(), before + 1, "o deactivates");
}

/// Every binding of the key map, its keys as `Display` shows them and its description, is
/// in the help overlay, scrolled through, at 120x40, 80x24 and 60x20, with no word cut.
#[test]
fn help_lists_every_binding_of_the_key_map() {
    let keymap = tokendesk::keys::KeyMap::default();
    for (width, height) in [(120, 40), (80, 24), (60, 20)] {
        let mut h = Harness::new(width, height);
        h.open(not_effective_token());
        h.key('?');
        let mut text = h.render();
        // The title says truthfully what closes it: the scrolling keys do not.
        assert!(
            text.contains("Keys (Up/Down scroll, / filters, any other key closes)"),
            "{width}x{height}:\n{text}"
        );
        for _ in 0..150 {
            h.key('j');
            text.push_str(&h.render());
        }
        assert!(h.app.modal.is_some(), "j scrolls, it does not close");
        // At the end, k scrolls back at once: the offset stops at the last line.
        let end = h.render();
        h.key('k');
        assert_ne!(h.render(), end, "k scrolls back from the end at once");
        for binding in keymap.bindings() {
            assert!(!binding.description.is_empty(), "{binding:?} has no words");
            let keys: Vec<String> = binding.keys.iter().map(ToString::to_string).collect();
            let keys = keys.join(" ");
            assert!(
                text.contains(&keys) && text.contains(&format!(" {}", binding.description)),
                "{keys:?} {:?} missing at {width}x{height}:\n{text}",
                binding.description
            );
        }
        // Wrapped, not cut: no description ends in an ellipsis.
        assert!(!text.contains("…  "), "{text}");
    }
}

/// `/` in the help filters it by key or description; Enter keeps the filter, and any
/// other key then closes the help.
#[test]
fn the_help_filters_by_key_or_description() {
    let mut h = Harness::new(80, 24);
    h.open(not_effective_token());
    h.key('?').key('/').keys("quit");
    let typing = h.render();
    assert!(typing.contains("Filter: quit_"), "{typing}");
    h.press(KeyCode::Enter);
    let filtered = h.render();
    assert!(filtered.contains("Keys with \"quit\""), "{filtered}");
    assert!(filtered.contains("q Ctrl-c      quit"), "{filtered}");
    assert!(!filtered.contains("expand all"), "{filtered}");
    // By key: Ctrl-z.
    h.press(KeyCode::Esc);
    assert!(h.app.modal.is_none(), "any other key closes");
    h.key('?').key('/').keys("ctrl-z").press(KeyCode::Enter);
    let by_key = h.render();
    assert!(by_key.contains("suspend"), "{by_key}");
    h.key('?');
    assert!(h.app.modal.is_none());
}

#[test]
fn long_error_notice() {
    screen("long_error", |h| {
        h.open(not_effective_token());
        h.key('R');
        h.answer(Err(ApiError::Connect {
            host: "crm.example.com".into(),
            detail: "error trying to connect: tcp connect error: Connection refused (os error 111)"
                .into(),
        }));
    });
}

#[test]
fn html_error_notice() {
    screen("html_error", |h| {
        h.search("99021047380");
        h.answer(Err(ApiError::http_status(
            502,
            b"<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>",
        )));
    });
}

#[test]
fn unknown_outcome_being_checked() {
    screen("verifying", |h| {
        h.open(effective_token());
        h.key('d').key('y');
        h.answer(Err(ApiError::TimedOut {
            after: Duration::from_secs(30),
        }));
        h.tick(Duration::from_millis(400));
    });
}

#[test]
fn quit_while_busy() {
    screen("quit_while_busy", |h| {
        h.open(effective_token());
        h.key('d').key('y');
        h.recorded();
        h.key('q');
    });
}

#[test]
fn help_overlay() {
    screen("help", |h| {
        h.open(not_effective_token());
        h.key('?');
    });
}

#[test]
fn deleted_token() {
    screen("deleted", |h| {
        h.open(not_effective_token());
        h.key('X').keys("AT0000000671").press(KeyCode::Enter);
        // CRM.COM answers a delete with the token as it was.
        h.answer_token(not_effective_token());
    });
}

#[test]
fn terminal_too_small() {
    for (width, height) in [(20, 5), (1, 1)] {
        let mut h = Harness::new(width, height);
        insta::assert_snapshot!(format!("too_small_{width}x{height}"), h.render());
    }
}

#[test]
fn badge_row_styles() {
    let mut h = Harness::new(80, 24);
    h.open(effective_token());
    h.render();
    insta::assert_snapshot!("badge_row_effective", row_styles(h.buffer(), 1));
    h.key('d').key('y');
    h.answer_token(not_effective_token());
    h.render();
    insta::assert_snapshot!("badge_row_not_effective", row_styles(h.buffer(), 1));
    h.key('X').keys("AT0000000671").press(KeyCode::Enter);
    h.answer_token(not_effective_token());
    h.render();
    insta::assert_snapshot!("badge_row_deleted", row_styles(h.buffer(), 1));
}

/// Every screen state resized to every size from 1x1 to 60x16, straddling the 40x10
/// minimum, and drawn without a panic: the layouts divide and subtract, and small sizes are
/// where that goes wrong. Below the minimum the keys pressed must change nothing at all.
#[test]
fn no_panic_at_any_small_size() {
    let (acr, tokens) = busiest_acr();
    let (not_effective, effective) = (not_effective_token(), effective_token());
    type Steps<'a> = Box<dyn Fn(&mut Harness) + 'a>;
    let states: Vec<(&str, Steps)> = vec![
        ("home", Box::new(|_| {})),
        (
            "typing",
            Box::new(|h| {
                h.keys("acr:ACR0000000071 with a long tail");
            }),
        ),
        (
            "results",
            Box::new(|h| {
                h.search(&format!("acr:{acr}"));
                h.answer(Ok(tokens_reply(tokens.clone())));
            }),
        ),
        (
            "token",
            Box::new(|h| {
                h.open(not_effective.clone());
                h.key('E').key('n').key('G');
            }),
        ),
        (
            "raw",
            Box::new(|h| {
                h.open(not_effective.clone());
                h.key('r').press(KeyCode::PageDown);
            }),
        ),
        (
            "delete modal",
            Box::new(|h| {
                h.open(not_effective.clone());
                h.key('X').keys("AT9").press(KeyCode::Enter);
            }),
        ),
        (
            "in flight",
            Box::new(|h| {
                h.open(effective.clone());
                h.key('d').key('y').tick(Duration::from_millis(1300));
            }),
        ),
        (
            "quit?",
            Box::new(|h| {
                h.open(effective.clone());
                h.key('R').key('q');
            }),
        ),
        (
            "help",
            Box::new(|h| {
                h.open(effective.clone());
                h.key('?').press(KeyCode::PageDown);
            }),
        ),
    ];
    for (name, steps) in &states {
        // Below the minimum the keys provably change nothing, so one harness serves every
        // such size; at usable sizes they act, so each size starts afresh.
        let mut small = Harness::new(80, 24);
        steps(&mut small);
        for width in 1..=60 {
            for height in 1..=16 {
                let usable = width >= layout::MIN_WIDTH && height >= layout::MIN_HEIGHT;
                if !usable {
                    let h = &mut small;
                    h.resize(width, height);
                    let text = h.render();
                    assert_eq!(text.lines().count(), usize::from(height), "{name}");
                    // Only quitting acts on a screen the clerk cannot see.
                    for c in "jEn?/Xdy".chars() {
                        h.assert_inert(|h| {
                            h.key(c);
                        });
                        assert!(!h.app.changed(), "{name} at {width}x{height}: {c}");
                    }
                    for code in [KeyCode::Esc, KeyCode::Enter, KeyCode::Down] {
                        h.assert_inert(|h| {
                            h.press(code);
                        });
                        assert!(!h.app.changed(), "{name} at {width}x{height}: {code:?}");
                    }
                    assert_eq!(h.render(), text, "{name} at {width}x{height}");
                    continue;
                }
                // Built at 80x24 and resized; the keys then act, and the drawing after them
                // must not panic either.
                let mut h = Harness::new(80, 24);
                steps(&mut h);
                h.resize(width, height);
                assert_eq!(h.render().lines().count(), usize::from(height), "{name}");
                h.keys("jEn?/X");
                assert_eq!(h.render().lines().count(), usize::from(height), "{name}");
            }
        }
    }
}

/// Every modal at the smallest size the console accepts and at the usual one: the key line
/// and the input are always there; the facts above give way first, behind an ellipsis.
#[test]
fn every_modal_keeps_its_key_line_and_input() {
    type Steps = fn(&mut Harness);
    let modals: [(&str, Steps, &[&str]); 10] = [
        (
            "deactivate_checking",
            |h| {
                h.open(effective_token());
                h.tick(Duration::from_secs(61));
                h.key('d');
            },
            &["checking…", "Wait for the check", "Esc keep it"],
        ),
        (
            "deactivate",
            |h| {
                h.open(effective_token());
                h.key('d');
            },
            &["y deactivate", "n or Esc keep it"],
        ),
        (
            "reactivate",
            |h| {
                h.open(not_effective_token());
                h.key('a');
            },
            &["y re-activate", "n or Esc keep it"],
        ),
        (
            "deactivate_typed_ahead",
            |h| {
                h.open(effective_token());
                h.together("dandy1");
            },
            &["y deactivate", "ignored: a n d y 1"],
        ),
        (
            "deactivate_enter",
            |h| {
                h.open(effective_token());
                h.key('d').press(KeyCode::Enter);
            },
            &["y deactivate", "Enter does not answer"],
        ),
        (
            "delete_typing",
            |h| {
                h.open(not_effective_token());
                h.key('X').keys("AT00000");
            },
            &[
                "Type AT0000000671 and press",
                "> AT00000",
                "Esc keeps the token",
            ],
        ),
        (
            "delete_mistake",
            |h| {
                h.open(not_effective_token());
                h.key('X').keys("AT0000000617").press(KeyCode::Enter);
            },
            &[
                "> AT0000000617",
                "That is not AT0000000671",
                "Esc keeps the token",
            ],
        ),
        (
            "quit_in_flight",
            |h| {
                h.open(effective_token());
                h.key('d').key('y');
                h.recorded().key('q');
            },
            &[
                "Deactivating AT0000000671 is still",
                "y quit anyway",
                "n or Esc stay",
            ],
        ),
        (
            "quit_after_the_answer",
            |h| {
                h.open(effective_token());
                h.key('d').key('y').key('q');
                h.answer_token(not_effective_token());
            },
            &["The request has finished", "y quit", "n or Esc stay"],
        ),
        (
            "help",
            |h| {
                h.open(effective_token());
                h.key('?');
            },
            &["scroll, ", "close"],
        ),
    ];
    for (name, steps, visible) in modals {
        for (width, height) in [(40, 10), (80, 24)] {
            let mut h = Harness::new(width, height);
            steps(&mut h);
            let text = h.render();
            for needle in visible {
                assert!(
                    text.contains(needle),
                    "{name} at {width}x{height}: {needle:?} is not on screen:\n{text}"
                );
            }
            insta::assert_snapshot!(format!("modal_{name}_{width}x{height}"), text);
        }
    }
}

// ---- The environment label and read-only (issue 9) -----------------------------------------

/// The 80x24 screen of a console on `environment` after `steps`.
fn environment_screen(environment: Environment, steps: impl Fn(&mut Harness)) -> Harness {
    let mut h = Harness::with_environment(environment, 80, 24);
    steps(&mut h);
    h.render();
    h
}

/// The cells of row `y` that hold `text` (one character a cell), which must be on it.
fn cells_of<'a>(buffer: &'a Buffer, y: u16, text: &str) -> Vec<&'a Cell> {
    let row: Vec<&Cell> = (0..buffer.area.width).map(|x| &buffer[(x, y)]).collect();
    let wanted: Vec<String> = text.chars().map(String::from).collect();
    let at = row
        .windows(wanted.len())
        .position(|cells| cells.iter().zip(&wanted).all(|(c, w)| c.symbol() == w))
        .unwrap_or_else(|| {
            let shown: String = row.iter().map(|c| c.symbol()).collect();
            panic!("{text:?} is not on row {y}: {shown:?}")
        });
    row[at..at + wanted.len()].to_vec()
}

#[test]
fn a_prod_label_is_red_at_the_top_of_a_token_screen() {
    let mut h = environment_screen(labelled("PROD-EU", false), |h| {
        h.open(effective_token());
    });
    insta::assert_snapshot!("token_on_prod_eu_80x24", h.render());
    insta::assert_snapshot!("token_on_prod_eu_top_row_styles", row_styles(h.buffer(), 0));
    for cell in cells_of(h.buffer(), 0, "PROD-EU") {
        assert_eq!((cell.fg, cell.bg), (Color::White, Color::Red), "{cell:?}");
        assert!(cell.modifier.contains(Modifier::BOLD));
    }
    assert!(
        !h.render()
            .lines()
            .next()
            .unwrap_or("")
            .contains(support::HOST),
        "the label stands for the host at the top"
    );
}

#[test]
fn a_label_without_prod_in_it_has_the_ordinary_colour_unless_given_one() {
    let h = environment_screen(labelled("TEST", false), |h| {
        h.open(effective_token());
    });
    for cell in cells_of(h.buffer(), 0, "TEST") {
        assert_eq!((cell.fg, cell.bg), (Color::Reset, Color::Reset), "{cell:?}");
    }
    let mut green = labelled("UAT", false);
    green.label = Label::resolve(Some("UAT"), Some(Colour::Green), support::HOST);
    let h = environment_screen(green, |h| {
        h.open(effective_token());
    });
    for cell in cells_of(h.buffer(), 0, "UAT") {
        assert_eq!(cell.bg, Color::Green, "{cell:?}");
    }
}

#[test]
fn a_confirmation_on_prod_names_the_label_in_red() {
    let mut h = environment_screen(labelled("PROD-EU", false), |h| {
        h.open(effective_token());
        h.key('d');
    });
    let screen = h.render();
    insta::assert_snapshot!("confirm_deactivate_on_prod_eu_80x24", screen);
    assert!(
        screen.contains("PROD-EU (crm.example.com)"),
        "the Server row follows the one naming rule:\n{screen}"
    );
    // The modal's top border carries the label in its colour.
    let border = screen
        .lines()
        .position(|l| l.contains("Deactivate access token"))
        .expect("the modal's title") as u16;
    for cell in cells_of(h.buffer(), border, "PROD-EU") {
        assert_eq!((cell.fg, cell.bg), (Color::White, Color::Red), "{cell:?}");
    }
}

#[test]
fn read_only_shows_at_the_top_and_says_why_no_action_works() {
    let mut h = environment_screen(labelled("PROD-EU", true), |h| {
        h.open(effective_token());
    });
    let screen = h.render();
    insta::assert_snapshot!("token_read_only_80x24", screen);
    for cell in cells_of(h.buffer(), 0, "READ-ONLY") {
        assert_eq!(
            (cell.fg, cell.bg),
            (Color::Black, Color::Yellow),
            "{cell:?}"
        );
    }
    let keys_row = layout::regions(
        ratatui::layout::Rect::new(0, 0, 80, 24),
        h.app.status_rows(),
    )
    .expect("fits")
    .keys
    .y;
    insta::assert_snapshot!(
        "token_read_only_key_hint_styles",
        row_styles(h.buffer(), keys_row)
    );
    // No action works: at 80 columns their hints give way before the keys that do, and
    // the status bar says why.
    let keys_text = screen.lines().nth(usize::from(keys_row)).unwrap_or("");
    for verb in ["deactivate", "re-activate", "delete"] {
        assert!(!keys_text.contains(verb), "{verb}: {keys_text}");
    }
    // The keys that work keep their places (R re-read, further right, gives way to width).
    assert!(
        keys_text.contains("v reveal  H history  E expand all"),
        "{keys_text}"
    );
    assert!(
        screen
            .lines()
            .last()
            .unwrap_or("")
            .starts_with("Read-only:"),
        "the status bar says why:\n{screen}"
    );
}

/// At 40x10, a NOT_EFFECTIVE token on the demo: the footer keeps the keys that work (`a`
/// re-activate) before the crossed-out `d`, and the top line keeps the DEMO badge whole,
/// shortening the host instead.
#[test]
fn a_narrow_screen_drops_what_does_not_work_first() {
    let mut h = Harness::demo(40, 10);
    h.open(not_effective_token());
    let screen = h.render();
    insta::assert_snapshot!("token_not_effective_demo_40x10", screen);
    let lines: Vec<&str> = screen.lines().collect();
    assert!(lines[0].trim_end().ends_with("DEMO"), "{}", lines[0]);
    let footer = lines
        .iter()
        .find(|l| l.contains("? help"))
        .expect("the key row");
    assert!(footer.contains("a re-activate"), "{footer}");
    assert!(!footer.contains("deactivate"), "{footer}");
}

/// Unfocused, a search line too long for a narrow screen reads from its start: there is no
/// cursor to keep in view.
#[test]
fn an_unfocused_search_line_reads_from_its_start() {
    let mut h = Harness::demo(40, 10);
    h.search("id:250 pass:4821");
    h.answer_token(not_effective_token());
    let screen = h.render();
    let top = screen.lines().next().unwrap_or("");
    assert!(top.starts_with(" Search id:250 pa"), "{top}");
    assert!(top.trim_end().ends_with("DEMO"), "{top}");
}

/// At 40 columns every form of the help's title is shortened to fit, never cut: filtered,
/// it still says that other keys close it.
#[test]
fn the_help_title_fits_a_narrow_screen_in_every_form() {
    let mut h = Harness::new(40, 10);
    h.open(not_effective_token());
    h.key('?').key('/').keys("q");
    let typing = h.render();
    assert!(typing.contains("Filter: q_"), "{typing}");
    h.press(KeyCode::Enter);
    let filtered = h.render();
    assert!(
        filtered.contains("Keys with \"q\" (other keys close)"),
        "{filtered}"
    );
    // A longer filter leaves room for the last form only, still whole.
    h.key('?')
        .key('?')
        .key('/')
        .keys("quit")
        .press(KeyCode::Enter);
    let longer = h.render();
    assert!(longer.contains("┌ other keys close ─"), "{longer}");
}

/// The recent tokens as a clerk's day leaves them: three opened, the newest first, all
/// seen at the harness's fixed time.
fn with_recent(h: &mut Harness) {
    let tokens = support::demo_tokens();
    let opened: Vec<Value> = tokens
        .into_iter()
        .filter(|t| t["authentication_code"].is_string())
        .take(3)
        .collect();
    for token in opened {
        h.open(token);
    }
    h.press(KeyCode::Esc);
}

#[test]
fn home_demo_with_recent_tokens() {
    demo_screen("home_demo_recent", with_recent);
    screen("home_recent", with_recent);
}

#[test]
fn recent_list_and_filtered() {
    screen("recent_list", |h| {
        with_recent(h);
        h.ctrl('r').press(KeyCode::Down);
    });
    screen("recent_list_filtered", |h| {
        with_recent(h);
        h.ctrl('r').keys("NOTEFF");
    });
    screen("recent_list_no_match", |h| {
        with_recent(h);
        h.ctrl('r').keys("zzz");
    });
}

#[test]
fn the_idle_lock_hides_every_token() {
    screen("locked", |h| {
        h.app.idle.after = Some(Duration::from_secs(900));
        h.app.idle.can_check = true;
        h.open(not_effective_token());
        h.tick(Duration::from_secs(900));
        h.keys("hunter2").press(KeyCode::Enter);
        h.answer_to(
            h.last_request().0,
            Err(ApiError::invalid_credentials("Invalid credentials")),
        );
    });
}

#[test]
fn a_tokens_history() {
    screen("history", |h| {
        h.open(not_effective_token());
        h.key('H');
        let rows = [
            (
                "2025-06-03 10:00:00",
                "activate",
                "NO OUTCOME: interrupted, it may or may not have happened",
                Some("INC-7"),
            ),
            ("2025-06-02 08:00:00", "reveal", "revealed", None),
            (
                "2025-06-01 09:30:12",
                "deactivate",
                "done: NOT_EFFECTIVE",
                Some("card stolen, ticket INC-4"),
            ),
        ]
        .map(
            |(time, action, result, reason)| tokendesk::audit::read::HistoryRow {
                time: time.into(),
                operator: "clerk".into(),
                action: action.into(),
                result: result.into(),
                reason: reason.map(Into::into),
            },
        );
        h.send(tokendesk::console::app::Msg::HistoryRead(Ok(rows.to_vec())));
    });
}

#[test]
fn a_confirmation_asks_the_reason_on_a_line_of_its_own() {
    use tokendesk::fate::reason::{ReasonPattern, ReasonPolicy, ReasonRule};
    let policy = ReasonPolicy {
        rule: ReasonRule::Required,
        pattern: Some(ReasonPattern::new("^[A-Z]+-[0-9]+$").expect("a pattern")),
    };
    screen("confirm_reason_refused", |h| {
        h.app.reason = policy.clone();
        h.open(with_state(not_effective_token(), "EFFECTIVE"));
        h.key('d');
        h.keys("lost card").press(KeyCode::Enter);
    });
    screen("confirm_reason_given", |h| {
        h.app.reason = policy.clone();
        h.open(with_state(not_effective_token(), "EFFECTIVE"));
        h.key('d');
        h.keys("INC-12").press(KeyCode::Enter);
    });
}
