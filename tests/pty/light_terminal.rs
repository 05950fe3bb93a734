//! A light terminal, end to end: the console asks the terminal for its background colour
//! (OSC 11) once its first frame is drawn, and an answer (the test's, as a terminal would
//! send it) turns the colours to the light palette, whenever it comes, and is never taken
//! for keys. A terminal that cannot take the question, or a theme chosen beforehand, is
//! never asked.

// Shared with other tests, which use the parts this file does not.
#[allow(dead_code)]
use crate::support::pty;

use std::path::Path;

/// The question, as the console writes it.
const QUESTION: &str = "\x1b]11;?\x1b\\";

/// A suggestion on the demo's empty screen: a key to type, coloured as keys are.
const SUGGESTION: &str = "99021047380";

/// The colour vt100 parsed for the first cell of `text` on screen.
fn colour_of(screen: &vt100::Screen, text: &str) -> Option<vt100::Color> {
    let (_, cols) = screen.size();
    screen
        .rows(0, cols.get())
        .enumerate()
        .find_map(|(row, line)| {
            let column = line[..line.find(text)?].chars().count();
            Some(screen.cell(row as u16, column as u16)?.fgcolor())
        })
}

const CYAN: vt100::Color = vt100::Color::Idx(6);
const BLUE: vt100::Color = vt100::Color::Idx(4);

fn demo(home: &Path, args: &[&str], env: &[(&str, &str)]) -> pty::Terminal {
    let mut all = vec!["--demo"];
    all.extend_from_slice(args);
    let mut console = pty::Terminal::start(80, 24, home, &all, env);
    console.wait_for_text(SUGGESTION);
    console
}

fn asked(console: &pty::Terminal) -> bool {
    String::from_utf8_lossy(&console.written()).contains(QUESTION)
}

/// Waits until the console has asked, after its first frame.
fn wait_for_the_question(console: &mut pty::Terminal) {
    let start = std::time::Instant::now();
    while !asked(console) {
        assert!(
            start.elapsed() < pty::DEADLINE,
            "the console never asked for the background colour"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let written = console.written();
    let question = written
        .windows(QUESTION.len())
        .position(|w| w == QUESTION.as_bytes())
        .expect("asked");
    let frame = written
        .windows(SUGGESTION.len())
        .position(|w| w == SUGGESTION.as_bytes())
        .expect("drawn");
    assert!(frame < question, "asked only after the first frame");
}

#[test]
fn a_light_answer_turns_the_screen_to_the_light_palette() {
    let home = tempfile::tempdir().expect("a temporary directory");
    let mut console = demo(home.path(), &[], &[]);
    wait_for_the_question(&mut console);
    assert_eq!(
        console.screen(|s| colour_of(s, SUGGESTION)),
        Some(CYAN),
        "dark until the terminal answers"
    );
    // As xterm answers: four hex digits a channel, ended by ST.
    console.send("\x1b]11;rgb:ffff/ffff/ffff\x1b\\");
    console.wait_until("the light palette's blue keys", |s| {
        colour_of(s, SUGGESTION) == Some(BLUE)
    });
    let text = console.text();
    assert!(!text.contains("rgb") && !text.contains("11;"), "{text}");
    // The console reads keys as before: Esc leaves the search line, q quits.
    console.send("\x1b");
    console.wait_for_text("q quit");
    console.send("q");
    console.wait_for_exit();
    console.assert_restored();
}

#[test]
fn an_answer_that_comes_late_between_keys_is_not_typed() {
    let home = tempfile::tempdir().expect("a temporary directory");
    let mut console = demo(home.path(), &[], &[]);
    wait_for_the_question(&mut console);
    // The clerk types; the answer comes in the middle, ended by BEL, read in two pieces
    // with a key right after it.
    console.send("9902");
    console.wait_for_text("9902");
    console.send("\x1b]11;rgb:fdfd/f6f6/");
    console.send("e3e3\x071");
    console.send("047380");
    console.wait_for_text("99021047380 ");
    // The search line holds the code typed; the suggestion below it is a key.
    console.wait_until("the light palette", |s| {
        colour_of(s, "testpassnew1") == Some(BLUE)
    });
    let text = console.text();
    assert!(
        !text.contains("rgb") && !text.contains("11;") && !text.contains(']'),
        "none of the answer was typed:\n{text}"
    );
    console.send("\r");
    console.wait_for_text("Account ACR0000000069");
    console.send("q");
    console.wait_for_exit();
    console.assert_restored();
}

/// Starts the console as `env` and `args` say, makes it draw a second frame after its
/// first (a key that changes the screen), and says whether it asked by then: it asks
/// between the two, if at all.
fn asks_with(args: &[&str], env: &[(&str, &str)]) -> bool {
    let home = tempfile::tempdir().expect("a temporary directory");
    let config = home.path().join("light.toml");
    std::fs::write(&config, "theme = \"light\"\n").expect("write the config");
    let config = config.to_string_lossy().into_owned();
    let args: Vec<&str> = args
        .iter()
        .map(|a| if *a == "CONFIG" { config.as_str() } else { a })
        .collect();
    let mut console = demo(home.path(), &args, env);
    console.send("x");
    console.wait_for_text("x ");
    let asked = asked(&console);
    console.send("\x03");
    console.wait_for_exit();
    asked
}

#[test]
fn a_terminal_that_cannot_take_the_question_or_a_chosen_theme_is_never_asked() {
    assert!(asks_with(&[], &[]), "the default is to ask");
    assert!(
        !asks_with(&[], &[("TERM", "")]),
        "a terminal that does not say"
    );
    assert!(!asks_with(&["--theme", "dark"], &[]), "--theme dark");
    assert!(!asks_with(&["--config", "CONFIG"], &[]), "theme = light");
    assert!(!asks_with(&[], &[("TOKENDESK_THEME", "light")]));
    assert!(
        !asks_with(&[], &[("NO_COLOR", "1")]),
        "no colours to choose"
    );
}

/// A dumb terminal is refused before the first frame (`check_terminal`), so the question,
/// which comes after it, is never written to it.
#[test]
fn a_dumb_terminal_is_refused_before_the_background_question() {
    let home = tempfile::tempdir().expect("a temporary directory");
    let mut console = pty::Terminal::start(80, 24, home.path(), &["--demo"], &[("TERM", "dumb")]);
    console.wait_for_text("tokendesk show CODE");
    let status = console.wait_for_exit();
    assert_eq!(status.exit_code(), 2, "the usage status: {status:?}");
    assert!(!asked(&console), "a dumb terminal would print the question");
}

#[test]
fn theme_light_in_the_config_draws_the_light_palette_from_the_first_frame() {
    let home = tempfile::tempdir().expect("a temporary directory");
    let config = home.path().join("light.toml");
    std::fs::write(&config, "theme = \"light\"\n").expect("write the config");
    let config = config.to_string_lossy().into_owned();
    let mut console = demo(home.path(), &["--config", &config], &[]);
    assert_eq!(console.screen(|s| colour_of(s, SUGGESTION)), Some(BLUE));
    console.send("\x03");
    console.wait_for_exit();
}
