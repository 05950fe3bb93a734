//! tokendesk against a CRM.COM that is not our simulator (`odd_server`): the client, the
//! console's API task and the command line, when a server words an expired session another
//! way, refuses even a fresh session, answers an action with something that does not show
//! what happened, repeats keys, or sends numbers beyond f64.

use crate::support::odd_server;

use std::path::PathBuf;
use std::process::{Command, Output, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};

use odd_server::{Answer, CODE, NUMBER, OddServer, Scripted, Wording};
use tokendesk::api::{
    AccessTokenIdentifier, Action, ApiError, Client, ClientConfig, Credentials, LifeCycleState,
    ListOwner, ListQuery, Operation, Reply, Secret, TokenSummary,
};
use tokendesk::audit::{AuditContext, AuditLog};
use tokendesk::console::api_task::{self, ApiCommand, ApiEventKind, RequestId};

const DEACTIVATE: &str = "access_tokens/set_as_not_effective";
const SHOW: &str = "access_tokens/show";

fn credentials() -> Credentials {
    Credentials {
        username: odd_server::USERNAME.into(),
        password: Secret::new(odd_server::PASSWORD),
        organisation: odd_server::ORGANISATION.into(),
        unit: None,
    }
}

fn client(server: &OddServer) -> Client {
    let mut config = ClientConfig::new(server.url.clone());
    config.credentials = Some(credentials());
    Client::new(config).expect("client builds")
}

fn code() -> AccessTokenIdentifier {
    AccessTokenIdentifier::AuthenticationCode(CODE.into())
}

fn state(token: &serde_json::Value) -> LifeCycleState {
    TokenSummary::from_value(token).state
}

/// The answers that show an action was sent but not what it did.
fn unproving_answers() -> Vec<(&'static str, Answer)> {
    vec![
        (
            "JSON that is not the envelope",
            Answer::json(200, r#"{"result":"done"}"#),
        ),
        (
            "data null",
            Answer::json(200, r#"{"status":{"code":"OK"},"data":null}"#),
        ),
        (
            "data an array",
            Answer::json(200, r#"{"status":{"code":"OK"},"data":[]}"#),
        ),
        (
            "data not a token",
            Answer::json(200, r#"{"status":{"code":"OK"},"data":"done"}"#),
        ),
        (
            "a token in the old state",
            Answer::json(
                200,
                r#"{"status":{"code":"OK"},"data":{"number":"AT0000000001","life_cycle_state":"EFFECTIVE"}}"#,
            ),
        ),
        (
            "status given twice",
            Answer::json(
                200,
                r#"{"status":{"code":"ERROR","message":"x"},"status":{"code":"OK"},"data":null}"#,
            ),
        ),
        ("an answer over the size limit", Answer::Huge),
    ]
}

// ---- an expired session, said other ways -----------------------------------------------

#[tokio::test]
async fn every_wording_of_an_expired_session_renews_it_once_for_reads() {
    for wording in Wording::ALL {
        let server = OddServer::start(wording);
        let client = client(&server);
        client.login().await.expect("logs in");
        server.expire_sessions();
        let token = client
            .show(&code(), None)
            .await
            .unwrap_or_else(|e| panic!("{wording:?}: {e}"));
        assert_eq!(token.value["number"], NUMBER, "{wording:?}");
        server.expire_sessions();
        let page = client
            .list(
                &ListQuery::first_page(ListOwner::AccountsReceivable("ACR1".into())),
                None,
            )
            .await
            .unwrap_or_else(|e| panic!("{wording:?}: {e}"));
        assert_eq!(page.len(), 1, "{wording:?}");
        assert_eq!(
            server.logins(),
            3,
            "one silent re-login per expiry: {wording:?}"
        );
        assert_eq!(
            server.calls(),
            [
                "authentication/token",
                SHOW,
                "authentication/token",
                SHOW,
                "access_tokens/list",
                "authentication/token",
                "access_tokens/list"
            ],
            "one repeat per expiry: {wording:?}"
        );
    }
}

#[tokio::test]
async fn every_wording_of_an_expired_session_renews_it_once_for_actions() {
    for wording in Wording::ALL {
        let server = OddServer::start(wording);
        let client = client(&server);
        client.login().await.expect("logs in");
        server.expire_sessions();
        let token = client
            .act(Action::Deactivate, &code(), None)
            .await
            .unwrap_or_else(|e| panic!("{wording:?}: {e}"));
        assert_eq!(state(&token.value), LifeCycleState::NotEffective);
        assert_eq!(server.changes(), 1, "done once: {wording:?}");
        assert_eq!(server.logins(), 2, "{wording:?}");
    }
}

#[tokio::test]
async fn the_console_renews_an_expired_session_said_another_way() {
    let server = OddServer::start(Wording::GenericCode);
    let client = client(&server);
    client.login().await.expect("logs in");
    server.expire_sessions();
    let dir = tempfile::tempdir().expect("a temporary directory");
    let audit = AuditLog::new(
        Some(dir.path().join("audit.jsonl")),
        AuditContext::default(),
    );
    let (api, mut events) = api_task::spawn(client, audit);
    api.send(ApiCommand::Send {
        id: RequestId(1),
        operation: Operation::Act {
            action: Action::Deactivate,
            identifier: code(),
            fields: None,
            token: Box::default(),
            batch: None,
            reason: None,
        },
    });
    let outcome = loop {
        let event = events.recv().await.expect("the task answers");
        if let ApiEventKind::Finished(outcome) = event.kind {
            break outcome;
        }
    };
    match outcome {
        Ok(Reply::Token(token)) => assert_eq!(state(&token.value), LifeCycleState::NotEffective),
        other => panic!("expected the token, got {other:?}"),
    }
    assert_eq!(server.logins(), 2);
    assert_eq!(server.changes(), 1);
}

#[tokio::test]
async fn a_generic_error_about_something_else_is_not_a_session_problem() {
    let server = OddServer::start(Wording::GenericCode);
    let client = client(&server);
    server.script(
        SHOW,
        Scripted::Instead(Answer::json(
            200,
            r#"{"status":{"code":"ERROR","message":"The access token identifier is not valid"},"data":null}"#,
        )),
    );
    let error = client.show(&code(), None).await.expect_err("refused");
    assert_eq!(error.server_code(), Some("ERROR"), "{error:?}");
    assert_eq!(
        server.logins(),
        1,
        "no re-login for an error about something else"
    );
}

#[tokio::test]
async fn a_new_session_refused_too_is_said_plainly() {
    for wording in Wording::ALL {
        let server = OddServer::start(wording);
        let client = client(&server);
        client.login().await.expect("logs in");
        server.refuse_every_session();
        for result in [
            client.show(&code(), None).await.map(drop),
            client
                .act(Action::Deactivate, &code(), None)
                .await
                .map(drop),
        ] {
            let error = result.expect_err("refused");
            assert!(
                matches!(error, ApiError::NewSessionRefused { .. }),
                "{wording:?}: {error:?}"
            );
            let sentence = error.to_string();
            assert!(
                sentence.starts_with("Logged in again, but the server refused the new session too"),
                "{sentence}"
            );
            assert!(!sentence.contains("no password"), "{sentence}");
            assert!(
                !error.outcome_unknown(),
                "a refused session acts on nothing"
            );
        }
        assert_eq!(server.logins(), 3, "one re-login per request, no loop");
        assert_eq!(server.changes(), 0);
    }
}

// ---- an action whose answer does not say what happened ----------------------------------

#[tokio::test]
async fn an_action_answered_without_proof_has_an_unknown_outcome() {
    for (what, answer) in unproving_answers() {
        let server = OddServer::start(Wording::GenericCode);
        let client = client(&server);
        server.script(DEACTIVATE, Scripted::After(answer));
        let error = client
            .act(Action::Deactivate, &code(), None)
            .await
            .map(drop)
            .expect_err(what);
        assert!(error.outcome_unknown(), "{what}: {error:?}");
        assert!(
            !error.to_string().chars().any(char::is_control),
            "{what}: {error}"
        );
    }
}

// ---- the command line ---------------------------------------------------------------------

/// A private directory for the diagnostic log, removed afterwards.
struct StateDir(PathBuf);

impl StateDir {
    fn new() -> StateDir {
        static COUNTER: AtomicU32 = AtomicU32::new(0);
        let path = std::env::temp_dir().join(format!(
            "tokendesk-other-servers-{}-{}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed)
        ));
        std::fs::create_dir_all(&path).expect("temp dir");
        StateDir(path)
    }
}

impl Drop for StateDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// `tokendesk` against `server` with its credentials (and `session`, when given, to start
/// from), no terminal, nothing from the calling environment.
fn run(server: &OddServer, session: Option<&str>, args: &[&str]) -> Output {
    run_in(&StateDir::new(), server, session, args)
}

/// `run` with the state directory (the audit log) of `state`, kept between runs.
fn run_in(state: &StateDir, server: &OddServer, session: Option<&str>, args: &[&str]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_tokendesk"));
    for (name, _) in std::env::vars_os() {
        if name.to_string_lossy().starts_with("TOKENDESK_") {
            command.env_remove(name);
        }
    }
    command
        .env("XDG_STATE_HOME", &state.0)
        .env("TOKENDESK_PASSWORD", odd_server::PASSWORD)
        .args(["--url", &server.url, "--username", odd_server::USERNAME])
        .args(["--organisation", odd_server::ORGANISATION])
        .stdin(Stdio::null());
    if let Some(session) = session {
        command.env("TOKENDESK_SESSION_TOKEN", session);
    }
    command.args(args).output().expect("tokendesk runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).expect("UTF-8")
}

/// Status, stdout and stderr, for messages.
fn describe(output: &Output) -> String {
    format!(
        "status {:?}\nstdout: {}\nstderr: {}",
        output.status.code(),
        text(&output.stdout),
        text(&output.stderr)
    )
}

#[test]
fn the_command_line_renews_an_expired_session_said_another_way() {
    for wording in Wording::ALL {
        let server = OddServer::start(wording);
        // A session from long ago, as a script would keep one: the server no longer knows it.
        let shown = run(&server, Some("S0"), &["show", CODE]);
        assert_eq!(
            shown.status.code(),
            Some(0),
            "{wording:?}: {}",
            describe(&shown)
        );
        assert!(text(&shown.stdout).contains(NUMBER));
        let acted = run(&server, Some("S0"), &["deactivate", CODE, "--yes"]);
        assert_eq!(
            acted.status.code(),
            Some(0),
            "{wording:?}: {}",
            describe(&acted)
        );
        assert_eq!(
            text(&acted.stdout),
            format!("{NUMBER} is now NOT_EFFECTIVE.\n")
        );
        assert_eq!(server.changes(), 1, "{wording:?}");
        assert_eq!(server.logins(), 2, "one re-login per run: {wording:?}");
    }
}

#[test]
fn the_command_line_says_the_new_session_was_refused_and_exits_4() {
    let server = OddServer::start(Wording::UnauthorizedEnvelope);
    server.refuse_every_session();
    for args in [&["show", CODE][..], &["deactivate", CODE, "--yes"]] {
        let output = run(&server, None, args);
        assert_eq!(output.status.code(), Some(4), "{}", describe(&output));
        let err = text(&output.stderr);
        assert!(
            err.starts_with(
                "tokendesk: Logged in again, but the server refused the new session too"
            ),
            "{err}"
        );
        assert_eq!(err.lines().count(), 1, "{err}");
    }
    assert_eq!(server.changes(), 0);
}

#[test]
fn an_action_whose_answer_proves_nothing_is_re_read_and_reported() {
    for (what, answer) in unproving_answers() {
        let server = OddServer::start(Wording::GenericCode);
        server.script(DEACTIVATE, Scripted::After(answer));
        let output = run(&server, None, &["deactivate", CODE, "--yes"]);
        assert_eq!(
            output.status.code(),
            Some(0),
            "{what}: {}",
            describe(&output)
        );
        let err = text(&output.stderr);
        let lines: Vec<&str> = err.lines().collect();
        assert_eq!(lines.len(), 2, "{what}: {err}");
        assert!(
            lines[0].ends_with(&format!(
                "Whether the token with authentication code {CODE} was deactivated is not known; re-reading it to find out."
            )),
            "{what}: {err}"
        );
        assert_eq!(
            lines[1],
            format!(
                "tokendesk: {NUMBER}: Deactivated. Checked after a lost answer: {}",
                lines[0]
                    .trim_start_matches("tokendesk: ")
                    .split(" Whether")
                    .next()
                    .unwrap_or_default()
            ),
            "{what}"
        );
        assert_eq!(
            text(&output.stdout),
            format!("{NUMBER} is now NOT_EFFECTIVE.\n")
        );
        assert_eq!(
            server.calls().last().map(String::as_str),
            Some(SHOW),
            "{what}"
        );
    }
}

#[test]
fn an_action_whose_answer_proves_nothing_and_did_nothing_exits_1() {
    let server = OddServer::start(Wording::GenericCode);
    server.script(
        DEACTIVATE,
        Scripted::Instead(Answer::json(200, r#"{"status":{"code":"OK"},"data":null}"#)),
    );
    let output = run(&server, None, &["deactivate", CODE, "--yes", "--json"]);
    assert_eq!(output.status.code(), Some(1), "{}", describe(&output));
    let err = text(&output.stderr);
    assert!(
        err.ends_with(&format!(
            "tokendesk: {NUMBER}: Not deactivated; it is EFFECTIVE. Checked after a lost answer: The server answered OK, but sent no access token back.\n"
        )),
        "{err}"
    );
    assert_eq!(text(&output.stdout), "", "nothing claimed on stdout");
    assert_eq!(server.state(), "EFFECTIVE");
}

#[test]
fn an_action_whose_re_read_fails_too_says_the_outcome_is_still_unknown() {
    let server = OddServer::start(Wording::GenericCode);
    server.script(DEACTIVATE, Scripted::After(Answer::Huge));
    // The re-read fails, and so do the two tries again a failed re-read gets.
    for _ in 0..3 {
        server.script(
            SHOW,
            Scripted::Instead(Answer::json(200, "<html>busy</html>")),
        );
    }
    let output = run(&server, None, &["deactivate", CODE, "--yes"]);
    assert_eq!(output.status.code(), Some(3), "{}", describe(&output));
    let err = text(&output.stderr);
    let last = err.lines().last().unwrap_or_default();
    assert!(
        last.starts_with(&format!(
            "tokendesk: The token with authentication code {CODE}: Not known whether it was deactivated: the answer was lost, and reading it again failed."
        )),
        "{err}"
    );
    assert!(last.ends_with("`tokendesk show` tells."), "{err}");
    assert_eq!(
        server.calls().iter().filter(|c| c.ends_with(SHOW)).count(),
        3,
        "read again, twice more, then given up: {:?}",
        server.calls()
    );
    assert_eq!(text(&output.stdout), "");
}

#[test]
fn a_delete_whose_answer_proves_nothing_is_checked_by_the_re_read() {
    let server = OddServer::start(Wording::GenericCode);
    let deactivated = run(&server, None, &["deactivate", CODE, "--yes"]);
    assert_eq!(
        deactivated.status.code(),
        Some(0),
        "{}",
        describe(&deactivated)
    );
    server.script("access_tokens/delete", Scripted::After(Answer::Huge));
    let output = run(&server, None, &["delete", CODE, "--yes", "--json"]);
    assert_eq!(output.status.code(), Some(0), "{}", describe(&output));
    let err = text(&output.stderr);
    assert!(
        err.ends_with(&format!(
            "tokendesk: The token with authentication code {CODE}: Deleted. Checked after a lost answer: The server's answer is larger than 32 MB; tokendesk refused to read it.\n"
        )),
        "{err}"
    );
    assert_eq!(text(&output.stdout), "null\n");
}

#[test]
fn numbers_beyond_f64_are_printed_as_sent() {
    let server = OddServer::start(Wording::GenericCode);
    let json = run(&server, None, &["show", CODE, "--json"]);
    assert_eq!(json.status.code(), Some(0), "{}", describe(&json));
    let printed = text(&json.stdout);
    for number in [
        "\"balance\": 123456789012345678901234567890",
        "\"limit\": 1e+400",
        "\"rate\": 1e-400",
    ] {
        assert!(printed.contains(number), "{number} in {printed}");
    }
    let outline = run(&server, None, &["show", CODE]);
    let printed = text(&outline.stdout);
    for number in [
        "Balance: 123456789012345678901234567890",
        "Limit: 1e+400",
        "Rate: 1e-400",
    ] {
        assert!(printed.contains(number), "{number} in {printed}");
    }
}

#[test]
fn a_key_given_twice_is_marked_and_an_envelope_given_twice_is_refused() {
    let server = OddServer::start(Wording::GenericCode);
    server.script(
        SHOW,
        Scripted::Instead(Answer::json(
            200,
            r#"{"status":{"code":"OK"},"data":{"number":"AT0000000001","life_cycle_state":"EFFECTIVE","life_cycle_state":"NOT_EFFECTIVE"}}"#,
        )),
    );
    let output = run(&server, None, &["show", CODE]);
    assert_eq!(output.status.code(), Some(0), "{}", describe(&output));
    assert!(
        text(&output.stdout).contains("Life cycle state (duplicate key): NOT_EFFECTIVE"),
        "{}",
        describe(&output)
    );
    server.script(
        SHOW,
        Scripted::Instead(Answer::json(
            200,
            r#"{"status":{"code":"NOT_FOUND","message":"no"},"data":null,"status":{"code":"OK"}}"#,
        )),
    );
    let output = run(&server, None, &["show", CODE]);
    assert_eq!(output.status.code(), Some(3), "{}", describe(&output));
    assert_eq!(
        text(&output.stderr),
        "tokendesk: The server's answer gives \"status\" twice; tokendesk cannot tell which one to believe.\n"
    );
}

/// Another clerk deactivated the token; this one's deactivation is refused by a server that
/// says so with a generic code and a sentence. The token is read again all the same: the
/// command line says the state it is in now, and the audit's outcome line names the token by
/// its number too, so `tokendesk audit --token NUMBER` finds an attempt made by code.
#[test]
fn a_refusal_worded_another_way_is_re_read_and_audited_by_every_name() {
    let server = OddServer::start(Wording::GenericCode);
    let state = StateDir::new();
    let first = run_in(&state, &server, None, &["deactivate", CODE, "--yes"]);
    assert_eq!(first.status.code(), Some(0), "{}", describe(&first));
    server.script(
        DEACTIVATE,
        Scripted::Instead(Answer::json(
            200,
            r#"{"status":{"code":"ERROR","message":"Only Effective access tokens can be set as Not Effective"}}"#,
        )),
    );
    let calls_before = server.calls().len();
    let refused = run_in(&state, &server, None, &["deactivate", CODE, "--yes"]);
    assert_eq!(refused.status.code(), Some(1), "{}", describe(&refused));
    let err = text(&refused.stderr);
    assert!(
        err.trim_end()
            == format!(
                "tokendesk: {NUMBER}: Only EFFECTIVE tokens can be deactivated; this one is NOT_EFFECTIVE."
            ),
        "{err}"
    );
    let calls = server.calls();
    assert_eq!(
        calls[calls_before..]
            .iter()
            .filter(|c| c.ends_with(SHOW))
            .count(),
        1,
        "read again after the refusal: {calls:?}"
    );

    let audit = run_in(
        &state,
        &server,
        None,
        &["audit", "--token", NUMBER, "--json"],
    );
    let lines: serde_json::Value = serde_json::from_slice(&audit.stdout).expect("JSON");
    let outcomes: Vec<&serde_json::Value> = lines
        .as_array()
        .expect("an array")
        .iter()
        .filter(|l| l["phase"] == "outcome")
        .collect();
    assert_eq!(outcomes.len(), 2, "both attempts, found by number: {lines}");
    let last = outcomes[1];
    assert_eq!(last["outcome"], "refused", "{last}");
    assert_eq!(last["token"]["number"], NUMBER, "{last}");
    assert_eq!(last["token"]["authentication_code"], CODE, "{last}");
}
