//! No redirect is followed, on any request: a server on 127.0.0.1 answers everything with a
//! 301, 302, 307 or 308 pointing at a second server on 127.0.0.2, which must never see a
//! connection. A 307 or 308 to the log-in would carry the password there; to an action, the
//! session token and the action itself. The client, the audit log and the binary must each
//! say where the server pointed, that nothing was done, and that the URL is to be fixed.

use std::process::Output;
use std::sync::Arc;
use std::sync::atomic::{AtomicU16, AtomicUsize, Ordering};

use crate::support::start;
use axum::Router;
use axum::http::{StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use tokendesk::api::{
    AccessTokenIdentifier, Action, ApiError, Client, ClientConfig, Credentials, ListOwner,
    ListQuery, Secret,
};
use tokendesk::audit::{AuditContext, AuditLog, AuditToken};

const PASSWORD: &str = "s3cret-password";
const SESSION: &str = "session-token-XYZ";
const CODE: &str = "99021047380";

/// The redirecting server and the one it points at.
struct Servers {
    /// The redirecting server's API, as a clerk would give it.
    url: String,
    /// What the redirecting server answers with; tests change it between requests.
    status: Arc<AtomicU16>,
    /// Requests the redirecting server answered.
    asked: Arc<AtomicUsize>,
    /// Connections the server on 127.0.0.2 accepted: it must stay 0.
    elsewhere: Arc<AtomicUsize>,
    elsewhere_port: u16,
    _runtime: std::thread::JoinHandle<()>,
}

impl Servers {
    fn start(status: u16) -> Servers {
        let status = Arc::new(AtomicU16::new(status));
        let asked = Arc::new(AtomicUsize::new(0));
        let elsewhere = Arc::new(AtomicUsize::new(0));
        let (ready, addresses) = std::sync::mpsc::channel();
        let (status_in, asked_in, elsewhere_in) =
            (status.clone(), asked.clone(), elsewhere.clone());
        let runtime = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("runtime");
            runtime.block_on(async move {
                // Counts connections, not requests: a followed redirect connects first.
                let other = tokio::net::TcpListener::bind("127.0.0.2:0")
                    .await
                    .expect("127.0.0.2 is loopback too");
                let other_port = other.local_addr().expect("address").port();
                tokio::spawn(async move {
                    while let Ok((stream, _)) = other.accept().await {
                        elsewhere_in.fetch_add(1, Ordering::SeqCst);
                        drop(stream);
                    }
                });
                let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
                    .await
                    .expect("binds");
                let port = listener.local_addr().expect("address").port();
                ready.send((port, other_port)).expect("the test waits");
                let app = Router::new().fallback(move |uri: Uri| {
                    let status = status_in.load(Ordering::SeqCst);
                    asked_in.fetch_add(1, Ordering::SeqCst);
                    async move { redirect(status, other_port, &uri) }
                });
                axum::serve(listener, app).await.expect("serves");
            });
        });
        let (port, elsewhere_port) = addresses.recv().expect("the servers start");
        Servers {
            url: format!("http://127.0.0.1:{port}/crmapi/rest/v2"),
            status,
            asked,
            elsewhere,
            elsewhere_port,
            _runtime: runtime,
        }
    }

    /// Where the redirect of `method` points, as the sentence names it.
    fn target(&self, method: &str) -> String {
        format!(
            "http://127.0.0.2:{}/crmapi/rest/v2/{method}",
            self.elsewhere_port
        )
    }
}

/// The same path and query on 127.0.0.2: the query of a list holds the session token.
fn redirect(status: u16, port: u16, uri: &Uri) -> Response {
    let target = format!(
        "http://127.0.0.2:{port}{}",
        uri.path_and_query().map_or("/", |p| p.as_str())
    );
    let status = StatusCode::from_u16(status).expect("a status");
    (status, [(header::LOCATION, target)], "moved").into_response()
}

fn credentials() -> Credentials {
    Credentials {
        username: "u".into(),
        password: Secret::new(PASSWORD),
        organisation: "o".into(),
        unit: None,
    }
}

fn logging_in(servers: &Servers) -> Client {
    let mut config = ClientConfig::new(servers.url.clone());
    config.credentials = Some(credentials());
    Client::new(config).expect("client builds")
}

fn in_session(servers: &Servers) -> Client {
    let mut config = ClientConfig::new(servers.url.clone());
    config.session_token = Some(Secret::new(SESSION));
    config.credentials = Some(credentials());
    Client::new(config).expect("client builds")
}

fn code() -> AccessTokenIdentifier {
    AccessTokenIdentifier::AuthenticationCode(CODE.into())
}

/// The error is a redirect that names where it pointed, says nothing was done and what to
/// fix, and quotes no secret.
fn assert_refused_redirect(error: &ApiError, status: u16, target: &str) {
    assert!(
        matches!(error, ApiError::Redirected { status: s, .. } if *s == status),
        "{error:?}"
    );
    assert!(
        !error.outcome_unknown(),
        "a 3xx carried nothing out: {error:?}"
    );
    let sentence = error.to_string();
    assert_eq!(
        sentence,
        format!(
            "The server redirected the request to {target} (HTTP {status}) instead of carrying it out; tokendesk follows no redirect, so nothing was done. Fix the URL (--url, or the profile's url) to name the CRM.COM API itself."
        )
    );
    assert!(!sentence.contains(SESSION) && !sentence.contains(PASSWORD));
}

#[tokio::test]
async fn no_redirect_is_followed_for_a_log_in_a_read_a_list_or_an_action() {
    let servers = Servers::start(301);
    for status in [301, 302, 307, 308] {
        servers.status.store(status, Ordering::SeqCst);
        let login = logging_in(&servers).login().await.expect_err("redirected");
        assert_refused_redirect(&login, status, &servers.target("authentication/token"));

        let client = in_session(&servers);
        let read = client.show(&code(), None).await.expect_err("redirected");
        assert_refused_redirect(&read, status, &servers.target("access_tokens/show"));
        let query = ListQuery {
            owner: ListOwner::AccountsReceivable("ACR1".into()),
            number_of_results: 20,
            offset: 0,
        };
        // The list's query (with the session token in it) is not repeated in the sentence.
        let list = client.list(&query, None).await.expect_err("redirected");
        assert_refused_redirect(&list, status, &servers.target("access_tokens/list"));
        let act = client
            .act(Action::Deactivate, &code(), None)
            .await
            .expect_err("redirected");
        assert_refused_redirect(
            &act,
            status,
            &servers.target("access_tokens/set_as_not_effective"),
        );
    }
    assert_eq!(servers.asked.load(Ordering::SeqCst), 16, "each asked once");
    assert_eq!(
        servers.elsewhere.load(Ordering::SeqCst),
        0,
        "nothing reached 127.0.0.2"
    );
}

#[test]
fn a_redirect_without_a_place_is_said_as_such_and_a_relative_one_is_resolved() {
    let plain = ApiError::Redirected {
        status: 304,
        location: None,
    };
    assert_eq!(
        plain.to_string(),
        "The server answered HTTP 304, a redirect that names no place, instead of carrying out the request; tokendesk follows no redirect, so nothing was done. Fix the URL (--url, or the profile's url) to name the CRM.COM API itself."
    );
    let asked = reqwest::Url::parse("https://crm.example.com/crmapi/rest/v2/access_tokens/show")
        .expect("a URL");
    let shown = |location: &str| {
        tokendesk::api::transport::redirected_to(Some(location.as_bytes()), &asked)
    };
    assert_eq!(
        shown("/sso/login?next=%2Fcrmapi&token=abc#x").as_deref(),
        Some("https://crm.example.com/sso/login")
    );
    assert_eq!(
        shown("https://user:pw@evil.example.net/x?session=1").as_deref(),
        Some("https://evil.example.net/x")
    );
    assert_eq!(shown("   "), None);
    let hostile = shown("https://evil.example.net/\u{1b}[2Jpath").expect("shown");
    assert!(!hostile.contains('\u{1b}'), "{hostile}");
    let long = shown(&format!("https://evil.example.net/{}", "a".repeat(500))).expect("shown");
    assert!(long.chars().count() <= 120, "{long}");
    assert_eq!(
        tokendesk::api::transport::redirected_to(Some(b"\xff\xfe"), &asked),
        None
    );
}

#[tokio::test]
async fn an_audited_action_answered_with_a_redirect_is_recorded_failed_not_unknown() {
    let servers = Servers::start(307);
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("audit.jsonl");
    let log = AuditLog::new(Some(path.clone()), AuditContext::default());
    let client = in_session(&servers);
    let audited = tokendesk::audit::audited::act(
        &client,
        &log,
        Action::Deactivate,
        &code(),
        &AuditToken::default(),
        None,
    )
    .await
    .expect("the intent is written");
    assert!(
        audited.reread.is_none(),
        "nothing to find out: nothing was done"
    );
    let error = audited.result.expect_err("redirected");
    assert!(!error.outcome_unknown());
    let text = std::fs::read_to_string(&path).expect("the log");
    let outcome: serde_json::Value =
        serde_json::from_str(text.lines().nth(1).expect("an outcome line")).expect("JSON");
    assert_eq!(outcome["outcome"], "failed", "{outcome}");
    assert!(
        outcome["reason"]
            .as_str()
            .is_some_and(|r| r.contains("redirected the request to http://127.0.0.2:")),
        "{outcome}"
    );
    assert_eq!(servers.asked.load(Ordering::SeqCst), 1, "not repeated");
    assert_eq!(servers.elsewhere.load(Ordering::SeqCst), 0);
}

fn tokendesk(servers: &Servers, dir: &std::path::Path, args: &[&str]) -> Output {
    start::tokendesk(dir)
        .args([
            "--url",
            &servers.url,
            "--username",
            "u",
            "--organisation",
            "o",
        ])
        .args([
            "--audit-log",
            &dir.join("audit.jsonl").display().to_string(),
        ])
        .args(args)
        .env("TOKENDESK_PASSWORD", PASSWORD)
        .output()
        .expect("tokendesk runs")
}

#[test]
fn the_command_line_says_where_the_server_pointed_and_exits_2_with_nothing_done() {
    let servers = Servers::start(308);
    let dir = tempfile::tempdir().expect("temp dir");
    for args in [
        &["show", CODE][..],
        &["list", "--acr", "ACR1"],
        &["deactivate", CODE, "--yes"],
    ] {
        let output = tokendesk(&servers, dir.path(), args);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(
            stderr.contains(&format!(
                "redirected the request to {} (HTTP 308)",
                servers.target("authentication/token")
            )),
            "the log-in is the first request: {stderr}"
        );
        assert!(
            stderr.ends_with("to name the CRM.COM API itself.\n"),
            "the sentence, and nothing about a list of 0 tokens: {stderr}"
        );
        assert!(!stderr.contains(PASSWORD), "{stderr}");
        assert!(output.stdout.is_empty(), "{args:?}");
    }
    // In a session, the action itself is redirected: a failure, with nothing done.
    let session_file = dir.path().join("session");
    std::fs::write(&session_file, SESSION).expect("session token written");
    let session_file = session_file.to_str().expect("a UTF-8 temporary path");
    let output = tokendesk(
        &servers,
        dir.path(),
        &[
            "--session-token-file",
            session_file,
            "deactivate",
            CODE,
            "--yes",
        ],
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains(&format!(
            "redirected the request to {} (HTTP 308) instead of carrying it out",
            servers.target("access_tokens/set_as_not_effective")
        )),
        "{stderr}"
    );
    assert!(
        !stderr.contains("not known"),
        "not an unknown outcome: {stderr}"
    );
    assert!(!stderr.contains(SESSION), "{stderr}");
    let audit = std::fs::read_to_string(dir.path().join("audit.jsonl")).expect("audited");
    assert!(audit.contains(r#""outcome":"failed""#), "{audit}");
    assert_eq!(servers.elsewhere.load(Ordering::SeqCst), 0);
}
