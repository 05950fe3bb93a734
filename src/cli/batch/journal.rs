//! A batch's journal: one JSON line per step, next to the audit log, so that a run killed
//! mid-way can be resumed, and so that the requests it had in flight are found out.
//!
//! A journal never stands in for the server. It holds runs: a run starts (a `run` line),
//! steps through its tokens, and ends with a `finished` line once every token has a row.
//! A token a run settled (done or skipped) is left alone, unread, only by a resume of that
//! same run: one the clerk asks for (`--resume`), or one started within [`RESUME_WINDOW`]
//! of the interrupted run's last step. A run that finished is never resumed: the next run
//! of the same batch reads every token again, and acts where its state asks for it (a token
//! re-activated since is deactivated again).
//!
//! Whatever the run, a token with an intent and no outcome (a request a killed run had in
//! flight) is first waited for (the server may still be carrying it out), then read, and
//! the audit log gets the outcome line the killed run could not write.
//!
//! Each line is written whole with one `write` to a file opened for appending, so a
//! `kill -9` leaves at worst a torn last line, which reading skips. The lines are not
//! synced to the disk one by one: what keeps a token from being acted on twice is not the
//! journal but the read before every action (a token already in the target state is
//! skipped, a deleted one is not found), so a journal a power cut shortened costs reads,
//! never a second action.

use std::collections::HashMap;
use std::fs::File;
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

use crate::fate::{Fate, LeftOut, Outcome};
use crate::safe_file::{self, FileRefusal};

/// How a token ended, as the journal records it. These are the journal's own words, kept
/// as earlier versions wrote them, so that a journal outlives an upgrade; the core's
/// vocabulary ([`Fate`]) maps onto them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Done,
    /// Taken as done from the journal by a resume.
    DoneBefore,
    /// Left out, already in the state the action leads to.
    Skipped,
    /// Refused by the server, or left out for another reason: not done, nothing to retry
    /// blindly.
    Refused,
    Unknown,
    Failed,
}

impl Status {
    /// The journal's word for `outcome`.
    pub fn of(outcome: &Outcome) -> Status {
        match outcome.fate {
            Fate::Done if outcome.from_journal => Status::DoneBefore,
            Fate::Done => Status::Done,
            Fate::LeftOut if outcome.left_out.as_ref().is_some_and(LeftOut::settled) => {
                Status::Skipped
            }
            Fate::LeftOut | Fate::Refused => Status::Refused,
            Fate::Failed => Status::Failed,
            Fate::Unknown => Status::Unknown,
        }
    }

    /// Nothing left to do for it.
    pub fn settled(self) -> bool {
        matches!(self, Status::Done | Status::DoneBefore | Status::Skipped)
    }
}

/// How long after an interrupted run's last step the same batch, run again, resumes it
/// without being asked: long enough to run a killed command again at once, short enough
/// that a token changed since (re-activated by a colleague) is not taken as done.
pub const RESUME_WINDOW: Duration = Duration::from_secs(10 * 60);

/// A run of the batch, as the journal tells it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Run {
    /// The audit batch id of the process that started it; a resume keeps it.
    pub id: String,
    pub started: SystemTime,
    /// When it last wrote a line.
    pub last_step: SystemTime,
    /// It went through every token.
    pub finished: bool,
}

/// What a new process does with the journal's last run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Start {
    /// Goes on with it: what it settled is left alone.
    Resume(Run),
    /// Starts a run of its own: every token is read again.
    Fresh(Fresh),
}

/// Why a run starts afresh.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Fresh {
    /// The journal holds no run.
    FirstRun,
    /// The last run went through every token.
    Finished(Run),
    /// The last run was interrupted longer ago than [`RESUME_WINDOW`], and no resume was
    /// asked for.
    TooOld(Run),
}

/// The rule: resume an interrupted run when asked, or when its last step is recent; never
/// a run that finished.
pub fn start(last: Option<&Run>, now: SystemTime, resume_asked: bool) -> Start {
    let Some(last) = last else {
        return Start::Fresh(Fresh::FirstRun);
    };
    if last.finished {
        return Start::Fresh(Fresh::Finished(last.clone()));
    }
    // A last step in the future (a clock set back) counts as recent.
    let age = now.duration_since(last.last_step).unwrap_or_default();
    if resume_asked || age <= RESUME_WINDOW {
        Start::Resume(last.clone())
    } else {
        Start::Fresh(Fresh::TooOld(last.clone()))
    }
}

/// A request an earlier run sent and never learnt the outcome of.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unanswered {
    /// Its audit request id, to write the missing outcome line under (journals of older
    /// versions have none).
    pub request: Option<String>,
    /// The audit batch id it went out under.
    pub batch: String,
    pub sent: SystemTime,
}

/// What earlier runs left of one token.
#[derive(Clone, Debug, Default)]
struct Token {
    /// The last outcome written for it: by which run, and how it ended.
    last_outcome: Option<(Option<String>, Status)>,
    /// Requests sent since its last outcome line.
    unanswered: Vec<Unanswered>,
    /// Sent by an earlier run with its outcome not known: an intent with no outcome, an
    /// unknown outcome, or a refusal or failure after an intent.
    sent: bool,
    /// Its number, once read: a later run names a token it does not read again.
    number: Option<String>,
}

#[derive(Serialize, Deserialize)]
struct Line {
    /// The run it belongs to (none in journals of older versions).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    run: Option<String>,
    /// The process (audit batch id) that wrote it.
    #[serde(default)]
    batch: String,
    phase: Phase,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    key: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    status: Option<Status>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    number: Option<String>,
    /// An intent's audit request id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    request: Option<String>,
    /// Milliseconds since 1970, UTC.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    at: Option<u64>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
enum Phase {
    Run,
    Intent,
    /// The audit outcome line of an earlier run's unanswered request is written: a later
    /// run neither waits for it nor writes it again.
    Recorded,
    Outcome,
    Finished,
}

pub struct Journal {
    path: PathBuf,
    file: Mutex<File>,
    tokens: HashMap<String, Token>,
    last_run: Option<Run>,
    /// The run this process works for, once [`Journal::begin`] has said which.
    run: Option<String>,
    /// This process's audit batch id.
    batch: String,
}

impl Journal {
    /// Opens (or starts) the journal at `path`, reading what earlier runs wrote. It is kept
    /// as the audit log is (`safe_file`): a regular file of this user, never through a link.
    pub fn open(path: &Path, batch: &str) -> Result<Journal, FileRefusal> {
        let mut file = safe_file::open_append(path)?;
        let mut text = String::new();
        file.read_to_string(&mut text)?;
        let (tokens, last_run) = read(&text);
        // A torn last line from a killed run must not swallow the first line of this one.
        if !text.is_empty() && !text.ends_with('\n') {
            file.write_all(b"\n")?;
        }
        Ok(Journal {
            path: path.to_owned(),
            file: Mutex::new(file),
            tokens,
            last_run,
            run: None,
            batch: batch.to_owned(),
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The journal's last run, if any.
    pub fn last_run(&self) -> Option<&Run> {
        self.last_run.as_ref()
    }

    /// Starts this process's work: on the run `start` resumes, or on a new one.
    pub fn begin(&mut self, start: &Start) -> io::Result<()> {
        let run = match start {
            Start::Resume(run) => run.id.clone(),
            Start::Fresh(_) => self.batch.clone(),
        };
        self.run = Some(run);
        self.append(Phase::Run, None, None, None, None)
    }

    /// Whether the token the input names `key` was settled (done or skipped) by the run
    /// this process resumes: only then is it left alone, unread.
    pub fn settled_in_this_run(&self, key: &str) -> bool {
        self.run
            .as_deref()
            .is_some_and(|run| self.settled_in(run, key))
    }

    /// Whether the run `run` settled (did or skipped) the token `key`, as its last word on it.
    pub fn settled_in(&self, run: &str, key: &str) -> bool {
        self.tokens
            .get(key)
            .and_then(|token| token.last_outcome.as_ref())
            .is_some_and(|(by, status)| status.settled() && by.as_deref() == Some(run))
    }

    /// Whether an earlier run sent the action for `key` without learning how it ended.
    pub fn sent_before(&self, key: &str) -> bool {
        self.tokens.get(key).is_some_and(|token| token.sent)
    }

    /// The requests for `key` that earlier runs sent and never had an outcome line for.
    pub fn unanswered(&self, key: &str) -> &[Unanswered] {
        self.tokens
            .get(key)
            .map_or(&[], |token| token.unanswered.as_slice())
    }

    /// The number an earlier run read for the token `key`.
    pub fn number(&self, key: &str) -> Option<&str> {
        self.tokens
            .get(key)
            .and_then(|token| token.number.as_deref())
    }

    /// Records that the action on `key` is about to be sent, under the audit `request` id.
    pub fn intent(&self, key: &str, request: &str) -> io::Result<()> {
        self.append(Phase::Intent, Some(key), None, None, Some(request))
    }

    /// Records that the audit log now has the outcome line of the earlier run's `request`
    /// for `key`, which that run could not write.
    pub fn recorded(&self, key: &str, request: &str) -> io::Result<()> {
        self.append(Phase::Recorded, Some(key), None, None, Some(request))
    }

    /// Records how the token `key` (numbered `number`, when it was read) ended: this closes
    /// every request for it sent before.
    pub fn outcome(&self, key: &str, status: Status, number: Option<&str>) -> io::Result<()> {
        self.append(Phase::Outcome, Some(key), Some(status), number, None)
    }

    /// Records that the run went through every token: it is never resumed.
    pub fn finished(&self) -> io::Result<()> {
        self.append(Phase::Finished, None, None, None, None)
    }

    fn append(
        &self,
        phase: Phase,
        key: Option<&str>,
        status: Option<Status>,
        number: Option<&str>,
        request: Option<&str>,
    ) -> io::Result<()> {
        let line = Line {
            run: self.run.clone(),
            batch: self.batch.clone(),
            phase,
            key: key.map(str::to_owned),
            status,
            number: number.map(str::to_owned),
            request: request.map(str::to_owned),
            at: Some(millis(SystemTime::now())),
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

fn millis(time: SystemTime) -> u64 {
    time.duration_since(UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
}

fn from_millis(millis: u64) -> SystemTime {
    UNIX_EPOCH + Duration::from_millis(millis)
}

/// Each token's story, and the last run; lines that do not parse (a torn last line) are
/// skipped.
fn read(text: &str) -> (HashMap<String, Token>, Option<Run>) {
    let mut tokens: HashMap<String, Token> = HashMap::new();
    let mut last_run: Option<Run> = None;
    for line in text.lines() {
        let Ok(line) = serde_json::from_str::<Line>(line) else {
            continue;
        };
        let at = line.at.map(from_millis);
        if let (Some(run), Some(at)) = (&line.run, at) {
            match &mut last_run {
                Some(last) if last.id == *run => {
                    last.last_step = last.last_step.max(at);
                    last.finished |= line.phase == Phase::Finished;
                }
                _ if line.phase == Phase::Run => {
                    last_run = Some(Run {
                        id: run.clone(),
                        started: at,
                        last_step: at,
                        finished: false,
                    });
                }
                // A line of a run older than the last one started: nothing to learn.
                _ => {}
            }
        }
        let Some(key) = line.key else {
            continue;
        };
        let token = tokens.entry(key).or_default();
        if let Some(number) = line.number {
            token.number = Some(number);
        }
        match (line.phase, line.status) {
            (Phase::Intent, _) => {
                token.sent = true;
                token.unanswered.push(Unanswered {
                    request: line.request,
                    batch: line.batch,
                    sent: at.unwrap_or(UNIX_EPOCH),
                });
            }
            // Still sent, but no longer waiting for its outcome line.
            (Phase::Recorded, _) => token.unanswered.retain(|sent| sent.request != line.request),
            (Phase::Outcome, Some(status)) => {
                token.sent = match status {
                    _ if status.settled() => false,
                    Status::Unknown => true,
                    // A refusal or failure after an intent may still have been sent (a
                    // refusal read back by a re-read is sure, but another read costs little).
                    _ => token.sent,
                };
                token.unanswered.clear();
                token.last_outcome = Some((line.run, status));
            }
            _ => {}
        }
    }
    (tokens, last_run)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cores_outcomes_keep_the_journals_words() {
        use crate::api::{Action, LifeCycleState};
        let action = Action::Deactivate;
        let fate = |fate: Fate| Outcome {
            fate,
            ..Outcome::done_before()
        };
        let mut done = fate(Fate::Done);
        done.from_journal = false;
        for (outcome, status) in [
            (Outcome::done_before(), Status::DoneBefore),
            (done, Status::Done),
            (
                Outcome::left_out(action, LeftOut::Already(LifeCycleState::NotEffective)),
                Status::Skipped,
            ),
            (
                Outcome::left_out(action, LeftOut::NotFound),
                Status::Refused,
            ),
            (fate(Fate::Refused), Status::Refused),
            (fate(Fate::Failed), Status::Failed),
            (fate(Fate::Unknown), Status::Unknown),
        ] {
            assert_eq!(Status::of(&outcome), status, "{outcome:?}");
        }
    }

    fn at(seconds: u64) -> SystemTime {
        UNIX_EPOCH + Duration::from_secs(1_750_000_000 + seconds)
    }

    fn run(last_step: u64, finished: bool) -> Run {
        Run {
            id: "b1".into(),
            started: at(0),
            last_step: at(last_step),
            finished,
        }
    }

    #[test]
    fn only_an_interrupted_run_is_resumed_when_asked_or_within_the_window() {
        // As README, --resume's help and the note that names it in minutes say.
        assert_eq!(RESUME_WINDOW, Duration::from_secs(10 * 60));
        let window = RESUME_WINDOW.as_secs();
        assert_eq!(start(None, at(5), false), Start::Fresh(Fresh::FirstRun));
        assert_eq!(start(None, at(5), true), Start::Fresh(Fresh::FirstRun));
        // A run that finished: never, asked or not, however recent.
        let done = run(100, true);
        for asked in [false, true] {
            assert_eq!(
                start(Some(&done), at(101), asked),
                Start::Fresh(Fresh::Finished(done.clone()))
            );
        }
        let cut = run(100, false);
        assert_eq!(
            start(Some(&cut), at(101), false),
            Start::Resume(cut.clone())
        );
        assert_eq!(
            start(Some(&cut), at(100 + window), false),
            Start::Resume(cut.clone()),
            "the window's last second"
        );
        assert_eq!(
            start(Some(&cut), at(100 + window + 1), false),
            Start::Fresh(Fresh::TooOld(cut.clone()))
        );
        assert_eq!(
            start(Some(&cut), at(100 + 30 * window), true),
            Start::Resume(cut.clone()),
            "asked for"
        );
        // A clock set back since: as recent.
        assert_eq!(start(Some(&cut), at(50), false), Start::Resume(cut.clone()));
    }

    #[test]
    fn a_run_settles_tokens_for_its_resumes_only() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("batches").join("j.jsonl");
        let mut journal = Journal::open(&path, "b1").expect("opens");
        assert_eq!(journal.last_run(), None);
        journal
            .begin(&Start::Fresh(Fresh::FirstRun))
            .expect("written");
        journal.intent("done", "r1").expect("written");
        journal
            .outcome("done", Status::Done, Some("AT1"))
            .expect("written");
        journal
            .outcome("skipped", Status::Skipped, None)
            .expect("written");
        journal
            .outcome("refused", Status::Refused, None)
            .expect("written");
        drop(journal);

        // Killed: the next process resumes the same run, and trusts what it settled.
        let mut journal = Journal::open(&path, "b2").expect("opens again");
        let last = journal.last_run().cloned().expect("a run");
        assert_eq!(last.id, "b1");
        assert!(!last.finished);
        assert!(journal.settled_in("b1", "done"));
        assert!(journal.settled_in("b1", "skipped"));
        assert!(!journal.settled_in("b1", "refused"));
        assert!(!journal.settled_in("b2", "done"));
        assert!(!journal.settled_in_this_run("done"), "not before begin");
        journal
            .begin(&Start::Resume(last.clone()))
            .expect("written");
        assert!(journal.settled_in_this_run("done"));
        assert!(journal.settled_in_this_run("skipped"));
        assert!(!journal.settled_in_this_run("refused"));
        assert!(!journal.settled_in_this_run("never"));
        assert_eq!(journal.number("done"), Some("AT1"));
        journal
            .outcome("refused", Status::Done, None)
            .expect("written");
        journal.finished().expect("written");
        drop(journal);

        // The resumed run finished: a new run trusts nothing of it.
        let mut journal = Journal::open(&path, "b3").expect("opens a third time");
        let last = journal.last_run().cloned().expect("a run");
        assert_eq!(last.id, "b1", "a resume keeps the run's id");
        assert!(last.finished);
        assert!(journal.settled_in("b1", "refused"), "done by the resume");
        journal
            .begin(&Start::Fresh(Fresh::Finished(last)))
            .expect("written");
        for key in ["done", "skipped", "refused"] {
            assert!(!journal.settled_in_this_run(key), "{key}");
        }
        drop(journal);
        let journal = Journal::open(&path, "b4").expect("opens a fourth time");
        let last = journal.last_run().expect("a run");
        assert_eq!(last.id, "b3", "the new run is the last");
        assert!(!last.finished);
    }

    #[test]
    fn requests_without_an_outcome_are_found_and_survive_a_torn_line() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("j.jsonl");
        let mut journal = Journal::open(&path, "b1").expect("opens");
        journal
            .begin(&Start::Fresh(Fresh::FirstRun))
            .expect("written");
        journal.intent("sent", "r1").expect("written");
        journal.intent("answered", "r2").expect("written");
        journal
            .outcome("answered", Status::Done, None)
            .expect("written");
        journal.intent("lost", "r3").expect("written");
        journal
            .outcome("lost", Status::Unknown, None)
            .expect("written");
        // Refused after its intent: the request may have gone, so it counts as sent.
        journal.intent("sent then refused", "r4").expect("written");
        journal
            .outcome("sent then refused", Status::Refused, None)
            .expect("written");
        journal
            .outcome("refused unsent", Status::Refused, None)
            .expect("written");
        // Sent twice (a busy server), neither answered.
        journal.intent("twice", "r5").expect("written");
        journal.intent("twice", "r6").expect("written");
        // Sent three times; a later run wrote the outcome line of the second, then was
        // killed too.
        for request in ["r7", "r8", "r9"] {
            journal.intent("thrice", request).expect("written");
        }
        journal.recorded("thrice", "r8").expect("written");
        journal.recorded("twice", "r0").expect("written");
        drop(journal);
        // A run killed in the middle of a line.
        let mut file = std::fs::OpenOptions::new()
            .append(true)
            .open(&path)
            .expect("open");
        file.write_all(b"{\"key\":\"torn\",\"ba").expect("written");
        drop(file);

        let mut journal = Journal::open(&path, "b2").expect("opens again");
        let requests = |journal: &Journal, key: &str| -> Vec<String> {
            journal
                .unanswered(key)
                .iter()
                .filter_map(|u| u.request.clone())
                .collect()
        };
        assert_eq!(requests(&journal, "sent"), ["r1"]);
        assert_eq!(journal.unanswered("sent")[0].batch, "b1");
        assert!(journal.unanswered("sent")[0].sent > at(0));
        assert_eq!(requests(&journal, "twice"), ["r5", "r6"]);
        assert_eq!(requests(&journal, "thrice"), ["r7", "r9"]);
        for key in [
            "answered",
            "lost",
            "sent then refused",
            "refused unsent",
            "torn",
        ] {
            assert!(requests(&journal, key).is_empty(), "{key}");
        }
        for key in ["sent", "lost", "sent then refused", "twice", "thrice"] {
            assert!(journal.sent_before(key), "{key}");
        }
        for key in ["answered", "refused unsent", "torn", "never"] {
            assert!(!journal.sent_before(key), "{key}");
        }
        let last = journal.last_run().cloned().expect("a run");
        journal.begin(&Start::Resume(last)).expect("written");
        journal
            .outcome("sent", Status::Done, None)
            .expect("written");
        drop(journal);
        let journal = Journal::open(&path, "b3").expect("opens a third time");
        assert!(
            journal.unanswered("sent").is_empty(),
            "closed by its outcome"
        );
        assert!(!journal.sent_before("sent"));
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
    fn a_journal_of_an_older_version_is_never_resumed() {
        // Its lines name no run: nothing of it is trusted, and what it sent is read again.
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("j.jsonl");
        std::fs::write(
            &path,
            concat!(
                r#"{"key":"a","batch":"b0","phase":"outcome","status":"done"}"#,
                "\n",
                r#"{"key":"b","batch":"b0","phase":"intent"}"#,
                "\n"
            ),
        )
        .expect("written");
        let journal = Journal::open(&path, "b1").expect("opens");
        assert_eq!(journal.last_run(), None);
        assert!(!journal.settled_in("b0", "a"));
        assert!(journal.sent_before("b"));
        assert_eq!(journal.unanswered("b")[0].request, None);
    }

    #[test]
    fn a_journal_that_cannot_be_read_is_an_error_not_a_fresh_start() {
        // Starting afresh would forget what an earlier run sent and never heard back of.
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
