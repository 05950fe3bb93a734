//! What the tests that run the binary read from its output: stdout and stderr as text, and
//! the two shapes a run ends in (success with nothing on stderr, or one sentence and a status).

use std::process::Output;

pub fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).expect("stdout is UTF-8")
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).expect("stderr is UTF-8")
}

pub fn assert_success(output: &Output) -> String {
    assert_eq!(
        output.status.code(),
        Some(0),
        "stdout: {}\nstderr: {}",
        stdout(output),
        stderr(output)
    );
    assert_eq!(stderr(output), "", "nothing on stderr when it works");
    stdout(output)
}

/// A failure: the exit status, exactly one `tokendesk: ` line on stderr, no stack trace and
/// nothing on stdout. Returns the sentence.
pub fn assert_failure(output: &Output, status: i32) -> String {
    let err = stderr(output);
    assert_eq!(
        output.status.code(),
        Some(status),
        "stdout: {}\nstderr: {err}",
        stdout(output)
    );
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines.len(), 1, "one line on stderr: {err:?}");
    assert!(lines[0].starts_with("tokendesk: "), "{err:?}");
    assert!(
        lines[0].len() > "tokendesk: ".len() + 10,
        "a sentence: {err:?}"
    );
    for trace in [
        "panicked",
        "RUST_BACKTRACE",
        "stack backtrace",
        "Error {",
        "at src/",
    ] {
        assert!(!err.contains(trace), "{err:?}");
    }
    assert!(!err.chars().any(|c| c.is_control() && c != '\n'), "{err:?}");
    assert_eq!(stdout(output), "", "nothing on stdout when it fails");
    lines[0]["tokendesk: ".len()..].to_owned()
}
