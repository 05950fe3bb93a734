//! Keeping the password and the session token out of what other people on a shared jump
//! host can read: the process list (no option carries a secret), the environment (a
//! secret variable is read once at start, its bytes wiped and the variable removed), and
//! core files (the process is made non-dumpable, which also keeps other users' debuggers
//! and `/proc/PID/environ` away, and its core size limit is 0).

use std::io::Read;
use std::path::Path;

use crate::api::Secret;

/// The secrets the environment held at start, taken out of it.
#[derive(Clone, Debug, Default)]
pub struct EnvSecrets {
    /// `TOKENDESK_PASSWORD`.
    pub password: Option<Secret>,
    /// `TOKENDESK_SESSION_TOKEN`.
    pub session_token: Option<Secret>,
}

impl EnvSecrets {
    /// Takes both variables out of the environment.
    ///
    /// Call it first thing in `main`, while the process has one thread: changing the
    /// environment while another thread may read it is undefined behaviour.
    pub fn take() -> EnvSecrets {
        EnvSecrets {
            password: take_variable("TOKENDESK_PASSWORD"),
            session_token: take_variable("TOKENDESK_SESSION_TOKEN"),
        }
    }
}

/// The variable `name`'s value, after its bytes in the process's environment are
/// overwritten with zeros (they would otherwise stay readable in `/proc/PID/environ` and a
/// core) and the variable removed (so no child process inherits it).
fn take_variable(name: &str) -> Option<Secret> {
    let value = std::env::var_os(name)?;
    #[cfg(unix)]
    wipe_variable(name);
    // SAFETY: `EnvSecrets::take` runs while the process has a single thread.
    unsafe { std::env::remove_var(name) };
    // Moved, not copied, into the buffer that is wiped when dropped.
    let value = value
        .into_string()
        .unwrap_or_else(|odd| odd.to_string_lossy().into_owned());
    Some(Secret::new(value))
}

#[cfg(unix)]
fn wipe_variable(name: &str) {
    let Ok(name) = std::ffi::CString::new(name) else {
        return;
    };
    // SAFETY: `getenv` returns null or a pointer to the value's bytes, NUL-terminated, in
    // the environment block, which is writable; nothing else runs meanwhile (one thread).
    unsafe {
        let value = libc::getenv(name.as_ptr());
        if !value.is_null() {
            std::ptr::write_bytes(value, 0, libc::strlen(value));
        }
    }
}

/// The most a session token file may hold: a CRM.COM session token is a JWT of a few
/// hundred bytes.
const SESSION_TOKEN_FILE_LIMIT: u64 = 64 * 1024;

/// The session token in the file at `path` (`-`: standard input): its first line, trimmed.
pub fn session_token_from(path: &Path) -> Result<Secret, String> {
    let shown = crate::text::sanitize(&path.display().to_string()).into_owned();
    let mut text = zeroize::Zeroizing::new(String::new());
    let read = if path == Path::new("-") {
        std::io::stdin()
            .take(SESSION_TOKEN_FILE_LIMIT)
            .read_to_string(&mut text)
    } else {
        std::fs::File::open(path).and_then(|file| {
            file.take(SESSION_TOKEN_FILE_LIMIT)
                .read_to_string(&mut text)
        })
    };
    let from = if path == Path::new("-") {
        "standard input".to_owned()
    } else {
        shown
    };
    read.map_err(|e| format!("Cannot read the session token from {from}: {e}."))?;
    match text.lines().next().map(str::trim) {
        Some(token) if !token.is_empty() => Ok(Secret::new(token)),
        _ => Err(format!("{from} holds no session token on its first line.")),
    }
}

/// Makes the process non-dumpable (no core file; other users' debuggers and
/// `/proc/PID/environ`, `/proc/PID/mem` refused) and sets its core size limit to 0, for
/// whatever follows from it.
pub fn keep_out_of_cores() {
    #[cfg(target_os = "linux")]
    // SAFETY: `prctl(PR_SET_DUMPABLE, 0)` changes only this process's dumpable flag.
    unsafe {
        libc::prctl(libc::PR_SET_DUMPABLE, 0, 0, 0, 0);
    }
    #[cfg(unix)]
    {
        let none = libc::rlimit {
            rlim_cur: 0,
            rlim_max: 0,
        };
        // SAFETY: `setrlimit` reads the limit this function owns.
        unsafe {
            libc::setrlimit(libc::RLIMIT_CORE, &none);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_session_token_file_gives_its_first_line_and_refuses_an_empty_one() {
        let dir = tempfile::tempdir().expect("temp dir");
        let file = dir.path().join("session");
        std::fs::write(&file, "  eyJhbGci.x.y \nsecond\n").expect("written");
        assert_eq!(
            session_token_from(&file).expect("a token").expose(),
            "eyJhbGci.x.y"
        );
        std::fs::write(&file, "\n").expect("written");
        let error = session_token_from(&file).expect_err("empty");
        assert!(
            error.ends_with("holds no session token on its first line."),
            "{error}"
        );
        let missing = session_token_from(&dir.path().join("none")).expect_err("missing");
        assert!(
            missing.starts_with("Cannot read the session token from "),
            "{missing}"
        );
    }
}
