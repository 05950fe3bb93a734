//! The console's actions in the audit log. Over loopback, against the simulator in this
//! process: an action sent to the API task as the console sends it is on disk as an intent
//! before the request and as an outcome before the answer comes back; an audit log that
//! cannot be written refuses the action with nothing sent; an action cancelled (Esc) or left
//! in flight when the console closes still gets its outcome line, `unknown`. In a pty, the
//! real console: deactivating a token writes the pair, and neither the log nor the screen
//! holds the password or the session token.

use crate::support::audit_log;
// Shared with other tests, which use the parts this file does not.
use crate::support;
#[allow(dead_code)]
use crate::support::pty;
use crate::support::start;
use audit_log::{field, has_word, phases, records, session_token};

use std::path::PathBuf;
use std::time::{Duration, Instant};

use tokendesk::api::{
    AccessTokenIdentifier, Action, ApiError, Client, Operation, Reply, TokenSummary,
};
use tokendesk::audit::{AuditContext, AuditLog};
use tokendesk::console::api_task::{self, ApiCommand, ApiEvent, ApiEventKind, RequestId};
use tokendesk::simulator::{Simulator, SimulatorConfig};

/// AT0000000671, EFFECTIVE.
const SEED_CODE: &str = "99021047380";
const SEED_NUMBER: &str = "AT0000000671";

/// Long enough to find a polled condition on a loaded machine; reaching it is a failure.
const DEADLINE: Duration = Duration::from_secs(60);

async fn simulator(latency: Duration) -> Simulator {
    start::simulator(SimulatorConfig {
        latency,
        ..SimulatorConfig::default()
    })
    .await
}

fn client(sim: &Simulator) -> Client {
    support::demo_client(sim.base_url())
}

/// Who and where, as `connect` puts it together for a profile called `prod`.
fn context(sim: &Simulator) -> AuditContext {
    AuditContext {
        operator: Some("clerk".into()),
        os_user: Some("jdoe".into()),
        organisation: Some("DEMO".into()),
        unit: None,
        profile: Some("prod".into()),
        label: Some("PROD-EU".into()),
        host: sim.addr().to_string(),
    }
}

fn code(code: &str) -> AccessTokenIdentifier {
    AccessTokenIdentifier::AuthenticationCode(code.into())
}

/// The token as the console has it on screen when the clerk confirms.
async fn on_screen(client: &Client, which: &str) -> TokenSummary {
    let token = client.show(&code(which), None).await.expect("token read");
    TokenSummary::from_value(&token.value)
}

/// The message the console's app sends when the clerk confirms `action` on `token`.
fn act(id: u64, action: Action, token: TokenSummary) -> ApiCommand {
    ApiCommand::Send {
        id: RequestId(id),
        operation: Operation::Act {
            action,
            identifier: code(token.authentication_code.as_deref().expect("a code")),
            fields: None,
            token: Box::new(token),
            batch: None,
            reason: None,
        },
    }
}

async fn finished(
    events: &mut tokio::sync::mpsc::UnboundedReceiver<ApiEvent>,
) -> (RequestId, Result<Reply, ApiError>) {
    loop {
        let event = tokio::time::timeout(DEADLINE, events.recv())
            .await
            .expect("an event in time")
            .expect("the task is running");
        if let ApiEventKind::Finished(result) = event.kind {
            return (event.id, result);
        }
    }
}

/// Polls until the simulator has received `count` action requests.
async fn actions_reach(sim: &Simulator, count: u64) {
    let start = Instant::now();
    while sim.stats().actions < count {
        assert!(
            start.elapsed() < DEADLINE,
            "the action never reached the server"
        );
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
}

/// AT0000000671 as the console shows it (read without waiting for a slow simulator).
fn seed() -> TokenSummary {
    TokenSummary {
        number: Some(SEED_NUMBER.into()),
        authentication_code: Some(SEED_CODE.into()),
        ..TokenSummary::default()
    }
}

#[tokio::test]
async fn a_console_action_is_an_intent_then_an_outcome_on_disk_before_the_answer() {
    let sim = simulator(Duration::ZERO).await;
    let dir = tempfile::tempdir().expect("a temporary directory");
    let path = dir.path().join("audit.jsonl");
    let client = client(&sim);
    let seed = on_screen(&client, SEED_CODE).await;
    let effective = on_screen(&client, "99027975972").await;
    let (api, mut events) =
        api_task::spawn(client, AuditLog::new(Some(path.clone()), context(&sim)));

    api.send(act(1, Action::Deactivate, seed));
    let (id, result) = finished(&mut events).await;
    assert_eq!(id, RequestId(1));
    assert!(matches!(result, Ok(Reply::Token(_))), "{result:?}");
    // The answer came back only once both lines were on disk.
    let lines = records(&path);
    assert_eq!(lines.len(), 2, "{lines:#?}");

    // A delete the server refuses (the token is EFFECTIVE) is audited as refused, with the
    // clerk's reason on both its lines.
    let mut delete = act(2, Action::Delete, effective);
    if let ApiCommand::Send {
        operation: Operation::Act { reason, .. },
        ..
    } = &mut delete
    {
        *reason = Some("INC-9".into());
    }
    api.send(delete);
    let (_, refused) = finished(&mut events).await;
    assert_eq!(
        refused.expect_err("refused").server_code(),
        Some("INVALID_LIFE_CYCLE_STATE")
    );
    api.close().await;

    let lines = records(&path);
    assert_eq!(
        phases(&lines),
        [
            ("deactivate", "intent", "-"),
            ("deactivate", "outcome", "done"),
            ("delete", "intent", "-"),
            ("delete", "outcome", "refused"),
        ]
    );
    assert_eq!(lines[0]["request"], lines[1]["request"]);
    assert_eq!(lines[2]["request"], lines[3]["request"]);
    assert!(lines[0].get("reason_given").is_none(), "none given");
    assert_eq!(lines[2]["reason_given"], "INC-9");
    assert_eq!(lines[3]["reason_given"], "INC-9");
    assert_ne!(lines[0]["request"], lines[2]["request"]);
    for line in &lines {
        assert_eq!(line["event"], "action");
        assert_eq!(line["operator"], "clerk");
        assert_eq!(line["organisation"], "DEMO");
        assert_eq!(line["profile"], "prod");
        assert_eq!(line["label"], "PROD-EU");
        assert_eq!(line["host"], sim.addr().to_string());
    }
    // The intent names the token as the console knew it: number, code and id.
    assert_eq!(lines[0]["token"]["number"], SEED_NUMBER);
    assert_eq!(lines[0]["token"]["authentication_code"], SEED_CODE);
    assert!(
        lines[0]["token"]["id"]
            .as_str()
            .is_some_and(|id| !id.is_empty())
    );
    assert_eq!(lines[1]["state"], "NOT_EFFECTIVE");
    assert_eq!(lines[2]["token"]["number"], "AT0000000709");
    assert!(
        field(&lines[3], "reason").contains("INVALID_LIFE_CYCLE_STATE"),
        "{}",
        lines[3]
    );
}

#[tokio::test]
async fn an_audit_log_that_cannot_be_written_refuses_the_action_with_nothing_sent() {
    let sim = simulator(Duration::ZERO).await;
    let client = client(&sim);
    let seed = on_screen(&client, SEED_CODE).await;
    // A full disk, and a directory that cannot be made (its parent is a file), whoever runs
    // the test.
    let unwritable = [
        PathBuf::from("/dev/full"),
        PathBuf::from("/dev/null/audit.jsonl"),
    ];
    let (api, mut events) = api_task::spawn(
        client,
        AuditLog::new(Some(unwritable[0].clone()), context(&sim)),
    );
    api.send(act(1, Action::Deactivate, seed.clone()));
    let (_, result) = finished(&mut events).await;
    match result {
        Err(error @ ApiError::NotAudited(_)) => {
            let sentence = error.to_string();
            assert!(
                sentence.starts_with("Cannot write to the audit log /dev/full ("),
                "{sentence}"
            );
            assert!(sentence.contains("nothing was sent"), "{sentence}");
            assert!(!error.outcome_unknown(), "nothing was sent, so it is known");
        }
        other => panic!("expected the audit refusal, got {other:?}"),
    }
    api.close().await;
    let client = self::client(&sim);
    let (api, mut events) = api_task::spawn(
        client,
        AuditLog::new(Some(unwritable[1].clone()), context(&sim)),
    );
    api.send(act(2, Action::Deactivate, seed));
    let (_, result) = finished(&mut events).await;
    assert!(matches!(result, Err(ApiError::NotAudited(_))), "{result:?}");
    api.close().await;
    assert_eq!(sim.stats().actions, 0, "the simulator saw no write");
    let still = self::client(&sim);
    assert_eq!(
        on_screen(&still, SEED_CODE).await.state.to_string(),
        "EFFECTIVE"
    );
}

#[tokio::test]
async fn a_cancelled_action_is_recorded_unknown_with_what_a_re_read_found() {
    // The answer waits this long: the clerk cancels while the action is in flight.
    let sim = simulator(Duration::from_secs(2)).await;
    let dir = tempfile::tempdir().expect("a temporary directory");
    let path = dir.path().join("audit.jsonl");
    let client = client(&sim);
    client.login().await.expect("logged in");
    let (api, mut events) =
        api_task::spawn(client, AuditLog::new(Some(path.clone()), context(&sim)));
    api.send(act(1, Action::Deactivate, seed()));
    actions_reach(&sim, 1).await;
    assert_eq!(
        records(&path).len(),
        1,
        "the intent is on disk before the request"
    );
    api.send(ApiCommand::Cancel(RequestId(1)));
    // The app no longer waits for it: a read sent after it is the next answer.
    api.send(ApiCommand::Send {
        id: RequestId(2),
        operation: Operation::Show {
            identifier: code(SEED_CODE),
            fields: None,
        },
    });
    let (id, _) = finished(&mut events).await;
    assert_eq!(id, RequestId(2), "the cancelled action answers nothing");
    let start = Instant::now();
    while records(&path).len() < 2 {
        assert!(start.elapsed() < DEADLINE, "no outcome line was written");
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    let lines = records(&path);
    assert_eq!(lines.len(), 2, "{lines:#?}");
    assert_eq!(lines[1]["phase"], "outcome");
    assert_eq!(lines[1]["request"], lines[0]["request"]);
    assert_eq!(lines[1]["outcome"], "unknown");
    assert_eq!(lines[1]["reason"], "Cancelled before the answer came.");
    // The server may or may not have acted on the dropped request; the re-read says which.
    let reread = field(&lines[1], "reread");
    assert!(
        ["EFFECTIVE", "NOT_EFFECTIVE"].contains(&reread),
        "{}",
        lines[1]
    );
    api.close().await;
}

#[tokio::test]
async fn an_action_in_flight_when_the_console_closes_is_recorded_unknown() {
    // The answer waits this long: the console closes while the action is in flight.
    let sim = simulator(Duration::from_secs(3)).await;
    let dir = tempfile::tempdir().expect("a temporary directory");
    let path = dir.path().join("audit.jsonl");
    let client = client(&sim);
    client.login().await.expect("logged in");
    let (api, _events) = api_task::spawn(client, AuditLog::new(Some(path.clone()), context(&sim)));
    api.send(act(1, Action::Deactivate, seed()));
    actions_reach(&sim, 1).await;
    // The clerk quits: close returns once the outcome line is written.
    api.close().await;
    let lines = records(&path);
    assert_eq!(lines.len(), 2, "{lines:#?}");
    assert_eq!(lines[0]["phase"], "intent");
    assert_eq!(lines[1]["phase"], "outcome");
    assert_eq!(lines[1]["request"], lines[0]["request"]);
    assert_eq!(lines[1]["outcome"], "unknown");
    assert_eq!(
        lines[1]["reason"],
        "The console closed before the answer came."
    );
    assert_eq!(lines[1]["reread"], "not re-read: the console closed");
    assert_eq!(lines[1]["token"]["number"], SEED_NUMBER);
}

// ---- the real console in a pty ------------------------------------------------------------

/// A clerk on the PROD-EU profile deactivates a token in the console: the audit log holds
/// the intent and the outcome, naming the profile, the label and the token; the session
/// expires on the way, so the password is used too, and neither it nor the session token is
/// in the audit log, the diagnostic log or anything written to the terminal.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deactivating_in_the_console_writes_the_intent_and_the_outcome_and_no_secret() {
    let sim = simulator(Duration::ZERO).await;
    let session = session_token(&sim).await;
    let home = tempfile::tempdir().expect("a temporary directory");
    let config_dir = home.path().join("tokendesk");
    std::fs::create_dir_all(&config_dir).expect("config dir");
    std::fs::write(
        config_dir.join("config.toml"),
        format!(
            "default_profile = \"prod\"\n\n[profiles.prod]\nurl = \"{}\"\nusername = \"clerk\"\norganisation = \"DEMO\"\nlabel = \"PROD-EU\"\n",
            sim.base_url()
        ),
    )
    .expect("config written");
    let mut console = pty::Terminal::start(
        80,
        24,
        home.path(),
        &[],
        &[
            ("TOKENDESK_SESSION_TOKEN", &session),
            ("TOKENDESK_PASSWORD", "demo"),
            ("TOKENDESK_LOG", "trace"),
        ],
    );
    console.wait_for_text("PROD-EU");
    console.send(&format!("{SEED_CODE}\r"));
    console.wait_for_text(SEED_NUMBER);
    // The console renews the session with the password before it acts.
    sim.expire_sessions();
    console.send("d");
    console.wait_for_text("Deactivate access token");
    console.wait_for_live_key("y deactivate");
    console.send("y");
    console.wait_for_text("AT0000000671: Deactivated.");
    console.send("q");
    let status = console.wait_for_exit();
    assert!(status.success(), "{status:?}");
    assert_eq!(
        sim.stats().actions,
        2,
        "one action, repeated after re-login"
    );

    let audit_path = home.path().join("tokendesk").join("audit.jsonl");
    let lines = records(&audit_path);
    assert_eq!(
        phases(&lines),
        [
            ("deactivate", "intent", "-"),
            ("deactivate", "outcome", "done")
        ]
    );
    assert_eq!(lines[0]["request"], lines[1]["request"]);
    for line in &lines {
        assert_eq!(line["operator"], "clerk");
        assert_eq!(line["organisation"], "DEMO");
        assert_eq!(line["profile"], "prod");
        assert_eq!(line["label"], "PROD-EU");
        assert_eq!(line["host"], sim.addr().to_string());
        assert_eq!(line["token"]["number"], SEED_NUMBER);
        assert_eq!(line["token"]["authentication_code"], SEED_CODE);
    }
    assert_eq!(lines[1]["state"], "NOT_EFFECTIVE");

    let audit = std::fs::read_to_string(&audit_path).expect("audit log");
    // Every line of the flow: the chain's start, the console opened, the re-login, the
    // action, the console closed; each of the console's lines names its session.
    let all: Vec<serde_json::Value> = audit
        .lines()
        .map(|l| serde_json::from_str(l).expect("JSON"))
        .collect();
    let events: Vec<&str> = all.iter().filter_map(|l| l["event"].as_str()).collect();
    assert_eq!(events.len(), all.len(), "{audit}");
    assert_eq!(events[..2], ["log_start", "console_open"], "{audit}");
    assert_eq!(events.last(), Some(&"console_close"), "{audit}");
    let logins: Vec<&serde_json::Value> = all.iter().filter(|l| l["event"] == "login").collect();
    assert_eq!(logins.len(), 1, "the re-login: {audit}");
    assert_eq!(logins[0]["result"], "success");
    let session_id = all[1]["session"].as_str().expect("a session id");
    assert_eq!(session_id.len(), 16, "{session_id}");
    for line in &all[1..] {
        assert_eq!(line["session"], session_id, "{line}");
    }
    assert!(
        tokendesk::audit::verify::verify(audit.as_bytes()).holds(),
        "{audit}"
    );
    for token in tokendesk::simulator::demo_tokens() {
        assert!(
            !has_word(&audit, &token.pass_code),
            "a pass code is in the audit log:\n{audit}"
        );
    }
    let diagnostic = std::fs::read_to_string(home.path().join("tokendesk").join("tokendesk.log"))
        .expect("diagnostic log");
    assert!(diagnostic.contains("logging in again"), "the re-login ran");
    let terminal = String::from_utf8_lossy(&console.written()).into_owned();
    for (name, text) in [
        ("the audit log", &audit),
        ("the diagnostic log", &diagnostic),
        ("the terminal", &terminal),
    ] {
        assert!(!text.contains(&session), "the session token is in {name}");
        assert!(
            !has_word(text, "demo"),
            "the password is in {name}:\n{text}"
        );
    }
}

// ---- an outcome the audit log could not keep ----------------------------------------------

#[tokio::test]
async fn an_outcome_line_that_cannot_be_written_is_said_before_the_answer() {
    // The answer waits this long: the log's directory is made unwritable meanwhile.
    let sim = simulator(Duration::from_secs(2)).await;
    let dir = tempfile::tempdir().expect("a temporary directory");
    let logs = dir.path().join("logs");
    let path = logs.join("audit.jsonl");
    let client = client(&sim);
    client.login().await.expect("logged in");
    let (api, mut events) =
        api_task::spawn(client, AuditLog::new(Some(path.clone()), context(&sim)));
    api.send(act(1, Action::Deactivate, seed()));
    actions_reach(&sim, 1).await;
    assert_eq!(records(&path).len(), 1, "the intent is on disk");
    // Where the directory was, a file: whoever runs the test, the outcome cannot be added.
    std::fs::remove_dir_all(&logs).expect("directory removed");
    std::fs::write(&logs, "").expect("a file in its place");
    let mut said = None;
    let result = loop {
        let event = tokio::time::timeout(DEADLINE, events.recv())
            .await
            .expect("an event in time")
            .expect("the task is running");
        match event.kind {
            ApiEventKind::Unrecorded(sentence) => said = Some(sentence),
            ApiEventKind::Finished(result) => break result,
            ApiEventKind::Started | ApiEventKind::Recorded => {}
            ApiEventKind::Reread(found) => {
                panic!("an answer that came needs no re-read: {found:?}")
            }
        }
    };
    assert!(matches!(result, Ok(Reply::Token(_))), "the action was done");
    let said = said.expect("the lost outcome line is said before the answer");
    assert!(
        said.starts_with("The action's result could not be written to the audit log"),
        "{said}"
    );
    api.close().await;
}

/// The console says so with the result: the action was done, and the log lacks it.
#[test]
fn the_console_shows_the_result_and_that_the_audit_log_lacks_it() {
    let mut h = support::Harness::new(80, 24);
    h.open(support::with_state(
        support::not_effective_token(),
        "EFFECTIVE",
    ));
    h.key('d');
    h.key('y');
    let id = h.in_flight();
    h.send(tokendesk::console::app::Msg::Api(ApiEvent {
        id,
        kind: ApiEventKind::Unrecorded(
            "The action's result could not be written to the audit log.".into(),
        ),
    }));
    h.answer_token(support::not_effective_token());
    let notice = h.app.notice.as_ref().expect("a notice");
    assert_eq!(
        notice.text,
        "AT0000000671: Deactivated. The action's result could not be written to the audit log."
    );
    assert_eq!(notice.tone, tokendesk::console::app::Tone::Error);
}

/// The clerk quits the real console while an action waits on a slow server: the console
/// ends only once the outcome line, `unknown`, is on disk.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn quitting_with_an_action_in_flight_records_it_unknown_before_the_console_ends() {
    // Every answer waits this long: the action is still in flight when the clerk quits.
    let sim = simulator(Duration::from_secs(3)).await;
    let home = tempfile::tempdir().expect("a temporary directory");
    let url = sim.base_url();
    let mut console = pty::Terminal::start(
        80,
        24,
        home.path(),
        &[
            "--url",
            &url,
            "--username",
            "clerk",
            "--organisation",
            "DEMO",
        ],
        &[("TOKENDESK_PASSWORD", "demo")],
    );
    console.wait_for_text(" Search ");
    console.send(&format!("{SEED_CODE}\r"));
    console.wait_for_text(SEED_NUMBER);
    console.send("d");
    console.wait_for_live_key("y deactivate");
    console.send("y");
    console.wait_for_text("Deactivating AT0000000671");
    actions_reach(&sim, 1).await;
    console.send("q");
    console.wait_for_live_key("y quit anyway");
    console.send("y");
    let status = console.wait_for_exit();
    // The command line's status for an unknown outcome.
    assert_eq!(status.exit_code(), 3, "{status:?}");
    let lines = records(&home.path().join("tokendesk").join("audit.jsonl"));
    assert_eq!(
        phases(&lines),
        [
            ("deactivate", "intent", "-"),
            ("deactivate", "outcome", "unknown")
        ]
    );
    assert_eq!(lines[0]["request"], lines[1]["request"]);
    assert_eq!(lines[1]["reread"], "not re-read: the console closed");
}

/// An intent the audit log refused: the console says nothing was sent and checks nothing,
/// as the outcome is known.
#[test]
fn the_console_says_an_unaudited_action_was_not_sent_and_reads_nothing_again() {
    let mut h = support::Harness::new(80, 24);
    h.open(support::with_state(
        support::not_effective_token(),
        "EFFECTIVE",
    ));
    h.key('d');
    h.key('y');
    let sent = h.request_count();
    h.answer(Err(ApiError::NotAudited(
        "Cannot write to the audit log /dev/full (No space left on device (os error 28)), so nothing was sent: every action is recorded before it is made.".into(),
    )));
    assert_eq!(h.request_count(), sent, "no re-read: nothing was sent");
    assert!(h.app.pending.is_none());
    let notice = h.app.notice.as_ref().expect("a notice");
    assert_eq!(
        notice.text,
        "AT0000000671: Cannot write to the audit log /dev/full (No space left on device (os error 28)), so nothing was sent: every action is recorded before it is made."
    );
    assert_eq!(h.token().summary.state.to_string(), "EFFECTIVE");
}
