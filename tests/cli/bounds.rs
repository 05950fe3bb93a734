//! What a hostile server or an odd config file makes huge, kept to a size: a list cell of
//! 70,000 characters and a 900 KB profile label (a config file is at most 1 MB) are cut, not a panic (a `format!` width over
//! 65,535 panics); a 10 MB token number in an action's answer is written to the audit log
//! and to the terminal cut to about a kilobyte, with its full length said.

use std::path::Path;
use std::process::{Command, Output, Stdio};

use crate::support::odd_server;
use crate::support::start;

use odd_server::{Answer, OddServer, Scripted, Wording};

/// `tokendesk ARGS` with a clean environment and its state in `state`.
fn tokendesk(state: &Path, args: &[&str]) -> Output {
    start::tokendesk(state)
        .args(args)
        .output()
        .expect("tokendesk runs")
}

/// `tokendesk ARGS` logged in to the odd server.
fn on_odd_server(server: &OddServer, state: &Path, args: &[&str]) -> Output {
    let mut all = vec![
        "--url",
        &server.url,
        "--username",
        odd_server::USERNAME,
        "--organisation",
        odd_server::ORGANISATION,
    ];
    all.extend_from_slice(args);
    let mut command = Command::new(env!("CARGO_BIN_EXE_tokendesk"));
    for (name, _) in std::env::vars_os() {
        if name.to_string_lossy().starts_with("TOKENDESK_") {
            command.env_remove(name);
        }
    }
    command
        .env("XDG_STATE_HOME", state)
        .env("XDG_CONFIG_HOME", state)
        .env("TOKENDESK_PASSWORD", odd_server::PASSWORD)
        .args(all)
        .stdin(Stdio::null())
        .output()
        .expect("tokendesk runs")
}

fn describe(output: &Output) -> String {
    format!(
        "status {:?}\nstdout: {:.2000}\nstderr: {:.2000}",
        output.status.code(),
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

fn ok(data: &str) -> Answer {
    Answer::json(
        200,
        &format!(r#"{{"status":{{"code":"OK","message":null}},"data":{data}}}"#),
    )
}

#[test]
fn a_list_cell_of_70000_characters_is_cut_and_the_rows_are_printed() {
    let server = OddServer::start(Wording::GenericCode);
    let long = "9".repeat(70_000);
    let page = format!(
        r#"[{{"number":"AT{long}","life_cycle_state":"EFFECTIVE","authentication_code":"{long}","classification":{{"name":"{long}"}},"accounts_receivable":{{"number":"ACR{long}","name":"x"}}}},{{"number":"AT2","life_cycle_state":"NOT_EFFECTIVE"}}]"#
    );
    server.script("access_tokens/list", Scripted::Instead(ok(&page)));
    let state = tempfile::tempdir().expect("temp dir");
    let output = on_odd_server(&server, state.path(), &["list", "--acr", "ACR1"]);
    assert_eq!(output.status.code(), Some(0), "{}", describe(&output));
    let text = String::from_utf8_lossy(&output.stdout);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines.len(),
        3,
        "a header and two rows: {}",
        describe(&output)
    );
    assert!(lines[1].starts_with("AT999"), "{:.200}", lines[1]);
    assert!(lines[1].contains('…'), "cut with an ellipsis");
    assert!(lines[2].starts_with("AT2 "), "{:.200}", lines[2]);
    // Five cells of at most 120 columns, and the gaps between them.
    assert!(
        lines[1].chars().count() <= 5 * 120 + 4 * 2,
        "{}",
        lines[1].len()
    );
}

#[test]
fn a_profile_label_of_900_kb_is_listed_cut() {
    let state = tempfile::tempdir().expect("temp dir");
    let config = state.path().join("config.toml");
    // Just under the 1 MB a config file may be (a larger one is refused whole).
    let label = "P".repeat(900 * 1024);
    std::fs::write(
        &config,
        format!("[profiles.big]\nurl = \"https://crm.example.com\"\nlabel = \"{label}\"\n"),
    )
    .expect("config written");
    let config = config.to_str().expect("UTF-8 path");
    let output = tokendesk(state.path(), &["--config", config, "profiles"]);
    assert_eq!(output.status.code(), Some(0), "{}", describe(&output));
    let text = String::from_utf8_lossy(&output.stdout);
    let row = text
        .lines()
        .find(|l| l.starts_with("big"))
        .expect("the profile's row");
    assert!(row.contains("PPP…"), "{:.300}", row);
    assert!(row.len() < 1000, "{}", row.len());
}

#[test]
fn a_10_mb_token_number_in_an_action_answer_is_cut_in_the_audit_log_and_the_output() {
    let number = format!("AT{}", "1".repeat(10 * 1024 * 1024));
    let answer = format!(
        r#"{{"number":"{number}","authentication_code":"{}","life_cycle_state":"NOT_EFFECTIVE"}}"#,
        odd_server::CODE
    );
    let length = format!("({} characters)", number.len());
    for args in [
        &["deactivate", odd_server::CODE, "--yes"][..],
        &["deactivate", "--from", "codes.txt", "--yes"][..],
        &["deactivate", "--from", "codes.txt", "--yes", "--json"][..],
    ] {
        let server = OddServer::start(Wording::GenericCode);
        // The read before a batch's action, then the action itself, answer the huge number.
        server.script(
            "access_tokens/show",
            Scripted::Instead(ok(&answer.replace("NOT_EFFECTIVE", "EFFECTIVE"))),
        );
        server.script(
            "access_tokens/set_as_not_effective",
            Scripted::After(ok(&answer)),
        );
        let state = tempfile::tempdir().expect("temp dir");
        let codes = state.path().join("codes.txt");
        std::fs::write(&codes, format!("{}\n", odd_server::CODE)).expect("written");
        let args: Vec<&str> = args
            .iter()
            .map(|a| {
                if *a == "codes.txt" {
                    codes.to_str().expect("UTF-8")
                } else {
                    a
                }
            })
            .collect();
        let output = on_odd_server(&server, state.path(), &args);
        assert_eq!(
            output.status.code(),
            Some(0),
            "{args:?}: {}",
            describe(&output)
        );
        let stdout = String::from_utf8_lossy(&output.stdout);
        assert!(
            stdout.len() < 4096,
            "{args:?}: {} bytes on stdout",
            stdout.len()
        );
        assert!(stdout.contains(&length), "{args:?}: {stdout}");
        let audit = std::fs::read_to_string(state.path().join("tokendesk/audit.jsonl"))
            .expect("the audit log");
        assert_eq!(audit.lines().count(), 2, "{args:?}");
        for line in audit.lines() {
            assert!(
                line.len() < 4096,
                "{args:?}: an audit line of {} bytes",
                line.len()
            );
            let _: serde_json::Value = serde_json::from_str(line).expect("JSON");
        }
        assert!(audit.contains(&length), "{args:?}: {audit}");
    }
}
