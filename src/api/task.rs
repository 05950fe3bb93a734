//! The API task: the one place the console's HTTP happens. It owns the `Client`, takes
//! `ApiCommand`s over a channel, runs each request on its own sub-task so that a slow one
//! never blocks another, and answers with `ApiEvent`s tagged with the request's id.
//! A cancelled request is aborted and answers nothing; the app drops late answers anyway.

use std::collections::HashMap;
use std::sync::Arc;

use tokio::sync::mpsc;
use tokio::task::JoinSet;

use super::client::Client;
// The request and event types live in `request`, free of tokio; re-exported here for the
// code that has always named them by the task (`app`), until it names `api` instead.
pub use super::request::{ApiCommand, ApiEvent, ApiEventKind, RequestId};

/// The sending half the rest of the program holds. Dropping it ends the task.
#[derive(Clone, Debug)]
pub struct ApiHandle {
    commands: mpsc::UnboundedSender<ApiCommand>,
}

impl ApiHandle {
    /// Hands a command to the task; false once the task has ended.
    pub fn send(&self, command: ApiCommand) -> bool {
        self.commands.send(command).is_ok()
    }
}

/// Starts the API task on the current tokio runtime.
pub fn spawn(client: Client) -> (ApiHandle, mpsc::UnboundedReceiver<ApiEvent>) {
    let (command_tx, command_rx) = mpsc::unbounded_channel();
    let (event_tx, event_rx) = mpsc::unbounded_channel();
    tokio::spawn(run(Arc::new(client), command_rx, event_tx));
    (
        ApiHandle {
            commands: command_tx,
        },
        event_rx,
    )
}

async fn run(
    client: Arc<Client>,
    mut commands: mpsc::UnboundedReceiver<ApiCommand>,
    events: mpsc::UnboundedSender<ApiEvent>,
) {
    let mut in_flight: JoinSet<()> = JoinSet::new();
    let mut aborts: HashMap<RequestId, tokio::task::AbortHandle> = HashMap::new();
    let mut ids: HashMap<tokio::task::Id, RequestId> = HashMap::new();
    loop {
        tokio::select! {
            command = commands.recv() => match command {
                Some(ApiCommand::Send { id, operation }) => {
                    let client = Arc::clone(&client);
                    let events = events.clone();
                    let handle = in_flight.spawn(async move {
                        let _ = events.send(ApiEvent { id, kind: ApiEventKind::Started });
                        let outcome = client.run(&operation).await;
                        let _ = events.send(ApiEvent { id, kind: ApiEventKind::Finished(outcome) });
                    });
                    ids.insert(handle.id(), id);
                    aborts.insert(id, handle);
                }
                Some(ApiCommand::Cancel(id)) => {
                    if let Some(handle) = aborts.remove(&id) {
                        tracing::info!(request = id.0, "request cancelled");
                        handle.abort();
                    }
                }
                None => break,
            },
            Some(done) = in_flight.join_next_with_id() => {
                let task_id = match &done {
                    Ok((task_id, ())) => *task_id,
                    Err(e) => e.id(),
                };
                if let Some(id) = ids.remove(&task_id) {
                    aborts.remove(&id);
                }
            }
        }
    }
    in_flight.abort_all();
}
