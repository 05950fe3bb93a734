//! The command line, as clap definitions. Every option also reads a `TOKENDESK_*`
//! variable. There is deliberately no password option, nor one that takes a session token:
//! a secret on a command line ends up in shell history and in `ps` for every user of a
//! shared jump host.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::setup::connection_args::ConnectionArgs;
use crate::simulator::Fault;

#[derive(Debug, Parser)]
#[command(
    name = "tokendesk",
    version = crate::setup::version::LINE,
    about = "A terminal back-office console for CRM.COM access tokens",
    after_help = "The password comes from TOKENDESK_PASSWORD, from --password-command, or is asked for \
                  without echo. With no subcommand, tokendesk opens the console."
)]
pub struct Cli {
    #[command(flatten)]
    pub connection: ConnectionArgs,

    #[command(subcommand)]
    pub command: Option<Command>,
}

/// The options that reach a CRM.COM server, by clap id.
const SERVER_OPTIONS: [&str; 13] = [
    "demo",
    "url",
    "username",
    "organisation",
    "unit",
    "session_token_file",
    "password_command",
    "password_command_timeout",
    "connect_timeout",
    "request_timeout",
    "read_only",
    "allow_http",
    "ca_cert",
];

/// The options only the console uses.
const CONSOLE_OPTIONS: [&str; 5] = ["color", "ascii", "clipboard", "mouse", "theme"];

/// The global options a subcommand has no use for: hidden from its help and its section of
/// the manual, so each lists only what it uses. They are still accepted (a profile or an
/// alias may set them for every command), and do nothing there.
fn unused_by(subcommand: &str) -> Vec<&'static str> {
    let mut unused = CONSOLE_OPTIONS.to_vec();
    match subcommand {
        "show" | "list" | "deactivate" | "activate" | "delete" => {}
        "audit" => unused.extend(SERVER_OPTIONS.iter().chain(&["log_file"])),
        "recent" => unused.extend(SERVER_OPTIONS.iter().chain(&["log_file", "audit_log"])),
        "profiles" => {
            unused.extend(
                SERVER_OPTIONS
                    .iter()
                    .chain(&["log_file", "profile", "audit_log"]),
            )
        }
        "simulate" => {
            unused.extend(
                SERVER_OPTIONS
                    .iter()
                    .chain(&["config", "profile", "audit_log"]),
            )
        }
        // man, completions, help: nothing of a session.
        _ => unused.extend(SERVER_OPTIONS.iter().chain(&[
            "log_file",
            "config",
            "profile",
            "audit_log",
        ])),
    }
    unused
}

/// The command line's definition, as parsed and as documented: each subcommand's help shows
/// only the options it uses.
pub fn command() -> clap::Command {
    use clap::CommandFactory;
    let cli = Cli::command();
    let globals: Vec<clap::Arg> = cli
        .get_arguments()
        .filter(|a| a.is_global_set())
        .cloned()
        .collect();
    let names: Vec<String> = cli
        .get_subcommands()
        .map(|c| c.get_name().to_owned())
        .collect();
    names.iter().fold(cli, |cli, name| {
        cli.mut_subcommand(name, |sub| {
            // A subcommand's own copy of a global option takes its place there (clap copies
            // a global one only where none is), hidden; its value still reaches the whole
            // command line's, as a global's does.
            let unused = unused_by(name);
            globals
                .iter()
                .filter(|a| unused.contains(&a.get_id().as_str()))
                .fold(sub, |sub, global| sub.arg(global.clone().hide(true)))
        })
    })
}

/// The command line as given to this process; a mistake in it is said, with the usage, and
/// ends the process (exit status 2), as clap does.
pub fn parse() -> Cli {
    use clap::FromArgMatches;
    let matches = command().get_matches();
    Cli::from_arg_matches(&matches).unwrap_or_else(|error| error.exit())
}

#[derive(Debug, Subcommand)]
pub enum Command {
    #[command(flatten)]
    Token(TokenCommand),
    /// Run the CRM.COM simulator on its own until Ctrl-C.
    Simulate(SimulateArgs),
    /// List the config file's profiles.
    Profiles {
        /// Print a config file to start from instead, every field commented (save it as
        /// ~/.config/tokendesk/config.toml and edit it).
        #[arg(long)]
        example: bool,
    },
    /// Show the audit log: who did what to which token, and how it ended.
    Audit(AuditArgs),
    /// List the tokens opened lately in the console, newest first (never a pass code).
    Recent {
        /// Print a JSON array instead: number, code, state and seen (UTC) of each.
        #[arg(long)]
        json: bool,
    },
    /// Print the manual page, as the packages install it (read it with: tokendesk man | man -l -).
    Man,
    /// Print the shell completion script, as the packages install it.
    Completions {
        /// The shell that will load the script.
        #[arg(value_enum)]
        shell: CompletionShell,
    },
}

/// The shells `tokendesk completions` writes a script for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum CompletionShell {
    Bash,
    Zsh,
    Fish,
}

#[derive(Debug, Args)]
pub struct AuditArgs {
    /// Only this token: its number, authentication code, identifier or id.
    #[arg(long, value_name = "CODE_OR_NUMBER")]
    pub token: Option<String>,
    /// Only from then on: a UTC date (2025-06-01) or time (2025-06-01T09:30:00Z), or an
    /// age (2h, 7days).
    #[arg(long, value_name = "DATE")]
    pub since: Option<String>,
    /// The records as a JSON array instead of a table.
    #[arg(long)]
    pub json: bool,
    /// Walk the log's hash chain and say whether it holds, or the first line that breaks it
    /// (exit status 1; 10 when the log has no chain to verify).
    #[arg(long, conflicts_with_all = ["token", "since", "json"])]
    pub verify: bool,
}

/// The subcommands that talk to a CRM.COM.
#[derive(Debug, Subcommand)]
pub enum TokenCommand {
    /// Show one access token.
    Show {
        #[command(flatten)]
        token: TokenArgs,
        #[command(flatten)]
        output: OutputArgs,
    },
    /// List the access tokens of an accounts receivable or a rewards participant.
    List {
        #[command(flatten)]
        owner: OwnerArgs,
        /// Stop after this many tokens: if the list holds more, say so and exit 9 [default:
        /// all of them, page by page, up to the profile's list_ceiling, 100000].
        #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
        limit: Option<u64>,
        /// One JSON object a line, each token printed as its page arrives (personal data
        /// masked unless --reveal).
        #[arg(long, conflicts_with = "json")]
        jsonl: bool,
        /// How many tokens to skip.
        #[arg(long, value_name = "N", default_value_t = 0)]
        offset: u32,
        #[command(flatten)]
        output: OutputArgs,
    },
    /// Deactivate an EFFECTIVE access token (set_as_not_effective).
    Deactivate(ActionArgs),
    /// Re-activate a NOT_EFFECTIVE access token (set_as_effective).
    Activate(ActionArgs),
    /// Delete a NOT_EFFECTIVE access token. This cannot be undone.
    Delete(ActionArgs),
}

#[derive(Debug, Args)]
pub struct TokenArgs {
    /// The token's authentication code.
    #[arg(
        value_name = "CODE",
        required_unless_present = "identifier",
        conflicts_with = "identifier"
    )]
    pub code: Option<String>,

    /// The token's identifier (needs --pass-code) instead of its code.
    #[arg(long, value_name = "ID", requires = "pass_code")]
    pub identifier: Option<String>,

    /// The pass code that goes with --identifier.
    #[arg(
        long,
        value_name = "PASS",
        requires = "identifier",
        env = "TOKENDESK_PASS_CODE",
        hide_env_values = true
    )]
    pub pass_code: Option<String>,
}

#[derive(Debug, Args)]
#[group(required = true, multiple = false)]
pub struct OwnerArgs {
    /// Accounts receivable number, e.g. ACR0000000069.
    #[arg(long, value_name = "NUMBER")]
    pub acr: Option<String>,
    /// Rewards participant number, e.g. RP0000000010.
    #[arg(long, value_name = "NUMBER")]
    pub rp: Option<String>,
}

#[derive(Debug, Args)]
pub struct OutputArgs {
    /// Print the server's data as JSON instead of text (personal data masked unless
    /// --reveal).
    #[arg(long)]
    pub json: bool,
    /// Only these top-level fields (comma-separated), as CRM.COM's fields_set.
    #[arg(long, value_name = "LIST")]
    pub fields: Option<String>,
    /// Print personal data (ID and passport numbers, dates of birth, ...) in clear instead
    /// of masked, text and --json alike. Recorded in the audit log first.
    #[arg(long)]
    pub reveal: bool,
}

#[derive(Debug, Args)]
pub struct ActionArgs {
    #[command(flatten)]
    pub target: ActionTarget,
    /// Do not ask for confirmation (needed when not on a terminal).
    #[arg(long, short = 'y')]
    pub yes: bool,
    /// Why: recorded in the audit log with the action (a batch's every token). The
    /// profile's reason and reason_pattern may require one.
    #[arg(long, value_name = "TEXT")]
    pub reason: Option<String>,
    /// Requests in flight at once in a batch (--from, --acr, --rp).
    #[arg(long, value_name = "N", default_value_t = 4, value_parser = clap::value_parser!(u16).range(1..=16))]
    pub concurrency: u16,
    /// Resume the interrupted run of this batch however long ago it was cut short (within
    /// 10 minutes it is resumed without asking): the tokens it did are left alone unread.
    /// A run that finished is never resumed; every token is then read again.
    #[arg(long)]
    pub resume: bool,
    #[command(flatten)]
    pub output: OutputArgs,
}

/// What an action is taken on: one token, or a batch. One of them is required; the pass code
/// is left out of that choice, so the usage line never offers it on its own.
#[derive(Debug, Args)]
#[group(skip)]
#[command(group(
    clap::ArgGroup::new("target")
        .required(true)
        .multiple(true)
        .args(["code", "identifier", "from", "acr", "rp"])
))]
pub struct ActionTarget {
    /// The token's authentication code.
    #[arg(value_name = "CODE", conflicts_with_all = ["identifier", "from", "acr", "rp"])]
    pub code: Option<String>,

    /// The token's identifier (needs --pass-code) instead of its code.
    #[arg(long, value_name = "ID", requires = "pass_code", conflicts_with_all = ["from", "acr", "rp"])]
    pub identifier: Option<String>,

    /// The pass code that goes with --identifier.
    #[arg(
        long,
        value_name = "PASS",
        requires = "identifier",
        env = "TOKENDESK_PASS_CODE",
        hide_env_values = true
    )]
    pub pass_code: Option<String>,

    /// A batch: the tokens in FILE, one authentication code a line (`#` comments and blank
    /// lines ignored; `-` reads standard input).
    #[arg(long, value_name = "FILE", conflicts_with_all = ["acr", "rp"])]
    pub from: Option<PathBuf>,

    /// A batch: every token of this accounts receivable.
    #[arg(long, value_name = "NUMBER", conflicts_with = "rp")]
    pub acr: Option<String>,

    /// A batch: every token of this rewards participant.
    #[arg(long, value_name = "NUMBER")]
    pub rp: Option<String>,
}

impl ActionTarget {
    /// The one token named, when this is not a batch.
    pub fn one(&self) -> Option<TokenArgs> {
        (self.code.is_some() || self.identifier.is_some()).then(|| TokenArgs {
            code: self.code.clone(),
            identifier: self.identifier.clone(),
            pass_code: self.pass_code.clone(),
        })
    }
}

#[derive(Debug, Args)]
pub struct SimulateArgs {
    /// Address to listen on; keep it on loopback.
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:8080")]
    pub listen: SocketAddr,
    /// Seconds a session token lives.
    #[arg(long, value_name = "SECS", default_value_t = 7200)]
    pub session_ttl: u64,
    /// Milliseconds added before every answer.
    #[arg(long, value_name = "MS", default_value_t = 0)]
    pub latency: u64,
    /// Carry out each deactivation, re-activation or delete this many milliseconds after
    /// receiving it, even when the client has hung up meanwhile (a slow back end).
    #[arg(long, value_name = "MS", default_value_t = 0)]
    pub apply_delay: u64,
    /// Fail every Nth request with --fault.
    #[arg(long, value_name = "N")]
    pub fail_every: Option<std::num::NonZeroU32>,
    /// Count only life-cycle actions for --fail-every: every Nth action fails, no read does.
    #[arg(long, requires = "fail_every")]
    pub fail_actions_only: bool,
    /// How the failing requests fail.
    #[arg(long, value_enum, default_value = "html502")]
    pub fault: FaultArg,
    /// Answer errors with HTTP 4xx/5xx instead of 200.
    #[arg(long)]
    pub http_errors: bool,
    /// Tokens to serve instead of the demo data (same format as assets/demo-tokens.json).
    #[arg(long, value_name = "FILE")]
    pub data: Option<PathBuf>,
    /// Add an accounts receivable with COUNT tokens in mixed states, e.g.
    /// ACR0000009000:10000 (may be given several times).
    #[arg(long, value_name = "ACR_NUMBER:COUNT", value_parser = bulk_account)]
    pub bulk_account: Vec<BulkAccount>,
}

/// `--bulk-account ACR_NUMBER:COUNT`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BulkAccount {
    pub number: String,
    pub count: u32,
}

/// At most this many tokens an account: a million would hold the simulator's lock too long.
const MAX_BULK_TOKENS: u32 = 100_000;

fn bulk_account(text: &str) -> Result<BulkAccount, String> {
    let (number, count) = text
        .rsplit_once(':')
        .ok_or_else(|| "write it as ACR_NUMBER:COUNT, e.g. ACR0000009000:10000".to_owned())?;
    let count: u32 = count
        .parse()
        .ok()
        .filter(|c| (1..=MAX_BULK_TOKENS).contains(c))
        .ok_or_else(|| format!("the count must be a whole number from 1 to {MAX_BULK_TOKENS}"))?;
    if number.is_empty() || !number.chars().all(|c| c.is_ascii_alphanumeric()) {
        return Err("the account number must be letters and digits, e.g. ACR0000009000".into());
    }
    Ok(BulkAccount {
        number: number.to_owned(),
        count,
    })
}

/// The `--fault` values of `tokendesk simulate`: the simulator's `Fault`s as the command
/// line names and explains them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum FaultArg {
    /// HTTP 502 with a small nginx HTML page; the method does not run.
    Html502,
    /// The method's own answer (its HTTP status and headers included) carrying only the first
    /// half of its body; the method did run.
    Truncated,
    /// The connection is cut a few bytes into the method's own answer, after its status line;
    /// the method did run.
    Disconnect,
    /// An `INTERNAL_ERROR` envelope (HTTP 500 with `http_error_status`); the method does not run.
    InternalError,
}

impl From<FaultArg> for Fault {
    fn from(fault: FaultArg) -> Fault {
        match fault {
            FaultArg::Html502 => Fault::Html502,
            FaultArg::Truncated => Fault::Truncated,
            FaultArg::Disconnect => Fault::Disconnect,
            FaultArg::InternalError => Fault::InternalError,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_definition_is_consistent() {
        command().debug_assert();
    }

    #[test]
    fn each_subcommands_help_lists_only_the_options_it_uses() {
        let mut cli = command();
        // As parsing and the manual do: the global options copied where they are used.
        cli.build();
        let listed = |name: &str| -> Vec<String> {
            let sub = cli.find_subcommand(name).expect("a subcommand");
            sub.get_arguments()
                .filter(|a| !a.is_hide_set())
                .filter_map(|a| a.get_long().map(str::to_owned))
                .collect()
        };
        assert_eq!(listed("profiles"), ["example", "config", "help"]);
        let audit = listed("audit");
        for option in ["token", "since", "json", "audit-log", "config", "profile"] {
            assert!(audit.iter().any(|o| o == option), "{option}: {audit:?}");
        }
        for option in ["url", "password-command", "allow-http", "demo", "color"] {
            assert!(!audit.iter().any(|o| o == option), "{option}: {audit:?}");
        }
        for name in ["show", "list", "deactivate", "activate", "delete"] {
            let options = listed(name);
            assert!(options.iter().any(|o| o == "url"), "{name}: {options:?}");
            for console_only in ["color", "clipboard", "ascii", "theme"] {
                assert!(
                    !options.iter().any(|o| o == console_only),
                    "{name} lists --{console_only}"
                );
            }
        }
        // The console (no subcommand) keeps all of them.
        let top: Vec<&str> = cli.get_arguments().filter_map(|a| a.get_long()).collect();
        assert!(
            top.contains(&"clipboard") && top.contains(&"theme") && top.contains(&"url"),
            "{top:?}"
        );
    }

    #[test]
    fn a_hidden_option_is_still_accepted() {
        use clap::FromArgMatches;
        let matches = command()
            .try_get_matches_from(["tokendesk", "--url", "https://crm.example.com", "profiles"])
            .expect("parsed");
        let cli = Cli::from_arg_matches(&matches).expect("read");
        assert_eq!(
            cli.connection.url.as_deref(),
            Some("https://crm.example.com")
        );
        let matches = command()
            .try_get_matches_from(["tokendesk", "audit", "--demo", "--url", "https://x.example"])
            .expect("parsed");
        let cli = Cli::from_arg_matches(&matches).expect("read");
        assert!(cli.connection.demo);
        assert_eq!(cli.connection.url.as_deref(), Some("https://x.example"));
    }

    #[test]
    fn the_usage_never_offers_the_pass_code_alone() {
        let error = command()
            .try_get_matches_from(["tokendesk", "deactivate"])
            .expect_err("a target is required");
        let said = error.to_string();
        assert!(said.contains("<CODE|--identifier <ID>|--from"), "{said}");
        assert!(!said.contains("--pass-code"), "{said}");
    }

    #[test]
    fn allow_http_comes_only_from_the_command_line() {
        let cli = Cli::command();
        let allow_http = cli
            .get_arguments()
            .find(|a| a.get_long() == Some("allow-http"))
            .expect("--allow-http exists");
        assert_eq!(allow_http.get_env(), None);
    }

    #[test]
    fn there_is_no_option_that_takes_a_secret() {
        let cli = Cli::command();
        for secret in ["password", "session-token"] {
            assert!(
                cli.get_arguments().all(|a| a.get_long() != Some(secret)),
                "--{secret}"
            );
        }
    }

    #[test]
    fn bulk_accounts_are_number_and_count() {
        assert_eq!(
            bulk_account("ACR0000009000:250"),
            Ok(BulkAccount {
                number: "ACR0000009000".into(),
                count: 250
            })
        );
        for bad in ["ACR1", "ACR1:0", "ACR1:x", ":5", "AC R:5", "ACR1:100001"] {
            assert!(bulk_account(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn faults_have_command_line_names() {
        for (name, fault) in [
            ("html502", Fault::Html502),
            ("truncated", Fault::Truncated),
            ("disconnect", Fault::Disconnect),
            ("internal-error", Fault::InternalError),
        ] {
            assert_eq!(FaultArg::from_str(name, false).map(Fault::from), Ok(fault));
        }
    }
}
