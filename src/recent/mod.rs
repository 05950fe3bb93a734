//! The tokens a clerk opened lately, kept across sessions in the state directory
//! (`$XDG_STATE_HOME/tokendesk/recent.json`, `0600`): for each its number, its
//! authentication code, the state it was in when last seen, and when (UTC). Nothing else:
//! never a pass code or an identifier, never personal data (the code is what the results
//! table, the audit log and `c` already show in clear; a token without one is not kept, as
//! it could only be found again with its pass code).
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

/// A token as it was last seen.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RecentToken {
    /// Its number (`AT0000000671`); empty when the server sent none.
    pub number: String,
    pub code: String,
    pub state: String,
    /// When, in UTC, as RFC 3339 to the second (`2026-12-05T17:03:20Z`).
    pub seen: String,
}

/// A token just seen, before the loop stamps it with the time.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sighting {
    pub number: String,
    pub code: String,
    pub state: String,
}

impl Sighting {
    pub fn at(self, now: SystemTime) -> RecentToken {
        RecentToken {
            number: self.number,
            code: self.code,
            state: self.state,
            seen: humantime::format_rfc3339_seconds(now).to_string(),
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

    /// The text the fuzzy filter looks in.
    pub fn haystack(&self) -> String {
        format!("{} {} {}", self.number, self.code, self.state)
    }
}

/// `list` with `token` put first, replacing the entry of the same code, and at most
/// [`KEPT`] long.
pub fn record(list: &mut Vec<RecentToken>, token: RecentToken) {
    list.retain(|t| t.code != token.code);
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
        let token = RecentToken {
            number: field("number"),
            code: field("code"),
            state: field("state"),
            seen: field("seen"),
        };
        if token.code.is_empty() || list.iter().any(|t| t.code == token.code) {
            continue;
        }
        list.push(token);
        if list.len() == KEPT {
            break;
        }
    }
    list
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
mod tests;
