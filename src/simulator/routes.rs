//! The HTTP face of the store: the API's routes, and the servlet container's HTML pages for
//! paths and methods the API does not have. The envelope and its wording rule are
//! `envelope`'s.

use std::sync::Arc;
use std::time::{Instant, SystemTime};

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{RawQuery, State};
use axum::http::{Method, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{MethodRouter, get, post};
use axum::{Router, middleware};
use serde_json::{Map, Value, json};
use tracing::{debug, info};

use super::config::API_PREFIX;
use super::envelope::{OkStyle, api_error_response, ok_envelope};
use super::faults;
use super::params::{self, ListRequest};
use super::refusal::{ApiError, ErrorCode};
use super::shared::AppState;
use super::store::{TokenMethod, project};
use crate::api::Action;

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
            let delay = app.config.apply_delay;
            if !matches!(method, TokenMethod::Act(_)) || delay.is_zero() {
                return token_method(&app, body, method);
            }
            // On a task of its own, which outlives the request: a client that hangs up does
            // not stop a change already received, as on a real back end.
            let applied = tokio::spawn(async move {
                tokio::time::sleep(delay).await;
                token_method(&app, body, method)
            });
            applied.await.unwrap_or_else(|_| {
                html_error(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "The change could not be carried out.",
                )
            })
        },
    )
    .fallback(wrong_method(Method::POST))
}

fn respond(app: &AppState, result: Result<Value, ApiError>, style: OkStyle) -> Response {
    match result {
        Ok(data) => ok_envelope(data, style),
        Err(error) => {
            debug!(code = error.code.as_str(), message = %error.message, "simulator refused a request");
            api_error_response(&app.config, &error)
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
        let applied = store.apply(method, &identifier, &username, SystemTime::now());
        if let TokenMethod::Act(_) = method {
            app.count_action(&applied);
        }
        let token = applied?;
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
