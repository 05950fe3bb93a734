//! A batch's journal: one JSON line per step, next to the audit log, so that running the
//! same batch again leaves alone what is done and re-reads what was in flight.
//!
//! Each line is written whole with one `write` to a file opened for appending, so a
//! `kill -9` leaves at worst a torn last line, which reading skips. The lines are not
//! synced to the disk one by one: what keeps a token from being acted on twice is not the
//! journal but the re-read before every action (a token already in the target state is
//! skipped, a deleted one is not found), so a journal a power cut shortened costs re-reads,
//! never a second action.

use std::collections::HashMap;
use std::fs::File;
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use serde::{Deserialize, Serialize};

use super::report::Status;
use crate::safe_file::{self, FileRefusal};

/// Where a token stood when the journal was last written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Earlier {
    /// Done or skipped: nothing more to do.
    Settled,
    /// Sent (an intent with no outcome, or an outcome nobody knows): read it again.
    InFlight,
    /// Refused or failed before anything was sent: try again as if new.
    Open,
}

#[derive(Serialize, Deserialize)]
struct Line {
    key: String,
    batch: String,
    phase: Phase,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    status: Option<Status>,
    /// The token's number, once read: a later run names a token it does not read again.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    number: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
enum Phase {
    Intent,
    Outcome,
}

pub struct Journal {
    path: PathBuf,
    file: Mutex<File>,
    earlier: HashMap<String, Earlier>,
    numbers: HashMap<String, String>,
    batch: String,
}

impl Journal {
    /// Opens (or starts) the journal at `path`, reading what earlier runs wrote. It is kept
    /// as the audit log is (`safe_file`): a regular file of this user, never through a link.
    pub fn open(path: &Path, batch: &str) -> Result<Journal, FileRefusal> {
        let mut file = safe_file::open_append(path)?;
        let mut text = String::new();
        file.read_to_string(&mut text)?;
        let (earlier, numbers) = read(&text);
        // A torn last line from a killed run must not swallow the first line of this one.
        if !text.is_empty() && !text.ends_with('\n') {
            file.write_all(b"\n")?;
        }
        Ok(Journal {
            path: path.to_owned(),
            file: Mutex::new(file),
            earlier,
            numbers,
            batch: batch.to_owned(),
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// What earlier runs got to with the token the input names `key`, if anything.
    pub fn earlier(&self, key: &str) -> Option<Earlier> {
        self.earlier.get(key).copied()
    }

    /// The number an earlier run read for the token `key`.
    pub fn number(&self, key: &str) -> Option<&str> {
        self.numbers.get(key).map(String::as_str)
    }

    /// Records that the action on `key` is about to be sent.
    pub fn intent(&self, key: &str) -> io::Result<()> {
        self.append(key, Phase::Intent, None, None)
    }

    /// Records how the token `key` (numbered `number`, when it was read) ended.
    pub fn outcome(&self, key: &str, status: Status, number: Option<&str>) -> io::Result<()> {
        self.append(key, Phase::Outcome, Some(status), number)
    }

    fn append(
        &self,
        key: &str,
        phase: Phase,
        status: Option<Status>,
        number: Option<&str>,
    ) -> io::Result<()> {
        let line = Line {
            key: key.to_owned(),
            batch: self.batch.clone(),
            phase,
            status,
            number: number.map(str::to_owned),
        };
        let mut bytes = serde_json::to_vec(&line).map_err(io::Error::other)?;
        bytes.push(b'\n');
        let mut file = self
            .file
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        file.write_all(&bytes)
    }
}

/// Each key's last word, and the numbers read; lines that do not parse (a torn last line)
/// are skipped.
fn read(text: &str) -> (HashMap<String, Earlier>, HashMap<String, String>) {
    let mut earlier = HashMap::new();
    let mut numbers = HashMap::new();
    for line in text.lines() {
        let Ok(line) = serde_json::from_str::<Line>(line) else {
            continue;
        };
        if let Some(number) = &line.number {
            numbers.insert(line.key.clone(), number.clone());
        }
        let state = match (line.phase, line.status) {
            (Phase::Intent, _) => Earlier::InFlight,
            (Phase::Outcome, Some(status)) if status.settled() => Earlier::Settled,
            (Phase::Outcome, Some(Status::Unknown)) => Earlier::InFlight,
            // A refusal or failure after an intent may still have been sent (a refusal
            // read back by a re-read is sure, but the next run's re-read costs little).
            (Phase::Outcome, _) => match earlier.get(&line.key) {
                Some(Earlier::InFlight) => Earlier::InFlight,
                _ => Earlier::Open,
            },
        };
        earlier.insert(line.key, state);
    }
    (earlier, numbers)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_run_finds_what_the_first_did_and_survives_a_torn_line() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("batches").join("j.jsonl");
        let journal = Journal::open(&path, "b1").expect("opens");
        journal.intent("done").expect("written");
        journal
            .outcome("done", Status::Done, Some("AT1"))
            .expect("written");
        journal
            .outcome("skipped", Status::Skipped, None)
            .expect("written");
        journal.intent("sent").expect("written");
        journal.intent("lost").expect("written");
        journal
            .outcome("lost", Status::Unknown, None)
            .expect("written");
        journal
            .outcome("refused", Status::Refused, None)
            .expect("written");
        // Refused after its intent: the request may have gone, so the next run reads it.
        journal.intent("sent then refused").expect("written");
        journal
            .outcome("sent then refused", Status::Refused, None)
            .expect("written");
        drop(journal);
        // A run killed in the middle of a line.
        let mut file = std::fs::OpenOptions::new()
            .append(true)
            .open(&path)
            .expect("open");
        file.write_all(b"{\"key\":\"torn\",\"ba").expect("written");
        drop(file);

        let journal = Journal::open(&path, "b2").expect("opens again");
        assert_eq!(journal.earlier("done"), Some(Earlier::Settled));
        assert_eq!(journal.number("done"), Some("AT1"));
        assert_eq!(journal.number("skipped"), None);
        assert_eq!(journal.earlier("skipped"), Some(Earlier::Settled));
        assert_eq!(journal.earlier("sent"), Some(Earlier::InFlight));
        assert_eq!(journal.earlier("lost"), Some(Earlier::InFlight));
        assert_eq!(journal.earlier("refused"), Some(Earlier::Open));
        assert_eq!(
            journal.earlier("sent then refused"),
            Some(Earlier::InFlight)
        );
        assert_eq!(journal.earlier("torn"), None);
        assert_eq!(journal.earlier("never"), None);
        journal
            .outcome("sent", Status::Done, None)
            .expect("written");
        drop(journal);
        let journal = Journal::open(&path, "b3").expect("opens a third time");
        assert_eq!(journal.earlier("sent"), Some(Earlier::Settled));
        drop(journal);
        // Only the torn line was ended: runs that ended cleanly leave no blank line.
        let text = std::fs::read_to_string(&path).expect("readable");
        assert_eq!(text.matches("\n\n").count(), 0, "{text}");
    }

    #[test]
    #[cfg(unix)]
    fn a_journal_is_kept_as_the_audit_log_is_never_through_a_link() {
        let dir = tempfile::tempdir().expect("temp dir");
        let elsewhere = dir.path().join("elsewhere.txt");
        std::fs::write(&elsewhere, "kept\n").expect("written");
        let path = dir.path().join("j.jsonl");
        std::os::unix::fs::symlink(&elsewhere, &path).expect("a link");
        let refused = Journal::open(&path, "b1").err().expect("refused");
        assert!(matches!(refused, FileRefusal::Link), "{refused:?}");
        assert_eq!(std::fs::read_to_string(&elsewhere).expect("read"), "kept\n");
    }

    #[test]
    fn a_journal_that_cannot_be_read_is_an_error_not_a_fresh_start() {
        // Starting afresh would forget what an earlier run did, and act on it again.
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("j.jsonl");
        std::fs::write(&path, b"{\"key\":\"a\"}\n\xff\xfe\n").expect("written");
        let error = Journal::open(&path, "b1").err().expect("refused");
        assert!(
            matches!(&error, FileRefusal::Io(e) if e.kind() == io::ErrorKind::InvalidData),
            "{error:?}"
        );
    }
}
