//! The audit log's writing: its lines, its chain, its copy to syslog.
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

/// A delete's intent and outcome, written to `log`.
async fn a_delete(log: &AuditLog) {
    let pending = log
        .intent(Action::Delete, &AuditToken::default())
        .await
        .expect("the intent is written");
    log.outcome(
        &pending,
        &AuditToken::default(),
        &Outcome::Done {
            state: "DELETED".into(),
        },
    )
    .await
    .expect("the outcome is written");
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
    assert_eq!(records.len(), 3);
    assert_eq!(records[0]["event"], "log_start");
    assert_eq!(records[0]["seq"], 1);
    assert_eq!(records[0]["prev"], chain::NOTHING_BEFORE);
    assert_eq!(records[0]["os_user"], "jdoe");
    let (intent, done) = (&records[1], &records[2]);
    assert_eq!((&intent["seq"], &done["seq"]), (&json!(2), &json!(3)));
    assert!(intent.get("reason_given").is_none(), "{intent}");
    assert!(intent.get("session").is_none(), "{intent}");
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
    assert_eq!(records.len(), 2);
    let reveal = &records[1];
    assert_eq!(reveal["event"], "reveal");
    assert_eq!(reveal["operator"], "clerk");
    assert_eq!(reveal["token"]["number"], "AT0000000671");
    assert!(reveal.get("phase").is_none());
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
    assert_eq!(file.unreadable, [3], "the broken line stays broken: {text}");
    // The chain goes on from the last whole line, and verifying names the torn one.
    let whole: Vec<&str> = text.lines().collect();
    let after: Value = serde_json::from_str(whole[3]).expect("JSON");
    assert_eq!(after["seq"], 3);
    assert_eq!(after["prev"], chain::hash(whole[1].as_bytes()));
    assert_eq!(
        verify::verify(text.as_bytes()),
        verify::Verdict::Broken {
            line: 3,
            why: verify::Break::NotRecord
        }
    );
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

/// Where [`a_writer_process`] appends, when the chain test below starts it.
const CHILD_LOG: &str = "TOKENDESK_TEST_CHAIN_LOG";

/// A writer process of [`many_writers_keep_one_chain`]; run alone, it does nothing.
#[test]
#[ignore = "started by many_writers_keep_one_chain"]
fn a_writer_process() {
    let Some(path) = std::env::var_os(CHILD_LOG) else {
        return;
    };
    for n in 0..50 {
        let record = format!(
            r#"{{"event":"reveal","writer":"process {}","n":{n}}}"#,
            std::process::id()
        );
        append_synced(
            Path::new(&path),
            record.as_bytes(),
            br#"{"event":"log_start"}"#,
        )
        .expect("appended");
    }
}

#[test]
fn many_writers_keep_one_chain() {
    let path = temp_log("many");
    let processes: Vec<std::process::Child> = (0..3)
        .map(|_| {
            std::process::Command::new(std::env::current_exe().expect("the test binary"))
                .args([
                    "--exact",
                    "audit::tests::a_writer_process",
                    "--ignored",
                    "--quiet",
                ])
                .env(CHILD_LOG, &path)
                .stdout(std::process::Stdio::null())
                .spawn()
                .expect("a writer process")
        })
        .collect();
    let threads: Vec<std::thread::JoinHandle<()>> = (0..4)
        .map(|thread| {
            let path = path.clone();
            std::thread::spawn(move || {
                for n in 0..50 {
                    let record =
                        format!(r#"{{"event":"reveal","writer":"thread {thread}","n":{n}}}"#);
                    append_synced(&path, record.as_bytes(), br#"{"event":"log_start"}"#)
                        .expect("appended");
                }
            })
        })
        .collect();
    for thread in threads {
        thread.join().expect("the thread appended");
    }
    for mut process in processes {
        assert!(process.wait().expect("ended").success());
    }
    let bytes = std::fs::read(&path).expect("the log");
    let records = lines(&path);
    assert_eq!(records.len(), 1 + 7 * 50);
    assert_eq!(records[0]["event"], "log_start");
    let starts = records.iter().filter(|r| r["event"] == "log_start").count();
    assert_eq!(starts, 1, "one start however many began at once");
    assert_eq!(
        verify::verify(&bytes),
        verify::Verdict::Holds {
            lines: 351,
            unchained: 0,
            last_seq: 351
        }
    );
    let _ = std::fs::remove_dir_all(path.parent().and_then(Path::parent).expect("dir"));
}

#[cfg(unix)]
#[tokio::test]
async fn every_line_is_copied_to_the_syslog_as_rfc_5424_with_the_files_json() {
    use std::os::unix::net::UnixDatagram;
    let dir = tempfile::tempdir().expect("temp dir");
    let socket_path = dir.path().join("log.sock");
    let listener = UnixDatagram::bind(&socket_path).expect("bound");
    let said = std::sync::Arc::new(std::sync::Mutex::new(Vec::<String>::new()));
    let heard = std::sync::Arc::clone(&said);
    let notice: syslog::Notice = std::sync::Arc::new(move |text| {
        heard.lock().expect("not poisoned").push(text);
    });
    let path = dir.path().join("state").join("audit.jsonl");
    let log = AuditLog::new(Some(path.clone()), context())
        .with_syslog(Some(syslog::Syslog::new(socket_path.clone(), notice)));
    log.reveal(&AuditToken::default()).await.expect("written");
    log.record(Event::LoginFailed {
        reason: "The username or password was not accepted.",
    })
    .await
    .expect("written");
    let text = std::fs::read_to_string(&path).expect("the log");
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 3, "{text}");
    let mut buffer = vec![0u8; 65536];
    for (line, severity) in lines.iter().zip([5, 5, 4]) {
        let size = listener.recv(&mut buffer).expect("a datagram");
        let message = std::str::from_utf8(&buffer[..size]).expect("UTF-8");
        let record: Value = serde_json::from_str(line).expect("JSON");
        let event = record["event"].as_str().expect("event");
        let time = record["time"].as_str().expect("time");
        let head = format!("<{}>1 {time} ", 10 * 8 + severity);
        assert!(message.starts_with(&head), "{message}");
        let fields: Vec<&str> = message.splitn(8, ' ').collect();
        assert_eq!(fields[3], "tokendesk", "{message}");
        assert_eq!(fields[4], std::process::id().to_string(), "{message}");
        assert_eq!(fields[5], event, "{message}");
        assert_eq!(fields[6], "-", "{message}");
        assert_eq!(fields[7], *line, "the body is the file's line");
        assert!(!fields[2].is_empty(), "a hostname: {message}");
    }
    assert!(said.lock().expect("not poisoned").is_empty());
}

#[cfg(unix)]
#[tokio::test]
async fn a_missing_syslog_is_said_once_and_the_action_still_goes() {
    let dir = tempfile::tempdir().expect("temp dir");
    let said = std::sync::Arc::new(std::sync::Mutex::new(Vec::<String>::new()));
    let heard = std::sync::Arc::clone(&said);
    let notice: syslog::Notice = std::sync::Arc::new(move |text| {
        heard.lock().expect("not poisoned").push(text);
    });
    let path = dir.path().join("audit.jsonl");
    let missing = dir.path().join("no.sock");
    let log = AuditLog::new(Some(path.clone()), context())
        .with_syslog(Some(syslog::Syslog::new(missing, notice)));
    // The file decides: the intent and the outcome are written.
    a_delete(&log).await;
    assert_eq!(lines(&path).len(), 3);
    let said = said.lock().expect("not poisoned").clone();
    assert_eq!(said.len(), 1, "once: {said:?}");
    assert!(
        said[0].starts_with("Audit lines are not copied to the syslog at "),
        "{said:?}"
    );
    assert!(
        said[0].ends_with("they are only in the local audit log."),
        "{said:?}"
    );
}

/// The console tells the syslog's problems to its status bar: `telling` sends them there and
/// not to the notice the syslog was made with; its debug form names the socket alone.
#[cfg(unix)]
#[test]
fn a_syslog_told_another_notice_says_its_problem_there() {
    let dir = tempfile::tempdir().expect("temp dir");
    let heard = |into: &std::sync::Arc<std::sync::Mutex<Vec<String>>>| -> syslog::Notice {
        let into = std::sync::Arc::clone(into);
        std::sync::Arc::new(move |text| into.lock().expect("not poisoned").push(text))
    };
    let first = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let second = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let missing = dir.path().join("no.sock");
    let made = syslog::Syslog::new(missing.clone(), heard(&first));
    let told = made.telling(heard(&second));
    told.copy(br#"{"event":"reveal"}"#);
    assert!(first.lock().expect("not poisoned").is_empty());
    assert_eq!(second.lock().expect("not poisoned").len(), 1);
    assert_eq!(
        format!("{told:?}"),
        format!("Syslog {{ path: {missing:?} }}")
    );
}

#[test]
fn a_syslog_header_field_is_printable_ascii_without_spaces_or_a_dash() {
    assert_eq!(syslog::header_field("console_open", 32), "console_open");
    assert_eq!(syslog::header_field("", 32), "-", "never empty");
    assert_eq!(syslog::header_field("log in", 32), "-", "no space");
    assert_eq!(syslog::header_field("caf\u{e9}", 32), "-", "ASCII only");
    assert_eq!(syslog::header_field(&"x".repeat(40), 32), "x".repeat(32));
}

/// The header's HOSTNAME is the machine's, as the kernel names it.
#[cfg(target_os = "linux")]
#[test]
fn a_syslog_message_names_this_machine() {
    let kernel = std::fs::read_to_string("/proc/sys/kernel/hostname").expect("hostname");
    assert_eq!(syslog::hostname(), syslog::header_field(kernel.trim(), 255));
    assert_ne!(syslog::hostname(), "-", "this machine has a name");
}

#[test]
fn lock_and_unlock_lines_say_who_and_how() {
    let log = AuditLog::new(None, context()).for_session();
    let line = |event: Event<'_>| -> Value {
        let detail = event.detail();
        let record = Record {
            result: event.result(),
            detail: detail.as_deref(),
            ..Record::bare(event.name(), &log)
        };
        serde_json::to_value(&record).expect("JSON")
    };
    let session = log.session.clone().expect("a session");
    assert_eq!(session.len(), 16);
    assert!(session.chars().all(|c| c.is_ascii_hexdigit()), "{session}");
    assert_ne!(session, new_session_id());
    let locked = line(Event::Locked);
    assert_eq!(locked["event"], "lock");
    assert_eq!(locked["session"], session.as_str());
    assert_eq!(locked["operator"], "clerk");
    assert!(locked.get("result").is_none() && locked.get("token").is_none());
    let unlocked = line(Event::Unlocked { checked: true });
    assert_eq!(
        (&unlocked["event"], &unlocked["result"]),
        (&json!("unlock"), &json!("success"))
    );
    assert!(unlocked.get("detail").is_none());
    let unchecked = line(Event::Unlocked { checked: false });
    assert_eq!(unchecked["detail"], UNLOCK_UNCHECKED);
    let refused = line(Event::UnlockRefused);
    assert_eq!(
        (&refused["event"], &refused["result"]),
        (&json!("unlock"), &json!("failure"))
    );
    let keys: Vec<&String> = locked.as_object().expect("object").keys().collect();
    assert_eq!(
        keys,
        [
            "time",
            "event",
            "session",
            "operator",
            "os_user",
            "organisation",
            "unit",
            "profile",
            "label",
            "host"
        ]
    );
    let opened = line(Event::ConsoleOpened);
    assert_eq!(opened["event"], "console_open");
    assert_eq!(line(Event::ConsoleClosed)["event"], "console_close");
    assert_eq!(line(Event::AuditRead { verify: true })["detail"], "verify");
    assert_eq!(line(Event::LoggedIn)["result"], "success");
    let failed = line(Event::LoginFailed { reason: "refused" });
    assert_eq!(
        (&failed["event"], &failed["result"], &failed["detail"]),
        (&json!("login"), &json!("failure"), &json!("refused"))
    );
}

#[tokio::test]
async fn a_reason_given_is_on_the_intent_and_the_outcome_cleaned_and_cut() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("audit.jsonl");
    let log = AuditLog::new(Some(path.clone()), context())
        .with_reason(Some(&format!(" INC-42\u{1b}[2J {} ", "x".repeat(5000))));
    a_delete(&log).await;
    let records = lines(&path);
    for record in &records[1..] {
        let reason = record["reason_given"].as_str().expect("a reason");
        assert!(reason.starts_with("INC-42"), "{reason}");
        assert!(!reason.contains('\u{1b}'), "{reason}");
        assert!(reason.chars().count() < 1100, "cut: {}", reason.len());
    }
    let blank = AuditLog::new(None, context()).with_reason(Some("  "));
    assert!(blank.reason.is_none());
}

#[test]
fn request_ids_differ() {
    assert_ne!(new_request_id(), new_request_id());
}

#[tokio::test]
async fn an_outcome_carries_the_reason_its_intent_was_sent_with_never_another() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("audit.jsonl");
    let log = AuditLog::new(Some(path.clone()), context()).with_reason(Some("INC-9"));
    // An action an earlier run sent, its outcome written by this one: its reason is not known.
    let earlier = PendingAction {
        request: new_request_id(),
        action: Action::Delete,
        token: AuditToken::default(),
        reason: None,
    };
    log.outcome(
        &earlier,
        &AuditToken::default(),
        &Outcome::Done {
            state: "DELETED".into(),
        },
    )
    .await
    .expect("written");
    let records = lines(&path);
    let outcome = records.last().expect("the outcome line");
    assert_eq!(outcome["phase"], "outcome");
    assert!(outcome.get("reason_given").is_none(), "{outcome}");
}
