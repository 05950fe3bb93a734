//! The built-in CRM.COM stand-in: an axum server on loopback that implements the
//! `crmapi/rest/v2` access-token methods of CRMCOM-API.md over in-memory demo data, with
//! optional latency and fault injection.

mod config;
mod demo;
mod envelope;
mod faults;
mod params;
mod refusal;
mod routes;
mod shared;
mod store;

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::Arc;

use tokio::sync::oneshot;
use tokio::task::JoinHandle;
use tracing::{debug, warn};

pub use config::{API_PREFIX, Fault, SimulatorConfig};
pub use demo::{
    DEMO_ORGANISATION, DEMO_PASSWORD, DEMO_USERNAME, DemoToken, bulk_account, demo_tokens,
    load_tokens,
};
pub use shared::SimulatorStats;

use shared::AppState;

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
