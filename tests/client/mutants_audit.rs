//! The audit writer, pinned where mutation testing found it unpinned (TESTING.md, "Mutation
//! testing"): a test here fails when a line of `src/audit` is changed to do something else.
//! Kept apart from the module's own tests, which other work edits.

use std::path::{Path, PathBuf};
use std::time::Duration;

use tokendesk::api::{AccessTokenIdentifier, Action, ApiError, Document};
use tokendesk::audit::{AuditContext, AuditLog, AuditToken, Outcome};
use tokendesk::simulator::{Simulator, SimulatorConfig};

fn context() -> AuditContext {
    AuditContext {
        operator: Some("clerk".into()),
        host: "crm.example.com".into(),
        ..AuditContext::default()
    }
}

#[test]
fn a_lost_answer_whose_re_read_failed_says_why_not_not_found() {
    let lost = ApiError::TimedOut {
        after: Duration::from_secs(30),
    };
    let reread: Result<Document, ApiError> = Err(ApiError::Disconnected {
        detail: "reset".into(),
    });
    let Outcome::Unknown { reread, .. } = Outcome::unknown(&lost, &reread) else {
        panic!("a lost answer is unknown");
    };
    assert_eq!(
        reread,
        "could not re-read: The connection broke before the answer arrived."
    );
}

#[tokio::test]
async fn an_outcome_that_cannot_be_written_did_not_prevent_the_action() {
    let log = AuditLog::new(Some(PathBuf::from("/dev/full")), context());
    let pending = tokendesk::audit::PendingAction {
        request: "1-2-3".into(),
        action: Action::Deactivate,
        token: AuditToken::default(),
    };
    let error = log
        .outcome(
            &pending,
            &AuditToken::default(),
            &Outcome::Done {
                state: "NOT_EFFECTIVE".into(),
            },
        )
        .await
        .expect_err("disk full");
    assert!(!error.prevented_the_action(), "the action was already sent");
    assert!(
        error
            .to_string()
            .starts_with("The action's result could not be written to the audit log /dev/full ("),
        "{error}"
    );
}

#[test]
fn the_log_says_where_it_is_and_whose_it_is() {
    let path = Path::new("/var/log/tokendesk/audit.jsonl");
    let log = AuditLog::new(Some(path.to_owned()), context());
    assert_eq!(log.path(), Some(path));
    assert_eq!(log.context(), &context());
    assert_eq!(AuditLog::new(None, context()).path(), None);
}

#[test]
fn a_token_named_by_identifier_is_recorded_by_it_and_never_by_its_pass_code() {
    let token = AuditToken::from_identifier(&AccessTokenIdentifier::Identifier {
        identifier: "250".into(),
        pass_code: "1111".into(),
    });
    assert_eq!(
        token,
        AuditToken {
            identifier: Some("250".into()),
            ..AuditToken::default()
        }
    );
}

/// The login on the jump host is recorded: the process's own (`id -un`), whatever `USER`
/// and `LOGNAME` say, set or empty.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_os_user_is_the_processs_login_whatever_user_and_logname_say() {
    let sim = Simulator::start(
        SimulatorConfig::default(),
        "127.0.0.1:0".parse().expect("address"),
    )
    .await
    .expect("simulator starts");
    let dir = std::env::temp_dir().join(format!("tokendesk-mutants-audit-{}", std::process::id()));
    let log = dir.join("audit.jsonl");
    for (action, user, logname) in [("deactivate", "jdoe", "other"), ("activate", "", "ldoe")] {
        let mut command = tokio::process::Command::new(env!("CARGO_BIN_EXE_tokendesk"));
        for (name, _) in std::env::vars_os() {
            if name.to_string_lossy().starts_with("TOKENDESK_") {
                command.env_remove(name);
            }
        }
        let output = command
            .env("XDG_STATE_HOME", &dir)
            .env("XDG_CONFIG_HOME", &dir)
            .env("USER", user)
            .env("LOGNAME", logname)
            .env("TOKENDESK_PASSWORD", "demo")
            .args(["--url", &sim.base_url()])
            .args(["--username", "clerk", "--organisation", "DEMO"])
            .arg("--audit-log")
            .arg(&log)
            .args([action, "99021047380", "--yes"])
            .stdin(std::process::Stdio::null())
            .output()
            .await
            .expect("tokendesk runs");
        assert!(output.status.success(), "{output:?}");
    }
    let users: Vec<String> = std::fs::read_to_string(&log)
        .expect("the log exists")
        .lines()
        .map(|line| {
            let record: serde_json::Value = serde_json::from_str(line).expect("JSON");
            record["os_user"].as_str().unwrap_or("(none)").to_owned()
        })
        .collect();
    let _ = std::fs::remove_dir_all(&dir);
    let login = std::process::Command::new("id")
        .arg("-un")
        .output()
        .expect("id runs");
    let login = String::from_utf8_lossy(&login.stdout).trim().to_owned();
    assert_eq!(users, [login.as_str(); 4]);
}
