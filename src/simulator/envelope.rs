//! The response envelope every API answer travels in, and the HTTP status it travels with.
//!
//! Real servers word the envelope's `status` untidily (CRMCOM-API.md, "Transport"), so the
//! simulator varies it by a fixed rule, and every test that talks to it exercises the
//! client's leniency:
//! - the login answer uses the older style, `"message": null, "description": null`;
//! - parameter errors (`MISSING_PARAMETER`, `INVALID_PARAMETER`) carry their sentence in
//!   `description`, with `"message": null`;
//! - every other answer uses the newer style: an OK has `"message": ""` and
//!   `"description": ""`, an error has its sentence in `message` and `"description": ""`.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use super::config::SimulatorConfig;
use super::refusal::{ApiError, ErrorCode};

/// How an OK envelope words its `status` (see the module doc).
#[derive(Clone, Copy)]
pub(crate) enum OkStyle {
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

pub(crate) fn ok_envelope(data: Value, style: OkStyle) -> Response {
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
pub(crate) fn api_error_response(config: &SimulatorConfig, error: &ApiError) -> Response {
    let status = if config.http_error_status {
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
