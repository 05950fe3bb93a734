//! The built-in CRM.COM stand-in: an axum server on loopback that implements the
//! `crmapi/rest/v2` access-token methods of CRMCOM-API.md over in-memory demo data, with
//! optional latency and fault injection.

mod faults;
mod params;
mod routes;
mod store;

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::num::NonZeroU32;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use serde::Deserialize;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;
use tracing::{debug, warn};

use routes::AppState;

pub const API_PREFIX: &str = "/crmapi/rest/v2";
pub const DEMO_USERNAME: &str = "clerk";
pub const DEMO_PASSWORD: &str = "demo";
pub const DEMO_ORGANISATION: &str = "DEMO";

const DEMO_TOKENS_JSON: &str = include_str!("../../assets/demo-tokens.json");

#[derive(Clone, Debug)]
pub struct SimulatorConfig {
    /// How long a session token stays valid after login (the real JWT: two hours).
    pub session_ttl: Duration,
    /// Added before every answer.
    pub latency: Duration,
    /// Every Nth request (all routes, counted from 1) gets `fault` instead of its answer.
    pub fail_every: Option<NonZeroU32>,
    pub fault: Fault,
    /// Errors carry 4xx/5xx instead of the real server's HTTP 200.
    pub http_error_status: bool,
    pub tokens: Vec<DemoToken>,
}

impl Default for SimulatorConfig {
    fn default() -> Self {
        SimulatorConfig {
            session_ttl: Duration::from_secs(2 * 60 * 60),
            latency: Duration::ZERO,
            fail_every: None,
            fault: Fault::Html502,
            http_error_status: false,
            tokens: demo_tokens(),
        }
    }
}

/// How an injected failure looks to the client.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Fault {
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

/// One access token of the simulated back office.
#[derive(Clone, Debug, Deserialize)]
pub struct DemoToken {
    /// Checked when the token is addressed by `identifier`.
    pub pass_code: String,
    /// The access token object exactly as the API returns it.
    pub data: serde_json::Value,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SimulatorStats {
    /// Successful logins.
    pub logins: u64,
    /// Every request received, faulted ones included.
    pub requests: u64,
}

#[derive(Deserialize)]
struct TokenFile {
    tokens: Vec<DemoToken>,
}

/// The demo data compiled into the binary.
pub fn demo_tokens() -> Vec<DemoToken> {
    parse_tokens(DEMO_TOKENS_JSON)
        .expect("the embedded assets/demo-tokens.json is valid (a test checks it)")
}

/// Access tokens from a file in the format of `assets/demo-tokens.json`.
pub fn load_tokens(path: &Path) -> Result<Vec<DemoToken>, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|error| format!("Could not read the token file {}: {error}.", path.display()))?;
    parse_tokens(&text)
        .map_err(|error| format!("The token file {} is not usable: {error}", path.display()))
}

fn parse_tokens(text: &str) -> Result<Vec<DemoToken>, String> {
    let file: TokenFile = serde_json::from_str(text).map_err(|error| {
        format!("expected {{\"tokens\": [{{\"pass_code\": ..., \"data\": {{...}}}}]}} ({error}).")
    })?;
    if let Some(position) = file.tokens.iter().position(|token| !token.data.is_object()) {
        return Err(format!(
            "token {} has a data value that is not an object.",
            position + 1
        ));
    }
    Ok(file.tokens)
}

/// A running simulator. Dropping it stops the server too.
pub struct Simulator {
    addr: SocketAddr,
    state: Arc<AppState>,
    stop: Option<oneshot::Sender<()>>,
    server: Option<JoinHandle<()>>,
}

impl Simulator {
    /// Binds `listen` (port 0 picks a free port) and serves on a spawned task.
    pub async fn start(config: SimulatorConfig, listen: SocketAddr) -> std::io::Result<Simulator> {
        let listener = tokio::net::TcpListener::bind(listen).await?;
        let addr = listener.local_addr()?;
        let state = Arc::new(AppState::new(config));
        let app = routes::router(state.clone());
        let (stop, stopped) = oneshot::channel::<()>();
        let server = tokio::spawn(async move {
            let shutdown = async {
                // A dropped sender means the Simulator is gone: stop as well.
                let _ = stopped.await;
            };
            if let Err(error) = axum::serve(listener, app)
                .with_graceful_shutdown(shutdown)
                .await
            {
                warn!(%error, "simulator server stopped with an error");
            }
            debug!("simulator server stopped");
        });
        debug!(%addr, "simulator listening");
        Ok(Simulator {
            addr,
            state,
            stop: Some(stop),
            server: Some(server),
        })
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://HOST:PORT/crmapi/rest/v2`, without a trailing slash. A wildcard listen address
    /// is reached through loopback.
    pub fn base_url(&self) -> String {
        let mut addr = self.addr;
        if addr.ip().is_unspecified() {
            addr.set_ip(IpAddr::V4(Ipv4Addr::LOCALHOST));
        }
        format!("http://{addr}{API_PREFIX}")
    }

    /// Every session token issued so far becomes expired, as if two hours had passed.
    pub fn expire_sessions(&self) {
        self.state.expire_sessions();
    }

    pub fn stats(&self) -> SimulatorStats {
        self.state.stats()
    }

    /// How many requests for a life-cycle method (deactivate, re-activate, delete) arrived,
    /// counted as they arrive: before latency, faults or any check of the request.
    pub fn writes_received(&self) -> u64 {
        self.state.writes.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// Stops accepting connections, lets requests in flight finish, and waits for the server.
    pub async fn shutdown(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(server) = self.server.take()
            && let Err(error) = server.await
        {
            warn!(%error, "simulator server task failed");
        }
    }
}

impl Drop for Simulator {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_demo_data_parses() {
        let tokens = parse_tokens(DEMO_TOKENS_JSON).expect("embedded demo data parses");
        assert!(tokens.len() >= 44, "{}", tokens.len());
    }

    #[test]
    fn faults_have_command_line_names() {
        use clap::ValueEnum;
        for (name, fault) in [
            ("html502", Fault::Html502),
            ("truncated", Fault::Truncated),
            ("disconnect", Fault::Disconnect),
            ("internal-error", Fault::InternalError),
        ] {
            assert_eq!(Fault::from_str(name, false), Ok(fault));
        }
    }

    #[test]
    fn load_tokens_explains_what_is_wrong() {
        let missing = load_tokens(Path::new("/no/such/tokens.json")).expect_err("no file");
        assert!(missing.contains("/no/such/tokens.json"), "{missing}");
        let not_objects =
            parse_tokens(r#"{"tokens":[{"pass_code":"1","data":[]}]}"#).expect_err("bad data");
        assert!(not_objects.contains("token 1"), "{not_objects}");
        assert!(parse_tokens("[]").is_err());
    }
}
