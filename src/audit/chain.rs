//! The audit log's hash chain: each line begins with its sequence number (`seq`) and the
//! SHA-256 of the line before it, byte for byte (`prev`), so a line edited, removed or moved
//! breaks the chain at the next line, and `tokendesk audit --verify` finds it. The writer
//! links each line to the file's last whole line while it holds the file's lock, so
//! consoles and batches appending at once keep one chain.

use sha2::{Digest, Sha256};

/// The `prev` of the first line of a file that held nothing before it.
pub const NOTHING_BEFORE: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// The event of the line that starts a chain (`seq` 1).
pub const LOG_START: &str = "log_start";

/// The SHA-256 of `line` (without its newline), in lower-case hex.
pub fn hash(line: &[u8]) -> String {
    Sha256::digest(line)
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

/// Where the next line of a file goes in its chain.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Link {
    pub seq: u64,
    pub prev: String,
    /// The file has no chain yet (it is empty, or its last line is an older tokendesk's):
    /// a `log_start` line comes first, at `seq` 1.
    pub starts: bool,
}

impl Link {
    /// The link after the file's last whole line (`None`: the file holds none).
    pub fn after(last: Option<&[u8]>) -> Link {
        let Some(last) = last else {
            return Link {
                seq: 1,
                prev: NOTHING_BEFORE.to_owned(),
                starts: true,
            };
        };
        let seq = serde_json::from_slice::<serde_json::Value>(last)
            .ok()
            .and_then(|record| record.get("seq")?.as_u64());
        Link {
            seq: seq.map_or(1, |seq| seq + 1),
            prev: hash(last),
            starts: seq.is_none(),
        }
    }

    /// `record` (a JSON object, serialised) as a line of the chain, with its newline; and
    /// the link after it.
    pub fn line(&self, record: &[u8]) -> (Vec<u8>, Link) {
        let mut line = format!("{{\"seq\":{},\"prev\":\"{}\"", self.seq, self.prev).into_bytes();
        match record.strip_prefix(b"{") {
            Some(b"}") | None => line.push(b'}'),
            Some(rest) => {
                line.push(b',');
                line.extend_from_slice(rest);
            }
        }
        let next = Link {
            seq: self.seq + 1,
            prev: hash(&line),
            starts: false,
        };
        line.push(b'\n');
        (line, next)
    }
}

/// The last whole line of `file` (the bytes before its last newline, back to the newline
/// before them), skipping a torn tail (bytes after the last newline) and blank lines. Reads
/// from the end, a block at a time: the log may be large, a line is not.
pub fn last_whole_line<F: std::io::Read + std::io::Seek>(
    file: &mut F,
) -> std::io::Result<Option<Vec<u8>>> {
    use std::io::SeekFrom;
    const BLOCK: u64 = 8192;
    let length = file.seek(SeekFrom::End(0))?;
    let mut start = length;
    let mut tail: Vec<u8> = Vec::new();
    loop {
        // Whole lines in `tail`: everything up to its last newline.
        let whole = match tail.iter().rposition(|&b| b == b'\n') {
            Some(end) => &tail[..end],
            None => &[][..],
        };
        let trimmed_end = whole
            .iter()
            .rposition(|&b| b != b'\n')
            .map_or(0, |at| at + 1);
        let whole = &whole[..trimmed_end];
        if !whole.is_empty() {
            if let Some(begin) = whole.iter().rposition(|&b| b == b'\n') {
                return Ok(Some(whole[begin + 1..].to_vec()));
            }
            if start == 0 {
                return Ok(Some(whole.to_vec()));
            }
        }
        if start == 0 {
            return Ok(None);
        }
        let read_from = start.saturating_sub(BLOCK);
        let mut block = vec![0; usize::try_from(start - read_from).unwrap_or(0)];
        file.seek(SeekFrom::Start(read_from))?;
        file.read_exact(&mut block)?;
        block.extend_from_slice(&tail);
        tail = block;
        start = read_from;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Cursor;

    #[test]
    fn the_hash_is_sha256_in_hex() {
        assert_eq!(
            hash(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(hash(b"").len(), 64);
    }

    #[test]
    fn an_empty_file_starts_a_chain_from_nothing() {
        assert_eq!(
            Link::after(None),
            Link {
                seq: 1,
                prev: NOTHING_BEFORE.into(),
                starts: true
            }
        );
    }

    #[test]
    fn a_chained_line_is_followed_by_the_next_seq_and_its_hash() {
        let last = br#"{"seq":41,"prev":"ab","event":"reveal"}"#;
        assert_eq!(
            Link::after(Some(last)),
            Link {
                seq: 42,
                prev: hash(last),
                starts: false
            }
        );
    }

    #[test]
    fn a_line_of_an_older_tokendesk_is_followed_by_a_new_start_linked_to_it() {
        for last in [&br#"{"event":"reveal"}"#[..], b"not json"] {
            assert_eq!(
                Link::after(Some(last)),
                Link {
                    seq: 1,
                    prev: hash(last),
                    starts: true
                }
            );
        }
    }

    #[test]
    fn a_line_begins_with_its_seq_and_prev_and_the_next_link_hashes_it() {
        let link = Link {
            seq: 7,
            prev: "ab".into(),
            starts: false,
        };
        let (line, next) = link.line(br#"{"event":"reveal"}"#);
        assert_eq!(line, b"{\"seq\":7,\"prev\":\"ab\",\"event\":\"reveal\"}\n");
        assert_eq!(next.seq, 8);
        assert_eq!(next.prev, hash(&line[..line.len() - 1]));
        assert!(!next.starts);
        let (empty, _) = link.line(b"{}");
        assert_eq!(empty, b"{\"seq\":7,\"prev\":\"ab\"}\n");
    }

    #[test]
    fn the_last_whole_line_skips_a_torn_tail_and_blank_lines_across_blocks() {
        let long = "x".repeat(20_000);
        let cases: Vec<(String, Option<&str>)> = vec![
            (String::new(), None),
            ("torn".into(), None),
            ("one\n".into(), Some("one")),
            ("one\ntwo\n".into(), Some("two")),
            ("one\ntwo\ntor".into(), Some("two")),
            ("one\ntwo\n\n\n".into(), Some("two")),
            (format!("one\n{long}\n"), Some(&long)),
            (format!("{long}\nshort\n{long}"), Some("short")),
            (format!("{long}\n"), Some(&long)),
        ];
        for (text, expected) in cases {
            let found = last_whole_line(&mut Cursor::new(text.as_bytes())).expect("read");
            assert_eq!(
                found.as_deref(),
                expected.map(str::as_bytes),
                "{:?}",
                &text[..text.len().min(30)]
            );
        }
    }
}
