//! `tokendesk audit`: the log read back, one row per action (its intent and outcome lines
//! joined by request id) or per reveal, oldest first. Lines are read leniently: a line that
//! is not a record is counted and skipped, never a reason to show nothing.

use std::collections::HashMap;
use std::path::Path;
use std::time::{Duration, SystemTime};

use serde_json::Value;

use super::event_name;
use crate::safe_file::{self, FileRefusal};
use crate::text::{sanitize, truncate_chars};

/// Which rows to show.
#[derive(Clone, Debug, Default)]
pub struct Filter {
    /// A token's number, authentication code, identifier or id (any case).
    pub token: Option<String>,
    pub since: Option<SystemTime>,
}

/// The records of one action (intent and outcome) or one reveal, in file order.
#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    pub records: Vec<Value>,
}

/// What reading the file found.
#[derive(Debug, Default)]
pub struct AuditFile {
    pub entries: Vec<Entry>,
    /// Line numbers (from 1) that held no record.
    pub unreadable: Vec<usize>,
}

/// Reads the whole log; a missing file is an empty one. Only a regular file is read: a FIFO
/// at its path would block.
pub fn read(path: &Path) -> Result<AuditFile, FileRefusal> {
    Ok(read_bytes(path)?
        .map(|bytes| parse(&String::from_utf8_lossy(&bytes)))
        .unwrap_or_default())
}

/// The log's bytes, exactly as they are (the chain hashes them); `None` when it is missing.
pub fn read_bytes(path: &Path) -> Result<Option<Vec<u8>>, FileRefusal> {
    let mut file = match safe_file::open_regular(path) {
        Ok(file) => file,
        Err(FileRefusal::Io(e)) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e),
    };
    let mut bytes = Vec::new();
    std::io::Read::read_to_end(&mut file, &mut bytes)?;
    Ok(Some(bytes))
}

pub fn parse(text: &str) -> AuditFile {
    let mut file = AuditFile::default();
    let mut by_request: HashMap<String, usize> = HashMap::new();
    for (index, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let record = match serde_json::from_str::<Value>(line) {
            Ok(record @ Value::Object(_)) => record,
            _ => {
                file.unreadable.push(index + 1);
                continue;
            }
        };
        let request = record
            .get("request")
            .and_then(Value::as_str)
            .map(str::to_owned);
        match request.and_then(|r| by_request.get(&r).copied().map(|i| (r, i))) {
            Some((_, at)) => file.entries[at].records.push(record),
            None => {
                if let Some(request) = record.get("request").and_then(Value::as_str) {
                    by_request.insert(request.to_owned(), file.entries.len());
                }
                file.entries.push(Entry {
                    records: vec![record],
                });
            }
        }
    }
    file
}

impl Entry {
    fn first(&self, key: &str) -> Option<&str> {
        self.records
            .iter()
            .find_map(|r| r.get(key).and_then(Value::as_str))
    }

    fn token_field(&self, key: &str) -> Option<&str> {
        self.records
            .iter()
            .rev()
            .find_map(|r| r.get("token")?.get(key)?.as_str())
    }

    fn outcome(&self) -> Option<&Value> {
        self.records
            .iter()
            .find(|r| r.get("phase").and_then(Value::as_str) == Some("outcome"))
    }

    pub fn time(&self) -> Option<SystemTime> {
        self.first("time")
            .and_then(|t| humantime::parse_rfc3339(t).ok())
    }

    pub fn matches(&self, filter: &Filter) -> bool {
        let token_matches = filter.token.as_deref().is_none_or(|wanted| {
            ["number", "authentication_code", "identifier", "id"]
                .iter()
                .any(|key| {
                    self.records.iter().any(|r| {
                        r.get("token")
                            .and_then(|t| t.get(key))
                            .and_then(Value::as_str)
                            .is_some_and(|v| v.eq_ignore_ascii_case(wanted.trim()))
                    })
                })
        });
        let recent = filter
            .since
            .is_none_or(|since| self.time().is_some_and(|t| t >= since));
        token_matches && recent
    }

    /// The table's cells: time, operator, where, action (or event), token, result, reason.
    fn cells(&self) -> [String; 7] {
        let time = self
            .first("time")
            .map(|t| t.get(..19).unwrap_or(t).replace('T', " "))
            .unwrap_or_default();
        let operator = self
            .first("operator")
            .or_else(|| self.first("os_user"))
            .unwrap_or("?");
        let place = self
            .first("label")
            .or_else(|| self.first("host"))
            .filter(|place| !place.is_empty())
            .unwrap_or("?");
        let token = ["number", "authentication_code", "identifier", "id"]
            .iter()
            .find_map(|k| self.token_field(k));
        let (action, result) = match self.first("event") {
            Some(event_name::ACTION) | None => (
                self.first("action").unwrap_or("?").to_owned(),
                self.result(),
            ),
            Some(event_name::REVEAL) => ("reveal".to_owned(), "revealed".to_owned()),
            Some(event) => self.event(event),
        };
        let token = match (self.first("event"), token) {
            (Some(event_name::ACTION | event_name::REVEAL) | None, None) => "?",
            (_, token) => token.unwrap_or(""),
        };
        [
            time,
            operator.into(),
            place.into(),
            action,
            token.into(),
            result,
            self.first("reason_given").unwrap_or("").into(),
        ]
        .map(|cell| truncate_chars(&sanitize(&cell), 60).into_owned())
    }

    /// An event other than an action or a reveal, in words: what, and how it went.
    fn event(&self, event: &str) -> (String, String) {
        let detail = self.first("detail").unwrap_or("");
        let failed = self.first("result") == Some(event_name::FAILURE);
        let session = || match self.first("session") {
            Some(session) => format!("session {session}"),
            None => String::new(),
        };
        let (what, how) = match event {
            super::chain::LOG_START => ("log start", "the chain starts here".to_owned()),
            event_name::LOGIN if failed => ("log-in", format!("FAILED: {detail}")),
            event_name::LOGIN => ("log-in", "logged in".to_owned()),
            event_name::CONSOLE_OPEN => ("console", format!("opened, {}", session())),
            event_name::CONSOLE_CLOSE => ("console", format!("closed, {}", session())),
            event_name::AUDIT_READ if detail == event_name::VERIFY => {
                ("audit read", "verified the chain".to_owned())
            }
            event_name::AUDIT_READ => ("audit read", "read".to_owned()),
            event_name::LOCK => ("lock", "locked when idle".to_owned()),
            event_name::UNLOCK if failed => ("unlock", "REFUSED: wrong password".to_owned()),
            event_name::UNLOCK if detail.is_empty() => ("unlock", "unlocked".to_owned()),
            event_name::UNLOCK => ("unlock", format!("unlocked; {detail}")),
            other => (other, detail.to_owned()),
        };
        (what.to_owned(), how)
    }

    fn result(&self) -> String {
        let Some(outcome) = self.outcome() else {
            return "NO OUTCOME: interrupted, it may or may not have happened".into();
        };
        let field = |k: &str| outcome.get(k).and_then(Value::as_str).unwrap_or("");
        match field("outcome") {
            "done" => format!("done: {}", field("state")),
            "refused" => format!("refused: {}", field("reason")),
            "failed" => format!("failed: {}", field("reason")),
            "unknown" => unknown(field("reread")),
            other => other.to_owned(),
        }
    }
}

/// One row of a token's history in the console: what the audit log says of one action or
/// reveal, each cell cleaned for the screen.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HistoryRow {
    pub time: String,
    pub operator: String,
    pub action: String,
    pub result: String,
    /// The clerk's reason, when one was given.
    pub reason: Option<String>,
}

/// What the log holds about the token any of `names` (its number, code, identifier, id)
/// names, newest first.
pub fn history(file: &AuditFile, names: &[String]) -> Vec<HistoryRow> {
    let filters: Vec<Filter> = names
        .iter()
        .filter(|name| !name.trim().is_empty())
        .map(|name| Filter {
            token: Some(name.clone()),
            since: None,
        })
        .collect();
    file.entries
        .iter()
        .rev()
        .filter(|entry| filters.iter().any(|filter| entry.matches(filter)))
        .map(|entry| {
            let [time, operator, _, action, _, result, _] = entry.cells();
            HistoryRow {
                time,
                operator,
                action,
                result,
                reason: entry
                    .first("reason_given")
                    .map(|reason| truncate_chars(&sanitize(reason), 200).into_owned())
                    .filter(|reason| !reason.trim().is_empty()),
            }
        })
        .collect()
}

/// A lost answer: what re-reading the token found, or, when it could not be re-read, that
/// nobody knows whether the action happened.
fn unknown(reread: &str) -> String {
    if reread == super::REREAD_NOT_FOUND {
        return "unknown; re-read found no such token".into();
    }
    if let Some(why) = reread.strip_prefix(super::REREAD_FAILED) {
        return format!("NOT KNOWN: no answer, and re-reading failed: {why}");
    }
    if reread.is_empty() || reread.starts_with(super::NOT_REREAD) {
        return format!(
            "NOT KNOWN: no answer, and {}",
            non_empty(reread, "not re-read")
        );
    }
    format!("unknown; re-read found {reread}")
}

fn non_empty<'a>(text: &'a str, otherwise: &'a str) -> &'a str {
    if text.is_empty() { otherwise } else { text }
}

/// The entries as an aligned table under a header; a REASON column when any has one.
pub fn table(entries: &[&Entry]) -> String {
    let header = [
        "TIME (UTC)",
        "OPERATOR",
        "WHERE",
        "ACTION",
        "TOKEN",
        "RESULT",
        "REASON",
    ];
    let rows: Vec<[String; 7]> = entries.iter().map(|e| e.cells()).collect();
    if rows.iter().any(|row| !row[6].is_empty()) {
        return crate::text::columns(header, &rows);
    }
    let without = |row: &[String; 7]| -> [String; 6] { std::array::from_fn(|i| row[i].clone()) };
    let rows: Vec<[String; 6]> = rows.iter().map(without).collect();
    crate::text::columns(std::array::from_fn(|i| header[i]), &rows)
}

/// `--since`: a UTC date (`2025-06-01`), a UTC time (`2025-06-01T09:30:00Z`,
/// `2025-06-01 09:30`), or an age (`2h`, `7days`) counted back from `now`.
pub fn parse_since(text: &str, now: SystemTime) -> Result<SystemTime, String> {
    let text = text.trim();
    let as_time = match text.len() {
        10 => humantime::parse_rfc3339_weak(&format!("{text} 00:00:00")),
        16 => humantime::parse_rfc3339_weak(&format!("{text}:00")),
        _ => humantime::parse_rfc3339_weak(text),
    };
    if let Ok(time) = as_time {
        return Ok(time);
    }
    humantime::parse_duration(text)
        .ok()
        .and_then(|age: Duration| now.checked_sub(age))
        .ok_or_else(|| {
            format!(
                "--since \"{}\" is not a date (2025-06-01), a UTC time (2025-06-01T09:30:00Z) or an age (2h, 7days).",
                sanitize(text)
            )
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    const LOG: &str = r#"{"time":"2025-06-01T09:30:12.345Z","event":"action","phase":"intent","request":"a","action":"deactivate","operator":"clerk","label":"PROD-EU","host":"crm","token":{"id":null,"number":null,"authentication_code":"99021047380","identifier":null}}
{"time":"2025-06-01T09:31:00.000Z","event":"action","phase":"intent","request":"b","action":"delete","operator":"clerk","label":null,"host":"crm","token":{"number":"AT0000000709"}}
not json
{"time":"2025-06-01T09:30:13.001Z","event":"action","phase":"outcome","request":"a","action":"deactivate","operator":"clerk","label":"PROD-EU","host":"crm","token":{"id":"X","number":"AT0000000671","authentication_code":"99021047380"},"outcome":"done","state":"NOT_EFFECTIVE"}
{"time":"2025-06-02T08:00:00.000Z","event":"reveal","operator":"clerk","label":null,"host":"crm","token":{"number":"AT0000000671"}}
"#;

    #[test]
    fn actions_are_joined_by_request_and_bad_lines_counted() {
        let file = parse(LOG);
        assert_eq!(file.unreadable, [3]);
        assert_eq!(file.entries.len(), 3);
        assert_eq!(file.entries[0].records.len(), 2);
        let all: Vec<&Entry> = file.entries.iter().collect();
        let text = table(&all);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(
            lines,
            [
                "TIME (UTC)           OPERATOR  WHERE    ACTION      TOKEN         RESULT",
                "2025-06-01 09:30:12  clerk     PROD-EU  deactivate  AT0000000671  done: NOT_EFFECTIVE",
                "2025-06-01 09:31:00  clerk     crm      delete      AT0000000709  NO OUTCOME: interrupted, it may or may not have happened",
                "2025-06-02 08:00:00  clerk     crm      reveal      AT0000000671  revealed",
            ]
        );
    }

    #[test]
    fn a_lost_answer_is_not_known_unless_a_re_read_found_the_token() {
        let row = |reread: Option<&str>| {
            let mut outcome = serde_json::json!({
                "time": "2025-06-01T09:30:13.001Z", "event": "action", "phase": "outcome",
                "request": "a", "action": "deactivate", "operator": "clerk", "host": "crm",
                "token": {"number": "AT0000000671"}, "outcome": "unknown",
                "reason": "The connection broke before the answer arrived.",
            });
            if let Some(reread) = reread {
                outcome["reread"] = reread.into();
            }
            let entry = Entry {
                records: vec![outcome],
            };
            entry.cells()[5].clone()
        };
        assert_eq!(
            row(Some("NOT_EFFECTIVE")),
            "unknown; re-read found NOT_EFFECTIVE"
        );
        assert_eq!(
            row(Some("not found")),
            "unknown; re-read found no such token"
        );
        assert_eq!(
            row(Some("could not re-read: The server answered 500.")),
            "NOT KNOWN: no answer, and re-reading failed: The server ans…"
        );
        assert_eq!(
            row(Some("not re-read: the console closed")),
            "NOT KNOWN: no answer, and not re-read: the console closed"
        );
        assert_eq!(row(None), "NOT KNOWN: no answer, and not re-read");
    }

    #[test]
    fn events_read_as_words_and_a_reason_gets_its_column_cleaned_and_cut() {
        let log = [
            r#"{"seq":1,"prev":"0","time":"2025-06-01T09:00:00.000Z","event":"log_start","os_user":"jdoe","host":""}"#,
            r#"{"seq":2,"prev":"x","time":"2025-06-01T09:00:01.000Z","event":"login","operator":"clerk","host":"crm","result":"failure","detail":"The username or password was not accepted."}"#,
            r#"{"seq":3,"prev":"x","time":"2025-06-01T09:00:02.000Z","event":"login","operator":"clerk","host":"crm","result":"success"}"#,
            r#"{"seq":4,"prev":"x","time":"2025-06-01T09:00:03.000Z","event":"console_open","session":"0123456789abcdef","operator":"clerk","host":"crm"}"#,
            r#"{"seq":5,"prev":"x","time":"2025-06-01T09:00:04.000Z","event":"lock","session":"0123456789abcdef","operator":"clerk","host":"crm"}"#,
            r#"{"seq":6,"prev":"x","time":"2025-06-01T09:00:05.000Z","event":"unlock","session":"0123456789abcdef","operator":"clerk","host":"crm","result":"failure"}"#,
            r#"{"seq":7,"prev":"x","time":"2025-06-01T09:00:06.000Z","event":"unlock","session":"0123456789abcdef","operator":null,"host":"crm","result":"success","detail":"the lock could not check anyone: no credentials"}"#,
            r#"{"seq":8,"prev":"x","time":"2025-06-01T09:00:07.000Z","event":"action","phase":"intent","request":"r","action":"delete","operator":"clerk","host":"crm","token":{"number":"AT1"},"reason_given":"INC-1\u001b[2J"}"#,
            r#"{"seq":9,"prev":"x","time":"2025-06-01T09:00:08.000Z","event":"console_close","session":"0123456789abcdef","operator":"clerk","host":"crm"}"#,
            r#"{"seq":10,"prev":"x","time":"2025-06-01T09:00:09.000Z","event":"audit_read","os_user":"jdoe","host":"","detail":"verify"}"#,
            r#"{"seq":11,"prev":"x","time":"2025-06-01T09:00:10.000Z","event":"audit_read","os_user":"jdoe","host":"","detail":"show"}"#,
        ]
        .join("\n");
        let file = parse(&log);
        let all: Vec<&Entry> = file.entries.iter().collect();
        let text = table(&all);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(
            lines,
            [
                "TIME (UTC)           OPERATOR  WHERE  ACTION      TOKEN  RESULT                                                     REASON",
                "2025-06-01 09:00:00  jdoe      ?      log start          the chain starts here",
                "2025-06-01 09:00:01  clerk     crm    log-in             FAILED: The username or password was not accepted.",
                "2025-06-01 09:00:02  clerk     crm    log-in             logged in",
                "2025-06-01 09:00:03  clerk     crm    console            opened, session 0123456789abcdef",
                "2025-06-01 09:00:04  clerk     crm    lock               locked when idle",
                "2025-06-01 09:00:05  clerk     crm    unlock             REFUSED: wrong password",
                "2025-06-01 09:00:06  ?         crm    unlock             unlocked; the lock could not check anyone: no credentials",
                "2025-06-01 09:00:07  clerk     crm    delete      AT1    NO OUTCOME: interrupted, it may or may not have happened   INC-1",
                "2025-06-01 09:00:08  clerk     crm    console            closed, session 0123456789abcdef",
                "2025-06-01 09:00:09  jdoe      ?      audit read         verified the chain",
                "2025-06-01 09:00:10  jdoe      ?      audit read         read",
            ]
        );
        let long = Entry {
            records: vec![serde_json::json!({"event": "action", "reason_given": "x".repeat(5000)})],
        };
        assert_eq!(long.cells()[6].chars().count(), 60);
    }

    #[test]
    fn a_tokens_history_is_newest_first_by_any_of_its_names_with_its_reasons() {
        let mut log = LOG.to_owned();
        log.push_str(r#"{"time":"2025-06-03T10:00:00.000Z","event":"action","phase":"intent","request":"c","action":"activate","operator":"clerk2","host":"crm","token":{"authentication_code":"99021047380"},"reason_given":"INC-7\u001b[2J"}"#);
        log.push('\n');
        let file = parse(&log);
        let rows = history(&file, &["AT0000000671".into(), "99021047380".into()]);
        let summary: Vec<(&str, &str, &str)> = rows
            .iter()
            .map(|r| (r.time.as_str(), r.action.as_str(), r.result.as_str()))
            .collect();
        assert_eq!(
            summary,
            [
                (
                    "2025-06-03 10:00:00",
                    "activate",
                    "NO OUTCOME: interrupted, it may or may not have happened"
                ),
                ("2025-06-02 08:00:00", "reveal", "revealed"),
                ("2025-06-01 09:30:12", "deactivate", "done: NOT_EFFECTIVE"),
            ]
        );
        assert_eq!(rows[0].operator, "clerk2");
        assert_eq!(rows[0].reason.as_deref(), Some("INC-7"));
        assert_eq!(rows[2].reason, None);
        assert!(
            history(&file, &["".into()]).is_empty(),
            "a blank name is none"
        );
        assert!(history(&file, &["AT0000000999".into()]).is_empty());
    }

    #[test]
    fn filters_by_token_and_time() {
        let file = parse(LOG);
        let shown = |filter: &Filter| -> usize {
            file.entries.iter().filter(|e| e.matches(filter)).count()
        };
        let by = |token: &str| Filter {
            token: Some(token.into()),
            since: None,
        };
        // the intent knew only the code, the outcome the number: either finds the action
        assert_eq!(shown(&by("at0000000671")), 2);
        assert_eq!(shown(&by("99021047380")), 1);
        assert_eq!(shown(&by("X")), 1);
        assert_eq!(shown(&by("AT0000000999")), 0);
        let since = |text: &str| Filter {
            token: None,
            since: Some(parse_since(text, SystemTime::now()).expect(text)),
        };
        assert_eq!(shown(&since("2025-06-01")), 3);
        assert_eq!(shown(&since("2025-06-01T09:31:00Z")), 2);
        assert_eq!(shown(&since("2025-06-02")), 1);
        assert_eq!(shown(&since("1h")), 0);
    }

    #[test]
    fn since_takes_dates_times_and_ages() {
        let now = humantime::parse_rfc3339("2025-06-10T12:00:00Z").expect("time");
        let at = |t: &str| humantime::parse_rfc3339(t).expect("time");
        assert_eq!(
            parse_since("2025-06-01", now),
            Ok(at("2025-06-01T00:00:00Z"))
        );
        assert_eq!(
            parse_since("2025-06-01 09:30", now),
            Ok(at("2025-06-01T09:30:00Z"))
        );
        assert_eq!(
            parse_since("2025-06-01T09:30:05Z", now),
            Ok(at("2025-06-01T09:30:05Z"))
        );
        assert_eq!(parse_since("2h", now), Ok(at("2025-06-10T10:00:00Z")));
        assert_eq!(parse_since("7days", now), Ok(at("2025-06-03T12:00:00Z")));
        let wrong = parse_since("yesterday", now).expect_err("not a date");
        assert!(
            wrong.starts_with("--since \"yesterday\" is not a date"),
            "{wrong}"
        );
    }
}
