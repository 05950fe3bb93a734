//! The audit log: who did what to which token, where, and how it ended, as one JSON object a
//! line. Every action is two lines with the same `request` id: the `intent`, on disk
//! (written, then `fsync`ed) before the request is sent, and the `outcome`, on disk before the
//! result is shown. A kill or a dropped SSH link between the two leaves the intent, so an
//! auditor sees that the action may have happened. Revealing masked personal data is one
//! `reveal` line. Never in it: the password, the session token, the personal data itself
//! (a token is named by its id, number, authentication code and identifier, never its pass
//! code).
//!
//! The file is opened for each line with `O_APPEND` and created `0600`, and locked
//! (`flock`) while the line is written: two consoles of one clerk can share it, and each
//! line lands whole at the end, on a line of its own. It is opened only as `safe_file`
//! allows: never through a link, only a regular file of the user, in a directory nobody
//! else can change; otherwise every action is refused. The file I/O happens on a thread of
//! its own (`writer`), so a slow file never freezes the console.

pub mod audited;
pub mod chain;
pub mod read;
pub mod syslog;
pub mod verify;
mod writer;

use std::fmt;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use serde::Serialize;

use crate::api::{AccessTokenIdentifier, Action, ApiError, Document, TokenSummary};
use crate::fate::{self, Fate};
use crate::safe_file::{self, FileRefusal};
use crate::text::{bounded, sanitize};

/// Who is working, as whom, against which CRM.COM: the same on every line of a session.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct AuditContext {
    /// The CRM.COM username; `None` when the session started from a bare session token.
    pub operator: Option<String>,
    /// The login on the jump host, which tells clerks apart even when they share a CRM user.
    pub os_user: Option<String>,
    pub organisation: Option<String>,
    pub unit: Option<String>,
    pub profile: Option<String>,
    /// The profile's label; `None` when none is configured (the host is always recorded).
    pub label: Option<String>,
    pub host: String,
}

impl AuditContext {
    /// The login on this machine, from the process's real user id: `USER` and `LOGNAME` are
    /// anybody's to set (or unset, as `env -i` and some cron jobs do). A user id with no
    /// account name (a container's) is recorded as `uid N`.
    pub fn os_user() -> Option<String> {
        #[cfg(unix)]
        {
            // SAFETY: getuid cannot fail and touches no memory of ours.
            let uid = unsafe { libc::getuid() };
            Some(account_name(uid).unwrap_or_else(|| format!("uid {uid}")))
        }
        #[cfg(not(unix))]
        {
            None
        }
    }
}

/// The account name of `uid` in the user database, if it has one.
#[cfg(unix)]
fn account_name(uid: libc::uid_t) -> Option<String> {
    use std::ffi::CStr;
    let mut buffer = vec![0 as libc::c_char; 4096];
    loop {
        // SAFETY: an all-zero passwd is a valid value of a plain C struct.
        let mut entry: libc::passwd = unsafe { std::mem::zeroed() };
        let mut found: *mut libc::passwd = std::ptr::null_mut();
        // SAFETY: every pointer is to memory we own for the whole call, and the buffer's
        // length is its own; getpwuid_r writes only there.
        let error = unsafe {
            libc::getpwuid_r(
                uid,
                &mut entry,
                buffer.as_mut_ptr(),
                buffer.len(),
                &mut found,
            )
        };
        if error == libc::ERANGE && buffer.len() < 1 << 20 {
            buffer.resize(buffer.len() * 2, 0);
            continue;
        }
        if error != 0 || found.is_null() || entry.pw_name.is_null() {
            return None;
        }
        // SAFETY: on success pw_name points at a NUL-terminated string inside `buffer`.
        let name = unsafe { CStr::from_ptr(entry.pw_name) };
        return Some(sanitize(&name.to_string_lossy()).into_owned()).filter(|n| !n.is_empty());
    }
}

/// How the audit log names a token: whatever is known of it when the line is written.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct AuditToken {
    pub id: Option<String>,
    pub number: Option<String>,
    pub authentication_code: Option<String>,
    pub identifier: Option<String>,
}

impl AuditToken {
    /// The token as the clerk addressed it (never with its pass code).
    pub fn from_identifier(identifier: &AccessTokenIdentifier) -> AuditToken {
        match identifier {
            AccessTokenIdentifier::AuthenticationCode(code) => AuditToken {
                authentication_code: Some(bounded(code).into_owned()),
                ..AuditToken::default()
            },
            AccessTokenIdentifier::Identifier { identifier, .. } => AuditToken {
                identifier: Some(bounded(identifier).into_owned()),
                ..AuditToken::default()
            },
        }
    }

    /// The token as a server described it, each name cut to about a kilobyte.
    pub fn from_summary(summary: &TokenSummary) -> AuditToken {
        let name = |name: &Option<String>| name.as_deref().map(|n| bounded(n).into_owned());
        AuditToken {
            id: name(&summary.id),
            number: name(&summary.number),
            authentication_code: name(&summary.authentication_code),
            identifier: name(&summary.identifier),
        }
    }

    /// What `self` knows, with the gaps filled from `other`.
    pub fn or(self, other: &AuditToken) -> AuditToken {
        let pick = |mine: Option<String>, theirs: &Option<String>| mine.or_else(|| theirs.clone());
        AuditToken {
            id: pick(self.id, &other.id),
            number: pick(self.number, &other.number),
            authentication_code: pick(self.authentication_code, &other.authentication_code),
            identifier: pick(self.identifier, &other.identifier),
        }
    }
}

/// How an action ended, as the `outcome` line records it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "outcome", rename_all = "lowercase")]
pub enum Outcome {
    /// The server did it; the token's state as it answered (`DELETED` after a delete).
    Done { state: String },
    /// The server said no, in these words.
    Refused { reason: String },
    /// It did not happen: nothing reached the server, or nothing was acted on.
    Failed { reason: String },
    /// The request went out and no answer came back; `reread` is what reading the token
    /// again found (its state, `not found`, or why it could not be read).
    Unknown { reason: String, reread: String },
}

impl Outcome {
    /// The outcome of an action whose answer arrived (or that certainly did not happen).
    /// For an answer that was lost (`ApiError::outcome_unknown`), use [`Outcome::unknown`].
    pub fn known(action: Action, result: &Result<Document, ApiError>) -> Outcome {
        // The core's judgement and words: the same as the screen and the command line say.
        let cut = |text: &str| bounded(text).into_owned();
        match (Fate::of_answer(result), result) {
            (_, Ok(data)) => Outcome::Done {
                state: cut(&fate::state_after(action, data)),
            },
            (Fate::Refused, Err(error)) => Outcome::Refused {
                reason: cut(&error.to_string()),
            },
            (_, Err(error)) => Outcome::Failed {
                reason: cut(&error.to_string()),
            },
        }
    }

    /// The core's word for this outcome: the line's `outcome` field.
    pub fn fate(&self) -> Fate {
        match self {
            Outcome::Done { .. } => Fate::Done,
            Outcome::Refused { .. } => Fate::Refused,
            Outcome::Failed { .. } => Fate::Failed,
            Outcome::Unknown { .. } => Fate::Unknown,
        }
    }

    /// A lost answer, and what re-reading the token found.
    pub fn unknown(error: &ApiError, reread: &Result<Document, ApiError>) -> Outcome {
        Outcome::Unknown {
            reason: bounded(&error.to_string()).into_owned(),
            reread: Outcome::found(reread),
        }
    }

    /// What a re-read found: the token's state, `not found`, or why it could not be read.
    pub fn found(reread: &Result<Document, ApiError>) -> String {
        match reread {
            // The state is cut to about a kilobyte when it is read.
            Ok(data) => TokenSummary::from_value(&data.value).state.to_string(),
            Err(e) if e.is_not_found() => REREAD_NOT_FOUND.to_owned(),
            Err(e) => bounded(&format!("{REREAD_FAILED}{e}")).into_owned(),
        }
    }
}

/// An `unknown` outcome's `reread` when the re-read found no token.
pub const REREAD_NOT_FOUND: &str = "not found";

/// How an `unknown` outcome's `reread` begins when the re-read failed: then nobody knows
/// whether the action happened, and `tokendesk audit` says so.
pub const REREAD_FAILED: &str = "could not re-read: ";

/// How an `unknown` outcome's `reread` begins when no re-read was made.
pub const NOT_REREAD: &str = "not re-read: ";

/// An audit line that could not be written, and what that means for the clerk.
#[derive(Debug)]
pub struct AuditError {
    pub path: Option<PathBuf>,
    pub detail: String,
    stage: Stage,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Stage {
    Intent,
    Outcome,
    Reveal,
    Event,
}

impl AuditError {
    /// True when nothing was done because the record could not be made (intent, reveal).
    pub fn prevented_the_action(&self) -> bool {
        matches!(self.stage, Stage::Intent | Stage::Reveal)
    }
}

impl fmt::Display for AuditError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let log = match &self.path {
            Some(path) => format!("the audit log {}", sanitize(&path.display().to_string())),
            None => "the audit log".to_owned(),
        };
        match self.stage {
            Stage::Intent => write!(
                f,
                "Cannot write to {log} ({}), so nothing was sent: every action is recorded before it is made.",
                self.detail
            ),
            Stage::Outcome => write!(
                f,
                "The action's result could not be written to {log} ({}); tell whoever keeps the audit log.",
                self.detail
            ),
            Stage::Reveal => write!(
                f,
                "Cannot write to {log} ({}), so nothing was revealed.",
                self.detail
            ),
            Stage::Event => write!(f, "Cannot write to {log} ({}).", self.detail),
        }
    }
}

impl std::error::Error for AuditError {}

/// An action whose intent is on disk, waiting for its outcome.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PendingAction {
    /// Ties the outcome line to the intent line.
    pub request: String,
    pub action: Action,
    pub token: AuditToken,
    /// The clerk's reason, on the intent and the outcome line alike.
    pub reason: Option<String>,
}

/// Where the audit lines go, and the context every line carries.
#[derive(Clone, Debug)]
pub struct AuditLog {
    /// `None` when there is nowhere to put it (no home directory and no `--audit-log`):
    /// every action is then refused.
    path: Option<PathBuf>,
    context: AuditContext,
    /// The batch every action line belongs to, when a batch runs them.
    batch: Option<String>,
    /// The console's session (16 hex digits) on every line it writes; `None` on the command
    /// line.
    session: Option<String>,
    /// The clerk's reason for the actions of this log (`--reason`, the confirmation's line).
    reason: Option<String>,
    /// The syslog socket every line is copied to, when there is one (`audit_syslog`).
    syslog: Option<syslog::Syslog>,
}

/// One line of the log, before the writer puts its `seq` and `prev` in front. Field order
/// is the order a person reads it in.
#[derive(Serialize)]
struct Record<'a> {
    time: String,
    event: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    session: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    phase: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    request: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    batch: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    action: Option<&'static str>,
    #[serde(flatten)]
    context: &'a AuditContext,
    #[serde(skip_serializing_if = "Option::is_none")]
    token: Option<&'a AuditToken>,
    /// The clerk's reason for the action (their text, cut to about a kilobyte).
    #[serde(skip_serializing_if = "Option::is_none")]
    reason_given: Option<&'a str>,
    #[serde(flatten)]
    outcome: Option<&'a Outcome>,
    /// How an event other than an action ended: `success` or `failure`.
    #[serde(skip_serializing_if = "Option::is_none")]
    result: Option<&'static str>,
    /// What more an event says: why a log-in failed, how the log was read.
    #[serde(skip_serializing_if = "Option::is_none")]
    detail: Option<&'a str>,
}

impl<'a> Record<'a> {
    /// A line of `event` with only the context: the rest is filled in by the caller.
    fn bare(event: &'static str, log: &'a AuditLog) -> Record<'a> {
        Record {
            time: now(),
            event,
            session: log.session.as_deref(),
            phase: None,
            request: None,
            batch: None,
            action: None,
            context: &log.context,
            token: None,
            reason_given: None,
            outcome: None,
            result: None,
            detail: None,
        }
    }
}

/// What happened, other than an action or a reveal, that the audit log records.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Event<'a> {
    /// The CRM.COM took the username and password.
    LoggedIn,
    /// A log-in was refused or failed; `reason` is the sentence the clerk saw (never the
    /// password).
    LoginFailed {
        reason: &'a str,
    },
    ConsoleOpened,
    ConsoleClosed,
    /// `tokendesk audit` read this log; `verify` when it was `--verify`.
    AuditRead {
        verify: bool,
    },
    /// The console locked itself after the clerk's idle time.
    Locked,
    /// The console unlocked; `checked` is false when nobody could be checked (a session
    /// from a bare session token: Enter unlocks).
    Unlocked {
        checked: bool,
    },
    /// A password that did not unlock the console.
    UnlockRefused,
}

/// The `event` field's values and the details with a meaning of their own: written here,
/// read back by `read`, so a line is named once.
pub(crate) mod event_name {
    pub const ACTION: &str = "action";
    pub const REVEAL: &str = "reveal";
    pub const LOGIN: &str = "login";
    pub const CONSOLE_OPEN: &str = "console_open";
    pub const CONSOLE_CLOSE: &str = "console_close";
    pub const AUDIT_READ: &str = "audit_read";
    pub const LOCK: &str = "lock";
    pub const UNLOCK: &str = "unlock";
    /// An `audit_read`'s detail: `--verify`, or a plain read.
    pub const VERIFY: &str = "verify";
    pub const SHOW: &str = "show";
    /// A log-in's or an unlock's `result`.
    pub const SUCCESS: &str = "success";
    pub const FAILURE: &str = "failure";
}

impl Event<'_> {
    fn name(self) -> &'static str {
        match self {
            Event::LoggedIn | Event::LoginFailed { .. } => event_name::LOGIN,
            Event::ConsoleOpened => event_name::CONSOLE_OPEN,
            Event::ConsoleClosed => event_name::CONSOLE_CLOSE,
            Event::AuditRead { .. } => event_name::AUDIT_READ,
            Event::Locked => event_name::LOCK,
            Event::Unlocked { .. } | Event::UnlockRefused => event_name::UNLOCK,
        }
    }

    fn result(self) -> Option<&'static str> {
        match self {
            Event::LoggedIn | Event::Unlocked { .. } => Some(event_name::SUCCESS),
            Event::LoginFailed { .. } | Event::UnlockRefused => Some(event_name::FAILURE),
            _ => None,
        }
    }

    fn detail(self) -> Option<String> {
        match self {
            Event::LoginFailed { reason } => Some(bounded(reason).into_owned()),
            Event::AuditRead { verify: true } => Some(event_name::VERIFY.into()),
            Event::AuditRead { verify: false } => Some(event_name::SHOW.into()),
            Event::Unlocked { checked: false } => Some(UNLOCK_UNCHECKED.into()),
            _ => None,
        }
    }
}

/// An unlock's `detail` when there was no password to check (a bare session token).
pub const UNLOCK_UNCHECKED: &str = "the lock could not check anyone: no credentials";

impl AuditLog {
    pub fn new(path: Option<PathBuf>, context: AuditContext) -> AuditLog {
        AuditLog {
            path,
            context,
            batch: None,
            session: None,
            reason: None,
            syslog: None,
        }
    }

    /// The same log, every action line of it naming the batch `id`.
    pub fn for_batch(&self, id: &str) -> AuditLog {
        AuditLog {
            batch: Some(id.to_owned()),
            ..self.clone()
        }
    }

    /// The same log, its action lines giving `reason` (the clerk's text: control characters
    /// removed, cut to about a kilobyte; blank is none).
    pub fn with_reason(&self, reason: Option<&str>) -> AuditLog {
        let reason = reason
            .map(|r| bounded(&sanitize(r)).trim().to_owned())
            .filter(|r| !r.is_empty());
        AuditLog {
            reason,
            ..self.clone()
        }
    }

    /// The same log, every line of it copied to `syslog` too.
    pub fn with_syslog(&self, syslog: Option<syslog::Syslog>) -> AuditLog {
        AuditLog {
            syslog,
            ..self.clone()
        }
    }

    /// The same log, a problem with its syslog said to `notice` (the console's status bar)
    /// instead of standard error.
    pub fn telling_syslog_problems(&self, notice: syslog::Notice) -> AuditLog {
        AuditLog {
            syslog: self.syslog.as_ref().map(|s| s.telling(notice)),
            ..self.clone()
        }
    }

    /// The same log, every line of it naming a new console session.
    pub fn for_session(&self) -> AuditLog {
        AuditLog {
            session: Some(new_session_id()),
            ..self.clone()
        }
    }

    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    pub fn context(&self) -> &AuditContext {
        &self.context
    }

    /// Records that `action` is about to be sent. Only once this returns `Ok` may it be.
    pub async fn intent(
        &self,
        action: Action,
        token: &AuditToken,
    ) -> Result<PendingAction, AuditError> {
        self.intent_as(new_request_id(), action, token).await
    }

    /// [`AuditLog::intent`] under a `request` id the caller chose ([`new_request_id`]).
    pub async fn intent_as(
        &self,
        request: String,
        action: Action,
        token: &AuditToken,
    ) -> Result<PendingAction, AuditError> {
        let pending = PendingAction {
            request,
            action,
            token: token.clone(),
            reason: self.reason.clone(),
        };
        self.append(
            &Record {
                phase: Some("intent"),
                request: Some(&pending.request),
                batch: self.batch.as_deref(),
                action: Some(action_name(action)),
                token: Some(token),
                reason_given: pending.reason.as_deref(),
                ..Record::bare(event_name::ACTION, self)
            },
            Stage::Intent,
        )
        .await?;
        Ok(pending)
    }

    /// Records how `pending` ended; `token` may know more than the intent did (the answer
    /// names the token's number and id).
    pub async fn outcome(
        &self,
        pending: &PendingAction,
        token: &AuditToken,
        outcome: &Outcome,
    ) -> Result<(), AuditError> {
        let token = token.clone().or(&pending.token);
        self.append(
            &Record {
                phase: Some("outcome"),
                request: Some(&pending.request),
                batch: self.batch.as_deref(),
                action: Some(action_name(pending.action)),
                token: Some(&token),
                reason_given: pending.reason.as_deref(),
                outcome: Some(outcome),
                ..Record::bare(event_name::ACTION, self)
            },
            Stage::Outcome,
        )
        .await
    }

    /// Records that masked personal data of `token` is about to be shown in clear. Only
    /// once this returns `Ok` may it be.
    pub async fn reveal(&self, token: &AuditToken) -> Result<(), AuditError> {
        self.append(
            &Record {
                token: Some(token),
                ..Record::bare(event_name::REVEAL, self)
            },
            Stage::Reveal,
        )
        .await
    }

    /// Records `event`, and waits until it is on the disk. Its failure stops nothing (the
    /// caller says it).
    pub async fn record(&self, event: Event<'_>) -> Result<(), AuditError> {
        self.record_soon(event).await
    }

    /// Hands `event`'s line to the writer now, in order before every line written after this
    /// call, and returns what waits for it to be on the disk: a caller that must not hang on
    /// a stalled log (the console's opening, a log-in) waits a while, or not at all.
    pub fn record_soon(
        &self,
        event: Event<'_>,
    ) -> impl Future<Output = Result<(), AuditError>> + Send + 'static {
        let detail = event.detail();
        let record = Record {
            result: event.result(),
            detail: detail.as_deref(),
            ..Record::bare(event.name(), self)
        };
        let queued = self.queue(&record, Stage::Event);
        let path = self.path.clone();
        async move { written(queued?, path, Stage::Event).await }
    }

    /// `record`'s line handed to the writer thread; the receiver answers once it is on disk.
    fn queue(&self, record: &Record<'_>, stage: Stage) -> Result<writer::Answer, AuditError> {
        let error = |detail: String| AuditError {
            path: self.path.clone(),
            detail,
            stage,
        };
        let Some(path) = &self.path else {
            return Err(error(
                "there is no home directory to keep it in; give --audit-log FILE".into(),
            ));
        };
        let line = serde_json::to_vec(record).map_err(|e| error(e.to_string()))?;
        let start = serde_json::to_vec(&Record::bare(chain::LOG_START, self))
            .map_err(|e| error(e.to_string()))?;
        writer::queue(path, line, start, self.syslog.clone()).map_err(|e| error(e.to_string()))
    }

    async fn append(&self, record: &Record<'_>, stage: Stage) -> Result<(), AuditError> {
        written(self.queue(record, stage)?, self.path.clone(), stage).await
    }
}

/// Waits for the writer's `answer`: the line is on the disk, or why it is not.
async fn written(
    answer: writer::Answer,
    path: Option<PathBuf>,
    stage: Stage,
) -> Result<(), AuditError> {
    let error = |detail: String| AuditError {
        path,
        detail,
        stage,
    };
    match answer.await {
        Ok(written) => written.map(drop).map_err(|e| error(e.to_string())),
        Err(_) => Err(error("the audit writer has stopped".into())),
    }
}

/// Appends `record` (one JSON object, no newline) in one write, linked into the file's hash
/// chain, and waits until it is on the disk. A file with no chain yet gets `start` (the
/// `log_start` record) first. The file must be a regular file of this user in a directory
/// nobody else can change (`safe_file`), which opens it to read too: the last line is what
/// the next one links to. Blocking: only the writer thread calls it.
fn append_synced(path: &Path, record: &[u8], start: &[u8]) -> Result<Vec<u8>, FileRefusal> {
    let mut file = safe_file::open_append(path)?;
    // Another console or batch of the clerk's may be appending to the same log: reading
    // the last line, linking to it and the write are one step, under the file's lock.
    lock(&file)?;
    // A write cut short (a full disk, a kill) leaves the file ending mid-line; a line
    // appended to that would be lost with it. It starts on a line of its own instead: the
    // broken line stays broken (`tokendesk audit` counts it, `--verify` names it), and the
    // chain goes on from the last whole line.
    let mut bytes = Vec::new();
    if ends_mid_line(&mut file)? {
        bytes.push(b'\n');
    }
    let mut link = chain::Link::after(chain::last_whole_line(&mut file)?.as_deref());
    if link.starts {
        let (line, next) = link.line(start);
        bytes.extend_from_slice(&line);
        link = next;
    }
    let (line, _) = link.line(record);
    bytes.extend_from_slice(&line);
    // One write of short lines: with O_APPEND they land whole even beside another writer.
    file.write_all(&bytes)?;
    file.sync_all()?;
    Ok(bytes)
}

/// Waits for an exclusive lock on `file`; it goes when the file is closed.
#[cfg(unix)]
fn lock(file: &std::fs::File) -> std::io::Result<()> {
    use std::os::fd::AsRawFd;
    loop {
        // SAFETY: `flock` on a descriptor this function borrows, open for its whole call.
        if unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX) } == 0 {
            return Ok(());
        }
        let error = std::io::Error::last_os_error();
        if error.kind() != std::io::ErrorKind::Interrupted {
            return Err(error);
        }
    }
}

#[cfg(not(unix))]
fn lock(_file: &std::fs::File) -> io::Result<()> {
    Ok(())
}

/// Whether the file holds something after its last newline.
fn ends_mid_line(file: &mut std::fs::File) -> std::io::Result<bool> {
    use std::io::{Read, Seek, SeekFrom};
    if file.metadata()?.len() == 0 {
        return Ok(false);
    }
    file.seek(SeekFrom::End(-1))?;
    let mut last = [0u8];
    file.read_exact(&mut last)?;
    Ok(last[0] != b'\n')
}

/// The name an action has in the log, the same as its subcommand.
pub fn action_name(action: Action) -> &'static str {
    match action {
        Action::Deactivate => "deactivate",
        Action::Activate => "activate",
        Action::Delete => "delete",
    }
}

/// UTC, RFC 3339, milliseconds: `2025-06-01T09:30:12.345Z`.
fn now() -> String {
    humantime::format_rfc3339_millis(SystemTime::now()).to_string()
}

/// A name for a batch, unique to this process and moment: every action line of the batch
/// carries it. The console names its batches after it too.
pub fn new_batch_id() -> String {
    let millis = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis());
    format!("b{millis:x}-{:x}", std::process::id())
}

/// A request id, unique across the consoles sharing a log: the time, this process and a
/// counter. It ties an action's outcome line to its intent.
pub fn new_request_id() -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let millis = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis());
    format!(
        "{millis:x}-{:x}-{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed) + 1
    )
}

/// A console session's id: 16 hex digits from the system's random source (or, without
/// one, from the time, the process and a counter), told apart from every other session's.
pub fn new_session_id() -> String {
    use std::io::Read;
    let mut bytes = [0u8; 8];
    let random = std::fs::File::open("/dev/urandom").and_then(|mut f| f.read_exact(&mut bytes));
    if random.is_err() {
        let seed = format!("{}-{}", new_request_id(), now());
        return chain::hash(seed.as_bytes())[..16].to_owned();
    }
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests;
