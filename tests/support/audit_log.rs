//! What the tests read back from a run: the audit log's records, and a session token taken
//! the way another tool would, to prove neither secret is written anywhere.

// Each test file uses its own part of this.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use serde_json::Value;
use tokendesk::simulator::Simulator;

/// Where a run whose `XDG_STATE_HOME` is `state_dir` writes its audit log.
pub fn in_state_dir(state_dir: &Path) -> PathBuf {
    state_dir.join("tokendesk").join("audit.jsonl")
}

/// Every record of the audit log at `path`, whatever its event; none when the file does not
/// exist.
pub fn events(path: &Path) -> Vec<Value> {
    match std::fs::read_to_string(path) {
        Ok(text) => text
            .lines()
            .map(|l| serde_json::from_str::<Value>(l).unwrap_or_else(|e| panic!("{e}: {l}")))
            .collect(),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Vec::new(),
        Err(e) => panic!("cannot read the audit log: {e}"),
    }
}

/// The records of the audit log at `path` about tokens; none when the file does not exist.
pub fn records(path: &Path) -> Vec<Value> {
    events(path)
        .into_iter()
        // The lines about tokens: the chain's start, the log-ins and the console's
        // session have tests of their own.
        .filter(|l| l["event"] == "action" || l["event"] == "reveal")
        .collect()
}

/// A record's string field, or "-" when it has none.
pub fn field<'a>(record: &'a Value, key: &str) -> &'a str {
    record[key].as_str().unwrap_or("-")
}

/// Each record's action, phase and outcome, to compare a run's records in order.
pub fn phases(records: &[Value]) -> Vec<(&str, &str, &str)> {
    records
        .iter()
        .map(|r| (field(r, "action"), field(r, "phase"), field(r, "outcome")))
        .collect()
}

/// Logs in as the demo clerk, as another tool would, and returns the session token.
pub async fn session_token(sim: &Simulator) -> String {
    let body = serde_json::json!({"username": "clerk", "password": "demo", "organisation": "DEMO"});
    let answer = reqwest::Client::new()
        .post(format!("{}/authentication/token", sim.base_url()))
        .header("content-type", "application/json")
        .body(body.to_string())
        .send()
        .await
        .expect("log-in answered")
        .bytes()
        .await
        .expect("log-in answer read");
    let answer: Value = serde_json::from_slice(&answer).expect("log-in answer is JSON");
    answer["data"]["token"]
        .as_str()
        .expect("a session token")
        .to_owned()
}

/// True when `word` stands alone in `text` (the demo password "demo" is also the start of
/// "demographics", which the tokens hold).
pub fn has_word(text: &str, word: &str) -> bool {
    text.split(|c: char| !c.is_ascii_alphanumeric())
        .any(|w| w == word)
}
