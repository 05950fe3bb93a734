//! The config file (`assets/config.example.toml` documents every field): named profiles,
//! each a CRM.COM with its label, colour and safety settings, and the extra fields to mask.
//!
//! A file that is wrong stops tokendesk before it does anything, with the file, line and
//! column and a sentence saying what is wrong: a clerk should never work against a
//! profile that silently lost a setting. So unknown keys are errors, and so is a `[keys]`
//! entry that names no command or no key, or binds a key twice.

use std::collections::BTreeMap;
use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Deserialize;
use serde::de::IgnoredAny;
use toml::Spanned;

use crate::fate::reason::{ReasonPattern, ReasonRule};
use crate::keys::names;
use crate::keys::{COMMANDS, Command, Key, KeyMap};
use crate::setup::display::{ClipboardChoice, ColourChoice, ThemeChoice, choice};
use crate::setup::environment_label::Colour;
use crate::setup::paths;
use crate::text::sanitize;

/// The config file as read, checked and with its paths made absolute.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Config {
    /// The file it came from; `None` when there is no config file.
    pub path: Option<PathBuf>,
    pub default_profile: Option<String>,
    /// Field names to mask beside the built-in ones (ID number, passport number, ...).
    pub mask: Vec<String>,
    pub profiles: BTreeMap<String, Profile>,
    /// `color`: colours in the console, unless `--color` says otherwise.
    pub colour: Option<ColourChoice>,
    /// `ascii = true`: only ASCII in borders, symbols, the spinner and masks.
    pub ascii: bool,
    /// The key table with `[keys]` applied.
    pub keymap: KeyMap,
    /// `clipboard`: how copying reaches the clipboard, unless `--clipboard` says otherwise.
    pub clipboard: Option<ClipboardChoice>,
    /// `mouse = true`: the mouse in the console, unless a profile says otherwise.
    pub mouse: bool,
    /// `theme`: the palette, or the terminal's answer, unless a profile says otherwise.
    pub theme: Option<ThemeChoice>,
    /// `recent = false`: keep no list of the tokens opened lately (a profile's own wins).
    pub recent: Option<bool>,
    /// `audit_syslog`: the local syslog socket every audit line is copied to, unless the
    /// profile names another.
    pub audit_syslog: Option<PathBuf>,
    /// `idle_lock` for every profile that does not set its own; zero is off.
    pub idle_lock: Option<Duration>,
    /// `reason` and `reason_pattern` for every profile that does not set its own (and
    /// for `--demo`, which uses no profile).
    pub reason: Option<ReasonRule>,
    pub reason_pattern: Option<ReasonPattern>,
}

/// One `[profiles.NAME]` table. Every field may be left out; flags and `TOKENDESK_*`
/// variables override what is here.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Profile {
    pub url: Option<String>,
    pub username: Option<String>,
    pub organisation: Option<String>,
    pub unit: Option<String>,
    pub password_command: Option<String>,
    pub label: Option<String>,
    pub colour: Option<Colour>,
    pub read_only: bool,
    pub ca_cert: Option<PathBuf>,
    pub audit_log: Option<PathBuf>,
    /// The local syslog socket every audit line is copied to (over the top-level one).
    pub audit_syslog: Option<PathBuf>,
    /// How long the password command may take.
    pub password_command_timeout: Option<Duration>,
    /// The most tokens a whole list is paged through before tokendesk stops it.
    pub list_ceiling: Option<u64>,
    /// `mouse`: the mouse in the console, over the top level's.
    pub mouse: Option<bool>,
    /// `theme`: the palette, or the terminal's answer, over the top level's.
    pub theme: Option<ThemeChoice>,
    /// `recent`: whether the tokens opened lately are kept, over the top level's.
    pub recent: Option<bool>,
    /// `reason`: whether an action asks for a reason, and needs one.
    pub reason: Option<ReasonRule>,
    /// `reason_pattern`: what every reason must match.
    pub reason_pattern: Option<ReasonPattern>,
    /// `idle_lock`: how long the console may go without a key before it locks; zero is off.
    pub idle_lock: Option<Duration>,
}

/// What is wrong with the config file, and where.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigError {
    pub path: PathBuf,
    /// Line and column, both from 1, when the problem is at one place in the file.
    pub position: Option<(usize, usize)>,
    pub message: String,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let path = sanitize(&self.path.display().to_string()).into_owned();
        match self.position {
            Some((line, column)) => write!(f, "{path}:{line}:{column}: {}", self.message),
            None => write!(f, "{path}: {}", self.message),
        }
    }
}

impl std::error::Error for ConfigError {}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    default_profile: Option<Spanned<String>>,
    #[serde(default)]
    mask: Vec<Spanned<String>>,
    #[serde(default)]
    profiles: BTreeMap<String, RawProfile>,
    #[serde(alias = "colour")]
    color: Option<Spanned<String>>,
    #[serde(default)]
    ascii: bool,
    clipboard: Option<Spanned<String>>,
    recent: Option<bool>,
    #[serde(default)]
    mouse: bool,
    theme: Option<Spanned<String>>,
    audit_syslog: Option<Spanned<String>>,
    idle_lock: Option<Spanned<String>>,
    reason: Option<Spanned<String>>,
    reason_pattern: Option<Spanned<String>>,
    #[serde(default)]
    keys: BTreeMap<Spanned<String>, Spanned<RawKeys>>,
    /// Refused with its own sentence: passwords do not belong in files.
    password: Option<Spanned<IgnoredAny>>,
}

/// A `[keys]` entry's value: one key, or a list.
#[derive(Deserialize)]
#[serde(untagged)]
enum RawKeys {
    One(String),
    Many(Vec<String>),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawProfile {
    url: Option<Spanned<String>>,
    username: Option<String>,
    organisation: Option<String>,
    unit: Option<String>,
    password_command: Option<String>,
    label: Option<Spanned<String>>,
    #[serde(alias = "color")]
    colour: Option<Spanned<String>>,
    #[serde(default)]
    read_only: bool,
    ca_cert: Option<Spanned<String>>,
    audit_log: Option<Spanned<String>>,
    audit_syslog: Option<Spanned<String>>,
    password_command_timeout: Option<Spanned<f64>>,
    list_ceiling: Option<Spanned<i64>>,
    mouse: Option<bool>,
    theme: Option<Spanned<String>>,
    recent: Option<bool>,
    reason: Option<Spanned<String>>,
    reason_pattern: Option<Spanned<String>>,
    idle_lock: Option<Spanned<String>>,
    password: Option<Spanned<IgnoredAny>>,
}

/// The most a config file may hold; a real one is a few kilobytes.
pub const MAX_CONFIG_BYTES: u64 = 1024 * 1024;

const NO_PASSWORDS: &str = "a password does not belong in the config file, where anyone who can read the file can use it; give a password_command instead (for example password_command = \"pass show crm/jdoe\"), or let tokendesk ask for it.";

impl Config {
    /// Reads `explicit` (from `--config`), which must exist, or else the default file,
    /// which may not.
    pub fn load(explicit: Option<&Path>) -> Result<Config, ConfigError> {
        let path = match explicit {
            Some(path) => path.to_path_buf(),
            None => match paths::default_config_file() {
                Some(path) if path.exists() => path,
                _ => return Ok(Config::default()),
            },
        };
        let cannot_read = |why: String| ConfigError {
            path: path.clone(),
            position: None,
            message: format!("cannot read the config file: {why}."),
        };
        // A regular file, and a small one: a FIFO would block and /dev/zero never end.
        let bytes = crate::safe_file::read_bounded(&path, MAX_CONFIG_BYTES)
            .map_err(|e| cannot_read(e.to_string()))?;
        let text =
            String::from_utf8(bytes).map_err(|_| cannot_read("it is not UTF-8 text".into()))?;
        Config::parse(&text, &path)
    }

    /// Parses and checks the text of the file at `path`.
    pub fn parse(text: &str, path: &Path) -> Result<Config, ConfigError> {
        let at = |span: Option<Range<usize>>, message: String| ConfigError {
            path: path.to_path_buf(),
            position: span.map(|s| line_column(text, s.start)),
            message,
        };
        let raw: RawConfig = toml::from_str(text).map_err(|e| at(e.span(), toml_message(&e)))?;
        if let Some(password) = &raw.password {
            return Err(at(Some(password.span()), NO_PASSWORDS.into()));
        }
        let keymap = check_keys(&raw.keys).map_err(|(span, m)| at(Some(span), m))?;
        let dir = path.parent().unwrap_or(Path::new("."));
        let mut profiles = BTreeMap::new();
        for (name, raw_profile) in raw.profiles {
            let profile = check_profile(raw_profile, dir).map_err(|(span, m)| {
                at(
                    Some(span),
                    format!("in [profiles.{}]: {m}", sanitize(&name)),
                )
            })?;
            profiles.insert(name, profile);
        }
        let mut mask = Vec::new();
        for field in raw.mask {
            let name = field.get_ref().trim();
            if name.is_empty() || name.chars().any(char::is_control) {
                return Err(at(
                    Some(field.span()),
                    "mask lists field names, and this one is empty or holds control characters."
                        .into(),
                ));
            }
            mask.push(name.to_owned());
        }
        let default_profile = match raw.default_profile {
            Some(name) if !profiles.contains_key(name.get_ref()) => {
                return Err(at(
                    Some(name.span()),
                    format!(
                        "default_profile is \"{}\", but {}",
                        sanitize(name.get_ref()),
                        existing_profiles(&profiles)
                    ),
                ));
            }
            other => other.map(Spanned::into_inner),
        };
        let at_top = |(span, m): Problem| at(Some(span), m);
        let colour = raw
            .color
            .map(|written| {
                one_of(
                    &written,
                    "color",
                    choice::<ColourChoice>,
                    "auto, always and never",
                )
            })
            .transpose()
            .map_err(at_top)?;
        let clipboard = raw
            .clipboard
            .map(|written| {
                one_of(
                    &written,
                    "clipboard",
                    choice::<ClipboardChoice>,
                    "osc52 and off",
                )
            })
            .transpose()
            .map_err(at_top)?;
        let theme = raw.theme.map(theme).transpose().map_err(at_top)?;
        let audit_syslog = raw
            .audit_syslog
            .map(|p| file_path(p, dir, "audit_syslog"))
            .transpose()
            .map_err(|(span, m)| at(Some(span), m))?;
        let idle_lock = raw
            .idle_lock
            .map(idle_lock)
            .transpose()
            .map_err(|(span, m)| at(Some(span), m))?;
        let (reason, reason_pattern) =
            check_reason(raw.reason, raw.reason_pattern).map_err(|(span, m)| at(Some(span), m))?;
        Ok(Config {
            audit_syslog,
            idle_lock,
            reason,
            reason_pattern,
            path: Some(path.to_path_buf()),
            default_profile,
            mask,
            profiles,
            colour,
            ascii: raw.ascii,
            keymap,
            clipboard,
            mouse: raw.mouse,
            theme,
            recent: raw.recent,
        })
    }

    /// The profile called `name`, or an error that lists the ones there are.
    pub fn profile(&self, name: &str) -> Result<&Profile, ConfigError> {
        if let Some(profile) = self.profiles.get(name) {
            return Ok(profile);
        }
        let Some(path) = &self.path else {
            let expected = paths::default_config_file()
                .map(|p| format!(" (looked for {})", p.display()))
                .unwrap_or_default();
            return Err(ConfigError {
                path: PathBuf::from("--profile"),
                position: None,
                message: format!(
                    "there is no profile \"{}\": there is no config file{}. Give --config FILE, or start one from `tokendesk profiles --example`.",
                    sanitize(name),
                    sanitize(&expected)
                ),
            });
        };
        Err(ConfigError {
            path: path.clone(),
            position: None,
            message: format!(
                "there is no profile \"{}\"; {}",
                sanitize(name),
                existing_profiles(&self.profiles).trim_start_matches("but ")
            ),
        })
    }
}

/// "the profiles are: prod, test." or "there are no profiles.", to end a sentence.
fn existing_profiles(profiles: &BTreeMap<String, Profile>) -> String {
    if profiles.is_empty() {
        return "the file defines no [profiles.NAME].".into();
    }
    let names: Vec<String> = profiles.keys().map(|n| sanitize(n).into_owned()).collect();
    format!("the profiles are: {}.", names.join(", "))
}

type Problem = (Range<usize>, String);

/// The default key table with `[keys]` applied: each entry gives a command its keys
/// wherever it has any (see `KeyMap::apply`).
fn check_keys(keys: &BTreeMap<Spanned<String>, Spanned<RawKeys>>) -> Result<KeyMap, Problem> {
    let mut keymap = KeyMap::default();
    let mut given: Vec<(Range<usize>, Vec<Key>)> = Vec::new();
    for (name, value) in keys {
        let command = Command::named(name.get_ref()).ok_or_else(|| {
            (
                name.span(),
                format!(
                    "[keys] has no command \"{}\"; the commands are {}.",
                    sanitize(name.get_ref()),
                    COMMANDS.map(|(n, _)| n).join(", ")
                ),
            )
        })?;
        let written = match value.get_ref() {
            RawKeys::One(key) => vec![key.as_str()],
            RawKeys::Many(keys) => keys.iter().map(String::as_str).collect(),
        };
        let mut parsed = Vec::new();
        for text in written {
            let key = names::key(text).ok_or_else(|| {
                (
                    value.span(),
                    format!(
                        "\"{}\" is not a key; write a character (\"D\"), a named key (\"Down\", \"PgDn\", \"Enter\", \"Esc\", \"Space\"), or either after Ctrl- or Alt- (\"Ctrl-n\").",
                        sanitize(text)
                    ),
                )
            })?;
            parsed.push(key);
        }
        keymap
            .apply(command, parsed.clone())
            .map_err(|e| (value.span(), format!("{}: {e}", name.get_ref())))?;
        given.push((value.span(), parsed));
    }
    if let Err(conflict) = keymap.validate() {
        // Point at an entry that gave the key; the default table alone has no conflict.
        let span = given
            .iter()
            .find(|(_, keys)| keys.contains(&conflict.key))
            .map(|(span, _)| span.clone())
            .unwrap_or_default();
        return Err((span, conflict.to_string()));
    }
    Ok(keymap)
}

fn check_profile(raw: RawProfile, dir: &Path) -> Result<Profile, Problem> {
    if let Some(password) = &raw.password {
        return Err((password.span(), NO_PASSWORDS.into()));
    }
    let url = match raw.url {
        Some(url) => Some(check_url(url)?),
        None => None,
    };
    let label = match raw.label {
        Some(label) => {
            let text = label.get_ref().trim();
            if text.is_empty() || text.chars().any(char::is_control) {
                return Err((
                    label.span(),
                    "label must be printable text, like \"PROD-EU\".".into(),
                ));
            }
            Some(text.to_owned())
        }
        None => None,
    };
    let colour = raw
        .colour
        .map(|written| one_of(&written, "colour", Colour::parse, &Colour::choices()))
        .transpose()?;
    let (reason, reason_pattern) = check_reason(raw.reason, raw.reason_pattern)?;
    Ok(Profile {
        url,
        username: raw.username,
        organisation: raw.organisation,
        unit: raw.unit,
        password_command: raw.password_command,
        label,
        colour,
        read_only: raw.read_only,
        ca_cert: raw
            .ca_cert
            .map(|p| file_path(p, dir, "ca_cert"))
            .transpose()?,
        audit_log: raw
            .audit_log
            .map(|p| file_path(p, dir, "audit_log"))
            .transpose()?,
        audit_syslog: raw
            .audit_syslog
            .map(|p| file_path(p, dir, "audit_syslog"))
            .transpose()?,
        password_command_timeout: raw
            .password_command_timeout
            .map(|written| {
                Duration::try_from_secs_f64(*written.get_ref())
                    .ok()
                    .filter(|d| !d.is_zero())
                    .ok_or_else(|| {
                        (
                            written.span(),
                            "password_command_timeout is a number of seconds above 0, like 60."
                                .to_owned(),
                        )
                    })
            })
            .transpose()?,
        list_ceiling: raw
            .list_ceiling
            .map(|written| {
                u64::try_from(*written.get_ref())
                    .ok()
                    .filter(|&n| n > 0)
                    .ok_or_else(|| {
                        (
                            written.span(),
                            "list_ceiling is a number of tokens above 0, like 100000.".to_owned(),
                        )
                    })
            })
            .transpose()?,
        mouse: raw.mouse,
        theme: raw.theme.map(theme).transpose()?,
        recent: raw.recent,
        reason,
        reason_pattern,
        idle_lock: raw.idle_lock.map(idle_lock).transpose()?,
    })
}

/// A field written as one of a few words (`words`, as a sentence lists them): what `parse`
/// makes of it, else where it is and the words it may be.
fn one_of<T>(
    written: &Spanned<String>,
    key: &str,
    parse: impl Fn(&str) -> Option<T>,
    words: &str,
) -> Result<T, Problem> {
    parse(written.get_ref()).ok_or_else(|| {
        (
            written.span(),
            format!(
                "{key} \"{}\" is not one of {words}.",
                sanitize(written.get_ref())
            ),
        )
    })
}

/// A `theme`: light, dark or auto.
fn theme(written: Spanned<String>) -> Result<ThemeChoice, Problem> {
    one_of(
        &written,
        "theme",
        choice::<ThemeChoice>,
        "light, dark and auto (auto follows the terminal's background)",
    )
}

/// An `idle_lock`: a duration as humantime writes it ("15m", "30s"), or "0" for off.
fn idle_lock(written: Spanned<String>) -> Result<Duration, Problem> {
    // humantime reads "0" as no time at all: off.
    let text = written.get_ref().trim();
    humantime::parse_duration(text).map_err(|_| {
        (
            written.span(),
            format!(
                "idle_lock \"{}\" is not a duration; write one like \"15m\" or \"30s\", or \"0\" for no lock.",
                sanitize(text)
            ),
        )
    })
}

/// `reason` and `reason_pattern`, of a profile or the whole file.
fn check_reason(
    rule: Option<Spanned<String>>,
    pattern: Option<Spanned<String>>,
) -> Result<(Option<ReasonRule>, Option<ReasonPattern>), Problem> {
    let rule = match rule {
        Some(written) => one_of(
            &written,
            "reason",
            ReasonRule::parse,
            "off, optional and required",
        )?,
        None => return check_pattern(pattern).map(|pattern| (None, pattern)),
    };
    Ok((Some(rule), check_pattern(pattern)?))
}

fn check_pattern(pattern: Option<Spanned<String>>) -> Result<Option<ReasonPattern>, Problem> {
    Ok(match pattern {
        Some(written) => Some(ReasonPattern::new(written.get_ref()).map_err(|why| {
            (
                written.span(),
                format!("reason_pattern is not a regular expression: {why}"),
            )
        })?),
        None => None,
    })
}

fn check_url(url: Spanned<String>) -> Result<String, Problem> {
    let written = url.get_ref().trim();
    match reqwest::Url::parse(written) {
        Ok(parsed) if matches!(parsed.scheme(), "https" | "http") => Ok(written.to_owned()),
        _ => Err((
            url.span(),
            format!(
                "url \"{}\" is not an https:// URL; write it as https://HOST/crmapi/rest/v2.",
                sanitize(written)
            ),
        )),
    }
}

fn file_path(written: Spanned<String>, dir: &Path, key: &str) -> Result<PathBuf, Problem> {
    let text = written.get_ref().trim();
    if text.is_empty() {
        return Err((written.span(), format!("{key} is empty; name a file.")));
    }
    paths::from_config(text, dir).ok_or_else(|| {
        (
            written.span(),
            format!("{key} starts with ~/ but HOME is not set."),
        )
    })
}

const PROFILE_KEYS: &str = "url, username, organisation, unit, password_command, password_command_timeout, label, colour, read_only, ca_cert, audit_log, audit_syslog, list_ceiling, mouse, theme, recent, reason, reason_pattern and idle_lock";
const TOP_LEVEL_KEYS: &str = "default_profile, mask, color, ascii, clipboard, mouse, theme, recent, audit_syslog, idle_lock, reason, reason_pattern, [keys] and [profiles.NAME] tables";

/// The toml crate's words for a problem, as one line ending in a full stop, with serde's
/// internal names replaced by what the file calls things.
fn toml_message(error: &toml::de::Error) -> String {
    let words: Vec<&str> = error.message().split_whitespace().collect();
    let line = sanitize(&words.join(" ")).into_owned();
    if let Some(rest) = line.strip_prefix("unknown field `")
        && let Some((key, expected)) = rest.split_once('`')
    {
        let (place, keys) = if expected.contains("`default_profile`") {
            ("at the top level", TOP_LEVEL_KEYS)
        } else {
            ("in a profile", PROFILE_KEYS)
        };
        return format!("unknown key `{key}` {place}; the keys are {keys}.");
    }
    if line == "duplicate key" {
        return "this key is already set earlier in the same table.".into();
    }
    let line = line
        .replace("struct RawProfile", "a [profiles.NAME] table")
        .replace("expected a boolean", "expected true or false")
        .replace(
            "expected a sequence",
            "expected a list, like [\"tax_number\"]",
        );
    match line.chars().last() {
        Some('.') => line,
        _ => format!("{line}."),
    }
}

/// Line and column (from 1, in characters) of a byte offset into `text`.
fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let before = text.get(..offset.min(text.len())).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    (line, column)
}

#[cfg(test)]
mod tests;
