//! Batches from the command line, end to end: the real binary against the simulator in this
//! process, whose counters say exactly what was sent and what changed. A mixed batch; a
//! batch killed with SIGKILL mid-way and run again; a session that expires mid-batch; a busy
//! server. Against a server of our own (`odd_server`): paging a whole list when the server
//! ignores `offset`.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::{Output, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;
use tempfile::TempDir;
use tokendesk::simulator::{Simulator, SimulatorConfig, bulk_account, demo_tokens};

mod odd_server;

/// The bulk account: 60 tokens, codes 88000000001..60; n % 10 of 3 and 7 NOT_EFFECTIVE,
/// 9 PENDING_VERIFICATION, the rest (42) EFFECTIVE.
const BULK_ACR: &str = "ACR0000009000";
const BULK_COUNT: u32 = 60;
const BULK_EFFECTIVE: u64 = 42;

/// Long enough to find a polled condition on a loaded machine; reaching it is a failure.
const DEADLINE: Duration = Duration::from_secs(60);

async fn simulator(latency: Duration) -> Simulator {
    let mut tokens = demo_tokens();
    tokens.extend(bulk_account(BULK_ACR, BULK_COUNT, 0));
    let config = SimulatorConfig {
        latency,
        tokens,
        ..SimulatorConfig::default()
    };
    Simulator::start(config, "127.0.0.1:0".parse().expect("address"))
        .await
        .expect("simulator starts")
}

fn code(n: u32) -> String {
    format!("88{n:09}")
}

/// `tokendesk` against `sim` with a clean environment, its state (audit log, journals) in
/// `state`, and stdin that is not a terminal.
fn tokendesk(sim: &Simulator, state: &Path) -> tokio::process::Command {
    let mut command = tokio::process::Command::new(env!("CARGO_BIN_EXE_tokendesk"));
    for (name, _) in std::env::vars() {
        if name.starts_with("TOKENDESK_") {
            command.env_remove(name);
        }
    }
    command
        .env("XDG_STATE_HOME", state)
        .env("XDG_CONFIG_HOME", state)
        .env("TOKENDESK_PASSWORD", "demo")
        .args([
            "--url",
            &sim.base_url(),
            "--username",
            "clerk",
            "--organisation",
            "DEMO",
        ])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true);
    command
}

fn write_codes(dir: &TempDir, codes: &[String]) -> PathBuf {
    let path = dir.path().join("codes.txt");
    let text = format!("# the tokens to stop\n\n{}\n", codes.join("\n"));
    std::fs::write(&path, text).expect("codes written");
    path
}

/// The `--json` lines, by code.
fn rows(output: &Output) -> HashMap<String, Value> {
    let stdout = String::from_utf8(output.stdout.clone()).expect("UTF-8");
    let mut rows = HashMap::new();
    for line in stdout.lines() {
        let row: Value = serde_json::from_str(line).expect("each line is JSON");
        let code = row["code"].as_str().unwrap_or("").to_owned();
        assert!(rows.insert(code, row).is_none(), "a token twice: {stdout}");
    }
    rows
}

fn outcomes(rows: &HashMap<String, Value>) -> HashMap<String, usize> {
    let mut counts = HashMap::new();
    for row in rows.values() {
        *counts
            .entry(row["outcome"].as_str().unwrap_or("").to_owned())
            .or_default() += 1;
    }
    counts
}

fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).expect("UTF-8")
}

fn audit_lines(state: &Path) -> Vec<Value> {
    std::fs::read_to_string(state.join("tokendesk").join("audit.jsonl"))
        .unwrap_or_default()
        .lines()
        .map(|l| serde_json::from_str(l).expect("each audit line is JSON"))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_mixed_batch_sends_only_what_the_states_allow() {
    let sim = simulator(Duration::ZERO).await;
    let dir = tempfile::tempdir().expect("temp dir");
    // Two EFFECTIVE, one NOT_EFFECTIVE, one PENDING_VERIFICATION, one unknown code.
    let file = write_codes(
        &dir,
        &[code(1), code(2), code(3), code(9), "00000000000".into()],
    );
    let run = || async {
        tokendesk(&sim, dir.path())
            .args(["deactivate", "--from"])
            .arg(&file)
            .args(["--yes", "--json"])
            .output()
            .await
            .expect("tokendesk runs")
    };
    let output = run().await;
    let err = stderr(&output);
    assert_eq!(output.status.code(), Some(1), "a refusal: {err}");
    let rows = rows(&output);
    assert_eq!(rows.len(), 5, "{rows:?}");
    let outcome = |code: &str| rows[code]["outcome"].as_str().unwrap_or("").to_owned();
    assert_eq!(outcome(&code(1)), "done");
    assert_eq!(outcome(&code(2)), "done");
    assert_eq!(outcome(&code(3)), "skipped");
    assert_eq!(outcome(&code(9)), "refused");
    assert_eq!(outcome("00000000000"), "refused");
    assert_eq!(rows[&code(1)]["state_before"], "EFFECTIVE");
    assert_eq!(rows[&code(1)]["state_after"], "NOT_EFFECTIVE");
    assert_eq!(rows[&code(1)]["number"], "AT9000000001");
    assert!(
        rows[&code(9)]["sentence"]
            .as_str()
            .is_some_and(|s| s.contains("PENDING_VERIFICATION")),
        "{rows:?}"
    );
    assert!(
        err.contains("Deactivated 2 of 5 tokens: 1 skipped (already NOT_EFFECTIVE), 2 refused."),
        "{err}"
    );
    // One log-in, a read of each of the five, and the two actions the states allow.
    let stats = sim.stats();
    assert_eq!(
        (stats.logins, stats.requests, stats.actions, stats.changes),
        (1, 8, 2, 2)
    );
    assert_eq!(stats.state_refusals, 0);

    // Every action line names the batch, the same on each, and the token fully.
    let lines = audit_lines(dir.path());
    assert_eq!(lines.len(), 4, "two intents and two outcomes: {lines:?}");
    let batch = lines[0]["batch"].as_str().expect("a batch id").to_owned();
    for line in &lines {
        assert_eq!(line["batch"], batch.as_str(), "{line}");
        assert!(line["token"]["number"].is_string(), "{line}");
        assert!(line["token"]["id"].is_string(), "{line}");
    }

    // Run again: the journal says what is done; nothing is sent for it, not even a read.
    let again = run().await;
    assert_eq!(again.status.code(), Some(1), "{}", stderr(&again));
    let rows = self::rows(&again);
    assert_eq!(rows[&code(1)]["outcome"], "done_before");
    assert_eq!(
        rows[&code(1)]["number"],
        "AT9000000001",
        "named from the journal"
    );
    assert_eq!(rows[&code(3)]["outcome"], "done_before");
    assert_eq!(rows[&code(9)]["outcome"], "refused");
    let stats = sim.stats();
    assert_eq!((stats.logins, stats.requests, stats.actions), (2, 11, 2));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_batch_killed_mid_way_resumes_and_acts_on_no_token_twice() {
    let sim = simulator(Duration::from_millis(40)).await;
    let dir = tempfile::tempdir().expect("temp dir");
    let codes: Vec<String> = (1..=BULK_COUNT).map(code).collect();
    let file = write_codes(&dir, &codes);
    let command = || {
        let mut command = tokendesk(&sim, dir.path());
        command.args(["deactivate", "--from"]).arg(&file).args([
            "--yes",
            "--json",
            "--concurrency",
            "4",
        ]);
        command
    };
    let mut child = command().spawn().expect("tokendesk starts");
    let started = Instant::now();
    while sim.stats().actions < 10 {
        assert!(started.elapsed() < DEADLINE, "the batch never got going");
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    // SIGKILL, with requests in flight.
    child.start_kill().expect("killed");
    let _ = child.wait().await;
    let first = sim.stats();
    assert!(
        first.changes < BULK_EFFECTIVE,
        "killed before the end: {first:?}"
    );

    let output = command().output().await.expect("tokendesk runs again");
    let err = stderr(&output);
    assert_eq!(output.status.code(), Some(1), "the pending ones: {err}");
    let rows = rows(&output);
    assert_eq!(rows.len(), BULK_COUNT as usize);
    let outcomes = outcomes(&rows);
    assert!(
        outcomes.get("done_before").is_some_and(|n| *n >= 9),
        "{outcomes:?}"
    );
    assert_eq!(outcomes.get("refused"), Some(&6), "{outcomes:?}");
    assert_eq!(outcomes.get("unknown"), None, "{outcomes:?}");
    // Every EFFECTIVE token changed exactly once, and no action reached a token already done.
    let stats = sim.stats();
    assert_eq!(stats.changes, BULK_EFFECTIVE, "{stats:?}");
    assert_eq!(stats.state_refusals, 0, "{stats:?}");
    // What the second run sent: an action only for the tokens the first had not acted on.
    assert!(
        stats.actions - first.actions <= BULK_EFFECTIVE - first.changes + 4,
        "first {first:?}, then {stats:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_session_expiring_mid_batch_is_renewed_once_for_all() {
    let sim = simulator(Duration::from_millis(20)).await;
    let dir = tempfile::tempdir().expect("temp dir");
    let codes: Vec<String> = (1..=BULK_COUNT).map(code).collect();
    let file = write_codes(&dir, &codes);
    let child = tokendesk(&sim, dir.path())
        .args(["deactivate", "--from"])
        .arg(&file)
        .args(["--yes", "--json", "--concurrency", "8"])
        .spawn()
        .expect("tokendesk starts");
    let started = Instant::now();
    while sim.stats().actions < 10 {
        assert!(started.elapsed() < DEADLINE, "the batch never got going");
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    sim.expire_sessions();
    let output = child.wait_with_output().await.expect("tokendesk ends");
    let err = stderr(&output);
    assert_eq!(output.status.code(), Some(1), "the pending ones: {err}");
    let rows = rows(&output);
    assert_eq!(rows.len(), BULK_COUNT as usize, "no token lost");
    let outcomes = outcomes(&rows);
    assert_eq!(
        outcomes.get("done"),
        Some(&(BULK_EFFECTIVE as usize)),
        "{outcomes:?}"
    );
    assert_eq!(outcomes.get("skipped"), Some(&12), "{outcomes:?}");
    assert_eq!(outcomes.get("refused"), Some(&6), "{outcomes:?}");
    let stats = sim.stats();
    assert_eq!(
        stats.logins, 2,
        "one re-login for all eight in flight: {stats:?}"
    );
    assert_eq!(stats.changes, BULK_EFFECTIVE, "{stats:?}");
    assert_eq!(stats.state_refusals, 0, "{stats:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_whole_account_is_confirmed_as_a_count_or_by_yes() {
    let sim = simulator(Duration::ZERO).await;
    let dir = tempfile::tempdir().expect("temp dir");
    // An input that names no token: said, and nothing asked or sent.
    let empty = dir.path().join("empty.txt");
    std::fs::write(&empty, "# nothing yet\n\n").expect("written");
    let output = tokendesk(&sim, dir.path())
        .args(["deactivate", "--from"])
        .arg(&empty)
        .output()
        .await
        .expect("tokendesk runs");
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(
        stderr(&output),
        "tokendesk: No access tokens to deactivate: the input names none.\n"
    );

    // Off a terminal and without --yes: refused before anything is sent.
    let output = tokendesk(&sim, dir.path())
        .args(["deactivate", "--acr", BULK_ACR])
        .output()
        .await
        .expect("tokendesk runs");
    assert_eq!(
        output.status.code(),
        Some(i32::from(tokendesk::exit::NOT_CONFIRMED))
    );
    assert!(stderr(&output).contains("add --yes"), "{}", stderr(&output));
    assert_eq!(sim.stats().actions, 0);

    let output = tokendesk(&sim, dir.path())
        .args(["deactivate", "--acr", BULK_ACR, "--yes"])
        .output()
        .await
        .expect("tokendesk runs");
    let err = stderr(&output);
    assert_eq!(output.status.code(), Some(1), "{err}");
    assert!(
        err.contains("Deactivated 42 of 60 tokens: 12 skipped (already NOT_EFFECTIVE), 6 refused."),
        "{err}"
    );
    let text = String::from_utf8(output.stdout).expect("UTF-8");
    assert_eq!(text.lines().count(), 60, "{text}");
    assert!(
        text.lines()
            .any(|l| l == "AT9000000001  EFFECTIVE -> NOT_EFFECTIVE  done: Deactivated."),
        "{text}"
    );
    let stats = sim.stats();
    assert_eq!((stats.actions, stats.changes), (42, 42));
}

#[test]
fn a_busy_server_is_waited_out_and_each_token_acted_on_once() {
    use odd_server::{Answer, OddServer, Scripted, Wording};
    let server = OddServer::start(Wording::GenericCode);
    let busy = |status| {
        Scripted::Instead(Answer::Html {
            status,
            page: "<html><body>Slow down</body></html>",
        })
    };
    // The read gets a 503 first; the action a 429 (not taken), then a 503 (taken or not:
    // the re-read says it was not), then goes through.
    server.script("access_tokens/show", busy(503));
    server.script("access_tokens/set_as_not_effective", busy(429));
    server.script("access_tokens/set_as_not_effective", busy(503));
    let dir = tempfile::tempdir().expect("temp dir");
    let file = write_codes(&dir, &[odd_server::CODE.to_owned()]);
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_tokendesk"))
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("XDG_STATE_HOME", dir.path())
        .env("XDG_CONFIG_HOME", dir.path())
        .env("TOKENDESK_PASSWORD", odd_server::PASSWORD)
        .args(["--url", &server.url, "--username", odd_server::USERNAME])
        .args(["--organisation", odd_server::ORGANISATION])
        .args(["deactivate", "--from"])
        .arg(&file)
        .args(["--yes", "--json"])
        .stdin(Stdio::null())
        .output()
        .expect("tokendesk runs");
    let err = stderr(&output);
    assert_eq!(output.status.code(), Some(0), "{err}");
    let rows = rows(&output);
    assert_eq!(rows[odd_server::CODE]["outcome"], "done", "{rows:?}");
    assert_eq!(server.changes(), 1);
    let actions = server
        .calls()
        .iter()
        .filter(|c| c.ends_with("set_as_not_effective"))
        .count();
    assert_eq!(actions, 3, "{:?}", server.calls());
    assert_eq!(server.state(), "NOT_EFFECTIVE");
}

#[test]
fn a_server_that_ignores_offset_stops_the_paging_with_the_rows_fetched() {
    use odd_server::{Answer, OddServer, Scripted, Wording};
    let server = OddServer::start(Wording::GenericCode);
    // Before R13 there is no offset: every page is the first one, full.
    let tokens: Vec<String> = (1..=tokendesk::api::WHOLE_LIST_PAGE)
        .map(|n| format!(r#"{{"number":"AT{n:010}","life_cycle_state":"EFFECTIVE"}}"#))
        .collect();
    let page = format!(
        r#"{{"status":{{"code":"OK","message":"","description":""}},"data":[{}]}}"#,
        tokens.join(",")
    );
    for _ in 0..3 {
        server.script(
            "access_tokens/list",
            Scripted::Instead(Answer::json(200, &page)),
        );
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_tokendesk"))
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("XDG_STATE_HOME", dir.path())
        .env("XDG_CONFIG_HOME", dir.path())
        .env("TOKENDESK_PASSWORD", odd_server::PASSWORD)
        .args(["--url", &server.url, "--username", odd_server::USERNAME])
        .args(["--organisation", odd_server::ORGANISATION])
        .args(["list", "--acr", "ACR1", "--json", "--fields", "number"])
        .stdin(Stdio::null())
        .output()
        .expect("tokendesk runs");
    let err = stderr(&output);
    assert_eq!(
        output.status.code(),
        Some(i32::from(tokendesk::exit::UNREACHABLE)),
        "{err}"
    );
    assert!(err.contains("repeats the one before it"), "{err}");
    let listed: Value = serde_json::from_slice(&output.stdout).expect("JSON");
    assert_eq!(
        listed.as_array().map(Vec::len),
        Some(200),
        "the first page only"
    );
    let pages = server
        .calls()
        .iter()
        .filter(|c| *c == "access_tokens/list")
        .count();
    assert_eq!(pages, 2);
}
