//! From command-line options, `TOKENDESK_*` variables and the config file's profile to a
//! ready `ClientConfig`: the demo simulator, or a real CRM.COM with a password from the
//! environment, a command, or a prompt without echo. Also what the console and the command
//! line show and record about where they work: the label, read-only, the audit log.

use std::io::IsTerminal;
use std::net::{Ipv4Addr, SocketAddr};
use std::process::Stdio;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::Value;
use tokio::io::{AsyncRead, AsyncReadExt};
use zeroize::Zeroizing;

use crate::api::{ApiError, Client, ClientConfig, Credentials, Secret, TokenSummary};
use crate::audit::syslog::Syslog;
use crate::audit::{AuditContext, AuditError, AuditLog, AuditToken, Event};
use crate::exit::{self, Failure};
use crate::fate::reason::ReasonPolicy;
use crate::keys::KeyMap;
use crate::mask::Mask;
use crate::setup::connection_args::ConnectionArgs;
use crate::setup::display::Display;
use crate::setup::environment_label::Label;
use crate::setup::settings::Settings;
use crate::simulator::{self, Simulator, SimulatorConfig};
use crate::text::{sanitize, truncate_chars};

/// Where the console is connected, named at the top of every screen and in every
/// confirmation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Environment {
    pub host: String,
    pub user: String,
    pub organisation: String,
    pub demo: bool,
    /// The profile's label in its colour (`PROD-EU` in red), else the host.
    pub label: Label,
    /// Every action is refused, and the console says so before asking anything (the
    /// client refuses too, whatever asks it).
    pub read_only: bool,
}

pub struct Connection {
    pub config: ClientConfig,
    /// Where this is: host, who, and what names it at the top of every screen, in every
    /// confirmation and in every command-line prompt (the label; the host without one);
    /// read-only, which the client enforces (`config.read_only`) and the console shows.
    pub environment: Environment,
    /// The in-process simulator behind `--demo`; it stops when this is dropped.
    pub simulator: Option<Simulator>,
    /// Which personal data is masked, and how (the built-in fields and the config's `mask`).
    pub mask: Mask,
    /// Colour or not, UTF-8 or ASCII.
    pub display: Display,
    /// The key table, with the config file's `[keys]` applied.
    pub keymap: KeyMap,
    /// Whether copying (OSC 52) is on.
    pub copy: bool,
    /// Whether the console starts with mouse reporting on.
    pub mouse: bool,
    /// Where every action is recorded before it is sent.
    pub audit: AuditLog,
    /// The most tokens a whole list is paged through (`list_ceiling`).
    pub list_ceiling: u64,
    /// Where the tokens opened lately are kept; `None`: they are not.
    pub recent: Option<std::path::PathBuf>,
    /// The options another tokendesk needs to reach this server (for `$`).
    pub reach: super::reach::Reach,
    /// What an action's reason must be (`reason`, `reason_pattern`).
    pub reason: ReasonPolicy,
    /// How long the console waits without a key before it locks; `None`: never.
    pub idle_lock: Option<Duration>,
}

impl Connection {
    /// `tokens` as `render` writes each, masked unless `reveal`; with `reveal`, each token
    /// whose output reveals something is recorded in the audit log first, and nothing is
    /// rendered once a record cannot be written. `render` gets the mask to apply, or `None`
    /// for clear. The command line's rule, for `show`, `list` and the actions' `--json`.
    pub async fn revealed<'a, T: PartialEq>(
        &self,
        reveal: bool,
        tokens: impl IntoIterator<Item = &'a Value>,
        render: impl Fn(&Value, Option<&Mask>) -> T,
    ) -> Result<Vec<T>, AuditError> {
        if !reveal {
            return Ok(tokens
                .into_iter()
                .map(|t| render(t, Some(&self.mask)))
                .collect());
        }
        let mut shown = Vec::new();
        for token in tokens {
            let clear = render(token, None);
            if clear != render(token, Some(&self.mask)) {
                let summary = TokenSummary::from_value(token);
                self.audit
                    .reveal(&AuditToken::from_summary(&summary))
                    .await?;
            }
            shown.push(clear);
        }
        Ok(shown)
    }

    /// The client for this connection. It takes the credentials along: from here on the
    /// client holds the only copy of the password (this one is wiped as it is dropped).
    pub fn client(&mut self) -> Result<Client, ApiError> {
        let client = Client::new(self.config.clone());
        self.config.credentials = None;
        let audit = self.audit.clone();
        Ok(
            client?.observing_logins(std::sync::Arc::new(move |failure| {
                let reason = failure.map(ToString::to_string);
                let event = match &reason {
                    None => Event::LoggedIn,
                    Some(reason) => Event::LoginFailed { reason },
                };
                Box::pin(written_within(audit.record_soon(event), "the log-in"))
            })),
        )
    }
}

/// The syslog socket at `path`, its problems said as one line on standard error (the
/// console says them on its status bar instead).
pub fn syslog_on_stderr(path: std::path::PathBuf) -> Syslog {
    Syslog::new(path, std::sync::Arc::new(|text| crate::exit::note(&text)))
}

/// How long a log-in or the console's closing waits for its audit line: long enough for any
/// working disk, short enough that a stalled log (held locked, a hung filesystem) does not
/// hold up reading tokens or leaving.
pub const EVENT_LINE_WAIT: std::time::Duration = std::time::Duration::from_secs(1);

/// Waits up to [`EVENT_LINE_WAIT`] for an event's audit line. One that cannot be written or
/// is late stops nothing (an action's own lines still decide whether it is sent); the
/// diagnostic log says so.
pub async fn written_within(
    line: impl std::future::Future<Output = Result<(), AuditError>>,
    what: &'static str,
) {
    match tokio::time::timeout(EVENT_LINE_WAIT, line).await {
        Ok(Ok(())) => {}
        Ok(Err(error)) => tracing::warn!(%error, "{what} was not recorded in the audit log"),
        Err(_) => tracing::warn!("{what} was not on the audit log's disk in time; it follows"),
    }
}

/// A failure to set up, as the sentence the user reads.
#[derive(Debug)]
pub struct SetupError(pub String);

impl std::fmt::Display for SetupError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<SetupError> for Failure {
    fn from(error: SetupError) -> Failure {
        Failure::new(exit::USAGE, error.0)
    }
}

pub async fn connect(args: &ConnectionArgs) -> Result<Connection, SetupError> {
    connect_with(args, settings(args)?).await
}

/// The command line over the config file: a wrong file is the first thing said.
pub fn settings(args: &ConnectionArgs) -> Result<Settings, SetupError> {
    Settings::resolve(args).map_err(|e| SetupError(e.to_string()))
}

/// Connects with `settings` already resolved from `args`.
pub async fn connect_with(
    args: &ConnectionArgs,
    settings: Settings,
) -> Result<Connection, SetupError> {
    let connect_timeout = seconds("--connect-timeout", args.connect_timeout)?;
    let request_timeout = seconds("--request-timeout", args.request_timeout)?;
    if args.demo {
        return connect_demo(&settings, connect_timeout, request_timeout).await;
    }
    let Some(url) = settings.url.clone() else {
        return Err(SetupError(
            "No CRM.COM to talk to: give --url (or TOKENDESK_URL, or a profile with a url), or try --demo.".into(),
        ));
    };
    let mut config = ClientConfig::new(url);
    config.connect_timeout = connect_timeout;
    config.request_timeout = request_timeout;
    config.read_only = settings.read_only;
    config.allow_http = settings.allow_http;
    config.ca_cert = settings.ca_cert.clone();
    // A bad URL, plain http or an unreadable CA is said before anyone types a password;
    // the client itself (and its TLS roots) comes after the console's first frame.
    let host = Client::check(&config).map_err(|e| SetupError(e.to_string()))?;
    config.session_token = match &args.session_token_file {
        Some(path) => Some(crate::setup::secrets::session_token_from(path).map_err(SetupError)?),
        None => args
            .env_secrets
            .session_token
            .as_ref()
            .map(|t| Secret::new(t.expose().trim())),
    };
    let source = PasswordSource {
        from_environment: args.env_secrets.password.clone(),
        command: settings.password_command.as_deref(),
        limit: match args.password_command_timeout {
            Some(secs) => seconds("--password-command-timeout", secs)?,
            None => settings
                .password_command_timeout
                .unwrap_or(DEFAULT_PASSWORD_COMMAND_TIMEOUT),
        },
    };
    let credentials = |username: &String, organisation: &String, password| Credentials {
        username: username.clone(),
        password,
        organisation: organisation.clone(),
        unit: settings.unit.clone(),
    };
    config.credentials = match (
        &config.session_token,
        &settings.username,
        &settings.organisation,
    ) {
        (None, Some(username), Some(org)) => Some(credentials(
            username,
            org,
            password(source, username).await?,
        )),
        (None, _, _) => {
            return Err(SetupError(
                "Give --username and --organisation (or a session token: TOKENDESK_SESSION_TOKEN or --session-token-file) to log in.".into(),
            ));
        }
        // A session token with credentials beside it: start from the token, renew with the
        // credentials when it expires. Never prompt for that: the token is why we need not.
        (Some(_), Some(username), Some(org)) => unattended_password(source)
            .await?
            .map(|password| credentials(username, org, password)),
        (Some(_), _, _) => None,
    };
    let user = settings
        .username
        .clone()
        .unwrap_or_else(|| "session".into());
    let organisation = settings.organisation.clone().unwrap_or_default();
    let context = audit_context(&settings, host.clone());
    let environment = Environment {
        label: Label::resolve(settings.label.as_deref(), settings.colour, &host),
        read_only: settings.read_only,
        host,
        user,
        organisation,
        demo: false,
    };
    Ok(connection(&settings, config, context, environment, None))
}

/// A connection of `settings` to the server `config` names: what every connection takes
/// from the settings, whatever the server.
fn connection(
    settings: &Settings,
    config: ClientConfig,
    context: AuditContext,
    environment: Environment,
    simulator: Option<Simulator>,
) -> Connection {
    Connection {
        config,
        mask: settings.mask_rule(),
        display: settings.display,
        keymap: settings.config.keymap.clone(),
        copy: settings.copy,
        mouse: settings.mouse,
        audit: audit_log(settings, settings.audit_log.clone(), context),
        list_ceiling: settings.list_ceiling,
        recent: settings.recent.clone(),
        reach: super::reach::Reach::of(settings, environment.demo),
        reason: settings.reason.clone(),
        idle_lock: settings.idle_lock,
        environment,
        simulator,
    }
}

/// The demo simulator on loopback. It uses no profile, but `--read-only` and the audit log
/// work as they do anywhere, so the demo shows them.
async fn connect_demo(
    settings: &Settings,
    connect_timeout: Duration,
    request_timeout: Duration,
) -> Result<Connection, SetupError> {
    let listen = SocketAddr::from((Ipv4Addr::LOCALHOST, 0));
    let simulator = Simulator::start(SimulatorConfig::default(), listen)
        .await
        .map_err(|e| SetupError(format!("Cannot start the demo simulator on loopback: {e}.")))?;
    let mut config = ClientConfig::new(simulator.base_url());
    config.connect_timeout = connect_timeout;
    config.request_timeout = request_timeout;
    config.read_only = settings.read_only;
    config.credentials = Some(Credentials {
        username: simulator::DEMO_USERNAME.into(),
        password: Secret::new(simulator::DEMO_PASSWORD),
        organisation: simulator::DEMO_ORGANISATION.into(),
        unit: None,
    });
    let host = simulator.addr().to_string();
    let context = AuditContext {
        operator: Some(simulator::DEMO_USERNAME.into()),
        os_user: AuditContext::os_user(),
        organisation: Some(simulator::DEMO_ORGANISATION.into()),
        unit: None,
        profile: None,
        label: None,
        host: host.clone(),
    };
    let environment = Environment {
        label: Label::resolve(None, None, &host),
        read_only: settings.read_only,
        host,
        user: simulator::DEMO_USERNAME.into(),
        organisation: simulator::DEMO_ORGANISATION.into(),
        demo: true,
    };
    Ok(connection(
        settings,
        config,
        context,
        environment,
        Some(simulator),
    ))
}

fn seconds(flag: &str, value: f64) -> Result<Duration, SetupError> {
    Duration::try_from_secs_f64(value)
        .ok()
        .filter(|d| !d.is_zero())
        .ok_or_else(|| SetupError(format!("{flag} must be a positive number of seconds.")))
}

/// How long a password command may take unless the profile or the command line says.
pub const DEFAULT_PASSWORD_COMMAND_TIMEOUT: Duration = Duration::from_secs(60);

/// After this long the clerk is told what tokendesk is waiting for.
const PASSWORD_COMMAND_NOTE_AFTER: Duration = Duration::from_secs(2);

/// How much of the command's output is kept: the password is its first line.
const PASSWORD_OUTPUT_BYTES: usize = 64 * 1024;

/// How much of what the command says on standard error is kept, and shown.
const COMMAND_STDERR_BYTES: usize = 4096;
const COMMAND_STDERR_CHARS: usize = 300;

/// How long the rest of what a finished command said is waited for.
const STDERR_GRACE: Duration = Duration::from_millis(500);

/// Where the password comes from, and how long its command may take.
#[derive(Debug)]
struct PasswordSource<'a> {
    /// `TOKENDESK_PASSWORD`, taken out of the environment at start.
    from_environment: Option<Secret>,
    command: Option<&'a str>,
    limit: Duration,
}

/// The password, from `TOKENDESK_PASSWORD`, else the first line of `--password-command`,
/// else asked for without echo, on a terminal only.
async fn password(source: PasswordSource<'_>, username: &str) -> Result<Secret, SetupError> {
    if let Some(password) = unattended_password(source).await? {
        return Ok(password);
    }
    if !std::io::stdin().is_terminal() {
        return Err(SetupError(
            "No password: set TOKENDESK_PASSWORD or --password-command when not on a terminal."
                .into(),
        ));
    }
    let prompt = format!("Password for {}: ", sanitize(username));
    tokio::task::spawn_blocking(move || rpassword::prompt_password(prompt))
        .await
        .map_err(|e| SetupError(format!("Cannot read the password: {e}.")))?
        .map(Secret::new)
        .map_err(|e| SetupError(format!("Cannot read the password: {e}.")))
}

/// The password from `TOKENDESK_PASSWORD` (taken out of the environment at start) or the
/// password command, if either is given.
async fn unattended_password(source: PasswordSource<'_>) -> Result<Option<Secret>, SetupError> {
    if let Some(password) = source.from_environment {
        return Ok(Some(password));
    }
    match source.command {
        Some(command) => password_from_command(command, source.limit).await.map(Some),
        None => Ok(None),
    }
}

/// Runs the password command with `sh -c` and takes the first line of its output. It may
/// take `limit`: after two seconds standard error says what is being waited for (a `pass
/// show` may be waiting on a pinentry that cannot reach this terminal), and at the limit it
/// is killed. When it fails, what it said on standard error is part of the sentence.
async fn password_from_command(command: &str, limit: Duration) -> Result<Secret, SetupError> {
    let shown = truncate_chars(&sanitize(command), 60).into_owned();
    let mut child = tokio::process::Command::new("sh")
        .arg("-c")
        .arg(command)
        .stdin(Stdio::inherit())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .map_err(|e| SetupError(format!("Cannot run the password command: {e}.")))?;
    let output = Arc::new(Mutex::new(Zeroizing::new(Vec::with_capacity(
        PASSWORD_OUTPUT_BYTES,
    ))));
    let (line_read, line_come) = tokio::sync::oneshot::channel();
    if let Some(out) = child.stdout.take() {
        tokio::spawn(keep_output(out, output.clone(), line_read));
    }
    let said = Arc::new(Mutex::new(Vec::new()));
    let mut stderr_read = child
        .stderr
        .take()
        .map(|err| tokio::spawn(keep_stderr(err, said.clone())));
    // What the command said, once it has ended: a child of it may hold the pipe open, so
    // the end of its words is waited for only a moment.
    let mut said_all = async || {
        if let Some(reading) = stderr_read.take() {
            let _ = tokio::time::timeout(STDERR_GRACE, reading).await;
        }
        what_it_said(&said)
    };
    let started = tokio::time::Instant::now();
    let mut noted = false;
    let status = loop {
        let next_look = if noted {
            started + limit
        } else {
            started + PASSWORD_COMMAND_NOTE_AFTER.min(limit)
        };
        match tokio::time::timeout_at(next_look, child.wait()).await {
            Ok(status) => {
                break status
                    .map_err(|e| SetupError(format!("Cannot run the password command: {e}.")))?;
            }
            Err(_) if !noted && started.elapsed() < limit => {
                noted = true;
                exit::note(&format!(
                    "Waiting for the password command ({shown}) to print the password; it is stopped after {}.",
                    crate::api::error::seconds(limit)
                ));
            }
            Err(_) => {
                // Only `sh` is killed: its own children stay in the clerk's terminal's
                // process group (a pinentry must be able to read the terminal). Their
                // output is no longer waited for.
                let _ = child.kill().await;
                return Err(SetupError(format!(
                    "The password command ({shown}) did not finish within {}, so it was stopped; nothing was sent. If it waits for a passphrase that cannot be typed here, unlock it first or set TOKENDESK_PASSWORD; password_command_timeout (or --password-command-timeout) gives it longer.{}",
                    crate::api::error::seconds(limit),
                    said_all().await
                )));
            }
        }
    };
    if !status.success() {
        return Err(SetupError(format!(
            "The password command ({shown}) failed ({status}); nothing was sent.{}",
            said_all().await
        )));
    }
    // A child of the command may hold the pipe open after it exited: its first line is
    // waited for, not the end of its output, and no longer than the limit.
    let remaining = limit.saturating_sub(started.elapsed());
    let _ = tokio::time::timeout(remaining, line_come).await;
    if let Some(password) = first_line(&output) {
        return Ok(password);
    }
    Err(SetupError(format!(
        "The password command ({shown}) printed nothing on its first line.{}",
        said_all().await
    )))
}

/// The first line of what the command printed, if it is not empty. The output is the
/// password: it is wiped when dropped, once the line is taken.
fn first_line(output: &Mutex<Zeroizing<Vec<u8>>>) -> Option<Secret> {
    let output = output
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let stdout = String::from_utf8_lossy(&output);
    stdout
        .lines()
        .next()
        .map(|l| l.trim_end_matches('\r'))
        .filter(|l| !l.is_empty())
        .map(Secret::new)
}

/// Keeps the first `PASSWORD_OUTPUT_BYTES` of `output` in `kept`, a buffer made large
/// enough at the start, so that it never moves (no copy of the password is left behind in
/// freed memory) and is wiped when dropped; says on `line_read` once a whole line (or the
/// end) has come. The rest is read and dropped, so the command never blocks on a full pipe.
async fn keep_output(
    mut output: impl AsyncRead + Unpin,
    kept: Arc<Mutex<Zeroizing<Vec<u8>>>>,
    line_read: tokio::sync::oneshot::Sender<()>,
) {
    let mut line_read = Some(line_read);
    let mut chunk = Zeroizing::new([0u8; 4096]);
    while let Ok(read) = output.read(&mut chunk[..]).await {
        if read == 0 {
            break;
        }
        let mut kept = kept
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let room = PASSWORD_OUTPUT_BYTES.saturating_sub(kept.len());
        kept.extend_from_slice(&chunk[..read.min(room)]);
        if kept.contains(&b'\n')
            && let Some(said) = line_read.take()
        {
            let _ = said.send(());
        }
    }
    if let Some(said) = line_read.take() {
        let _ = said.send(());
    }
}

/// Keeps the first `COMMAND_STDERR_BYTES` of what the command says on standard error.
async fn keep_stderr(mut err: impl AsyncRead + Unpin, said: Arc<Mutex<Vec<u8>>>) {
    let mut chunk = [0u8; 1024];
    while let Ok(read) = err.read(&mut chunk).await {
        if read == 0 {
            break;
        }
        let mut said = said
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let room = COMMAND_STDERR_BYTES.saturating_sub(said.len());
        said.extend_from_slice(&chunk[..read.min(room)]);
    }
}

/// " It said: ..." with the command's standard error on one line, cleaned and shortened,
/// or nothing when it said nothing.
fn what_it_said(said: &Mutex<Vec<u8>>) -> String {
    let said = said
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let text = String::from_utf8_lossy(&said);
    let words: Vec<&str> = text.split_whitespace().collect();
    let cleaned = sanitize(&words.join(" ")).into_owned();
    let cleaned = cleaned.trim();
    if cleaned.is_empty() {
        return String::new();
    }
    format!(
        " It said: \"{}\"",
        truncate_chars(cleaned, COMMAND_STDERR_CHARS)
    )
}

/// The audit log at `path`, its lines naming `context`, copied to the settings' syslog.
pub fn audit_log(
    settings: &Settings,
    path: Option<std::path::PathBuf>,
    context: AuditContext,
) -> AuditLog {
    AuditLog::new(path, context).with_syslog(settings.audit_syslog.clone().map(syslog_on_stderr))
}

/// Who acts, as the audit log names them: the clerk the settings give, on `host`.
pub fn audit_context(settings: &Settings, host: String) -> AuditContext {
    AuditContext {
        operator: settings.username.clone(),
        os_user: AuditContext::os_user(),
        organisation: settings.organisation.clone(),
        unit: settings.unit.clone(),
        profile: settings.profile.clone(),
        label: settings.label.clone(),
        host,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LIMIT: Duration = Duration::from_secs(60);

    #[tokio::test]
    async fn password_command_gives_its_first_line() {
        let secret = password_from_command("printf 's3cret\\nsecond line\\n'", LIMIT)
            .await
            .expect("command runs");
        assert_eq!(secret.expose(), "s3cret");
    }

    #[tokio::test]
    async fn failing_or_silent_password_commands_are_sentences() {
        let failed = password_from_command("exit 3", LIMIT)
            .await
            .expect_err("fails");
        assert_eq!(
            failed.0,
            "The password command (exit 3) failed (exit status: 3); nothing was sent."
        );
        let silent = password_from_command("true", LIMIT)
            .await
            .expect_err("no output");
        assert_eq!(
            silent.0,
            "The password command (true) printed nothing on its first line."
        );
    }

    #[tokio::test]
    async fn a_password_command_that_explains_itself_is_quoted_cleaned_and_cut_short() {
        let failed = password_from_command("echo oops >&2; exit 1", LIMIT)
            .await
            .expect_err("fails");
        assert_eq!(
            failed.0,
            "The password command (echo oops >&2; exit 1) failed (exit status: 1); nothing was sent. It said: \"oops\""
        );
        let hostile = password_from_command(
            "printf 'gpg: decryption failed:\\n\\033[2J\\033]0;x\\007No secret key\\n' >&2; exit 2",
            LIMIT,
        )
        .await
        .expect_err("fails");
        assert!(
            hostile
                .0
                .ends_with("It said: \"gpg: decryption failed: No secret key\""),
            "{}",
            hostile.0
        );
        let long = password_from_command("yes 'gpg: no' | head -c 100000 >&2; exit 1", LIMIT)
            .await
            .expect_err("fails");
        let quoted = long.0.split("It said: ").nth(1).expect("quoted");
        assert!(
            quoted.chars().count() <= COMMAND_STDERR_CHARS + 2,
            "{quoted}"
        );
        assert!(quoted.ends_with("…\""), "{quoted}");
        let silent = password_from_command("echo 'no entry crm/jdoe' >&2", LIMIT)
            .await
            .expect_err("no output");
        assert!(
            silent.0.ends_with("It said: \"no entry crm/jdoe\""),
            "{}",
            silent.0
        );
    }

    #[tokio::test]
    async fn a_hanging_password_command_is_stopped_at_its_limit() {
        for hanging in [
            "sleep 30",
            "echo waiting for pinentry >&2; sleep 30; echo late",
        ] {
            let stopped = password_from_command(hanging, Duration::from_millis(300))
                .await
                .expect_err("stopped");
            assert!(
                stopped.0.starts_with(&format!(
                    "The password command ({hanging}) did not finish within 0.3 s, so it was stopped; nothing was sent."
                )),
                "{}",
                stopped.0
            );
        }
        let said = password_from_command(
            "echo waiting for pinentry >&2; sleep 30",
            Duration::from_millis(300),
        )
        .await
        .expect_err("stopped");
        assert!(
            said.0.ends_with("It said: \"waiting for pinentry\""),
            "{}",
            said.0
        );
    }

    #[tokio::test]
    async fn a_password_printed_before_a_child_that_holds_the_pipe_is_taken() {
        let secret = password_from_command("echo s3cret; sleep 30 &", Duration::from_secs(20))
            .await
            .expect("the first line is enough");
        assert_eq!(secret.expose(), "s3cret");
    }

    #[test]
    fn the_client_takes_the_only_copy_of_the_password() {
        let mut config = ClientConfig::new("https://crm.example.com");
        config.credentials = Some(Credentials {
            username: "clerk".into(),
            password: Secret::new("hunter2"),
            organisation: "ACME".into(),
            unit: None,
        });
        let mut connection = Connection {
            config,
            environment: Environment {
                host: "crm.example.com".into(),
                user: "clerk".into(),
                organisation: "ACME".into(),
                demo: false,
                label: Label::resolve(None, None, "crm.example.com"),
                read_only: false,
            },
            simulator: None,
            mask: Mask::default(),
            display: Display::default(),
            keymap: KeyMap::default(),
            copy: true,
            mouse: false,
            audit: AuditLog::new(None, AuditContext::default()),
            list_ceiling: crate::api::DEFAULT_LIST_CEILING,
            recent: None,
            reach: Default::default(),
            reason: ReasonPolicy::default(),
            idle_lock: None,
        };
        let client = connection.client().expect("client builds");
        assert!(connection.config.credentials.is_none());
        assert!(
            format!("{client:?}").contains("clerk"),
            "the client has them"
        );
    }

    #[test]
    fn timeouts_must_be_positive() {
        assert!(seconds("--connect-timeout", 0.0).is_err());
        assert!(seconds("--connect-timeout", -1.0).is_err());
        assert!(seconds("--connect-timeout", f64::NAN).is_err());
        assert_eq!(
            seconds("--connect-timeout", 1.5).ok(),
            Some(Duration::from_millis(1500))
        );
    }
}
