//! `tokendesk audit --verify`: the hash chain walked from the file's first line, and a
//! sentence saying whether it holds or, if not, the first line that breaks it and how. What
//! the chain cannot see: lines removed from the end (nothing comes after them to miss them);
//! the copy on the syslog server is the proof of those.

use std::cmp::Ordering;
use std::fmt;

use serde_json::Value;

use super::chain::{NOTHING_BEFORE, hash};

/// What walking the chain found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// No lines at all: nothing to check.
    Empty,
    /// Lines, none of them chained (an older tokendesk's file): nothing to check.
    NoChain { lines: usize },
    /// Every chained line follows the one before it. `unchained` lines of an older
    /// tokendesk come before the chain (the first of them is not covered by it).
    Holds {
        lines: usize,
        unchained: usize,
        last_seq: u64,
    },
    /// The first line that breaks the chain (from 1), and how.
    Broken { line: usize, why: Break },
}

/// How a line breaks the chain.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Break {
    /// Its `prev` is not the hash of the line before it: that line (or this one's `prev`)
    /// was changed after it was written.
    Edited,
    /// Its `seq` skips the ones between: those lines were removed.
    Removed { expected: u64, found: u64 },
    /// Its `seq` is not the next one, and the next one comes later (or went before): lines
    /// were moved.
    Reordered { expected: u64, found: u64 },
    /// The chain's first line is not its start (`seq` 1): the lines before it were removed.
    StartsLate { found: u64 },
    /// Not a JSON record: a write cut short, or an edit.
    NotRecord,
    /// A record without `seq` and `prev` after the chain began: added by hand, or by an
    /// older tokendesk.
    Unchained,
}

/// The chain of `bytes` (the whole file), walked from its first line.
pub fn verify(bytes: &[u8]) -> Verdict {
    // A last line without its newline is a write cut short, seen as such below; an empty
    // file is one empty line, which holds no chain.
    let lines: Vec<&[u8]> = bytes
        .strip_suffix(b"\n")
        .unwrap_or(bytes)
        .split(|&b| b == b'\n')
        .collect();
    let torn_tail = !bytes.ends_with(b"\n");
    let records: Vec<Option<Value>> = lines
        .iter()
        .map(|line| match serde_json::from_slice::<Value>(line) {
            Ok(record @ Value::Object(_)) => Some(record),
            _ => None,
        })
        .collect();
    let seq_of = |record: &Option<Value>| record.as_ref()?.get("seq")?.as_u64();
    let Some(start) = records.iter().position(|r| seq_of(r).is_some()) else {
        return if lines.iter().all(|l| l.is_empty()) {
            Verdict::Empty
        } else {
            Verdict::NoChain { lines: lines.len() }
        };
    };
    let seqs: Vec<Option<u64>> = records.iter().map(seq_of).collect();
    let mut expected = 1;
    for index in start..lines.len() {
        let line = index + 1;
        let broken = |why| Verdict::Broken { line, why };
        let Some(record) = &records[index] else {
            return broken(Break::NotRecord);
        };
        if index + 1 == lines.len() && torn_tail {
            return broken(Break::NotRecord);
        }
        let Some(seq) = seqs[index] else {
            return broken(Break::Unchained);
        };
        if index == start && seq != 1 {
            return broken(Break::StartsLate { found: seq });
        }
        // Not the next: moved if the next one went before or comes later, else removed.
        let moved = Break::Reordered {
            expected,
            found: seq,
        };
        match seq.cmp(&expected) {
            Ordering::Equal => {}
            Ordering::Less => return broken(moved),
            Ordering::Greater if seqs[index..].contains(&Some(expected)) => return broken(moved),
            Ordering::Greater => {
                return broken(Break::Removed {
                    expected,
                    found: seq,
                });
            }
        }
        let before = match index.checked_sub(1) {
            Some(before) => hash(lines[before]),
            None => NOTHING_BEFORE.to_owned(),
        };
        if record.get("prev").and_then(Value::as_str) != Some(before.as_str()) {
            return broken(Break::Edited);
        }
        expected = seq + 1;
    }
    Verdict::Holds {
        lines: lines.len(),
        unchained: start,
        last_seq: expected - 1,
    }
}

impl Verdict {
    /// Whether the file's lines are proven unchanged (as far as a chain can prove it).
    pub fn holds(&self) -> bool {
        matches!(self, Verdict::Holds { .. })
    }
}

impl fmt::Display for Verdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Verdict::Empty => write!(f, "The audit log is empty: there is no chain to verify."),
            Verdict::NoChain { lines } => write!(
                f,
                "The audit log has no chain: its {lines} line(s) were written by an older tokendesk, so nothing can be verified."
            ),
            Verdict::Holds {
                lines,
                unchained: 0,
                last_seq,
            } => write!(
                f,
                "The audit log's chain holds: {lines} line(s), seq 1 to {last_seq}, none changed, removed or moved."
            ),
            Verdict::Holds {
                lines,
                unchained,
                last_seq,
            } => write!(
                f,
                "The audit log's chain starts part-way, at line {}: the {unchained} line(s) before it were written by an older tokendesk and only the last of them is covered. From there the chain holds: {} line(s), seq 1 to {last_seq}, none changed, removed or moved.",
                unchained + 1,
                lines - unchained
            ),
            Verdict::Broken { line, why } => {
                write!(f, "The audit log's chain is broken at line {line}: ")?;
                match why {
                    Break::Edited if *line == 1 => write!(
                        f,
                        "it names a line before it, but the file starts there (lines were removed from the start, or line 1 was edited)."
                    ),
                    Break::Edited => write!(
                        f,
                        "line {} was edited (its hash is not line {line}'s prev), or line {line}'s prev was.",
                        line - 1
                    ),
                    Break::Removed { expected, found } => write!(
                        f,
                        "line(s) were removed before it (seq {expected} was next, it is seq {found})."
                    ),
                    Break::Reordered { expected, found } => write!(
                        f,
                        "lines were reordered (seq {expected} was next, it is seq {found})."
                    ),
                    Break::StartsLate { found } => write!(
                        f,
                        "the chain's first line is seq {found}, not 1: the lines before it were removed."
                    ),
                    Break::NotRecord => write!(
                        f,
                        "it is not a whole record (a write cut short, or an edit)."
                    ),
                    Break::Unchained => write!(
                        f,
                        "it has no seq and prev: it was added by hand or by an older tokendesk."
                    ),
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::chain::Link;

    /// A chained file of `count` records, as the writer makes it.
    fn chained(before: &[&str], count: usize) -> Vec<String> {
        let mut lines: Vec<String> = before.iter().map(|l| (*l).to_owned()).collect();
        let mut link = Link::after(lines.last().map(|l| l.as_bytes()));
        for n in 0..count {
            let event = if n == 0 { "log_start" } else { "reveal" };
            let (line, next) = link.line(format!(r#"{{"event":"{event}","n":{n}}}"#).as_bytes());
            lines.push(String::from_utf8(line).expect("text").trim_end().to_owned());
            link = next;
        }
        lines
    }

    fn file(lines: &[String]) -> Vec<u8> {
        lines
            .iter()
            .flat_map(|l| format!("{l}\n").into_bytes())
            .collect()
    }

    #[test]
    fn a_whole_chain_holds() {
        let lines = chained(&[], 5);
        assert_eq!(
            verify(&file(&lines)),
            Verdict::Holds {
                lines: 5,
                unchained: 0,
                last_seq: 5
            }
        );
        assert!(verify(&file(&lines)).holds());
        let said = verify(&file(&lines)).to_string();
        assert_eq!(
            said,
            "The audit log's chain holds: 5 line(s), seq 1 to 5, none changed, removed or moved."
        );
    }

    #[test]
    fn nothing_or_no_chain_is_nothing_to_verify() {
        assert_eq!(verify(b""), Verdict::Empty);
        assert_eq!(verify(b"\n\n"), Verdict::Empty);
        assert_eq!(
            verify(b"{\"event\":\"reveal\"}\nnot json\n"),
            Verdict::NoChain { lines: 2 }
        );
        assert!(!Verdict::Empty.holds());
        assert!(!Verdict::NoChain { lines: 2 }.holds());
        assert!(
            Verdict::NoChain { lines: 2 }
                .to_string()
                .contains("has no chain")
        );
    }

    #[test]
    fn a_chain_after_older_lines_says_it_starts_part_way() {
        let lines = chained(&[r#"{"event":"reveal"}"#, r#"{"event":"reveal","x":1}"#], 3);
        let verdict = verify(&file(&lines));
        assert_eq!(
            verdict,
            Verdict::Holds {
                lines: 5,
                unchained: 2,
                last_seq: 3
            }
        );
        assert!(
            verdict.to_string().contains("starts part-way, at line 3"),
            "{verdict}"
        );
        assert!(
            verdict.to_string().contains("3 line(s), seq 1 to 3"),
            "{verdict}"
        );
        // The last older line is covered: the start's prev is its hash.
        let mut edited = lines.clone();
        edited[1] = r#"{"event":"reveal","x":2}"#.into();
        assert_eq!(
            verify(&file(&edited)),
            Verdict::Broken {
                line: 3,
                why: Break::Edited
            }
        );
    }

    #[test]
    fn an_edited_line_breaks_the_chain_at_the_next() {
        let mut lines = chained(&[], 5);
        lines[2] = lines[2].replace("\"n\":2", "\"n\":9");
        let verdict = verify(&file(&lines));
        assert_eq!(
            verdict,
            Verdict::Broken {
                line: 4,
                why: Break::Edited
            }
        );
        assert_eq!(
            verdict.to_string(),
            "The audit log's chain is broken at line 4: line 3 was edited (its hash is not line 4's prev), or line 4's prev was."
        );
        // The first line's prev must be nothing's.
        let mut first = chained(&[], 2);
        first[0] = first[0].replace(NOTHING_BEFORE, &hash(b"x"));
        let verdict = verify(&file(&first));
        assert_eq!(
            verdict,
            Verdict::Broken {
                line: 1,
                why: Break::Edited
            }
        );
        assert!(
            verdict.to_string().contains("the file starts there"),
            "{verdict}"
        );
    }

    #[test]
    fn a_removed_line_is_a_gap_in_seq() {
        let mut lines = chained(&[], 5);
        lines.remove(2);
        let verdict = verify(&file(&lines));
        assert_eq!(
            verdict,
            Verdict::Broken {
                line: 3,
                why: Break::Removed {
                    expected: 3,
                    found: 4
                }
            }
        );
        assert!(
            verdict
                .to_string()
                .contains("removed before it (seq 3 was next, it is seq 4)"),
            "{verdict}"
        );
        let mut start = chained(&[], 3);
        start.remove(0);
        let verdict = verify(&file(&start));
        assert_eq!(
            verdict,
            Verdict::Broken {
                line: 1,
                why: Break::StartsLate { found: 2 }
            }
        );
        assert!(
            verdict.to_string().contains("first line is seq 2, not 1"),
            "{verdict}"
        );
    }

    #[test]
    fn swapped_lines_are_reordered_whichever_comes_first() {
        let mut lines = chained(&[], 5);
        lines.swap(1, 2);
        let expected = Verdict::Broken {
            line: 2,
            why: Break::Reordered {
                expected: 2,
                found: 3,
            },
        };
        assert_eq!(verify(&file(&lines)), expected);
        assert!(
            expected
                .to_string()
                .contains("reordered (seq 2 was next, it is seq 3)")
        );
        // A line moved to the end: the seq goes back there.
        let mut moved = chained(&[], 4);
        let second = moved.remove(1);
        moved.push(second);
        assert_eq!(
            verify(&file(&moved)),
            Verdict::Broken {
                line: 2,
                why: Break::Reordered {
                    expected: 2,
                    found: 3
                }
            }
        );
        // Back: a seq already seen.
        let mut back = chained(&[], 4);
        back[3] = back[1].clone();
        assert_eq!(
            verify(&file(&back)),
            Verdict::Broken {
                line: 4,
                why: Break::Reordered {
                    expected: 4,
                    found: 2
                }
            }
        );
    }

    #[test]
    fn a_torn_or_foreign_line_in_the_chain_breaks_it() {
        let mut lines = chained(&[], 3);
        lines.insert(2, "{\"time\":\"20".into());
        let verdict = verify(&file(&lines));
        assert_eq!(
            verdict,
            Verdict::Broken {
                line: 3,
                why: Break::NotRecord
            }
        );
        assert!(
            verdict.to_string().contains("not a whole record"),
            "{verdict}"
        );
        let mut foreign = chained(&[], 3);
        foreign.insert(1, r#"{"event":"reveal"}"#.into());
        let verdict = verify(&file(&foreign));
        assert_eq!(
            verdict,
            Verdict::Broken {
                line: 2,
                why: Break::Unchained
            }
        );
        assert!(verdict.to_string().contains("no seq and prev"), "{verdict}");
        // A last line without its newline is a write cut short, even when it parses.
        let mut bytes = file(&chained(&[], 2));
        bytes.pop();
        assert_eq!(
            verify(&bytes),
            Verdict::Broken {
                line: 2,
                why: Break::NotRecord
            }
        );
    }
}
