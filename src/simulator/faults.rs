//! Fault injection and latency: a middleware in front of every route, so the console can be
//! exercised against a server that misbehaves the ways real ones do.

use std::io;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::response::Parts;
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use futures_util::StreamExt;
use futures_util::stream;
use tracing::debug;

use super::config::{API_PREFIX, Fault};
use super::envelope::api_error_response;
use super::refusal::{ApiError, ErrorCode};
use super::shared::AppState;
use crate::api::Action;

const NGINX_502_PAGE: &str = "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n\
<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx/1.24.0</center>\r\n</body>\r\n</html>\r\n";

/// How many bytes of the answer get out before a simulated disconnect.
const BYTES_BEFORE_DISCONNECT: usize = 16;
/// A pause before cutting the connection, so the status line and the first bytes are flushed
/// and the client sees the connection die mid-response rather than before it.
const PAUSE_BEFORE_DISCONNECT: Duration = Duration::from_millis(50);

pub(crate) async fn inject(
    State(app): State<Arc<AppState>>,
    request: Request,
    next: Next,
) -> Response {
    let sequence = app.requests.fetch_add(1, Ordering::Relaxed) + 1;
    let action = is_action(request.uri().path());
    let action_sequence = if action {
        app.actions.fetch_add(1, Ordering::Relaxed) + 1
    } else {
        0
    };
    if !app.config.latency.is_zero() {
        tokio::time::sleep(app.config.latency).await;
    }
    // Which count `fail_every` divides: every request, or only the actions.
    let counted = if app.config.fail_actions_only {
        action.then_some(action_sequence)
    } else {
        Some(sequence)
    };
    let faulty = app
        .config
        .fail_every
        .zip(counted)
        .is_some_and(|(every, n)| n % u64::from(every.get()) == 0);
    if !faulty {
        return next.run(request).await;
    }
    let fault = app.config.fault;
    debug!(?fault, sequence, path = %request.uri().path(), "simulator injects a fault");
    match fault {
        // A gateway or the server failing before the method ran: nothing changed.
        Fault::Html502 => (
            StatusCode::BAD_GATEWAY,
            [
                (header::CONTENT_TYPE, "text/html"),
                (header::SERVER, "nginx/1.24.0"),
            ],
            NGINX_502_PAGE,
        )
            .into_response(),
        Fault::InternalError => {
            let error = ApiError::new(
                ErrorCode::InternalError,
                "An unexpected error occurred on the server; please try again.",
            );
            api_error_response(&app.config, &error)
        }
        // The method ran (a change did happen) but its answer is lost on the way: the
        // "outcome unknown" case the console must recover from by re-reading.
        Fault::Truncated => {
            let (parts, answer) = answer_parts(next.run(request).await).await;
            cut_response(parts, Body::from(answer.slice(..answer.len() / 2)))
        }
        Fault::Disconnect => {
            let (parts, answer) = answer_parts(next.run(request).await).await;
            let sent = answer.slice(..answer.len().min(BYTES_BEFORE_DISCONNECT));
            let cut = stream::once(async {
                tokio::time::sleep(PAUSE_BEFORE_DISCONNECT).await;
                Err(io::Error::new(
                    io::ErrorKind::ConnectionAborted,
                    "simulated disconnect",
                ))
            });
            // A body that fails mid-stream makes hyper abort the connection.
            cut_response(
                parts,
                Body::from_stream(stream::once(async { Ok(sent) }).chain(cut)),
            )
        }
    }
}

async fn answer_parts(response: Response) -> (Parts, Bytes) {
    let (parts, body) = response.into_parts();
    // The simulator's own answers are small, in-memory bodies; reading them cannot fail.
    let bytes = axum::body::to_bytes(body, usize::MAX)
        .await
        .unwrap_or_default();
    (parts, bytes)
}

/// The method's own answer, status and headers included (a 4xx/5xx under
/// `http_error_status` stays one), with only part of its body.
fn cut_response(mut parts: Parts, body: Body) -> Response {
    // The full length no longer describes what is sent.
    parts.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(parts, body)
}

/// True for the path of a life-cycle method (an action that changes a token).
fn is_action(path: &str) -> bool {
    Action::ALL
        .iter()
        .any(|action| path == format!("{API_PREFIX}/{}", action.method()))
}
