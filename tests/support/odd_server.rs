//! A CRM.COM of our own, written here and not in the simulator, that words things the way
//! other servers in the field do: an expired session said with a generic `ERROR` code and a
//! sentence, with a 401 around an envelope, or with a 401 HTML page; and, on request, answers
//! an action with something that does not say what happened (JSON that is not the envelope,
//! `data` null or an array, an answer too large to read). The client must cope with all of
//! it without being tuned to the simulator.
//!
//! It holds one token, AT0000000001 (code 1000001, EFFECTIVE), whose numbers go beyond f64.
//! It runs on a runtime of its own thread, so both plain and tokio tests can use it.

#![allow(dead_code)]

use std::collections::VecDeque;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use futures_util::stream;
use tokio::sync::oneshot;

pub const NUMBER: &str = "AT0000000001";
pub const CODE: &str = "1000001";
pub const USERNAME: &str = "clerk";
pub const PASSWORD: &str = "secret";
pub const ORGANISATION: &str = "ODD";

/// How this server says that a session token is no good.
#[derive(Clone, Copy, Debug, Default)]
pub enum Wording {
    #[default]
    /// HTTP 200, `{"status":{"code":"ERROR","message":"Token is invalid or has expired"}}`.
    GenericCode,
    /// HTTP 401 around an envelope whose code names nothing in particular.
    UnauthorizedEnvelope,
    /// HTTP 401 with a servlet container's HTML page.
    UnauthorizedHtml,
    /// HTTP 200, `{"status":{"code":"EXCEPTION","message":"Session has expired. Please log in again."}}`.
    ExceptionCode,
    /// A bare HTTP 401: nothing in the body.
    UnauthorizedBare,
}

impl Wording {
    pub const ALL: [Wording; 5] = [
        Wording::GenericCode,
        Wording::UnauthorizedEnvelope,
        Wording::UnauthorizedHtml,
        Wording::ExceptionCode,
        Wording::UnauthorizedBare,
    ];

    fn answer(self) -> Answer {
        match self {
            Wording::GenericCode => Answer::json(
                200,
                r#"{"status":{"code":"ERROR","message":"Token is invalid or has expired","description":null},"data":null}"#,
            ),
            Wording::UnauthorizedEnvelope => Answer::json(
                401,
                r#"{"status":{"code":"UNAUTHORISED_REQUEST","message":"Not allowed","description":""},"data":null}"#,
            ),
            Wording::UnauthorizedHtml => Answer::Html {
                status: 401,
                page: "<html><head><title>401 Unauthorized</title></head><body>Unauthorized</body></html>",
            },
            Wording::ExceptionCode => Answer::json(
                200,
                r#"{"status":{"code":"EXCEPTION","message":"Session has expired. Please log in again."},"data":null}"#,
            ),
            Wording::UnauthorizedBare => Answer::Html {
                status: 401,
                page: "",
            },
        }
    }
}

/// One answer, as bytes on the wire.
#[derive(Clone, Debug)]
pub enum Answer {
    Json {
        status: u16,
        body: String,
    },
    Html {
        status: u16,
        page: &'static str,
    },
    /// A JSON answer whose `Content-Length` says 40 MB; it streams zeros until the client
    /// hangs up.
    Huge,
    /// Headers, then a body that never comes: the client waits until it gives up (or is
    /// killed), as behind a back end that took the request and hangs.
    Never,
}

impl Answer {
    pub fn json(status: u16, body: &str) -> Answer {
        Answer::Json {
            status,
            body: body.to_owned(),
        }
    }

    fn into_response(self) -> Response {
        match self {
            Answer::Json { status, body } => (
                code(status),
                [(header::CONTENT_TYPE, "application/json")],
                body,
            )
                .into_response(),
            Answer::Html { status, page } => {
                (code(status), [(header::CONTENT_TYPE, "text/html")], page).into_response()
            }
            Answer::Huge => {
                const LENGTH: usize = 40 * 1024 * 1024;
                const CHUNK: usize = 64 * 1024;
                let chunks = stream::iter(
                    (0..LENGTH / CHUNK)
                        .map(|_| Ok::<_, std::io::Error>(Bytes::from(vec![b'0'; CHUNK]))),
                );
                (
                    StatusCode::OK,
                    [
                        (header::CONTENT_TYPE, "application/json".to_owned()),
                        (header::CONTENT_LENGTH, LENGTH.to_string()),
                    ],
                    Body::from_stream(chunks),
                )
                    .into_response()
            }
            Answer::Never => (
                StatusCode::OK,
                [(header::CONTENT_TYPE, "application/json")],
                Body::from_stream(stream::pending::<Result<Bytes, std::io::Error>>()),
            )
                .into_response(),
        }
    }
}

fn code(status: u16) -> StatusCode {
    StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
}

/// What the next call of a method gets instead of its usual answer.
#[derive(Clone, Debug)]
pub enum Scripted {
    /// This answer, and the method is not carried out.
    Instead(Answer),
    /// The method is carried out, then this answer goes out instead of the token.
    After(Answer),
}

#[derive(Default)]
struct Server {
    state: &'static str,
    deleted: bool,
    sessions_issued: u32,
    /// Sessions issued before this number are expired.
    valid_from: u32,
    /// Every session is refused, even a fresh one.
    refuse_every_session: bool,
    wording: Wording,
    scripts: Vec<(&'static str, VecDeque<Scripted>)>,
    /// Method names in the order they were asked for.
    calls: Vec<String>,
    /// Life-cycle changes carried out.
    changes: u32,
}

pub struct OddServer {
    pub url: String,
    server: Arc<Mutex<Server>>,
    stop: Option<oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl OddServer {
    pub fn start(wording: Wording) -> OddServer {
        let server = Arc::new(Mutex::new(Server {
            state: "EFFECTIVE",
            valid_from: 1,
            wording,
            ..Server::default()
        }));
        let (stop, stopped) = oneshot::channel::<()>();
        let (ready, address) = std::sync::mpsc::channel();
        let shared = Arc::clone(&server);
        let thread = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("runtime");
            runtime.block_on(async move {
                let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
                    .await
                    .expect("binds");
                ready
                    .send(listener.local_addr().expect("address"))
                    .expect("test waits");
                let app = Router::new().fallback(handle).with_state(shared);
                // Not a graceful shutdown: an answer still streaming to a client that stopped
                // reading would hold it up. Ending the runtime drops every connection.
                tokio::select! {
                    _ = axum::serve(listener, app) => {}
                    _ = stopped => {}
                }
            });
        });
        let address = address.recv().expect("the server starts");
        OddServer {
            url: format!("http://{address}/crmapi/rest/v2"),
            server,
            stop: Some(stop),
            thread: Some(thread),
        }
    }

    fn lock(&self) -> MutexGuard<'_, Server> {
        self.server.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Every session issued so far is now expired.
    pub fn expire_sessions(&self) {
        let mut server = self.lock();
        server.valid_from = server.sessions_issued + 1;
    }

    pub fn refuse_every_session(&self) {
        self.lock().refuse_every_session = true;
    }

    /// The next call of `method` ("access_tokens/show", ...) gets `scripted`.
    pub fn script(&self, method: &'static str, scripted: Scripted) {
        let mut server = self.lock();
        match server.scripts.iter_mut().find(|(m, _)| *m == method) {
            Some((_, queue)) => queue.push_back(scripted),
            None => server.scripts.push((method, VecDeque::from([scripted]))),
        }
    }

    pub fn logins(&self) -> u32 {
        self.lock().sessions_issued
    }

    /// How many life-cycle changes were carried out.
    pub fn changes(&self) -> u32 {
        self.lock().changes
    }

    /// The methods asked for, in order ("authentication/token", "access_tokens/show", ...).
    pub fn calls(&self) -> Vec<String> {
        self.lock().calls.clone()
    }

    pub fn state(&self) -> &'static str {
        let server = self.lock();
        if server.deleted {
            "DELETED"
        } else {
            server.state
        }
    }
}

impl Drop for OddServer {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// The token, written by hand so that its numbers are exactly these characters.
fn token_json(state: &str) -> String {
    format!(
        r#"{{"number":"{NUMBER}","authentication_code":"{CODE}","life_cycle_state":"{state}","balance":123456789012345678901234567890,"limit":1e400,"rate":1e-400,"accounts_receivable":{{"number":"ACR1","name":"Odd Ltd"}}}}"#
    )
}

fn ok(data: &str) -> Answer {
    Answer::json(
        200,
        &format!(r#"{{"status":{{"code":"OK","message":null}},"data":{data}}}"#),
    )
}

fn refusal(code: &str, message: &str) -> Answer {
    Answer::json(
        200,
        &format!(r#"{{"status":{{"code":"{code}","message":"{message}"}},"data":null}}"#),
    )
}

async fn handle(State(server): State<Arc<Mutex<Server>>>, uri: Uri, body: Bytes) -> Response {
    let mut server = server.lock().unwrap_or_else(PoisonError::into_inner);
    let method = uri
        .path()
        .strip_prefix("/crmapi/rest/v2/")
        .unwrap_or("")
        .to_owned();
    server.calls.push(method.clone());
    let request: serde_json::Value = serde_json::from_slice(&body).unwrap_or_default();
    let session = match method.as_str() {
        "access_tokens/list" => uri
            .query()
            .and_then(|q| q.split('&').find_map(|p| p.strip_prefix("token=")))
            .map(str::to_owned),
        _ => request["token"].as_str().map(str::to_owned),
    };
    if method == "authentication/token" {
        let right = request["username"] == USERNAME
            && request["password"] == PASSWORD
            && request["organisation"] == ORGANISATION;
        if !right {
            return refusal("INVALID_CREDENTIALS", "Wrong username or password").into_response();
        }
        server.sessions_issued += 1;
        return ok(&format!(r#"{{"token":"S{}"}}"#, server.sessions_issued)).into_response();
    }
    let valid = session
        .and_then(|s| s.strip_prefix('S').and_then(|n| n.parse::<u32>().ok()))
        .is_some_and(|n| n >= server.valid_from && n <= server.sessions_issued);
    if !valid || server.refuse_every_session {
        return server.wording.answer().into_response();
    }
    let scripted = server
        .scripts
        .iter_mut()
        .find(|(m, _)| *m == method)
        .and_then(|(_, queue)| queue.pop_front());
    let answer = match scripted {
        Some(Scripted::Instead(answer)) => return answer.into_response(),
        Some(Scripted::After(answer)) => {
            carry_out(&mut server, &method);
            return answer.into_response();
        }
        None => carry_out(&mut server, &method),
    };
    answer.into_response()
}

/// The method's own work and answer.
fn carry_out(server: &mut Server, method: &str) -> Answer {
    if server.deleted && method != "access_tokens/list" {
        return refusal("NOT_FOUND", "No access token matches that code");
    }
    let (from, to) = match method {
        "access_tokens/show" => return ok(&token_json(server.state)),
        "access_tokens/list" if server.deleted => return ok("[]"),
        "access_tokens/list" => return ok(&format!("[{}]", token_json(server.state))),
        "access_tokens/set_as_not_effective" => ("EFFECTIVE", Some("NOT_EFFECTIVE")),
        "access_tokens/set_as_effective" => ("NOT_EFFECTIVE", Some("EFFECTIVE")),
        "access_tokens/delete" => ("NOT_EFFECTIVE", None),
        _ => {
            return Answer::Html {
                status: 404,
                page: "<html><title>404 Not Found</title></html>",
            };
        }
    };
    if server.state != from {
        return refusal(
            "INVALID_LIFE_CYCLE_STATE",
            "The access token is not in the right state",
        );
    }
    let answer = ok(&token_json(to.unwrap_or(from)));
    match to {
        Some(state) => server.state = state,
        None => server.deleted = true,
    }
    server.changes += 1;
    answer
}
