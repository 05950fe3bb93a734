//! The command line's own words: a note on standard error, output on standard output, and
//! the small wording helpers the subcommands and batches share.

use std::io::{self, Write};

use crate::exit::{self, Failure};

/// One line on standard error on the way to the result, as the failures are written. A
/// terminal that is gone is no reason to stop the work.
pub fn note(text: &str) {
    let _ = writeln!(io::stderr().lock(), "tokendesk: {text}");
}

pub fn write_out(text: &str) -> Result<(), Failure> {
    let mut stdout = io::stdout().lock();
    match stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
    {
        Ok(()) => Ok(()),
        // A closed pipe (`| head`) is the reader's choice, not a failure.
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(Failure::new(
            exit::REFUSED,
            format!("Cannot write the output: {e}."),
        )),
    }
}

pub fn capitalised(word: &str) -> String {
    let mut chars = word.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}
