//! The HTTP face of the store: routes, the response envelope and its status codes.
//!
//! Real servers word the envelope's `status` untidily (CRMCOM-API.md, "Transport"), so the
//! simulator varies it by a fixed rule, and every test that talks to it exercises the
//! client's leniency:
//! - the login answer uses the older style, `"message": null, "description": null`;
//! - parameter errors (`MISSING_PARAMETER`, `INVALID_PARAMETER`) carry their sentence in
//!   `description`, with `"message": null`;
//! - every other answer uses the newer style: an OK has `"message": ""` and
//!   `"description": ""`, an error has its sentence in `message` and `"description": ""`.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Instant, SystemTime};

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{RawQuery, State};
use axum::http::{Method, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{MethodRouter, get, post};
use axum::{Json, Router, middleware};
use serde_json::{Map, Value, json};
use tracing::{debug, info};

use super::params::{self, ListRequest};
use super::store::{ApiError, ErrorCode, Store, TokenMethod, project};
use super::{API_PREFIX, SimulatorConfig, SimulatorStats, faults};
use crate::api::Action;

/// What every request handler shares.
pub(crate) struct AppState {
    store: Mutex<Store>,
    pub(crate) config: SimulatorConfig,
    pub(crate) requests: AtomicU64,
    /// Requests received for a life-cycle method, answered or not: tests prove with it that
    /// a refused action never reached the server.
    pub(crate) writes: AtomicU64,
}

impl AppState {
    /// The tokens move into the store, which owns them from here on.
    pub(crate) fn new(mut config: SimulatorConfig) -> Self {
        let tokens = std::mem::take(&mut config.tokens);
        AppState {
            store: Mutex::new(Store::new(tokens, config.session_ttl)),
            config,
            requests: AtomicU64::new(0),
            writes: AtomicU64::new(0),
        }
    }

    /// A panic while holding the lock cannot leave the store half-changed in a way that
    /// matters to a simulator, so a poisoned lock is simply taken over.
    fn store(&self) -> MutexGuard<'_, Store> {
        self.store.lock().unwrap_or_else(PoisonError::into_inner)
    }

    pub(crate) fn expire_sessions(&self) {
        self.store().expire_sessions(Instant::now());
    }

    pub(crate) fn stats(&self) -> SimulatorStats {
        SimulatorStats {
            logins: self.store().logins_issued(),
            requests: self.requests.load(Ordering::Relaxed),
        }
    }
}

/// True for the path of a life-cycle method (an action that changes a token).
pub(crate) fn is_write(path: &str) -> bool {
    Action::ALL
        .iter()
        .any(|action| path == format!("{API_PREFIX}/{}", action.method()))
}

pub(crate) fn router(state: Arc<AppState>) -> Router {
    let path = |method: &str| format!("{API_PREFIX}/{method}");
    let mut router = Router::new()
        .route(
            &path("authentication/token"),
            post(login).fallback(wrong_method(Method::POST)),
        )
        .route(&path("access_tokens/show"), token_route(TokenMethod::Show))
        .route(
            &path("access_tokens/list"),
            get(list).fallback(wrong_method(Method::GET)),
        );
    // The life-cycle methods are the ones the client calls, by the same paths.
    for action in Action::ALL {
        router = router.route(
            &path(action.method()),
            token_route(TokenMethod::Act(action)),
        );
    }
    router
        .fallback(unknown_route)
        // Outermost, so faults and latency hit every route, the fallbacks included.
        .layer(middleware::from_fn_with_state(
            state.clone(),
            faults::inject,
        ))
        .with_state(state)
}

fn token_route(method: TokenMethod) -> MethodRouter<Arc<AppState>> {
    post(
        move |State(app): State<Arc<AppState>>, body: Result<Bytes, BytesRejection>| async move {
            token_method(&app, body, method)
        },
    )
    .fallback(wrong_method(Method::POST))
}

/// How an OK envelope words its `status` (see the module doc).
#[derive(Clone, Copy)]
enum OkStyle {
    /// `"message": "", "description": ""`, as in newer examples.
    Newer,
    /// `"message": null, "description": null`, as in older ones.
    Older,
}

/// The envelope every answer travels in.
fn envelope(code: &str, message: Value, description: Value, data: Value) -> Value {
    json!({
        "status": {"code": code, "message": message, "description": description},
        "data": data,
    })
}

fn ok_envelope(data: Value, style: OkStyle) -> Response {
    let (message, description) = match style {
        OkStyle::Newer => (json!(""), json!("")),
        OkStyle::Older => (Value::Null, Value::Null),
    };
    Json(envelope("OK", message, description, data)).into_response()
}

fn error_envelope(error: &ApiError, status: StatusCode) -> Response {
    let sentence = Value::from(error.message.as_str());
    let (message, description) = match error.code {
        ErrorCode::MissingParameter | ErrorCode::InvalidParameter => (Value::Null, sentence),
        _ => (sentence, json!("")),
    };
    let body = envelope(error.code.as_str(), message, description, Value::Null);
    (status, Json(body)).into_response()
}

/// Errors travel with HTTP 200 like the real server, unless `http_error_status` asks for 4xx/5xx.
pub(crate) fn api_error_response(app: &AppState, error: &ApiError) -> Response {
    let status = if app.config.http_error_status {
        http_status(error.code)
    } else {
        StatusCode::OK
    };
    error_envelope(error, status)
}

/// The HTTP status an error code travels with under `http_error_status`.
fn http_status(code: ErrorCode) -> StatusCode {
    match code {
        ErrorCode::InvalidToken | ErrorCode::InvalidCredentials => StatusCode::UNAUTHORIZED,
        ErrorCode::MissingParameter | ErrorCode::InvalidParameter => StatusCode::BAD_REQUEST,
        ErrorCode::NotFound => StatusCode::NOT_FOUND,
        ErrorCode::InvalidLifeCycleState => StatusCode::CONFLICT,
        ErrorCode::InternalError => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

fn respond(app: &AppState, result: Result<Value, ApiError>, style: OkStyle) -> Response {
    match result {
        Ok(data) => ok_envelope(data, style),
        Err(error) => {
            debug!(code = error.code.as_str(), message = %error.message, "simulator refused a request");
            api_error_response(app, &error)
        }
    }
}

fn body_object(body: Result<Bytes, BytesRejection>) -> Result<Map<String, Value>, ApiError> {
    let body = body.map_err(|rejection| {
        ApiError::new(
            ErrorCode::InvalidParameter,
            format!("The request body could not be read: {rejection}."),
        )
    })?;
    params::json_object(&body)
}

async fn login(State(app): State<Arc<AppState>>, body: Result<Bytes, BytesRejection>) -> Response {
    let result = body_object(body)
        .and_then(|body| params::credentials(&body))
        .and_then(|credentials| {
            let session_token = app.store().login(&credentials, Instant::now())?;
            info!(username = %credentials.username, "simulator login");
            Ok(json!({ "token": session_token }))
        });
    respond(&app, result, OkStyle::Older)
}

fn token_method(
    app: &AppState,
    body: Result<Bytes, BytesRejection>,
    method: TokenMethod,
) -> Response {
    let result = body_object(body).and_then(|body| {
        let request = params::token_request(&body);
        let mut store = app.store();
        let username = store.session_user(request.session_token.as_deref(), Instant::now())?;
        let identifier = request.identifier?;
        let fields_set = request.fields_set?;
        let token = store.apply(method, &identifier, &username, SystemTime::now())?;
        if let TokenMethod::Act(action) = method {
            info!(?action, number = %token["number"], %username, "simulator changed an access token");
        }
        Ok(project(token, fields_set.as_ref()))
    });
    respond(app, result, OkStyle::Newer)
}

async fn list(State(app): State<Arc<AppState>>, RawQuery(raw): RawQuery) -> Response {
    let result = params::parse_query(raw.as_deref().unwrap_or("")).and_then(|query| {
        let ListRequest {
            session_token,
            query,
            fields_set,
        } = params::list_request(&query);
        let store = app.store();
        store.session_user(session_token.as_deref(), Instant::now())?;
        let tokens = store
            .list(&query?)
            .into_iter()
            .map(|token| project(token, fields_set.as_ref()))
            .collect();
        Ok(Value::Array(tokens))
    });
    respond(&app, result, OkStyle::Newer)
}

/// Not an API error but a routing one. CRM.COM's NOT_FOUND means "no access token matches",
/// so a path the API does not have gets what a real server's servlet container sends: an HTML
/// page under HTTP 404, no envelope.
async fn unknown_route(uri: Uri) -> Response {
    html_error(
        StatusCode::NOT_FOUND,
        &format!("The requested resource [{}] is not available.", uri.path()),
    )
}

/// A known path asked with the wrong HTTP method: the servlet container's HTML 405, with the
/// `Allow` header it sends.
fn wrong_method(
    allowed: Method,
) -> impl Fn(Method, Uri) -> std::future::Ready<Response> + Clone + Send + Sync + 'static {
    move |method: Method, uri: Uri| {
        let mut response = html_error(
            StatusCode::METHOD_NOT_ALLOWED,
            &format!(
                "The method at {} does not accept {method} requests, only {allowed}.",
                uri.path()
            ),
        );
        if let Ok(allow) = header::HeaderValue::from_str(allowed.as_str()) {
            response.headers_mut().insert(header::ALLOW, allow);
        }
        std::future::ready(response)
    }
}

/// A small error page in the style of a servlet container, e.g. `<title>404 Not Found</title>`.
fn html_error(status: StatusCode, detail: &str) -> Response {
    let title = format!(
        "{} {}",
        status.as_u16(),
        status.canonical_reason().unwrap_or("Error")
    );
    let page = format!(
        "<!doctype html><html lang=\"en\"><head><title>{title}</title></head>\
<body><h1>{title}</h1><p>{}</p></body></html>",
        escape_html(detail)
    );
    (
        status,
        [(header::CONTENT_TYPE, "text/html;charset=utf-8")],
        page,
    )
        .into_response()
}

fn escape_html(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '&' => escaped.push_str("&amp;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&#39;"),
            c => escaped.push(c),
        }
    }
    escaped
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn error_pages_never_echo_markup() {
        let response = html_error(StatusCode::NOT_FOUND, "[/a<b>&\"c'] is not available.");
        assert_eq!(response.status(), StatusCode::NOT_FOUND);
        let body = axum::body::to_bytes(response.into_body(), usize::MAX)
            .await
            .expect("in-memory body");
        let page = String::from_utf8(body.to_vec()).expect("UTF-8");
        assert!(page.contains("<title>404 Not Found</title>"), "{page}");
        assert!(
            page.contains("[/a&lt;b&gt;&amp;&quot;c&#39;] is not available."),
            "{page}"
        );
    }
}
