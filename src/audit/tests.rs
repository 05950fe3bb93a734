//! The audit log's records, its writer and its file rules.

use super::*;
use serde_json::{Value, json};

fn temp_log(name: &str) -> PathBuf {
    std::env::temp_dir()
        .join(format!("tokendesk-audit-{}-{name}", std::process::id()))
        .join("nested")
        .join("audit.jsonl")
}

fn context() -> AuditContext {
    AuditContext {
        operator: Some("clerk".into()),
        os_user: Some("jdoe".into()),
        organisation: Some("ACME".into()),
        unit: None,
        profile: Some("prod".into()),
        label: Some("PROD-EU".into()),
        host: "crm.example.com".into(),
    }
}

fn lines(path: &Path) -> Vec<Value> {
    std::fs::read_to_string(path)
        .expect("the log exists")
        .lines()
        .map(|l| serde_json::from_str(l).expect("each line is JSON"))
        .collect()
}

#[tokio::test]
async fn an_action_is_an_intent_and_an_outcome_with_one_request_id() {
    let path = temp_log("pair");
    let log = AuditLog::new(Some(path.clone()), context());
    let asked = AuditToken::from_identifier(&AccessTokenIdentifier::AuthenticationCode(
        "99021047380".into(),
    ));
    let pending = log
        .intent(Action::Deactivate, &asked)
        .await
        .expect("intent");
    let answered = AuditToken {
        id: Some("F00D".into()),
        number: Some("AT0000000671".into()),
        ..AuditToken::default()
    };
    let outcome = Outcome::known(
        Action::Deactivate,
        &Ok(Document::from(json!({"life_cycle_state": "NOT_EFFECTIVE"}))),
    );
    log.outcome(&pending, &answered, &outcome)
        .await
        .expect("outcome");
    let records = lines(&path);
    assert_eq!(records.len(), 2);
    let (intent, done) = (&records[0], &records[1]);
    assert_eq!(intent["phase"], "intent");
    assert_eq!(done["phase"], "outcome");
    assert_eq!(intent["request"], done["request"]);
    assert_eq!(intent["action"], "deactivate");
    assert_eq!(intent["operator"], "clerk");
    assert_eq!(intent["os_user"], "jdoe");
    assert_eq!(intent["profile"], "prod");
    assert_eq!(intent["label"], "PROD-EU");
    assert_eq!(intent["host"], "crm.example.com");
    assert_eq!(intent["unit"], Value::Null);
    assert_eq!(
        intent["token"],
        json!({"id": null, "number": null, "authentication_code": "99021047380", "identifier": null})
    );
    assert_eq!(
        done["token"],
        json!({"id": "F00D", "number": "AT0000000671", "authentication_code": "99021047380", "identifier": null})
    );
    assert_eq!(done["outcome"], "done");
    assert_eq!(done["state"], "NOT_EFFECTIVE");
    let time = intent["time"].as_str().expect("time");
    assert_eq!(time.len(), "2025-06-01T09:30:12.345Z".len(), "{time}");
    assert!(humantime::parse_rfc3339(time).is_ok(), "{time}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path).expect("meta").permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "{mode:o}");
    }
    let _ = std::fs::remove_dir_all(path.parent().and_then(Path::parent).expect("dir"));
}

#[test]
fn outcomes_say_how_it_ended() {
    assert_eq!(
        Outcome::known(Action::Delete, &Ok(Document::from(Value::Null))),
        Outcome::Done {
            state: "DELETED".into()
        }
    );
    assert_eq!(
        Outcome::known(Action::Activate, &Ok(Document::from(Value::Null))),
        Outcome::Done {
            state: "EFFECTIVE".into()
        }
    );
    let refused = Outcome::known(
        Action::Delete,
        &Err(ApiError::server("INVALID_LIFE_CYCLE_STATE", "Not allowed")),
    );
    assert_eq!(
        refused,
        Outcome::Refused {
            reason: "Not allowed. (INVALID_LIFE_CYCLE_STATE)".into()
        }
    );
    let failed = Outcome::known(Action::Delete, &Err(ApiError::SessionExpired));
    assert!(matches!(failed, Outcome::Failed { .. }), "{failed:?}");
    let lost = ApiError::TimedOut {
        after: std::time::Duration::from_secs(30),
    };
    let unknown = Outcome::unknown(
        &lost,
        &Ok(Document::from(json!({"life_cycle_state": "NOT_EFFECTIVE"}))),
    );
    assert_eq!(
        unknown,
        Outcome::Unknown {
            reason: "The server did not answer within 30 s.".into(),
            reread: "NOT_EFFECTIVE".into()
        }
    );
    let gone = Outcome::unknown(&lost, &Err(ApiError::server("NOT_FOUND", "")));
    assert!(
        matches!(&gone, Outcome::Unknown { reread, .. } if reread == "not found"),
        "{gone:?}"
    );
    // The line's word is the core's, everywhere.
    for outcome in [
        Outcome::known(Action::Delete, &Ok(Document::from(Value::Null))),
        refused,
        failed,
        unknown,
    ] {
        let line = serde_json::to_value(&outcome).expect("JSON");
        assert_eq!(
            line["outcome"],
            serde_json::to_value(outcome.fate()).expect("JSON"),
            "{outcome:?}"
        );
    }
}

#[tokio::test]
async fn an_unwritable_log_is_an_error_that_says_nothing_was_sent() {
    let log = AuditLog::new(Some(PathBuf::from("/dev/full")), context());
    let token = AuditToken::default();
    let error = log
        .intent(Action::Delete, &token)
        .await
        .expect_err("disk full");
    assert!(error.prevented_the_action());
    let sentence = error.to_string();
    assert!(
        sentence.starts_with("Cannot write to the audit log /dev/full ("),
        "{sentence}"
    );
    assert!(sentence.contains("nothing was sent"), "{sentence}");
    let error = log.reveal(&token).await.expect_err("disk full");
    assert!(
        error.to_string().contains("nothing was revealed"),
        "{error}"
    );
    let nowhere = AuditLog::new(None, context());
    let error = nowhere
        .intent(Action::Delete, &token)
        .await
        .expect_err("no path");
    assert!(error.to_string().contains("--audit-log"), "{error}");
}

#[tokio::test]
async fn a_reveal_names_the_token_and_who() {
    let path = temp_log("reveal");
    let log = AuditLog::new(Some(path.clone()), context());
    let token = AuditToken {
        number: Some("AT0000000671".into()),
        ..AuditToken::default()
    };
    log.reveal(&token).await.expect("written");
    let records = lines(&path);
    assert_eq!(records.len(), 1);
    assert_eq!(records[0]["event"], "reveal");
    assert_eq!(records[0]["operator"], "clerk");
    assert_eq!(records[0]["token"]["number"], "AT0000000671");
    assert!(records[0].get("phase").is_none());
    let _ = std::fs::remove_dir_all(path.parent().and_then(Path::parent).expect("dir"));
}

#[tokio::test]
async fn a_torn_last_line_is_ended_before_the_next_record_and_nothing_after_it_is_lost() {
    let path = temp_log("torn");
    let log = AuditLog::new(Some(path.clone()), context());
    let first = AuditToken {
        number: Some("AT0000000105".into()),
        ..AuditToken::default()
    };
    log.intent(Action::Deactivate, &first)
        .await
        .expect("written");
    // A full disk cut the next write short.
    let mut file = std::fs::OpenOptions::new()
        .append(true)
        .open(&path)
        .expect("open");
    file.write_all(br#"{"time":"2025","token":{"authentication_code":"77000000105","ide"#)
        .expect("written");
    drop(file);
    let next = AuditToken {
        number: Some("AT0000000130".into()),
        ..AuditToken::default()
    };
    log.intent(Action::Deactivate, &next)
        .await
        .expect("written");
    log.reveal(&next).await.expect("written");
    let text = std::fs::read_to_string(&path).expect("readable");
    assert!(text.ends_with('\n'), "{text}");
    let file = read::parse(&text);
    assert_eq!(file.unreadable, [2], "the broken line stays broken: {text}");
    let numbers: Vec<&str> = file
        .entries
        .iter()
        .filter_map(|e| e.records[0]["token"]["number"].as_str())
        .collect();
    assert_eq!(numbers, ["AT0000000105", "AT0000000130", "AT0000000130"]);
    // Lines that end cleanly gain no blank line.
    assert_eq!(text.matches("\n\n").count(), 0, "{text}");
    let _ = std::fs::remove_dir_all(path.parent().and_then(Path::parent).expect("dir"));
}

#[test]
fn request_ids_differ() {
    assert_ne!(new_request_id(), new_request_id());
}
