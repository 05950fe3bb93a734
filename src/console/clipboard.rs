//! Copying to the clerk's own clipboard over SSH: OSC 52 (`ESC ] 52 ; c ; BASE64 BEL`),
//! which the terminal emulator on the clerk's desk acts on, and tmux passes on with
//! `set-clipboard on`. Only the sequence is made here; the event loop writes it.

/// The most bytes of sequence a copy may take: many terminals drop (or cut) longer ones,
/// and a cut copy would be worse than none.
pub const MAX_SEQUENCE_BYTES: usize = 100 * 1024;

const START: &str = "\x1b]52;c;";
const END: &str = "\x07";

/// How many bytes the OSC 52 sequence for `text_bytes` bytes of text takes.
pub fn sequence_len(text_bytes: usize) -> usize {
    START.len() + text_bytes.div_ceil(3) * 4 + END.len()
}

/// The OSC 52 sequence that puts `text` on the clipboard.
pub fn osc52(text: &str) -> String {
    let mut out = String::with_capacity(sequence_len(text.len()));
    out.push_str(START);
    out.push_str(&base64(text.as_bytes()));
    out.push_str(END);
    out
}

/// Standard base64 with padding (RFC 4648), as terminals decode OSC 52.
fn base64(bytes: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_is_rfc_4648() {
        assert_eq!(base64(b""), "");
        assert_eq!(base64(b"f"), "Zg==");
        assert_eq!(base64(b"fo"), "Zm8=");
        assert_eq!(base64(b"foo"), "Zm9v");
        assert_eq!(base64(b"foobar"), "Zm9vYmFy");
        assert_eq!(base64("Lefèvre".as_bytes()), "TGVmw6h2cmU=");
    }

    #[test]
    fn the_sequence_is_osc_52_to_the_clipboard() {
        assert_eq!(osc52("99021047380"), "\x1b]52;c;OTkwMjEwNDczODA=\x07");
        assert_eq!(sequence_len(11), osc52("99021047380").len());
        assert_eq!(sequence_len(0), osc52("").len());
    }
}
