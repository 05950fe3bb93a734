//! From command-line options, `TOKENDESK_*` variables and the config file's profile to a
//! ready `ClientConfig`: the demo simulator, or a real CRM.COM with a password from the
//! environment, a command, or a prompt without echo. Also what the console and the command
//! line show and record about where they work: the label, read-only, the audit log.

use std::io::IsTerminal;
use std::net::{Ipv4Addr, SocketAddr};
use std::process::Stdio;
use std::time::Duration;

use zeroize::Zeroizing;

use crate::api::{ApiError, Client, ClientConfig, Credentials, Secret};
use crate::app::Environment;
use crate::app::keymap::KeyMap;
use crate::audit::{AuditContext, AuditLog};
use crate::cli::ConnectionArgs;
use crate::display::Display;
use crate::label::Label;
use crate::mask::Mask;
use crate::settings::Settings;
use crate::simulator::{self, Simulator, SimulatorConfig};
use crate::text::sanitize;

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
    /// Where every action is recorded before it is sent.
    pub audit: AuditLog,
}

impl Connection {
    /// The client for this connection. It takes the credentials along: from here on the
    /// client holds the only copy of the password (this one is wiped as it is dropped).
    pub fn client(&mut self) -> Result<Client, ApiError> {
        let client = Client::new(self.config.clone());
        self.config.credentials = None;
        client
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
        Some(path) => Some(crate::secrets::session_token_from(path).map_err(SetupError)?),
        None => args
            .env_secrets
            .session_token
            .as_ref()
            .map(|t| Secret::new(t.expose().trim())),
    };
    let command = settings.password_command.as_deref();
    let from_environment = args.env_secrets.password.clone();
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
            password(from_environment, command, username).await?,
        )),
        (None, _, _) => {
            return Err(SetupError(
                "Give --username and --organisation (or a session token: TOKENDESK_SESSION_TOKEN or --session-token-file) to log in.".into(),
            ));
        }
        // A session token with credentials beside it: start from the token, renew with the
        // credentials when it expires. Never prompt for that: the token is why we need not.
        (Some(_), Some(username), Some(org)) => unattended_password(from_environment, command)
            .await?
            .map(|password| credentials(username, org, password)),
        (Some(_), _, _) => None,
    };
    let user = settings
        .username
        .clone()
        .unwrap_or_else(|| "session".into());
    let organisation = settings.organisation.clone().unwrap_or_default();
    let audit = AuditLog::new(
        settings.audit_log.clone(),
        AuditContext {
            operator: settings.username.clone(),
            os_user: AuditContext::os_user(),
            organisation: settings.organisation.clone(),
            unit: settings.unit.clone(),
            profile: settings.profile.clone(),
            label: settings.label.clone(),
            host: host.clone(),
        },
    );
    Ok(Connection {
        config,
        mask: settings.mask_rule(),
        display: settings.display,
        keymap: settings.config.keymap.clone(),
        copy: settings.copy,
        audit,
        environment: Environment {
            label: Label::resolve(settings.label.as_deref(), settings.colour, &host),
            read_only: settings.read_only,
            host,
            user,
            organisation,
            demo: false,
        },
        simulator: None,
    })
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
    let audit = AuditLog::new(
        settings.audit_log.clone(),
        AuditContext {
            operator: Some(simulator::DEMO_USERNAME.into()),
            os_user: AuditContext::os_user(),
            organisation: Some(simulator::DEMO_ORGANISATION.into()),
            unit: None,
            profile: None,
            label: None,
            host: host.clone(),
        },
    );
    Ok(Connection {
        config,
        mask: settings.mask_rule(),
        display: settings.display,
        keymap: settings.config.keymap.clone(),
        copy: settings.copy,
        audit,
        environment: Environment {
            label: Label::resolve(None, None, &host),
            read_only: settings.read_only,
            host,
            user: simulator::DEMO_USERNAME.into(),
            organisation: simulator::DEMO_ORGANISATION.into(),
            demo: true,
        },
        simulator: Some(simulator),
    })
}

fn seconds(flag: &str, value: f64) -> Result<Duration, SetupError> {
    Duration::try_from_secs_f64(value)
        .ok()
        .filter(|d| !d.is_zero())
        .ok_or_else(|| SetupError(format!("{flag} must be a positive number of seconds.")))
}

/// The password, from `TOKENDESK_PASSWORD` (`from_environment`), else the first line of
/// `--password-command`, else asked for without echo, on a terminal only.
async fn password(
    from_environment: Option<Secret>,
    command: Option<&str>,
    username: &str,
) -> Result<Secret, SetupError> {
    if let Some(password) = unattended_password(from_environment, command).await? {
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
async fn unattended_password(
    from_environment: Option<Secret>,
    command: Option<&str>,
) -> Result<Option<Secret>, SetupError> {
    if let Some(password) = from_environment {
        return Ok(Some(password));
    }
    match command {
        Some(command) => password_from_command(command).await.map(Some),
        None => Ok(None),
    }
}

async fn password_from_command(command: &str) -> Result<Secret, SetupError> {
    let output = tokio::process::Command::new("sh")
        .arg("-c")
        .arg(command)
        .stdin(Stdio::inherit())
        .stderr(Stdio::inherit())
        .output()
        .await
        .map_err(|e| SetupError(format!("Cannot run the password command: {e}.")))?;
    if !output.status.success() {
        return Err(SetupError(format!(
            "The password command failed ({}).",
            output.status
        )));
    }
    // The command's output is the password: wiped once the first line is taken.
    let stdout = Zeroizing::new(output.stdout);
    let stdout = String::from_utf8_lossy(&stdout);
    match stdout.lines().next().map(|l| l.trim_end_matches('\r')) {
        Some(line) if !line.is_empty() => Ok(Secret::new(line)),
        _ => Err(SetupError(
            "The password command printed nothing on its first line.".into(),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn password_command_gives_its_first_line() {
        let secret = password_from_command("printf 's3cret\\nsecond line\\n'")
            .await
            .expect("command runs");
        assert_eq!(secret.expose(), "s3cret");
    }

    #[tokio::test]
    async fn failing_or_silent_password_commands_are_sentences() {
        let failed = password_from_command("exit 3").await.expect_err("fails");
        assert!(
            failed.0.starts_with("The password command failed"),
            "{failed}"
        );
        let silent = password_from_command("true").await.expect_err("no output");
        assert_eq!(
            silent.0,
            "The password command printed nothing on its first line."
        );
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
            audit: AuditLog::new(None, AuditContext::default()),
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
