//! The diagnostic log: tracing into a file, never onto the terminal (it would tear the
//! console's screen, and the terminal's scrollback is not a place for what happened).

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use tracing_subscriber::EnvFilter;

/// Sends tracing to `path`, or to `$XDG_STATE_HOME/tokendesk/tokendesk.log` (or
/// `~/.local/state/...`) when none is given. A log that cannot be opened is no reason to
/// refuse to work: the problem is returned as a sentence and logging stays off.
pub fn init(path: Option<&Path>) -> Result<PathBuf, String> {
    let path = match path {
        Some(p) => p.to_path_buf(),
        None => crate::setup::paths::state_file("tokendesk.log")
            .ok_or("no home directory for the log")?,
    };
    // Kept as the audit log is: a regular file of this user, never through a link, created
    // readable by its owner only (it names hosts and users).
    let file = crate::safe_file::open_append(&path)
        .map_err(|e| format!("cannot open {}: {e}", path.display()))?;
    let filter =
        EnvFilter::try_from_env("TOKENDESK_LOG").unwrap_or_else(|_| EnvFilter::new("info"));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(false)
        .with_writer(Mutex::new(file))
        .try_init()
        .map_err(|e| e.to_string())?;
    Ok(path)
}
