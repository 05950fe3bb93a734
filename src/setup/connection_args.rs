//! The flags (each also a `TOKENDESK_*` variable) that say where and how to connect, global
//! to every subcommand and the console. Part of start-up, so that the settings and the
//! connection are made from them without knowing the rest of the command line.

use std::path::PathBuf;

use clap::Args;

use super::display::ClipboardChoice;
use super::display::ColourChoice;
use super::display::ThemeChoice;
use super::secrets::EnvSecrets;

#[derive(Debug, Args)]
pub struct ConnectionArgs {
    /// Run against the built-in CRM.COM simulator with demo data: nothing to set up.
    #[arg(long, global = true, env = "TOKENDESK_DEMO")]
    pub demo: bool,

    /// The CRM.COM API, e.g. https://crm.example.com/crmapi/rest/v2
    #[arg(long, global = true, env = "TOKENDESK_URL", value_name = "URL")]
    pub url: Option<String>,

    /// The CRM.COM user to log in as.
    #[arg(long, global = true, env = "TOKENDESK_USERNAME", value_name = "NAME")]
    pub username: Option<String>,

    /// The organisation to log in to.
    #[arg(
        long,
        global = true,
        env = "TOKENDESK_ORGANISATION",
        value_name = "ORG"
    )]
    pub organisation: Option<String>,

    /// The business unit within the organisation, where it has several.
    #[arg(long, global = true, env = "TOKENDESK_UNIT", value_name = "UNIT")]
    pub unit: Option<String>,

    /// Start from an existing session token instead of logging in: the first line of FILE
    /// (`-`: standard input), or the variable TOKENDESK_SESSION_TOKEN. There is no option
    /// that takes the token itself: `ps` would show it to every user of the host.
    #[arg(long, global = true, value_name = "FILE")]
    pub session_token_file: Option<PathBuf>,

    /// TOKENDESK_PASSWORD and TOKENDESK_SESSION_TOKEN, taken out of the environment by
    /// `main` before anything else runs.
    #[arg(skip)]
    pub env_secrets: EnvSecrets,

    /// A command whose first line of output is the password (e.g. "pass show crm").
    #[arg(
        long,
        global = true,
        env = "TOKENDESK_PASSWORD_COMMAND",
        value_name = "CMD"
    )]
    pub password_command: Option<String>,

    /// Seconds the password command may take before it is stopped [default: the profile's
    /// password_command_timeout, else 60].
    #[arg(
        long,
        global = true,
        env = "TOKENDESK_PASSWORD_COMMAND_TIMEOUT",
        value_name = "SECS"
    )]
    pub password_command_timeout: Option<f64>,

    /// Seconds to wait for a connection.
    #[arg(
        long,
        global = true,
        env = "TOKENDESK_CONNECT_TIMEOUT",
        value_name = "SECS",
        default_value_t = 5.0
    )]
    pub connect_timeout: f64,

    /// Seconds to wait for a whole answer.
    #[arg(
        long,
        global = true,
        env = "TOKENDESK_REQUEST_TIMEOUT",
        value_name = "SECS",
        default_value_t = 30.0
    )]
    pub request_timeout: f64,

    /// Where the diagnostic log goes (it never goes to the terminal).
    #[arg(long, global = true, env = "TOKENDESK_LOG_FILE", value_name = "FILE")]
    pub log_file: Option<PathBuf>,

    /// The config file [default: $XDG_CONFIG_HOME/tokendesk/config.toml].
    #[arg(long, global = true, env = "TOKENDESK_CONFIG", value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// A [profiles.NAME] of the config file [default: its default_profile].
    #[arg(long, global = true, env = "TOKENDESK_PROFILE", value_name = "NAME")]
    pub profile: Option<String>,

    /// Refuse every change: tokens can be read, never deactivated, re-activated or deleted.
    #[arg(long, global = true, env = "TOKENDESK_READ_ONLY")]
    pub read_only: bool,

    /// Allow plain http:// to a host that is not this machine. Deliberately not settable
    /// from the config file or the environment: it is a choice made each time.
    #[arg(long, global = true)]
    pub allow_http: bool,

    /// A PEM file with a private CA to trust beside the system's certificates.
    #[arg(long, global = true, env = "TOKENDESK_CA_CERT", value_name = "FILE")]
    pub ca_cert: Option<PathBuf>,

    /// Where actions are recorded [default: $XDG_STATE_HOME/tokendesk/audit.jsonl].
    #[arg(long, global = true, env = "TOKENDESK_AUDIT_LOG", value_name = "FILE")]
    pub audit_log: Option<PathBuf>,

    /// Colours in the console; without them (never, or auto with NO_COLOR set) bold,
    /// reverse and underline say the same [default: the config's color, else auto].
    #[arg(long, global = true, env = "TOKENDESK_COLOR", value_name = "WHEN")]
    pub color: Option<ColourChoice>,

    /// Only ASCII in borders, symbols, the spinner and masks (automatic when the locale
    /// is not UTF-8).
    #[arg(long, global = true, env = "TOKENDESK_ASCII")]
    pub ascii: bool,

    /// How y, Y and c copy: osc52 (to the clipboard of the terminal on your desk, through
    /// SSH and tmux) or off [default: the config's clipboard, else osc52].
    #[arg(long, global = true, env = "TOKENDESK_CLIPBOARD", value_name = "HOW")]
    pub clipboard: Option<ClipboardChoice>,

    /// The mouse in the console: the wheel scrolls, a click selects, a double click opens.
    /// Off unless asked for, so the terminal's own text selection works; Ctrl-t switches it at
    /// run time [default: the profile's mouse, else the config's, else off].
    #[arg(long, global = true, env = "TOKENDESK_MOUSE")]
    pub mouse: bool,

    /// The console's colours for a light or a dark background, or auto: the terminal is
    /// asked for its background colour after the first frame, and dark holds until it
    /// answers [default: the profile's theme, else the config's, else auto].
    #[arg(long, global = true, env = "TOKENDESK_THEME", value_name = "THEME")]
    pub theme: Option<ThemeChoice>,
}
