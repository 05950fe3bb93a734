//! The copy off the machine: every audit line also goes, as one RFC 5424 message, to a local
//! syslog socket (`audit_syslog`, usually `/dev/log`), from where rsyslog or journald carry
//! it to the organisation's central server, out of the clerk's reach. The local file stays
//! the one that decides: a syslog that is missing, refuses or is full never stops or delays
//! an action. The send is a non-blocking datagram from the audit writer's thread, and a
//! problem is said once (to the caller's notice, and the diagnostic log).

use std::fmt;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use serde_json::Value;

use crate::text::sanitize;

/// The syslog facility `authpriv` (10): security and authorisation messages, kept private.
pub const FACILITY_AUTHPRIV: u8 = 10;
/// The severity of an ordinary record: notice (5), a normal but significant condition.
pub const SEVERITY_NOTICE: u8 = 5;
/// The severity of a failed log-in or a refused unlock: warning (4).
pub const SEVERITY_WARNING: u8 = 4;

/// Where a problem with the syslog is said: the console's status bar, the command line's
/// standard error.
pub type Notice = Arc<dyn Fn(String) + Send + Sync>;

/// A syslog socket to copy every audit line to.
#[derive(Clone)]
pub struct Syslog {
    path: PathBuf,
    notice: Notice,
    /// Whether a problem was said already: once is enough, for all the lines after it.
    said: Arc<AtomicBool>,
}

impl fmt::Debug for Syslog {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Syslog").field("path", &self.path).finish()
    }
}

impl Syslog {
    pub fn new(path: PathBuf, notice: Notice) -> Syslog {
        Syslog {
            path,
            notice,
            said: Arc::new(AtomicBool::new(false)),
        }
    }

    /// The same socket, its problems said to `notice` instead.
    pub fn telling(&self, notice: Notice) -> Syslog {
        Syslog {
            notice,
            ..self.clone()
        }
    }

    /// Sends `line` (one audit line, without its newline) without waiting; a problem is said
    /// once. Called on the audit writer's thread only.
    pub fn copy(&self, line: &[u8]) {
        if let Err(error) = send(&self.path, &message(line)) {
            self.say(&error);
        }
    }

    fn say(&self, error: &io::Error) {
        if self.said.swap(true, Ordering::Relaxed) {
            return;
        }
        let path = sanitize(&self.path.display().to_string()).into_owned();
        tracing::warn!(syslog = %path, %error, "the audit log's copy to syslog failed");
        let sentence = if error.kind() == io::ErrorKind::WouldBlock {
            format!(
                "The syslog at {path} is too busy to take audit lines; some are only in the local audit log."
            )
        } else {
            format!(
                "Audit lines are not copied to the syslog at {path} ({error}); they are only in the local audit log."
            )
        };
        (self.notice)(sentence);
    }
}

/// One datagram to the socket at `path`, never waiting for it.
#[cfg(unix)]
fn send(path: &Path, message: &[u8]) -> io::Result<()> {
    let socket = std::os::unix::net::UnixDatagram::unbound()?;
    socket.set_nonblocking(true)?;
    socket.send_to(message, path).map(drop)
}

#[cfg(not(unix))]
fn send(_path: &Path, _message: &[u8]) -> io::Result<()> {
    Err(io::Error::other("there is no local syslog socket here"))
}

/// `line` as an RFC 5424 message: `<PRI>1 TIMESTAMP HOSTNAME tokendesk PROCID MSGID - MSG`,
/// the record's time, event and JSON.
pub fn message(line: &[u8]) -> Vec<u8> {
    let record: Value = serde_json::from_slice(line).unwrap_or(Value::Null);
    let field = |key: &str| {
        record
            .get(key)
            .and_then(Value::as_str)
            .map(|text| header_field(text, LONGEST_FIELD))
            .unwrap_or_else(|| "-".to_owned())
    };
    let failure = record.get("result").and_then(Value::as_str) == Some(super::event_name::FAILURE);
    let severity = if failure {
        SEVERITY_WARNING
    } else {
        SEVERITY_NOTICE
    };
    let mut message = format!(
        "<{}>1 {} {} tokendesk {} {} - ",
        FACILITY_AUTHPRIV * 8 + severity,
        field("time"),
        hostname(),
        std::process::id(),
        field("event"),
    )
    .into_bytes();
    message.extend_from_slice(line);
    message
}

/// The longest header field RFC 5424 allows for what the record fills in (a MSGID).
const LONGEST_FIELD: usize = 32;
/// The longest HOSTNAME RFC 5424 allows.
const LONGEST_HOSTNAME: usize = 255;

/// A header field as RFC 5424 allows it: printable ASCII without spaces, cut to `longest`
/// characters, else `-`.
pub(super) fn header_field(text: &str, longest: usize) -> String {
    let printable = !text.is_empty() && text.bytes().all(|b| (33..=126).contains(&b));
    if printable {
        text.chars().take(longest).collect()
    } else {
        "-".to_owned()
    }
}

/// This machine's name, as the syslog header gives it (`-` when it has none).
pub(super) fn hostname() -> String {
    #[cfg(unix)]
    {
        let mut buffer = [0u8; 256];
        // SAFETY: gethostname writes at most the buffer's length into memory we own.
        let written = unsafe { libc::gethostname(buffer.as_mut_ptr().cast(), buffer.len()) };
        if written == 0 {
            let end = buffer.iter().position(|&b| b == 0).unwrap_or(buffer.len());
            return header_field(&String::from_utf8_lossy(&buffer[..end]), LONGEST_HOSTNAME);
        }
    }
    "-".to_owned()
}
