//! The command line's own words: output on standard output (a note on standard error is
//! `exit::note`), and the small wording helpers the subcommands and batches share.

use std::io::{self, BufRead, Write};

use crate::exit::{self, Failure};

pub fn write_out(text: &str) -> Result<(), Failure> {
    write_more(text).map(|_| ())
}

/// Writes `text` to standard output: `Ok(false)` when the reader has gone (`| head`
/// closed the pipe: the reader's choice, not a failure), so that a stream can stop.
pub fn write_more(text: &str) -> Result<bool, Failure> {
    let mut stdout = io::stdout().lock();
    match stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
    {
        Ok(()) => Ok(true),
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(false),
        Err(e) => Err(Failure::new(
            exit::REFUSED,
            format!("Cannot write the output: {e}."),
        )),
    }
}

/// Asks `question` on standard error and reads the answer a line of standard input gives:
/// whether it confirms `answer`, or why it could not be read.
pub fn confirmed(
    question: &str,
    answer: &crate::fate::confirmation::Answer,
) -> Result<bool, String> {
    confirmed_from(question, answer, &mut io::stdin().lock())
}

/// [`confirmed`], the answer read from `input`: the terminal itself (`/dev/tty`) when
/// standard input carries the batch's list.
pub fn confirmed_from(
    question: &str,
    answer: &crate::fate::confirmation::Answer,
    input: &mut dyn BufRead,
) -> Result<bool, String> {
    use crate::fate::confirmation::{self, Answer};
    let mut err = io::stderr().lock();
    let _ = err.write_all(question.as_bytes());
    let _ = err.flush();
    drop(err);
    let mut entered = String::new();
    input
        .read_line(&mut entered)
        .map_err(|e| format!("Cannot read the answer: {e}."))?;
    Ok(match answer {
        Answer::Type(typed) => typed.matches(&entered),
        Answer::Yes => confirmation::is_yes(&entered),
        Answer::Impossible => false,
    })
}
