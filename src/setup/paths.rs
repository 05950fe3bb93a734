//! Where tokendesk keeps its files, by the XDG base directory rules: the config under
//! `$XDG_CONFIG_HOME` (else `~/.config`), the diagnostic and audit logs under
//! `$XDG_STATE_HOME` (else `~/.local/state`). A relative XDG variable is ignored, as the
//! specification says.

use std::path::{Path, PathBuf};

/// `$XDG_CONFIG_HOME/tokendesk/config.toml`, or `~/.config/tokendesk/config.toml`.
pub fn default_config_file() -> Option<PathBuf> {
    Some(
        base_dir("XDG_CONFIG_HOME", ".config")?
            .join("tokendesk")
            .join("config.toml"),
    )
}

/// `$XDG_STATE_HOME/tokendesk/NAME`, or `~/.local/state/tokendesk/NAME`.
pub fn state_file(name: &str) -> Option<PathBuf> {
    Some(
        base_dir("XDG_STATE_HOME", ".local/state")?
            .join("tokendesk")
            .join(name),
    )
}

fn base_dir(variable: &str, under_home: &str) -> Option<PathBuf> {
    std::env::var_os(variable)
        .map(PathBuf::from)
        .filter(|p| p.is_absolute())
        .or_else(|| home().map(|h| h.join(under_home)))
}

fn home() -> Option<PathBuf> {
    std::env::var_os("HOME")
        .map(PathBuf::from)
        .filter(|p| p.is_absolute())
}

/// A path written in a config file: `~/` is the home directory, and a relative path is
/// relative to the config file's own directory (not to wherever tokendesk was started).
pub fn from_config(written: &str, config_dir: &Path) -> Option<PathBuf> {
    if let Some(rest) = written.strip_prefix("~/") {
        return home().map(|h| h.join(rest));
    }
    let path = PathBuf::from(written);
    Some(if path.is_absolute() {
        path
    } else {
        config_dir.join(path)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn config_paths_are_relative_to_the_file() {
        let dir = Path::new("/etc/tokendesk");
        assert_eq!(
            from_config("ca.pem", dir),
            Some(PathBuf::from("/etc/tokendesk/ca.pem"))
        );
        assert_eq!(
            from_config("/srv/ca.pem", dir),
            Some(PathBuf::from("/srv/ca.pem"))
        );
        if let Some(home) = home() {
            assert_eq!(from_config("~/ca.pem", dir), Some(home.join("ca.pem")));
        }
    }
}
