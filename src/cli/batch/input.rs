//! What a batch acts on: the lines of a file (or standard input), or an owner's whole list,
//! and the name its journal takes from them.

use std::io::Read;
use std::path::{Path, PathBuf};

use crate::api::{AccessTokenIdentifier, LifeCycleState, ListOwner, NumberKind, TokenSummary};
use crate::text::{needs_cleaning, sanitize};

/// Where a batch's tokens come from.
#[derive(Clone, Debug)]
pub enum Source {
    /// A file, by its canonical path, so the same file named another way is the same batch.
    File(PathBuf),
    /// Standard input: its lines name the batch.
    Stdin,
    Owner(ListOwner),
}

/// One token of a batch.
#[derive(Clone, Debug)]
pub struct Target {
    /// How the input names it: the line of the file, or the token's number in an owner's
    /// list. The journal records each target under this key.
    pub key: String,
    /// How to address it; `None` when the input gives nothing CRM.COM can find it by, and
    /// `refusal` says why.
    pub identifier: Option<AccessTokenIdentifier>,
    pub refusal: Option<String>,
    /// The number, when known before the token is read (an owner's list).
    pub number: Option<String>,
    /// The state an owner's list showed it in, a moment before the confirmation: a token
    /// whose state does not allow the action is left out, as the confirmation counts it.
    pub state: Option<LifeCycleState>,
}

/// The keys of a file of codes: one a line, surrounding spaces trimmed, `#` comments and
/// blank lines ignored, each key once (a code given twice is acted on once).
pub fn keys(text: &str) -> Vec<String> {
    let mut seen = std::collections::HashSet::new();
    text.lines()
        .map(|line| line.split('#').next().unwrap_or_default().trim())
        .filter(|line| !line.is_empty())
        .filter(|line| seen.insert(line.to_string()))
        .map(str::to_owned)
        .collect()
}

/// The most a batch's input may hold: a million codes fit in 16 MB, and `/dev/zero` given
/// as the file must not grow memory without end.
pub const MAX_INPUT_BYTES: u64 = 16 * 1024 * 1024;

/// Reads the file (`-`: standard input) of a batch, and checks its text (see [`text`]).
/// The file may be a pipe (`--from <(grep ...)`): only its size is bounded.
pub fn read(path: &Path) -> Result<(Source, String), String> {
    if path == Path::new("-") {
        let shown = "standard input";
        let bytes = bounded(std::io::stdin().lock(), shown)?;
        return Ok((Source::Stdin, text(&bytes, shown)?));
    }
    let shown = sanitize(&path.display().to_string()).into_owned();
    let cannot = |e: std::io::Error| format!("Cannot read the tokens from {shown}: {e}.");
    let file = std::fs::File::open(path).map_err(cannot)?;
    let bytes = bounded(file, &shown)?;
    let canonical = path.canonicalize().map_err(cannot)?;
    Ok((Source::File(canonical), text(&bytes, &shown)?))
}

/// At most `MAX_INPUT_BYTES` of `input`.
fn bounded(input: impl Read, shown: &str) -> Result<Vec<u8>, String> {
    let mut bytes = Vec::new();
    input
        .take(MAX_INPUT_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("Cannot read the tokens from {shown}: {e}."))?;
    if bytes.len() as u64 > MAX_INPUT_BYTES {
        return Err(format!(
            "{shown} holds more than {} MB; give a batch at most a million codes or so. Nothing was sent.",
            MAX_INPUT_BYTES / (1024 * 1024)
        ));
    }
    Ok(bytes)
}

/// The text of a batch's input as clerks' files come: a leading UTF-8 byte-order mark
/// (Notepad, an Excel export) is dropped, not sent as part of the first code. A line that
/// is not UTF-8, or that holds a control character (a tab aside) or another character the
/// screen would not show, is refused with its number before anything is sent: the code
/// sent would not be the code the clerk sees.
pub fn text(bytes: &[u8], shown: &str) -> Result<String, String> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    for (index, line) in bytes.split(|&b| b == b'\n').enumerate() {
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        let number = index + 1;
        let Ok(line) = std::str::from_utf8(line) else {
            return Err(format!(
                "Line {number} of {shown} is not UTF-8 text; save the file as UTF-8 (or plain ASCII). Nothing was sent."
            ));
        };
        if let Some(c) = line
            .chars()
            .find(|&c| c != '\t' && (needs_cleaning(c) || c == '\u{FEFF}'))
        {
            return Err(format!(
                "Line {number} of {shown} holds an invisible or control character (U+{:04X}); remove it and run the batch again. Nothing was sent.",
                u32::from(c)
            ));
        }
    }
    // Every line is UTF-8, so the whole is.
    Ok(String::from_utf8_lossy(bytes).into_owned())
}

/// A line of a file as a target. CRM.COM finds a token by its authentication code (or
/// identifier and pass code), never by a number, so a number is refused with the reason.
pub fn from_line(key: String) -> Target {
    if let Some(kind) = NumberKind::of(&key) {
        return Target {
            refusal: Some(not_a_code(kind, &key)),
            identifier: None,
            number: (kind == NumberKind::Token).then(|| key.clone()),
            state: None,
            key,
        };
    }
    Target {
        identifier: Some(AccessTokenIdentifier::AuthenticationCode(key.clone())),
        refusal: None,
        number: None,
        state: None,
        key,
    }
}

/// An owner's listed token as a target, keyed by its number (else its code).
fn from_listed(token: &serde_json::Value) -> Target {
    let summary = TokenSummary::from_value(token);
    let state = Some(summary.state.clone()).filter(|s| *s != LifeCycleState::Unknown);
    let key = summary
        .number
        .clone()
        .or_else(|| summary.authentication_code.clone())
        .or_else(|| summary.id.clone())
        .unwrap_or_default();
    match summary.authentication_code {
        Some(code) if !code.trim().is_empty() => Target {
            key,
            identifier: Some(AccessTokenIdentifier::AuthenticationCode(code)),
            refusal: None,
            number: summary.number,
            state,
        },
        _ => Target {
            refusal: Some(format!(
                "{} has no authentication code to address it by.",
                sanitize(&summary.display_name())
            )),
            key,
            identifier: None,
            number: summary.number,
            state,
        },
    }
}

/// An owner's listed tokens as targets, each token once, page after page. Offset paging
/// over a list that changes while it is read can give a token twice; a token is taken to
/// be one already listed when its id, number or authentication code is one seen before, as
/// a file's repeated code is.
#[derive(Default)]
pub struct ListedOnce {
    seen: std::collections::HashSet<(&'static str, String)>,
    /// How many listed tokens were ones already taken.
    pub repeated: usize,
}

impl ListedOnce {
    /// `token` as a target, or `None` when it was listed before.
    pub fn take(&mut self, token: &serde_json::Value) -> Option<Target> {
        let summary = TokenSummary::from_value(token);
        let names: Vec<(&'static str, String)> = [
            ("id", summary.id),
            ("number", summary.number),
            ("code", summary.authentication_code),
        ]
        .into_iter()
        .filter_map(|(kind, name)| name.map(|name| (kind, name)))
        .collect();
        let repeated = names.iter().any(|name| self.seen.contains(name));
        self.seen.extend(names);
        if repeated {
            self.repeated += 1;
            return None;
        }
        Some(from_listed(token))
    }
}

/// The command line's sentence for a number given where an authentication code goes: what
/// the number is, and what to type instead.
pub fn not_a_code(kind: NumberKind, number: &str) -> String {
    let number = sanitize(number);
    match kind {
        NumberKind::AccountsReceivable => format!(
            "{number} is an accounts receivable number, not an authentication code: tokendesk list --acr {number} lists its tokens, and --acr {number} acts on all of them."
        ),
        NumberKind::RewardsParticipant => format!(
            "{number} is a rewards participant number, not an authentication code: tokendesk list --rp {number} lists its tokens, and --rp {number} acts on all of them."
        ),
        NumberKind::Token => format!(
            "{number} is a token number, and CRM.COM finds a token only by its authentication code: give the code, or --acr for a whole account."
        ),
    }
}

/// The journal's file name: the action, a readable hint of the input, and a hash of the
/// server, the action and the whole input, so that another file, account or server is
/// another batch.
pub fn journal_name(host: &str, action: &str, source: &Source, text: &str) -> String {
    let (hint, identity) = match source {
        Source::File(path) => (
            path.file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
            path.display().to_string(),
        ),
        Source::Stdin => ("stdin".to_owned(), format!("stdin\n{text}")),
        Source::Owner(owner) => {
            let number = match owner {
                ListOwner::AccountsReceivable(n) | ListOwner::RewardsParticipant(n) => n,
            };
            (number.clone(), format!("owner {owner}"))
        }
    };
    let hint: String = hint
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '.' || c == '-' {
                c
            } else {
                '_'
            }
        })
        .take(40)
        .collect();
    let hash = fnv1a(format!("{host}\n{action}\n{identity}").as_bytes());
    format!("{action}-{hint}-{hash:016x}.jsonl")
}

/// FNV-1a, 64 bits: stable across builds, unlike std's hasher, so a journal is found again
/// by the next version too.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, &b| {
        (hash ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_skip_comments_blanks_and_repeats() {
        let text = "# lost wallet\n99021047380\n\n  99026728606  # the app\n99021047380\n#\n";
        assert_eq!(keys(text), ["99021047380", "99026728606"]);
    }

    #[test]
    fn a_byte_order_mark_is_dropped_and_windows_lines_are_read() {
        let text = text(
            b"\xEF\xBB\xBF99021047380\r\n99026728606\t# the app\r\n",
            "c.txt",
        )
        .expect("read");
        assert_eq!(keys(&text), ["99021047380", "99026728606"]);
    }

    #[test]
    fn a_line_not_utf8_or_with_a_control_character_is_refused_by_its_number() {
        let not_utf8 = text(b"99021047380\n\xff\xfe1\n", "c.txt").expect_err("refused");
        assert_eq!(
            not_utf8,
            "Line 2 of c.txt is not UTF-8 text; save the file as UTF-8 (or plain ASCII). Nothing was sent."
        );
        for (bytes, character) in [
            (&b"1\n2\n3\x1b[2J\n"[..], "U+001B"),
            ("1\n2\n3\u{200F}\n".as_bytes(), "U+200F"),
            ("1\n2\n\u{FEFF}3\n".as_bytes(), "U+FEFF"),
            (&b"1\n2\n3\r4\n"[..], "U+000D"),
        ] {
            let refused = text(bytes, "c.txt").expect_err("refused");
            assert_eq!(
                refused,
                format!(
                    "Line 3 of c.txt holds an invisible or control character ({character}); remove it and run the batch again. Nothing was sent."
                )
            );
        }
    }

    #[test]
    fn a_listed_token_is_taken_once_whichever_name_repeats() {
        let listed = [
            serde_json::json!({"id": "1", "number": "AT1", "authentication_code": "c1"}),
            serde_json::json!({"id": "2", "number": "AT2", "authentication_code": "c2"}),
            // The same token again, by each of its names alone.
            serde_json::json!({"id": "1"}),
            serde_json::json!({"number": "AT2"}),
            serde_json::json!({"authentication_code": "c1"}),
            // A code that is another token's number is another token.
            serde_json::json!({"number": "AT3", "authentication_code": "AT1"}),
        ];
        let mut once = ListedOnce::default();
        let keys: Vec<String> = listed
            .iter()
            .filter_map(|t| once.take(t))
            .map(|t| t.key)
            .collect();
        assert_eq!(once.repeated, 3);
        assert_eq!(keys, ["AT1", "AT2", "AT3"]);
    }

    #[test]
    fn a_number_is_refused_with_the_reason() {
        let target = from_line("AT0000000671".into());
        assert!(target.identifier.is_none());
        assert!(
            target
                .refusal
                .as_deref()
                .is_some_and(|r| r.contains("only by its authentication code")),
            "{target:?}"
        );
        assert!(from_line("99021047380".into()).refusal.is_none());
        assert!(from_line("AT".into()).refusal.is_none());
    }

    #[test]
    fn the_journal_name_changes_with_server_action_and_input() {
        let file = Source::File(PathBuf::from("/tmp/lost cards.txt"));
        let name = journal_name("crm", "deactivate", &file, "");
        assert!(name.starts_with("deactivate-lost_cards.txt-"), "{name}");
        assert_eq!(name, journal_name("crm", "deactivate", &file, "other"));
        assert_ne!(name, journal_name("crm2", "deactivate", &file, ""));
        assert_ne!(name, journal_name("crm", "delete", &file, ""));
        assert_ne!(
            journal_name("crm", "deactivate", &Source::Stdin, "1\n"),
            journal_name("crm", "deactivate", &Source::Stdin, "2\n")
        );
    }
}
