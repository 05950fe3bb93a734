//! The diagnostic log: tracing into a file, never onto the terminal (it would tear the
//! console's screen, and the terminal's scrollback is not a place for what happened).

use std::fs::{File, OpenOptions};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use tracing_subscriber::EnvFilter;

/// Sends tracing to `path`, or to `$XDG_STATE_HOME/tokendesk/tokendesk.log` (or
/// `~/.local/state/...`) when none is given. A log that cannot be opened is no reason to
/// refuse to work: the problem is returned as a sentence and logging stays off.
pub fn init(path: Option<&Path>) -> Result<PathBuf, String> {
    let path = match path {
        Some(p) => p.to_path_buf(),
        None => crate::paths::state_file("tokendesk.log").ok_or("no home directory for the log")?,
    };
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)
            .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    }
    let file = open_private(&path).map_err(|e| format!("cannot open {}: {e}", path.display()))?;
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

/// The log names hosts and users: readable by its owner only.
fn open_private(path: &Path) -> std::io::Result<File> {
    let mut options = OpenOptions::new();
    options.create(true).append(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(path)
}
