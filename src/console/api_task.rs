//! The API task: the one place the console's HTTP happens. It owns the `Client`, takes
//! `ApiCommand`s over a channel, runs each request on its own sub-task so that a slow one
//! never blocks another, and answers with `ApiEvent`s tagged with the request's id.
//! A cancelled read is aborted and answers nothing; the app drops late answers anyway.
//!
//! Every action is audited here, where it is sent (`audit::audited::act_until`): its intent on
//! disk before the request, its outcome on disk before the answer goes back to the app. An
//! action is never simply aborted: cancelled (Esc), it is dropped and the token read again,
//! and the outcome line says `unknown` and what that found; when the console closes, the
//! line is written at once, and [`ApiHandle::close`] waits for it.

use std::collections::HashMap;
use std::sync::Arc;

use tokio::sync::{mpsc, watch};
use tokio::task::{AbortHandle, JoinHandle, JoinSet};

use crate::api::client::Client;
use crate::api::error::ApiError;
// The request and event types live in `request`, free of tokio; re-exported here for the
// code that has always named them by the task (`app`), until it names `api` instead.
pub use crate::api::request::{ApiCommand, ApiEvent, ApiEventKind, RequestId};
use crate::api::request::{Operation, Reply};
use crate::audit::audited::{Abandon, ActionRequest, act_until};
use crate::audit::{AuditLog, AuditToken};

/// The sending half the rest of the program holds, and the task itself.
#[derive(Debug)]
pub struct ApiHandle {
    commands: mpsc::UnboundedSender<ApiCommand>,
    task: JoinHandle<()>,
}

impl ApiHandle {
    /// Hands a command to the task; false once the task has ended.
    pub fn send(&self, command: ApiCommand) -> bool {
        self.commands.send(command).is_ok()
    }

    /// Ends the task: reads in flight are dropped, and an action in flight is abandoned
    /// with its outcome line written (`unknown`) before this returns.
    pub async fn close(self) {
        drop(self.commands);
        if let Err(e) = self.task.await {
            tracing::error!("the API task failed: {e}");
        }
    }
}

/// Starts the API task on the current tokio runtime; `audit` records every action.
pub fn spawn(client: Client, audit: AuditLog) -> (ApiHandle, mpsc::UnboundedReceiver<ApiEvent>) {
    let (command_tx, command_rx) = mpsc::unbounded_channel();
    let (event_tx, event_rx) = mpsc::unbounded_channel();
    let task = tokio::spawn(run(Arc::new(client), Arc::new(audit), command_rx, event_tx));
    (
        ApiHandle {
            commands: command_tx,
            task,
        },
        event_rx,
    )
}

/// How a request in flight is stopped: a read is aborted; an action is told why, and
/// records its outcome before it ends.
struct InFlight {
    abort: AbortHandle,
    abandon: Option<watch::Sender<Option<Abandon>>>,
}

impl InFlight {
    fn stop(&self, why: Abandon) {
        match &self.abandon {
            Some(abandon) => {
                abandon.send_if_modified(|now| {
                    let stronger = now.is_none_or(|now| why > now);
                    if stronger {
                        *now = Some(why);
                    }
                    stronger
                });
            }
            None => self.abort.abort(),
        }
    }
}

async fn run(
    client: Arc<Client>,
    audit: Arc<AuditLog>,
    mut commands: mpsc::UnboundedReceiver<ApiCommand>,
    events: mpsc::UnboundedSender<ApiEvent>,
) {
    let mut in_flight: JoinSet<()> = JoinSet::new();
    let mut running: HashMap<RequestId, InFlight> = HashMap::new();
    let mut ids: HashMap<tokio::task::Id, RequestId> = HashMap::new();
    loop {
        tokio::select! {
            command = commands.recv() => match command {
                Some(ApiCommand::Send { id, operation }) => {
                    let (abandon, stop) = match operation {
                        Operation::Act { .. } => {
                            let (abandon, stop) = watch::channel(None);
                            (Some(abandon), Some(stop))
                        }
                        _ => (None, None),
                    };
                    let request = request(
                        Arc::clone(&client),
                        Arc::clone(&audit),
                        id,
                        operation,
                        stop,
                        events.clone(),
                    );
                    let abort = in_flight.spawn(request);
                    ids.insert(abort.id(), id);
                    running.insert(id, InFlight { abort, abandon });
                }
                Some(ApiCommand::Cancel(id)) => {
                    if let Some(request) = running.get(&id) {
                        tracing::info!(request = id.0, "request cancelled");
                        request.stop(Abandon::Cancelled);
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
                    running.remove(&id);
                }
            }
        }
    }
    // Closing: reads go at once; actions write their outcome lines, which is waited for.
    for request in running.values() {
        request.stop(Abandon::Closing);
    }
    while in_flight.join_next().await.is_some() {}
}

/// One request, start to answer. An action goes through the audit log; `stop` is how it
/// is told to give up.
async fn request(
    client: Arc<Client>,
    audit: Arc<AuditLog>,
    id: RequestId,
    operation: Operation,
    stop: Option<watch::Receiver<Option<Abandon>>>,
    events: mpsc::UnboundedSender<ApiEvent>,
) {
    let _ = events.send(ApiEvent {
        id,
        kind: ApiEventKind::Started,
    });
    let outcome = match (operation, stop) {
        (
            Operation::Act {
                action,
                identifier,
                fields,
                token,
                batch,
                reason,
            },
            Some(stop),
        ) => {
            let audit = match batch {
                Some(batch) => audit.for_batch(&batch),
                None => (*audit).clone(),
            };
            let audit = Arc::new(audit.with_reason(reason.as_deref()));
            let named =
                AuditToken::from_summary(&token).or(&AuditToken::from_identifier(&identifier));
            let what = ActionRequest {
                action,
                identifier: &identifier,
                token: &named,
                fields: fields.as_ref(),
            };
            // The app says what it waits for: the audit log, until this.
            let recorded = || {
                let _ = events.send(ApiEvent {
                    id,
                    kind: ApiEventKind::Recorded,
                });
            };
            match act_until(&client, &audit, &what, stop, recorded).await {
                Ok(Some(audited)) => {
                    if let Some(reread) = audited.reread {
                        let _ = events.send(ApiEvent {
                            id,
                            kind: ApiEventKind::Reread(reread),
                        });
                    }
                    if let Some(unrecorded) = audited.unrecorded {
                        tracing::error!("{unrecorded}");
                        let _ = events.send(ApiEvent {
                            id,
                            kind: ApiEventKind::Unrecorded(unrecorded.to_string()),
                        });
                    }
                    audited.result.map(Reply::Token)
                }
                // Abandoned: its outcome is in the log, and nobody waits for the answer.
                Ok(None) => return,
                Err(not_recorded) => Err(ApiError::NotAudited(not_recorded.to_string())),
            }
        }
        (operation, _) => client.run(&operation).await,
    };
    let _ = events.send(ApiEvent {
        id,
        kind: ApiEventKind::Finished(outcome),
    });
}
