//! The tokens a clerk opened lately, kept across sessions in the state directory
//! (`$XDG_STATE_HOME/tokendesk/recent.json`, `0600`): for each its number, its
//! authentication code, the state it was in when last seen, when (UTC), and the server it
//! was opened on. Nothing else: never a pass code or an identifier, never personal data,
//! never a credential (the code is what the results table, the audit log and `c` already
//! show in clear; a token without one is not kept, as it could only be found again with its
//! pass code). A console lists only the tokens of the server it uses: a code opened on PROD
//! names nothing, or another token, in a demo run.
//!
//! Both front-ends use it: the console's home screen and `Ctrl-r` list, and `tokendesk
//! recent`. The file is replaced whole (`safe_file::replace`), so two consoles never tear
//! it; it is read leniently, since anything may have been written there: bounded, every
//! field cleaned and cut, entries that make no sense skipped, never a panic.

pub mod fuzzy;

use std::path::Path;
use std::time::SystemTime;

use serde::Serialize;
use serde_json::Value;

use crate::safe_file::{self, FileRefusal};
use crate::text::sanitize;

/// How many tokens are kept: the newest first, the oldest dropped.
pub const KEPT: usize = 50;

/// The most the file is read of: fifty entries take a few kilobytes.
pub const MOST_BYTES: u64 = 64 * 1024;

/// The longest a field is kept: numbers and codes are short; anything longer is cut.
const MOST_CHARS: usize = 64;

/// The file's name in the state directory.
pub const FILE_NAME: &str = "recent.json";

/// The server of a `--demo` run: its simulator's port changes each run, its tokens do not.
pub const DEMO_SERVER: &str = "demo";

/// The key of the server a recent token is recorded against (not the words a confirmation
/// names it by, `fate::confirmation::server_name`): the host as the audit log names it
/// (`api::client::host_of`: `crm.example.com`, `10.0.0.5:8443`), or [`DEMO_SERVER`].
pub fn server_key(host: &str, demo: bool) -> String {
    if demo {
        DEMO_SERVER.to_owned()
    } else {
        host.to_owned()
    }
}

/// A token as it was last seen.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RecentToken {
    /// Its number (`AT0000000671`); empty when the server sent none.
    pub number: String,
    pub code: String,
    pub state: String,
    /// When, in UTC, as RFC 3339 to the second (`2026-12-05T17:03:20Z`).
    pub seen: String,
    /// The server it was opened on ([`server_key`]); `None` in an entry an older
    /// tokendesk wrote, which no console lists since its server is not known.
    pub server: Option<String>,
}

/// A token just seen, before the loop stamps it with the time.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sighting {
    pub number: String,
    pub code: String,
    pub state: String,
    pub server: String,
}

impl Sighting {
    pub fn at(self, now: SystemTime) -> RecentToken {
        RecentToken {
            number: self.number,
            code: self.code,
            state: self.state,
            seen: humantime::format_rfc3339_seconds(now).to_string(),
            server: Some(self.server),
        }
    }
}

impl RecentToken {
    /// `seen` as a clerk reads it: `2026-12-05 17:03 UTC`; what is not a time stays as it is.
    pub fn when(&self) -> String {
        match humantime::parse_rfc3339_weak(&self.seen) {
            Ok(time) => {
                let text = humantime::format_rfc3339_seconds(time).to_string();
                match (text.get(..10), text.get(11..16)) {
                    (Some(day), Some(minute)) => format!("{day} {minute} UTC"),
                    _ => text,
                }
            }
            Err(_) => self.seen.clone(),
        }
    }

    /// Whether it is the same token as `other`: one code on two servers is two tokens.
    fn same(&self, other: &RecentToken) -> bool {
        self.code == other.code && self.server == other.server
    }

    /// The text the fuzzy filter looks in.
    pub fn haystack(&self) -> String {
        format!("{} {} {}", self.number, self.code, self.state)
    }
}

/// `list` with `token` put first, replacing the entry of the same code on the same server,
/// and at most [`KEPT`] long.
pub fn record(list: &mut Vec<RecentToken>, token: RecentToken) {
    list.retain(|t| !t.same(&token));
    list.insert(0, token);
    list.truncate(KEPT);
}

/// The list a file holds, read leniently: what is not a list of entries with a code is
/// skipped, every field is cleaned of control characters and cut, duplicates and entries
/// beyond [`KEPT`] are dropped.
pub fn parse(bytes: &[u8]) -> Vec<RecentToken> {
    let Ok(value) = serde_json::from_slice::<Value>(bytes) else {
        return Vec::new();
    };
    let entries = match &value {
        Value::Object(object) => object.get("tokens").and_then(Value::as_array),
        Value::Array(entries) => Some(entries),
        _ => None,
    };
    let mut list: Vec<RecentToken> = Vec::new();
    for entry in entries.into_iter().flatten() {
        let field = |name: &str| {
            entry
                .get(name)
                .and_then(Value::as_str)
                .map(clean)
                .unwrap_or_default()
        };
        let server = field("server");
        let token = RecentToken {
            number: field("number"),
            code: field("code"),
            state: field("state"),
            seen: field("seen"),
            server: (!server.is_empty()).then_some(server),
        };
        if token.code.is_empty() || list.iter().any(|t| t.same(&token)) {
            continue;
        }
        list.push(token);
        if list.len() == KEPT {
            break;
        }
    }
    list
}

/// The entries of `list` opened on `server`, newest first: what a console lists. An entry
/// whose server is not recorded is nobody's.
pub fn on_server(list: Vec<RecentToken>, server: &str) -> Vec<RecentToken> {
    list.into_iter()
        .filter(|t| t.server.as_deref() == Some(server))
        .collect()
}

/// One line of text, at most [`MOST_CHARS`] characters, nothing a terminal would act on.
fn clean(text: &str) -> String {
    sanitize(text.trim()).chars().take(MOST_CHARS).collect()
}

/// The file's text for `list`.
pub fn encode(list: &[RecentToken]) -> Vec<u8> {
    #[derive(Serialize)]
    struct File<'a> {
        version: u32,
        tokens: &'a [RecentToken],
    }
    let mut bytes = serde_json::to_vec_pretty(&File {
        version: 1,
        tokens: list,
    })
    .unwrap_or_default();
    bytes.push(b'\n');
    bytes
}

/// The list kept at `path`: empty when there is no file or it cannot be made sense of; an
/// error only when the file may not be read (a link, another user's, too large).
pub fn load(path: &Path) -> Result<Vec<RecentToken>, FileRefusal> {
    Ok(safe_file::read_own(path, MOST_BYTES)?
        .map(|bytes| parse(&bytes))
        .unwrap_or_default())
}

/// Records `token` in the file at `path` (read again first, so another console's entries
/// stay) and gives the list as it is now.
pub fn remember(path: &Path, token: RecentToken) -> Result<Vec<RecentToken>, FileRefusal> {
    // A file that cannot be made sense of is started again rather than kept: it holds
    // nothing a clerk could use.
    let mut list = match load(path) {
        Ok(list) => list,
        Err(FileRefusal::TooLarge { .. }) => Vec::new(),
        Err(other) => return Err(other),
    };
    record(&mut list, token);
    safe_file::replace(path, &encode(&list))?;
    Ok(list)
}

#[cfg(test)]
mod tests {
    use std::time::{Duration, SystemTime};

    use super::*;

    fn sighting(n: usize) -> RecentToken {
        Sighting {
            number: format!("AT{n:010}"),
            code: format!("code{n}"),
            state: "EFFECTIVE".into(),
            server: "crm.example.com".into(),
        }
        .at(SystemTime::UNIX_EPOCH + Duration::from_secs(1_780_000_000 + n as u64))
    }

    #[test]
    fn fifty_are_kept_newest_first_and_reopening_moves_a_token_to_the_top() {
        let mut list = Vec::new();
        for n in 0..60 {
            record(&mut list, sighting(n));
        }
        assert_eq!(list.len(), KEPT);
        assert_eq!(list[0].code, "code59");
        assert_eq!(list[KEPT - 1].code, "code10", "the oldest went");
        let mut again = sighting(30);
        again.state = "NOT_EFFECTIVE".into();
        record(&mut list, again);
        assert_eq!(list.len(), KEPT, "no duplicate");
        assert_eq!(list[0].code, "code30");
        assert_eq!(list[0].state, "NOT_EFFECTIVE", "the state when last seen");
        assert_eq!(list.iter().filter(|t| t.code == "code30").count(), 1);
    }

    #[test]
    fn one_code_on_two_servers_is_two_tokens_and_a_console_lists_its_own() {
        let on = |server: &str| RecentToken {
            server: Some(server.into()),
            ..sighting(1)
        };
        let mut list = Vec::new();
        record(&mut list, on("prod.example.com"));
        record(&mut list, on(DEMO_SERVER));
        record(&mut list, on(DEMO_SERVER));
        assert_eq!(list.len(), 2, "{list:?}");
        assert_eq!(on_server(list.clone(), DEMO_SERVER), [on(DEMO_SERVER)]);
        assert_eq!(
            on_server(list, "prod.example.com"),
            [on("prod.example.com")]
        );
        assert_eq!(server_key("127.0.0.1:4242", true), DEMO_SERVER);
        assert_eq!(server_key("crm.example.com", false), "crm.example.com");
    }

    #[test]
    fn an_entry_an_older_version_wrote_has_no_server_and_no_console_lists_it() {
        let old = br#"{"version":1,"tokens":[
            {"number":"AT1","code":"c1","state":"EFFECTIVE","seen":"2026-12-05T09:30:00Z"},
            {"number":"AT1","code":"c1","state":"EFFECTIVE","seen":"x","server":"crm.example.com"},
            {"number":"AT2","code":"c2","state":"EFFECTIVE","seen":"x","server":""}
        ]}"#;
        let list = parse(old);
        assert_eq!(list.len(), 3, "{list:?}");
        assert_eq!(list[0].server, None);
        assert_eq!(list[1].server.as_deref(), Some("crm.example.com"));
        assert_eq!(list[2].server, None, "an empty server is not recorded");
        assert_eq!(on_server(list.clone(), "crm.example.com").len(), 1);
        assert!(on_server(list, "").is_empty());
    }

    #[test]
    fn the_time_is_utc_and_reads_as_a_date_and_minute() {
        let token = sighting(0);
        assert_eq!(token.seen, "2026-05-28T20:26:40Z");
        assert_eq!(token.when(), "2026-05-28 20:26 UTC");
        let odd = RecentToken {
            seen: "yesterday".into(),
            ..token
        };
        assert_eq!(odd.when(), "yesterday");
    }

    #[test]
    fn a_file_is_written_private_read_back_and_another_consoles_entries_stay() {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let path = dir.path().join("state").join(FILE_NAME);
        assert_eq!(load(&path).expect("no file is an empty list"), Vec::new());
        remember(&path, sighting(1)).expect("written");
        // Another console wrote in between: its entry is read, not overwritten.
        let list = remember(&path, sighting(2)).expect("written");
        assert_eq!(
            list.iter().map(|t| t.code.as_str()).collect::<Vec<_>>(),
            ["code2", "code1"]
        );
        assert_eq!(load(&path).expect("read"), list);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = |p: &Path| std::fs::metadata(p).expect("there").permissions().mode() & 0o777;
            assert_eq!(mode(&path), 0o600);
            assert_eq!(mode(path.parent().expect("a directory")), 0o700);
        }
        let left: Vec<_> = std::fs::read_dir(path.parent().expect("a directory"))
            .expect("listed")
            .collect();
        assert_eq!(left.len(), 1, "no temporary file left behind");
    }

    #[test]
    fn a_bad_or_hostile_file_is_read_leniently() {
        assert!(parse(b"").is_empty());
        assert!(parse(b"not json").is_empty());
        assert!(parse(b"{\"tokens\": 7}").is_empty());
        assert!(parse(b"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[").is_empty());
        let hostile = br#"{"tokens":[
            {"number":"AT1\u001b[2J","code":"c1\u009b31m","state":"EFFECTIVE","seen":"x"},
            {"number":"AT2","state":"EFFECTIVE"},
            {"number":"AT3","code":12,"state":"EFFECTIVE"},
            "a string",
            {"number":"AT4","code":"c1","state":"OLD"},
            {"number":"AT5","code":"cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc","state":null}
        ]}"#;
        let list = parse(hostile);
        assert_eq!(list.len(), 2, "{list:?}");
        assert!(!list[0].number.contains('\u{1b}') && !list[0].code.contains('\u{9b}'));
        assert_eq!(list[0].number, "AT1", "the escape sequence is gone whole");
        assert_eq!(list[1].code.chars().count(), 64, "cut");
        assert_eq!(list[1].state, "");
        let many: Vec<String> = (0..80).map(|n| format!("{{\"code\":\"c{n}\"}}")).collect();
        assert_eq!(
            parse(format!("[{}]", many.join(",")).as_bytes()).len(),
            KEPT
        );
    }

    #[test]
    fn fifty_entries_with_the_longest_fields_are_read_whole() {
        let long = |n: usize, c: char| format!("{n:02}{}", c.to_string().repeat(MOST_CHARS - 2));
        let list: Vec<RecentToken> = (0..KEPT)
            .map(|n| RecentToken {
                number: long(n, 'N'),
                code: long(n, 'C'),
                state: long(n, 'S'),
                seen: long(n, 'T'),
                server: Some(long(n, 'H')),
            })
            .collect();
        let dir = tempfile::tempdir().expect("a temporary directory");
        let path = dir.path().join(FILE_NAME);
        std::fs::write(&path, encode(&list)).expect("written");
        assert_eq!(load(&path).expect("within the bound"), list);
    }

    #[test]
    fn a_huge_file_is_not_read_and_is_started_again_when_written() {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let path = dir.path().join(FILE_NAME);
        std::fs::write(&path, vec![b' '; MOST_BYTES as usize + 1]).expect("written");
        assert!(matches!(load(&path), Err(FileRefusal::TooLarge { .. })));
        let list = remember(&path, sighting(1)).expect("started again");
        assert_eq!(list.len(), 1);
    }

    #[cfg(unix)]
    #[test]
    fn a_link_is_neither_read_nor_written_through() {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let target = dir.path().join("elsewhere");
        std::fs::write(&target, encode(&[sighting(1)])).expect("written");
        let path = dir.path().join(FILE_NAME);
        std::os::unix::fs::symlink(&target, &path).expect("a link");
        assert!(matches!(load(&path), Err(FileRefusal::Link)));
        assert!(matches!(
            remember(&path, sighting(2)),
            Err(FileRefusal::Link)
        ));
        assert_eq!(
            std::fs::read(&target).expect("read"),
            encode(&[sighting(1)]),
            "the file the link names is untouched"
        );
    }
}
