//! From command-line options to a ready `ClientConfig`: the demo simulator, or a real
//! CRM.COM with a password from the environment, a command, or a prompt without echo.

use std::io::IsTerminal;
use std::net::{Ipv4Addr, SocketAddr};
use std::process::Stdio;
use std::time::Duration;

use crate::api::{ClientConfig, Credentials, Secret};
use crate::app::Environment;
use crate::cli::ConnectionArgs;
use crate::simulator::{self, Simulator, SimulatorConfig};
use crate::text::sanitize;

pub struct Connection {
    pub config: ClientConfig,
    pub environment: Environment,
    /// The in-process simulator behind `--demo`; it stops when this is dropped.
    pub simulator: Option<Simulator>,
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
    let connect_timeout = seconds("--connect-timeout", args.connect_timeout)?;
    let request_timeout = seconds("--request-timeout", args.request_timeout)?;
    if args.demo {
        return connect_demo(connect_timeout, request_timeout).await;
    }
    let Some(url) = args.url.clone() else {
        return Err(SetupError(
            "No CRM.COM to talk to: give --url (or TOKENDESK_URL), or try --demo.".into(),
        ));
    };
    let mut config = ClientConfig::new(url);
    config.connect_timeout = connect_timeout;
    config.request_timeout = request_timeout;
    // A bad URL is said before anyone types a password for it.
    let host = crate::api::Client::new(config.clone())
        .map_err(|e| SetupError(e.to_string()))?
        .host()
        .to_owned();
    config.session_token = args.session_token.as_deref().map(|t| Secret::new(t.trim()));
    let credentials = |username: &String, organisation: &String, password| Credentials {
        username: username.clone(),
        password,
        organisation: organisation.clone(),
        unit: args.unit.clone(),
    };
    config.credentials = match (&config.session_token, &args.username, &args.organisation) {
        (None, Some(username), Some(org)) => {
            Some(credentials(username, org, password(args, username).await?))
        }
        (None, _, _) => {
            return Err(SetupError(
                "Give --username and --organisation (or --session-token) to log in.".into(),
            ));
        }
        // A session token with credentials beside it: start from the token, renew with the
        // credentials when it expires. Never prompt for that: the token is why we need not.
        (Some(_), Some(username), Some(org)) => unattended_password(args)
            .await?
            .map(|password| credentials(username, org, password)),
        (Some(_), _, _) => None,
    };
    let user = args.username.clone().unwrap_or_else(|| "session".into());
    let organisation = args.organisation.clone().unwrap_or_default();
    Ok(Connection {
        config,
        environment: Environment {
            host,
            user,
            organisation,
            demo: false,
        },
        simulator: None,
    })
}

async fn connect_demo(
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
    config.credentials = Some(Credentials {
        username: simulator::DEMO_USERNAME.into(),
        password: Secret::new(simulator::DEMO_PASSWORD),
        organisation: simulator::DEMO_ORGANISATION.into(),
        unit: None,
    });
    Ok(Connection {
        config,
        environment: Environment {
            host: simulator.addr().to_string(),
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

/// The password, from `TOKENDESK_PASSWORD`, else the first line of `--password-command`,
/// else asked for without echo, on a terminal only.
async fn password(args: &ConnectionArgs, username: &str) -> Result<Secret, SetupError> {
    if let Some(password) = unattended_password(args).await? {
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

/// The password from `TOKENDESK_PASSWORD` or `--password-command`, if either is given.
async fn unattended_password(args: &ConnectionArgs) -> Result<Option<Secret>, SetupError> {
    if let Ok(password) = std::env::var("TOKENDESK_PASSWORD") {
        return Ok(Some(Secret::new(password)));
    }
    match &args.password_command {
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
    let stdout = String::from_utf8_lossy(&output.stdout);
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
