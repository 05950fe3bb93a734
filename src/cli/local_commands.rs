//! The subcommands that read local files and talk to no server: `tokendesk profiles` (the
//! config file's profiles), `tokendesk audit` (the audit log read back) and `tokendesk
//! recent` (the tokens opened lately in the console).

use std::time::SystemTime;

use serde_json::Value;

use crate::audit::read::{self, Entry, Filter};
use crate::cli::args::AuditArgs;
use crate::setup::config_file::Config;
use crate::setup::connect::SetupError;
use crate::setup::connection_args::ConnectionArgs;
use crate::setup::settings::Settings;
use crate::text::{json_for_terminal, sanitize};

/// What a local subcommand prints: its output, and a warning for standard error.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Printout {
    pub stdout: String,
    pub warning: Option<String>,
}

/// `tokendesk profiles --example`: the documented config file, built into the binary, since
/// a jump host has no checkout to copy it from.
pub const EXAMPLE_CONFIG: &str = include_str!("../../assets/config.example.toml");

/// `tokendesk profiles`: name, label, URL, user and read-only of each profile.
pub fn profiles(args: &ConnectionArgs) -> Result<Printout, SetupError> {
    let config = Config::load(args.config.as_deref()).map_err(|e| SetupError(e.to_string()))?;
    Ok(Printout {
        stdout: profiles_text(&config),
        warning: None,
    })
}

pub fn profiles_text(config: &Config) -> String {
    let Some(path) = &config.path else {
        let looked = crate::setup::paths::default_config_file()
            .map(|p| format!(" at {}", p.display()))
            .unwrap_or_default();
        return format!(
            "No config file{}; `tokendesk profiles --example` prints one to start from.\n",
            sanitize(&looked)
        );
    };
    let path = sanitize(&path.display().to_string()).into_owned();
    if config.profiles.is_empty() {
        return format!("No profiles in {path}.\n");
    }
    let header = ["NAME", "LABEL", "URL", "USER", "READ-ONLY"];
    let rows: Vec<[String; 5]> = config
        .profiles
        .iter()
        .map(|(name, profile)| {
            let name = if config.default_profile.as_deref() == Some(name) {
                format!("{name} (default)")
            } else {
                name.clone()
            };
            [
                name,
                profile.label.clone().unwrap_or_default(),
                profile.url.clone().unwrap_or_default(),
                profile.username.clone().unwrap_or_default(),
                if profile.read_only { "yes" } else { "no" }.to_owned(),
            ]
            .map(|cell| sanitize(&cell).into_owned())
        })
        .collect();
    let mut out = format!("Profiles in {path}:\n");
    out.push_str(&crate::text::columns(header, &rows));
    out
}

/// `tokendesk audit`: the log of `--audit-log`, the profile's `audit_log`, or the default.
pub fn audit(args: &ConnectionArgs, audit: &AuditArgs) -> Result<Printout, SetupError> {
    let settings = Settings::resolve(args).map_err(|e| SetupError(e.to_string()))?;
    let Some(path) = settings.audit_log else {
        return Err(SetupError(
            "There is no home directory, so no default audit log: give --audit-log FILE.".into(),
        ));
    };
    let shown_path = sanitize(&path.display().to_string()).into_owned();
    let filter = Filter {
        token: audit.token.clone(),
        since: audit
            .since
            .as_deref()
            .map(|since| read::parse_since(since, SystemTime::now()))
            .transpose()
            .map_err(SetupError)?,
    };
    let file = read::read(&path)
        .map_err(|e| SetupError(format!("Cannot read the audit log {shown_path}: {e}.")))?;
    let entries: Vec<&Entry> = file.entries.iter().filter(|e| e.matches(&filter)).collect();
    let stdout = if audit.json {
        let records: Vec<Value> = entries
            .iter()
            .flat_map(|e| e.records.iter().cloned())
            .collect();
        json_for_terminal(&Value::Array(records))
    } else if entries.is_empty() {
        format!("Nothing recorded in {shown_path} that matches.\n")
    } else {
        read::table(&entries)
    };
    let warning = match file.unreadable.as_slice() {
        [] => None,
        lines => Some(format!(
            "{} line(s) of {shown_path} are not audit records and were skipped (line {}).",
            lines.len(),
            lines
                .iter()
                .take(10)
                .map(usize::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        )),
    };
    Ok(Printout { stdout, warning })
}

/// `tokendesk recent`: the tokens opened lately in the console, newest first, as text or
/// (`--json`) an array.
pub fn recent(args: &ConnectionArgs, json: bool) -> Result<Printout, SetupError> {
    let settings = Settings::resolve(args).map_err(|e| SetupError(e.to_string()))?;
    let Some(path) = settings.recent else {
        return Ok(Printout {
            stdout: if json { "[]\n".into() } else { String::new() },
            warning: Some(
                "Recent tokens are off (recent = false in the config file, or no home directory)."
                    .into(),
            ),
        });
    };
    let shown_path = sanitize(&path.display().to_string()).into_owned();
    let tokens = crate::recent::load(&path)
        .map_err(|e| SetupError(format!("Cannot read the recent tokens {shown_path}: {e}.")))?;
    let stdout = if json {
        let list = serde_json::to_value(&tokens).unwrap_or(Value::Array(Vec::new()));
        json_for_terminal(&list)
    } else if tokens.is_empty() {
        "No token opened in the console yet.\n".into()
    } else {
        let header = ["NUMBER", "CODE", "STATE", "SEEN"];
        let rows: Vec<[String; 4]> = tokens
            .iter()
            .map(|t| [t.number.clone(), t.code.clone(), t.state.clone(), t.when()])
            .collect();
        crate::text::columns(header, &rows)
    };
    Ok(Printout {
        stdout,
        warning: None,
    })
}
