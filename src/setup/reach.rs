//! What another tokendesk needs to reach the server this one works against: the options a
//! command line copied from the console (`$`) carries. Never a password, a password
//! command or a session token: whoever runs the command logs in as they do.

use super::settings::Settings;

/// The server and the session's names, as the command line gives them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Reach {
    /// `--demo`: the built-in simulator; nothing else is needed.
    pub demo: bool,
    pub profile: Option<String>,
    pub url: Option<String>,
    pub username: Option<String>,
    pub organisation: Option<String>,
    pub unit: Option<String>,
    /// `--read-only`: a read-only console's commands stay read-only.
    pub read_only: bool,
}

impl Reach {
    pub fn of(settings: &Settings, demo: bool) -> Reach {
        if demo {
            return Reach {
                demo,
                read_only: settings.read_only,
                ..Reach::default()
            };
        }
        Reach {
            demo,
            profile: settings.profile.clone(),
            url: settings.url.clone(),
            username: settings.username.clone(),
            organisation: settings.organisation.clone(),
            unit: settings.unit.clone(),
            read_only: settings.read_only,
        }
    }
}
