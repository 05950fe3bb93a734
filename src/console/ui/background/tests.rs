use super::*;

use crossterm::event::KeyEvent;

/// The events crossterm makes of `chunks`, each one read of the terminal: an ESC and the
/// character after it in one read is that character with Alt (two ESCs are one Esc), an
/// ESC that ends a read is Esc, BEL is Ctrl-G, CR is Enter, a capital comes with Shift.
/// (No CSI: no test sends one.)
fn read(chunks: &[&str]) -> Vec<Event> {
    let mut events = Vec::new();
    for chunk in chunks {
        let mut chars = chunk.chars().peekable();
        while let Some(c) = chars.next() {
            let key = match c {
                '\x1b' => match chars.next() {
                    None | Some('\x1b') => KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE),
                    Some(next) => KeyEvent::new(KeyCode::Char(next), KeyModifiers::ALT),
                },
                '\x07' => KeyEvent::new(KeyCode::Char('g'), KeyModifiers::CONTROL),
                '\r' => KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE),
                c if c.is_uppercase() => KeyEvent::new(KeyCode::Char(c), KeyModifiers::SHIFT),
                c => KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE),
            };
            events.push(Event::Key(key));
        }
    }
    events
}

fn awaiting() -> (Replies, Arc<AtomicBool>) {
    let awaited = Arc::new(AtomicBool::new(true));
    (Replies::new(Arc::clone(&awaited)), awaited)
}

/// What `replies` lets through of `events`, as text: keys as
/// text (`j`, `Alt-]`, `Esc`), a colour as `rgb(R,G,B)`; and `quiet` after them when
/// `then_quiet`.
fn through(replies: &mut Replies, events: Vec<Event>, then_quiet: bool) -> Vec<String> {
    let mut out: Vec<Input> = events.into_iter().flat_map(|e| replies.feed(e)).collect();
    if then_quiet {
        out.extend(replies.quiet());
    }
    out.into_iter()
        .map(|input| match input {
            Input::Background(Rgb { red, green, blue }) => format!("rgb({red},{green},{blue})"),
            Input::Event(Event::Key(key)) => match (key.code, key.modifiers) {
                (KeyCode::Char(c), KeyModifiers::NONE | KeyModifiers::SHIFT) => c.to_string(),
                (KeyCode::Char(c), KeyModifiers::ALT) => format!("Alt-{c}"),
                (code, KeyModifiers::NONE) => format!("{code:?}"),
                (code, modifiers) => format!("{code:?}+{modifiers:?}"),
            },
            Input::Event(other) => format!("{other:?}"),
        })
        .collect()
}

const WHITE: &str = "rgb(65535,65535,65535)";

#[test]
fn a_colour_has_one_to_four_hex_digits_a_channel_scaled_to_sixteen_bits() {
    let rgb = |red, green, blue| Some(Rgb { red, green, blue });
    assert_eq!(parse("rgb:ffff/ffff/ffff"), rgb(65535, 65535, 65535));
    assert_eq!(parse("rgb:0000/0000/0000"), rgb(0, 0, 0));
    assert_eq!(parse("rgb:fd/f6/e3"), rgb(0xfdfd, 0xf6f6, 0xe3e3));
    assert_eq!(parse("rgb:f/8/0"), rgb(65535, 0x8888, 0));
    assert_eq!(parse("rgb:fff/800/000"), rgb(65535, 0x8008, 0));
    assert_eq!(parse("rgb:FDF6/E3E3/0102"), rgb(0xfdf6, 0xe3e3, 0x0102));
    // Channels of different widths, as X11 allows.
    assert_eq!(parse("rgb:f/80/0000"), rgb(65535, 0x8080, 0));
    // rgba: the alpha, a hex channel as well, is not the background's colour.
    assert_eq!(parse("rgba:ffff/0000/8080/0000"), rgb(65535, 0, 0x8080));
}

#[test]
fn anything_else_is_no_colour() {
    for garbage in [
        "",
        "?",
        "rgb:",
        "rgb:ffff/ffff",
        "rgb:ffff/ffff/ffff/ffff",
        "rgba:ffff/ffff/ffff",
        "rgba:ffff/ffff/ffff/xx",
        "rgb:fffff/ffff/ffff",
        "rgb:/ffff/ffff",
        "rgb:ggg/fff/fff",
        "rgb:+ff/ff/ff",
        "rgb:ff/ff/ff/",
        "RGB:ff/ff/ff",
        "#ffffff",
        "cmy:0/0/0",
    ] {
        assert_eq!(parse(garbage), None, "{garbage:?}");
    }
}

#[test]
fn an_answer_ended_by_st_or_bel_is_a_colour_and_never_keys() {
    for answer in [
        "\x1b]11;rgb:ffff/ffff/ffff\x1b\\",
        "\x1b]11;rgb:ffff/ffff/ffff\x07",
        "\x1b]11;rgb:FFFF/FFFF/FFFF\x07",
        "\x1b]11;rgb:ff/ff/ff\x1b\\",
        "\x1b]11;rgba:ffff/ffff/ffff/ffff\x1b\\",
    ] {
        let (mut replies, awaited) = awaiting();
        assert_eq!(
            through(&mut replies, read(&[answer]), false),
            [WHITE],
            "{answer:?}"
        );
        assert!(!awaited.load(Ordering::SeqCst), "answered: {answer:?}");
        assert!(!replies.waiting());
    }
}

#[test]
fn keys_before_and_after_an_answer_are_kept_in_order() {
    let (mut replies, _) = awaiting();
    let events = read(&["jk\x1b]11;rgb:0/0/0\x1b\\q/"]);
    assert_eq!(
        through(&mut replies, events, false),
        ["j", "k", "rgb(0,0,0)", "q", "/"]
    );
    // Once answered, Alt-] is a key like any other, and so is Esc.
    let (mut replies, _) = awaiting();
    let events = read(&["\x1b]11;rgb:0/0/0\x07", "\x1b]1", "\x1b"]);
    assert_eq!(
        through(&mut replies, events, false),
        ["rgb(0,0,0)", "Alt-]", "1", "Esc"]
    );
}

#[test]
fn an_answer_read_in_pieces_is_taken_whole() {
    // Split everywhere, the ESCs included: Esc then `]`, Esc then `\`.
    let (mut replies, _) = awaiting();
    let events = read(&["a\x1b", "]1", "1;rgb:ff", "ff/ffff/ff", "ff\x1b", "\\b"]);
    assert_eq!(through(&mut replies, events, false), ["a", WHITE, "b"]);
    // Each piece on its own, with moments of quiet only where the reader waits them out:
    // inside the answer it waits as long as it takes.
    let (mut replies, _) = awaiting();
    let mut out = Vec::new();
    let events = read(&["\x1b]11;rgb:f", "f", "/f", "f/ff\x07"]);
    for (at, event) in events.into_iter().enumerate() {
        out.extend(through(&mut replies, vec![event], false));
        // Alt-], 1, 1 may be keys yet; from `;` on they cannot be.
        assert_eq!(replies.waiting(), at < 3, "after event {at}");
    }
    assert_eq!(out, [WHITE]);
}

#[test]
fn what_only_looked_like_an_answer_is_let_through_in_order() {
    // Alt-] and Esc, then a key that begins no answer: all of them keys, in order.
    let (mut replies, awaited) = awaiting();
    let events = read(&["\x1b]1x", "\x1b", "j", "\x1b]11x"]);
    assert_eq!(
        through(&mut replies, events, false),
        ["Alt-]", "1", "x", "Esc", "j", "Alt-]", "1", "1", "x"]
    );
    assert!(awaited.load(Ordering::SeqCst), "still awaited");
    // Held, then nothing for a moment: keys too, at once.
    for held in ["\x1b", "\x1b]", "\x1b]1", "\x1b]11"] {
        let (mut replies, _) = awaiting();
        let events = read(&[held]);
        let count = events.len();
        let out = through(&mut replies, events, false);
        assert!(out.is_empty() && replies.waiting(), "{held:?} is held");
        assert_eq!(replies.quiet().len(), count, "{held:?} let through");
        assert!(!replies.waiting());
    }
    // Esc Esc: the first let through when the second comes, the second when quiet.
    let (mut replies, _) = awaiting();
    let esc = read(&["\x1b"]);
    let mut out = through(&mut replies, esc.clone(), false);
    assert!(out.is_empty());
    out.extend(through(&mut replies, esc, true));
    assert_eq!(out, ["Esc", "Esc"]);
}

#[test]
fn nothing_is_held_while_no_answer_is_awaited() {
    let mut replies = Replies::new(Arc::new(AtomicBool::new(false)));
    let events = read(&["\x1b", "\x1b]11;rgb:0/0/0\x07"]);
    let count = events.len();
    let out = through(&mut replies, events, false);
    assert_eq!(out.len(), count, "every event is a key: {out:?}");
    assert!(!replies.waiting());
}

#[test]
fn an_answer_that_is_no_colour_is_taken_out_all_the_same() {
    // Not a colour, too long to be one, or cut short by a key that is no colour's
    // character: none of it is keys, nothing more is awaited, and the key after counts.
    let too_long = format!("\x1b]11;rgb:{}\x07j", "f".repeat(100));
    for (answer, after) in [
        ("\x1b]11;cmy:0/0/0\x07j", vec!["j"]),
        (too_long.as_str(), vec!["j"]),
        ("\x1b]11;rgb:ff/ff\x1b", vec![]),
        ("\x1b]11;rgb:ff/f-", vec!["-"]),
    ] {
        let (mut replies, awaited) = awaiting();
        assert_eq!(
            through(&mut replies, read(&[answer]), true),
            after,
            "{answer:?}"
        );
        assert!(!awaited.load(Ordering::SeqCst), "{answer:?}");
    }
    // A key outside a colour's characters ends it: Enter.
    let (mut replies, _) = awaiting();
    let events = read(&["\x1b]11;rgb:ff/ff", "\r"]);
    assert_eq!(through(&mut replies, events, false), ["Enter"]);
}

#[test]
fn a_backslash_after_the_answer_is_its_end_only_right_after_it() {
    let (mut replies, _) = awaiting();
    let events = read(&["\x1b]11;rgb:0/0/0\x1b", "x\\"]);
    assert_eq!(
        through(&mut replies, events, false),
        ["rgb(0,0,0)", "x", "\\"]
    );
    let (mut replies, _) = awaiting();
    let events = read(&["\x1b]11;rgb:0/0/0\x1b"]);
    let mut out = through(&mut replies, events, true);
    out.extend(through(&mut replies, read(&["\\"]), false));
    assert_eq!(out, ["rgb(0,0,0)", "\\"], "after a moment, \\ is a key");
}

#[test]
fn only_a_bracket_right_after_a_held_esc_opens_an_answer() {
    // Esc, then a key, then what an answer's opening would go on with: all keys.
    let (mut replies, _) = awaiting();
    let events = read(&["\x1b", "x11;rgb:0/0/0\x07"]);
    let out = through(&mut replies, events, false);
    assert_eq!(out[..5], ["Esc", "x", "1", "1", ";"]);
    assert!(!out.iter().any(|o| o.starts_with("rgb(")), "{out:?}");
}

#[test]
fn a_key_release_is_no_part_of_an_answer() {
    // Terminals report releases only with the kitty keyboard protocol, which the console
    // does not ask for; one that came would be no `]`.
    let (mut replies, _) = awaiting();
    let mut events = read(&["\x1b"]);
    let mut bracket = KeyEvent::new(KeyCode::Char(']'), KeyModifiers::NONE);
    bracket.kind = KeyEventKind::Release;
    events.push(Event::Key(bracket));
    events.extend(read(&["11;rgb:0/0/0\x07"]));
    let out = through(&mut replies, events, false);
    assert_eq!(out[..3], ["Esc", "]", "1"], "{out:?}");
    assert!(!out.iter().any(|o| o.starts_with("rgb(")), "{out:?}");
}
