//! What the command line, the `TOKENDESK_*` variables (clap reads both into
//! `ConnectionArgs`) and the chosen profile of the config file add up to. A flag or variable
//! overrides the profile's field; `read_only` can only be switched on, never off, from the
//! command line; `--allow-http` exists only there. `--demo` uses no profile.

use std::path::PathBuf;
use std::time::Duration;

use crate::api::pages::DEFAULT_LIST_CEILING;
use crate::fate::reason::ReasonPolicy;

use super::connection_args::ConnectionArgs;
use crate::mask::{Glyph, Mask};
use crate::setup::config_file::{Config, ConfigError, Profile};
use crate::setup::display::{ClipboardChoice, Display};
use crate::setup::environment_label::Colour;
use crate::setup::paths;

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Settings {
    pub config: Config,
    /// The profile in use, if any.
    pub profile: Option<String>,
    pub url: Option<String>,
    pub username: Option<String>,
    pub organisation: Option<String>,
    pub unit: Option<String>,
    pub password_command: Option<String>,
    /// The profile's `password_command_timeout`; `--password-command-timeout` wins over it.
    pub password_command_timeout: Option<Duration>,
    pub label: Option<String>,
    pub colour: Option<Colour>,
    pub read_only: bool,
    pub allow_http: bool,
    pub ca_cert: Option<PathBuf>,
    /// `None` only when there is no home directory and no `--audit-log` or `audit_log`.
    pub audit_log: Option<PathBuf>,
    /// The local syslog socket every audit line is copied to: the profile's, else the
    /// config's top-level one; `None` (the default) copies nothing.
    pub audit_syslog: Option<PathBuf>,
    /// The config's extra field names to mask.
    pub mask: Vec<String>,
    /// What masks personal data: bullets, or stars where only ASCII is shown.
    pub glyph: Glyph,
    /// Colour or not, UTF-8 or ASCII: flags over the config file, with `NO_COLOR` and the
    /// locale.
    pub display: Display,
    /// Whether `y`, `Y` and `c` copy (OSC 52) or say copying is off.
    pub copy: bool,
    /// The most tokens a whole list is paged through (`list_ceiling`).
    pub list_ceiling: u64,
    /// Whether the console starts with mouse reporting on (`--mouse`, `mouse`).
    pub mouse: bool,
    /// Where the tokens opened lately are kept; `None` when that is off (`recent = false`,
    /// the profile's over the top level's) or there is no state directory.
    pub recent: Option<PathBuf>,
    /// What an action's reason must be (`reason`, `reason_pattern`).
    pub reason: ReasonPolicy,
    /// How long the console waits without a key before it locks (`idle_lock`, the
    /// profile's over the file's); `None` when it never locks.
    pub idle_lock: Option<Duration>,
}

/// How long the console waits without a key before it locks, unless the config says.
pub const DEFAULT_IDLE_LOCK: Duration = Duration::from_secs(15 * 60);

impl Settings {
    /// Reads the config file and merges the chosen profile with `args`.
    pub fn resolve(args: &ConnectionArgs) -> Result<Settings, ConfigError> {
        Settings::merge(args, Config::load(args.config.as_deref())?)
    }

    /// `args` over the profile `--profile` (or `TOKENDESK_PROFILE`, or the file's
    /// `default_profile`) names in `config`.
    pub fn merge(args: &ConnectionArgs, config: Config) -> Result<Settings, ConfigError> {
        let name = if args.demo {
            None
        } else {
            args.profile
                .clone()
                .or_else(|| config.default_profile.clone())
        };
        let profile = match &name {
            Some(name) => config.profile(name)?.clone(),
            None => Profile::default(),
        };
        let display = Display::resolve(
            args.color.or(config.colour).unwrap_or_default(),
            args.ascii || config.ascii,
            args.theme
                .or(profile.theme)
                .or(config.theme)
                .unwrap_or_default(),
        );
        let chosen = |flag: &Option<String>, field: Option<String>| flag.clone().or(field);
        Ok(Settings {
            profile: name,
            url: chosen(&args.url, profile.url),
            username: chosen(&args.username, profile.username),
            organisation: chosen(&args.organisation, profile.organisation),
            unit: chosen(&args.unit, profile.unit),
            password_command: chosen(&args.password_command, profile.password_command),
            password_command_timeout: profile.password_command_timeout,
            label: profile.label,
            colour: profile.colour,
            read_only: args.read_only || profile.read_only,
            allow_http: args.allow_http,
            ca_cert: args.ca_cert.clone().or(profile.ca_cert),
            audit_log: args
                .audit_log
                .clone()
                .or(profile.audit_log)
                .or_else(|| paths::state_file("audit.jsonl")),
            audit_syslog: profile.audit_syslog.or_else(|| config.audit_syslog.clone()),
            mask: config.mask.clone(),
            glyph: display.mask_glyph(),
            display,
            copy: args.clipboard.or(config.clipboard).unwrap_or_default() == ClipboardChoice::Osc52,
            list_ceiling: profile.list_ceiling.unwrap_or(DEFAULT_LIST_CEILING),
            mouse: args.mouse || profile.mouse.unwrap_or(config.mouse),
            recent: profile
                .recent
                .or(config.recent)
                .unwrap_or(true)
                .then(|| paths::state_file(crate::recent::FILE_NAME))
                .flatten(),
            reason: ReasonPolicy {
                rule: profile.reason.or(config.reason).unwrap_or_default(),
                pattern: profile
                    .reason_pattern
                    .or_else(|| config.reason_pattern.clone()),
            },
            idle_lock: Some(
                profile
                    .idle_lock
                    .or(config.idle_lock)
                    .unwrap_or(DEFAULT_IDLE_LOCK),
            )
            .filter(|lock| !lock.is_zero()),
            config,
        })
    }

    /// The masking rule: the built-in fields, the config's `mask` and the glyph.
    pub fn mask_rule(&self) -> Mask {
        Mask::new(&self.mask, self.glyph)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::args::Cli;
    use clap::Parser;
    use std::path::Path;

    const FILE: &str = r#"
default_profile = "test"
mask = ["tax_number"]
audit_syslog = "/run/systemd/journal/syslog"

[profiles.prod]
url = "https://crm.example.com"
username = "jdoe"
organisation = "ACME"
unit = "HQ"
password_command = "pass show crm/jdoe"
label = "PROD-EU"
read_only = true
ca_cert = "/etc/ssl/acme-ca.pem"
audit_log = "/var/log/tokendesk/jdoe.jsonl"
audit_syslog = "/dev/log"

[profiles.test]
url = "https://crm-test.example.com"
username = "jdoe"
organisation = "ACME-TEST"
label = "TEST"
colour = "green"
"#;

    fn config() -> Config {
        Config::parse(FILE, Path::new("/etc/tokendesk/config.toml")).expect("parses")
    }

    /// The connection options of a command line. clap also reads `TOKENDESK_*` variables for
    /// options not given; the test environment sets none.
    fn args(line: &[&str]) -> ConnectionArgs {
        let mut argv = vec!["tokendesk"];
        argv.extend_from_slice(line);
        Cli::try_parse_from(argv).expect("parses").connection
    }

    #[test]
    fn recent_tokens_are_kept_unless_the_top_level_or_the_profile_says_not() {
        let merged = |file: &str, line: &[&str]| {
            let config =
                Config::parse(file, Path::new("/etc/tokendesk/config.toml")).expect("parses");
            Settings::merge(&args(line), config).expect("merges").recent
        };
        // Kept by default, in the state directory (when there is a home to find it).
        let default = merged("", &[]);
        assert_eq!(
            default,
            paths::state_file(crate::recent::FILE_NAME),
            "{default:?}"
        );
        assert_eq!(merged("recent = false\n", &[]), None);
        assert_eq!(
            merged("recent = false\n", &["--demo"]),
            None,
            "the demo too"
        );
        let profiles = "recent = false\n[profiles.p]\nrecent = true\n[profiles.q]\n";
        assert_eq!(
            merged(profiles, &["--profile", "p"]),
            default,
            "the profile's own wins over the top level's"
        );
        assert_eq!(merged(profiles, &["--profile", "q"]), None);
        let off_in_profile = "[profiles.p]\nrecent = false\n";
        assert_eq!(merged(off_in_profile, &["--profile", "p"]), None);
    }

    #[test]
    fn the_default_profile_applies_when_none_is_named() {
        let settings = Settings::merge(&args(&[]), config()).expect("merges");
        assert_eq!(settings.profile.as_deref(), Some("test"));
        assert_eq!(
            settings.url.as_deref(),
            Some("https://crm-test.example.com")
        );
        assert_eq!(settings.label.as_deref(), Some("TEST"));
        assert_eq!(settings.colour, Some(Colour::Green));
        assert!(!settings.read_only);
        assert_eq!(settings.mask, ["tax_number"]);
    }

    #[test]
    fn a_named_profile_gives_every_field() {
        let settings = Settings::merge(&args(&["--profile", "prod"]), config()).expect("merges");
        assert_eq!(settings.profile.as_deref(), Some("prod"));
        assert_eq!(settings.url.as_deref(), Some("https://crm.example.com"));
        assert_eq!(settings.username.as_deref(), Some("jdoe"));
        assert_eq!(settings.organisation.as_deref(), Some("ACME"));
        assert_eq!(settings.unit.as_deref(), Some("HQ"));
        assert_eq!(
            settings.password_command.as_deref(),
            Some("pass show crm/jdoe")
        );
        assert_eq!(settings.label.as_deref(), Some("PROD-EU"));
        assert!(settings.read_only);
        assert_eq!(
            settings.ca_cert,
            Some(PathBuf::from("/etc/ssl/acme-ca.pem"))
        );
        assert_eq!(
            settings.audit_log,
            Some(PathBuf::from("/var/log/tokendesk/jdoe.jsonl"))
        );
        assert_eq!(settings.audit_syslog, Some(PathBuf::from("/dev/log")));
        // A profile without its own takes the top level's; none at all is off.
        let test = Settings::merge(&args(&["--profile", "test"]), config()).expect("merges");
        assert_eq!(
            test.audit_syslog,
            Some(PathBuf::from("/run/systemd/journal/syslog"))
        );
        let off = Settings::merge(&args(&[]), Config::default()).expect("merges");
        assert_eq!(off.audit_syslog, None);
    }

    #[test]
    fn flags_override_profile_fields() {
        let settings = Settings::merge(
            &args(&[
                "--profile",
                "prod",
                "--url",
                "https://other.example.com",
                "--username",
                "asmith",
                "--organisation",
                "OTHER",
                "--unit",
                "BRANCH",
                "--password-command",
                "echo x",
                "--ca-cert",
                "/tmp/ca.pem",
                "--audit-log",
                "/tmp/audit.jsonl",
            ]),
            config(),
        )
        .expect("merges");
        assert_eq!(settings.url.as_deref(), Some("https://other.example.com"));
        assert_eq!(settings.username.as_deref(), Some("asmith"));
        assert_eq!(settings.organisation.as_deref(), Some("OTHER"));
        assert_eq!(settings.unit.as_deref(), Some("BRANCH"));
        assert_eq!(settings.password_command.as_deref(), Some("echo x"));
        assert_eq!(settings.ca_cert, Some(PathBuf::from("/tmp/ca.pem")));
        assert_eq!(settings.audit_log, Some(PathBuf::from("/tmp/audit.jsonl")));
        // the label stays the profile's: it names the profile, not the flags
        assert_eq!(settings.label.as_deref(), Some("PROD-EU"));
    }

    #[test]
    fn read_only_can_be_added_but_not_removed() {
        let test = Settings::merge(&args(&["--read-only"]), config()).expect("merges");
        assert!(test.read_only);
        let prod = Settings::merge(&args(&["--profile", "prod"]), config()).expect("merges");
        assert!(prod.read_only);
    }

    #[test]
    fn an_unknown_profile_is_an_error_naming_the_real_ones() {
        let error = Settings::merge(&args(&["--profile", "staging"]), config())
            .expect_err("no such profile");
        assert_eq!(
            error.to_string(),
            "/etc/tokendesk/config.toml: there is no profile \"staging\"; the profiles are: prod, test."
        );
    }

    #[test]
    fn demo_uses_no_profile() {
        let settings =
            Settings::merge(&args(&["--demo", "--profile", "prod"]), config()).expect("merges");
        assert_eq!(settings.profile, None);
        assert_eq!(settings.url, None);
        assert_eq!(settings.label, None);
        assert!(!settings.read_only);
    }

    #[test]
    fn without_a_config_file_only_flags_count() {
        let settings = Settings::merge(
            &args(&["--url", "https://a.example.com"]),
            Config::default(),
        )
        .expect("merges");
        assert_eq!(settings.profile, None);
        assert_eq!(settings.url.as_deref(), Some("https://a.example.com"));
        let error =
            Settings::merge(&args(&["--profile", "prod"]), Config::default()).expect_err("no file");
        assert!(
            error.to_string().contains("there is no config file"),
            "{error}"
        );
    }

    #[test]
    fn the_theme_comes_from_the_flag_then_the_profile_then_the_file() {
        use crate::setup::display::{Palette, ThemeChoice};
        let text = "theme = \"light\"\n[profiles.own]\ntheme = \"dark\"\n[profiles.plain]\n";
        let config = Config::parse(text, Path::new("/c.toml")).expect("parses");
        let theme = |line: &[&str], config: Config| {
            Settings::merge(&args(line), config)
                .expect("merges")
                .display
                .theme
        };
        assert_eq!(
            theme(&["--profile", "own"], config.clone()),
            ThemeChoice::Dark
        );
        assert_eq!(
            theme(&["--profile", "plain"], config.clone()),
            ThemeChoice::Light
        );
        assert_eq!(
            theme(&["--profile", "own", "--theme", "auto"], config.clone()),
            ThemeChoice::Auto
        );
        assert_eq!(theme(&[], Config::default()), ThemeChoice::Auto);
        let light = Settings::merge(&args(&["--profile", "plain"]), config).expect("merges");
        assert_eq!(light.display.palette, Palette::Light, "from the start");
    }

    #[test]
    fn the_mouse_comes_from_the_flag_then_the_profile_then_the_file() {
        let on_at_the_top = "mouse = true\n[profiles.off]\nmouse = false\n[profiles.plain]\n";
        let on_at_the_top = Config::parse(on_at_the_top, Path::new("/c.toml")).expect("parses");
        let off_at_the_top = "[profiles.on]\nmouse = true\n[profiles.plain]\n";
        let off_at_the_top = Config::parse(off_at_the_top, Path::new("/c.toml")).expect("parses");
        let mouse = |line: &[&str], config: &Config| {
            Settings::merge(&args(line), config.clone())
                .expect("merges")
                .mouse
        };
        // A profile's, either way, over the top level's.
        assert!(
            !mouse(&["--profile", "off"], &on_at_the_top),
            "the profile's off"
        );
        assert!(
            mouse(&["--profile", "on"], &off_at_the_top),
            "the profile's on"
        );
        // A profile that does not say takes the top level's, and so does the demo.
        assert!(mouse(&["--profile", "plain"], &on_at_the_top));
        assert!(!mouse(&["--profile", "plain"], &off_at_the_top));
        assert!(mouse(&["--demo"], &on_at_the_top));
        // The flag over them all: it only switches the mouse on (Ctrl-t switches it at run time).
        assert!(mouse(&["--profile", "off", "--mouse"], &on_at_the_top));
        assert!(mouse(&["--profile", "plain", "--mouse"], &off_at_the_top));
        // Off unless asked for, so the terminal's own selection works.
        assert!(!mouse(&[], &Config::default()));
        assert!(mouse(&["--mouse"], &Config::default()));
        // TOKENDESK_MOUSE is the flag's own variable (clap reads it when the flag is not
        // given), so it wins as the flag does. It is not set here: the tests share one
        // process environment, which every parse reads.
        let command = <Cli as clap::CommandFactory>::command();
        let flag = command
            .get_arguments()
            .find(|arg| arg.get_id() == "mouse")
            .expect("a --mouse flag");
        assert_eq!(
            flag.get_env(),
            Some(std::ffi::OsStr::new("TOKENDESK_MOUSE"))
        );
    }

    #[test]
    fn reason_and_idle_lock_come_from_the_profile_then_the_file() {
        use crate::fate::reason::ReasonRule;
        let text = "idle_lock = \"30s\"\nreason = \"optional\"\nreason_pattern = \"^T-[0-9]$\"\n\
            [profiles.own]\nidle_lock = \"0\"\nreason = \"required\"\n[profiles.plain]\n";
        let config = Config::parse(text, Path::new("/c.toml")).expect("parses");
        let own = Settings::merge(&args(&["--profile", "own"]), config.clone()).expect("merges");
        assert_eq!(own.idle_lock, None, "0 is off");
        assert_eq!(own.reason.rule, ReasonRule::Required);
        assert!(own.reason.pattern.is_some(), "the file's pattern");
        let plain =
            Settings::merge(&args(&["--profile", "plain"]), config.clone()).expect("merges");
        assert_eq!(plain.idle_lock, Some(Duration::from_secs(30)));
        assert_eq!(plain.reason.rule, ReasonRule::Optional);
        let demo = Settings::merge(&args(&["--demo"]), config).expect("merges");
        assert_eq!(demo.idle_lock, Some(Duration::from_secs(30)));
        assert_eq!(demo.reason.rule, ReasonRule::Optional);
        let none = Settings::merge(&args(&["--demo"]), Config::default()).expect("merges");
        assert_eq!(none.idle_lock, Some(DEFAULT_IDLE_LOCK));
        assert_eq!(none.reason.rule, ReasonRule::Off);
    }
}
