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

use crate::support::odd_server;
use crate::support::start;

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
    start::simulator(config).await
}

fn code(n: u32) -> String {
    format!("88{n:09}")
}

/// `tokendesk` against `sim` with a clean environment, its state (audit log, journals) in
/// `state`, and stdin that is not a terminal.
fn tokendesk(sim: &Simulator, state: &Path) -> tokio::process::Command {
    let mut command = tokio::process::Command::from(start::tokendesk(state));
    command
        .env("TOKENDESK_PASSWORD", "demo")
        .args([
            "--url",
            &sim.base_url(),
            "--username",
            "clerk",
            "--organisation",
            "DEMO",
        ])
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

/// How many rows ended how: the `outcome`, told apart where the core's vocabulary has
/// more to say (done on the journal's word; left out as already so).
fn outcomes(rows: &HashMap<String, Value>) -> HashMap<String, usize> {
    let mut counts = HashMap::new();
    for row in rows.values() {
        let outcome = row["outcome"].as_str().unwrap_or("");
        let sentence = row["sentence"].as_str().unwrap_or("");
        let key = if row["from_journal"] == true {
            "done (journal)".to_owned()
        } else if outcome == "left_out" && sentence.starts_with("Already") {
            "left out (already)".to_owned()
        } else {
            outcome.replace('_', " ")
        };
        *counts.entry(key).or_default() += 1;
    }
    counts
}

fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).expect("UTF-8")
}

fn audit_lines(state: &Path) -> Vec<Value> {
    crate::support::audit_log::records(&crate::support::audit_log::in_state_dir(state))
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
    assert_eq!(outcome(&code(3)), "left_out");
    assert_eq!(outcome(&code(9)), "left_out");
    assert_eq!(outcome("00000000000"), "left_out");
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
        err.contains("Deactivated 2 of 5 tokens: 3 left out (1 already NOT_EFFECTIVE, 1 PENDING_VERIFICATION: needs EFFECTIVE, 1 not found)."),
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

    // Run again: that run finished, so its journal stands in for nothing. Every token is
    // read again, and nothing is sent for those the reads find done.
    let again = run().await;
    assert_eq!(again.status.code(), Some(1), "{}", stderr(&again));
    let rows = self::rows(&again);
    assert_eq!(rows[&code(1)]["outcome"], "left_out");
    assert_eq!(rows[&code(1)]["number"], "AT9000000001");
    assert_eq!(rows[&code(3)]["outcome"], "left_out");
    assert_eq!(rows[&code(9)]["outcome"], "left_out");
    let stats = sim.stats();
    assert_eq!((stats.logins, stats.requests, stats.actions), (2, 14, 2));
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
            // The requests the killed run had in flight are given this long to finish.
            "--request-timeout",
            "3",
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
        outcomes.get("done (journal)").is_some_and(|n| *n >= 9),
        "{outcomes:?}"
    );
    assert_eq!(outcomes.get("left out"), Some(&6), "{outcomes:?}");
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

/// A delete the server carried out, from a run killed before it wrote the outcome: the next
/// run finds the token gone and counts it done, not refused.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_delete_cut_short_after_it_reached_the_server_is_done_on_the_next_run() {
    let sim = simulator(Duration::ZERO).await;
    let dir = tempfile::tempdir().expect("temp dir");
    // Code 3 is NOT_EFFECTIVE: a delete is allowed.
    let file = write_codes(&dir, &[code(3)]);
    let command = || {
        let mut command = tokendesk(&sim, dir.path());
        command.args(["delete", "--from"]).arg(&file).args([
            "--yes",
            "--json",
            "--request-timeout",
            "2",
        ]);
        command
    };
    let first = command().output().await.expect("tokendesk runs");
    let err = stderr(&first);
    assert_eq!(first.status.code(), Some(0), "{err}");
    // The journal as a run killed between the request and its outcome line leaves it.
    let journal = err
        .rsplit_once("journal ")
        .map(|(_, path)| path.trim().trim_end_matches('.'))
        .expect("the summary names the journal");
    let text = std::fs::read_to_string(journal).expect("the journal is readable");
    let cut: Vec<&str> = text
        .lines()
        .filter(|line| !line.contains("\"phase\":\"outcome\""))
        .collect();
    assert!(
        cut.len() < text.lines().count(),
        "an outcome line was there: {text}"
    );
    std::fs::write(journal, cut.join("\n") + "\n").expect("the journal is written");

    let second = command().output().await.expect("tokendesk runs again");
    let err = stderr(&second);
    assert_eq!(second.status.code(), Some(0), "{err}");
    let rows = rows(&second);
    let row = &rows[&code(3)];
    assert_eq!(row["outcome"], "done", "{row}");
    assert_eq!(sim.stats().changes, 1, "deleted once, by the first run");
}

/// Answers cut in half after the server acted (every third request): each lost answer is
/// checked by a re-read, and a token the re-read shows changed (or gone) is done.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lost_answers_are_checked_by_a_re_read_and_counted_done() {
    // One log-in, then a read, the action and the re-read per token: with every third
    // request cut short, every action's answer is the one lost.
    let faulty = || async {
        let mut tokens = demo_tokens();
        tokens.extend(bulk_account(BULK_ACR, BULK_COUNT, 0));
        Simulator::start(
            SimulatorConfig {
                tokens,
                fail_every: std::num::NonZeroU32::new(3),
                fault: tokendesk::simulator::Fault::Truncated,
                ..SimulatorConfig::default()
            },
            "127.0.0.1:0".parse().expect("address"),
        )
        .await
        .expect("simulator starts")
    };
    let dir = tempfile::tempdir().expect("temp dir");
    for (action, codes) in [
        (
            "deactivate",
            vec![code(1), code(2), code(4), code(5), code(6)],
        ),
        ("delete", vec![code(3), code(13), code(23)]),
    ] {
        let sim = faulty().await;
        let file = write_codes(&dir, &codes);
        let output = tokendesk(&sim, dir.path())
            .args([action, "--from"])
            .arg(&file)
            .args(["--yes", "--json", "--concurrency", "1"])
            .output()
            .await
            .expect("tokendesk runs");
        let rows = rows(&output);
        let checked = rows
            .values()
            .filter(|row| {
                row["sentence"]
                    .as_str()
                    .is_some_and(|s| s.contains("Checked after a lost answer"))
            })
            .count();
        assert!(checked > 0, "no answer was lost: {rows:?}");
        assert_eq!(
            outcomes(&rows).get("done"),
            Some(&codes.len()),
            "{action}: {rows:?}"
        );
        assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    }
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
    assert_eq!(
        outcomes.get("left out (already)"),
        Some(&12),
        "{outcomes:?}"
    );
    assert_eq!(outcomes.get("left out"), Some(&6), "{outcomes:?}");
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
        err.contains("Deactivated 42 of 60 tokens: 18 left out (12 already NOT_EFFECTIVE, 6 PENDING_VERIFICATION: needs EFFECTIVE)."),
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

/// `tokendesk ARGS` against our own odd server, with a clean environment and its state in
/// `dir`.
fn on_odd_server(server: &odd_server::OddServer, dir: &TempDir, args: &[&str]) -> Output {
    odd_command(server, dir, args)
        .output()
        .expect("tokendesk runs")
}

/// `tokendesk ARGS` against our own odd server, its state in `dir`, not started yet.
fn odd_command(
    server: &odd_server::OddServer,
    dir: &TempDir,
    args: &[&str],
) -> std::process::Command {
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_tokendesk"));
    command
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("XDG_STATE_HOME", dir.path())
        .env("XDG_CONFIG_HOME", dir.path())
        .env("TOKENDESK_PASSWORD", odd_server::PASSWORD)
        .args(["--url", &server.url, "--username", odd_server::USERNAME])
        .args(["--organisation", odd_server::ORGANISATION])
        .args(args)
        .stdin(Stdio::null());
    command
}

/// `tokendesk deactivate --from FILE --yes --json` against our own odd server.
/// The odd server's answer when it is too busy: `status` (429 or 503) with a page of HTML.
fn busy(status: u16) -> odd_server::Scripted {
    odd_server::Scripted::Instead(odd_server::Answer::Html {
        status,
        page: "<html><body>Slow down</body></html>",
    })
}

/// `server` answers `method` busy six times: once more than a batch waits it out.
fn busy_for_good(server: &odd_server::OddServer, method: &'static str, status: u16) {
    for _ in 0..6 {
        server.script(method, busy(status));
    }
}

fn deactivate_on_odd_server(server: &odd_server::OddServer, dir: &TempDir, file: &Path) -> Output {
    let file = file.to_str().expect("a UTF-8 temporary path");
    on_odd_server(
        server,
        dir,
        &["deactivate", "--from", file, "--yes", "--json"],
    )
}

/// A server busy for good: the action is sent once and retried five times, no more, then
/// the token is reported not done. For a 429 (not taken) and for a 503 (taken or not: each
/// re-read says not).
#[test]
fn a_server_busy_for_good_is_given_up_on_after_five_retries() {
    use odd_server::{OddServer, Wording};
    for status in [429, 503] {
        let server = OddServer::start(Wording::GenericCode);
        // One more busy answer than the retries, then a normal one a sixth retry would get.
        busy_for_good(&server, "access_tokens/set_as_not_effective", status);
        let dir = tempfile::tempdir().expect("temp dir");
        let file = write_codes(&dir, &[odd_server::CODE.to_owned()]);
        let output = deactivate_on_odd_server(&server, &dir, &file);
        let err = stderr(&output);
        assert_ne!(output.status.code(), Some(0), "{status}: {err}");
        let rows = rows(&output);
        assert_ne!(
            rows[odd_server::CODE]["outcome"],
            "done",
            "{status}: {rows:?}"
        );
        let actions = server
            .calls()
            .iter()
            .filter(|c| c.ends_with("set_as_not_effective"))
            .count();
        assert_eq!(actions, 6, "{status}: {:?}", server.calls());
        assert_eq!(server.changes(), 0, "{status}");
        assert_eq!(server.state(), "EFFECTIVE");
    }
}

#[test]
fn a_busy_server_is_waited_out_and_each_token_acted_on_once() {
    use odd_server::{OddServer, Wording};
    let server = OddServer::start(Wording::GenericCode);
    // The read gets a 503 first; the action a 429 (not taken), then a 503 (taken or not:
    // the re-read says it was not), then goes through.
    server.script("access_tokens/show", busy(503));
    server.script("access_tokens/set_as_not_effective", busy(429));
    server.script("access_tokens/set_as_not_effective", busy(503));
    let dir = tempfile::tempdir().expect("temp dir");
    let file = write_codes(&dir, &[odd_server::CODE.to_owned()]);
    let output = deactivate_on_odd_server(&server, &dir, &file);
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
    let output = on_odd_server(
        &server,
        &dir,
        &["list", "--acr", "ACR1", "--json", "--fields", "number"],
    );
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

/// A delete whose answer is lost (a 500: taken or not) and whose re-reads fail too: whether
/// it was deleted is not known, and the row says so. Only a re-read that finds no token
/// says a lost delete was done.
#[test]
fn a_lost_delete_whose_re_read_fails_is_not_called_deleted() {
    use odd_server::{Answer, OddServer, Scripted, Wording};
    let server = OddServer::start(Wording::GenericCode);
    let broken = || {
        Scripted::Instead(Answer::Html {
            status: 500,
            page: "<html><body>Internal error</body></html>",
        })
    };
    // The read finds the token deletable; the delete and the re-read after it both get a 500.
    let deletable = format!(
        r#"{{"status":{{"code":"OK","message":null}},"data":{{"number":"{}","authentication_code":"{}","life_cycle_state":"NOT_EFFECTIVE"}}}}"#,
        odd_server::NUMBER,
        odd_server::CODE
    );
    server.script(
        "access_tokens/show",
        Scripted::Instead(Answer::json(200, &deletable)),
    );
    server.script("access_tokens/delete", broken());
    // The re-read, and the two tries again a failed re-read gets.
    for _ in 0..3 {
        server.script("access_tokens/show", broken());
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let file = write_codes(&dir, &[odd_server::CODE.to_owned()]);
    let file = file.to_str().expect("a UTF-8 temporary path");
    let output = on_odd_server(
        &server,
        &dir,
        &["delete", "--from", file, "--yes", "--json"],
    );
    let err = stderr(&output);
    assert_ne!(output.status.code(), Some(0), "{err}");
    let rows = rows(&output);
    let row = &rows[odd_server::CODE];
    assert_eq!(row["outcome"], "unknown", "{rows:?}");
    assert!(
        row["sentence"]
            .as_str()
            .is_some_and(|s| s.starts_with("Not known whether it was deleted")),
        "{rows:?}"
    );
    assert_eq!(
        server.calls(),
        [
            "authentication/token",
            "access_tokens/show",
            "access_tokens/delete",
            "access_tokens/show",
            "access_tokens/show",
            "access_tokens/show"
        ],
    );
}

/// A delete batch whose token is not there, on its first run: refused as not found. Only a
/// run that finds its journal's intent for the token may take "not found" to mean that the
/// run cut short deleted it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_token_a_first_delete_run_cannot_find_is_left_out_not_called_deleted() {
    let sim = simulator(Duration::ZERO).await;
    let dir = tempfile::tempdir().expect("temp dir");
    let file = write_codes(&dir, &[code(3), "00000000000".into()]);
    let output = tokendesk(&sim, dir.path())
        .args(["delete", "--from"])
        .arg(&file)
        .args(["--yes", "--json"])
        .output()
        .await
        .expect("tokendesk runs");
    let err = stderr(&output);
    assert_eq!(output.status.code(), Some(1), "a refusal: {err}");
    let rows = rows(&output);
    assert_eq!(rows[&code(3)]["outcome"], "done", "{rows:?}");
    assert_eq!(rows["00000000000"]["outcome"], "left_out", "{rows:?}");
    assert_eq!(rows["00000000000"]["state_after"], Value::Null, "{rows:?}");
}

/// A server busy for good to the read: it is read once and five times again, no more, and
/// nothing is sent.
#[test]
fn a_read_busy_for_good_is_given_up_on_after_five_retries() {
    use odd_server::{OddServer, Wording};
    let server = OddServer::start(Wording::GenericCode);
    // One more busy answer than the retries, then a normal one a sixth retry would get.
    busy_for_good(&server, "access_tokens/show", 503);
    let dir = tempfile::tempdir().expect("temp dir");
    let file = write_codes(&dir, &[odd_server::CODE.to_owned()]);
    let output = deactivate_on_odd_server(&server, &dir, &file);
    let err = stderr(&output);
    assert_ne!(output.status.code(), Some(0), "{err}");
    let rows = rows(&output);
    assert_eq!(rows[odd_server::CODE]["outcome"], "failed", "{rows:?}");
    let calls = server.calls();
    let reads = calls.iter().filter(|c| *c == "access_tokens/show").count();
    assert_eq!(reads, 6, "{calls:?}");
    assert_eq!(
        calls.len(),
        7,
        "a log-in and the reads, no action: {calls:?}"
    );
    assert_eq!(server.state(), "EFFECTIVE");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_windows_file_with_a_byte_order_mark_loses_no_token() {
    let sim = simulator(Duration::ZERO).await;
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("codes.txt");
    // Notepad's UTF-8: a byte-order mark, then CRLF lines.
    let text = format!("\u{FEFF}{}\r\n{}\r\n", code(1), code(2));
    std::fs::write(&file, text).expect("written");
    let output = tokendesk(&sim, dir.path())
        .args(["deactivate", "--from"])
        .arg(&file)
        .args(["--yes", "--json"])
        .output()
        .await
        .expect("tokendesk runs");
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let rows = rows(&output);
    assert_eq!(rows[&code(1)]["outcome"], "done", "{rows:?}");
    assert_eq!(rows[&code(2)]["outcome"], "done", "{rows:?}");
    assert_eq!(sim.stats().changes, 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_line_that_is_not_utf8_or_holds_a_control_character_sends_nothing() {
    let sim = simulator(Duration::ZERO).await;
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("codes.txt");
    for (bytes, said) in [
        (
            format!("{}\n{}\n", code(1), code(2))
                .into_bytes()
                .into_iter()
                .chain(*b"\xff1\n")
                .collect::<Vec<u8>>(),
            "Line 3 of",
        ),
        (
            format!("{}\n\x1b[2J{}\n", code(1), code(2)).into_bytes(),
            "Line 2 of",
        ),
    ] {
        std::fs::write(&file, bytes).expect("written");
        for input in ["file", "stdin"] {
            let mut command = tokendesk(&sim, dir.path());
            command.args(["deactivate", "--yes", "--from"]);
            if input == "file" {
                command.arg(&file);
            } else {
                command
                    .arg("-")
                    .stdin(std::fs::File::open(&file).expect("opens"));
            }
            let output = command.output().await.expect("tokendesk runs");
            let err = stderr(&output);
            assert_eq!(output.status.code(), Some(2), "{err}");
            assert!(
                err.contains(said) && err.contains("Nothing was sent."),
                "{err}"
            );
        }
    }
    assert_eq!(sim.stats().requests, 0, "not even a log-in");
}

/// Offset paging over a list that changes while it is read can give a token twice: here
/// the odd server's one token ends the first page and starts the second. The batch acts
/// on it once, and reports it once.
#[test]
fn a_token_listed_twice_across_pages_is_acted_on_once() {
    use odd_server::{Answer, OddServer, Scripted, Wording};
    let server = OddServer::start(Wording::GenericCode);
    let ours = format!(
        r#"{{"number":"{}","authentication_code":"{}","life_cycle_state":"EFFECTIVE"}}"#,
        odd_server::NUMBER,
        odd_server::CODE
    );
    // A full first page: 199 tokens with no code (refused, nothing sent), then ours.
    let mut first: Vec<String> = (2..=tokendesk::api::WHOLE_LIST_PAGE)
        .map(|n| format!(r#"{{"number":"AT{n:010}","life_cycle_state":"EFFECTIVE"}}"#))
        .collect();
    first.push(ours.clone());
    let page = |tokens: &[String]| {
        Scripted::Instead(Answer::json(
            200,
            &format!(
                r#"{{"status":{{"code":"OK","message":""}},"data":[{}]}}"#,
                tokens.join(",")
            ),
        ))
    };
    server.script("access_tokens/list", page(&first));
    server.script("access_tokens/list", page(&[ours]));
    let dir = tempfile::tempdir().expect("temp dir");
    let output = on_odd_server(
        &server,
        &dir,
        &["deactivate", "--acr", "ACR1", "--yes", "--json"],
    );
    let err = stderr(&output);
    let stdout = String::from_utf8_lossy(&output.stdout);
    let ours: Vec<Value> = stdout
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).expect("each line is JSON"))
        .filter(|row| row["code"] == odd_server::CODE)
        .collect();
    assert_eq!(ours.len(), 1, "reported once: {ours:?}");
    assert_eq!(ours[0]["outcome"], "done", "{ours:?}");
    assert_eq!(stdout.lines().count(), 200, "{err}");
    assert!(err.contains("named 1 access token twice"), "{err}");
    let actions = server
        .calls()
        .iter()
        .filter(|c| c.ends_with("set_as_not_effective"))
        .count();
    assert_eq!(actions, 1, "{:?}", server.calls());
    assert_eq!(server.changes(), 1);
}

/// `tokendesk show CODE --json`: the token's state as the server has it now.
async fn state_of(sim: &Simulator, dir: &Path, code: &str) -> String {
    let output = tokendesk(sim, dir)
        .args(["show", code, "--json"])
        .output()
        .await
        .expect("tokendesk runs");
    let token: Value = serde_json::from_slice(&output.stdout).expect("JSON");
    token["life_cycle_state"].as_str().unwrap_or("").to_owned()
}

/// The issue's repro: a batch deactivates a token, a clerk re-activates it, and the same
/// batch run again must deactivate it again: its journal says "done", but a run that
/// finished never stands in for the server. From a file, from standard input, and for a
/// whole account.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_batch_run_again_after_it_finished_reads_every_token_and_acts_where_the_state_asks() {
    for source in ["file", "stdin", "account"] {
        let sim = simulator(Duration::ZERO).await;
        let dir = tempfile::tempdir().expect("temp dir");
        let file = write_codes(&dir, &[code(1)]);
        let deactivate = || async {
            let mut command = tokendesk(&sim, dir.path());
            command.arg("deactivate");
            match source {
                "file" => command.arg("--from").arg(&file),
                "stdin" => command.args(["--from", "-"]).stdin(Stdio::piped()),
                _ => command.args(["--acr", BULK_ACR]),
            };
            let mut child = command
                .args(["--yes", "--json"])
                .spawn()
                .expect("tokendesk starts");
            if let Some(mut stdin) = child.stdin.take() {
                use tokio::io::AsyncWriteExt;
                stdin
                    .write_all(format!("{}\n", code(1)).as_bytes())
                    .await
                    .expect("written");
            }
            child.wait_with_output().await.expect("tokendesk ends")
        };
        let first = deactivate().await;
        assert_eq!(rows(&first)[&code(1)]["outcome"], "done", "{source}");
        let activated = tokendesk(&sim, dir.path())
            .args(["activate", &code(1), "--yes"])
            .output()
            .await
            .expect("tokendesk runs");
        assert_eq!(activated.status.code(), Some(0), "{}", stderr(&activated));
        assert_eq!(state_of(&sim, dir.path(), &code(1)).await, "EFFECTIVE");

        let again = deactivate().await;
        let err = stderr(&again);
        let rows = rows(&again);
        assert_eq!(rows[&code(1)]["outcome"], "done", "{source}: {err}");
        assert_eq!(rows[&code(1)]["state_before"], "EFFECTIVE", "{source}");
        assert!(
            err.contains("finished at") && err.contains("every token is read again"),
            "{source}: {err}"
        );
        assert!(!err.contains("Taken as done"), "{source}: {err}");
        if source != "account" {
            assert_eq!(again.status.code(), Some(0), "{source}: {err}");
            assert!(err.contains("Deactivated 1 of 1 token."), "{source}: {err}");
        }
        assert_eq!(
            state_of(&sim, dir.path(), &code(1)).await,
            "NOT_EFFECTIVE",
            "{source}"
        );
        // Deactivated twice, re-activated once in between: three changes for the token.
        let stats = sim.stats();
        assert_eq!(stats.state_refusals, 0, "{source}: {stats:?}");
    }
}

/// A back end that carries out an action 2 s after receiving it; a batch of twelve tokens,
/// four at a time, killed with SIGKILL when the first four are done and the next four are
/// sent but not carried out yet; then run again at once. The resume trusts its journal for
/// the four done (and says which), waits for the four in flight to be carried out before
/// reading them (so sends nothing for them), sends the last four, and writes the outcome
/// lines the killed run could not: `tokendesk audit` shows NO OUTCOME for none.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_resume_after_kill_9_waits_for_what_was_in_flight_and_sends_nothing_twice() {
    let mut tokens = demo_tokens();
    tokens.extend(bulk_account(BULK_ACR, BULK_COUNT, 0));
    let sim = Simulator::start(
        SimulatorConfig {
            tokens,
            apply_delay: Duration::from_millis(2000),
            ..SimulatorConfig::default()
        },
        "127.0.0.1:0".parse().expect("address"),
    )
    .await
    .expect("simulator starts");
    let dir = tempfile::tempdir().expect("temp dir");
    // Twelve EFFECTIVE tokens (n % 10 of 3, 7 and 9 are not).
    let effective: Vec<u32> = (1..=20)
        .filter(|n| ![3, 7, 9].contains(&(n % 10)))
        .collect();
    let codes: Vec<String> = effective.iter().take(12).map(|n| code(*n)).collect();
    let file = write_codes(&dir, &codes);
    let command = || {
        let mut command = tokendesk(&sim, dir.path());
        command.args(["deactivate", "--from"]).arg(&file).args([
            "--yes",
            "--json",
            "--concurrency",
            "4",
            "--request-timeout",
            "5",
        ]);
        command
    };
    let mut child = command().spawn().expect("tokendesk starts");
    let started = Instant::now();
    loop {
        let stats = sim.stats();
        if stats.changes >= 4 && stats.actions >= 8 {
            break;
        }
        assert!(started.elapsed() < DEADLINE, "the batch never got going");
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    child.start_kill().expect("killed");
    let _ = child.wait().await;
    let killed = sim.stats();
    assert_eq!((killed.actions, killed.changes), (8, 4), "{killed:?}");

    let output = command().output().await.expect("tokendesk runs again");
    let err = stderr(&output);
    assert_eq!(output.status.code(), Some(0), "{err}");
    let rows = rows(&output);
    assert_eq!(rows.len(), 12, "{rows:?}");
    let outcomes = outcomes(&rows);
    assert_eq!(outcomes.get("done (journal)"), Some(&4), "{outcomes:?}");
    assert_eq!(outcomes.get("done"), Some(&8), "{outcomes:?}");
    let cut_short = rows
        .values()
        .filter(|row| {
            row["sentence"]
                .as_str()
                .is_some_and(|s| s.contains("done by the earlier run that was cut short"))
        })
        .count();
    assert_eq!(cut_short, 4, "the four in flight, found done: {rows:?}");
    // The summary names the tokens taken from the journal.
    let trusted: Vec<&str> = rows
        .values()
        .filter(|row| row["from_journal"] == true)
        .filter_map(|row| row["number"].as_str())
        .collect();
    assert!(err.contains("Taken as done from the journal"), "{err}");
    for number in trusted {
        assert!(err.contains(number), "{number} not named: {err}");
    }
    // Each token got one request, and none reached a token already changed.
    let stats = sim.stats();
    assert_eq!(
        (stats.actions, stats.changes, stats.state_refusals),
        (12, 12, 0),
        "{stats:?}"
    );

    // The audit log: every intent has its outcome, the killed run's four included.
    let audit = tokendesk(&sim, dir.path())
        .arg("audit")
        .output()
        .await
        .expect("tokendesk audit runs");
    let table = String::from_utf8_lossy(&audit.stdout);
    assert!(!table.contains("NO OUTCOME"), "{table}");
    let lines = audit_lines(dir.path());
    let intents = lines.iter().filter(|l| l["phase"] == "intent").count();
    assert_eq!(intents, 12, "{lines:?}");
    let found_later: Vec<&Value> = lines
        .iter()
        .filter(|l| l["phase"] == "outcome" && l["outcome"] == "unknown")
        .collect();
    assert_eq!(found_later.len(), 4, "{found_later:?}");
    for line in found_later {
        assert_eq!(line["reread"], "NOT_EFFECTIVE", "{line}");
        let intent = lines
            .iter()
            .find(|l| l["phase"] == "intent" && l["request"] == line["request"])
            .expect("the outcome answers an intent");
        assert_eq!(
            intent["batch"], line["batch"],
            "under the killed run's batch id"
        );
    }
}

/// A resume whose read of a token the killed run had in flight fails has found nothing
/// out. The outcome line it writes for the killed run's request says so (`unknown`, the
/// read's failure as its `reread`), and `tokendesk audit` shows that action as NOT KNOWN:
/// not as NO OUTCOME (as if nobody had looked), nor with a state nobody read. The run after
/// it reads the token, finds it done, and writes no second line for that request.
#[test]
fn a_resume_whose_read_fails_records_the_killed_runs_action_as_not_known() {
    use odd_server::{Answer, OddServer, Scripted, Wording};
    let server = OddServer::start(Wording::GenericCode);
    // The deactivation is carried out; its answer never comes.
    server.script(
        "access_tokens/set_as_not_effective",
        Scripted::After(Answer::Never),
    );
    let dir = tempfile::tempdir().expect("temp dir");
    let file = write_codes(&dir, &[odd_server::CODE.to_owned()]);
    let file = file.to_str().expect("a UTF-8 temporary path");
    let batch = ["deactivate", "--from", file, "--yes", "--json"];
    let mut killed = odd_command(&server, &dir, &batch)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("tokendesk starts");
    let started = Instant::now();
    while server.changes() == 0 {
        assert!(started.elapsed() < DEADLINE, "the action never arrived");
        std::thread::sleep(Duration::from_millis(2));
    }
    killed.kill().expect("killed");
    let _ = killed.wait();

    // At once, with a short time-out to wait for the killed run's request: the read fails.
    server.script(
        "access_tokens/show",
        Scripted::Instead(Answer::Html {
            status: 500,
            page: "<html><body>Internal error</body></html>",
        }),
    );
    let resume = [&batch[..], &["--request-timeout", "1"]].concat();
    let resumed = on_odd_server(&server, &dir, &resume);
    let err = stderr(&resumed);
    assert!(err.contains("Resuming the run"), "{err}");
    assert_eq!(
        rows(&resumed)[odd_server::CODE]["outcome"],
        "failed",
        "{err}"
    );
    let lines = audit_lines(dir.path());
    let outcomes: Vec<&Value> = lines.iter().filter(|l| l["phase"] == "outcome").collect();
    assert_eq!(outcomes.len(), 1, "{lines:?}");
    assert_eq!(outcomes[0]["outcome"], "unknown");
    assert!(
        outcomes[0]["reason"]
            .as_str()
            .is_some_and(|r| r.ends_with("a later run could not read the token.")),
        "{}",
        outcomes[0]
    );
    assert!(
        outcomes[0]["reread"]
            .as_str()
            .is_some_and(|r| r.starts_with("could not re-read: ")),
        "{}",
        outcomes[0]
    );
    let table = || {
        let audit = odd_command(&server, &dir, &["audit"])
            .output()
            .expect("tokendesk audit runs");
        // Each read of the log is in it: the rows compared are the actions'.
        String::from_utf8_lossy(&audit.stdout)
            .lines()
            .filter(|row| {
                !["audit read", "log-in", "log start"]
                    .iter()
                    .any(|e| row.contains(e))
            })
            .collect::<Vec<_>>()
            .join("\n")
    };
    let shown = table();
    assert!(
        shown.contains("NOT KNOWN: no answer, and re-reading failed: "),
        "{shown}"
    );
    assert!(!shown.contains("NO OUTCOME"), "{shown}");

    // The next run reads the token: done by the run that was cut short, and the killed
    // run's request keeps its one outcome line.
    let again = on_odd_server(&server, &dir, &resume);
    let row = &rows(&again)[odd_server::CODE];
    assert_eq!(row["outcome"], "done", "{}", stderr(&again));
    let lines = audit_lines(dir.path());
    assert_eq!(
        lines.iter().filter(|l| l["phase"] == "outcome").count(),
        1,
        "{lines:?}"
    );
    assert_eq!(server.changes(), 1);
    assert_eq!(table(), shown);
}

/// A resume writes the outcome line of the request the killed run had in flight, then is
/// killed in turn, with a request of its own in flight. The run after it writes the line
/// of that second request only: each request has one outcome line.
#[test]
fn a_resume_killed_in_turn_leaves_no_outcome_line_to_be_written_twice() {
    use odd_server::{Answer, OddServer, Scripted, Wording};
    let server = OddServer::start(Wording::GenericCode);
    let dir = tempfile::tempdir().expect("temp dir");
    let file = write_codes(&dir, &[odd_server::CODE.to_owned()]);
    let file = file.to_str().expect("a UTF-8 temporary path");
    let batch = [
        "deactivate",
        "--from",
        file,
        "--yes",
        "--json",
        "--request-timeout",
        "3",
    ];
    let sent = || {
        server
            .calls()
            .iter()
            .filter(|c| c.ends_with("set_as_not_effective"))
            .count()
    };
    let run_until_sent = |count: usize| {
        let mut child = odd_command(&server, &dir, &batch)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("tokendesk starts");
        let started = Instant::now();
        while sent() < count {
            assert!(started.elapsed() < DEADLINE, "action {count} never arrived");
            std::thread::sleep(Duration::from_millis(2));
        }
        child.kill().expect("killed");
        let _ = child.wait();
    };
    // The first run's deactivation is carried out, and its answer never comes.
    server.script(
        "access_tokens/set_as_not_effective",
        Scripted::After(Answer::Never),
    );
    run_until_sent(1);
    // The resume reads the token EFFECTIVE (re-activated meanwhile, say), writes the first
    // request's outcome line, and sends its own, which hangs.
    let effective = format!(
        r#"{{"status":{{"code":"OK","message":null}},"data":{{"number":"{}","authentication_code":"{}","life_cycle_state":"EFFECTIVE"}}}}"#,
        odd_server::NUMBER,
        odd_server::CODE
    );
    server.script(
        "access_tokens/show",
        Scripted::Instead(Answer::json(200, &effective)),
    );
    server.script(
        "access_tokens/set_as_not_effective",
        Scripted::Instead(Answer::Never),
    );
    run_until_sent(2);

    let last = on_odd_server(&server, &dir, &batch);
    assert_eq!(
        rows(&last)[odd_server::CODE]["outcome"],
        "done",
        "{}",
        stderr(&last)
    );
    let lines = audit_lines(dir.path());
    let intents: Vec<&Value> = lines.iter().filter(|l| l["phase"] == "intent").collect();
    assert_eq!(intents.len(), 2, "{lines:?}");
    for intent in intents {
        let outcomes: Vec<&Value> = lines
            .iter()
            .filter(|l| l["phase"] == "outcome" && l["request"] == intent["request"])
            .collect();
        assert_eq!(outcomes.len(), 1, "{intent}: {lines:?}");
    }
    assert_eq!(sent(), 2, "{:?}", server.calls());
}
